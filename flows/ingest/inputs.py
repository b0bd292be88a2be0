"""Find the inputs: every file under the given paths, with its URI and format.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.sources import fetch

TEXT_EXT = {".txt", ".text", ".md"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSONL_EXT = {".jsonl", ".ndjson", ".json"}
CSV_EXT = {".csv"}


@dataclass(frozen=True)
class InputFile:
    path: Path
    uri: str  # relative to the input root, '/'-separated


def discover(inputs: list[Path]) -> list[InputFile]:
    """Every file under the given paths, with its URI relative to its input root, sorted."""
    found: dict[str, InputFile] = {}
    for root in inputs:
        root = Path(root)
        if root.is_file():
            found[root.name] = InputFile(root, root.name)
            continue
        base = root.parent
        for p in sorted(root.rglob("*")):
            # a raw store of fetched pages holds sidecars, feeds and old versions: not documents
            if p.is_file() and not p.name.startswith(".") and not fetch.skip_in_discover(p):
                uri = p.relative_to(base).as_posix()
                found[uri] = InputFile(p, uri)
    return [found[k] for k in sorted(found)]


def _format_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    if ext in TEXT_EXT:
        return "txt"
    if ext in HTML_EXT:
        return "html"
    if ext in JSONL_EXT:
        return "jsonl"
    if ext in CSV_EXT:
        return "csv"
    return None
