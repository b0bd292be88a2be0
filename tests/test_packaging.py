"""A wheel built from the checkout holds every module and sub-package of `flows` and
`schemas`, every data file the code reads at run time from inside `flows/` (any
non-.py file there), and the `scodata` command.

The wheel is built from a copy of the checkout (an in-tree build would leave
`build/` and `*.egg-info` in it), with two probe data files added: one beside a
module and one in a folder without `__init__.py`, so the packaging rules are
checked even before the code ships data files of its own.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("flows", "schemas")
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "output", ".prefect", "__pycache__", "*.pyc", "build",
                                    "dist", "*.egg-info", ".pytest_cache", ".hypothesis")
PROBES = ("flows/core/packaging_probe.csv", "flows/annotate/packaging_probe_data/words.txt")
# pip's words for "the build requirements could not be fetched": offline, not a packaging fault
OFFLINE = re.compile(r"No matching distribution|Could not find a version|Failed to establish a new connection|"
                     r"Temporary failure in name resolution|Network is unreachable|ProxyError")


def _build_requirements_installed() -> bool:
    """Whether this environment already has what pyproject's [build-system] asks for,
    so the wheel can be built without an isolated environment (and without the index)."""
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    for spec in map(Requirement, requires):
        try:
            if not spec.specifier.contains(metadata.version(spec.name), prereleases=True):
                return False
        except metadata.PackageNotFoundError:
            return False
    return True


def _copy_of_checkout(dest: Path) -> Path:
    src = dest / "src"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCE)
    for probe in PROBES:
        (src / probe).parent.mkdir(parents=True, exist_ok=True)
        (src / probe).write_text("probe\n", encoding="utf-8")
    return src


def _build_wheel(src: Path, out: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-w", str(out), "-q"]
    if _build_requirements_installed():
        cmd.append("--no-build-isolation")  # the venv's own setuptools: no index needed
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=src)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-3000:]
        if OFFLINE.search(tail):
            pytest.skip("cannot build a wheel offline: the build requirements "
                        "(setuptools>=77, wheel) are neither installed nor reachable")
        pytest.fail(f"pip wheel failed:\n{tail}")
    (wheel,) = out.glob("*.whl")
    return wheel


def _expected_files(src: Path) -> set[str]:
    """Every module of the packages, and every data file under flows/."""
    files = set()
    for package in PACKAGES:
        for p in (src / package).rglob("*"):
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
                if p.suffix == ".py" or package == "flows":
                    files.add(p.relative_to(src).as_posix())
    return files


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    src = _copy_of_checkout(tmp)
    return src, _build_wheel(src, tmp / "dist")


def test_wheel_holds_every_sub_package(wheel):
    src, path = wheel
    names = set(zipfile.ZipFile(path).namelist())
    packages = {p.parent.relative_to(src).as_posix() for package in PACKAGES
                for p in (src / package).rglob("__init__.py") if "__pycache__" not in p.parts}
    assert {"flows", "flows/annotate", "flows/engine", "schemas"} <= packages  # the walk found them
    missing = sorted(p for p in packages if f"{p}/__init__.py" not in names)
    assert not missing, f"sub-packages missing from the wheel: {missing}"


def test_wheel_holds_every_module_and_data_file(wheel):
    src, path = wheel
    names = set(zipfile.ZipFile(path).namelist())
    expected = _expected_files(src)
    assert set(PROBES) <= expected
    missing = sorted(expected - names)
    assert not missing, f"files missing from the wheel (see [tool.setuptools.package-data]): {missing}"


def test_wheel_installs_the_scodata_command(wheel):
    _, path = wheel
    with zipfile.ZipFile(path) as z:
        (entry_points,) = [n for n in z.namelist() if n.endswith(".dist-info/entry_points.txt")]
        text = z.read(entry_points).decode()
    assert re.search(r"^scodata\s*=\s*flows\.cli:app\s*$", text, re.M), text
