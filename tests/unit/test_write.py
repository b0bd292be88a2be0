"""The writer publishes a whole build at once: readers see one build or the next."""
from __future__ import annotations

import os

import duckdb
import pyarrow.parquet as pq

from flows import write


def _frames(n_rejects: int):
    from datetime import datetime, timezone

    rows = [{"source_uri": f"in/{i}.txt", "reason": "empty", "detail": None,
             "seen_at": datetime(2025, 1, 1, tzinfo=timezone.utc)} for i in range(n_rejects)]
    from schemas.tables import TABLES

    tables = {name: write.to_frame(name, []) for name in TABLES}  # views.sql reads every table
    tables["rejects"] = write.to_frame("rejects", rows)
    return write.validate(tables)


def test_publish_swaps_whole_builds(tmp_path):
    out = tmp_path / "out"
    write.publish(_frames(1), {"n": 1}, out)
    first = os.readlink(out / ".current")
    assert (out / "rejects.parquet").is_symlink()
    assert pq.read_table(out / "rejects.parquet").num_rows == 1
    # a crashed build leaves only an unpublished folder; the next build removes it
    (out / ".builds" / "20000101T000000-000000000-1.partial").mkdir()
    write.publish(_frames(2), {"n": 2}, out)
    second = os.readlink(out / ".current")
    assert second != first
    assert pq.read_table(out / "rejects.parquet").num_rows == 2
    assert not list((out / ".builds").glob("*.partial"))
    con = duckdb.connect(str(out / "sco.duckdb"), read_only=True)
    assert con.execute("select count(*) from rejects").fetchone()[0] == 2
    con.close()
    write.publish(_frames(3), {"n": 3}, out)
    kept = sorted(p.name for p in (out / ".builds").iterdir())
    assert len(kept) == write.KEEP_BUILDS and os.path.basename(second) in kept


def test_a_reader_of_the_old_build_keeps_a_whole_file(tmp_path):
    out = tmp_path / "out"
    write.publish(_frames(1), {}, out)
    f = open(out / "rejects.parquet", "rb")  # opened before the next publish
    write.publish(_frames(5), {}, out)
    assert pq.read_table(f).num_rows == 1
    f.close()
    assert pq.read_table(out / "rejects.parquet").num_rows == 5
