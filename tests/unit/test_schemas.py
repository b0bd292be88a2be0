"""Schemas are the single source of truth: generated files must match them, and
a broken table must be refused with the rows and checks named."""
from __future__ import annotations

from datetime import date

import pytest

from flows import publish
from schemas import generate
from schemas.tables import TABLES


def test_generated_files_are_fresh():
    stale = generate.stale()
    assert stale == [], f"regenerate with `python -m schemas.generate`: {stale}"


def test_every_contract_table_has_a_model_and_arrow_schema():
    assert list(TABLES) == ["documents", "countries", "figures", "events", "mentions", "quantities", "quotes", "rejects"]
    for name in TABLES:
        schema = generate.arrow_schema(name)
        assert len(schema) == len(TABLES[name].to_schema().columns)
    assert str(generate.arrow_schema("events").field("doc_ids").type) == "list<item: string>"
    assert str(generate.arrow_schema("documents").field("published_date").type) == "date32[day]"


def _doc(**over):
    d = {"doc_id": "d-0123456789abcdef", "source_uri": "a.txt", "parent_uri": None, "url": None,
         "source_name": None, "title": None, "author": None, "published_date": date(2024, 7, 3),
         "published_date_source": "explicit", "language": "en", "text": "Some text.", "n_words": 2,
         "content_sha256": "0" * 64, "duplicate_of": None, "post_number": None, "source_format": "txt",
         "licence": "unknown"}
    d.update(over)
    return d


def test_valid_rows_pass():
    publish.validate({"documents": publish.to_frame("documents", [_doc()])})


def test_broken_rows_are_named():
    rows = [_doc(), _doc(doc_id="d-0123456789abcdef", source_uri="b.txt", language="english"),
            _doc(doc_id="d-1111111111111111", source_uri="c.txt", duplicate_of="d-9999999999999999")]
    with pytest.raises(publish.ValidationFailed) as e:
        publish.validate({"documents": publish.to_frame("documents", rows)})
    report = e.value.report
    assert "column=doc_id" in report and "field_uniqueness" in report
    assert "column=language" in report and "english" in report
    assert "duplicate_of must name another, canonical document" in report


def test_event_list_checks():
    row = {"event_id": "ev-0123456789abcdef", "event_type": "summit", "plover_type": "CONSULT", "title": "t",
           "start_date": date(2024, 7, 4), "end_date": date(2024, 7, 3), "date_precision": "day", "place": None,
           "place_country_iso3": None, "organization": "SCO", "figure_ids": [], "country_iso3s": [],
           "doc_ids": ["d-1", "d-2"], "n_sources": 1, "evidence": "e", "evidence_doc_id": "d-1",
           "evidence_start": 0, "evidence_end": 1, "confidence": 0.5}
    with pytest.raises(publish.ValidationFailed) as e:
        publish.validate({"events": publish.to_frame("events", [row])})
    assert "n_sources must equal len(doc_ids)" in e.value.report
    assert "end_date must not precede start_date" in e.value.report


def test_validate_rows_gives_sorted_arrow_and_names_every_broken_table():
    rows = {"documents": [_doc(doc_id="d-1111111111111111", source_uri="b.txt"), _doc()]}
    out = publish.validate_rows(rows)
    assert out["documents"].column("doc_id").to_pylist() == ["d-0123456789abcdef", "d-1111111111111111"]
    assert out["documents"].schema == generate.arrow_schema("documents")
    broken = {"documents": [_doc(language="english")],
              "quotes": [{"quote_id": "q-1", "doc_id": "d-0123456789abcdef", "figure_id": None, "text": "",
                          "start": 5, "end": 1, "verb": None, "context": None}]}
    with pytest.raises(publish.ValidationFailed) as e:
        publish.validate_rows(broken)
    assert "table documents" in e.value.report and "table quotes" in e.value.report


def test_a_duplicate_says_how_and_a_canonical_document_does_not():
    canonical = _doc()
    ok = _doc(doc_id="d-2222222222222222", source_uri="b.txt", duplicate_of=canonical["doc_id"],
              duplicate_kind="near", duplicate_similarity=0.93)
    publish.validate({"documents": publish.to_frame("documents", [canonical, ok])})
    for bad in ({**ok, "duplicate_kind": None}, {**ok, "duplicate_similarity": None},
                {**ok, "duplicate_kind": "copy"}, {**canonical, "doc_id": "d-1111111111111111",
                                                   "source_uri": "c.txt", "duplicate_kind": "exact"}):
        with pytest.raises(publish.ValidationFailed):
            publish.validate({"documents": publish.to_frame("documents", [canonical, bad])})
