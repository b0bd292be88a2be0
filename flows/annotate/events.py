"""Diplomatic events from news text: sentence-level candidates, then a cross-document merge.

`extract_event_candidates(doc, mentions, summits, places)` reads one document and
returns candidate dicts with these keys:

    event_type, plover_type, organization, start_date, end_date, date_precision,
    place, place_country_iso3, figure_ids, country_iso3s, doc_id, evidence,
    evidence_start, evidence_end,
    summit_ref     (council, seq) of the SCO summit the sentence is anchored to, or None
    names          {figure_id: short display name seen in the text} (for titles)

`evidence == doc["text"][evidence_start:evidence_end]` always (for a title event whose
title is not part of the text, the evidence is the title and the offsets are -1).

`merge_events(candidates)` fuses candidates from all documents into rows of the
`events` contract table (DATASET.md), sorted by (start_date, event_id).

PLOVER mapping (event_type -> plover_type):
    summit, bilateral_meeting, multilateral_meeting, ministerial_meeting, visit -> CONSULT
    agreement -> AGREE;  accession -> COOPERATE;  statement, other -> None

Patterns (one sentence at a time, on `flows.text.sentence_spans`):
* summit: "SCO summit", "the 23rd SCO summit", "summit of the (heads of state of
  the) Shanghai Cooperation Organization", "virtual summit of the SCO", "SCO
  Heads of State Council", "<summit city> summit" in a document that names the SCO.
  It is anchored to one row of `summits` by, in order: ordinal (seq), a year before
  "summit" ("the 2023 summit"), the dates in the sentence, a summit city named in the
  sentence, a host country after "in/at", "virtual"; a filter that would leave no
  summit is ignored for city/country/virtual (they may name something else).  Several
  summits left: the latest one starting no more than 61 days after publication.
  No constraint at all: anchored only when publication falls within the summit's
  days (−3/+2 days, "report of the day").  Otherwise, the document's single anchored
  summit is used when it fits.  Unanchored summits are not events.  The city test runs on
  folded text ("Dushanbé") with the SCO's own names masked ("Shanghai Cooperation
  Organization" names no summit in Shanghai).  A sentence naming no summit but "members /
  leaders of the SCO (organization) ... in <summit city>" anchors a summit only when city
  AND date agree ("in September last year, members of the organization in Dushanbe").
  A virtual summit without a city in the table takes the city of its sentence when it is
  in the host country ("held virtually in New Delhi").
* meetings: "met (with)", "meet with", "held talks", "talks with/between", "a meeting
  with/between", "bilateral meeting/talks/conversation"; "trilateral/multilateral"
  -> multilateral_meeting.  Participants: figure mentions of the sentence (at least
  two; "A also met with B, C and D" gives one bilateral per object); "his <Demonym>
  counterpart" with no name is the document's most mentioned figure of that country;
  "He also met with X" / "his meeting with X" takes the first figure of the nearest of the
  two sentences before.  Else countries, only where the grammar makes them participants:
  "Russian and Chinese presidents", "Russian-Chinese talks", "between (the leaders of)
  China and Russia", "the presidents of Russia and China", "China and Russia held talks",
  "talks with Kiev", "Mongolia's leader" — never a country that only stands in the
  sentence ("the Russian invasion of Ukraine").  Not a meeting of the document: a meeting
  told as background ("had met", "last met", "met before") or still to come ("will meet",
  "to hold talks"); a date after "after/since/before the talks ..." in the same clause is
  the earlier event's, not the meeting's ("comes after the talks held in February").
* title events: a Kremlin-style title "Meeting with President of Kazakhstan ...",
  "Talks with ...", "Russian-Uzbekistani talks took place": the title's figure (or
  countries, also by the gazetteer's country names) plus the host: the most mentioned
  other figure among those who meet the title's figure in a lead sentence (the first
  three), else stand beside it there, else are in the lead, else on the page; date =
  publication.  Evidence: the lead sentence that tells the meeting, else the title
  (offsets -1 -> null in the table).
* ministerial_meeting: "a meeting of (the) SCO defence/foreign/... ministers".
* accession: "welcomed/admitted/embraced ... as a (permanent) member", "join(s|ed) the
  SCO", "became (permanent) members", "accession/admission" — except in sentences
  about plans or processes (will, should, needs to, applied, expects, process ...).
* agreement: "signed a declaration/agreement/treaty/memorandum/..."
* visit: "<figure> visited <country/place>", "paid a ... visit to".

Dates: `find_dates` on the sentence (publication date anchors "today", weekdays).
Dates that belong to the summit phrase (after "summit" and inside the summit's days)
are not the meeting's date.  A meeting/agreement with no date of its own takes, when
it is "on the sidelines" of an anchored summit, the publication date if that falls
within the summit's days, else the summit's first day; without any summit in the
sentence it takes the publication date when the document is a report of the day of
its single anchored summit, or (meetings) when the sentence is in the lead of a dated
report (its first three sentences: "Vladimir Putin met with ...").  A document with no
publication date but one anchored summit reads year-less dates against the summit's
first day and a weekday ("This Thursday") as the one within the summit's days
(−3/+1).  Still undated -> dropped (except ministerial
meetings with a known place, kept with precision 'unknown').

Merge: two candidates belong to one event when they have the same event_type;
overlapping dates with one day's slack (or one undated but both anchored to the same
summit); the same place or either place None; and matching participants: summits
and ministerial meetings the same organization (and summit_ref when both have one);
meetings the same set of figures when both name at least two, else (figure sets not
contradicting: one within the other) the same set of at least two states, a figure
standing for the country it serves (seeds/reference/figures.csv), so "the leaders of
China and Russia" merges with the Putin–Xi meeting; accession/agreement/visit overlapping figures or countries.
Clustering is complete-linkage over candidates sorted by a total key, so the output
does not depend on input order.

event_id = "ev-" + sha256(f"{event_type}|{start_date or ''}|{place or ''}|{parts}")
.hexdigest()[:16], with start_date ISO and parts = ",".join(sorted(participants)),
participants being [organization] for summit and ministerial_meeting (so a summit's
id does not change when a new report names one more leader), else figure_ids when the
merged event has at least two, else figure_ids + country_iso3s; computed after the
merge from the merged values.

Merged meetings list, in country_iso3s, the states of their figures too.

confidence = min(1, P[precision] + 0.1 * min(n_sources - 1, 3) + 0.1 * (place is
known)), P = {day: 0.6, month: 0.45, year: 0.3, unknown: 0.15}, rounded to 3 places.
"""
from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_right
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable

from flows.core import gazetteer
from flows.core.dates import _text_order, find_dates
from flows.core.gazetteer import fold, surname_of
from flows.core.text import (
    keyword_positions,
    keyword_view,
    register_keywords,
    sentence_at,
    sentence_spans,
    slugify,
)
from schemas.tables import PLOVER, Events

__all__ = ["extract_event_candidates", "merge_events", "PLOVER", "EVENT_COLUMNS"]

# the columns of the `events` table, in the order of its pandera model
EVENT_COLUMNS = list(Events.to_schema().columns)
_PREC_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}
_PREC_BASE = {"day": 0.6, "month": 0.45, "year": 0.3, "unknown": 0.15}

