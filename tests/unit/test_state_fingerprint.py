"""The incremental state's fingerprint covers the code that makes cached results in
every sub-package of flows/ (a module moved into a package must still count) and
skips only the modules that cannot change them (publishing, release, report, CLI)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.engine import state

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    for part in ("flows", "schemas"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "seeds" / "reference", tmp_path / "seeds" / "reference")
    monkeypatch.setattr(state, "ROOT", tmp_path)
    return tmp_path


def _edit(path: Path) -> None:
    path.write_text(path.read_text() + "\n# an edit\n")


@pytest.mark.parametrize("module", ["flows/annotate/figures.py", "flows/clean/lines.py", "flows/core/text.py",
                                    "flows/engine/jobs.py", "flows/dedup.py", "schemas/tables.py"])
def test_an_edit_in_a_sub_package_changes_the_fingerprint(tree, module):
    before = state.fingerprint()
    _edit(tree / module)
    assert state.fingerprint() != before


def test_a_new_module_in_a_sub_package_changes_it(tree):
    before = state.fingerprint()
    (tree / "flows" / "annotate" / "new_rule.py").write_text("X = 1\n")
    assert state.fingerprint() != before


@pytest.mark.parametrize("module", ["flows/report/page.py", "flows/release/card.py", "flows/publish/write.py",
                                    "flows/cli.py", "flows/engine/lock.py"])
def test_an_edit_that_cannot_change_cached_results_keeps_it(tree, module):
    before = state.fingerprint()
    _edit(tree / module)
    assert state.fingerprint() == before


def test_a_word_list_beside_the_code_counts(tree):
    before = state.fingerprint()
    (tree / "flows" / "annotate" / "some_words.txt").write_text("minister\n")
    assert state.fingerprint() != before


def test_a_reference_table_counts(tree):
    before = state.fingerprint()
    _edit(tree / "seeds" / "reference" / "countries.csv")
    assert state.fingerprint() != before
