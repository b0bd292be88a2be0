"""Pass 1: transcript turns. A paragraph "President of Russia Vladimir Putin: Mr President,
..." whose label holds a figure mention is a quote of that figure, and so are the
paragraphs after it up to the next label, separator or stage direction."""
from __future__ import annotations

import re

from flows.annotate.lexicon import words
from flows.annotate.quotes.document import QuoteText, Speaker
from flows.annotate.quotes.patterns import OPENERS, VERB, WORDS, mentions_in, n_words

# transcript label: "President of Russia Vladimir Putin: ...", "MS. PSAKI: ..."
_LABEL = re.compile(r"(?P<label>[A-Z][^:\n]{1,100}?):(?:[ \t]+|(?=[A-Z“\"]))(?P<body>\S.*)$")
# a paragraph that starts a new turn: "Vladimir Putin: ...", "President of Italy Sergio
# Mattarella (retranslated): ...", "Sebastian Kurz (retranslated):Mr President ..."
_LABEL_ONLY = re.compile(r"^[A-Z][\w .,'’()\-]{1,100}:(?:\s|(?=[A-Z]))")
# lower-case words a speaker label may hold ("President of the Russian Federation")
_LABEL_SMALL = words("speaker_label_particles")
_SEPARATOR = re.compile(r"^\s*(?:\*\s*){3,}$|^\s*[-–—_]{3,}\s*$")


def label_like(label: str) -> bool:
    """A speaker label ("President of Russia Vladimir Putin", "MS. PSAKI"), not a clause
    ending in a colon ("Xi, for his part, declared")."""
    if n_words(label) > 12 or re.search(r"[.!?]\s", label) or VERB.search(label):
        return False
    outside = re.sub(r"\([^)]*\)", " ", label)  # "(retranslated)", "(translated from Russian)"
    if any(w[0].islower() and w.lower() not in _LABEL_SMALL and not w.split("-")[-1][:1].isupper()
           for w in WORDS.findall(outside)):
        return False  # "Lukashenko called it: ..." is a sentence, not a speaker
    words = [w for w in WORDS.findall(label) if len(w) > 3]
    return not words or sum(w[0].isupper() for w in words) / len(words) >= 0.5


def _turn_start(doc: QuoteText, k: int) -> tuple[Speaker, int] | None:
    """(speaker, start of the words) when paragraph k opens a turn, else None."""
    text = doc.text
    ps, pe = doc.paras[k]
    # _LABEL needs its colon within the label's 101 characters after the first: a
    # paragraph without one there cannot match (most do not; the lazy label is slow)
    if text.find(":", ps + 1, min(pe, ps + 102)) < 0:
        return None
    m = _LABEL.match(text, ps, pe)
    if not m or m.end() != pe:
        return None
    label = m.group("label")
    ms = mentions_in(doc.mentions, ps, ps + len(label))
    if ms and label_like(label) and text[m.start("body")] not in OPENERS:
        return doc.who(ms[-1]), m.start("body")
    return None


def _turn_end(doc: QuoteText, k: int) -> int:
    """The first paragraph after k that is not part of k's turn (a new label, a
    separator, a stage direction in parentheses, or the end)."""
    j = k + 1
    while j < len(doc.paras):
        para = doc.para_text(j)
        if _LABEL_ONLY.match(para) or _SEPARATOR.match(para) or (
                para.startswith("(") and para.endswith(")")):
            break
        j += 1
    return j


def transcript_turns(doc: QuoteText) -> tuple[list[dict], set[int]]:
    """The rows of every turn (one group a turn, numbered 0, 1 ... in text order) and
    the paragraphs the turns hold (no quotation-mark quote is looked for there)."""
    rows: list[dict] = []
    turn_paras: set[int] = set()
    group = 0
    k = 0
    while k < len(doc.paras):
        turn = _turn_start(doc, k)
        if turn is None:
            k += 1
            continue
        who, body_lo = turn
        end = _turn_end(doc, k)
        for kk in range(k, end):
            lo, hi = (body_lo if kk == k else doc.paras[kk][0]), doc.paras[kk][1]
            turn_paras.add(kk)
            rows.append({
                "figure_id": who.fid, "speaker": who.name, "speaker_kind": who.kind, "kind": "direct",
                "text": doc.text[lo:hi], "start": lo, "end": hi,
                "verb": None, "context": doc.para_text(kk),
                "quote_group": group, "source": "transcript",
            })
        group += 1
        k = end
    return rows, turn_paras
