"""The flow on a local two-worker Dask cluster gives the same rows as the default runner."""
from __future__ import annotations

import hashlib
import os

import pytest

from flows.build import Settings, build_dataset, task_runner
from schemas.tables import TABLES
from tests.conftest import SEEDS

pytestmark = pytest.mark.e2e
pytest.importorskip("prefect_dask", reason="prefect-dask is a dependency: pip install -e .")


def test_dask_runner_gives_the_same_files(seed_build, tmp_path):
    out, _ = seed_build
    os.environ["SOURCE_DATE_EPOCH"] = "1763856000"
    try:
        flow = build_dataset.with_options(task_runner=task_runner(workers=2))
        result = flow(Settings(inputs=[SEEDS], output=tmp_path, shard_files=2, annotate_batch=4))
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    assert result["documents"] == 17
    for name in TABLES:
        a = hashlib.sha256((out / f"{name}.parquet").read_bytes()).hexdigest()
        b = hashlib.sha256((tmp_path / f"{name}.parquet").read_bytes()).hexdigest()
        assert a == b, name
