"""The reference tables of `seeds/reference/`, loaded once per run and compiled
into Aho-Corasick automata (pyahocorasick) and alias maps.

Matching runs over a folded copy of the text that keeps every offset: each
character maps to exactly one character (lower case, accents dropped), so a
match at [start:end] in the folded text is the same span in `documents.text`.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from flows.core.text import name_key, slugify
from flows.paths import REFERENCE

_SAME = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2013": "-", "\u2010": "-", "\u2011": "-"}


def _fold_char(c: str) -> str:
    if c in _SAME:  # typographic apostrophes and hyphens match their plain forms
        return _SAME[c]
    low = c.lower()
    if len(low) != 1:
        return c
    base = unicodedata.normalize("NFD", low)[0]
    return base if base.isascii() and base.isalpha() else low


@lru_cache(maxsize=4096)
def _fold_table_for(block: int) -> dict[int, str]:
    return {cp: _fold_char(chr(cp)) for cp in range(block * 256, block * 256 + 256)}


_FOLDED: dict[str, str] = {}  # a lower-case non-ASCII character -> _fold_char of it
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str) -> str:
    """Lower case and accents dropped, one character for one character."""
    out = text.lower()
    if len(out) == len(text):
        if out.isascii():  # the common case, and the fast one
            return out
        if "\u03a3" not in text:
            # Each character was lowered on its own (only capital sigma's lower case
            # depends on its neighbours, and no character grew), and _fold_char(c) ==
            # _fold_char(c.lower()) and folding twice changes nothing (tests/unit/
            # test_gazetteer.py checks every code point), so folding the few distinct
            # non-ASCII characters of the lower-cased text with str.replace gives the
            # table's result without translating every character one by one.
            # (the distinct non-ASCII characters from a regex scan in C: a `set(out)`
            # made a string object of every character of the document)
            for ch in set(_NON_ASCII.findall(out)):
                if ch > "\x7f":
                    f = _FOLDED.get(ch)
                    if f is None:
                        f = _FOLDED[ch] = _fold_char(ch)
                    if f != ch:
                        out = out.replace(ch, f)
            return out
    table: dict[int, str] = {}
    for block in {ord(c) >> 8 for c in set(text)}:
        table.update(_fold_table_for(block))
    folded = text.translate(table)
    assert len(folded) == len(text)
    return folded


def is_boundary(text: str, start: int, end: int) -> bool:
    """The span is a whole word (or words): no letter or digit glued on either side."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


@dataclass
class Matcher:
    """Aho-Corasick over folded text (case-insensitive) plus one over the raw
    text for case-sensitive patterns (abbreviations such as 'US' or 'SCO')."""

    folded: ahocorasick.Automaton = field(default_factory=ahocorasick.Automaton)
    exact: ahocorasick.Automaton = field(default_factory=ahocorasick.Automaton)
    _n_folded: int = 0
    _n_exact: int = 0

    def add(self, pattern: str, payload: tuple, case_sensitive: bool = False) -> None:
        pattern = pattern.strip()
        if pattern[:4].lower() == "the ":  # "the People's Republic of China": the article is not the name
            pattern = pattern[4:]
        if len(pattern) < 2:
            return
        if case_sensitive:
            self.exact.add_word(pattern, (len(pattern), payload))
            self._n_exact += 1
        else:
            key = fold(pattern)
            if key not in self.folded:  # first definition wins: reference order is priority
                self.folded.add_word(key, (len(key), payload))
                self._n_folded += 1

    def finish(self) -> "Matcher":
        if self._n_folded:
            self.folded.make_automaton()
        if self._n_exact:
            self.exact.make_automaton()
        return self

    def find(self, text: str, folded: str | None = None) -> list[tuple[int, int, tuple]]:
        """Longest non-overlapping whole-word matches: (start, end, payload), by start."""
        hits = []
        if self._n_folded:
            folded = folded if folded is not None else fold(text)
            for end_idx, (n, payload) in self.folded.iter(folded):
                s, e = end_idx - n + 1, end_idx + 1
                if is_boundary(text, s, e):
                    hits.append((s, e, payload))
        if self._n_exact:
            for end_idx, (n, payload) in self.exact.iter(text):
                s, e = end_idx - n + 1, end_idx + 1
                if is_boundary(text, s, e):
                    hits.append((s, e, payload))
        return _leftmost_longest(hits)


