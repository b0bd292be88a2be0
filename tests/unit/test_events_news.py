"""Events from any newsroom (issue 19, part B): role nouns, "the two leaders", the story's
day, guards, signatories, other organisations' summits. Sentences written for these tests
in the styles of wire copy and regional press (none copied from a corpus or the fixture)."""
from __future__ import annotations

from datetime import date

from flows.annotate.events import extract_event_candidates
from flows.annotate.events.roles import holder
from tests.unit.test_events import PLACES, SUMMITS
from tests.unit.test_events import mentions as lexicon_mentions

LEX = [
    ("figure", "vladimir-putin", ["Vladimir Putin", "Putin"]), ("figure", "xi-jinping", ["Xi Jinping", "Xi"]),
    ("figure", "kassym-jomart-tokayev", ["Kassym-Jomart Tokayev", "Tokayev"]),
    ("figure", "shavkat-mirziyoyev", ["Shavkat Mirziyoyev", "Mirziyoyev"]),
    ("figure", "li-qiang", ["Li Qiang"]), ("figure", "wang-yi", ["Wang Yi"]),
    ("figure", "sergey-lavrov", ["Sergey Lavrov", "Lavrov"]), ("figure", "mao-ning", ["Mao Ning"]),
    ("country", "RUS", ["Russia", "Russian"]), ("country", "CHN", ["China", "Chinese"]),
    ("country", "KAZ", ["Kazakhstan", "Kazakh"]), ("country", "USA", ["United States"]),
    ("country", "FRA", ["French Republic"]), ("country", "JPN", ["Japan"]), ("country", "GBR", ["United Kingdom"]),
    ("country", "ITA", ["Italy"]), ("country", "FIN", ["Finland"]), ("country", "TLS", ["Timor-Leste"]),
    ("place", "beijing", ["Beijing"]), ("place", "moscow", ["Moscow"]), ("place", "astana", ["Astana"]),
    ("organization", "brics", ["BRICS"]), ("organization", "g20", ["G20"]), ("organization", "asean", ["ASEAN"]),
    ("organization", "nato", ["NATO"]), ("organization", "sco", ["SCO"]),
]


def mentions(text):
    return lexicon_mentions(text, LEX)


def extract(text, published):
    doc = dict(doc_id="n", text=text, title=None, published_date=published)
    return extract_event_candidates(doc, mentions(text), SUMMITS, PLACES)


def of_type(cands, t):
    return [c for c in cands if c["event_type"] == t]


# ------------------------------------------------------------------ role nouns
def test_a_role_noun_is_the_office_holder_of_the_articles_date():
    text = "The Chinese premier held talks with Vladimir Putin in Moscow on Tuesday."
    [m] = of_type(extract(text, date(2024, 5, 16)), "bilateral_meeting")
    assert (m["figure_ids"], m["start_date"]) == (["li-qiang", "vladimir-putin"], date(2024, 5, 14))
    [m] = of_type(extract(text, date(2016, 5, 19)), "bilateral_meeting")  # another premier then
    assert m["figure_ids"] == ["li-keqiang", "vladimir-putin"]


def test_a_role_followed_by_a_name_is_left_to_the_name():
    [m] = of_type(extract("Chinese Premier Li Qiang met Tokayev in Astana on Monday.", date(2024, 7, 2)),
                  "bilateral_meeting")
    assert m["figure_ids"] == ["kassym-jomart-tokayev", "li-qiang"]


def test_two_countries_top_diplomats_only_where_the_table_is_sure():
    text = "China and Russia's top diplomats met in Beijing on Monday."
    [m] = of_type(extract(text, date(2024, 4, 10)), "bilateral_meeting")
    assert m["figure_ids"] == ["sergey-lavrov", "wang-yi"]
    # mid-2022 China's foreign minister was not unambiguously its top diplomat: no one
    assert of_type(extract(text, date(2022, 6, 15)), "bilateral_meeting") == []


def test_the_president_of_a_country_by_its_formal_name():
    text = "The President of the United States and the President of the French Republic met in Paris on Saturday."
    [m] = of_type(extract(text, date(2024, 6, 9)), "bilateral_meeting")
    assert m["figure_ids"] == ["emmanuel-macron", "joe-biden"]


