"""Where documents come from: `sources.yaml`, and collecting what it lists.

    raw_store: output/raw          # optional: where fetched pages are kept (relative to this file)
    fetch:                         # optional: defaults for every web source
      timeout: 20                  #   seconds (connect / read)
      min_delay: 2                 #   seconds between two requests to one host
      max_bytes: 10000000          #   a larger page is refused
    sources:
      - name: seeds                # unique: letters, digits, . _ -
        type: folder               # folder | jsonl | feed | urls
        path: seeds/documents      # relative to this file
      - name: kremlin
        type: feed                 # an RSS 2.0, RSS 1.0 or Atom feed
        url: http://en.kremlin.ru/events/president/news/feed
        outlet: Kremlin            # optional: the documents' source_name when the page does not say
        max_items: 50              # optional: newest items taken from the feed (default 50)
        refetch: false             # optional: ask again (conditional GET) for pages already kept
        min_delay: 5               # optional: this source's own politeness delay
        enabled: false             # optional (default true)
      - name: sco-pages
        type: urls
        urls: [https://example.org/a.html]   # and/or
        file: urls.txt             # one URL a line, '#' comments

`load_sources(path)` reads and checks it (every mistake is a SourcesError naming
the file, the source and the key); `collect(sources, raw_store)` returns the local
paths to ingest (folders, JSON-lines files, and the raw store of fetched pages)
and the failures, one failing source never stopping the others.
"""
from __future__ import annotations

import difflib
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, ClassVar, Sequence
from urllib.parse import urljoin, urlsplit

import yaml
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext, TaskRunContext

from flows import fetch as web

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES_FILE = ROOT / "sources.yaml"
DEFAULT_RAW_STORE = ROOT / "output" / "raw"
TYPES = ("folder", "jsonl", "feed", "urls")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


class SourcesError(ValueError):
    """sources.yaml is not usable; the message names the file, the source and the key."""


# ---------------------------------------------------------------- the sources

@dataclass(kw_only=True)
class Source:
    name: str
    enabled: bool = True
    outlet: str | None = None  # the documents' source_name when a page does not state one
    type: ClassVar[str] = ""

    @property
    def uri(self) -> str:
        return f"source:{self.name}"


@dataclass(kw_only=True)
class _PathSource(Source):
    """A source that is a local path, named by it."""

    path: Path
    noun: ClassVar[str]  # what the path must be, in a failure's reason

    @property
    def uri(self) -> str:
        return str(self.path)

    def is_usable(self) -> bool:
        raise NotImplementedError

    def problem(self) -> str | None:
        """Why the path cannot be read as this source, or None."""
        if self.is_usable():
            return None
        return f"{self.noun} not found" if not self.path.exists() else f"not a {self.noun}"


@dataclass(kw_only=True)
class FolderSource(_PathSource):
    type: ClassVar[str] = "folder"
    noun: ClassVar[str] = "folder"

    def is_usable(self) -> bool:
        return self.path.is_dir()


@dataclass(kw_only=True)
class JsonlSource(_PathSource):
    type: ClassVar[str] = "jsonl"
    noun: ClassVar[str] = "file"

    def is_usable(self) -> bool:
        return self.path.is_file()


@dataclass(kw_only=True)
class WebSource(Source):
    refetch: bool = False  # ask again (conditional GET) for pages the store already holds
    min_delay: float | None = None  # this source's own delay between requests to one host


@dataclass(kw_only=True)
class FeedSource(WebSource):
    url: str
    max_items: int = 50
    type: ClassVar[str] = "feed"

    @property
    def uri(self) -> str:
        return self.url


@dataclass(kw_only=True)
class UrlListSource(WebSource):
    urls: list[str] = field(default_factory=list)
    file: Path | None = None  # a text file of URLs, one a line, '#' comments
    type: ClassVar[str] = "urls"

    @property
    def uri(self) -> str:
        return str(self.file) if self.file else f"source:{self.name}"

    def all_urls(self) -> list[str]:
        """The listed URLs, then the file's (if any), without repeats. Raises OSError if the file is unreadable."""
        urls = list(self.urls)
        if self.file:
            for line in Path(self.file).read_text("utf-8").splitlines():
                line = re.split(r"\s+#", line.strip(), maxsplit=1)[0].strip()  # a URL may hold '#'
                if line and not line.startswith("#"):
                    urls.append(line)
        return list(dict.fromkeys(urls))


