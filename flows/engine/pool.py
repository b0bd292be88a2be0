from __future__ import annotations

import ctypes
import gc
import multiprocessing
import multiprocessing.forkserver
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from flows.engine.jobs import Take

# A worker is replaced after this many shards: what its heap kept (fragments, caches
# filled by every shard) goes with it; a new one starts from the fork server's
# loaded modules, warm (worker_init). 0: never replaced. The defaults of the build's
# settings (config.Settings: SCO_TASKS_PER_WORKER, SCO_POOL_MIN_BYTES), which the flow passes.
TASKS_PER_WORKER = 8
MIN_POOLED_BYTES = 4 << 20  # less input to read than this: inline


def release_memory() -> None:
    """Collect, then hand freed heap back to the system (glibc's malloc_trim): the
    allocators keep what a shard freed, and a worker would stay as large as its
    largest shard for the rest of the build."""
    gc.collect()
    trim_memory()


def trim_memory() -> None:
    """Hand freed heap back to the system (glibc's malloc_trim), without a collection."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _then_release(fn, *args):
    """In a worker: run a shard function, then release what it freed (its result,
    pickled back, no longer needs the worker's memory)."""
    try:
        return fn(*args)
    finally:
        del args
        release_memory()


class Executor(ProcessPoolExecutor):
    """A process pool whose workers are replaced after `max_tasks_per_child` tasks
    without the deadlock of CPython 3.11-3.13 (gh-115634): there, a worker that exits
    at its limit may not be replaced (a stale idle-worker token says one is idle), and
    with every worker gone the queued tasks wait for ever. Here a missing worker is
    always started, as the fix does (the pool keeps all its workers: it needs them)."""

    def _adjust_process_count(self):
        if len(self._processes) < self._max_workers:
            self._spawn_process()


class Pool:
    """Runs shard functions on `processes` worker processes, or inline when
    processes <= 1. Started lazily; `close()` ends the workers."""

    def __init__(self, processes: int = 1, tasks_per_worker: int = TASKS_PER_WORKER):
        self.processes, self.tasks_per_worker = processes, tasks_per_worker
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()  # tasks on several threads may start it at once
        # Every shard task may call at once (a thread each): only this many shards are
        # taken out of their tables (`Take`) and sent at a time; the others wait untaken.
        self._slots = threading.BoundedSemaphore(max(1, processes) + 1)

    def run(self, fn, *args):
        with self._slots:
            args = tuple(a.table() if isinstance(a, Take) else a for a in args)
            if self.processes <= 1:
                return fn(*args)
            with self._lock:
                if self._executor is None:
                    self._executor = Executor(self.processes, mp_context=_forkserver_context(),
                                              max_tasks_per_child=self.tasks_per_worker or None)
            future = self._executor.submit(_then_release, fn, *args)
            del args
            return future.result()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _forkserver_context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["flows.engine.worker_init"])  # workers start warm
    return ctx


def start_fork_server() -> None:
    """Start the fork server now, from this thread: it dies with the thread that started
    it (worker_init sets its death signal), so that must be the flow's, which outlives
    the pool, not a task's. And it warms up while the build reads its inputs."""
    _forkserver_context()
    multiprocessing.forkserver.ensure_running()


# The build's pool, set by the flow for its run. A module global, not a task
# argument: an executor cannot be pickled to a Dask worker, and a remote Dask worker,
# which never sees the flow's setting, runs its shards inline (it is a process already).
_pool = Pool(1)


def run(fn, *args):
    """fn(*args) on the build's pool; a `Take` argument is taken out of its table here,
    once a worker is about to be free."""
    return _pool.run(fn, *args)


@contextmanager
def running(processes: int, tasks_per_worker: int = TASKS_PER_WORKER):
    """The build's pool for the duration of a `with` block; its workers end with it."""
    global _pool
    _pool.close()
    _pool = Pool(processes, tasks_per_worker)
    if processes > 1:
        start_fork_server()
    try:
        yield _pool
    finally:
        _pool.close()
        _pool = Pool(1)


def processes_for(n_bytes: int, requested: int | None, min_pooled_bytes: int = MIN_POOLED_BYTES) -> int:
    """How many worker processes a build reading `n_bytes` of input gets: `requested`
    (SCO_PROCESSES), else one per core; 1 (inline) for a small build (below
    `min_pooled_bytes`, SCO_POOL_MIN_BYTES)."""
    if requested is not None:
        return max(1, requested)
    return 1 if n_bytes < min_pooled_bytes else (os.cpu_count() or 1)
