"""Countries of issue 18: former states, short names, demonyms, and a country word inside
the name of a company, team or event (flows/annotate/entities.py). Made-up sentences."""
from __future__ import annotations

import pytest

from flows.annotate.entities import find_entities
from flows.core import gazetteer


@pytest.fixture(scope="module")
def gz():
    return gazetteer.load()


def countries(gz, text):
    return [(m["surface"], m["entity_id"]) for m in find_entities(text, gz) if m["entity_type"] == "country"]


@pytest.mark.parametrize("text, iso3", [
    ("Mobutu renamed the country Zaire in 1971.", "ZAR"),
    ("The team played for Yugoslavia until 1991.", "YUG"),
    ("Grain exports to the Soviet Union fell.", "SUN"),
    ("Trade with the USSR grew.", "SUN"),
    ("Czechoslovakia split peacefully.", "CSK"),
    ("East Germany built the wall.", "DDR"),
    ("The Vatican said the visit was private.", "VAT"),
    ("Macedonia changed its name in 2019.", "MKD"),
    ("NZ and Australia signed the pact.", "NZL"),
])
def test_former_states_and_short_names(gz, text, iso3):
    assert iso3 in {i for _, i in countries(gz, text)}


@pytest.mark.parametrize("word, iso3", [
    ("Liberian", "LBR"), ("Rwandan", "RWA"), ("Uruguayan", "URY"), ("Mauritian", "MUS"), ("Swede", "SWE"),
])
def test_missing_demonyms(gz, word, iso3):
    assert countries(gz, f"A {word} delegation arrived on Monday.") == [(word, iso3)]


@pytest.mark.parametrize("text", [
    "She flew British Airways to Lagos.",
    "American Airlines cancelled the flight.",
    "He won the Zimbabwe Open last year.",
    "Shares of China Steel fell.",
    "The crew of Canada I finished third.",
    "The trains of the State Railway of Thailand run late.",
    "He studied in Vancouver, British Columbia.",
])
def test_a_country_word_inside_a_name_is_part_of_it(gz, text):
    assert countries(gz, text) == []


def test_state_bodies_keep_their_country(gz):
    assert ("Russian", "RUS") in countries(gz, "The Russian Foreign Ministry said so.")
    assert ("Chinese", "CHN") in countries(gz, "The Chinese government replied.")


@pytest.mark.parametrize("text", [
    "He is a member of the Bulgarian Academy of Sciences in Sofia.",
    "He plays in the Swiss Super League for a club in Basel.",
    "He coached the Kenya national rugby team for years.",
    "The Syrian National Coalition met in Istanbul.",
    "Its history is told by scholars of the German Enlightenment.",
    "He was praised by the Odessa American as the player of the game.",
    "The campaign of Alto Peru failed.",
    "After leaving French Sudan they marched east.",
])
def test_a_name_around_a_country_word(gz, text):
    """A name's head anywhere after the country's word (not only its last word), a national
    team, a capitalised word before it that ends a name, a colony named "<demonym> <state>"."""
    assert countries(gz, text) == []


@pytest.mark.parametrize("text, word", [
    ("The Israeli War Cabinet met on Sunday.", "Israeli"),                 # a state body's word last
    ("Exports to Northeast China rose.", "China"),                        # a compass point
    ("On Monday Russia said it would reply.", "Russia"),                  # a weekday
    ("She was the first Native American woman in the post.", "American"),  # a people
    ("Trade with Sweden Italy and Spain grew.", "Italy"),                 # a list without commas
    ("The law changes the Russian Federation's Maritime Shipping Code.", "Russian Federation"),
    ("(1) Support Ukraine's defence needs.", "Ukraine"),                  # a list item's first word
    ("The Russian-Italian Civil Society Forum met.", "Italian"),          # a pair of states
])
def test_the_state_stays(gz, text, word):
    assert word in [s for s, _ in countries(gz, text)]
