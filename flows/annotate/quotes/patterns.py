"""The word lists (`flows/annotate/lexicon/`) and regexes every quote pass shares."""
from __future__ import annotations

import re

from flows.annotate.lexicon import HERE as LEXICON  # (ordered lists, read with read_words)
from flows.core.text import keyword_positions, register_keywords
from flows.core.wordlists import read_words, words_pattern

_VERB_LIST = read_words(LEXICON / "speech_verbs.txt")
VERBS = words_pattern(_VERB_LIST)
VERB = re.compile(r"\b(?:" + VERBS + r")\b", re.I)
# "Vladimir Putin declared": a mention followed by its speech verb
SUBJECT_VERB = re.compile(r"(?:\s+\w+){0,3}?\s+(?:has\s+|had\s+|also\s+)?(?:" + VERBS + r")\b", re.I)
# a full stop that ends a clause, not an abbreviation ("Dr. Jane Roe", "Sen. Roe", "J. Roe")
END_DOT = "".join(rf"(?<!\b{a})" for a in ("Dr", "Mr", "Ms", "Mrs", "St", "Jr", "Sr", "Gen", "Sen", "Rep",
                                             "Gov", "Lt", "Col", "Sgt", "Prof", "Rev", "Capt", "Maj")) + r"(?<!\b[A-Z])\."
PRONOUN = re.compile(r"\b(?:he|she|his|her|him)\b", re.I)
IN_WORDS = re.compile(r"\b(?:in\s+(?:his|her)\s+words|in\s+the\s+words\s+of)\b", re.I)
WORDS = re.compile(r"\w+(?:['’\-]\w+)*")
# "the envoy noted", "the Kremlin chief said", "According to the SCO chief": a description
# of someone already named
DESCRIPTION = re.compile(
    r"\bthe\s+(?:[\w’'\-]+\s+){0,3}?(?:"
    + words_pattern(read_words(LEXICON / "speaker_descriptions.txt")) + r")\b", re.I)

# quotation marks: each opening mark and the mark that closes it
OPENERS = {"“": "”", "«": "»", "„": "“", '"': '"', "‘": "’"}
OPENER_RX = re.compile("[" + "".join(OPENERS) + "]")


# the word each speech verb is found by in one keyword pass over the document: its first,
# or for "was quoted as saying" its second (flows.core.text.keyword_positions)
_VERB_KEYS = tuple(sorted({(v.split()[1] if v.split()[0] in ("was", "is") else v.split()[0]).lower()
                           for v in _VERB_LIST}))
register_keywords(_VERB_KEYS)


def speech_verbs(text: str) -> list[re.Match]:
    """Every speech verb in `text`, in order: the VERB matches, tried only where the
    keyword pass found a verb's word standing as a whole word (most of a text holds none)."""
    hits = keyword_positions(text)
    if hits is None:
        return list(VERB.finditer(text))
    n = len(text)
    spots = []
    for w in _VERB_KEYS:
        for p in hits.get(w, ()):
            e = p + len(w)
            if (p == 0 or not text[p - 1].isalnum()) and (e == n or not text[e].isalnum()):
                spots.append(p)
    spots.sort()
    out: list[re.Match] = []
    done = -1
    for p in spots:
        if p < done:
            continue
        m = VERB.match(text, p) or VERB.match(text, max(0, p - 4)) or VERB.match(text, max(0, p - 3))
        if m and m.start() >= done and m.start() <= p < m.end():
            out.append(m)
            done = m.end()
    return out


def verb_text(vm: re.Match) -> str:
    """A speech verb as the rows give it: lower-cased, each run of whitespace one space."""
    return re.sub(r"\s+", " ", vm.group().lower())


def n_words(s: str) -> int:
    return len(WORDS.findall(s))


def mentions_in(mentions: list[dict], lo: int, hi: int) -> list[dict]:
    """The mentions lying wholly within [lo, hi)."""
    return [m for m in mentions if m["start"] >= lo and m["end"] <= hi]
