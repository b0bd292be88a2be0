"""Date expressions in news text: pure regular expressions plus `datetime`.

`find_dates(text, published)` returns one dict per date expression, in text order:

    start, end      character offsets, text[start:end] == surface
    surface         the expression as it stands in the text
    date_start      datetime.date, first day covered
    date_end        datetime.date, last day covered (== date_start for one day)
    precision       'day' | 'month' | 'year'
    kind            'absolute' (a calendar name: "July 3", "in February", "2022-09-15")
                    | 'relative' (deictic: "today", "yesterday", "on Thursday",
                    "last month", "this year")

Forms handled (longest match wins, matches never overlap):

* ISO `2022-09-15` (also inside a timestamp `2024-07-08 04:55:57`).
* Numeric `07.04.2023` / `07/04/2023` (see the rule below).
* Day first: `15 September 2022`, `15–16 September 2022`, `3rd of July`.
* Month first: `September 16 2022`, `September 16, 2022`, `on July 3`,
  `July 3 and 4`, `September 16-17` (a range; parsed here, never by dateparser,
  which reads "16-17" as the year 2017).
* Month and year `February 2022` (month precision).
* A bare month after a preposition: `in February`, `in May`, `since March`,
  `early February`, `last December` (month precision; `May` is only taken after a
  preposition so the modal verb is never read as a month).  An optional
  `this/last/next year` after any year-less form fixes the year.
* A year after a preposition: `in 2019`, `since 2001` (year precision).
* Relative: `today`, `tonight`, `tomorrow`, `yesterday`, weekdays
  (`on Thursday`, `This Thursday`, `last Tuesday`: the most recent such weekday on
  or before publication; `next Monday`: the first one after it), `this/last/next
  month` (month precision), `this/last/next year` (year precision).
  "this week"/"last week" are deliberately skipped (no useful precision).

Year of a year-less date ("June 1", "in February"): among publication year −1, 0
and +1 the latest candidate whose first day is not more than 61 days after the
publication date, i.e. a date more than ~2 months after publication belongs to the
previous year.  Without a publication date, year-less and relative expressions
are dropped (they cannot be placed on the calendar).

Numeric dates `a.b.yyyy` (also with `/`): if a > 12 it is DD.MM; if b > 12 it is
MM.DD; if both are <= 12 the order is the `order` argument when given ('dmy' or
'mdy'), else the text's own habit: month-first ('mdy') when the text writes
month-name dates only month-first ("June 1", "September 23") and never day-first
("15 September"), otherwise day-first ('dmy', the European/Russian default).
So "07.04.2023" in a TASS/RT forum post full of "June 1"-style datelines is
4 July 2023; in a text that writes "15 September 2022" it is 7 April 2023.

`infer_published_date(text)` looks for an explicit publication date in the text.

Month and weekday names and the relative words are data in `flows/core/lexicon/`
(months.csv, weekdays.txt, deictic_days.csv, relative_steps.csv).
"""
from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterator

from flows.core.wordlists import read_rows, read_words, words_pattern

__all__ = ["find_dates", "infer_published_date", "MONTHS"]

_LEXICON = Path(__file__).resolve().parent / "lexicon"
_MONTH_ROWS = read_rows(_LEXICON / "months.csv")
MONTHS = {r["name"]: int(r["month"]) for r in _MONTH_ROWS}
WEEKDAYS = {name: i for i, name in enumerate(read_words(_LEXICON / "weekdays.txt"))}
_DEICTIC_DAYS = {r["word"]: int(r["offset"]) for r in read_rows(_LEXICON / "deictic_days.csv")}
_STEPS = {r["word"]: int(r["step"]) for r in read_rows(_LEXICON / "relative_steps.csv")}

_FULL_MON = "(?:" + words_pattern(r["name"] for r in _MONTH_ROWS if r["form"] == "full") + ")"
_MON = "(?:" + "|".join(
    [words_pattern(r["name"] for r in _MONTH_ROWS if r["form"] == "full")]
    + [re.escape(r["name"]) + r"\.?" for r in _MONTH_ROWS if r["form"] == "abbreviation"]) + ")"
_ORD = r"(?:st|nd|rd|th)?"
_DASH = r"\s*[-–—]\s*"
_YEAR = r"(?:19|20)\d{2}"
_REL_YEAR = r"(?:,?\s+(?:of\s+)?(?P<ry>this|last|next)\s+year)?"  # "October (of) last year"

_RE_ISO = re.compile(r"(?<![\d-])(?P<y>" + _YEAR + r")-(?P<m>\d{2})-(?P<d>\d{2})(?![\d])")
_RE_NUM = re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>"
                     + _YEAR + r")(?!\d)")
