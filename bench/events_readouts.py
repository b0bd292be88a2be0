"""Events from any newsroom (issue 19, part A): one leader meeting or call per readout page.

The pages: White House readouts whose title names a meeting or a call of the President
with a foreign leader ("Readout of President Biden's Call with Prime Minister Kishida of
Japan", "... Meeting with President Lula of Brazil"), and Kremlin pages titled "Meeting
with / Talks with / Telephone conversation with <foreign leader>". From the title alone
the bench derives the expected event: its kind (a call, or a meeting), the counterpart
(a role — President, Prime Minister, King ... — a name and a country found by the
project's gazetteer, not the host's), the host (the US president named in the title; the
Russian president of the time) and the date (publication day, or the day before: a
readout may come out the morning after).

It runs the pipeline stages as plain functions (ingest -> clean -> dedup -> annotate ->
resolve, as bench/events_quality.py does) over those pages only, and counts a page as
found when the events that cite it, dated on that day or the day before and naming the
counterpart, are exactly one, of the right kind (`call`; `bilateral_meeting` or
`multilateral_meeting`), with the host among its figures too. Two rows for one meeting,
a call typed as a meeting, a missing leader: all misses.

Pages are split deterministically by a hash of their id into dev and test halves; rules
are tuned on dev only; both are printed, per source and kind.

    .venv/bin/python bench/events_readouts.py [--misses dev|test|none]

Writes output/events_readouts.json.  Exits 0 doing nothing when ../shared/corpora is absent.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import tempfile
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from events_quality import by_document, run_stages  # noqa: E402  (bench/ is this script's folder)

CORPORA = ROOT.parent / "shared" / "corpora"
KREMLIN = CORPORA / "kremlin" / "kremlin_en_news.jsonl.gz"
WHITEHOUSE = CORPORA / "whitehouse" / "wh_briefings.jsonl.gz"
OUT = ROOT / "output" / "events_readouts.json"

_ROLE = (r"(?:(?:Acting|Interim|Federal)\s+)?(?:President|Prime\s+Minister|Chancellor|King|Queen|Emir|Amir|"
         r"Crown\s+Prince|Sultan|Premier|Sheikh|Taoiseach|His\s+Majesty\s+(?:King|Sultan)|Grand\s+Duke)")
_WH_RX = re.compile(r"^Readout of President (?P<host>(?:[\w.]+\s+)*?(?:Biden|Trump))(?:,\s+Jr\.)?(?:['’]s)?\s+"
                    r"(?:(?P<kind>Call|Phone\s+Call|Video\s+Call|Virtual\s+Meeting|Bilateral\s+Meeting|Meeting))"
                    r"\s+with\s+(?P<rest>.+)$")
_KR_RX = re.compile(r"^(?P<kind>Meeting|Talks|Telephone\s+conversation)\s+with\s+(?P<rest>.+)$")
_RU_PRESIDENTS = [(date(2008, 5, 7), date(2012, 5, 6), "Medvedev")]


def _norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split())


def split_of(page_id: str) -> str:
    """dev or test, by a hash of the page's id (stable across runs and machines)."""
    return "dev" if hashlib.sha1(page_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def counterpart(rest: str, host_iso3: str, gz) -> tuple[str, str] | None:
    """(country, name) of "<role> <Name> of <Country>", "<role> of <Country> <Name>",
    "<Demonym> <role> <Name>", or None (no role, several people, the host's country)."""
    from flows.annotate import entities
    from flows.core.gazetteer import fold

    rest = re.sub(r"^(?:the\s+)?", "", rest)
    if re.search(r"\band\b|,|;|\bon\b|\bin\s+advance\b", rest):
        return None
    ents = [e for e in entities.find_entities(rest, gz, fold(rest)) if e["entity_type"] == "country"]
    m = re.match(r"(?:[\w.]+\s+)?" + _ROLE + r"\b", rest)  # a leader's role first ("First Vice Premier": no)
    if not ents or not m or ents[0]["entity_id"] == host_iso3:
        return None
    c = ents[0]
    head = re.sub(r"^(?:\w+\s+)?" + _ROLE + r"\s*", "", rest[:c["start"]])
    if re.fullmatch(r"of\s+(?:the\s+)?", head):  # "<role> of <Country> <Name>"
        name = rest[c["end"]:]
    else:  # "<role> <Name> of <Country ...>", "<Demonym> <role> <Name>"
        name = re.split(r"\s+of\s+", head)[0] if head.strip() else rest[c["end"]:]
        name = re.sub(_ROLE, " ", name)
    name = re.sub(r"\b(?:US|U\.S\.|Jr\.?|the|II|III)\b", " ", name)
    name = re.sub(r"\s+\.", "", " ".join(name.split()))
    if not re.fullmatch(r"(?:[A-ZÀ-Ž][\w'’.-]*\s*(?:(?:bin|bint|al|el|da|de|van|der|von)\s+)*){1,5}", name):
        return None
    return c["entity_id"], name


def _rows(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def select_pages(gz) -> tuple[list[dict], list[dict]]:
    """The pages and their expected events; and the corpus records to run, as raw lines."""
    pages, raw = [], []
    for obj in _rows(WHITEHOUSE):
        m = _WH_RX.match(_norm(obj.get("title") or ""))
        cp = m and counterpart(m.group("rest"), "USA", gz)
        if cp and obj.get("date"):
            kind = "call" if re.search(r"Call|Virtual", m.group("kind")) else "meeting"  # a video meeting is a call
            pages.append({"source": "whitehouse", "id": str(obj["path"]).replace("/", "_"), "title": obj["title"],
                          "date": obj["date"][:10], "kind": kind, "host": m.group("host").split()[-1],
                          "country": cp[0], "leader": cp[1]})
            raw.append(obj)
    for obj in _rows(KREMLIN):
        m = _KR_RX.match(_norm(obj.get("title") or ""))
        cp = m and counterpart(m.group("rest"), "RUS", gz)
        if cp and obj.get("date"):
            day = date.fromisoformat(obj["date"][:10])
            host = next((h for a, b, h in _RU_PRESIDENTS if a <= day <= b), "Putin")
            pages.append({"source": "kremlin", "id": str(obj["id"]), "title": obj["title"],
                          "date": obj["date"][:10], "kind": "call" if m.group("kind").startswith("Tele") else "meeting",
                          "host": host, "country": cp[0], "leader": cp[1]})
            raw.append(obj)
    for p in pages:
        p["split"] = split_of(p["source"] + ":" + p["id"])
    return pages, raw


def run_pipeline(raw: list[dict]):
    """The stages as plain functions over the selected records (a temporary JSON-lines file)."""
    from flows import ingest

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "readouts.jsonl"
        p.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in raw), encoding="utf-8")
        records, _ = ingest.read_batch([ingest.InputFile(p, p.name)])
    return run_stages(records)