def test_a_former_or_vice_role_names_nobody():
    assert of_type(extract("The former Chinese premier met Putin in Moscow on Monday.", date(2024, 5, 16)),
                   "bilateral_meeting") == []
    assert holder("president", "USA", date(2030, 1, 1)) is None  # past the table: not a guess


# ------------------------------------------------------------------ the story so far
def test_the_two_leaders_are_the_meeting_just_told_and_its_day():
    text = ("Xi Jinping held talks with Tokayev in Astana on Wednesday. "
            "The two leaders signed a joint statement on transport.")
    [a] = of_type(extract(text, date(2024, 7, 5)), "agreement")
    assert (a["figure_ids"], a["start_date"]) == (["kassym-jomart-tokayev", "xi-jinping"], date(2024, 7, 3))


def test_also_met_takes_the_storys_day_not_the_reports():
    text = "Putin held talks with Xi Jinping in Beijing on Thursday. Mr Putin also met Mirziyoyev."
    ms = of_type(extract(text, date(2024, 5, 17)), "bilateral_meeting")
    assert {(tuple(m["figure_ids"]), m["start_date"]) for m in ms} == {
        (("vladimir-putin", "xi-jinping"), date(2024, 5, 16)),
        (("shavkat-mirziyoyev", "vladimir-putin"), date(2024, 5, 16))}


def test_a_date_after_meeting_someone_else_is_that_meetings():
    text = "After meeting Xi Jinping on Monday, Putin held talks with Tokayev on Tuesday."
    [m] = of_type(extract(text, date(2024, 7, 5)), "bilateral_meeting")
    assert (m["figure_ids"], m["start_date"]) == (["kassym-jomart-tokayev", "vladimir-putin"], date(2024, 7, 2))


# ------------------------------------------------------------------ guards
def test_a_future_clause_is_no_event_but_the_rest_of_the_sentence_is():
    cands = extract("Xi Jinping arrived in Kazakhstan on Tuesday, where he is expected to meet Tokayev "
                    "on Thursday.", date(2024, 7, 2))
    assert [c["event_type"] for c in cands] == ["visit"]
    assert extract("Tokayev said he looks forward to the BRICS summit later this year.", date(2024, 3, 1)) == []


def test_a_quoted_spokesperson_is_no_participant():
    [m] = of_type(extract("Mao Ning told reporters on Friday that Wang Yi's talks with Sergey Lavrov had "
                          "been candid.", date(2024, 4, 12)), "bilateral_meeting")
    assert m["figure_ids"] == ["sergey-lavrov", "wang-yi"]


def test_nothing_is_dated_after_the_report():
    cands = extract("Putin met Tokayev in Astana in December.", date(2024, 11, 5))
    assert all(c["start_date"] <= date(2024, 11, 5) for c in cands)
    [v] = of_type(extract("Tokayev visited China in October of last year.", date(2024, 11, 5)), "visit")
    assert (v["start_date"], v["date_precision"]) == (date(2023, 10, 1), "month")


def test_an_accession_to_another_organisation_is_no_sco_accession():
    assert extract("NATO welcomed Finland as a member in April 2023.", date(2023, 4, 5)) == []
    assert extract("ASEAN must admit Timor-Leste as a member next year.", date(2024, 4, 5)) == []


def test_the_signatories_are_the_signing_states_only():
    [a] = of_type(extract("Japan, the United Kingdom and Italy signed a treaty on a new fighter jet on "
                          "Thursday, amid concern over China and Russia.", date(2023, 12, 15)), "agreement")
    assert a["country_iso3s"] == ["GBR", "ITA", "JPN"]


# ------------------------------------------------------------------ other organisations' summits
def test_a_summit_of_another_organisation_is_anchored_to_its_known_days():
    [s] = of_type(extract("The BRICS summit opened in Kazan on Tuesday.", date(2024, 10, 23)), "summit")
    assert (s["organization"], s["start_date"], s["end_date"], s["place"]) == (
        "BRICS", date(2024, 10, 22), date(2024, 10, 24), "Kazan")
    [s] = of_type(extract("The G20 summit in New Delhi ended on Sunday.", date(2023, 9, 11)), "summit")
    assert (s["organization"], s["start_date"]) == ("G20", date(2023, 9, 9))


