-- Documents per outlet, with how many are duplicates of another.
SELECT coalesce(source_name, '(unknown)') AS source_name,
       count(*) AS documents,
       count(duplicate_of) AS duplicates,
       min(published_date) AS first, max(published_date) AS last
FROM documents
GROUP BY ALL
ORDER BY documents DESC, source_name;
