"""Scheduling: the deployment's schedule (without blocking), prefect.yaml, and — inside ONE
Prefect test harness for this module — one scheduled run of the real flow driven to
completion, and the fetch task's retries as Prefect runs them."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
import yaml

from flows import serve
from flows.config import Settings
from flows.sources import fetch as web
from flows.tasks import fetch_url_task
from tests.conftest import ROOT, SEEDS
from tests.fixtures.web.webserver import TestSite

# ---------------------------------------------------------------- no engine needed

def test_cron_deployment_exposes_its_schedule_without_running():
    d = serve.make_deployment(cron="0 */6 * * *")
    assert d.name == serve.DEFAULT_NAME and d.entrypoint == "flows/build.py:build_dataset"
    [s] = d.schedules
    assert s.schedule.cron == "0 */6 * * *" and s.active
    assert d.parameters == {}


def test_interval_deployment_and_settings_become_parameters(tmp_path):
    d = serve.make_deployment(interval=900, name="quarter-hourly",
                              settings=Settings(inputs=[SEEDS], output=tmp_path))
    assert d.schedules[0].schedule.interval == timedelta(seconds=900)
    params = d.parameters["settings"]
    assert params["inputs"] == [str(SEEDS)] and params["output"] == str(tmp_path)


def test_timezone_is_kept():
    d = serve.make_deployment(cron="30 3 * * *", timezone="Asia/Shanghai")
    assert d.schedules[0].schedule.timezone == "Asia/Shanghai"


@pytest.mark.parametrize("kw, message", [
    ({}, "exactly one"), ({"cron": "0 * * * *", "interval": 60}, "exactly one"),
    ({"cron": "every six hours"}, "invalid cron"), ({"interval": 0}, "positive"),
])
def test_bad_schedules_are_refused(kw, message):
    with pytest.raises(ValueError, match=message):
        serve.make_deployment(**kw)


def test_prefect_yaml_is_valid_for_prefect_deploy():
    from prefect.cli.deploy._models import PrefectYamlModel
    from prefect.flows import load_flow_from_entrypoint

    cfg = PrefectYamlModel.model_validate(yaml.safe_load((ROOT / "prefect.yaml").read_text()))
    assert cfg.deployments, "prefect.yaml lists deployments"
    for dep in cfg.deployments:
        assert dep.entrypoint == "flows/build.py:build_dataset"
        assert dep.work_pool and dep.work_pool.name
        assert dep.schedules and dep.schedules[0].cron
    assert cfg.deployments[0].schedules[0].cron == "0 */6 * * *"
    path, name = cfg.deployments[0].entrypoint.split(":")
    assert load_flow_from_entrypoint(str(ROOT / path) + ":" + name).name == "build_dataset"


# ---------------------------------------------------------------- inside the harness

@pytest.fixture(scope="module")
def harness():
    """The one Prefect test harness of these tests (about 11 s to enter)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def site():
    with TestSite() as s:
        yield s


@pytest.mark.e2e
def test_one_scheduled_run_of_the_real_flow_completes(harness, tmp_path, monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.runner import Runner

    monkeypatch.chdir(ROOT)  # the runner runs the entrypoint flows/build.py from here
    out = tmp_path / "out"
    deployment = serve.make_deployment(cron="0 */6 * * *", name="test-schedule",
                                       settings=Settings(inputs=[SEEDS], output=out))

    async def one_scheduled_run():
        runner = Runner(query_seconds=1)
        await runner.aadd_deployment(deployment)  # registers it, with its schedule
        async with get_client() as client:
            dep = await client.read_deployment_by_name("build_dataset/test-schedule")
            assert [s.schedule.cron for s in dep.schedules] == ["0 */6 * * *"]
        run = await run_deployment(name="build_dataset/test-schedule", timeout=0)
        await runner.start(run_once=True)  # picks the run up and drives it to completion
        async with get_client() as client:
            return await client.read_flow_run(run.id)

    run = asyncio.run(one_scheduled_run())
    assert run.state.is_completed(), run.state
    for table in ("documents", "events", "figures"):
        assert (out / f"{table}.parquet").exists()
    assert (out / "sco.duckdb").exists()


def test_schedule_creates_the_next_runs_at_the_cron_times(harness):
    """What the scheduler does (a Prefect server's service, or `serve` itself on the temporary
    API). Fails with SQLAlchemy 2.1 under Prefect 3.8 (hence the pin `sqlalchemy<2.1`)."""
    from datetime import timezone

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    async def scheduled_runs():
        dep_id = await serve.make_deployment(cron="0 */6 * * *", name="cron-times").aapply()
        await serve.schedule_upcoming(dep_id, runs=3)
        await serve.schedule_upcoming(dep_id, runs=3)  # idempotent: no run twice
        async with get_client() as client:
            return await client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[dep_id])))

    runs = asyncio.run(scheduled_runs())
    times = sorted(r.expected_start_time.astimezone(timezone.utc) for r in runs)
    assert len(times) == 3 and all(r.state.is_scheduled() for r in runs)
    assert all(t.minute == 0 and t.hour % 6 == 0 for t in times)
    assert [(b - a).total_seconds() for a, b in zip(times, times[1:])] == [6 * 3600, 6 * 3600]


def test_fetch_task_retries_server_errors_but_not_404(harness, site, tmp_path):
    from prefect import flow

    assert fetch_url_task.retries == 3
    assert fetch_url_task.retry_delay_seconds == [1, 2, 4]
    quick = fetch_url_task.with_options(retry_delay_seconds=0, retry_jitter_factor=None)
    opts = web.FetchOptions(timeout=5, min_delay=0, allow_private=True)

    @flow
    def fetch_some(raw):
        out = {}
        for path in ("/broken", "/missing", "/news/26911"):
            state = quick(site.url(path), raw, options=opts, return_state=True)
            out[path] = (state.is_completed(), state.result(raise_on_failure=False))
        return out

    before = dict(site.hits)
    got = fetch_some(tmp_path)
    assert site.hits["/broken"] - before.get("/broken", 0) == 4  # tried, then 3 retries
    assert site.hits["/missing"] - before.get("/missing", 0) == 1  # a 404 is not retried
    ok, res = got["/news/26911"]
    assert ok and res.path.exists()
    ok, err = got["/broken"]
    assert not ok and isinstance(err, web.FetchError) and err.reason == "HTTP 500"


def test_collect_sources_task_in_a_flow(harness, site, tmp_path):
    from prefect import flow

    from flows.tasks import collect_sources

    cfg = tmp_path / "sources.yaml"
    cfg.write_text(f"""
raw_store: raw
fetch: {{min_delay: 0, timeout: 5}}
sources:
  - {{name: seeds, type: folder, path: {SEEDS}}}
  - {{name: atom, type: feed, url: "{site.url('/feed.atom')}"}}
""")

    @flow
    def collect_in_flow():
        return collect_sources(cfg, allow_private=True)

    got = collect_in_flow()
    assert got.paths == [SEEDS, tmp_path / "raw"] and not got.failures
    assert got.counts["new"] == 1
