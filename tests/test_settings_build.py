"""The flow takes its values from the settings: build.json records those that change the
tables, and the writer and the text store use the sizes they are given."""
from __future__ import annotations

import json

import pytest

from flows.build import build_dataset
from flows.config import Settings
from flows.publish.read import read_build_table
from schemas.tables import TABLES
from tests.conftest import PINNED_EPOCH, SEEDS, build_pinned

pytestmark = pytest.mark.e2e


def test_build_json_records_the_settings_that_change_the_tables(seed_build):
    out, result = seed_build
    summary = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert summary["settings"] == result["settings"] == {
        "as_of": "2025-11-23", "dedup_threshold": 0.8, "source_date_epoch": PINNED_EPOCH}


def test_the_writer_and_the_store_take_the_sizes_they_are_given(seed_build, tmp_path):
    """Every table larger than 1 byte is a folder of parts, the texts read back one at a
    time: the same rows as the seed build's single files."""
    out, _ = seed_build
    result = build_pinned(build_dataset, Settings(inputs=[SEEDS], output=tmp_path, partition_bytes=1,
                                                  batch_text_bytes=1, as_of="2025-11-23"))
    assert (tmp_path / "documents").is_dir() and (tmp_path / "mentions").is_dir()
    assert len(list((tmp_path / "mentions").glob("part-*.parquet"))) > 1
    for name in TABLES:
        assert read_build_table(tmp_path, name).equals(read_build_table(out, name)), name
    assert result["settings"]["as_of"] == "2025-11-23"
