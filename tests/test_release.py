"""Issue 8: the Parquet release (flows/release/, sql/release.sql).

Everything runs on the seed build (one real flow run, shared with the e2e tests):
the release folder and archive, both metadata files validated by their own
libraries, checksums, two releases compared byte for byte, every table read
back over HTTP by DuckDB's httpfs from a local server, the --text modes, the
data card and the CHANGELOG.
"""
from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import tarfile
import threading
from functools import partial
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from flows import publish
from flows import release as rel
from flows.publish.read import read_build_table, sort_rows
from schemas.generate import arrow_schema, columns
from schemas.tables import TABLES
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

VERSION = "1.0.0"
META_FILES = ["README.md", "CHANGELOG.md", "SHA256SUMS", "manifest.json", "datapackage.json", "croissant.json"]


# ---------------------------------------------------------------- helpers and fixtures

def copy_build(src: Path, dst: Path, **mutate) -> Path:
    """A copy of a build folder (Parquet tables + build.json), with some tables changed:
    mutate[table] is a function pa.Table -> pa.Table."""
    dst.mkdir(parents=True)
    shutil.copy(src / "build.json", dst / "build.json")
    for t in TABLES:
        tbl = pq.read_table(src / f"{t}.parquet")
        if t in mutate:
            tbl = mutate[t](tbl).cast(arrow_schema(t))
        pq.write_table(tbl, dst / f"{t}.parquet", **publish.PARQUET_OPTIONS)
    return dst


def set_value(tbl: pa.Table, column: str, row: int, value) -> pa.Table:
    vals = tbl[column].to_pylist()
    vals[row] = value
    i = tbl.schema.get_field_index(column)
    return tbl.set_column(i, tbl.schema.field(i), pa.array(vals, tbl.schema.field(i).type))


@pytest.fixture(scope="module")
def build(seed_build):
    return seed_build[0]


@pytest.fixture(scope="module")
def release(build, tmp_path_factory) -> Path:
    return rel.make_release(build, VERSION, out_root=tmp_path_factory.mktemp("release-a"))


@pytest.fixture(scope="module")
def release_again(build, tmp_path_factory) -> Path:
    return rel.make_release(build, VERSION, out_root=tmp_path_factory.mktemp("release-b"))


@pytest.fixture(scope="module")
def mixed_licences(build, tmp_path_factory):
    """A copy of the seed build in which one document is CC BY 4.0 and one public domain;
    the others stay 'unknown'. Returns (build_dir, cc_by_doc_id, pd_doc_id, unknown_doc_id)."""
    docs = pq.read_table(build / "documents.parquet")
    assert docs.num_rows >= 3
    by_len = sorted(docs.to_pylist(), key=lambda d: (-len(d["text"]), d["doc_id"]))
    with_evidence = {e["evidence_doc_id"] for e in pq.read_table(build / "events.parquet").to_pylist()
                     if e["evidence_start"] is not None}
    cc_by, pd = by_len[0]["doc_id"], by_len[1]["doc_id"]
    rest = [d["doc_id"] for d in by_len[2:]]
    unknown = next((d for d in rest if d in with_evidence), rest[0])
    lic = {d["doc_id"]: d["licence"] for d in by_len}
    lic[cc_by], lic[pd] = "CC-BY-4.0", "public-domain"
    assert lic[unknown] == "unknown"
    out = copy_build(build, tmp_path_factory.mktemp("mixed") / "build",
                     documents=lambda t: t.set_column(t.schema.get_field_index("licence"), "licence",
                                                      pa.array([lic[i] for i in t["doc_id"].to_pylist()],
                                                               pa.string())))
    return out, cc_by, pd, unknown


def rows_of(folder: Path, table: str) -> list[dict]:
    return pq.read_table(folder / f"{table}.parquet").to_pylist()


# ---------------------------------------------------------------- the folder, the archive

