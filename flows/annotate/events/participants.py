"""Who takes part in an event told in one sentence: figures found elsewhere in the
document ("He also met ...", "his Chinese counterpart") and countries, only where the
grammar makes them participants (see the package docstring, "meetings")."""
from __future__ import annotations

import re

from flows.annotate.events.document import EventDoc, Span
from flows.annotate.events.gates import adj_pairs
from flows.annotate.events.lists import uniq
from flows.annotate.events.patterns import (
    BETWEEN_END_RX,
    COUNTERPART_RX,
    COUNTRY_LIST_LEAD_RX,
    DEMONYMS,
    GZ,
    LIST_GAP_RX,
    LOCATIVE_RX,
    ROLE_AFTER_RX,
    SUBJECT_VERB_RX,
    WITH_END_RX,
)
from flows.core.gazetteer import fold


def prev_subject(d: EventDoc, sp: Span, exclude: set[str]) -> str | None:
    """The first figure of the nearest of the two sentences before `sp` that names one."""
    i = d.spans.index(sp)
    for j in range(i - 1, max(-1, i - 3), -1):
        figs = [mm["entity_id"] for mm in d.by_sent.get(d.spans[j], []) if mm["entity_type"] == "figure"
                and mm["entity_id"] not in exclude]
        if figs:
            return figs[0]
    return None


def counterpart(d: EventDoc, iso3: str, exclude: set[str]) -> str | None:
    """The document's most mentioned figure of a country ("his Chinese counterpart")."""
    cands = [(n, f) for f, n in d.fig_count.items() if f not in exclude
             and (GZ.figures.get(f) or {}).get("country_iso3") == iso3]
    return sorted(cands, key=lambda nf: (-nf[0], nf[1]))[0][1] if cands else None


def participant_countries(sent: str, sm: list[dict], lo: int = 0, hi: int | None = None) -> list[str]:
    """Countries of `sent[lo:hi]` that are not places ("in China") and demonym pairs."""
    hi = len(sent) if hi is None else hi
    cs = [mm["entity_id"] for mm in sm if mm["entity_type"] == "country" and lo <= mm["_s"] < hi
          and not LOCATIVE_RX.search(sent[max(0, mm["_s"] - 12):mm["_s"]])]
    for a in adj_pairs(sent[lo:hi]):
        cs += [DEMONYMS[fold(a.group(1))], DEMONYMS[fold(a.group(2))]]
    return uniq(cs)


def _run_from(sent: str, cm: list[dict], pos: int) -> list[str]:
    """The list of countries that starts at `pos` ("China, Russia and India")."""
    got = []
    for mm in cm:
        if mm["_s"] < pos:
            continue
        if not LIST_GAP_RX.fullmatch(sent[pos:mm["_s"]]):
            break
        got.append(mm["entity_id"])
        pos = mm["_e"]
    return got


def _run_to(sent: str, cm: list[dict], pos: int) -> list[str]:
    """The list of countries that ends at `pos` ("China and Russia held talks")."""
    got = []
    for mm in reversed(cm):
        if mm["_e"] > pos:
            continue
        if not LIST_GAP_RX.fullmatch(sent[mm["_e"]:pos]):
            break
        got.insert(0, mm["entity_id"])
        pos = mm["_s"]
    return got


def grammar_countries(sent: str, sm: list[dict], mt: re.Match) -> list[str]:
    """Countries the grammar makes participants of the meeting of `sent`: a demonym pair
    ("Russian and Chinese presidents", "Russian-Chinese talks"), a list after
    "between (the leaders of)" or "(presidents|leaders|...) of", a list that is the subject
    of the meeting verb ("China and Russia held talks"), a country right after the
    trigger ("talks with Kiev"), "Mongolia's leader", "his Chinese counterpart".
    Never a country that only stands in the sentence ("the Russian invasion of Ukraine")."""
    cm = sorted((mm for mm in sm if mm["entity_type"] == "country"), key=lambda mm: mm["_s"])
    cs: list[str] = []
    for a in adj_pairs(sent):
        cs += [DEMONYMS[fold(a.group(1))], DEMONYMS[fold(a.group(2))]]
    for t in COUNTRY_LIST_LEAD_RX.finditer(sent):
        if mt.start() - 80 <= t.start() <= mt.end() + 40:  # in the meeting's own clause
            cs += _run_from(sent, cm, t.end())
    if WITH_END_RX.search(mt.group()):
        after = _run_from(sent, cm, mt.end())
        cs += after[:1] if not BETWEEN_END_RX.search(mt.group()) else after
    if mt.start() > 0 and SUBJECT_VERB_RX.match(sent[mt.start():]):
        subj = _run_to(sent, cm, len(sent[:mt.start()].rstrip()))
        if len(subj) >= 2:
            cs += subj
    for mm in cm:
        if ROLE_AFTER_RX.match(sent, mm["_e"]):
            cs.append(mm["entity_id"])
    for cp in COUNTERPART_RX.finditer(sent):
        cs.append(DEMONYMS[fold(cp.group(1))])
    return uniq(cs)


def signatory_countries(sent: str, sm: list[dict], ag: re.Match) -> list[str]:
    """The states that sign: the list that is the subject of "signed" ("Japan, the United
    Kingdom and Italy signed a treaty"), else the list after "between", else the countries
    before the trigger; never a country the rest of the sentence only names ("amid concern
    over China")."""
    cm = sorted((mm for mm in sm if mm["entity_type"] == "country"), key=lambda mm: mm["_s"])
    subj = _run_to(sent, cm, len(sent[:ag.start()].rstrip()))
    if len(subj) >= 2:
        return uniq(subj)
    for t in COUNTRY_LIST_LEAD_RX.finditer(sent):
        run = _run_from(sent, cm, t.end())
        if len(run) >= 2:
            return uniq(run)
    return participant_countries(sent, sm, 0, ag.start())


def sco_accession(s) -> bool:
    """An accession sentence is about the SCO unless it names another organisation and not
    the SCO ("welcomed Romania as a member of NATO", "ASEAN must admit Timor-Leste")."""
    orgs = {mm["entity_id"] for mm in s.mentions if mm["entity_type"] == "organization"}
    return "sco" in orgs or not orgs