# Demonyms ("Russian-Uzbekistani talks") and country names come from the
# reference tables (seeds/reference/countries.csv), never from literals here.
_GZ = gazetteer.load()
_DEMONYMS = dict(_GZ.demonyms)  # folded demonym -> iso3
_COUNTRY_NAMES = {iso3: r["name"] for iso3, r in _GZ.countries.items()}
_DEMONYM_ALT = "|".join(re.escape(d) for d in sorted(_DEMONYMS, key=len, reverse=True))

_SCO = r"(?:\bSCO\b|Shanghai\s+Cooperation\s+Organi[sz]ation(?:\s*\(SCO\))?)"
_SUMMIT_RX = re.compile(
    _SCO + r"(?:['’]s)?\s+(?:(?:heads?\s+of\s+(?:state|government)|leaders['’]?|virtual|annual|"
    r"\d+(?:st|nd|rd|th)|anniversary|jubilee)\s+)*summit\b"
    r"|\bsummit\s+(?:of|for)\s+(?:the\s+)?(?:heads?\s+of\s+(?:state|government)\s+of\s+the\s+)?"
    + _SCO +
    r"|Council\s+of\s+(?:the\s+)?Heads\s+of\s+(?:State|Government)\s+of\s+the\s+" + _SCO +
    r"|\bSCO\s+Heads\s+of\s+(?:State|Government)\s+Council\b", re.I)
_HAS_SCO = re.compile(_SCO, re.I)
_SCO_NAME_RX = re.compile(r"shanghai\s+(?:cooperation\s+organi[sz]ation|five|spirit|convention)", re.I)
# a sentence that names no summit but a meeting of the SCO's members in a summit city:
# "members of the organization in Dushanbe ... decided" (anchored only by city AND date)
_MEMBERS_RX = re.compile(
    r"\b(?:members|member\s+states|leaders|heads\s+of\s+state)\s+of\s+(?:the\s+)?"
    r"(?:SCO\b|Shanghai\s+Cooperation\s+Organi[sz]ation|organi[sz]ation\b)", re.I)
_ORDINAL_RX = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)\s+(?:SCO\s+|Shanghai\s+Cooperation\s+Organi[sz]ation\s+)?"
    r"(?:summit|meeting\s+of\s+the\s+(?:SCO\s+)?(?:Council\s+of\s+)?heads)", re.I)
_YEAR_SUMMIT_RX = re.compile(r"\b((?:19|20)\d{2})\s+(?:SCO\s+)?summit", re.I)
_VIRTUAL_RX = re.compile(r"\bvirtual(?:ly)?\b|video\s*link|videoconference|\bonline\s+summit", re.I)
_GOV_RX = re.compile(r"heads?\s+of\s+government|prime\s+ministers", re.I)
_THIS_YEAR_SUMMIT_RX = re.compile(r"\bthis\s+year['’]s\b[^.]{0,80}summit", re.I)

_MEET_RX = re.compile(
    r"\b(?:(?:also\s+)?(?:met|meets|meet)(?:\s+with)?|held\s+talks|hold\s+talks|"
    r"(?:bilateral|trilateral|multilateral|quadrilateral)\s+(?:meeting|talks|conversation)"
    r"(?:\s+(?:with|between))?|talks\s+(?:(?:in|at)\s+[A-Z][\w’'-]+\s+)?(?:with|between)|"
    r"(?:a|the|his|her|their)\s+meeting\s+"
    r"(?:with|between)|meeting\s+held\s+by)\b", re.I)
# a meeting told as background: "had met before", "last met in Beijing in early February"
_BACKGROUND_MEET_RX = re.compile(
    r"\bhad\s+(?:already\s+|previously\s+|also\s+|first\s+|last\s+)?(?:met|held\s+talks|talked)\b"
    r"|\b(?:last|previously|first)\s+met\b|\bmet\s+(?:before|previously)\b", re.I)
# a meeting still to come: "will meet", "is to hold talks", "expected to meet"
_FUTURE_MEET_RX = re.compile(
    r"\b(?:will|would|shall|to|plans?\s+to|expected\s+to|going\s+to)\s+(?:also\s+)?"
    r"(?:meet|hold\s+(?:talks|a\s+meeting))\b", re.I)
# a date inside "after/since/before the talks ... in February" belongs to that earlier event
_BACKGROUND_DATE_RX = re.compile(
    r"\b(?:after|since|before|following|previous\s+to|prior\s+to)\s+(?:the|their|a|his|her|its)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:talks|meetings?|summit|visit|conversation|contacts?)\b", re.I)
_WEEKDAY_RX = re.compile(r"(?:(?:this|on|on\s+this)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                         r"Saturday|Sunday)", re.I)
_COUNTERPART_RX = re.compile(r"\b(?:his|her|their)\s+(" + _DEMONYM_ALT + r")\s+counterparts?\b", re.I)
_PRONOUN_RX = re.compile(r"(?:^\s*|\b)(?:he|she)\b(?!.*\b(?:he|she)\b)|\b(?:his|her)\s*$", re.I)
# between the countries of a list: ", ", " and ", "the"
_LIST_GAP_RX = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)?(?:the\s+)?", re.I)
_COUNTRY_LIST_LEAD_RX = re.compile(
    r"\bbetween\s+(?:the\s+)?(?:(?:leaders|presidents|heads\s+of\s+state|heads|prime\s+ministers|"
    r"delegations|governments)\s+of\s+(?:the\s+)?)?"
    r"|\b(?:leaders|presidents|heads\s+of\s+state|heads\s+of\s+government|prime\s+ministers|"
    r"delegations)\s+of\s+(?:the\s+)?", re.I)
_ROLE_AFTER_RX = re.compile(r"['’]s?\s+(?:leader|president|prime\s+minister|head\s+of\s+state|premier|"
                            r"king|emir)\b", re.I)
_MULTI_RX = re.compile(r"\b(?:trilateral|multilateral|quadrilateral|three-way|four-way)\b", re.I)
_MINISTERIAL_RX = re.compile(
    r"\bmeeting\s+of\s+(?:the\s+)?" + _SCO + r"\s+(?:(?:defen[cs]e|foreign|foreign\s+affairs|"
    r"interior|economy|economic|trade|energy|finance|transport|agriculture|health|education|"
    r"culture|justice|emergency)\s+)?ministers\b"
    r"|\b" + _SCO + r"\s+(?:defen[cs]e|foreign|interior|trade|energy|finance)\s+ministers['’]?\s+"
    r"(?:meeting|council)", re.I)
_ACCESSION_AFTER_RX = re.compile(  # the new member comes after the trigger
    r"\b(?:welcomed|admitted|embraced|accepted|admit)\b(?=[^.]{0,200}\bmember)"
    r"|\b(?:accession|admission)\s+of\b", re.I)
_ACCESSION_BEFORE_RX = re.compile(  # the new member comes before the trigger
    r"\b(?:joins|joined|join)\s+(?:the\s+)?" + _SCO +
    r"|\bbec(?:a|o)me\s+(?:a\s+|the\s+)?(?:full(?:-fledged)?\s+|permanent\s+)?members?\b"
    r"|['’]s\s+(?:accession|admission)\b", re.I)
_NOT_DONE_RX = re.compile(
    r"\b(?:will|would|should|shall|could|may|might|needs?\s+to|expects?|expected|poised|"
    r"bound\s+to|applied|applies|application|candidacy|candidate|process|procedure|speed\s+up|"
    r"depends?|soon|hopes?|plans?|intends?|wants?|aims?|doing\s+everything|green\s*light|"
    r"decided\s+to)\b", re.I)
