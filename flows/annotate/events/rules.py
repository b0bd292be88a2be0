"""The rule registry: one `EventRule` per kind of event, in the order they run on a
sentence (a rule may see what an earlier one added: the meeting rule's counterparts).

A rule says which event types it makes, what triggers it (patterns, each behind a keyword
gate: a sentence holding none of the gate's words is not scanned), what vetoes it in a
sentence (`guards`: background, plans), which rules it overrides in the same sentence,
and its extractor (extractors.py, title_events.py). Its PLOVER codes come from
schemas.tables.PLOVER. To add a kind of event: its wordings and gate in words.yaml, its
pattern in patterns.py, an extractor, and one record below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from flows.annotate.events import extractors as ex
from flows.annotate.events.document import EventDoc, Sentence
from flows.annotate.events.patterns import (
    ACCESSION_AFTER_RX,
    ACCESSION_BEFORE_RX,
    AGREEMENT_COUNT_RX,
    AGREEMENT_RX,
    BACKGROUND_MEET_EXTRA_RX,
    BACKGROUND_MEET_RX,
    FUTURE_MEET_RX,
    GATES,
    HOST_RX,
    MEET_RX,
    MEMBERS_RX,
    MINISTERIAL_RX,
    NOT_DONE_RX,
    SUMMIT_RX,
    TITLE_MEET_RX,
    VISIT_RX,
    WITNESS_SIGNING_RX,
)
from flows.annotate.events.calls import (
    CALL_NOT_DONE_RX,
    CALL_RX,
    TITLE_CALL_RX,
    TITLE_READOUT_MEET_RX,
    extract_call,
    extract_readout_meeting,
    extract_title_call,
)
from flows.annotate.events.guards import CAPTION_RX, FUTURE_RX, FUTURE_TIME_RX
from flows.annotate.events.org_summit import ORG_SUMMIT_RX, SUMMIT_FUTURE_RX, extract_org_summit
from flows.annotate.events.title_events import extract_title_meeting
from flows.annotate.events.visits import VISIT_DAY_RX, extract_visit_day
from schemas.tables import PLOVER

# where a rule looks: every gated sentence, the sentences the summit pass anchored to a
# summit (document.py), or the document's title
SCOPES = ("sentence", "summit", "title")


@dataclass(frozen=True)
class Trigger:
    """A pattern and the name of its keyword gate in words.yaml (None: no gate)."""
    pattern: re.Pattern
    gate: str | None

    @property
    def words(self) -> tuple[str, ...]:
        return GATES[self.gate] if self.gate else ()


@dataclass(frozen=True)
class EventRule:
    name: str
    event_types: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    extract: Callable
    scope: str = "sentence"
    guards: tuple[re.Pattern, ...] = ()   # a sentence one of these matches yields nothing
    overrides: tuple[str, ...] = ()       # rules that yield nothing where this one triggers

    @property
    def plover(self) -> dict[str, str | None]:
        return {t: PLOVER.get(t) for t in self.event_types}


RULES: tuple[EventRule, ...] = (
    # the summit pass (document.py) finds the summit of a sentence with these triggers
    # ("<summit city> summit" too, built per document); this rule emits it
    EventRule("summit", ("summit",), (Trigger(SUMMIT_RX, "summit"), Trigger(MEMBERS_RX, "members")),
              ex.extract_summit, scope="summit"),
    # the summits of other organisations (G20, ASEAN, BRICS ...): org_summit.py
    # a sentence about a summit still to come names no event
    EventRule("org_summit", ("summit",), (Trigger(ORG_SUMMIT_RX, "summit"),), extract_org_summit,
              guards=(FUTURE_RX, FUTURE_TIME_RX, SUMMIT_FUTURE_RX)),
    EventRule("meeting", ("bilateral_meeting", "multilateral_meeting"),
              (Trigger(MEET_RX, "meet"), Trigger(HOST_RX, "host")),
              ex.extract_meeting, guards=(BACKGROUND_MEET_RX, FUTURE_MEET_RX, BACKGROUND_MEET_EXTRA_RX, CAPTION_RX)),
    # "a meeting of SCO foreign ministers" is no bilateral meeting of the ministers it names
    EventRule("ministerial", ("ministerial_meeting",), (Trigger(MINISTERIAL_RX, "ministerial"),),
              ex.extract_ministerial, overrides=("meeting",)),
    EventRule("accession", ("accession",),
              (Trigger(ACCESSION_AFTER_RX, "accession"), Trigger(ACCESSION_BEFORE_RX, "accession")),
              ex.extract_accession, guards=(NOT_DONE_RX,)),
    EventRule("agreement", ("agreement",), (Trigger(AGREEMENT_RX, "agreement"), Trigger(AGREEMENT_COUNT_RX, "agreement"),
                                            Trigger(WITNESS_SIGNING_RX, "agreement")),
              ex.extract_agreement, guards=(CAPTION_RX,)),
    EventRule("visit", ("visit",), (Trigger(VISIT_RX, "visit"),), ex.extract_visit, guards=(CAPTION_RX,)),
    # "is on the second day of a three-day visit to Australia": visits.py
    EventRule("visit_day", ("visit",), (Trigger(VISIT_DAY_RX, "visit"),), extract_visit_day),
    # a phone or video conversation is a call, never a meeting (calls.py)
    EventRule("call", ("call",), (Trigger(CALL_RX, "call"),), extract_call,
              guards=(CALL_NOT_DONE_RX, SUMMIT_RX), overrides=("meeting",)),
    EventRule("title_meeting", ("bilateral_meeting",), (Trigger(TITLE_MEET_RX, None),),
              extract_title_meeting, scope="title"),
    # "Readout of President Biden's Meeting with ...": the readout's meeting (a call when held by video)
    EventRule("readout_meeting", ("bilateral_meeting", "call"), (Trigger(TITLE_READOUT_MEET_RX, None),),
              extract_readout_meeting, scope="title"),
    # "Telephone conversation with ...", "Readout of ...'s Call with ...": a call, not a meeting
    EventRule("title_call", ("call",), (Trigger(TITLE_CALL_RX, None),), extract_title_call,
              scope="title", overrides=("title_meeting", "readout_meeting")),
)

RULES_BY_NAME = {r.name: r for r in RULES}


# a rule planned for one document: the rule, per trigger the sentences its gate admits
# (None: every sentence), and every sentence the rule may fire on
Plan = list[tuple[EventRule, tuple[set[int] | None, ...], set[int]]]


def plan(d: EventDoc) -> Plan:
    """The sentence and summit rules with the sentences their gates admit in this
    document; computed once per document, so a sentence meets only the rules it may fire."""
    every = set(range(len(d.spans)))
    out = []
    for r in RULES:
        if r.scope == "summit":  # the sentences the summit pass anchored to a summit
            out.append((r, (), {k for k, sp in enumerate(d.spans) if d.summit_sents.get(sp, (None, None))[1]}))
        elif r.scope == "sentence":
            admitted = tuple(d.gated(t.words) if t.gate else None for t in r.triggers)
            out.append((r, admitted, set().union(*(every if a is None else a for a in admitted))))
    return out


def _trigger_matches(s: Sentence, rule: EventRule, admitted: tuple[set[int] | None, ...]
                     ) -> tuple[re.Match | None, ...] | None:
    """The matches of the rule's triggers in the sentence (a gate that does not admit
    the sentence: no scan), or None when none matches."""
    if rule.scope == "summit":
        return (s.summit_match,)
    ms = tuple(t.pattern.search(s.text) if a is None or s.k in a else None
               for t, a in zip(rule.triggers, admitted))
    return ms if any(ms) else None


def run_sentence_rules(d: EventDoc, s: Sentence, rules: Plan) -> None:
    """The planned rules that may fire on the sentence, in registry order."""
    found = [(r, _trigger_matches(s, r, admitted)) for r, admitted, may in rules if s.k in may]
    overridden = {o for r, ms in found if ms for o in r.overrides}
    for r, ms in found:
        if ms and r.name not in overridden and not any(g.search(s.text) for g in r.guards):
            r.extract(d, s, ms)


def candidate_sentences(rules: Plan) -> list[int]:
    """The sentences some planned rule may fire on."""
    return sorted(set().union(*(may for _, _, may in rules)))


def run_title_rules(d: EventDoc) -> None:
    """The rules read on the document's title."""
    if not d.title:
        return
    found = [(r, tuple(t.pattern.search(d.title) for t in r.triggers)) for r in RULES if r.scope == "title"]
    overridden = {o for r, ms in found if any(ms) for o in r.overrides}
    for r, ms in found:
        if any(ms) and r.name not in overridden:
            r.extract(d, ms)
