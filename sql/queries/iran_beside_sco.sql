-- How often is Iran named in the same sentence-sized window as the SCO (within 200 characters)?
SELECT count(DISTINCT c.doc_id) AS documents, count(*) AS co_mentions
FROM mentions c
JOIN mentions o ON o.doc_id = c.doc_id AND o.entity_type = 'organization' AND o.entity_id = 'sco'
WHERE c.entity_type = 'country' AND c.entity_id = 'IRN' AND abs(c.start - o.start) <= 200;
