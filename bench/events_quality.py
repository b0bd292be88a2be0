"""Events quality on the Kremlin corpus: does a "Meeting with ..." page give the meeting?

Issue 5, "Measured": pick 50 Kremlin pages titled "Meeting with ..." or "Talks with ..."
whose title names a foreign leader, run the pipeline stages as plain functions
(flows.ingest -> clean -> dedup -> annotate -> resolve, no Prefect) over those pages,
and count the pages for which the `events` table holds a meeting (bilateral or
multilateral) dated on the page's date whose participants include both leaders:
the Russian president of the time and the foreign leader of the title.

The sample is deterministic: the corpus records sorted by numeric id, kept when the
title is "(Meeting|Talks) with <leader role> ... <country> <name>" (role: President,
Prime Minister, Chancellor, King, Emir, ...; the country found by the project's
gazetteer and not Russia; the leader's name is what follows the country, or what
stands between the role and "of <country>"), the first 50.

    .venv/bin/python bench/events_quality.py [--n 50]

Prints the share and the misses; writes output/events_quality.json.  Also reports the
share among the pages whose foreign leader the figure stage recognised at all (a leader
who is not a figure cannot be a participant: that miss belongs to flows/annotate/figures.py).  Exits 0 without
doing anything when ../shared/corpora is absent.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpora" / "kremlin" / "kremlin_en_news.jsonl.gz"
OUT = ROOT / "output" / "events_quality.json"

_TITLE_RX = re.compile(
    r"^(?:Meeting|Talks)\s+with\s+(?:the\s+)?(?:acting\s+)?"
    r"(?P<role>President|Prime\s+Minister|Federal\s+Chancellor|Chancellor|King|Queen|Emir|Amir|"
    r"Crown\s+Prince|Sultan|Premier|Supreme\s+Leader|Grand\s+Duke|Prince)\b", re.I)
# Russian presidents, by term (the president "of the time")
_RU_PRESIDENTS = [(date(2008, 5, 7), date(2012, 5, 6), "dmitry-medvedev")]


def russian_president(d: date) -> str:
    for a, b, fid in _RU_PRESIDENTS:
        if a <= d <= b:
            return fid
    return "vladimir-putin"


def parse_title(title: str, gz) -> tuple[str, str] | None:
    """(country iso3, leader name) of a "Meeting with <leader> of <country>" title, or None.

    Two shapes: "<role> of [the] <Country> <Name>" and "<role> <Name> of <Country>"; the
    country is a gazetteer country *name* (not a demonym: "the Iraqi Kurdistan Region" is
    no state), not Russia, and the title is a heading, not a sentence (no comma)."""
    from flows.annotate import entities
    from flows.core.gazetteer import fold

    title = " ".join(unicodedata.normalize("NFKC", title).split())
    m = _TITLE_RX.match(title)
    if not m or "," in title:
        return None
    ents = [e for e in entities.find_entities(title, gz, fold(title))
            if e["entity_type"] == "country" and e.get("method") == "name"]
    if not ents or ents[0]["entity_id"] == "RUS":
        return None
    c = ents[0]
    before, after = title[m.end():c["start"]], title[c["end"]:].strip()
    if re.fullmatch(r"\s+of\s+(?:the\s+)?", before) and re.fullmatch(r"(?:[A-Z][\w'’.-]*\s*){1,5}", after):
        return c["entity_id"], after
    name = re.sub(r"\s+of\s+(?:the\s+)?$", "", before).strip()
    if not after and name != before.strip() and re.fullmatch(r"(?:[A-Z][\w'’.-]*\s*){1,5}", name):
        return c["entity_id"], name
    return None


def select_pages(n: int, gz) -> list[dict]:
    rows = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            parsed = parse_title(obj.get("title") or "", gz)
            if parsed and obj.get("date"):
                rows.append({"id": str(obj["id"]), "title": obj["title"], "date": obj["date"][:10],
                             "country": parsed[0], "leader": parsed[1]})
    rows.sort(key=lambda r: int(r["id"]) if r["id"].isdigit() else 10**12)
    return rows[:n]


def write_summary(results: list[dict], seconds: float) -> None:
    """Print the share of title pages whose meeting was found, and write OUT."""
    n_ok = sum(r["ok"] for r in results)
    share = n_ok / len(results) if results else 0.0
    # the events stage cannot name a leader the figure stage did not find: the share among
    # pages whose foreign leader is a figure of the build tells the two stages apart
    known = [r for r in results if r["leader_figure_ids"]]
    n_known_ok = sum(r["ok"] for r in known)
    share_known = n_known_ok / len(known) if known else 0.0
    out = {"corpus": "kremlin_en_news.jsonl.gz", "pages": len(results), "with_meeting": n_ok,
           "share": round(share, 4), "pages_leader_recognised": len(known),
           "with_meeting_leader_recognised": n_known_ok, "share_leader_recognised": round(share_known, 4),
           "seconds": round(seconds, 1), "date": date.today().isoformat(),
           "rule": "a bilateral/multilateral meeting on the page's date with the Russian president of the "
                   "time and the title's foreign leader among figure_ids",
           "pages_detail": results}
    print(f"Kremlin 'Meeting with / Talks with <foreign leader>' pages: {n_ok}/{len(results)} "
          f"give the meeting on the page's date with both leaders: share {share:.3f}  ({seconds:.1f} s)")
    print(f"  pages whose foreign leader the figure stage recognised: {len(known)}; of these with the "
          f"meeting: {n_known_ok} (share {share_known:.3f})")
    for r in results:
        if not r["ok"]:
            print(f"  miss {r['id']} {r['date']} {r['title']!r} leader={r['leader_figure_ids']} "
                  f"meetings={r['meetings_of_page']}")
    OUT.parent.mkdir(exist_ok=True)
    tmp = OUT.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(out, indent=2, default=str, ensure_ascii=False))
    tmp.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")


def run_stages(records: list[dict]):
    """clean -> dedup -> annotate -> resolve as plain functions: (docs, annotations, resolved)."""
    from flows import clean, dedup, resolve
    from flows.annotate import pipeline as annotate

    docs, _ = clean.clean_batch(records)
    dedup.mark_duplicates(docs)
    ann = annotate.annotate_batch(docs)
    return docs, ann, resolve.resolve(ann.table("mentions"), ann.table("quotes"), ann.event_candidates, date.today())


def by_document(mentions, events: list[dict]) -> tuple[dict[str, set[str]], dict[str, list[dict]]]:
    """The figure ids each document names, and the events each document reports."""
    figs_by_doc: dict[str, set[str]] = {}
    for m in mentions:
        if m["entity_type"] == "figure":
            figs_by_doc.setdefault(m["doc_id"], set()).add(m["entity_id"])
    events_by_doc: dict[str, list[dict]] = {}
    for e in events:
        for d in e["doc_ids"]:
            events_by_doc.setdefault(d, []).append(e)
    return figs_by_doc, events_by_doc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=50, help="pages in the sample (default 50)")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skipped: needs {CORPUS} (../shared/corpora beside the project)")
        return 0

    from flows import ingest
    from flows.core import gazetteer
    from flows.core.text import name_key

    t0 = time.perf_counter()
    gz = gazetteer.load()
    pages = select_pages(args.n, gz)
    wanted = {f"#id-{p['id']}" for p in pages}
    records, _ = ingest.read_batch([ingest.InputFile(CORPUS, f"corpora/kremlin/{CORPUS.name}")])
    records = [r for r in records if r["source_uri"][r["source_uri"].rfind("#"):] in wanted]
    docs, ann, res = run_stages(records)
    seconds = time.perf_counter() - t0

    by_uri = {d["source_uri"][d["source_uri"].rfind("#id-") + 4:]: d for d in docs}
    # figure_id by spelling-insensitive name key (canonical name and every alias)
    keys: dict[str, set[str]] = {}
    for f in res["figures"]:
        for nm in [f["name"], *f["aliases"]]:
            keys.setdefault(name_key(nm), set()).add(f["figure_id"])
    figs_by_doc, events_by_doc = by_document(ann.mentions, res["events"])

    results = []
    for p in pages:
        doc = by_uri.get(p["id"])
        day = date.fromisoformat(p["date"])
        ru = russian_president(day)
        leader_ids = keys.get(name_key(p["leader"]), set())
        if not leader_ids:  # a monarch's regnal number: "King Abdullah II" is "Abdullah" on the page
            leader_ids = keys.get(name_key(re.sub(r"\s+[IVX]+$", "", p["leader"])), set())
        if not leader_ids:  # "Hu Jintao" in the title, "Hu" known: the last word, same country
            last = name_key(p["leader"]).split()[-1:] or [""]
            leader_ids = {f["figure_id"] for f in res["figures"] if f["country_iso3"] == p["country"]
                          and name_key(f["name"]).split()[-1:] == last}
        # the leader as a figure of this page (the figure stage found them here)
        leader_ids = leader_ids & (figs_by_doc.get(doc["doc_id"], set()) if doc else set())
        evs = events_by_doc.get(doc["doc_id"], []) if doc else []
        hit = next((e for e in evs if e["event_type"] in ("bilateral_meeting", "multilateral_meeting")
                    and e["start_date"] == day and ru in e["figure_ids"]
                    and leader_ids & set(e["figure_ids"])), None)
        results.append({
            "id": p["id"], "date": p["date"], "title": p["title"], "russian_president": ru,
            "leader": p["leader"], "leader_figure_ids": sorted(leader_ids), "ok": hit is not None,
            "event": ({k: hit[k] for k in ("event_id", "title", "start_date", "figure_ids", "evidence")}
                      if hit else None),
            "meetings_of_page": [(e["title"], str(e["start_date"]), e["figure_ids"]) for e in evs
                                 if e["event_type"] in ("bilateral_meeting", "multilateral_meeting")],
        })

    write_summary(results, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
