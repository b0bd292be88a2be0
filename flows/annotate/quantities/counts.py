"""Counts: a number followed, after at most three adjectives, by a plural noun ("30
documents", "80 large Russian companies"), or "N-strong <noun>"."""
from __future__ import annotations

import re

from flows.annotate.quantities.document import QuantityText
from flows.annotate.quantities.lexicon import words
from flows.annotate.quantities.numbers import SCALES, Token
from flows.annotate.quantities.units import NOT_COUNTED

_STOP = frozenset(words("count_stopwords.txt"))
_IRREGULAR_PLURALS = frozenset(words("irregular_plurals.txt"))
_NOT_COUNT_NOUNS = frozenset(words("not_count_nouns.txt"))
_COUNT_TAIL = re.compile(
    r"((?:\s+[A-Za-z][A-Za-z'’\-]*){1,4})"
)
_STRONG = re.compile(r"-strong\b")
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’\-]*[A-Za-z])?")
# a number word after a determiner refers back to what the text has named: "the two leaders"
_ANAPHORA = re.compile(r"\b(?:the|these|those|their|our|its|both)\s+$", re.I)


def _is_plural_noun(word: str) -> bool:
    w = word.lower().strip("'’-")
    if w in _IRREGULAR_PLURALS:
        return True
    if w in _NOT_COUNT_NOUNS or w in _STOP or word.isupper():
        return False
    if len(w) > 5 and w.endswith("men") and w.isalpha():
        return True  # "servicemen", "businessmen"
    return (
        len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))
        and "-" not in w
    )


def _strong_count(text: str, pos: int) -> tuple[int, str] | None:
    """"an 80-strong Russian business delegation": the head noun is the last of up to
    four words before a stopword or punctuation; the surface stays "80-strong"."""
    m = _STRONG.match(text, pos)
    if not m:
        return None
    noun, offset = None, m.end()
    for n, wm in enumerate(_WORD.finditer(text, m.end(), m.end() + 60)):
        if text[offset:wm.start()] != " " or wm.group().lower() in _STOP or n >= 4:
            break
        noun, offset = wm.group(), wm.end()
    return (m.end(), noun) if noun else None


def count_after(text: str, pos: int) -> tuple[int, str] | None:
    """(end, noun) for '<adj>{0,3} <plural noun>' starting at pos, else None."""
    if _STRONG.match(text, pos):
        return _strong_count(text, pos)
    m = _COUNT_TAIL.match(text, pos)
    if not m:
        return None
    # walk the words one by one; stop at the first plural noun or a stopword
    offset = pos
    for n, wm in enumerate(_WORD.finditer(text, pos, m.end())):
        gap = text[offset:wm.start()]
        if gap != " ":
            return None
        word = wm.group()
        if word.lower() in _STOP or word.lower() in SCALES:
            return None
        if _is_plural_noun(word):
            # a capitalised head is a name ("Five Eyes", "Gang of Four")
            return (wm.end(), word) if word[0].islower() else None
        if n >= 3 or word.endswith(("'s", "’s")) or (word[0].isupper() and word.isupper()):
            return None
        offset = wm.end()
    return None


def count_at(doc: QuantityText, tok: Token, value: float, end: int, before: str) -> dict | None:
    """A count row for the noun after `end`; `before`: the 40 characters before the number."""
    ca = count_after(doc.text, end)
    if ca and tok.is_word and _ANAPHORA.search(before):
        return None  # "the two leaders", "both three": things already counted
    if not ca:
        return None
    c_end, noun = ca
    if noun.lower() in NOT_COUNTED:
        return None
    return doc.row(tok.start, c_end, value, "count", "count", noun=noun)
