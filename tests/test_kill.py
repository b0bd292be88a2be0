"""Kill the build at random points (issue 10): a subprocess running the real
Prefect flow on seeds/documents plus tests/fixtures/mixed is SIGKILLed in the
middle of a stage or of the write; `output/` must then hold the complete earlier
build, or none, never a mix — and the next run completes.

The subprocess wraps the stage functions (ingest, clean, dedup, annotate,
resolve, validate, each Parquet file, the database, the summary, the symlink
swap, the state) to print a marker when each starts, so the kill points are
chosen by a seeded RNG among the stages and the write, not left to the clock
alone. (A stale lock from a killed run: tests/test_incremental.py.)
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from flows import publish
from schemas.tables import TABLES
from tests.conftest import FIXTURES, ROOT, SEEDS

RUNNER = r"""
import os, sys, time
from pathlib import Path
import importlib
from flows import clean, dedup, ingest, publish, resolve
from flows.annotate import pipeline as annotate
from flows.engine import state

# SCO_TEST_PAUSE="name:n": stop just before the n-th call of `name`, for a kill at an exact point
PAUSE = os.environ.get("SCO_TEST_PAUSE", "")
calls = {}

def marked(module, name):
    # wrapped where it is defined (calls inside its module) and in the stage package
    # that re-exports it (calls from other stages)
    fn = getattr(module, name)
    home = importlib.import_module(fn.__module__)
    def wrapper(*args, **kwargs):
        tag = name
        if name == "_atomic_parquet":
            tag += ":" + Path(args[1]).name
        calls[name] = calls.get(name, 0) + 1
        print("MARK", tag, flush=True)
        if PAUSE == f"{name}:{calls[name]}":
            time.sleep(600)
        return fn(*args, **kwargs)
    setattr(module, name, wrapper)
    setattr(home, name, wrapper)

for module, name in [(ingest, "read_batch"), (clean, "clean_batch"), (dedup, "duplicate_columns"),
                     (annotate, "annotate_batch"), (resolve, "resolve"), (publish, "validate"),
                     (publish, "publish"), (publish.write, "_atomic_parquet"), (publish, "build_database"),
                     (publish, "write_summary"), (publish, "symlink_atomic"), (state, "save")]:
    marked(module, name)

