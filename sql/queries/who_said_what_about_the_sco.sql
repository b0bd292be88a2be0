-- Who said what about the SCO: quotes whose words or sentence name the organisation.
SELECT coalesce(f.name, '(unattributed)') AS speaker, q.verb, q.text
FROM quotes q LEFT JOIN figures f USING (figure_id)
WHERE q.text ILIKE '%SCO%' OR q.text ILIKE '%Shanghai Cooperation%' OR q.context ILIKE '%SCO%'
ORDER BY speaker, q.doc_id, q.start;
