"""Small list helpers shared by the event modules."""
from __future__ import annotations

from typing import Iterable


def uniq(seq: Iterable) -> list:
    """The items of `seq` without None and without repeats, in their first order."""
    out = []
    for x in seq:
        if x is not None and x not in out:
            out.append(x)
    return out
