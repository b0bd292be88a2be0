"""The speaker of each quoted span: rule 1 (an attribution clause after the closing
mark), rule 2 (one before the opening mark, in the same sentence) and rule 4 (he/she to
the person named before); see the package docstring."""
from __future__ import annotations

import re
from typing import NamedTuple

from flows.annotate.quotes.document import QuoteText, Speaker
from flows.annotate.quotes.marks import Candidate, trim
from flows.annotate.quotes.patterns import (
    DESCRIPTION,
    END_DOT,
    IN_WORDS,
    PRONOUN,
    SUBJECT_VERB,
    VERB,
    WORDS,
    mentions_in,
    n_words,
    verb_text,
)
from flows.annotate.quotes.gender import pronoun_gender

# after-attribution clause: from the closing mark to the first clause break
_AFTER_STOP = re.compile(r",\s*[“\"«]|[;!?:“\"«\n]|" + END_DOT)
_OBJECT_BEFORE = re.compile(r"\b(?:with|to|on|about|for|from|by|against|and|at)\s+$", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:—–]\s|\bthat\b")
# "..., said the Russian president": a description right after the verb
_DESCRIPTION_NEXT = re.compile(r"\s+(?=" + DESCRIPTION.pattern[2:] + ")", re.I)
# the verb that names its speaker after it, not before
ACCORDING_TO = "according to"


class Attribution(NamedTuple):
    fid: Speaker | None             # the speaker, None when the clause names no one
    verb: str | None
    end: int | None = None          # the end of a clause after the closing mark


def pronoun_speaker(doc: QuoteText, pos: int, floor: int, gender: str | None = None) -> Speaker | None:
    """he/she -> among the people named before (when one of them is known to be of the
    pronoun's gender, only those not known to be of the other), the nearest that is the
    subject of a speech verb ("Vladimir Putin declared ..."), else the nearest."""
    text = doc.text
    before = mentions_in(doc.mentions, floor, pos)
    if gender is not None:
        genders = [doc.gender(m) for m in before]
        if gender in genders:
            before = [m for m, g in zip(before, genders) if g in (None, gender)]
    for m in reversed(before):
        if SUBJECT_VERB.match(text, m["end"], min(pos, m["end"] + 60)):
            return doc.who(m)
    return doc.who(before[-1]) if before else None


def _pronoun(doc: QuoteText, pm: re.Match, k: int) -> Speaker | None:
    """The person a he/she at pm stands for: in this or the previous paragraph, else
    anywhere before."""
    g = pronoun_gender(pm.group())
    return (pronoun_speaker(doc, pm.start(), doc.para_floor(k), g)
            or pronoun_speaker(doc, pm.start(), 0, g))


def resolve(doc: QuoteText, lo: int, hi: int, k: int, first: bool = False) -> Speaker | None:
    """A speaker from a subject region: a mention there (the last, or the first when the
    subject follows its verb), else he/she, else an organisation, else a description
    (one standing before the he/she wins: "said the president as he summed up")."""
    ms = mentions_in(doc.mentions, lo, hi)
    if ms:
        return doc.who(ms[0] if first else ms[-1])
    pm = PRONOUN.search(doc.text, lo, hi)
    if pm:
        dm = DESCRIPTION.search(doc.text, lo, pm.start())
        return described(doc, dm) if dm else _pronoun(doc, pm, k)
    org = doc.org_in(lo, hi)
    if org:
        return org
    dm = DESCRIPTION.search(doc.text, lo, hi)
    if dm:  # "the envoy noted": the person named before it with that description
        return described(doc, dm)
    return None


def described(doc: QuoteText, dm: re.Match) -> Speaker | None:
    """"The Chinese President said": the nearest person named before right after all the
    description's words ("Chinese President Xi Jinping"), else the nearest person named
    before (preferring a speech verb's subject), as for he/she."""
    words = [w.lower() for w in WORDS.findall(dm.group())[1:]]
    for m in reversed(doc.mentions):
        if m["end"] > dm.start():
            continue
        near = doc.text[max(0, m["start"] - _ROLE_REACH):m["start"]].lower()
        if all(re.search(r"\b" + re.escape(w) + r"\b", near) for w in words):
            return doc.who(m)
    return pronoun_speaker(doc, dm.start(), 0)