def test_a_summit_not_in_the_table_takes_its_sentences_day_and_an_undated_one_is_none():
    [s] = of_type(extract("Leaders of ASEAN opened their summit in Kuala Lumpur on Monday.", date(2025, 5, 27)),
                  "summit")
    assert (s["organization"], s["start_date"], s["date_precision"]) == ("ASEAN", date(2025, 5, 26), "day")
    assert extract("The G20 summit in Bali exposed deep divisions.", date(2024, 5, 1)) == []


def test_a_photo_caption_tells_no_event():
    assert extract("FILE PHOTO: Xi Jinping and Putin meet in Beijing, June 8, 2018.", date(2024, 7, 3)) == []


def test_an_office_holder_the_figure_stage_missed_is_named_by_the_table():
    text = "Putin held talks with President Tô Lâm in Hanoi on Thursday."  # no mention for the name
    [m] = of_type(extract(text, date(2024, 6, 21)), "bilateral_meeting")
    assert m["figure_ids"] == ["to-lam", "vladimir-putin"]
    # not a lower-case phrase that folds to a name
    assert of_type(extract("Putin met officials on the way to lam dong province.", date(2024, 6, 21)),
                   "bilateral_meeting") == []


def test_visits_of_different_people_to_one_country_stay_apart():
    from flows.annotate.events import merge_events
    text_a, text_b = "Xi Jinping visited Kazakhstan on Monday.", "Putin visited Kazakhstan on Monday."
    cands = (extract_event_candidates(dict(doc_id="a", text=text_a, title=None, published_date=date(2024, 7, 2)),
                                      mentions(text_a), SUMMITS, PLACES)
             + extract_event_candidates(dict(doc_id="b", text=text_b, title=None, published_date=date(2024, 7, 2)),
                                        mentions(text_b), SUMMITS, PLACES))
    rows = merge_events(cands)
    assert sorted(r["figure_ids"] for r in rows) == [["vladimir-putin"], ["xi-jinping"]]


def test_someone_of_the_office_holder_is_not_the_holder():
    assert of_type(extract("The Russian president's press secretary met Wang Yi in Beijing on Monday.",
                           date(2024, 4, 10)), "bilateral_meeting") == []


def test_a_summit_still_to_come_or_a_date_of_something_else_is_no_summit():
    assert of_type(extract("The G20 summit will take place in New Delhi on Saturday.", date(2023, 9, 5)), "summit") == []
    assert of_type(extract("Xi Jinping spoke today with Putin about preparations for the BRICS summit.",
                           date(2024, 9, 5)), "summit") == []
    # a date in another clause is not the summit's: "the ASEAN summit, ..., on Monday"
    assert of_type(extract("Putin praised the ASEAN summit, as Xi Jinping had done on Monday.",
                           date(2025, 5, 27)), "summit") == []


def test_a_sentence_dated_only_after_the_report_takes_no_fallback_date():
    # the lead of a dated report would otherwise give the report's day
    assert of_type(extract("On March 15, Putin will host Tokayev of Kazakhstan, for a bilateral meeting.", date(2024, 3, 5)),
                   "bilateral_meeting") == []
    assert of_type(extract("Xi Jinping and Tokayev will take part in a forum and sign a joint declaration.",
                           date(2024, 3, 5)), "agreement") == []


def test_courtesy_calls_witnessed_signings_and_that_trip():
    [m] = of_type(extract("Tokayev received a courtesy call from Li Qiang in Astana on Monday.", date(2024, 7, 2)),
                  "bilateral_meeting")
    assert m["figure_ids"] == ["kassym-jomart-tokayev", "li-qiang"]
    text = "Putin held talks with Xi Jinping on Monday. The two presidents witnessed the signing of nine agreements."
    [a] = of_type(extract(text, date(2024, 5, 17)), "agreement")
    assert (a["figure_ids"], a["start_date"]) == (["vladimir-putin", "xi-jinping"], date(2024, 5, 13))
    text = "Tokayev paid a state visit to China in May 2023. During that trip, Tokayev met Xi Jinping in Xi'an."
    [m] = of_type(extract(text, date(2024, 8, 1)), "bilateral_meeting")
    assert (m["start_date"], m["date_precision"]) == (date(2023, 5, 1), "month")
