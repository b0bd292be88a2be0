"""The house's layering, read from the imports of every module under flows/ and schemas/
(at module level and inside functions alike): which layer may import which, who may
import Prefect, and no import cycle anywhere (docs/architecture.md)."""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# layer -> the project's packages and modules in it
LAYERS = {
    "bottom": ["flows", "flows.paths", "flows.config"],
    "schemas": ["schemas"],
    "core": ["flows.core"],
    "stages": ["flows.ingest", "flows.sources", "flows.clean", "flows.dedup", "flows.annotate", "flows.resolve"],
    "engine": ["flows.engine"],
    "publish": ["flows.publish"],
    "report": ["flows.report"],
    "release": ["flows.release"],
    "orchestration": ["flows.build", "flows.tasks", "flows.serve", "flows.cli"],
}
# layer -> the layers it may import (besides itself)
MAY_IMPORT = {
    "bottom": [],
    "schemas": [],
    "core": ["bottom", "schemas"],
    "stages": ["bottom", "schemas", "core"],
    "engine": ["bottom", "schemas", "core", "stages"],
    "publish": ["bottom", "schemas", "core", "engine"],
    "report": ["bottom", "schemas", "core", "publish"],
    "release": ["bottom", "schemas", "core", "publish", "report"],
    "orchestration": ["bottom", "schemas", "core", "stages", "engine", "publish", "report", "release"],
}
PREFECT_ALLOWED = {"flows.build", "flows.tasks", "flows.serve"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    files = [*ROOT.joinpath("flows").rglob("*.py"), *ROOT.joinpath("schemas").rglob("*.py")]
    return {module_name(p): p for p in files}


def imported(path: Path) -> set[str]:
    """Every module name `path` imports (absolute imports; `from a import b` gives
    `a.b` when that is a module of the project, else `a`)."""
    out: set[str] = set()
    known = modules()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in known}
    return out


def layer_of(module: str) -> str | None:
    best = None
    for layer, prefixes in LAYERS.items():
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and (best is None or len(p) > len(best[1])):
                best = (layer, p)
    return best[0] if best else None


def project_imports(module: str) -> set[str]:
    return {m for m in imported(modules()[module]) if m in modules()}


def test_every_module_is_in_a_layer():
    assert [m for m in modules() if layer_of(m) is None] == []


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_follow_the_layers(module):
    mine = layer_of(module)
    allowed = {mine, *MAY_IMPORT[mine]}
    wrong = sorted(m for m in project_imports(module) if layer_of(m) not in allowed
                   and m != "flows")  # the package itself: its version string
    assert wrong == [], f"{module} ({mine}) may not import {wrong}"


def test_only_the_flow_tasks_and_serve_import_prefect():
    users = sorted(m for m, p in modules().items()
                   if any(i == "prefect" or i.startswith("prefect.") or i.startswith("prefect_dask")
                          for i in imported(p)))
    assert set(users) <= PREFECT_ALLOWED, users


def test_report_never_imports_release():
    report = [m for m in modules() if layer_of(m) == "report"]
    assert all(layer_of(i) != "release" for m in report for i in project_imports(m))


def _cycle() -> list[str] | None:
    """One import cycle among the project's modules, if any (package __init__ files that
    re-export their own submodules are edges too: a package importing its submodule
    while that submodule imports the package is a cycle only if the package is
    imported back by name, which `project_imports` keeps)."""
    graph = {m: {i for i in project_imports(m) if i != m and not m.startswith(i + ".")} for m in modules()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_no_import_cycle():
    assert _cycle() is None


def test_the_checks_see_a_violation():
    """The checker itself: a stage importing the engine is caught."""
    assert layer_of("flows.clean.lines") == "stages" and layer_of("flows.engine.pool") == "engine"
    assert "engine" not in MAY_IMPORT["stages"]
    assert layer_of("flows.paths") == "bottom" and layer_of("flows.config") == "bottom"