_AGREEMENT_RX = re.compile(
    r"\bsign(?:ed|s)?\s+(?:with\s+[^,.]{1,40}?\s+)?(?:a|an|the|\d+)\s+(?:[\w“”\"'’-]+\s+){0,3}?"
    r"(?:declaration|agreement|treaty|memorandum|communiqu[eé]|joint\s+statement|accord|"
    r"documents?|contract|roadmap|road\s+map)\b", re.I)
_VISIT_RX = re.compile(r"\b(?:visited|visits|paid\s+an?\s+(?:\w+\s+){0,2}visit\s+to|arrived\s+in)\b",
                       re.I)
_LOCATIVE_RX = re.compile(r"\b(?:in|at|to|from|into|near|via)\s+(?:the\s+)?$", re.I)
_FROM_RX = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)

# Cheap pre-tests on a sentence's `keyword_view` (lower case): each pattern below cannot
# match a sentence that holds none of its words, so most sentences skip the regex scans
# (they were half of event extraction's time). Keep them in step with the patterns.
_SUMMIT_WORDS = ("summit", "council")                          # _SUMMIT_RX, city summits
_SCO_WORDS = ("sco", "shanghai")                               # _HAS_SCO
_PAIR_WORDS = ("presidents", "leaders", "heads", "talks", "ministers")  # _ADJ_PAIR_RX's lookahead
_MEMBERS_WORDS = ("sco", "organi")                             # _MEMBERS_RX
_MEET_WORDS = ("met", "meet", "talks", "conversation")         # _MEET_RX
_MINISTERIAL_WORDS = ("ministers",)                            # _MINISTERIAL_RX
_ACCESSION_WORDS = ("welcomed", "admi", "embraced", "accepted", "accession", "join",
                    "became", "become")                        # _ACCESSION_AFTER_RX, _BEFORE_RX
_AGREEMENT_WORDS = ("sign",)                                   # _AGREEMENT_RX
_VISIT_WORDS = ("visit", "arrived")                            # _VISIT_RX


def _adj_pairs(s: str):
    """`_ADJ_PAIR_RX.finditer(s)`; none when `s` lacks every word its lookahead needs
    (the pattern is a long alternation of demonyms: slow to scan)."""
    kw = keyword_view(s)
    if not any(w in kw for w in _PAIR_WORDS):
        return ()
    return _ADJ_PAIR_RX.finditer(s)


# the words of the document-wide pre-tests, found in one pass (flows.text.keyword_positions)
register_keywords(_SUMMIT_WORDS + _SCO_WORDS + _MEMBERS_WORDS + _MEET_WORDS + _MINISTERIAL_WORDS
                  + _ACCESSION_WORDS + _AGREEMENT_WORDS + _VISIT_WORDS)


def _has_sco(text: str) -> bool:
    """`_HAS_SCO.search(text)`, tried only where the document has "sco" or "shanghai" (a
    match starts at one of them): a whole-document scan was a third of event extraction."""
    hits = keyword_positions(text)
    if hits is None:  # the keyword view's offsets are not the text's
        return bool(_HAS_SCO.search(text))
    for w in _SCO_WORDS:
        for i in hits.get(w, ()):
            if _HAS_SCO.match(text, i):  # `match` at i still sees text[i - 1] for \b
                return True
    return False


def _sentences_with(text: str, spans: list[tuple[int, int]], starts: list[int],
                    words: tuple[str, ...]) -> set[int]:
    """Indexes of the sentences (`spans`) whose text may hold one of `words` (lower case):
    every sentence that does, and perhaps a few that do not. Where the words stand in the
    whole document (keyword_positions) instead of a test per sentence."""
    out: set[int] = set()
    hits = keyword_positions(text)
    if hits is not None:  # the keyword view's offsets are the text's
        for w in words:
            for i in hits.get(w, ()):
                k = bisect_right(starts, i) - 1
                if k >= 0:  # not before the first sentence
                    out.add(k)
    else:
        for k, (a, b) in enumerate(spans):
            kw = keyword_view(text[a:b])
            if any(w in kw for w in words):
                out.add(k)
    return out


def _in_compound(text: str, start: int, end: int) -> bool:
    """A city inside a hyphenated name ("the Beijing-Tianjin-Hebei cluster") is not
    where a summit was held."""
    return (end + 1 < len(text) and text[end] in "-–" and text[end + 1].isalpha()) or \
        (start >= 2 and text[start - 1] in "-–" and text[start - 2].isalpha())
_AT_PLACE_RX = re.compile(r"\b(?:in|at)\s+(?:[\w’'-]+\s+){0,5}$", re.I)
_TITLE_MEET_RX = re.compile(
    r"^\s*(?:Meeting|Talks|Telephone\s+conversation|Conversation)\s+with\b"
    r"|^\s*[A-Z][a-z]+(?:[-–][A-Z][a-z]+)+\s+talks\b"
    r"|\btalks\s+(?:took\s+place|were\s+held)\b", re.I)
_ADJ_PAIR_RX = re.compile(
    r"\b(" + _DEMONYM_ALT + r")(?:\s+and\s+|\s*[-–]\s*)(" + _DEMONYM_ALT
    + r")\b(?=\s+(?:presidents|leaders|heads|talks|prime\s+ministers|foreign\s+ministers))", re.I)


# --------------------------------------------------------------------------- helpers

def _fig_country(fid: str) -> str | None:
    """The country a figure serves (seeds/reference/figures.csv), or None."""
    return (_GZ.figures.get(fid) or {}).get("country_iso3") or None


def _background_date(sent: str, pos: int) -> bool:
    """The date at `pos` belongs to an earlier event the sentence refers to
    ("comes after the talks held between them in February")."""
    for m in _BACKGROUND_DATE_RX.finditer(sent, 0, pos):
        if m.end() <= pos and not re.search(r"[,;:]|\b(?:and|but|while|when)\b", sent[m.end():pos]):
            return True
    return False


def _rows(table: Any) -> list[dict]:
    """A DataFrame or an iterable of dicts -> list of dicts, NaN -> None."""
    if table is None:
        return []
    if hasattr(table, "to_dict"):
        table = table.to_dict("records")
    out = []
    for r in table:
        out.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in dict(r).items()})
    return out


def _as_date(v: Any) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if hasattr(v, "date") and callable(v.date):  # pandas Timestamp
        return v.date()
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


class Reference:
    """The summits and places tables, normalised once per batch (not per document)."""

    def __init__(self, summits: Any, places: Any):
        self.summits = _norm_summits(summits)
        self.places = _norm_places(places)


def _norm_summits(summits: Any) -> list[dict]:
    if isinstance(summits, Reference):
        return summits.summits
    out = []
    for r in _rows(summits):
        sd, ed = _as_date(r.get("start_date")), _as_date(r.get("end_date"))
        if sd is None:
            continue
        try:
            seq = int(r.get("seq")) if r.get("seq") is not None else None
        except (TypeError, ValueError):
            seq = None
        out.append({
            "council": (r.get("council") or "heads_of_state").strip(),
            "seq": seq, "start_date": sd, "end_date": ed or sd,
            "host_iso3": r.get("host_iso3"), "city": r.get("city"),
            "format": (r.get("format") or "in-person").strip().lower(),
        })
    out.sort(key=lambda s: (s["start_date"], s["council"]))
    return out


