"""Test set-up shared by every tier.

Prefect keeps its state in a temporary PREFECT_HOME (not the project's .prefect);
its other defaults (no analytics, the ephemeral API's start-up time, the log level)
are the project's own, set by `flows.config.set_process_defaults` when `flows` is
first imported, here, before any test module imports Prefect.
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
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")

import flows  # noqa: E402,F401  (sets the process-wide defaults)
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


PINNED_EPOCH = 1763856000  # 2025-11-23: a pinned build time


def build_pinned(flow, settings):
    """Run `flow` at the pinned build time of `seed_build`, so its files can be compared byte for byte."""
    return flow(settings.model_copy(update={"source_date_epoch": PINNED_EPOCH}))


def assert_same_tables(a, b) -> None:
    """Every table's Parquet file in build folder `a` equals the one in `b`, byte for byte."""
    import hashlib

    from schemas.tables import TABLES

    for name in TABLES:
        ha = hashlib.sha256((a / f"{name}.parquet").read_bytes()).hexdigest()
        hb = hashlib.sha256((b / f"{name}.parquet").read_bytes()).hexdigest()
        assert ha == hb, name
