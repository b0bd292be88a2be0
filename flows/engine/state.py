"""What a build remembers between runs, so the next run does only new work.

The state lives in `<output>/.state/state.pkl` (written atomically). It holds,
per input file (by URI): the sha256 of its bytes, the rejects it gave, and where
the hashes of the normalised non-sentence lines of its records are (to recount
chrome that repeats across a source; in files in `.state/keys/`); the documents
of every input, as one Arrow table naming each row's input and its place in
the input's reading order, their texts and MinHash signatures in files beside it
(`.state/texts/`, see docstore.py); per document: its annotations (Arrow tables), under a key of
everything annotation reads (text, title, date, author) — and the whole state
under a fingerprint of the pipeline's code and reference tables, so a change of
either starts from scratch. Documents and annotations stay compact (Arrow, not
Python dicts) in the state and in the flow's process.

Incremental results equal a full rebuild: documents come from the same
functions on the same inputs; deduplication and resolution are recomputed over
all documents each run (they are cheap and global); only cleaning and
annotation are cached, and a cached result is used only when its key matches.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from flows.annotate.pipeline import ANNOTATION_TABLES
from flows.engine.docstore import KEYS_DIR, TEXTS_DIR, KeysRef, Store
from flows.paths import ROOT

STATE_DIR = ".state"
STATE_FILE = "state.pkl"
FORMAT = 6  # 6: the restructure into stage packages (pickles name module paths)


# Modules and packages (paths under flows/) that cannot change what is cached
# (documents, annotations, signatures): editing them keeps the state. Every other
# module counts, in any sub-package, new ones included.
NOT_CACHED = ("cli.py", "serve.py", "engine/lock.py", "publish/", "release/", "report/",
              "sources/config.py", "sources/collector.py", "sources/feeds.py")


def fingerprint() -> str:
    """sha256 over the code that makes cached results and the reference tables:
    a change of either invalidates every cached result."""
    h = hashlib.sha256(f"state-format-{FORMAT}".encode())
    # (word lists are code too: flows/annotate/lexicon/*.txt)
    for folder, pattern in ((ROOT / "flows", "*.py"), (ROOT / "flows", "*.txt"), (ROOT / "schemas", "*.py"),
                            (ROOT / "seeds" / "reference", "*.csv")):
        for p in sorted(folder.rglob(pattern)):
            name = p.relative_to(folder).as_posix()
            if folder.name == "flows" and name.startswith(NOT_CACHED):
                continue
            h.update(name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def annotation_key(doc: dict) -> str:
    """Everything annotation reads from a document."""
    parts = [doc["content_sha256"], doc.get("title") or "", str(doc.get("published_date") or ""),
             doc.get("author") or "", doc["language"]]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


INPUT = "_input"  # the state's documents table's extra column: the input each document came from


@dataclass
class InputState:
    sha256: str
    rejects: list[dict]
    # where its records' chrome line key hashes (clean.line_key_hashes) are, joined (docstore.read_keys):
    # to count chrome across a source
    line_keys: KeysRef | None = None
    group: str | None = None
    n_documents: int = 0  # how many documents it gave (they are in State.documents)
    n_records: int = 0  # how many records the last read gave


def _keep_rows(table: pa.Table, column: str, values) -> pa.Table:
    """The rows of `table` whose `column` is one of `values` (a copy: never a slice,
    which would pickle its whole table)."""
    return table.filter(pc.is_in(table[column], value_set=pa.array(sorted(values), pa.string())))


@dataclass
class Annotated:
    """The annotations of documents, by document, compactly: per table (mentions,
    quantities, quotes) Arrow tables with a doc_id column, a document's rows
    contiguous and in annotation order; event candidates as dicts, by document."""

    keys: dict[str, str] = field(default_factory=dict)  # doc_id -> annotation key, every annotated document
    tables: dict[str, list[pa.Table]] = field(default_factory=lambda: {n: [] for n in ANNOTATION_TABLES})
    candidates: dict[str, list[dict]] = field(default_factory=dict)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self.keys

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, tables: dict[str, pa.Table], candidates: list[dict], keys: dict[str, str]) -> None:
        """One batch's annotations; `keys`: the annotation key of every document annotated."""
        self.keys.update(keys)
        for name in ANNOTATION_TABLES:
            if tables[name].num_rows:
                self.tables[name].append(tables[name])
        for c in candidates:
            self.candidates.setdefault(str(c["doc_id"]), []).append(c)

    def matching(self, keys: dict[str, str]) -> "Annotated":
        """The annotations still valid for documents with these annotation keys."""
        keep = {i for i, k in self.keys.items() if keys.get(i) == k}
        out = Annotated(keys={i: k for i, k in self.keys.items() if i in keep},
                        candidates={i: c for i, c in self.candidates.items() if i in keep})
        for name in ANNOTATION_TABLES:
            kept = [t for t in (_keep_rows(t, "doc_id", keep) for t in self.tables[name]) if t.num_rows]
            out.tables[name] = kept
        return out

    def compact(self) -> "Annotated":
        """One table per name (fewer objects to pickle and to hold)."""
        for name in ANNOTATION_TABLES:
            if len(self.tables[name]) > 16:
                self.tables[name] = [pa.concat_tables(self.tables[name]).combine_chunks()]
        return self


@dataclass
class State:
    fingerprint: str = ""
    inputs: dict[str, InputState] = field(default_factory=dict)
    documents: pa.Table | None = None  # every input's documents but their texts (docstore), with an INPUT column
    texts: list[str] = field(default_factory=list)  # the files in STATE_DIR/texts holding their texts
    annotations: Annotated = field(default_factory=Annotated)
    repeated: dict[str, frozenset] = field(default_factory=dict)  # source group -> repeated chrome lines used

    def key_files(self) -> set[str]:
        """The files in STATE_DIR/keys holding its inputs' line key hashes."""
        return {inp.line_keys[0] for inp in self.inputs.values() if inp.line_keys}


def load(output: Path) -> State:
    path = output / STATE_DIR / STATE_FILE
    fp = fingerprint()
    if not path.exists():
        return State(fingerprint=fp)
    try:
        with open(path, "rb") as f:
            state = pickle.load(f)
    except Exception:  # a damaged state costs a full rebuild, never a wrong one
        return State(fingerprint=fp)
    if not isinstance(state, State) or state.fingerprint != fp:
        return State(fingerprint=fp)
    if not Store(output / STATE_DIR / TEXTS_DIR, state.texts).exists() or \
            not all((output / STATE_DIR / KEYS_DIR / f).exists() for f in state.key_files()):
        return State(fingerprint=fp)  # texts or line keys lost: start afresh
    return state


def save(state: State, output: Path) -> Path:
    folder = output / STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / STATE_FILE
    tmp = folder / f".{STATE_FILE}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


@dataclass
class Plan:
    new: list[str]
    changed: list[str]
    unchanged: list[str]
    removed: list[str]

    @property
    def to_read(self) -> list[str]:
        return sorted(self.new + self.changed)


def plan(state: State, hashes: dict[str, str]) -> Plan:
    """Which inputs are new, changed (same URI, new bytes), unchanged or removed."""
    new, changed, unchanged = [], [], []
    for uri, sha in sorted(hashes.items()):
        old = state.inputs.get(uri)
        if old is None:
            new.append(uri)
        elif old.sha256 != sha:
            changed.append(uri)
        else:
            unchanged.append(uri)
    removed = sorted(set(state.inputs) - set(hashes))
    return Plan(new, changed, unchanged, removed)