def _norm_places(places: Any) -> dict[str, dict]:
    """place_id -> {name, country_iso3, keys (slugs of name and aliases)}."""
    if isinstance(places, Reference):
        return places.places
    out = {}
    for r in _rows(places):
        pid = r.get("place_id")
        if not pid:
            continue
        aliases = r.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [a for a in re.split(r"[|;]", aliases) if a.strip()]
        name = r.get("name") or pid
        keys = {slugify(name), slugify(pid)} | {slugify(a) for a in aliases}
        out[pid] = {"name": name, "country_iso3": r.get("country_iso3"), "keys": keys}
    return out


def _short_name(fid: str, surfaces: Iterable[str]) -> str:
    toks = fid.split("-")
    singles = Counter(s for s in surfaces if len(s.split()) == 1 and slugify(s) in toks)
    if singles:
        return sorted(singles.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    ref = _GZ.figures.get(fid)
    if ref:  # "Xi" for Xi Jinping: the reference knows where the family name stands
        return surname_of(ref["name"], ref.get("country_iso3"))
    return toks[-1].capitalize()


def _uniq(seq: Iterable) -> list:
    out = []
    for x in seq:
        if x is not None and x not in out:
            out.append(x)
    return out


# --------------------------------------------------------------------------- summits

def _anchor_summit(sent: str, sent_mentions: list[dict], summits: list[dict],
                   places: dict[str, dict], pub: date | None, order: str | Callable[[], str],
                   require_constraint: bool = False, min_constraints: int = 0,
                   ref: date | None = None) -> dict | None:
    """The one summit row the sentence names, or None (see module docstring).

    `min_constraints`: how many independent constraints (ordinal, year, dates, city,
    host) must agree on the row; 2 for a sentence that names no summit but a meeting of
    the SCO's members in a city ("members of the organization in Dushanbe").  `ref`: a
    reference date for year-less dates when there is no publication date (the date of
    the document's own summit: "in September last year")."""
    council = "heads_of_government" if _GOV_RX.search(sent) else "heads_of_state"
    cands = [s for s in summits if s["council"] == council]
    if not cands:
        return None
    n_constraints = 0

    m = _ORDINAL_RX.search(sent)
    if m:
        cands = [s for s in cands if s["seq"] == int(m.group(1))]
        n_constraints += 1
    m = _YEAR_SUMMIT_RX.search(sent)
    if m:
        cands = [s for s in cands if s["start_date"].year == int(m.group(1))]
        n_constraints += 1
    elif pub and _THIS_YEAR_SUMMIT_RX.search(sent):
        cands = [s for s in cands if s["start_date"].year == pub.year]
        n_constraints += 1
    if not cands:
        return None

    # dates of the sentence: with the publication date, or with each summit's own year
    def overlaps(s: dict, ds: list[dict]) -> bool:
        return any(d["date_start"] <= s["end_date"] + timedelta(days=1)
                   and d["date_end"] >= s["start_date"] - timedelta(days=1)
                   and d["precision"] in ("day", "month") for d in ds)

    if pub is not None or ref is not None:
        ds = [d for d in find_dates(sent, pub or ref, order=order) if d["precision"] in ("day", "month")
              and (pub is not None or d["kind"] == "absolute")]
        if ds:
            kept = [s for s in cands if overlaps(s, ds)]
            if kept:
                cands, n_constraints = kept, n_constraints + 1
    else:
        kept = [s for s in cands
                if overlaps(s, [d for d in find_dates(sent, s["start_date"], order=order)
                                if d["kind"] == "absolute"])]
        if kept:
            cands, n_constraints = kept, n_constraints + 1

    # city: a place mention (via the places table) or the summit city spelled out
    sent_keys = set()
    for mm in sent_mentions:
        if (mm["entity_type"] == "place" and not _FROM_RX.search(sent[max(0, mm["_s"] - 25):mm["_s"]])
                and not _in_compound(sent, mm["_s"], mm["_s"] + len(mm["surface"]))):
            p = places.get(mm["entity_id"])
            sent_keys |= p["keys"] if p else {slugify(mm["entity_id"])}
            sent_keys.add(slugify(mm["surface"]))
    # folded (accents dropped: "Dushanbé"), and the SCO's own names masked: the
    # "Shanghai" of "Shanghai Cooperation Organization" is not the 2001 summit's city
    low = _SCO_NAME_RX.sub(lambda m: " " * len(m.group()), fold(sent))
    kept = [s for s in cands if s["city"] and (
        slugify(s["city"]) in sent_keys
        or any(not _FROM_RX.search(low[max(0, m.start() - 25):m.start()]) and not _in_compound(low, m.start(), m.end())
               for m in re.finditer(r"\b" + re.escape(fold(s["city"])) + r"\b", low)))]
    if kept:
        cands, n_constraints = kept, n_constraints + 1

    hosts = {mm["entity_id"] for mm in sent_mentions if mm["entity_type"] == "country"
             and _LOCATIVE_RX.search(sent[max(0, mm["_s"] - 12):mm["_s"]])}
    if hosts:
        kept = [s for s in cands if s["host_iso3"] in hosts]
        if kept:
            cands, n_constraints = kept, n_constraints + 1

    if _VIRTUAL_RX.search(sent):
        kept = [s for s in cands if s["format"] == "virtual"]
        if kept:
            cands = kept

    if n_constraints < min_constraints:
        return None
    if n_constraints == 0:
        if require_constraint or pub is None:
            return None
        near = [s for s in cands if s["start_date"] - timedelta(days=3) <= pub
                <= s["end_date"] + timedelta(days=2)]
        return near[0] if len(near) == 1 else None
    if len(cands) == 1:
        return cands[0]
    if pub is None:
        return None
    before = [s for s in cands if s["start_date"] <= pub + timedelta(days=61)]
    return before[-1] if before else None


def _summit_ref(s: dict | None) -> tuple | None:
    return (s["council"], s["seq"], s["start_date"].isoformat()) if s else None


# --------------------------------------------------------------------------- extraction

def extract_event_candidates(doc: dict, mentions: list[dict], summits: Any, places: Any) -> list[dict]:
    """Event candidates of one document (keys in the module docstring)."""
    text: str = doc.get("text") or ""
    doc_id = doc.get("doc_id")
    pub = _as_date(doc.get("published_date"))
    title = doc.get("title")
    summit_rows = _norm_summits(summits)  # pass a Reference for both to normalise them once
    place_rows = _norm_places(places)
    spans = sentence_spans(text)
    # which sentences may match which sentence pattern (see _SUMMIT_WORDS ...)
    starts = [a for a, _ in spans]
    may = {name: _sentences_with(text, spans, starts, words) for name, words in (
        ("summit", _SUMMIT_WORDS), ("members", _MEMBERS_WORDS), ("meet", _MEET_WORDS),
        ("ministerial", _MINISTERIAL_WORDS), ("accession", _ACCESSION_WORDS),
        ("agreement", _AGREEMENT_WORDS), ("visit", _VISIT_WORDS))}
    text_order: list[str] = []

    def order() -> str:
        """The document's date habit for ambiguous numeric dates (`dates._text_order`),
        computed the first time `find_dates` meets one (rare): not for every document."""
        if not text_order:
            text_order.append(_text_order(text))
        return text_order[0]

    ments = sorted((dict(m) for m in mentions if m.get("doc_id") in (None, doc_id)),
                   key=lambda m: (m["start"], m["end"]))
    by_sent: dict[tuple[int, int], list[dict]] = {}
    surfaces: dict[str, list[str]] = {}
    for m in ments:
        if m["entity_type"] == "figure":
            surfaces.setdefault(m["entity_id"], []).append(m["surface"])
        sp = sentence_at(spans, m["start"])
        if sp is not None:
            mm = dict(m, _s=m["start"] - sp[0], _e=m["end"] - sp[0])
            by_sent.setdefault(sp, []).append(mm)
    names = {fid: _short_name(fid, surf) for fid, surf in surfaces.items()}
    doc_has_sco = _has_sco(text) or any(
        m["entity_type"] == "organization" and m["entity_id"] == "sco" for m in ments)
    city_summit_rx = None
    cities = sorted({s["city"] for s in summit_rows if s["city"]}, key=len, reverse=True)
    if cities and doc_has_sco:
        city_summit_rx = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cities)
                                    + r")(?:['’]s)?\s+summit\b", re.I)

    def place_info(pid: str) -> tuple[str | None, str | None]:
        p = place_rows.get(pid)
        return (p["name"], p["country_iso3"]) if p else (pid.replace("-", " ").title(), None)

    # ---- pass 1: which sentences name a summit, and which summit
    summit_sents: dict[tuple[int, int], tuple[re.Match | None, dict | None]] = {}
    for k in sorted(may["summit"]):
        sp = spans[k]
        sent = text[sp[0]:sp[1]]
        m = _SUMMIT_RX.search(sent) or (city_summit_rx.search(sent) if city_summit_rx else None)
        if m:
            s = _anchor_summit(sent, by_sent.get(sp, []), summit_rows, place_rows, pub, order)
            summit_sents[sp] = (m, s)
    anchored = _uniq(s["start_date"] for _, s in summit_sents.values() if s)
    doc_summit = None
    if len(anchored) == 1:
        doc_summit = next(s for _, s in summit_sents.values() if s)
        for sp, (m, s) in list(summit_sents.items()):
            if s is None:  # fits the document's summit unless it names another city/ordinal
                sent = text[sp[0]:sp[1]]
                other = _anchor_summit(sent, by_sent.get(sp, []), summit_rows, place_rows, None,
                                       order, require_constraint=True)
                if other is None or other is doc_summit:
                    summit_sents[sp] = (m, doc_summit)
    report_of_day = bool(doc_summit and pub and doc_summit["start_date"] - timedelta(days=3)
                         <= pub <= doc_summit["end_date"] + timedelta(days=1))
    # A document without a publication date that reports one summit was written around
    # it: year-less dates ("in September last year") are read against the summit's first
    # day, and a weekday ("This Thursday") is the one within the summit's days (-3/+1).
    ref = pub or (doc_summit["start_date"] if doc_summit else None)
    week = ((doc_summit["start_date"] - timedelta(days=3), doc_summit["end_date"] + timedelta(days=1))
            if pub is None and doc_summit else None)
    # "members of the organization in Dushanbe" with a date: a summit named by city AND date
    for k in sorted(may["members"]):
        sp = spans[k]
        if sp in summit_sents:
            continue
        sent = text[sp[0]:sp[1]]
        m = _MEMBERS_RX.search(sent)
        if m:
            s = _anchor_summit(sent, by_sent.get(sp, []), summit_rows, place_rows, pub, order,
                               require_constraint=True, min_constraints=2, ref=ref)
            if s is not None:
                summit_sents[sp] = (m, s)
    lead = set(spans[:3])  # the lead of a report: what it says without a date is news of the day

    def prev_subject(sp: tuple[int, int], exclude: set[str]) -> str | None:
        """The first figure of the nearest of the two sentences before `sp` that names one."""
        i = spans.index(sp)
        for j in range(i - 1, max(-1, i - 3), -1):
            figs = [mm["entity_id"] for mm in by_sent.get(spans[j], []) if mm["entity_type"] == "figure"
                    and mm["entity_id"] not in exclude]
            if figs:
                return figs[0]
        return None

    fig_count = Counter(m["entity_id"] for m in ments if m["entity_type"] == "figure")

    def counterpart(iso3: str, exclude: set[str]) -> str | None:
        """The document's most mentioned figure of a country ("his Chinese counterpart")."""
        cands = [(n, f) for f, n in fig_count.items() if f not in exclude
                 and (_GZ.figures.get(f) or {}).get("country_iso3") == iso3]
        return sorted(cands, key=lambda nf: (-nf[0], nf[1]))[0][1] if cands else None

    out: list[dict] = []

    def emit(event_type: str, sp: tuple[int, int] | None, *, start=None, end=None, precision="unknown",
             place=None, place_iso3=None, figures=(), countries=(), organization=None,
             summit=None, evidence=None) -> None:
        if sp is not None:
            ev, es, ee = text[sp[0]:sp[1]], sp[0], sp[1]
        else:
            ev, es, ee = evidence, -1, -1
        figs = sorted(_uniq(figures))
        out.append({
            "event_type": event_type, "plover_type": PLOVER.get(event_type),
            "organization": organization, "start_date": start, "end_date": end or start,
            "date_precision": precision if start else "unknown", "place": place,
            "place_country_iso3": place_iso3, "figure_ids": figs,
            "country_iso3s": sorted(_uniq(countries)), "doc_id": doc_id, "evidence": ev,
            "evidence_start": es, "evidence_end": ee, "summit_ref": _summit_ref(summit),
            "names": {f: names.get(f, _short_name(f, [])) for f in figs},
        })

    def sentence_place(sm: list[dict]) -> tuple[str | None, str | None]:
        for mm in sm:
            if mm["entity_type"] == "place" and _AT_PLACE_RX.search(sent[max(0, mm["_s"] - 50):mm["_s"]]):
                return place_info(mm["entity_id"])
        return None, None

    def participant_countries(sent: str, sm: list[dict], lo: int = 0, hi: int | None = None) -> list[str]:
        hi = len(sent) if hi is None else hi
        cs = [mm["entity_id"] for mm in sm if mm["entity_type"] == "country" and lo <= mm["_s"] < hi
              and not _LOCATIVE_RX.search(sent[max(0, mm["_s"] - 12):mm["_s"]])]
        for a in _adj_pairs(sent[lo:hi]):
            cs += [_DEMONYMS[fold(a.group(1))], _DEMONYMS[fold(a.group(2))]]
        return _uniq(cs)

    def grammar_countries(sent: str, sm: list[dict], mt: re.Match) -> list[str]:
        """Countries the grammar makes participants of the meeting of `sent`: a demonym pair
        ("Russian and Chinese presidents", "Russian-Chinese talks"), a list after
        "between (the leaders of)" or "(presidents|leaders|...) of", a list that is the subject
        of the meeting verb ("China and Russia held talks"), a country right after the
        trigger ("talks with Kiev"), "Mongolia's leader", "his Chinese counterpart".
        Never a country that only stands in the sentence ("the Russian invasion of Ukraine")."""
        cm = sorted((mm for mm in sm if mm["entity_type"] == "country"), key=lambda mm: mm["_s"])

        def run_from(pos: int) -> list[str]:
            got = []
            for mm in cm:
                if mm["_s"] < pos:
                    continue
                if not _LIST_GAP_RX.fullmatch(sent[pos:mm["_s"]]):
                    break
                got.append(mm["entity_id"])
                pos = mm["_e"]
            return got

        def run_to(pos: int) -> list[str]:
            got = []
            for mm in reversed(cm):
                if mm["_e"] > pos:
                    continue
                if not _LIST_GAP_RX.fullmatch(sent[mm["_e"]:pos]):
                    break
                got.insert(0, mm["entity_id"])
                pos = mm["_s"]
            return got

        cs: list[str] = []
        for a in _adj_pairs(sent):
            cs += [_DEMONYMS[fold(a.group(1))], _DEMONYMS[fold(a.group(2))]]
        for t in _COUNTRY_LIST_LEAD_RX.finditer(sent):
            if mt.start() - 80 <= t.start() <= mt.end() + 40:  # in the meeting's own clause
                cs += run_from(t.end())
        if re.search(r"\b(?:with|between)\s*$", mt.group(), re.I):
            cs += run_from(mt.end())[:1] if not re.search(r"between\s*$", mt.group(), re.I) else run_from(mt.end())
        if mt.start() > 0 and re.match(r"\s*(?:have\s+|had\s+|also\s+)?(?:met|meet|held|hold)\b",
                                        sent[mt.start():], re.I):
            subj = run_to(len(sent[:mt.start()].rstrip()))
            if len(subj) >= 2:
                cs += subj
        for mm in cm:
            if _ROLE_AFTER_RX.match(sent, mm["_e"]):
                cs.append(mm["entity_id"])
        for cp in _COUNTERPART_RX.finditer(sent):
            cs.append(_DEMONYMS[fold(cp.group(1))])
        return _uniq(cs)

    def event_date(sent: str, summit: dict | None, summit_pos: int | None, use_day_report: bool,
                   in_lead: bool = False):
        """(start, end, precision) of a meeting-like event in `sent`."""
        r = pub or (summit["start_date"] if summit else ref)
        ds = find_dates(sent, r, order=order)
        if pub is None:
            ds = [d for d in ds if d["kind"] == "absolute" or (
                week and _WEEKDAY_RX.fullmatch(d["surface"]) and week[0] <= d["date_start"] <= week[1])]
        ds = [d for d in ds if not _background_date(sent, d["start"])]
        if summit and summit_pos is not None:
            ds = [d for d in ds if not (d["start"] >= summit_pos
                                        and d["date_start"] >= summit["start_date"]
                                        and d["date_end"] <= summit["end_date"])]
        if ds:
            rank = lambda d: (-_PREC_RANK[d["precision"]], d["kind"] != "relative",
                              d["date_end"] != d["date_start"], d["start"])
            d = sorted(ds, key=rank)[0]
            return d["date_start"], d["date_end"], d["precision"]
        if summit:
            if pub and summit["start_date"] <= pub <= summit["end_date"]:
                return pub, pub, "day"
            return summit["start_date"], summit["start_date"], "day"
        if use_day_report and (report_of_day or (in_lead and pub is not None)):
            return pub, pub, "day"
        return None, None, "unknown"

    # ---- pass 2: sentence patterns, on the sentences that name a summit or may match one
    summit_idx = {k for k, sp in enumerate(spans) if sp in summit_sents}
    for k in sorted(summit_idx | may["meet"] | may["ministerial"] | may["accession"]
                    | may["agreement"] | may["visit"]):
        sp = spans[k]
        sent = text[sp[0]:sp[1]]
        sm = by_sent.get(sp, [])
        figs_pos = [(mm["_s"], mm["entity_id"]) for mm in sm if mm["entity_type"] == "figure"]
        sm_match, summit = summit_sents.get(sp, (None, None))
        summit_pos = sm_match.start() if sm_match else None
        s_place, s_iso = sentence_place(sm)
        # summit
        if summit:
            # a virtual summit has no city in the table: "held virtually in New Delhi"
            city = summit["city"] or (s_place if s_iso and s_iso == summit["host_iso3"] else None)
            emit("summit", sp, start=summit["start_date"], end=summit["end_date"], precision="day",
                 place=city, place_iso3=summit["host_iso3"], organization="SCO",
                 summit=summit)
        mm_ = _MINISTERIAL_RX.search(sent) if k in may["ministerial"] else None
        # meetings
        mt = _MEET_RX.search(sent) if k in may["meet"] else None
        if mt and not mm_ and not _BACKGROUND_MEET_RX.search(sent) \
                and not _FUTURE_MEET_RX.search(sent):
            # "his Chinese counterpart" with no name: the document's figure of that country
            for cp in _COUNTERPART_RX.finditer(sent):
                if not any(cp.end() <= p <= cp.end() + 3 for p, _ in figs_pos):
                    named = {f for _, f in figs_pos}
                    f = counterpart(_DEMONYMS[fold(cp.group(1))], named)
                    if f:
                        figs_pos = sorted(figs_pos + [(cp.start(), f)])
            before = _uniq(f for p, f in figs_pos if p < mt.start())
            after = _uniq(f for p, f in figs_pos if p >= mt.end())
            if not before and len(after) == 1 and _PRONOUN_RX.search(sent[:mt.start()]):
                # "He also met with ...", "his meeting with Xi Jinping": the previous subject
                subj = prev_subject(sp, set(after))
                if subj:
                    before = [subj]
            multi = bool(_MULTI_RX.search(sent))
            start, end, prec = event_date(sent, summit, summit_pos, use_day_report=True,
                                          in_lead=sp in lead)
            place, piso = (summit["city"], summit["host_iso3"]) if summit else (s_place, s_iso)
            groups: list[tuple[list[str], list[str]]] = []
            if multi:
                groups.append((_uniq(before + after), grammar_countries(sent, sm, mt)))
            elif before and len(after) >= 2 and re.search(r"\bmet\b|\bmeet", mt.group(), re.I):
                groups += [([before[-1], a], []) for a in after if a != before[-1]]
            elif before and after:
                groups.append(([before[-1], after[0]], []))
            elif len(before) >= 2:
                groups.append((before[-2:], []))
            elif len(after) >= 2:
                groups.append((after[:2], []))
            else:  # countries only where the grammar makes them participants
                cs = grammar_countries(sent, sm, mt)
                fs = _uniq(before + after)
                if len(set(cs) | {_fig_country(f) for f in fs} - {None}) >= 2:
                    groups.append((fs, cs))
            if start is not None:
                for figs, cs in groups:
                    n = len(set(figs)) if len(set(figs)) >= 2 else len(
                        set(cs) | {_fig_country(f) for f in figs} - {None})
                    if multi and len(set(figs) | set(cs)) >= 2:
                        emit("multilateral_meeting", sp, start=start, end=end, precision=prec,
                             place=place, place_iso3=piso, figures=figs, countries=cs)
                    elif n >= 2:
                        emit("bilateral_meeting", sp, start=start, end=end, precision=prec,
                             place=place, place_iso3=piso, figures=figs, countries=cs)
        # ministerial meetings
        if mm_:
            start, end, prec = event_date(sent, None, None, use_day_report=False)
            if start is not None or s_place:
                emit("ministerial_meeting", sp, start=start, end=end, precision=prec, place=s_place,
                     place_iso3=s_iso, figures=[f for _, f in figs_pos], organization="SCO")
        # accession
        a_after = _ACCESSION_AFTER_RX.search(sent) if k in may["accession"] else None
        a_before = _ACCESSION_BEFORE_RX.search(sent) if k in may["accession"] else None
        # (a sentence with no trigger yields nothing: the plan test runs after the triggers)
        if (a_after or a_before) and not _NOT_DONE_RX.search(sent):
            members: list[str] = []
            if a_after:
                stop = sent.lower().find("member", a_after.end())
                members = participant_countries(sent, sm, a_after.end(), stop if stop > 0 else None)
            trig = a_before or (a_after if a_after and not re.match(r"(?:accession|admission)",
                                                                     a_after.group(), re.I) else None)
            if not members and trig:
                members = participant_countries(sent, sm, max(0, trig.start() - 80), trig.start())
            if members:
                a_summit = summit or _anchor_summit(sent, sm, summit_rows, place_rows, pub, order,
                                                    require_constraint=True)
                start, end, prec = event_date(sent, a_summit, None, use_day_report=False)
                if start is not None:
                    place, piso = (a_summit["city"], a_summit["host_iso3"]) if a_summit else (None, None)
                    emit("accession", sp, start=start, end=end, precision=prec, place=place,
                         place_iso3=piso, countries=members, organization="SCO", summit=a_summit)
        # agreements
        ag = _AGREEMENT_RX.search(sent) if k in may["agreement"] else None
        if ag:
            figs = _uniq(f for _, f in figs_pos)
            whom = re.search(r"\bwith\s+whom\b", sent[:ag.start()], re.I)
            if whom and figs:
                prior = [f for p, f in figs_pos if p < whom.start()]
                figs = _uniq([figs_pos[0][1], prior[-1]]) if prior else figs
            cs = participant_countries(sent, sm) if len(figs) < 2 else []
            start, end, prec = event_date(sent, summit, summit_pos, use_day_report=True)
            if start is not None and (len(figs) >= 2 or len(cs) >= 2 or summit):
                place, piso = (summit["city"], summit["host_iso3"]) if summit else (s_place, s_iso)
                emit("agreement", sp, start=start, end=end, precision=prec, place=place,
                     place_iso3=piso, figures=figs, countries=cs,
                     organization="SCO" if summit else None, summit=summit)
        # visits
        vi = _VISIT_RX.search(sent) if k in may["visit"] else None
        if vi:
            who = [f for p, f in figs_pos if p < vi.start()]
            dest = [mm for mm in sm if mm["_s"] >= vi.end() and mm["entity_type"] in ("country", "place")]
            start, end, prec = event_date(sent, None, None, use_day_report=False)
            if who and dest and start is not None:
                d0 = dest[0]
                if d0["entity_type"] == "place":
                    place, piso = place_info(d0["entity_id"])
                    cs = [piso] if piso else []
                else:
                    place, piso, cs = None, d0["entity_id"], [d0["entity_id"]]
                emit("visit", sp, start=start, end=end, precision=prec, place=place, place_iso3=piso,
                     figures=[who[-1]], countries=cs)

    # ---- title events (Kremlin style)
    if title and _TITLE_MEET_RX.search(title):
        tpos = text.find(title, 0, max(len(title) + 400, 400))
        if tpos >= 0:
            tsp = sentence_at(spans, tpos)
            tfigs = [m["entity_id"] for m in ments if tpos <= m["start"] < tpos + len(title)
                     and m["entity_type"] == "figure"]
            tcs = [m["entity_id"] for m in ments if tpos <= m["start"] < tpos + len(title)
                   and m["entity_type"] == "country"]
        else:
            tsp = None
            tfigs = _uniq(f for f, ss in surfaces.items() if any(s in title for s in ss))
            tcs = _uniq(m["entity_id"] for m in ments if m["entity_type"] == "country"
                        and m["surface"] in title)
        for a in re.finditer(r"\b(" + _DEMONYM_ALT + r")\b", title, re.I):
            tcs.append(_DEMONYMS[fold(a.group(1))])
        if tpos < 0:  # a title outside the text: its countries by the gazetteer ("State of Palestine")
            t_norm = " ".join(title.split())
            tcs += [iso3 for _, _, (_, iso3, method) in _GZ.country_matcher.find(t_norm, fold(t_norm))
                    if method == "name"]
        tfigs, tcs = _uniq(tfigs), _uniq(tcs)
        # the host: the most mentioned other figure of the lead ("Vladimir Putin met with ..."),
        # else of the whole page
        # (who meets the title's figure in a lead sentence, who stands beside it there, who is
        # in the lead, who is on the page: the first group that is not empty)
        lead_sents = [({mm["entity_id"] for mm in by_sent.get(sp_, []) if mm["entity_type"] == "figure"},
                       bool(_MEET_RX.search(text[sp_[0]:sp_[1]]))) for sp_ in spans[:3]]
        groups_ = [set().union(*[fs for fs, met in lead_sents if met and fs & set(tfigs)]),
                   set().union(*[fs for fs, _ in lead_sents if fs & set(tfigs)]),
                   set().union(*[fs for fs, _ in lead_sents])]
        counts = Counter(m["entity_id"] for m in ments if m["entity_type"] == "figure"
                         and m["entity_id"] not in tfigs)
        pool = next(([(f, n) for f, n in counts.items() if f in g] for g in groups_
                     if any(f in g for f in counts)), list(counts.items()))
        main = sorted(pool, key=lambda kv: (-kv[1], kv[0]))[:1]
        figs = tfigs + [main[0][0]] if main and (tfigs or tcs) else tfigs
        states = set(tcs) | {x for x in map(_fig_country, figs) if x}
        if pub is not None and (len(figs) >= 2 or len(states) >= 2):
            if tsp is None:  # the evidence: the lead sentence that tells the meeting, else the title
                tsp = next((sp_ for sp_ in spans[:3] if _MEET_RX.search(text[sp_[0]:sp_[1]])
                            and {mm["entity_id"] for mm in by_sent.get(sp_, [])} & set(figs + tcs)), None)
            emit("bilateral_meeting", tsp, start=pub, end=pub, precision="day",
                 figures=figs if len(figs) >= 2 else figs, countries=tcs if len(figs) < 2 else [],
                 evidence=title)

    return _dedupe(out)