def _leftmost_longest(hits: list[tuple[int, int, tuple]]) -> list[tuple[int, int, tuple]]:
    """Matcher.find's choice among its hits: by start, the longest first, never overlapping."""
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out, last_end = [], -1
    for s, e, p in hits:
        if s >= last_end:
            out.append((s, e, p))
            last_end = e
    return out


class MultiMatcher:
    """`Matcher.find` of several matchers with one automaton pass over the folded text
    (each pass over a document costs about as much as all of its hits).

    A case-sensitive pattern is looked up by its folded form and kept where the text holds
    it exactly: `fold` maps each character on its own, one for one, so wherever
    text[s:e] == pattern, folded[s:e] == fold(pattern). Each matcher's hits are the ones its
    own `find` collects, folded ones before exact ones as there, so the choice is the same."""

    def __init__(self, matchers: list[Matcher]):
        self.n = len(matchers)
        # folded key -> (length, [(matcher index, exact pattern or None, payload)])
        entries: dict[str, tuple[int, list]] = {}
        for i, m in enumerate(matchers):
            if m._n_folded:
                for key, (n, payload) in m.folded.items():
                    entries.setdefault(key, (n, []))[1].append((i, None, payload))
            if m._n_exact:
                for pattern, (n, payload) in m.exact.items():
                    key = fold(pattern)
                    entries.setdefault(key, (len(key), []))[1].append((i, pattern, payload))
        self.automaton = ahocorasick.Automaton()
        for key, value in entries.items():
            self.automaton.add_word(key, value)
        if entries:
            self.automaton.make_automaton()
        self._empty = not entries

    def find(self, text: str, folded: str | None = None) -> list[list[tuple[int, int, tuple]]]:
        """[matchers[i].find(text, folded) for each i]."""
        folded_hits: list[list] = [[] for _ in range(self.n)]
        exact_hits: list[list] = [[] for _ in range(self.n)]
        if not self._empty:
            folded = folded if folded is not None else fold(text)
            n_text = len(text)
            for end_idx, (n, found) in self.automaton.iter(folded):
                s, e = end_idx - n + 1, end_idx + 1
                # is_boundary(text, s, e), inline: a call per hit costs
                before = text[s - 1] if s > 0 else " "
                after = text[e] if e < n_text else " "
                if before.isalnum() or before == "_" or after.isalnum() or after == "_":
                    continue
                for i, exact, payload in found:
                    if exact is None:
                        folded_hits[i].append((s, e, payload))
                    elif text[s:e] == exact:
                        exact_hits[i].append((s, e, payload))
        return [_leftmost_longest(f + x) for f, x in zip(folded_hits, exact_hits)]


def _split(cell: str | None) -> list[str]:
    return [x.strip() for x in (cell or "").split("|") if x.strip()]


