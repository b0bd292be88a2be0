"""Candidates to `events` rows: one candidate per key within a document (`dedupe`), then
complete-linkage clustering across documents (`merge_events`; see the package
docstring, "Merge")."""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date, timedelta

from flows.annotate.events.aliases import canonical, same_people
from flows.annotate.events.dates import PREC_RANK
from flows.annotate.events.titles import event_title, states_of
from flows.core.text import slugify
from schemas.tables import PLOVER, Events

# the columns of the `events` table, in the order of its pandera model
EVENT_COLUMNS = list(Events.to_schema().columns)
_PREC_BASE = {"day": 0.6, "month": 0.45, "year": 0.3, "unknown": 0.15}
# event types matched by organisation (and summit), not by participants
_BY_ORGANIZATION = ("summit", "ministerial_meeting")
_MEETINGS = ("bilateral_meeting", "multilateral_meeting")
# event types matched by who takes part, whose rows list every participant's state
_BY_PEOPLE = _MEETINGS + ("call",)


def _completeness(c: dict) -> tuple:
    return (PREC_RANK[c["date_precision"]], c["place"] is not None, len(c["figure_ids"]),
            len(c["figure_ids"]) + len(c["country_iso3s"]), c["summit_ref"] is not None,
            c["evidence_start"] >= 0)


def _key(c: dict) -> tuple:
    return (c["event_type"], c["start_date"], c["end_date"], c["place"], tuple(c["figure_ids"]),
            tuple(c["country_iso3s"]), c["organization"], c.get("mode"))


def dedupe(cands: list[dict]) -> list[dict]:
    """One candidate per identical key within a document: the most complete, else the first."""
    best: dict[tuple, dict] = {}
    for c in cands:
        k = _key(c)
        if k not in best or _completeness(c) > _completeness(best[k]):
            best[k] = c
    return sorted(best.values(), key=lambda c: (c["evidence_start"], c["event_type"], _key(c)[1:].__repr__()))


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


def _states(c: dict) -> set[str]:
    """The participating states of a candidate: its countries and its figures' countries."""
    return states_of(c["figure_ids"], c["country_iso3s"])


def _participants_match(a: dict, b: dict) -> bool:
    t = a["event_type"]
    if t in _BY_ORGANIZATION:
        if a["organization"] != b["organization"]:
            return False
        ra, rb = a.get("summit_ref"), b.get("summit_ref")
        return ra is None or rb is None or ra == rb
    fa, fb = set(a["figure_ids"]), set(b["figure_ids"])
    ca, cb = set(a["country_iso3s"]), set(b["country_iso3s"])
    if t in _BY_PEOPLE:
        if len(fa) >= 2 and len(fb) >= 2:
            return same_people(fa, fb)  # one person under a surname-only id and a full-name id too
        # "the leaders of China and Russia" is the Putin–Xi meeting: compare the states,
        # a figure standing for the country it serves (seeds/reference/figures.csv)
        if fa and fb and not (fa <= fb or fb <= fa):
            return False
        sa, sb = _states(a), _states(b)
        return len(sa) >= 2 and sa == sb
    if t == "visit" and fa and fb:  # one visitor's visit: not three visits to one country
        return bool(fa & fb) and (not ca or not cb or bool(ca & cb))
    return bool(fa & fb) or bool(ca & cb)


def _mode_match(a: dict, b: dict) -> bool:
    """An in-person meeting and a video one of the same day are two events."""
    ma, mb = a.get("mode"), b.get("mode")
    return ma is None or mb is None or ma == mb


def _compatible(a: dict, b: dict) -> bool:
    return (a["event_type"] == b["event_type"] and _dates_match(a, b) and _place_match(a, b)
            and _mode_match(a, b) and _participants_match(a, b))


def _sort_key(c: dict) -> tuple:
    return (c["event_type"], c["start_date"] or date.max, c["end_date"] or date.max,
            c["place"] or "", c.get("mode") or "", tuple(c["figure_ids"]), tuple(c["country_iso3s"]),
            str(c["doc_id"]), c["evidence_start"], c["evidence"] or "")


