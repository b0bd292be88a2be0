"""Pass 3: quoted spans into quotes (a group shares speaker and verb), the groups that
are not speech dropped, and the rows of the rest."""
from __future__ import annotations

import re

from flows.annotate.quotes.document import QuoteText
from flows.annotate.quotes.marks import Candidate, title_like
from flows.annotate.quotes.patterns import LEXICON, n_words
from flows.core.wordlists import read_words, words_pattern

_TITLE_TRIGGER = re.compile(
    r"\b(?:" + words_pattern(read_words(LEXICON / "quote_title_triggers.txt")) + r")\s*$", re.I)


def _continues(doc: QuoteText, prev: Candidate, q: Candidate) -> bool:
    """q is the same quote as prev: a paragraph left open and the next one starting with
    an opening mark, or a quote interrupted by its attribution (“...,” Putin said. “...”)."""
    if prev.close is None and q.k == prev.k + 1 and q.open <= doc.paras[q.k][0]:
        return True
    if q.goes_on:
        return True
    return (prev.k == q.k and prev.close is not None and bool(prev.verb)
            and prev.after_end is not None and not (q.attributed and q.fid)
            and re.fullmatch(r"[.,;:]\s*", doc.text[prev.after_end:q.open]) is not None)


def quote_groups(doc: QuoteText, cands: list[Candidate]) -> list[list[Candidate]]:
    """The candidates as runs of one quote each, in text order."""
    groups: list[list[Candidate]] = []
    for idx, q in enumerate(cands):
        if idx > 0 and _continues(doc, cands[idx - 1], q):
            groups[-1].append(q)
        else:
            groups.append([q])
    return groups


_LIST_GAP = re.compile(r"\s*[,;]?\s*(?:(?:and|or|and/or)\s+)?", re.I)
_SHORT = 6
# a title given as what someone spoke to or on: told “The Morning Show”, on “Weekly Talk”
_MEDIUM_BEFORE = re.compile(r"\b(?:told|on|to|with)\s*$", re.I)


def listed(doc: QuoteText, cands: list[Candidate]) -> set[int]:
    """id() of the short quotes that stand in a list of quoted phrases (signs reading
    “...”, “...” and “...”): slogans, not speech."""
    out: set[int] = set()
    for a, b in zip(cands, cands[1:]):
        if a.k != b.k or a.close is None or a.goes_on or b.goes_on:
            continue
        short = n_words(doc.text[a.lo:a.hi]) <= _SHORT and n_words(doc.text[b.lo:b.hi]) <= _SHORT
        gap = doc.text[a.close + 1:b.open]
        if short and gap.strip() and _LIST_GAP.fullmatch(gap):
            out.update((id(a), id(b)))
    return out


def _lead_in(doc: QuoteText, m: Candidate) -> str:
    """Up to 40 characters before the opening mark, in its paragraph."""
    return doc.text[max(doc.paras[m.k][0], m.open - 40):m.open]


def _a_title(doc: QuoteText, m: Candidate) -> bool:
    """A short capitalised quote after "programme", "show" ... or as what one told or
    spoke on: a title even with a speech verb in the sentence."""
    quote = doc.text[m.lo:m.hi]
    if n_words(quote) > 5 or not title_like(quote):
        return False
    before = _lead_in(doc, m)
    return bool(_TITLE_TRIGGER.search(before) or _MEDIUM_BEFORE.search(before))


def _is_speech(doc: QuoteText, members: list[Candidate], fid, verb: str | None) -> bool:
    """Not a runaway quote (opened, never closed, not continued), a term ("friendship",
    "one China"), a scare quote without a speech verb, nor a title."""
    if len(members) == 1 and members[0].close is None:
        return False
    total_words = sum(n_words(doc.text[m.lo:m.hi]) for m in members)
    if total_words < 3 or (total_words < 4 and verb is None):
        return False
    if len(members) == 1 and _a_title(doc, members[0]):
        return False
    if verb is None and not fid and len(members) == 1:
        m = members[0]
        if title_like(doc.text[m.lo:m.hi]) or _TITLE_TRIGGER.search(_lead_in(doc, m)):
            return False
    return True


def _inherits(doc: QuoteText, members: list[Candidate], prev: list[Candidate] | None) -> bool:
    """A continuation paragraph: a quote opening its paragraph with no attribution of its
    own, right after a paragraph whose quote had a speaker."""
    first = members[0]
    return (prev is not None and not any(m.attributed for m in members)
            and first.open <= doc.paras[first.k][0] and prev[-1].k == first.k - 1)


def kind_of(doc: QuoteText, m: Candidate) -> str:
    """"mixed" when the quoted words stand inside a sentence of the narrator's ("called
    the plan “a mistake”", "said that “...”"), else "direct"."""
    before = doc.text[max(doc.paras[m.k][0], m.open - 2):m.open]
    return "mixed" if before and re.search(r"\w\s*$", before) else "direct"


def row(doc: QuoteText, m: Candidate, fid, verb: str | None, group: int, kind: str) -> dict:
    hi_ctx = m.after_end if m.after_end is not None else m.hi
    return {
        "figure_id": fid.fid if fid else None, "speaker": fid.name if fid else None,
        "speaker_kind": fid.kind if fid else None, "kind": kind,
        "text": doc.text[m.lo:m.hi], "start": m.lo, "end": m.hi, "verb": verb,
        "context": doc.context(m.open, hi_ctx, m.k), "quote_group": group, "source": "marks",
    }


def marked_rows(doc: QuoteText, cands: list[Candidate], first_group: int) -> list[dict]:
    """One row per quoted span of every quote kept; groups numbered from first_group.
    A continuation paragraph takes the speaker of the quote before it."""
    rows: list[dict] = []
    group = first_group
    prev: list[Candidate] | None = None
    prev_fid = None
    in_lists = listed(doc, cands)
    for members in quote_groups(doc, cands):
        if any(id(m) in in_lists for m in members):
            continue
        fid = next((m.fid for m in members if m.fid), None)
        verb = next((m.verb for m in members if m.verb), None)
        if fid is None and prev_fid is not None and _inherits(doc, members, prev):
            fid = prev_fid
        if not _is_speech(doc, members, fid, verb):
            continue
        kind = kind_of(doc, members[0])
        rows += [row(doc, m, fid, verb, group, kind) for m in members]
        prev, prev_fid = members, fid
        group += 1
    return rows


def in_text_order(rows: list[dict]) -> list[dict]:
    """The rows sorted by start, their groups renumbered 0, 1 ... in that order."""
    rows.sort(key=lambda r: r["start"])
    remap: dict[int, int] = {}
    for r in rows:
        r["quote_group"] = remap.setdefault(r["quote_group"], len(remap))
    return rows
