"""`make bench`: what the pipeline costs on real corpora, and how well it extracts.

Reads ../shared/corpora (never copied into the repo), runs each stage as plain
functions over the Kremlin and White House JSON-lines corpora, and prints:
- per stage: seconds, documents per second, MB of text per second;
- end to end (the flow's stages without Prefect: ingest, clean and annotate on the
  worker pool the flow uses, flows.engine.pool with the jobs of flows.engine.jobs,
  shards, text store and dedup as the flow makes them; validate and write included): wall time, documents per second, peak resident memory; bench/scale.py
  then runs the flow itself at growing sizes (Prefect's share, scaling series);
- HTML extraction on the 60 raw Kremlin pages against the article text of the
  same ids in the JSON-lines corpus: token-level precision and recall.
Writes output/bench.json so runs can be compared over time.

    python bench/run.py [--limit N] [--skip-html] [--only clean,dedup] [--corpus whitehouse]
                        [--workers N] [--repeat N]

`--only clean,dedup` runs ingest, clean and dedup (skips annotate and resolve);
`--corpus kremlin|whitehouse` uses one corpus; `--repeat 3` times the stages three
times and reports the median; `--workers` is the pool's process count (default:
all cores; 1: every stage inline, in this process); `--limit N` reads the corpora's
first N lines.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

from flows import clean, ingest, publish, resolve, tasks  # noqa: E402
from flows.annotate import pipeline as annotate  # noqa: E402
from flows.config import Settings  # noqa: E402
from flows.engine import docstore, incremental, jobs, pool  # noqa: E402
from schemas.generate import arrow_schema  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"
CORPORA = [SHARED / "kremlin" / "kremlin_en_news.jsonl.gz", SHARED / "whitehouse" / "wh_briefings.jsonl.gz"]
CORPUS_NAMES = {"kremlin": CORPORA[0], "whitehouse": CORPORA[1]}
ALL_STAGES = ("clean", "dedup", "annotate", "resolve")  # resolve includes validate and write
_TOK = re.compile(r"\w+")


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux; children included for a whole-tree figure
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def stage(name: str, n_docs: int, n_bytes: int, seconds: float) -> dict:
    return {"stage": name, "seconds": round(seconds, 2), "docs_per_s": round(n_docs / seconds, 1) if seconds else None,
            "mb_per_s": round(n_bytes / 1e6 / seconds, 2) if seconds else None, "documents": n_docs}


def _median_stage(name: str, n_docs: int, n_bytes: int, times: list[float]) -> dict:
    out = stage(name, n_docs, n_bytes, statistics.median(times))
    out["runs_seconds"] = [round(t, 2) for t in times]
    return out


def clusters(docs: list[dict]) -> dict[str, list[dict]]:
    """canonical doc_id -> its duplicates."""
    by_id = {d["doc_id"]: d for d in docs}
    out: dict[str, list[dict]] = {}
    for d in docs:
        if d["duplicate_of"]:
            out.setdefault(d["duplicate_of"], []).append(d)
    return {k: v for k, v in out.items() if k in by_id}


def cluster_sample(docs: list[dict], n: int = 20, seed: int = 3) -> list[dict]:
    """A reproducible sample of clusters: canonical and one duplicate, titles, sizes, and
    the first differing line of their texts."""
    import difflib
    import random

    by_id = {d["doc_id"]: d for d in docs}
    cl = clusters(docs)
    keys = sorted(cl)
    random.Random(seed).shuffle(keys)
    out = []
    for k in keys[:n]:
        c, d = by_id[k], cl[k][0]
        a, b = c["text"].split("\n"), d["text"].split("\n")
        diff = [ln for ln in difflib.unified_diff(a, b, lineterm="", n=0) if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
        out.append({"size": 1 + len(cl[k]), "canonical": c["source_uri"], "duplicate": d["source_uri"],
                    "canonical_title": c["title"], "duplicate_title": d["title"],
                    "canonical_date": str(c["published_date"]), "duplicate_date": str(d["published_date"]),
                    "words": (c["n_words"], d["n_words"]), "exact_text": c["text"] == d["text"],
                    "diff": [ln[:160] for ln in diff[:4]], "n_diff_lines": len(diff)})
    return out


def run_stages(limit: int | None, only: set[str], corpora: list[Path], workers: int, repeat: int) -> dict:
    s = Settings()  # the flow's defaults: shard sizes, annotation batch, dedup threshold
    stages, t_clean, t_dedup = [], [], []
    with tempfile.TemporaryDirectory(prefix="sco-bench-") as tmp, pool.running(workers):
        folder = Path(tmp)
        files = _inputs(corpora, limit, folder)
        t = time.perf_counter()  # the fork server (started by `running`) warm, and the workers forked: a cost of its own
        _in_threads(workers, lambda _: pool.run(os.getpid), range(workers))
        stages.append(stage("pool start", 0, 0, time.perf_counter() - t))
        t0 = time.perf_counter()
        records, rejects, repeated = ingest_on_pool(files, folder, workers)
        t1 = time.perf_counter()
        n, n_bytes = sum(rows for _, rows in records), _raw_bytes(records)
        stages.append(stage("ingest", n, n_bytes, t1 - t0))
        for k in range(repeat):
            t = time.perf_counter()
            docs, store, more = clean_on_pool(records, repeated, folder / f"texts{k}", workers, s.shard_files)
            t_clean.append(time.perf_counter() - t)
        n_docs = docs.num_rows
        stages.append(_median_stage("clean", n, n_bytes, t_clean))
        if "dedup" in only:
            for _ in range(repeat):
                t = time.perf_counter()
                columns = tasks.deduplicate.fn(docs, store, s.dedup_threshold)  # the flow's task, without Prefect
                t_dedup.append(time.perf_counter() - t)
            for name, column in columns.items():
                i = docs.schema.get_field_index(name)
                docs = docs.set_column(i, docs.schema.field(i), column)
            stages.append(_median_stage("dedup", n_docs, n_bytes, t_dedup))
            stages.append(_median_stage("clean+dedup", n, n_bytes, [a + b for a, b in zip(t_clean, t_dedup)]))
        counts = {"records": n, "documents": n_docs, "rejects": len(rejects) + len(more)}
        if "annotate" in only:
            stages += later_stages(docs, store, rejects + more, s, workers, counts, n_bytes)
        rows = store.documents(docs, arrow_schema("documents").names).to_pylist()  # for the report below
    dups = [d for d in rows if d["duplicate_of"]]
    cl = clusters(rows)
    counts.update({"duplicates": len(dups), "clusters": len(cl),
                   "largest_cluster": max((1 + len(v) for v in cl.values()), default=0)})
    # end to end: ingest plus one run of each stage that ran
    seconds = sum(st["seconds"] for st in stages if st["stage"] != "clean+dedup")
    read = n + len(rejects)  # every input unit: a record (kept or rejected when cleaned) or rejected at ingest
    plain = {"documents": read, "seconds": round(seconds, 2), "docs_per_s": round(read / seconds, 1),
             "peak_rss_mb": peak_rss_mb(), "mb_text": round(n_bytes / 1e6, 1), "with_prefect": False,
             "workers": workers, "repeat": repeat}
    return {
        "stages": {st["stage"]: st for st in stages},
        # bench/scale.py replaces end_to_end with the flow's run (Prefect included) on the same corpus
        "end_to_end": plain, "end_to_end_plain": plain,
        "counts": counts,
        "duplicate_sample": [(d["source_uri"], d["duplicate_of"]) for d in dups[:10]],
        "cluster_sample": cluster_sample(rows) if "dedup" in only else [],
    }


def _inputs(corpora: list[Path], limit: int | None, folder: Path) -> list[ingest.InputFile]:
    """The corpora as the flow's inputs; with `limit`, copies of their first `limit` lines
    in all (same URIs: the same documents)."""
    uris = [f"corpora/{p.parent.name}/{p.name}" for p in corpora]
    if not limit:
        return [ingest.InputFile(p, u) for p, u in zip(corpora, uris)]
    out, left = [], limit
    for p, uri in zip(corpora, uris):
        lines = []
        with gzip.open(p, "rt", encoding="utf-8") as f:
            for line in f:
                if len(lines) >= left:
                    break
                lines.append(line)
        if lines:
            copy = folder / p.parent.name / p.name
            copy.parent.mkdir()
            with gzip.open(copy, "wt", encoding="utf-8") as f:
                f.writelines(lines)
            out.append(ingest.InputFile(copy, uri))
        left -= len(lines)
    return out


def _in_threads(workers: int, fn, items: list) -> list:
    """fn over items on threads, results in order: as the flow's task runner submits its
    shard tasks, each waiting for the pool (which takes workers + 1 at a time)."""
    with ThreadPoolExecutor(max(workers, 1) + 1) as threads:
        return list(threads.map(fn, items))


def ingest_on_pool(files: list[ingest.InputFile], folder: Path, workers: int, shard: int = 2000):
    """The flow's ingest (one shard per corpus file: each is larger than a shard's bytes),
    then its preparing of the records in shards of `shard` records (the flow's
    PREPARE_SHARDS clean shards), an input's shards submitted as soon as it is read, as
    the flow does: prepared records files in `folder`/work as (name, rows), the rejects,
    and each source's repeated chrome lines, counted from the line keys the shards wrote."""
    work, keys = folder / "work", folder / "keys"
    work.mkdir()
    keys.mkdir()
    rejects, groups, prepared = [], {}, []
    with ThreadPoolExecutor(max(workers, 1) + 1) as threads:  # as the flow's task runner submits shards
        reads = [threads.submit(pool.run, jobs.ingest_files, [f], work) for f in files]
        for read in reads:  # in submission order, as the flow takes them
            name, more, per_input = read.result()
            rejects += more
            if name is not None:
                n = sum(k for _, k in per_input)
                prepared += [threads.submit(pool.run, jobs.prepare_records, work / name, lo, min(lo + shard, n),
                                            work, keys) for lo in range(0, n, shard)]
        records = []
        for job in prepared:
            name, n, by_group = job.result()
            records.append((work / name, n))
            for _, group, k, ref in by_group:
                refs, total = groups.get(group, ([], 0))
                groups[group] = (refs + [ref], total + k)
    return records, rejects, incremental.repeated_by_group(groups, keys)