# "15–16 September 2022", "15 and 16 September"
_RE_DM_RANGE = re.compile(
    r"\b(?P<d1>\d{1,2})" + _ORD + r"(?:" + _DASH + r"|\s+(?:and|to)\s+)(?P<d2>\d{1,2})" + _ORD
    + r"\s+(?:of\s+)?(?P<mon>" + _MON + r")(?![a-z])(?:,?\s+(?P<y>" + _YEAR + r")(?!\d))?"
    + _REL_YEAR, re.I)
# "15 September 2022", "3rd of July"
_RE_DM = re.compile(
    r"\b(?P<d1>\d{1,2})" + _ORD + r"\s+(?:of\s+)?(?P<mon>" + _MON + r")(?![a-z])"
    r"(?:,?\s+(?P<y>" + _YEAR + r")(?!\d))?" + _REL_YEAR, re.I)
# "September 16-17", "July 3 and 4", "September 16-17, 2021"
_RE_MD_RANGE = re.compile(
    r"\b(?P<mon>" + _MON + r")\s+(?P<d1>\d{1,2})" + _ORD + r"(?:" + _DASH
    + r"|\s+(?:and|to)\s+)(?P<d2>\d{1,2})" + _ORD + r"(?!\d)"
    r"(?:,?\s+(?P<y>" + _YEAR + r")(?!\d))?" + _REL_YEAR, re.I)
# "September 16 2022", "September 16, 2022", "July 3"
_RE_MD = re.compile(
    r"\b(?P<mon>" + _MON + r")\s+(?P<d1>\d{1,2})" + _ORD + r"(?![\d:])"
    r"(?:,?\s+(?P<y>" + _YEAR + r")(?!\d))?" + _REL_YEAR, re.I)
# "February 2022"
_RE_MY = re.compile(r"\b(?P<mon>" + _FULL_MON + r")\s*,?\s+(?P<y>" + _YEAR + r")(?!\d)", re.I)
# "in February", "since early March", "last December"
_RE_BARE_MON = re.compile(
    r"\b(?P<prep>in|since|until|till|by|during|from|of|before|after|last|next|this|early|"
    r"late|mid|end of|beginning of|start of)(?:\s+|(?<=mid)-)(?:(?:early|late|mid)[\s-]*)?"
    r"(?P<mon>" + _FULL_MON + r")\b" + _REL_YEAR, re.I)
_RE_YEAR = re.compile(
    r"\b(?:in|since|until|till|by|during|from|of|before|after)\s+(?:early\s+|late\s+|mid-?)?"
    r"(?P<y>" + _YEAR + r")(?![\d-])", re.I)
_RE_DEICTIC = re.compile(r"\b(?P<w>" + words_pattern(_DEICTIC_DAYS) + r")\b", re.I)
_RE_WEEKDAY = re.compile(
    r"\b(?:(?P<mod>this|last|next|on|on\s+this|on\s+last)\s+)?"
    r"(?P<wd>" + words_pattern(WEEKDAYS) + r")\b", re.I)
_RE_REL_UNIT = re.compile(r"\b(?P<mod>" + words_pattern(_STEPS) + r")\s+(?P<u>month|year)\b",
                          re.I)

# what a pass proposes: (span, first day, last day, precision, kind)
Found = tuple[tuple[int, int], date | None, date | None, str, str]
Order = str | Callable[[], str] | None


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer_year(published: date | None, month: int, day: int = 1, rel_year: str | None = None) -> int | None:
    """Year for a year-less month/day, relative to the publication date (see module doc)."""
    if published is None:
        return None
    if rel_year:
        return published.year + _STEPS[rel_year.lower()]
    limit = published + timedelta(days=61)
    best = None
    for y in (published.year - 1, published.year, published.year + 1):
        d = _safe_date(y, month, min(day, calendar.monthrange(y, month)[1]))
        if d is not None and d <= limit:
            best = y
    return best


def _text_order(text: str) -> str:
    """'mdy' when month-name dates in `text` are only month-first, else 'dmy'."""
    # Every text a range pattern matches, its single-date pattern matches too ("15-16
    # September" holds "16 September", "September 16-17" holds "September 16"), so the
    # single patterns decide alone; and day-first is only looked for when month-first is
    # there. Same answer as testing all four, for a fraction of the regex scans.
    if not _RE_MD.search(text):
        return "dmy"
    return "dmy" if _RE_DM.search(text) else "mdy"


