"""Test set-up shared by every tier.

Prefect keeps its state in a temporary PREFECT_HOME and never phones home; the
ephemeral API gets enough time to start on a busy 2-core machine.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

if "PREFECT_HOME" not in os.environ:
    _home = tempfile.mkdtemp(prefix="sco-prefect-")
    os.environ["PREFECT_HOME"] = _home
    atexit.register(shutil.rmtree, _home, True)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["DO_NOT_TRACK"] = "1"
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds" / "documents"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


def needs_shared(path: str = ""):
    """Skip a test when ../shared (the corpora beside the project) is absent."""
    return pytest.mark.skipif(
        not (SHARED / path).exists(),
        reason=f"needs ../shared/{path}: the corpora are not in the repo (see ../shared/README.md)",
    )


@pytest.fixture(scope="session")
def gz():
    from flows.core import gazetteer

    return gazetteer.load()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """One end-to-end run of the real Prefect flow on seeds/, shared by the e2e tests."""
    from flows.build import build_dataset
    from flows.config import Settings

    out = tmp_path_factory.mktemp("build")
    return out, build_pinned(build_dataset, Settings(inputs=[SEEDS], output=out))


def build_pinned(flow, settings):
    """Run `flow` at the pinned build time of `seed_build`, so its files can be compared byte for byte."""
    os.environ["SOURCE_DATE_EPOCH"] = "1763856000"  # 2025-11-23: a pinned build time
    try:
        return flow(settings)
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def assert_same_tables(a, b) -> None:
    """Every table's Parquet file in build folder `a` equals the one in `b`, byte for byte."""
    import hashlib

    from schemas.tables import TABLES

    for name in TABLES:
        ha = hashlib.sha256((a / f"{name}.parquet").read_bytes()).hexdigest()
        hb = hashlib.sha256((b / f"{name}.parquet").read_bytes()).hexdigest()
        assert ha == hb, name