def test_release_folder_holds_every_table_and_the_metadata(release, build):
    assert release.name == f"sco-open-data-{VERSION}"
    for t in TABLES:
        assert (release / f"{t}.parquet").is_file(), t
    for f in META_FILES:
        assert (release / f).is_file(), f
    assert (release.parent / f"sco-open-data-{VERSION}.tar.gz").is_file()
    assert not [p for p in release.parent.iterdir() if ".tmp" in p.name], "no temporary file is left behind"

    manifest = json.loads((release / "manifest.json").read_text())
    summary = json.loads((build / "build.json").read_text())
    assert manifest["version"] == VERSION
    assert manifest["built_at"] == summary["built_at"]
    assert manifest["input_sha256"] == summary["input_sha256"] and manifest["input_sha256"]
    assert manifest["pipeline_version"] == summary["pipeline_version"]
    assert "git_commit" in manifest  # a sha, or null outside a git checkout
    assert manifest["git_commit"] is None or re.fullmatch(r"[0-9a-f]{40}", manifest["git_commit"])
    assert "quality" in manifest
    assert "FULL" in manifest["text"]["offsets"]
    for t in TABLES:
        n = pq.read_metadata(release / f"{t}.parquet").num_rows
        assert manifest["tables"][t]["rows"] == n == summary["rows"][t], t


def test_release_tables_are_validated_sorted_and_sized_for_remote_reads(release, build):
    for t in TABLES:
        f = release / f"{t}.parquet"
        tbl = pq.read_table(f)
        want = arrow_schema(t)
        assert tbl.schema.metadata == want.metadata, t
        for got, exp in zip(tbl.schema, want, strict=True):
            assert (got.name, got.nullable, got.metadata) == (exp.name, exp.nullable, exp.metadata), (t, got.name)
            # Parquet names a list's child "element" where Arrow says "item"
            assert got.type == exp.type or got.type.value_type == exp.type.value_type, (t, got.name)
        rel.validate_table(t, tbl)
        assert tbl.equals(sort_rows(t, tbl)), f"{t} rows are in key order"
        md = pq.ParquetFile(f).metadata
        assert md.num_row_groups >= (1 if tbl.num_rows else 0)
        for i in range(md.num_row_groups):
            assert md.row_group(i).num_rows <= rel.MAX_ROW_GROUP_ROWS
            assert md.row_group(i).column(0).compression == "ZSTD"
        # same rows as the build (the text policy aside)
        built = pq.read_table(build / f"{t}.parquet")
        assert tbl.num_rows == built.num_rows
        if t != "documents":
            assert sort_rows(t, built.cast(arrow_schema(t))).equals(tbl), t