def read_csv(name: str) -> list[dict]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _case_sensitive(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 6


@dataclass
class Gazetteer:
    countries: dict[str, dict]
    country_matcher: Matcher          # payload: ("country", iso3, method)
    org_matcher: Matcher              # payload: ("organization", org_id, name)
    place_matcher: Matcher            # payload: ("place", place_id, country_iso3)
    places: dict[str, dict]
    capitals: dict[str, str]          # place_id -> iso3 of the state it is the capital of
    figures: dict[str, dict]          # figure_id -> reference row
    figure_keys: dict[str, str]       # name_key of a full name or alias -> figure_id
    surnames: dict[str, set[str]]     # name_key of a surname -> figure_ids
    demonyms: dict[str, str]          # folded demonym -> iso3
    country_names: set[str]           # folded names, aliases and demonyms: never part of a person's name
    org_names: set[str]
    place_names: set[str]
    # country_matcher, org_matcher and place_matcher in one pass (built on first use)
    _entity_matcher: MultiMatcher | None = field(default=None, repr=False, compare=False)

    def entity_hits(self, text: str, folded: str | None = None) -> list[list[tuple[int, int, tuple]]]:
        """[country_matcher.find(...), org_matcher.find(...), place_matcher.find(...)]."""
        if self._entity_matcher is None:
            self._entity_matcher = MultiMatcher([self.country_matcher, self.org_matcher, self.place_matcher])
        return self._entity_matcher.find(text, folded)


# Countries whose names put the family name first ("Xi Jinping", "Li Qiang", "Kim Jong-un").
FAMILY_NAME_FIRST = {"CHN", "TWN", "PRK", "KOR", "VNM"}


def surname_of(name: str, country_iso3: str | None) -> str:
    parts = name.split()
    if not parts:
        return name
    return parts[0] if country_iso3 in FAMILY_NAME_FIRST else parts[-1]


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    countries = {r["iso3"]: r for r in read_csv("countries.csv")}
    cm = Matcher()
    demonyms: dict[str, str] = {}
    names: set[str] = set()
    for iso3, r in countries.items():
        for alias in [r["name"], r.get("official_name", "")] + _split(r.get("aliases")):
            if not alias:
                continue
            cm.add(alias, ("country", iso3, "name"), case_sensitive=_case_sensitive(alias))
            names.add(fold(alias))
        for dem in _split(r.get("demonyms")):
            cm.add(dem, ("country", iso3, "demonym"))
            demonyms[fold(dem)] = iso3
            names.add(fold(dem))
    om = Matcher()
    org_names: set[str] = set()
    for r in read_csv("organizations.csv"):
        for alias in [r["name"]] + _split(r.get("aliases")):
            # abbreviations ("SCO", "UN") only in capitals: "un" and "sco" are not them
            om.add(alias, ("organization", r["org_id"], r["name"]), case_sensitive=_case_sensitive(alias))
            org_names.add(fold(alias))
    pm = Matcher()
    places: dict[str, dict] = {}
    place_names: set[str] = set()
    for r in read_csv("places.csv"):
        places[r["place_id"]] = r
        for alias in [r["name"]] + _split(r.get("aliases")):
            pm.add(alias, ("place", r["place_id"], r.get("country_iso3") or None))
            place_names.add(fold(alias))
    capitals: dict[str, str] = {}
    for iso3, r in countries.items():
        for cap in [r.get("capital", "")] + _split(r.get("capital_aliases")):
            pid = slugify(cap) if cap else None
            if pid and pid in places:
                capitals[pid] = iso3
        # a capital alias that is not its own places row points at the canonical one
        cap_id = slugify(r.get("capital", "")) if r.get("capital") else None
        if cap_id in places:
            for alias in _split(r.get("capital_aliases")):
                pm.add(alias, ("place", cap_id, iso3))
                place_names.add(fold(alias))
    figures: dict[str, dict] = {}
    keys: dict[str, str] = {}
    surnames: dict[str, set[str]] = {}
    for r in read_csv("figures.csv"):
        fid = r["figure_id"]
        figures[fid] = r
        for alias in [r["name"]] + _split(r.get("aliases")):
            keys.setdefault(name_key(alias), fid)
            surnames.setdefault(name_key(surname_of(alias, r.get("country_iso3"))), set()).add(fid)
    return Gazetteer(countries, cm.finish(), om.finish(), pm.finish(), places, capitals, figures,
                     keys, surnames, demonyms, names, org_names, place_names)
