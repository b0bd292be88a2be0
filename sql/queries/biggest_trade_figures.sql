-- The biggest sums of money named, by year of the document, with the sentence they stand in.
SELECT year(d.published_date) AS year, q.value, q.unit, q.surface, q.context
FROM quantities q JOIN documents d USING (doc_id)
WHERE q.kind = 'money'
ORDER BY q.value DESC
LIMIT 20;
