"""Which country-looking words do not name a state.

`entities.find_entities` finds countries by name, demonym and capital; this module
then drops the readings that are not the state (or turns a capital back into the
city), by method and by evidence in the text, never by a document's string:

- a match inside a URL ("…/fact-sheet-the-american-rescue-plan/"), or in lower
  case in a normally cased line ("a turkey", "male", "a jersey"), is no mention;
- a country's name inside the longer name of another country's subdivision is
  that subdivision ("New Mexico", "New Jersey", "Northern Ireland"): ISO 3166-2
  names from pycountry;
- a country's name that is also the name of another country's subdivision
  (Georgia / US-GA, Niger / NG-NI) is the subdivision when the context says so:
  "<Place>, Georgia", "County, Georgia", "state of Georgia", "Georgia Governor",
  a list of that other country's subdivisions ("Florida, Georgia and Alabama"),
  or, failing local evidence, a document that names the other country's
  subdivisions and nothing of the state (no demonym, capital, city, official
  name). A capital that is also a subdivision name ("Seattle, Washington",
  "Washington state") is not the government;
- a name the reference flags as also a given name or word (`ambiguous_names`:
  Chad, Georgia, Jordan, ...) or a capital, right after a capitalised name word
  ("Bob Jordan", "George Washington", "Lake Chad", "Silicon Valley") or, for the
  flagged names, right before one ("Chad Wolf", "Georgia Tech", "Jordan River"),
  is part of a name, unless a state reading is in sight (a hyphenated pair
  "U.S.-Jordan", "Jordan's government", a list of states);
- a geographic feature named after a state is no state ("Gulf of Mexico",
  "Lake Chad", "Sea of Japan");
- "Indian" in the names of Native American things ("Indian Country", "American
  Indian", "Bureau of Indian Affairs", "Indian Health Service") is not India:
  the one closed list, `NATIVE_AMERICAN_*` below;
- the capital of a dependent territory read as its government needs the
  territory named somewhere in the document (by name, demonym or official name)
  or another state beside it: "Hamilton", "Douglas", "Stanley" in a text that
  never names Bermuda, the Isle of Man or the Falklands are not them.
"""
from __future__ import annotations

import re

from flows.annotate import lexicon
from flows.core.dates import MONTHS, WEEKDAYS
from flows.core.gazetteer import Gazetteer, fold

# --- the one curated list: "Indian" meaning Native American (a closed class) -------------
# the noun after "Indian": matched case-insensitively ...
NATIVE_AMERICAN_AFTER = lexicon.words("native_american_after")
# ... and only capitalised (lower case these are ordinary nouns after India's demonym:
# "the Indian community in Houston", "Indian health ministry")
NATIVE_AMERICAN_AFTER_CAPITALISED = lexicon.words("native_american_after_capitalised")
# the word before "Indian": "American Indian", "Federal Indian Law", "Urban Indian Health",
# "non-Indian"; "West Indian" / "East Indian" are the Caribbean and the old Indies
NATIVE_AMERICAN_BEFORE = lexicon.words("native_american_before")
# "Eastern Band of Cherokee Indians", "Confederated Tribes of the Umatilla Indian Reservation"
NATIVE_AMERICAN_GROUP_BEFORE = re.compile(
    r"\b(?:Band|Bands|Tribe|Tribes|Nation|Nations|Community|Pueblo|Rancheria)\s+of\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s+){0,3}$")
# the demonyms this applies to: India's
_NATIVE_AMERICAN_ISO3 = "IND"

# geographic features named after a state: "Gulf of Mexico", "Sea of Japan", "Lake Chad"
_FEATURE_BEFORE = re.compile(
    r"\b(?:Gulf|Sea|Bay|Lake|Strait|Straits|Mount|Mt\.|River|Cape|Isthmus|Port|Fort|Ft\.)\s+(?:of\s+(?:the\s+)?)?$")
_FEATURE_AFTER = re.compile(r"\s+(?:Basin|River|Valley|Lake|Mountains?|Range|Delta|Plateau|Desert|Canal|Bay|City)\b")
# "the Atlantic, Indian and Pacific oceans"
_OCEAN_LIST = re.compile(r"(?:,?\s+and|,)\s+[A-Z][a-z]+\s+(?:oceans|seas)\b")