def _completeness(c: dict) -> tuple:
    return (_PREC_RANK[c["date_precision"]], c["place"] is not None, len(c["figure_ids"]),
            len(c["figure_ids"]) + len(c["country_iso3s"]), c["summit_ref"] is not None,
            c["evidence_start"] >= 0)


def _key(c: dict) -> tuple:
    return (c["event_type"], c["start_date"], c["end_date"], c["place"], tuple(c["figure_ids"]),
            tuple(c["country_iso3s"]), c["organization"])


def _dedupe(cands: list[dict]) -> list[dict]:
    """One candidate per identical key within a document: the most complete, else the first."""
    best: dict[tuple, dict] = {}
    for c in cands:
        k = _key(c)
        if k not in best or _completeness(c) > _completeness(best[k]):
            best[k] = c
    return sorted(best.values(), key=lambda c: (c["evidence_start"], c["event_type"], _key(c)[1:].__repr__()))


# --------------------------------------------------------------------------- merge

def _dates_match(a: dict, b: dict) -> bool:
    if a["start_date"] is None or b["start_date"] is None:
        if a["start_date"] is None and b["start_date"] is None:
            return a.get("summit_ref") == b.get("summit_ref")
        return a.get("summit_ref") is not None and a.get("summit_ref") == b.get("summit_ref")
    slack = timedelta(days=1)
    return (a["start_date"] <= (b["end_date"] or b["start_date"]) + slack
            and b["start_date"] <= (a["end_date"] or a["start_date"]) + slack)


