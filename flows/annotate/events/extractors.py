"""The extractor of each sentence rule (rules.py): given the document, the sentence and
the matches of the rule's triggers, emit the rule's candidates through `EventDoc.emit`."""
from __future__ import annotations

import re

from flows.annotate.events.anaphora import continues_story, prior_meeting_figures, referred_date
from flows.annotate.events.dates import event_date
from flows.annotate.events.guards import future_clause, is_speaker
from flows.annotate.events.document import EventDoc, Sentence
from flows.annotate.events.lists import uniq
from flows.annotate.events.participants import (
    counterpart,
    grammar_countries,
    participant_countries,
    prev_subject,
    sco_accession,
    signatory_countries,
)
from flows.annotate.events.patterns import (
    ACCESSION_NOUN_RX,
    BETWEEN_END_RX,
    COUNTERPART_RX,
    DEMONYMS,
    MET_RX,
    MULTI_RX,
    PRONOUN_RX,
    WITH_WHOM_RX,
)
from flows.annotate.events.places import destination
from flows.annotate.events.states import of_countries
from flows.annotate.events.summit import anchor_summit
from flows.annotate.events.titles import states_of
from flows.core.gazetteer import fold

Matches = tuple[re.Match | None, ...]


def _summit_place(s: Sentence) -> tuple[str | None, str | None]:
    """The place of an event on the sidelines of the sentence's summit, else of the sentence."""
    return (s.summit["city"], s.summit["host_iso3"]) if s.summit else (s.place, s.place_iso3)


def extract_summit(d: EventDoc, s: Sentence, ms: Matches) -> None:
    """The anchored summit the sentence names (found by the summit pass)."""
    summit = s.summit
    # a virtual summit has no city in the table: "held virtually in New Delhi"
    city = summit["city"] or (s.place if s.place_iso3 and s.place_iso3 == summit["host_iso3"] else None)
    d.emit("summit", s.sp, start=summit["start_date"], end=summit["end_date"], precision="day",
           place=city, place_iso3=summit["host_iso3"], organization="SCO", summit=summit)


def _add_counterparts(d: EventDoc, s: Sentence) -> None:
    """"his Chinese counterpart" with no name: the document's figure of that country joins
    the sentence's figures (for this rule and the rules after it)."""
    for cp in COUNTERPART_RX.finditer(s.text):
        if not any(cp.end() <= p <= cp.end() + 3 for p, _ in s.figs_pos):
            named = {f for _, f in s.figs_pos}
            f = counterpart(d, DEMONYMS[fold(cp.group(1))], named)
            if f:
                s.figs_pos = sorted(s.figs_pos + [(cp.start(), f)])


def _meeting_groups(d: EventDoc, s: Sentence, mt: re.Match, multi: bool) -> list[tuple[list[str], list[str]]]:
    """The (figures, countries) of each meeting the sentence tells: the figures before and
    after the trigger ("A also met with B, C and D": one meeting per object), else
    countries only where the grammar makes them participants."""
    before = uniq(f for p, f in s.figs_pos if p < mt.start())
    after = uniq(f for p, f in s.figs_pos if p >= mt.end())
    if not before and len(after) == 1 and PRONOUN_RX.search(s.text[:mt.start()]):
        # "He also met with ...", "his meeting with Xi Jinping": the previous subject
        subj = prev_subject(d, s.sp, set(after))
        if subj:
            before = [subj]
    if multi:
        return [(uniq(before + after), grammar_countries(s.text, s.mentions, mt))]
    if len(after) >= 2 and BETWEEN_END_RX.search(mt.group()):  # "the summit between A and B"
        return [(after[:2], [])]
    if before and len(after) >= 2 and MET_RX.search(mt.group()):
        return [([before[-1], a], []) for a in after if a != before[-1]]
    if before and after:
        return [([before[-1], after[0]], [])]
    if len(before) >= 2:
        return [(before[-2:], [])]
    if len(after) >= 2:
        return [(after[:2], [])]
    cs = grammar_countries(s.text, s.mentions, mt)
    fs = uniq(before + after)
    if len(states_of(fs, cs)) >= 2:
        return [(fs, cs)]
    prior = prior_meeting_figures(d, s)  # "the two leaders held a bilateral meeting"
    return [(prior, [])] if prior else []