class _Kept:
    """The date expressions kept so far. A new one is kept only when it overlaps none:
    the kept spans are disjoint, so sorted by start they are sorted by end too, and the
    one starting last before a new span ends is the only one that can reach into it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.rows: list[dict] = []
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, span: tuple[int, int], ds: date | None, de: date | None, precision: str, kind: str) -> None:
        s, e = span
        if ds is None or de is None or de < ds:
            return
        j = bisect_left(self._starts, e)
        if j > 0 and self._ends[j - 1] > s:
            return
        i = bisect_left(self._starts, s)
        self._starts.insert(i, s)
        self._ends.insert(i, e)
        self.rows.append({"start": s, "end": e, "surface": self.text[s:e], "date_start": ds,
                          "date_end": de, "precision": precision, "kind": kind})


def _iso_dates(text: str, published: date | None, order: Order) -> Iterator[Found]:
    """"2022-09-15", also inside a timestamp."""
    for m in _RE_ISO.finditer(text):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        yield m.span(), d, d, "day", "absolute"


def _numeric_dates(text: str, published: date | None, order: Order) -> Iterator[Found]:
    """"07.04.2023", "07/04/2023": day-first or month-first by the numbers, else by
    `order` (called the first time it is needed when a function), else the text's habit."""
    num_order = order
    for m in _RE_NUM.finditer(text):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if a > 12:
            dd, mm = a, b
        elif b > 12:
            dd, mm = b, a
        else:
            if callable(num_order):
                num_order = num_order()
            if num_order is None:
                num_order = _text_order(text)
            dd, mm = (a, b) if num_order == "dmy" else (b, a)
        d = _safe_date(y, mm, dd)
        yield m.span(), d, d, "day", "absolute"


def _day_month_dates(text: str, published: date | None, order: Order) -> Iterator[Found]:
    """Days with a month name, ranges first: "15–16 September 2022", "September 16-17",
    "15 September 2022", "July 3" (a year-less one placed by the publication date)."""
    for rx in (_RE_DM_RANGE, _RE_MD_RANGE, _RE_DM, _RE_MD):
        for m in rx.finditer(text):
            mon = _month(m["mon"])
            d1 = int(m["d1"])
            d2 = int(m["d2"]) if "d2" in m.groupdict() and m["d2"] else d1
            y = int(m["y"]) if m["y"] else _infer_year(published, mon, d1, m["ry"])
            if y is not None:
                yield m.span(), _safe_date(y, mon, d1), _safe_date(y, mon, d2), "day", "absolute"


def _month_year_dates(text: str, published: date | None, order: Order) -> Iterator[Found]:
    """"February 2022"."""
    for m in _RE_MY.finditer(text):
        y, mon = int(m["y"]), _month(m["mon"])
        yield m.span(), date(y, mon, 1), _month_end(y, mon), "month", "absolute"


def _bare_month_year(published: date, mon: int, prep: str, rel_year: str | None) -> int | None:
    """The year of "in February", "last December", "next March", "February this year"."""
    if rel_year:
        return _infer_year(published, mon, 1, rel_year)
    if prep == "last":  # the latest such month strictly before the publication month
        return published.year if mon < published.month else published.year - 1
    if prep == "next":
        return published.year if mon > published.month else published.year + 1
    if prep == "this":
        return published.year
    return _infer_year(published, mon, 1)


def _bare_month_dates(text: str, published: date | None, order: Order) -> Iterator[Found]:
    """A month after a preposition: "in February", "since early March", "last December"."""
    if published is None:
        return
    for m in _RE_BARE_MON.finditer(text):
        mon = _month(m["mon"])
        prep = m["prep"].lower()
        y = _bare_month_year(published, mon, prep, m["ry"])
        if y is None:
            continue
        # the span starts at the month (or the preposition for last/next/this)
        s = m.start() if prep in ("last", "next", "this") else m.start("mon")
        yield (s, m.end()), date(y, mon, 1), _month_end(y, mon), "month", "absolute"


def _year_dates(text: str, published: date | None, order: Order) -> Iterator[Found]:
    """A year after a preposition: "in 2019", "since 2001" (the span is the year)."""
    for m in _RE_YEAR.finditer(text):
        y = int(m["y"])
        yield (m.start("y"), m.end("y")), date(y, 1, 1), date(y, 12, 31), "year", "absolute"


def _deictic_dates(text: str, published: date, order: Order) -> Iterator[Found]:
    """"today", "tonight", "tomorrow", "yesterday"."""
    for m in _RE_DEICTIC.finditer(text):
        d = published + timedelta(days=_DEICTIC_DAYS[m["w"].lower()])
        yield m.span(), d, d, "day", "relative"


def _weekday_dates(text: str, published: date, order: Order) -> Iterator[Found]:
    """"on Thursday", "last Tuesday": the latest such day on or before publication (before
    it for "last"); "next Monday": the first after it."""
    for m in _RE_WEEKDAY.finditer(text):
        wd = WEEKDAYS[m["wd"].lower()]
        mod = (m["mod"] or "").lower().split()
        back = (published.weekday() - wd) % 7
        if "next" in mod:
            d = published + timedelta(days=(wd - published.weekday()) % 7 or 7)
        elif "last" in mod:
            d = published - timedelta(days=back or 7)
        else:
            d = published - timedelta(days=back)
        yield m.span(), d, d, "day", "relative"


