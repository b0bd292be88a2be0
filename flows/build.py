"""The Prefect flow `build_dataset`, top to bottom: ingest → clean → deduplicate →
annotate → resolve → validate → write. The tasks it calls are in `flows/tasks.py`;
the work they do is in the stage packages (ingest, clean, dedup, annotate, resolve,
publish), run on the engine's worker pool. Shard tasks are submitted, so a task
runner can run them in parallel: `task_runner()` gives a Dask one on request.
"""
from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from prefect import flow

# Tasks pass whole shards: hashing them for Prefect's result cache costs more than the work.
# Large Python collections go to tasks quoted: Prefect would otherwise walk every
# item looking for futures (seconds per million rows). Arrow tables are opaque anyway.
from prefect.utilities.annotations import quote

from flows import ingest, publish
from flows.config import Settings
from flows.engine import docstore, incremental, jobs, lifeline, pool, state
from flows.engine.lock import build_lock
from flows.paths import ROOT
from flows.tasks import (
    annotate_batch,
    clean_shard,
    collect_sources,
    deduplicate,
    discover_inputs,
    ingest_shard,
    plan_build,
    prepare_shard,
    resolve_all,
    save_state,
    validate_tables,
    write_outputs,
)
from schemas.generate import arrow_schema


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


@flow(name="build_dataset", log_prints=False)
def build_dataset(settings: Settings | None = None) -> dict:
    s = settings or Settings()
    lifeline.watch_build()  # what the build starts ends with its process, even if it is killed
    t0 = time.perf_counter()
    built_at = s.build_time()
    with build_lock(s.output):
        texts = s.output / state.STATE_DIR / docstore.TEXTS_DIR  # the documents' texts (see docstore)
        work = s.output / state.STATE_DIR / docstore.WORK_DIR  # raw records until they are cleaned
        keys = s.output / state.STATE_DIR / docstore.KEYS_DIR  # the records' chrome line key hashes
        docstore.clear_work(work)
        collected = (collect_sources(s.sources, s.raw_store, offline=s.offline, allow_private=s.allow_private,
                                     contact=s.contact) if s.sources else None)
        files = discover_inputs(collected.paths if collected else s.inputs)
        previous, plan, hashes = plan_build(files, s.output, s.full)

        # Raw records and the documents' texts stay on disk (docstore): this process
        # holds every other column of the documents, as Arrow, and compact state.
        n_processes = pool.processes_for(_bytes_to_read(files, plan), s.processes, s.pool_min_bytes)
        with pool.running(n_processes, s.tasks_per_worker):
            fresh, records, repeated = ingest_inputs(files, plan, previous, hashes, work, keys, s)
            inputs, docs, store = clean_inputs(files, fresh, records, previous, repeated, work, texts, s)
            del records
            docstore.clear_work(work)  # the raw records: the documents are cleaned
            rejects = [dict(r) for uri in sorted(inputs) for r in inputs[uri].rejects]
            for name, column in deduplicate(quote(docs), store, s.dedup_threshold).items():
                i = docs.schema.get_field_index(name)
                docs = docs.set_column(i, docs.schema.field(i), column)
            pool.release_memory()
            ann, known, n_annotated = annotate_documents(docs, store, previous, s)
        # from here on the documents are in the order they are written (and saved in): sorted
        # once, so validation and the write need no copy of them
        docs = publish.in_write_order("documents", docs)
        pool.trim_memory()
        resolved = resolve_all(quote(ann), s.as_of or built_at.date())
        quantities = ann[0]["quantities"]
        del ann  # resolve gives the mentions and quotes back, rewritten

        for r in rejects:
            r["seen_at"] = built_at
        rows = {
            "documents": docstore.Stored(docs, store, arrow_schema("documents").names), "countries": resolved["countries"], "figures": resolved["figures"],
            "events": resolved["events"], "mentions": resolved["mentions"], "quantities": quantities,
            "quotes": resolved["quotes"], "rejects": rejects,
        }
        del resolved, quantities
        counts = {name: len(r) if isinstance(r, list) else r.num_rows for name, r in rows.items()}
        frames = validate_tables(quote(rows))
        del rows  # validated: `frames` holds every table, sorted
        pool.release_memory()

        summary = make_summary(files, docs, rejects, counts, s, built_at, time.perf_counter() - t0, hashes, inputs)
        summary["incremental"] = {
            "new": len(plan.new), "changed": len(plan.changed), "unchanged": len(plan.unchanged),
            "removed": plan.removed, "inputs_read": len(fresh),
            "records_cleaned": sum(i.n_records for i in fresh.values()),
            "documents_annotated": n_annotated,
        }
        if collected:
            summary["sources"] = {"counts": collected.counts, "failures": collected.failures}
        written = write_outputs(quote(frames), s.output, summary, s.partition_bytes)
        del frames
        store, docs = store.compact(docs)
        saved = state.State(fingerprint=previous.fingerprint, inputs=inputs, documents=docs,
                            texts=store.files, annotations=known.compact(), repeated=repeated)
        save_state(quote(saved), s.output)
        store.remove_unused()  # only once the state no longer points at them
        docstore.remove_unused(keys, saved.key_files())
    return {**summary, **written}


