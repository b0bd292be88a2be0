"""Calls: a phone or video conversation between leaders or ministers (event_type `call`,
PLOVER CONSULT), never typed as a meeting, from a sentence ("held a telephone
conversation with", "spoke by phone with", "talked over the phone", "held talks via
videoconference") or from a title (a Kremlin "Telephone conversation with ...", a White
House "Readout of President Biden's Call with ..."); and the White House readout of a
meeting ("Readout of ... Meeting with ..."). The word lists are words.yaml's
`call_wordings`, `video_words`, `call_not_done`, `title_call_openers`, `title_readout`,
`title_call_nouns` and `title_meeting_nouns`.

`mode`: `video` when the sentence (or title) says video, virtual or online, else `phone`
for a call; a meeting is `in_person` (a meeting by video is a call).
"""
from __future__ import annotations

import re

from flows.annotate.events.dates import event_date
from flows.annotate.events.document import EventDoc, Sentence
from flows.annotate.events.extractors import _add_counterparts, _meeting_groups
from flows.annotate.events.lists import uniq
from flows.annotate.events.patterns import MEET_RX, WORDS, _alt
from flows.annotate.events.states import of_countries
from flows.annotate.events.title_events import _host, _title_parties
from flows.annotate.events.titles import states_of

CALL_RX = re.compile(r"\b(?:" + _alt("call_wordings") + r")\b", re.I)
VIDEO_RX = re.compile(r"\b(?:" + _alt("video_words") + r")\b", re.I)
CALL_NOT_DONE_RX = re.compile(r"\b(?:" + _alt("call_not_done") + r")", re.I)
_READOUT = r"^\s*" + WORDS["title_readout"]
TITLE_CALL_RX = re.compile(
    r"^\s*(?:" + _alt("title_call_openers") + r")\s+with\b"
    r"|" + _READOUT + r"\s+(?:" + _alt("title_call_nouns") + r")\s+(?:with|between)\b", re.I)
TITLE_READOUT_MEET_RX = re.compile(_READOUT + r"\s+(?:" + _alt("title_meeting_nouns") + r")\s+(?:with|between)\b", re.I)
_READOUT_RX = re.compile(_READOUT, re.I)
_SEVERAL_RX = re.compile(r"\band\b|,|;")  # a title naming several counterparts
_WITH_RX = re.compile(r"\b(?:with|between)\b", re.I)


def is_readout(title: str) -> bool:
    """A readout's title ("Readout of President Biden's Call with ..."): it names the host too."""
    return bool(_READOUT_RX.match(title))


def call_mode(text: str) -> str:
    """`video` when the text says video, virtual or online, else `phone`."""
    return "video" if VIDEO_RX.search(text) else "phone"


def _to_with(text: str, mt: re.Match) -> re.Match:
    """The trigger up to its "with" when a name stands inside it ("spoke with Xi by
    telephone": "spoke with"), so that the name counts as the one spoken with."""
    w = _WITH_RX.search(text, mt.start(), mt.end())
    if w is None or w.end() >= mt.end() - 1:
        return mt
    return re.compile(r"[\s\S]{%d}" % (w.end() - mt.start())).match(text, mt.start())


def extract_call(d: EventDoc, s: Sentence, ms: tuple[re.Match | None, ...]) -> None:
    """Calls told by a sentence: its participants as a meeting's (extractors._meeting_groups),
    dated as a meeting (a lead sentence of a dated report: the day of publication)."""
    mt = _to_with(s.text, ms[0])
    _add_counterparts(d, s)
    groups = _meeting_groups(d, s, mt, False)
    start, end, prec = event_date(d, s.text, s.summit, s.summit_pos, use_day_report=True, in_lead=s.sp in d.lead)
    if start is None:
        return
    mode = call_mode(s.text)
    for figs, cs in groups:
        if len(set(figs)) >= 2 or len(states_of(figs, cs)) >= 2:
            d.emit("call", s.sp, start=start, end=end, precision=prec, figures=figs,
                   countries=uniq(cs + of_countries(s, figs)), mode=mode)


def _title_figures(d: EventDoc, tfigs: list[str]) -> list[str]:
    """The title's figures, and those it names by their short name or the last word of a
    name the page gives them ("Readout of President Biden's Call with Prime Minister Draghi
    of Italy": the page says "Mario Draghi")."""
    words = set(re.findall(r"[\w-]+", d.title))
    by_last = {f for f, ss in d.surfaces.items() for s in ss
               if len(s.split()) > 1 and s.split()[-1] in words and s.split()[-1][:1].isupper()
               and len(s.split()[-1]) >= 3}
    return uniq(tfigs + sorted(f for f, n in d.names.items() if n in words or f in by_last))


def _title_event(d: EventDoc, event_type: str, mode: str, readout: bool) -> None:
    """The event a title tells (title_events: its figure or countries, plus the host; a
    readout's title names both; one naming more people is left to the sentences), dated on the day of publication; every participant's
    country in its countries."""
    tsp, tfigs, tcs = _title_parties(d)
    if tsp is None:  # a title outside the text
        tfigs = _title_figures(d, tfigs)
    if readout and _SEVERAL_RX.search(d.title, _WITH_RX.search(d.title).end()):
        return  # "... Meeting with President Widodo and Prime Minister Modi": the sentences tell who met whom
    if readout and len(tfigs) >= 2:
        figs = tfigs
    else:
        main = _host(d, tfigs, CALL_RX if event_type == "call" else MEET_RX)
        figs = uniq(tfigs + [main[0][0]] if main and (tfigs or tcs) else tfigs)
    if d.pub is None or not (len(figs) >= 2 or len(states_of(figs, tcs)) >= 2):
        return
    if tsp is None:
        tsp = next((sp for sp in d.spans[:3] if {mm["entity_id"] for mm in d.by_sent.get(sp, [])} & set(figs)
                    and (CALL_RX.search(d.text[sp[0]:sp[1]]) or event_type != "call")), None)
    d.emit(event_type, tsp, start=d.pub, end=d.pub, precision="day", figures=figs, countries=tcs,
           evidence=d.title, mode=mode)


def extract_title_call(d: EventDoc, ms: tuple[re.Match | None, ...]) -> None:
    """"Telephone conversation with ...", "Readout of ...'s Call with ...": a call."""
    _title_event(d, "call", call_mode(d.title), is_readout(d.title))


def extract_readout_meeting(d: EventDoc, ms: tuple[re.Match | None, ...]) -> None:
    """"Readout of President Biden's Meeting with ...": a meeting, in person; a call when
    the lead says it was held by phone or video ("met virtually with")."""
    for a, b in d.spans[:3]:
        lead = d.text[a:b]
        if CALL_RX.search(lead) and not CALL_NOT_DONE_RX.search(lead):
            _title_event(d, "call", call_mode(lead), True)
            return
    _title_event(d, "bilateral_meeting", "in_person", True)
