"""flows/sources/fetch.py against a local web site on 127.0.0.1 (tests/fixtures/web): never an outside address."""
from __future__ import annotations

import json
import time

import pytest

from flows.ingest.inputs import InputFile
from flows.ingest.readers import read_input
from flows.sources import fetch as web
from tests.fixtures.web.webserver import TestSite

OPTS = web.FetchOptions(timeout=5, min_delay=0, max_bytes=1024 * 1024, allow_private=True)


@pytest.fixture(scope="module")
def site():
    with TestSite() as s:
        yield s


@pytest.fixture
def fetcher(tmp_path):
    with web.Fetcher(tmp_path / "raw", OPTS) as f:
        yield f


def test_page_is_kept_as_it_came_with_its_sidecar(site, fetcher):
    res = fetcher.fetch(site.url("/news/26911"), meta={"source": "test", "source_name": "Kremlin"})
    body = (web.Path(__file__).parent / "fixtures" / "web" / "26911.html").read_bytes()
    assert res.status == 200 and res.new and not res.not_modified
    assert res.path == fetcher.store.root / res.sha256[:2] / f"{res.sha256}.html"
    assert res.path.read_bytes() == body  # byte for byte
    side = json.loads(res.path.with_suffix(".json").read_text())
    assert side["url"] == side["final_url"] == site.url("/news/26911")
    assert side["status"] == 200 and side["etag"] == '"v1-26911"' and side["last_modified"]
    assert side["content_type"].startswith("text/html") and side["document"] is True
    assert side["fetched_at"].endswith("+00:00") and side["source_name"] == "Kremlin"
    assert side == web.read_sidecar(res.path)
    ua = site.headers["/news/26911"]["User-Agent"]
    assert ua.startswith("sco-open-data/") and ua == web.user_agent()


def test_user_agent_names_a_contact():
    assert web.user_agent("mailto:data@example.org").endswith("(+mailto:data@example.org)")
    assert "set SCO_CONTACT" in web.user_agent()


def test_conditional_get_answered_304_writes_nothing_new(site, fetcher):
    first = fetcher.fetch(site.url("/news/39012"))
    files = sorted(p for p in fetcher.store.root.rglob("*") if p.is_file())
    again = fetcher.fetch(site.url("/news/39012"))
    assert site.headers["/news/39012"]["If-None-Match"] == '"v1-39012"'
    assert site.headers["/news/39012"]["If-Modified-Since"]
    assert again.status == 304 and again.not_modified and not again.new
    assert again.sha256 == first.sha256 and again.path == first.path
    assert sorted(p for p in fetcher.store.root.rglob("*") if p.is_file()) == files


def test_validators_survive_a_new_process(site, tmp_path):
    with web.Fetcher(tmp_path / "raw", OPTS) as f:
        f.fetch(site.url("/news/41832"))
    web._STORES.clear()  # as in a new process
    with web.Fetcher(tmp_path / "raw", OPTS) as f:  # a new fetcher reads the store's state
        assert f.fetch(site.url("/news/41832")).not_modified


def test_redirect_is_followed_and_both_urls_recorded(site, fetcher):
    res = fetcher.fetch(site.url("/old/26911"))
    assert res.url == site.url("/old/26911") and res.final_url == site.url("/news/26911")
    side = web.read_sidecar(res.path)
    assert side["url"] == site.url("/old/26911") and side["final_url"] == site.url("/news/26911")
    assert web.record_meta(side)["source_uri"] == site.url("/old/26911")
    assert web.record_meta(side)["url"] == site.url("/news/26911")


def test_redirect_loop_is_capped(site, fetcher):
    with pytest.raises(web.FetchError) as e:
        fetcher.fetch(site.url("/loop"))
    assert e.value.reason == "too many redirects" and not e.value.retryable
    assert site.hits["/loop"] == OPTS.max_redirects + 1


def test_404_fails_and_is_not_retryable(site, fetcher):
    with pytest.raises(web.FetchError) as e:
        fetcher.fetch(site.url("/missing"))
    assert e.value.reason == "HTTP 404" and not e.value.retryable
    assert e.value.as_failure() == {"source_uri": site.url("/missing"), "reason": "HTTP 404", "detail": "Not Found"}


def test_500_is_retryable(site, fetcher):
    with pytest.raises(web.FetchError) as e:
        fetcher.fetch(site.url("/broken"))
    assert e.value.reason == "HTTP 500" and e.value.retryable


