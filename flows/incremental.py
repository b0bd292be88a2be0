"""The bookkeeping that lets a build reuse the previous one's work (see state.py).

Cleaning a record depends on one thing beyond the record: the chrome lines
repeated across its source (`clean.repeated_lines`). Those are counted from the
normalised lines of every record of the source, kept in the state, so a run
that reads ten new records still counts them against all the others; and when
the count changes what is chrome for a source, that source's unchanged inputs
are cleaned again. Everything else about a document comes from its own input.
"""
from __future__ import annotations

from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from flows import clean
from flows.annotate import ANNOTATION_TABLES
from flows.state import Annotated, InputState, State
from schemas.generate import arrow_schema


def input_uri(source_uri: str) -> str:
    """The input file a document or reject came from."""
    return source_uri.split("#", 1)[0]


def owner(source_uri: str, parent_uri: str | None, records_of: dict[str, str]) -> str:
    """The input file a cleaned document or reject came from: its record's input
    (a forum post's record is its parent; a fetched page's record is its URL)."""
    for key in (source_uri, parent_uri, source_uri.rsplit("#", 1)[0]):
        if key in records_of:
            return records_of[key]
    return input_uri(source_uri)


def line_keys(raw: str) -> set[str]:
    """A raw record's chrome line keys (counted like `clean.repeated_lines` counts them)."""
    return clean.line_keys(raw.split("\n"))


def group_keys(state: State, fresh: dict[str, InputState], skip: set[str]) -> dict[str, list[set[str]]]:
    """Per source group, the line keys of every record: fresh inputs first, then
    the state's (but not inputs that were removed or replaced)."""
    groups: dict[str, list[set[str]]] = defaultdict(list)
    for uri, inp in sorted(fresh.items()):
        if inp.group is not None:
            groups[inp.group].extend(inp.line_keys)
    for uri, inp in sorted(state.inputs.items()):
        if uri not in fresh and uri not in skip and inp.group is not None:
            groups[inp.group].extend(inp.line_keys)
    return groups


def repeated_by_group(groups: dict[str, list[set[str]]]) -> dict[str, frozenset]:
    return {g: frozenset(clean.repeated_from_keys(keysets)) for g, keysets in groups.items()}


def gather_annotated(store: Annotated, doc_ids: list[str]) -> tuple[dict[str, pa.Table], list[dict]]:
    """The annotations of these documents: per table, the rows of these documents by
    doc_id (a document's rows in their order: the sort is stable), and fresh copies
    of their event candidates (resolve rewrites them in place)."""
    ids = set(doc_ids)
    tables = {}
    for name in ANNOTATION_TABLES:
        parts = [t.filter(pc.is_in(t["doc_id"], value_set=pa.array(sorted(ids), pa.string())))
                 for t in store.tables[name]]
        parts = [t for t in parts if t.num_rows]
        if not parts:
            tables[name] = arrow_schema(name).empty_table()
            continue
        t = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
        del parts
        tables[name] = t.take(pc.sort_indices(t, sort_keys=[("doc_id", "ascending")]))
    candidates = [{k: (list(v) if isinstance(v, list) else v) for k, v in c.items()}
                  for doc_id in sorted(ids) for c in store.candidates.get(doc_id, ())]
    return tables, candidates


class _Lazy(dict):
    """A document's fields for deduplication, its text read from the Arrow table only
    when asked for (and not kept): every text at once as Python strings costs more
    than all the rest of the flow's memory."""

    __slots__ = ("_texts", "_i")

    def __missing__(self, key):
        if key == "text":
            return self._texts[self._i].as_py()
        raise KeyError(key)

    def get(self, key, default=None):
        if key == "text":
            return self["text"]
        return super().get(key, default)


def dedup_rows(docs: pa.Table) -> list[dict]:
    """The documents as dicts for dedup: every column but `text`, read lazily."""
    names = [n for n in docs.column_names if n != "text" and not n.startswith("_")]
    texts = docs["text"]
    rows = []
    for i, r in enumerate(docs.select(names).to_pylist()):
        d = _Lazy(r)
        d._texts, d._i = texts, i
        rows.append(d)
    return rows
