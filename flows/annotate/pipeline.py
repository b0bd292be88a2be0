"""Annotate: per batch of canonical documents, everything with offsets into
`documents.text`: entity mentions (countries, organisations, places, people),
quantities, quotes and event candidates.

Only English documents are annotated: the gazetteers and patterns are English,
and a non-English document is kept and flagged by its `language`, not misread.
Duplicates are not annotated either: their canonical document carries the facts.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import pyarrow as pa

from flows.annotate.figures import FigureFinder
from flows.annotate import entities, events, quantities, quotes
from flows.core import gazetteer
from flows.core.gazetteer import fold
from flows.core.text import slugify
from schemas.generate import arrow_schema

ANNOTATED_LANGUAGES = {"en"}
# what an extractor's row gives each table: the table's columns but its doc_id (the schema's)
QUANTITY_COLUMNS = tuple(n for n in arrow_schema("quantities").names if n != "doc_id")
QUOTE_COLUMNS = tuple(n for n in arrow_schema("quotes").names if n != "doc_id")


# the annotations that are tables of the dataset (event candidates are merged by resolve)
ANNOTATION_TABLES = ("mentions", "quantities", "quotes")


@dataclass
class Annotations:
    mentions: list[dict] = field(default_factory=list)
    quantities: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    event_candidates: list[dict] = field(default_factory=list)

    def extend(self, other: "Annotations") -> None:
        self.mentions += other.mentions
        self.quantities += other.quantities
        self.quotes += other.quotes
        self.event_candidates += other.event_candidates

    def table(self, name: str) -> pa.Table:
        """One of ANNOTATION_TABLES as an Arrow table in its schema."""
        return pa.Table.from_pylist(getattr(self, name), schema=arrow_schema(name))


def should_annotate(doc: dict) -> bool:
    return doc.get("duplicate_of") is None and doc.get("language") in ANNOTATED_LANGUAGES


def annotate_document(doc: dict, gz: gazetteer.Gazetteer, finder: FigureFinder, summits, places) -> Annotations:
    text = doc["text"]
    folded = fold(text)
    ents = entities.find_entities(text, gz, folded)
    people = finder.find(text, authors={doc.get("author") or ""})
    # a place or organisation that covers a whole "person" is no person ("St Petersburg");
    # a person's name wins over an entity inside it ("Jordan" in "Michael Jordan")
    # (entities never overlap and come sorted by start, so the one starting last at or
    # before a person is the only one that can cover it or hold its start: a bisection)
    e_starts = [e["start"] for e in ents]
    people = [p for p in people if not _covered(p, ents, e_starts)]
    people = [_trim_person(p, _holding_start(p, ents, e_starts), text, finder) for p in people]
    ents = _not_overlapping(ents, [(p["start"], p["end"]) for p in people])
    mentions = sorted(ents + [{k: v for k, v in p.items() if k != "name"} for p in people], key=lambda m: m["start"])
    out = Annotations()
    for m in mentions:
        out.mentions.append({"doc_id": doc["doc_id"], **m})
    for q in quantities.extract_quantities(text):
        out.quantities.append({"doc_id": doc["doc_id"], **{k: q[k] for k in QUANTITY_COLUMNS}})
    rows, speakers = quotes.quotes_and_speakers(
        text, [m for m in mentions if m["entity_type"] == "figure"],
        [m for m in mentions if m["entity_type"] != "figure"], finder.link)
    for q in rows:
        out.quotes.append({"doc_id": doc["doc_id"], **{k: q[k] for k in QUOTE_COLUMNS}})
    if speakers:  # speakers the figure stage missed, named by their attribution clause
        out.mentions = _with_speakers(out.mentions, speakers, doc["doc_id"])
    title_doc = {k: doc.get(k) for k in ("doc_id", "text", "title", "published_date")}
    out.event_candidates = events.extract_event_candidates(title_doc, mentions, summits, places)
    return out


def _with_speakers(rows: list[dict], speakers: list[dict], doc_id: str) -> list[dict]:
    """The mention rows with the quotes' speakers added; a figure mention inside a
    speaker's longer name ("Austin" in "forward Jane Austin") gives way to it."""
    def inside(m: dict) -> bool:
        return m["entity_type"] == "figure" and any(
            s["start"] < m["end"] and m["start"] < s["end"] for s in speakers)
    kept = [m for m in rows if not inside(m)] + [{"doc_id": doc_id, **s} for s in speakers]
    return sorted(kept, key=lambda m: m["start"])


def _covered(p: dict, ents: list[dict], e_starts: list[int]) -> bool:
    """Some entity spans the whole person (`ents` disjoint, sorted by start)."""
    j = bisect_right(e_starts, p["start"]) - 1
    return j >= 0 and p["end"] <= ents[j]["end"]


def _holding_start(p: dict, ents: list[dict], e_starts: list[int]) -> list[dict]:
    """The entity (at most one, `ents` being disjoint) that starts before the person does
    and ends inside it, as _trim_person looks for; else none."""
    j = bisect_left(e_starts, p["start"]) - 1
    if j >= 0 and ents[j]["start"] < p["start"] < ents[j]["end"] < p["end"]:
        return [ents[j]]
    return []


def _not_overlapping(ents: list[dict], taken: list[tuple[int, int]]) -> list[dict]:
    """The entities that overlap none of the `taken` spans (which may overlap each other):
    with the spans sorted by start and the running maximum of their ends, a span that
    starts before the entity's end reaches into it iff that maximum passes its start."""
    taken = sorted(taken)
    starts = [s for s, _ in taken]
    reach, most = [], -1
    for _, e in taken:
        most = max(most, e)
        reach.append(most)
    out = []
    for e in ents:
        j = bisect_left(starts, e["end"]) - 1
        if not (j >= 0 and reach[j] > e["start"]):
            out.append(e)
    return out


def _trim_person(p: dict, ents: list[dict], text: str, finder: FigureFinder) -> dict:
    """A person whose span starts inside a country, organisation or place name loses that
    part: "President of the Swiss Confederation Ueli Maurer" -> "Ueli Maurer"."""
    for e in ents:
        if e["start"] < p["start"] < e["end"] < p["end"]:
            start = e["end"]
            while start < p["end"] and text[start].isspace():
                start += 1
            surface = text[start:p["end"]]
            if " " not in surface and p["method"] not in ("gazetteer",):
                return p
            fid = finder.link(surface) or (p["entity_id"] if p["method"] == "gazetteer" else slugify(surface))
            return {**p, "entity_id": fid, "surface": surface, "start": start, "name": surface}
    return p


def annotate_batch(docs: list[dict]) -> Annotations:
    gz = gazetteer.load()
    finder = FigureFinder(gz)
    ref = events.Reference(gazetteer.read_csv("sco_summits.csv"), gazetteer.read_csv("places.csv"))
    out = Annotations()
    for doc in docs:
        if should_annotate(doc):
            out.extend(annotate_document(doc, gz, finder, ref, ref))
    return out
