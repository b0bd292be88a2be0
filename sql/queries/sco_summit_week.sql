-- Events of an SCO summit week: everything within three days of each SCO summit.
WITH summits AS (
    SELECT event_id, title, start_date, coalesce(end_date, start_date) AS end_date, place
    FROM events WHERE event_type = 'summit' AND organization = 'SCO' AND start_date IS NOT NULL
)
SELECT s.title AS summit, e.event_type, e.title, e.start_date, e.place, e.n_sources
FROM summits s
JOIN events e ON e.start_date BETWEEN s.start_date - INTERVAL 3 DAY AND s.end_date + INTERVAL 3 DAY
ORDER BY s.start_date, e.start_date, e.event_type, e.title;