# how far before a name its role stands ("President of the Russian Federation Vladimir Putin")
_ROLE_REACH = 40


def _subject_end(text: str, lo: int, hi: int) -> int:
    """Where a subject after its verb ends: at the first comma (an apposition follows)."""
    c = text.find(",", lo, hi)
    return hi if c < 0 else c


def attribution_after(doc: QuoteText, q: Candidate, used_verbs: set[int]) -> Attribution | None:
    """Rule 1: “...,” Putin said / ..., said Putin / ..., he added / ..., according to
    Putin. A verb followed by "that" starts a new clause and does not attribute."""
    text, close = doc.text, q.close
    pe = doc.paras[q.k][1]
    a0 = close + 1
    stop = _AFTER_STOP.search(text, a0, pe)
    a1 = stop.start() if stop else pe
    vm = VERB.search(text, a0, a1)
    # (up to 6 words before the verb, or 12 with an aside: “...,” Jane Roe, who chairs it, said)
    if not (vm and n_words(text[a0:vm.start()]) <= (12 if "," in text[a0 + 1:vm.start()] else 6)
            and not re.match(r"\s+that\b", text[vm.end():a1])
            and (text[close - 1] in ",!?—–-…" or text[a0:min(a0 + 1, a1)] in ",—–"
                 or not WORDS.search(text, a0, vm.start())
                 or (mentions_in(doc.mentions, a0, vm.start())
                     and n_words(text[a0:vm.start()]) <= 6))):
        return None
    verb = verb_text(vm)
    if verb == ACCORDING_TO:
        fid = resolve(doc, vm.end(), _subject_end(text, vm.end(), a1), q.k, first=True)
    else:
        fid = resolve(doc, a0, vm.start(), q.k)
        if fid is None and not WORDS.search(text, a0, vm.start()):
            # "..., said Putin" / "..., said the líder Russian"; an apposition after a
            # comma ("said Jane Roe, a historian at ...") never names the speaker
            a2 = _subject_end(text, vm.end(), a1)
            fid = resolve(doc, vm.end(), a2, q.k, first=True) if (
                mentions_in(doc.mentions, vm.end(), a2) or doc.org_in(vm.end(), a2)
                or _DESCRIPTION_NEXT.match(text, vm.end(), a2)) else None
    used_verbs.add(vm.start())
    return Attribution(fid, verb, a1)


def _before_subject(doc: QuoteText, b0: int, vm: re.Match, b1: int, k: int) -> str | None:
    """The speaker of a speech verb standing before the opening mark."""
    text, mentions = doc.text, doc.mentions
    clause_lo = b0
    for br in _CLAUSE_BREAK.finditer(text, b0, vm.start()):
        clause_lo = br.end()
    in_clause = mentions_in(mentions, clause_lo, vm.start())
    if in_clause:                       # "Putin told Xi that": the subject comes first
        return doc.who(in_clause[0])
    pm = PRONOUN.search(text, clause_lo, vm.start()) or DESCRIPTION.search(text, clause_lo, vm.start())
    if pm:                              # "He underscored that ...", "the President of ... has promised"
        return resolve(doc, pm.start(), pm.end(), k)
    in_window = mentions_in(mentions, b0, vm.start())
    if in_window:                       # "Xi, for his part, declared:"
        return doc.who(in_window[-1])
    pm = PRONOUN.search(text, b0, vm.start())
    if pm:                              # "He noted that ... and stated that “...”"
        return resolve(doc, pm.start(), pm.end(), k)
    after = mentions_in(mentions, vm.end(), b1)
    if after and re.fullmatch(r"\s*", text[vm.end():after[0]["start"]]) \
            and re.fullmatch(r"[\s,:]*", text[after[0]["end"]:b1]):
        return doc.who(after[0])        # "said Putin: “...”"
    return doc.org_in(clause_lo, vm.start())


