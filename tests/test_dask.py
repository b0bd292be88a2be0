"""The flow on a local two-worker Dask cluster gives the same rows as the default runner."""
from __future__ import annotations

import pytest

from flows.build import build_dataset, task_runner
from flows.config import Settings
from tests.conftest import SEEDS, assert_same_tables, build_pinned

pytestmark = pytest.mark.e2e
pytest.importorskip("prefect_dask", reason="prefect-dask is a dependency: pip install -e .")


def test_dask_runner_gives_the_same_files(seed_build, tmp_path):
    out, _ = seed_build
    flow = build_dataset.with_options(task_runner=task_runner(workers=2))
    result = build_pinned(flow, Settings(inputs=[SEEDS], output=tmp_path, shard_files=2, annotate_batch=4))
    assert result["documents"] == 17
    assert_same_tables(out, tmp_path)
