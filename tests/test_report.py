"""`scodata report` (flows/report/) on the seed build: a self-contained page whose
numbers are the tables' and whose highlights sit at the stored offsets; and the
page as a person sees it, in headless Chromium (skipped when none is installed)."""
from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from flows.report.page import MAX_DOCUMENTS, make_report, report_for_build
from schemas.tables import TABLES


class Page(HTMLParser):
    """Collects data-metric elements, highlighted spans (with their text content),
    document texts, and every tag's attributes."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "area", "base", "col", "wbr", "embed"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.metrics: list[tuple[dict, str]] = []
        self.spans: list[tuple[str, dict, str]] = []  # (doc_id, attrs, text content)
        self.doc_texts: dict[str, str] = {}
        self.tags: list[tuple[str, dict]] = []
        self.checks: dict[str, str] = {}
        self._open: list[tuple[str, dict, list[str]]] = []  # elements being collected
        self._stack: list[str] = []
        self._doc: str | None = None
        self.unbalanced = 0

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.tags.append((tag, a))
        if tag in self.VOID:
            return
        self._stack.append(tag)
        if "data-check" in a:
            self.checks[a["data-check"]] = a.get("data-status", "")
        if "data-metric" in a or (tag == "span" and "data-start" in a) or \
                (tag == "div" and "doctext" in a.get("class", "").split()):
            if tag == "div":
                self._doc = a["data-doc"]
            self._open.append((tag, a, [], len(self._stack)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self._stack or self._stack[-1] != tag:
            self.unbalanced += 1
            return
        depth = len(self._stack)
        self._stack.pop()
        if self._open and self._open[-1][3] == depth:
            t, a, buf, _ = self._open.pop()
            text = "".join(buf)
            if "data-metric" in a:
                self.metrics.append((a, text))
            elif t == "span":
                self.spans.append((self._doc, a, text))
            else:
                self.doc_texts[a["data-doc"]] = text
                self._doc = None

    def handle_data(self, data):
        for _, _, buf, _ in self._open:
            buf.append(data)

    def metric(self, name: str, **keys) -> list[str]:
        return [v for a, v in self.metrics if a["data-metric"] == name
                and all(a.get(f"data-{k}") == str(x) for k, x in keys.items())]

    def one(self, name: str, **keys) -> int:
        vals = self.metric(name, **keys)
        assert len(vals) == 1, (name, keys, vals)
        return int(vals[0])


@pytest.fixture(scope="module")
def report(seed_build, tmp_path_factory):
    out_dir, _summary = seed_build
    path = make_report(out_dir, tmp_path_factory.mktemp("report") / "report.html")
    page = Page()
    html = path.read_text(encoding="utf-8")
    page.feed(html)
    page.close()
    return out_dir, path, html, page


def q(out_dir: Path, sql: str):
    con = duckdb.connect()
    try:
        for t in TABLES:
            con.execute(f"create view {t} as select * from read_parquet('{out_dir / (t + '.parquet')}')")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_written_atomically_and_default_place(seed_build, tmp_path):
    out_dir, _ = seed_build
    path = make_report(out_dir)
    assert path == out_dir / "report.html" and path.stat().st_size > 10_000
    assert not [p for p in out_dir.iterdir() if ".tmp-" in p.name]
    path.unlink()


def test_build_report_lives_in_the_build_it_shows(seed_build):
    out_dir, _ = seed_build
    path = report_for_build(out_dir)
    try:
        # linked through .current: once a newer build is published, the name no longer
        # reaches this build's report (it dangles), so it can never show stale numbers
        assert path == out_dir / "report.html" and os.readlink(path) == ".current/report.html"
        assert (out_dir / ".current" / "report.html").stat().st_size > 10_000
    finally:
        path.unlink(missing_ok=True)
        (out_dir / ".current" / "report.html").unlink(missing_ok=True)


def test_self_contained(report):
    _, _, html, page = report
    assert html.startswith("<!DOCTYPE html>")
    assert page.unbalanced == 0, "tags are not properly nested"
    for tag, a in page.tags:
        assert not (tag == "script" and "src" in a), "<script src> loads a resource"
        assert tag not in ("link", "iframe", "img", "object", "embed"), f"<{tag}> may load a resource"
        for k in ("src", "href", "xlink:href", "data", "poster", "srcset"):
            v = a.get(k, "").strip().lower()
            assert not v.startswith(("http:", "https:", "//")) or (tag == "a" and k == "href"), (tag, k, v)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html, re.I)
    # the page forbids itself any fetch
    assert "default-src 'none'" in html


def test_numbers_equal_the_tables(report, seed_build):
    out_dir, _, _, page = report
    summary = seed_build[1]
    for t in TABLES:
        (n,), = q(out_dir, f"select count(*) from {t}")
        assert page.one("rows", table=t) == n, t
    (docs, dup), = q(out_dir, "select count(*), count(duplicate_of) from documents")
    (rej,), = q(out_dir, "select count(*) from rejects")
    assert page.one("documents") == docs
    assert page.one("documents_duplicate") == dup
    assert page.one("documents_canonical") == docs - dup
    assert page.one("rejects") == rej
    assert page.one("read") == docs + rej == summary["read"]
    for reason, n in q(out_dir, "select reason, count(*) from rejects group by 1"):
        assert page.one("rejects_by_reason", reason=reason) == n
    assert page.one("events") == q(out_dir, "select count(*) from events")[0][0]
    assert page.one("events_total") == page.one("events")
    assert page.one("events_dated") == q(out_dir, "select count(start_date) from events")[0][0]
    assert page.one("figures") == q(out_dir, "select count(*) from figures")[0][0]
    # every table passes its schema, and the page says so
    assert page.checks == {t: "pass" for t in TABLES}
    assert page.one("schema_checks_passed") == page.one("schema_checks") == len(TABLES)
    # countries: each bar's number is the table's
    bars = [(a["data-iso3"], int(v)) for a, v in page.metrics if a["data-metric"] == "country_mentions"]
    want = q(out_dir, "select iso3, n_mentions from countries where n_mentions > 0 "
                      "order by n_mentions desc, iso3 limit 30")
    assert bars == [(i, n) for i, n in want]
    assert page.one("countries_mentioned") == q(out_dir, "select count(*) from countries where n_mentions > 0")[0][0]


def test_network_counts_meetings(report):
    out_dir, _, html, page = report
    pairs = Counter()
    for (fids,) in q(out_dir, "select figure_ids from events where event_type in "
                              "('bilateral_meeting', 'multilateral_meeting', 'ministerial_meeting')"):
        fs = sorted(set(fids))
        for i, a in enumerate(fs):
            for b in fs[i + 1:]:
                pairs[(a, b)] += 1
    nodes = {f for p in pairs for f in p}
    assert page.one("network_nodes") == min(len(nodes), 25)
    if len(nodes) <= 25:
        assert page.one("network_edges") == len(pairs)
    # the seeds: Putin and Xi met twice (Samarkand 2022, Astana 2024)
    assert pairs[("vladimir-putin", "xi-jinping")] >= 2
    assert re.search(r"Vladimir Putin – Xi Jinping: \d+ meetings", html)


def test_timeline_marks_have_titles(report):
    out_dir, _, html, _ = report
    marks = re.findall(r'<circle [^>]*data-event="(ev-[0-9a-f]{16})"[^>]*><title>([^<]+)</title>', html)
    dated = dict(q(out_dir, "select event_id, title from events where start_date is not null"))
    assert {e for e, _ in marks} == set(dated)
    for e, tip in marks:
        assert dated[e] in html_lib.unescape(tip)
    for (eid,) in q(out_dir, "select event_id from events"):
        assert f'<tr id="{eid}">' in html  # the table of details lists every event


def test_highlights_sit_at_their_offsets(report):
    out_dir, _, _, page = report
    texts = dict(q(out_dir, "select doc_id, text from documents where duplicate_of is null"))
    shown = set(page.doc_texts)
    assert len(shown) == min(len(texts), MAX_DOCUMENTS) and shown <= set(texts)
    # the document text survives escaping and highlighting exactly
    for d in shown:
        assert page.doc_texts[d] == texts[d], d
    by_doc = defaultdict(list)
    for d, a, content in page.spans:
        assert d in shown
        s, e = int(a["data-start"]), int(a["data-end"])
        assert content == texts[d][s:e], (d, a, content)
        assert a.get("title") and a.get("data-kind") in ("mention", "quantity", "quote")
        by_doc[d].append(a)
    rows = Counter()
    for t in ("mentions", "quantities", "quotes"):
        for d, n in q(out_dir, f"select doc_id, count(*) from {t} group by 1"):
            rows[d] += n
    total_shown = 0
    for d in shown:
        assert page.one("doc_spans_total", doc=d) == rows[d]
        assert len(by_doc[d]) + page.one("doc_spans_skipped", doc=d) == rows[d]
        total_shown += len(by_doc[d])
    assert total_shown > 0.9 * sum(rows[d] for d in shown), "most annotations are highlighted"
    # entity spans carry their entity id
    ids = {(a["data-kind"], a["data-id"]) for _, a, _ in page.spans}
    assert ("mention", "RUS") in ids and ("mention", "vladimir-putin") in ids


def test_overlapping_spans_nest_or_are_skipped():
    from flows.report.page import doc_spans, render_text

    text = 'Putin said: "Russia & China <agree>." Fine.'
    ment = [{"start": 0, "end": 5, "surface": "Putin", "entity_type": "figure", "entity_id": "vladimir-putin"},
            {"start": 13, "end": 19, "surface": "Russia", "entity_type": "country", "entity_id": "RUS"},
            {"start": 22, "end": 27, "surface": "China", "entity_type": "country", "entity_id": "CHN"},
            {"start": 20, "end": 35, "surface": text[20:35], "entity_type": "place", "entity_id": "x"},  # crosses
            {"start": 40, "end": 44, "surface": "nope", "entity_type": "place", "entity_id": "y"}]  # wrong offsets
    quotes = [{"start": 13, "end": 35, "text": text[13:35], "figure_id": "vladimir-putin", "verb": "said"}]
    spans, skipped = doc_spans(text, ment, [], quotes, {"vladimir-putin": "Vladimir Putin"})
    out = render_text(text, spans)
    p = Page()
    p.feed(f'<div class="doctext" data-doc="d">{out}</div>')
    assert p.unbalanced == 0
    assert p.doc_texts["d"] == text
    assert "&lt;agree&gt;" in out and "&amp;" in out
    for _, a, content in p.spans:
        assert content == text[int(a["data-start"]):int(a["data-end"])]
    assert len(p.spans) + skipped == len(ment) + len(quotes)
    assert skipped >= 1


# ---------------------------------------------------------------- in a browser

def _chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


BROWSER_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--mute-audio",
                 # no network: every host name resolves nowhere
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"]


def _browser(args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    exe = _chromium()
    if exe is None:
        pytest.skip("no Chromium: install Debian's package (`apt-get install -y chromium`) to run the browser test")
    return subprocess.run([exe, *BROWSER_FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
                          capture_output=True, text=True, timeout=180, cwd=tmp)


def _console_errors(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines()
            if "Uncaught" in ln or "ERROR:CONSOLE" in ln or "Content Security Policy" in ln or "Refused to" in ln
            or ("CONSOLE" in ln and "ERROR" in ln)]


def test_renders_in_chromium(report, tmp_path):
    _, path, _, _ = report
    url = path.resolve().as_uri()
    png = tmp_path / "report.png"
    r = _browser([f"--screenshot={png}", "--window-size=1280,2000", "--enable-logging=stderr", "--v=0", url],
                 tmp_path)
    assert png.exists(), f"no screenshot; chromium said:\n{r.stderr[-3000:]}"
    assert png.stat().st_size > 10_000, "the screenshot is (nearly) blank"
    assert not _console_errors(r.stderr), _console_errors(r.stderr)

    r = _browser(["--dump-dom", "--enable-logging=stderr", "--v=0", url], tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert not _console_errors(r.stderr), _console_errors(r.stderr)
    dom = r.stdout
    assert 'data-metric="documents"' in dom and "Who met whom" in dom and "<svg" in dom