def test_timeout(site, tmp_path):
    with web.Fetcher(tmp_path, web.options_with(OPTS, timeout=0.3)) as f:
        t0 = time.monotonic()
        with pytest.raises(web.FetchError) as e:
            f.fetch(site.url("/slow"))
    assert e.value.reason == "timeout" and e.value.retryable
    assert time.monotonic() - t0 < site.slow_seconds


def test_not_html_is_a_failure_but_its_bytes_are_kept(site, fetcher):
    with pytest.raises(web.FetchError) as e:
        fetcher.fetch(site.url("/report.pdf"))
    assert e.value.reason == "not HTML (application/pdf)" and not e.value.retryable
    kept = list(fetcher.store.root.glob("??/*.bin"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"%PDF")
    assert web.read_sidecar(kept[0])["document"] is False
    assert web.skip_in_discover(kept[0])  # ingest never reads it


@pytest.mark.parametrize("path", ["/huge", "/huge-streamed"])
def test_huge_page_is_refused_and_not_kept(site, fetcher, path):
    with pytest.raises(web.FetchError) as e:
        fetcher.fetch(site.url(path))
    assert e.value.reason == "too large" and not e.value.retryable
    assert not list(fetcher.store.root.glob("??/*.*"))


def test_robots_txt_is_obeyed(site, fetcher):
    with pytest.raises(web.FetchError) as e:
        fetcher.fetch(site.url("/private/page"))
    assert e.value.reason == "disallowed by robots.txt"
    assert site.hits["/private/page"] == 0
    fetcher.fetch(site.url("/news/26911"))
    assert site.hits["/robots.txt"] >= 1


def test_private_address_refused_unless_allowed(site, tmp_path):
    before = sum(site.hits.values())
    with web.Fetcher(tmp_path, web.options_with(OPTS, allow_private=False)) as f:
        for url in (site.url("/news/26911"), f"http://localhost:{site.port}/news/26911"):
            with pytest.raises(web.FetchError) as e:
                f.fetch(url)
            assert e.value.reason == "private address refused"
    assert sum(site.hits.values()) == before  # not a single request went out


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "http:///nohost"])
def test_only_http_and_https(url, fetcher):
    with pytest.raises(web.FetchError) as e:
        fetcher.fetch(url)
    assert e.value.reason in ("unsupported URL scheme", "invalid URL")


def test_rate_limit_per_host(site, tmp_path):
    with web.Fetcher(tmp_path, web.options_with(OPTS, min_delay=0.25)) as f:
        t0 = time.monotonic()
        f.fetch(site.url("/news/26911"))  # robots.txt, then the page: 2 requests
        f.fetch(site.url("/news/39012"))  # a third
        assert time.monotonic() - t0 >= 0.5


def test_changed_page_supersedes_the_old_version(site, fetcher):
    site.version = 1
    old = fetcher.fetch(site.url("/changing"))
    site.version = 2
    new = fetcher.fetch(site.url("/changing"))
    assert old.sha256 != new.sha256 and old.path.exists() and new.path.exists()  # no byte lost
    assert web.read_sidecar(old.path)["superseded_by"] == new.sha256
    assert web.skip_in_discover(old.path) and not web.skip_in_discover(new.path)


def test_raw_page_reads_through_ingest_offline(site, fetcher):
    """What a rebuild sees: the stored page, its sidecar skipped, its main text extracted."""
    res = fetcher.fetch(site.url("/news/26911"))
    assert web.skip_in_discover(res.path.with_suffix(".json"))
    assert web.skip_in_discover(fetcher.store.root / ".state.json")
    assert not web.skip_in_discover(res.path)
    records, rejects = read_input(InputFile(res.path, f"raw/{res.sha256[:2]}/{res.path.name}"))
    assert not rejects and "ABM Treaty" in records[0]["raw"]
    meta = web.record_meta(web.read_sidecar(res.path))
    assert meta["source_uri"] == meta["url"] == site.url("/news/26911")


def test_ordinary_files_are_not_raw_store_files(tmp_path):
    (tmp_path / "notes.json").write_text("{}")
    (tmp_path / "page.html").write_text("<html></html>")
    assert not web.skip_in_discover(tmp_path / "notes.json")
    assert not web.skip_in_discover(tmp_path / "page.html")
    assert web.read_sidecar(tmp_path / "page.html") is None
