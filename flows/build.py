"""The Prefect flow `build_dataset`: ingest → clean → deduplicate → annotate →
resolve → validate → write. Tasks are thin wrappers over the stage modules and
work on shards of documents, never one task per document. Only the I/O tasks
(reading inputs, writing outputs) retry. Shard tasks are submitted, so a task
runner can run them in parallel: `task_runner()` gives a Dask one on request.
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
# Tasks pass whole shards: hashing them for Prefect's result cache costs more than the work.
from prefect.cache_policies import NO_CACHE
# Large Python collections go to tasks quoted: Prefect would otherwise walk every
# item looking for futures (seconds per million rows). Arrow tables are opaque anyway.
from prefect.utilities.annotations import quote

from flows import annotate, clean, dedup, incremental, ingest, resolve, shards, state, write
from flows.lock import build_lock
from flows.sources import collect_sources
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
    full: bool = False  # ignore what the previous build remembered
    sources: Path | None = None  # a sources.yaml: folders, JSON lines, feeds, URL lists (replaces `inputs`)
    raw_store: Path | None = None  # where fetched pages are kept; default: the sources file's raw_store
    offline: bool = False  # build from the raw store only, fetch nothing
    allow_private: bool = False  # fetch from private/loopback addresses: for tests on 127.0.0.1 only
    # worker processes for cleaning and annotating; default: one per core, none for a small build
    processes: int | None = int(os.environ["SCO_PROCESSES"]) if os.environ.get("SCO_PROCESSES") else None

    def build_time(self) -> datetime:
        # SOURCE_DATE_EPOCH pins the build time, so rebuilds are reproducible byte for byte.
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        return datetime.now(timezone.utc).replace(microsecond=0)


def task_runner(dask_address: str | None = None, workers: int | None = None):
    """A DaskTaskRunner for an existing cluster (address) or a local one (workers);
    None for Prefect's default. A local cluster uses threads (processes=False): with
    no Prefect server, each worker process would start its own (../shared/STACK.md);
    on a real cluster, point every process at one server with PREFECT_API_URL."""
    if not dask_address and not workers:
        return None
    from prefect_dask import DaskTaskRunner

    if dask_address:
        return DaskTaskRunner(address=dask_address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "processes": False, "threads_per_worker": 1,
                                          "dashboard_address": None})


def _chunks(items: list, n: int) -> list[list]:
    return [items[i:i + n] for i in range(0, len(items), n)] or [[]]


@task(name="discover-inputs", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def discover_inputs(inputs: list[Path]) -> list[ingest.InputFile]:
    missing = [str(p) for p in inputs if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(f"input not found: {', '.join(missing)}")
    return ingest.discover(inputs)


# Between tasks, documents travel as Arrow tables (one per shard); the stage
# functions inside work on their rows.

@task(name="ingest-shard", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest_shard(files: list[ingest.InputFile]) -> tuple[pa.Table, list[dict], list[set[str]]]:
    return shards.run(shards.ingest_files, files)


@task(name="plan", cache_policy=NO_CACHE)
def plan_build(files: list[ingest.InputFile], output: Path, full: bool) -> tuple[state.State, state.Plan, dict]:
    """Hash the inputs and compare them with what the previous build saw."""
    previous = state.State(fingerprint=state.fingerprint()) if full else state.load(output)
    hashes = {f.uri: state.file_sha256(f.path) for f in files}
    return previous, state.plan(previous, hashes), hashes


@task(name="clean-shard", cache_policy=NO_CACHE)
def clean_shard(records: shards.Rows, repeated: dict[str, frozenset]) -> tuple[pa.Table, list[dict]]:
    # made an Arrow table here, not when submitted: only the shards in flight are copied
    return shards.run(shards.clean_records, records.table(), repeated)


@task(name="deduplicate", cache_policy=NO_CACHE)
def deduplicate(docs: shards.Rows, threshold: float, index: dict) -> tuple[dict[str, str], dict]:
    """Exact and near duplicates over all documents: doc_id -> the canonical doc_id, for
    every duplicate. `index` holds the MinHash signatures of documents seen before, so
    only new texts are hashed. Only the mapping travels back, never the texts."""
    index = dict(index)
    marked = dedup.mark_duplicates([dict(d) for d in docs.rows], threshold=threshold, cache=index)
    return {d["doc_id"]: d["duplicate_of"] for d in marked if d["duplicate_of"]}, index


@task(name="annotate-batch", cache_policy=NO_CACHE)
def annotate_batch(docs: shards.Rows) -> annotate.Annotations:
    return shards.run(shards.annotate_docs, docs.table(arrow_schema("documents")))


@task(name="save-state", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def save_state(st: state.State, output: Path) -> None:
    state.save(st, output)


@task(name="resolve", cache_policy=NO_CACHE)
def resolve_all(ann: annotate.Annotations, as_of: date) -> dict[str, list[dict]]:
    return resolve.resolve(ann.mentions, ann.quotes, ann.event_candidates, as_of)


@task(name="validate", cache_policy=NO_CACHE)
def validate_tables(rows: dict[str, list[dict]]):
    return write.validate_rows(rows)


@task(name="write", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def write_outputs(frames, out: Path, summary: dict) -> dict:
    paths = write.publish(frames, summary, out)
    return {"tables": {k: str(paths[k]) for k in frames}, "database": str(paths[write.DB_NAME])}


@flow(name="build_dataset", log_prints=False)
def build_dataset(settings: Settings | None = None) -> dict:
    s = settings or Settings()
    t0 = time.perf_counter()
    built_at = s.build_time()
    with build_lock(s.output):
        collected = (collect_sources(s.sources, s.raw_store, offline=s.offline, allow_private=s.allow_private)
                     if s.sources else None)
        files = discover_inputs(collected.paths if collected else s.inputs)
        previous, plan, hashes = plan_build(files, s.output, s.full)

        with shards.pool(shards.processes_for(_bytes_to_read(files, plan), s.processes)):
            fresh, repeated = ingest_inputs(files, plan, previous, hashes, s)
            inputs = clean_inputs(files, fresh, previous, repeated, s)
            docs = [dict(d) for uri in sorted(inputs) for d in inputs[uri].documents]
            rejects = [dict(r) for uri in sorted(inputs) for r in inputs[uri].rejects]
            canonical_of, minhash = deduplicate(shards.Rows(docs), s.dedup_threshold, quote(previous.minhash))
            for d in docs:
                d["duplicate_of"] = canonical_of.get(d["doc_id"])
            ann, known, keys, n_annotated = annotate_documents(docs, previous, s)
        resolved = resolve_all(quote(ann), s.as_of or built_at.date())

        for r in rejects:
            r["seen_at"] = built_at
        rows = {
            "documents": docs, "countries": resolved["countries"], "figures": resolved["figures"],
            "events": resolved["events"], "mentions": ann.mentions, "quantities": ann.quantities,
            "quotes": ann.quotes, "rejects": rejects,
        }
        frames = validate_tables(quote(rows))

        summary = make_summary(files, docs, rejects, rows, s, built_at, time.perf_counter() - t0, hashes, inputs)
        summary["incremental"] = {
            "new": len(plan.new), "changed": len(plan.changed), "unchanged": len(plan.unchanged),
            "removed": plan.removed, "inputs_read": len(fresh),
            "records_cleaned": sum(i.n_records for i in fresh.values()),
            "documents_annotated": n_annotated,
        }
        if collected:
            summary["sources"] = {"counts": collected.counts, "failures": collected.failures}
        written = write_outputs(quote(frames), s.output, summary)
        save_state(quote(state.State(fingerprint=previous.fingerprint, inputs=inputs,
                               annotations={i: (keys[i], known[i]) for i in known if i in keys},
                               repeated=repeated, minhash=minhash)), s.output)
    return {**summary, **written}


def _bytes_to_read(files: list[ingest.InputFile], plan: state.Plan) -> int:
    to_read = set(plan.to_read)
    return sum(f.path.stat().st_size for f in files if f.uri in to_read)


def ingest_inputs(files, plan: state.Plan, previous: state.State, hashes: dict, s: Settings):
    """Read new and changed inputs; then, when what they add changes the chrome
    counted across a source, that source's unchanged inputs too."""
    to_read, unchanged = set(plan.to_read), set(plan.unchanged)  # once, not per file
    fresh = read_inputs([f for f in files if f.uri in to_read], hashes, s)
    repeated = incremental.repeated_by_group(incremental.group_keys(previous, fresh, set(plan.removed)))

    def chrome_changed(uri: str) -> bool:
        group = previous.inputs[uri].group
        return group is not None and previous.repeated.get(group) != repeated.get(group)

    fresh.update(read_inputs([f for f in files if f.uri in unchanged and chrome_changed(f.uri)], hashes, s))
    return fresh, repeated