def extract_meeting(d: EventDoc, s: Sentence, ms: Matches) -> None:
    """Bilateral and multilateral meetings ("met with", "held talks", "trilateral meeting")."""
    mt = min((m for m in ms if m), key=lambda m: m.start())  # the first wording of the sentence
    if future_clause(s.text, mt):  # "where he is expected to meet Biden on Saturday"
        return
    s.figs_pos = [(p, f) for p, f in s.figs_pos if not is_speaker(f, s.text, p)]
    _add_counterparts(d, s)
    multi = bool(MULTI_RX.search(s.text))
    groups = _meeting_groups(d, s, mt, multi)
    start, end, prec = referred_date(d, s) or event_date(d, s.text, s.summit, s.summit_pos, use_day_report=True,
                                                         in_lead=s.sp in d.lead or continues_story(s))
    if start is None:
        return
    place, piso = _summit_place(s)
    for figs, cs in groups:
        cs = uniq(cs + of_countries(s, figs))  # "Prime Minister Kishida of Japan"
        n = len(set(figs)) if len(set(figs)) >= 2 else len(states_of(figs, cs))
        if multi and len(set(figs) | set(cs)) >= 2:
            d.emit("multilateral_meeting", s.sp, start=start, end=end, precision=prec,
                   place=place, place_iso3=piso, figures=figs, countries=cs, mode="in_person")
        elif n >= 2:
            d.emit("bilateral_meeting", s.sp, start=start, end=end, precision=prec,
                   place=place, place_iso3=piso, figures=figs, countries=cs, mode="in_person")


def extract_ministerial(d: EventDoc, s: Sentence, ms: Matches) -> None:
    """"a meeting of SCO defence ministers": kept undated when its place is known."""
    start, end, prec = event_date(d, s.text, None, None, use_day_report=False)
    if start is not None or s.place:
        d.emit("ministerial_meeting", s.sp, start=start, end=end, precision=prec, place=s.place,
               place_iso3=s.place_iso3, figures=[f for _, f in s.figs_pos], organization="SCO")


def _new_members(s: Sentence, a_after: re.Match | None, a_before: re.Match | None) -> list[str]:
    """The countries that joined: after "welcomed ..." up to "member", else before the trigger."""
    members: list[str] = []
    if a_after:
        stop = s.text.lower().find("member", a_after.end())
        members = participant_countries(s.text, s.mentions, a_after.end(), stop if stop > 0 else None)
    trig = a_before or (a_after if a_after and not ACCESSION_NOUN_RX.match(a_after.group()) else None)
    if not members and trig:
        members = participant_countries(s.text, s.mentions, max(0, trig.start() - 80), trig.start())
    return members


def extract_accession(d: EventDoc, s: Sentence, ms: Matches) -> None:
    """"welcomed Iran as a member", "India and Pakistan joined the SCO"."""
    members = _new_members(s, *ms)
    if not members or not sco_accession(s) or any(m and future_clause(s.text, m) for m in ms):
        return
    a_summit = s.summit or anchor_summit(s.text, s.mentions, d.summits, d.places, d.pub, d.order,
                                         require_constraint=True)
    start, end, prec = event_date(d, s.text, a_summit, None, use_day_report=False)
    if start is not None:
        place, piso = (a_summit["city"], a_summit["host_iso3"]) if a_summit else (None, None)
        d.emit("accession", s.sp, start=start, end=end, precision=prec, place=place,
               place_iso3=piso, countries=members, organization="SCO", summit=a_summit)


def extract_agreement(d: EventDoc, s: Sentence, ms: Matches) -> None:
    """"signed a declaration/agreement/treaty ...": its signatories, on the summit's day."""
    ag = next(m for m in ms if m)
    if future_clause(s.text, ag):
        return
    figs = uniq(f for p, f in s.figs_pos if not is_speaker(f, s.text, p))
    whom = WITH_WHOM_RX.search(s.text[:ag.start()])
    if whom and figs:  # "Xi, with whom Putin signed ...": the subject and the "whom"
        prior = [f for p, f in s.figs_pos if p < whom.start()]
        figs = uniq([s.figs_pos[0][1], prior[-1]]) if prior else figs
    if len(figs) < 2:  # "the two leaders signed a joint statement"
        figs = prior_meeting_figures(d, s) or figs
    cs = signatory_countries(s.text, s.mentions, ag) if len(figs) < 2 else []
    start, end, prec = event_date(d, s.text, s.summit, s.summit_pos, use_day_report=True,
                                  in_lead=s.sp in d.lead or continues_story(s))
    if start is not None and (len(figs) >= 2 or len(cs) >= 2 or s.summit):
        place, piso = _summit_place(s)
        d.emit("agreement", s.sp, start=start, end=end, precision=prec, place=place,
               place_iso3=piso, figures=figs, countries=cs,
               organization="SCO" if s.summit else None, summit=s.summit)


def extract_visit(d: EventDoc, s: Sentence, ms: Matches) -> None:
    """"<figure> visited <country/place>": the last figure before the trigger, the first
    country or place after it."""
    vi = ms[0]
    if future_clause(s.text, vi):  # "is expected to make two visits to China"
        return
    who = [f for p, f in s.figs_pos if p < vi.start()]
    dest = destination(d, s.mentions, vi.end())
    start, end, prec = event_date(d, s.text, None, None, use_day_report=False)
    if who and dest and start is not None:
        place, piso, cs = dest
        d.emit("visit", s.sp, start=start, end=end, precision=prec, place=place, place_iso3=piso,
               figures=[who[-1]], countries=cs)