def _ids(name: str, country: str | None, figures: list[dict], in_doc: set[str]) -> set[str]:
    """The figures of the page that are the named person: the whole name's key, else its
    last word with the same country (or any, for the host)."""
    from flows.core.text import name_key

    key = name_key(name)
    keys = {key, " ".join(sorted(key.split()))}  # "Kishida Fumio" is "Fumio Kishida"
    out = {f["figure_id"] for f in figures if keys & {k for n in [f["name"], *f["aliases"]]
                                                      for k in (name_key(n), " ".join(sorted(name_key(n).split())))}}
    if not out & in_doc:
        last = key.split()[-1:]
        out = {f["figure_id"] for f in figures if set(last) & set(name_key(f["name"]).split())
               and (country is None or f["country_iso3"] in (country, None))}
    # one person under two ids of the page ("lopez-obrador", "andres-manuel-lopez-obrador"):
    # merged events name it once (flows/annotate/events/aliases.py), by either
    from flows.annotate.events.aliases import is_alias
    return {g for g in in_doc if any(is_alias(f, g) for f in out & in_doc)}


def judge(p: dict, doc: dict | None, res: dict, figs_by_doc: dict, events_by_doc: dict) -> dict:
    """The page's verdict: exactly one event naming the counterpart on the day (or the day
    before), of the right kind, with the host too."""
    day = date.fromisoformat(p["date"])
    in_doc = figs_by_doc.get(doc["doc_id"], set()) if doc else set()
    leader = _ids(p["leader"], p["country"], res["figures"], in_doc)
    host = _ids(p["host"], None, res["figures"], in_doc)
    evs = [e for e in (events_by_doc.get(doc["doc_id"], []) if doc else [])
           if e["start_date"] in (day, day - timedelta(days=1)) and leader & set(e["figure_ids"])
           and e["event_type"] in ("call", "bilateral_meeting", "multilateral_meeting")]
    kinds = ("call",) if p["kind"] == "call" else ("bilateral_meeting", "multilateral_meeting")
    ok = len(evs) == 1 and evs[0]["event_type"] in kinds and bool(host & set(evs[0]["figure_ids"]))
    why = ("ok" if ok else "no leader figure" if not leader else "no host figure" if not host
           else "no event" if not evs else "split" if len(evs) > 1 else "wrong type"
           if evs[0]["event_type"] not in kinds else "host missing")
    return dict(p, ok=ok, why=why, leader_ids=sorted(leader), host_ids=sorted(host),
                events=[(e["event_type"], str(e["start_date"]), e["figure_ids"], e["country_iso3s"])
                        for e in evs])


