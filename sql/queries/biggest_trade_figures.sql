-- The biggest sums of money named, by year of the document (top 5 a year), with the sentence they stand in.
SELECT year(d.published_date) AS year, q.value, q.unit, q.surface, q.context
FROM quantities q JOIN documents d USING (doc_id)
WHERE q.kind = 'money' AND d.duplicate_of IS NULL
QUALIFY row_number() OVER (PARTITION BY year(d.published_date), q.unit ORDER BY q.value DESC) <= 5
ORDER BY year NULLS LAST, q.unit, q.value DESC;
