from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import socket
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from flows import __version__

CONTACT_ENV = "SCO_CONTACT"
ROBOTS_TOKEN = "sco-open-data"
RETRY_DELAYS = [1, 2, 4]  # seconds before retry 1, 2, 3
HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml", "application/x-rss+xml"}
RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}
_SHA = re.compile(r"^[0-9a-f]{64}$")


def user_agent(contact: str = "") -> str:
    """`sco-open-data/<version> (+<contact>)`; the contact (a URL or an e-mail) is the
    build's setting `contact`, $SCO_CONTACT (the flow passes it in FetchOptions.user_agent)."""
    contact = (contact or "").strip()
    if contact:
        return f"{ROBOTS_TOKEN}/{__version__} (+{contact})"
    return f"{ROBOTS_TOKEN}/{__version__} (open dataset of Eurasian diplomacy; set {CONTACT_ENV} for a contact)"


class FetchError(Exception):
    """A URL that could not be fetched (or was refused). `retryable` says whether trying again may help."""

    def __init__(self, url: str, reason: str, detail: str | None = None, retryable: bool = False):
        super().__init__(f"{url}: {reason}" + (f" ({detail})" if detail else ""))
        self.url, self.reason, self.detail, self.retryable = url, reason, detail, retryable

    def as_failure(self) -> dict:
        """The failure as a row shaped like an ingest reject: {source_uri, reason, detail}."""
        return {"source_uri": self.url, "reason": self.reason, "detail": self.detail}

    def __reduce__(self):  # picklable with its fields (Prefect may pickle exceptions)
        return (FetchError, (self.url, self.reason, self.detail, self.retryable))


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20.0  # connect / read / write, seconds
    deadline: float = 120.0  # the whole download of one response, seconds
    max_bytes: int = 10 * 1024 * 1024  # a larger body is refused ("too large") and not kept
    max_redirects: int = 5
    min_delay: float = 1.0  # seconds between two requests to one host (robots.txt Crawl-delay wins if longer)
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay above this is read as this
    allow_private: bool = False  # allow private / loopback / link-local addresses (tests, intranets)
    respect_robots: bool = True
    user_agent: str | None = None  # default: user_agent()


@dataclass
class FetchResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int  # 200, or 304 when the server said it has not changed
    sha256: str
    path: Path  # the body in the raw store
    kind: str  # page | feed
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: str
    not_modified: bool = False  # 304: nothing new written
    new: bool = False  # a body the store did not hold before


# ---------------------------------------------------------------- raw store

def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class RawStore:
    """The content-addressed store of fetched bodies, and what it remembers per URL."""

    STATE = ".state.json"

    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock = threading.RLock()
        self._state: dict[str, dict] | None = None

    def body_path(self, sha: str, ext: str) -> Path:
        return self.root / sha[:2] / f"{sha}{ext}"

    def sidecar_path(self, sha: str) -> Path:
        return self.root / sha[:2] / f"{sha}.json"

    @property
    def state(self) -> dict[str, dict]:
        with self._lock:
            if self._state is None:
                p = self.root / self.STATE
                try:
                    self._state = json.loads(p.read_text("utf-8")) if p.exists() else {}
                except (OSError, json.JSONDecodeError):
                    self._state = {}  # a lost state only costs unconditional requests
            return self._state

    def known(self, url: str) -> dict | None:
        """What the store remembers of `url`, if its body is still there."""
        info = self.state.get(url)
        if info and self.body_path(info["sha256"], info["ext"]).exists():
            return info
        return None

    def put(self, body: bytes, meta: dict, ext: str) -> tuple[str, Path, bool]:
        """Keep `body` (and its sidecar, if the store does not hold it yet). (sha256, path, new)."""
        sha = hashlib.sha256(body).hexdigest()
        path = self.body_path(sha, ext)
        with self._lock:
            new = not path.exists()
            if new:
                _atomic_write(path, body)
            side = self.sidecar_path(sha)
            if not side.exists():  # the first fetch of these bytes names them
                _atomic_write(side, json.dumps({**meta, "sha256": sha, "bytes": len(body)},
                                               indent=1, ensure_ascii=False).encode())
        return sha, path, new

    def remember(self, url: str, info: dict) -> None:
        """Record the current version of `url`; an older version it replaces is marked superseded."""
        with self._lock:
            old = self.state.get(url)
            self.state[url] = info
            if old and old["sha256"] != info["sha256"]:
                still_current = any(v["sha256"] == old["sha256"] for v in self.state.values())
                side = self.sidecar_path(old["sha256"])
                if not still_current and side.exists():
                    meta = json.loads(side.read_text("utf-8"))
                    meta["superseded_by"] = info["sha256"]
                    _atomic_write(side, json.dumps(meta, indent=1, ensure_ascii=False).encode())
            self.flush()

    def flush(self) -> None:
        with self._lock:
            if self._state is not None:
                _atomic_write(self.root / self.STATE,
                              json.dumps(self._state, indent=0, sort_keys=True, ensure_ascii=False).encode())


