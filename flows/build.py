"""The Prefect flow `build_dataset`: ingest → clean → deduplicate → annotate →
resolve → validate → write. Tasks are thin wrappers over the stage modules and
work on shards of documents, never one task per document. Only the I/O tasks
(reading inputs, writing outputs) retry.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
from prefect import flow, task

from flows import annotate, clean, dedup, ingest, resolve, write
from schemas.generate import arrow_schema

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Settings:
    """Everything a build can be told, in one place (CLI flags and SCO_* variables)."""

    inputs: list[Path] = field(default_factory=lambda: [ROOT / "seeds" / "documents"])
    output: Path = ROOT / "output"
    shard_files: int = int(os.environ.get("SCO_SHARD_FILES", "500"))
    annotate_batch: int = int(os.environ.get("SCO_ANNOTATE_BATCH", "2000"))
    dedup_threshold: float = float(os.environ.get("SCO_DEDUP_THRESHOLD", str(dedup.THRESHOLD)))
    as_of: date | None = None  # the date SCO statuses are read at; default: the build's date

    def build_time(self) -> datetime:
        # SOURCE_DATE_EPOCH pins the build time, so rebuilds are reproducible byte for byte.
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        return datetime.now(timezone.utc).replace(microsecond=0)


def _chunks(items: list, n: int) -> list[list]:
    return [items[i:i + n] for i in range(0, len(items), n)] or [[]]


@task(name="discover-inputs", retries=2, retry_delay_seconds=1)
def discover_inputs(inputs: list[Path]) -> list[ingest.InputFile]:
    missing = [str(p) for p in inputs if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(f"input not found: {', '.join(missing)}")
    return ingest.discover(inputs)


# Between tasks, documents travel as Arrow tables (one per shard); the stage
# functions inside work on their rows.

@task(name="ingest-shard", retries=2, retry_delay_seconds=1)
def ingest_shard(files: list[ingest.InputFile]) -> tuple[pa.Table, list[dict]]:
    records, rejects = ingest.read_batch(files)
    return pa.Table.from_pylist(records), rejects


@task(name="clean-shard")
def clean_shard(records: pa.Table) -> tuple[pa.Table, list[dict]]:
    docs, rejects = clean.clean_batch(records.to_pylist())
    return pa.Table.from_pylist(docs, schema=arrow_schema("documents")), rejects


@task(name="deduplicate")
def deduplicate(docs: pa.Table, threshold: float) -> pa.Table:
    rows = dedup.mark_duplicates(docs.to_pylist(), threshold=threshold)
    return pa.Table.from_pylist(rows, schema=arrow_schema("documents"))


@task(name="annotate-batch")
def annotate_batch(docs: pa.Table) -> annotate.Annotations:
    return annotate.annotate_batch(docs.to_pylist())


@task(name="resolve")
def resolve_all(ann: annotate.Annotations, as_of: date) -> dict[str, list[dict]]:
    return resolve.resolve(ann.mentions, ann.quotes, ann.event_candidates, as_of)


@task(name="validate")
def validate_tables(rows: dict[str, list[dict]]):
    return write.validate({name: write.to_frame(name, r) for name, r in rows.items()})


@task(name="write", retries=2, retry_delay_seconds=1)
def write_outputs(frames, out: Path, summary: dict) -> dict:
    paths = write.publish(frames, summary, out)
    return {"tables": {k: str(paths[f"{k}.parquet"]) for k in frames}, "database": str(paths[write.DB_NAME])}


@flow(name="build_dataset", log_prints=False)
def build_dataset(settings: Settings | None = None) -> dict:
    s = settings or Settings()
    t0 = time.perf_counter()
    built_at = s.build_time()
    as_of = s.as_of or built_at.date()

    files = discover_inputs(s.inputs)
    raw_shards, rejects = [], []
    for shard in _chunks(files, s.shard_files):
        r, j = ingest_shard(shard)
        raw_shards.append(r)
        rejects += j
    n_records = sum(t.num_rows for t in raw_shards)

    doc_shards = []
    for raw in raw_shards:
        for i in range(0, max(raw.num_rows, 1), s.shard_files):
            d, j = clean_shard(raw.slice(i, s.shard_files))
            doc_shards.append(d)
            rejects += j

    docs_table = deduplicate(pa.concat_tables(doc_shards), s.dedup_threshold)

    ann = annotate.Annotations()
    canonical = docs_table.filter(pa.compute.is_null(docs_table["duplicate_of"]))
    for i in range(0, canonical.num_rows, s.annotate_batch):
        ann.extend(annotate_batch(canonical.slice(i, s.annotate_batch)))
    docs = docs_table.to_pylist()

    resolved = resolve_all(ann, as_of)

    for r in rejects:
        r["seen_at"] = built_at
    rows = {
        "documents": docs, "countries": resolved["countries"], "figures": resolved["figures"],
        "events": resolved["events"], "mentions": ann.mentions, "quantities": ann.quantities,
        "quotes": ann.quotes, "rejects": rejects,
    }
    frames = validate_tables(rows)

    summary = make_summary(files, n_records, docs, rejects, rows, s, built_at, time.perf_counter() - t0)
    written = write_outputs(frames, s.output, summary)
    return {**summary, **written}


def make_summary(files, n_records: int, docs, rejects, rows, s: Settings, built_at: datetime, seconds: float) -> dict:
    produced = {d["parent_uri"] or d["source_uri"] for d in docs} | {d["source_uri"].split("#")[0] for d in docs}
    rejected = {r["source_uri"].split("#")[0] for r in rejects}
    unaccounted = sorted(f.uri for f in files if f.uri not in produced and f.uri not in rejected)
    import hashlib

    return {
        "built_at": built_at.isoformat(),
        "pipeline_version": __import__("flows").__version__,
        "input_sha256": {f.uri: hashlib.sha256(f.path.read_bytes()).hexdigest() for f in files},
        "inputs": [str(p) for p in s.inputs],
        "output": str(s.output),
        "input_files": len(files),
        "input_files_unaccounted": unaccounted,
        "records": n_records,
        "read": len(docs) + len(rejects),  # every unit read is a document or a reject
        "documents": len(docs),
        "documents_canonical": sum(1 for d in docs if d["duplicate_of"] is None),
        "documents_duplicate": sum(1 for d in docs if d["duplicate_of"] is not None),
        "rejects": len(rejects),
        "rows": {name: len(r) for name, r in rows.items()},
        "seconds": round(seconds, 2),
    }
