"""Small text utilities every annotator shares: sentence spans, paragraph spans,
and a transliteration-aware key for names.

Offsets are always character offsets into the cleaned `documents.text`, so every
annotation can be checked with `text[start:end] == surface`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
_BOUNDARY = re.compile(r"""[.!?…]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9А-Я])""")


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


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The sentence span that contains `offset` (binary search over sorted spans)."""
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if offset < s:
            hi = mid - 1
        elif offset >= e:
            lo = mid + 1
        else:
            return spans[mid]
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


def slugify(text: str) -> str:
    """A lower-case ASCII slug: 'Vladimir Putin' -> 'vladimir-putin'."""
    s = anyascii(unicodedata.normalize("NFKC", text)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "unnamed"
