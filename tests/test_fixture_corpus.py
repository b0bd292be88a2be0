"""Tier 2: the fixture corpus of mixed formats and broken inputs, through the
stages as plain functions (no Prefect). Every input is a document or a reject."""
from __future__ import annotations

from collections import Counter

import pytest

from flows import clean, dedup, ingest
from tests.conftest import FIXTURES

MIXED = FIXTURES / "mixed"


@pytest.fixture(scope="module")
def result():
    files = ingest.discover([MIXED])
    records, rejects = ingest.read_batch(files)
    docs, more = clean.clean_batch(records)
    dedup.mark_duplicates(docs)
    return files, docs, rejects + more


def test_every_input_is_a_document_or_a_reject(result):
    files, docs, rejects = result
    produced = {d["source_uri"].split("#")[0] for d in docs}
    rejected = {r["source_uri"].split("#")[0] for r in rejects}
    assert {f.uri for f in files} == produced | rejected


def test_outcomes(result):
    _, docs, rejects = result
    reasons = {r["source_uri"]: r["reason"] for r in rejects}
    assert reasons == {
        "mixed/articles.jsonl#line-2": "invalid JSON at line 2",
        "mixed/articles.jsonl#line-4": "no text field",
        "mixed/articles.jsonl#line-5": "duplicate id",
        "mixed/blank.txt": "empty",
        "mixed/empty.txt": "empty",
        "mixed/image.txt": "binary content (image/png)",
        "mixed/notes.docx": "unsupported file type (.docx)",
    }
    by_uri = {d["source_uri"]: d for d in docs}
    assert set(by_uri) == {
        "mixed/articles.jsonl#id-a1", "mixed/articles.jsonl#id-a3", "mixed/briefs.csv#id-c1",
        "mixed/briefs.csv#id-c2", "mixed/cp1251.txt", "mixed/kremlin_page.html",
    }
    a3 = by_uri["mixed/articles.jsonl#id-a3"]
    assert (a3["title"], a3["url"], str(a3["published_date"])) == ("Trade grows", "https://example.org/a3", "2023-05-02")
    assert a3["published_date_source"] == "explicit" and a3["parent_uri"] == "mixed/articles.jsonl"
    ru = by_uri["mixed/cp1251.txt"]
    assert ru["language"] == "ru" and "Владимир Путин" in ru["text"]
    page = by_uri["mixed/kremlin_page.html"]
    assert page["title"] == "Vladimir Putin will make a visit to India"
    assert page["url"] == "http://en.kremlin.ru/events/president/news/17151"
    assert "Russian-Indian strategic partnership" in page["text"]
    for menu in ("Instagram", "Subscribe", "Search", "Version for people with disabilities"):
        assert menu not in page["text"]
    assert Counter(d["source_format"] for d in docs) == {"jsonl": 2, "csv": 2, "txt": 1, "html": 1}


def test_ids_are_stable_and_derived_from_uri(result):
    _, docs, _ = result
    for d in docs:
        assert d["doc_id"] == clean.doc_id_for(d["source_uri"])
    files = ingest.discover([MIXED])
    again, _ = clean.clean_batch(ingest.read_batch(files)[0])
    assert sorted(d["doc_id"] for d in again) == sorted(d["doc_id"] for d in docs)


def test_licence_from_the_source(result):
    _, docs, _ = result
    by_uri = {d["source_uri"]: d for d in docs}
    assert by_uri["mixed/kremlin_page.html"]["licence"] == "CC-BY-4.0"
    assert by_uri["mixed/articles.jsonl#id-a1"]["licence"] == "unknown"
