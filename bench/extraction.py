"""How much of a web page's article `documents.text` keeps, beside plain trafilatura.

    python bench/extraction.py [--dev DIR] [--pages] [--no-save]

On the public Article Extraction Benchmark's dev half (`../shared/benchmarks/
article-extraction/dev`: gzipped HTML pages and `ground-truth.json`), scores

- `documents.text` as the project makes it: each page read as an HTML input
  (`flows.ingest.read_input`) and cleaned (`flows.clean.clean_record`), with no
  cross-document chrome (each page is alone in its outlet);
- plain `trafilatura.extract(html)` on the same pages (and with `include_comments=False`),

with the benchmark's own metric (its `evaluate.py`, see `../shared/benchmarks/README.md`):
per page, bags of 4-token shingles (tokens `\\w+`, case kept) of the prediction and of
`articleBody`; TP/FP/FN normalised by TP+FP+FN so each page weighs the same; precision
the mean over pages with a non-empty prediction, recall the mean over all pages; F1 of
the two means. Prints both, the pages where the project does worse than plain by more
than 0.05, and writes the figures to `output/bench.json` under "extraction".
Exits 0 with a message when the benchmark folder is absent.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# ../shared beside the project (a worktree one level deeper finds it further up)
DEV = next((p / "shared" / "benchmarks" / "article-extraction" / "dev" for p in ROOT.parents
            if (p / "shared" / "benchmarks").is_dir()), ROOT.parent / "shared" / "benchmarks" / "article-extraction" / "dev")
_TOKEN = re.compile(r"\w+")
SHINGLE = 4
WORSE = 0.05  # a page this much below plain trafilatura is listed


def shingles(text: str) -> Counter:
    """The bag of 4-token shingles of `text` (fewer tokens: one shingle of them all, as
    the benchmark's `evaluate.py` does)."""
    tokens = _TOKEN.findall(text or "")
    n = max(1, len(tokens) - SHINGLE + 1)
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(n)) if tokens else Counter()


def page_score(prediction: str, truth: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page, normalised to sum to 1 (all 0 when both are empty)."""
    pred, gold = shingles(prediction), shingles(truth)
    tp = sum((pred & gold).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def overall(scores: dict[str, tuple[float, float, float]]) -> dict:
    """Precision (mean over pages with a non-empty prediction), recall (mean over pages
    with a non-empty truth: all of them; an empty prediction scores 0) and F1 of the
    means, as the benchmark's `metrics_from_tp_fp_fns`: a page with no FP and no FN
    scores 1 on both."""
    def ratio(a: float, b: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (a / (a + b) if a + b else 0.0)

    precisions = [ratio(tp, fp, fp, fn) for tp, fp, fn in scores.values() if tp + fp > 0]
    recalls = [ratio(tp, fn, fp, fn) for tp, fp, fn in scores.values() if tp + fn > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "pages": len(scores)}


def page_f1(s: tuple[float, float, float]) -> float:
    tp, fp, fn = s
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def project_text(path: Path) -> str:
    """`documents.text` of one page, as a build makes it (no cross-document chrome)."""
    from flows import clean, ingest

    records, _ = ingest.read_input(ingest.InputFile(path, path.name))
    texts = []
    for rec in records:
        docs, _ = clean.clean_record(rec)
        texts.extend(d["text"] for d in docs)
    return "\n".join(texts)


def plain_text(path: Path, **options) -> str:
    import trafilatura

    return trafilatura.extract(gzip.decompress(path.read_bytes()).decode("utf-8"), **options) or ""


def plain_no_comments(path: Path) -> str:
    """Plain trafilatura without the page's comments: the stronger reference (the
    issue's 0.961 on this dev half)."""
    return plain_text(path, include_comments=False)


EXTRACTORS = (("documents_text", project_text), ("trafilatura_plain", plain_text),
              ("trafilatura_no_comments", plain_no_comments))


def evaluate(dev: Path) -> dict:
    truth = json.loads((dev / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    result, per_page = {}, {k: {} for k in ids}
    for name, extract in EXTRACTORS:
        preds = {k: extract(dev / "html" / f"{k}.html.gz") for k in ids}
        scores = {k: page_score(preds[k], truth[k]["articleBody"]) for k in ids}
        result[name] = overall(scores)
        for k in ids:
            per_page[k][name] = round(page_f1(scores[k]), 4)
    worse = {k: v for k, v in per_page.items() if v["documents_text"] < v["trafilatura_plain"] - WORSE}
    result["pages_worse_than_plain"] = worse
    result["per_page_f1"] = per_page
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--pages", action="store_true", help="print every page's F1")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args(argv)
    if not (args.dev / "ground-truth.json").is_file():
        print(f"extraction benchmark: {args.dev} not found, skipped")
        return 0
    res = evaluate(args.dev)
    if args.pages:
        for k, v in res["per_page_f1"].items():
            print(f"  {k}  " + "  ".join(f"{name} {v[name]:.3f}" for name, _ in EXTRACTORS))
    for name, _ in EXTRACTORS:
        r = res[name]
        print(f"{name:23s} P {r['precision']:.4f}  R {r['recall']:.4f}  F1 {r['f1']:.4f}  ({r['pages']} dev pages)")
    for k, v in res["pages_worse_than_plain"].items():
        print(f"  worse than plain by > {WORSE}: {k}  {v['documents_text']:.3f} vs {v['trafilatura_plain']:.3f}")
    if not args.no_save:
        from run import BENCH_JSON, save

        bench = json.loads(BENCH_JSON.read_text()) if BENCH_JSON.is_file() else {}
        bench["extraction"] = {"set": "article-extraction/dev", **{k: v for k, v in res.items() if k != "per_page_f1"}}
        save(bench)
    return 0


if __name__ == "__main__":
    sys.exit(main())
