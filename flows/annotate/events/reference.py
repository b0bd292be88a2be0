"""The summits and places tables as event extraction reads them, normalised once per
batch (pass a `Reference` for both) or per document (pass the tables)."""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from flows.core.text import slugify


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


def as_date(v: Any) -> date | None:
    """A date from a date, datetime, pandas Timestamp or ISO string; None if none."""
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
        self.summits = norm_summits(summits)
        self.places = norm_places(places)


def norm_summits(summits: Any) -> list[dict]:
    """Summit rows with dates, seq and format normalised, sorted by (start_date, council)."""
    if isinstance(summits, Reference):
        return summits.summits
    out = []
    for r in _rows(summits):
        sd, ed = as_date(r.get("start_date")), as_date(r.get("end_date"))
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


def norm_places(places: Any) -> dict[str, dict]:
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
