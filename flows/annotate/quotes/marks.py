"""Pass 2: quoted spans between quotation marks, one paragraph at a time, outside
transcript turns and headlines. Nested quotes and apostrophes are not quotes."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from flows.annotate.quotes.document import QuoteText, Speaker
from flows.annotate.quotes.patterns import OPENER_RX, OPENERS, WORDS

_WRONG_CLOSE = re.compile(r"[.!?]’(?=\s|$)")


@dataclass(slots=True)
class Candidate:
    """One stretch of quoted words and what the speaker passes find for it."""
    open: int                       # the opening mark
    close: int | None               # the closing mark; None: runs to the paragraph end
    k: int                          # its paragraph
    prev_close: int | None          # the closing mark of the quote before it in the paragraph
    lo: int = 0                     # the quoted words, trimmed: text[lo:hi]
    hi: int = 0
    fid: Speaker | None = None      # the speaker
    verb: str | None = None
    attributed: bool = False        # an attribution clause was found (maybe naming no one)
    after_end: int | None = None    # the end of an attribution clause after the closing mark


def _can_open(text: str, i: int, lo: int) -> bool:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{—–-/“‘\"'«:,") and not nxt.isspace()


def _can_close(text: str, i: int, hi: int) -> bool:
    prev = text[i - 1]
    nxt = text[i + 1] if i + 1 < hi else " "
    if prev in ",.!?" and nxt.islower():
        return True  # '"... and the CSTO,"the Russian defense minister said': a missing space
    return not prev.isspace() and not nxt.isalnum()


def _closing_mark(text: str, i: int, p_end: int) -> int | None:
    """Where the quote opened at i closes in its paragraph (ending at p_end), or None."""
    ch = text[i]
    closer = OPENERS[ch]
    j = text.find(closer, i + 1, p_end)  # each closing mark in turn
    while j != -1:
        if _can_close(text, j, p_end) and not (
                closer == "’" and j + 1 < p_end and text[j + 1].isalpha()):
            if closer == '"' or closer == "’" or j > i + 1:
                return j
        j = text.find(closer, j + 1, p_end)
    if ch == "“":
        # “...’ : a typographic quote closed by the wrong mark after end punctuation
        m = _WRONG_CLOSE.search(text, i + 1, p_end)
        if m and "”" not in text[i + 1:p_end]:
            return m.end() - 1
    return None


def find_marked(text: str, p_start: int, p_end: int) -> list[tuple[int, int | None]]:
    """Quote spans in one paragraph: (open_idx, close_idx or None). close None = runs to
    the paragraph end. Nested quotes are not returned."""
    spans: list[tuple[int, int | None]] = []
    i = p_start
    while i < p_end:
        # jump to the next quotation mark (the paragraph's other characters open nothing)
        om = OPENER_RX.search(text, i, p_end)
        if om is None:
            break
        i = om.start()
        # only a real opening single quote, never an apostrophe (’ is never opening)
        if not _can_open(text, i, p_start) or (text[i] == "‘" and i > p_start and text[i - 1].isalnum()):
            i += 1
            continue
        close = _closing_mark(text, i, p_end)
        if close is None:
            if text[i] == "‘":
                i += 1
                continue
            spans.append((i, None))
            break
        spans.append((i, close))
        i = close + 1
    return spans


def is_headline(para: str) -> bool:
    """A short line without end punctuation, mostly capitalised."""
    if not para or para[-1] in ".!?:;\"”’)»" or len(para) > 180:
        return False
    words = [w for w in WORDS.findall(para) if len(w) > 3]
    if len(words) < 2:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


def marked_spans(doc: QuoteText, turn_paras: set[int]) -> list[Candidate]:
    """Every quoted span outside transcript turns and headlines, in text order."""
    out: list[Candidate] = []
    # where the quotation marks are, from one scan of the text: a paragraph without one
    # has no quote (find_marked finds nothing there), so it is skipped without more tests
    marks = [m.start() for m in OPENER_RX.finditer(doc.text)]
    for k, (ps, pe) in enumerate(doc.paras):
        j = bisect_left(marks, ps)
        if j == len(marks) or marks[j] >= pe:
            continue
        if k in turn_paras or is_headline(doc.text[ps:pe]):
            continue
        prev_close = None
        for o, c in find_marked(doc.text, ps, pe):
            out.append(Candidate(o, c, k, prev_close))
            prev_close = c
    return out


def trim(doc: QuoteText, q: Candidate) -> bool:
    """Set q's quoted words without the surrounding whitespace and the attribution comma
    (“...,” Putin said); False when nothing is left."""
    text = doc.text
    lo = q.open + 1
    hi = q.close if q.close is not None else doc.paras[q.k][1]
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and (text[hi - 1].isspace() or text[hi - 1] == ","):
        hi -= 1
    q.lo, q.hi = lo, hi
    return hi > lo
