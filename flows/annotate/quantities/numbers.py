"""Numbers as written: runs of digits, number words and the scale words after them."""
from __future__ import annotations

import re
from typing import NamedTuple

from flows.annotate.quantities.lexicon import rows
from flows.core.text import keyword_positions, register_keywords
from flows.core.wordlists import words_pattern

NUM = re.compile(
    r"(?<![\w.,/#@°'’+\-−–])"            # not glued to a word, symbol or hyphen
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?!\d|[.,:/\-–]\d)"                 # not the first part of a date / time / range
)

# A NUM match is never preceded by a digit (nor by "," or "."), so it starts where a run
# of digits starts: trying NUM only there is faster than its scan of every position.
# (`\d\d*`, not `\d+`: a pattern that starts with a character class is scanned for in C)
DIGIT_RUN = re.compile(r"\d\d*")

WORD_NUMS = {r["word"]: int(r["value"]) for r in rows("number_words.csv")}
WORD_NUM = re.compile(r"\b(?:" + words_pattern(WORD_NUMS) + r")\b", re.IGNORECASE)

_SCALE_ROWS = rows("scales.csv")
SCALES = {r["word"]: float(r["factor"]) for r in _SCALE_ROWS}
# scale words usable anywhere; abbreviations only for money
SCALE_WORD = re.compile(r"(?:\s+|-)(" + words_pattern(
    r["word"] for r in _SCALE_ROWS if r["kind"] == "word") + r")\b", re.I)
SCALE_ABBR = re.compile(r"\s?(" + words_pattern(
    r["word"] for r in _SCALE_ROWS if r["kind"] == "abbreviation") + r")(?![A-Za-z])", re.I)

# The number words no other number word is a prefix of ("four" finds "fourteen" too):
# where a word stands, its prefix does, so looking for these finds every start.
WORD_NUM_PREFIXES = tuple(w for w in WORD_NUMS if not any(w != p and w.startswith(p) for p in WORD_NUMS))

register_keywords(WORD_NUM_PREFIXES)


class Token(NamedTuple):
    """A number as written: digits ("1,200.5") or a number word ("Three")."""
    start: int
    end: int
    value: float
    surface: str
    is_word: bool


def to_float(s: str) -> float:
    return float(s.replace(",", ""))


def is_year(num: str) -> bool:
    return num.isdigit() and len(num) == 4 and 1000 <= int(num) <= 2100


def word_numbers(text: str) -> list[re.Match]:
    """The matches of `WORD_NUM.finditer(text)`: number words ("two", "Three")."""
    hits = keyword_positions(text)
    if hits is None:  # the keyword view's offsets are not the text's
        return list(WORD_NUM.finditer(text))
    # A match is a whole word, so matches never overlap, and each starts where its word
    # (lower case) stands in the keyword view, whose offsets are the text's. Looking the
    # words up there finds those places much faster than the case-insensitive pattern,
    # which is tried at every position; WORD_NUM then decides at each.
    starts = set()
    for w in WORD_NUM_PREFIXES:
        starts.update(hits.get(w, ()))
    return [m for m in (WORD_NUM.match(text, i) for i in sorted(starts)) if m]


def number_tokens(text: str, digit_starts: list[int]) -> list[Token]:
    """Every number in `text`, sorted by start; `digit_starts`: where runs of digits start."""
    nums = (NUM.match(text, i) for i in digit_starts)  # = NUM.finditer(text)
    tokens = [Token(m.start(), m.end(), to_float(m.group()), m.group(), False) for m in nums if m]
    tokens += [Token(m.start(), m.end(), float(WORD_NUMS[m.group().lower()]), m.group(), True)
               for m in word_numbers(text)]
    tokens.sort()
    return tokens
