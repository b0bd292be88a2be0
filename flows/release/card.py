"""The release's human-readable parts: data card (README), changelog, citation.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa

from flows.core.wordlists import read_rows
from flows.release.about import DATASET_LICENCE, NOTICE, OFFSETS_NOTE, TITLE, _read_json
from flows.release.metadata import _table_description
from schemas.generate import column_rows, keys_line
from schemas.tables import REGISTRY

# How each table is made, for the data card (the registry's `how`).
TABLE_METHODS = {name: t.how for name, t in REGISTRY.items()}

# The pipeline version's measured quality (bench/ scripts, dev and test halves): data beside
# the code that prints it, so a new measurement is a data change.
MEASURED_QUALITY = Path(__file__).with_name("measured_quality.csv")

KNOWN_LIMITS = [
    "A meeting named only by countries (\"the presidents of Russia and China\") is not merged with the same "
    "meeting named by its leaders; a sentence about earlier talks can yield an extra meeting.",
    "Role nouns (\"the Chinese premier\") are read as their office holder only for the offices and dates of "
    "the project's table (flows/annotate/events/offices.csv, to mid-2025).",
    "Quotes whose speaker is only a description (\"the Kremlin chief said\") have no figure_id; an "
    "organisation speaking (\"the ministry said\") is kept as `speaker` with `speaker_kind` organization.",
    "A bare titled surname (\"Senator Dole\") is linked across the corpus to the one full name of that surname "
    "it holds, which can be another person of the same name (2 of 100 linked surnames checked by hand).",
    "Non-English documents are kept with their detected language but not annotated.",
    "Duplicate documents are flagged, not annotated: counts are over canonical documents.",
]


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


def measured_quality_lines(path: Path = MEASURED_QUALITY) -> list[str]:
    """The pipeline version's measured quality, test halves first: what a user can expect
    on text like the gold's. Blank cells: the measure has no such figure."""
    rows = sorted(read_rows(path), key=lambda r: (r["split"] != "test", r["measure"], r["gold"]))
    if not rows:
        return ["No quality figures have been measured for this pipeline version.", ""]
    out = ["Measured for this pipeline version by the `bench/` scripts. **test**: a half of the gold nobody "
           "tuned the rules on (quote these); **dev**: the half the rules were tuned on (an upper bound).", "",
           "| measure | gold | split | precision | recall | F1 | share | measured by | on |",
           "|---|---|---|---|---|---|---|---|---|"]
    cols = ("measure", "gold", "split", "precision", "recall", "f1", "share", "measured_by", "measured_on")
    out += ["| " + " | ".join(r[c] for c in cols) + " |" for r in rows]
    return out + [""]


def _quality_lines(quality: dict | None) -> list[str]:
    if not quality:
        return ["This build has no figures of its own (no `quality.json` beside it: `make bench` writes one).", ""]
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
    """The release's README: what it holds, where from, how made, its limits, licences,
    citation, first queries and data dictionary."""
    rows = {t: manifest["tables"][t]["rows"] for t in files}
    tp = manifest["text"]
    sections = [
        _intro(version, manifest),
        _contents(files, rows),
        _sources(manifest, rows, docs),
        _methods(files),
        _text_policy(tp),
        _known_limits(tp["mode"]),
        ["", "## Quality", ""] + measured_quality_lines() + _quality_lines(manifest.get("quality")),
        _licences(),
        _how_to_cite(cite, bibtex),
        _first_queries(),
        _dictionary(files),
    ]
    return "\n".join(line for section in sections for line in section)


def _intro(version: str, manifest: dict) -> list[str]:
    return [
        f"# {TITLE} — release {version}",
        "",
        "An open, validated dataset of Eurasian diplomacy — the Shanghai Cooperation Organisation, Russia–China "
        "relations and their neighbours — built from news and forum text by the sco-open-data pipeline. Every row "
        "can be traced to its source: each mention, quantity and quote points at its document and character "
        "offsets; each event lists every document that reports it and quotes its evidence sentence.",
        "",
        f"Built {manifest['built_at']} by pipeline version {manifest['pipeline_version']}"
        + (f" (commit `{manifest['git_commit']}`)" if manifest.get("git_commit") else "") + ".",
        "Check the download with `sha256sum -c SHA256SUMS`.",
        "",
    ]


def _contents(files: dict[str, list[str]], rows: dict[str, int]) -> list[str]:
    one_file = all(len(r) == 1 for r in files.values())
    out = ["## What is in it", "", "| table | rows | file | what |", "|---|---|---|---|"]
    for t, rels in files.items():
        f = rels[0] if len(rels) == 1 else f"{t}/ ({len(rels)} parts)"
        out.append(f"| {t} | {rows[t]} | `{f}` | {_table_description(t)} |")
    return out + [
        "",
        "Also: `datapackage.json` (Frictionless Data Package), `croissant.json` (MLCommons Croissant), "
        "`manifest.json` (row counts, build time, versions, input hashes, text policy, quality figures), "
        "`CHANGELOG.md`, `SHA256SUMS`.",
        "",
        "Parquet: zstd, one file per table" + ("" if one_file else " (a folder of parts for large tables)")
        + ", rows sorted by the table's key, row groups sized for reading over HTTP.",
        "",
    ]


