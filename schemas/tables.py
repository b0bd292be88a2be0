"""The dataset contract (../shared/DATASET.md) as pandera models: one per table.

These models, and the table registry that closes this file (per table: its model,
primary, sort and foreign keys, the function that makes it), are the single source
of truth. The Arrow schemas the writer uses, the DuckDB DDL in `sql/schema.sql`, the
data dictionary in `docs/` (`schemas/generate.py`; a test fails when a generated
file is stale) and a release's Frictionless and Croissant metadata are all made
from them.

Each field carries `metadata={"arrow": ...}`: the Arrow type it is written as.
Columns beyond the contract are marked `extra` in their description.
"""
from __future__ import annotations

import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from schemas.registry import ForeignKey, Table

Date = pandas_engine.Date

ENTITY_TYPES = ["country", "figure", "organization", "place"]
EVENT_TYPES = [
    "summit", "bilateral_meeting", "multilateral_meeting", "ministerial_meeting",
    "visit", "call", "accession", "agreement", "statement", "other",
]
# how an event took place, where the text says (the `mode` column); a call is never in person
EVENT_MODES = ["in_person", "phone", "video"]
# event_type -> its PLOVER event type, where one fits (the `plover_type` column)
PLOVER = {
    "summit": "CONSULT", "bilateral_meeting": "CONSULT", "multilateral_meeting": "CONSULT",
    "ministerial_meeting": "CONSULT", "visit": "CONSULT", "call": "CONSULT", "agreement": "AGREE",
    "accession": "COOPERATE", "statement": None, "other": None,
}
SCO_STATUSES = ["member", "observer", "dialogue_partner", "none"]
DUPLICATE_KINDS = ["exact", "near", "update"]
DATE_SOURCES = ["explicit", "inferred", "none"]
LICENCES = ["CC-BY-4.0", "public-domain", "unknown"]
DATE_PRECISIONS = ["day", "month", "year", "unknown"]
ISO3 = r"^[A-Z]{3}$"
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def col(arrow: str, description: str, **kw):
    """A pandera Field that also records the column's Arrow type and description."""
    return pa.Field(description=description, metadata={"arrow": arrow}, **kw)


def _all_str_lists(series) -> bool:
    return all(
        hasattr(v, "__iter__") and not isinstance(v, str) and all(isinstance(x, str) for x in v)
        for v in series
    )


def _no_duplicates_in_lists(series) -> bool:
    return all(len(set(v)) == len(v) for v in series)


class _Base(pa.DataFrameModel):
    class Config:
        strict = True  # no column outside the model reaches a release
        coerce = False


class Documents(_Base):
    """One row per document. A file holding several documents (a forum thread, a
    JSON-lines collection) gives one row per document inside it."""

    doc_id: Series[str] = col("string", "Stable ID derived from source_uri (sha256, 16 hex)", unique=True, str_matches=r"^d-[0-9a-f]{16}$")
    source_uri: Series[str] = col("string", "Input path relative to the input root, or its URL; '#fragment' names a part of a multi-document input", unique=True)
    parent_uri: Series[str] = col("string", "The input that held this document, when split", nullable=True)
    url: Series[str] = col("string", "Original article URL when the text or record names it", nullable=True)
    source_name: Series[str] = col("string", "Outlet or site (TASS, RT, a forum's name)", nullable=True)
    title: Series[str] = col("string", "Title or headline", nullable=True)
    author: Series[str] = col("string", "A post's author or an article's byline", nullable=True)
    published_date: Series[Date] = col("date32", "Publication date", nullable=True)
    published_date_source: Series[str] = col("string", "explicit, inferred or none", isin=DATE_SOURCES)
    language: Series[str] = col("string", "ISO 639-1 code, detected; null when it cannot be told", str_matches=r"^[a-z]{2}$", nullable=True)
    text: Series[str] = col("string", "Cleaned text: no site chrome, prompts, share buttons, profile lines or repeated paragraphs")
    n_words: Series["int32"] = col("int32", "Words in text", ge=0)
    content_sha256: Series[str] = col("string", "sha256 of text", str_matches=r"^[0-9a-f]{64}$")
    duplicate_of: Series[str] = col("string", "doc_id of the canonical document when this one is an exact or near duplicate", nullable=True)
    duplicate_kind: Series[str] = col("string", "exact (the same body text, whatever the headline), near (the same article lightly edited or republished) or update (the same article rewritten with a new lede or headline, or the same page under another URL); null for a canonical document", nullable=True, isin=DUPLICATE_KINDS)
    duplicate_similarity: Series[float] = col("float64", "extra: estimated similarity to the canonical document (Jaccard of word 3-gram sets, by MinHash; 1 for exact); null for a canonical document", nullable=True, ge=0, le=1)
    post_number: Series["Int32"] = col("int32", "extra: a forum post's number", nullable=True)
    source_format: Series[str] = col("string", "extra: txt, html, jsonl or csv", isin=["txt", "html", "jsonl", "csv"])
    licence: Series[str] = col("string", "extra: licence of the text, from the source (CC-BY-4.0 for kremlin.ru, public-domain for whitehouse.gov, else unknown)", isin=LICENCES)

    @pa.dataframe_check(error="duplicate_kind and duplicate_similarity are set exactly when duplicate_of is")
    def duplicate_kind_with_duplicate_of(cls, df) -> bool:
        of = df["duplicate_of"].isna()
        return bool((of == df["duplicate_kind"].isna()).all() and (of == df["duplicate_similarity"].isna()).all())

    @pa.dataframe_check(error="duplicate_of must name another, canonical document")
    def duplicates_point_at_canonical(cls, df) -> bool:
        dup = df["duplicate_of"].dropna()
        canonical = set(df.loc[df["duplicate_of"].isna(), "doc_id"])
        return bool(dup.isin(canonical).all()) and not bool((df["duplicate_of"] == df["doc_id"]).any())


