"""Incremental build cost: a full build of the White House corpus, then a run
that adds 1% new documents; prints the second run's time as a share of the first.

    python bench/incremental.py [--limit N]

Runs the real Prefect flow. Writes output/bench_incremental.json.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import flows  # noqa: E402,F401  (first: Prefect's and Arrow's process defaults, flows.config)

WH = ROOT.parent / "shared" / "corpora" / "whitehouse" / "wh_briefings.jsonl.gz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="documents of the corpus to use (default: all)")
    args = ap.parse_args()
    if not WH.exists():
        print(f"needs {WH}")
        return 2
    from flows.build import build_dataset
    from flows.config import Settings

    lines = gzip.open(WH, "rt", encoding="utf-8").read().splitlines()[: args.limit]
    n_new = max(1, len(lines) // 100)
    with tempfile.TemporaryDirectory() as tmp:
        inbox, out = Path(tmp) / "inbox", Path(tmp) / "out"
        inbox.mkdir()
        warm = Path(tmp) / "warm"
        warm.mkdir()
        (warm / "one.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
        build_dataset(Settings(inputs=[warm], output=Path(tmp) / "warm-out"))  # Prefect's start-up, out of the figures
        (inbox / "base.jsonl").write_text("\n".join(lines[:-n_new]) + "\n", encoding="utf-8")
        t = time.perf_counter()
        full = build_dataset(Settings(inputs=[inbox], output=out, full=True))
        t_full = time.perf_counter() - t
        (inbox / "new.jsonl").write_text("\n".join(lines[-n_new:]) + "\n", encoding="utf-8")
        t = time.perf_counter()
        inc = build_dataset(Settings(inputs=[inbox], output=out))
        t_inc = time.perf_counter() - t
    result = {"documents_full": full["documents"], "documents_added": n_new, "full_seconds": round(t_full, 1),
              "incremental_seconds": round(t_inc, 1), "share": round(t_inc / t_full, 3),
              "incremental": inc["incremental"]}
    print(f"full build: {full['documents']} documents in {t_full:.1f} s")
    print(f"incremental (+{n_new} documents, {inc['incremental']['documents_annotated']} annotated): "
          f"{t_inc:.1f} s = {100 * t_inc / t_full:.1f}% of the full build")
    path = ROOT / "output" / "bench_incremental.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