def test_row_groups_and_parts_for_large_tables(build, tmp_path):
    mentions = sort_rows("mentions", read_build_table(build, "mentions"))
    assert rel.MIN_ROW_GROUP_ROWS <= rel.row_group_rows(mentions) <= rel.MAX_ROW_GROUP_ROWS
    # a table over the file size limit becomes a folder of parts that read back whole
    files = rel.write_table(mentions, tmp_path, "mentions", max_file_bytes=mentions.nbytes // 3)
    assert len(files) > 1 and all(f.startswith("mentions/part-") for f in files)
    back = pa.concat_tables([pq.read_table(tmp_path / f) for f in files])
    assert back.equals(mentions)


def test_sha256sums_match_every_file(release):
    sums = (release / "SHA256SUMS").read_text()
    listed = {line.split("  ", 1)[1] for line in sums.splitlines()}
    present = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert listed == present
    assert rel.check_sha256sums(release) == []
    for line in sums.splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest
    if shutil.which("sha256sum"):
        r = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=release, capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
    # a changed byte is caught
    tmp = release.parent / "tampered"
    shutil.copytree(release, tmp)
    with open(tmp / "figures.parquet", "r+b") as f:
        f.seek(10)
        b = f.read(1)
        f.seek(10)
        f.write(bytes([b[0] ^ 0xFF]))
    assert rel.check_sha256sums(tmp) == ["figures.parquet"]
    shutil.rmtree(tmp)


def test_two_releases_of_one_build_are_byte_identical(release, release_again):
    a = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    b = sorted(p.relative_to(release_again).as_posix() for p in release_again.rglob("*") if p.is_file())
    assert a == b
    for name in a:
        assert (release / name).read_bytes() == (release_again / name).read_bytes(), name
    assert (release / "SHA256SUMS").read_text() == (release_again / "SHA256SUMS").read_text()
    arch = f"sco-open-data-{VERSION}.tar.gz"
    assert (release.parent / arch).read_bytes() == (release_again.parent / arch).read_bytes()


def test_archive_is_reproducible_and_holds_the_folder(release):
    arch = release.parent / f"sco-open-data-{VERSION}.tar.gz"
    raw = arch.read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\0\0\0\0", "gzip header mtime is 0"
    assert raw[3] & 0x08 == 0, "no file name in the gzip header"
    with tarfile.open(arch) as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert names == [release.name] + sorted(names[1:])
        assert {m.uid for m in members} == {0} and {m.gid for m in members} == {0}
        assert len({m.mtime for m in members}) == 1
        files = {m.name.split("/", 1)[1]: tar.extractfile(m).read() for m in members if m.isfile()}
    assert files == {p.relative_to(release).as_posix(): p.read_bytes() for p in release.rglob("*") if p.is_file()}
    # gzip round trip is the tar
    assert gzip.decompress(raw)


# ---------------------------------------------------------------- metadata, validated by their own libraries

def test_datapackage_is_valid_frictionless_and_follows_the_schemas(release):
    frictionless = pytest.importorskip("frictionless", reason="frictionless is a dev dependency (pip install frictionless)")
    desc = json.loads((release / "datapackage.json").read_text())
    report = frictionless.Package.validate_descriptor(desc)
    assert report.valid, [e.message for e in report.errors]
    assert desc["version"] == VERSION
    assert any(lic["name"] == "CC-BY-SA-4.0" for lic in desc["licenses"])
    by_name = {r["name"]: r for r in desc["resources"]}
    assert list(by_name) == list(TABLES)
    for t, res in by_name.items():
        assert [f["name"] for f in res["schema"]["fields"]] == [c[0] for c in columns(t)]
        assert all(f["description"] for f in res["schema"]["fields"])
        assert res["hash"] == "sha256:" + hashlib.sha256((release / res["path"]).read_bytes()).hexdigest()
    assert by_name["documents"]["schema"]["primaryKey"] == ["doc_id"]
    assert by_name["events"]["schema"]["primaryKey"] == ["event_id"]
    assert "FULL" in next(f for f in by_name["documents"]["schema"]["fields"] if f["name"] == "text")["description"]

    # The data against the package's own schemas (types, required, unique, enum, pattern,
    # ranges, primary and foreign keys). frictionless' Parquet reader goes through pandas,
    # which turns nullable integers into floats and lists into numpy arrays, so the rows
    # are handed over inline, read by pyarrow.
    def inline(descriptor):
        d = json.loads(json.dumps(descriptor))
        for r in d["resources"]:
            tbl = pq.read_table(release / r.pop("path"))
            r["data"] = [tbl.column_names] + [list(row.values()) for row in tbl.to_pylist()]
            for k in ("bytes", "hash", "mediatype"):
                r.pop(k, None)
            r["format"] = "inline"
        return d

    d = inline(desc)
    report = frictionless.Package(d).validate()
    assert report.valid, [(t.name, [e.message for e in t.errors[:3]]) for t in report.tasks if not t.valid]

    # ... and the checks bite: a repeated primary key and a dangling foreign key are caught
    bad = inline(desc)
    docs = next(r for r in bad["resources"] if r["name"] == "documents")["data"]
    docs[2][0] = docs[1][0]
    quotes = next(r for r in bad["resources"] if r["name"] == "quotes")["data"]
    quotes[1][quotes[0].index("doc_id")] = "d-0000000000000000"
    report = frictionless.Package(bad).validate()
    errors = {e.type for t in report.tasks for e in t.errors}
    assert {"primary-key", "foreign-key"} <= errors


def test_generated_ddl_loads_the_release_and_its_foreign_keys_hold(release):
    """sql/schema.sql (from the registry) takes every released table as it is, primary
    keys enforced; every foreign key the registry names finds its row."""
    from schemas.generate import ddl
    from schemas.tables import REGISTRY

    con = duckdb.connect()
    try:
        con.execute(ddl())
        for t in REGISTRY:
            con.execute(f"INSERT INTO {t} SELECT * FROM read_parquet('{release / f'{t}.parquet'}')")
            assert con.execute(f"select count(*) from {t}").fetchone()[0] == pq.read_metadata(
                release / f"{t}.parquet").num_rows
        checked = 0
        for t in REGISTRY.values():
            for fk in t.foreign_keys:
                dangling = con.execute(
                    f"select count(*) from {t.name} a where a.{fk.column} is not null and not exists "
                    f"(select 1 from {fk.table} b where b.{fk.key} = a.{fk.column})").fetchone()[0]
                assert dangling == 0, (t.name, fk)
                checked += con.execute(f"select count({fk.column}) from {t.name}").fetchone()[0]
        assert checked > 0
        with pytest.raises(duckdb.ConstraintException):  # the primary keys are declared
            con.execute("INSERT INTO countries SELECT * FROM countries LIMIT 1")
    finally:
        con.close()


def test_croissant_is_valid_and_reads_every_record_set(release):
    mlc = pytest.importorskip("mlcroissant", reason="mlcroissant is a dev dependency (pip install mlcroissant)")
    ds = mlc.Dataset(jsonld=str(release / "croissant.json"))
    assert not ds.metadata.ctx.issues.errors
    assert not ds.metadata.ctx.issues.warnings
    meta = json.loads((release / "croissant.json").read_text())
    assert meta["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert meta["version"] == VERSION and meta["citeAs"]
    manifest = json.loads((release / "manifest.json").read_text())
    for rs in meta["recordSet"]:
        t = rs["name"]
        assert [f["name"] for f in rs["field"]] == [c[0] for c in columns(t)]
        records = list(ds.records(t))
        assert len(records) == manifest["tables"][t]["rows"], t
    fo = {d["@id"]: d for d in meta["distribution"]}
    for t in TABLES:
        assert fo[f"{t}.parquet"]["sha256"] == hashlib.sha256((release / f"{t}.parquet").read_bytes()).hexdigest()


# ---------------------------------------------------------------- query where it lies

class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with HEAD and single byte ranges (what DuckDB's httpfs asks for)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            self.send_error(404)
            return None
        size = os.path.getsize(path)
        rng = self.headers.get("Range")
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip()) if rng else None
        self.server.log.append((self.command, self.path, rng))
        if m and (m.group(1) or m.group(2)):
            a, b = m.groups()
            start, end = (size - int(b), size - 1) if a == "" else (int(a), min(int(b), size - 1) if b else size - 1)
            if start >= size or start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            start, end = 0, size - 1
            self.send_response(200)
        f = open(path, "rb")
        f.seek(start)
        self._remaining = end - start + 1
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(self._remaining))
        self.send_header("Last-Modified", self.date_time_string(int(os.path.getmtime(path))))
        self.end_headers()
        return f

    def copyfile(self, source, outputfile):
        n = self._remaining
        while n > 0:
            chunk = source.read(min(1 << 16, n))
            if not chunk:
                break
            outputfile.write(chunk)
            n -= len(chunk)


@pytest.fixture
def served(release):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(release)))
    server.daemon_threads = True
    server.log = []
    th = threading.Thread(target=server.serve_forever, daemon=True)
    th.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.log
    finally:
        server.shutdown()
        server.server_close()
        th.join(5)


