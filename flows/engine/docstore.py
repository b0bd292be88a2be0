"""Documents on disk: the texts of a build's documents live in Arrow IPC files
(one per cleaning shard), every other column in memory.

The texts are most of a corpus's bytes, and every stage but annotation and the
final write needs none of them: deduplication has its signatures, resolution its
annotations. So a cleaning shard writes its documents' texts to a file of its own,
with their MinHash signatures (512 bytes a document, needed by dedup alone), and
returns the rest (the meta: every other column, plus where the text is).
Annotation and the write read the texts back a batch at a time, memory-mapped,
and dedup the signatures (`Store.matrix`), so the memory a build needs is bounded
by its batches, not by its corpus.

The files live in `<output>/.state/texts/` and outlast the build: the next
incremental build reuses the documents of unchanged inputs, texts included,
without cleaning them again. `Store.remove_unused` removes the files no state
points at. Raw records wait for cleaning in `<output>/.state/work/`, removed
after it.

The chrome line key hashes of every input's records (what counts chrome across a
source, see clean.carry_prepared) are as many bytes again as the documents' meta:
they too stay on disk, in `<output>/.state/keys/`, one file per prepare shard
(`write_keys`), and are read back a source at a time (`read_keys`).
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TEXT = "text"
FILE, ROW = "_file", "_row"  # where a row's text is: the index of its file in `Store.files`, its row there
TEXT_BYTES = "_text_bytes"  # the UTF-8 size of the text: batches are cut by it
TEXTS_DIR, WORK_DIR, KEYS_DIR = "texts", "work", "keys"
BATCH_TEXT_BYTES = 64 << 20  # text read back at a time: the default of config.Settings.batch_text_bytes


def _write_ipc(tables, folder: Path, prefix: str, schema: pa.Schema | None = None) -> str:
    """A table (or the tables an iterable gives, of `schema`) to a new IPC file in
    `folder`, written under a temporary name then renamed; returns the file's name."""
    if isinstance(tables, pa.Table):
        tables, schema = [tables], tables.schema
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{prefix}-{uuid.uuid4().hex}.arrow"
    tmp = folder / f".{name}.tmp"
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for table in tables:
            writer.write_table(table)
    os.replace(tmp, folder / name)
    return name


def write_records(tables, folder: Path, schema: pa.Schema) -> str:
    """Raw records waiting to be cleaned (tables of `schema`, written as they come)."""
    return _write_ipc(tables, folder, "records", schema)


def read_rows(path: Path, lo: int = 0, hi: int | None = None) -> pa.Table:
    """Rows lo..hi of an IPC file, read through a memory map: only the pages of these
    rows are read (the caller makes them Python rows at once)."""
    with pa.memory_map(str(path)) as source:
        t = pa.ipc.open_file(source).read_all()
        t = t.slice(lo, (hi if hi is not None else t.num_rows) - lo)
        return pa.concat_tables([t]).combine_chunks() if t.num_rows else t.schema.empty_table()


def split_texts(docs: pa.Table, folder: Path | None, also: tuple[str, ...] = ()) -> tuple[pa.Table, str]:
    """A cleaned shard's documents -> (their meta: every column but the text and the
    columns `also` kept beside it, with the text's row and size; the name of the
    file holding those). No folder: the meta alone (for its schema)."""
    kept = [TEXT, *also]
    name = _write_ipc(docs.select(kept), folder, "texts") if folder is not None else ""
    meta = docs.drop_columns(kept)
    meta = meta.append_column(ROW, pa.array(np.arange(docs.num_rows, dtype=np.int32)))
    meta = meta.append_column(TEXT_BYTES, pc.binary_length(docs[TEXT].cast(pa.binary())).cast(pa.int64()))
    return meta, name


