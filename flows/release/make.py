"""`scodata release`: a versioned, self-describing Parquet release of a build.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import tarfile
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from flows import __version__ as TOOL_VERSION
from flows import publish
from flows.core.hashing import file_sha256
from flows.paths import ROOT
from flows.publish.read import _table_files, read_build_table, sort_rows
from flows.release.about import DATASET_LICENCE, NAME, _bibtex, _read_json, citation
from flows.release.card import changelog, data_card
from flows.release.metadata import croissant, datapackage, primary_key
from flows.release.text_policy import TEXT_MODES, apply_text_policy
from flows.report.page import make_report
from schemas.tables import REGISTRY

# Row groups: about this many uncompressed bytes each, so a remote reader fetches
# a few large ranges per column (DuckDB reads row groups in parallel), and a
# table of long texts still has several groups to skip between.
TARGET_ROW_GROUP_BYTES = 32 * 2**20
MIN_ROW_GROUP_ROWS = 1_000
MAX_ROW_GROUP_ROWS = 122_880  # DuckDB's own row group size
# A table larger than this (uncompressed) is written as a folder of parts.
MAX_FILE_BYTES = 1 * 2**30


# ---------------------------------------------------------------- helpers

_sha256_file = file_sha256  # one streaming sha256 for the project (flows/core/hashing.py)


def _json_dump(obj, path: Path) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n",
                    encoding="utf-8")


def _version_key(v: str):
    try:
        from packaging.version import Version

        return (0, Version(v))
    except Exception:  # not PEP 440: order by numbers, then text
        return (1, tuple(int(x) if x.isdigit() else x for x in re.split(r"[.\-+]", v)))


def _git_commit() -> str | None:
    try:
        r = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    sha = r.stdout.strip()
    return sha if r.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", sha) else None


def row_group_rows(t: pa.Table) -> int:
    """Rows per row group: about TARGET_ROW_GROUP_BYTES of uncompressed data each."""
    if t.num_rows == 0:
        return MIN_ROW_GROUP_ROWS
    per_row = max(1, t.nbytes // t.num_rows)
    return int(min(MAX_ROW_GROUP_ROWS, max(MIN_ROW_GROUP_ROWS, TARGET_ROW_GROUP_BYTES // per_row)))


def parquet_options(t: pa.Table) -> dict:
    """flows.publish's fixed writer options, with row groups sized for remote reads."""
    return {**publish.RELEASE_PARQUET_OPTIONS, "row_group_size": row_group_rows(t)}


def validate_table(table: str, t: pa.Table) -> None:
    """Re-check a release table against its pandera model (raises publish.ValidationFailed)."""
    df = t.to_pandas()
    for f in t.schema:
        if pa.types.is_int32(f.type) and f.nullable:
            df[f.name] = df[f.name].astype("Int32")
    publish.validate({table: df})


# ---------------------------------------------------------------- writing tables

