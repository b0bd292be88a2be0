"""Site chrome: what surrounds an article on a page and is not the article.

Most chrome is found by method in `clean.py` (lines repeated across many
documents of one source; short non-sentence lines at the tail of a page; lines
repeated inside a document). What method cannot reach is listed here, in one
place, each pattern with a test in `tests/unit/test_chrome.py`. These are
generic web and forum furniture, never a string of one particular page.
"""
from __future__ import annotations

import bisect
import itertools
import re

# (name, pattern). A line that matches any of these (after stripping quotes and
# spaces) is chrome. Anchored: they must cover the whole line.
LINE_PATTERNS: list[tuple[str, str]] = [
    ("comment_form", r"(leave a (reply|comment)|post a comment|add (a )?comment|comments?( \(\d+\))?|reply)"),
    ("comment_notice", r"your email address will not be published\.?.*|required fields are marked.*"),
    ("comment_prompt", r"please enter your (comment|name|email)( here)?!?"),
    ("share", r"(share( (this|post|article|on \w+))?|tweet|pin it|email this|print( this)?( article)?)\s*:?"),
    ("subscribe", r"(subscribe( now| to our newsletter| for updates)?|sign up( for [\w ]+)?|follow us( on [\w ,]+)?|newsletter)\s*:?"),
    ("related", r"(related( articles| posts| stories| news)?|more like this|popular( posts| now)?|read (more|also|next)|see also|you may also like|recommended( for you)?|trending( now)?|latest( news)?)\s*:?"),
    ("back_to_top", r"back to top( button)?"),
    ("photo_credit", r"((image|photo|picture|video|source image|photograph)( credit)?s?|credit)\s*:\s*[\w/&@'’ -]{1,40}"),
    ("photo_by", r"\(?(photo|image|picture)s? (by|courtesy of|via) [\w .,/&'’-]{1,60}\)?"),
    # a credit line under a picture: "INQUIRER FILE PHOTO", "Reuters photo" (a few words, then the word)
    ("photo_credit_line", r"([\w.&'’-]+ ){0,3}(file )?(photo|photograph|image)s?"),
    ("cookie", r".*\b(we use cookies|cookie (policy|settings)|accept (all )?cookies)\b.*"),
    ("hashtags", r"(#[\w-]+[\s,]*){1,}"),
    ("reporting_credit", r"(with )?(additional )?reporting by (?!.*\b(said|says|told|reported)\b)[\w .,&'’-]{2,80}\.?"),
    ("ai_rewrite_notice", r".*\brewritten by (artificial intelligence|ai)\b.*"),
    ("views_disclaimer", r"the views (expressed|stated) in this (article|piece|post|column) (do not|don't) necessarily reflect .*"),
    ("empty_label", r"(date|tags?|category|categories|author|posted( on| in)?|filed under|source)\s*:?"),
    ("timestamp", r"\d{4}-\d{2}-\d{2}([ t]\d{2}:\d{2}(:\d{2})?)?(\s*(utc|gmt|[+-]\d{2}:?\d{2}))?"),
    ("url_only", r"(https?://|www\.)\S+"),
    ("forum_reactions", r"[\w .,'’-]{1,200} likes? this post"),
    ("forum_posters", r"\d+ posters?"),
    ("forum_profile_field", r"(posts|points|join date|location|age|reputation|messages|karma)\s*:\s*.{0,80}"),
    ("forum_post_number", r"-?\s*post n[°o]\.?\s*\d+"),
    ("byline", r"[Bb]y [A-Z][\w'’-]+( [A-Z][\w'’.-]+){0,3}"),
    ("date_only", r"((posted|published|updated)( on)?:? )?((mon|tues|wednes|thurs|fri|satur|sun)day,? )?"
                  r"((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(st|nd|rd|th)?,? \d{4}"
                  r"|\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{4})"),
]

_COMPILED = [
    (name, re.compile(r"^\s*(?:" + pat + r")\s*$", re.IGNORECASE if name != "byline" else 0))
    for name, pat in LINE_PATTERNS
]
# Patterns that can only match a line containing one of these words (lower case).
# They scan the whole line (".*", "[...]{1,200}"), so they are tried only when the
# word is there: a cheap substring test spares a regex scan of every paragraph.
_GATES: dict[str, tuple[str, ...]] = {
    "comment_notice": ("email address", "required fields"),
    "cookie": ("cookie",),
    "reporting_credit": ("reporting by",),
    "ai_rewrite_notice": ("rewritten by",),
    "views_disclaimer": ("views",),
    "forum_reactions": ("like",),
    "byline": ("by ",),
}
# One pass for all other case-insensitive patterns (a line is tried ~20 times
# otherwise); any match, or an open gate, sends the line to the per-pattern list,
# which keeps the order of LINE_PATTERNS for ties.
_ANY = re.compile(
    r"^\s*(?:" + "|".join(f"(?:{pat})\\s*$" for name, pat in LINE_PATTERNS if name not in _GATES) + r")",
    re.IGNORECASE)
_GATE_LIST = [(name, w) for name, words in _GATES.items() for w in words]
_QUOTES = "\"'“”‘’«»"


