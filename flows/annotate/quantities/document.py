"""The text the quantity passes read, and the rows they make."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from flows.annotate.quantities.numbers import DIGIT_RUN
from flows.annotate.quantities.skips import skip_spans
from flows.core.text import sentence_at, sentence_spans


@dataclass(frozen=True)
class QuantityText:
    text: str
    sents: list[tuple[int, int]]
    digit_starts: list[int]             # where each run of digits starts
    skip: list[tuple[int, int]]         # URLs, e-mails, hashtags, phone numbers
    skip_starts: list[int]

    @classmethod
    def of(cls, text: str) -> "QuantityText":
        digit_starts = [m.start() for m in DIGIT_RUN.finditer(text)]
        skip = skip_spans(text, digit_starts)
        return cls(text, sentence_spans(text), digit_starts, skip, [s for s, _ in skip])

    def skipped(self, i: int) -> bool:
        """i lies in a URL, e-mail address, hashtag or phone number."""
        j = bisect_right(self.skip_starts, i) - 1
        return j >= 0 and i < self.skip[j][1]

    def context(self, start: int) -> str:
        """The sentence holding `start`, else its line."""
        text = self.text
        span = sentence_at(self.sents, start)
        if span is None:
            ls = text.rfind("\n", 0, start) + 1
            le = text.find("\n", start)
            return text[ls: le if le != -1 else len(text)].strip()
        return text[span[0]:span[1]]

    def row(self, start: int, end: int, value: float, unit: str, kind: str,
            noun: str | None = None, per: str | None = None) -> dict:
        return {
            "value": float(value), "unit": unit, "kind": kind,
            "surface": self.text[start:end], "start": start, "end": end,
            "context": self.context(start), "noun": noun, "per": per,
        }
