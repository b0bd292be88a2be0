"""The table registry's kind: what the project states about each table besides its
columns. The entries, one `Table` per table of the dataset, close `schemas/tables.py`,
beside the pandera models they describe (`schemas.tables.REGISTRY`); everything else
reads them there: the DuckDB DDL, the data dictionary, the writer's sort order, the
release's Frictionless and Croissant metadata and its data card.

This module imports nothing from the project, so both the models and the code
generated from them can use it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa


@dataclass(frozen=True)
class ForeignKey:
    """`column` names a row of `table` by its `key` column."""

    column: str
    table: str
    key: str


@dataclass(frozen=True)
class Table:
    """One table of the dataset.

    made_by: the dotted path of the function whose result becomes the table's rows;
    also_by: functions that feed it (the rows it is built from) or rewrite columns
    after it, in the order they run (a test imports every path, so none goes stale);
    how: how the table is made, in a sentence or two, for readers of the data card;
    across_rows: the model's dataframe checks that compare rows with each other, and
    the columns they read (a table validated in chunks runs them once over every row).
    """

    name: str
    model: type
    sort_key: tuple[str, ...]
    made_by: str
    how: str
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    also_by: tuple[str, ...] = ()
    across_rows: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    # event_type -> PLOVER event type (the events table's `plover_type`): a mapping is
    # no hashable field, so it takes no part in comparing entries
    plover: Mapping[str, str | None] | None = field(default=None, compare=False)

    @property
    def description(self) -> str:
        """The model's docstring, on one line."""
        return re.sub(r"\s+", " ", (self.model.__doc__ or "").strip())

    def references(self) -> dict[str, ForeignKey]:
        """Foreign keys by column."""
        return {fk.column: fk for fk in self.foreign_keys}


@dataclass(frozen=True)
class ColumnType:
    """One column type (the name a model's field gives in `metadata={"arrow": ...}`),
    as each format that describes the tables spells it."""

    arrow: pa.DataType
    duckdb: str
    frictionless: str
    croissant: str


COLUMN_TYPES: dict[str, ColumnType] = {
    "string": ColumnType(pa.string(), "VARCHAR", "string", "sc:Text"),
    "int32": ColumnType(pa.int32(), "INTEGER", "integer", "sc:Integer"),
    "float64": ColumnType(pa.float64(), "DOUBLE", "number", "sc:Float"),
    "bool": ColumnType(pa.bool_(), "BOOLEAN", "boolean", "sc:Boolean"),
    "date32": ColumnType(pa.date32(), "DATE", "date", "sc:Date"),
    # Frictionless has no list of strings: an array; Croissant marks the field `repeated`
    "list<string>": ColumnType(pa.list_(pa.string()), "VARCHAR[]", "array", "sc:Text"),
    "timestamp[us, tz=UTC]": ColumnType(pa.timestamp("us", tz="UTC"), "TIMESTAMPTZ", "datetime", "sc:DateTime"),
}