def summarise(results: list[dict], seconds: float, misses: str) -> dict:
    """Print the share found per split, source and kind; the misses of one split."""
    table = {}
    print(f"Readout pages: one event of the right kind, date and people per page ({seconds:.1f} s)")
    for split in ("dev", "test"):
        for source in ("whitehouse", "kremlin"):
            for kind in ("meeting", "call"):
                rs = [r for r in results if (r["split"], r["source"], r["kind"]) == (split, source, kind)]
                if rs:
                    n = sum(r["ok"] for r in rs)
                    table[f"{split}/{source}/{kind}"] = {"pages": len(rs), "ok": n, "share": round(n / len(rs), 4)}
                    whys = {}
                    for r in rs:
                        whys[r["why"]] = whys.get(r["why"], 0) + 1
                    print(f"  {split:4} {source:10} {kind:7} {n:4}/{len(rs):<4} {n / len(rs):.3f}  "
                          + " ".join(f"{k}={v}" for k, v in sorted(whys.items()) if k != "ok"))
    for r in results:
        if not r["ok"] and r["split"] == misses:
            print(f"  miss [{r['why']}] {r['source']} {r['id']} {r['date']} {r['title']!r} "
                  f"leader={r['leader_ids']} host={r['host_ids']} events={r['events']}")
    return table


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--misses", choices=("dev", "test", "none"), default="none",
                    help="print the misses of this split (tune on dev only)")
    args = ap.parse_args()
    if not (KREMLIN.exists() and WHITEHOUSE.exists()):
        print(f"skipped: needs {KREMLIN} and {WHITEHOUSE} (../shared/corpora beside the project)")
        return 0
    from flows.core import gazetteer

    t0 = time.perf_counter()
    pages, raw = select_pages(gazetteer.load())
    docs, ann, res = run_pipeline(raw)
    seconds = time.perf_counter() - t0
    by_id = {d["source_uri"][d["source_uri"].rfind("#id-") + 4:]: d for d in docs}
    # mentions after resolve: a surname-only figure has joined its full name
    figs_by_doc, events_by_doc = by_document(
        res["mentions"].select(["doc_id", "entity_type", "entity_id"]).to_pylist(), res["events"])
    results = [judge(p, by_id.get(p["id"]), res, figs_by_doc, events_by_doc) for p in pages]
    table = summarise(results, seconds, args.misses)
    OUT.parent.mkdir(exist_ok=True)
    tmp = OUT.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"date": date.today().isoformat(), "seconds": round(seconds, 1), "shares": table,
                               "pages": results}, indent=2, default=str, ensure_ascii=False))
    tmp.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