def clean_inputs(files, fresh: dict[str, state.InputState], previous: state.State, repeated: dict, s: Settings):
    """Clean what was read, shard by shard; reuse the documents of every other input."""
    futures = [clean_shard.submit(shards.Rows(records), quote(repeated))
               for records in _chunks([r for uri in sorted(fresh) for r in fresh[uri].records], s.shard_files)]
    owner = {r["source_uri"]: uri for uri, inp in fresh.items() for r in inp.records}
    for d, j in (f.result() for f in futures):
        for doc in d.to_pylist():
            fresh[incremental.owner(doc["source_uri"], doc["parent_uri"], owner)].documents.append(doc)
        for r in j:
            fresh[incremental.owner(r["source_uri"], None, owner)].rejects.append(r)
    for inp in fresh.values():  # the raw text is not kept once cleaned: the documents are
        inp.n_records, inp.records = len(inp.records), []
    return {f.uri: fresh.get(f.uri) or previous.inputs[f.uri] for f in files}


def annotate_documents(docs: list[dict], previous: state.State, s: Settings):
    """Annotate the canonical documents whose annotations are not known yet;
    gather everyone's. Returns (annotations, per-document cache, keys, number annotated)."""
    canonical = [d for d in docs if d["duplicate_of"] is None]
    keys = {d["doc_id"]: state.annotation_key(d) for d in docs}
    known = {i: a for i, (k, a) in previous.annotations.items() if keys.get(i) == k}
    todo = [d for d in canonical if d["doc_id"] not in known]
    batches = _chunks(todo, s.annotate_batch)
    futures = [annotate_batch.submit(shards.Rows(b)) for b in batches]
    for batch, fut in zip(batches, futures):
        known.update(incremental.split_by_document(fut.result()))
        known.update({d["doc_id"]: annotate.Annotations() for d in batch if d["doc_id"] not in known})
    return incremental.gather(known, [d["doc_id"] for d in canonical]), known, keys, len(todo)


