"""A scheduled-style build from a sources.yaml: local folder + a feed on a local
web server (127.0.0.1 only). Pages become documents named by their URL; a second
run with nothing new does no document work and fetches no page again."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from flows.build import build_dataset
from flows.config import Settings
from tests.conftest import SEEDS
from tests.fixtures.web.webserver import TestSite

pytestmark = pytest.mark.e2e


def test_build_from_sources_file(tmp_path):
    with TestSite() as site:
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(
            f"raw_store: {tmp_path / 'raw'}\n"
            "fetch:\n  timeout: 5\n  min_delay: 0\n"
            "sources:\n"
            f"  - name: seeds\n    type: folder\n    path: {SEEDS}\n"
            f"  - name: kremlin\n    type: feed\n    url: {site.url('/feed.rss')}\n"
            f"  - name: failing\n    type: urls\n    urls: [{site.url('/broken')}]\n", encoding="utf-8")
        out = tmp_path / "out"
        first = build_dataset(Settings(sources=cfg, output=out, allow_private=True, contact="mailto:data@example.org"))
        docs = pq.read_table(out / "documents.parquet").to_pylist()
        web = [d for d in docs if d["source_uri"].startswith("http://127.0.0.1")]
        assert web, "the feed's pages are documents"
        assert all(d["url"].startswith("http://127.0.0.1") and d["source_format"] == "html" for d in web)
        assert first["input_files_unaccounted"] == []
        assert first["sources"]["counts"]["new"] >= 1
        # a failing source (HTTP 500 after its retries) is reported, and the others were built
        failures = {(f["source_uri"], f["reason"]) for f in first["sources"]["failures"]}
        assert (site.url("/broken"), "HTTP 500") in failures
        assert (site.url("/missing"), "HTTP 404") in failures  # a feed item that is gone
        page_hits = sum(n for path, n in site.hits.items() if path.startswith("/news/"))
        # the build's contact setting reaches every request's User-Agent
        agents = {h["User-Agent"] for h in site.headers.values()}
        assert agents and all(a.endswith("(+mailto:data@example.org)") for a in agents), agents

        again = build_dataset(Settings(sources=cfg, output=out, allow_private=True))
        assert again["incremental"]["inputs_read"] == 0
        assert again["incremental"]["documents_annotated"] == 0
        assert sum(n for path, n in site.hits.items() if path.startswith("/news/")) == page_hits
        assert again["documents"] == first["documents"]
