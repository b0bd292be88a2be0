"""Where things are: the project's folders, for every module to name the same way.

The bottom layer of `flows`: it imports nothing of the project."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout (or the installed package's parent)
SEEDS = ROOT / "seeds"
SEED_DOCUMENTS = SEEDS / "documents"
REFERENCE = SEEDS / "reference"
SQL_DIR = ROOT / "sql"
DOCS_DIR = ROOT / "docs"
DEFAULT_OUTPUT = ROOT / "output"
SOURCES_FILE = ROOT / "sources.yaml"
