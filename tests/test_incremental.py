"""Incremental builds: new documents in, nothing processed twice, and the result
equal to a full rebuild. Runs the real flow (Prefect's ephemeral API)."""
from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time

import pytest

from flows.build import build_dataset
from flows.config import Settings
from flows.engine.lock import BuildLocked, build_lock
from schemas.tables import TABLES
from tests.conftest import FIXTURES, SEEDS

pytestmark = pytest.mark.e2e
EPOCH = "1763856000"


def _arrivals() -> list[list]:
    files = sorted(SEEDS.glob("*.txt")) + sorted((FIXTURES / "mixed").iterdir())
    return [files[0::3], files[1::3], files[2::3]]


def _build(inputs, out, **kw):
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return build_dataset(Settings(inputs=[inputs], output=out, **kw))
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _digest(out):
    return {n: hashlib.sha256((out / f"{n}.parquet").read_bytes()).hexdigest() for n in TABLES}


def test_three_arrivals_equal_a_full_rebuild(tmp_path):
    inbox, inc_out, full_out = tmp_path / "inbox", tmp_path / "inc", tmp_path / "full"
    inbox.mkdir()
    runs = []
    for batch in _arrivals():
        for f in batch:
            shutil.copy(f, inbox / f.name)
        runs.append(_build(inbox, inc_out))
    # the second and third runs read only what arrived
    assert [r["incremental"]["inputs_read"] for r in runs] == [len(b) for b in _arrivals()]
    assert runs[2]["incremental"]["unchanged"] == len(_arrivals()[0]) + len(_arrivals()[1])
    _build(inbox, full_out, full=True)
    assert _digest(inc_out) == _digest(full_out)

    # nothing new: no document work at all
    again = _build(inbox, inc_out)
    assert again["incremental"]["inputs_read"] == 0
    assert again["incremental"]["records_cleaned"] == 0
    assert again["incremental"]["documents_annotated"] == 0
    assert _digest(inc_out) == _digest(full_out)


def test_changed_input_replaces_and_removed_input_is_reported(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for f in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(f, inbox / f.name)
    first = _build(inbox, out)
    changed = sorted(inbox.iterdir())[0]
    changed.write_text("Kazakhstan hosted a meeting of SCO foreign ministers in Astana on Wednesday.\n", encoding="utf-8")
    removed = sorted(inbox.iterdir())[1]
    removed.unlink()
    second = _build(inbox, out)
    inc = second["incremental"]
    assert inc["changed"] == 1 and inc["inputs_read"] == 1
    assert inc["removed"] == [f"inbox/{removed.name}"]
    assert second["documents"] == first["documents"] - 1  # one replaced by one, one removed
    import pyarrow.parquet as pq
    texts = {r["source_uri"]: r["text"] for r in pq.read_table(out / "documents.parquet").to_pylist()}
    assert texts[f"inbox/{changed.name}"].startswith("Kazakhstan hosted")
    assert f"inbox/{removed.name}" not in texts


def test_a_second_build_is_refused_while_one_runs(tmp_path):
    out = tmp_path / "out"
    held = threading.Event()
    release = threading.Event()

    def hold():
        with build_lock(out):
            held.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    try:
        with pytest.raises(BuildLocked, match="another build is writing"):
            with build_lock(out):
                pass
    finally:
        release.set()
        t.join()
    with build_lock(out):  # released: the next build goes ahead
        pass


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    code = ("import sys, time; from pathlib import Path; from flows.engine.lock import build_lock\n"
            f"with build_lock(Path({str(out)!r})):\n    print('held', flush=True); time.sleep(60)\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "held"
        with pytest.raises(BuildLocked):
            with build_lock(out):
                pass
    finally:
        p.kill()
        p.wait()
    time.sleep(0.1)
    with build_lock(out):  # the kernel dropped the dead process's lock
        pass


def test_cli_says_clearly_that_another_build_runs(tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    out = tmp_path / "out"
    with build_lock(out):
        r = CliRunner().invoke(app, ["build", "--input", str(SEEDS), "--output", str(out)])
    assert r.exit_code == 3 and "another build is writing" in r.output
