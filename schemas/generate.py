"""Everything derived from the pandera models and the table registry: Arrow schemas,
DuckDB DDL and the data dictionary. `python -m schemas.generate` rewrites the generated files;
`tests/unit/test_schemas.py` fails when one of them is stale.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa

from schemas.registry import COLUMN_TYPES, Table
from schemas.tables import REGISTRY, TABLES

ROOT = Path(__file__).resolve().parent.parent
GENERATED = {
    "sql/schema.sql": lambda: ddl(),
    "docs/data-dictionary.md": lambda: data_dictionary(),
}


def columns(table: str) -> list[tuple[str, str, bool, str]]:
    """(name, arrow type name, nullable, description) for each column, in model order."""
    schema = TABLES[table].to_schema()
    return [
        (name, c.metadata["arrow"], bool(c.nullable), c.description or "")
        for name, c in schema.columns.items()
    ]


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema(
        [pa.field(n, COLUMN_TYPES[t].arrow, nullable=nl, metadata={"description": d})
         for n, t, nl, d in columns(table)],
        metadata={"table": table},
    )


# ---------------------------------------------------------------- DuckDB DDL

def ddl() -> str:
    out = [
        "-- GENERATED from schemas/tables.py by `python -m schemas.generate`; do not edit.",
        "-- The tables of the dataset contract as DuckDB DDL, for loading the Parquet",
        "-- files into a database of your own: CREATE TABLE ... then INSERT INTO ... SELECT.",
        "-- Foreign keys are named in comments, not declared: DuckDB checks one as each row",
        "-- is inserted, so a duplicate naming a canonical document further down would fail.",
        "",
    ]
    for table in REGISTRY.values():
        out += _create_table(table) + [""]
    return "\n".join(out)


def _quoted(name: str) -> str:
    """A column name as a DuckDB identifier: quoted, since some are keywords (`end`)."""
    return '"' + name.replace('"', '""') + '"'


def _create_table(table: Table) -> list[str]:
    """CREATE TABLE for one table: its columns, its primary key, foreign keys as comments."""
    refs = table.references()
    items = [(f"{_quoted(n)} {COLUMN_TYPES[t].duckdb}{'' if nl else ' NOT NULL'}",
              f"references {refs[n].table}({refs[n].key})" if n in refs else "")
             for n, t, nl, _ in columns(table.name)]
    if table.primary_key:
        items.append((f"PRIMARY KEY ({', '.join(map(_quoted, table.primary_key))})", ""))
    body = [f"    {text}{',' if i < len(items) - 1 else ''}{f'  -- {note}' if note else ''}"
            for i, (text, note) in enumerate(items)]
    return ["-- " + table.description, f"CREATE TABLE IF NOT EXISTS {table.name} ("] + body + [");"]


# ---------------------------------------------------------------- data dictionary

def data_dictionary() -> str:
    out = [
        "<!-- GENERATED from schemas/tables.py by `python -m schemas.generate`; do not edit. -->",
        "# Data dictionary",
        "",
        "Every table of the dataset, generated from the pandera models that validate it and the",
        "table registry beside them (`schemas/tables.py`). Columns whose description starts with",
        "`extra:` are additions to the contract (`../shared/DATASET.md`); the others are the",
        "contract's own. \"Made by\" names the function whose result becomes the table's rows,",
        "then the functions that feed it or rewrite its columns, in the order they run.",
        "",
    ]
    for table in REGISTRY.values():
        out += _table_section(table)
    return "\n".join(out)


def keys_line(table: Table) -> str:
    """Primary key, sort order and foreign keys of a table, as one Markdown sentence."""
    parts = [f"Primary key `{', '.join(table.primary_key)}`." if table.primary_key else "No primary key.",
             f"Rows are sorted by `{', '.join(table.sort_key)}`."]
    if table.foreign_keys:
        parts.append("References: " + ", ".join(f"`{fk.column}` → `{fk.table}.{fk.key}`"
                                                for fk in table.foreign_keys) + ".")
    return " ".join(parts)


def column_rows(table: str) -> list[str]:
    """The Markdown table of a table's columns."""
    return ["| column | type | nullable | description |", "|---|---|---|---|"] + [
        f"| {n} | {t} | {'yes' if nl else 'no'} | {d} |" for n, t, nl, d in columns(table)]


def _table_section(table: Table) -> list[str]:
    made = f"Made by `{table.made_by}`" + (
        " (with " + ", ".join(f"`{f}`" for f in table.also_by) + ")" if table.also_by else "") + "."
    out = [f"## {table.name}", "", table.description, "", keys_line(table), "", made + " " + table.how, ""]
    out += column_rows(table.name) + [""]
    if table.plover:
        out += ["`plover_type` by `event_type`:", "", "| event_type | plover_type |", "|---|---|"]
        out += [f"| {k} | {v or '(none)'} |" for k, v in table.plover.items()] + [""]
    return out


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
