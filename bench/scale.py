"""`make bench`, part two: the real flow at growing sizes, Prefect included.

Runs `scodata build --full` in a fresh process per size on a corpus made from
../shared/corpora: 1k and 5k documents (drawn evenly from the Kremlin and White
House corpora), all 21,631 real ones, then larger sizes made by repeating the real
documents with light perturbation (a new id and URL, one paragraph dropped, one
number changed), which also stresses deduplication. For each size: wall time,
time per document, and the peak resident memory of the whole process tree
(the build, Prefect's server and the worker processes: the sum of their Pss,
sampled every 0.2 s).

The 21,631-document run is the end-to-end figure; divided by the same stages
called as plain functions (bench/run.py's `end_to_end_plain`), it gives Prefect's
share. Results are merged into output/bench.json.

    python bench/scale.py [--sizes 1000,5000,21631,100000] [--max-rss-gb 16]

A size whose predicted peak memory (extrapolated from the sizes before it)
exceeds --max-rss-gb is skipped with the prediction printed, rather than run
into swap.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
CORPORA = [SHARED / "kremlin" / "kremlin_en_news.jsonl.gz", SHARED / "whitehouse" / "wh_briefings.jsonl.gz"]
REAL = "real"  # the size meaning: exactly the real corpora, as shipped
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BENCH_JSON, save  # noqa: E402  (bench/ is scripts, not a package)

_NUM = re.compile(r"\b\d{2,}\b")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MB: the sum of their
    proportional set sizes (Pss), so pages the worker processes share with their fork
    server are counted once, not once per process as a sum of VmRSS would."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class PeakSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self._done = pid, every, 0.0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            self._done.wait(self.every)

    def stop(self) -> float:
        self._done.set()
        self.join()
        return round(self.peak, 1)


def real_records() -> list[bytes]:
    """The raw JSON lines of both corpora, interleaved so any prefix mixes them."""
    per = [gzip.open(p).read().splitlines() for p in CORPORA]
    out, i = [], 0
    while any(i < len(c) for c in per):
        out += [c[i] for c in per if i < len(c)]
        i += 1
    return [ln for ln in out if ln.strip()]


def perturbed(line: bytes, k: int) -> bytes:
    """Copy k of a record: a new id and URL, one paragraph dropped, one number changed."""
    obj = json.loads(line)
    rng = random.Random(f"{obj.get('id') or obj.get('path')}/{k}")
    for key in ("id", "path"):
        if obj.get(key):
            obj[key] = f"{obj[key]}~{k}"
    for key in ("url", "source_url"):
        if obj.get(key):
            obj[key] = f"{obj[key]}?copy={k}"
    paras = (obj.get("text") or "").split("\n\n")
    if len(paras) > 2:
        del paras[rng.randrange(len(paras))]
    text = "\n\n".join(paras)
    nums = list(_NUM.finditer(text))
    if nums:
        m = rng.choice(nums)
        text = text[:m.start()] + str(int(m.group()) + 1) + text[m.end():]
    obj["text"] = text
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


PART_RECORDS = 10_000  # records per input file: an input over 200 MB would be rejected as too large


def make_corpus(size: int | str, folder: Path, real: list[bytes]) -> list[Path]:
    if size == REAL:
        return CORPORA
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, size, PART_RECORDS):
        with gzip.open(folder / f"part-{start // PART_RECORDS:05d}.jsonl.gz", "wb", compresslevel=1) as f:
            for i in range(start, min(start + PART_RECORDS, size)):
                line = real[i % len(real)]
                f.write((line if i < len(real) else perturbed(line, i // len(real))) + b"\n")
    return [folder]


def run_build(inputs: list[Path], output: Path) -> dict:
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("SOURCE_DATE_EPOCH", None)
    cmd = [str(ROOT / ".venv" / "bin" / "scodata"), "build", "--full", "--output", str(output)]
    for p in inputs:
        cmd += ["--input", str(p)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = PeakSampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - t0
    peak = sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"build failed ({proc.returncode}): {err[-2000:]}")
    summary = json.loads((output / "build.json").read_text())
    read = summary["read"]
    return {"documents": read, "documents_kept": summary["documents"],
            "duplicates": summary["documents_duplicate"], "seconds": round(seconds, 1),
            "docs_per_s": round(read / seconds, 1), "ms_per_doc": round(1000 * seconds / read, 2),
            "peak_rss_mb": peak}


def predicted_rss_mb(runs: list[dict], size: int) -> float | None:
    """Linear fit through the two largest sizes measured."""
    if len(runs) < 2:
        return None
    a, b = sorted(runs, key=lambda r: r["documents"])[-2:]
    slope = (b["peak_rss_mb"] - a["peak_rss_mb"]) / max(b["documents"] - a["documents"], 1)
    return round(b["peak_rss_mb"] + slope * (size - b["documents"]), 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,5000,real,100000,1000000",
                    help="comma-separated document counts; 'real' = the two corpora as shipped (21,631)")
    ap.add_argument("--max-rss-gb", type=float, default=16.0,
                    help="skip a size predicted to need more memory than this (default 16)")
    ap.add_argument("--max-minutes", type=float, default=30.0,
                    help="skip a size predicted to take longer than this (default 30)")
    args = ap.parse_args()
    if not all(p.exists() for p in CORPORA):
        print(f"needs the corpora in {SHARED}")
        return 2
    sizes = [REAL if s.strip() == REAL else int(s) for s in args.sizes.split(",") if s.strip()]
    real = real_records()
    runs, skipped = [], []
    print(f"\n{'documents':>10}{'seconds':>9}{'docs/s':>9}{'ms/doc':>8}{'peak MB':>9}  (the flow, Prefect included)")
    with tempfile.TemporaryDirectory(prefix="sco-scale-") as tmp:
        for size in sizes:
            n = len(real) if size == REAL else size
            rss = predicted_rss_mb(runs, n)
            per_doc = runs[-1]["ms_per_doc"] if runs else None
            minutes = per_doc * n / 60000 if per_doc else None
            if (rss and rss > args.max_rss_gb * 1024) or (minutes and minutes > args.max_minutes):
                why = (f"predicted peak {rss / 1024:.1f} GB" if rss else "") + \
                      (f", ~{minutes:.0f} min" if minutes else "")
                skipped.append({"documents": n, "predicted_peak_rss_mb": rss, "predicted_minutes": minutes})
                print(f"{n:>10}  skipped: {why} (limits: {args.max_rss_gb} GB, {args.max_minutes} min)")
                continue
            inputs = make_corpus(size, Path(tmp) / "in", real)
            r = run_build(inputs, Path(tmp) / f"out-{n}")
            r["corpus"] = "real" if size == REAL or n <= len(real) else "real + perturbed copies"
            if r["documents"] != n:  # every record must be read: a document or a reject
                raise SystemExit(f"size {n}: the build read {r['documents']} records")
            runs.append(r)
            print(f"{r['documents']:>10}{r['seconds']:>9}{r['docs_per_s']:>9}{r['ms_per_doc']:>8}{r['peak_rss_mb']:>9}"
                  f"  {r['duplicates']} duplicates")
            shutil.rmtree(Path(tmp) / "in", ignore_errors=True)
            shutil.rmtree(Path(tmp) / f"out-{n}", ignore_errors=True)

    path = BENCH_JSON
    bench = json.loads(path.read_text()) if path.exists() else {}
    # a run of some sizes replaces those sizes and keeps the others measured before
    measured = {r["documents"]: r for r in bench.get("scaling", [])}
    measured.update({r["documents"]: r for r in runs})
    bench["scaling"] = [measured[k] for k in sorted(measured)]
    bench["scaling_skipped"] = skipped
    full = [r for r in runs if r["corpus"] == "real" and r["documents"] == len(real)]
    if full:
        plain = bench.get("end_to_end_plain") or {}
        e = full[0]
        bench["end_to_end"] = {"documents": e["documents"], "seconds": e["seconds"], "docs_per_s": e["docs_per_s"],
                               "peak_rss_mb": e["peak_rss_mb"], "with_prefect": True}
        if plain.get("seconds") and plain.get("documents") == e["documents"]:
            bench["prefect_share"] = {"flow_seconds": e["seconds"], "plain_seconds": plain["seconds"],
                                      "ratio": round(e["seconds"] / plain["seconds"], 2)}
            print(f"\nPrefect's share: the flow {e['seconds']} s / the same stages as plain functions "
                  f"{plain['seconds']} s = {bench['prefect_share']['ratio']}x")
        big = [r for r in runs if r["documents"] > e["documents"]]
        for r in big:
            print(f"{r['documents']} documents: {r['ms_per_doc'] / e['ms_per_doc']:.2f}x the time per document "
                  f"of the real corpus")
    save(bench, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
