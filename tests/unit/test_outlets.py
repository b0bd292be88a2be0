"""Issue 17's failure classes, each on made-up outlets that share none of their chrome
(tests/fixtures/outlets, written by its make.py): a class that regresses fails its test."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from flows import clean, ingest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "outlets" / "outlets.jsonl"


def _clean(records: list[dict]) -> dict[str, dict]:
    docs, rejects = clean.clean_batch(records)
    assert rejects == []
    return {d["source_uri"].split("#id-")[1]: d for d in docs}


@pytest.fixture(scope="module")
def records() -> list[dict]:
    recs, rejects = ingest.read_input(ingest.InputFile(FIXTURE, "outlets/outlets.jsonl"))
    assert rejects == []
    return recs


@pytest.fixture(scope="module")
def docs(records) -> dict[str, dict]:
    return _clean(records)


def _lines(doc: dict) -> list[str]:
    return doc["text"].split("\n")


def _of(docs: dict[str, dict], prefix: str) -> list[dict]:
    found = [d for k, d in docs.items() if re.fullmatch(prefix + r"-\d+", k)]
    assert len(found) == 7
    return found


def test_chrome_that_ends_in_punctuation_goes(docs):
    for doc in _of(docs, "ht"):
        for chrome_line in ("Do you like the content of this article?", "WRITER:", "READ:", "Yes", "No",
                            "Ministers meet to discuss port fees"):
            assert chrome_line not in _lines(doc), (doc["source_uri"], chrome_line)
    for doc in _of(docs, "ml"):
        assert "Your subscription has been successful." not in doc["text"]
        assert "newsletter" not in doc["text"]


def test_chrome_counted_on_the_decoded_text(docs):
    # "&nbsp; Medium" in every page is "Medium" once decoded: counted and removed as such
    for doc in _of(docs, "ht"):
        assert "Medium" not in doc["text"]


def test_chrome_counted_per_outlet_not_per_input_file(records, docs):
    # the same pages in files of three (each file too small to count chrome in alone)
    # give the same documents: an outlet's pages are counted together wherever they are
    split = [{**r, "source_uri": f"part{k // 3}/pages.jsonl#" + r["source_uri"].split("#")[1],
              "parent_uri": f"part{k // 3}/pages.jsonl"} for k, r in enumerate(records)]
    again = _clean(split)
    assert {k: d["text"] for k, d in again.items()} == {k: d["text"] for k, d in docs.items()}


def test_link_text_inside_a_sentence_is_kept(docs):
    for doc in _of(docs, "ht"):
        assert "The new President-elect Rafael Moreno has visited" in doc["text"]
        assert "the Belt and Road Initiative that links the port" in doc["text"]


def test_drop_cap_joined_to_its_word(docs):
    for doc in _of(docs, "ml"):
        assert _lines(doc)[0].startswith("Almost 20 years ago, a small trade fair opened in")


def test_cjk_sentences_are_all_kept(records, docs):
    for doc in _of(docs, "ld"):
        raw = next(r["raw"] for r in records if r["source_uri"] == doc["source_uri"])
        sentences = [ln for ln in raw.split("\n") if ln.endswith("。")]
        assert _lines(doc) == sentences  # every sentence, and the chrome ("分享到微信", "相关新闻") gone
        assert doc["language"] == "zh"


def test_tables_and_a_list_ending_the_page_are_kept(docs):
    for doc in _of(docs, "ml"):
        lines = _lines(doc)
        assert sum(ln.startswith("| ") for ln in lines) == 3
        assert [ln.split(":")[0] for ln in lines if ln.startswith("Best ")] == [
            "Best stall", "Best newcomer", "Best food", "Best craft", "Best design", "Best service"]


def test_hard_wrapped_text_is_unwrapped(docs):
    for doc in _of(docs, "cw"):
        assert "\n" not in doc["text"]
        assert "Canadian Premier Justin Trudeau in" in doc["text"]
        assert doc["text"].startswith("The Prime Minister held talks on Tuesday")


def test_markdown_never_changes_a_word(docs):
    for doc in _of(docs, "cw-int"):
        assert "the f**king canals leak" in doc["text"]
        assert _lines(doc)[0] == "1. Background"


def test_a_question_put_to_each_guest_is_kept_each_time(docs):
    for doc in _of(docs, "cw-int"):
        assert _lines(doc).count("What should the region do first about water?") == 2


def test_a_credit_or_a_dateline_is_no_title(docs):
    credit, dateline = docs["ht-credit"], docs["ht-dateline"]
    assert credit["title"] is None and "PHOTO" not in credit["text"]
    assert dateline["title"] is None
    assert dateline["text"].startswith("SINGAPORE - Shipping ministers from six countries")


def test_fixture_is_what_make_writes(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_outlets", FIXTURE.parent / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    monkeypatch.setattr(make, "HERE", tmp_path)
    make.main()
    assert (tmp_path / "outlets.jsonl").read_text(encoding="utf-8") == FIXTURE.read_text(encoding="utf-8")
    assert all(json.loads(line)["source_name"] for line in FIXTURE.read_text(encoding="utf-8").splitlines())
