"""People found without a title or speech verb beside them, and the false people and wrong
links of issue 18 (flows/annotate/figures.py). Every sentence here is made up for the test."""
from __future__ import annotations

import pytest

from flows.annotate import lexicon
from flows.annotate.figures import HONORIFICS, NAME_TAILS, PLACE_PREFIXES, SURNAMES, FigureFinder
from flows.core import gazetteer


@pytest.fixture(scope="module")
def finder():
    return FigureFinder(gazetteer.load())


def found(finder, text):
    return [(f["surface"], f["entity_id"]) for f in finder.find(text)]


def surfaces(finder, text):
    return [f["surface"] for f in finder.find(text)]


def test_word_lists_are_data_files():
    assert "sir" in HONORIFICS and "brothers" in NAME_TAILS and "santa" in PLACE_PREFIXES
    assert {"johnson", "smith", "nguyen"} <= SURNAMES and "poker" not in SURNAMES
    assert lexicon.words("locatives") >= {"in", "at", "from"}


@pytest.mark.parametrize("text, name", [
    ("The committee heard evidence from Marta Lindqvist on Tuesday.", "Marta Lindqvist"),
    ("Goals came from Tomasz Wierzbicki and a late penalty.", "Tomasz Wierzbicki"),
    ("A letter signed by Harold T. Mercer reached the ministry.", "Harold T. Mercer"),  # middle initial
    ("Joined by Boris Johnson, the delegation left.", "Boris Johnson"),  # a common surname
])
def test_a_full_name_needs_no_title_or_speech_verb(finder, text, name):
    assert name in surfaces(finder, text)


@pytest.mark.parametrize("text, name", [
    ("Sir Alan Whitcombe opened the session.", "Alan Whitcombe"),
    ("Lt. Gen. Ruben Castellano toured the base.", "Ruben Castellano"),
    ("Sgt Dana Whitlow led the patrol.", "Dana Whitlow"),
    ("Foreign Minister\u200e Ararat Mirzoyan arrived.", "Ararat Mirzoyan"),  # an invisible mark
])
def test_honorifics_ranks_and_invisible_marks_before_a_name(finder, text, name):
    assert name in surfaces(finder, text)


def test_a_surname_and_a_given_name_alone_join_the_full_name_of_the_document(finder):
    got = found(finder, "Marta Lindqvist arrived first. Later, Lindqvist spoke again and Marta smiled.")
    assert got == [("Marta Lindqvist", "marta-lindqvist"), ("Lindqvist", "marta-lindqvist"),
                   ("Marta", "marta-lindqvist")]


def test_a_rare_word_before_a_known_surname_is_someone_else(finder):
    # "Khan" alone would be the one known figure of that surname
    assert found(finder, "The bowler Moin Khan took three wickets.") == [("Moin Khan", "moin-khan")]


def test_a_role_after_one_word(finder):
    got = found(finder, "Hayashida, a senior trade ministry official, said talks would resume.")
    assert got == [("Hayashida", "hayashida")]


@pytest.mark.parametrize("text", [
    "Santa Fe said it would appeal the ruling.",
    "Salomon Brothers said profits rose.",
    "Nova Scotia said the ferry would run.",
    "Rice University said the lab would reopen.",
    "On Jan. 5 the talks began in Geneva.",
    "The Sgt. said nothing.",
    "Victoria Street was closed for the parade.",
    "Tickets for the Dave Holloway Band sold out.",
    "The Laken Riley Act passed. Riley Moore voted for it.",
])
def test_places_firms_months_and_titles_are_no_people(finder, text):
    got = surfaces(finder, text)
    assert not set(got) - {"Riley Moore"}, got


def test_a_shared_surname_is_not_a_known_figure_of_another_country_or_role(finder):
    # Kamala Harris and Lula da Silva are in the reference
    assert found(finder, "Taoiseach Simon Harris met the press.") == [("Simon Harris", "simon-harris")]
    assert found(finder, "Later, Taoiseach Harris said the plan works.") == [("Harris", "harris")]
    got = found(finder, "Prime Minister Ulisses Correia e Silva arrived. Silva said the talks went well.")
    assert {fid for _, fid in got} == {"ulisses-correia-e-silva"}
    assert found(finder, "Vice President Harris said so.") == [("Harris", "kamala-harris")]


