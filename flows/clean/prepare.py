"""A record's raw text to the lines cleaning judges: repaired, without inline HTML,
markdown and hard wraps undone, and lines an extractor split inside a sentence
joined again. Repeated chrome is counted on these lines (`key_hashes`, `carry_prepared`) and
removed from them (`document.clean_record`): one text for both.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from flows.clean import forum
from flows.clean.lines import ends_sentence, key_hash, line_keys
from flows.clean.markdown import _LEADING_META, looks_markdown, strip_markdown, unwrap
from flows.clean.normalize import repair, strip_html_tags

DATA = Path(__file__).resolve().parent / "data"
# a line that starts a list item or is a table row is never the rest of a sentence
_STRUCTURED = re.compile(r"^\s*(?:\d{1,3}[.)]\s|[-•*–|]\s|\|)")
_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{1,40}\s[-–—]$")  # "SINGAPORE -", "KUALA LUMPUR, Malaysia —"
_LISTED = re.compile(r"[;,]\s+\w+$")
_URL = re.compile(r"(?:https?://|www\.)\S", re.I)


@lru_cache(maxsize=1)
def connectors() -> frozenset[str]:
    """Words a split sentence's line ends on (data/connectors.txt)."""
    text = (DATA / "connectors.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def _continues(prev: str, nxt: str) -> bool:
    """Whether `nxt` is the rest of the sentence `prev` started: `prev` ends no
    sentence, and `nxt` starts in lower case (or with a comma), or `prev` ends on a
    connector word ("and", "of"). Not on a comma alone: "Sincerely," / "JOSEPH R. BIDEN"
    and "Friends," / "In concluding ..." are lines of their own."""
    p, n = prev.strip(), nxt.strip()
    if not p or not n or ends_sentence(p) or _STRUCTURED.match(nxt) or _URL.match(n):
        return False
    if n[0].islower() or n[0] in ",;)":
        return True
    if _DATELINE.match(p):  # "SINGAPORE -" / "Shipping ministers met ...": one sentence
        return True
    if _LISTED.search(p):  # "...; and" / "S. 578 ...": items of a list, each a line
        return False
    last = p.rsplit(None, 1)[-1]
    return last.islower() and last in connectors()


def _drop_cap(letter: str, rest: str) -> bool:
    """Whether a one-letter line is the drop cap of the word that starts `rest`: the
    letter and that word make a more common English word than the word alone
    ("A" + "lmost"; not "A" + "man")."""
    if len(letter) != 1 or not letter.isupper():
        return False
    from wordfreq import (
        zipf_frequency,  # only pages with a one-letter line pay its import
    )

    word = re.match(r"\w*", rest).group(0).lower()
    return zipf_frequency(letter.lower() + word, "en") > zipf_frequency(word, "en")


def join_splits(lines: list[str]) -> list[str]:
    """Lines an extractor split inside a sentence joined again: link text on a line
    of its own ("President-elect" / "Prabowo Subianto" / "has visited China"), a drop
    cap ("A" / "lmost 20 years ago" is "Almost"), a hard wrap that `unwrap` could not
    tell. A line that ends a sentence, a list item and a table row stay apart."""
    out: list[str] = []
    single = []  # whether out[k] is one line of the input, as it came
    for ln in lines:
        if out and _continues(out[-1], ln):
            prev = out[-1].rstrip()
            out[-1] = prev + ("" if _drop_cap(prev.strip(), ln.strip()) else " ") + ln.strip()
            # link text of a sentence's middle ("The new President-elect" / "Rafael
            # Moreno" / "has visited"): the short line before the continuation was cut
            # from the line before it too
            if (len(out) >= 2 and single[-1] and len(prev.split()) <= LINK_TEXT_WORDS
                    and _continues_before_link(out[-2])):
                out[-2:] = [out[-2].rstrip() + " " + out[-1].strip()]
                single.pop()
            single[-1] = False
        else:
            out.append(ln)
            single.append(True)
    return out


LINK_TEXT_WORDS = 6  # link text cut onto a line of its own is a name or a short phrase


def _continues_before_link(prev: str) -> bool:
    """Whether a line may run on into link text cut from it: it ends no sentence and
    is no list item, table row or label."""
    p = prev.strip()
    return bool(p) and not ends_sentence(p) and not _STRUCTURED.match(prev) and len(p.split()) >= 2


WRAP_MIN, WRAP_MAX = 40, 100  # a hard wrap is this wide (e-mail and press releases wrap at 70-80)
WRAP_SLACK = 15  # a wrapped line is full: within this many characters of the width


def join_hard_wraps(lines: list[str]) -> list[str]:
    """A text hard-wrapped without blank lines between its paragraphs (e-mail, press
    releases at ~72 columns) as one line a paragraph: a line is joined to the next when
    the next one's first word would not have fitted on it (the wrap moved it down).
    Only when most lines are full to one width: text written one paragraph a line,
    or a list of short lines, stays as it is."""
    widths = [len(ln.rstrip()) for ln in lines if ln.strip()]
    if len(widths) < 3 or not WRAP_MIN <= max(widths) <= WRAP_MAX:
        return lines
    width = max(widths)
    full = [ln.strip() for ln in lines if ln.strip() and len(ln.rstrip()) >= width - WRAP_SLACK]
    # most lines full, and most full lines cut inside a sentence: a wrap, not a list
    # of one-line paragraphs that happen to be alike in length
    if len(full) * 3 < len(widths) * 2 or sum(not ends_sentence(f) for f in full) * 2 < len(full):
        return lines
    out: list[str] = []
    last = 0  # width of the physical line that `out[-1]` ends with
    for ln in lines:
        first = ln.split(None, 1)[0] if ln.strip() else ""
        if out and last and first and not _STRUCTURED.match(ln) and last + 1 + len(first) > width:
            out[-1] = out[-1].rstrip() + " " + ln.strip()
        else:
            out.append(ln)
        last = len(ln.rstrip()) if ln.strip() else 0
    return out


def prepared_lines(raw: str) -> tuple[str, list[str]]:
    """(the repaired text, its lines as cleaning judges them)."""
    text = strip_html_tags(repair(raw))
    markdown = looks_markdown(text)
    lines = unwrap(text, markdown)  # before markdown is stripped: emphasis may cross a hard wrap
    if markdown:  # once over the joined lines (its patterns never cross a line): one call, not one a line
        stripped = strip_markdown("\n".join(lines)).split("\n")
        lines = stripped if len(stripped) == len(lines) else [strip_markdown(ln) for ln in lines]
    if lines:
        lines[0] = _LEADING_META.sub("", lines[0])
    if not forum.is_thread(lines):  # a thread's profile lines ("posted on ...") stay apart
        if not markdown and "\n\n" not in text:  # else `unwrap` joined the wraps of each paragraph
            lines = join_hard_wraps(lines)
        lines = join_splits(lines)
    return text, lines


def key_hashes(lines: list[str]) -> np.ndarray:
    """`line_keys` of prepared lines, as sorted distinct 64-bit hashes: what a build
    keeps per record to count chrome across a source (the keys themselves are about
    as large as the text)."""
    keys = line_keys(lines)
    out = np.fromiter(map(key_hash, keys), dtype=np.uint64, count=len(keys))
    out.sort()
    return out


# A record may carry its prepared lines (and its repaired text, when that is not the raw
# text itself) from the stage that read it: the engine prepares each record once, at
# ingest, where it hashes the lines for the chrome count, and cleaning reuses them.
CARRIED_LINES, CARRIED_TEXT = "_prepared_lines", "_repaired_text"


def carry_prepared(rec: dict) -> np.ndarray:
    """Prepare `rec` once: its prepared lines go into it (CARRIED_*), their key hashes
    are returned. A record whose preparing fails carries nothing (cleaning reports it)."""
    try:
        text, lines = prepared_lines(rec["raw"])
    except Exception:  # noqa: BLE001 - cleaning the record again reports why
        rec[CARRIED_LINES] = rec[CARRIED_TEXT] = None
        return key_hashes([])
    rec[CARRIED_LINES] = lines
    rec[CARRIED_TEXT] = None if text == rec["raw"] else text
    return key_hashes(lines)


def carried_prepared(rec: dict) -> tuple[str, list[str]] | None:
    """The (text, lines) a record carries from `carry_prepared`, else None."""
    lines = rec.get(CARRIED_LINES)
    if lines is None:
        return None
    text = rec.get(CARRIED_TEXT)
    return (rec["raw"] if text is None else text), list(lines)