class Countries(_Base):
    """One row per country mentioned, or holding an SCO status."""

    iso3: Series[str] = col("string", "ISO 3166-1 alpha-3", unique=True, str_matches=ISO3)
    iso2: Series[str] = col("string", "ISO 3166-1 alpha-2", str_matches=r"^[A-Z]{2}$")
    name: Series[str] = col("string", "English short name")
    sco_status: Series[str] = col("string", "member, observer, dialogue_partner or none, as of the build date", isin=SCO_STATUSES)
    sco_status_since: Series[Date] = col("date32", "Start of the current SCO status", nullable=True)
    sco_status_since_precision: Series[str] = col("string", "extra: day or year (a year is stored as 1 January)", nullable=True, isin=["day", "year"])
    wikidata_id: Series[str] = col("string", "extra: Wikidata QID from the country-codes extract", nullable=True, str_matches=r"^Q[0-9]+$")
    n_documents: Series["int32"] = col("int32", "Canonical documents mentioning it", ge=0)
    n_mentions: Series["int32"] = col("int32", "Mentions in canonical documents", ge=0)


class Figures(_Base):
    """One row per person named in the corpus."""

    figure_id: Series[str] = col("string", "Slug of the canonical name (vladimir-putin), stable across runs", unique=True, str_matches=SLUG)
    name: Series[str] = col("string", "Canonical name in its common English spelling")
    aliases: Series[object] = col("list<string>", "Every other form seen or known")
    wikidata_id: Series[str] = col("string", "Only where checked against a real Wikidata extract", nullable=True)
    country_iso3: Series[str] = col("string", "The country the person serves or belongs to", nullable=True, str_matches=ISO3)
    role: Series[str] = col("string", "e.g. President of Russia, as of the mentions", nullable=True)
    in_reference: Series[bool] = col("bool", "extra: true when the person is in seeds/reference/figures.csv")
    n_documents: Series["int32"] = col("int32", "Canonical documents mentioning the person", ge=0)
    n_mentions: Series["int32"] = col("int32", "Mentions in canonical documents", ge=0)

    @pa.check("aliases", element_wise=False, error="aliases must be lists of strings")
    def aliases_are_str_lists(cls, s) -> bool:
        return _all_str_lists(s)


