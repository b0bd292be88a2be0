"""People named in a text, found by evidence and linked across spellings.

A run of capitalised words is a person when there is evidence for it:
- it is a known figure (seeds/reference/figures.csv), by a transliteration-aware
  key (`text.name_key`: "Sadir Zhaparov" and "Sadyr Japarov" share one);
- a title or role stands before it ("Kremlin spokesperson Dmitry Peskov",
  "Iranian President Ebrahim Raisi"), or before it as an apposition ("the Prime
  Minister of Pakistan, Shehbaz Sharif");
- a speech verb follows it ("..., Raisi said").
A surname alone ("Putin", "Xi") links to the full name met earlier in the same
document, or to the one known figure with that surname. Forum user names
(`documents.author`), countries, organisations, places and demonyms are never
part of a person's name.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import metadata

from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from flows.annotate.lexicon import words
from flows.core.gazetteer import FAMILY_NAME_FIRST, Gazetteer, fold, surname_of
from flows.core.text import name_key, slugify

lexicon = words  # (the word lists of flows/annotate/lexicon/)

# "Sir", "Lt.", "Gen.", "Sgt": titles and ranks, evidence that a name follows
HONORIFICS = lexicon("honorifics")
# a place's first word ("Santa Fe", "Nova Scotia") and a place's or firm's last word
# ("Victoria Street", "Salomon Brothers"): a run so made is no person by its given name
PLACE_PREFIXES = lexicon("place_prefixes")
NAME_TAILS = lexicon("name_tails")
# US Census 2000 surnames counted 1,000 times or more (public domain): a common English
# word that ends a name must be one ("Boris Johnson", not "Sky Vegas Poker")
SURNAMES = lexicon("surnames")
# Korean family names (lexicon/korean_family_names.txt), and one syllable of a Korean given
# name in its usual romanisations: an initial consonant or cluster, a vowel, a final
# consonant ("Sang", "mok", "Hoon", "Jae", "Myung", "hye")
KOREAN_FAMILY_NAMES = lexicon("korean_family_names")
_KOREAN_SYLLABLE = re.compile(
    r"(?:kk|tt|pp|ss|jj|ch|sh|ph|th|kh|ts|[gkndrlmbsjchtpyw])?"
    r"(?:yae|yeo|wae|eui|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|ee|ou|ei|a|e|o|u|i)"
    r"(?:ng|ck|[kntlmpgbrs])?$")
# "Jan." with its full stop is the month
MONTH_ABBREVIATIONS = lexicon("month_abbreviations")

# Words that make a role or title: stripped from the front of a name, and the
# evidence that what follows is a person.
TITLE_WORDS = lexicon("title_words") | HONORIFICS
# Words that end a role phrase before an apposition: "the Prime Minister of Pakistan, Shehbaz Sharif".
ROLE_HEADS = lexicon("role_heads")
# Title words that are evidence on their own that a person follows ("the" or "former" are not).
EVIDENCE_TITLES = ROLE_HEADS | lexicon("evidence_titles") | HONORIFICS
# Words that end a role phrase: "Chairman of the Board X", "Chief of Staff X".
ROLE_TAILS = lexicon("role_tails")
# Head nouns of organisations, offices, laws and programmes (closed class): a name never
# ends in one, and one splits a run ("Consumer Financial Protection Bureau Rohit Chopra",
# "Inflation Reduction Act", "Justice Department"). Each kind has a test in
# tests/unit/test_figure_names.py.
ORG_HEADS = lexicon("org_heads")
# verbs after a name that make it a person ("..., Raisi said"); longest first in the pattern
SPEECH_VERBS = "|".join(sorted(lexicon("actor_verbs"), key=lambda v: (-len(v), v)))
NOT_NAMES = lexicon("not_names") | ORG_HEADS
# a capitalised word, or an initial ("V."); a full stop never joins two sentences' words
_TOKEN = r"(?:[A-Z]\.|(?:al|el|ad|as|ash|an|ar|at|ul|bin|ibn|abu)-[A-Z][\w'’\-]*|[A-ZÀ-ÖØ-Þ][\w'’\-]*)"
_PARTICLE = r"(?:bin|ibn|al|el|de|da|van|von|der|la|le|du|dos|di|e|y)"
_CAND_TAIL = rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_TOKEN}){{0,8}}"
CAND = re.compile(_TOKEN + _CAND_TAIL)
# CAND for a run that starts at a capital: its first token's alternatives in the same
# order ("V." before "V"), the capital taken out in front so that the pattern starts with
# a character class, which `re` scans for in C instead of trying CAND at every position
_CAND_AT_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ](?:(?<=[A-Z])\.|[\w'’\-]*)" + _CAND_TAIL)


def _cand_runs(text: str):
    """The matches of `CAND.finditer(text)`, found faster. A CAND match starts at a capital
    or at a particle whose hyphen stands right before one ("al-Assad": 3 or 4 characters
    before it); from the next capital at or after `pos`, those particle starts are tried
    first, as finditer would, then the match at the capital (which always succeeds)."""
    pos = 0
    search, match = _CAND_AT_CAPITAL.search, CAND.match
    while True:
        m = search(text, pos)
        if m is None:
            return
        u = m.start()
        if text[u - 1:u] == "-":
            for q in (u - 4, u - 3):
                if q >= pos:
                    p = match(text, q)
                    if p:
                        m = p
                        break
        yield m
        pos = m.end()


_SPEECH_AFTER = re.compile(rf"^\s*,?\s*(?:has |had |have |also |then |later |once again |further )?(?:{SPEECH_VERBS})\b")
# "Sekai Nzenza, Zimbabwe's Minister of Industry": a role right after the name
_ROLE_AFTER = re.compile(r"^,\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,3}(?:"
                         + "|".join(sorted(ROLE_HEADS | lexicon("roles_after"))) + r")\b", re.IGNORECASE)
# after one word alone, only a role with its article: "Sakakibara, a ... official"
_ROLE_AFTER_SINGLE = re.compile(r"^,\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){0,3}(?:"
                                + "|".join(sorted(ROLE_HEADS | lexicon("roles_after"))) + r")\b")
_TITLE_BEFORE = re.compile(r"(?:\b(?:" + "|".join(sorted(ROLE_HEADS)) + r")|\b(?:spokesperson|counterpart)s?"
                           r"|\b(?:" + "|".join(sorted(HONORIFICS)) + r")\.?)\s*$", re.IGNORECASE)
# "President of Italy Sergio Mattarella", "Secretary of National Defence Delfin Lorenzana",
# "Federal Chancellor of the Republic of Austria Sebastian Kurz": a role "of" a country or office
_ROLE_OF_BEFORE = re.compile(
    r"(?i:\b(?:" + "|".join(sorted(ROLE_HEADS)) + r"))\s+of\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’\-]*\s+(?:(?:of|and|the|for)\s+)*){1,6}$")
_APPOSITION = re.compile(r"(?:\b(?:" + "|".join(sorted(ROLE_HEADS)) + r")\b[\w\s'’-]{0,40}),\s*$", re.IGNORECASE)


_REGNAL_WORDS = {"II", "III", "IV", "VI", "VII", "VIII"}
_REGNAL = re.compile(r"\s+(?:II|III|IV|VI|VII|VIII)$")


_POSSESSIVE = re.compile(r"['’]s$")
_WS_TOKEN = re.compile(r"\S+")
# Words _TITLE_BEFORE can end with: an ASCII window that ends with none of them (case and
# trailing spaces aside) cannot match it, and most windows are ASCII.
_TITLE_ENDINGS = frozenset(ROLE_HEADS | HONORIFICS | {"spokespersons", "counterpart", "counterparts"})
# the characters of an ASCII word (lower case) and the hyphen, the one other character
# of a title ("secretary-general")
_WORD_OR_HYPHEN = "abcdefghijklmnopqrstuvwxyz0123456789_-"


# left-to-right / right-to-left marks, zero-width spaces and joiners, the BOM: dropped
_INVISIBLE = {cp: None for cp in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF)}


def _title_before(text: str, start: int) -> bool:
    """A title or role right before `start` ("Kremlin spokesperson Dmitry Peskov"):
    `_TITLE_BEFORE` on the 40 characters before.

    In an ASCII window (the usual case) the pattern matches iff, white space aside, the
    window ends with a title word that starts a word (`\b`): the last run of word
    characters and hyphens is one, or ends with "-" and one ("vice-president"), because a
    title is made of letters and hyphens and a hyphen is the only non-word character of
    such a run. A set lookup instead of the pattern tried at each of 40 positions."""
    window = text[max(0, start - 40):start]
    if not window.isascii():
        # an invisible mark between the title and the name ("President\u200e Xi") is no gap
        window = window.translate(_INVISIBLE)
    if window.isascii():
        low = window.rstrip().lower()
        if low.endswith("."):  # "Lt. Gen. Stephen J. Townsend": an abbreviated rank
            low = low[:-1]
            return low[len(low.rstrip(_WORD_OR_HYPHEN)):] in HONORIFICS
        last = low[len(low.rstrip(_WORD_OR_HYPHEN)):]
        if last in _TITLE_ENDINGS:
            return True
        return "-" in last and any(last[i + 1:] in _TITLE_ENDINGS for i, c in enumerate(last) if c == "-")
    return bool(_TITLE_BEFORE.search(window))


# "the Dave Matthews Band", "the Houston Chronicle": a name after "the" is a thing's name
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
# "Max Planck Institute", "Christian Democratic Party": a capitalised word after the run
_NEXT_WORD = re.compile(r"[ \t]+([A-Z][\w'’-]*)")


# a place's name, not a surname: after "in" or "near", or before ", TX" / ", Texas"
_A_PLACE_HERE = re.compile(r"\b(?:in|near|outside)\s+$")
_STATE_AFTER = re.compile(r",\s+(?:[A-Z]{2}\b|Texas|California|Florida|Virginia|Ohio|Georgia|Maryland)")
# "Dave\nWilcox": a given name whose surname a line break cut off
_NAME_ON_NEXT_LINE = re.compile(r"[ \t]*\n[ \t]*[A-Z][a-z]")
# characters that glue a word into a URL or a file name ("FLOTUS-Medal.png", "text=Jeremias%20")
_IN_A_LINK = frozenset("/=%-_.@#")
_PREV_WORD = re.compile(r"([A-Za-z]+)[\s,]*$")
# the words after which a capital names a place (entities.LOCATIVE: "in", "at", "of", "the" ...)
LOCATIVES = lexicon("locatives")


# the words right before a surname (a title, a demonym); and titles any figure may bear
_WORDS_BEFORE = re.compile(r"[A-Za-z][\w’'-]*")
_GENERIC_TITLES = lexicon("generic_titles")


def _inside_a_title(text: str, start: int, end: int) -> bool:
    """A run found by its shape alone that is part of the name of a thing: after "the", or
    before a capitalised word no name ends in (an organisation's, place's or firm's head)."""
    return bool(_THE_BEFORE.search(text, max(0, start - 5), start)) or _before_a_head(text, end)


def _before_a_head(text: str, end: int) -> bool:
    """A capitalised word no name ends in right after `end`: "Rice University", "Laken Riley Act"."""
    m = _NEXT_WORD.match(text, end)
    if m:
        nxt = fold(_clean_token(m.group(1)))
        return nxt in NOT_NAMES or nxt in NAME_TAILS
    return False


def _apposition_before(text: str, start: int) -> bool:
    """`_APPOSITION` on the 80 characters before `start`: "the Prime Minister of Pakistan, "
    The pattern ends in a comma and white space, so a window that does not is no match."""
    window = text[max(0, start - 80):start]
    return window.rstrip().endswith(",") and bool(_APPOSITION.search(window))


# A word at least this frequent in English (wordfreq's Zipf scale: 3 is once per million
# words) is "common": "Human", "Services", "Extraordinary", "Provisions". Names are words
# too ("Putin" 4.1, "Young" 5.4), so commonness alone never rejects a name that has other
# evidence: a run is no person when every word is common and none is a given name; a single
# word after a title is none when it is very common (COMMON_SINGLE) and no given name.
COMMON_ZIPF = 3.5
# "Wisconsin-based Clarios", "Kremlin-backed": an adjective, never part of a name
_ADJECTIVE_SUFFIXES = ("-based", "-led", "-backed", "-owned", "-run", "-funded", "-made", "-born")
COMMON_SINGLE_ZIPF = 4.0
# A word after a given name at most this frequent may be a surname ("Johnson" 4.7,
# "Smith" 4.9); "Street" 5.3, "University" 5.4 are not (and NAME_TAILS has the rest)
NAME_WORD_ZIPF = 5.0
# a last word this rare in English may be a surname though no census counted it ("Milicevic")
RARE_ZIPF = 3.0
# A given name, from nomquamgender's name data (MIT; names with their counts from many
# national sources, shipped in the wheel): one seen in at least this many sources, this
# many times. Its file is read as text for these two numbers, without importing the
# package (which loads all 700,000 entries and pandas).
_GIVEN_MIN_SOURCES = 15
_GIVEN_MIN_COUNT = 1000
_RARER_MIN_SOURCES = 10
_RARER_MIN_COUNT = 300
# an entry: "name": [sources, count, female share, ...]; names seen fewer than 50 times
# are no use here (given names need 300, the quotes' genders 50)
_NAME_ENTRY = re.compile(r'"([a-z][a-z\-]+)": \[(\d+), (\d{2,}), ([^,\]]*)')
_NAME_MIN_COUNT = 50


@lru_cache(maxsize=1)
def name_data() -> tuple[tuple[str, int, int, str], ...]:
    """(name, sources, count, female share as written) of every lower-case ASCII name in
    nomquamgender's data seen at least _NAME_MIN_COUNT times: its 22 MB file read once a
    process, for the given names here and the quotes' genders (quotes/gender.py)."""
    path = metadata.distribution("nomquamgender").locate_file("nomquamgender/name_data.json")
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    return tuple((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4).strip())
                 for m in _NAME_ENTRY.finditer(raw) if int(m.group(3)) >= _NAME_MIN_COUNT)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Lower-case ASCII given names ("karine", "todd", "rose", "jen")."""
    return frozenset(n for n, sources, count, _ in name_data()
                     if sources >= _GIVEN_MIN_SOURCES and count >= _GIVEN_MIN_COUNT)


@lru_cache(maxsize=1)
def rarer_given_names() -> frozenset[str]:
    """Given names seen less often ("leroi", "kanye", "solon"): the name data also holds
    words ("the" in 13 sources), so these count only where the word is rare in English."""
    return frozenset(n for n, sources, count, _ in name_data()
                     if sources >= _RARER_MIN_SOURCES and count >= _RARER_MIN_COUNT)


@lru_cache(maxsize=1)
def subdivision_names() -> frozenset[str]:
    """Folded names of the ISO 3166-2 subdivisions (pycountry): "nova scotia", "santa fe"."""
    import pycountry

    return frozenset(fold(sd.name.split(" (")[0].strip()) for sd in pycountry.subdivisions)


def zipf(word: str) -> float:
    """English word frequency of a word (case folded), on the Zipf scale; 0 for unknown."""
    return zipf_frequency(word, "en")


def _strip_possessive(tok: str) -> str:
    return _POSSESSIVE.sub("", tok)


def _clean_token(tok: str) -> str:
    return tok.strip(".,;:’'\"-")


_BYLINE_START = re.compile(r"\s*by\s+$", re.I)  # a line "By Jane Doe"
_CREDIT = re.compile(r",\s+by\s+$", re.I)  # "<headline>, by Jane Doe for The Outlet"


def is_byline(text: str, start: int, end: int) -> bool:
    """A name that is a byline: alone after "By" at the start of its line, or a credit
    "..., by <name> for <outlet>". Bylines are documents' authors, not figures."""
    before = text[max(0, start - 4):start]
    if "y" not in before and "Y" not in before or before.rstrip()[-2:].lower() != "by":
        return False   # (cheap: both need "by" right before the name)
    line = text[text.rfind("\n", 0, start) + 1:start]
    return bool(_BYLINE_START.fullmatch(line) or (_CREDIT.search(line) and text.startswith(" for ", end)))


