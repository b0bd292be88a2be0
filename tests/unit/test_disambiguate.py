"""Country-looking words that are no state (flows/annotate/disambiguate.py), one test per rule
and per entry class of the curated Native American list."""
import pytest

from flows.annotate import entities
from flows.core import gazetteer


@pytest.fixture(scope="module")
def gz():
    return gazetteer.load()


def countries(text, gz):
    return [(m["surface"], m["entity_id"]) for m in entities.find_entities(text, gz) if m["entity_type"] == "country"]


@pytest.mark.parametrize("text", [
    "See https://www.whitehouse.gov/briefing-room/fact-sheet-the-american-rescue-plan/ for more.",
    "The President pardoned a turkey before Thanksgiving.",
    "He gave the President his jersey after the game.",
    "Officials in New Mexico and New Jersey met on Monday.",
    "Peace in Northern Ireland was discussed.",
    "Oil production in the Gulf of Mexico rose.",
    "Military personnel in the Lake Chad Basin continue their work.",
    "The ships sailed in the Atlantic, Indian and Pacific oceans.",
])
def test_no_state(text, gz):
    assert countries(text, gz) == []


def test_link_text_is_kept(gz):
    assert ("Pakistan", "PAK") in countries("ceasefires between [India and Pakistan](https://www.npr.org/x)", gz)


@pytest.mark.parametrize("text", [
    "The Vice President visited Dalton, Georgia, on Tuesday.",
    "Jobs came to Fulton County, Georgia, last year.",
    "He was elected senator from the state of Georgia.",
    "Georgia Governor Brian Kemp spoke to the President.",
    "Disaster declarations for Florida, Georgia, and North Carolina were approved.",
    "Workers in Texas and Ohio, and families in Georgia, will benefit.",   # the document decides
])
def test_georgia_the_us_state(text, gz):
    assert countries(text, gz) == []


@pytest.mark.parametrize("text", [
    "Putin met the President of Georgia in Tbilisi.",
    "Ukraine, Georgia, and Moldova were discussed.",
    "Russia supports the territorial integrity of Georgia and the Georgian people.",
    "The conflict in Georgia worried the European Union.",   # no subdivision in sight: the state
])
def test_georgia_the_state(text, gz):
    assert ("Georgia", "GEO") in countries(text, gz)


def test_capital_that_is_a_subdivision(gz):
    assert countries("The APEC meeting in Seattle, Washington opened.", gz) == []
    assert countries("On Monday, Washington state announced new rules.", gz) == []


@pytest.mark.parametrize("text", [
    "Southwest Airlines CEO Bob Jordan joined the call.",
    "Acting Secretary Chad Wolf testified.",
    "Firefighters John Colandro, Michael Rosero, and Chad Titus.",
    "Rep. Jim Jordan praised the speech.",
    "Students from Georgia Tech presented their work.",
])
def test_part_of_a_name(text, gz):
    assert [c for c in countries(text, gz) if c[1] in ("JOR", "TCD", "GEO")] == []


@pytest.mark.parametrize("text", [
    "President of Turkey Recep Tayyip Erdogan arrived in Moscow.",
    "The U.S.-Jordan Free Trade Agreement entered into force.",
    "Jordan, Egypt and Qatar are mediating.",
    "He met the King of Jordan on Monday.",
])
def test_state_in_sight(text, gz):
    assert any(c[1] in ("TUR", "JOR") for c in countries(text, gz))


def test_person_named_once_is_the_person(gz):
    text = "Phillip A. Washington was nominated. Prior to this, Washington was the CEO of Metro."
    assert countries(text, gz) == []


def test_capital_needs_its_state(gz):
    # a dependent territory's capital (Bermuda's), in a text that never names it, is no state
    assert countries("Alexander Hamilton built the Treasury. Hamilton insisted on credit.", gz) == []
    assert ("Moscow", "RUS") in countries("Moscow and Beijing have deepened ties.", gz)
    assert ("Kiev", "UKR") in countries("They asked Putin to enter into negotiations with Kiev.", gz)


def test_the_valley(gz):
    assert countries("She worked in Silicon Valley and the Lehigh Valley.", gz) == []


# the curated Native American list: one test per entry class
@pytest.mark.parametrize("text", [
    "Investments in Indian Country reached a record.",                      # capitalised noun after
    "The Bureau of Indian Affairs signed the memorandum.",                  # case-free noun after
    "Consultation with Indian tribes is required.",                         # case-free noun after
    "Health outcomes for American Indian and Alaska Native adults improved.",  # word before
    "The Federal Indian Boarding School Initiative was launched.",          # word before
    "FEMA assisted the Eastern Band of Cherokee Indians.",                  # a tribe's name
    "The French and Indian War ended in 1763.",                             # capitalised noun after
])
def test_native_american(text, gz):
    assert [c for c in countries(text, gz) if c[1] == "IND"] == []


@pytest.mark.parametrize("text", [
    "Indian Prime Minister Narendra Modi arrived.",
    "Putin attended the Russian-Indian Business Forum.",
    "We raised our concerns with the Indian government.",
    "Indian students were evacuated from Ukraine.",
])
def test_india(text, gz):
    assert ("Indian", "IND") in countries(text, gz)
