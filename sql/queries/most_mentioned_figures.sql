-- The most-mentioned people, with the documents they appear in.
SELECT name, country_iso3, role, n_mentions, n_documents
FROM figures
ORDER BY n_mentions DESC, name
LIMIT 20;
