"""A given name's likely gender, for he/she: nomquamgender's name data (MIT, shipped in
its wheel) holds per name the share of its bearers recorded as female. Its file is read
once a process, by the people finder (`figures.name_data`), without importing the package
(which loads pandas); only names seen at least _MIN_COUNT times are kept."""
from __future__ import annotations

import re
from functools import lru_cache

from flows.annotate.figures import name_data

_SHARE = re.compile(r"[01](?:\.\d+)?")
_MIN_COUNT = 50
# a name this sure either way has a gender; between the two it has none
FEMALE_SHARE = 0.8
MALE_SHARE = 0.2


@lru_cache(maxsize=1)
def _female_share() -> dict[str, float]:
    return {name: float(share) for name, _, count, share in name_data()
            if count >= _MIN_COUNT and _SHARE.fullmatch(share)}


def gender_of(full_name: str) -> str | None:
    """"f", "m" or None (unknown or ambiguous) from the first word of a full name; a
    single word (a surname) has none."""
    words = full_name.split()
    if len(words) < 2:
        return None
    share = _female_share().get(words[0].lower())
    if share is None:
        return None
    return "f" if share >= FEMALE_SHARE else "m" if share <= MALE_SHARE else None


def pronoun_gender(pronoun: str) -> str:
    return "f" if pronoun.lower() in ("she", "her", "hers", "herself") else "m"
