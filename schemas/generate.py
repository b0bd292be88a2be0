"""Everything derived from the pandera models: Arrow schemas, DuckDB DDL and the
data dictionary. `python -m schemas.generate` rewrites the generated files;
`tests/unit/test_schemas.py` fails when one of them is stale.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pyarrow as pa

from schemas.tables import SORT_KEYS, TABLES

ROOT = Path(__file__).resolve().parent.parent
GENERATED = {
    "sql/schema.sql": lambda: ddl(),
    "docs/data-dictionary.md": lambda: data_dictionary(),
}

_ARROW = {
    "string": pa.string(),
    "int32": pa.int32(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date32": pa.date32(),
    "list<string>": pa.list_(pa.string()),
    "timestamp[us, tz=UTC]": pa.timestamp("us", tz="UTC"),
}
_DUCKDB = {
    "string": "VARCHAR",
    "int32": "INTEGER",
    "float64": "DOUBLE",
    "bool": "BOOLEAN",
    "date32": "DATE",
    "list<string>": "VARCHAR[]",
    "timestamp[us, tz=UTC]": "TIMESTAMPTZ",
}


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())


def columns(table: str) -> list[tuple[str, str, bool, str]]:
    """(name, arrow type name, nullable, description) for each column, in model order."""
    schema = TABLES[table].to_schema()
    return [
        (name, c.metadata["arrow"], bool(c.nullable), c.description or "")
        for name, c in schema.columns.items()
    ]


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema(
        [pa.field(n, _ARROW[t], nullable=nl, metadata={"description": d}) for n, t, nl, d in columns(table)],
        metadata={"table": table},
    )


def ddl() -> str:
    out = [
        "-- GENERATED from schemas/tables.py by `python -m schemas.generate`; do not edit.",
        "-- The tables of the dataset contract as DuckDB DDL, for loading the Parquet",
        "-- files into a database of your own: CREATE TABLE ... then INSERT INTO ... SELECT.",
        "",
    ]
    for table in TABLES:
        cols = columns(table)
        out.append("-- " + _one_line(TABLES[table].__doc__))
        out.append(f"CREATE TABLE IF NOT EXISTS {table} (")
        lines = []
        for n, t, nl, _ in cols:
            lines.append(f"    {n} {_DUCKDB[t]}{'' if nl else ' NOT NULL'}")
        out.append(",\n".join(lines))
        out.append(");")
        out.append("")
    return "\n".join(out)


def data_dictionary() -> str:
    out = [
        "<!-- GENERATED from schemas/tables.py by `python -m schemas.generate`; do not edit. -->",
        "# Data dictionary",
        "",
        "Every table of the dataset, generated from the pandera models that validate it.",
        "Columns whose description starts with `extra:` are additions to the contract",
        "(`../shared/DATASET.md`); the others are the contract's own.",
        "",
    ]
    for table, model in TABLES.items():
        out.append(f"## {table}")
        out.append("")
        out.append(_one_line(model.__doc__))
        out.append("")
        out.append(f"Rows are sorted by `{', '.join(SORT_KEYS[table])}`.")
        out.append("")
        out.append("| column | type | nullable | description |")
        out.append("|---|---|---|---|")
        for n, t, nl, d in columns(table):
            out.append(f"| {n} | {t} | {'yes' if nl else 'no'} | {d} |")
        out.append("")
    return "\n".join(out)


def write_all(root: Path = ROOT) -> list[Path]:
    written = []
    for rel, make in GENERATED.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make(), encoding="utf-8")
        written.append(path)
    return written


def stale(root: Path = ROOT) -> list[str]:
    """Generated files whose content differs from what the models give now."""
    return [
        rel for rel, make in GENERATED.items()
        if not (root / rel).exists() or (root / rel).read_text(encoding="utf-8") != make()
    ]


if __name__ == "__main__":
    for p in write_all():
        print(f"wrote {p.relative_to(ROOT)}")
    sys.exit(0)