# words that open a sentence in upper case and are no name ("And Beijing", "Today Jordan")
_FUNCTION_WORDS = lexicon.words("function_words")
# words before a state's name that qualify the state, not a person's name
_STATE_QUALIFIERS = lexicon.words("state_qualifiers")
# capitalised words before a country's word that are no name of which it is the end:
# titles ("Ambassador"), weekdays and months ("on Monday Russia ...")
_NOT_NAME_BEFORE = (lexicon.words("title_words") | lexicon.words("country_qualifiers") | frozenset(WEEKDAYS)
                    | frozenset(MONTHS) | {"inside", "outside", "within", "across", "beyond"})
# what ends a sentence or list item before a word that opens the next ("(1) Support Ukraine")
_ITEM_END = re.compile(r"(?:[.!?:;\"“”()\[*#>|-]|^|\n)\s*$")
# a lower-case word after a demonym that it qualifies ("American woman"), no function word
_CONTENT_WORD_AFTER = re.compile(r"\s+(?!(?:" + "|".join(sorted(_FUNCTION_WORDS)) + r")\b)[a-z]")
# a state reading in sight after the name: "Jordan's government", "Georgia's president"
_STATE_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:government|President|president|Prime|prime|Foreign|foreign|King|king|Queen|"
    r"sovereignty|territorial|independence|embassy|Embassy|ambassador|Ambassador|parliament|Parliament|"
    r"army|military|armed|Armed|ministry|Ministry|authorities|leadership|people|economy|border|borders|"
    r"troops|forces|Defense|Defence|Minister)\b")
# ... and before it: "President of Turkey", "the King of Jordan", "Republic of Chad"
_STATE_BEFORE = re.compile(
    r"\b(?:President|Prime Minister|King|Queen|Emir|Amir|Sultan|Government|government|Republic|Kingdom|"
    r"Embassy|embassy|Ambassador|ambassador|Minister|Parliament|people|leaders?|Leaders?)\s+(?:of|to)\s+(?:the\s+)?$")
# context that makes a name the subdivision: "state of Georgia", "Georgia Governor", ...
_SUBDIVISION_BEFORE = re.compile(
    r"(?:\b(?:[Ss]tate|[Gg]overnor|[Ss]enators?|[Cc]ongress(?:man|woman|members?)?|[Rr]epresentatives?|"
    r"[Ll]egislature|[Aa]ttorney [Gg]eneral|[Pp]eople|[Cc]itizens|[Vv]oters|[Cc]ounties|[Cc]ity|[Uu]niversity)"
    r"\s+(?:of|from|in)\s+|\b(?:County|Parish|Township),\s+)$")
_SUBDIVISION_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:[Ss]tate\b|[Gg]overnor|[Ss]enators?\b|[Ll]egislature|[Gg]eneral [Aa]ssembly|"
    r"Congress(?:man|woman|ional)|[Rr]epresentatives?\b|[Dd]emocrats?\b|[Rr]epublicans?\b|[Vv]oters|"
    r"[Cc]ount(?:y|ies)\b|[Ss]ecretary of [Ss]tate|[Aa]ttorney [Gg]eneral|[Ss]upreme [Cc]ourt|"
    r"[Dd]epartment of|[Hh]ouse of [Rr]epresentatives|[Ss]tate [Ss]enate|[Dd]elegation|residents|"
    r"drivers|farmers|families|workers)")
_URL_TOKEN = re.compile(r"https?://|www\.|\.(?:com|gov|org|net|edu|int|ru|cn|uk|io)/")
_CAP_WORD_BEFORE = re.compile(r"(?<![\w.'’-])([A-Z][a-z]+|[A-Z][a-z]{0,2}\.)\s$")
_CAP_WORD_AFTER = re.compile(r"\s([A-Z][a-z][\w’'-]*)")
_PAIR_GAP = re.compile(r"\s*(?:[-–]|,|and|,\s*and)\s*")
_SENTENCE_END = re.compile(r"(?:[.!?:;\"“”(\[*#>|-]|^|\n)\s*$")


