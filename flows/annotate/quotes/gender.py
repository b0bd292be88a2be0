"""A given name's likely gender, for he/she: nomquamgender's name data (MIT, shipped in
its wheel) holds per name the share of its bearers recorded as female. Its file is read
as text once, on the first pronoun that needs it, without importing the package (which
loads pandas); only names seen at least _MIN_COUNT times are kept."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import metadata

_ENTRY = re.compile(r'"([a-z][a-z\-]+)": \[\d+, (\d+), ([01](?:\.\d+)?)')
_MIN_COUNT = 50
# a name this sure either way has a gender; between the two it has none
FEMALE_SHARE = 0.8
MALE_SHARE = 0.2


@lru_cache(maxsize=1)
def _female_share() -> dict[str, float]:
    path = metadata.distribution("nomquamgender").locate_file("nomquamgender/name_data.json")
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    return {m.group(1): float(m.group(3)) for m in _ENTRY.finditer(raw) if int(m.group(2)) >= _MIN_COUNT}


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
