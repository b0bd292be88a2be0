"""Pass 4: reported speech, as quotes of kind "indirect" (or "mixed" when the reported
content holds quoted words):

    A  Jane Roe said (that) the plan would ...     subject, speech verb, content
       The ministry said in a statement that ...   (without "that" the content must read
       She told reporters that ...                  as a clause: an auxiliary or a past
                                                    tense early on; "told" needs "that")
    B  According to Jane Roe, the plan ...         the content after the comma, or
       The plan ..., according to the ministry.    before it
    C  No one was hurt, police said.               the content before ", <subject> said"

Precision first: the subject must be a person (a mention, a clause name, he/she resolved
to someone named before) or an organisation; "it said", "analysts said" and the narrator
give nothing. A verb inside quotation marks or a transcript turn reports nothing. The
content runs to the end of its sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from flows.annotate.lexicon import words
from flows.annotate.quotes.document import QuoteText, Speaker
from flows.annotate.quotes.patterns import DESCRIPTION, OPENER_RX, PRONOUN, mentions_in, verb_text
from flows.annotate.quotes.speaker import ACCORDING_TO, described, resolve

_NEEDS_THAT = words("reported_verbs_with_that")
# "said in a statement that", "told reporters on Monday that": a few words, then "that"
_UP_TO_THAT = re.compile(r"(?:\s+[\w’'\-]+,?){0,4}?\s+that\s+(?=\S)", re.I)
_CLAUSE_WORD = re.compile(
    r"\b(?:would|will|was|were|had|has|have|is|are|could|should|can|may|might|must|did|"
    r"does|do|won't|wouldn't|hadn't|wasn't|weren't|isn't|aren't|\w{3,}ed)\b", re.I)
_NOT_CONTENT_START = words("reported_not_content_start")
_ACCORDING_AFTER = re.compile(r",\s+according\s+to\b", re.I)
_NUMBER_NEXT = re.compile(r"\s+\d")
_TRAIL = re.compile(r"[\s.!?;:,”\"’]+$")


def _content_after(doc: QuoteText, vm: re.Match, s_end: int) -> int | None:
    """Where reported content starts after the verb (pattern A), or None."""
    text, verb = doc.text, vm.group().lower()
    m = _UP_TO_THAT.match(text, vm.end(), s_end)
    if m:
        return m.end()
    if verb in _NEEDS_THAT or not text.startswith(" ", vm.end()):
        return None
    lo = vm.end() + 1
    first = re.match(r"[\w’'\-]+", text[lo:s_end])
    if not first or OPENER_RX.match(text, lo) or (
            first.group().lower() in _NOT_CONTENT_START and not _NUMBER_NEXT.match(text, lo + first.end())):
        return None                 # "said in a statement", not "said about 2,000 ..."
    head = text[lo:min(s_end, lo + 90)]
    cw = _CLAUSE_WORD.search(head)
    return lo if cw and cw.start() > 0 else None


def _end(text: str, lo: int, hi: int) -> int:
    t = _TRAIL.search(text, lo, hi)
    return t.start() if t and t.start() > lo else hi


def _site(doc: QuoteText, vm: re.Match, k: int) -> tuple[Speaker | None, int, int] | None:
    """(speaker, content start, content end) of the reported speech at one verb."""
    text = doc.text
    s0, s1 = doc.sentence(vm.start(), k)
    verb = verb_text(vm)
    if verb == ACCORDING_TO:
        comma = text.find(",", vm.end(), s1)
        who = resolve(doc, vm.end(), comma if comma > 0 else s1, k, first=True)
        if comma > 0 and not text[s0:vm.start()].strip():                    # B, before
            return who, comma + 1, s1
        lead = re.search(r",\s*$", text[s0:vm.start()])
        ok = lead and text[s0:s0 + 1].isupper()
        return (who, s0, s0 + lead.start()) if ok else None                   # B, after
    lead = re.search(r",\s+((?:[\w’'\-]+\s+){0,5})$", text[s0:vm.start()])
    tail = text[vm.end():s1]
    if lead and re.fullmatch(r"(?:\s+[\w’'\-]+){0,5}[.!?]?\s*", tail) and not _CLAUSE_WORD.search(tail):
        subj_lo = s0 + lead.start(1)                                          # C
        if not text[s0:s0 + 1].isupper():
            return None
        return resolve(doc, subj_lo, vm.start(), k), s0, s0 + lead.start()
    c0 = _content_after(doc, vm, s1)                                          # A
    if c0 is None:
        return None
    return reported_subject(doc, s0, vm.start(), k), c0, s1


_BREAK = re.compile(r"[,;:—–]\s|\bthat\s")
_ASIDE_TO_VERB = re.compile(r"\s*(?:,[^,]{0,80})?,\s*(?:(?:has|had|also)\s+)?$")


def reported_subject(doc: QuoteText, s0: int, vs: int, k: int) -> Speaker | None:
    """Who a speech verb at vs reports, from its own clause only ("Jane Roe told Ann Lee
    that": the first person there; "He said"; "The foreign ministry said"), or a person
    or organisation followed by nothing but an aside up to the verb ("Jane Roe, who chairs
    the board, said"); never someone merely named earlier in the sentence."""
    text = doc.text
    clause_lo = s0
    for br in _BREAK.finditer(text, s0, vs):
        clause_lo = br.end()
    ms = mentions_in(doc.mentions, clause_lo, vs)
    if ms:
        return doc.who(ms[0])
    if text[clause_lo:vs].strip():
        pm = PRONOUN.match(text, clause_lo)
        if pm:
            return resolve(doc, pm.start(), pm.end(), k)
        got = doc.org_in(clause_lo, vs)
        dm = DESCRIPTION.search(text, clause_lo, vs)
        return got or (described(doc, dm) if dm else None)
    for m in reversed(mentions_in(doc.mentions, s0, vs)):
        if _ASIDE_TO_VERB.fullmatch(text, m["end"], vs):
            return doc.who(m)
    return None


_MARKUP = re.compile(r"\]\(|\*\*|https?:|\|")
_MIN_WORDS = 4


def _plain_content(text: str, lo: int, hi: int) -> bool:
    """Reported content worth a row: a few words of prose, not opening with a quotation
    mark (a direct quote after "said that"), not markup (a link, bold, a table)."""
    return (len(text[lo:hi].split()) >= _MIN_WORDS and not OPENER_RX.match(text, lo)
            and not _MARKUP.search(text, lo, hi))


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    j = bisect_right(starts, pos) - 1
    return j >= 0 and pos < spans[j][1]


def reported_rows(doc: QuoteText, verbs: list[re.Match], quoted: list[tuple[int, int]],
                  skip_paras: set[int], first_group: int) -> list[dict]:
    """The reported speech at the speech verbs `verbs`, one row (one group) each, outside
    `quoted` spans ((open, close) of the quotes, disjoint, in order) and the transcript
    paragraphs."""
    rows: list[dict] = []
    text = doc.text
    starts = [o for o, _ in quoted]
    for vm in verbs:
        if _inside(quoted, starts, vm.start()):
            continue
        k = doc.para_of(vm.start())
        if k in skip_paras:
            continue
        got = _site(doc, vm, k)
        if got is None or got[0] is None:
            continue
        who, lo, hi = got
        while lo < hi and text[lo].isspace():
            lo += 1
        cut = _ACCORDING_AFTER.search(text, lo, hi)
        hi = _end(text, lo, cut.start() if cut else hi)
        if not _plain_content(text, lo, hi):
            continue
        rows.append({
            "figure_id": who.fid, "speaker": who.name, "speaker_kind": who.kind,
            "kind": "mixed" if OPENER_RX.search(text, lo, hi) else "indirect",
            "text": text[lo:hi], "start": lo, "end": hi,
            "verb": verb_text(vm),
            "context": doc.context(lo, hi, k), "quote_group": first_group + len(rows), "source": "reported",
        })
    return rows
