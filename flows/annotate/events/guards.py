"""Guards that a sentence tells a done event, read only where a rule's trigger matched:

* future (clause level): "where he is expected to meet Biden on Saturday", "looks forward to
  the summit later this month" — the clause of the trigger holds a marker of what is still
  to come before the trigger (words.yaml `future_markers`) or a future time anywhere
  (`future_times`), so the rest of the sentence may still tell a done event ("arrived in
  Peru on Thursday, where he is expected to meet ...", "his meeting with Xi will give an
  impetus");
* speakers: a spokesperson quoted in the story ("spokesperson Mao Ning said the talks ...")
  is no participant: a figure whose reference role is a spokesperson's or press
  secretary's, or whose name follows such a title;
* captions: "FILE PHOTO: Xi and Putin meet in Moscow" tells an old picture, not the
  report's event (`CAPTION_RX`, a guard of the meeting, agreement and visit rules);
* after publication: a report cannot date what it reports after its own date
  (`after_publication`; the SCO summit table's own dates excepted, see document.emit).
"""
from __future__ import annotations

import re
from datetime import date

from flows.annotate.events.patterns import GZ, _alt

FUTURE_RX = re.compile(r"\b(?:" + _alt("future_markers") + r")\b", re.I)
FUTURE_TIME_RX = re.compile(r"\b(?:" + _alt("future_times") + r")\b", re.I)
# where a clause ends: punctuation, or a relative/conjunction that opens a new one
CLAUSE_END_RX = re.compile(r"[,;:()—–]|\.\s|\b(?:where|and|but|while|as|after|before|which|who)\b")
SPEAKER_TITLE_RX = re.compile(r"\b(?:" + _alt("speaker_titles") + r")\W{0,3}(?:\w+\s+){0,3}$", re.I)
# a trigger that says nothing of the time: a bare verb or a phrase with no verb
_NO_TENSE_RX = re.compile(r"(?:sign|meet|hold)\b|(?:at|during)\s+their\b", re.I)
CAPTION_RX = re.compile(_alt("caption_markers"), re.I)
_SPEAKER_ROLE_RX = re.compile(r"spokes|press\s+secretary", re.I)


def trigger_clause(sent: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the clause holding sent[start:end]: from the last clause break
    before it to the first after it."""
    lo = 0
    for m in CLAUSE_END_RX.finditer(sent, 0, start):
        lo = m.end()
    m = CLAUSE_END_RX.search(sent, end)
    return lo, m.start() if m else len(sent)


def future_clause(sent: str, m: re.Match) -> bool:
    """The trigger's clause tells something still to come: a modal before the trigger
    ("is expected to meet"), or a future time anywhere in it ("later this year"). A bare
    verb ("sign", "meet": "the two leaders will take part in a forum and sign ...") or a
    phrase with no verb ("during their meeting at the White House, the two will
    discuss") is still to come when a modal stands anywhere in the sentence."""
    lo, hi = trigger_clause(sent, m.start(), m.end())
    if FUTURE_RX.search(sent, lo, m.end()) or FUTURE_TIME_RX.search(sent, lo, hi):
        return True
    return bool(_NO_TENSE_RX.match(m.group()) and FUTURE_RX.search(sent))


def is_speaker(fid: str, sent: str, pos: int) -> bool:
    """The figure at `pos` is quoted, not a participant: a spokesperson by role, or named
    right after a spokesperson's title."""
    role = (GZ.figures.get(fid) or {}).get("role") or ""
    return bool(_SPEAKER_ROLE_RX.search(role) or SPEAKER_TITLE_RX.search(sent[max(0, pos - 60):pos]))


def after_publication(start: date | None, pub: date | None) -> bool:
    """A date after the report's own: never the date of an event the report tells."""
    return start is not None and pub is not None and start > pub