_STORES: dict[str, RawStore] = {}
_STORES_LOCK = threading.Lock()


def open_store(root: Path) -> RawStore:
    """The one RawStore object of this process for the folder `root` (so that every fetcher
    and every collect over it shares one view of its state)."""
    key = str(Path(root).resolve())
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = RawStore(Path(root))
        return _STORES[key]


# ------------------------------------------------- what ingest needs to know

def read_sidecar(path: Path) -> dict | None:
    """The sidecar of a body in the raw store (`<sha256>.<ext>` beside `<sha256>.json`), else None."""
    path = Path(path)
    if not _SHA.match(path.stem) or path.suffix == ".json":
        return None
    side = path.with_suffix(".json")
    try:
        meta = json.loads(side.read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return meta if isinstance(meta, dict) and meta.get("sha256") == path.stem else None


def skip_in_discover(path: Path) -> bool:
    """True for raw-store files that are not documents: sidecars, feeds, non-HTML bodies,
    versions superseded by a newer fetch of the same URL, and the store's own state."""
    path = Path(path)
    if path.name == RawStore.STATE:
        return True
    if not _SHA.match(path.stem):
        return False
    if path.suffix == ".json":
        return any(path.with_suffix(ext).exists() for ext in (".html", ".xml", ".bin"))
    meta = read_sidecar(path)
    if meta is None:
        return False
    return not meta.get("document") or bool(meta.get("superseded_by"))


def record_meta(meta: dict) -> dict:
    """Fields a document read from a raw-store page takes from its sidecar.

    source_uri and url: the URL (as requested: stable across redirects and fetches, so
    a changed page replaces its document); url is the final URL after redirects.
    title / date / source_name: fallbacks for what the page itself does not state.
    """
    feed = meta.get("feed") or {}
    return {
        "source_uri": meta["url"],
        "url": meta.get("final_url") or meta["url"],
        "title": feed.get("title"),
        "date": feed.get("published"),
        "source_name": meta.get("source_name"),
    }


# ---------------------------------------------------------------- politeness

class HostRateLimiter:
    """At most one request per `delay` seconds to one host (scheme://host:port)."""

    def __init__(self):
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next.get(host, 0.0))
            self._next[host] = at + delay
        if at > now:
            time.sleep(at - now)


LIMITER = HostRateLimiter()


def _host_key(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.hostname}:{p.port or (443 if p.scheme == 'https' else 80)}"


