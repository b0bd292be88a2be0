"""Word lists of the annotate stage, one `.txt` file each beside this module: one entry a
line, "#" starts a comment. Loaded once per process (`words`), by the project's one
word-list reader (`flows/core/wordlists.py`)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flows.core.wordlists import read_words

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """The entries of `<name>.txt`, as a set (a comment may also end a line)."""
    return frozenset(w for w in (line.split("#")[0].strip() for line in read_words(HERE / f"{name}.txt")) if w)
