"""Numbers stated in the text: money, percentages, measures and meaningful counts.

    extract_quantities(text) -> list[dict]

Each row has the keys

    value    float   in base units: "$263 billion" -> 263e9, "30 bcm" -> 30e9 (m3)
    unit     str     ISO 4217 for money (USD, RUB, CNY, EUR, GBP, INR, JPY, KZT ...),
                     "percent", "pp" (percentage points), a measure unit
                     ("km", "m", "mi", "km2", "t", "kg", "m3", "bbl", "W", "Wh", "ha",
                     "year", "month", "week", "day", "hour", "minute") or "count"
    kind     str     money | percent | measure | count
    surface  str     exactly text[start:end]; qualifiers stay outside
                     ("a record $263 billion" -> "$263 billion", "over 80%" -> "80%")
    start, end int   character offsets into `text`
    context  str     the sentence it stands in (flows.text.sentence_spans)
    noun     str|None  for counts, the counted noun ("documents", "nations", "delegation")
    per      str|None  a rate, for measures and money ("$200 billion a year" -> per
                     "year"; "4 million tons a month" -> unit "t", per "month";
                     "300,000 barrels per day" -> unit "bbl", per "day")

Rows come back sorted by start and never overlap.

A count is a number followed, after at most three adjectives, by a plural noun
("30 documents", "80 large Russian companies"), or "N-strong <noun>". Number words
two..twenty, thirty..ninety and hundred count too ("two leaders", "three days").

Not quantities (skipped on purpose): years standing alone ("in 2022", "since 1945",
"2024-25"), dates ("July 3", "3 and 4 July", "September 16-17", "07.04.2023",
"2022-09-15"), times ("10:30"), ordinals ("23rd", "9th"), numbers glued to letters,
hyphens or symbols ("G20", "Su-35", "COVID-19", "Power of Siberia-2", "n°77"),
numbers in URLs, e-mail addresses, hashtags and phone numbers, numbers after a
label word ("page 5", "Article 5", "Resolution 2231", "Post 77"), label-value lines
("Age : 76", "Posts : 5839") and bare numbers with nothing meaningful after them.

Passes, one module each: `numbers` (digits and number words, scale words), `skips`
(numbers that are no quantity), `money`, `units` (percent, measures, durations, rates),
`counts`. The word lists and unit tables are data in `flows/annotate/lexicon/`
(number_words, scales, currency_symbols, currency_codes, currency_words, measure_units,
duration_units, count_stopwords, irregular_plurals, not_count_nouns, number_label_words).

Pure and fast: no I/O after import, every regex compiled at import.
"""
from __future__ import annotations

import re

from flows.annotate.quantities.counts import count_at
from flows.annotate.quantities.document import QuantityText
from flows.annotate.quantities.money import MONEY_SUFFIX, money_prefix, prefixed_money, suffixed_money
from flows.annotate.quantities.numbers import SCALE_ABBR, SCALE_WORD, SCALES, Token, is_year, number_tokens
from flows.annotate.quantities.skips import not_a_quantity
from flows.annotate.quantities.units import duration_at, measure_at, percent_at

__all__ = ["extract_quantities"]

_ATTACHED_LETTERS = re.compile(r"[A-Za-z°]")


def extract_quantities(text: str) -> list[dict]:
    """All quantities in `text`, sorted by start (see the module docstring)."""
    if not text:
        return []
    doc = QuantityText.of(text)
    out: list[dict] = []
    last_end = -1
    for tok in number_tokens(text, doc.digit_starts):
        if tok.start < last_end or doc.skipped(tok.start):
            continue
        row = _quantity_at(doc, tok)
        if row is not None:
            out.append(row)
            last_end = row["end"]
    return out


def _quantity_at(doc: QuantityText, tok: Token) -> dict | None:
    """The quantity the number `tok` starts (or follows a currency symbol of), if any."""
    before = doc.text[max(0, tok.start - 40):tok.start]
    pm = None if tok.is_word else money_prefix(before)
    if pm:  # money with a prefix: $263 billion, US$5bn, RUB 1.2 trillion, £3m
        return prefixed_money(doc, tok, pm)
    if not_a_quantity(doc.text, before, tok.start, tok.end):
        return None
    return _unprefixed_quantity(doc, tok, before)


def _scaled(doc: QuantityText, tok: Token, glued: bool) -> tuple[float, int, bool]:
    """(value, end, scaled): the number times a scale word after it ("5 billion"), or an
    abbreviation glued to it when money follows ("5bn dollars"). `scaled` is true when
    a scale stands there, even an abbreviation not followed by money ("5m people")."""
    text = doc.text
    sm = SCALE_WORD.match(text, tok.end)
    if sm:
        return tok.value * SCALES[sm.group(1).lower()], sm.end(), True
    if not tok.is_word and glued:
        sm = SCALE_ABBR.match(text, tok.end)
        if sm and MONEY_SUFFIX.match(text, sm.end()):   # "5bn dollars"
            return tok.value * SCALES[sm.group(1).lower()], sm.end(), True
        return tok.value, tok.end, sm is not None
    return tok.value, tok.end, False


def _unprefixed_quantity(doc: QuantityText, tok: Token, before: str) -> dict | None:
    """Money named after the number, a percentage, a measure, a duration or a count, in
    that order of preference."""
    # ordinals, "5G", "1990s" ... (letters glued to the number) unless a unit
    glued = _ATTACHED_LETTERS.match(doc.text, tok.end) is not None and not tok.is_word
    value, end, scaled = _scaled(doc, tok, glued)
    row = suffixed_money(doc, tok, value, end)
    if row is None and not scaled:
        row = percent_at(doc, tok, value)
    if row is None and not (tok.is_word and not scaled):
        row = measure_at(doc, tok, value, end)
    # a year alone ("in 2022") is no duration or count
    if row is None and (tok.is_word or not glued) and not (
            not tok.is_word and is_year(tok.surface) and not scaled):
        row = duration_at(doc, tok, value, end) or count_at(doc, tok, value, end, before)
    return row
