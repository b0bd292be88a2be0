"""The text every quote pass reads: its paragraphs, sentences, the people named in it
and the organisations that speak in it."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from flows.annotate.quotes.gender import gender_of
from flows.core.text import paragraph_spans, sentence_at, sentence_spans


class Speaker(NamedTuple):
    fid: str | None                 # the figure; None for an organisation
    name: str                       # as the text names it (a person: the longest form)
    kind: str                       # "person" or "organization"


@dataclass(frozen=True)
class QuoteText:
    text: str
    mentions: list[dict]            # person mentions (figure stage's and clause names), by start
    paras: list[tuple[int, int]]
    sents: list[tuple[int, int]]
    orgs: list[dict] = field(default_factory=list)   # {start, end, name}, by start
    names: dict[str, str] = field(default_factory=dict)  # figure_id -> its longest surface

    @classmethod
    def of(cls, text: str, figure_mentions: list[dict] | None, orgs: list[dict] | None = None) -> "QuoteText":
        mentions = sorted(figure_mentions or [], key=lambda m: m["start"])
        names: dict[str, str] = {}
        for m in mentions:
            if len(m["surface"]) > len(names.get(m["entity_id"], "")):
                names[m["entity_id"]] = m["surface"]
        return cls(text, mentions, paragraph_spans(text), sentence_spans(text),
                   sorted(orgs or [], key=lambda o: o["start"]), names)

    def who(self, m: dict) -> Speaker:
        """The speaker a person mention names."""
        return Speaker(m["entity_id"], self.names.get(m["entity_id"], m["surface"]), "person")

    def gender(self, m: dict) -> str | None:
        return gender_of(self.names.get(m["entity_id"], m["surface"]))

    def org_in(self, lo: int, hi: int) -> Speaker | None:
        """The first organisation speaker lying within [lo, hi)."""
        for o in self.orgs:
            if o["start"] >= lo and o["end"] <= hi:
                return Speaker(None, o["name"], "organization")
        return None

    def para_floor(self, k: int) -> int:
        """Where a pronoun's person is looked for: the start of the previous paragraph."""
        return self.paras[k - 1][0] if k > 0 else self.paras[k][0]

    def para_of(self, pos: int) -> int:
        """The paragraph holding pos (the one before, between two)."""
        return max(0, bisect_right(self.paras, (pos, float("inf"))) - 1)

    def para_text(self, k: int) -> str:
        ps, pe = self.paras[k]
        return self.text[ps:pe]

    def sentence(self, pos: int, k: int) -> tuple[int, int]:
        """The sentence holding pos, cut to paragraph k (the paragraph when none)."""
        ps, pe = self.paras[k]
        s = sentence_at(self.sents, pos) or (ps, pe)
        return max(ps, s[0]), min(pe, s[1])

    def context(self, lo: int, hi: int, k: int) -> str:
        """The sentence(s) of paragraph k holding [lo, hi)."""
        a = self.sentence(lo, k)
        b = self.sentence(max(lo, hi - 1), k)
        return self.text[min(a[0], b[0]):max(a[1], b[1])]
