"""Site chrome: what surrounds an article on a page and is not the article.

Most chrome is found by method in `clean.py` (lines repeated across many
documents of one source; short non-sentence lines at the tail of a page; lines
repeated inside a document). What method cannot reach is listed here, in one
place, each pattern with a test in `tests/unit/test_chrome.py`. These are
generic web and forum furniture, never a string of one particular page.
"""
from __future__ import annotations

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