def test_a_known_surname_inside_a_place_name_is_no_figure(finder):
    # "Mai" shares its transliteration key with a known figure's surname
    assert found(finder, "The night train from Chiang Mai was late.") == []


def test_a_role_title_picks_which_of_two_people_of_one_surname(finder):
    # Donald Trump is in the reference; the made-up "Ilse Trump" is not
    got = found(finder, "Ilse Trump spoke first. President Donald J. Trump signed. President Trump left. "
                        "Mrs. Trump stayed.")
    assert [fid for s, fid in got if s == "Trump"] == ["donald-trump", "ilse-trump"]


def test_a_given_name_cut_from_its_surname_by_a_line_break_joins_no_one(finder):
    got = found(finder, "Marta Lindqvist spoke. Then Marta\nOkonkwo answered.")
    assert ("Marta", "marta-lindqvist") not in got


@pytest.mark.parametrize("text", ["He was convicted in Austin, TX, last year.", "The retreat opened in Austin, Texas."])
def test_a_known_surname_that_names_a_city_here_is_no_figure(finder, text):
    # Lloyd Austin is in the reference
    assert found(finder, text) == []


def test_a_given_name_that_is_a_state_joins_no_one(finder):
    got = found(finder, "Senator Virginia Okafor spoke. Virginia is ready, she said.")
    assert got == [("Virginia Okafor", "virginia-okafor")]


@pytest.mark.parametrize("text", [
    "By Maria Kowalczyk\nThe summit opened in Astana on Wednesday with talks on trade.",
    "Energy, Power and the Steppe: A New Corridor, by Maria Kowalczyk for The Steppe Review. 07.07.2023.",
])
def test_a_byline_is_an_author_not_a_figure(finder, text):
    assert not [m for m in finder.find(text) if "Kowalczyk" in m["surface"]]


def test_a_name_after_by_in_a_sentence_is_still_a_person(finder):
    text = "The decree was signed by Maria Kowalczyk, the new minister, on Monday."
    assert [m["surface"] for m in finder.find(text) if "Kowalczyk" in m["surface"]]


@pytest.mark.parametrize("text, name", [
    ("The envoy met Choi Sang Mok in Seoul.", "Choi Sang Mok"),        # family name first, not "Sang Mok"
    ("The envoy met Choi Sang-mok in Seoul.", "Choi Sang-mok"),
    ("Yesterday Kim Do Hoon arrived.", "Kim Do Hoon"),
])
def test_a_korean_name_is_one_figure(finder, text, name):
    assert surfaces(finder, text) == [name]


def test_a_korean_family_name_alone_joins_its_full_name(finder):
    got = found(finder, "The envoy met Choi Sang Mok in Seoul. Later Choi said the talks went well.")
    assert [fid for _, fid in got] == ["choi-sang-mok", "choi-sang-mok"]


def test_a_word_that_is_a_korean_family_name_needs_korean_syllables_after_it(finder):
    # "Lee Ann Rimes", "Park Hill Road": no Korean given name after the family name
    assert not FigureFinder._korean_name([("Park", "park", False), ("Hill", "hill", False), ("Road", "road", False)])
    assert not FigureFinder._korean_name([("Lee", "lee", False), ("Ann", "ann", False), ("Rimes", "rimes", False)])


@pytest.mark.parametrize("text, fid", [
    ("PUTIN MEETS XI JINPING IN MOSCOW\nThe talks began on Monday.", "xi-jinping"),    # a headline
    ("VLADIMIR PUTIN: Colleagues, good afternoon.", "vladimir-putin"),                # a speaker's label
])
def test_a_known_figure_in_capitals(finder, text, fid):
    assert fid in [f for _, f in found(finder, text)]


@pytest.mark.parametrize("text", [
    "NOW, THEREFORE, I, VLADIMIR PUTIN, President, do hereby proclaim this day.",     # the issuer
    "The work goes on.\nVLADIMIR PUTIN\nTHE KREMLIN, May 1.",                          # a signature
])
def test_the_issuer_or_signature_in_capitals_is_no_figure(finder, text):
    assert found(finder, text) == []
