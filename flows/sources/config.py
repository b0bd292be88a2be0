"""sources.yaml: the inputs of a scheduled build (folders, JSON lines, feeds, URL
lists), read and checked.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import yaml

from flows.paths import ROOT
from flows.sources import fetch as web

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