def _raw_bytes(records: list[tuple[Path, int]]) -> int:
    """The records' raw text, in UTF-8 bytes (the MB/s of every stage)."""
    return sum(pc.sum(pc.binary_length(docstore.read_rows(path)["raw"].cast(pa.binary()))).as_py() or 0
               for path, _ in records)


def clean_on_pool(records: list[tuple[Path, int]], repeated: dict, texts: Path, workers: int, shard: int):
    """The flow's clean: shards of `shard` records cleaned on the pool, their texts and
    signatures written to `texts`. Returns the documents' meta (with each one's text
    file, docstore.FILE), the store of their texts, and the rejects."""
    texts.mkdir()
    shards = [(path, lo, min(lo + shard, n)) for path, n in records for lo in range(0, n, shard)]
    store, parts, rejects = docstore.Store(texts), [], []
    for meta, name, more in _in_threads(workers, lambda j: pool.run(jobs.clean_records, *j, repeated, texts), shards):
        parts.append(meta.append_column(docstore.FILE, pa.array(np.full(meta.num_rows, len(store.files), np.int32))))
        store.files.append(name)
        rejects += [r for _, r in more]
    return pa.concat_tables(parts), store, rejects


def later_stages(docs: pa.Table, store: docstore.Store, rejects: list[dict], s: Settings, workers: int,
                 counts: dict, n_bytes: int) -> list[dict]:
    """Annotate (on the pool, texts read in the workers, as the flow does), then, when
    asked, resolve, validate and write. Adds their row counts to `counts`."""
    out = []
    t4 = time.perf_counter()
    tables, candidates = annotate_on_pool(docs, store, s.annotate_batch, workers)
    t5 = time.perf_counter()
    out.append(stage("annotate", docs.num_rows, n_bytes, t5 - t4))
    counts.update({name: tables[name].num_rows for name in ("mentions", "quantities", "quotes")})
    res = resolve.resolve(tables["mentions"], tables["quotes"], candidates, date.today())
    t6 = time.perf_counter()
    out.append(stage("resolve+events", docs.num_rows, n_bytes, t6 - t5))
    counts.update({"figures": len(res["figures"]), "events": len(res["events"])})
    documents = docstore.Stored(publish.in_write_order("documents", docs), store, arrow_schema("documents").names)
    rows = {"documents": documents, "countries": res["countries"], "figures": res["figures"],
            "events": res["events"], "mentions": res["mentions"], "quantities": tables["quantities"],
            "quotes": res["quotes"], "rejects": [{**r, "seen_at": datetime.now(timezone.utc)} for r in rejects]}
    frames = publish.validate_rows(rows)
    t7 = time.perf_counter()
    out.append(stage("validate", docs.num_rows, n_bytes, t7 - t6))
    with tempfile.TemporaryDirectory(prefix="sco-bench-") as written:
        publish.publish(frames, {"documents": docs.num_rows}, Path(written))
    out.append(stage("write", docs.num_rows, n_bytes, time.perf_counter() - t7))
    return out