class FigureFinder:
    """Finds person mentions in one document at a time; shares the gazetteer."""

    def __init__(self, gz: Gazetteer):
        self.gz = gz
        self.blocked = gz.country_names | gz.org_names | gz.place_names
        self._known = list(gz.figure_keys)
        # memos for one batch: a batch repeats the same capitalised words and names
        self._tokens: dict[str, tuple[str, str, bool]] = {}
        self._links: dict[str, str | None] = {}
        self._parts: dict[str, tuple[tuple, ...]] = {}
        self._single_keys: dict[str, str | None] = {}
        self._by_length: dict[int, list[str]] = {}
        # the first words of the known figures' names and aliases ("vladimir"): given names,
        # and where a known name in capitals may start (`_caps_names`)
        self._first_words = self._reference_given_names()
        self._given = given_names() | self._first_words
        self._rarer = rarer_given_names()
        # the known figures' surnames as spelt (folded): "khan", not "mai" for May
        self._surname_forms = {fold(surname_of(n, r.get("country_iso3"))) for r in gz.figures.values()
                               for n in [r["name"]] + (r.get("aliases") or "").split("|") if n.strip()}
        self._words: dict[str, tuple[float, bool]] = {}

    def _reference_given_names(self) -> set[str]:
        """First words of the known figures' names and aliases ("Vladimir", "Shavkat")."""
        out = set()
        for r in self.gz.figures.values():
            for name in [r.get("name") or ""] + (r.get("aliases") or "").split("|"):
                parts = name.split()
                if len(parts) > 1:
                    out.add(name_key(parts[0]))
        return out

    def _word(self, fw: str) -> tuple[float, bool]:
        """(Zipf frequency, is a given name) of a folded word."""
        info = self._words.get(fw)
        if info is None:
            parts = [p for p in fw.split("-") if p]  # "Frank-Walter": either part
            info = (zipf(fw), any(p in self._given or name_key(p) in self._given for p in parts))
            if len(self._words) >= 200_000:
                self._words.clear()
            self._words[fw] = info
        return info

    def _droppable(self, raw: str, fw: str) -> bool:
        """A word that can stand before a name without being part of it: a title or role,
        an organisation's head noun, a common English word that is no given name ("Attorney
        General", "Power Rising", "Information"), or one letter without a full stop ("Q", the
        question mark of a press transcript; an initial has its full stop: "J. Smith")."""
        if len(fw) == 1:
            return not raw.endswith(".")
        if fw in TITLE_WORDS or fw in ORG_HEADS or fw.endswith(_ADJECTIVE_SUFFIXES):
            return True
        z, given = self._word(fw)
        return z >= COMMON_ZIPF and not given

    def _never_in_name(self, raw: str, fw: str) -> bool:
        """A title, an organisation's head noun or a lone letter without a full stop."""
        return ((len(fw) == 1 and not raw.endswith(".")) or fw in TITLE_WORDS or fw in ORG_HEADS
                or fw.endswith(_ADJECTIVE_SUFFIXES))

    def _not_a_name(self, infos: list) -> bool:
        """Every word common and none a given name: "Human Services", "Loan Forgiveness",
        "Red Cross", "Biden Announces Presidential Delegation"."""
        for _, fw, _ in infos:
            z, given = self._word(fw)
            if given or z < COMMON_ZIPF:
                return False
        return True

    def _a_thing(self, text: str, start: int, end: int, infos: list) -> bool:
        """The subject of "said" that is a place or firm by its words: "Santa Fe said",
        "Salomon Brothers said", "Nova Scotia said"."""
        return (infos[0][1] in PLACE_PREFIXES or infos[-1][1] in NAME_TAILS
                or " ".join(fw for _, fw, _ in infos) in subdivision_names() or _inside_a_title(text, start, end))

    def _given_first(self, w: str, fw: str) -> bool:
        """A word that may open a person's name: a given name in mixed case that starts no
        place name; a rarer given name only where it is a rare English word ("LeRoi")."""
        if len(fw) < 2 or fw in PLACE_PREFIXES or w.isupper() or not w[0].isupper():
            return False  # ("Tren de Aragua": a particle opens no name)
        if "-" in fw:  # "Jean-Claude", not "All-American": each part a given name
            return all(self._word(p)[1] for p in fw.split("-") if p)
        z, given = self._word(fw)
        return given or (fw in self._rarer and z < COMMON_ZIPF)

    @staticmethod
    def _korean_name(infos: list) -> bool:
        """A Korean family name, then a given name of two romanised syllables, hyphenated or
        not ("Choi Sang-mok", "Kim Do Hoon", "Park Geun-hye"): a full name, family name first."""
        if infos[0][1] not in KOREAN_FAMILY_NAMES or not 2 <= len(infos) <= 3:
            return False
        given = [p for _, fw, _ in infos[1:] for p in fw.split("-")]
        words = [w for w, _, _ in infos[1:]]
        return (len(given) == 2 and all(_KOREAN_SYLLABLE.match(p) for p in given)
                and all(w[0].isupper() and not w[1:].replace("-", "").isupper() for w in words))

    def _full_name_start(self, infos: list) -> int | None:
        """Where a run that is a person's full name by its words alone starts (0, or 1 after
        a stray word: "Coroner William McLaughlin"), else None. Two to four words: a given
        name (`_given_first`), then initials, given names or words rarer than NAME_WORD_ZIPF,
        the last no place's or firm's head word ("Gwen Stefani", "Frederick H. Collier"; not
        "Victoria Street", "Santa Fe"), the whole no ISO 3166-2 subdivision ("Nova Scotia")."""
        i = 0
        if self._korean_name(infos):
            return 0
        if len(infos) >= 3 and not self._given_first(*infos[0][:2]) and not self._word(infos[0][1])[1]:
            i = 1
        rest = infos[i:]
        if not 2 <= len(rest) <= 4 or not self._given_first(*rest[0][:2]):
            return None
        last = rest[-1][1]
        if len(last) < 2 or last in NAME_TAILS or not (last in SURNAMES or self._word(last)[0] < RARE_ZIPF):
            return None  # "Sky Vegas Poker": a last word that is no surname and a common word
        for w, fw, _ in rest[1:]:
            if w.isupper() and len(fw) > 1:
                return None  # "John UK": an abbreviation is no name word
            if len(fw) > 1:
                z, given = self._word(fw)
                if z >= NAME_WORD_ZIPF and not given:
                    return None
        if " ".join(fw for _, fw, _ in rest) in subdivision_names():
            return None
        return i

    def _common_single(self, word: str) -> bool:
        """One very common word that is no given name: "Extraordinary", "Provisions", "Start"."""
        z, given = self._word(fold(word))
        return z >= COMMON_SINGLE_ZIPF and not given

    def _token(self, tok: str) -> tuple[str, str, bool]:
        """(word, folded word, whether it cannot be part of a name) for a raw token:
        the word is the token without a possessive and surrounding punctuation."""
        info = self._tokens.get(tok)
        if info is None:
            w = _clean_token(_strip_possessive(tok))
            fw = fold(w)
            info = (w, fw, self._bad(w) or (fw in MONTH_ABBREVIATIONS and tok.endswith(".")))
            if len(self._tokens) >= 200_000:  # bound the memo on huge batches
                self._tokens.clear()
            self._tokens[tok] = info
        return info

    def link(self, full: str) -> str | None:
        """figure_id of a known figure for a full name, across spellings."""
        key = name_key(full)
        if key in self._links:  # the fuzzy search below is the costly part: once per key
            return self._links[key]
        fid = self.gz.figure_keys.get(key)
        if not fid and len(key) >= 8 and self._known:
            best = process.extractOne(key, self._choices(len(key)), scorer=fuzz.ratio, score_cutoff=92)
            if best and len(best[0].split()) == len(key.split()):
                fid = self.gz.figure_keys[best[0]]
        if len(self._links) >= 200_000:
            self._links.clear()
        self._links[key] = fid or None
        return fid or None

    def _choices(self, n: int) -> list[str]:
        """The known keys a key of length `n` may reach fuzz.ratio 92 with, in their order.
        ratio = 100 * (1 - indel / (n + m)) and indel >= |n - m|, so a key whose length is
        more than 8% of the sum away scores below 92 (10% kept, for rounding): leaving it
        out changes neither the best match nor which of equal ones comes first."""
        out = self._by_length.get(n)
        if out is None:
            out = self._by_length[n] = [k for k in self._known if abs(len(k) - n) <= 0.1 * (len(k) + n)]
        return out

    def _bad(self, w: str) -> bool:
        fw = fold(w)
        if w in _REGNAL_WORDS:
            return False  # "Abdullah II"
        return (not w or fw in NOT_NAMES or fw in self.blocked or (w.isupper() and len(w) > 1)
                or any(c.isdigit() for c in w))

    def _name_parts(self, toks: list[tuple[int, int, str]]) -> list[tuple[list, bool]]:
        """The parts of a run of capitalised words that may be names, each with
        whether a title stands before it. Words that cannot be in a name, and
        possessives or punctuation, split the run: "Chief of Staff Sergei
        Sobyanin", "Perm Territory Governor Oleg Chirkunov", "Xi Jinping's Belt"."""
        segments: list[list] = [[]]
        after_tail: set[int] = set()  # segments that follow a role tail ("... Customs Service | Andrei Belyaninov")
        for t in toks:
            w, fw, bad = self._token(t[2])
            if bad:
                segments.append([])
                continue
            segments[-1].append(t)
            is_initial = len(w) == 1
            if t[2].endswith(("'s", "’s", ",", ".", ":", ";")) and not is_initial:
                segments.append([])
            elif fw in ROLE_TAILS and len(segments[-1]) > 1:
                segments.append([])
                after_tail.add(len(segments) - 1)
        parts = [self._strip_titles(seg) for seg in segments]
        return [(seg, titled or i in after_tail) for i, (seg, titled) in enumerate(parts) if seg]

    def _run_parts(self, run: str) -> tuple[tuple, ...]:
        """`_name_parts` of a run of capitalised words (offsets relative to the run), each
        part as (tokens, titled, _token infos, words, start, surface): all of it depends on
        the run's words alone, so it is computed once per distinct run (most often "The",
        "In" ... with no part at all) and only shifted to where the run stands."""
        parts = self._parts.get(run)
        if parts is None:
            out = []
            for seg, titled in self._name_parts([(t.start(), t.end(), t.group()) for t in _WS_TOKEN.finditer(run)]):
                infos = tuple(self._token(t[2]) for t in seg)
                words = tuple(w for w, _, _ in infos)
                start = seg[0][0]
                out.append((tuple(seg), titled, infos, words, start, run[start:seg[-1][0] + len(words[-1])]))
            # tuples all the way down: the garbage collector stops tracking such a memo
            # entry, and a batch's memos no longer make every full collection longer
            parts = tuple(out)
            if len(self._parts) >= 200_000:
                self._parts.clear()
            self._parts[run] = parts
        return parts

    def _single_key(self, surface: str) -> str | None:
        """name_key of a single word that may be a surname; None for one that cannot be
        (a country, organisation or place name, a non-name word, one letter). Memoised:
        the same words come back in every document."""
        key = self._single_keys.get(surface, "")
        if key == "":
            fs = fold(surface)
            if fs in self.blocked or fs in NOT_NAMES or len(surface) < 2:
                key = None
            else:
                key = name_key(surface)
            if len(self._single_keys) >= 200_000:
                self._single_keys.clear()
            self._single_keys[surface] = key
        return key

    def _strip_titles(self, seg: list) -> tuple[list, bool]:
        titled = False
        while seg:
            w = self._token(seg[0][2])[1]
            if w in TITLE_WORDS or w in self.gz.country_names or w in ROLE_TAILS:
                titled = titled or w in EVIDENCE_TITLES or w in ROLE_TAILS
                seg = seg[1:]
            else:
                break
        return seg, titled

    def _multi_word(self, text: str, toks: list, titled: bool, infos: list, words: list,
                    start: int, end: int, surface: str) -> dict | tuple | None:
        """A part of two or more words (`find`): a person's mention (a dict), or a run that is
        no person as a whole (a tuple for `find`'s `failed`: its words may be surnames), or
        None."""
        # whether a title stands right before it: `titled`, else `_title_before`, looked at
        # only where it counts (None: not yet)
        direct = titled or None
        start0 = start
        if infos[-1][1] in TITLE_WORDS or infos[-1][1] in ROLE_TAILS:
            return None  # "Perm Territory Governor", "Customs Service": a title or office, not a name
        fid = self.link(surface)
        method = "gazetteer" if fid else None
        if not fid and len(words) > 2:
            # "Maybe Alexander Lukashenko", "Prime Minster Dmitry Medvedev": a stray
            # capitalised word before a known full name
            for i in range(1, len(words) - 1):
                sub_start = toks[i][0]
                sub = self.link(text[sub_start:end])
                if sub:
                    fid, method, start, surface = sub, "gazetteer", sub_start, text[sub_start:end]
                    break
        if not fid:
            k, j = self._name_span(toks, infos, words)
            if j - k < 2 or infos[j - 1][1] in TITLE_WORDS:
                # no full name left ("Information Teo", "Q Jen"): its words may be surnames
                return (start, end, surface, toks, words)
            if j - k < len(words):
                direct = direct or _title_before(text, start0) or any(fw in EVIDENCE_TITLES for _, fw, _ in infos[:k])
                toks, infos, words = toks[k:j], infos[k:j], words[k:j]
                start, end = toks[0][0], toks[-1][0] + len(words[-1])
                surface = text[start:end]
                direct = direct or _title_before(text, start)
                fid = self.link(surface)
                method = "gazetteer" if fid else None
        if not fid and self._not_a_name(infos):
            # every word common, none a given name: "Human Services", "Red Cross"
            return (start, end, surface, toks, words)
        if not fid and name_key(words[-1]) in self.gz.surnames and not any(self._word(fw)[1] for _, fw, _ in infos[:-1]):
            if (len(words) == 2 and infos[-1][1] in self._surname_forms and not self._droppable(toks[0][2], infos[0][1])
                    and not _inside_a_title(text, start, end)):
                # "Moin Khan": a rare word before a known surname is someone else's given name
                return {"entity_type": "figure", "entity_id": slugify(surface), "surface": surface, "start": start,
                        "end": end, "method": "name", "name": surface}
            # "Later Peskov said": a known surname after a stray capitalised word (but
            # "Taoiseach Simon Harris" is a full name: a given name stands before it)
            return (start, end, surface, toks, words)
        if not fid:
            if direct is None:
                direct = _title_before(text, start0)
            method, start = self._evidence(text, toks, infos, direct, start, end)
            if method is None:
                # not a person as a whole ("Calling Putin"): its words may still be surnames
                return (start, end, surface, toks, words)
            surface = text[start:end]
            fid = slugify(surface)
        return {"entity_type": "figure", "entity_id": fid, "surface": surface, "start": start,
                "end": end, "method": method, "name": surface}

    def _name_span(self, toks: list, infos: list, words: list) -> tuple[int, int]:
        """The words [k, j) of a run that are the name (`_multi_word`)."""
        if self._korean_name(infos):
            return 0, len(words)   # "Choi Sang Mok": the family name is no stray word
        # where the name starts and ends: words before it that are titles, offices or
        # common words ("Attorney General Todd Blanche", "Power Rising Joi Chaney",
        # "Q Karine") and a lone letter after it ("Paige C-") are not part of it
        # two names with a title between ("... Austin Davis Minnesota Lieutenant Governor
        # Peggy", "Los Angeles Mayor James K. Hahn"): the name after the title, else before
        titles = [i for i in range(1, len(words) - 1) if infos[i][1] in EVIDENCE_TITLES]
        if titles and len(words) - titles[-1] - 1 >= 2:
            cut_from, cut_to = titles[-1] + 1, len(words)
        elif titles and titles[0] >= 2:
            cut_from, cut_to = 0, titles[0]
        else:
            cut_from, cut_to = 0, len(words)
        k = cut_from
        while k < cut_to and self._droppable(toks[k][2], infos[k][1]):
            k += 1
        # a common word is cut off only before a given name ("Power Rising Joi Chaney",
        # not "López Obrador", "Moon Jae-in"); titles, offices and lone letters always
        # (or before two or more words none of them common: "Construction Yevgeny Moskvichev")
        rest_rare = cut_to - k >= 2 and all(self._word(fw)[0] < COMMON_ZIPF or self._word(fw)[1]
                                            for _, fw, _ in infos[k:cut_to])
        # and never down to one word: "Moon Jae-in" (surname first) stays whole
        while k > cut_from and (cut_to - k < 2 or (k < cut_to and not self._word(infos[k][1])[1]
                                                   and not rest_rare)) \
                and not self._never_in_name(toks[k - 1][2], infos[k - 1][1]):
            k -= 1
        j = cut_to
        while j > k and len(infos[j - 1][1]) == 1 and not toks[j - 1][2].endswith("."):
            j -= 1
        return k, j

    def _evidence(self, text: str, toks: list, infos: list, direct: bool, start: int, end: int) -> tuple:
        """(how a run of unknown words is shown to be a person, where the name starts), or
        (None, start): a title or a role "of" a country before it, an apposition, a speech
        verb or a role after it, or the shape of a full name."""
        if direct or _ROLE_OF_BEFORE.search(text[max(0, start - 90):start]):
            return "title", start
        if _apposition_before(text, start):
            return "apposition", start
        if _SPEECH_AFTER.match(text[end:end + 40]) and not self._a_thing(text, start, end, infos):
            return "speech", start
        if _ROLE_AFTER.match(text[end:end + 60]):
            return "apposition", start
        i = self._full_name_start(infos)
        if i is not None and not _inside_a_title(text, start, end):
            return "name", toks[i][0]  # (after a stray word: "Coroner William McLaughlin")
        return None, start

    def _known_surname(self, text: str, start: int, surface: str, key: str, exact: bool) -> str | None:
        """The one known figure with this surname (by name_key), spelt as that surname is
        (if `exact`: "Mai" of "Chiang Mai" is not Theresa May) or nearly (a word standing
        alone: "Asad" for Assad, not "Jan" for Khan), when no title or country before the
        word says it is someone else (`_fits_figure`)."""
        known = self.gz.surnames.get(key, ())
        if len(known) != 1 or _A_PLACE_HERE.search(text, max(0, start - 12), start) or _STATE_AFTER.match(text, start + len(surface)):
            return None  # "in Austin", "Austin, TX": the city
        fid = next(iter(known))
        ref = self.gz.figures[fid]
        fs = fold(surface)
        forms = {fold(surname_of(n, ref.get("country_iso3"))) for n in [ref["name"]] + (ref.get("aliases") or "").split("|") if n}
        if fs not in forms and (exact or not any(f[:1] == fs[:1] and abs(len(f) - len(fs)) <= 1 for f in forms)):
            return None
        return fid if self._fits_figure(text, start, ref) else None

    def _fits_figure(self, text: str, start: int, ref: dict) -> bool:
        """No title or country right before a surname that the known figure's role and
        country contradict: "Taoiseach Harris" is not Kamala Harris, "Polish President
        Duda" is no Brazilian."""
        words = _WORDS_BEFORE.findall(text[max(0, start - 50):start])[-4:]
        role = fold(ref.get("role") or "")
        iso = ref.get("country_iso3")
        for w in words:
            fw = fold(w)
            if fw in self.gz.demonyms and self.gz.demonyms[fw] != iso:
                return False
        last = fold(words[-1]) if words else ""
        return not (last in EVIDENCE_TITLES and last not in role and last not in _GENERIC_TITLES)

    def _lone_given_name(self, text: str, start: int, end: int, surface: str) -> bool:
        """A word that is a given name (sources' threshold) and a rare English word
        (below RARE_ZIPF: "László", "Ilona"; not "Victoria", "Florence"), in mixed case,
        no US surname, not part of a thing's name or a link, not after a preposition of
        place ("in Yamal": a place that is also a given name)."""
        fw = fold(surface)
        if fw not in self._given or fw in subdivision_names():  # (a set first: most words are no given name)
            return False  # ("Virginia", "Samara": a state, a province)
        if (len(fw) < 3 or not fw.isalpha() or not surface[0].isupper() or not surface[1:].islower() or fw in SURNAMES
                or text[start - 1:start] in _IN_A_LINK or text[end:end + 1] in _IN_A_LINK):
            return False
        z, given = self._word(fw)
        if not given or z >= RARE_ZIPF or _inside_a_title(text, start, end):
            return False
        prev = _PREV_WORD.search(text, max(0, start - 20), start)
        return not (prev and prev.group(1).lower() in LOCATIVES)  # "in Yamal", "at Shiloh"

    @staticmethod
    def _role_title_before(text: str, start: int) -> bool:
        """A title that names a role (not "Mr", "Mrs") right before `start`."""
        words = _WORDS_BEFORE.findall(text[max(0, start - 30):start])
        last = fold(words[-1]) if words else ""
        return last in EVIDENCE_TITLES and last not in _GENERIC_TITLES

    def _shared_surnames(self, found: list[dict]) -> dict[str, list[str]]:
        """name_key of a surname two or more of the people found share -> their figures,
        those the reference knows first, in order of appearance."""
        out: dict[str, list[str]] = {}
        for f in sorted(found, key=lambda f: (f["entity_id"] not in self.gz.figures, f["start"])):
            if " " in f["name"]:
                ref = self.gz.figures.get(f["entity_id"])
                key = name_key(surname_of(_REGNAL.sub("", f["name"]), ref.get("country_iso3") if ref else None))
                ids = out.setdefault(key, [])
                if f["entity_id"] not in ids:
                    ids.append(f["entity_id"])
        return {k: v for k, v in out.items() if len(v) > 1}

    def _given_names_of(self, found: list[dict]) -> dict[str, str]:
        """name_key of the given name of each full name found in a document -> its figure,
        for the given names that only one of them has ("Jared" after "Jared Leto"). A name
        of a family-name-first country ("Xi Jinping") has none."""
        out: dict[str, str | None] = {}
        for f in found:
            words = f["name"].split()
            if len(words) < 2 or not self._word(fold(words[0]))[1]:
                continue
            ref = self.gz.figures.get(f["entity_id"])
            if ref and ref.get("country_iso3") in FAMILY_NAME_FIRST:
                continue
            key = name_key(words[0])
            out[key] = f["entity_id"] if out.get(key, f["entity_id"]) == f["entity_id"] else None
        return {k: v for k, v in out.items() if v}

    def _singles(self, text: str, singles: list[tuple], found: list[dict]) -> list[dict]:
        """The mentions among single words (`find`): a surname or given name of a full name
        found in this document, a known figure's surname, or one word with a title, a role
        or a rare given name."""
        out: list[dict] = []
        # surnames alone: link to a full name in this document, else to the one known figure
        by_surname: dict[str, str] = {}
        for f in found:
            ref = self.gz.figures.get(f["entity_id"])
            iso = ref.get("country_iso3") if ref else None
            if (not ref and fold(f["name"].split(" ", 1)[0]) in KOREAN_FAMILY_NAMES
                    and self._korean_name([self._token(w) for w in f["name"].split()])):
                iso = "KOR"   # "Kim Do Hoon ... Kim said": the family name first
            by_surname.setdefault(name_key(surname_of(_REGNAL.sub("", f["name"]), iso)), f["entity_id"])
            if ref:
                by_surname.setdefault(name_key(surname_of(ref["name"], iso)), f["entity_id"])
        by_given = self._given_names_of(found)
        shared = self._shared_surnames(found)
        for start, end, surface, *flag in singles:
            key = self._single_key(surface)
            if key is None or (text[end:end + 1] == "." and fold(surface) in MONTH_ABBREVIATIONS):
                continue  # ("Jan. 5": the month)
            fid = by_surname.get(key)
            if fid and key in shared and self._role_title_before(text, start):
                # two people of one surname here ("Melania Trump", "Donald Trump") and a role
                # before it ("President Trump"): the known figure whose role it fits
                fid = next((f for f in shared[key] if f in self.gz.figures
                            and self._fits_figure(text, start, self.gz.figures[f])), fid)
            method = "surname"
            if (not fid and flag and key in by_given and not _inside_a_title(text, start, end)
                    and not _NAME_ON_NEXT_LINE.match(text, end) and fold(surface) not in subdivision_names()):
                # (a word standing alone: "Laken Riley Act" names a law, not Riley Moore)
                fid, method = by_given[key], "given_name"
            if not fid and key in self.gz.surnames and not _before_a_head(text, end):
                # a word of a longer run that is no person ("Chiang Mai") must be spelt as
                # the surname is; a word standing alone may be spelt otherwise ("Asad");
                # never the head of a thing's name ("Rice University")
                fid = self._known_surname(text, start, surface, key, exact=not flag)
                method = "surname_gazetteer"
            # (flag: [whether a title word of the run stood before it]; the cheap tests first)
            if (not fid and flag and len(surface) >= 3 and not surface.isupper()
                    and not self._common_single(surface) and (flag[0] or _title_before(text, start))):
                # "Prime Minister Kristersson", "Secretary General Stoltenberg": a title
                # before a single unknown name is evidence enough
                fid, method = slugify(surface), "title"
            if (not fid and flag and text[end:end + 1] == "," and len(surface) >= 3 and surface[1:].islower()
                    and _ROLE_AFTER_SINGLE.match(text[end:end + 60]) and not self._common_single(surface)):
                # "Sakakibara, a high-ranking Finance Ministry official": a role right after
                fid, method = slugify(surface), "apposition"
            if not fid and flag and self._lone_given_name(text, start, end, surface):
                # "László saves him": a given name no English word shares, standing alone
                fid, method = slugify(surface), "given_name"
            if not fid and "-" in surface:
                # "the second Putin-Raisi summit": two surnames of this document
                parts = [(m.start(), m.group()) for m in re.finditer(r"[^-]+", surface)]
                ids = [by_surname.get(name_key(p)) or next(iter(self.gz.surnames.get(name_key(p), ())), None)
                       if len(self.gz.surnames.get(name_key(p), ())) <= 1 or name_key(p) in by_surname else None
                       for _, p in parts]
                if len(parts) > 1 and all(ids):
                    for (off, p), pid in zip(parts, ids):
                        out.append({"entity_type": "figure", "entity_id": pid, "surface": p,
                                      "start": start + off, "end": start + off + len(p), "method": "surname",
                                      "name": p})
                continue
            if fid:
                out.append({"entity_type": "figure", "entity_id": fid, "surface": surface, "start": start,
                              "end": end, "method": method, "name": surface})
        return out

    def _caps_names(self, text: str, run: str, base: int) -> list[dict]:
        """Known figures named in full in capitals ("PUTIN MEETS XI JINPING", "SERGEI LAVROV:"):
        the longest windows of two to four words whose name_key is a known figure's name or
        alias, in a speaker's label or a headline. A signature or the issuer of a proclamation
        is the document's author, as a byline is, never a figure."""
        toks = [(t.start(), t.group().rstrip(":,;.")) for t in _WS_TOKEN.finditer(run)]
        out, i = [], 0
        while i < len(toks) - 1:
            if name_key(toks[i][1]) not in self._first_words:
                i += 1   # (cheap: no known name opens with this word)
                continue
            for n in range(min(4, len(toks) - i), 1, -1):
                fid = self.gz.figure_keys.get(name_key(" ".join(w for _, w in toks[i:i + n])))
                if fid:
                    break
            else:
                i += 1
                continue
            start, end = base + toks[i][0], base + toks[i + n - 1][0] + len(toks[i + n - 1][1])
            a, b = text.rfind("\n", 0, start) + 1, text.find("\n", end)
            after = text[end:b if b != -1 else len(text)]
            line_rest = text[a:start] + after
            # a speaker's label ("SERGEI LAVROV: ..."), or a headline: a line in capitals
            # with other words ("PUTIN MEETS XI JINPING"); not the issuer of a proclamation
            # ("I, JOSEPH R. BIDEN JR., President ...") nor a signature, alone on its line
            if after.lstrip().startswith(":") or (line_rest.upper() == line_rest and any(c.isalpha() for c in line_rest)):
                out.append({"entity_type": "figure", "entity_id": fid, "surface": text[start:end], "start": start,
                            "end": end, "method": "caps_name", "name": text[start:end]})
            i += n
        return out

    def find(self, text: str, authors: set[str] = frozenset()) -> list[dict]:
        """Figure mentions: dicts entity_type='figure', entity_id, surface, start, end, method, name."""
        blocked_authors = {fold(a) for a in authors if a}
        found: list[dict] = []
        singles: list[tuple] = []  # (start, end, surface[, titled by a word of its run])
        failed: list[tuple] = []  # multi-word runs that are no person as a whole
        memo = self._parts
        for m in _cand_runs(text):  # = CAND.finditer(text)
            base = m.start()
            run = m.group()
            if " " in run and run.isupper():
                # capitals throughout: no word of it passes `_bad`; only a known figure's name
                found.extend(self._caps_names(text, run, base))
                continue
            parts = memo.get(run)  # (the memo looked up here: a call per run costs)
            if parts is None:
                parts = self._run_parts(run)
            for seg, titled, infos, words, rel_start, surface in parts:
                start = base + rel_start
                end = start + len(surface)
                if blocked_authors and (fold(surface) in blocked_authors
                                        or any(fw in blocked_authors for _, fw, _ in infos)):
                    continue
                if is_byline(text, start, end):  # an author: documents.author, never a figure
                    continue
                if len(words) == 1:
                    # only a title right before it makes one unknown word a person ("King
                    # Abdullah"); "Minister of Industry and Commerce" does not. (Whether one
                    # stands before it is looked at only where it counts, below.)
                    singles.append((start, end, surface, titled))
                    continue
                toks = [(s + base, e + base, tok) for s, e, tok in seg]
                got = self._multi_word(text, toks, titled, infos, words, start, end, surface)
                if type(got) is dict:
                    found.append(got)
                elif got is not None:
                    failed.append(got)
        # a run with no evidence of its own that repeats a full name found elsewhere in the
        # document ("Vladimir Putin and Sebastian Kurz gave ...") is that person
        full_names = {name_key(f["surface"]): f["entity_id"] for f in found if " " in f["surface"]}
        # a name found by its shape alone that repeats one found by evidence is a repeat of it
        evidenced = {name_key(f["surface"]): f["entity_id"] for f in found if f["method"] != "name"}
        for f in found:
            if f["method"] == "name" and name_key(f["surface"]) in evidenced:
                f["entity_id"], f["method"] = evidenced[name_key(f["surface"])], "repeat"
        for start, end, surface, toks, words in failed:
            fid = full_names.get(name_key(surface))
            if fid:
                found.append({"entity_type": "figure", "entity_id": fid, "surface": surface, "start": start,
                              "end": end, "method": "repeat", "name": surface})
            elif not self._word(fold(words[0]))[1]:
                # (a run that opens with a given name is someone's full name, never a known
                # figure's surname after a stray word: "Ulisses Correia e Silva" is not Lula)
                singles.extend((t[0], t[0] + len(w), w) for t, w in zip(toks, words) if w)
        found += self._singles(text, singles, found)
        found.sort(key=lambda f: f["start"])
        return found
