"""flows.engine.pool.Executor: workers replaced after a few tasks, and never a pool left
without workers (CPython 3.11-3.13's ProcessPoolExecutor can deadlock there, gh-115634)."""
from __future__ import annotations

import multiprocessing
import os

from flows.engine import pool


def test_workers_are_replaced_and_every_queued_task_runs():
    ctx = multiprocessing.get_context("forkserver")
    # the reproducer of gh-115634: one worker, two tasks each, a backlog of ten
    with pool.Executor(1, mp_context=ctx, max_tasks_per_child=2) as executor:
        pids = [f.result(timeout=120) for f in [executor.submit(os.getpid) for _ in range(10)]]
    assert len(set(pids)) == 5  # a new worker every two tasks
    assert all(pids.count(p) == 2 for p in set(pids))
