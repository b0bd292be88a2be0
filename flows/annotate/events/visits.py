"""A visit told by the day it is on: "Pham Minh Chinh is on the second day of a three-day
visit to Australia" — the visitor is the last figure before the phrase, the destination
the first country or place after it, and the visit began (n − 1) days before the report's
day ("is on": the present of the report, its publication date)."""
from __future__ import annotations

import re
from datetime import timedelta

from flows.annotate.events.document import EventDoc, Sentence
from flows.annotate.events.guards import is_speaker
from flows.annotate.events.patterns import WORDS
from flows.annotate.events.places import destination

_ORD = {k.lower(): int(v) for k, v in WORDS["visit_day_ordinals"].items()}
VISIT_DAY_RX = re.compile(
    r"\b(?P<v>is|was)\s+(?:now\s+)?on\s+(?:the\s+)?(?P<n>" + "|".join(_ORD) + r")\s+day\s+of\s+(?:a|an|his|her|their)\s+"
    r"(?:[\w-]+\s+){0,3}?visit\s+to\b", re.I)


def extract_visit_day(d: EventDoc, s: Sentence, ms: tuple) -> None:
    """The visit, begun (n − 1) days before publication (see the module docstring)."""
    m = ms[0]
    day = d.pub
    if day is None or m.group("v").lower() != "is":
        return
    who = [f for p, f in s.figs_pos if p < m.start() and not is_speaker(f, s.text, p)]
    dest = destination(d, s.mentions, m.end())
    if not who or not dest:
        return
    start = day - timedelta(days=_ORD[m.group("n").lower()] - 1)
    place, piso, cs = dest
    d.emit("visit", s.sp, start=start, end=start, precision="day", place=place, place_iso3=piso,
           figures=[who[-1]], countries=cs)