def _before_verb(doc: QuoteText, vm: re.Match, b0: int, b1: int, k: int) -> Attribution:
    """Putin asserted, “...” / Xi replied that “...” / According to Putin, “...”."""
    verb = verb_text(vm)
    if verb == ACCORDING_TO:
        cm = re.search(r",", doc.text[vm.end():b1])
        return Attribution(resolve(doc, vm.end(), vm.end() + cm.start() if cm else b1, k), verb)
    return Attribution(_before_subject(doc, b0, vm, b1, k), verb)


def _before_colon(doc: QuoteText, b0: int, b1: int, k: int) -> Attribution | None:
    """"Putin, for his part, sent a message ...: “...”": the clause before the colon."""
    text = doc.text
    lead = [m for m in mentions_in(doc.mentions, b0, b1)
            if not _OBJECT_BEFORE.search(text, max(b0, m["start"] - 12), m["start"])]
    pm = PRONOUN.search(text, b0, b1)
    if lead:
        fid = doc.who(lead[0])
    elif pm:   # "On his meeting with Xi Jinping: “...”" - his, not Xi
        fid = pronoun_speaker(doc, pm.start(), doc.para_floor(k), pronoun_gender(pm.group()))
    else:
        fid = resolve(doc, b0, b1, k)
    return Attribution(fid, None) if fid else None


def _announced(doc: QuoteText, k: int) -> Attribution | None:
    """A paragraph-long quote announced by the paragraph before ("... declared:")."""
    ppe = doc.paras[k - 1][1]
    lo = doc.sentence(ppe - 1, k - 1)[0]
    lead = mentions_in(doc.mentions, lo, ppe)
    fid = doc.who(lead[0]) if lead else resolve(doc, lo, ppe, k)
    return Attribution(fid, None) if fid else None


def attribution_before(doc: QuoteText, q: Candidate, used_verbs: set[int]) -> Attribution | None:
    """Rule 2: the attribution before the opening mark, in the same sentence and after
    the quote before it; a speech verb not already taken by a rule-1 clause."""
    text, k = doc.text, q.k
    ps = doc.paras[k][0]
    b0, b1 = doc.sentence(q.open, k)[0], q.open
    if q.prev_close is not None and q.prev_close >= b0:
        b0 = q.prev_close + 1           # a clause break after the last earlier quote
    verbs = [v for v in VERB.finditer(text, b0, b1) if v.start() not in used_verbs]
    if verbs:
        return _before_verb(doc, verbs[-1], b0, b1, k)
    iw = list(IN_WORDS.finditer(text, b0, b1))
    if iw:                              # "In his words, “...”"
        return Attribution(resolve(doc, iw[-1].start(), iw[-1].end(), k), None)
    if re.search(r":\s*$", text[b0:b1]) and b1 - b0 > 1:
        return _before_colon(doc, b0, b1, k)
    if q.open == ps and k > 0 and doc.para_text(k - 1).endswith(":"):
        return _announced(doc, k)
    return None


def attribute(doc: QuoteText, q: Candidate, used_verbs: set[int]) -> None:
    """Set q's speaker and verb: rule 1's when it names someone, else rule 2's when it
    names someone, else the clause found (rule 1's first) naming no one."""
    after = attribution_after(doc, q, used_verbs) if q.close is not None else None
    chosen = after
    if after is not None:
        q.after_end = after.end
    if after is None or after.fid is None:
        # also tried when the clause after named no speaker ("..., according to the statement")
        before = attribution_before(doc, q, used_verbs)
        if before is not None and (before.fid is not None or after is None):
            chosen = before
    if chosen is not None:
        q.fid, q.verb, q.attributed = chosen.fid, chosen.verb, True


def attributed_candidates(doc: QuoteText, spans: list[Candidate]) -> list[Candidate]:
    """The spans with words left after trimming, each with its speaker, in text order
    (a rule-1 verb taken by one quote is not used again by a later quote's rule 2)."""
    used_verbs: set[int] = set()
    out = []
    for q in spans:
        if trim(doc, q):
            attribute(doc, q, used_verbs)
            out.append(q)
    return out