@dataclass
class SourcesConfig:
    sources: list[Source]
    raw_store: Path = DEFAULT_RAW_STORE
    fetch: web.FetchOptions = field(default_factory=web.FetchOptions)
    path: Path | None = None  # the file it was read from


_CLASSES = {"folder": FolderSource, "jsonl": JsonlSource, "feed": FeedSource, "urls": UrlListSource}
_KEYS = {
    "folder": {"name", "type", "enabled", "outlet", "path"},
    "jsonl": {"name", "type", "enabled", "outlet", "path"},
    "feed": {"name", "type", "enabled", "outlet", "url", "max_items", "refetch", "min_delay"},
    "urls": {"name", "type", "enabled", "outlet", "urls", "file", "refetch", "min_delay"},
}
_FETCH_KEYS = {"timeout": float, "deadline": float, "max_bytes": int, "max_redirects": int, "min_delay": float,
               "respect_robots": bool}
_TOP_KEYS = {"sources", "raw_store", "fetch", "version"}


def _unknown(key: str, allowed: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}; allowed: {', '.join(sorted(allowed))}"


def _is_http_url(u) -> bool:
    if not isinstance(u, str):
        return False
    try:
        p = urlsplit(u.strip())
    except ValueError:
        return False
    return p.scheme in ("http", "https") and bool(p.hostname)


def _number(where: str, key: str, v, kind: type, minimum: float = 0):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (kind is int and not float(v).is_integer()):
        raise SourcesError(f"{where}: '{key}' must be {'an integer' if kind is int else 'a number'}, got {v!r}")
    if v < minimum:
        raise SourcesError(f"{where}: '{key}' must be at least {minimum}, got {v!r}")
    return kind(v)