def _place_match(a: dict, b: dict) -> bool:
    return a["place"] is None or b["place"] is None or slugify(a["place"]) == slugify(b["place"])


def _participants_match(a: dict, b: dict) -> bool:
    t = a["event_type"]
    if t in ("summit", "ministerial_meeting"):
        if a["organization"] != b["organization"]:
            return False
        ra, rb = a.get("summit_ref"), b.get("summit_ref")
        return ra is None or rb is None or ra == rb
    fa, fb = set(a["figure_ids"]), set(b["figure_ids"])
    ca, cb = set(a["country_iso3s"]), set(b["country_iso3s"])
    if t in ("bilateral_meeting", "multilateral_meeting"):
        if len(fa) >= 2 and len(fb) >= 2:
            return fa == fb
        # "the leaders of China and Russia" is the Putin–Xi meeting: compare the states,
        # a figure standing for the country it serves (seeds/reference/figures.csv)
        if fa and fb and not (fa <= fb or fb <= fa):
            return False
        sa, sb = _states(a), _states(b)
        return len(sa) >= 2 and sa == sb
    return bool(fa & fb) or bool(ca & cb)


def _states(c: dict) -> set[str]:
    """The participating states of a candidate: its countries and its figures' countries."""
    return set(c["country_iso3s"]) | {x for x in map(_fig_country, c["figure_ids"]) if x}


