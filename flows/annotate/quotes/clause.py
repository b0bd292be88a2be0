"""Pass 0: the speakers that attribution clauses name, whether or not the figure stage
found them. Around every speech verb, the subject is read from the clause's structure:

    Union secretary Jane Roe said ...     a name run ending before the verb (titles and
                                          roles before it dropped)
    ..., said club captain Jane Roe.      the last name run after the verb, before a
    ..., said Jane Roe, a lawyer at ...   comma, "at", "of", "who" ... (an apposition
                                          never names the speaker)
    The transport ministry said ...       an organisation (its last word in
    ..., the Kremlin said.                speaker_organisations.txt, or an organisation
                                          mention of the entity stage)

A person found this way that no figure mention covers becomes a mention of method
"speaker" (figure_id: the known figure of that name, else the slug of the name); a
shorter form ("Roe said", "Jane said") is the person named in full before it. A name
longer than the figure mention inside it wins ("forward Jane Austin" is not a known
Austin), and a run that is a place or a country is nobody.
"""
from __future__ import annotations

import re
from typing import Callable

from flows.annotate.figures import given_names, rarer_given_names, subdivision_names, zipf
from flows.annotate.lexicon import words
from flows.annotate.quotes.patterns import END_DOT, verb_text
from flows.core.gazetteer import fold
from flows.core.text import slugify

_ORG_HEADS = words("speaker_organisations")
_NOT_NAMES = words("speaker_not_names")
_TITLES = frozenset(w.lower() for name in ("title_words", "role_heads", "speaker_titles") for w in words(name))
_HONORIFICS = frozenset(w.lower().rstrip(".") for w in words("honorifics"))
_TOKEN = r"[A-Z][\w’'\-]*\.?"
# a run of capitalised words ending right before the verb ("... Jane Roe has said")
_RUN_BEFORE = re.compile(r"((?:" + _TOKEN + r"\s+){0,6}" + _TOKEN + r")\s*(?:has\s+|had\s+|also\s+)?$")
_RUN = re.compile(_TOKEN + r"(?:\s+" + _TOKEN + r")*")
# where a subject after the verb ends: an apposition or what follows the name
_AFTER_END = re.compile(r"[,;:!?\n“”\"«»()]|" + END_DOT
                        + r"|\s(?:at|of|who|from|with|in|on|for|to|after|before|when|as|and)\s")
_PLACE_LINK = re.compile(r"\s+(?:of|from|in)\s+$")
_ASIDE = re.compile(r",\s+(?:[\w’'\-]+\s+){0,9}[\w’'\-]+,\s+(?:(?:has|had|also)\s+)?$")
_LOWER_THE = re.compile(r"\bthe\s+((?:[\w’'\-]+\s+){0,3}[\w’'\-]+)\s*$", re.I)
_POSSESSIVE = re.compile(r"[’']s$")
_NO_SPEAKER_AFTER = frozenset(("according to",))