def _event_id(event_type: str, start: date | None, place: str | None, parts: list[str],
              mode: str | None = None) -> str:
    key = f"{event_type}|{start.isoformat() if start else ''}|{place or ''}|{','.join(sorted(parts))}"
    if event_type == "call":  # a phone call and a video call of the same day are two events
        key += f"|{mode or ''}"
    return "ev-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _clusters(candidates: list[dict]) -> list[list[dict]]:
    """Complete linkage over candidates in a total order: the output does not depend on
    the input's order."""
    clusters: list[list[dict]] = []
    for c in sorted(candidates, key=_sort_key):
        for cl in clusters:
            if all(_compatible(c, o) for o in cl):
                cl.append(c)
                break
        else:
            clusters.append([c])
    return clusters


def _cluster_dates(cl: list[dict]) -> tuple[date | None, date | None, str]:
    """The most reported start among the most precise dates, its latest end, its precision."""
    top = max(PREC_RANK[c["date_precision"]] for c in cl)
    dated = [c for c in cl if c["start_date"] and PREC_RANK[c["date_precision"]] == top]
    if not dated:
        return None, None, "unknown"
    cnt = Counter(c["start_date"] for c in dated)
    start = sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    end = max(c["end_date"] or start for c in dated if c["start_date"] == start)
    return start, end, dated[0]["date_precision"]


def _cluster_row(cl: list[dict]) -> dict:
    """One `events` row (EVENT_COLUMNS) from a cluster of candidates."""
    best = sorted(cl, key=lambda c: tuple(-int(x) for x in _completeness(c)) + _sort_key(c))[0]
    in_order = sorted(cl, key=_sort_key)
    start, end, precision = _cluster_dates(cl)
    pcnt = Counter(c["place"] for c in cl if c["place"])
    place = sorted(pcnt.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if pcnt else None
    piso = next((c["place_country_iso3"] for c in in_order if c["place"] == place and c["place_country_iso3"]), None)
    org = next((c["organization"] for c in in_order if c["organization"]), None)
    figs = sorted({f for c in cl for f in c["figure_ids"]})
    if best["event_type"] in _BY_PEOPLE:  # each person once
        figs = sorted(set(canonical(figs).values()))
    cs = sorted({x for c in cl for x in c["country_iso3s"]})
    etype = best["event_type"]
    if etype in _BY_PEOPLE:  # merged meetings and calls list the states of their figures too
        cs = sorted(states_of(figs, cs))
    doc_ids = sorted({str(c["doc_id"]) for c in cl})
    mcnt = Counter(c["mode"] for c in cl if c.get("mode"))
    mode = sorted(mcnt.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if mcnt else None
    names: dict[str, str] = {}
    for c in in_order:
        for f, n in (c.get("names") or {}).items():
            names.setdefault(f, n)
    parts = [org] if etype in _BY_ORGANIZATION and org else figs if len(figs) >= 2 else figs + cs
    row = {
        "event_id": _event_id(etype, start, place, parts, mode),
        "event_type": etype, "mode": mode, "plover_type": PLOVER.get(etype), "title": "",
        "start_date": start, "end_date": end, "date_precision": precision,
        "place": place, "place_country_iso3": piso, "organization": org,
        "figure_ids": figs, "country_iso3s": cs, "doc_ids": doc_ids,
        "n_sources": len(doc_ids), "evidence": best["evidence"],
        # provenance: where the evidence sentence stands (offsets null for a title)
        "evidence_doc_id": str(best["doc_id"]),
        "evidence_start": best["evidence_start"] if best["evidence_start"] >= 0 else None,
        "evidence_end": best["evidence_end"] if best["evidence_end"] >= 0 else None,
    }
    row["title"] = event_title(row, names)
    conf = _PREC_BASE[precision] + 0.1 * min(len(doc_ids) - 1, 3) + (0.1 if place else 0.0)
    row["confidence"] = round(min(1.0, conf), 3)
    return {k: row[k] for k in EVENT_COLUMNS}


def merge_events(candidates: list[dict]) -> list[dict]:
    """Candidates of all documents -> `events` rows (EVENT_COLUMNS), sorted by (start_date, event_id)."""
    rows = [_cluster_row(cl) for cl in _clusters(candidates)]
    rows.sort(key=lambda r: (r["start_date"] or date.max, r["event_id"]))
    return rows
