"""Read a published build's tables back (one Parquet file or a folder of parts).
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas.generate import arrow_schema
from schemas.tables import SORT_KEYS


def _table_files(folder: Path, table: str) -> list[Path]:
    """A table's Parquet file, or its folder of parts, in a build or a release."""
    single = folder / f"{table}.parquet"
    if single.exists():
        return [single]
    parts = folder / table  # parts, or a build's partitions (documents/year=2022/part-00000.parquet)
    return sorted(parts.rglob("*.parquet")) if parts.is_dir() else []


def read_build_table(build_dir: Path, table: str) -> pa.Table:
    files = _table_files(build_dir, table)
    if not files:
        raise FileNotFoundError(f"{build_dir}: no {table}.parquet (or {table}/ folder of parts)")
    schema = arrow_schema(table)
    # partition=None: a partition folder's name is no column (the year is in published_date)
    t = pa.concat_tables([pq.read_table(f, partitioning=None) for f in files])
    t = t.select(schema.names).cast(schema)
    return sort_rows(table, t) if len(files) > 1 else t


def sort_rows(table: str, t: pa.Table) -> pa.Table:
    """Rows in the table's key order (schemas.tables.SORT_KEYS), nulls first, as flows.publish sorts them."""
    idx = pc.sort_indices(t, sort_keys=[(k, "ascending", "at_start") for k in SORT_KEYS[table]])
    return t.take(idx)
