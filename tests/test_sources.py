"""flows/sources/: the sources file, feeds, and collecting (against the local test site only)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows import sources as src
from flows.ingest.inputs import discover
from flows.sources import fetch as web
from tests.conftest import ROOT, SEEDS
from tests.fixtures.web.webserver import TestSite

OPTS = web.FetchOptions(timeout=5, min_delay=0, max_bytes=1024 * 1024, allow_private=True)
NO_WAIT = [0, 0, 0]  # retry delays: the retries happen, without the waiting


@pytest.fixture(scope="module")
def site():
    with TestSite() as s:
        yield s


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "sources.yaml"
    p.write_text(text)
    return p


# ---------------------------------------------------------------- the file

def test_project_sources_file_has_only_the_seeds_enabled():
    cfg = src.read_config(ROOT / "sources.yaml")
    enabled = [s for s in cfg.sources if s.enabled]
    assert [(s.name, s.type) for s in enabled] == [("seeds", "folder")]
    assert enabled[0].path == SEEDS
    assert cfg.raw_store == ROOT / "output" / "raw"


def test_example_file_is_valid_and_every_web_source_is_off():
    sources = src.load_sources(ROOT / "sources.example.yaml")
    web_sources = [s for s in sources if isinstance(s, src.WebSource)]
    assert len(web_sources) >= 8 and not any(s.enabled for s in web_sources)
    assert {"feed", "urls"} <= {s.type for s in web_sources}
    assert any("kremlin.ru" in getattr(s, "url", "") for s in web_sources)


def test_every_type_with_its_options(tmp_path):
    (tmp_path / "urls.txt").write_text("# comment\nhttps://example.org/a#frag\n\nhttps://example.org/b  # note\n")
    p = write(tmp_path, """
raw_store: store
fetch: {timeout: 3, min_delay: 0.5, max_bytes: 1000}
sources:
  - {name: local, type: folder, path: docs}
  - {name: lines, type: jsonl, path: /data/a.jsonl.gz, outlet: Wire}
  - {name: kremlin, type: feed, url: "http://en.kremlin.ru/events/president/news/feed", max_items: 5,
     refetch: true, min_delay: 4, enabled: false}
  - {name: list, type: urls, urls: ["https://example.org/a#frag"], file: urls.txt}
