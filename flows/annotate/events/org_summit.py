"""Summits of organisations other than the SCO (G20, APEC, ASEAN, BRICS, CICA, EAEU ...):
"the BRICS summit in Kazan", "the summit of the Group of 20", "Leaders of ASEAN opened
their 43rd summit", "the Supreme Eurasian Economic Council met". The organisation is an
organisation mention of the sentence right before "summit" (a few words between, none a
punctuation mark), right after "summit of (the leaders of) the", or named by the summit's
own name (words.yaml `summit_names`); only those in words.yaml `summit_organizations`
(the SCO's own summits are summit.py's). Its `organization` is that list's label.

Date: the sentence's own dates (dates.own_dates: not an earlier event's, not after
publication). One that falls within the days of a row of org_summits.csv (the
organisation's known summits; one day's slack) anchors the summit to it — the row gives
the first and last day and the city; a year alone anchors when the organisation has one
summit that year. A date that anchors no row is the summit's only when it stands by the
summit: after it within 60 characters ("the EU summit held on February 17") or right
before it ("the June 26 G7 Summit", "today's NATO summit"), not "Biden spoke today ...
about the NATO summit". No date in the sentence: the row whose days the publication
falls in (−3/+2 days: a report of the day). Otherwise the summit is not an event (an
essay's "the G20 summit in Bali"). A sentence about a summit still to come names no
event: a modal or future time of guards.py, or words.yaml `summit_future_words`, anywhere
in it ("the G20 summit will take place", "for the G20 Leaders' Summit" after "will travel,"):
the `guards` of the org_summit rule (rules.py)."""
from __future__ import annotations

import csv
import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from flows.annotate.events.dates import own_dates
from flows.annotate.events.document import EventDoc, Sentence
from flows.annotate.events.guards import CLAUSE_END_RX
from flows.annotate.events.patterns import WORDS, _alt

LABELS: dict[str, str] = dict(WORDS["summit_organizations"])
_NAMES = [(re.compile(w, re.I), org) for org, ws in WORDS["summit_names"].items() for w in ws]
ORG_SUMMIT_RX = re.compile(r"\bsummits?\b|" + "|".join(w for ws in WORDS["summit_names"].values() for w in ws), re.I)
# between an organisation and "summit": "ASEAN-China", "G20 leaders'", "BRICS's 16th annual"
_GAP_BEFORE_RX = re.compile(r"(?:[-–][\w]+)?(?:['’]s?)?(?:\s+[\w'’-]+){0,3}?\s+$")
_GAP_AFTER_RX = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?(?:(?:leaders|heads\s+of\s+(?:state|government))\s+"
                           r"of\s+(?:the\s+)?)?(?:member\s+states\s+of\s+(?:the\s+)?)?$", re.I)
SUMMIT_FUTURE_RX = re.compile(r"\b(?:" + _alt("summit_future_words") + r")\b", re.I)
_THEIR_RX = re.compile(r"\btheir\s+(?:[\w-]+\s+){0,3}$", re.I)
_ROWS = Path(__file__).with_name("org_summits.csv")


@lru_cache(maxsize=1)
def summit_rows() -> dict[str, list[dict]]:
    """label -> the organisation's known summits (org_summits.csv), by start date."""
    out: dict[str, list[dict]] = {}
    with open(_ROWS, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["organization"], []).append({
                "start": date.fromisoformat(r["start_date"]), "end": date.fromisoformat(r["end_date"]),
                "city": r["city"] or None, "host": r["host_iso3"] or None})
    return {k: sorted(v, key=lambda r: r["start"]) for k, v in out.items()}


def summit_org(s: Sentence, m: re.Match) -> str | None:
    """The label of the organisation whose summit `m` names, or None."""
    for rx, org in _NAMES:
        if rx.fullmatch(m.group()):
            return org
    orgs = sorted((mm for mm in s.mentions if mm["entity_type"] == "organization"), key=lambda mm: mm["_s"])
    for mm in reversed(orgs):  # right before "summit"
        if mm["_e"] <= m.start() and m.start() - mm["_e"] <= 40 and _GAP_BEFORE_RX.fullmatch(s.text[mm["_e"]:m.start()]):
            return LABELS.get(mm["entity_id"])
    for mm in orgs:  # "summit of the (leaders of the) ..."
        if mm["_s"] >= m.end() and mm["_s"] - m.end() <= 45 and _GAP_AFTER_RX.fullmatch(s.text[m.end():mm["_s"]]):
            return LABELS.get(mm["entity_id"])
    before = [mm for mm in orgs if mm["_e"] <= m.start() and mm["entity_id"] in LABELS]
    if len({mm["entity_id"] for mm in before}) == 1 and _THEIR_RX.search(s.text[:m.start()]):
        return LABELS[before[0]["entity_id"]]  # "Leaders of ASEAN opened their 43rd summit"
    return None


def _by_summit(sent: str, x: dict, m: re.Match) -> bool:
    """The date stands by the summit: after it within 60 characters and the same clause,
    or just before it."""
    if m.end() <= x["start"] <= m.end() + 60:
        return not CLAUSE_END_RX.search(sent, m.end(), x["start"])
    return 0 <= m.start() - x["end"] <= 25


def _anchor(rows: list[dict], ds: list[dict], pub: date | None, sent: str, m: re.Match
            ) -> tuple[date, date, str, dict | None] | None:
    """(start, end, precision, row) of the summit: see the module docstring."""
    slack = timedelta(days=1)
    for x in sorted(ds, key=lambda x: x["start"]):
        if x["precision"] in ("day", "month"):
            hit = [r for r in rows if x["date_start"] <= r["end"] + slack and x["date_end"] >= r["start"] - slack]
            if len(hit) == 1:
                return hit[0]["start"], hit[0]["end"], "day", hit[0]
            if x["precision"] == "day" and _by_summit(sent, x, m):
                return x["date_start"], x["date_end"], "day", None
        elif x["precision"] == "year":
            hit = [r for r in rows if r["start"].year == x["date_start"].year]
            if len(hit) == 1:
                return hit[0]["start"], hit[0]["end"], "day", hit[0]
    if not ds and pub is not None:
        hit = [r for r in rows if r["start"] - timedelta(days=3) <= pub <= r["end"] + timedelta(days=2)]
        if len(hit) == 1:
            return hit[0]["start"], hit[0]["end"], "day", hit[0]
    return None


def extract_org_summit(d: EventDoc, s: Sentence, ms: tuple) -> None:
    """A summit of an organisation other than the SCO (see the module docstring)."""
    for m in ORG_SUMMIT_RX.finditer(s.text):
        org = summit_org(s, m)
        if org is None:
            continue
        ds = own_dates(d, s.text, None, None)
        got = _anchor(summit_rows().get(org, []), ds, d.pub, s.text, m) if ds is not None else None
        if got:
            start, end, prec, row = got
            d.emit("summit", s.sp, start=start, end=end, precision=prec,
                   place=row["city"] if row else None, place_iso3=row["host"] if row else None, organization=org)
            return
