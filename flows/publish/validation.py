"""Validate tables against the pandera models in `schemas/` (blocking): as frames,
or in chunks for tables too large for one.
"""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pandera.pandas as pdr
import pyarrow as pa
import pyarrow.compute as pc

from schemas.generate import arrow_schema
from schemas.tables import ACROSS_ROWS, SORT_KEYS, TABLES


class ValidationFailed(Exception):
    """Raised when a table breaks its schema; carries a readable report."""

    def __init__(self, report: str):
        super().__init__(report)
        self.report = report


def to_frame(table: str, rows: list[dict] | pa.Table) -> pd.DataFrame:
    """Rows (or an Arrow table holding at least the table's columns) -> a DataFrame
    in the table's column order, via its Arrow schema."""
    return arrow_frame(to_arrow(table, rows))


def to_arrow(table: str, rows: list[dict] | pa.Table) -> pa.Table:
    """Rows, or an Arrow table's columns of this table, in the table's Arrow schema."""
    schema = arrow_schema(table)
    if isinstance(rows, pa.Table):
        return rows.select(schema.names).cast(schema) if rows.num_rows else schema.empty_table()
    return pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()


def arrow_frame(arrow: pa.Table) -> pd.DataFrame:
    """An Arrow table as the DataFrame its pandera model checks."""
    df = arrow.to_pandas()
    # nullable integers stay integers (pandas would turn them into floats)
    for f in arrow.schema:
        if pa.types.is_int32(f.type) and f.nullable:
            df[f.name] = df[f.name].astype("Int32")
    return df


def _problems(name: str, df: pd.DataFrame) -> str | None:
    return _problems_with(TABLES[name], name, df)


def _problems_with(model, name: str, df: pd.DataFrame) -> str | None:
    try:
        model.validate(df, lazy=True)
    except pdr.errors.SchemaErrors as e:
        fc = e.failure_cases
        lines = [f"table {name}: {len(fc)} failure(s)"]
        for _, r in fc.head(25).iterrows():
            lines.append(f"  column={r['column']} check={r['check']} row={r['index']} value={str(r['failure_case'])[:80]!r}")
        return "\n".join(lines)
    return None


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise ValidationFailed("schema validation failed, nothing was written:\n" + "\n".join(problems))


def validate(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Validate every table; raise ValidationFailed naming rows, columns and checks."""
    _raise_if([p for name, df in tables.items() if (p := _problems(name, df))])
    return tables


def validate_rows(rows: dict) -> dict:
    """Validate each table's rows (a list of dicts, an Arrow table, or a table whose
    texts are on disk: docstore.Stored) and return them sorted, ready to write: Arrow
    tables, and Stored tables in write order. One table's DataFrame exists at a time,
    and of a table over VALIDATE_ROWS rows one chunk's: Arrow holds the rest compactly."""
    problems, out = [], {}
    for name in list(rows):
        t = rows[name]
        if hasattr(t, "batches") or (isinstance(t, pa.Table) and t.num_rows > VALIDATE_ROWS):
            t = in_write_order(name, to_arrow(name, t) if isinstance(t, pa.Table) else t)
            problem = _chunked_problems(name, t)
            problems += [problem] if problem else []
            out[name] = t
            continue
        df = to_frame(name, t)
        problem = _problems(name, df)
        if problem:
            problems.append(problem)
        elif not problems:
            out[name] = _sorted_arrow(name, df)
        del df
    _raise_if(problems)
    return out


def in_write_order(name: str, t):
    """An Arrow (or Stored) table's rows in the order they are written (schemas.tables.
    SORT_KEYS, nulls first); the table itself when they are in it already (no copy)."""
    order = pc.sort_indices(t if isinstance(t, pa.Table) else t.meta,
                            sort_keys=[(k, "ascending", "at_start") for k in SORT_KEYS[name]])
    return t if np.array_equal(order.to_numpy(), np.arange(t.num_rows)) else t.take(order)


VALIDATE_ROWS = 250_000  # a table with more rows is validated in chunks of this many


def _chunked_problems(name: str, t) -> str | None:
    """Validate an Arrow table, or a Stored one without its texts (given as empty
    strings: their type and nullability are checked as they are written), against
    its model. Past VALIDATE_ROWS rows, in chunks: each against the model's checks
    of one row at a time, then the checks across rows (unique columns,
    schemas.tables.ACROSS_ROWS) over every row, on the columns they read."""
    model = TABLES[name].to_schema()
    rows = t.without_texts if hasattr(t, "without_texts") else t.slice
    if t.num_rows <= VALIDATE_ROWS:
        return _problems_with(model, name, to_frame(name, rows(0, t.num_rows)))
    checks, columns = ACROSS_ROWS.get(name, ([], []))
    unique = [c for c, col in model.columns.items() if col.unique]
    per_row = copy.copy(model.update_columns({c: {"unique": False} for c in unique}))
    per_row.checks = [c for c in model.checks if c.name not in checks]
    found = [_problems_with(per_row, name, to_frame(name, rows(lo, VALIDATE_ROWS)))
             for lo in range(0, t.num_rows, VALIDATE_ROWS)]
    narrow = list(dict.fromkeys(unique + columns))
    if narrow:
        across = copy.copy(model.select_columns(narrow))
        across.checks = [c for c in model.checks if c.name in checks]
        meta = t.meta if hasattr(t, "meta") else t
        found.append(_problems_with(across, name, arrow_frame(meta.select(narrow))))
    found = [p for p in found if p]
    return "\n".join(found) if found else None


def _sorted_arrow(name: str, df: pd.DataFrame) -> pa.Table:
    df = df.sort_values(SORT_KEYS[name], kind="mergesort", na_position="first").reset_index(drop=True)
    return pa.Table.from_pandas(df, schema=arrow_schema(name), preserve_index=False)