class _Subdivisions:
    """ISO 3166-2 names (pycountry) as the pipeline needs them."""

    def __init__(self, gz: Gazetteer):
        import pycountry

        iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
        iso2to3["XK"] = "XKX"
        names: dict[str, str] = {}   # folded country name, alias, demonym -> iso3
        for iso3, r in gz.countries.items():
            for a in [r.get("name", ""), r.get("official_name", "")] + (r.get("aliases") or "").split("|"):
                if a.strip():
                    names[fold(a.strip())] = iso3
        independent = {iso3 for iso3, r in gz.countries.items() if (r.get("is_independent") or "").startswith("Yes")}
        caps = {fold(gz.places[p]["name"]): iso3 for p, iso3 in gz.capitals.items() if p in gz.places}
        self.by_country: dict[str, set[str]] = {}   # iso3 -> its subdivision names (as written)
        self.same_name: dict[str, set[str]] = {}    # folded name of a state / capital -> iso3s of
        #                                              the countries with a subdivision of that name
        self.longer: dict[str, list[tuple[str, str]]] = {}  # folded country name -> (folded
        #                                              subdivision name ending with it, iso3)
        for s in pycountry.subdivisions:
            b = iso2to3.get(s.country_code)
            if not b:
                continue
            name = s.name.split(" (")[0].strip()
            f = fold(name)
            self.by_country.setdefault(b, set()).add(name)
            a = names.get(f)
            if a and a != b and a in independent:
                self.same_name.setdefault(f, set()).add(b)
            cap_of = caps.get(f)
            if cap_of and b == cap_of and s.type in ("State", "Province", "Region", "Territory"):
                self.same_name.setdefault(f, set()).add(b)   # "Washington": state and capital
            # "New Mexico", "Northern Ireland": words before a country's name
            words = f.split()
            for i in range(1, len(words)):
                tail = " ".join(words[i:])
                if names.get(tail) and names[tail] != b:
                    self.longer.setdefault(tail, []).append((" ".join(words[:i]) + " ", b))
        self._pattern: dict[str, re.Pattern] = {}
        self._names = names
        self._caps = caps

    def pattern(self, b: str) -> re.Pattern | None:
        """A regex over the subdivisions of `b` that are no state's or capital's name."""
        if b not in self._pattern:
            subs = sorted((n for n in self.by_country.get(b, ()) if fold(n) not in self._names
                           and fold(n) not in self._caps and len(n) > 3), key=len, reverse=True)
            self._pattern[b] = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in subs) + r")\b") if subs else None
        return self._pattern[b]


_SUBS: dict[int, _Subdivisions] = {}


def _subdivisions(gz: Gazetteer) -> _Subdivisions:
    s = _SUBS.get(id(gz))
    if s is None:
        s = _SUBS[id(gz)] = _Subdivisions(gz)
    return s


_AMBIGUOUS: dict[int, frozenset[str]] = {}


def _ambiguous(gz_id: int, gz: Gazetteer) -> frozenset[str]:
    """Folded names the reference flags as also a given name or common word; "America"
    is flagged for the continent, which `entities._not_a_state` handles."""
    if gz_id in _AMBIGUOUS:
        return _AMBIGUOUS[gz_id]
    out = set()
    for r in gz.countries.values():
        for n in (r.get("ambiguous_names") or "").split("|"):
            n = n.strip()
            if n and not n.isupper() and fold(n) != "america":
                out.add(fold(n))
    _AMBIGUOUS[gz_id] = frozenset(out)
    return _AMBIGUOUS[gz_id]


def _in_url(text: str, s: int, e: int) -> bool:
    """Inside a web address: after its scheme, "www." or host in the same token."""
    if text[s - 1:s] not in "/-._=?&#%+" or s == 0:
        return False
    a = max(text.rfind(" ", 0, s), text.rfind("\n", 0, s), text.rfind("(", 0, s), text.rfind("\t", 0, s),
            text.rfind("[", 0, s)) + 1
    return bool(_URL_TOKEN.search(text, a, s))


def _lower_in_cased_line(text: str, s: int, e: int) -> bool:
    if not text[s:s + 1].islower():
        return False
    a = text.rfind("\n", 0, s) + 1
    b = text.find("\n", e)
    line = text[a:b if b != -1 else len(text)]
    return any(c.isupper() for c in line)