def _compatible(a: dict, b: dict) -> bool:
    return (a["event_type"] == b["event_type"] and _dates_match(a, b) and _place_match(a, b)
            and _participants_match(a, b))


def _sort_key(c: dict) -> tuple:
    return (c["event_type"], c["start_date"] or date.max, c["end_date"] or date.max,
            c["place"] or "", tuple(c["figure_ids"]), tuple(c["country_iso3s"]),
            str(c["doc_id"]), c["evidence_start"], c["evidence"] or "")


def _event_id(event_type: str, start: date | None, place: str | None, parts: list[str]) -> str:
    key = f"{event_type}|{start.isoformat() if start else ''}|{place or ''}|{','.join(sorted(parts))}"
    return "ev-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _title(row: dict, names: dict[str, str]) -> str:
    t, org, place = row["event_type"], row["organization"], row["place"]
    year = str(row["start_date"].year) if row["start_date"] else ""
    who = "–".join(names.get(f, _short_name(f, [])) for f in row["figure_ids"])
    if len(row["figure_ids"]) < 2:  # "Khürelsükh–China–Russia meeting", "China–Russia meeting"
        covered = {_fig_country(f) for f in row["figure_ids"]}
        who = "–".join([who] * bool(who) + [_COUNTRY_NAMES.get(c, c) for c in row["country_iso3s"]
                                              if c not in covered])
    where = f", {place}" if place else ""
    if t == "summit":
        return f"{org or 'SCO'} summit, {place} {year}".strip() if place else f"{org or 'SCO'} summit {year}".strip()
    if t == "ministerial_meeting":
        return f"{org or 'SCO'} ministerial meeting{where}" + (f" {year}" if year else "")
    if t == "accession":
        cs = " and ".join(_COUNTRY_NAMES.get(c, c) for c in row["country_iso3s"])
        verb = "join" if len(row["country_iso3s"]) > 1 else "joins"
        return f"{cs} {verb} {org or 'SCO'}" + (f", {year}" if year else "")
    label = {"bilateral_meeting": "meeting", "multilateral_meeting": "meeting", "visit": "visit",
             "agreement": "agreement", "statement": "statement"}.get(t, "event")
    if t == "visit" and row["figure_ids"] and (place or row["country_iso3s"]):
        dest = place or _COUNTRY_NAMES.get(row["country_iso3s"][0], row["country_iso3s"][0])
        return f"{names.get(row['figure_ids'][0], _short_name(row['figure_ids'][0], []))} visit to {dest}"
    return f"{who} {label}{where}".strip()


