"""`make bench`: what the pipeline costs on real corpora, and how well it extracts.

Reads ../shared/corpora (never copied into the repo), runs each stage as plain
functions over the Kremlin and White House JSON-lines corpora, and prints:
- per stage: seconds, documents per second, MB of text per second;
- end to end (the stages as plain functions, without Prefect, validate and write
  included): wall time, documents per second, peak resident memory; bench/scale.py
  then runs the flow itself at growing sizes (Prefect's share, scaling series);
- HTML extraction on the 60 raw Kremlin pages against the article text of the
  same ids in the JSON-lines corpus: token-level precision and recall.
Writes output/bench.json so runs can be compared over time.

    python bench/run.py [--limit N] [--skip-html] [--only clean,dedup] [--corpus whitehouse]
                        [--workers N] [--repeat N]

`--only clean,dedup` runs ingest, clean and dedup (skips annotate and resolve);
`--corpus kremlin|whitehouse` uses one corpus; `--repeat 3` times the stages three
times and reports the median; `--workers` is clean's process count (default:
all cores).
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

import pyarrow as pa  # noqa: E402

from flows import (
    clean,
    dedup,
    ingest,
    publish,  # noqa: E402
    resolve,
)
from flows.annotate import pipeline as annotate
from flows.engine import jobs, pool
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
    files = [ingest.InputFile(p, f"corpora/{p.parent.name}/{p.name}") for p in corpora if p.exists()]
    t0 = time.perf_counter()
    records, rejects = ingest.read_batch(files)
    if limit:
        records = records[:limit]
    t1 = time.perf_counter()
    n = len(records)
    n_bytes = sum(len(r["raw"].encode("utf-8")) for r in records)
    stages = [stage("ingest", n, n_bytes, t1 - t0)]
    t_clean, t_dedup = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        docs, more = clean.clean_batch(records)
        t_clean.append(time.perf_counter() - t)
    stages.append(_median_stage("clean", n, n_bytes, t_clean))
    if "dedup" in only:
        for _ in range(repeat):
            t = time.perf_counter()
            dedup.mark_duplicates(docs, workers=workers)
            t_dedup.append(time.perf_counter() - t)
        stages.append(_median_stage("dedup", len(docs), n_bytes, t_dedup))
        both = [a + b for a, b in zip(t_clean, t_dedup)]
        stages.append(_median_stage("clean+dedup", n, n_bytes, both))
    counts = {"records": n, "documents": len(docs), "rejects": len(rejects) + len(more)}
    t4 = time.perf_counter()
    if "annotate" in only or "resolve" in only:
        ann = annotate_parallel(docs, workers)
        t5 = time.perf_counter()
        stages.append(stage("annotate", len(docs), n_bytes, t5 - t4))
        counts.update({"mentions": len(ann.mentions), "quantities": len(ann.quantities), "quotes": len(ann.quotes)})
        if "resolve" in only:
            res = resolve.resolve(ann.table("mentions"), ann.table("quotes"), ann.event_candidates, date.today())
            t6 = time.perf_counter()
            stages.append(stage("resolve+events", len(docs), n_bytes, t6 - t5))
            counts.update({"figures": len(res["figures"]), "events": len(res["events"])})
            rows = {"documents": docs, "countries": res["countries"], "figures": res["figures"],
                    "events": res["events"], "mentions": res["mentions"], "quantities": ann.table("quantities"),
                    "quotes": res["quotes"], "rejects": [{**r, "seen_at": datetime.now(timezone.utc)}
                                                      for r in rejects + more]}
            frames = publish.validate_rows(rows)
            t7 = time.perf_counter()
            stages.append(stage("validate", len(docs), n_bytes, t7 - t6))
            with tempfile.TemporaryDirectory(prefix="sco-bench-") as out:
                publish.publish(frames, {"documents": len(docs)}, Path(out))
            stages.append(stage("write", len(docs), n_bytes, time.perf_counter() - t7))
    dups = [d for d in docs if d["duplicate_of"]]
    cl = clusters(docs)
    counts.update({"duplicates": len(dups), "clusters": len(cl),
                   "largest_cluster": max((1 + len(v) for v in cl.values()), default=0)})
    # end to end: ingest plus one run of each stage that ran
    seconds = sum(s["seconds"] for s in stages if s["stage"] != "clean+dedup")
    read = n + len(rejects)  # every input unit: a record (kept or rejected when cleaned) or rejected at ingest
    plain = {"documents": read, "seconds": round(seconds, 2), "docs_per_s": round(read / seconds, 1),
             "peak_rss_mb": peak_rss_mb(), "mb_text": round(n_bytes / 1e6, 1), "with_prefect": False,
             "workers": workers, "repeat": repeat}
    return {
        "stages": {s["stage"]: s for s in stages},
        # bench/scale.py replaces end_to_end with the flow's run (Prefect included) on the same corpus
        "end_to_end": plain, "end_to_end_plain": plain,
        "counts": counts,
        "duplicate_sample": [(d["source_uri"], d["duplicate_of"]) for d in dups[:10]],
        "cluster_sample": cluster_sample(docs) if "dedup" in only else [],
    }


def annotate_parallel(docs: list[dict], workers: int, batch: int = 2000) -> annotate.Annotations:
    """Annotate as the flow does: canonical documents in batches, each on a pool of
    `workers` processes (flows.engine.pool), so this plain run and the flow compare fairly."""
    todo = [d for d in docs if d["duplicate_of"] is None]
    batches = [pa.Table.from_pylist(todo[i:i + batch], schema=arrow_schema("documents"))
               for i in range(0, len(todo), batch)]
    out = annotate.Annotations()
    with pool.running(workers), ThreadPoolExecutor(max(workers, 1)) as threads:
        for ann in threads.map(lambda b: pool.run(jobs.annotate_docs, b), batches):
            out.extend(ann)
    return out


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
                    help="processes for clean and dedup (default: all cores)")
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