def annotate_on_pool(docs: pa.Table, store: docstore.Store, batch: int,
                     workers: int) -> tuple[dict[str, pa.Table], list[dict]]:
    """The flow's annotation: the canonical documents in batches, each a `Take` of their
    meta sent to a worker, which reads their texts from the store."""
    todo = np.flatnonzero(docs["duplicate_of"].is_null().to_numpy(zero_copy_only=False)).tolist()
    columns = [c for c in arrow_schema("documents").names if c != docstore.TEXT] + [docstore.FILE, docstore.ROW]
    batches = [jobs.Take(docs, todo[i:i + batch], columns) for i in range(0, len(todo), batch)]
    parts: dict[str, list[pa.Table]] = {name: [] for name in annotate.ANNOTATION_TABLES}
    candidates = []
    for tables, more, _ in _in_threads(workers, lambda b: pool.run(jobs.annotate_stored, b, store), batches):
        for name, t in tables.items():
            parts[name].append(t)
        candidates += more
    return {name: pa.concat_tables(ts) if ts else arrow_schema(name).empty_table() for name, ts in parts.items()}, candidates


def html_extraction() -> dict:
    """Token precision/recall of our HTML text against the corpus's article text."""
    html_dir = SHARED / "kremlin" / "html"
    pages = {p.stem: p for p in sorted(html_dir.glob("*.html"))}
    gold = {}
    with gzip.open(CORPORA[0], "rt", encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj["id"] in pages:
                gold[obj["id"]] = (obj.get("lead") or "") + "\n" + obj["text"]
    tp = fp = fn = 0
    per_page = []
    for pid, path in pages.items():
        if pid not in gold:
            continue
        recs, rej = ingest.read_input(ingest.InputFile(path, path.name))
        docs, _ = clean.clean_batch(recs)
        ours = Counter(_TOK.findall(" ".join(d["text"] for d in docs).lower()))
        ref = Counter(_TOK.findall(gold[pid].lower()))
        common = sum((ours & ref).values())
        tp += common
        fp += sum(ours.values()) - common
        fn += sum(ref.values()) - common
        p = common / max(sum(ours.values()), 1)
        r = common / max(sum(ref.values()), 1)
        per_page.append((pid, round(p, 3), round(r, 3)))
    worst = sorted(per_page, key=lambda x: min(x[1], x[2]))[:5]
    return {"pages": len(per_page), "precision": round(tp / max(tp + fp, 1), 4),
            "recall": round(tp / max(tp + fn, 1), 4), "worst_pages": worst}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="documents to use (default: all)")
    ap.add_argument("--skip-html", action="store_true")
    ap.add_argument("--only", default=",".join(ALL_STAGES),
                    help="stages after ingest, comma-separated: clean,dedup,annotate,resolve (default: all)")
    ap.add_argument("--corpus", choices=["all", *CORPUS_NAMES], default="all")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="the worker pool's processes (default: all cores)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of clean and dedup; the median is reported")
    ap.add_argument("--clusters", type=int, default=5, help="duplicate clusters to print")
    args = ap.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if only - set(ALL_STAGES):
        ap.error(f"unknown stages: {sorted(only - set(ALL_STAGES))}")
    if "resolve" in only:
        only.add("annotate")
    if only & {"annotate", "resolve"}:
        only.add("dedup")
    corpora = CORPORA if args.corpus == "all" else [CORPUS_NAMES[args.corpus]]
    if not all(p.exists() for p in CORPORA):
        print(f"needs the corpora in {SHARED} (../shared/corpora beside the project)")
        return 2
    out = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                       "cpus": __import__("os").cpu_count()}, "date": date.today().isoformat()}
    if not args.skip_html and only == set(ALL_STAGES):  # a partial run (--only) skips it
        out["html_extraction"] = html_extraction()
        h = out["html_extraction"]
        print(f"HTML extraction, {h['pages']} Kremlin pages vs corpus text: precision {h['precision']:.3f}  recall {h['recall']:.3f}")
        print(f"  worst pages (id, precision, recall): {h['worst_pages']}")
    out.update(run_stages(args.limit, only, corpora, args.workers, args.repeat))
    print(f"\n{'stage':<16}{'seconds':>9}{'docs/s':>10}{'MB/s':>8}")
    for s in out["stages"].values():
        print(f"{s['stage']:<16}{s['seconds']:>9}{s['docs_per_s']:>10}{s['mb_per_s']:>8}")
    e = out["end_to_end"]
    print(f"{'end to end':<16}{e['seconds']:>9}{e['docs_per_s']:>10}   ({e['documents']} documents, "
          f"{e['mb_text']} MB of text, peak RSS {e['peak_rss_mb']} MB, stages without Prefect)")
    print(f"counts: {out['counts']}")
    print(f"duplicate sample (doc, canonical): {out['duplicate_sample'][:5]}")
    for c in out["cluster_sample"][:args.clusters]:
        print(f"  cluster of {c['size']}: {c['canonical_title']!r} ({c['canonical_date']}, {c['words'][0]} words)\n"
              f"      ~ {c['duplicate_title']!r} ({c['duplicate_date']}, {c['words'][1]} words), "
              f"{'same text' if c['exact_text'] else str(c['n_diff_lines']) + ' differing lines'}")
        for ln in c["diff"][:2]:
            print(f"        {ln}")
    # keep what the other benchmarks wrote (scale.py's scaling series): runs compare over time
    previous = json.loads(BENCH_JSON.read_text()) if BENCH_JSON.exists() else {}
    save({**previous, **out})
    return 0


BENCH_JSON = ROOT / "output" / "bench.json"


def save(bench: dict, path: Path = BENCH_JSON) -> None:
    """Write the figures atomically (a temporary name, then a rename)."""
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(bench, indent=2, default=str))
    tmp.replace(path)
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