def _needs(ext: str):
    if rel.duckdb_extension_path(ext) is None:
        pytest.skip(f"the duckdb-extension-{ext}=={duckdb.__version__} wheel is not installed "
                    "(DuckDB cannot download extensions offline; see ../shared/STACK.md)")


def test_every_table_reads_remotely_over_http(served, release, tmp_path):
    _needs("httpfs")
    url, log = served
    con = rel.connect(extension_directory=tmp_path / "duckdb-ext")
    try:
        rel.attach_release(con, url)
        manifest = json.loads((release / "manifest.json").read_text())
        for t in TABLES:
            n = con.execute(f"select count(*) from {t}").fetchone()[0]
            assert n == manifest["tables"][t]["rows"] == pq.read_metadata(release / f"{t}.parquet").num_rows, t
        # real data comes through, joined across tables
        top = con.execute("select f.name, count(*) from mentions m join figures f on f.figure_id = m.entity_id "
                          "where m.entity_type = 'figure' group by 1 order by 2 desc limit 1").fetchone()
        assert top[0] == "Vladimir Putin"
        # the project's own views work over the remote release too
        con.execute((ROOT / "sql" / "views.sql").read_text())
        assert con.execute("select count(*) from canonical_documents").fetchone()[0] > 0
    finally:
        con.close()
    assert any(r for _, _, r in log), "DuckDB read with Range requests"
    assert any(p.endswith("/documents.parquet") for _, p, _ in log)
    assert not list((tmp_path / "duckdb-ext").rglob("*.duckdb_extension")), "nothing installed"