def read_inputs(files: list[ingest.InputFile], hashes: dict[str, str], s: Settings) -> dict[str, state.InputState]:
    """Ingest these inputs, shard by shard: per input, its records, rejects and chrome line keys."""
    out = {f.uri: state.InputState(sha256=hashes[f.uri], documents=[], rejects=[]) for f in files}
    futures = [ingest_shard.submit(shard) for shard in _chunks(files, s.shard_files) if shard]
    for records, rejects, keys in (f.result() for f in futures):  # in submission order: deterministic
        for rec, rec_keys in zip(records.to_pylist(), keys):
            # a fetched page's record is named by its URL; its input file is its parent
            inp = out[rec["parent_uri"] if rec["parent_uri"] in out else incremental.input_uri(rec["source_uri"])]
            inp.records.append(rec)
            inp.line_keys.append(rec_keys)
            inp.group = clean.source_group(rec)
        for r in rejects:
            out[incremental.input_uri(r["source_uri"])].rejects.append(r)
    return out


def _git_commit() -> str | None:
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def make_summary(files, docs, rejects, rows, s: Settings, built_at: datetime, seconds: float, hashes: dict,
                 inputs: dict[str, state.InputState]) -> dict:
    # every input file must have given documents or rejects: nothing is lost silently
    unaccounted = sorted(uri for uri, inp in inputs.items() if not inp.documents and not inp.rejects)
    return {
        "built_at": built_at.isoformat(),
        "pipeline_version": __import__("flows").__version__,
        "git_commit": _git_commit(),
        "input_sha256": dict(sorted(hashes.items())),
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
