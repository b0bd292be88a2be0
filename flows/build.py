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

from prefect import flow, task

from flows import annotate, clean, dedup, ingest, resolve, write

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


@task(name="ingest-shard", retries=2, retry_delay_seconds=1)
def ingest_shard(files: list[ingest.InputFile]) -> tuple[list[dict], list[dict]]:
    return ingest.read_batch(files)


@task(name="clean-shard")
def clean_shard(records: list[dict]) -> tuple[list[dict], list[dict]]:
    return clean.clean_batch(records)


@task(name="deduplicate")
def deduplicate(docs: list[dict], threshold: float) -> list[dict]:
    return dedup.mark_duplicates(docs, threshold=threshold)


@task(name="annotate-batch")
def annotate_batch(docs: list[dict]) -> annotate.Annotations:
    return annotate.annotate_batch(docs)


@task(name="resolve")
def resolve_all(ann: annotate.Annotations, as_of: date) -> dict[str, list[dict]]:
    return resolve.resolve(ann.mentions, ann.quotes, ann.event_candidates, as_of)


@task(name="validate")
def validate_tables(rows: dict[str, list[dict]]):
    return write.validate({name: write.to_frame(name, r) for name, r in rows.items()})


@task(name="write", retries=2, retry_delay_seconds=1)
def write_outputs(frames, out: Path, summary: dict) -> dict:
    paths = write.write_tables(frames, out)
    db = write.build_database(out, list(frames))
    write.write_summary(summary, out)
    return {"tables": {k: str(v) for k, v in paths.items()}, "database": str(db)}


@flow(name="build_dataset", log_prints=False)
def build_dataset(settings: Settings | None = None) -> dict:
    s = settings or Settings()
    t0 = time.perf_counter()
    built_at = s.build_time()
    as_of = s.as_of or built_at.date()

    files = discover_inputs(s.inputs)
    records, rejects = [], []
    for shard in _chunks(files, s.shard_files):
        r, j = ingest_shard(shard)
        records += r
        rejects += j

    docs = []
    for shard in _chunks(records, s.shard_files):
        d, j = clean_shard(shard)
        docs += d
        rejects += j

    docs = deduplicate(docs, s.dedup_threshold)

    ann = annotate.Annotations()
    canonical = [d for d in docs if d["duplicate_of"] is None]
    for batch in _chunks(canonical, s.annotate_batch):
        ann.extend(annotate_batch(batch))

    resolved = resolve_all(ann, as_of)

    for r in rejects:
        r["seen_at"] = built_at
    rows = {
        "documents": docs, "countries": resolved["countries"], "figures": resolved["figures"],
        "events": resolved["events"], "mentions": ann.mentions, "quantities": ann.quantities,
        "quotes": ann.quotes, "rejects": rejects,
    }
    frames = validate_tables(rows)

    summary = make_summary(files, records, docs, rejects, rows, s, built_at, time.perf_counter() - t0)
    written = write_outputs(frames, s.output, summary)
    return {**summary, **written}


def make_summary(files, records, docs, rejects, rows, s: Settings, built_at: datetime, seconds: float) -> dict:
    produced = {d["parent_uri"] or d["source_uri"] for d in docs} | {d["source_uri"].split("#")[0] for d in docs}
    rejected = {r["source_uri"].split("#")[0] for r in rejects}
    unaccounted = sorted(f.uri for f in files if f.uri not in produced and f.uri not in rejected)
    return {
        "built_at": built_at.isoformat(),
        "inputs": [str(p) for p in s.inputs],
        "output": str(s.output),
        "input_files": len(files),
        "input_files_unaccounted": unaccounted,
        "read": len(docs) + len(rejects),  # every unit read is a document or a reject
        "documents": len(docs),
        "documents_canonical": sum(1 for d in docs if d["duplicate_of"] is None),
        "documents_duplicate": sum(1 for d in docs if d["duplicate_of"] is not None),
        "rejects": len(rejects),
        "rows": {name: len(r) for name, r in rows.items()},
        "seconds": round(seconds, 2),
    }
