"""The settings object (flows/config.py): the only reader of the environment, read when
made (not at import), documented by a generated page that must be fresh."""
from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from flows import config
from flows.config import Settings, SettingsError, read_settings
from tests.conftest import ROOT

FLOWS = ROOT / "flows"
ENV_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def environment_reads(source: str) -> list[int]:
    """Lines of `source` that touch the process environment (os.environ, os.getenv,
    `from os import environ`, ...): attribute use and imports, not words in comments."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ENV_NAMES:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and \
                any(a.name in ENV_NAMES for a in node.names):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_check_finds_every_way_of_reading_the_environment():
    code = "import os\nfrom os import getenv\na = os.environ.get('X')\nb = os.getenv('Y')\n# os.environ\n"
    assert environment_reads(code) == [2, 3, 4]


def test_only_config_reads_the_environment():
    modules = sorted(FLOWS.rglob("*.py"))
    assert len(modules) > 30  # every sub-package is read
    found = {str(p.relative_to(ROOT)): environment_reads(p.read_text(encoding="utf-8")) for p in modules}
    offenders = {path: lines for path, lines in found.items() if lines and path != "flows/config.py"}
    assert offenders == {}, "read settings through flows.config.Settings, not the environment"
    assert found["flows/config.py"], "config reads the environment (set_process_defaults)"


def test_settings_page_is_fresh():
    page = ROOT / "docs" / "settings.md"
    assert page.read_text(encoding="utf-8") == config.settings_page(), \
        "regenerate with `scodata settings --write`"


def test_every_variable_the_build_reads_is_a_setting():
    variables = {config.env_var(name) for name in Settings.model_fields} - {None}
    assert variables == {
        "SCO_SHARD_FILES", "SCO_ANNOTATE_BATCH", "SCO_DEDUP_THRESHOLD", "SCO_PROCESSES", "SCO_SHARD_BYTES",
        "SCO_TASKS_PER_WORKER", "SCO_POOL_MIN_BYTES", "SCO_PARTITION_BYTES", "SCO_BATCH_TEXT_BYTES",
        "SCO_CONTACT", "SOURCE_DATE_EPOCH"}
    page = config.settings_page()
    assert all(f"`{v}`" in page for v in variables) and all(f"`{n}`" in page for n in Settings.model_fields)
    assert all(f.description for f in Settings.model_fields.values())


def test_the_environment_is_read_when_settings_are_made(monkeypatch):
    monkeypatch.setenv("SCO_SHARD_FILES", "7")
    monkeypatch.setenv("SCO_DEDUP_THRESHOLD", "0.9")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763856000")
    s = Settings()
    assert (s.shard_files, s.dedup_threshold) == (7, 0.9)
    assert s.build_time() == datetime(2025, 11, 23, tzinfo=timezone.utc)
    assert Settings(shard_files=3).shard_files == 3  # a flag wins over the variable
    monkeypatch.delenv("SCO_SHARD_FILES")
    assert Settings().shard_files == 500


def test_only_the_tuning_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SCO_OUTPUT", "/elsewhere")
    monkeypatch.setenv("SCO_FULL", "true")
    s = Settings()
    assert s.output == ROOT / "output" and s.full is False


@pytest.mark.parametrize("variable, value, message", [
    ("SCO_PROCESSES", "abc", "environment: SCO_PROCESSES: Input should be a valid integer"),
    ("SCO_DEDUP_THRESHOLD", "1.5", "environment: SCO_DEDUP_THRESHOLD: Input should be less than or equal to 1"),
    ("SCO_SHARD_FILES", "0", "environment: SCO_SHARD_FILES: Input should be greater than or equal to 1"),
    ("SOURCE_DATE_EPOCH", "soon", "environment: SOURCE_DATE_EPOCH:"),
])
def test_a_bad_value_names_its_variable(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as e:
        read_settings()
    assert str(e.value).startswith(message) and repr(value) in str(e.value) and "\n" not in str(e.value)


def test_a_bad_flag_names_its_flag():
    with pytest.raises(SettingsError, match=r"^argument: --as-of: .*'23/11/2025'"):
        read_settings(as_of="23/11/2025")


def test_build_json_records_the_settings_that_change_the_tables():
    built_at = datetime(2025, 11, 23, 12, tzinfo=timezone.utc)
    assert Settings(dedup_threshold=0.7).table_settings(built_at) == {
        "as_of": "2025-11-23", "dedup_threshold": 0.7, "source_date_epoch": None}
    assert Settings(as_of=date(2024, 1, 2)).table_settings(built_at)["as_of"] == "2024-01-02"


def test_a_deployment_stores_settings_that_read_back_the_same(tmp_path):
    from flows.serve import settings_parameters

    s = Settings(inputs=[tmp_path], output=tmp_path / "out", as_of=date(2024, 1, 2), processes=2)
    params = settings_parameters(s)["settings"]
    assert params == {"inputs": [str(tmp_path)], "output": str(tmp_path / "out"), "as_of": "2024-01-02",
                      "processes": 2}
    assert Settings.model_validate(params) == s


def test_process_defaults_are_set_before_arrow_is_imported():
    """In a fresh process: importing any module of the project first sets Arrow's
    allocator (read by Arrow once) and Prefect's defaults; a user's own value wins."""
    code = ("import flows.core, pyarrow as pa, os; "
            "print(pa.default_memory_pool().backend_name, os.environ['PREFECT_LOGGING_LEVEL'])")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["system", "WARNING"]
    env["PREFECT_LOGGING_LEVEL"] = "DEBUG"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["system", "DEBUG"]


def test_the_flow_passes_its_settings_on():
    """The pool, the text store and the ingest shards take the build's values."""
    import pyarrow as pa

    from flows.build import _shards_of
    from flows.engine import docstore, pool
    from flows.ingest import discover

    with pool.running(1, tasks_per_worker=3) as p:
        assert p.tasks_per_worker == 3
    assert pool.processes_for(10, None, min_pooled_bytes=11) == 1
    assert pool.processes_for(10, None, min_pooled_bytes=5) == pool.processes_for(1 << 40, None)
    store = docstore.Store(Path("/nowhere"), ["a"], batch_bytes=123)
    meta = pa.table({docstore.FILE: pa.array([0], pa.int32())})
    assert store.merged(docstore.Store(Path("/nowhere"), ["b"]), meta)[0].batch_bytes == 123
    assert store.compact(meta)[0].batch_bytes == 123
    files = discover([ROOT / "seeds" / "documents"])
    assert 4 < len(files) <= 8
    assert [len(s) for s in _shards_of(files, 100, 1)] == [1] * len(files)  # each input alone
    assert [len(s) for s in _shards_of(files, 4, 1 << 30)] == [4, len(files) - 4]


def test_module_defaults_are_the_settings_defaults():
    """Called without the build's settings (tests, benchmarks), the engine and the writer
    behave as a default build."""
    from flows import dedup
    from flows.engine import docstore, pool
    from flows.publish import write

    s = Settings.model_construct()  # the defaults, whatever this shell's SCO_* variables say
    assert (pool.TASKS_PER_WORKER, pool.MIN_POOLED_BYTES) == (s.tasks_per_worker, s.pool_min_bytes)
    assert (docstore.BATCH_TEXT_BYTES, write.PARTITION_BYTES) == (s.batch_text_bytes, s.partition_bytes)
    assert dedup.THRESHOLD == s.dedup_threshold
