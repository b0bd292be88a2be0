-- Calls between two leaders: who spoke with whom by phone or video, when, and how many sources say so.
SELECT fa.name AS leader_a, fb.name AS leader_b, p.start_date, p.mode, e.n_sources, e.title
FROM call_pairs p
JOIN figures fa ON fa.figure_id = p.figure_a
JOIN figures fb ON fb.figure_id = p.figure_b
JOIN events e ON e.event_id = p.event_id
ORDER BY p.start_date NULLS LAST, leader_a, leader_b;