def _source(i: int, raw, base: Path, file: str) -> Source:
    where = f"{file}: sources[{i}]"
    if not isinstance(raw, dict):
        raise SourcesError(f"{where}: each source is a mapping (name:, type:, ...), got {type(raw).__name__}")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise SourcesError(f"{where}: 'name' is required: letters, digits, '.', '_' or '-' (got {name!r})")
    where = f"{file}: sources[{i}] ({name})"
    kind = raw.get("type")
    if kind not in TYPES:
        close = difflib.get_close_matches(str(kind), TYPES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise SourcesError(f"{where}: 'type' must be one of {', '.join(TYPES)}, got {kind!r}{hint}")
    for key in raw:
        if key not in _KEYS[kind]:
            raise SourcesError(f"{where}: {_unknown(str(key), _KEYS[kind])}")
    args: dict = {"name": name}
    if "enabled" in raw:
        if not isinstance(raw["enabled"], bool):
            raise SourcesError(f"{where}: 'enabled' must be true or false, got {raw['enabled']!r}")
        args["enabled"] = raw["enabled"]
    if raw.get("outlet") is not None:
        if not isinstance(raw["outlet"], str) or not raw["outlet"].strip():
            raise SourcesError(f"{where}: 'outlet' must be a non-empty string")
        args["outlet"] = raw["outlet"].strip()
    if kind in ("folder", "jsonl"):
        p = raw.get("path")
        if not isinstance(p, str) or not p.strip():
            raise SourcesError(f"{where}: 'path' is required (a {'folder' if kind == 'folder' else 'file'}, "
                               f"relative to {file})")
        args["path"] = (base / p).resolve() if not Path(p).is_absolute() else Path(p)
    else:
        for key in ("refetch",):
            if key in raw:
                if not isinstance(raw[key], bool):
                    raise SourcesError(f"{where}: '{key}' must be true or false, got {raw[key]!r}")
                args[key] = raw[key]
        if raw.get("min_delay") is not None:
            args["min_delay"] = _number(where, "min_delay", raw["min_delay"], float)
    if kind == "feed":
        if not _is_http_url(raw.get("url")):
            raise SourcesError(f"{where}: 'url' must be an http(s) URL, got {raw.get('url')!r}")
        args["url"] = raw["url"].strip()
        if raw.get("max_items") is not None:
            args["max_items"] = _number(where, "max_items", raw["max_items"], int, 1)
    if kind == "urls":
        urls = raw.get("urls") or []
        if not isinstance(urls, list):
            raise SourcesError(f"{where}: 'urls' must be a list of http(s) URLs")
        bad = [u for u in urls if not _is_http_url(u)]
        if bad:
            raise SourcesError(f"{where}: not an http(s) URL: {bad[0]!r}")
        args["urls"] = [u.strip() for u in urls]
        if raw.get("file") is not None:
            if not isinstance(raw["file"], str):
                raise SourcesError(f"{where}: 'file' must be a path")
            args["file"] = (base / raw["file"]).resolve()
        if not urls and raw.get("file") is None:
            raise SourcesError(f"{where}: a 'urls' source needs 'urls' (a list) or 'file' (one URL a line)")
    return _CLASSES[kind](**args)


def read_config(path: Path | str = DEFAULT_SOURCES_FILE) -> SourcesConfig:
    """Read and check a sources file. Raises SourcesError (or FileNotFoundError)."""
    path = Path(path)
    file = path.name
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError:
        raise
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SourcesError(f"{file}: not valid YAML{at}: {getattr(e, 'problem', None) or e}") from None
    except UnicodeDecodeError as e:
        raise SourcesError(f"{file}: not UTF-8 text ({e})") from None
    if data is None:
        data = {"sources": []}
    if not isinstance(data, dict):
        raise SourcesError(f"{file}: the top level must be a mapping with a 'sources:' list")
    for key in data:
        if key not in _TOP_KEYS:
            raise SourcesError(f"{file}: {_unknown(str(key), _TOP_KEYS)}")
    raw_sources = data.get("sources") or []
    if not isinstance(raw_sources, list):
        raise SourcesError(f"{file}: 'sources' must be a list (each item starting with '- name: ...')")
    base = path.resolve().parent
    sources = [_source(i, s, base, file) for i, s in enumerate(raw_sources)]
    seen: set[str] = set()
    for s in sources:
        if s.name in seen:
            raise SourcesError(f"{file}: two sources are named '{s.name}'; names must be unique")
        seen.add(s.name)
    raw_store = DEFAULT_RAW_STORE
    if data.get("raw_store") is not None:
        if not isinstance(data["raw_store"], str):
            raise SourcesError(f"{file}: 'raw_store' must be a folder path")
        raw_store = (base / data["raw_store"]).resolve()
    opts = web.FetchOptions()
    fetch_cfg = data.get("fetch") or {}
    if not isinstance(fetch_cfg, dict):
        raise SourcesError(f"{file}: 'fetch' must be a mapping ({', '.join(_FETCH_KEYS)})")
    changes = {}
    for key, v in fetch_cfg.items():
        if key not in _FETCH_KEYS:
            raise SourcesError(f"{file}: fetch: {_unknown(str(key), set(_FETCH_KEYS))}")
        if _FETCH_KEYS[key] is bool:
            if not isinstance(v, bool):
                raise SourcesError(f"{file}: fetch: '{key}' must be true or false")
            changes[key] = v
        else:
            changes[key] = _number(f"{file}: fetch", key, v, _FETCH_KEYS[key], 0 if key != "timeout" else 0.1)
    if changes:
        opts = web.options_with(opts, **changes)
    return SourcesConfig(sources=sources, raw_store=raw_store, fetch=opts, path=path.resolve())


def load_sources(path: Path | str = DEFAULT_SOURCES_FILE) -> list[Source]:
    """Every source the file lists (disabled ones too: check `.enabled`)."""
    return read_config(path).sources


# ---------------------------------------------------------------- feeds

@dataclass
class FeedItem:
    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601 when the feed's date could be read, else as written


_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def _text(el) -> str | None:
    if el is None:
        return None
    t = "".join(el.itertext()).strip()
    return t or None


def _date(s: str | None) -> str | None:
    if not s:
        return None
    s = s.strip()
    try:
        d = parsedate_to_datetime(s)  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        try:
            d = datetime.fromisoformat(s.replace("Z", "+00:00"))  # Atom / Dublin Core: RFC 3339
        except ValueError:
            return s
    if d.tzinfo is not None:
        d = d.astimezone(timezone.utc)
    return d.isoformat()


def parse_feed(body: bytes, base_url: str) -> list[FeedItem]:
    """The items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order. Raises ValueError
    when `body` is not a feed. Relative links are resolved against `base_url`."""
    if b"<!ENTITY" in body[:4096].upper():
        raise ValueError("feed declares XML entities (refused)")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise ValueError(f"not well-formed XML: {e}") from None
    items: list[FeedItem] = []
    tag = root.tag.lower()
    if root.tag == f"{_ATOM}feed":
        for entry in root.iter(f"{_ATOM}entry"):
            href = None
            for link in entry.findall(f"{_ATOM}link"):
                rel = link.get("rel", "alternate")
                if rel == "alternate" and link.get("href"):
                    href = link.get("href")
                    break
            if not href:
                continue
            items.append(FeedItem(urljoin(base_url, href.strip()), _text(entry.find(f"{_ATOM}title")),
                                  _date(_text(entry.find(f"{_ATOM}published")) or _text(entry.find(f"{_ATOM}updated")))))
    elif tag == "rss" or tag.endswith("}rdf"):
        for item in list(root.iter("item")) + list(root.iter(f"{_RSS1}item")):
            ns = _RSS1 if item.tag.startswith(_RSS1) else ""
            link = _text(item.find(f"{ns}link"))
            guid = item.find("guid")
            if not link and guid is not None and guid.get("isPermaLink", "true").lower() == "true":
                link = _text(guid)
            if not link and item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"):
                link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            if not link:
                continue
            items.append(FeedItem(urljoin(base_url, link.strip()), _text(item.find(f"{ns}title")),
                                  _date(_text(item.find("pubDate")) or _text(item.find(f"{_DC}date")))))
    else:
        raise ValueError(f"not an RSS or Atom feed (root element <{root.tag}>)")
    seen: set[str] = set()
    unique = []
    for it in items:
        if it.url not in seen and _is_http_url(it.url):
            seen.add(it.url)
            unique.append(it)
    return unique


# ---------------------------------------------------------------- collecting

@dataclass
class Collected:
    paths: list[Path] = field(default_factory=list)  # local files and folders to ingest (with the raw store)
    failures: list[dict] = field(default_factory=list)  # {source_uri, reason, detail}, shaped like rejects
    fetched: list[web.FetchResult] = field(default_factory=list)  # pages and feeds asked for this run
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "unchanged": 0, "kept": 0, "failed": 0})