def merge_events(candidates: list[dict]) -> list[dict]:
    """Candidates of all documents -> `events` rows (EVENT_COLUMNS), sorted by (start_date, event_id)."""
    clusters: list[list[dict]] = []
    for c in sorted(candidates, key=_sort_key):
        for cl in clusters:
            if all(_compatible(c, o) for o in cl):
                cl.append(c)
                break
        else:
            clusters.append([c])

    rows = []
    for cl in clusters:
        best = sorted(cl, key=lambda c: tuple(-int(x) for x in _completeness(c)) + _sort_key(c))[0]
        top = max(_PREC_RANK[c["date_precision"]] for c in cl)
        dated = [c for c in cl if c["start_date"] and _PREC_RANK[c["date_precision"]] == top]
        if dated:
            cnt = Counter(c["start_date"] for c in dated)
            start = sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            end = max(c["end_date"] or start for c in dated if c["start_date"] == start)
            precision = dated[0]["date_precision"]
        else:
            start = end = None
            precision = "unknown"
        pcnt = Counter(c["place"] for c in cl if c["place"])
        place = sorted(pcnt.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if pcnt else None
        piso = next((c["place_country_iso3"] for c in sorted(cl, key=_sort_key)
                     if c["place"] == place and c["place_country_iso3"]), None)
        org = next((c["organization"] for c in sorted(cl, key=_sort_key) if c["organization"]), None)
        figs = sorted({f for c in cl for f in c["figure_ids"]})
        cs = sorted({x for c in cl for x in c["country_iso3s"]})
        if best["event_type"] in ("bilateral_meeting", "multilateral_meeting"):
            cs = sorted(set(cs) | {x for x in map(_fig_country, figs) if x})
        doc_ids = sorted({str(c["doc_id"]) for c in cl})
        names: dict[str, str] = {}
        for c in sorted(cl, key=_sort_key):
            for f, n in (c.get("names") or {}).items():
                names.setdefault(f, n)
        etype = best["event_type"]
        if etype in ("summit", "ministerial_meeting") and org:
            parts = [org]
        elif len(figs) >= 2:
            parts = figs
        else:
            parts = figs + cs
        row = {
            "event_id": _event_id(etype, start, place, parts),
            "event_type": etype, "plover_type": PLOVER.get(etype), "title": "",
            "start_date": start, "end_date": end, "date_precision": precision,
            "place": place, "place_country_iso3": piso, "organization": org,
            "figure_ids": figs, "country_iso3s": cs, "doc_ids": doc_ids,
            "n_sources": len(doc_ids), "evidence": best["evidence"],
            # provenance: where the evidence sentence stands (offsets null for a title)
            "evidence_doc_id": str(best["doc_id"]),
            "evidence_start": best["evidence_start"] if best["evidence_start"] >= 0 else None,
            "evidence_end": best["evidence_end"] if best["evidence_end"] >= 0 else None,
        }
        row["title"] = _title(row, names)
        conf = _PREC_BASE[precision] + 0.1 * min(len(doc_ids) - 1, 3) + (0.1 if place else 0.0)
        row["confidence"] = round(min(1.0, conf), 3)
        rows.append({k: row[k] for k in EVENT_COLUMNS})
    rows.sort(key=lambda r: (r["start_date"] or date.max, r["event_id"]))
    return rows
