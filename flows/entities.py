"""Countries, organisations and places named in a text, with exact offsets.

Countries are found by name (short, official, alias), by demonym ("Chinese
counterpart", "Uzbek city") and by capital when the capital stands for its
government ("Moscow and Beijing have deepened ...", "talks with Kiev"). A capital
after a preposition of place ("in Beijing", "to Moscow"), after "the"
("the Beijing Olympics") or before "-based" is the city: a `place` mention.
"""
from __future__ import annotations

import re

from flows.gazetteer import Gazetteer, fold

# A capital right after one of these words names the city, not the state.
LOCATIVE = {
    "in", "at", "to", "from", "near", "outside", "inside", "into", "across", "around", "via", "visited",
    "visit", "visiting", "toward", "towards", "arrived", "reached", "held", "hosted", "left", "leaving",
    "the", "of", "downtown", "central", "through", "throughout", "over", "within", "returned", "travelled",
    "traveled", "flew", "fly", "above", "outskirts", "streets", "city", "capital",
}
_PREV_WORD = re.compile(r"([A-Za-z]+)[\s,]*$")


def _is_metonym(text: str, start: int, end: int) -> bool:
    m = _PREV_WORD.search(text[max(0, start - 30):start])
    prev = m.group(1).lower() if m else ""
    if prev in LOCATIVE:
        return False
    after = text[end:end + 8]
    if after.startswith(("-based", " city", " City", "-born")) or re.match(r"\s*\d", after):
        return False
    return True


def find_entities(text: str, gz: Gazetteer, folded: str | None = None) -> list[dict]:
    """Country, organization and place mentions: dicts with entity_type,
    entity_id, surface, start, end, method. Overlaps resolve to the longest span."""
    folded = folded if folded is not None else fold(text)
    cands = []
    for s, e, (_, iso3, method) in gz.country_matcher.find(text, folded):
        cands.append((s, e, "country", iso3, method))
    for s, e, (_, org_id, _) in gz.org_matcher.find(text, folded):
        cands.append((s, e, "organization", org_id, "gazetteer"))
    for s, e, (_, place_id, _) in gz.place_matcher.find(text, folded):
        iso3 = gz.capitals.get(place_id)
        if iso3 and _is_metonym(text, s, e):
            cands.append((s, e, "country", iso3, "capital"))
        else:
            cands.append((s, e, "place", place_id, "gazetteer"))
    # longest first; organisations win ties over the places inside their names
    rank = {"organization": 0, "country": 1, "place": 2}
    cands.sort(key=lambda c: (-(c[1] - c[0]), rank[c[2]], c[0]))
    taken: list[tuple[int, int]] = []
    out = []
    for s, e, etype, eid, method in cands:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        out.append({"entity_type": etype, "entity_id": eid, "surface": text[s:e], "start": s, "end": e, "method": method})
    out.sort(key=lambda m: m["start"])
    return out