class Store:
    """Where texts are: a folder and its files (a meta table's FILE column indexes `files`);
    `batch_bytes`: about how much text `batches` reads back at a time."""

    def __init__(self, folder: Path, files: list[str] | None = None, batch_bytes: int = BATCH_TEXT_BYTES):
        self.folder, self.files, self.batch_bytes = Path(folder), list(files or []), batch_bytes

    def texts(self, meta: pa.Table) -> pa.Array:
        """The texts of these meta rows, in their order."""
        if not meta.num_rows:
            return pa.array([], pa.string())
        pieces, where = [], []
        for f, at, rows in self._by_file(meta):
            with pa.memory_map(str(self.folder / self.files[f])) as source:
                column = pa.ipc.open_file(source).read_all()[TEXT]
                pieces.append(column.take(pa.array(rows, pa.int64())).combine_chunks())  # a copy
            where.append(at)
        out = pa.concat_arrays(pieces)
        return out.take(pa.array(np.argsort(np.concatenate(where), kind="stable"), pa.int64()))

    def matrix(self, meta: pa.Table, name: str, dtype, width: int) -> np.ndarray:
        """A fixed-size list column kept beside the texts, as one numpy matrix (a row per
        meta row, in order), filled a file at a time: never two copies of it."""
        out = np.empty((meta.num_rows, width), dtype=dtype)
        for f, at, rows in self._by_file(meta) if meta.num_rows else ():
            with pa.memory_map(str(self.folder / self.files[f])) as source:
                column = pa.ipc.open_file(source).read_all()[name].combine_chunks()
                out[at] = column.values.to_numpy().reshape(len(column), width)[rows]
        return out

    def _by_file(self, meta: pa.Table):
        """(file, positions in meta, rows in the file) for each file the rows are in."""
        files, rows = meta[FILE].to_numpy(), meta[ROW].to_numpy()
        order = np.argsort(files, kind="stable")
        bounds = np.flatnonzero(np.r_[True, files[order][1:] != files[order][:-1], True])
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            at = order[lo:hi]
            yield int(files[at[0]]), at, rows[at]

    def documents(self, meta: pa.Table, columns: list[str]) -> pa.Table:
        """These meta rows with their texts: the table's `columns`, in that order."""
        text = self.texts(meta)
        return pa.table({c: (text if c == TEXT else meta[c]) for c in columns})

    def batches(self, meta: pa.Table, max_bytes: int | None = None):
        """Consecutive slices of `meta` holding about `max_bytes` (the store's batch_bytes) of text each."""
        max_bytes = max_bytes or self.batch_bytes
        sizes = meta[TEXT_BYTES].to_numpy() if meta.num_rows else []
        lo, acc = 0, 0
        for i, size in enumerate(sizes):
            acc += int(size)
            if acc >= max_bytes:
                yield meta.slice(lo, i + 1 - lo)
                lo, acc = i + 1, 0
        if lo < meta.num_rows:
            yield meta.slice(lo)

    def merged(self, other: "Store", meta: pa.Table) -> tuple["Store", pa.Table]:
        """This store with `other`'s files added after its own, and `meta` (rows of
        `other`) pointing at them there."""
        store = Store(self.folder, self.files + other.files, self.batch_bytes)
        shifted = pc.add(meta[FILE], pa.scalar(len(self.files), pa.int32()))
        return store, meta.set_column(meta.schema.get_field_index(FILE), FILE, shifted)

    def compact(self, meta: pa.Table) -> tuple["Store", pa.Table]:
        """The store of only the files `meta` points at, and `meta` renumbered to it."""
        used = np.unique(meta[FILE].to_numpy()).tolist() if meta.num_rows else []
        if meta.num_rows:
            renumber = np.zeros(max(used) + 1, dtype=np.int32)
            renumber[used] = np.arange(len(used), dtype=np.int32)
            column = pa.array(renumber[meta[FILE].to_numpy()], pa.int32())
            meta = meta.set_column(meta.schema.get_field_index(FILE), FILE, column)
        return Store(self.folder, [self.files[i] for i in used], self.batch_bytes), meta

    def remove_unused(self) -> None:
        """Delete the folder's files this store does not hold (an earlier build's, a
        killed one's): once the state that pointed at them is replaced."""
        remove_unused(self.folder, self.files)

    def exists(self) -> bool:
        return all((self.folder / f).exists() for f in self.files)


def remove_unused(folder: Path, keep) -> None:
    """Delete the files in `folder` not named in `keep`, and leftover temporary files."""
    keep = set(keep)
    for p in [*Path(folder).glob("*.arrow"), *Path(folder).glob("*.u64"), *Path(folder).glob(".*.tmp")]:
        if p.name not in keep:
            p.unlink(missing_ok=True)


KeysRef = tuple  # (file name, lo, hi): an input's line key hashes, rows lo..hi of a keys file


def write_keys(arrays: list[np.ndarray], folder: Path) -> tuple[str, list[tuple[int, int]]]:
    """Arrays of line key hashes (one per input) to one new file of little-endian
    uint64 in `folder` (temporary name, then renamed); returns its name and each
    array's (lo, hi) in it."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"keys-{uuid.uuid4().hex}.u64"
    tmp = folder / f".{name}.tmp"
    joined = np.concatenate(arrays) if arrays else np.empty(0, np.uint64)
    joined.astype("<u8", copy=False).tofile(tmp)
    os.replace(tmp, folder / name)
    ends = np.cumsum([len(a) for a in arrays]).tolist()
    return name, list(zip([0, *ends[:-1]], ends))


def read_keys(folder: Path, ref: KeysRef | None) -> np.ndarray:
    """An input's line key hashes, read back (only its rows of the file)."""
    if not ref:
        return np.empty(0, np.uint64)
    name, lo, hi = ref
    return np.fromfile(Path(folder) / name, dtype="<u8", count=hi - lo, offset=8 * lo).astype(np.uint64, copy=False)


def clear_work(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


class Stored:
    """A documents table whose texts are in a store: what validation and the write
    read a batch at a time. `meta` in the order the rows are written."""

    def __init__(self, meta: pa.Table, store: Store, columns: list[str]):
        self.meta, self.store, self.columns = meta, store, columns

    @property
    def num_rows(self) -> int:
        return self.meta.num_rows

    @property
    def nbytes(self) -> int:
        return self.meta.nbytes + (pc.sum(self.meta[TEXT_BYTES]).as_py() or 0 if self.meta.num_rows else 0)

    def column(self, name: str):
        return self.meta[name]

    def without_texts(self, lo: int = 0, n: int | None = None) -> pa.Table:
        """Rows lo..lo+n with every column but the text, which is given as empty strings
        (to validate all else without reading the texts)."""
        meta = self.meta.slice(lo, n)
        return meta.append_column(TEXT, pa.array([""] * meta.num_rows, pa.string()))

    def filter(self, mask) -> "Stored":
        return Stored(self.meta.filter(mask), self.store, self.columns)

    def take(self, indices) -> "Stored":
        return Stored(self.meta.take(indices), self.store, self.columns)

    def batches(self):
        """The rows with their texts, in `columns`, about the store's batch_bytes of text at a time."""
        for part in self.store.batches(self.meta):
            yield self.store.documents(part, self.columns)