def test_full_text_search_over_a_remote_release(served, tmp_path):
    _needs("httpfs")
    _needs("fts")
    url, _ = served
    con = rel.connect(extension_directory=tmp_path / "duckdb-ext")
    try:
        rel.attach_release(con, url, fts=True)
        hits = con.execute("select doc_id, score from search_documents('summit')").fetchall()
        assert hits and all(s > 0 for _, s in hits)
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    finally:
        con.close()


def test_release_sql_uses_a_url_variable_and_read_parquet():
    sql = (ROOT / "sql" / "release.sql").read_text()
    assert "SET VARIABLE release_url" in sql
    for t in TABLES:
        assert re.search(rf"VIEW {t}\s+AS SELECT \* FROM read_parquet\(getvariable\('release_url'\) \|\| '/{t}\.parquet'\)", sql), t
    assert "create_fts_index" in sql


# ---------------------------------------------------------------- text and licences

def test_text_auto_keeps_full_text_only_where_the_licence_allows(mixed_licences, tmp_path):
    build, cc_by, pd, unknown = mixed_licences
    full = {r["doc_id"]: r for r in rows_of(build, "documents")}
    out = rel.make_release(build, VERSION, out_root=tmp_path)  # text="auto"
    docs = {r["doc_id"]: r for r in rows_of(out, "documents")}
    assert pq.read_schema(out / "documents.parquet").field("text").type == pa.string()
    for d in (cc_by, pd):
        assert docs[d]["text"] == full[d]["text"]
        assert hashlib.sha256(docs[d]["text"].encode()).hexdigest() == docs[d]["content_sha256"]
    snip = docs[unknown]["text"]
    assert snip and snip != full[unknown]["text"] and len(snip) < len(full[unknown]["text"])
    for piece in snip.removesuffix(" …").split(rel.SNIPPET_JOINER):
        assert piece in full[unknown]["text"], "a snippet is made of sentences of the full text"
    assert docs[unknown]["content_sha256"] == full[unknown]["content_sha256"], "the hash of the FULL text"
    assert docs[unknown]["n_words"] == full[unknown]["n_words"]
    # the evidence of an event from that document is in its snippet
    ev = [e for e in rows_of(build, "events") if e["evidence_doc_id"] == unknown and e["evidence_start"] is not None]
    if ev:  # event evidence comes first in a snippet (unless one sentence alone is over the size limit)
        first = min(ev, key=lambda e: e["evidence_start"])["evidence"].strip()
        assert first in snip or len(first) > rel.SNIPPET_MAX_CHARS
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["text"]["by_licence"]["CC-BY-4.0"] == {"full": 1}
    assert manifest["text"]["by_licence"]["unknown"] == {"snippet": len(full) - 2}
    # annotation offsets are untouched: they still point into the FULL text
    for m in rows_of(out, "mentions")[:200]:
        assert full[m["doc_id"]]["text"][m["start"]:m["end"]] == m["surface"]