def _title_case_line(text: str, s: int) -> bool:
    a = text.rfind("\n", 0, s) + 1
    b = text.find("\n", s)
    words = re.findall(r"[A-Za-z][\w’'-]*", text[a:b if b != -1 else len(text)])
    if len(words) < 4 or text[a:b if b != -1 else len(text)].rstrip().endswith((".", ";", ":")):
        return False   # a headline has no full stop; a list of names does ("..., and Chad Titus.")
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _name_word_before(text: str, s: int, gz: Gazetteer) -> bool:
    """A capitalised name word right before: "Bob Jordan", "George Washington", "Mr. Jordan"."""
    m = _CAP_WORD_BEFORE.search(text, max(0, s - 20), s)
    if not m:
        return False
    w = m.group(1).rstrip(".").lower()
    if len(m.group(1)) == 2 and m.group(1)[1] == ".":
        return not _title_case_line(text, s)   # an initial: "Phillip A. Washington"
    if w in _FUNCTION_WORDS or w in _STATE_QUALIFIERS or w in gz.country_names or w in gz.place_names:
        return False
    if _SENTENCE_END.search(text, max(0, m.start() - 3), m.start()) and w in _FUNCTION_WORDS:
        return False
    return not _title_case_line(text, s)


def _ends_a_name(text: str, s: int, e: int, method: str, gz: Gazetteer) -> bool:
    """A country's name or demonym right after a capitalised word inside a sentence that is
    no title, date word, state, place or qualifier ("the Odessa American", "Campaign of Alto
    Peru"): the last word of that name, unless a state reading is in sight."""
    if text[s - 1:s] != " " or not text[s - 2:s - 1].isalpha():
        return False   # cheap gates: a letter then one space right before, ...
    a = text.rfind(" ", max(0, s - 22), s - 1)
    if not text[a + 1 if a != -1 else max(0, s - 22):s].istitle():
        return False   # ... a word with a capital first (most often "the", "of", "in")
    if method == "demonym" and (text[e - 1:e] == "s" or _CONTENT_WORD_AFTER.match(text, e)):
        return False   # "Jewish Americans", "African American woman": a people, not a name's end
    m = _CAP_WORD_BEFORE.search(text, max(0, s - 20), s)
    if not m or m.group(1).endswith(".") or m.group(1).lower() in _NOT_NAME_BEFORE:
        return False
    if _ITEM_END.search(text, max(0, m.start() - 3), m.start()):
        return False   # the word opens a sentence, line or item ("Besides Russia, ...")
    return _name_word_before(text, s, gz) and not _state_in_sight(text, s, e, gz)


def _name_word_after(text: str, e: int, gz: Gazetteer) -> bool:
    """A capitalised word right after that is no state's: "Chad Wolf", "Georgia Tech"."""
    m = _CAP_WORD_AFTER.match(text, e)
    if not m:
        return False
    w = fold(m.group(1))
    if w in gz.country_names or w in _FUNCTION_WORDS:
        return False
    return not _title_case_line(text, e)


def _state_in_sight(text: str, s: int, e: int, gz: Gazetteer) -> bool:
    """A hyphenated pair ("U.S.-Jordan"), "Jordan's government", "President of Turkey",
    a list of states."""
    if text[s - 1:s] in "-–" or text[e:e + 1] in "-–":
        return True
    if _STATE_AFTER.match(text, e) or _STATE_BEFORE.search(text, max(0, s - 40), s):
        return True
    before = re.search(r"([A-Z][\w’'.]*(?:\s[A-Z][\w’'.]*)?)(?:,|,? and|,? or)\s+$", text[max(0, s - 40):s])
    after = re.match(r"(?:,|,? and|,? or)\s+(?:the\s+)?([A-Z][\w’'.]*(?:\s[A-Z][\w’'.]*)?)", text[e:e + 40])
    for m in (before, after):
        if m and (fold(m.group(1)) in gz.country_names or fold(m.group(1).split()[0]) in gz.country_names):
            return True
    return False


def _native_american(text: str, s: int, e: int) -> bool:
    m = re.match(r"\s+([\w-]+)", text[e:e + 40])
    if m:
        w = m.group(1)
        if w.lower() in NATIVE_AMERICAN_AFTER or (w[0].isupper() and w.lower() in NATIVE_AMERICAN_AFTER_CAPITALISED):
            return True
    if NATIVE_AMERICAN_GROUP_BEFORE.search(text, max(0, s - 60), s):
        return True
    b = re.search(r"([A-Za-z]+)(?:\s+|-)$", text[max(0, s - 20):s])
    return bool(b and b.group(1).lower() in NATIVE_AMERICAN_BEFORE)


