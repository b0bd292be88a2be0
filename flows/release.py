"""The Parquet release: a versioned, documented, checksummed download of a build
that DuckDB can query where it lies (issue 8).

    make_release(Path("output"), "0.1.0")

writes `output/release/sco-open-data-0.1.0/` and `sco-open-data-0.1.0.tar.gz`
beside it:

| file | what |
|---|---|
| `<table>.parquet` | one per table (or `<table>/part-NNNNN.parquet` for a table too large for one file): zstd, rows sorted by the table's key, row groups sized for remote reads, validated again by the pandera model |
| `datapackage.json` | Frictionless Data Package, generated from the pandera models |
| `croissant.json` | MLCommons Croissant 1.0 JSON-LD, generated from the same models |
| `manifest.json` | row counts, build time, pipeline version, git commit, input hashes, text policy, quality figures |
| `README.md` | the data card (with the generated data dictionary) |
| `CHANGELOG.md` | rows added / removed / changed per table and schema changes since the previous release in the same folder, then the earlier entries |
| `SHA256SUMS` | `sha256sum -c SHA256SUMS` checks every other file |

Reproducible: nothing here reads the clock. The build time comes from the
build's `build.json`; Parquet files hold no timestamps; the archive's members are
sorted with fixed mtime/uid/gid and a gzip header mtime of 0. Two releases of
the same build give byte-identical files and the same SHA256SUMS.

Text and licences: `text="auto"` (the default) keeps a document's full text
only where its licence allows redistribution (CC-BY-4.0, public-domain);
other documents carry a snippet (their event evidence sentences and quote
contexts, or their first sentence). Offsets in every annotation table keep
pointing into the FULL cleaned text, whose sha256 is `content_sha256`: a row's
`text` is the full text exactly when `sha256(text) == content_sha256`.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import tarfile
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flows import write
from flows.state import file_sha256
from flows.text import sentence_spans
from schemas.generate import arrow_schema, columns
from schemas.tables import SORT_KEYS, TABLES

ROOT = Path(__file__).resolve().parent.parent
NAME = "sco-open-data"
TITLE = "sco-open-data: an open dataset of Eurasian diplomacy"
NOTICE = ROOT / "seeds" / "reference" / "NOTICE"

TEXT_MODES = ("auto", "full", "snippet", "none")
# Licences under which a document's full text may be redistributed.
REDISTRIBUTABLE = {"CC-BY-4.0", "public-domain"}
SNIPPET_MAX_SENTENCES = 3
SNIPPET_MAX_CHARS = 800
SNIPPET_JOINER = " […] "

# Row groups: about this many uncompressed bytes each, so a remote reader fetches
# a few large ranges per column (DuckDB reads row groups in parallel), and a
# table of long texts still has several groups to skip between.
TARGET_ROW_GROUP_BYTES = 32 * 2**20
MIN_ROW_GROUP_ROWS = 1_000
MAX_ROW_GROUP_ROWS = 122_880  # DuckDB's own row group size
# A table larger than this (uncompressed) is written as a folder of parts.
MAX_FILE_BYTES = 1 * 2**30

# The dataset's licence. Parts of it (SCO statuses and dates in `countries`,
# summits behind `events`) derive from CC BY-SA 4.0 Wikipedia tables
# (seeds/reference/NOTICE), so the whole is released under CC BY-SA 4.0.
DATASET_LICENCE = {
    "name": "CC-BY-SA-4.0",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
    "title": "Creative Commons Attribution-ShareAlike 4.0 International",
}
TEXT_LICENCES = {
    "CC-BY-4.0": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                  "title": "Creative Commons Attribution 4.0 International (kremlin.ru texts)"},
    "public-domain": {"name": "other-pd", "path": "https://www.usa.gov/government-copyright",
                      "title": "Public domain (works of the U.S. federal government, whitehouse.gov)"},
}

OFFSETS_NOTE = (
    "Offsets in mentions, quantities and quotes (start, end) and in events "
    "(evidence_start, evidence_end) are character offsets into the FULL cleaned text "
    "of each document. This release may carry only a snippet of that text, or none: "
    "documents.content_sha256 and documents.n_words always describe the full text, and a "
    "row's text is the full text exactly when sha256(text) == content_sha256."
)

# How each table is made, for the data card.
TABLE_METHODS = {
    "documents": "Read from the inputs (plain text, HTML main text via trafilatura, JSON lines, CSV), decoded, "
                 "cleaned (Unicode repair, site chrome and repeated paragraphs removed, forum threads split into "
                 "posts), then flagged as exact or near duplicates (MinHash LSH); duplicates are kept and point at "
                 "their canonical document.",
    "countries": "Every country named in a canonical document (by name, alias, demonym or capital standing for "
                 "its government), or holding an SCO status; the status is read from the SCO membership periods "
                 "(seeds/reference, derived from Wikipedia, CC BY-SA 4.0) as of the build date.",
    "figures": "People found by evidence (a known figure from seeds/reference/figures.csv, a title or role next to "
               "a name, a speech verb after it), merged across spellings with a transliteration-aware key.",
    "events": "Event candidates (summits, meetings, visits, accessions, agreements, statements) found per sentence, "
              "merged across documents by type, date, place and participants; PLOVER types where one fits.",
    "mentions": "Every place a country, figure, organisation or place is named: gazetteer matches (Aho-Corasick), "
                "demonyms, capitals, titles, speech verbs, surnames linked to full names.",
    "quantities": "Numbers stated in the text (money, percentages, measures, counts), normalised to base units.",
    "quotes": "Direct speech between quotation marks, with its speech verb and speaker where the text names one.",
    "rejects": "Every input the pipeline could not use, with the reason.",
}

KNOWN_LIMITS = [
    "No hand-annotated sample yet, so no measured precision or recall for entities, events, quantities or quotes.",
    "A meeting named only by countries (\"the presidents of Russia and China\") is not merged with the same "
    "meeting named by its leaders; a sentence about earlier talks can yield an extra meeting.",
    "Quotes whose speaker is only a description (\"the Kremlin chief said\") have no figure_id.",
    "Non-English documents are kept with their detected language but not annotated.",
    "Duplicate documents are flagged, not annotated: counts are over canonical documents.",
]


# ---------------------------------------------------------------- helpers

_sha256_file = file_sha256  # one streaming sha256 for the project (flows/state.py)


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


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _table_files(folder: Path, table: str) -> list[Path]:
    """A table's Parquet file, or its folder of parts, in a build or a release."""
    single = folder / f"{table}.parquet"
    if single.exists():
        return [single]
    parts = folder / table  # parts, or a build's partitions (documents/year=2022/part-00000.parquet)
    return sorted(parts.rglob("*.parquet")) if parts.is_dir() else []


