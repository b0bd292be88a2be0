"""Where a person's name starts and ends, and what is no person at all (flows/annotate/figures.py).

One test per class of word the finder treats as closed (titles and roles, organisations'
head nouns, adjectives in -based), and one per method (common English words with no
given name, a lone letter, a title between two names)."""
from __future__ import annotations

import pytest

from flows.annotate.figures import (
    EVIDENCE_TITLES,
    ORG_HEADS,
    TITLE_WORDS,
    FigureFinder,
    given_names,
    zipf,
)
from flows.core import gazetteer


@pytest.fixture(scope="module")
def finder():
    return FigureFinder(gazetteer.load())


def people(finder, text):
    return [f["surface"] for f in finder.find(text)]


def test_lexicons_ship_inside_their_packages():
    names = given_names()
    assert {"karine", "todd", "molly", "jen", "rose", "tom"} <= names
    assert not {"services", "extraordinary", "provisions"} & names
    assert zipf("services") > 4 and zipf("mayorkas") < 2


@pytest.mark.parametrize("text", [
    "The Secretary of Health and Human Services said on Monday.",
    "He was named Ambassador Extraordinary and Plenipotentiary to Kenya.",
    "Chief Counsel of the committee said so.",
    "The Loan Forgiveness scheme, the Red Cross said.",
    "Secretary of Transportation, the Task Force said.",
])
def test_common_words_without_a_given_name_are_no_person(finder, text):
    assert people(finder, text) == []


@pytest.mark.parametrize("head", ["Department", "Act", "Policy", "Bureau", "Foundation", "Monument", "Affairs"])
def test_a_name_never_ends_in_an_organisations_head_noun(finder, head):
    assert head.lower() in ORG_HEADS
    text = f"President Zalinsky Orbatov {head} said it would."
    assert all(not p.endswith(head) for p in people(finder, text))


def test_organisation_before_a_name_is_cut_off(finder):
    text = "Consumer Financial Protection Bureau Rohit Chopra said the rule was final."
    assert people(finder, text) == ["Rohit Chopra"]


@pytest.mark.parametrize("title", ["Attorney", "Congresswoman", "Lieutenant", "Judge", "Cardinal"])
def test_titles_and_roles_are_not_part_of_the_name(finder, title):
    assert title.lower() in TITLE_WORDS
    text = f"The visit of {title} Ilhan Zarubova, she said, was announced."
    assert people(finder, text) == ["Ilhan Zarubova"]


def test_evidence_titles_include_the_new_roles():
    assert {"congresswoman", "judge", "attorney", "lieutenant"} <= EVIDENCE_TITLES


def test_common_words_before_a_given_name_are_cut_off(finder):
    assert people(finder, "Attorney General Todd Blanche said the case was closed.") == ["Todd Blanche"]
    assert people(finder, "African Affairs Molly Phee said the talks went well.") == ["Molly Phee"]
    assert people(finder, "Labor Secretary Keith Sonderling said on Friday.") == ["Keith Sonderling"]


def test_a_common_surname_stays(finder):
    # "López" and "Moon" are common words, but no given name follows them
    assert people(finder, "President López Obrador said he would go.") == ["López Obrador"]
    assert people(finder, "President Moon Jae-in said he would go.") == ["Moon Jae-in"]
    assert people(finder, "Secretary Tom Price said on Monday.") == ["Tom Price"]


def test_a_lone_letter_is_no_part_of_a_name(finder):
    # "Q" marks a reporter's question in press-briefing transcripts; an initial has its full stop
    assert "Q Karine" not in people(finder, "Q Karine, the President said on Monday.")
    assert people(finder, "Senator John F. Kennedy said so.") == ["John F. Kennedy"]


def test_adjective_in_based_is_no_part_of_a_name(finder):
    assert people(finder, "The Ohio-based Zarubov Kolvek said so.") == ["Zarubov Kolvek"]


def test_a_title_between_two_names_splits_them(finder):
    assert people(finder, "Los Angeles Mayor James K. Hahn said on Monday.") == ["James K. Hahn"]


def test_one_very_common_word_after_a_title_is_no_person(finder):
    assert people(finder, "The Secretary Start of the programme was delayed.") == []
    assert people(finder, "Governor Sununu said he would veto it.") == ["Sununu"]
