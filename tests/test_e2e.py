"""Tier 3: the real Prefect flow on seeds/, end to end, once per session."""
from __future__ import annotations

import hashlib
import os

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from schemas.tables import TABLES
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.e2e

CHROME_FRAGMENTS = [
    "Leave a Reply", "LEAVE A REPLY", "Your email address will not be published", "Please enter your comment",
    "Share post:", "Back to top", "Related Articles", "More like this", "Join date", "Posts :", "Points :",
    "like this post", "likes this post", " wrote:", "Post n°", "Image: AP", "#Putin", "posters",
    "rewritten by artificial intelligence", "Re: S.C.O. Thread",
]


def table(out, name):
    return pq.read_table(out / f"{name}.parquet").to_pylist()


def test_every_contract_table_is_written_and_validated(seed_build):
    out, result = seed_build
    for name in TABLES:
        assert (out / f"{name}.parquet").exists(), name
    assert not [p for p in out.iterdir() if ".tmp" in p.name], "no temporary file is left behind"
    import pandas as pd  # noqa: F401

    from flows.publish.validation import to_frame, validate  # noqa: F401
    frames = {n: pq.read_table(out / f"{n}.parquet").to_pandas() for n in TABLES}
    for n, df in frames.items():
        for f in pq.read_schema(out / f"{n}.parquet"):
            if str(f.type) == "int32" and f.nullable:
                df[f.name] = df[f.name].astype("Int32")
    validate(frames)  # raises on any broken check
    assert result["input_files_unaccounted"] == []
    assert result["read"] == result["documents"] + result["rejects"]


def test_database_answers_and_every_sql_query_runs(seed_build):
    out, _ = seed_build
    con = duckdb.connect(str(out / "sco.duckdb"), read_only=True)
    assert con.execute("select count(*) from documents").fetchone()[0] == 17
    queries = sorted((ROOT / "sql" / "queries").glob("*.sql"))
    assert len(queries) >= 6
    for q in queries:
        rows = con.execute(q.read_text()).fetchall()
        assert isinstance(rows, list), q.name
    # the queries that must find something on the seeds
    assert con.execute((ROOT / "sql/queries/most_mentioned_figures.sql").read_text()).fetchone()[0] == "Vladimir Putin"
    assert con.execute((ROOT / "sql/queries/meetings_between_two_leaders.sql").read_text()).fetchall()
    con.close()


def test_forum_thread_becomes_one_document_per_post(seed_build):
    out, _ = seed_build
    posts = [d for d in table(out, "documents") if d["parent_uri"] == "documents/004_8964e48515676b12.txt"]
    numbers = sorted(p["post_number"] for p in posts if p["post_number"] is not None)
    assert numbers == list(range(77, 89))
    by_no = {p["post_number"]: p for p in posts}
    assert by_no[77]["author"] == "George1" and by_no[77]["url"] == "https://tass.com/world/1296661"
    assert by_no[77]["source_name"] == "TASS"
    assert by_no[82]["author"] == "Kiko" and "rt.com" in by_no[82]["url"]
    assert by_no[88]["author"] == "Rodion_Romanovic"
    assert "SCO expects Belarus" not in by_no[88]["text"], "the quoted reply is not the post's text"
    assert all(p["source_uri"].startswith("documents/004_8964e48515676b12.txt#post-") for p in posts)


@pytest.mark.parametrize("fragment", CHROME_FRAGMENTS)
def test_no_chrome_in_text(seed_build, fragment):
    out, _ = seed_build
    hits = [d["source_uri"] for d in table(out, "documents") if fragment in d["text"]]
    assert hits == []


def test_forum_users_are_never_figures(seed_build):
    out, _ = seed_build
    authors = {d["author"] for d in table(out, "documents") if d["author"]}
    figures = table(out, "figures")
    names = {f["name"] for f in figures} | {a for f in figures for a in f["aliases"]}
    assert authors and not (authors & names)


def test_spellings_resolve_to_one_figure(seed_build):
    out, _ = seed_build
    by_id = {f["figure_id"]: f for f in table(out, "figures")}
    mentions = table(out, "mentions")
    forms = {}
    for m in mentions:
        if m["entity_type"] == "figure":
            forms.setdefault(m["entity_id"], set()).add(m["surface"])
    assert {"Sadir Zhaparov", "Sadyr Japarov"} <= forms["sadyr-japarov"]
    assert {"Shavkat Mirziyóyev", "Shavkat Mirziyoyev"} <= forms["shavkat-mirziyoyev"]
    assert "Ujnaagiin Jurelsuj" in forms["ukhnaagiin-khurelsukh"]
    assert "Serdar Berdimujamédov" in forms["serdar-berdimuhamedow"]
    assert {"Putin", "Vladimir Putin"} <= forms["vladimir-putin"]
    assert {"Xi", "Xi Jinping"} <= forms["xi-jinping"]
    for fid in ("dmitry-peskov", "ebrahim-raisi", "recep-tayyip-erdogan", "narendra-modi", "yuri-ushakov"):
        assert fid in by_id, fid


def test_offsets_are_exact(seed_build):
    out, _ = seed_build
    text = {d["doc_id"]: d["text"] for d in table(out, "documents")}
    for name, field in (("mentions", "surface"), ("quantities", "surface"), ("quotes", "text")):
        rows = table(out, name)
        assert rows, name
        for r in rows:
            assert text[r["doc_id"]][r["start"]:r["end"]] == r[field], (name, r)
    for e in table(out, "events"):
        if e["evidence_start"] is not None:
            assert text[e["evidence_doc_id"]][e["evidence_start"]:e["evidence_end"]] == e["evidence"]


def test_rebuild_gives_identical_files(seed_build, tmp_path):
    """Same input, same IDs, same rows, same bytes."""
    from flows.build import build_dataset
    from flows.config import Settings

    out, _ = seed_build
    os.environ["SOURCE_DATE_EPOCH"] = "1763856000"
    try:
        build_dataset(Settings(inputs=[SEEDS], output=tmp_path))
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    for name in TABLES:
        a = hashlib.sha256((out / f"{name}.parquet").read_bytes()).hexdigest()
        b = hashlib.sha256((tmp_path / f"{name}.parquet").read_bytes()).hexdigest()
        assert a == b, name


def test_cli_query_and_validate(seed_build):
    from flows.cli import app

    out, _ = seed_build
    runner = CliRunner()
    r = runner.invoke(app, ["query", "select count(*) as n from documents", "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert "17" in r.output
    r = runner.invoke(app, ["query", "drop view documents", "--output", str(out)])
    assert r.exit_code == 1 and "read-only" in r.output.lower()
    r = runner.invoke(app, ["validate", "--output", str(out)])
    assert r.exit_code == 0, r.output
    assert "ok  documents" in r.output
    for cmd in ("build", "query", "validate"):
        h = runner.invoke(app, [cmd, "--help"])
        assert h.exit_code == 0 and "Usage" in h.output


def test_cli_refuses_a_missing_input_clearly(tmp_path):
    from flows.cli import app

    r = CliRunner().invoke(app, ["build", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "out")])
    assert r.exit_code == 2 and "--input: no such file or folder" in r.output
    assert not (tmp_path / "out").exists()
