"""DuckDB over a release, local or over HTTP, with the extensions shipped as wheels.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from flows.paths import ROOT

# ---------------------------------------------------------------- reading a release over HTTP

def duckdb_extension_path(name: str) -> Path | None:
    """The extension file shipped by the `duckdb-extension-<name>` wheel, if installed."""
    import importlib.util

    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(list(spec.submodule_search_locations)[0])
    found = sorted(base.glob(f"extensions/v{duckdb.__version__}/{name}.duckdb_extension"))
    return found[0] if found else None


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD httpfs / fts from its registry wheel (offline); else DuckDB's own INSTALL."""
    path = duckdb_extension_path(name)
    if path is not None:
        con.execute("LOAD '" + str(path).replace("'", "''") + "'")
    else:
        con.execute(f"INSTALL {name}")
        con.execute(f"LOAD {name}")


def connect(extension_directory: Path | None = None, database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that never writes into ~/.duckdb nor downloads extensions on its own."""
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if extension_directory is not None:
        config["extension_directory"] = str(extension_directory)
    return duckdb.connect(database, config=config)


def attach_release(con: duckdb.DuckDBPyConnection, url: str, *, fts: bool = False) -> None:
    """Views over a published release (sql/release.sql), by URL or local folder."""
    if re.match(r"^(https?|s3)://", url):
        load_extension(con, "httpfs")
    con.execute("SET VARIABLE release_url = ?", [url.rstrip("/")])
    sql = (ROOT / "sql" / "release.sql").read_text(encoding="utf-8")
    main, _, fts_part = sql.partition("\n-- FTS\n")
    _run_statements(con, main)
    if fts:
        load_extension(con, "fts")
        _run_statements(con, fts_part)


def _run_statements(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    # one by one: a PRAGMA is expanded when its batch is parsed, before earlier statements ran
    # (this file's statements end with ';' at the end of a line, and hold no ';' inside strings)
    for stmt in re.split(r";[ \t]*\n", sql):
        if re.sub(r"--[^\n]*", "", stmt).strip():
            con.execute(stmt)