def write_table(t: pa.Table, folder: Path, table: str, *, max_file_bytes: int = MAX_FILE_BYTES) -> list[str]:
    """Write one table; returns its files relative to `folder`."""
    opts = parquet_options(t)
    if t.nbytes <= max_file_bytes or t.num_rows < 2:
        pq.write_table(t, folder / f"{table}.parquet", **opts)
        return [f"{table}.parquet"]
    per_part = max(1, max_file_bytes // max(1, t.nbytes // t.num_rows))
    opts["row_group_size"] = min(opts["row_group_size"], per_part)
    (folder / table).mkdir()
    rels = []
    for n, start in enumerate(range(0, t.num_rows, per_part)):
        rel = f"{table}/part-{n:05d}.parquet"
        pq.write_table(t.slice(start, per_part), folder / rel, **opts)
        rels.append(rel)
    return rels


# ---------------------------------------------------------------- changelog

def previous_release(out_root: Path, version: str) -> tuple[str, Path] | None:
    """The highest release below `version` in the same release folder."""
    found = []
    for d in out_root.glob(f"{NAME}-*"):
        v = d.name[len(NAME) + 1:]
        if d.is_dir() and not d.name.startswith(".") and v != version and (d / "SHA256SUMS").exists():
            try:
                if _version_key(v) < _version_key(version):
                    found.append((v, d))
            except TypeError:  # PEP 440 next to non-PEP 440: cannot order
                continue
    return max(found, key=lambda x: _version_key(x[0])) if found else None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _files_sql(folder: Path, table: str) -> str | None:
    files = _table_files(folder, table)
    return "read_parquet([" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "])" if files else None


def diff_releases(new_dir: Path, old_dir: Path) -> dict:
    """Rows added / removed (by primary key, or by the sort key for tables without one) and
    changed (same primary key, other values) per table, and schema changes."""
    con = duckdb.connect()
    out: dict = {"tables": {}, "schema": {}}
    try:
        for table in REGISTRY:
            rows, schema = _diff_table(con, table, new_dir, old_dir)
            if rows is not None:
                out["tables"][table] = rows
            if schema:
                out["schema"][table] = schema
    finally:
        con.close()
    return out


def _diff_table(con: duckdb.DuckDBPyConnection, table: str, new_dir: Path,
                old_dir: Path) -> tuple[dict | None, list[str]]:
    """One table's row counts (None when neither release has it) and schema changes."""
    new_sql, old_sql = _files_sql(new_dir, table), _files_sql(old_dir, table)
    if new_sql is None and old_sql is None:
        return None, []
    if old_sql is None:
        n = con.execute(f"select count(*) from {new_sql}").fetchone()[0]
        return {"added": n, "removed": 0, "changed": 0, "rows": n}, ["table added"]
    if new_sql is None:
        n = con.execute(f"select count(*) from {old_sql}").fetchone()[0]
        return {"added": 0, "removed": n, "changed": 0, "rows": 0}, ["table removed"]
    old_types = {f.name: str(f.type) for f in pq.read_schema(_table_files(old_dir, table)[0])}
    new_types = {f.name: str(f.type) for f in pq.read_schema(_table_files(new_dir, table)[0])}
    pk = list(REGISTRY[table].primary_key)
    key = [c for c in (pk or REGISTRY[table].sort_key) if c in old_types and c in new_types]
    k = ", ".join(_q(c) for c in key)
    added = con.execute(f"select count(*) from (select {k} from {new_sql} except all "
                        f"select {k} from {old_sql})").fetchone()[0]
    removed = con.execute(f"select count(*) from (select {k} from {old_sql} except all "
                          f"select {k} from {new_sql})").fetchone()[0]
    changed = 0
    common = [c for c in new_types if c in old_types and c not in key]
    if pk and common:
        cond = " or ".join(f"n.{_q(c)} is distinct from o.{_q(c)}" for c in common)
        changed = con.execute(f"select count(*) from {new_sql} n join {old_sql} o using ({k}) "
                              f"where {cond}").fetchone()[0]
    rows = con.execute(f"select count(*) from {new_sql}").fetchone()[0]
    return ({"added": added, "removed": removed, "changed": changed, "rows": rows},
            _schema_changes(old_types, new_types))


def _schema_changes(old_types: dict[str, str], new_types: dict[str, str]) -> list[str]:
    changes = [f"added column `{c}` ({new_types[c]})" for c in new_types if c not in old_types]
    changes += [f"removed column `{c}` ({old_types[c]})" for c in old_types if c not in new_types]
    return changes + [f"column `{c}`: {old_types[c]} -> {new_types[c]}" for c in new_types
                      if c in old_types and old_types[c] != new_types[c]]


# ---------------------------------------------------------------- checksums and archive

def sha256sums(folder: Path) -> str:
    """`sha256sum` format (two spaces, paths relative to the folder), every file but SHA256SUMS, sorted."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    return "".join(f"{_sha256_file(p)}  {p.relative_to(folder).as_posix()}\n" for p in files)


def check_sha256sums(folder: Path) -> list[str]:
    """Files whose checksum does not match SHA256SUMS (empty when all do)."""
    bad = []
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        p = folder / rel
        if not p.is_file() or _sha256_file(p) != digest:
            bad.append(rel)
    return bad


def make_archive(folder: Path, archive: Path, mtime: int = 0) -> Path:
    """A reproducible tar.gz of `folder`: sorted members, fixed mtime/uid/gid/modes, gzip mtime 0."""
    tmp = archive.with_name(f".{archive.name}.tmp-{os.getpid()}")
    paths = [folder] + sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
    try:
        with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                   compresslevel=9) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for p in paths:
                arc = folder.name if p == folder else f"{folder.name}/{p.relative_to(folder).as_posix()}"
                ti = tarfile.TarInfo(arc)
                ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = mtime, 0, 0, "", ""
                if p.is_dir():
                    ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                    tar.addfile(ti)
                else:
                    ti.mode, ti.size = 0o644, p.stat().st_size
                    with open(p, "rb") as f:
                        tar.addfile(ti, f)
        os.replace(tmp, archive)
    finally:
        tmp.unlink(missing_ok=True)
    return archive


# ---------------------------------------------------------------- the release

def check_release_args(version: str, text: str) -> None:
    """Raise ValueError unless `version` can name a release folder and `text` is a text mode."""
    if text not in TEXT_MODES:
        raise ValueError(f"text must be one of {', '.join(TEXT_MODES)}, not {text!r}")
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+_-]*", version):
        raise ValueError(f"not a usable version: {version!r} (letters, digits, '.', '+', '_', '-', e.g. 1.2.0)")


def make_release(build_dir: Path, version: str, *, text: str = "auto", out_root: Path | None = None,
                 base_url: str | None = None, max_file_bytes: int = MAX_FILE_BYTES) -> Path:
    """Write `<out_root or build_dir/release>/sco-open-data-<version>/` and its `.tar.gz`;
    returns the release folder. `base_url`, when given, is where the release will be
    published: the metadata files then name absolute URLs."""
    check_release_args(version, text)
    build_dir = Path(build_dir)
    out_root = Path(out_root) if out_root is not None else build_dir / "release"
    out_root.mkdir(parents=True, exist_ok=True)
    build = _read_json(build_dir / "build.json")
    if build is None:
        raise FileNotFoundError(f"{build_dir / 'build.json'}: not a build folder (run `scodata build` first)")
    built_at = str(build.get("built_at") or "1970-01-01T00:00:00+00:00")
    final = out_root / f"{NAME}-{version}"
    # written beside the final folder and moved there whole: a failed release leaves none
    stage = out_root / f".{NAME}-{version}.tmp-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        rows = _write_release(stage, build_dir, build, version, text, base_url, max_file_bytes)
        _write_changelog(stage, version, built_at, previous_release(out_root, version), rows, text)
        make_report(stage, stage / "report.html")  # the release holds its own report, of its own text
        (stage / "SHA256SUMS").write_text(sha256sums(stage), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final)
        os.replace(stage, final)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    epoch = int(datetime.fromisoformat(built_at).astimezone(timezone.utc).timestamp())
    make_archive(final, out_root / f"{NAME}-{version}.tar.gz", mtime=max(0, epoch))
    return final


def _write_release(stage: Path, build_dir: Path, build: dict, version: str, text: str, base_url: str | None,
                   max_file_bytes: int) -> dict[str, int]:
    """The tables (text policy applied, validated again), manifest, metadata and data card;
    returns the tables' row counts."""
    tables = {t: sort_rows(t, read_build_table(build_dir, t)) for t in REGISTRY}
    tables["documents"], text_policy = apply_text_policy(tables["documents"], tables["events"],
                                                         tables["quotes"], text)
    for t, tbl in tables.items():
        validate_table(t, tbl)
    files = {t: write_table(tbl, stage, t, max_file_bytes=max_file_bytes) for t, tbl in tables.items()}
    rels = [r for rs in files.values() for r in rs]
    hashes = {r: _sha256_file(stage / r) for r in rels}
    sizes = {r: (stage / r).stat().st_size for r in rels}
    manifest = _manifest(build_dir, build, version, tables, files, hashes, text_policy)
    _json_dump(manifest, stage / "manifest.json")
    built_at = manifest["built_at"]
    cite = citation(version, built_at, base_url)
    _json_dump(datapackage(version, files, hashes, sizes, manifest, base_url), stage / "datapackage.json")
    _json_dump(croissant(version, files, hashes, manifest, cite, base_url), stage / "croissant.json")
    (stage / "README.md").write_text(
        data_card(version, manifest, files, tables["documents"], cite, _bibtex(version, built_at, base_url)),
        encoding="utf-8")
    return {t: tbl.num_rows for t, tbl in tables.items()}


def _manifest(build_dir: Path, build: dict, version: str, tables: dict[str, pa.Table], files: dict[str, list[str]],
              hashes: dict[str, str], text_policy: dict) -> dict:
    """manifest.json: what was released, from which build, by which tool."""
    return {
        "name": NAME,
        "version": version,
        "built_at": str(build.get("built_at") or "1970-01-01T00:00:00+00:00"),
        "pipeline_version": build.get("pipeline_version") or TOOL_VERSION,
        "release_tool_version": TOOL_VERSION,
        "git_commit": build.get("git_commit") or _git_commit(),
        "input_sha256": build.get("input_sha256"),
        "build": {k: build[k] for k in ("input_files", "records", "read", "documents", "documents_canonical",
                                        "documents_duplicate", "rejects") if k in build},
        "tables": {t: {"rows": tables[t].num_rows, "files": files[t], "sort_keys": list(REGISTRY[t].sort_key),
                       "primary_key": primary_key(t) or None,
                       "row_group_rows": row_group_rows(tables[t]),
                       "sha256": {r: hashes[r] for r in files[t]}} for t in tables},
        "parquet": {**{k: v for k, v in publish.RELEASE_PARQUET_OPTIONS.items() if k != "row_group_size"},
                    "writer": f"pyarrow {pa.__version__}",
                    "row_groups": f"about {TARGET_ROW_GROUP_BYTES // 2**20} MiB uncompressed, "
                                  f"{MIN_ROW_GROUP_ROWS}..{MAX_ROW_GROUP_ROWS} rows"},
        "text": text_policy,
        "quality": _read_json(build_dir / "quality.json"),
        "licence": DATASET_LICENCE,
        "sources": sorted({s for s in tables["documents"]["source_name"].to_pylist() if s}),
    }


def _write_changelog(stage: Path, version: str, built_at: str, prev: tuple[str, Path] | None,
                     rows: dict[str, int], text: str) -> None:
    """CHANGELOG.md: this release against the previous one in the folder, and that one's log."""
    diff = diff_releases(stage, prev[1]) if prev else None
    (stage / "CHANGELOG.md").write_text(changelog(version, built_at, prev, diff, rows, text), encoding="utf-8")