class _Doc:
    """What the whole document says, computed only when a rule asks."""

    def __init__(self, text: str, cands: list, gz: Gazetteer):
        self.text, self.cands, self.gz = text, cands, gz
        self._sub_count: dict[str, int] = {}
        self._named: set[str] | None = None
        self._evidence: dict[tuple[str, str], int] = {}
        self._persons: set[str] | None = None

    def named(self) -> set[str]:
        """iso3 of the states named by name or demonym (not by an ambiguous bare name)."""
        if self._named is None:
            amb = _ambiguous(id(self.gz), self.gz)
            self._named = {c[3] for c in self.cands if c[2] == "country" and c[4] in ("name", "demonym")
                           and fold(self.text[c[0]:c[1]]) not in amb}
        return self._named

    def person_names(self) -> set[str]:
        """Folded ambiguous names and capitals seen in the document right after a name word."""
        if self._persons is None:
            amb = _ambiguous(id(self.gz), self.gz)
            self._persons = set()
            for c in self.cands:
                if c[2] != "country" or c[4] == "demonym":
                    continue
                f = fold(self.text[c[0]:c[1]])
                if (f in amb or c[4] == "capital") and f not in self._persons \
                        and not _FEATURE_BEFORE.search(self.text, max(0, c[0] - 25), c[0]) \
                        and _name_word_before(self.text, c[0], self.gz):
                    self._persons.add(f)
        return self._persons

    def paired(self, s: int, e: int, iso3: str, any_state: bool = False) -> bool:
        """Beside the capital of a state the document names: "with Yerevan and Baku"
        (`any_state`: beside any state's name or capital)."""
        for c in self.cands:
            if c[2] == "country" and c[3] != iso3 and (any_state or (c[4] == "capital" and c[3] in self.named())):
                gap = self.text[e:c[0]] if c[0] >= e else self.text[c[1]:s] if c[1] <= s else None
                if gap is not None and len(gap) < 8 and _PAIR_GAP.fullmatch(gap):
                    return True
        return False

    def subdivisions_of(self, b: str) -> int:
        if b not in self._sub_count:
            p = _subdivisions(self.gz).pattern(b)
            self._sub_count[b] = len(set(p.findall(self.text))) if p else 0
        return self._sub_count[b]

    def state_evidence(self, iso3: str, surface: str) -> int:
        """Mentions of the state other than its bare ambiguous name: demonym, official
        name, capital, one of its cities."""
        key = (iso3, surface)
        if key not in self._evidence:
            n = 0
            f = fold(surface)
            for c in self.cands:
                if c[2] == "country" and c[3] == iso3 and fold(self.text[c[0]:c[1]]) != f:
                    n += 1
                elif c[2] == "place" and (self.gz.places.get(c[3]) or {}).get("country_iso3") == iso3:
                    n += 1
            self._evidence[key] = n
        return self._evidence[key]


def _subdivision_reading(text: str, s: int, e: int, iso3: str, others: set[str], doc: _Doc, gz: Gazetteer,
                         capital: bool) -> bool:
    """Is this name of a state (or capital) the subdivision of another country here?"""
    subs = _subdivisions(gz)
    lead = text[max(0, s - 40):s]
    if _SUBDIVISION_BEFORE.search(lead) or _SUBDIVISION_AFTER.match(text, e):
        return True
    for b in others:
        p = subs.pattern(b)
        if p is None:
            continue
        # a list with that country's subdivisions: "Florida, Georgia, and Alabama"
        near = re.search(r"(?:^|[\s(])([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)(?:,|,? and|,? or|\s+to)\s+$", lead)
        after = re.match(r"(?:,|,? and|,? or|\s+to)\s+([A-Z][\w.]*(?:\s[A-Z][\w.]*)?)", text[e:e + 40])
        for m in (near, after):
            if m and p.fullmatch(m.group(1)):
                return True
    # "<Place>, Georgia": a place before the comma that is not one of the state's own
    m = re.search(r"([A-Z][\w.’'-]*(?:\s[A-Z][\w.’'-]*){0,2}),\s*$", lead)
    if m and "\n" not in lead[m.end(1):]:
        place = m.group(1)
        words = place.split()
        if not (fold(place) in gz.country_names or fold(words[-1]) in gz.country_names
                or fold(words[0]) in _FUNCTION_WORDS or words[-1].isupper()):
            if capital:
                return True
            home = {(gz.places.get(h[2][1]) or {}).get("country_iso3") for h in gz.place_matcher.find(place)}
            if iso3 not in home and (home or any(subs.pattern(b) and subs.pattern(b).fullmatch(place) for b in others)
                                     or not doc.state_evidence(iso3, text[s:e])):
                return True
    if capital:
        return False
    if _state_in_sight(text, s, e, gz) or re.search(r"\bRepublic of\s+$", lead):
        return False
    # no local evidence: the document decides
    for b in others:
        if doc.subdivisions_of(b) and doc.subdivisions_of(b) > doc.state_evidence(iso3, text[s:e]):
            return True
    return False


