-- DuckDB views over a published sco-open-data release, read where it lies.
--
-- Set the release's URL (the folder that holds documents.parquet, SHA256SUMS ...)
-- first, then run this file. In the DuckDB CLI:
--
--     INSTALL httpfs; LOAD httpfs;      -- offline: LOAD '<site-packages>/duckdb_extension_httpfs/extensions/v1.5.5/httpfs.duckdb_extension'
--     SET VARIABLE release_url = 'https://example.org/sco-open-data-0.1.0';
--     .read sql/release.sql
--     .read sql/views.sql               -- optional: the project's convenience views
--
-- From Python: flows.release.attach_release(con, url) does all of this
-- (httpfs from the duckdb-extension-httpfs wheel, no download).
--
-- The views read the Parquet files over HTTP(S) with range requests: a query
-- fetches only the row groups and columns it needs. A local folder works too:
-- SET VARIABLE release_url = '/path/to/sco-open-data-0.1.0'.
-- The variable is read when a view is queried, so set it in every session.
-- This file assumes one Parquet file per table (a release's manifest.json lists
-- the files; a table written as parts needs read_parquet([...list of parts...])).

CREATE OR REPLACE VIEW documents  AS SELECT * FROM read_parquet(getvariable('release_url') || '/documents.parquet');
CREATE OR REPLACE VIEW countries  AS SELECT * FROM read_parquet(getvariable('release_url') || '/countries.parquet');
CREATE OR REPLACE VIEW figures    AS SELECT * FROM read_parquet(getvariable('release_url') || '/figures.parquet');
CREATE OR REPLACE VIEW events     AS SELECT * FROM read_parquet(getvariable('release_url') || '/events.parquet');
CREATE OR REPLACE VIEW mentions   AS SELECT * FROM read_parquet(getvariable('release_url') || '/mentions.parquet');
CREATE OR REPLACE VIEW quantities AS SELECT * FROM read_parquet(getvariable('release_url') || '/quantities.parquet');
CREATE OR REPLACE VIEW quotes     AS SELECT * FROM read_parquet(getvariable('release_url') || '/quotes.parquet');
CREATE OR REPLACE VIEW rejects    AS SELECT * FROM read_parquet(getvariable('release_url') || '/rejects.parquet');

-- FTS
-- Full-text search over the documents' title and text (needs the fts extension:
-- INSTALL fts; LOAD fts; offline, LOAD the file of the duckdb-extension-fts wheel).
-- The index needs a table, so the text is copied once (one download of the
-- documents file). In a release made with --text auto, documents whose licence
-- does not allow redistribution carry only a snippet: the index covers what the
-- release carries.

CREATE OR REPLACE TABLE documents_text AS
SELECT doc_id, title, text, source_name, published_date FROM documents;

PRAGMA create_fts_index('documents_text', 'doc_id', 'title', 'text', overwrite = 1);

-- SELECT * FROM search_documents('summit Samarkand') LIMIT 10;
CREATE OR REPLACE MACRO search_documents(q) AS TABLE
SELECT doc_id, title, source_name, published_date, score
FROM (
    SELECT *, fts_main_documents_text.match_bm25(doc_id, q) AS score
    FROM documents_text
)
WHERE score IS NOT NULL
ORDER BY score DESC;