def check_url(url: str, allow_private: bool = False) -> None:
    """Raise FetchError unless `url` is http(s) and its host resolves only to public addresses."""
    try:
        p = urlsplit(url)
        _ = p.port  # raises on a bad port
    except ValueError as e:
        raise FetchError(url, "invalid URL", str(e))
    if p.scheme not in ("http", "https"):
        raise FetchError(url, "unsupported URL scheme", p.scheme or "none")
    if not p.hostname:
        raise FetchError(url, "invalid URL", "no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(p.hostname, p.port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(url, "DNS lookup failed", str(e), retryable=True)
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global:
            raise FetchError(url, "private address refused",
                             f"{p.hostname} resolves to {ip}; pass allow_private=True to allow it")


# ---------------------------------------------------------------- the fetcher

def _media_type(content_type: str | None) -> str | None:
    return content_type.split(";")[0].strip().lower() if content_type else None


def _looks_like_html(head: bytes) -> bool:
    h = head[:1024].lstrip().lower()
    return h.startswith((b"<!doctype html", b"<html")) or b"<html" in h


def _looks_like_feed(head: bytes) -> bool:
    h = head[:2048].lower()
    return b"<rss" in h or b"<feed" in h or b"<rdf:rdf" in h


class Fetcher:
    """One HTTP client, one rate limiter and one robots.txt cache over a raw store."""

    def __init__(self, raw_store: Path | RawStore, options: FetchOptions | None = None,
                 transport: httpx.BaseTransport | None = None):
        self.store = raw_store if isinstance(raw_store, RawStore) else open_store(raw_store)
        self.options = options or FetchOptions()
        o = self.options
        self.client = httpx.Client(
            timeout=httpx.Timeout(o.timeout), follow_redirects=False, transport=transport,
            headers={"User-Agent": o.user_agent or user_agent()}, trust_env=False,
        )
        self.limiter = LIMITER  # one per process: every fetcher waits its turn for a host
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser | None, float]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()
        self.store.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- robots.txt

    def _robots_for(self, url: str) -> tuple[urllib.robotparser.RobotFileParser | None, float]:
        """(parser or None when everything is allowed, crawl delay) for the host of `url`."""
        host = _host_key(url)
        with self._lock:
            if host in self._robots:
                return self._robots[host]
        p = urlsplit(url)
        robots_url = f"{p.scheme}://{p.netloc}/robots.txt"
        rp: urllib.robotparser.RobotFileParser | None = None
        try:
            status, body, _, _ = self._get(robots_url, {}, 512 * 1024, robots=False)
        except FetchError as e:
            if e.reason.startswith("HTTP 4") and e.reason not in ("HTTP 401", "HTTP 403", "HTTP 429"):
                status, body = 404, b""  # RFC 9309: robots.txt unavailable means no restriction
            elif e.reason in ("HTTP 401", "HTTP 403"):
                rp = urllib.robotparser.RobotFileParser()
                rp.disallow_all = True
                status, body = 403, b""
            else:  # unreachable (5xx, timeout, network): crawl nothing there for now
                raise FetchError(url, "robots.txt unreachable", f"{e.reason}: {e.detail or ''}".strip(": "),
                                 retryable=True)
        delay = 0.0
        if status == 200:
            rp = urllib.robotparser.RobotFileParser(robots_url)
            rp.parse(body.decode("utf-8", "replace").splitlines())
            cd = rp.crawl_delay(ROBOTS_TOKEN)
            delay = min(float(cd), self.options.max_crawl_delay) if cd else 0.0
        with self._lock:
            self._robots[host] = (rp, delay)
        return rp, delay

    def _allowed(self, url: str) -> float:
        """Raise when robots.txt disallows `url`; else the host's crawl delay."""
        if not self.options.respect_robots:
            return 0.0
        rp, delay = self._robots_for(url)
        if rp is not None and not rp.can_fetch(ROBOTS_TOKEN, url):
            raise FetchError(url, "disallowed by robots.txt")
        return delay

    # -- one HTTP exchange (no redirects followed)

    def _request(self, url: str, headers: dict, max_bytes: int, crawl_delay: float = 0.0):
        """(status, body, response headers, location) of one GET. Raises FetchError on errors."""
        self.limiter.wait(_host_key(url), max(self.options.min_delay, crawl_delay))
        t0 = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                if 300 <= r.status_code < 400 and r.status_code != 304:
                    loc = r.headers.get("location")
                    if not loc:
                        raise FetchError(url, f"HTTP {r.status_code}", "redirect without a Location")
                    return r.status_code, b"", r.headers, urljoin(str(r.url), loc)
                if r.status_code == 304:
                    return 304, b"", r.headers, None
                if r.status_code >= 400:
                    raise FetchError(url, f"HTTP {r.status_code}", r.reason_phrase or None,
                                     retryable=r.status_code in RETRYABLE_STATUS or r.status_code >= 500)
                declared = r.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(url, "too large", f"Content-Length {declared} > {max_bytes} bytes")
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(url, "too large", f"more than {max_bytes} bytes")
                    if time.monotonic() - t0 > self.options.deadline:
                        raise FetchError(url, "timeout", f"download took over {self.options.deadline} s",
                                         retryable=True)
                    chunks.append(chunk)
                return r.status_code, b"".join(chunks), r.headers, None
        except httpx.TimeoutException as e:
            raise FetchError(url, "timeout", f"{type(e).__name__} after {self.options.timeout} s", retryable=True)
        except httpx.TooManyRedirects as e:  # pragma: no cover (redirects are followed by hand)
            raise FetchError(url, "too many redirects", str(e))
        except (httpx.DecodingError, httpx.RemoteProtocolError) as e:
            raise FetchError(url, "bad response", f"{type(e).__name__}: {e}", retryable=True)
        except httpx.TransportError as e:
            raise FetchError(url, "connection failed", f"{type(e).__name__}: {e}", retryable=True)

    def _get(self, url: str, headers: dict, max_bytes: int, robots: bool = True):
        """(status, body, headers, final URL) of a GET, redirects followed by hand so that
        every hop is checked (scheme, address, robots.txt) and counted."""
        current, hops = url, 0
        while True:
            try:
                check_url(current, self.options.allow_private)  # before robots.txt: nothing goes out
            except FetchError as e:
                if current != url:
                    raise FetchError(url, e.reason, f"redirected to {current}: {e.detail or ''}".rstrip(": "))
                raise
            delay = self._allowed(current) if robots else 0.0
            try:
                status, body, rh, location = self._request(current, headers, max_bytes, delay)
            except FetchError as e:
                if current != url:  # report it against the URL that was asked for
                    raise FetchError(url, e.reason, f"at {current}: {e.detail or ''}".rstrip(": "), e.retryable)
                raise
            if location is None:
                return status, body, rh, current
            hops += 1
            if hops > self.options.max_redirects:
                raise FetchError(url, "too many redirects", f"more than {self.options.max_redirects}")
            current = location

    # -- a page or a feed, with redirects, conditional GET and the store

    def fetch(self, url: str, *, kind: str = "page", meta: dict | None = None) -> FetchResult:
        """Fetch `url` (kind "page": must be HTML; "feed": RSS/Atom XML) into the store.

        Raises FetchError when it cannot (the body of a response that is not of the
        wanted kind is still kept, as "other")."""
        if kind not in ("page", "feed"):
            raise ValueError(f"kind must be 'page' or 'feed', not {kind!r}")
        known = self.store.known(url)
        headers = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5" if kind == "page"
                   else "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.8,*/*;q=0.5"}
        if known:
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
        status, body, rh, current = self._get(url, headers, self.options.max_bytes)
        fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        if status == 304:
            if not known:  # a 304 we did not ask for
                raise FetchError(url, "HTTP 304", "not modified, but nothing stored for this URL")
            known = {**known, "checked_at": fetched_at}
            self.store.remember(url, known)
            return FetchResult(url, known.get("final_url") or url, 304, known["sha256"],
                               self.store.body_path(known["sha256"], known["ext"]), kind,
                               known.get("content_type"), known.get("etag"), known.get("last_modified"),
                               fetched_at, not_modified=True)
        ctype = rh.get("content-type")
        media = _media_type(ctype)
        vague = media in (None, "text/plain", "application/octet-stream")
        if kind == "page":
            ok = media in HTML_TYPES or (vague and _looks_like_html(body))
        else:  # servers label feeds loosely: trust the bytes unless the type says HTML/binary
            ok = media in FEED_TYPES or ((vague or media in HTML_TYPES or media.endswith("+xml"))
                                         and _looks_like_feed(body))
        got = kind if ok else "other"
        ext = {"page": ".html", "feed": ".xml", "other": ".bin"}[got]
        side = {
            "url": url, "final_url": current, "fetched_at": fetched_at, "status": status,
            "etag": rh.get("etag"), "last_modified": rh.get("last-modified"), "content_type": ctype,
            "kind": got, "document": got == "page", "source": None, "source_name": None, "feed": None,
            "superseded_by": None, **(meta or {}),
        }
        sha, path, new = self.store.put(body, side, ext)
        if not ok:
            raise FetchError(url, f"not {'HTML' if kind == 'page' else 'a feed'} ({media or 'no content type'})",
                             f"kept as {path.relative_to(self.store.root).as_posix()}")
        self.store.remember(url, {"sha256": sha, "ext": ext, "etag": side["etag"],
                                  "last_modified": side["last_modified"], "final_url": current,
                                  "content_type": ctype, "fetched_at": fetched_at})
        return FetchResult(url, current, status, sha, path, kind, ctype, side["etag"], side["last_modified"],
                           fetched_at, new=new)


