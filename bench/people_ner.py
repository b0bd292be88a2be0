"""Person and country recognition measured on public hand-annotated text the rules never saw.

Reads `../shared/gold/people-ner/*.jsonl` (see its README; never copied into the repository),
runs the annotate stage over each document and scores, per file and per half:

- people: the gold Person / PER spans that name someone (re3d also marks pronouns and
  descriptions, "he", "the Foreign Secretary", as Person: those are left out, and a
  predicted person overlapping one is neither right nor wrong), against the predicted
  `figure` mentions;
- countries: the gold Location / LOC spans whose text is a country's name and the
  Nationality / MISC spans whose text is a demonym (or its plural); a state acting, marked
  Organisation ("The UK will ..."), and "northern Iraq" count too (names from pycountry, current and
  former, and from the project's reference table); so do a people marked as a group,
  Organisation ("Iraqis", "Syrians": re3d types the group, as it types "The UK" acting), and a
  Nationality / MISC span made of demonyms ("Italian-American", "British Indian": the gold's own
  nationality type, matched by the first of the two predicted demonyms), against the predicted `country`
  mentions. A capital read as its government ("Damascus said") has no gold counterpart
  (the annotators mark the city) and is left out of the predictions.

Spans are compared exactly and by overlap (one prediction matches at most one gold span).
Each file is split into a dev and a test half by a hash of the document id: tune on dev,
quote test.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (a worktree under /work/wt/ has it one level further up)
GOLD_DIR = next((d / "shared" / "gold" / "people-ner" for d in (ROOT.parent, ROOT.parent.parent)
                 if (d / "shared" / "gold" / "people-ner").is_dir()), ROOT.parent / "shared" / "gold" / "people-ner")
FILES = ("re3d-open.jsonl", "wikigold.jsonl")
PERSON_TYPES = {"Person", "PER"}
# a state acting is often marked as an organisation ("The UK will continue ...")
PLACE_TYPES = {"Location", "LOC", "Organisation", "ORG"}
# "northern Iraq": a part of a country named by direction is that country's mention
_DIRECTION = re.compile(r"^(?:(?:north|south|east|west|central)(?:ern|east|west|eastern|western)?\s+)")
NATIONALITY_TYPES = {"Nationality", "MISC"}
# a Person span that starts with one of these is a description or a pronoun, not a name
_NOT_NAMED_START = {
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "he", "she", "i", "we", "they", "you",
    "him", "them", "me", "us", "who", "whom", "this", "that", "these", "those", "one",
}
# words of a title or office: a span made only of these ("Foreign Secretary") names no one
_TITLE_ONLY = {
    "foreign", "secretary", "minister", "prime", "president", "office", "state", "for", "of", "the",
    "middle", "east", "defence", "defense", "general", "chief", "staff", "commander", "spokesman",
    "spokesperson", "ambassador", "us", "uk", "fco", "deputy", "vice", "home", "and", "colonel",
    "major", "lieutenant", "lt.", "gen.", "prime-minister-designate", "minister-designate",
}


def split_of(doc_id: str) -> str:
    """'dev' or 'test', from the first byte of the document id's SHA-1 (half each, stable)."""
    return "dev" if hashlib.sha1(doc_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def is_named_person(surface: str) -> bool:
    words = re.findall(r"[\w.'’-]+", surface)
    if not words or words[0].lower() in _NOT_NAMED_START:
        return False
    return any(w[0].isupper() and w.lower() not in _TITLE_ONLY for w in words)


def country_words(gz) -> tuple[set[str], set[str]]:
    """(folded country names, folded demonyms) that make a gold span a country mention."""
    import pycountry

    from flows.core.gazetteer import fold

    names = {n for n in gz.country_names if n not in gz.demonyms}
    for c in list(pycountry.countries) + list(pycountry.historic_countries):
        for attr in ("name", "common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                names.add(fold(v.split(",")[0].strip()))
    return names, set(gz.demonyms)


def gold_spans(doc: dict, names: set[str], demonyms: set[str]) -> tuple[list, list, list]:
    """(named people, not-named person spans, countries): lists of (start, end)."""
    from flows.core.gazetteer import fold

    people, unnamed, countries = [], [], []
    for s in doc["spans"]:
        span = (s["start"], s["end"])
        key = re.sub(r"^the\s+", "", fold(s["surface"]).strip())
        if s["type"] in ("Location", "LOC"):
            key = _DIRECTION.sub("", key)
        if s["type"] in PERSON_TYPES:
            (people if is_named_person(s["surface"]) else unnamed).append(span)
        elif s["type"] in PLACE_TYPES and key in names:
            countries.append(span)
        elif s["type"] in ("Organisation", "ORG") and key[:-1] in demonyms and key.endswith("s"):
            countries.append(span)   # "Iraqis", "Syrians" marked as a group, like "The UK" acting
        elif s["type"] in NATIONALITY_TYPES and (_demonym(key, names, demonyms)
                                                     or all(_demonym(k, names, demonyms) for k in re.split(r"[-\s]+", key))):
            countries.append(span)   # "Iraqi", "Iraqis", "Italian-American", "British Indian"
    return _outermost(people), unnamed, _outermost(countries)


def _demonym(key: str, names: set[str], demonyms: set[str]) -> bool:
    return key in demonyms or key in names or key[:-1] in demonyms


def _outermost(spans: list) -> list:
    """Nested gold spans ("FCO Minister Tobias Ellwood" around "Tobias Ellwood") count once:
    the longest of each group of overlapping spans."""
    out: list = []
    for s in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0])):
        if not any(_overlaps(s, o) for o in out):
            out.append(s)
    return sorted(out)


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match(gold: list, pred: list, ignore: list = ()) -> dict:
    """tp / fp / fn, exact and by overlap (greedy, one to one, by start); a prediction that
    overlaps no gold span but one of `ignore` is left out."""
    pred = [p for p in pred if any(_overlaps(p, g) for g in gold) or not any(_overlaps(p, i) for i in ignore)]
    exact = len(set(gold) & set(pred))
    used: set[int] = set()
    tp = 0
    for p in sorted(pred):
        for i, g in enumerate(gold):
            if i not in used and _overlaps(p, g):
                used.add(i)
                tp += 1
                break
    return {"exact": (exact, len(pred) - exact, len(gold) - exact), "overlap": (tp, len(pred) - tp, len(gold) - tp),
            "missed": [g for i, g in enumerate(gold) if i not in used],
            "false": [p for p in pred if not any(_overlaps(p, g) for g in gold)]}


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def predict(annotator, doc: dict) -> tuple[list, list]:
    """(person spans, country spans) the annotate stage finds in a gold document."""
    pred = annotator.annotate({"doc_id": doc["id"], "text": doc["text"], "title": doc.get("title")})
    people = [(m["start"], m["end"]) for m in pred["mentions"] if m["entity_type"] == "figure"]
    countries = [(m["start"], m["end"]) for m in pred["mentions"]
                 if m["entity_type"] == "country" and m["method"] != "capital"]
    return people, countries


