"""Countries, organisations and places named in a text, with exact offsets.

Countries are found by name (short, official, alias), by demonym ("Chinese
counterpart", "Uzbek city") and by capital when the capital stands for its
government ("Moscow and Beijing have deepened ...", "talks with Kiev"). A capital
after a preposition of place ("in Beijing", "to Moscow"), after "the"
("the Beijing Olympics") or before "-based" is the city: a `place` mention.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from flows.annotate import disambiguate, figures, lexicon
from flows.core.gazetteer import Gazetteer, fold

# A capital right after one of these words names the city, not the state ("in Beijing").
LOCATIVE = lexicon.words("locatives")
# Locatives that still hold when the capital is paired with another state ("in Moscow and
# Beijing"); "of", "from", "the" ... give way: "the authority of Moscow and Beijing",
# "another push from Beijing and Moscow".
STRICT_LOCATIVE = lexicon.words("strict_locatives")
# "the government of Taipei", "the position of Moscow": "of" after these is the state
GOVERNMENT_OF = lexicon.words("government_of")
_PREV_WORD = re.compile(r"([A-Za-z]+)[\s,]*$")
_PREV_TWO = re.compile(r"([A-Za-z]+)\s+([A-Za-z]+)[\s,]*$")
# a capital in a hyphenated pair ("Moscow-Beijing relations") or "X and Y" with another state
_PAIR_AFTER = re.compile(r"(?:\s*[-–]\s*|\s+and\s+)([A-Z][\w’'\-]*(?:\s[A-Z][\w’'\-]*)?)")
_PAIR_BEFORE = re.compile(r"([A-Z][\w’']*(?:\s[A-Z][\w’']*)?)(?:\s*[-–]\s*|\s+and\s+)$")
# a capitalised word right after the capital makes a compound name: "Ulan Bator Railways",
# "Moscow’s Crocus City Hall", "Beijing Winter Olympics"
_NAME_AFTER = re.compile(r"(?:['’]s)?\s+([A-Z][a-z][\w\-]*)")


_CAPITAL_NAMES: dict[int, set[str]] = {}


def _is_state(word: str, gz: Gazetteer | None) -> bool:
    """A country name, demonym or capital: the other half of "Moscow and Beijing"."""
    if gz is None:
        return False
    caps = _CAPITAL_NAMES.get(id(gz))
    if caps is None:
        caps = _CAPITAL_NAMES[id(gz)] = {fold(gz.places[p]["name"]) for p in gz.capitals if p in gz.places}
    w = fold(word)
    return w in gz.country_names or w in caps


def _is_metonym(text: str, start: int, end: int, gz: Gazetteer | None = None) -> bool:
    if text[start:end].isupper() and end - start > 3:
        return False  # "MOSCOW, September 23. /TASS/": a dateline names the city
    m = _PREV_WORD.search(text[max(0, start - 30):start])
    prev = m.group(1).lower() if m else ""
    m2 = _PREV_TWO.search(text[max(0, start - 40):start])
    before_prev = m2.group(1).lower() if m2 else ""
    after = text[end:end + 40]
    if after.startswith(("-based", " city", " City", "-born")) or re.match(r"\s*\d", after):
        return False
    na = _NAME_AFTER.match(after)
    if na and not _is_state(na.group(1), gz) and text[end:end + 1] != "-":
        return False
    pa = _PAIR_AFTER.match(after)
    lead = text[max(0, start - 40):start]
    pb = _PAIR_BEFORE.search(lead)
    paired = (pa and _is_state(pa.group(1), gz)) or (pb and _is_state(pb.group(1), gz))
    if pb and _is_state(pb.group(1), gz):
        # the second of a pair takes the word before the first: "in Moscow and Beijing"
        m = _PREV_WORD.search(lead[:pb.start()])
        prev = m.group(1).lower() if m else ""
    hyphen_pair = paired and (text[end:end + 1] in "-–" or text[start - 1:start] in "-–")
    if hyphen_pair:
        return True  # "Moscow-Beijing relations": two states, even after "in"
    if prev == "to" and before_prev == "according":
        return True  # "According to Beijing media"
    if prev == "of" and before_prev in GOVERNMENT_OF:
        return True  # "the government of Taipei"
    if paired and prev not in STRICT_LOCATIVE:
        return True  # "the authority of Moscow and Beijing", "a push from Beijing and Moscow"
    if prev in LOCATIVE:
        return False
    return True


# "the Indian Ocean", "the South China Sea", "the Taiwan Strait": a sea is no state
_FEATURE_AFTER = re.compile(r"\s+(?:Ocean|Sea|Gulf|Strait|Straits|Peninsula|Subcontinent)\b")
# "Latin America", "South America": a continent is no state
_CONTINENT_BEFORE = re.compile(r"\b(?:Latin|South|North|Central)\s+$")
# "(translated from Russian)", "(in Russian)": a language is no state
_LANGUAGE = re.compile(r"(?:\b(?:from|in|into)\s+)$")


def _not_a_state(text: str, s: int, e: int, method: str) -> bool:
    if _FEATURE_AFTER.match(text, e):
        return True
    if fold(text[s:e]) == "america" and _CONTINENT_BEFORE.search(text[max(0, s - 10):s]):
        return True
    if method == "demonym" and text[e:e + 1] == ")" and _LANGUAGE.search(text[max(0, s - 10):s]):
        return True
    if method == "demonym" and re.match(r"\s+language\b", text[e:e + 10]):
        return True
    return False


# the capitalised words right after a country's name or demonym ("British Airways Flight
# 9": "Airways Flight"), and a team's number ("Canada I", "Canada II")
_NAME_AFTER_STATE = re.compile(r"(?:['’]s)?((?:[ \t]+(?:(?:of|and|the|for)[ \t]+)?[A-Z][\w&’'-]*){1,5})")
# "State Railway of Thailand", "Boy Scouts of America": a name's head, "of", the country
_HEAD_OF_BEFORE = re.compile(r"([A-Z][\w’'-]*)[ \t]+of[ \t]+(?:the[ \t]+)?$")
_TEAM_NUMBER = re.compile(r"[ \t]+(?:I|II|III|IV)\b(?![’'])")
NAME_HEADS = lexicon.words("name_heads")
# the heads of state bodies: a name that ends in one is the state's ("Israeli War Cabinet")
STATE_HEADS = lexicon.words("state_heads")
# "East Germany national handball team", "the Russia national football team": a team
_NATIONAL_TEAM = re.compile(r"[ \t]+national(?:[ \t]+[a-z]+){0,2}?[ \t]+(?:team|squad|side|eleven)\b")
_POSSESSIVE = re.compile(r"['’]s$")
# words that end the run of a name after a country's word
_NAME_BREAKS = frozenset({"and", "for", "the"})


def _inside_a_name(text: str, s: int, e: int, states: frozenset | set = frozenset()) -> bool:
    """A country's name or demonym that opens the name of a company, team, event or school
    ("British Airways", "Zimbabwe Open", "China Steel", "Canada I", "Bulgarian Academy of
    Sciences", "Swiss Super League for FC Basel", "East Germany national handball team"), or
    of a subdivision ("British Columbia"), or that ends one after "of" ("State Railway of
    Thailand"), or that follows "All-" ("All-American"): part of that name."""
    if text[max(0, s - 4):s] == "All-":
        return True
    before = _HEAD_OF_BEFORE.search(text, max(0, s - 40), s)
    if before and fold(before.group(1)) in NAME_HEADS:
        return True
    if _TEAM_NUMBER.match(text, e) or _NATIONAL_TEAM.match(text, e):
        return True
    m = _NAME_AFTER_STATE.match(text, e)
    if not m:
        return False
    words = m.group(1).split()
    if s and text[s - 1] in "-–":
        return False   # "the Russian-Italian Civil Society Forum": a pair of states
    if m.group(0)[:1] in "'’":
        words = words[-1:]   # "Russia's Maritime Shipping Code": the state's, unless a name's end
    # the name runs up to "and"/"for" or another state's word ("Russian President and
    # Chinese ...", "Sweden Italy Ukraine"); a name's head anywhere in it ("Academy of
    # Sciences", "Super League for ...")
    head = False
    for w in words:
        f = fold(_POSSESSIVE.sub("", w)).strip(".,")
        if f in _NAME_BREAKS or f in states:
            break
        if f in NAME_HEADS or f in STATE_HEADS:
            head = f in NAME_HEADS   # the last head decides: "Israeli War Cabinet" is the state
    if head:
        return True
    return fold(text[s:e] + " " + words[0]) in figures.subdivision_names()


def _colonial_names(text: str, hits: list) -> set[int]:
    """Starts of the hits that make up "<demonym> <another state's name>" ("French Sudan",
    "British India", "Italian Somaliland"): a colony or former territory, neither state."""
    out: set[int] = set()
    for (s1, e1, p1), (s2, e2, p2) in zip(hits, hits[1:]):
        if p1[2] == "demonym" and p2[2] == "name" and p1[1] != p2[1] and text[e1:s2] == " ":
            out.update((s1, s2))
    return out


def find_entities(text: str, gz: Gazetteer, folded: str | None = None) -> list[dict]:
    """Country, organization and place mentions: dicts with entity_type,
    entity_id, surface, start, end, method. Overlaps resolve to the longest span."""
    folded = folded if folded is not None else fold(text)
    cands = []
    # the country, organisation and place matchers' hits, from one pass over the text
    country_hits, org_hits, place_hits = gz.entity_hits(text, folded)
    colonial = _colonial_names(text, country_hits)
    for s, e, (_, iso3, method) in country_hits:
        if _not_a_state(text, s, e, method) or _inside_a_name(text, s, e, gz.country_names) or s in colonial:
            continue
        cands.append((s, e, "country", iso3, method))
    for s, e, (_, org_id, _) in org_hits:
        cands.append((s, e, "organization", org_id, "gazetteer"))
    for s, e, (_, place_id, _) in place_hits:
        iso3 = gz.capitals.get(place_id)
        if iso3 and _is_metonym(text, s, e, gz):
            cands.append((s, e, "country", iso3, "capital"))
        else:
            cands.append((s, e, "place", place_id, "gazetteer"))
    # readings that are no state: "New Mexico", "Fulton County, Georgia", "Chad Wolf" ...
    cands = disambiguate.resolve(text, cands, gz)
    # longest first; organisations win ties over the places inside their names
    rank = {"organization": 0, "country": 1, "place": 2}
    cands.sort(key=lambda c: (-(c[1] - c[0]), rank[c[2]], c[0]))
    # the spans taken so far never overlap: kept sorted, the one starting last before `e`
    # is the only one that can reach past `s` (a bisection instead of a scan of all)
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    out = []
    for s, e, etype, eid, method in cands:
        j = bisect_left(taken_starts, e) - 1
        if j >= 0 and taken_ends[j] > s:
            continue
        taken_starts.insert(j + 1, s)
        taken_ends.insert(j + 1, e)
        out.append({"entity_type": etype, "entity_id": eid, "surface": text[s:e], "start": s, "end": e, "method": method})
    out.sort(key=lambda m: m["start"])
    return out
