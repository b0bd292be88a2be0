"""Cleaning and annotating on a pool of worker processes gives the same files as
running them inline (the default for a build as small as the seeds)."""
from __future__ import annotations

import os

import pytest

from flows.build import build_dataset
from flows.config import Settings
from flows.engine import pool
from tests.conftest import SEEDS, assert_same_tables, build_pinned

pytestmark = pytest.mark.e2e


def test_processes_for_small_and_large_builds():
    assert pool.processes_for(10_000, None) == 1  # too small to pay for starting workers
    assert pool.processes_for(pool.MIN_POOLED_BYTES, None) == (os.cpu_count() or 1)
    assert pool.processes_for(10, 2) == 2 and pool.processes_for(10, 0) == 1


def test_pool_runs_in_other_processes_and_ends_with_its_block():
    with pool.running(2) as p:
        pids = {pool.run(os.getpid) for _ in range(4)}
        assert os.getpid() not in pids
    assert p._executor is None and pool.run(os.getpid) == os.getpid()


def test_pooled_build_gives_the_same_files(seed_build, tmp_path):
    out, _ = seed_build
    # one input an ingest shard, a worker replaced after every shard: the same files
    result = build_pinned(build_dataset, Settings(inputs=[SEEDS], output=tmp_path, shard_files=2, annotate_batch=4,
                                                  processes=2, shard_bytes=1, tasks_per_worker=1))
    assert result["documents"] == 17
    assert_same_tables(out, tmp_path)
