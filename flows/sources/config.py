"""sources.yaml: the inputs of a scheduled build (folders, JSON lines, feeds, URL
lists), read and checked.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated, Any, ClassVar, Optional
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from flows.paths import ROOT
from flows.sources import fetch as web

DEFAULT_SOURCES_FILE = ROOT / "sources.yaml"
DEFAULT_RAW_STORE = ROOT / "output" / "raw"
TYPES = ("folder", "jsonl", "feed", "urls")
NAME_RULE = "letters, digits, '.', '_' or '-'"


class SourcesError(ValueError):
    """sources.yaml is not usable; the message names the file, the source and the key."""


# ---------------------------------------------------------------- the sources
# pydantic models of the file's entries, and what the collector works with. Numbers and
# switches are strict (a quoted "3" or 'no' is a mistake, not a value); a relative path
# is relative to the file (the validation context's `base`).

Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")]
Number = Annotated[float, Field(strict=True, ge=0)]
Outlet = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _is_http_url(u) -> bool:
    if not isinstance(u, str):
        return False
    try:
        p = urlsplit(u.strip())
    except ValueError:
        return False
    return p.scheme in ("http", "https") and bool(p.hostname)


def _relative_to_file(v: Any, info: ValidationInfo) -> Any:
    """A path as written in the file (a string), resolved against the file's folder."""
    base = (info.context or {}).get("base")
    if base is None or v is None:
        return v
    if not isinstance(v, str) or not v.strip():
        raise ValueError(f"'{info.field_name}' must be a path")
    return (base / v).resolve() if not Path(v).is_absolute() else Path(v)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    enabled: StrictBool = True
    outlet: Optional[Outlet] = None  # the documents' source_name when a page does not state one
    type: ClassVar[str] = ""

    @property
    def uri(self) -> str:
        return f"source:{self.name}"


class _PathSource(Source):
    """A source that is a local path, named by it."""

    path: Path = Field(description="a folder or file, relative to the sources file")
    noun: ClassVar[str]  # what the path must be, in a failure's reason

    _resolve = field_validator("path", mode="before")(_relative_to_file)

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


class FolderSource(_PathSource):
    type: ClassVar[str] = "folder"
    noun: ClassVar[str] = "folder"

    def is_usable(self) -> bool:
        return self.path.is_dir()


class JsonlSource(_PathSource):
    type: ClassVar[str] = "jsonl"
    noun: ClassVar[str] = "file"

    def is_usable(self) -> bool:
        return self.path.is_file()


class WebSource(Source):
    refetch: StrictBool = False  # ask again (conditional GET) for pages the store already holds
    min_delay: Optional[Number] = None  # this source's own delay between requests to one host


class FeedSource(WebSource):
    url: str
    max_items: Annotated[int, Field(strict=True, ge=1)] = 50
    type: ClassVar[str] = "feed"

    @field_validator("url", mode="before")
    @classmethod
    def _http(cls, v):
        if not _is_http_url(v):
            raise ValueError(f"'url' must be an http(s) URL, got {v!r}")
        return v.strip()

    @property
    def uri(self) -> str:
        return self.url


class UrlListSource(WebSource):
    urls: list[str] = Field(default_factory=list)
    file: Optional[Path] = None  # a text file of URLs, one a line, '#' comments
    type: ClassVar[str] = "urls"

    _resolve = field_validator("file", mode="before")(_relative_to_file)

    @field_validator("urls", mode="before")
    @classmethod
    def _http(cls, v):
        if v is None:
            return []
        if not isinstance(v, list):
            raise ValueError("'urls' must be a list of http(s) URLs")
        bad = [u for u in v if not _is_http_url(u)]
        if bad:
            raise ValueError(f"not an http(s) URL: {bad[0]!r}")
        return [u.strip() for u in v]

    @model_validator(mode="after")
    def _some_urls(self):
        if not self.urls and self.file is None:
            raise ValueError("a 'urls' source needs 'urls' (a list) or 'file' (one URL a line)")
        return self

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


class FetchSection(BaseModel):
    """The file's `fetch:` mapping: changes to web.FetchOptions."""

    model_config = ConfigDict(extra="forbid")

    timeout: Annotated[float, Field(strict=True, ge=0.1)] = None
    deadline: Number = None
    max_bytes: Annotated[int, Field(strict=True, ge=0)] = None
    max_redirects: Annotated[int, Field(strict=True, ge=0)] = None
    min_delay: Number = None
    respect_robots: StrictBool = None


