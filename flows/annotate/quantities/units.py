"""Percentages, measures ("30 bcm", "4,380 km"), durations ("three days") and the rate
after them ("a year", "per day")."""
from __future__ import annotations

import re

from flows.annotate.quantities.document import QuantityText
from flows.annotate.quantities.lexicon import rows
from flows.annotate.quantities.numbers import Token
from flows.core.wordlists import words_pattern

_PERCENT = re.compile(
    r"(?:\s?(?P<pct>%)|\s+(?:per\s?cent|pct)\b|\s+(?P<pp>percentage\s+points?)\b)", re.I
)

# (unit, factor, per) by row of the table; matched right after the number (and its scale)
_MEASURE_ROWS = rows("measure_units.csv")
_MEASURES = [(r["unit"], float(r["factor"]), r["per"] or None) for r in _MEASURE_ROWS]
_MEASURE = re.compile(
    r"(?:\s?|-)(?:"
    + "|".join(f"(?P<u{i}>{r['pattern']})" for i, r in enumerate(_MEASURE_ROWS))
    + r")(?![A-Za-z0-9²³])"
)

_DURATION_ROWS = rows("duration_units.csv")
_DURATION_UNIT = {r["word"]: (r["unit"], float(r["factor"])) for r in _DURATION_ROWS}
_DURATION = re.compile(
    r"(?:\s+(?P<pl>" + words_pattern(r["word"] for r in _DURATION_ROWS) + r")"
    r"|-(?P<adj>" + words_pattern(r["word"] for r in _DURATION_ROWS if r["hyphen"] == "yes")
    + r"))(?![A-Za-z])",
    re.I,
)
# durations that are never the counted noun of a count ("30 days")
NOT_COUNTED = frozenset(r["word"] for r in _DURATION_ROWS if r["counted"] == "no")

_RATE = re.compile(
    r"(?:\s+(?:a|per|each|every)\s+(day|week|month|year|annum)\b|/(day|year|month)\b|\s+(annually|daily)\b)"
    r"(?!\s+(?:earlier|later|ago|before|after|from|since|and\s+a\s+half))",
    re.I,
)
_RATE_WORD = {"annum": "year", "annually": "year", "daily": "day"}


def rate_at(text: str, end: int) -> tuple[str | None, int]:
    """(the rate unit, its end) of "a year", "per day", "/month", "annually" at `end`;
    (None, end) when there is none."""
    rm = _RATE.match(text, end)
    if not rm:
        return None, end
    w = (rm.group(1) or rm.group(2) or rm.group(3)).lower()
    return _RATE_WORD.get(w, w), rm.end()


def percent_at(doc: QuantityText, tok: Token, value: float) -> dict | None:
    """"80%", "5 per cent", "2 percentage points" right after the number."""
    pc = _PERCENT.match(doc.text, tok.end)
    if not pc:
        return None
    unit = "pp" if pc.group("pp") else "percent"
    return doc.row(tok.start, pc.end(), value, unit, "percent")


def measure_at(doc: QuantityText, tok: Token, value: float, end: int) -> dict | None:
    """A unit of measure at `end` (after the number and its scale), with its rate."""
    mm = _MEASURE.match(doc.text, end)
    if not mm:
        return None
    i = int(next(k for k, v in mm.groupdict().items() if v is not None)[1:])
    unit, factor, per = _MEASURES[i]
    m_end = mm.end()   # surface stays "4,380 km" in "4,380 km-long"
    if per is None:
        per, m_end = rate_at(doc.text, m_end)
    return doc.row(tok.start, m_end, value * factor, unit, "measure", per=per)


def duration_at(doc: QuantityText, tok: Token, value: float, end: int) -> dict | None:
    """"three days", "a 10-year plan", "two decades" (in years)."""
    dm = _DURATION.match(doc.text, end)
    if not dm:
        return None
    unit, factor = _DURATION_UNIT[(dm.group("pl") or dm.group("adj")).lower()]
    return doc.row(tok.start, dm.end(), value * factor, unit, "measure")
