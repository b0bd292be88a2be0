"""One person under two figure ids in the candidates of an event: a surname-only id
beside the full name ("van-der-bellen", "alexander-van-der-bellen") or the same words in
another order ("kishida-fumio", "fumio-kishida"). Merging meetings and calls compares
participants up to these aliases, and a merged row names each person once: by the id the
reference knows (seeds/reference/figures.csv), else the longest, else the first in order.
Found on White House pages: "bongo" beside "ali-bongo-ondimba", "chaves" beside
"rodrigo-chaves-robles" (a one-word id inside a compound family name).
"""
from __future__ import annotations

from flows.annotate.events.patterns import GZ


def is_alias(a: str, b: str) -> bool:
    """Two ids of one person: one's words end the other's, one word that is a family name
    within the other ("bongo", "ali-bongo-ondimba": any word but the first), or the same
    words reordered."""
    if a == b:
        return True
    ta, tb = a.split("-"), b.split("-")
    if len(ta) > len(tb):
        ta, tb = tb, ta
    return ta == tb[-len(ta):] or (len(ta) == 1 and ta[0] in tb[1:]) or sorted(ta) == sorted(tb)


def _rank(f: str) -> tuple:
    return (f in GZ.figures, f.count("-"), f)


def canonical(figs) -> dict[str, str]:
    """Each id of `figs` -> the id that names its person among them (itself when none
    other is an alias of it)."""
    figs = sorted(set(figs))
    out = {}
    for f in figs:
        same = [g for g in figs if g == f or is_alias(f, g)]
        out[f] = max(same, key=_rank)
    return out


def same_people(fa: set[str], fb: set[str]) -> bool:
    """`fa == fb` up to aliases."""
    if fa == fb:
        return True
    m = canonical(fa | fb)
    return {m[f] for f in fa} == {m[f] for f in fb}
