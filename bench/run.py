"""`make bench`: what the pipeline costs on real corpora, and how well it extracts.

Reads ../shared/corpora (never copied into the repo), runs each stage as plain
functions over the Kremlin and White House JSON-lines corpora, and prints:
- per stage: seconds, documents per second, MB of text per second;
- end to end (stages only, without Prefect): wall time, documents per second,
  peak resident memory;
- HTML extraction on the 60 raw Kremlin pages against the article text of the
  same ids in the JSON-lines corpus: token-level precision and recall.
Writes output/bench.json so runs can be compared over time.

    python bench/run.py [--limit N] [--skip-html]
"""
from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import resource
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows import annotate, clean, dedup, ingest, resolve  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"
CORPORA = [SHARED / "kremlin" / "kremlin_en_news.jsonl.gz", SHARED / "whitehouse" / "wh_briefings.jsonl.gz"]
_TOK = re.compile(r"\w+")


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux; children included for a whole-tree figure
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def stage(name: str, n_docs: int, n_bytes: int, seconds: float) -> dict:
    return {"stage": name, "seconds": round(seconds, 2), "docs_per_s": round(n_docs / seconds, 1) if seconds else None,
            "mb_per_s": round(n_bytes / 1e6 / seconds, 2) if seconds else None, "documents": n_docs}


def run_stages(limit: int | None) -> dict:
    files = [ingest.InputFile(p, f"corpora/{p.parent.name}/{p.name}") for p in CORPORA if p.exists()]
    t0 = time.perf_counter()
    records, rejects = ingest.read_batch(files)
    if limit:
        records = records[:limit]
    t1 = time.perf_counter()
    n_bytes = sum(len(r["raw"].encode("utf-8")) for r in records)
    docs, more = clean.clean_batch(records)
    t2 = time.perf_counter()
    dedup.mark_duplicates(docs)
    t3 = time.perf_counter()
    ann = annotate.annotate_batch(docs)
    t4 = time.perf_counter()
    res = resolve.resolve(ann.mentions, ann.quotes, ann.event_candidates, date.today())
    t5 = time.perf_counter()
    n = len(records)
    stages = [
        stage("ingest", n, n_bytes, t1 - t0), stage("clean", n, n_bytes, t2 - t1),
        stage("dedup", len(docs), n_bytes, t3 - t2), stage("annotate", len(docs), n_bytes, t4 - t3),
        stage("resolve+events", len(docs), n_bytes, t5 - t4),
    ]
    dups = [d for d in docs if d["duplicate_of"]]
    return {
        "stages": {s["stage"]: s for s in stages},
        "end_to_end": {"documents": n, "seconds": round(t5 - t0, 2), "docs_per_s": round(n / (t5 - t0), 1),
                       "peak_rss_mb": peak_rss_mb(), "mb_text": round(n_bytes / 1e6, 1), "with_prefect": False},
        "counts": {"records": n, "documents": len(docs), "rejects": len(rejects) + len(more),
                   "duplicates": len(dups), "mentions": len(ann.mentions), "quantities": len(ann.quantities),
                   "quotes": len(ann.quotes), "figures": len(res["figures"]), "events": len(res["events"])},
        "duplicate_sample": [(d["source_uri"], d["duplicate_of"]) for d in dups[:10]],
    }


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
    args = ap.parse_args()
    if not all(p.exists() for p in CORPORA):
        print(f"needs the corpora in {SHARED} (../shared/corpora beside the project)")
        return 2
    out = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                       "cpus": __import__("os").cpu_count()}, "date": date.today().isoformat()}
    if not args.skip_html:
        out["html_extraction"] = html_extraction()
        h = out["html_extraction"]
        print(f"HTML extraction, {h['pages']} Kremlin pages vs corpus text: precision {h['precision']:.3f}  recall {h['recall']:.3f}")
        print(f"  worst pages (id, precision, recall): {h['worst_pages']}")
    out.update(run_stages(args.limit))
    print(f"\n{'stage':<16}{'seconds':>9}{'docs/s':>10}{'MB/s':>8}")
    for s in out["stages"].values():
        print(f"{s['stage']:<16}{s['seconds']:>9}{s['docs_per_s']:>10}{s['mb_per_s']:>8}")
    e = out["end_to_end"]
    print(f"{'end to end':<16}{e['seconds']:>9}{e['docs_per_s']:>10}   ({e['documents']} documents, "
          f"{e['mb_text']} MB of text, peak RSS {e['peak_rss_mb']} MB, stages without Prefect)")
    print(f"counts: {out['counts']}")
    print(f"duplicate sample (doc, canonical): {out['duplicate_sample'][:5]}")
    path = ROOT / "output" / "bench.json"
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(out, indent=2, default=str))
    tmp.replace(path)
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
