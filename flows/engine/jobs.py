"""The CPU-bound work on one shard (reading, cleaning, annotating), as plain
functions the pool runs in its worker processes. Shards travel to and from the
workers as Arrow tables or files (cheap to pickle).
"""
from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa

from flows import clean, dedup, ingest
from flows.annotate import pipeline as annotate
from flows.engine import docstore, incremental
from flows.engine.state import INPUT  # the input file a record or document came from
from schemas.generate import arrow_schema


class Take:
    """Some rows of an Arrow table, handed to a task as one opaque object and copied
    out (`table()`) only inside the task: only the shards in flight are copied. A
    copy, not a slice: pickling a slice would send its whole table."""

    __slots__ = ("source", "indices", "columns")

    def __init__(self, source: pa.Table | None, indices: list[int] | None = None, columns: list[str] | None = None):
        self.source, self.indices, self.columns = source, indices, columns  # indices None: every row

    def table(self) -> pa.Table:
        if self.source is None:
            return pa.table({})
        t = self.source if self.columns is None else self.source.select(self.columns)
        return t if self.indices is None else t.take(pa.array(self.indices, type=pa.int64()))

    def __reduce__(self):  # sent to another process (a Dask worker): only the rows taken
        return Take, (self.table(), None)


def ingest_files(files: list[ingest.InputFile], work: Path) -> tuple[str | None, list[dict], list[tuple[str, int]]]:
    """Read inputs. Their records go to a file in `work` (to be prepared from there,
    `prepare_records`), each naming its input (INPUT). Returns the records file's name
    (None: no records), the rejects, and per input that gave records: (URI, records).
    All per record stays here: the flow's process gets a few values per input."""
    records, rejects = ingest.read_batch(files)
    uris = {f.uri for f in files}
    owners = []
    for r in records:
        parent = r.get("parent_uri")
        # a fetched page's record is named by its URL; its input file is its parent
        owners.append(parent if parent in uris else incremental.input_uri(r["source_uri"]))
    if not records:
        return None, rejects, []
    per_input = list(Counter(owners).items())  # in the order the inputs were read
    rows = _with_owners(records, owners)
    return docstore.write_records(_record_tables(rows, RAW_RECORD_SCHEMA), work, RAW_RECORD_SCHEMA), rejects, per_input


def _with_owners(records: list[dict], owners: list[str]):
    """Each record with its input, let go of as it is given (not held twice)."""
    for k, (r, o) in enumerate(zip(records, owners)):
        records[k] = None
        yield {**r, INPUT: o}


def prepare_records(path: Path, lo: int, hi: int, work: Path, keys: Path) -> tuple[str, int, list[tuple]]:
    """Prepare records lo..hi of a raw records file, once each (`clean.carry_prepared`):
    they go, with their prepared lines, to a new records file in `work` (cleaning reuses
    the lines), and their chrome line key hashes (for the count across an outlet) to a
    file in `keys`, one span per input and outlet (`clean.source_group`: a file may hold
    many outlets). Shards of records, not whole inputs: one large input is prepared by
    every worker. Returns (the file's name, its rows, [(input, outlet, records, KeysRef)])."""
    rows = docstore.read_rows(path, lo, hi).to_pylist()
    key_arrays: dict[tuple[str, str], list[np.ndarray]] = {}  # per input and outlet, its records' key hashes
    for row in rows:
        key_arrays.setdefault((row[INPUT], clean.source_group(row)), []).append(clean.carry_prepared(row))
    n = len(rows)
    name = docstore.write_records(_record_tables(iter(rows), RECORD_SCHEMA), work, RECORD_SCHEMA)
    del rows
    keys_name, spans = docstore.write_keys([np.concatenate(a) for a in key_arrays.values()], keys)
    return name, n, [(uri, group, len(arrays), (keys_name, k_lo, k_hi))
                     for ((uri, group), arrays), (k_lo, k_hi) in zip(key_arrays.items(), spans)]


RAW_RECORD_SCHEMA = pa.schema([*(pa.field(f, pa.string()) for f in ingest.RECORD_FIELDS), pa.field(INPUT, pa.string())])
RECORD_SCHEMA = RAW_RECORD_SCHEMA.append(pa.field(clean.CARRIED_LINES, pa.list_(pa.string()))).append(
    pa.field(clean.CARRIED_TEXT, pa.string()))
RECORD_CHUNK = 1000  # records made a table at a time


def _record_tables(rows, schema: pa.Schema):
    """Row dicts as tables of RECORD_CHUNK rows, made as they come (a large input's
    records are not held twice)."""
    while chunk := list(itertools.islice(rows, RECORD_CHUNK)):
        yield pa.Table.from_pylist(chunk, schema=schema)
        del chunk


def clean_records(path: Path, lo: int, hi: int, repeated: dict[str, frozenset],
                  texts: Path) -> tuple[pa.Table, str, list[tuple[str, dict]]]:
    """Clean records lo..hi of a records file. The documents' texts go to a file in
    `texts`, with their dedup signatures; returns their meta (every other column,
    with each document's input: `cleaned_schema`), that file's name, and the rejects with
    their input: (URI, reject)."""
    table = docstore.read_rows(path, lo, hi)
    # a document's or reject's input is its record's (a forum post's record is its parent)
    owner_of = dict(zip(table["source_uri"].to_pylist(), table[INPUT].to_pylist()))
    records = table.drop_columns([INPUT]).to_pylist()
    del table
    docs, rejects = clean.clean_batch(records, repeated_by_group=repeated)
    del records
    owners = [incremental.owner(d["source_uri"], d.get("parent_uri"), owner_of) for d in docs]
    rejects = [(incremental.owner(r["source_uri"], None, owner_of), r) for r in rejects]
    table = pa.Table.from_pylist(docs, schema=arrow_schema("documents"))
    for name, column in dedup.signature_columns(docs).items():
        table = table.append_column(name, column)
    del docs
    meta, name = docstore.split_texts(table, texts, also=(dedup.SIGNATURE,))  # read back by dedup alone
    return meta.append_column(INPUT, pa.array(owners, pa.string())), name, rejects


def cleaned_schema() -> pa.Schema:
    """The meta of cleaned documents (`clean_records`): the documents' columns but
    the text, what dedup needs but the signatures, and their input."""
    table = arrow_schema("documents").empty_table()
    for name, column in dedup.signature_columns([]).items():
        table = table.append_column(name, column)
    meta, _ = docstore.split_texts(table, None, also=(dedup.SIGNATURE,))
    return meta.schema.append(pa.field(INPUT, pa.string()))


def annotate_docs(docs: pa.Table) -> annotate.Annotations:
    return annotate.annotate_batch(docs.to_pylist())


def annotate_stored(meta: pa.Table, store: docstore.Store) -> tuple[dict[str, pa.Table], list[dict], list[str]]:
    """Annotate documents whose texts are in `store` (read here, in the worker). Returns
    Arrow tables made here, so the flow's process gets compact tables, not a million
    dicts: (mentions, quantities and quotes by table name, event candidates, the
    doc_ids annotated)."""
    rows = store.documents(meta, arrow_schema("documents").names).to_pylist()
    del meta
    ann = annotate.annotate_batch(rows)
    doc_ids = [d["doc_id"] for d in rows]
    del rows
    tables = {}
    for name in annotate.ANNOTATION_TABLES:
        tables[name] = ann.table(name)
        setattr(ann, name, [])  # one table's rows at a time
    return tables, ann.event_candidates, doc_ids
