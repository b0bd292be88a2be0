"""Pass 2: quoted spans between quotation marks, one paragraph at a time, outside
transcript turns and headlines. Nested quotes and apostrophes are not quotes."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from flows.annotate.quotes.document import QuoteText, Speaker
from flows.annotate.quotes.patterns import OPENER_RX, OPENERS, VERB, WORDS

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
    goes_on: bool = False           # words after the attribution of the quote before, never reopened


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
    if ch == '"':
        # "...” : a straight opening mark closed by a typographic one
        j = text.find("”", i + 1, p_end)
        if j != -1 and _can_close(text, j, p_end):
            return j
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


def title_like(s: str) -> bool:
    """Mostly capitalised words: a headline, the title of a conference or a book."""
    words = [w for w in WORDS.findall(s) if len(w) > 3]
    if len(words) < 2:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


def is_headline(para: str) -> bool:
    """A short line without end punctuation, mostly capitalised."""
    return bool(para) and para[-1] not in ".!?:;\"”’)»" and len(para) <= 180 and title_like(para)


# "READ MORE: “...”", "SEE ALSO: '...'": a link to another article, not a quote
_LINK_LABEL = re.compile(r"[A-Z]{2,}(?:[ \t]+[A-Z]{2,}){0,3}[ \t]*:[ \t]*[“\"«‘']")
# any quotation mark but ’ (mostly an apostrophe): a paragraph without one holds no quote
_ANY_MARK = re.compile("[" + "".join(OPENERS) + "”»]")
# the end of a paragraph that closes a quote: end punctuation, then the closing mark
_CLOSING_END = re.compile(r"[.!?,…][”\"»]\s*$")


def _carried_over(doc: QuoteText, k: int) -> Candidate | None:
    """A quote left open at the end of paragraph k-1 that goes on in paragraph k without
    a new opening mark and closes there (“... / ...,” she said): its span in paragraph k,
    the opening taken as just before the paragraph."""
    text = doc.text
    ps, pe = doc.paras[k]
    if text[ps] in OPENERS:
        return None
    for j in range(ps + 1, pe):
        ch = text[j]
        if ch in OPENERS and _can_open(text, j, ps):
            return None             # a new quote opens first: the old one was not carried
        if ch in "”\"»" and _can_close(text, j, pe) and text[j - 1] in ",.!?…":
            return Candidate(ps - 1, j, k, None)
    return None


# the comma ending an attribution that the quote's words follow ("..., she said, and ...")
_COMMA_LOWER = re.compile(r",\s+(?=[a-z])")


def _reopened_tail(doc: QuoteText, q: Candidate, pe: int) -> Candidate | None:
    """“...,” she said, and then the quote goes on.” : words after the attribution that
    end the paragraph with a closing mark but were never reopened."""
    text = doc.text
    if q.close is None or not _CLOSING_END.search(text, q.close + 1, pe):
        return None
    c = _COMMA_LOWER.search(text, q.close + 1, pe)
    if c is None or OPENER_RX.search(text, q.close + 1, pe - 1) or not VERB.search(text, q.close + 1, c.start()) \
            or len(WORDS.findall(text, q.close + 1, c.start())) > 8:
        return None
    end = pe - 1
    while text[end] not in "”\"»":
        end -= 1
    return Candidate(c.start(), end, q.k, q.close, goes_on=True)


def _paragraph_spans(doc: QuoteText, k: int, carried: Candidate | None) -> list[Candidate]:
    ps, pe = doc.paras[k]
    out = [carried] if carried else []
    prev_close = carried.close if carried else None
    for o, c in find_marked(doc.text, ps, pe):
        if carried and o <= carried.close:
            continue
        out.append(Candidate(o, c, k, prev_close))
        prev_close = c
    if out and out[-1].close is not None:
        tail = _reopened_tail(doc, out[-1], pe)
        if tail:
            out.append(tail)
    return out


def marked_spans(doc: QuoteText, turn_paras: set[int]) -> list[Candidate]:
    """Every quoted span outside transcript turns and headlines, in text order."""
    out: list[Candidate] = []
    # where the quotation marks are, from one scan of the text: a paragraph without one
    # has no quote (find_marked finds nothing there), so it is skipped without more tests
    marks = [m.start() for m in _ANY_MARK.finditer(doc.text)]
    for k, (ps, pe) in enumerate(doc.paras):
        j = bisect_left(marks, ps)
        if j == len(marks) or marks[j] >= pe:
            continue
        if k in turn_paras or is_headline(doc.text[ps:pe]) or _LINK_LABEL.match(doc.text, ps, pe):
            continue
        carried = None
        if out and out[-1].close is None and out[-1].k == k - 1:
            carried = _carried_over(doc, k)
        out += _paragraph_spans(doc, k, carried)
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