class Events(_Base):
    """One row per real-world event, however many documents report it."""

    event_id: Series[str] = col("string", "Stable: derived from type, start date, place and participants", unique=True, str_matches=r"^ev-[0-9a-f]{16}$")
    event_type: Series[str] = col("string", "summit, bilateral_meeting, multilateral_meeting, ministerial_meeting, visit, call, accession, agreement, statement or other; a call is a phone or video conversation between leaders or ministers, never typed as a meeting", isin=EVENT_TYPES)
    mode: Series[str] = col("string", "in_person, phone or video where the text says", nullable=True, isin=EVENT_MODES)
    plover_type: Series[str] = col("string", "PLOVER event type where one fits", nullable=True)
    title: Series[str] = col("string", "Short and readable")
    start_date: Series[Date] = col("date32", "First day", nullable=True)
    end_date: Series[Date] = col("date32", "Last day", nullable=True)
    date_precision: Series[str] = col("string", "day, month, year or unknown", isin=DATE_PRECISIONS)
    place: Series[str] = col("string", "City", nullable=True)
    place_country_iso3: Series[str] = col("string", "Country of the place", nullable=True, str_matches=ISO3)
    organization: Series[str] = col("string", "e.g. SCO for its summits and meetings", nullable=True)
    figure_ids: Series[object] = col("list<string>", "Participants, as figures.figure_id")
    country_iso3s: Series[object] = col("list<string>", "Participating states")
    doc_ids: Series[object] = col("list<string>", "Every canonical document that reports it")
    n_sources: Series["int32"] = col("int32", "len(doc_ids)", ge=1)
    evidence: Series[str] = col("string", "One sentence that states the event, from one of its documents")
    evidence_doc_id: Series[str] = col("string", "extra: the document the evidence sentence is from")
    evidence_start: Series["Int32"] = col("int32", "extra: offset of the evidence sentence in that document's text; null when the evidence is the document's title", ge=0, nullable=True)
    evidence_end: Series["Int32"] = col("int32", "extra: end offset of the evidence sentence; null when the evidence is the title", ge=0, nullable=True)
    confidence: Series[float] = col("float64", "0..1, grows with agreeing sources", in_range={"min_value": 0.0, "max_value": 1.0})

    @pa.check("figure_ids", "country_iso3s", "doc_ids", element_wise=False, error="must be lists of unique strings")
    def lists_of_unique_str(cls, s) -> bool:
        return _all_str_lists(s) and _no_duplicates_in_lists(s)

    @pa.dataframe_check(error="n_sources must equal len(doc_ids)")
    def n_sources_matches(cls, df) -> bool:
        return bool((df["doc_ids"].map(len) == df["n_sources"]).all())

    @pa.dataframe_check(error="end_date must not precede start_date")
    def dates_ordered(cls, df) -> bool:
        both = df.dropna(subset=["start_date", "end_date"])
        return bool((both["end_date"] >= both["start_date"]).all())

    @pa.dataframe_check(error="a call is by phone or video (or its mode unknown), and only a call is by phone")
    def calls_are_remote(cls, df) -> bool:
        call = df["event_type"] == "call"
        return bool((~call | df["mode"].isna() | df["mode"].isin(["phone", "video"])).all()
                    and (call | (df["mode"] != "phone")).all())


class _Span(_Base):
    doc_id: Series[str] = col("string", "The document", str_matches=r"^d-[0-9a-f]{16}$")
    start: Series["int32"] = col("int32", "Character offset into documents.text", ge=0)
    end: Series["int32"] = col("int32", "End offset: text[start:end] is the span", ge=0)

    @pa.dataframe_check(error="end must follow start")
    def span_ordered(cls, df) -> bool:
        return bool((df["end"] > df["start"]).all())


class Mentions(_Span):
    """Where each entity is named."""

    entity_type: Series[str] = col("string", "country, figure, organization or place", isin=ENTITY_TYPES)
    entity_id: Series[str] = col("string", "iso3, figure_id, or a slug for organizations and places")
    surface: Series[str] = col("string", "The text as it stands in documents.text")
    method: Series[str] = col("string", "extra: how it was found (gazetteer, demonym, capital, title, speech, surname ...)")


class Quantities(_Span):
    """Numbers stated in the text."""

    value: Series[float] = col("float64", "In base units: $263 billion is 263e9")
    unit: Series[str] = col("string", "ISO 4217 for money, else percent, km, t, count ...")
    kind: Series[str] = col("string", "extra: money, percent, measure or count", isin=["money", "percent", "measure", "count"])
    surface: Series[str] = col("string", "As it stands in the text")
    context: Series[str] = col("string", "The sentence it stands in")


class Quotes(_Span):
    """What people said, with its speaker: direct quotes, mixed and reported speech."""

    figure_id: Series[str] = col("string", "The speaker; null when the text does not say who", nullable=True)
    text: Series[str] = col("string", "The quoted words, without the quotation marks; for reported speech, the reported content (`that ...` clause)")
    kind: Series[str] = col("string", "direct (all in quotation marks), mixed (partly quoted) or indirect (reported speech: \"X said that ...\")",
                            isin=["direct", "mixed", "indirect"])
    speaker: Series[str] = col("string", "extra: the speaker as the text names it (a person's fullest form, or an organisation: \"the Kremlin\"); null when none", nullable=True)
    speaker_kind: Series[str] = col("string", "extra: person or organization; null when no speaker", nullable=True,
                                    isin=["person", "organization"])
    verb: Series[str] = col("string", "said, told, stressed, noted ...", nullable=True)
    context: Series[str] = col("string", "The sentence or paragraph around it")


class Rejects(_Base):
    """Every input the pipeline could not use."""

    source_uri: Series[str] = col("string", "The input, with #line-N for one line of a multi-record file")
    reason: Series[str] = col("string", "Short and specific: empty, binary content (image/png), invalid JSON at line 2 ...")
    detail: Series[str] = col("string", "More detail", nullable=True)
    seen_at: Series[pandas_engine.DateTime(unit="us", tz="UTC")] = col("timestamp[us, tz=UTC]", "When the build saw it (UTC)")


# ---------------------------------------------------------------- the table registry

