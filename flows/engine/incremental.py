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
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from flows import clean
from flows.annotate.pipeline import ANNOTATION_TABLES
from flows.engine import docstore
from flows.engine.docstore import KeysRef
from flows.engine.state import Annotated, InputState, State
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


def group_keys(state: State, fresh: dict[str, InputState], skip: set[str]) -> dict[str, tuple[list[KeysRef], int]]:
    """Per source group (outlet), where the line key hashes of its records are (docstore.KeysRef)
    and how many records: fresh inputs first, then the state's (but not inputs that
    were removed or replaced)."""
    groups: dict[str, tuple[list[KeysRef], list[int]]] = defaultdict(lambda: ([], [0]))
    for uri, inp in [*sorted(fresh.items()),
                     *((u, i) for u, i in sorted(state.inputs.items()) if u not in fresh and u not in skip)]:
        for group, n_records, ref in inp.groups:
            refs, n = groups[group]
            refs.append(ref)
            n[0] += n_records
    return {g: (refs, n[0]) for g, (refs, n) in groups.items()}


def repeated_by_group(groups: dict[str, tuple[list[KeysRef], int]], keys: Path) -> dict[str, frozenset]:
    """Each group's repeated chrome lines, its line keys read from `keys` one group at
    a time (what is held is bounded by the largest source, not the corpus)."""
    out = {}
    for g, (refs, n) in groups.items():
        arrays = [docstore.read_keys(keys, r) for r in refs]
        out[g] = clean.repeated_from_hashes(arrays, n)
        del arrays
    return out


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