""")
    cfg = src.read_config(p)
    local, lines, feed, urls = cfg.sources
    assert isinstance(local, src.FolderSource) and local.path == tmp_path / "docs"
    assert isinstance(lines, src.JsonlSource) and lines.path == Path("/data/a.jsonl.gz") and lines.outlet == "Wire"
    assert isinstance(feed, src.FeedSource) and feed.max_items == 5 and feed.refetch and feed.min_delay == 4
    assert not feed.enabled
    assert urls.all_urls() == ["https://example.org/a#frag", "https://example.org/b"]
    assert cfg.raw_store == tmp_path / "store"
    assert (cfg.fetch.timeout, cfg.fetch.min_delay, cfg.fetch.max_bytes) == (3, 0.5, 1000)


@pytest.mark.parametrize("text, message", [
    ("sources: [{name: a, type: folder}]", "sources[0] (a): 'path' is required"),
    ("sources: [{name: a, type: feeds, url: 'http://x.org'}]", "did you mean 'feed'"),
    ("sources: [{name: a, type: feed, ur: 'http://x.org'}]", "unknown key 'ur' (did you mean 'url'?)"),
    ("sources: [{name: a, type: feed, url: 'ftp://x.org/f'}]", "'url' must be an http(s) URL"),
    ("sources: [{name: a, type: urls}]", "needs 'urls'"),
    ("sources: [{name: a, type: urls, urls: ['http://x.org', 'x.org/b']}]", "not an http(s) URL: 'x.org/b'"),
    ("sources: [{name: a, type: feed, url: 'http://x.org', max_items: 0}]", "'max_items' must be at least 1"),
    ("sources: [{name: a, type: folder, path: d, enabled: 'no'}]", "'enabled' must be true or false"),
    ("sources: [{name: 'a b', type: folder, path: d}]", "'name' is required"),
    ("sources: [{name: a, type: folder, path: d}, {name: a, type: folder, path: e}]", "two sources are named 'a'"),
    ("sources: {name: a}", "'sources' must be a list"),
    ("source: []", "unknown key 'source' (did you mean 'sources'?)"),
    ("fetch: {timeout: fast}\nsources: []", "'timeout' must be a number"),
    ("sources: [{name: a, type: folder, path: d}\n  - oops", "not valid YAML at line"),
])
def test_mistakes_get_clear_errors(tmp_path, text, message):
    with pytest.raises(src.SourcesError) as e:
        src.load_sources(write(tmp_path, text))
    assert message in str(e.value) and "sources.yaml" in str(e.value)


def test_empty_file_means_no_sources(tmp_path):
    assert src.load_sources(write(tmp_path, "# nothing yet\n")) == []


# ---------------------------------------------------------------- feeds

def test_parse_rss_and_atom():
    rss = (Path(__file__).parent / "fixtures" / "web" / "feed.rss").read_text().replace("{host}", "h.test")
    items = src.parse_feed(rss.encode(), "http://h.test/feed.rss")
    assert [i.url for i in items] == ["http://h.test/news/26911", "http://h.test/old/39012", "http://h.test/missing"]
    assert items[0].title.startswith("President Vladimir Putin") and items[0].published == "2001-12-13T18:00:00+00:00"
    atom = (Path(__file__).parent / "fixtures" / "web" / "feed.atom").read_text().replace("{host}", "h.test")
    items = src.parse_feed(atom.encode(), "http://h.test/feed.atom")
    assert [i.url for i in items] == ["http://h.test/news/41832"]  # the repeat is dropped, the enclosure ignored
    assert items[0].published == "2001-12-20T12:00:00+00:00"


def test_parse_rss1_rdf():
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="http://h.test/"><title>t</title></channel>
      <item rdf:about="http://h.test/a"><title>A</title><link>http://h.test/a</link><dc:date>2024-05-01</dc:date></item>
    </rdf:RDF>"""
    [item] = src.parse_feed(rdf, "http://h.test/rdf")
    assert (item.url, item.title, item.published) == ("http://h.test/a", "A", "2024-05-01T00:00:00")


@pytest.mark.parametrize("body", [b"<html><body>not a feed</body></html>", b"<rss><channel>", b"\x00\x01",
                                  b'<!DOCTYPE r [<!ENTITY a "aaaa">]><rss/>'])
def test_not_a_feed(body):
    with pytest.raises(ValueError):
        src.parse_feed(body, "http://h.test/")


# ---------------------------------------------------------------- collecting

def test_collect_local_sources_and_missing_ones(tmp_path):
    jl = tmp_path / "a.jsonl"
    jl.write_text('{"id": 1, "text": "x"}\n')
    sources = [src.FolderSource(name="seeds", path=SEEDS), src.JsonlSource(name="lines", path=jl),
               src.FolderSource(name="gone", path=tmp_path / "nope"),
               src.FolderSource(name="off", path=tmp_path / "nope", enabled=False)]
    got = src.collect(sources, tmp_path / "raw")
    assert got.paths == [SEEDS, jl]  # no raw store: nothing was fetched
    assert got.failures == [{"source_uri": str(tmp_path / "nope"), "reason": "folder not found",
                             "detail": "source 'gone'"}]


