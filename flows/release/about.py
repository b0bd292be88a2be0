"""What the dataset is: its name, title, licence, offsets note and citation."""
from __future__ import annotations

import json
from pathlib import Path

from flows.paths import REFERENCE

NAME = "sco-open-data"
TITLE = "sco-open-data: an open dataset of Eurasian diplomacy"
NOTICE = REFERENCE / "NOTICE"

# The dataset's licence. Parts of it (SCO statuses and dates in `countries`,
# summits behind `events`) derive from CC BY-SA 4.0 Wikipedia tables
# (seeds/reference/NOTICE), so the whole is released under CC BY-SA 4.0.
DATASET_LICENCE = {
    "name": "CC-BY-SA-4.0",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
    "title": "Creative Commons Attribution-ShareAlike 4.0 International",
}


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None

OFFSETS_NOTE = (
    "Offsets in mentions, quantities and quotes (start, end) and in events "
    "(evidence_start, evidence_end) are character offsets into the FULL cleaned text "
    "of each document. This release may carry only a snippet of that text, or none: "
    "documents.content_sha256 and documents.n_words always describe the full text, and a "
    "row's text is the full text exactly when sha256(text) == content_sha256."
)


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
