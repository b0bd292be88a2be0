"""Write validated tables to Parquet, build the DuckDB database beside them, and
publish a build by one atomic symlink swap.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows.paths import ROOT
from flows.publish.validation import _raise_if, _sorted_arrow
from schemas.generate import arrow_schema

SQL_DIR = ROOT / "sql"
DB_NAME = "sco.duckdb"
# A release is downloaded: zstd level 9 (flows/release.py). A build is rewritten on
# every run, incremental ones too: level 3 writes 3.7x faster for files 12% larger
# (all tables of the 21k-document corpus: 1.2 s and 73 MB against 4.6 s and 65 MB).
RELEASE_PARQUET_OPTIONS = dict(compression="zstd", compression_level=9, row_group_size=64_000,
                               use_dictionary=True, write_statistics=True, store_schema=True)
PARQUET_OPTIONS = {**RELEASE_PARQUET_OPTIONS, "compression_level": 3}
_WRITER_OPTIONS = {k: v for k, v in PARQUET_OPTIONS.items() if k != "row_group_size"}  # given per write
# A table larger than this (uncompressed, in memory) is written as a folder of
# Parquet parts that DuckDB, Spark and Trino read as one table: `documents` by
# publication year, hive style (documents/year=2022/part-00000.parquet; undated
# documents under year=__HIVE_DEFAULT_PARTITION__, Spark's name for null), the
# other tables in parts of about this size, in key order. The default of
# config.Settings.partition_bytes (SCO_PARTITION_BYTES), which the flow passes.
PARTITION_BYTES = 512 << 20
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        pq.write_table(table, tmp, **PARQUET_OPTIONS)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_tables(tables: dict[str, pd.DataFrame | pa.Table], out: Path,
                 partition_bytes: int | None = None) -> dict[str, Path]:
    """Each table to <name>.parquet, or to a folder <name>/ of parts when it is larger
    than `partition_bytes` (default PARTITION_BYTES); a DataFrame is sorted first
    (validate_rows's Arrow tables already are). Returns each table's file or folder."""
    limit = partition_bytes or PARTITION_BYTES
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, t in tables.items():
        if hasattr(t, "batches"):  # texts on disk: written a batch at a time
            paths[name] = _write_stored(name, t, out, limit)
            continue
        t = t if isinstance(t, pa.Table) else _sorted_arrow(name, t)
        if t.nbytes <= limit or t.num_rows < 2:
            paths[name] = out / f"{name}.parquet"
            _atomic_parquet(t, paths[name])
        elif name == "documents":
            paths[name] = out / name
            years = pc.year(t["published_date"])
            for year in sorted({y for y in years.to_pylist() if y is not None}):
                _write_parts(t.filter(pc.equal(years, year)), out / name / f"year={year}", limit)
            if years.null_count:
                _write_parts(t.filter(pc.is_null(years)), out / name / f"year={NULL_PARTITION}", limit)
        else:
            paths[name] = out / name
            _write_parts(t, paths[name], limit)
    return paths


def _write_stored(name: str, t, out: Path, limit: int) -> Path:
    """A table whose texts are on disk (docstore.Stored), laid out as `write_tables`
    lays out an Arrow table: one file, or (larger than `limit` bytes) parts,
    documents by year."""
    if t.nbytes <= limit:
        _write_batches(name, t, out / f"{name}.parquet")
        return out / f"{name}.parquet"
    if name != "documents":
        _write_batches(name, t, out / name, limit)
        return out / name
    years = pc.year(t.column("published_date"))
    for year in sorted({y for y in years.to_pylist() if y is not None}):
        _write_batches(name, t.filter(pc.equal(years, year)), out / name / f"year={year}", limit)
    if years.null_count:
        _write_batches(name, t.filter(pc.is_null(years)), out / name / f"year={NULL_PARTITION}", limit)
    return out / name


def _write_batches(name: str, t, path: Path, roll: int | None = None) -> None:
    """t's batches into one Parquet file at `path`, or (roll: a size in bytes) into
    parts of about that size in the folder `path`; each file written under a temporary
    name, then renamed. A text that breaks the model (null) stops the write."""
    schema = arrow_schema(name)
    if roll:
        path.mkdir(parents=True, exist_ok=True)
    n, size, writer, target, tmp = 0, 0, None, None, None

    def open_next() -> None:
        nonlocal writer, target, tmp
        target = path / f"part-{n:05d}.parquet" if roll else path
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        writer = pq.ParquetWriter(tmp, schema, **_WRITER_OPTIONS)

    def close() -> None:
        writer.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)

    try:
        for batch in t.batches():
            nulls = [c for c in schema.names if not schema.field(c).nullable and batch[c].null_count]
            if nulls:
                _raise_if([f"table {name}: null values in {', '.join(nulls)}"])
            if writer is not None and roll and size >= roll:
                close()
                writer, n, size = None, n + 1, 0
            if writer is None:
                open_next()
            writer.write_table(batch.select(schema.names).cast(schema), row_group_size=PARQUET_OPTIONS["row_group_size"])
            size += batch.nbytes
        if writer is None:  # no rows: an empty file, as for an empty Arrow table
            open_next()
        close()
        writer = None
    finally:
        if writer is not None:
            writer.close()
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _write_parts(t: pa.Table, folder: Path, limit: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    per_part = max(1, limit // max(1, t.nbytes // max(t.num_rows, 1)))
    for n, start in enumerate(range(0, t.num_rows, per_part)):
        _atomic_parquet(t.slice(start, per_part), folder / f"part-{n:05d}.parquet")


def table_sql(path: Path) -> str:
    """A DuckDB expression reading a table's file or folder of parts as one table (the
    partition folder names add no column: the year is in published_date already)."""
    if path.is_dir():
        return f"read_parquet({_sql_literal(path / '**' / '*.parquet')}, hive_partitioning = false)"
    return f"read_parquet({_sql_literal(path)})"


def _sql_literal(path: Path) -> str:
    # absolute, but not resolved: a view must not follow the .current symlink at creation
    return "'" + os.path.abspath(path).replace("'", "''") + "'"


def build_database(out: Path, tables: dict[str, Path]) -> Path:
    """output/sco.duckdb: a view per table over its Parquet file, then sql/views.sql."""
    db = out / DB_NAME
    tmp = out / f".{DB_NAME}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name, path in tables.items():
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM {table_sql(path)}")
            views = SQL_DIR / "views.sql"
            if views.exists():
                con.execute(views.read_text(encoding="utf-8"))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return db


BUILDS, CURRENT = ".builds", ".current"
KEEP_BUILDS = 2  # the published build and the one before it


def symlink_atomic(target: str, link: Path) -> None:
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def publish(tables: dict[str, pd.DataFrame | pa.Table], summary: dict, out: Path,
            partition_bytes: int | None = None) -> dict[str, Path]:
    """Write a complete build into its own folder and swap it in at once (a table larger
    than `partition_bytes` as a folder of parts). Returns the published path of each
    table (by table name), of the database and of build.json."""
    builds = out / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    for stale in builds.glob("*.partial"):  # left by a crashed build: never published
        shutil.rmtree(stale, ignore_errors=True)
    now = time.time_ns()  # one reading, so ids sort in the order builds were made
    build_id = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now // 10**9))}-{now % 10**9:09d}-{os.getpid()}"
    partial, final = builds / f"{build_id}.partial", builds / build_id
    partial.mkdir()
    written = write_tables(tables, partial, partition_bytes)
    os.rename(partial, final)
    # the database's views read this build's own files: one consistent snapshot
    build_database(final, {t: final / p.name for t, p in written.items()})
    write_summary(summary, final)
    # the names point through .current before it exists on a first build (dangling
    # until the swap), so the swap publishes every name at once
    names = [p.name for p in written.values()] + [DB_NAME, "build.json"]
    for name in names:
        link = out / name
        if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
            symlink_atomic(f"{CURRENT}/{name}", link)
    symlink_atomic(f"{BUILDS}/{build_id}", out / CURRENT)  # the publish: one rename
    # a table now written the other way (one file <-> a folder of parts) leaves its
    # old name pointing at nothing: remove it
    for t, p in written.items():
        other = out / (t if p.name.endswith(".parquet") else f"{t}.parquet")
        if other.is_symlink():
            other.unlink()
    for old in sorted(p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".partial"))[:-KEEP_BUILDS]:
        if old.name != build_id:
            shutil.rmtree(old, ignore_errors=True)
    # each table's published file or folder, then the database and the summary
    return {**{t: out / p.name for t, p in written.items()}, DB_NAME: out / DB_NAME, "build.json": out / "build.json"}


def write_summary(summary: dict, out: Path) -> Path:
    path = out / "build.json"
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(summary, indent=2, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, path)
    return path