def _sources(manifest: dict, rows: dict[str, int], docs: pa.Table) -> list[str]:
    """Inputs by folder, documents by outlet and licence."""
    inputs = manifest.get("input_sha256") or {}
    folders = Counter((u.split("/", 1)[0] + "/") if "/" in u else u for u in inputs)
    out = [
        "## Where the documents come from",
        "",
        f"{manifest['build'].get('input_files', '?')} input files "
        f"({len(inputs)} with their sha256 in `manifest.json`) gave "
        f"{rows.get('documents', 0)} documents and {rows.get('rejects', 0)} rejects.",
        "",
        "Inputs, by folder: " + (", ".join(f"`{k}` ({n} files)" for k, n in sorted(folders.items()))
                                 or "not recorded") + ". Documents by outlet and licence:",
        "",
        "| source | licence of the text | documents |",
        "|---|---|---|",
    ]
    src = Counter(zip([s or "(unknown)" for s in docs["source_name"].to_pylist()], docs["licence"].to_pylist()))
    out += [f"| {s} | {lic} | {n} |" for (s, lic), n in sorted(src.items(), key=lambda x: (-x[1], x[0]))]
    return out


def _methods(files: dict[str, list[str]]) -> list[str]:
    return ["", "## How each table is made", "",
            "The pipeline runs ingest → clean → deduplicate → annotate → resolve → validate → write; every table is "
            "validated against its pandera model before it is written, and again before it is released.", ""] + [
        f"- **{t}**: {TABLE_METHODS[t]}" for t in files]


def _text_policy(tp: dict) -> list[str]:
    """The --text mode, and documents by licence and what of their text the release holds."""
    kinds = sorted({k for v in tp["by_licence"].values() for k in v})
    out = ["", "## Text in this release", "",
           f"Released with `--text {tp['mode']}`: {tp['rule']}. Full text is redistributed only under "
           f"{', '.join(tp['redistributable_licences'])}; a snippet is {tp['snippet']}.", "",
           "| licence | " + " | ".join(kinds) + " |",
           "|---|" + "---|" * len(kinds)]
    out += [f"| {lic} | " + " | ".join(str(c.get(k, 0)) for k in kinds) + " |" for lic, c in tp["by_licence"].items()]
    return out + ["", f"**Offsets.** {OFFSETS_NOTE}"]


def _known_limits(text_mode: str) -> list[str]:
    out = ["", "## Known limits", ""] + [f"- {x}" for x in KNOWN_LIMITS]
    if text_mode != "full":
        out.append("- Documents whose text is not redistributed in full (see \"Text in this release\") cannot be "
                   "re-annotated from this release; their annotations stay, with offsets into the full text.")
    return out


def _licences() -> list[str]:
    return [
        "## Licences and attribution", "",
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
    ]


def _how_to_cite(cite: str, bibtex: str) -> list[str]:
    return ["## How to cite", "", cite, "", "```bibtex", bibtex, "```", ""]


def _first_queries() -> list[str]:
    return [
        "## First queries",
        "",
        "With DuckDB, in this folder (or over HTTP: `INSTALL httpfs; LOAD httpfs;` and the release's URL "
        "in place of the file names — see `sql/release.sql` in the project):",
        "",
        "```sql",
        "-- who is named most",
        "SELECT name, n_mentions FROM 'figures.parquet' ORDER BY n_mentions DESC LIMIT 10;",
        "",
        "-- events by date, with how many documents report each (a `call` is by phone or video: `mode`)",
        "SELECT start_date, event_type, mode, title, n_sources FROM 'events.parquet' ORDER BY start_date;",
        "",
        "-- who said what about the SCO",
        "SELECT f.name, q.text, d.title",
        "FROM 'quotes.parquet' q",
        "JOIN 'figures.parquet' f USING (figure_id)",
        "JOIN 'documents.parquet' d USING (doc_id)",
        "WHERE q.text ILIKE '%SCO%' OR q.context ILIKE '%Shanghai Cooperation%';",
        "```",
        "",
    ]


def _dictionary(files: dict[str, list[str]]) -> list[str]:
    """The data dictionary of the released tables, from the models and the registry."""
    out = ["## Data dictionary", "",
           "Generated from the pandera models and the table registry (`schemas/tables.py`) that validated "
           "every table.", ""]
    for t in files:
        out += [f"### {t}", "", _table_description(t), "", keys_line(REGISTRY[t]), ""] + column_rows(t) + [""]
    return out
