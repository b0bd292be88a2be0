"""Small text utilities every annotator shares: sentence spans, paragraph spans,
and a transliteration-aware key for names.

Offsets are always character offsets into the cleaned `documents.text`, so every
annotation can be checked with `text[start:end] == surface`.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

import ahocorasick
from anyascii import anyascii

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt",
    "gov", "sen", "rep", "rev", "hon", "no", "nos", "vs", "etc", "inc", "ltd", "co",
    "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "approx", "fig",
}

# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets)
# followed by whitespace and an upper-case letter, digit or opening quote.
# (`[.!?…][.!?…]*` rather than `[.!?…]+`: a pattern that starts with a character class is
# scanned for in C, one that starts with a repeat is tried at every position)
_BOUNDARY = re.compile(r"""[.!?…][.!?…]*["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9А-Я])""")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line; our cleaned text keeps one paragraph per line."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, never crossing a paragraph (line) break."""
    # Annotation splits the same document in several extractors (quantities, quotes,
    # events): the spans are computed once per text and each caller gets its own list.
    return list(_sentence_spans(text))


@lru_cache(maxsize=8)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for p_start, p_end in paragraph_spans(text):
        para = text[p_start:p_end]
        s = 0
        for m in _BOUNDARY.finditer(para):
            # the word before the full stop: an abbreviation or an initial ("V. Putin")
            before = para[s:m.start()].rsplit(None, 1)
            word = before[-1].lower().rstrip(".") if before else ""
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            end = m.end() - (len(m.group()) - len(m.group().rstrip()))
            if end > s:
                out.append((p_start + s, p_start + end))
            s = m.end()
        if s < len(para):
            out.append((p_start + s, p_end))
    return tuple(out)


def keyword_view(text: str) -> str:
    """`text` lower-cased for cheap `word in view` tests before a case-insensitive regex:
    wherever an IGNORECASE pattern matches an ASCII word in `text`, the lower-case word is
    in the view. Python's `re` with IGNORECASE matches four non-ASCII characters to ASCII
    letters: "İ" and "ı" (i), "ſ" (long s), "K" (Kelvin sign, k); `lower()` already maps
    "İ" (to "i" + a combining dot) and "K", the other two are replaced. Each character
    becomes one character unless `lower()` expands it ("İ"), so when the view is as long
    as `text` its offsets are the text's."""
    low = text.lower()
    if not low.isascii():
        if "\u0131" in low:
            low = low.replace("\u0131", "i")
        if "\u017f" in low:
            low = low.replace("\u017f", "s")
    return low


# Words extractors look for in a document's keyword_view before trying a pattern there
# (`register_keywords`): all found in one Aho-Corasick pass per document, instead of one
# `str.find` scan of the whole document for each word.
_KEYWORDS: set[str] = set()
_KEYWORD_AUTOMATON: list = []  # [the automaton of _KEYWORDS], built on first use


def register_keywords(words) -> None:
    """Make `keyword_positions` report these (lower-case) words too."""
    new = set(words) - _KEYWORDS
    if new:
        _KEYWORDS.update(new)
        _KEYWORD_AUTOMATON.clear()
        keyword_positions.cache_clear()


@lru_cache(maxsize=8)
def keyword_positions(text: str) -> dict[str, list[int]] | None:
    """Where each registered keyword stands in `keyword_view(text)`: every occurrence,
    overlapping ones too, in increasing order (what `view.find(word)` finds, then again
    from the next position, and so on); a word that does not occur has no entry. None
    when the view's offsets are not the text's. Several extractors ask for the same
    document: computed once per text. The result is shared: do not change it."""
    view = keyword_view(text)
    if len(view) != len(text):
        return None
    if not _KEYWORDS:
        return {}
    if not _KEYWORD_AUTOMATON:
        automaton = ahocorasick.Automaton()
        for w in _KEYWORDS:
            automaton.add_word(w, (len(w), w))
        automaton.make_automaton()
        _KEYWORD_AUTOMATON.append(automaton)
    out: dict[str, list[int]] = {}
    for end, (n, w) in _KEYWORD_AUTOMATON[0].iter(view):
        pos = out.get(w)
        if pos is None:
            out[w] = [end - n + 1]
        else:
            pos.append(end - n + 1)
    return out


_INF = float("inf")


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The sentence span that contains `offset` (binary search over sorted spans)."""
    # bisect (in C) for the last span starting at or before `offset`: every (offset, end)
    # sorts before (offset, inf); the spans are sorted and disjoint, so only it can hold it
    j = bisect_right(spans, (offset, _INF)) - 1
    if j >= 0 and offset < spans[j][1]:
        return spans[j]
    return None


# Transliteration-aware key: the same name spelled from Russian, Kyrgyz, Mongolian
# or Turkmen through English, Spanish or French conventions ("Zhaparov", "Japarov";
# "Berdimuhamedov", "Berdimujamédov"; "Khurelsukh", "Jurelsuj") maps to one key.
# Order matters: digraphs first.
_TRANSLIT = [
    ("shch", "s"), ("tsch", "c"), ("sch", "s"), ("tch", "c"), ("sh", "s"), ("ch", "c"),
    ("ph", "f"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "j"), ("gh", "g"),
    ("ts", "c"), ("tz", "c"), ("h", "j"), ("x", "j"), ("q", "k"), ("w", "v"),
    ("yo", "o"), ("yu", "u"), ("ya", "a"), ("ye", "e"), ("ou", "u"), ("oo", "u"),
    ("ü", "u"), ("ö", "o"), ("y", "i"), ("ee", "i"), ("ii", "i"), ("iy", "i"),
    ("'", ""), ("’", ""), ("-", " "),
]


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A spelling-insensitive key for a person's name, for linking, never for display."""
    s = unicodedata.normalize("NFKC", name).lower()
    s = anyascii(s)
    s = re.sub(r"[^a-z' \-]", "", s)
    for a, b in _TRANSLIT:
        s = s.replace(a, b)
    s = re.sub(r"(.)\1+", r"\1", s)  # doubled letters: "Abbas"/"Abas"
    return " ".join(s.split())


@lru_cache(maxsize=65536)  # the same names are slugified again and again, per mention
def slugify(text: str) -> str:
    """A lower-case ASCII slug: 'Vladimir Putin' -> 'vladimir-putin'."""
    s = anyascii(unicodedata.normalize("NFKC", text)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "unnamed"
