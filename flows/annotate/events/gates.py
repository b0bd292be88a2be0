"""Keyword gates: cheap pre-tests on a sentence's `keyword_view` (lower case). A pattern
cannot match a sentence that holds none of its gate's words (words.yaml `gates`), so most
sentences skip the regex scans (they were half of event extraction's time)."""
from __future__ import annotations

from bisect import bisect_right

from flows.annotate.events.patterns import ADJ_PAIR_RX, GATES, HAS_SCO
from flows.core.text import keyword_positions, keyword_view, register_keywords

# the words of the document-wide pre-tests, found in one pass (flows.core.text.keyword_positions);
# "pair" and "role" are tested per sentence on its keyword view, not through the positions
# (role words such as "president" are everywhere: only sentences a rule admits are tested)
PER_SENTENCE_GATES = ("pair", "role")
register_keywords(tuple(w for name, words in GATES.items() if name not in PER_SENTENCE_GATES for w in words))


def adj_pairs(s: str):
    """`ADJ_PAIR_RX.finditer(s)`; none when `s` lacks every word its lookahead needs
    (the pattern is a long alternation of demonyms: slow to scan)."""
    kw = keyword_view(s)
    if not any(w in kw for w in GATES["pair"]):
        return ()
    return ADJ_PAIR_RX.finditer(s)


def has_sco(text: str) -> bool:
    """`HAS_SCO.search(text)`, tried only where the document has "sco" or "shanghai" (a
    match starts at one of them): a whole-document scan was a third of event extraction."""
    hits = keyword_positions(text)
    if hits is None:  # the keyword view's offsets are not the text's
        return bool(HAS_SCO.search(text))
    for w in GATES["sco"]:
        for i in hits.get(w, ()):
            if HAS_SCO.match(text, i):  # `match` at i still sees text[i - 1] for \b
                return True
    return False


def sentences_with(text: str, spans: list[tuple[int, int]], starts: list[int],
                   words: tuple[str, ...]) -> set[int]:
    """Indexes of the sentences (`spans`) whose text may hold one of `words` (lower case):
    every sentence that does, and perhaps a few that do not. Where the words stand in the
    whole document (keyword_positions) instead of a test per sentence."""
    out: set[int] = set()
    hits = keyword_positions(text)
    if hits is not None:  # the keyword view's offsets are the text's
        for w in words:
            for i in hits.get(w, ()):
                k = bisect_right(starts, i) - 1
                if k >= 0:  # not before the first sentence
                    out.add(k)
    else:
        for k, (a, b) in enumerate(spans):
            kw = keyword_view(text[a:b])
            if any(w in kw for w in words):
                out.add(k)
    return out
