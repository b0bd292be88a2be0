"""Word lists and small rule tables kept as data beside the code that reads them
(`flows/core/lexicon/`, `flows/annotate/lexicon/`), so a rule change is a data change.

Two formats, both UTF-8, where a line starting with "#" is a comment and blank lines
are skipped:

    .txt   one entry a line, kept in file order (an alternation built from it tries
           the entries in that order)
    .csv   a header row, then one row a line (`csv` quoting rules)

Read once, at import of the module that uses them.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

__all__ = ["read_words", "read_rows", "words_pattern"]


def _data_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def read_words(path: Path) -> list[str]:
    """The entries of a .txt list, stripped, in file order."""
    return [ln.strip() for ln in _data_lines(path)]


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a .csv table as dicts keyed by its header, in file order."""
    return list(csv.DictReader(_data_lines(path)))


def words_pattern(words) -> str:
    """A regex alternation of `words` in the given order, each matched literally except
    that a space between words matches any run of whitespace ("pointed out")."""
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in words)
