"""A figure only ever named by its surname joins the full name of the corpus (flows/resolve.py)."""
from __future__ import annotations

from flows.core import gazetteer
from flows.resolve import apply_remap, figure_merge_map, surname_merge_map


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


def test_a_rare_surname_that_is_also_a_given_name_folds_when_no_full_name_opens_with_it():
    # "Kaine" is in the given-name data, but here only ever a surname
    ms = [mention("a", "kaine", "Kaine"), mention("b", "tim-kaine", "Tim Kaine")]
    assert surname_merge_map(ms, gazetteer.load()) == {"kaine": "tim-kaine"}
    ms.append(mention("c", "kaine-novak", "Kaine Novak"))   # now a full name opens with it
    assert surname_merge_map(ms, gazetteer.load()) == {}


def test_the_surname_key_is_the_word_as_written_not_the_slug():
    ms = [mention("a", "o-halleran", "O’Halleran"), mention("b", "tom-o-halleran", "Tom O’Halleran")]
    assert surname_merge_map(ms, gazetteer.load()) == {"o-halleran": "tom-o-halleran"}


def test_a_name_in_both_orders_is_one_person_and_then_takes_its_surname():
    ms = [mention(f"a{i}", "yoshihide-suga", "Yoshihide Suga") for i in range(3)]
    ms += [mention("b", "suga-yoshihide", "Suga Yoshihide"), mention("c", "suga", "Suga")]
    remap = figure_merge_map(ms, gazetteer.load())
    assert remap == {"suga-yoshihide": "yoshihide-suga"}
    apply_remap(ms, remap, ["entity_id"])
    assert surname_merge_map(ms, gazetteer.load()) == {"suga": "yoshihide-suga"}


def test_two_given_names_in_both_orders_stay_two_people():
    ms = [mention("a", "paul-simon", "Paul Simon"), mention("b", "simon-paul", "Simon Paul")]
    assert figure_merge_map(ms, gazetteer.load()) == {}
