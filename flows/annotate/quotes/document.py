"""The text every quote pass reads: its paragraphs, sentences and person mentions."""
from __future__ import annotations

from dataclasses import dataclass

from flows.core.text import paragraph_spans, sentence_at, sentence_spans


@dataclass(frozen=True)
class QuoteText:
    text: str
    mentions: list[dict]            # figure mentions, sorted by start
    paras: list[tuple[int, int]]
    sents: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str, figure_mentions: list[dict] | None) -> "QuoteText":
        mentions = sorted(figure_mentions or [], key=lambda m: m["start"])
        return cls(text, mentions, paragraph_spans(text), sentence_spans(text))

    def para_floor(self, k: int) -> int:
        """Where a pronoun's person is looked for: the start of the previous paragraph."""
        return self.paras[k - 1][0] if k > 0 else self.paras[k][0]

    def para_text(self, k: int) -> str:
        ps, pe = self.paras[k]
        return self.text[ps:pe]

    def context(self, lo: int, hi: int, k: int) -> str:
        """The sentence(s) of paragraph k holding [lo, hi)."""
        ps, pe = self.paras[k]
        a = sentence_at(self.sents, lo) or (ps, pe)
        b = sentence_at(self.sents, max(lo, hi - 1)) or (ps, pe)
        return self.text[max(ps, min(a[0], b[0])):min(pe, max(a[1], b[1]))]
