-- Countries by SCO status (as of the build date), with how often each is named.
SELECT sco_status, name, iso3, sco_status_since, n_mentions, n_documents
FROM countries
ORDER BY CASE sco_status WHEN 'member' THEN 1 WHEN 'observer' THEN 2 WHEN 'dialogue_partner' THEN 3 ELSE 4 END,
         n_mentions DESC, name;
