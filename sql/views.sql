-- Views the build loads into output/sco.duckdb after the table views.
-- Each is a question users ask often, answered once, in SQL they can read.

-- Documents that carry facts: duplicates point at these and are not annotated.
CREATE OR REPLACE VIEW canonical_documents AS
SELECT * FROM documents WHERE duplicate_of IS NULL;

-- Every figure mention with the person's canonical name and the document's date.
CREATE OR REPLACE VIEW figure_mentions AS
SELECT m.doc_id, m.entity_id AS figure_id, f.name, m.surface, m.start, m."end",
       d.published_date, d.source_name
FROM mentions m
JOIN figures f ON f.figure_id = m.entity_id
JOIN documents d ON d.doc_id = m.doc_id
WHERE m.entity_type = 'figure';

-- Every country mention with the country's SCO status.
CREATE OR REPLACE VIEW country_mentions AS
SELECT m.doc_id, m.entity_id AS iso3, c.name, c.sco_status, m.surface, m.start, m."end", m.method
FROM mentions m
JOIN countries c ON c.iso3 = m.entity_id
WHERE m.entity_type = 'country';

-- One row per event and participant figure: the shape for "who met whom".
CREATE OR REPLACE VIEW event_participants AS
SELECT e.event_id, e.event_type, e.mode, e.title, e.start_date, e.place, e.organization,
       unnest(e.figure_ids) AS figure_id
FROM events e;

-- Pairs of people who took part in the same meeting, one row per meeting.
CREATE OR REPLACE VIEW meeting_pairs AS
SELECT a.event_id, a.event_type, a.start_date, a.place, a.figure_id AS figure_a, b.figure_id AS figure_b
FROM event_participants a
JOIN event_participants b ON a.event_id = b.event_id AND a.figure_id < b.figure_id
WHERE a.event_type IN ('bilateral_meeting', 'multilateral_meeting', 'ministerial_meeting', 'visit');

-- Pairs of people who spoke by phone or video (event_type 'call', never a meeting), one row per call.
CREATE OR REPLACE VIEW call_pairs AS
SELECT a.event_id, a.start_date, a.mode, a.figure_id AS figure_a, b.figure_id AS figure_b
FROM event_participants a
JOIN event_participants b ON a.event_id = b.event_id AND a.figure_id < b.figure_id
WHERE a.event_type = 'call';
