"""Every Prefect task of the flow, in one place. Tasks are thin wrappers over the
stage packages and the engine, and work on shards of documents, never one task
per document. Only the I/O tasks (reading inputs, writing outputs) retry.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
from prefect import task

# Tasks pass whole shards: hashing them for Prefect's result cache costs more than the work.
from prefect.cache_policies import NO_CACHE

# Large Python collections go to tasks quoted: Prefect would otherwise walk every
# item looking for futures (seconds per million rows). Arrow tables are opaque anyway.
from flows import dedup, ingest, publish, resolve
from flows.core.hashing import file_sha256
from flows.engine import docstore, jobs, pool, state
from flows.sources.collector import Collected, collect
from flows.sources.config import DEFAULT_SOURCES_FILE, read_config
from flows.sources.fetch import RETRY_DELAYS, FetchOptions, FetchResult, fetch_url, options_with, user_agent


@task(name="discover-inputs", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def discover_inputs(inputs: list[Path]) -> list[ingest.InputFile]:
    missing = [str(p) for p in inputs if not Path(p).exists()]
    if missing:
        raise FileNotFoundError(f"input not found: {', '.join(missing)}")
    return ingest.discover(inputs)


# Between tasks, documents travel as Arrow tables (one per shard); the stage
# functions inside work on their rows.

@task(name="ingest-shard", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest_shard(files: list[ingest.InputFile], work: Path) -> tuple[str | None, list[dict], list[tuple]]:
    return pool.run(jobs.ingest_files, files, work)


@task(name="prepare-shard", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def prepare_shard(records: Path, lo: int, hi: int, work: Path, keys: Path) -> tuple[str, int, list[tuple]]:
    return pool.run(jobs.prepare_records, records, lo, hi, work, keys)


@task(name="plan", cache_policy=NO_CACHE)
def plan_build(files: list[ingest.InputFile], output: Path, full: bool) -> tuple[state.State, state.Plan, dict]:
    """Hash the inputs and compare them with what the previous build saw."""
    previous = state.State(fingerprint=state.fingerprint()) if full else state.load(output)
    hashes = {f.uri: file_sha256(f.path) for f in files}
    return previous, state.plan(previous, hashes), hashes


@task(name="clean-shard", cache_policy=NO_CACHE)
def clean_shard(records: Path, lo: int, hi: int, repeated: dict[str, frozenset], texts: Path) -> tuple[pa.Table, str, list[tuple[str, dict]]]:
    return pool.run(jobs.clean_records, records, lo, hi, repeated, texts)


@task(name="deduplicate", cache_policy=NO_CACHE)
def deduplicate(docs: pa.Table, store: docstore.Store, threshold: float) -> dict[str, pa.Array]:
    """Exact, near and update duplicates over all documents: the `duplicate_of`,
    `duplicate_kind` and `duplicate_similarity` columns. From the signatures the cleaning shards
    made and kept beside the texts (read back here, and only here): no text is read."""
    where = docs.select([docstore.FILE, docstore.ROW])

    def signatures(rows: np.ndarray | None) -> np.ndarray:
        return store.matrix(where if rows is None else where.take(pa.array(rows)), dedup.SIGNATURE,
                            np.uint32, dedup.NUM_PERM)

    return dedup.duplicate_columns(docs, threshold, signatures)


@task(name="annotate-batch", cache_policy=NO_CACHE)
def annotate_batch(docs: jobs.Take, store: docstore.Store) -> tuple[dict[str, pa.Table], list[dict], list[str]]:
    # the texts are read in the worker; annotations come back as Arrow tables, made there
    return pool.run(jobs.annotate_stored, docs, store)


@task(name="save-state", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def save_state(st: state.State, output: Path) -> None:
    state.save(st, output)


@task(name="resolve", cache_policy=NO_CACHE)
def resolve_all(ann: tuple[dict[str, pa.Table], list[dict]], as_of: date) -> dict:
    tables, candidates = ann
    return resolve.resolve(tables["mentions"], tables["quotes"], candidates, as_of)


@task(name="validate", cache_policy=NO_CACHE)
def validate_tables(rows: dict[str, list[dict] | pa.Table | docstore.Stored]):
    return publish.validate_rows(rows)


@task(name="write", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def write_outputs(frames, out: Path, summary: dict, partition_bytes: int | None = None) -> dict:
    paths = publish.publish(frames, summary, out, partition_bytes)
    return {"tables": {k: str(paths[k]) for k in frames}, "database": str(paths[publish.DB_NAME])}



@task(name="collect-sources", cache_policy=NO_CACHE, persist_result=False)
def collect_sources(sources_file: Path = DEFAULT_SOURCES_FILE, raw_store: Path | None = None, *,
                    allow_private: bool = False, offline: bool = False, contact: str = "") -> Collected:
    """In a flow: read `sources_file` and collect it (page fetches are `fetch-url` task runs,
    retried by Prefect). `raw_store` overrides the file's `raw_store:`; `contact` goes in
    the User-Agent."""
    cfg = read_config(sources_file)
    options = options_with(cfg.fetch, user_agent=user_agent(contact))
    return collect(cfg.sources, raw_store or cfg.raw_store, allow_private=allow_private,
                   options=options, offline=offline, fetch_task=fetch_url_task)



def _retry_if_retryable(task, task_run, state) -> bool:
    exc = getattr(state, "data", None)
    if not isinstance(exc, BaseException):
        try:
            exc = state.result(raise_on_failure=False)
        except Exception:  # pragma: no cover
            return True
    return bool(getattr(exc, "retryable", True))


@task(name="fetch-url", retries=len(RETRY_DELAYS), retry_delay_seconds=RETRY_DELAYS, retry_jitter_factor=0.2,
      retry_condition_fn=_retry_if_retryable, cache_policy=NO_CACHE, persist_result=False,
      task_run_name="fetch {url}")
def fetch_url_task(url: str, raw_store: Path, kind: str = "page", meta: dict | None = None,
                   options: FetchOptions | None = None) -> FetchResult:
    """`fetch_url` as a Prefect task: retried (after 1, 2, 4 s) on timeouts, connection
    errors, HTTP 5xx and 429; a 404, a refusal or a non-HTML page fails at once."""
    return fetch_url(url, raw_store, kind=kind, meta=meta, options=options)
