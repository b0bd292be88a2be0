-- GENERATED from schemas/tables.py by `python -m schemas.generate`; do not edit.
-- The tables of the dataset contract as DuckDB DDL, for loading the Parquet
-- files into a database of your own: CREATE TABLE ... then INSERT INTO ... SELECT.
-- Foreign keys are named in comments, not declared: DuckDB checks one as each row
-- is inserted, so a duplicate naming a canonical document further down would fail.

-- One row per document. A file holding several documents (a forum thread, a JSON-lines collection) gives one row per document inside it.
CREATE TABLE IF NOT EXISTS documents (
    "doc_id" VARCHAR NOT NULL,
    "source_uri" VARCHAR NOT NULL,
    "parent_uri" VARCHAR,
    "url" VARCHAR,
    "source_name" VARCHAR,
    "title" VARCHAR,
    "author" VARCHAR,
    "published_date" DATE,
    "published_date_source" VARCHAR NOT NULL,
    "language" VARCHAR,
    "text" VARCHAR NOT NULL,
    "n_words" INTEGER NOT NULL,
    "content_sha256" VARCHAR NOT NULL,
    "duplicate_of" VARCHAR,  -- references documents(doc_id)
    "duplicate_kind" VARCHAR,
    "duplicate_similarity" DOUBLE,
    "post_number" INTEGER,
    "source_format" VARCHAR NOT NULL,
    "licence" VARCHAR NOT NULL,
    PRIMARY KEY ("doc_id")
);

-- One row per country mentioned, or holding an SCO status.
CREATE TABLE IF NOT EXISTS countries (
    "iso3" VARCHAR NOT NULL,
    "iso2" VARCHAR NOT NULL,
    "name" VARCHAR NOT NULL,
    "sco_status" VARCHAR NOT NULL,
    "sco_status_since" DATE,
    "sco_status_since_precision" VARCHAR,
    "wikidata_id" VARCHAR,
    "n_documents" INTEGER NOT NULL,
    "n_mentions" INTEGER NOT NULL,
    PRIMARY KEY ("iso3")
);

-- One row per person named in the corpus.
CREATE TABLE IF NOT EXISTS figures (
    "figure_id" VARCHAR NOT NULL,
    "name" VARCHAR NOT NULL,
    "aliases" VARCHAR[] NOT NULL,
    "wikidata_id" VARCHAR,
    "country_iso3" VARCHAR,
    "role" VARCHAR,
    "in_reference" BOOLEAN NOT NULL,
    "n_documents" INTEGER NOT NULL,
    "n_mentions" INTEGER NOT NULL,
    PRIMARY KEY ("figure_id")
);

-- One row per real-world event, however many documents report it.
CREATE TABLE IF NOT EXISTS events (
    "event_id" VARCHAR NOT NULL,
    "event_type" VARCHAR NOT NULL,
    "mode" VARCHAR,
    "plover_type" VARCHAR,
    "title" VARCHAR NOT NULL,
    "start_date" DATE,
    "end_date" DATE,
    "date_precision" VARCHAR NOT NULL,
    "place" VARCHAR,
    "place_country_iso3" VARCHAR,
    "organization" VARCHAR,
    "figure_ids" VARCHAR[] NOT NULL,
    "country_iso3s" VARCHAR[] NOT NULL,
    "doc_ids" VARCHAR[] NOT NULL,
    "n_sources" INTEGER NOT NULL,
    "evidence" VARCHAR NOT NULL,
    "evidence_doc_id" VARCHAR NOT NULL,  -- references documents(doc_id)
    "evidence_start" INTEGER,
    "evidence_end" INTEGER,
    "confidence" DOUBLE NOT NULL,
    PRIMARY KEY ("event_id")
);

-- Where each entity is named.
CREATE TABLE IF NOT EXISTS mentions (
    "doc_id" VARCHAR NOT NULL,  -- references documents(doc_id)
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "entity_type" VARCHAR NOT NULL,
    "entity_id" VARCHAR NOT NULL,
    "surface" VARCHAR NOT NULL,
    "method" VARCHAR NOT NULL
);

-- Numbers stated in the text.
CREATE TABLE IF NOT EXISTS quantities (
    "doc_id" VARCHAR NOT NULL,  -- references documents(doc_id)
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "value" DOUBLE NOT NULL,
    "unit" VARCHAR NOT NULL,
    "kind" VARCHAR NOT NULL,
    "surface" VARCHAR NOT NULL,
    "context" VARCHAR NOT NULL
);

-- What people said, with its speaker: direct quotes, mixed and reported speech.
CREATE TABLE IF NOT EXISTS quotes (
    "doc_id" VARCHAR NOT NULL,  -- references documents(doc_id)
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "figure_id" VARCHAR,  -- references figures(figure_id)
    "text" VARCHAR NOT NULL,
    "kind" VARCHAR NOT NULL,
    "speaker" VARCHAR,
    "speaker_kind" VARCHAR,
    "verb" VARCHAR,
    "context" VARCHAR NOT NULL
);

-- Every input the pipeline could not use.
CREATE TABLE IF NOT EXISTS rejects (
    "source_uri" VARCHAR NOT NULL,
    "reason" VARCHAR NOT NULL,
    "detail" VARCHAR,
    "seen_at" TIMESTAMPTZ NOT NULL
);
