"""Diplomatic events from news text: sentence-level candidates, then a cross-document merge.

The package, by piece:
    rules         the registry: one EventRule per kind of event (types, triggers behind
                  keyword gates, guards, overrides, extractor); RULES in the order they run
    extractors    each sentence rule's extractor;  title_events  the title rule's
    words.yaml    the word lists (wordings, gates, locatives ...), read by patterns.py
    document      one document as the rules read it, and the summit pass
    summit        the SCO summit a sentence names;  dates  an event's date
    participants  who takes part;  places  where;  titles  names and event titles
    merge         dedupe within a document, merge_events across documents
    reference     the summits and places tables (Reference)
    roles         role nouns as people ("the Chinese premier"), from offices.csv
    anaphora      "the two leaders"; sentences that go on with the story
    guards        future clauses, quoted spokespeople, captions, nothing after publication
    org_summit    summits of other organisations (org_summits.csv);  visits  "on the
                  second day of a three-day visit to ..."

`extract_event_candidates(doc, mentions, summits, places)` reads one document and
returns candidate dicts with these keys:

    event_type, plover_type, organization, start_date, end_date, date_precision,
    place, place_country_iso3, figure_ids, country_iso3s, doc_id, evidence,
    evidence_start, evidence_end,
    summit_ref     (council, seq) of the SCO summit the sentence is anchored to, or None
    names          {figure_id: short display name seen in the text} (for titles)

`evidence == doc["text"][evidence_start:evidence_end]` always (for a title event whose
title is not part of the text, the evidence is the title and the offsets are -1).

`merge_events(candidates)` fuses candidates from all documents into rows of the
`events` contract table (DATASET.md), sorted by (start_date, event_id).

PLOVER mapping (event_type -> plover_type):
    summit, bilateral_meeting, multilateral_meeting, ministerial_meeting, visit, call -> CONSULT
    (a call: phone or video, calls.py; every candidate has a `mode` key too: in_person,
    phone, video or None)
    agreement -> AGREE;  accession -> COOPERATE;  statement, other -> None

Patterns (one sentence at a time, on `flows.core.text.sentence_spans`; see rules.RULES):
* summit: "SCO summit", "the 23rd SCO summit", "summit of the (heads of state of
  the) Shanghai Cooperation Organization", "virtual summit of the SCO", "SCO
  Heads of State Council", "<summit city> summit" in a document that names the SCO.
  It is anchored to one row of `summits` by, in order: ordinal (seq), a year before
  "summit" ("the 2023 summit"), the dates in the sentence, a summit city named in the
  sentence, a host country after "in/at", "virtual"; a filter that would leave no
  summit is ignored for city/country/virtual (they may name something else).  Several
  summits left: the latest one starting no more than 61 days after publication.
  No constraint at all: anchored only when publication falls within the summit's
  days (−3/+2 days, "report of the day").  Otherwise, the document's single anchored
  summit is used when it fits.  Unanchored summits are not events.  The city test runs on
  folded text ("Dushanbé") with the SCO's own names masked ("Shanghai Cooperation
  Organization" names no summit in Shanghai).  A sentence naming no summit but "members /
  leaders of the SCO (organization) ... in <summit city>" anchors a summit only when city
  AND date agree ("in September last year, members of the organization in Dushanbe").
  A virtual summit without a city in the table takes the city of its sentence when it is
  in the host country ("held virtually in New Delhi").
* meetings: "met (with)", "meet with", "held talks", "talks with/between", "a meeting
  with/between", "bilateral meeting/talks/conversation"; "trilateral/multilateral"
  -> multilateral_meeting.  Participants: figure mentions of the sentence (at least
  two; "A also met with B, C and D" gives one bilateral per object); "his <Demonym>
  counterpart" with no name is the document's most mentioned figure of that country;
  "He also met with X" / "his meeting with X" takes the first figure of the nearest of the
  two sentences before.  Else countries, only where the grammar makes them participants:
  "Russian and Chinese presidents", "Russian-Chinese talks", "between (the leaders of)
  China and Russia", "the presidents of Russia and China", "China and Russia held talks",
  "talks with Kiev", "Mongolia's leader" — never a country that only stands in the
  sentence ("the Russian invasion of Ukraine").  Not a meeting of the document: a meeting
  told as background ("had met", "last met", "met before") or still to come ("will meet",
  "to hold talks"); a date after "after/since/before the talks ..." in the same clause is
  the earlier event's, not the meeting's ("comes after the talks held in February").
* title events: a Kremlin-style title "Meeting with President of Kazakhstan ...",
  "Talks with ...", "Russian-Uzbekistani talks took place": the title's figure (or
  countries, also by the gazetteer's country names) plus the host: the most mentioned
  other figure among those who meet the title's figure in a lead sentence (the first
  three), else stand beside it there, else are in the lead, else on the page; date =
  publication.  Evidence: the lead sentence that tells the meeting, else the title
  (offsets -1 -> null in the table).
* ministerial_meeting: "a meeting of (the) SCO defence/foreign/... ministers".
* accession: "welcomed/admitted/embraced ... as a (permanent) member", "join(s|ed) the
  SCO", "became (permanent) members", "accession/admission" — except in sentences
  about plans or processes (will, should, needs to, applied, expects, process ...).
* agreement: "signed a declaration/agreement/treaty/memorandum/..."
* visit: "<figure> visited <country/place>", "paid a ... visit to".

Any newsroom (issue 19): a role noun of a country ("the Chinese premier", "Vietnam's
president", "the President of the French Republic", "China and Russia's top diplomats")
is the office holder at the article's date in offices.csv (a curated table: one row per
term; nobody where the table is not sure); an office holder of that table named in full
is a participant even where the figure stage missed the name.  "The two leaders/sides
..." are the two people of the meeting told in the two sentences before.  Wordings of a
host and a guest ("hosted X for talks", "welcomed X to the White House", "received X"),
a summit of two ("held a summit with", "the summit between A and B"), "an audience
with", "a working meeting with", "spoke on the margins of".  Summits of other
organisations (G20, APEC, ASEAN, BRICS, CICA, EAEU ...): org_summit.py.  Guards: a
clause about what is still to come ("where he is expected to meet", "looks forward to
the summit later this year"), a quoted spokesperson, a photo caption, a meeting "had
met ... times since 2013"; an accession to another organisation is no SCO accession;
the parties of an agreement by states are the signing states.  A candidate dated after
its document's publication is dropped (the SCO summit table's own dates excepted), and
a date after publication is never an event's own date.

Dates: `find_dates` on the sentence (publication date anchors "today", weekdays).
Dates that belong to the summit phrase (after "summit" and inside the summit's days)
are not the meeting's date.  A meeting/agreement with no date of its own takes, when
it is "on the sidelines" of an anchored summit, the publication date if that falls
within the summit's days, else the summit's first day; without any summit in the
sentence it takes the publication date when the document is a report of the day of
its single anchored summit, or (meetings, agreements) when the sentence is in the lead of
a dated report (its first three sentences: "Vladimir Putin met with ...") or goes on with
the story ("also met", "the two leaders"): then the story's day — the latest day, at most
7 days before publication, an earlier sentence dated an event on — else publication.
A date after "after meeting X" belongs to that earlier meeting.  A document with no
publication date but one anchored summit reads year-less dates against the summit's
first day and a weekday ("This Thursday") as the one within the summit's days
(−3/+1).  Still undated -> dropped (except ministerial
meetings with a known place, kept with precision 'unknown').

Merge: two candidates belong to one event when they have the same event_type;
overlapping dates with one day's slack (or one undated but both anchored to the same
summit); the same place or either place None; and matching participants: summits
and ministerial meetings the same organization (and summit_ref when both have one);
meetings the same set of figures when both name at least two, else (figure sets not
contradicting: one within the other) the same set of at least two states, a figure
standing for the country it serves (seeds/reference/figures.csv), so "the leaders of
China and Russia" merges with the Putin–Xi meeting; accession/agreement/visit overlapping figures or countries.
Clustering is complete-linkage over candidates sorted by a total key, so the output
does not depend on input order.

event_id = "ev-" + sha256(f"{event_type}|{start_date or ''}|{place or ''}|{parts}")
.hexdigest()[:16], with start_date ISO and parts = ",".join(sorted(participants)),
participants being [organization] for summit and ministerial_meeting (so a summit's
id does not change when a new report names one more leader), else figure_ids when the
merged event has at least two, else figure_ids + country_iso3s; computed after the
merge from the merged values.

Merged meetings list, in country_iso3s, the states of their figures too.

confidence = min(1, P[precision] + 0.1 * min(n_sources - 1, 3) + 0.1 * (place is
known)), P = {day: 0.6, month: 0.45, year: 0.3, unknown: 0.15}, rounded to 3 places.
"""
from __future__ import annotations

from flows.annotate.events.extract import extract_event_candidates
from flows.annotate.events.gates import has_sco, sentences_with
from flows.annotate.events.merge import EVENT_COLUMNS, merge_events
from flows.annotate.events.patterns import GATES, HAS_SCO
from flows.annotate.events.reference import Reference
from flows.annotate.events.rules import RULES, EventRule
from schemas.tables import PLOVER

__all__ = ["extract_event_candidates", "merge_events", "PLOVER", "EVENT_COLUMNS", "Reference",
           "RULES", "EventRule"]

# the names tests/unit/test_annotate_fast_paths.py checks the fast paths by
_has_sco, _HAS_SCO, _sentences_with, _SUMMIT_WORDS = has_sco, HAS_SCO, sentences_with, GATES["summit"]