def resolve(text: str, cands: list, gz: Gazetteer) -> list:
    """Candidates (start, end, entity_type, entity_id, method) of `find_entities`, with the
    country readings that are no state dropped or (capitals) turned into places."""
    if not any(c[2] == "country" for c in cands):
        return cands
    subs = _subdivisions(gz)
    amb = _ambiguous(id(gz), gz)
    doc = _Doc(text, cands, gz)
    out = []
    for c in cands:
        s, e, etype, iso3, method = c
        if etype != "country":
            out.append(c)
            continue
        verdict = _verdict(text, s, e, iso3, method, doc, gz, subs, amb)
        if verdict == "keep":
            out.append(c)
        elif verdict == "place" and method == "capital":
            hits = gz.place_matcher.find(text[s:e])
            if hits:
                out.append((s, e, "place", hits[0][2][1], "gazetteer"))
    return out


def _verdict(text: str, s: int, e: int, iso3: str, method: str, doc: _Doc, gz: Gazetteer,
             subs: _Subdivisions, amb: frozenset[str]) -> str:
    capital = method == "capital"
    drop = "place" if capital else "drop"
    if _lower_in_cased_line(text, s, e) or _in_url(text, s, e):
        return "drop"
    f = fold(text[s:e])
    # "New Mexico", "Northern Ireland": the longer name of a subdivision
    for prefix, _b in subs.longer.get(f, ()):
        if fold(text[max(0, s - len(prefix)):s]) == prefix:
            return "drop"
    if (_FEATURE_BEFORE.search(text, max(0, s - 25), s) or (method != "demonym" and _FEATURE_AFTER.match(text, e))
            or _OCEAN_LIST.match(text, e)):
        return drop
    if not capital and _ends_a_name(text, s, e, method, gz):
        return "drop"   # "Odessa American", "Alto Peru", "Labasa Indian": the end of a name
    if method == "demonym":
        if iso3 == _NATIVE_AMERICAN_ISO3 and _native_american(text, s, e):
            return "drop"
        return "keep"
    if capital and gz.places.get(_capital_id(gz, text[s:e]) or "", {}).get("name", "").startswith("The "):
        return "place"   # "The Valley" (Anguilla) without its article is any valley
    others = subs.same_name.get(f)
    if others:
        if _subdivision_reading(text, s, e, iso3, others, doc, gz, capital):
            return drop
    if (f in amb or capital) and not _state_in_sight(text, s, e, gz):
        if _name_word_before(text, s, gz):
            return drop
        if f in amb and _name_word_after(text, e, gz):
            return drop
    # "Phil Washington ... Washington was the CEO": once a person's name in the document,
    # the bare name is that person unless a state stands beside it
    if (f in amb or capital) and f in doc.person_names() and not _state_in_sight(text, s, e, gz) \
            and not doc.paired(s, e, iso3, any_state=True):
        return drop
    # a dependent territory's capital ("Hamilton", "Douglas", "Stanley") stands for its
    # government only in a text that names the territory
    if capital and not (gz.countries.get(iso3) or {}).get("is_independent", "").startswith("Yes") \
            and iso3 not in doc.named() and not _state_in_sight(text, s, e, gz) \
            and not doc.paired(s, e, iso3, any_state=True):
        return "place"
    return "keep"


_CAPITAL_IDS: dict[tuple[int, str], str | None] = {}


def _capital_id(gz: Gazetteer, surface: str) -> str | None:
    key = (id(gz), fold(surface))
    if key not in _CAPITAL_IDS:
        hits = gz.place_matcher.find(key[1])
        _CAPITAL_IDS[key] = hits[0][2][1] if hits else None
    return _CAPITAL_IDS[key]
