"""Events from any newsroom (issue 19, part B): recall and precision on hand-written news.

Reads tests/fixtures/events_news/{dev,test}.yaml (articles written for the fixture, with
their gold events; see its README.md), runs the annotate and resolve stages as plain
functions over each split (no Prefect), and prints per split:

* recall: gold events found by some event of the build with the right kind, date and
  people (organization for summits, states for agreements by states);
* precision: events of the build that match some gold event of an article they cite.

    .venv/bin/python bench/events_news.py [--split dev|test|all] [-v]

`-v` lists the misses and the wrong events. Needs nothing from ../shared.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures" / "events_news"


def load_split(name: str) -> list[dict]:
    return yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))


def _docs(articles: list[dict]) -> list[dict]:
    return [{"doc_id": a["id"], "text": a["text"].strip(), "title": a.get("title"),
             "published_date": a["published"], "language": "en", "duplicate_of": None}
            for a in articles]


def person_key(name: str) -> str:
    """A name's key for matching gold to figures, without a generational suffix ("Jr.")."""
    from flows.core.text import name_key

    return " ".join(w for w in name_key(name).split() if w not in ("jr", "sr"))


def build_events(articles: list[dict]) -> tuple[list[dict], dict[str, set[str]]]:
    """The events of the split's build and, per figure id, the name keys it answers to."""
    from flows import resolve
    from flows.annotate import pipeline as annotate

    ann = annotate.annotate_batch(_docs(articles))
    res = resolve.resolve(ann.table("mentions"), ann.table("quotes"), ann.event_candidates, date(2026, 1, 1))
    keys: dict[str, set[str]] = {}
    for f in res["figures"]:
        keys.setdefault(f["figure_id"], set()).update(person_key(n) for n in [f["name"], *f["aliases"]])
    for e in res["events"]:
        for fid in e["figure_ids"]:
            keys.setdefault(fid, set()).add(person_key(fid.replace("-", " ")))
    return res["events"], keys


def _date_ok(gold: str, e: dict) -> bool:
    g = str(gold)
    if e["start_date"] is None:
        return False
    if len(g) == 7:  # a month
        return e["start_date"].isoformat()[:7] == g
    d = date.fromisoformat(g)
    return e["start_date"] <= d <= (e["end_date"] or e["start_date"])


def matches(gold: dict, e: dict, keys: dict[str, set[str]]) -> bool:
    """The event is the gold event: kind, date, people / states / organization."""
    from flows.annotate.events.titles import states_of

    if e["event_type"] != gold["type"] or not _date_ok(gold["date"], e):
        return False
    if gold.get("organization") and (e["organization"] or "").upper() != gold["organization"].upper():
        return False
    if gold.get("people"):
        want = [person_key(p) for p in gold["people"]]
        figs = e["figure_ids"]
        if len(figs) != len(want) or not all(any(w in keys.get(f, ()) for f in figs) for w in want):
            return False
    if gold.get("countries"):
        if states_of(e["figure_ids"], e["country_iso3s"]) != set(gold["countries"]):
            return False
    return True


def score(articles: list[dict], verbose: bool = False) -> dict:
    """Recall and precision of the build's events against the split's gold."""
    events, keys = build_events(articles)
    gold = {a["id"]: a.get("events") or [] for a in articles}
    found = 0
    for aid, gs in gold.items():
        for g in gs:
            hit = any(aid in e["doc_ids"] and matches(g, e, keys) for e in events)
            found += hit
            if verbose and not hit:
                print(f"  miss {aid}: {g}")
    right = 0
    for e in events:
        ok = any(matches(g, e, keys) for aid in e["doc_ids"] for g in gold.get(aid, []))
        right += ok
        if verbose and not ok:
            print(f"  wrong {e['doc_ids']}: {e['event_type']} {e['start_date']} {e['figure_ids']} "
                  f"{e['country_iso3s']} {e['organization']} | {e['evidence'][:90]!r}")
    n_gold = sum(len(v) for v in gold.values())
    return {"gold": n_gold, "found": found, "events": len(events), "right": right,
            "recall": found / n_gold if n_gold else 0.0,
            "precision": right / len(events) if events else 0.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    for split in (("dev", "test") if args.split == "all" else (args.split,)):
        arts = load_split(split)
        if args.verbose:
            print(f"{split}:")
        s = score(arts, args.verbose)
        print(f"events_news {split}: {len(arts)} articles; recall {s['found']}/{s['gold']} = {s['recall']:.3f}; "
              f"precision {s['right']}/{s['events']} = {s['precision']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
