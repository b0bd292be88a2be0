"""Names and titles: the short display name of a figure ("Xi") and the title of a
merged event ("Putin–Xi meeting, Samarkand")."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from flows.core.gazetteer import surname_of
from flows.core.text import slugify
from flows.annotate.events.patterns import COUNTRY_NAMES, GZ

# the word of an event type in a title ("Putin–Xi meeting"); others are an "event"
_LABELS = {"bilateral_meeting": "meeting", "multilateral_meeting": "meeting", "visit": "visit",
           "agreement": "agreement", "statement": "statement", "call": "call"}


def fig_country(fid: str) -> str | None:
    """The country a figure serves (seeds/reference/figures.csv), or None."""
    return (GZ.figures.get(fid) or {}).get("country_iso3") or None


def states_of(figs: Iterable[str], countries: Iterable[str]) -> set[str]:
    """The participating states of an event: its countries and its figures' countries."""
    return set(countries) | {x for x in map(fig_country, figs) if x}


def short_name(fid: str, surfaces: Iterable[str]) -> str:
    """The one-word name the text uses most for the figure, else its family name."""
    toks = fid.split("-")
    singles = Counter(s for s in surfaces if len(s.split()) == 1 and slugify(s) in toks)
    if singles:
        return sorted(singles.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    ref = GZ.figures.get(fid)
    if ref:  # "Xi" for Xi Jinping: the reference knows where the family name stands
        return surname_of(ref["name"], ref.get("country_iso3"))
    return toks[-1].capitalize()


def _who(row: dict, names: dict[str, str]) -> str:
    """The participants of a title: figures, and the countries no figure stands for."""
    who = "–".join(names.get(f, short_name(f, [])) for f in row["figure_ids"])
    if len(row["figure_ids"]) < 2:  # "Khürelsükh–China–Russia meeting", "China–Russia meeting"
        covered = {fig_country(f) for f in row["figure_ids"]}
        who = "–".join([who] * bool(who) + [COUNTRY_NAMES.get(c, c) for c in row["country_iso3s"]
                                              if c not in covered])
    return who


def event_title(row: dict, names: dict[str, str]) -> str:
    """The title of a merged `events` row."""
    t, org, place = row["event_type"], row["organization"], row["place"]
    year = str(row["start_date"].year) if row["start_date"] else ""
    where = f", {place}" if place else ""
    if t == "summit":
        return f"{org or 'SCO'} summit, {place} {year}".strip() if place else f"{org or 'SCO'} summit {year}".strip()
    if t == "ministerial_meeting":
        return f"{org or 'SCO'} ministerial meeting{where}" + (f" {year}" if year else "")
    if t == "accession":
        cs = " and ".join(COUNTRY_NAMES.get(c, c) for c in row["country_iso3s"])
        verb = "join" if len(row["country_iso3s"]) > 1 else "joins"
        return f"{cs} {verb} {org or 'SCO'}" + (f", {year}" if year else "")
    if t == "visit" and row["figure_ids"] and (place or row["country_iso3s"]):
        dest = place or COUNTRY_NAMES.get(row["country_iso3s"][0], row["country_iso3s"][0])
        return f"{names.get(row['figure_ids'][0], short_name(row['figure_ids'][0], []))} visit to {dest}"
    return f"{_who(row, names)} {_LABELS.get(t, 'event')}{where}".strip()