def score_file(annotator, docs: list[dict], errors: list | None = None) -> dict:
    """{'dev'|'test': {'people'|'countries': {'exact'|'overlap': P/R/F1}, 'documents': n}}."""
    names, demonyms = country_words(annotator.gz)
    sums = {h: {k: {"exact": [0, 0, 0], "overlap": [0, 0, 0]} for k in ("people", "countries")} for h in ("dev", "test")}
    ndocs = {"dev": 0, "test": 0}
    for doc in docs:
        half = split_of(doc["id"])
        ndocs[half] += 1
        g_people, unnamed, g_countries = gold_spans(doc, names, demonyms)
        p_people, p_countries = predict(annotator, doc)
        for kind, res in (("people", match(g_people, p_people, unnamed)), ("countries", match(g_countries, p_countries))):
            for how in ("exact", "overlap"):
                for i in range(3):
                    sums[half][kind][how][i] += res[how][i]
            if errors is not None and half == "dev":
                t = doc["text"]
                errors.append((doc["id"], kind, [t[s:e] for s, e in res["missed"]], [t[s:e] for s, e in res["false"]]))
    return {h: {"documents": ndocs[h], **{k: {how: _prf(*v) for how, v in kinds.items()} for k, kinds in sums[h].items()}}
            for h in sums}


def score_all(annotator, gold_dir: Path = GOLD_DIR, errors: list | None = None) -> dict:
    """score_file of each gold file there is; {'skipped': why} without ../shared."""
    if not gold_dir.is_dir():
        return {"skipped": f"{gold_dir} not found (../shared is not here)"}
    return {name: score_file(annotator, load(gold_dir / name), errors) for name in FILES if (gold_dir / name).exists()}


def table(report: dict) -> str:
    head = f"{'file':<17} {'half':<5} {'kind':<10} {'match':<8} {'P':>6} {'R':>6} {'F1':>6}  (tp/fp/fn)"
    lines = [head, "-" * len(head)]
    for name, halves in report.items():
        for half in ("dev", "test"):
            for kind in ("people", "countries"):
                for how in ("overlap", "exact"):
                    v = halves[half][kind][how]
                    lines.append(f"{name:<17} {half:<5} {kind:<10} {how:<8} {v['precision']:>6.3f} {v['recall']:>6.3f} "
                                 f"{v['f1']:>6.3f}  ({v['tp']}/{v['fp']}/{v['fn']})")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from quality import Annotator

    errs: list = [] if "--show-errors" in sys.argv else None
    rep = score_all(Annotator(), errors=errs)
    print(table(rep) if "skipped" not in rep else rep["skipped"])
    for doc_id, kind, missed, false in errs or []:
        if missed or false:
            print(doc_id, kind, "MISSED:", missed, "FALSE:", false)