def test_text_full_none_and_snippet_modes(mixed_licences, tmp_path):
    build, cc_by, _pd, _unknown = mixed_licences
    full = {r["doc_id"]: r["text"] for r in rows_of(build, "documents")}
    for mode in ("full", "none", "snippet"):
        out = rel.make_release(build, VERSION, text=mode, out_root=tmp_path / mode)
        texts = {r["doc_id"]: r["text"] for r in rows_of(out, "documents")}
        if mode == "full":
            assert texts == full
        elif mode == "none":
            assert set(texts.values()) == {""}
        else:
            assert texts[cc_by] != full[cc_by], "snippets even for CC BY"
            assert all(texts[d] and len(texts[d]) <= len(full[d]) + len(" …") for d in texts)
        rel.validate_table("documents", pq.read_table(out / "documents.parquet"))
        assert json.loads((out / "manifest.json").read_text())["text"]["mode"] == mode
    with pytest.raises(ValueError):
        rel.make_release(build, VERSION, text="everything", out_root=tmp_path / "bad")


# ---------------------------------------------------------------- the data card and the changelog

def test_data_card_has_the_notice_citation_limits_and_runnable_queries(release, monkeypatch):
    card = (release / "README.md").read_text()
    notice = (ROOT / "seeds" / "reference" / "NOTICE").read_text().rstrip("\n")
    assert notice in card, "the CC BY-SA notice of the reference tables is reproduced whole"
    for heading in ("## What is in it", "## Where the documents come from", "## How each table is made",
                    "## Known limits", "## Quality", "## Licences and attribution", "## How to cite",
                    "## First queries", "## Data dictionary", "## Text in this release"):
        assert heading in card, heading
    assert "CC BY-SA 4.0" in card and "FULL" in card
    for t in TABLES:  # the data dictionary is generated from the models: every column is there
        for n, ty, _nl, _d in columns(t):
            assert f"| {n} | {ty} |" in card, (t, n)
    sql = card.split("## First queries", 1)[1].split("```sql", 1)[1].split("```", 1)[0]
    queries = [q for q in sql.split(";") if re.sub(r"--[^\n]*", "", q).strip()]
    assert len(queries) == 3
    monkeypatch.chdir(release)
    con = duckdb.connect()
    try:
        results = [con.execute(q).fetchall() for q in queries]
    finally:
        con.close()
    assert results[0] and results[1]


def test_changelog_counts_rows_added_removed_changed_and_schema_changes(build, tmp_path):
    root = tmp_path / "releases"
    first = rel.make_release(build, "0.1.0", out_root=root)
    assert "First release" in (first / "CHANGELOG.md").read_text()
    # the previous release lacked a column (a schema change to report)
    figs = pq.read_table(first / "figures.parquet")
    pq.write_table(figs.drop_columns(["in_reference"]), first / "figures.parquet")

    events = pq.read_table(build / "events.parquet")
    gone = events["event_id"][0].as_py()
    figures = pq.read_table(build / "figures.parquet")
    changed_fig = figures["figure_id"][0].as_py()
    second_build = copy_build(
        build, tmp_path / "build2",
        events=lambda t: t.filter(pc.not_equal(t["event_id"], gone)),
        figures=lambda t: set_value(t, "role", 0, "Someone else entirely"),
    )
    second = rel.make_release(second_build, "0.2.0", out_root=root)
    log = (second / "CHANGELOG.md").read_text()
    assert log.startswith("# Changelog\n\n## 0.2.0")
    assert "Compared with 0.1.0" in log
    assert f"| events | {events.num_rows - 1} | 0 | 1 | 0 |" in log
    assert f"| figures | {figures.num_rows} | 0 | 0 | 1 |" in log
    assert f"| mentions | {pq.read_metadata(build / 'mentions.parquet').num_rows} | 0 | 0 | 0 |" in log
    assert "- figures: added column `in_reference` (bool)" in log
    assert "## 0.1.0" in log, "earlier entries are kept"
    assert log.count("# Changelog") == 1
    diff = rel.diff_releases(second, first)
    assert diff["tables"]["events"] == {"added": 0, "removed": 1, "changed": 0, "rows": events.num_rows - 1}
    assert changed_fig  # the figure whose role changed

    # a later version sees 0.2.0, never a lower one; the same version re-released replaces itself
    again = rel.make_release(second_build, "0.2.0", out_root=root)
    assert (again / "CHANGELOG.md").read_text() == log
    assert rel.previous_release(root, "0.10.0")[0] == "0.2.0"
