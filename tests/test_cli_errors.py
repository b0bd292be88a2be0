"""A user's mistake is one line on stderr, `error: ...`, and exit code 2, found before
Prefect starts (the flow and the scheduler are replaced here by functions that fail the
test if they are reached). One real process too: nothing else is printed."""
from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import ROOT, SEEDS

runner = CliRunner()


@pytest.fixture(autouse=True)
def prefect_must_not_start(monkeypatch):
    import flows.build
    import flows.serve

    def reached(*a, **k):
        raise AssertionError("the mistake was not caught before Prefect started")

    monkeypatch.setattr(flows.build, "build_dataset", reached)
    monkeypatch.setattr(flows.serve, "serve", reached)


def one_error_line(result, *parts: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert result.stdout == ""
    for part in parts:
        assert part in lines[0], (part, lines[0])
    return lines[0]


def sources_file(tmp_path, body: str):
    p = tmp_path / "sources.yaml"
    p.write_text(body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body, parts", [
    (f"sources:\n  - type: folder\n    path: {SEEDS}\n", ["sources.yaml: sources[0]: 'name' is required"]),
    (f"sources:\n  - name: seeds\n    type: folder\n    paht: {SEEDS}\n",
     ["sources.yaml: sources[0] (seeds): unknown key 'paht' (did you mean 'path'?)"]),
    ("sources:\n  - name: wire\n    type: feed\n    url: https://example.org/feed\n    max_items: many\n",
     ["sources.yaml: sources[0] (wire): 'max_items' must be an integer, got 'many'"]),
    ("sources:\n  - name: wire\n    type: feed\n    url: example.org/feed\n",
     ["sources.yaml: sources[0] (wire): 'url' must be an http(s) URL"]),
    ("sources:\n  - name: wire\n    type: feeds\n    url: https://example.org/feed\n", ["did you mean 'feed'"]),
    ("fetch:\n  timeout: fast\nsources: []\n", ["sources.yaml: fetch: 'timeout' must be a number"]),
])
def test_a_bad_sources_file(tmp_path, body, parts):
    cfg = sources_file(tmp_path, body)
    one_error_line(runner.invoke(app, ["build", "--sources", str(cfg), "-o", str(tmp_path / "out")]), *parts)
    one_error_line(runner.invoke(app, ["serve", "--cron", "0 * * * *", "--sources", str(cfg)]), *parts)


def test_a_missing_sources_file(tmp_path):
    one_error_line(runner.invoke(app, ["build", "--sources", str(tmp_path / "nope.yaml")]),
                   "nope.yaml: --sources: no such file")


def test_a_missing_input(tmp_path):
    one_error_line(runner.invoke(app, ["build", "-i", str(SEEDS), "-i", str(tmp_path / "gone")]),
                   f"{tmp_path / 'gone'}: --input: no such file or folder")


@pytest.mark.parametrize("variable, value", [("SCO_PROCESSES", "abc"), ("SCO_DEDUP_THRESHOLD", "2"),
                                             ("SOURCE_DATE_EPOCH", "yesterday")])
def test_a_bad_setting_in_the_environment(tmp_path, variable, value):
    result = runner.invoke(app, ["build", "-o", str(tmp_path)], env={variable: value})
    one_error_line(result, f"error: environment: {variable}:", repr(value))


def test_a_bad_date_flag(tmp_path):
    one_error_line(runner.invoke(app, ["build", "-o", str(tmp_path), "--as-of", "last week"]),
                   "error: argument: --as-of:", "'last week'")


def test_a_bad_cron():
    one_error_line(runner.invoke(app, ["serve", "--cron", "not a cron"]),
                   "error: --cron: invalid cron expression 'not a cron'")
    one_error_line(runner.invoke(app, ["serve"]), "give exactly one of cron")


@pytest.mark.parametrize("version", ["../../etc", "1.0/x", ".hidden"])
def test_a_bad_release_version(tmp_path, version):
    one_error_line(runner.invoke(app, ["release", "--version", version, "-o", str(tmp_path)]),
                   f"error: --version: not a usable version: {version!r}")
    assert list(tmp_path.iterdir()) == []  # nothing was written


def test_a_bad_release_text_mode(tmp_path):
    one_error_line(runner.invoke(app, ["release", "--version", "1.0.0", "--text", "some", "-o", str(tmp_path)]),
                   "error: --text: text must be one of")


def test_a_bad_sources_file_in_a_real_process_prints_one_line(tmp_path):
    """What the user sees: not Prefect's and Python's tracebacks (335 lines before), one line."""
    cfg = sources_file(tmp_path, f"sources:\n  - type: folder\n    path: {SEEDS}\n")
    out = subprocess.run([sys.executable, "-c", "from flows.cli import main; main()", "build", "--sources", str(cfg),
                          "-o", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.splitlines() == [
        "error: sources.yaml: sources[0]: 'name' is required: letters, digits, '.', '_' or '-' (got None)"]
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- help texts

COMMANDS = {c.name or c.callback.__name__: c.callback.__doc__ for c in app.registered_commands}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_reads_as_paragraphs(command):
    """A docstring's lines are joined (no break mid-sentence), and Markdown keeps what it
    quotes in backticks, such as `<output>`."""
    doc = COMMANDS[command]
    paragraph = " ".join(doc.split()).replace("`", "")
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "1000", "TERMINAL_WIDTH": "1000"})
    assert result.exit_code == 0
    assert paragraph in [line.strip() for line in result.stdout.splitlines()], result.stdout
    if command == "release":
        assert "Default: <output>/release." in result.stdout
    listing = runner.invoke(app, ["--help"], env={"COLUMNS": "1000", "TERMINAL_WIDTH": "1000"}).stdout
    assert any(paragraph in line for line in listing.splitlines()), listing  # the list of commands too