# The ungated patterns as one regex that scans many lines in one search, over the
# lower-cased "\n" + "\n".join(lines): a line that `_ANY` matches always holds a
# match of `_BLOCK` that starts at the newline before it (the spaces and quotes
# `chrome_kind` strips fit `[\s<quotes>]*`) and ends at the line's end (`$`, re.M).
# The converse need not hold (`\s` may cross a newline): a line a match touches is
# still checked by `chrome_kind`. Gated patterns but the byline are found by words.
# Why lower-cased text and no re.IGNORECASE: sre skips a branch that starts with a
# plain literal at the cost of one comparison, so with groups made non-capturing
# the ~15 alternatives cost little on a line of prose (4x faster than re.I). The
# patterns are written in lower case; a character whose case-insensitive match
# differs from its lower case ("ſ" matches "s") makes `candidate_lines` check every line.
_CAPTURING = re.compile(r"(?<!\\)\((?!\?)")  # "(" opening a capturing group
# In lower case, the byline ("By Pepe Escobar") is "by " and words: a superset.
_BYLINE_LOWER = r"by [a-z][\w'’-]+( [a-z][\w'’.-]+){0,3}"
_BLOCK = re.compile(
    rf"\n[\s{_QUOTES}]*(?:"
    + "|".join("(?:" + _CAPTURING.sub("(?:", _BYLINE_LOWER if name == "byline" else pat) + rf")[\s{_QUOTES}]*$"
               for name, pat in LINE_PATTERNS if name not in _GATES or name == "byline")
    + ")", re.MULTILINE)
# The other gated patterns: words that any line they match holds (in lower case),
# rarer than their gate words.
_NEEDED = {"comment_notice": ("email address", "required fields"), "cookie": ("cookie",),
           "reporting_credit": ("reporting by",), "ai_rewrite_notice": ("rewritten by",),
           "views_disclaimer": ("necessarily reflect",), "forum_reactions": ("this post",)}
assert set(_NEEDED) | {"byline"} == set(_GATES)
_NEEDED_WORDS = tuple(w for words in _NEEDED.values() for w in words)
_ASCII = bytes(range(128))
_FOLD_SAFE: dict[str, bool] = {}


def _fold_safe(c: str) -> bool:
    """Whether every element of the patterns matches the non-ASCII character `c` under
    re.IGNORECASE exactly when it matches `c.lower()` without it (cached)."""
    safe = _FOLD_SAFE.get(c)
    if safe is None:
        lo = c.lower()
        safe = (len(lo) == 1 and not re.fullmatch(r"[a-z0-9]", c, re.IGNORECASE)
                and (c.isalnum() or c == "_") == (lo.isalnum() or lo == "_")
                and c.isspace() == lo.isspace() and c.isdecimal() == lo.isdecimal())
        _FOLD_SAFE[c] = safe
    return safe


def chrome_kind(line: str) -> str | None:
    """The name of the chrome pattern that covers `line`, or None."""
    s = line.strip().strip(_QUOTES).strip()
    if not s or len(s) > 400:  # chrome is short; a paragraph is never chrome
        return None
    low = s.lower()
    gated = [name for name, word in _GATE_LIST if word in low]
    any_ungated = _ANY.match(s) is not None
    if not gated and not any_ungated:
        return None
    for name, rx in _COMPILED:
        if (name in gated if name in _GATES else any_ungated) and rx.match(s):
            return name
    return None


# A line that credits its source: "Source: La Verdad". Read for documents.source_name.
SOURCE_LINE = re.compile(r"^\s*source\s*:\s*(?P<name>[^\n]{2,60}?)\s*$", re.IGNORECASE)


def lower_lines(lines: list[str]) -> tuple[str, set[str]]:
    """("\n" + "\n".join(lines)).lower(), and the distinct non-ASCII characters of the
    lines (before lower-casing): what `candidate_lines` reads (a caller that needs them
    too computes them once)."""
    text = "\n" + "\n".join(lines)
    if text.isascii():
        return text.lower(), set()
    return text.lower(), set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass"))


def candidate_lines(lines: list[str], lowered: tuple[str, set[str]] | None = None) -> list[int] | range:
    """Indices of the lines `chrome_kind` may call chrome (a superset, in order): lines a
    match of `_BLOCK` touches, and lines holding a word of `_NEEDED`. `lowered`:
    `lower_lines(lines)`, when the caller has it."""
    if not lines:
        return []
    low, others = lowered or lower_lines(lines)
    if not all(map(_fold_safe, others)):
        return range(len(lines))
    spans = [m.span() for m in _BLOCK.finditer(low)]
    words = [w for w in _NEEDED_WORDS if w in low]
    if not spans and not words:  # prose: the common case
        return []
    # offset of the newline before each line
    newlines = list(itertools.accumulate([len(ln) + 1 for ln in lines[:-1]], initial=0))
    if len(low) != newlines[-1] + len(lines[-1]) + 1 or low.count("\n") != len(lines):
        return range(len(lines))  # lower() changed a length, or a line holds a newline
    found: set[int] = set()
    for start, end in spans:
        # every line the match overlaps (it may cross a newline, see `_BLOCK`)
        found.update(range(bisect.bisect_right(newlines, start) - 1, bisect.bisect_left(newlines, end)))
    for w in words:
        i = low.find(w)
        while i >= 0:
            found.add(bisect.bisect_right(newlines, i) - 1)
            i = low.find(w, i + 1)
    return sorted(found)


def any_chrome(lines: list[str]) -> bool:
    """`any(chrome_kind(ln) for ln in lines)`, checking only the `candidate_lines`."""
    return any(chrome_kind(lines[i]) for i in candidate_lines(lines))


def chrome_kinds(lines: list[str], lowered: tuple[str, set[str]] | None = None) -> list[str | None]:
    """`[chrome_kind(ln) for ln in lines]`, checking only the `candidate_lines`."""
    kinds: list[str | None] = [None] * len(lines)
    for i in candidate_lines(lines, lowered):
        kinds[i] = chrome_kind(lines[i])
    return kinds
