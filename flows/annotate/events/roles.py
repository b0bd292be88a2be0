"""Role nouns as people: "the Chinese premier", "Vietnam's president", "the President of
the French Republic", "China and Russia's top diplomats" name the office holder of that
country at the article's date, read ONLY from the curated table offices.csv beside this
module (one row per term of office; a term's `end` is where the table stops being sure,
never a guess about the future). A role followed by a name ("Chinese Premier Li Qiang")
is left to the name; "former", "vice", "deputy" ... roles name nobody.

Gated by the caller (document.py): only sentences holding one of the role words
(words.yaml `gates.role`) and a country mention are read."""
from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from flows.annotate.events.patterns import WORDS, _alt
from flows.core.gazetteer import fold

_OFFICES = Path(__file__).with_name("offices.csv")
# role wording -> office; "top diplomat" is the foreign minister only on rows that say so
_ROLE_OFFICE = [(re.compile(w, re.I), office) for office, ws in WORDS["role_nouns"].items() for w in ws]
_ROLE_ALT = "|".join(w for ws in WORDS["role_nouns"].values() for w in ws)
# any role wording (the pattern the `role` gate stands for)
ROLE_RX = re.compile(r"\b(?:" + _ROLE_ALT + r")", re.I)
# after a country mention: "Chinese premier", "Vietnam's president", "Russia's top diplomats"
ROLE_AFTER_COUNTRY_RX = re.compile(r"(?:['’]s?)?\s+(" + _ROLE_ALT + r")(s?)\b", re.I)
# before a country mention: "the President of the United States", "the premier of China"
ROLE_BEFORE_COUNTRY_RX = re.compile(r"\b(" + _ROLE_ALT + r")\s+of\s+(?:the\s+)?$", re.I)
# "Vice President of", "the former premier": a role that names nobody now
NOT_HOLDER_RX = re.compile(r"\b(?:" + _alt("not_holder_words") + r")[\s-]*$", re.I)
# "the Russian president's press secretary", "the President of Russia's aide": someone else
POSSESSION_RX = re.compile(r"\s*['’]s\s+(?:" + _alt("holder_possessions") + r")", re.I)
# the pair before a plural role: "China and Russia's top diplomats"
PAIR_GAP_RX = re.compile(r"\s*(?:,|and|&)\s*(?:the\s+)?$", re.I)


@lru_cache(maxsize=1)
def offices() -> dict[tuple[str, str], list[tuple[date, date, str, str, bool]]]:
    """(office, iso3) -> [(start, end, figure_id, name, top_diplomat)], from offices.csv."""
    out: dict[tuple[str, str], list] = {}
    with open(_OFFICES, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault((r["office"], r["country_iso3"]), []).append(
                (date.fromisoformat(r["start"]), date.fromisoformat(r["end"]), r["figure_id"], r["name"],
                 r["top_diplomat"] == "1"))
    return out


def holder(role: str, iso3: str, day: date) -> tuple[str, str] | None:
    """(figure_id, name) of the holder of `role` (a wording) for `iso3` on `day`, or None
    when the table does not know, or knows two (a handover day)."""
    office = next((o for rx, o in _ROLE_OFFICE if rx.fullmatch(role)), None)
    if office is None:
        return None
    top = office == "top_diplomat"
    rows = offices().get(("foreign_minister" if top else office, iso3), [])
    hits = {(fid, name) for a, b, fid, name, td in rows if a <= day <= b and (td or not top)}
    return next(iter(hits)) if len(hits) == 1 else None


@lru_cache(maxsize=1)
def _holder_names() -> tuple[re.Pattern, dict[str, str]]:
    """The office holders' names (folded) as one pattern, and folded name -> figure id."""
    ids = {fold(name): fid for rows in offices().values() for _, _, fid, name, _ in rows}
    alt = "|".join(re.escape(n) for n in sorted(ids, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alt + r")(?![\w-])"), ids


def named_holders(sent: str, mentions: list[dict]) -> list[tuple[int, str, str]]:
    """(offset, figure_id, name) of the office holders of offices.csv the sentence names in
    full where no mention stands ("General Secretary Tô Lâm" when the figure stage missed
    the name): matched accent-folded, every word capitalised in the text ("went to Lam
    Dong" names nobody)."""
    rx, ids = _holder_names()
    folded = fold(sent)
    if len(folded) != len(sent):  # offsets would not be the sentence's
        return []
    taken = [(m["_s"], m["_e"]) for m in mentions]
    return [(m.start(), ids[m.group()], m.group()) for m in rx.finditer(folded)
            if all(w[:1].isupper() for w in sent[m.start():m.end()].split())
            and not any(a < m.end() and m.start() < b for a, b in taken)]


def _named_after(sent: str, end: int, fig_starts: set[int]) -> bool:
    """A name follows the role ("Premier Li Qiang", "President, Xi Jinping")."""
    gap = re.match(r"[\s,]*", sent[end:])
    return end + gap.end() in fig_starts


def role_figures(sent: str, mentions: list[dict], day: date | None) -> list[tuple[int, str, str]]:
    """(offset, figure_id, name) of each role noun of the sentence that names an office
    holder on `day` (see the module docstring)."""
    if day is None:
        return []
    countries = sorted((m for m in mentions if m["entity_type"] == "country"), key=lambda m: m["_s"])
    if not countries:
        return []
    fig_starts = {m["_s"] for m in mentions if m["entity_type"] == "figure"}
    out = []
    for i, cm in enumerate(countries):
        after = ROLE_AFTER_COUNTRY_RX.match(sent, cm["_e"])
        before = ROLE_BEFORE_COUNTRY_RX.search(sent[max(0, cm["_s"] - 60):cm["_s"]])
        if after and POSSESSION_RX.match(sent, after.end()):
            continue
        if after and not _named_after(sent, after.end(), fig_starts) and not NOT_HOLDER_RX.search(
                sent[max(0, cm["_s"] - 20):cm["_s"]]) and not NOT_HOLDER_RX.search(sent[cm["_e"]:after.start(1)]):
            isos = [cm["entity_id"]]
            if after.group(2) and i > 0 and PAIR_GAP_RX.fullmatch(sent[countries[i - 1]["_e"]:cm["_s"]]):
                isos.insert(0, countries[i - 1]["entity_id"])  # "China and Russia's top diplomats"
            for iso in isos:
                h = holder(after.group(1), iso, day)
                if h:
                    out.append((cm["_s"], *h))
        elif before and not NOT_HOLDER_RX.search(sent[max(0, cm["_s"] - 60):cm["_s"] - len(before.group())]) \
                and not _named_after(sent, cm["_e"], fig_starts) and not POSSESSION_RX.match(sent, cm["_e"]):
            h = holder(before.group(1), cm["entity_id"], day)
            if h:
                out.append((cm["_s"] - len(before.group()), *h))
    return out
