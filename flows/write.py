"""Validate and write: every table is checked against its pandera model, then
written as zstd Parquet to a temporary name and renamed into place, then the
DuckDB database is rebuilt beside it (also under a temporary name).

Nothing partial is ever visible in `output/`: a reader sees a whole file or the
previous one. Rows are sorted by the table's key and the writer's options are
fixed, so the same rows give byte-identical files.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pdr
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.generate import arrow_schema
from schemas.tables import SORT_KEYS, TABLES

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"
DB_NAME = "sco.duckdb"
PARQUET_OPTIONS = dict(compression="zstd", compression_level=9, row_group_size=64_000,
                       use_dictionary=True, write_statistics=True, store_schema=True)


class ValidationFailed(Exception):
    """Raised when a table breaks its schema; carries a readable report."""

    def __init__(self, report: str):
        super().__init__(report)
        self.report = report


def to_frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows -> a DataFrame in the table's column order, via its Arrow schema."""
    schema = arrow_schema(table)
    arrow = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    df = arrow.to_pandas()
    # nullable integers stay integers (pandas would turn them into floats)
    for f in schema:
        if pa.types.is_int32(f.type) and f.nullable:
            df[f.name] = df[f.name].astype("Int32")
    return df


def validate(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Validate every table; raise ValidationFailed naming rows, columns and checks."""
    problems = []
    for name, df in tables.items():
        try:
            TABLES[name].validate(df, lazy=True)
        except pdr.errors.SchemaErrors as e:
            fc = e.failure_cases
            lines = [f"table {name}: {len(fc)} failure(s)"]
            for _, r in fc.head(25).iterrows():
                lines.append(f"  column={r['column']} check={r['check']} row={r['index']} value={str(r['failure_case'])[:80]!r}")
            problems.append("\n".join(lines))
    if problems:
        raise ValidationFailed("schema validation failed, nothing was written:\n" + "\n".join(problems))
    return tables


def _sorted_arrow(name: str, df: pd.DataFrame) -> pa.Table:
    df = df.sort_values(SORT_KEYS[name], kind="mergesort", na_position="first").reset_index(drop=True)
    return pa.Table.from_pandas(df, schema=arrow_schema(name), preserve_index=False)


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        pq.write_table(table, tmp, **PARQUET_OPTIONS)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, df in tables.items():
        path = out / f"{name}.parquet"
        _atomic_parquet(_sorted_arrow(name, df), path)
        paths[name] = path
    return paths


def _sql_literal(path: Path) -> str:
    return "'" + str(path.resolve()).replace("'", "''") + "'"


def build_database(out: Path, tables: list[str]) -> Path:
    """output/sco.duckdb: a view per table over its Parquet file, then sql/views.sql."""
    db = out / DB_NAME
    tmp = out / f".{DB_NAME}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name in tables:
                con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({_sql_literal(out / f'{name}.parquet')})")
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


def write_summary(summary: dict, out: Path) -> Path:
    path = out / "build.json"
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(summary, indent=2, sort_keys=True, default=str), encoding="utf-8")
    os.replace(tmp, path)
    return path