def _bytes_to_read(files: list[ingest.InputFile], plan: state.Plan) -> int:
    to_read = set(plan.to_read)
    return sum(f.path.stat().st_size for f in files if f.uri in to_read)


def ingest_inputs(files, plan: state.Plan, previous: state.State, hashes: dict, work: Path, keys: Path, s: Settings):
    """Read new and changed inputs; then, when what they add changes the chrome
    counted across a source, that source's unchanged inputs too. Returns the inputs
    read, the records files written (name, rows) and the repeated chrome by source."""
    to_read, unchanged = set(plan.to_read), set(plan.unchanged)  # once, not per file
    fresh, records = read_inputs([f for f in files if f.uri in to_read], hashes, work, keys, s)
    groups = incremental.group_keys(previous, fresh, set(plan.removed))
    repeated = incremental.repeated_by_group(groups, keys)

    def chrome_changed(uri: str) -> bool:
        return any(previous.repeated.get(g) != repeated.get(g) for g, _, _ in previous.inputs[uri].groups)

    more, more_records = read_inputs([f for f in files if f.uri in unchanged and chrome_changed(f.uri)], hashes, work, keys, s)
    fresh.update(more)
    return fresh, records + more_records, repeated


SEQ = "_seq"  # a document's place in the order its input was read (see _placed)
TRIM_EVERY = 32  # clean results taken between two returns of freed heap to the system


def clean_inputs(files, fresh: dict[str, state.InputState], records: list[tuple[str, int]], previous: state.State,
                 repeated: dict, work: Path, texts: Path, s: Settings):
    """Clean what was read, shard by shard; reuse the documents of every other input.
    Returns the inputs, every document's meta (input by input, in URI order) as one
    table with an INPUT column (docstore: every column but the text), and the store
    of their texts."""
    futures = [clean_shard.submit(work / name, lo, min(lo + s.shard_files, n), quote(repeated), texts)
               for name, n in records for lo in range(0, n, s.shard_files)]
    cleaned, store, seen = [], docstore.Store(texts, batch_bytes=s.batch_text_bytes), 0
    for i, f in enumerate(futures):
        meta, name, rejects = f.result()
        futures[i] = f = None  # its result is copied below: what was sent back is freed now, not at the end
        if meta.num_rows:
            meta = meta.take(pa.array(np.arange(meta.num_rows)))  # into Arrow's memory, off the unpickled bytes
            cleaned.append(_placed(meta, len(store.files), seen))
            store.files.append(name)
            seen += meta.num_rows
        del meta
        for uri, r in rejects:
            fresh[uri].rejects.append(r)
        if i % TRIM_EVERY == TRIM_EVERY - 1:
            pool.trim_memory()  # the freed results: else the heap grows by every shard's
    del futures
    parts = [pa.concat_tables(cleaned)] if cleaned else []
    del cleaned
    for row in pc.value_counts(parts[0][state.INPUT]).to_pylist() if parts else ():
        fresh[row["values"]].n_documents += row["counts"]
    inputs = {f.uri: fresh.get(f.uri) or previous.inputs[f.uri] for f in files}
    reused = [uri for uri in inputs if uri not in fresh]
    if reused and previous.documents is not None:
        kept = previous.documents.filter(pc.is_in(previous.documents[state.INPUT],
                                                  value_set=pa.array(sorted(reused), pa.string())))
        store, kept = store.merged(docstore.Store(texts, previous.texts, s.batch_text_bytes), kept)
        parts.append(kept)
        del kept
    if not parts:
        return inputs, _placed(jobs.cleaned_schema().empty_table(), 0, 0), store
    docs = pa.concat_tables(parts) if len(parts) > 1 else parts[0]
    del parts
    order = pc.sort_indices(docs, sort_keys=[(state.INPUT, "ascending"), (SEQ, "ascending")])  # input by input, each in reading order
    if not np.array_equal(order.to_numpy(), np.arange(docs.num_rows)):
        docs = docs.take(order)
    else:
        for i in range(docs.num_columns):  # one contiguous table, a column at a time: never two copies of it
            docs = docs.set_column(i, docs.schema.field(i), docs.column(i).combine_chunks())
    pool.trim_memory()  # the chunks it was made of
    return inputs, docs, store


def _placed(meta: pa.Table, file: int, first: int) -> pa.Table:
    """A clean shard's meta with what the flow adds: the index of its texts' file in
    the store (docstore.FILE), and each document's place in reading order (SEQ), so an
    input's documents keep that order whatever order a state stores them in."""
    meta = meta.append_column(docstore.FILE, pa.array(np.full(meta.num_rows, file, np.int32)))
    return meta.append_column(SEQ, pa.array(np.arange(first, first + meta.num_rows, dtype=np.int64)))


