-- Events per year and type.
SELECT year(start_date) AS year, event_type, count(*) AS events, sum(n_sources) AS reports
FROM events
GROUP BY ALL
ORDER BY year NULLS LAST, event_type;
