"""Word lists of the annotate stage, one `.txt` file each beside this module: one entry a
line, lower case, "#" starts a comment. Loaded once per process (`words`)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def words(name: str) -> frozenset[str]:
    """The entries of `<name>.txt`."""
    with open(HERE / f"{name}.txt", encoding="utf-8") as f:
        return frozenset(w for w in (line.split("#")[0].strip() for line in f) if w)
