"""The word lists (`flows/annotate/lexicon/`) and regexes every quote pass shares."""
from __future__ import annotations

import re
from pathlib import Path

from flows.core.wordlists import read_words, words_pattern

LEXICON = Path(__file__).resolve().parent.parent / "lexicon"

VERBS = words_pattern(read_words(LEXICON / "speech_verbs.txt"))
VERB = re.compile(r"\b(?:" + VERBS + r")\b", re.I)
# "Vladimir Putin declared": a mention followed by its speech verb
SUBJECT_VERB = re.compile(r"(?:\s+\w+){0,3}?\s+(?:has\s+|had\s+|also\s+)?(?:" + VERBS + r")\b", re.I)
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


def n_words(s: str) -> int:
    return len(WORDS.findall(s))


def mentions_in(mentions: list[dict], lo: int, hi: int) -> list[dict]:
    """The mentions lying wholly within [lo, hi)."""
    return [m for m in mentions if m["start"] >= lo and m["end"] <= hi]
