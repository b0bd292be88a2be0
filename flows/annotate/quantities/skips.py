"""Numbers that are no quantity: in URLs, e-mail addresses, hashtags and phone numbers,
in dates, after a label word ("page 5", "Article 5") and in label-value lines ("Age : 76")."""
from __future__ import annotations

import re

from flows.annotate.quantities.lexicon import words
from flows.annotate.quantities.numbers import DIGIT_RUN
from flows.core.dates import MONTHS
from flows.core.wordlists import words_pattern

SKIP_SPANS = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\w+|#\w+|@\w+"
    r"|\+\d[\d\s().\-]{6,}\d"                          # +7 (495) 123-45-67
    r"|\(?\b\d{3}\)?[ .\-]\d{3}[.\-]\d{4}\b"           # (202) 456-1111, 202.456.1111
)
# Where a SKIP_SPANS match can start when the text has no "@" (the e-mail and handle
# alternatives then cannot match, and "\S+@" was the slow part): a URL, "#", "+", "(" or
# a digit.
SKIP_START = re.compile(r"http|www\.|[#+(]|\d+")
# SKIP_START's literal alternatives (its other one is a run of digits)
_SKIP_START_LITERALS = ("http", "www.", "#", "+", "(")

# month names as written in dates, capitalised ("Jan", "January", "Sept")
_MONTHS = "(?:" + words_pattern(name.capitalize() for name in MONTHS) + ")"
_DATE_BEFORE = re.compile(
    r"\b" + _MONTHS + r"\.?\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s*(?:,|and|&|-|–|to)\s*)?$"
)
_DATE_AFTER = re.compile(
    r"^(?:st|nd|rd|th)?(?:\s*(?:,|and|&|-|–|to)\s*\d{1,2}(?:st|nd|rd|th)?)?\s+(?:of\s+)?" + _MONTHS + r"\b"
)
_LABEL_WORDS_IN_ORDER = words("number_label_words.txt")
_LABEL_BEFORE = re.compile(
    r"\b(?:" + words_pattern(_LABEL_WORDS_IN_ORDER) + r")\s*[.:#№°]?\s*$", re.I)
# Cheap tests of how a 40-character window before a number ends, for ASCII windows (the
# usual case): a window that fails them cannot match the `$`-anchored pattern, which
# the engine would otherwise try at every position of the window.
_LABEL_WORDS = tuple(sorted(set(_LABEL_WORDS_IN_ORDER)))
_LABEL_LINE = re.compile(r"^[ \t]*[-–•]?[ \t]*[A-Z][\w .'’-]{0,30}[ \t]*:[ \t]*$")


def skip_starts(text: str, digit_starts: list[int] | None = None) -> list[int]:
    """The starts of `SKIP_START.finditer(text)`, from `str.find` for each literal and
    the starts of the runs of digits (`DIGIT_RUN`). No match of one alternative can hold
    the start of another (a literal holds no digit, no literal starts inside another), so
    finditer's matches start exactly at every occurrence of each; one regex scan trying
    every alternative at every position was the slow part."""
    if digit_starts is None:
        digit_starts = [m.start() for m in DIGIT_RUN.finditer(text)]
    out = list(digit_starts)
    for lit in _SKIP_START_LITERALS:
        i = text.find(lit)
        while i >= 0:
            out.append(i)
            i = text.find(lit, i + 1)
    out.sort()
    return out


def skip_spans(text: str, digit_starts: list[int] | None = None) -> list[tuple[int, int]]:
    """The spans of `SKIP_SPANS.finditer(text)` (URLs, e-mails, hashtags, phones);
    `digit_starts`: the starts of `DIGIT_RUN.finditer(text)` if the caller has them."""
    if "@" in text:
        return [(m.start(), m.end()) for m in SKIP_SPANS.finditer(text)]
    # Without "@" every match starts where SKIP_START matches (the scan never steps over
    # such a start), so trying SKIP_SPANS there, left to right and never inside the
    # previous match, gives the same spans as finditer.
    out: list[tuple[int, int]] = []
    last_end = 0
    match = SKIP_SPANS.match
    for c in skip_starts(text, digit_starts):
        if c < last_end:
            continue
        m = match(text, c)
        if m:
            out.append((m.start(), m.end()))
            last_end = m.end()
    return out


def _label_before(before: str) -> bool:
    """`_LABEL_BEFORE.search(before)`: a label word ("page", "Article", "No.") ends it."""
    if before.isascii():
        tail = before.rstrip()
        if tail[-1:] in (".", ":", "#"):  # the one optional mark after the word
            tail = tail[:-1].rstrip()
        if not tail.lower().endswith(_LABEL_WORDS):
            return False
    return bool(_LABEL_BEFORE.search(before))


def not_a_quantity(text: str, before: str, n_start: int, n_end: int) -> bool:
    """The number at [n_start, n_end) is part of a date ("July 3", "3 and 4 July"), follows
    a label word, or is the value of a label line ("Posts : 5839"); `before`: the 40
    characters before it."""
    if _DATE_BEFORE.search(before) or _DATE_AFTER.match(text[n_end:n_end + 30]):
        return True
    if _label_before(before):
        return True
    line_end = text.find("\n", n_end)
    line_end = len(text) if line_end == -1 else line_end
    line_start = text.rfind("\n", 0, n_start) + 1
    return not text[n_end:line_end].strip() and _LABEL_LINE.match(text[line_start:n_start]) is not None
