"""Run the build on a schedule.

`make_deployment(cron=..., interval=...)` is a Prefect deployment of the flow
`build_dataset` with that schedule (nothing is registered or run: a test reads
its `.schedules`); `serve(...)` registers it with the Prefect API and runs its
scheduled runs in this process until stopped (Ctrl-C).

With PREFECT_API_URL set (a `prefect server start`, or Prefect Cloud), the
server's scheduler creates the runs and the UI shows them. Without it, Prefect
starts a temporary local API for this process, and that API runs no scheduler
service (measured with Prefect 3.8: a served deployment never gets a run), so
`serve` then schedules the next runs itself, every `schedule_every` seconds,
through the API's own "schedule runs for a deployment" endpoint; the runs are
visible only to this process. For a Prefect server or Prefect Cloud with work
pools, use `prefect.yaml` instead (`prefect deploy --all`, then
`prefect worker start --pool sco-open-data`).
"""
from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from flows.build import build_dataset
from flows.config import Settings

DEFAULT_NAME = "scheduled-build"
DEFAULT_CRON = "0 */6 * * *"


def settings_parameters(settings: Settings | None) -> dict[str, Any]:
    """`{"settings": {...}}` as JSON a deployment can store (paths and dates as strings):
    the settings given or read from the environment, so a run reads the others when it
    starts; `{}` when `settings` is None (the flow then uses its defaults)."""
    if settings is None:
        return {}
    return {"settings": settings.model_dump(mode="json", exclude_unset=True)}


def check_schedule(cron: str | None, interval: int | float | timedelta | None,
                   timezone: str | None = None) -> timedelta | None:
    """Raise ValueError, in one line, unless exactly one of `cron` and `interval` is given
    and usable; returns the interval as a timedelta (None for a cron schedule)."""
    if (cron is None) == (interval is None):
        raise ValueError("give exactly one of cron (e.g. '0 */6 * * *') or interval (seconds)")
    if cron is not None:
        from prefect.client.schemas.schedules import CronSchedule  # validates the expression
        from pydantic import ValidationError

        try:
            CronSchedule(cron=cron, timezone=timezone)
        except ValidationError as e:
            why = "; ".join(str(err.get("ctx", {}).get("error") or err["msg"]) for err in e.errors())
            raise ValueError(f"invalid cron expression {cron!r} (five fields: minute hour day month weekday, "
                             f"e.g. '0 */6 * * *'): {why}") from None
        return None
    seconds = interval.total_seconds() if isinstance(interval, timedelta) else float(interval)
    if seconds <= 0:
        raise ValueError(f"interval must be a positive number of seconds, got {interval!r}")
    return timedelta(seconds=seconds)


def make_deployment(cron: str | None = None, interval: int | float | timedelta | None = None,
                    name: str = DEFAULT_NAME, settings: Settings | None = None, *,
                    timezone: str | None = None, paused: bool | None = None):
    """A `RunnerDeployment` of `build_dataset` on a cron schedule or every `interval` seconds
    (exactly one of them). `settings` become the runs' parameters (default: the flow's own)."""
    interval = check_schedule(cron, interval, timezone)
    schedule_kw: dict[str, Any]
    if timezone is not None:
        from prefect.schedules import Cron, Interval

        schedule_kw = {"schedule": Cron(cron, timezone=timezone) if cron is not None
                       else Interval(interval, timezone=timezone)}
    else:
        schedule_kw = {"cron": cron} if cron is not None else {"interval": interval}
    return build_dataset.to_deployment(
        name=name,
        parameters=settings_parameters(settings),
        description="Build the sco-open-data dataset (sources.yaml in, validated Parquet and DuckDB out) on a schedule.",
        tags=["sco-open-data"],
        paused=paused,
        # No deployment concurrency_limit: on Prefect's temporary API (3.8) it cancels every
        # run ("concurrency slot lost during provisioning"). `serve` runs one run at a time
        # (Runner limit=1), and the build's own lock stops a second writer.
        _sync=True,  # a deployment, not a coroutine, even when called from async code
        **schedule_kw,
    )


def api_url() -> str | None:
    """The Prefect API this process talks to, or None for Prefect's temporary local one."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


async def schedule_upcoming(deployment_id, runs: int = 3) -> None:
    """Create the deployment's next `runs` scheduled flow runs (idempotent: a run already
    scheduled for a time is not created twice). What a Prefect server's scheduler does."""
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        r = await client.request("POST", "/deployments/{id}/schedule", path_params={"id": str(deployment_id)},
                                 json={"min_runs": runs, "max_runs": runs})
        r.raise_for_status()


async def _serve_here(deployment, schedule_every: float) -> None:
    from prefect.runner import Runner

    runner = Runner(name=f"sco-open-data-{deployment.name}", limit=1)
    deployment_id = await runner.aadd_deployment(deployment)

    async def keep_scheduling():
        while True:
            await schedule_upcoming(deployment_id)
            await asyncio.sleep(schedule_every)

    scheduler = asyncio.create_task(keep_scheduling())
    try:
        await runner.start()
    finally:
        scheduler.cancel()


def serve(cron: str | None = None, interval: int | float | timedelta | None = None, name: str = DEFAULT_NAME,
          settings: Settings | None = None, *, timezone: str | None = None, schedule_every: float = 30.0) -> None:
    """Register the scheduled deployment and run its runs here until interrupted (blocks)."""
    deployment = make_deployment(cron=cron, interval=interval, name=name, settings=settings, timezone=timezone)
    if api_url():
        from prefect import serve as prefect_serve

        prefect_serve(deployment, limit=1)
        return
    every = f"cron '{cron}'" if cron else f"every {interval} s"
    print(f"Serving build_dataset/{name} ({every}) on Prefect's temporary local API; Ctrl-C stops.\n"
          "To see the runs in the Prefect UI: run `prefect server start` elsewhere, then\n"
          "  export PREFECT_API_URL=http://127.0.0.1:4200/api   and serve again.", flush=True)
    try:
        asyncio.run(_serve_here(deployment, schedule_every))
    except KeyboardInterrupt:
        pass