def annotate_documents(docs: pa.Table, store: docstore.Store, previous: state.State, s: Settings):
    """Annotate the canonical documents whose annotations are not known yet;
    gather everyone's. Returns (annotations: tables by name and event candidates,
    the annotations of every document (for the state), number annotated)."""
    canonical = np.flatnonzero(docs["duplicate_of"].is_null().to_numpy(zero_copy_only=False))
    # duplicates are never annotated: only the canonical documents' keys are made
    meta = docs.select(["doc_id", "content_sha256", "title", "published_date", "author", "language"]) \
        .take(pa.array(canonical, pa.int64())).to_pylist()
    keys = {d["doc_id"]: state.annotation_key(d) for d in meta}
    canonical_ids = [d["doc_id"] for d in meta]
    del meta
    known = previous.annotations.matching(keys)
    todo = [int(i) for i, doc_id in zip(canonical, canonical_ids) if doc_id not in known]
    # what a worker needs to rebuild the documents: every column but the text, and where the text is
    columns = [c for c in arrow_schema("documents").names if c != docstore.TEXT] + [docstore.FILE, docstore.ROW]
    futures = [annotate_batch.submit(jobs.Take(docs, batch, columns), store)
               for batch in _chunks(todo, s.annotate_batch)]
    for fut in futures:
        tables, candidates, doc_ids = fut.result()
        known.add(tables, candidates, {i: keys[i] for i in doc_ids})
        del tables, candidates
    del futures
    return incremental.gather_annotated(known, canonical_ids), known, len(todo)


# records a prepare shard takes, in clean shards: preparing is quick per record, and
# fewer, larger shards cost less in the pool's hand-offs (2000 records: 8.4 s against
# 12.1 s in shards of 500 on the 21,631 real documents, 2 workers)
PREPARE_SHARDS = 4


def read_inputs(files: list[ingest.InputFile], hashes: dict[str, str], work: Path, keys: Path,
                s: Settings) -> tuple[dict[str, state.InputState], list[tuple[str, int]]]:
    """Ingest these inputs, shard by shard, then prepare their records for cleaning in
    shards of records (a large input is shared by the workers): per input, its rejects
    and where its chrome line keys are (in `keys`); and the prepared records, written to
    files in `work` (name, rows), naming each row's input."""
    out = {f.uri: state.InputState(sha256=hashes[f.uri], rejects=[]) for f in files}
    prepared, raw = [], []
    futures = [ingest_shard.submit(shard, work) for shard in _shards_of(files, s.shard_files, s.shard_bytes) if shard]
    for f in futures:  # in submission order: deterministic
        name, rejects, per_input = f.result()
        for uri, n_records in per_input:
            out[uri].n_records = n_records
        if name is not None:
            raw.append(name)
            n, size = sum(k for _, k in per_input), PREPARE_SHARDS * s.shard_files
            prepared += [prepare_shard.submit(work / name, lo, min(lo + size, n), work, keys)
                         for lo in range(0, n, size)]
        for r in rejects:
            out[incremental.input_uri(r["source_uri"])].rejects.append(r)
    records = []
    for f in prepared:  # in submission order: deterministic
        name, n, groups = f.result()
        records.append((name, n))
        for uri, group, n_group, ref in groups:
            out[uri].groups.append((group, n_group, ref))
    for name in raw:  # every record is in a prepared file now
        (work / name).unlink(missing_ok=True)
    return out, records


def _shards_of(files: list[ingest.InputFile], max_files: int, max_bytes: int) -> list[list[ingest.InputFile]]:
    """Consecutive runs of at most `max_files` inputs and `max_bytes` of them (one larger
    input alone): what a worker holds while reading is bounded by the shard, not by the corpus."""
    out, shard, size = [], [], 0
    for f in files:
        n = f.path.stat().st_size if f.path.exists() else 0
        if shard and (len(shard) >= max_files or size + n > max_bytes):
            out.append(shard)
            shard, size = [], 0
        shard.append(f)
        size += n
    return out + [shard] if shard else out


def _git_commit() -> str | None:
    import subprocess

    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def make_summary(files, docs: pa.Table, rejects, rows: dict[str, int], s: Settings, built_at: datetime,
                 seconds: float, hashes: dict, inputs: dict[str, state.InputState]) -> dict:
    # every input file must have given documents or rejects: nothing is lost silently
    unaccounted = sorted(uri for uri, inp in inputs.items() if not inp.n_documents and not inp.rejects)
    canonical = docs["duplicate_of"].null_count
    return {
        "built_at": built_at.isoformat(),
        "pipeline_version": __import__("flows").__version__,
        "git_commit": _git_commit(),
        "input_sha256": dict(sorted(hashes.items())),
        "inputs": [str(p) for p in s.inputs],
        "output": str(s.output),
        "input_files": len(files),
        "input_files_unaccounted": unaccounted,
        "read": docs.num_rows + len(rejects),  # every unit read is a document or a reject
        "documents": docs.num_rows,
        "documents_canonical": canonical,
        "documents_duplicate": docs.num_rows - canonical,
        "rejects": len(rejects),
        "rows": dict(rows),
        "seconds": round(seconds, 2),
        "settings": s.table_settings(built_at),  # what changes the tables, as this build read it
    }
