"""The measured-quality table the data card prints (flows/release/measured_quality.csv)."""
from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.wordlists import read_rows
from flows.release.card import MEASURED_QUALITY, measured_quality_lines

ROOT = Path(__file__).resolve().parents[2]
ROWS = read_rows(MEASURED_QUALITY)
FIGURES = ("precision", "recall", "f1", "share")


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['measure']}/{r['gold']}/{r['split']}")
def test_row_is_a_real_measurement(row):
    assert row["split"] in {"dev", "test"}
    assert (ROOT / row["measured_by"].split()[0]).is_file(), "the script (or the hand check) that measured it must exist"
    values = {k: float(row[k]) for k in FIGURES if row[k]}
    assert values, "a row holds at least one figure"
    assert all(0.0 <= v <= 1.0 for v in values.values())
    if {"precision", "recall", "f1"} <= values.keys() and values["precision"] + values["recall"] > 0:
        p, r = values["precision"], values["recall"]
        assert abs(values["f1"] - 2 * p * r / (p + r)) < 0.006, "F1 must agree with its precision and recall"
    assert len(row["measured_on"]) == 10 and row["measured_on"][4] == "-"


def test_card_prints_every_row_test_halves_first():
    lines = measured_quality_lines()
    body = [ln for ln in lines if ln.startswith("| ") and not ln.startswith("| measure")]
    assert len(body) == len(ROWS)
    splits = [ln.split(" | ")[2] for ln in body]
    assert splits == sorted(splits, key=lambda s: s != "test")


def test_card_says_so_when_nothing_was_measured(tmp_path):
    empty = tmp_path / "q.csv"
    empty.write_text(MEASURED_QUALITY.read_text(encoding="utf-8").split("measure,")[0]
                     + "measure,gold,split,precision,recall,f1,share,measured_by,measured_on\n", encoding="utf-8")
    assert "No quality figures" in measured_quality_lines(empty)[0]
