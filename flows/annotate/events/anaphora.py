"""Participants named by reference to the story so far: "the two leaders signed a joint
statement", "the two sides held talks" are the two people of the document's latest
meeting told in the two sentences before; "Mr Putin also met ..." and such continuation
sentences are news of the story's day (dates.event_date); "during that trip, A met B"
happened when the sentence before dates the trip. Read only in sentences a rule's trigger
already admitted (no cost elsewhere)."""
from __future__ import annotations

import re
from datetime import date

from flows.annotate.events.dates import PREC_RANK, own_dates
from flows.annotate.events.document import EventDoc, Sentence
from flows.annotate.events.patterns import _alt

# "the two leaders", "both sides", "the two prime ministers"
PAIR_REF_RX = re.compile(r"\b(?:the\s+)?(?:two|both)\s+(?:" + _alt("pair_references") + r")\b", re.I)
# a sentence that continues the story told before it ("also met", "later held talks")
CONTINUES_RX = re.compile(r"\b(?:" + _alt("continuation_words") + r")\b", re.I)
REFERRED_RX = re.compile(r"\b(?:" + _alt("referred_occasions") + r")\b", re.I)
_MEETINGS = ("bilateral_meeting", "multilateral_meeting")


def prior_meeting_figures(d: EventDoc, s: Sentence) -> list[str]:
    """When the sentence says "the two leaders": the figures of the latest meeting
    candidate told in this sentence's two predecessors, else the two people the sentence
    before names (and no one else); else []."""
    if not PAIR_REF_RX.search(s.text):
        return []
    lo = d.spans[max(0, s.k - 2)][0]
    for c in reversed(d.out):
        if c["event_type"] in _MEETINGS and lo <= c["evidence_start"] <= s.sp[0] and len(c["figure_ids"]) >= 2:
            return list(c["figure_ids"])
    if s.k > 0:
        before = {mm["entity_id"] for mm in d.by_sent.get(d.spans[s.k - 1], []) if mm["entity_type"] == "figure"}
        if len(before) == 2:
            return sorted(before)
    return []


def continues_story(s: Sentence) -> bool:
    """The sentence refers back to the story ("also", "the two leaders")."""
    return bool(CONTINUES_RX.search(s.text) or PAIR_REF_RX.search(s.text))


def referred_date(d: EventDoc, s: Sentence) -> tuple[date, date, str] | None:
    """"During that trip, A met B": the most precise date of the sentence before (its own
    dates, none after publication), when this sentence has none of its own."""
    if s.k == 0 or not REFERRED_RX.search(s.text) or own_dates(d, s.text, None, None):
        return None
    prev = d.text[d.spans[s.k - 1][0]:d.spans[s.k - 1][1]]
    ds = own_dates(d, prev, None, None)
    if not ds:
        return None
    x = sorted(ds, key=lambda x: (-PREC_RANK[x["precision"]], x["start"]))[0]
    return x["date_start"], x["date_end"], x["precision"]
