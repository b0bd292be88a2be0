"""The word-list reader and the lexicon files the annotators build their rules from."""
from __future__ import annotations

import re

import pytest

from flows.annotate.quantities import money, numbers, units
from flows.annotate.quantities.lexicon import rows, words
from flows.annotate.quotes import patterns
from flows.core import dates
from flows.core.wordlists import read_rows, read_words, words_pattern


def test_read_words_skips_comments_and_blanks_and_keeps_order(tmp_path):
    p = tmp_path / "w.txt"
    p.write_text("# a comment\n\nsaid\n  pointed out  \n# another\nadded\n", encoding="utf-8")
    assert read_words(p) == ["said", "pointed out", "added"]


def test_read_rows_reads_a_header_and_skips_comment_lines(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("# what it is\nword,value\ntwo,2\n# between rows\nthree,3\n", encoding="utf-8")
    assert read_rows(p) == [{"word": "two", "value": "2"}, {"word": "three", "value": "3"}]


def test_words_pattern_escapes_and_lets_a_space_be_any_whitespace():
    rx = re.compile(r"\b(?:" + words_pattern(["U.S. dollars", "sq.km", "said"]) + r")\b")
    assert rx.fullmatch("U.S.  dollars") and rx.fullmatch("U.S.\ndollars")
    assert not rx.fullmatch("UxSx dollars")       # a full stop is a full stop
    assert not rx.fullmatch("sqxkm")
    # alternatives are tried in the given order: the first that matches wins
    assert re.match(words_pattern(["secretary", "secretary-general"]), "secretary-general").group() == "secretary"


def test_every_speech_verb_in_the_list_is_matched_as_written():
    for verb in read_words(patterns.LEXICON / "speech_verbs.txt"):
        assert patterns.VERB.fullmatch(verb), verb
        assert patterns.VERB.fullmatch(verb.upper()), verb
    assert not patterns.VERB.search("unsaid sayings")


@pytest.mark.parametrize("name", ["speech_verbs.txt", "speaker_descriptions.txt", "quote_title_triggers.txt",
                                  "speaker_label_particles.txt", "count_stopwords.txt", "irregular_plurals.txt",
                                  "not_count_nouns.txt", "number_label_words.txt"])
def test_word_lists_hold_no_duplicates(name):
    ws = words(name)
    assert ws and len(ws) == len(set(ws)), name


def test_every_currency_named_is_a_known_code():
    codes = {r["currency"] for r in rows("currency_codes.csv")}
    named = {r["currency"] for r in rows("currency_symbols.csv")} | {r["currency"] for r in rows("currency_words.csv")}
    assert named <= codes, named - codes
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)


def test_unit_tables_parse():
    assert all(float(r["factor"]) > 0 for r in rows("measure_units.csv") + rows("duration_units.csv") + rows("scales.csv"))
    assert {r["kind"] for r in rows("scales.csv")} == {"word", "abbreviation"}
    assert {r["per"] for r in rows("measure_units.csv")} <= {"", "day", "week", "month", "year"}
    for r in rows("measure_units.csv"):
        re.compile(r["pattern"])
    # a count of days, months ... is a duration, never a count
    assert units.NOT_COUNTED == {"years", "months", "weeks", "days", "hours", "minutes"}
    assert numbers.WORD_NUMS["hundred"] == 100 and money.MONEY_SUFFIX.match(" roubles")


def test_month_table_gives_every_month_a_full_name_and_the_names_their_numbers():
    full = [r for r in read_rows(dates._LEXICON / "months.csv") if r["form"] == "full"]
    assert [int(r["month"]) for r in full] == list(range(1, 13))
    assert dates.MONTHS["sept"] == 9 and dates.MONTHS["may"] == 5
    assert list(dates.WEEKDAYS) == ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
