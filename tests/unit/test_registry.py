"""The table registry (schemas/tables.py REGISTRY, schemas/registry.py): every fact it
states about a table holds against the models and the code, and what reads it keeps
to its layer (schemas import nothing from flows; a release imports no annotator)."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from flows.release import metadata
from schemas import generate
from schemas.registry import COLUMN_TYPES
from schemas.tables import ACROSS_ROWS, EVENT_TYPES, PLOVER, REGISTRY, SORT_KEYS, TABLES

ROOT = Path(__file__).resolve().parents[2]


def _resolve(path: str):
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for name in parts[i:]:
            obj = getattr(obj, name)  # AttributeError: the path is stale
        return obj
    raise ModuleNotFoundError(path)


def _model_columns(table: str) -> dict:
    return TABLES[table].to_schema().columns


@pytest.mark.parametrize("table", list(REGISTRY))
def test_made_by_names_a_function_that_exists(table):
    t = REGISTRY[table]
    for path in (t.made_by, *t.also_by):
        assert path.startswith("flows."), path
        assert callable(_resolve(path)), f"{table}: {path} is not callable"


def test_a_stale_made_by_path_is_caught():
    with pytest.raises(AttributeError):
        _resolve("flows.resolve.no_such_function")


def test_registry_lists_the_contract_tables_and_the_old_maps_follow_it():
    assert list(REGISTRY) == ["documents", "countries", "figures", "events", "mentions", "quantities",
                              "quotes", "rejects"]
    assert all(name == t.name for name, t in REGISTRY.items())
    assert TABLES == {n: t.model for n, t in REGISTRY.items()}
    assert SORT_KEYS == {n: list(t.sort_key) for n, t in REGISTRY.items()}
    assert ACROSS_ROWS == {"documents": (["duplicates_point_at_canonical"], ["doc_id", "duplicate_of"])}


@pytest.mark.parametrize("table", list(REGISTRY))
def test_keys_name_columns_of_the_model(table):
    t, cols = REGISTRY[table], _model_columns(table)
    assert t.sort_key and set(t.sort_key) <= set(cols), t.sort_key
    for k in t.primary_key:  # a primary key column is unique and never null: validation says so
        assert cols[k].unique and not cols[k].nullable, (table, k)
    for fk in t.foreign_keys:
        target = REGISTRY[fk.table]
        assert fk.column in cols, (table, fk)
        assert target.primary_key == (fk.key,), f"{table}.{fk.column} must reference a primary key"
        assert cols[fk.column].metadata["arrow"] == _model_columns(fk.table)[fk.key].metadata["arrow"]
    if t.across_rows:
        checks, read = t.across_rows
        assert set(read) <= set(cols)
        assert all(hasattr(t.model, c) for c in checks), checks


def test_every_column_type_has_a_name_in_every_format():
    used = {c.metadata["arrow"] for table in TABLES for c in _model_columns(table).values()}
    assert used <= set(COLUMN_TYPES), used - set(COLUMN_TYPES)
    for name, ct in COLUMN_TYPES.items():
        assert ct.duckdb and ct.frictionless and ct.croissant, name


def test_plover_map_lives_on_the_events_entry_and_covers_every_event_type():
    assert REGISTRY["events"].plover is PLOVER
    assert sorted(PLOVER) == sorted(EVENT_TYPES)
    assert [n for n, t in REGISTRY.items() if t.plover] == ["events"]


def test_generated_files_carry_the_registry():
    ddl, dictionary = generate.ddl(), generate.data_dictionary()
    for t in REGISTRY.values():
        block = ddl.split(f"CREATE TABLE IF NOT EXISTS {t.name} (", 1)[1].split(");", 1)[0]
        pk = ", ".join(f'"{k}"' for k in t.primary_key)
        assert (f"PRIMARY KEY ({pk})" in block) == bool(t.primary_key), t.name
        for fk in t.foreign_keys:
            assert f'"{fk.column}" ' in block and f"-- references {fk.table}({fk.key})" in block
        section = dictionary.split(f"## {t.name}\n", 1)[1].split("\n## ", 1)[0]
        assert f"Made by `{t.made_by}`" in section and t.how in section
        assert generate.keys_line(t) in section
    assert "| accession | COOPERATE |" in dictionary


def test_release_metadata_reads_the_registry():
    assert metadata.primary_key("documents") == ["doc_id"] and metadata.primary_key("mentions") == []
    assert metadata.FOREIGN_KEYS["quotes"] == [("doc_id", "documents", "doc_id"),
                                               ("figure_id", "figures", "figure_id")]
    assert set(metadata.FOREIGN_KEYS) == {n for n, t in REGISTRY.items() if t.foreign_keys}


# ---------------------------------------------------------------- layering

def _imports(folder: Path) -> dict[str, set[str]]:
    """Every module each .py file under `folder` imports (at any depth, lazily or not)."""
    out = {}
    for p in sorted(folder.rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names |= {f"{node.module}.{a.name}" for a in node.names}
        out[str(p.relative_to(ROOT))] = names
    return out


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_schemas_import_nothing_from_flows():
    bad = {f: sorted(n for n in names if _under(n, "flows")) for f, names in _imports(ROOT / "schemas").items()}
    assert not any(bad.values()), bad


def test_release_imports_only_core_paths_publish_report_and_schemas():
    allowed = ("flows.core", "flows.paths", "flows.publish", "flows.report", "flows.release")
    bad = {}
    for f, names in _imports(ROOT / "flows" / "release").items():
        # `from flows import publish` / `__version__`: the package itself and its allowed members
        wrong = [n for n in names if _under(n, "flows") and n not in ("flows", "flows.__version__")
                 and not any(_under(n, a) for a in allowed)]
        if wrong:
            bad[f] = sorted(wrong)
    assert not bad, bad


def test_report_never_imports_release():
    bad = {f: sorted(n for n in names if _under(n, "flows.release"))
           for f, names in _imports(ROOT / "flows" / "report").items()}
    assert not any(bad.values()), bad


def test_importing_a_release_loads_no_annotator_nor_prefect():
    import subprocess
    import sys

    code = ("import sys, flows.release; "
            "print(sorted(m for m in sys.modules if m.startswith(('flows.annotate', 'flows.engine', "
            "'flows.clean', 'flows.ingest', 'flows.resolve', 'prefect'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout
