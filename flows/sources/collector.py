from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from flows.sources import fetch as web
from flows.sources.config import (
    DEFAULT_RAW_STORE,
    FeedSource,
    Source,
    UrlListSource,
    WebSource,
    _is_http_url,
    _PathSource,
)
from flows.sources.feeds import parse_feed

# ---------------------------------------------------------------- collecting

@dataclass
class Collected:
    paths: list[Path] = field(default_factory=list)  # local files and folders to ingest (with the raw store)
    failures: list[dict] = field(default_factory=list)  # {source_uri, reason, detail}, shaped like rejects
    fetched: list[web.FetchResult] = field(default_factory=list)  # pages and feeds asked for this run
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "unchanged": 0, "kept": 0, "failed": 0})


def _fetcher_call(raw_store: Path, options: web.FetchOptions, retry_delays: Sequence[float] | None,
                  fetcher: web.Fetcher | None, fetch_task=None) -> Callable[..., web.FetchResult]:
    """A function (url, kind, meta) -> FetchResult that retries what is retryable: as
    task retries when the flow gives its `fetch_task` (a Prefect task, flows/tasks.py),
    else with the same delays in a plain loop."""
    delays = list(web.RETRY_DELAYS if retry_delays is None else retry_delays)
    if fetcher is None and fetch_task is not None:
        t = fetch_task if retry_delays is None else fetch_task.with_options(
            retries=len(delays), retry_delay_seconds=delays or 0)

        def call(url, kind, meta):
            return t(url, raw_store, kind=kind, meta=meta, options=options)
        return call

    f = fetcher or web.shared_fetcher(raw_store, options)

    def call(url, kind, meta):
        for attempt in range(len(delays) + 1):
            try:
                return f.fetch(url, kind=kind, meta=meta)
            except web.FetchError as e:
                if not e.retryable or attempt == len(delays):
                    raise
                time.sleep(delays[attempt])
        raise AssertionError("unreachable")  # pragma: no cover
    return call


def _failure(uri: str, reason: str, detail: str | None = None) -> dict:
    return {"source_uri": uri, "reason": reason, "detail": detail}


def collect(sources: Sequence[Source], raw_store: Path = DEFAULT_RAW_STORE, *, allow_private: bool = False,
            options: web.FetchOptions | None = None, offline: bool = False,
            retry_delays: Sequence[float] | None = None, fetcher: web.Fetcher | None = None,
            fetch_task=None) -> Collected:
    """Gather every enabled source: local folders and files are checked and listed; feeds
    and URL lists are fetched into `raw_store` (new pages only, unless a source says
    `refetch: true`). `offline=True` fetches nothing and only lists the raw store.

    Returns the paths to ingest (the raw store folder among them whenever it holds
    anything) and the failures; a source that fails is a failure, never an exception."""
    raw_store = Path(raw_store)
    opts = web.options_with(options, allow_private=allow_private or (options.allow_private if options else None))
    out = Collected()
    web_sources = [s for s in sources if s.enabled and isinstance(s, WebSource)]
    for s in sources:
        if not s.enabled:
            continue
        if isinstance(s, _PathSource):
            problem = s.problem()
            if problem:
                out.failures.append(_failure(s.uri, problem, f"source '{s.name}'"))
            else:
                out.paths.append(s.path)
    if web_sources and not offline:
        store = fetcher.store if fetcher else web.open_store(raw_store)
        for s in web_sources:
            src_opts = web.options_with(opts, min_delay=s.min_delay)
            call = _fetcher_call(raw_store, src_opts, retry_delays, fetcher, fetch_task)
            try:
                _collect_web(s, store, call, out)
            except Exception as e:  # one source never stops the others
                out.failures.append(_failure(s.uri, "source failed", f"{type(e).__name__}: {e}"))
        store.flush()
    if raw_store.is_dir() and any(raw_store.glob("??/*.html")):
        out.paths.append(raw_store)
    out.counts["failed"] = len(out.failures)
    return out


def _collect_web(s: WebSource, store: web.RawStore, call, out: Collected) -> None:
    base_meta = {"source": s.name, "source_name": s.outlet}
    if isinstance(s, FeedSource):
        try:
            res = call(s.url, "feed", {**base_meta})
        except web.FetchError as e:
            out.failures.append(e.as_failure())
            return
        out.fetched.append(res)
        try:
            items = parse_feed(res.path.read_bytes(), res.final_url)
        except ValueError as e:
            out.failures.append(_failure(s.url, "unreadable feed", str(e)))
            return
        targets = [(it.url, {**base_meta, "feed": {"url": s.url, "title": it.title, "published": it.published}})
                   for it in items[: s.max_items]]
    else:
        assert isinstance(s, UrlListSource)
        try:
            urls = s.all_urls()
        except OSError as e:
            out.failures.append(_failure(s.uri, "URL list unreadable", str(e)))
            return
        targets = []
        for u in urls:
            if _is_http_url(u):
                targets.append((u, dict(base_meta)))
            else:
                out.failures.append(_failure(u, "not an http(s) URL", f"in source '{s.name}'"))
    for url, meta in targets:
        if not s.refetch and store.known(url):
            out.counts["kept"] += 1  # already in the store: no request at all
            continue
        try:
            res = call(url, "page", meta)
        except web.FetchError as e:
            out.failures.append(e.as_failure())
            continue
        except Exception as e:  # a bug or an unexpected error is still only this URL's failure
            out.failures.append(_failure(url, "fetch failed", f"{type(e).__name__}: {e}"))
            continue
        out.fetched.append(res)
        out.counts["unchanged" if res.not_modified or not res.new else "new"] += 1