from flows.build import Settings, build_dataset
out = Path(sys.argv[1])
result = build_dataset(Settings(inputs=[Path(p) for p in sys.argv[2:]], output=out))
print("DONE", result["documents"], flush=True)
"""


def run_build(out: Path, kill_after: str | None = None, delay: float = 0.0, nth: int = 1, pause: bool = False,
              timeout: float = 180) -> dict:
    """Run a build in its own process group; SIGKILL the group `delay` seconds after
    the `nth` marker starting with `kill_after` (with `pause`, the build stops
    right before that call, so the kill lands exactly there). Returns the markers
    seen and whether it finished."""
    env = {**os.environ, "SCO_TEST_PAUSE": f"{kill_after}:{nth}" if pause else ""}
    p = subprocess.Popen([sys.executable, "-c", RUNNER, str(out), str(SEEDS), str(FIXTURES / "mixed")],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, env=env)
    marks, done, killed = [], False, False
    t0 = time.monotonic()
    try:
        for line in p.stdout:
            if line.startswith("MARK "):
                marks.append((round(time.monotonic() - t0, 2), line.split()[1]))
                if kill_after and sum(m.startswith(kill_after) for _, m in marks) == nth:
                    time.sleep(delay)
                    os.killpg(p.pid, signal.SIGKILL)
                    killed = True
                    break
            elif line.startswith("DONE"):
                done = True
            if time.monotonic() - t0 > timeout:
                break
    finally:
        if p.poll() is None and not done:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        p.wait(timeout=30)
        try:  # the flow's helpers (Prefect's server) go with the group
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        err = p.stderr.read()
        p.stdout.close()
        p.stderr.close()
    return {"marks": marks, "done": done, "killed": killed, "rc": p.returncode, "stderr": err[-3000:],
            "seconds": round(time.monotonic() - t0, 2)}


def published(out: Path) -> str | None:
    """The id of the build `out` publishes, after checking it is whole: every name
    resolves into the same `.builds/<id>`, every table reads and validates, and the
    row counts are those its build.json states. None when nothing is published."""
    names = [f"{t}.parquet" for t in TABLES] + [publish.DB_NAME, "build.json"]
    current = out / publish.CURRENT
    if not current.is_symlink():
        assert not any((out / n).exists() for n in names), "files published without a .current build"
        return None
    build = current.resolve()
    assert build.parent == (out / publish.BUILDS).resolve() and not build.name.endswith(".partial"), build
    for n in names:
        assert (out / n).resolve().parent == build, f"{n} is not from build {build.name}"
        assert (out / n).is_file(), n
    summary = json.loads((out / "build.json").read_text(encoding="utf-8"))
    for t in TABLES:
        rows = pq.read_table(out / f"{t}.parquet").to_pylist()
        publish.validate({t: publish.to_frame(t, rows)})
        assert len(rows) == summary["rows"][t], t
    import duckdb

    con = duckdb.connect(str(out / publish.DB_NAME), read_only=True)
    try:
        assert con.sql("select count(*) from documents").fetchone()[0] == summary["rows"]["documents"]
    finally:
        con.close()
    return build.name


STAGES = ["read_batch", "clean_batch", "duplicate_columns", "annotate_batch", "resolve", "validate"]
N_PARQUET = len(TABLES)


def _assert_killed(r: dict, where: str) -> None:
    assert r["killed"] and not r["done"] and r["rc"] == -signal.SIGKILL, (where, r["marks"][-3:], r["stderr"])


def test_kill_at_random_points_never_leaves_a_mix(tmp_path):
    rng = random.Random(20261123)
    out = tmp_path / "output"
    log = []

    # 1. the first build, killed in the middle of a stage: nothing is published
    stage = rng.choice(STAGES)
    r = run_build(out, stage, delay=rng.uniform(0.0, 0.1))
    _assert_killed(r, stage)
    assert published(out) is None
    log.append((stage, r["seconds"]))

    # 2. the next run completes (the killed run's lock does not block it)
    r = run_build(out)
    assert r["done"] and r["rc"] == 0, r["stderr"]
    first = published(out)
    assert first is not None
    n_docs = json.loads((out / "build.json").read_text())["rows"]["documents"]

    # 3. killed in the middle of another stage, with a build published: it stays, whole
    stage = rng.choice([s for s in STAGES if s != stage])
    r = run_build(out, stage, delay=rng.uniform(0.0, 0.1))
    _assert_killed(r, stage)
    assert published(out) == first
    log.append((stage, r["seconds"]))

    # 4. killed in the middle of writing its Parquet files: the first build is still whole
    nth = rng.randint(1, N_PARQUET)
    r = run_build(out, "_atomic_parquet", nth=nth, pause=True)
    _assert_killed(r, f"parquet {nth}")
    assert published(out) == first
    assert list((out / publish.BUILDS).glob("*.partial")), "the killed write left no .partial folder"
    log.append((f"parquet {nth}", r["seconds"]))

    # 5. killed at the end of the write: database, summary, the swap, the state
    # (with the names already linked to .current/<name>, the swap is the one symlink_atomic call)
    point, nth = rng.choice([("build_database", 1), ("write_summary", 1), ("symlink_atomic", 1), ("save", 1)])
    r = run_build(out, point, nth=nth, pause=True)
    _assert_killed(r, f"{point} {nth}")
    now = published(out)
    assert now is not None
    if (point, nth) in (("build_database", 1), ("write_summary", 1), ("symlink_atomic", 1)):
        assert now == first  # not swapped yet
    else:
        assert now != first  # swapped: the new build, whole
    log.append((f"{point} {nth}", r["seconds"]))

    # 6. and the next run completes, cleans up, and gives the same dataset
    r = run_build(out)
    assert r["done"] and r["rc"] == 0, r["stderr"]
    last = published(out)
    assert last not in (None, first)
    assert json.loads((out / "build.json").read_text())["rows"]["documents"] == n_docs
    assert not list((out / publish.BUILDS).glob("*.partial"))
    print("kills:", log)


def test_first_build_killed_while_linking_its_names_publishes_nothing_or_everything(tmp_path):
    out = tmp_path / "output"
    r = run_build(out, "symlink_atomic", nth=3, pause=True)  # after `.current` and documents.parquet
    _assert_killed(r, "symlink_atomic 3")
    published(out)



# --- A killed build leaves no process behind (issue 16) ---------------------------------

MARKER = "SCO_TEST_BUILD_TREE"  # set in the build's environment: every process it starts inherits it
CLI = "import sys; from flows.cli import app; sys.exit(app())"


def marked_processes(token: str) -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every live process whose environment holds
    MARKER=token: the build and everything it started, wherever they were reparented."""
    needle = f"{MARKER}={token}".encode()
    out = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:  # a zombie's environ reads empty: it is dead, not counted
            if needle not in Path(f"/proc/{entry.name}/environ").read_bytes().split(b"\0"):
                continue
            stat = Path(f"/proc/{entry.name}/stat").read_bytes()
            cmd = Path(f"/proc/{entry.name}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        out[int(entry.name)] = (int(stat[stat.rindex(b")") + 2:].split()[1]), cmd[:160])
    return out


def _pool_and_server_up(procs: dict[int, tuple[int, str]]) -> bool:
    """Prefect's temporary API server runs, and the fork server has forked two workers."""
    servers = [pid for pid, (_, cmd) in procs.items() if "multiprocessing.forkserver" in cmd]
    workers = [pid for pid, (ppid, _) in procs.items() if ppid in servers]
    return any("uvicorn" in cmd for _, cmd in procs.values()) and len(workers) >= 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_build_leaves_no_process_behind(tmp_path):
    token = f"{os.getpid()}-{time.monotonic_ns()}"
    env = {**os.environ, MARKER: token, "SCO_POOL_MIN_BYTES": "0", "SCO_PROCESSES": "2", "SCO_SHARD_FILES": "2"}
    p = subprocess.Popen([sys.executable, "-c", CLI, "build", "-o", str(tmp_path / "output"), "--full",
                          "-i", str(SEEDS), "-i", str(FIXTURES / "mixed")],
                         cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while not _pool_and_server_up(marked_processes(token)):
            assert p.poll() is None and time.monotonic() < deadline, \
                f"the build ended before its pool and server were seen: {p.stderr.read()[-2000:]!r}"
            time.sleep(0.05)
        before = marked_processes(token)
        os.kill(p.pid, signal.SIGKILL)  # the build alone, as the OOM killer would: not its group
        p.wait(timeout=30)
        deadline = time.monotonic() + 10
        while (left := marked_processes(token)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, f"still alive 10 s after the build was killed: {left} (of {before})"
    finally:
        for pid in marked_processes(token):  # a failed run leaves nothing either
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        p.stderr.close()