def read_build_table(build_dir: Path, table: str) -> pa.Table:
    files = _table_files(build_dir, table)
    if not files:
        raise FileNotFoundError(f"{build_dir}: no {table}.parquet (or {table}/ folder of parts)")
    schema = arrow_schema(table)
    # partition=None: a partition folder's name is no column (the year is in published_date)
    t = pa.concat_tables([pq.read_table(f, partitioning=None) for f in files])
    t = t.select(schema.names).cast(schema)
    return sort_rows(table, t) if len(files) > 1 else t


def sort_rows(table: str, t: pa.Table) -> pa.Table:
    """Rows in the table's key order (schemas.tables.SORT_KEYS), nulls first, as flows.write sorts them."""
    idx = pc.sort_indices(t, sort_keys=[(k, "ascending", "at_start") for k in SORT_KEYS[table]])
    return t.take(idx)


def row_group_rows(t: pa.Table) -> int:
    """Rows per row group: about TARGET_ROW_GROUP_BYTES of uncompressed data each."""
    if t.num_rows == 0:
        return MIN_ROW_GROUP_ROWS
    per_row = max(1, t.nbytes // t.num_rows)
    return int(min(MAX_ROW_GROUP_ROWS, max(MIN_ROW_GROUP_ROWS, TARGET_ROW_GROUP_BYTES // per_row)))


def parquet_options(t: pa.Table) -> dict:
    """flows.write's fixed writer options, with row groups sized for remote reads."""
    return {**write.RELEASE_PARQUET_OPTIONS, "row_group_size": row_group_rows(t)}


def validate_table(table: str, t: pa.Table) -> None:
    """Re-check a release table against its pandera model (raises write.ValidationFailed)."""
    df = t.to_pandas()
    for f in t.schema:
        if pa.types.is_int32(f.type) and f.nullable:
            df[f.name] = df[f.name].astype("Int32")
    write.validate({table: df})


# ---------------------------------------------------------------- text policy

def _snippet(text: str, pieces: list[tuple[int, int, str]]) -> str:
    """The evidence sentences (priority order), at most SNIPPET_MAX_SENTENCES and
    about SNIPPET_MAX_CHARS, shown in text order; else the first sentence."""
    chosen: list[tuple[int, str]] = []
    seen: set[str] = set()
    total = 0
    for _prio, start, s in pieces:
        s = s.strip()
        if not s or s in seen or any(s in c for _, c in chosen):
            continue
        if chosen and (len(chosen) >= SNIPPET_MAX_SENTENCES or total + len(s) > SNIPPET_MAX_CHARS):
            break
        chosen.append((start, s))
        seen.add(s)
        total += len(s)
    if not chosen:
        spans = sentence_spans(text)
        if spans:
            chosen = [(spans[0][0], text[spans[0][0]:spans[0][1]])]
    out = SNIPPET_JOINER.join(s for _, s in sorted(chosen))
    if len(out) > SNIPPET_MAX_CHARS:
        out = out[:SNIPPET_MAX_CHARS].rsplit(None, 1)[0] + " …"
    return out


def text_kind(mode: str, licence: str) -> str:
    """'full', 'snippet' or 'none' for one document under a --text mode."""
    if mode not in TEXT_MODES:
        raise ValueError(f"text must be one of {', '.join(TEXT_MODES)}, not {mode!r}")
    if mode == "auto":
        return "full" if licence in REDISTRIBUTABLE else "snippet"
    return mode


def apply_text_policy(docs: pa.Table, events: pa.Table, quotes: pa.Table, mode: str) -> tuple[pa.Table, dict]:
    """documents with `text` replaced per licence; the schema is unchanged (text stays a string)."""
    pieces: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for e in events.select(["evidence_doc_id", "evidence_start", "evidence"]).to_pylist():
        if e["evidence_start"] is not None:  # evidence that is the title is already in `title`
            pieces[e["evidence_doc_id"]].append((0, e["evidence_start"], e["evidence"]))
    for q in quotes.select(["doc_id", "start", "context"]).to_pylist():
        pieces[q["doc_id"]].append((1, q["start"], q["context"]))
    for v in pieces.values():
        v.sort(key=lambda p: (p[0], p[1], p[2]))

    texts, kinds = [], Counter()
    by_licence: dict[str, Counter] = defaultdict(Counter)
    for doc_id, licence, text in zip(docs["doc_id"].to_pylist(), docs["licence"].to_pylist(),
                                     docs["text"].to_pylist()):
        kind = text_kind(mode, licence)
        if kind == "snippet":
            text = _snippet(text, pieces.get(doc_id, []))
        elif kind == "none":
            text = ""
        texts.append(text)
        kinds[kind] += 1
        by_licence[licence][kind] += 1
    i = docs.schema.get_field_index("text")
    docs = docs.set_column(i, docs.schema.field(i), pa.array(texts, pa.string()))
    policy = {
        "mode": mode,
        "redistributable_licences": sorted(REDISTRIBUTABLE),
        "rule": {
            "auto": "full text where the licence allows redistribution, else a snippet",
            "full": "full text for every document (check the licences before publishing)",
            "snippet": "a snippet for every document",
            "none": "no text: text is the empty string",
        }[mode],
        "snippet": (f"up to {SNIPPET_MAX_SENTENCES} evidence sentences (event evidence, then quote contexts), "
                    f"about {SNIPPET_MAX_CHARS} characters, joined by '{SNIPPET_JOINER.strip()}' in text order; "
                    "else the first sentence"),
        "documents": dict(sorted(kinds.items())),
        "by_licence": {k: dict(sorted(v.items())) for k, v in sorted(by_licence.items())},
        "offsets": OFFSETS_NOTE,
    }
    return docs, policy


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


# ---------------------------------------------------------------- metadata from the schemas

_FRICTIONLESS = {
    "string": "string", "int32": "integer", "float64": "number", "bool": "boolean",
    "date32": "date", "list<string>": "array", "timestamp[us, tz=UTC]": "datetime",
}
_CROISSANT = {
    "string": "sc:Text", "int32": "sc:Integer", "float64": "sc:Float", "bool": "sc:Boolean",
    "date32": "sc:Date", "list<string>": "sc:Text", "timestamp[us, tz=UTC]": "sc:DateTime",
}
# Columns that name a row of another table (for datapackage foreignKeys and Croissant references).
FOREIGN_KEYS = {
    "documents": [("duplicate_of", "documents", "doc_id")],
    "events": [("evidence_doc_id", "documents", "doc_id")],
    "mentions": [("doc_id", "documents", "doc_id")],
    "quantities": [("doc_id", "documents", "doc_id")],
    "quotes": [("doc_id", "documents", "doc_id"), ("figure_id", "figures", "figure_id")],
}


def primary_key(table: str) -> list[str]:
    """The model's unique column, if it has one (documents.source_uri is unique too, but doc_id names rows)."""
    schema = TABLES[table].to_schema()
    uniq = [n for n, c in schema.columns.items() if c.unique]
    return uniq[:1]


def _constraints(table: str) -> dict[str, dict]:
    """Frictionless constraints from the pandera model's checks."""
    out = {}
    for name, c in TABLES[table].to_schema().columns.items():
        cons: dict = {}
        if not c.nullable:
            cons["required"] = True
        if c.unique:
            cons["unique"] = True
        for chk in c.checks:
            st = chk.statistics or {}
            if chk.name == "isin":
                cons["enum"] = list(st["allowed_values"])
            elif chk.name == "str_matches":
                cons["pattern"] = str(st["pattern"]).removeprefix("^").removesuffix("$")
            elif chk.name == "greater_than_or_equal_to":
                cons["minimum"] = st["min_value"]
            elif chk.name == "in_range":
                cons["minimum"], cons["maximum"] = st["min_value"], st["max_value"]
        out[name] = cons
    return out


def _table_description(table: str) -> str:
    return re.sub(r"\s+", " ", (TABLES[table].__doc__ or "").strip())


def _column_description(table: str, name: str, desc: str, text_mode: str) -> str:
    if table == "documents" and name == "text" and text_mode != "full":
        return desc + f". In this release (--text {text_mode}): " + OFFSETS_NOTE
    if name in ("start", "end", "evidence_start", "evidence_end"):
        return desc + " (into the FULL text: see documents.content_sha256)"
    return desc


def datapackage(version: str, files: dict[str, list[str]], hashes: dict[str, str], sizes: dict[str, int],
                manifest: dict, base_url: str | None = None) -> dict:
    """A Frictionless (tabular) Data Package, generated from the pandera models."""
    text_mode = manifest["text"]["mode"]
    resources = []
    for table, rels in files.items():
        cons = _constraints(table)
        fields = []
        for n, t, _nl, d in columns(table):
            f = {"name": n, "type": _FRICTIONLESS[t], "description": _column_description(table, n, d, text_mode)}
            if cons[n]:
                f["constraints"] = cons[n]
            fields.append(f)
        schema = {"fields": fields, "missingValues": []}
        if primary_key(table):
            schema["primaryKey"] = primary_key(table)
        fks = [{"fields": c, "reference": {"resource": ref, "fields": rc}}
               for c, ref, rc in FOREIGN_KEYS.get(table, [])]
        if fks:
            schema["foreignKeys"] = fks
        res = {
            "name": table,
            "path": [_url(base_url, r) for r in rels] if len(rels) > 1 else _url(base_url, rels[0]),
            "profile": "tabular-data-resource",
            "format": "parquet",
            "mediatype": "application/vnd.apache.parquet",
            "title": table,
            "description": (f"{_table_description(table)} Rows sorted by {', '.join(SORT_KEYS[table])}. "
                            f"{manifest['tables'][table]['rows']} rows."),
            "schema": schema,
        }
        if len(rels) == 1:
            res["bytes"] = sizes[rels[0]]
            res["hash"] = f"sha256:{hashes[rels[0]]}"
        if table == "documents":
            res["licenses"] = [TEXT_LICENCES[k] for k in sorted(TEXT_LICENCES)] + [DATASET_LICENCE]
        resources.append(res)
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "version": version,
        "description": ("Documents about the Shanghai Cooperation Organisation, Russia-China relations and their "
                        "neighbours, with the countries, people, events, quantities and quotes found in them; "
                        "every annotation points at its document and character offsets. " + OFFSETS_NOTE),
        "homepage": base_url or "",
        "created": manifest["built_at"],
        "keywords": ["SCO", "Shanghai Cooperation Organisation", "diplomacy", "events", "PLOVER", "news"],
        "licenses": [DATASET_LICENCE],
        "sources": [{"title": s} for s in manifest["sources"]] or [{"title": "seeds/documents"}],
        "contributors": [{"title": "sco-open-data contributors", "role": "author"}],
        "resources": resources,
    }


def _url(base_url: str | None, rel: str) -> str:
    return f"{base_url.rstrip('/')}/{rel}" if base_url else rel


_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def croissant(version: str, files: dict[str, list[str]], hashes: dict[str, str], manifest: dict,
              citation: str, base_url: str | None = None) -> dict:
    """MLCommons Croissant 1.0 JSON-LD, generated from the pandera models."""
    distribution, record_sets = [], []
    for table, rels in files.items():
        if len(rels) == 1:
            src_id = rels[0]
            distribution.append({
                "@type": "cr:FileObject", "@id": src_id, "name": src_id,
                "description": f"The {table} table.",
                "contentUrl": _url(base_url, rels[0]),
                "encodingFormat": "application/x-parquet",
                "sha256": hashes[rels[0]],
            })
            src = {"fileObject": {"@id": src_id}}
        else:
            src_id = f"{table}-parts"
            distribution.append({
                "@type": "cr:FileSet", "@id": src_id, "name": src_id,
                "description": f"The {table} table, as Parquet parts.",
                "encodingFormat": "application/x-parquet",
                "includes": f"{table}/*.parquet",
            })
            src = {"fileSet": {"@id": src_id}}
        refs = {c: (ref, rc) for c, ref, rc in FOREIGN_KEYS.get(table, [])}
        fields = []
        for n, t, _nl, d in columns(table):
            f = {
                "@type": "cr:Field", "@id": f"{table}/{n}", "name": n,
                "description": _column_description(table, n, d, manifest["text"]["mode"]),
                "dataType": _CROISSANT[t],
                "source": {**src, "extract": {"column": n}},
            }
            if t == "list<string>":
                f["repeated"] = True
            if n in refs and refs[n][0] != table:  # Croissant has no self-references (a cycle)
                f["references"] = {"field": {"@id": f"{refs[n][0]}/{refs[n][1]}"}}
            fields.append(f)
        rs = {"@type": "cr:RecordSet", "@id": table, "name": table,
              "description": _table_description(table), "field": fields}
        if primary_key(table):
            rs["key"] = [{"@id": f"{table}/{k}"} for k in primary_key(table)]
        record_sets.append(rs)
    return {
        "@context": _CONTEXT,
        "@type": "sc:Dataset",
        "name": NAME,
        "description": ("Documents about the Shanghai Cooperation Organisation, Russia-China relations and their "
                        "neighbours, with the countries, people, events, quantities and quotes found in them. "
                        + OFFSETS_NOTE),
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": citation,
        "license": DATASET_LICENCE["path"],
        "url": base_url or "https://example.org/sco-open-data",
        "version": version,
        "datePublished": manifest["built_at"][:10],
        "keywords": ["SCO", "Shanghai Cooperation Organisation", "diplomacy", "events", "news"],
        "creator": {"@type": "sc:Organization", "name": "sco-open-data contributors"},
        "distribution": distribution,
        "recordSet": record_sets,
    }


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
        for table in TABLES:
            new_sql, old_sql = _files_sql(new_dir, table), _files_sql(old_dir, table)
            new_schema = pq.read_schema(_table_files(new_dir, table)[0]) if new_sql else None
            old_schema = pq.read_schema(_table_files(old_dir, table)[0]) if old_sql else None
            if new_sql is None and old_sql is None:
                continue
            if old_sql is None:
                n = con.execute(f"select count(*) from {new_sql}").fetchone()[0]
                out["tables"][table] = {"added": n, "removed": 0, "changed": 0, "rows": n}
                out["schema"][table] = ["table added"]
                continue
            if new_sql is None:
                n = con.execute(f"select count(*) from {old_sql}").fetchone()[0]
                out["tables"][table] = {"added": 0, "removed": n, "changed": 0, "rows": 0}
                out["schema"][table] = ["table removed"]
                continue
            old_types = {f.name: str(f.type) for f in old_schema}
            new_types = {f.name: str(f.type) for f in new_schema}
            changes = [f"added column `{c}` ({new_types[c]})" for c in new_types if c not in old_types]
            changes += [f"removed column `{c}` ({old_types[c]})" for c in old_types if c not in new_types]
            changes += [f"column `{c}`: {old_types[c]} -> {new_types[c]}" for c in new_types
                        if c in old_types and old_types[c] != new_types[c]]
            if changes:
                out["schema"][table] = changes
            pk = primary_key(table)
            key = [c for c in (pk or SORT_KEYS[table]) if c in old_types and c in new_types]
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
            out["tables"][table] = {"added": added, "removed": removed, "changed": changed, "rows": rows}
    finally:
        con.close()
    return out


def changelog(version: str, built_at: str, prev: tuple[str, Path] | None, diff: dict | None,
              rows: dict[str, int], text_mode: str) -> str:
    lines = ["# Changelog", "", f"## {version} — built {built_at[:10]}", ""]
    if prev is None:
        lines += ["First release in this folder.", "", "| table | rows |", "|---|---|"]
        lines += [f"| {t} | {n} |" for t, n in rows.items()]
        lines += ["", f"Schema: as in the data dictionary of README.md. Text: `--text {text_mode}`.", ""]
        return "\n".join(lines)
    pv, pdir = prev
    lines += [f"Compared with {pv} (by primary key; by the sort key for tables without one).", "",
              "| table | rows | added | removed | changed |", "|---|---|---|---|---|"]
    for t, d in diff["tables"].items():
        lines.append(f"| {t} | {d['rows']} | {d['added']} | {d['removed']} | {d['changed']} |")
    lines += ["", "Schema changes:", ""]
    if diff["schema"]:
        for t, ch in diff["schema"].items():
            lines += [f"- {t}: {c}" for c in ch]
    else:
        lines.append("- none")
    prev_mode = ((_read_json(pdir / "manifest.json") or {}).get("text") or {}).get("mode")
    if prev_mode and prev_mode != text_mode:
        lines += ["", f"Text: `--text {text_mode}` (was `--text {prev_mode}`): documents' text differs."]
    lines.append("")
    old = (pdir / "CHANGELOG.md")
    if old.exists():
        body = old.read_text(encoding="utf-8").split("\n")
        if body and body[0].startswith("# Changelog"):
            body = body[1:]
        lines += [ln for ln in "\n".join(body).strip("\n").split("\n")] + [""]
    return "\n".join(lines)


# ---------------------------------------------------------------- the data card

def citation(version: str, built_at: str, base_url: str | None) -> str:
    year = built_at[:4]
    where = f" {base_url}" if base_url else ""
    return f"sco-open-data contributors ({year}). {TITLE}, version {version} [data set].{where}"


def _bibtex(version: str, built_at: str, base_url: str | None) -> str:
    return "\n".join([
        f"@misc{{sco_open_data_{version.replace('.', '_')},",
        "  author = {{sco-open-data contributors}},",
        f"  title = {{{{{TITLE}}}}},",
        f"  version = {{{version}}},",
        f"  year = {{{built_at[:4]}}},",
        "  howpublished = {Parquet release" + (f", \\url{{{base_url}}}" if base_url else "") + "},",
        "  note = {CC BY-SA 4.0}",
        "}",
    ])


def _quality_lines(quality: dict | None) -> list[str]:
    if not quality:
        return ["No quality figures were measured for this build (no `quality.json` beside the build): "
                "there is no hand-annotated sample yet, so precision and recall are unknown.", ""]
    flat: list[tuple[str, object]] = []

    def walk(prefix: str, v):
        if isinstance(v, dict):
            for k in v:
                walk(f"{prefix}.{k}" if prefix else str(k), v[k])
        else:
            flat.append((prefix, v))

    walk("", quality)
    lines = ["From the build's `quality.json` (also in `manifest.json`):", "", "| measure | value |", "|---|---|"]
    lines += [f"| {k} | {json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v} |" for k, v in flat]
    return lines + [""]


def data_card(version: str, manifest: dict, files: dict[str, list[str]], docs: pa.Table,
              cite: str, bibtex: str) -> str:
    built = manifest["built_at"]
    rows = {t: manifest["tables"][t]["rows"] for t in files}
    one_file = all(len(r) == 1 for r in files.values())
    L = [
        f"# {TITLE} — release {version}",
        "",
        "An open, validated dataset of Eurasian diplomacy — the Shanghai Cooperation Organisation, Russia–China "
        "relations and their neighbours — built from news and forum text by the sco-open-data pipeline. Every row "
        "can be traced to its source: each mention, quantity and quote points at its document and character "
        "offsets; each event lists every document that reports it and quotes its evidence sentence.",
        "",
        f"Built {built} by pipeline version {manifest['pipeline_version']}"
        + (f" (commit `{manifest['git_commit']}`)" if manifest.get("git_commit") else "") + ".",
        "Check the download with `sha256sum -c SHA256SUMS`.",
        "",
        "## What is in it",
        "",
        "| table | rows | file | what |",
        "|---|---|---|---|",
    ]
    for t, rels in files.items():
        f = rels[0] if len(rels) == 1 else f"{t}/ ({len(rels)} parts)"
        L.append(f"| {t} | {rows[t]} | `{f}` | {_table_description(t)} |")
    L += [
        "",
        "Also: `datapackage.json` (Frictionless Data Package), `croissant.json` (MLCommons Croissant), "
        "`manifest.json` (row counts, build time, versions, input hashes, text policy, quality figures), "
        "`CHANGELOG.md`, `SHA256SUMS`.",
        "",
        "Parquet: zstd, one file per table" + ("" if one_file else " (a folder of parts for large tables)")
        + ", rows sorted by the table's key, row groups sized for reading over HTTP.",
        "",
        "## Where the documents come from",
        "",
        f"{manifest['build'].get('input_files', '?')} input files "
        f"({len(manifest.get('input_sha256') or {})} with their sha256 in `manifest.json`) gave "
        f"{rows.get('documents', 0)} documents and {rows.get('rejects', 0)} rejects.",
        "",
        "Inputs, by folder: " + (", ".join(f"`{k}` ({n} files)" for k, n in sorted(Counter(
            (u.split("/", 1)[0] + "/") if "/" in u else u for u in (manifest.get("input_sha256") or {})).items()))
            or "not recorded") + ". Documents by outlet and licence:",
        "",
        "| source | licence of the text | documents |",
        "|---|---|---|",
    ]
    src = Counter(zip([s or "(unknown)" for s in docs["source_name"].to_pylist()], docs["licence"].to_pylist()))
    for (s, lic), n in sorted(src.items(), key=lambda x: (-x[1], x[0])):
        L.append(f"| {s} | {lic} | {n} |")
    L += ["", "## How each table is made", "",
          "The pipeline runs ingest → clean → deduplicate → annotate → resolve → validate → write; every table is "
          "validated against its pandera model before it is written, and again before it is released.", ""]
    L += [f"- **{t}**: {TABLE_METHODS[t]}" for t in files]
    tp = manifest["text"]
    L += ["", "## Text in this release", "",
          f"Released with `--text {tp['mode']}`: {tp['rule']}. Full text is redistributed only under "
          f"{', '.join(tp['redistributable_licences'])}; a snippet is {tp['snippet']}.", "",
          "| licence | " + " | ".join(sorted({k for v in tp['by_licence'].values() for k in v})) + " |"]
    kinds = sorted({k for v in tp["by_licence"].values() for k in v})
    L.append("|---|" + "---|" * len(kinds))
    for lic, c in tp["by_licence"].items():
        L.append(f"| {lic} | " + " | ".join(str(c.get(k, 0)) for k in kinds) + " |")
    L += ["", f"**Offsets.** {OFFSETS_NOTE}", "", "## Known limits", ""]
    L += [f"- {x}" for x in KNOWN_LIMITS]
    if tp["mode"] != "full":
        L.append("- Documents whose text is not redistributed in full (see \"Text in this release\") cannot be "
                 "re-annotated from this release; their annotations stay, with offsets into the full text.")
    L += ["", "## Quality", ""] + _quality_lines(manifest.get("quality"))
    L += ["## Licences and attribution", "",
          f"The dataset is released under {DATASET_LICENCE['title']} ({DATASET_LICENCE['path']}): parts of it "
          "derive from CC BY-SA 4.0 reference tables (below), and ShareAlike applies to what is built on them.",
          "",
          "Document texts keep their own licences (`documents.licence`): texts from kremlin.ru are CC BY 4.0 "
          "(attribution: the President of Russia's website, kremlin.ru, with the document's `url`); texts from "
          "whitehouse.gov are in the public domain; texts whose licence is unknown are not redistributed in "
          "full unless the release says `--text full`. The source of every document is in `source_uri`, `url` "
          "and `source_name`.",
          "",
          "The reference tables behind `countries`, `figures`, `events` and the gazetteers carry this notice "
          "(`seeds/reference/NOTICE`):",
          "",
          "```text",
          NOTICE.read_text(encoding="utf-8").rstrip("\n") if NOTICE.exists() else "(seeds/reference/NOTICE missing)",
          "```",
          "",
          "## How to cite",
          "",
          cite,
          "",
          "```bibtex",
          bibtex,
          "```",
          "",
          "## First queries",
          "",
          "With DuckDB, in this folder (or over HTTP: `INSTALL httpfs; LOAD httpfs;` and the release's URL "
          "in place of the file names — see `sql/release.sql` in the project):",
          "",
          "```sql",
          "-- who is named most",
          "SELECT name, n_mentions FROM 'figures.parquet' ORDER BY n_mentions DESC LIMIT 10;",
          "",
          "-- events by date, with how many documents report each",
          "SELECT start_date, event_type, title, n_sources FROM 'events.parquet' ORDER BY start_date;",
          "",
          "-- who said what about the SCO",
          "SELECT f.name, q.text, d.title",
          "FROM 'quotes.parquet' q",
          "JOIN 'figures.parquet' f USING (figure_id)",
          "JOIN 'documents.parquet' d USING (doc_id)",
          "WHERE q.text ILIKE '%SCO%' OR q.context ILIKE '%Shanghai Cooperation%';",
          "```",
          "",
          "## Data dictionary",
          "",
          "Generated from the pandera models (`schemas/tables.py`) that validated every table.",
          ""]
    for t in files:
        L += [f"### {t}", "", _table_description(t), "", f"Rows are sorted by `{', '.join(SORT_KEYS[t])}`"
              + (f"; primary key `{primary_key(t)[0]}`." if primary_key(t) else "."), "",
              "| column | type | nullable | description |", "|---|---|---|---|"]
        L += [f"| {n} | {ty} | {'yes' if nl else 'no'} | {d} |" for n, ty, nl, d in columns(t)]
        L.append("")
    return "\n".join(L)


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

def make_release(build_dir: Path, version: str, *, text: str = "auto", out_root: Path | None = None,
                 base_url: str | None = None, max_file_bytes: int = MAX_FILE_BYTES) -> Path:
    """Write `<out_root or build_dir/release>/sco-open-data-<version>/` and its `.tar.gz`;
    returns the release folder. `base_url`, when given, is where the release will be
    published: the metadata files then name absolute URLs."""
    if text not in TEXT_MODES:
        raise ValueError(f"text must be one of {', '.join(TEXT_MODES)}, not {text!r}")
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+_-]*", version):
        raise ValueError(f"not a usable version: {version!r}")
    build_dir = Path(build_dir)
    out_root = Path(out_root) if out_root is not None else build_dir / "release"
    out_root.mkdir(parents=True, exist_ok=True)
    build = _read_json(build_dir / "build.json")
    if build is None:
        raise FileNotFoundError(f"{build_dir / 'build.json'}: not a build folder (run `scodata build` first)")
    built_at = str(build.get("built_at") or "1970-01-01T00:00:00+00:00")
    final = out_root / f"{NAME}-{version}"
    stage = out_root / f".{NAME}-{version}.tmp-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        tables = {t: sort_rows(t, read_build_table(build_dir, t)) for t in TABLES}
        tables["documents"], text_policy = apply_text_policy(tables["documents"], tables["events"],
                                                             tables["quotes"], text)
        for t, tbl in tables.items():
            validate_table(t, tbl)
        files = {t: write_table(tbl, stage, t, max_file_bytes=max_file_bytes) for t, tbl in tables.items()}
        rels = [r for rs in files.values() for r in rs]
        hashes = {r: _sha256_file(stage / r) for r in rels}
        sizes = {r: (stage / r).stat().st_size for r in rels}
        sources = sorted({s for s in tables["documents"]["source_name"].to_pylist() if s})
        manifest = {
            "name": NAME,
            "version": version,
            "built_at": built_at,
            "pipeline_version": build.get("pipeline_version") or __import__("flows").__version__,
            "release_tool_version": __import__("flows").__version__,
            "git_commit": build.get("git_commit") or _git_commit(),
            "input_sha256": build.get("input_sha256"),
            "build": {k: build[k] for k in ("input_files", "records", "read", "documents", "documents_canonical",
                                            "documents_duplicate", "rejects") if k in build},
            "tables": {t: {"rows": tables[t].num_rows, "files": files[t], "sort_keys": SORT_KEYS[t],
                           "primary_key": primary_key(t) or None,
                           "row_group_rows": row_group_rows(tables[t]),
                           "sha256": {r: hashes[r] for r in files[t]}} for t in tables},
            "parquet": {**{k: v for k, v in write.RELEASE_PARQUET_OPTIONS.items() if k != "row_group_size"},
                        "writer": f"pyarrow {pa.__version__}",
                        "row_groups": f"about {TARGET_ROW_GROUP_BYTES // 2**20} MiB uncompressed, "
                                      f"{MIN_ROW_GROUP_ROWS}..{MAX_ROW_GROUP_ROWS} rows"},
            "text": text_policy,
            "quality": _read_json(build_dir / "quality.json"),
            "licence": DATASET_LICENCE,
            "sources": sources,
        }
        _json_dump(manifest, stage / "manifest.json")
        cite = citation(version, built_at, base_url)
        _json_dump(datapackage(version, files, hashes, sizes, manifest, base_url), stage / "datapackage.json")
        _json_dump(croissant(version, files, hashes, manifest, cite, base_url), stage / "croissant.json")
        (stage / "README.md").write_text(
            data_card(version, manifest, files, tables["documents"], cite, _bibtex(version, built_at, base_url)),
            encoding="utf-8")
        prev = previous_release(out_root, version)
        diff = diff_releases(stage, prev[1]) if prev else None
        rows = {t: tables[t].num_rows for t in tables}
        (stage / "CHANGELOG.md").write_text(changelog(version, built_at, prev, diff, rows, text), encoding="utf-8")
        from flows.report import make_report  # the release holds its own report, of its own text
        make_report(stage, stage / "report.html")
        (stage / "SHA256SUMS").write_text(sha256sums(stage), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final)
        os.replace(stage, final)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    epoch = int(datetime.fromisoformat(built_at).astimezone(timezone.utc).timestamp())
    make_archive(final, out_root / f"{NAME}-{version}.tar.gz", mtime=max(0, epoch))
    return final


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