def test_collect_feeds_and_url_lists(site, tmp_path):
    raw = tmp_path / "raw"
    sources = [
        src.FolderSource(name="seeds", path=SEEDS),
        src.FeedSource(name="rss", url=site.url("/feed.rss"), outlet="President of Russia"),
        src.FeedSource(name="atom", url=site.url("/feed.atom")),
        src.UrlListSource(name="list", urls=[site.url("/news/26911"), site.url("/broken"), site.url("/report.pdf"),
                                             site.url("/private/page")]),
        src.FeedSource(name="dead-feed", url=site.url("/missing-feed")),
    ]
    before = site.hits["/broken"]
    got = src.collect(sources, raw, options=OPTS, retry_delays=NO_WAIT)
    assert got.paths == [SEEDS, raw]
    failures = {(f["source_uri"], f["reason"]) for f in got.failures}
    assert failures == {
        (site.url("/missing"), "HTTP 404"),  # a feed item that is gone
        (site.url("/broken"), "HTTP 500"),  # after its retries
        (site.url("/report.pdf"), "not HTML (application/pdf)"),
        (site.url("/private/page"), "disallowed by robots.txt"),
        (site.url("/missing-feed"), "HTTP 404"),
    }
    assert site.hits["/broken"] - before == 1 + len(NO_WAIT)  # tried, then retried 3 times
    pages = {web.read_sidecar(p)["url"]: web.read_sidecar(p) for p in raw.glob("??/*.html")}
    assert set(pages) == {site.url("/news/26911"), site.url("/old/39012"), site.url("/news/41832")}
    side = pages[site.url("/old/39012")]
    assert side["final_url"] == site.url("/news/39012") and side["source"] == "rss"
    assert side["source_name"] == "President of Russia"
    assert side["feed"] == {"url": site.url("/feed.rss"), "published": "2000-01-10T09:00:00+00:00",
                            "title": "Acting President Vladimir Putin spoke by telephone with Kyrgyzstan's "
                                     "President Askar Akayev"}
    assert got.counts["new"] == 3
    # what ingest will see in the raw store once sidecars, feeds and the PDF are skipped
    docs = [f for f in discover([raw]) if not web.skip_in_discover(f.path)]
    assert sorted(f.path for f in docs) == sorted(raw.glob("??/*.html"))

    # the next scheduled run: feeds asked again (conditionally), known pages not at all
    page_hits = site.hits["/news/26911"]
    again = src.collect(sources, raw, options=OPTS, retry_delays=NO_WAIT)
    assert site.headers["/feed.rss"].get("If-Modified-Since")  # conditional GET of the feed
    assert site.hits["/news/26911"] == page_hits
    assert again.counts["new"] == 0 and again.counts["kept"] == 4  # 26911 is in the feed and the list
    assert len(list(raw.glob("??/*.html"))) == 3


def test_refetch_uses_conditional_get(site, tmp_path):
    s = src.UrlListSource(name="list", urls=[site.url("/news/41832")], refetch=True)
    src.collect([s], tmp_path, options=OPTS)
    got = src.collect([s], tmp_path, options=OPTS)
    assert got.counts == {"new": 0, "unchanged": 1, "kept": 0, "failed": 0}
    assert got.fetched[0].not_modified


def test_offline_collect_fetches_nothing_and_lists_the_store(site, tmp_path):
    s = src.UrlListSource(name="list", urls=[site.url("/news/26911")])
    src.collect([s], tmp_path / "raw", options=OPTS)
    hits = sum(site.hits.values())
    got = src.collect([s, src.FeedSource(name="f", url=site.url("/feed.rss"))], tmp_path / "raw", options=OPTS,
                      offline=True)
    assert sum(site.hits.values()) == hits and got.paths == [tmp_path / "raw"] and not got.failures


def test_private_addresses_refused_by_default(site, tmp_path):
    got = src.collect([src.UrlListSource(name="list", urls=[site.url("/news/26911")])], tmp_path)
    assert [f["reason"] for f in got.failures] == ["private address refused"]
    got = src.collect([src.UrlListSource(name="list", urls=[site.url("/news/26911")])], tmp_path,
                      allow_private=True, options=web.options_with(OPTS, allow_private=False))
    assert not got.failures


def test_unreadable_url_file_is_a_failure_not_a_crash(tmp_path):
    s = src.UrlListSource(name="list", file=tmp_path / "absent.txt")
    got = src.collect([s, src.FolderSource(name="seeds", path=SEEDS)], tmp_path / "raw")
    assert got.paths == [SEEDS] and got.failures[0]["reason"] == "URL list unreadable"


def test_state_file_is_json(site, tmp_path):
    src.collect([src.UrlListSource(name="l", urls=[site.url("/news/26911")])], tmp_path, options=OPTS)
    state = json.loads((tmp_path / ".state.json").read_text())
    assert state[site.url("/news/26911")]["etag"] == '"v1-26911"'