def _in_prefect_run() -> bool:
    return FlowRunContext.get() is not None or TaskRunContext.get() is not None


def _fetcher_call(raw_store: Path, options: web.FetchOptions, retry_delays: Sequence[float] | None,
                  fetcher: web.Fetcher | None) -> Callable[..., web.FetchResult]:
    """A function (url, kind, meta) -> FetchResult that retries what is retryable: as
    Prefect task retries inside a flow run, else with the same delays in a plain loop."""
    delays = list(web.RETRY_DELAYS if retry_delays is None else retry_delays)
    if fetcher is None and _in_prefect_run():
        t = web.fetch_url_task if retry_delays is None else web.fetch_url_task.with_options(
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
            retry_delays: Sequence[float] | None = None, fetcher: web.Fetcher | None = None) -> Collected:
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
            call = _fetcher_call(raw_store, src_opts, retry_delays, fetcher)
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


@task(name="collect-sources", cache_policy=NO_CACHE, persist_result=False)
def collect_sources(sources_file: Path = DEFAULT_SOURCES_FILE, raw_store: Path | None = None, *,
                    allow_private: bool = False, offline: bool = False) -> Collected:
    """In a flow: read `sources_file` and collect it (page fetches are `fetch-url` task runs,
    retried by Prefect). `raw_store` overrides the file's `raw_store:`."""
    cfg = read_config(sources_file)
    return collect(cfg.sources, raw_store or cfg.raw_store, allow_private=allow_private,
                   options=cfg.fetch, offline=offline)
