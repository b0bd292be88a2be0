"""The SCO summit a sentence refers to: one row of the summits table (see the package
docstring, "summit"), found by ordinal, year, dates, city, host country and format."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Callable

from flows.annotate.events.patterns import (
    FROM_RX,
    GOV_RX,
    LOCATIVE_RX,
    ORDINAL_RX,
    SCO_NAME_RX,
    THIS_YEAR_SUMMIT_RX,
    VIRTUAL_RX,
    YEAR_SUMMIT_RX,
)
from flows.annotate.events.places import in_compound
from flows.core.dates import find_dates
from flows.core.gazetteer import fold
from flows.core.text import slugify


def summit_ref(s: dict | None) -> tuple | None:
    """(council, seq, start date) of a summit row: its key in candidates."""
    return (s["council"], s["seq"], s["start_date"].isoformat()) if s else None


def _overlaps(s: dict, ds: list[dict]) -> bool:
    """A day or month date of `ds` falls within the summit's days (one day's slack)."""
    return any(d["date_start"] <= s["end_date"] + timedelta(days=1)
               and d["date_end"] >= s["start_date"] - timedelta(days=1)
               and d["precision"] in ("day", "month") for d in ds)


def _by_number(sent: str, cands: list[dict], pub: date | None) -> tuple[list[dict], int]:
    """Summits left by the ordinal ("23rd summit") and the year ("the 2023 summit",
    "this year's summit"), and how many of the two constrained."""
    n = 0
    m = ORDINAL_RX.search(sent)
    if m:
        cands = [s for s in cands if s["seq"] == int(m.group(1))]
        n += 1
    m = YEAR_SUMMIT_RX.search(sent)
    if m:
        cands = [s for s in cands if s["start_date"].year == int(m.group(1))]
        n += 1
    elif pub and THIS_YEAR_SUMMIT_RX.search(sent):
        cands = [s for s in cands if s["start_date"].year == pub.year]
        n += 1
    return cands, n


def _by_dates(sent: str, cands: list[dict], pub: date | None, ref: date | None,
              order: str | Callable[[], str]) -> list[dict] | None:
    """The summits the sentence's dates fall in (with the publication date, else `ref`,
    else each summit's own year for its absolute dates); None when no date constrains."""
    if pub is not None or ref is not None:
        ds = [d for d in find_dates(sent, pub or ref, order=order) if d["precision"] in ("day", "month")
              and (pub is not None or d["kind"] == "absolute")]
        if ds:
            return [s for s in cands if _overlaps(s, ds)] or None
        return None
    kept = [s for s in cands
            if _overlaps(s, [d for d in find_dates(sent, s["start_date"], order=order)
                             if d["kind"] == "absolute"])]
    return kept or None


def _by_city(sent: str, sent_mentions: list[dict], cands: list[dict], places: dict[str, dict]) -> list[dict]:
    """The summits whose city the sentence names: a place mention (via the places table)
    or the city spelled out; not "from X", not inside "Beijing-Tianjin-Hebei"."""
    sent_keys = set()
    for mm in sent_mentions:
        if (mm["entity_type"] == "place" and not FROM_RX.search(sent[max(0, mm["_s"] - 25):mm["_s"]])
                and not in_compound(sent, mm["_s"], mm["_s"] + len(mm["surface"]))):
            p = places.get(mm["entity_id"])
            sent_keys |= p["keys"] if p else {slugify(mm["entity_id"])}
            sent_keys.add(slugify(mm["surface"]))
    # folded (accents dropped: "Dushanbé"), and the SCO's own names masked: the
    # "Shanghai" of "Shanghai Cooperation Organization" is not the 2001 summit's city
    low = SCO_NAME_RX.sub(lambda m: " " * len(m.group()), fold(sent))
    return [s for s in cands if s["city"] and (
        slugify(s["city"]) in sent_keys
        or any(not FROM_RX.search(low[max(0, m.start() - 25):m.start()]) and not in_compound(low, m.start(), m.end())
               for m in re.finditer(r"\b" + re.escape(fold(s["city"])) + r"\b", low)))]


def _by_host(sent: str, sent_mentions: list[dict], cands: list[dict]) -> list[dict]:
    """The summits hosted by a country the sentence names after "in/at/to ..."."""
    hosts = {mm["entity_id"] for mm in sent_mentions if mm["entity_type"] == "country"
             and LOCATIVE_RX.search(sent[max(0, mm["_s"] - 12):mm["_s"]])}
    return [s for s in cands if s["host_iso3"] in hosts] if hosts else []


def _pick(cands: list[dict], n_constraints: int, pub: date | None, require_constraint: bool) -> dict | None:
    """The one summit left: with no constraint, the one whose days the publication falls
    in (a report of the day); with several left, the latest starting up to 61 days after
    publication."""
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


def anchor_summit(sent: str, sent_mentions: list[dict], summits: list[dict],
                  places: dict[str, dict], pub: date | None, order: str | Callable[[], str],
                  require_constraint: bool = False, min_constraints: int = 0,
                  ref: date | None = None) -> dict | None:
    """The one summit row the sentence names, or None (see the package docstring).

    `min_constraints`: how many independent constraints (ordinal, year, dates, city,
    host) must agree on the row; 2 for a sentence that names no summit but a meeting of
    the SCO's members in a city ("members of the organization in Dushanbe").  `ref`: a
    reference date for year-less dates when there is no publication date (the date of
    the document's own summit: "in September last year").  A city, host or "virtual"
    filter that would leave no summit is ignored (they may name something else)."""
    council = "heads_of_government" if GOV_RX.search(sent) else "heads_of_state"
    cands = [s for s in summits if s["council"] == council]
    if not cands:
        return None
    cands, n_constraints = _by_number(sent, cands, pub)
    if not cands:
        return None
    # each filter narrows what the one before left
    kept = _by_dates(sent, cands, pub, ref, order)
    if kept:
        cands, n_constraints = kept, n_constraints + 1
    kept = _by_city(sent, sent_mentions, cands, places)
    if kept:
        cands, n_constraints = kept, n_constraints + 1
    kept = _by_host(sent, sent_mentions, cands)
    if kept:
        cands, n_constraints = kept, n_constraints + 1
    if VIRTUAL_RX.search(sent):
        cands = [s for s in cands if s["format"] == "virtual"] or cands
    if n_constraints < min_constraints:
        return None
    return _pick(cands, n_constraints, pub, require_constraint)
