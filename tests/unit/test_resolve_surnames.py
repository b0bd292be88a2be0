"""A figure only ever named by its surname joins the full name of the corpus (flows/resolve.py)."""
from __future__ import annotations

from flows.core import gazetteer
from flows.resolve import surname_merge_map


def mention(doc, fid, surface):
    return {"doc_id": doc, "entity_type": "figure", "entity_id": fid, "surface": surface}


def test_a_bare_surname_folds_into_the_one_full_name():
    ms = [mention("a", "novakova", "Novakova"), mention("b", "hana-novakova", "Hana Novakova"),
          mention("c", "park", "Park"), mention("d", "park-min-jun", "Park Min Jun")]  # family name first
    assert surname_merge_map(ms, gazetteer.load()) == {"novakova": "hana-novakova", "park": "park-min-jun"}


def test_two_people_of_one_surname_stay_apart():
    ms = [mention("a", "okafor", "Okafor"), mention("b", "ada-okafor", "Ada Okafor"),
          mention("c", "emeka-okafor", "Emeka Okafor")]
    assert surname_merge_map(ms, gazetteer.load()) == {}


def test_a_known_figure_of_that_surname_counts_as_another_person():
    # Kamala Harris is in the reference: "harris" is no more Simon Harris's than hers
    ms = [mention("a", "harris", "Harris"), mention("b", "simon-harris", "Simon Harris")]
    assert surname_merge_map(ms, gazetteer.load()) == {}


def test_a_far_more_frequent_full_name_takes_the_surname_and_suffixes_are_no_surname():
    ms = [mention("a", "velasco", "Velasco")]
    ms += [mention(f"j{i}", "ramon-velasco-jr", "Ramon Velasco Jr.") for i in range(6)]
    ms += [mention("k", "ramon-velasco", "Ramon Velasco")]
    assert surname_merge_map(ms, gazetteer.load()) == {"velasco": "ramon-velasco-jr"}


def test_a_lone_given_name_joins_no_full_name_across_the_corpus():
    ms = [mention("a", "boris", "Boris"), mention("b", "boris-novak", "Boris Novak")]
    assert surname_merge_map(ms, gazetteer.load()) == {}


def test_a_bare_given_name_is_nobodys_surname():
    # "Chris" shares its transliteration key with "Criss"
    ms = [mention("a", "chris", "Chris"), mention("b", "peter-criss", "Peter Criss")]
    assert surname_merge_map(ms, gazetteer.load()) == {}
