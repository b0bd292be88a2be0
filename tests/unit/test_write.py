"""The writer publishes a whole build at once: readers see one build or the next."""
from __future__ import annotations

import os

import duckdb
import pyarrow.parquet as pq

from flows import publish


def _frames(n_rejects: int):
    from datetime import datetime, timezone

    rows = [{"source_uri": f"in/{i}.txt", "reason": "empty", "detail": None,
             "seen_at": datetime(2025, 1, 1, tzinfo=timezone.utc)} for i in range(n_rejects)]
    from schemas.tables import TABLES

    tables = {name: publish.to_frame(name, []) for name in TABLES}  # views.sql reads every table
    tables["rejects"] = publish.to_frame("rejects", rows)
    return publish.validate(tables)


def test_publish_swaps_whole_builds(tmp_path):
    out = tmp_path / "out"
    publish.publish(_frames(1), {"n": 1}, out)
    first = os.readlink(out / ".current")
    assert (out / "rejects.parquet").is_symlink()
    assert pq.read_table(out / "rejects.parquet").num_rows == 1
    # a crashed build leaves only an unpublished folder; the next build removes it
    (out / ".builds" / "20000101T000000-000000000-1.partial").mkdir()
    publish.publish(_frames(2), {"n": 2}, out)
    second = os.readlink(out / ".current")
    assert second != first
    assert pq.read_table(out / "rejects.parquet").num_rows == 2
    assert not list((out / ".builds").glob("*.partial"))
    con = duckdb.connect(str(out / "sco.duckdb"), read_only=True)
    assert con.execute("select count(*) from rejects").fetchone()[0] == 2
    con.close()
    publish.publish(_frames(3), {"n": 3}, out)
    kept = sorted(p.name for p in (out / ".builds").iterdir())
    assert len(kept) == publish.KEEP_BUILDS and os.path.basename(second) in kept


def test_a_reader_of_the_old_build_keeps_a_whole_file(tmp_path):
    out = tmp_path / "out"
    publish.publish(_frames(1), {}, out)
    f = open(out / "rejects.parquet", "rb")  # opened before the next publish
    publish.publish(_frames(5), {}, out)
    assert pq.read_table(f).num_rows == 1
    f.close()
    assert pq.read_table(out / "rejects.parquet").num_rows == 5


def _documents(n: int):
    from datetime import date

    rows = [{"doc_id": f"d-{i:016x}", "source_uri": f"in/{i}.txt", "parent_uri": None, "url": None,
             "source_name": None, "title": None, "author": None,
             "published_date": None if i % 5 == 0 else date(2020 + i % 3, 1, 1),
             "published_date_source": "none" if i % 5 == 0 else "explicit", "language": "en",
             "text": f"Text number {i}. " * 20, "n_words": 60, "content_sha256": f"{i:064x}",
             "duplicate_of": None, "post_number": None, "source_format": "txt", "licence": "unknown"}
            for i in range(n)]
    return rows


def test_a_large_table_is_published_as_partitions_read_as_one(tmp_path):
    from flows.publish.read import read_build_table
    from schemas.tables import TABLES

    rows = {name: [] for name in TABLES}
    rows["documents"] = _documents(40)
    small = publish.validate_rows(rows)
    out = tmp_path / "out"
    paths = publish.publish(small, {}, out, partition_bytes=small["documents"].nbytes // 4)
    assert paths["documents"] == out / "documents" and (out / "documents").is_symlink()
    years = sorted(p.name for p in (out / "documents").iterdir())
    assert years == ["year=2020", "year=2021", "year=2022", f"year={publish.NULL_PARTITION}"]
    assert len(list((out / "documents").rglob("part-*.parquet"))) > len(years)  # a year in several parts
    # DuckDB, and the project's own readers, see one table with every row, in key order
    con = duckdb.connect(str(out / "sco.duckdb"), read_only=True)
    assert con.execute("select count(*), count(distinct doc_id) from documents").fetchone() == (40, 40)
    assert [c[0] for c in con.execute("describe documents").fetchall()] == small["documents"].column_names
    con.close()
    assert read_build_table(out, "documents").equals(small["documents"])
    # the next, small build goes back to one file; the folder's name is not left behind
    publish.publish(small, {}, out)  # the default: 512 MiB
    assert (out / "documents.parquet").is_file() and not os.path.lexists(out / "documents")
