"""The word lists and unit tables of `flows/annotate/lexicon/` the quantity passes read."""
from __future__ import annotations

from pathlib import Path

from flows.core.wordlists import read_rows, read_words

LEXICON = Path(__file__).resolve().parent.parent / "lexicon"


def words(name: str) -> list[str]:
    return read_words(LEXICON / name)


def rows(name: str) -> list[dict[str, str]]:
    return read_rows(LEXICON / name)
