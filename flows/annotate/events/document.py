"""One document as event extraction reads it (`EventDoc`): its sentences, mentions by
sentence, keyword gates, the SCO summits its sentences name, the dates it reads others
against, and the candidates the rules emit. Built once per document, then handed to each
rule's extractor (no closure over a loop's variables)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flows.annotate.events.gates import has_sco, sentences_with
from flows.annotate.events.guards import after_publication
from flows.annotate.events.lists import uniq
from flows.annotate.events.patterns import GATES, MEMBERS_RX, SUMMIT_RX
from flows.annotate.events.places import sentence_place
from flows.annotate.events.reference import as_date, norm_places, norm_summits
from flows.annotate.events.roles import named_holders, role_figures
from flows.annotate.events.summit import anchor_summit, summit_ref
from flows.annotate.events.titles import short_name
from flows.core.dates import _text_order
from flows.core.text import keyword_view, sentence_at, sentence_spans
from schemas.tables import PLOVER

Span = tuple[int, int]


@dataclass
class Sentence:
    """One sentence and what the rules share about it. `figs_pos` (offset, figure id) may
    grow: the meeting rule adds "his Chinese counterpart", and the rules after it see that."""
    k: int
    sp: Span
    text: str
    mentions: list[dict]
    figs_pos: list[tuple[int, str]]
    summit_match: re.Match | None
    summit: dict | None
    place: str | None
    place_iso3: str | None

    @property
    def summit_pos(self) -> int | None:
        return self.summit_match.start() if self.summit_match else None


@dataclass
class EventDoc:
    text: str
    doc_id: Any
    pub: date | None
    title: str | None
    summits: list[dict]
    places: dict[str, dict]
    spans: list[Span]
    ments: list[dict] = field(default_factory=list)
    by_sent: dict[Span, list[dict]] = field(default_factory=dict)
    surfaces: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    fig_count: Counter = field(default_factory=Counter)
    # the summit pass: sentence -> (the match naming a summit, the summit row or None)
    summit_sents: dict[Span, tuple[re.Match | None, dict | None]] = field(default_factory=dict)
    doc_summit: dict | None = None
    report_of_day: bool = False
    ref: date | None = None
    week: tuple[date, date] | None = None
    story: date | None = None  # the latest day a sentence told an event on (dates.event_date)
    out: list[dict] = field(default_factory=list)
    _gates: dict[tuple[str, ...], set[int]] = field(default_factory=dict)
    _order: list[str] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def order(self) -> str:
        """The document's date habit for ambiguous numeric dates (`dates._text_order`),
        computed the first time `find_dates` meets one (rare): not for every document."""
        if not self._order:
            self._order.append(_text_order(self.text))
        return self._order[0]

    def gated(self, words: tuple[str, ...]) -> set[int]:
        """The sentences a keyword gate admits (see gates.py), computed once per gate."""
        if words not in self._gates:
            if not self._starts:
                self._starts = [a for a, _ in self.spans]
            self._gates[words] = sentences_with(self.text, self.spans, self._starts, words)
        return self._gates[words]

    @property
    def lead(self) -> set[Span]:
        """The lead of a report: what it says without a date is news of the day."""
        return set(self.spans[:3])

    def sentence(self, k: int) -> Sentence:
        sp = self.spans[k]
        sent = self.text[sp[0]:sp[1]]
        sm = self.by_sent.get(sp, [])
        match, summit = self.summit_sents.get(sp, (None, None))
        place, piso = sentence_place(self.places, sent, sm)
        figs_pos = [(mm["_s"], mm["entity_id"]) for mm in sm if mm["entity_type"] == "figure"]
        kw = keyword_view(sent)
        if any(w in kw for w in GATES["role"]):  # "the Chinese premier": the office holder of the day
            # a name the figure stage missed matters where fewer than two people are named
            missed = named_holders(sent, sm) if len({f for _, f in figs_pos}) < 2 else []
            for pos, fid, name in role_figures(sent, sm, self.pub or self.ref) + missed:
                figs_pos.append((pos, fid))
                self.names.setdefault(fid, short_name(fid, [name]))
            figs_pos.sort()
        return Sentence(k, sp, sent, sm, figs_pos, match, summit, place, piso)

    def emit(self, event_type: str, sp: Span | None, *, start=None, end=None, precision="unknown",
             place=None, place_iso3=None, figures=(), countries=(), organization=None,
             summit=None, evidence=None, mode=None) -> None:
        """Add a candidate (keys in the package docstring); `sp` None: the evidence is
        `evidence` (a title) with offsets -1."""
        if summit is None and after_publication(start, self.pub):
            return  # a report tells nothing after its own date (the SCO summit table's dates excepted)
        if sp is not None:
            ev, es, ee = self.text[sp[0]:sp[1]], sp[0], sp[1]
        else:
            ev, es, ee = evidence, -1, -1
        figs = sorted(uniq(figures))
        self.out.append({
            "event_type": event_type, "plover_type": PLOVER.get(event_type),
            "organization": organization, "start_date": start, "end_date": end or start,
            "date_precision": precision if start else "unknown", "place": place,
            "place_country_iso3": place_iso3, "figure_ids": figs,
            "country_iso3s": sorted(uniq(countries)), "doc_id": self.doc_id, "evidence": ev,
            "evidence_start": es, "evidence_end": ee, "summit_ref": summit_ref(summit),
            "names": {f: self.names.get(f, short_name(f, [])) for f in figs},
            "mode": mode,
        })


def read_document(doc: dict, mentions: list[dict], summits: Any, places: Any) -> EventDoc:
    """An EventDoc with its mentions placed in sentences and its summits found."""
    text: str = doc.get("text") or ""
    d = EventDoc(text=text, doc_id=doc.get("doc_id"), pub=as_date(doc.get("published_date")),
                 title=doc.get("title"), summits=norm_summits(summits), places=norm_places(places),
                 spans=sentence_spans(text))
    d.ments = sorted((dict(m) for m in mentions if m.get("doc_id") in (None, d.doc_id)),
                     key=lambda m: (m["start"], m["end"]))
    for m in d.ments:
        if m["entity_type"] == "figure":
            d.surfaces.setdefault(m["entity_id"], []).append(m["surface"])
        sp = sentence_at(d.spans, m["start"])
        if sp is not None:
            d.by_sent.setdefault(sp, []).append(dict(m, _s=m["start"] - sp[0], _e=m["end"] - sp[0]))
    d.names = {fid: short_name(fid, surf) for fid, surf in d.surfaces.items()}
    d.fig_count = Counter(m["entity_id"] for m in d.ments if m["entity_type"] == "figure")
    _find_summits(d)
    return d


def city_summit_pattern(cities: list[str]) -> re.Pattern:
    """"<summit city> summit" ("the Samarkand summit"), for the summits table's cities;
    gated, as SUMMIT_RX, by "summit"."""
    cities = sorted(set(cities), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cities) + r")(?:['’]s)?\s+summit\b", re.I)


def _city_summit_rx(d: EventDoc) -> re.Pattern | None:
    """"<summit city> summit", in a document that names the SCO."""
    cities = [s["city"] for s in d.summits if s["city"]]
    doc_has_sco = has_sco(d.text) or any(
        m["entity_type"] == "organization" and m["entity_id"] == "sco" for m in d.ments)
    return city_summit_pattern(cities) if cities and doc_has_sco else None


def _find_summits(d: EventDoc) -> None:
    """The summit pass: which sentences name a summit and which, the document's single
    anchored summit (its unanchored summit sentences take it unless they name another),
    and the dates the rest of the document is read against."""
    city_rx = _city_summit_rx(d)
    for k in sorted(d.gated(GATES["summit"])):
        sp = d.spans[k]
        sent = d.text[sp[0]:sp[1]]
        m = SUMMIT_RX.search(sent) or (city_rx.search(sent) if city_rx else None)
        if m:
            d.summit_sents[sp] = (m, anchor_summit(sent, d.by_sent.get(sp, []), d.summits, d.places,
                                                   d.pub, d.order))
    anchored = uniq(s["start_date"] for _, s in d.summit_sents.values() if s)
    if len(anchored) == 1:
        d.doc_summit = next(s for _, s in d.summit_sents.values() if s)
        for sp, (m, s) in list(d.summit_sents.items()):
            if s is None:  # fits the document's summit unless it names another city/ordinal
                other = anchor_summit(d.text[sp[0]:sp[1]], d.by_sent.get(sp, []), d.summits, d.places,
                                      None, d.order, require_constraint=True)
                if other is None or other is d.doc_summit:
                    d.summit_sents[sp] = (m, d.doc_summit)
    ds = d.doc_summit
    d.report_of_day = bool(ds and d.pub and ds["start_date"] - timedelta(days=3)
                           <= d.pub <= ds["end_date"] + timedelta(days=1))
    # A document without a publication date that reports one summit was written around
    # it: year-less dates ("in September last year") are read against the summit's first
    # day, and a weekday ("This Thursday") is the one within the summit's days (-3/+1).
    d.ref = d.pub or (ds["start_date"] if ds else None)
    d.week = ((ds["start_date"] - timedelta(days=3), ds["end_date"] + timedelta(days=1))
              if d.pub is None and ds else None)
    _find_member_meetings(d)


def _find_member_meetings(d: EventDoc) -> None:
    """"members of the organization in Dushanbe" with a date: a summit named by city AND date."""
    for k in sorted(d.gated(GATES["members"])):
        sp = d.spans[k]
        if sp in d.summit_sents:
            continue
        sent = d.text[sp[0]:sp[1]]
        m = MEMBERS_RX.search(sent)
        if m:
            s = anchor_summit(sent, d.by_sent.get(sp, []), d.summits, d.places, d.pub, d.order,
                              require_constraint=True, min_constraints=2, ref=d.ref)
            if s is not None:
                d.summit_sents[sp] = (m, s)