# ------------------------------------------------------- the pure function and the task

_FETCHERS: dict[tuple, Fetcher] = {}
_FETCHERS_LOCK = threading.Lock()


def shared_fetcher(raw_store: Path, options: FetchOptions | None = None) -> Fetcher:
    """One Fetcher per (raw store, options) in this process, so rate limits and robots.txt
    are shared by every call (and every task run) that uses them."""
    options = options or FetchOptions()
    key = (str(Path(raw_store).resolve()), options)
    with _FETCHERS_LOCK:
        f = _FETCHERS.get(key)
        if f is None or f.client.is_closed:
            f = _FETCHERS[key] = Fetcher(raw_store, options)
        return f


def close_shared_fetchers() -> None:
    with _FETCHERS_LOCK:
        for f in _FETCHERS.values():
            f.close()
        _FETCHERS.clear()


def fetch_url(url: str, raw_store: Path, *, kind: str = "page", meta: dict | None = None,
              options: FetchOptions | None = None, fetcher: Fetcher | None = None) -> FetchResult:
    """Fetch one URL into the raw store; raise FetchError when it cannot. No retries here."""
    f = fetcher or shared_fetcher(raw_store, options)
    return f.fetch(url, kind=kind, meta=meta)


def options_with(options: FetchOptions | None, **changes: Any) -> FetchOptions:
    """`options` (or the defaults) with `changes` that are not None."""
    return replace(options or FetchOptions(), **{k: v for k, v in changes.items() if v is not None})


__all__ = [
    "FetchError", "FetchOptions", "FetchResult", "Fetcher", "RawStore", "open_store", "HostRateLimiter", "check_url",
    "fetch_url", "shared_fetcher", "close_shared_fetchers", "read_sidecar",
    "skip_in_discover", "record_meta", "user_agent", "options_with", "RETRY_DELAYS",
]