def _tokens(text: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    return [(lo + m.start(), lo + m.end(), m.group()) for m in re.finditer(r"\S+", text[lo:hi])]


def _name_tokens(toks: list[tuple[int, int, str]]) -> tuple[list, str]:
    """The tokens of a name run that name the speaker, and its kind ("person",
    "organization" or "" for none): words up to a possessive, a title or a role dropped."""
    toks = [(s, e, w.rstrip(".") if len(w) > 2 else w) for s, e, w in toks]
    cut = 0
    for i, (_, _, w) in enumerate(toks):
        lw = w.lower()
        if _POSSESSIVE.search(w) or lw in _NOT_NAMES:
            cut = i + 1
    toks = toks[cut:]
    if toks and toks[-1][2].lower().strip("’'") in _ORG_HEADS:
        return toks, "organization"
    titled = False
    for i in range(len(toks) - 1, -1, -1):
        if toks[i][2].lower() in _TITLES or toks[i][2].lower() in _HONORIFICS:
            toks, titled = toks[i + 1:], True
            break
    if not toks or len(toks) > 4:
        return [], ""
    return toks, "titled" if titled and len(toks) == 1 else "person"


def _org_phrase(text: str, lo: int, vstart: int) -> tuple[int, int, str] | None:
    """"the transport ministry" / "police" right before the verb: (start, end, name)."""
    seg = text[max(lo, vstart - 60):vstart]
    m = _LOWER_THE.search(seg)
    base = vstart - len(seg)
    if m and m.group(1).split()[-1].lower() in _ORG_HEADS:
        return base + m.start(1), base + m.end(1), m.group(1)
    m = re.search(r"(?:^|[\s,])(\w+)\s+$", seg)
    if m and m.group(1).lower() in _ORG_HEADS and m.group(1).islower():
        return base + m.start(1), base + m.end(1), m.group(1)
    return None


_WORD_BEFORE = re.compile(r"(\S+)\s*(?:(?:has|had|also)\s+)?$")


def run_before(text: str, lo: int, vstart: int) -> tuple[list, str]:
    """The name (tokens, kind) ending right before a verb at vstart; lo bounds the search."""
    prev = _WORD_BEFORE.search(text, max(lo, vstart - 30), vstart)
    if not prev or not prev.group(1)[:1].isupper():
        return [], ""               # "he said", "the minister noted": no name run
    seg = text[max(lo, vstart - 90):vstart]
    m = _RUN_BEFORE.search(seg)
    if not m:
        return [], ""
    base = vstart - len(seg)
    return _name_tokens(_tokens(text, base + m.start(1), base + m.end(1)))


def run_after(text: str, vend: int, hi: int) -> tuple[list, str]:
    """The name (tokens, kind) after a verb ("said club captain Jane Roe, ...")."""
    stop = _AFTER_END.search(text, vend, min(hi, vend + 90))
    end = stop.start() if stop else min(hi, vend + 90)
    runs = list(_RUN.finditer(text, vend, end))
    if not runs or not re.fullmatch(r"[\s\w’'\-.]*", text[vend:end]):
        return [], ""
    last = runs[-1]
    if text[last.end():end].strip():
        return [], ""
    return _name_tokens(_tokens(text, last.start(), last.end()))


_COMMON_ZIPF = 4.0   # an English word this frequent is no part of an unknown name ...


def _name_shaped(toks: list) -> list:
    """The tokens of a run that read as a person's name: all of them when the first is a
    given name or none is a common English word ("Chaiwat Somboon"), else from a given
    name on ("ExxonMobil Development Jane Roe" -> "Jane Roe"), else none."""
    if any(len(w) > 1 and w.isupper() for _, _, w in toks):
        return []                           # an acronym: "GE Appliances", "PBS News"
    common, rarer = given_names(), rarer_given_names()  # two sets, not their union: a union a call copies both
    words = [w.lower() for _, _, w in toks]
    if words[0] in common or words[0] in rarer or all(zipf(w) < _COMMON_ZIPF for w in words):
        return toks
    for i in range(1, len(toks) - 1):
        if (words[i] in common or words[i] in rarer) and all(zipf(w) < _COMMON_ZIPF for w in words[i + 1:]):
            return toks[i:]
    return []


def _overlaps(items: list[dict], s: int, e: int) -> list[dict]:
    return [m for m in items if m["start"] < e and s < m["end"]]


class _Found:
    """What the verbs' clauses name, gathered in text order."""

    def __init__(self, text: str, figures: list[dict], entities: list[dict], link: Callable):
        self.text, self.figures, self.entities, self.link = text, figures, entities, link
        self.persons: list[dict] = []       # new figure mentions (method "speaker")
        self.replaced: set[int] = set()     # id() of figure mentions a longer name replaces
        self.orgs: list[dict] = []          # {start, end, name}

    def _known_id(self, words: list[str]) -> str | None:
        """The person named in full elsewhere whose name holds all these words."""
        for m in self.persons + self.figures:
            if " " in m["surface"].strip() and set(words) <= set(m["surface"].split()):
                return m["entity_id"]
        return None

    def _person(self, toks: list, titled: bool = False) -> None:
        s, e = toks[0][0], toks[-1][1]
        surface = self.text[s:e]
        ents = _overlaps(self.entities, s, e)
        if any(x["entity_type"] == "organization" for x in ents):
            org = next(x for x in ents if x["entity_type"] == "organization")
            self.orgs.append({"start": org["start"], "end": org["end"], "name": org["surface"]})
            return
        if ents or fold(surface) in subdivision_names():
            self._before_place(s)           # "Premier Jane Roe of Nova Scotia said"
            return
        if _overlaps(self.persons, s, e):
            return                          # found already
        figs = _overlaps(self.figures, s, e)
        if figs and all(f["end"] - f["start"] >= e - s for f in figs):
            return                          # the figure stage's mention is this name
        words = [w for _, _, w in toks]
        fid = self._known_id(words)
        if fid is None and len(words) < 2 and not titled:
            return                          # a lone word, no title before it, naming no one known
        if fid is None and len(words) >= 2:
            toks = _name_shaped(toks)
            if not toks:
                return                      # "Border Protection", "Consumer Price Index"
            s, surface = toks[0][0], self.text[toks[0][0]:e]
        fid = fid or self.link(surface) or slugify(surface)
        self.replaced.update(id(f) for f in figs)
        self.persons.append({"entity_type": "figure", "entity_id": fid, "surface": surface,
                             "start": s, "end": e, "method": "speaker"})

    def _before_place(self, s: int) -> None:
        """The name before "of/from/in <place>" that the place's run stood for."""
        m = _PLACE_LINK.search(self.text, max(0, s - 6), s)
        if m:
            toks, kind = run_before(self.text, self.text.rfind("\n", 0, s) + 1, m.start())
            if kind in ("person", "titled"):
                self._person(toks, kind == "titled")

    def _org(self, s: int, e: int, name: str) -> None:
        if not _overlaps(self.orgs, s, e):
            self.orgs.append({"start": s, "end": e, "name": name})

    def _take(self, toks: list, kind: str) -> bool:
        if kind in ("person", "titled"):
            self._person(toks, kind == "titled")
        elif kind == "organization":
            self._org(toks[0][0], toks[-1][1], self.text[toks[0][0]:toks[-1][1]])
        return bool(kind)

    def _before_aside(self, line_lo: int, vs: int) -> tuple[list, str]:
        """"Jane Roe, 54, said" / "Jane Roe, who chairs the board, said": the name before
        a short aside between commas."""
        m = _ASIDE.search(self.text, max(line_lo, vs - 100), vs)
        return run_before(self.text, line_lo, m.start()) if m else ([], "")

    def at_verb(self, vm: re.Match) -> None:
        text = self.text
        vs, ve = vm.start(), vm.end()
        line_lo = text.rfind("\n", 0, vs) + 1
        verb = verb_text(vm)
        if verb not in _NO_SPEAKER_AFTER and (self._take(*run_before(text, line_lo, vs))
                                              or self._take(*self._before_aside(line_lo, vs))):
            return
        if verb not in _NO_SPEAKER_AFTER:
            org = _org_phrase(text, line_lo, vs)
            if org:
                self._org(*org)
                return
        inverted = verb in _NO_SPEAKER_AFTER or re.search(r"[,”\"’—–]\s*$", text[max(line_lo, vs - 3):vs])
        if inverted:
            line_hi = text.find("\n", ve)
            self._take(*run_after(text, ve, len(text) if line_hi < 0 else line_hi))


def clause_speakers(text: str, figures: list[dict], entities: list[dict], link: Callable[[str], str | None],
                    verbs: list[re.Match]) -> tuple[list[dict], list[dict], set[int]]:
    """(new person mentions, organisation speakers, id() of the figure mentions a longer
    name replaces) named by the subjects of the speech verbs (`verbs`, patterns.speech_verbs)."""
    found = _Found(text, figures, entities, link)
    for vm in verbs:
        found.at_verb(vm)
    return found.persons, found.orgs, found.replaced
