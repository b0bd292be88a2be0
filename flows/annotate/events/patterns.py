"""The regular expressions and keyword gates of event extraction, built once at import
from `words.yaml` (the word lists: one wording a line) and the reference tables
(demonyms and country names from seeds/reference/countries.csv, never literals here).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from flows.core import gazetteer

WORDS: dict = yaml.safe_load(Path(__file__).with_name("words.yaml").read_text(encoding="utf-8"))


def _alt(key: str) -> str:
    """The word list `key` of words.yaml as the body of a regex alternation."""
    return "|".join(WORDS[key])


# keyword gates: name -> lower-case words, one of which every sentence the gated
# pattern can match holds (checked on a sentence's `keyword_view`)
GATES: dict[str, tuple[str, ...]] = {name: tuple(ws) for name, ws in WORDS["gates"].items()}

GZ = gazetteer.load()
DEMONYMS = dict(GZ.demonyms)  # folded demonym -> iso3
COUNTRY_NAMES = {iso3: r["name"] for iso3, r in GZ.countries.items()}
DEMONYM_ALT = "|".join(re.escape(d) for d in sorted(DEMONYMS, key=len, reverse=True))

# ---------------------------------------------------------------- the SCO and its summits
SCO = r"(?:\bSCO\b|Shanghai\s+Cooperation\s+Organi[sz]ation(?:\s*\(SCO\))?)"
SUMMIT_RX = re.compile(
    SCO + r"(?:['’]s)?\s+(?:(?:" + _alt("summit_modifiers") + r")\s+)*summit\b"
    r"|\bsummit\s+(?:of|for)\s+(?:the\s+)?(?:heads?\s+of\s+(?:state|government)\s+of\s+the\s+)?"
    + SCO +
    r"|Council\s+of\s+(?:the\s+)?Heads\s+of\s+(?:State|Government)\s+of\s+the\s+" + SCO +
    r"|\bSCO\s+Heads\s+of\s+(?:State|Government)\s+Council\b", re.I)
HAS_SCO = re.compile(SCO, re.I)
SCO_NAME_RX = re.compile(r"shanghai\s+(?:cooperation\s+organi[sz]ation|five|spirit|convention)", re.I)
# a sentence that names no summit but a meeting of the SCO's members in a summit city:
# "members of the organization in Dushanbe ... decided" (anchored only by city AND date)
MEMBERS_RX = re.compile(
    r"\b(?:members|member\s+states|leaders|heads\s+of\s+state)\s+of\s+(?:the\s+)?"
    r"(?:SCO\b|Shanghai\s+Cooperation\s+Organi[sz]ation|organi[sz]ation\b)", re.I)
ORDINAL_RX = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)\s+(?:SCO\s+|Shanghai\s+Cooperation\s+Organi[sz]ation\s+)?"
    r"(?:summit|meeting\s+of\s+the\s+(?:SCO\s+)?(?:Council\s+of\s+)?heads)", re.I)
YEAR_SUMMIT_RX = re.compile(r"\b((?:19|20)\d{2})\s+(?:SCO\s+)?summit", re.I)
VIRTUAL_RX = re.compile(r"\bvirtual(?:ly)?\b|video\s*link|videoconference|\bonline\s+summit", re.I)
GOV_RX = re.compile(r"heads?\s+of\s+government|prime\s+ministers", re.I)
THIS_YEAR_SUMMIT_RX = re.compile(r"\bthis\s+year['’]s\b[^.]{0,80}summit", re.I)

# ---------------------------------------------------------------- meetings
MEET_RX = re.compile(r"\b(?:" + _alt("meeting_wordings") + r")\b", re.I)
HOST_RX = re.compile(r"\b(?:" + _alt("host_wordings") + r")\b", re.I)
# a meeting told as background: "had met before", "last met in Beijing in early February"
BACKGROUND_MEET_RX = re.compile(
    r"\bhad\s+(?:already\s+|previously\s+|also\s+|first\s+|last\s+)?(?:met|held\s+talks|talked)\b"
    r"|\b(?:last|previously|first)\s+met\b|\bmet\s+(?:before|previously)\b", re.I)
# a meeting still to come: "will meet", "is to hold talks", "expected to meet"
FUTURE_MEET_RX = re.compile(
    r"\b(?:will|would|shall|to|plans?\s+to|expected\s+to|going\s+to)\s+(?:also\s+)?"
    r"(?:meet|hold\s+(?:talks|a\s+meeting))\b", re.I)
# a date inside "after/since/before the talks ... in February" belongs to that earlier event
BACKGROUND_DATE_RX = re.compile(
    r"\b(?:after|since|before|following|previous\s+to|prior\s+to)\s+(?:the|their|a|his|her|its)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:" + _alt("earlier_event_nouns") + r")\b", re.I)
BACKGROUND_GERUND_RX = re.compile(
    r"\b(?:after|since|before|following)\s+(?:" + _alt("earlier_event_gerunds") + r")\b", re.I)
BACKGROUND_MEET_EXTRA_RX = re.compile(_alt("background_meet_extra"), re.I)
WEEKDAY_RX = re.compile(r"(?:(?:this|on|on\s+this)\s+)?(?:" + _alt("weekdays") + r")", re.I)
COUNTERPART_RX = re.compile(r"\b(?:his|her|their)\s+(" + DEMONYM_ALT + r")\s+counterparts?\b", re.I)
PRONOUN_RX = re.compile(r"(?:^\s*|\b)(?:he|she)\b(?!.*\b(?:he|she)\b)|\b(?:his|her)\s*$", re.I)
# between the countries of a list: ", ", " and ", "the"
LIST_GAP_RX = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)?(?:the\s+)?", re.I)
COUNTRY_LIST_LEAD_RX = re.compile(
    r"\bbetween\s+(?:the\s+)?(?:(?:leaders|presidents|heads\s+of\s+state|heads|prime\s+ministers|"
    r"delegations|governments)\s+of\s+(?:the\s+)?)?"
    r"|\b(?:leaders|presidents|heads\s+of\s+state|heads\s+of\s+government|prime\s+ministers|"
    r"delegations)\s+of\s+(?:the\s+)?", re.I)
ROLE_AFTER_RX = re.compile(r"['’]s?\s+(?:" + _alt("country_roles") + r")\b", re.I)
MULTI_RX = re.compile(r"\b(?:" + _alt("multilateral_words") + r")\b", re.I)
ADJ_PAIR_RX = re.compile(
    r"\b(" + DEMONYM_ALT + r")(?:\s+and\s+|\s*[-–]\s*)(" + DEMONYM_ALT
    + r")\b(?=\s+(?:presidents|leaders|heads|talks|prime\s+ministers|foreign\s+ministers))", re.I)
TITLE_MEET_RX = re.compile(
    r"^\s*(?:" + _alt("title_openers") + r")\s+with\b"
    r"|^\s*[A-Z][a-z]+(?:[-–][A-Z][a-z]+)+\s+talks\b"
    r"|\btalks\s+(?:took\s+place|were\s+held)\b", re.I)
WITH_END_RX = re.compile(r"\b(?:with|between)\s*$", re.I)
BETWEEN_END_RX = re.compile(r"between\s*$", re.I)
SUBJECT_VERB_RX = re.compile(r"\s*(?:have\s+|had\s+|also\s+)?(?:met|meet|held|hold)\b", re.I)
MET_RX = re.compile(r"\bmet\b|\bmeet", re.I)

# ---------------------------------------------------------------- other kinds
MINISTERIAL_RX = re.compile(
    r"\bmeeting\s+of\s+(?:the\s+)?" + SCO + r"\s+(?:(?:" + _alt("ministerial_portfolios") + r")\s+)?ministers\b"
    r"|\b" + SCO + r"\s+(?:" + _alt("ministerial_portfolios_short") + r")\s+ministers['’]?\s+"
    r"(?:meeting|council)", re.I)
ACCESSION_AFTER_RX = re.compile(  # the new member comes after the trigger
    r"\b(?:" + _alt("accession_verbs") + r")\b(?=[^.]{0,200}\bmember)"
    r"|\b(?:accession|admission)\s+of\b", re.I)
ACCESSION_BEFORE_RX = re.compile(  # the new member comes before the trigger
    r"\b(?:joins|joined|join)\s+(?:the\s+)?" + SCO +
    r"|\bbec(?:a|o)me\s+(?:a\s+|the\s+)?(?:full(?:-fledged)?\s+|permanent\s+)?members?\b"
    r"|['’]s\s+(?:accession|admission)\b", re.I)
ACCESSION_NOUN_RX = re.compile(r"(?:accession|admission)", re.I)
DEMONYM_WORD_RX = re.compile(r"\b(" + DEMONYM_ALT + r")\b", re.I)
NOT_DONE_RX = re.compile(r"\b(?:" + _alt("not_done_words") + r")\b", re.I)
AGREEMENT_RX = re.compile(
    r"\bsign(?:ed|s)?\s+(?:with\s+[^,.]{1,40}?\s+)?(?:a|an|the|\d+)\s+(?:[\w“”\"'’-]+\s+){0,3}?"
    r"(?:" + _alt("agreement_documents") + r")\b", re.I)
AGREEMENT_COUNT_RX = re.compile(
    r"\bsign(?:ed|s)?\s+(?:" + _alt("agreement_counts") + r")\s+(?:[\w“”\"'’-]+\s+){0,3}?"
    r"(?:" + _alt("agreement_documents") + r")", re.I)
WITNESS_SIGNING_RX = re.compile(
    r"\b(?:" + _alt("witnessed_signing") + r")\s+(?:[\w“”\"'’-]+\s+){0,4}?(?:" + _alt("agreement_documents") + r")",
    re.I)
WITH_WHOM_RX = re.compile(r"\bwith\s+whom\b", re.I)
VISIT_RX = re.compile(r"\b(?:" + _alt("visit_wordings") + r")\b", re.I)

# ---------------------------------------------------------------- places
LOCATIVE_RX = re.compile(r"\b(?:" + _alt("locatives") + r")\s+(?:the\s+)?$", re.I)
FROM_RX = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)
AT_PLACE_RX = re.compile(r"\b(?:in|at)\s+(?:[\w’'-]+\s+){0,5}$", re.I)
CLAUSE_BREAK_RX = re.compile(r"[,;:]|\b(?:and|but|while|when)\b")  # case-sensitive, as it always was