class SourcesFile(BaseModel):
    """The file's top level (each source is checked on its own, by its type)."""

    model_config = ConfigDict(extra="forbid")

    sources: Optional[list[Any]] = Field(None, description="each item starting with '- name: ...'")
    raw_store: Optional[str] = None
    fetch: Optional[FetchSection] = None
    version: Any = None


class SourcesConfig(BaseModel):
    sources: list[Source]
    raw_store: Path = DEFAULT_RAW_STORE
    fetch: web.FetchOptions = Field(default_factory=web.FetchOptions)
    path: Optional[Path] = None  # the file it was read from


_CLASSES = {"folder": FolderSource, "jsonl": JsonlSource, "feed": FeedSource, "urls": UrlListSource}
# what a value must be, by the kind of pydantic error it raised
_EXPECTED = {"bool": "true or false", "int": "an integer", "float": "a number", "list": "a list",
             "string": "a string", "dict": "a mapping", "model": "a mapping", "path": "a path"}


def _unknown(key: str, allowed) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}; allowed: {', '.join(sorted(allowed))}"


def _what(err: dict, model: type[BaseModel]) -> str:
    """One pydantic error as a sentence about the file's key."""
    loc = [str(x) for x in err["loc"]]
    key, kind, got = (loc[-1] if loc else ""), err["type"], err.get("input")
    if kind == "extra_forbidden":
        return _unknown(key, _keys(model, loc[:-1]))
    if key == "name" and model is not SourcesFile:
        return f"'name' is required: {NAME_RULE} (got {got if kind != 'missing' else None!r})"
    if kind == "missing":
        return f"'{key}' is required" + (f" ({model.model_fields[key].description})"
                                         if key in model.model_fields and model.model_fields[key].description else "")
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if kind in ("greater_than_equal", "greater_than"):
        return f"'{key}' must be at least {err['ctx'].get('ge', err['ctx'].get('gt'))}, got {got!r}"
    if kind == "string_too_short":
        return f"'{key}' must be a non-empty string"
    expected = next((v for k, v in _EXPECTED.items() if kind.startswith(k)), None)
    if expected:
        return f"'{key}' must be {expected}, got {got!r}"
    return f"'{key}': {err['msg']}"


def _keys(model: type[BaseModel], loc: list[str]) -> set[str]:
    """The keys allowed at `loc` in `model` (top level, or the `fetch:` mapping)."""
    if loc == ["fetch"]:
        return set(FetchSection.model_fields)
    return set(model.model_fields) | ({"type"} if issubclass(model, Source) else set())


def _check(model: type[BaseModel], raw: Any, where: str, **context) -> BaseModel:
    try:
        return model.model_validate(raw, context=context or None)
    except ValidationError as e:
        # an unknown key first: it explains a required one "missing" (a misspelt `url`)
        err = sorted(e.errors(), key=lambda x: x["type"] != "extra_forbidden")[0]
        inner = [str(x) for x in err["loc"][:-1]]
        at = f"{where}: {': '.join(inner)}" if inner and inner != ["sources"] else where
        raise SourcesError(f"{at}: {_what(err, model)}") from None


def _source(i: int, raw, base: Path, file: str) -> Source:
    where = f"{file}: sources[{i}]"
    if not isinstance(raw, dict):
        raise SourcesError(f"{where}: each source is a mapping (name:, type:, ...), got {type(raw).__name__}")
    name = raw.get("name")
    if isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}", name):
        where = f"{file}: sources[{i}] ({name})"
    kind = raw.get("type")
    if kind not in TYPES:
        close = difflib.get_close_matches(str(kind), TYPES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise SourcesError(f"{where}: 'type' must be one of {', '.join(TYPES)}, got {kind!r}{hint}")
    return _check(_CLASSES[kind], {k: v for k, v in raw.items() if k != "type"}, where, base=base)


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
    top = _check(SourcesFile, data, file)
    base = path.resolve().parent
    sources = [_source(i, s, base, file) for i, s in enumerate(top.sources or [])]
    seen: set[str] = set()
    for s in sources:
        if s.name in seen:
            raise SourcesError(f"{file}: two sources are named '{s.name}'; names must be unique")
        seen.add(s.name)
    raw_store = (base / top.raw_store).resolve() if top.raw_store is not None else DEFAULT_RAW_STORE
    changes = top.fetch.model_dump(exclude_none=True) if top.fetch else {}
    return SourcesConfig(sources=sources, raw_store=raw_store, fetch=web.options_with(None, **changes),
                         path=path.resolve())


def load_sources(path: Path | str = DEFAULT_SOURCES_FILE) -> list[Source]:
    """Every source the file lists (disabled ones too: check `.enabled`)."""
    return read_config(path).sources