# One entry per table, in the order the dataset contract lists them (schemas/registry.py
# says what each field means). Rows of each table are written in its sort key's order,
# so two builds give identical files.
_DOC = ForeignKey("doc_id", "documents", "doc_id")
REGISTRY: dict[str, Table] = {t.name: t for t in (
    Table(
        "documents", Documents, sort_key=("doc_id",), primary_key=("doc_id",),
        foreign_keys=(ForeignKey("duplicate_of", "documents", "doc_id"),),
        made_by="flows.clean.document.clean_record",
        also_by=("flows.ingest.readers.read_input", "flows.dedup.duplicate_columns"),
        across_rows=(("duplicates_point_at_canonical",), ("doc_id", "duplicate_of")),
        how="Read from the inputs (plain text, HTML main text via trafilatura, JSON lines, CSV), decoded, "
            "cleaned (Unicode repair, site chrome and repeated paragraphs removed, forum threads split into "
            "posts), then flagged as exact, near or update duplicates (MinHash LSH over the body, with guards "
            "against template look-alikes); duplicates are kept and point at their canonical document.",
    ),
    Table(
        "countries", Countries, sort_key=("iso3",), primary_key=("iso3",),
        made_by="flows.resolve.countries_table",
        also_by=("flows.annotate.entities.find_entities", "flows.resolve.sco_status"),
        how="Every country named in a canonical document (by name, alias, demonym or capital standing for "
            "its government), or holding an SCO status; the status is read from the SCO membership periods "
            "(seeds/reference, derived from Wikipedia, CC BY-SA 4.0) as of the build date.",
    ),
    Table(
        "figures", Figures, sort_key=("figure_id",), primary_key=("figure_id",),
        made_by="flows.resolve.figures_table",
        also_by=("flows.annotate.figures.FigureFinder.find", "flows.resolve.figure_merge_map"),
        how="People found by evidence (a known figure from seeds/reference/figures.csv, a title or role next to "
            "a name, a speech verb after it), merged across spellings with a transliteration-aware key.",
    ),
    Table(
        "events", Events, sort_key=("event_id",), primary_key=("event_id",),
        foreign_keys=(ForeignKey("evidence_doc_id", "documents", "doc_id"),),
        made_by="flows.annotate.events.merge_events",
        also_by=("flows.annotate.events.extract_event_candidates",),
        plover=PLOVER,
        how="Event candidates (summits, meetings, visits, accessions, agreements, statements) found per sentence, "
            "merged across documents by type, date, place and participants; PLOVER types where one fits.",
    ),
    Table(
        "mentions", Mentions, sort_key=("doc_id", "start", "end", "entity_type", "entity_id"),
        foreign_keys=(_DOC,),
        made_by="flows.annotate.pipeline.annotate_document",
        also_by=("flows.annotate.entities.find_entities", "flows.annotate.figures.FigureFinder.find",
                 "flows.resolve.resolve"),
        how="Every place a country, figure, organisation or place is named: gazetteer matches (Aho-Corasick), "
            "demonyms, capitals, titles, speech verbs, surnames linked to full names.",
    ),
    Table(
        "quantities", Quantities, sort_key=("doc_id", "start", "end"),
        foreign_keys=(_DOC,),
        made_by="flows.annotate.quantities.extract_quantities",
        also_by=("flows.annotate.pipeline.annotate_document",),
        how="Numbers stated in the text (money, percentages, measures, counts), normalised to base units.",
    ),
    Table(
        "quotes", Quotes, sort_key=("doc_id", "start", "end"),
        foreign_keys=(_DOC, ForeignKey("figure_id", "figures", "figure_id")),
        made_by="flows.annotate.quotes.extract_quotes",
        also_by=("flows.annotate.pipeline.annotate_document", "flows.resolve.resolve"),
        how="Direct speech between quotation marks, with its speech verb and speaker where the text names one.",
    ),
    Table(
        "rejects", Rejects, sort_key=("source_uri", "reason"),
        made_by="flows.ingest.readers.read_input",
        also_by=("flows.clean.document.clean_record", "flows.build.build_dataset"),
        how="Every input the pipeline could not use, with the reason.",
    ),
)}

# The registry as the plain maps the rest of the code reads.
# Table name -> model.
TABLES: dict[str, type[_Base]] = {name: t.model for name, t in REGISTRY.items()}
# Table name -> the columns its rows are sorted by.
SORT_KEYS: dict[str, list[str]] = {name: list(t.sort_key) for name, t in REGISTRY.items()}
# Table name -> (dataframe checks across rows, the columns they read): see Table.across_rows.
ACROSS_ROWS: dict[str, tuple[list[str], list[str]]] = {
    name: (list(t.across_rows[0]), list(t.across_rows[1])) for name, t in REGISTRY.items() if t.across_rows
}
