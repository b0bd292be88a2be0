"""Money: a currency symbol or code before the number ("$263 billion", "US$5bn",
"RUB 1.2 trillion", "£3m") or a currency name or code after it ("1.85 trillion rubles")."""
from __future__ import annotations

import re

from flows.annotate.quantities.document import QuantityText
from flows.annotate.quantities.lexicon import rows
from flows.annotate.quantities.numbers import SCALE_ABBR, SCALE_WORD, SCALES, Token
from flows.annotate.quantities.units import rate_at
from flows.core.wordlists import words_pattern

_SYMBOLS = [(re.compile(r["pattern"]), r["currency"]) for r in rows("currency_symbols.csv")]
_CODES = {r["code"]: r["currency"] for r in rows("currency_codes.csv")}
_ISO = "|".join(_CODES)
_MONEY_PREFIX = re.compile(
    r"(?:(?<![A-Za-z])(?P<sym>" + "|".join(p.pattern for p, _ in _SYMBOLS) + r")"
    r"|(?<![A-Za-z])(?P<iso>" + _ISO + r")\s?)$"
)
_WORD_ROWS = rows("currency_words.csv")
# one group per currency, its names in file order
_WORD_CURRENCIES = list(dict.fromkeys(r["currency"] for r in _WORD_ROWS))
MONEY_SUFFIX = re.compile(
    r"\s+(?:(?P<word>" + "|".join(
        f"(?P<c{i}>" + words_pattern(r["word"] for r in _WORD_ROWS if r["currency"] == cur) + ")"
        for i, cur in enumerate(_WORD_CURRENCIES))
    + r")|(?P<iso>" + _ISO + r"))(?![A-Za-z])",
    re.I,
)
_ATTACHED_LETTERS = re.compile(r"[A-Za-z°]")
_YEN = "¥"


def money_prefix(before: str) -> re.Match | None:
    """`_MONEY_PREFIX.search(before)`: a currency symbol or code right before a number.
    Every symbol and code ends in "$", ".", "s" (Rs) or a capital letter."""
    if before.isascii():
        last = before.rstrip()[-1:]
        if not last or not (last in "$.s" or "A" <= last <= "Z"):
            return None
    return _MONEY_PREFIX.search(before)


def _prefix_currency(doc: QuantityText, pm: re.Match, n_start: int) -> str:
    """The currency of a prefix: the first symbol row matching it whole (the one the
    alternation took), or the code's. ¥ is the yuan in a sentence about China."""
    sym = pm.group("sym")
    if not sym:
        return _CODES[pm.group("iso").upper()]
    if sym == _YEN:
        sent = doc.context(n_start).lower()
        return "CNY" if ("yuan" in sent or "rmb" in sent or "chin" in sent) else "JPY"
    return next(cur for rx, cur in _SYMBOLS if rx.fullmatch(sym))


def prefixed_money(doc: QuantityText, tok: Token, pm: re.Match) -> dict | None:
    """The money row of a number after a currency prefix `pm`; None when letters are
    glued to the number ("$5G") and it is no quantity."""
    text = doc.text
    unit = _prefix_currency(doc, pm, tok.start)
    end, value = tok.end, tok.value
    sm = SCALE_WORD.match(text, tok.end) or SCALE_ABBR.match(text, tok.end)
    if sm:
        value *= SCALES[sm.group(1).lower()]
        end = sm.end()
    elif _ATTACHED_LETTERS.match(text, tok.end):
        return None
    # "$5 billion dollars": swallow a repeated currency word
    cm = MONEY_SUFFIX.match(text, end)
    if cm and cm.group("word"):
        end = cm.end()
    per, end = rate_at(text, end)
    return doc.row(tok.start - len(pm.group()), end, value, unit, "money", per=per)


def suffixed_money(doc: QuantityText, tok: Token, value: float, end: int) -> dict | None:
    """"1.85 trillion rubles", "two billion dollars", "5 billion USD": the currency after
    the number (and its scale word, ending at `end`)."""
    cm = MONEY_SUFFIX.match(doc.text, end)
    if not cm:
        return None
    if cm.group("iso"):
        unit = _CODES[cm.group("iso").upper()]
    else:
        unit = next(cur for i, cur in enumerate(_WORD_CURRENCIES) if cm.group(f"c{i}"))
    return doc.row(tok.start, cm.end(), value, unit, "money")
