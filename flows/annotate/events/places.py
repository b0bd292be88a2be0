"""Places of events: where a sentence says a meeting was, and which place names are no
venue ("the Beijing-Tianjin-Hebei cluster", "from the Kremlin")."""
from __future__ import annotations

from flows.annotate.events.patterns import AT_PLACE_RX


def in_compound(text: str, start: int, end: int) -> bool:
    """A city inside a hyphenated name ("the Beijing-Tianjin-Hebei cluster") is not
    where a summit was held."""
    return (end + 1 < len(text) and text[end] in "-–" and text[end + 1].isalpha()) or \
        (start >= 2 and text[start - 1] in "-–" and text[start - 2].isalpha())


def place_info(place_rows: dict[str, dict], pid: str) -> tuple[str | None, str | None]:
    """(name, country iso3) of a place id; an unknown id gives its title-cased words."""
    p = place_rows.get(pid)
    return (p["name"], p["country_iso3"]) if p else (pid.replace("-", " ").title(), None)


def sentence_place(place_rows: dict[str, dict], sent: str, sm: list[dict]) -> tuple[str | None, str | None]:
    """The first place of the sentence `sent` (mentions `sm`) that stands after "in/at"."""
    for mm in sm:
        if mm["entity_type"] == "place" and AT_PLACE_RX.search(sent[max(0, mm["_s"] - 50):mm["_s"]]):
            return place_info(place_rows, mm["entity_id"])
    return None, None


def destination(d, mentions: list[dict], pos: int) -> tuple[str | None, str | None, list[str]] | None:
    """A visit's destination, the first country or place mention at or after `pos`, as
    (place, its country, the countries visited), or None; `d` is the document's EventDoc."""
    mention = next((mm for mm in mentions if mm["_s"] >= pos and mm["entity_type"] in ("country", "place")), None)
    if mention is None:
        return None
    if mention["entity_type"] == "place":
        place, piso = place_info(d.places, mention["entity_id"])
        return place, piso, [piso] if piso else []
    return None, mention["entity_id"], [mention["entity_id"]]