def _relative_unit_dates(text: str, published: date, order: Order) -> Iterator[Found]:
    """"this month", "last year", "next month"."""
    for m in _RE_REL_UNIT.finditer(text):
        step = _STEPS[m["mod"].lower()]
        if m["u"].lower() == "year":
            y = published.year + step
            yield m.span(), date(y, 1, 1), date(y, 12, 31), "year", "relative"
        else:
            idx = published.year * 12 + published.month - 1 + step
            y, mon = divmod(idx, 12)
            yield m.span(), date(y, mon + 1, 1), _month_end(y, mon + 1), "month", "relative"


# the passes in order of preference: an expression overlapping one kept before is dropped
_ABSOLUTE_PASSES = (_iso_dates, _numeric_dates, _day_month_dates, _month_year_dates,
                    _bare_month_dates, _year_dates)
_RELATIVE_PASSES = (_deictic_dates, _weekday_dates, _relative_unit_dates)


def find_dates(text: str, published: date | None, *,
               order: str | Callable[[], str] | None = None) -> list[dict]:
    """Every date expression in `text` (see the module docstring for forms and rules).

    `published` anchors year-less and relative expressions; `order` ('dmy' or 'mdy')
    overrides the text's own habit for ambiguous numeric dates like 07.04.2023. It may
    be a function returning the order, called only when such a date is there (events
    pass the whole document's habit without scanning every document for it).
    """
    kept = _Kept(text)
    passes = _ABSOLUTE_PASSES + (_RELATIVE_PASSES if published is not None else ())
    for date_pass in passes:
        for found in date_pass(text, published, order):
            kept.add(*found)
    kept.rows.sort(key=lambda r: (r["start"], r["end"]))
    return kept.rows


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:UTC|GMT|Z|[+-]\d{2}:?\d{2}))?)?"
_RE_LEAD_DATE = re.compile(r"\A\s*(?:published|posted|date)\s*:?\s*(?P<v>\S[^\n]{0,40})", re.I)
_RE_DATE_LINE = re.compile(r"^\s*(?:(?:published|posted|updated|date)\s*:?\s*)?(?P<v>[^\n]{6,40}?)\s*$",
                           re.I | re.M)
_RE_ONLY_DATE = [
    re.compile(r"(?P<y>" + _YEAR + r")-(?P<m>\d{2})-(?P<d>\d{2})" + _TIME),
    re.compile(r"(?P<mon>" + _MON + r")\s+(?P<d>\d{1,2})" + _ORD + r",?\s+(?P<y>" + _YEAR + r")"
               + _TIME, re.I),
    re.compile(r"(?P<d>\d{1,2})" + _ORD + r"\s+(?P<mon>" + _MON + r"),?\s+(?P<y>" + _YEAR + r")"
               + _TIME, re.I),
]


def _parse_full_date(s: str, anchored: bool) -> date | None:
    """A complete (year, month, day) date: the whole of `s` or, if not anchored, its start."""
    s = s.strip().rstrip(".,")
    for rx in _RE_ONLY_DATE:
        m = rx.fullmatch(s) if anchored else rx.match(s)
        if m:
            mon = int(m["m"]) if "m" in m.groupdict() else _month(m["mon"])
            return _safe_date(int(m["y"]), mon, int(m["d"]))
    return None


def infer_published_date(text: str) -> tuple[date | None, str]:
    """An explicit publication date stated in `text`: (date, 'explicit') or (None, 'none').

    Looked for, in order: a leading "date 2022-09-15 ..." / "Date: September 16, 2022"
    / "Published: ..." at the very start of the text; a line among the first 8
    non-empty lines that is only a full date, optionally prefixed by
    "Date:"/"Published:" ("September 16 2022", "2022-09-15"); a line among the last 5
    that is only a date or timestamp ("2024-07-08 04:55:57").  A dateline such as
    "MOSCOW, September 23. /TASS/" lacks the year and is never enough on its own, and
    forum profile lines ("Join date : 2016-08-15") are not publication dates.
    """
    if not text:
        return None, "none"
    m = _RE_LEAD_DATE.match(text)
    if m:
        d = _parse_full_date(m["v"], anchored=False)
        if d:
            return d, "explicit"
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for ln in lines[:8] + lines[-5:]:
        if re.match(r"join(?:ed)?\s+date", ln, re.I):
            continue
        lm = _RE_DATE_LINE.match(ln)
        if lm:
            d = _parse_full_date(lm["v"], anchored=True)
            if d:
                return d, "explicit"
    return None, "none"
