"""Quotes quality on hand-annotated news-style articles (issue 20).

tests/fixtures/quotes_news/{dev,test}/*.txt: short articles written for this bench (wire
copy, Southeast-Asian regional press, US local news, a Kremlin-style page), each followed
by a line "=== gold" and one line per quote:

    kind | speaker as first named in full ("-" for none) | the quote's first words

kind is direct (all in quotation marks), mixed (partly quoted: the gold words are the
quoted part) or indirect (reported speech: the words start the reported content). Every
continuous stretch of quoted words is one gold quote (an interrupted quote is two).

The whole annotate stage runs on each article (flows.annotate.pipeline.annotate_document,
the same call the build makes) and its `quotes` rows are scored:

- direct+mixed P/R/F1: a direct or mixed row is right when it covers the first words of
  a direct or mixed gold quote not matched yet (each row and each gold quote used once);
- recall over all quotes: the gold quotes of every kind covered by a row of any kind;
- right speaker: of the gold quotes found, the share whose row's `speaker` matches the
  gold speaker by surname (the last word of either name is a word of the other; a gold
  "-" wants no speaker), for direct+mixed and for all kinds.

Tune on dev only; the test split is for reporting. A third set, "kremlin", is seven
real Kremlin news pages annotated by hand (tests/fixtures/quotes_news/kremlin_gold.txt
holds only the page ids and each quote's first words; the text is read from
../shared/corpora, and the set is skipped when that is absent); it was not tuned on.

    .venv/bin/python bench/quotes_quality.py [--errors]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.annotate import events  # noqa: E402
from flows.annotate import pipeline  # noqa: E402
from flows.annotate.figures import FigureFinder  # noqa: E402
from flows.core import gazetteer  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "quotes_news"
KREMLIN = ROOT.parent / "shared" / "corpora" / "kremlin" / "kremlin_en_news.jsonl.gz"
DIRECT = ("direct", "mixed")


def load(split: str) -> list[dict]:
    """The articles of one split: doc_id, text and gold quotes (kind, speaker, words, start)."""
    docs = []
    for p in sorted((FIXTURES / split).glob("*.txt")):
        body, gold = p.read_text(encoding="utf-8").split("=== gold\n")
        text = body.rstrip("\n")
        quotes = []
        for line in gold.strip().splitlines():
            kind, speaker, words = (x.strip() for x in line.split("|"))
            quotes.append({"kind": kind, "speaker": None if speaker == "-" else speaker,
                           "words": words, "start": text.index(words)})
        docs.append({"name": p.name, "text": text, "gold": quotes})
    return docs


def load_kremlin() -> list[dict]:
    """The Kremlin pages of kremlin_gold.txt with their gold (never tuned on: a second
    test set of real text); [] when ../shared/corpora is absent."""
    if not KREMLIN.exists():
        return []
    gold: dict[str, list[dict]] = {}
    for line in (FIXTURES / "kremlin_gold.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pid, kind, speaker, words = (x.strip() for x in line.split("|"))
            gold.setdefault(pid, []).append({"kind": kind, "speaker": speaker, "words": words})
    docs = []
    with gzip.open(KREMLIN, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["id"] in gold:
                text = rec["text"]
                quotes = [{**g, "start": text.index(g["words"])} for g in gold[rec["id"]]]
                docs.append({"name": f"kremlin-{rec['id']}", "text": text, "gold": quotes})
    return sorted(docs, key=lambda d: d["name"])


def _words(name: str | None) -> list[str]:
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded)


def speaker_of(row: dict) -> str | None:
    """The row's speaker name: its `speaker`, else its figure_id's words."""
    return row.get("speaker") or (row["figure_id"].replace("-", " ") if row.get("figure_id") else None)


def same_speaker(pred: str | None, gold: str | None) -> bool:
    """Surname match: the last word of either name is a word of the other."""
    if not gold or not pred:
        return not gold and not pred
    p, g = _words(pred), _words(gold)
    return bool(p and g) and (p[-1] in g or g[-1] in p)


class Runner:
    def __init__(self):
        self.gz = gazetteer.load()
        self.finder = FigureFinder(self.gz)
        self.ref = events.Reference(gazetteer.read_csv("sco_summits.csv"), gazetteer.read_csv("places.csv"))

    def quotes(self, doc: dict, i: int) -> list[dict]:
        d = {"doc_id": f"d-{i:016x}", "text": doc["text"], "title": None, "author": None, "published_date": None}
        return pipeline.annotate_document(d, self.gz, self.finder, self.ref, self.ref).quotes


def _covers(row: dict, g: dict) -> bool:
    return row["start"] < g["start"] + len(g["words"]) and g["start"] < row["end"]


def _match(rows: list[dict], golds: list[dict]) -> dict[int, dict]:
    """gold index -> the row matched to it (first uncovered row in text order)."""
    used, out = set(), {}
    for gi, g in enumerate(golds):
        for ri, r in enumerate(rows):
            if ri not in used and _covers(r, g):
                used.add(ri)
                out[gi] = r
                break
    return out


def evaluate(doc: dict, rows: list[dict]) -> dict:
    gold = doc["gold"]
    gd = [g for g in gold if g["kind"] in DIRECT]
    rd = [r for r in rows if r.get("kind", "direct") in DIRECT]
    md = _match(rd, gd)
    ma = _match(rows, gold)
    errors = []
    for gi, g in enumerate(gold):
        r = ma.get(gi)
        if r is None:
            errors.append(("missed", g["kind"], g["speaker"], g["words"]))
        elif not same_speaker(speaker_of(r), g["speaker"]):
            errors.append(("speaker", g["kind"], g["speaker"], speaker_of(r), g["words"]))
    matched_rows = {id(r) for r in md.values()}
    errors += [("false", r.get("kind"), speaker_of(r), r["text"][:60]) for r in rd if id(r) not in matched_rows]
    return {
        "d_tp": len(md), "d_pred": len(rd), "d_gold": len(gd),
        "all_found": len(ma), "all_gold": len(gold),
        "spk_d": sum(same_speaker(speaker_of(r), gd[gi]["speaker"]) for gi, r in md.items()),
        "spk_all": sum(same_speaker(speaker_of(r), gold[gi]["speaker"]) for gi, r in ma.items()),
        "errors": errors,
    }


def summary(results: list[dict]) -> dict:
    t = {k: sum(r[k] for r in results) for k in ("d_tp", "d_pred", "d_gold", "all_found", "all_gold", "spk_d", "spk_all")}
    p = t["d_tp"] / t["d_pred"] if t["d_pred"] else 1.0
    r = t["d_tp"] / t["d_gold"] if t["d_gold"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"documents": len(results), "gold_quotes": t["all_gold"], "direct_mixed_gold": t["d_gold"],
            "direct_mixed_p": round(p, 3), "direct_mixed_r": round(r, 3), "direct_mixed_f1": round(f, 3),
            "recall_all": round(t["all_found"] / t["all_gold"], 3) if t["all_gold"] else 1.0,
            "speaker_direct_mixed": round(t["spk_d"] / t["d_tp"], 3) if t["d_tp"] else 1.0,
            "speaker_all": round(t["spk_all"] / t["all_found"], 3) if t["all_found"] else 1.0}


def run(split: str, runner: Runner | None = None, errors: bool = False) -> dict:
    runner = runner or Runner()
    results = []
    for i, doc in enumerate(load_kremlin() if split == "kremlin" else load(split)):
        res = evaluate(doc, runner.quotes(doc, i))
        results.append(res)
        if errors:
            for e in res["errors"]:
                print(f"  {split}/{doc['name']}: {e}")
    return summary(results)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="print every miss, wrong speaker and false quote")
    ap.add_argument("--split", choices=("dev", "test", "kremlin", "all"), default="all")
    args = ap.parse_args(argv)
    runner = Runner()
    report = {}
    for split in (("dev", "test", "kremlin") if args.split == "all" else (args.split,)):
        if split == "kremlin" and not KREMLIN.exists():
            print("kremlin: skipped, ../shared/corpora is absent")
            continue
        report[split] = run(split, runner, args.errors)
        s = report[split]
        print(f"{split:7} {s['documents']} articles, {s['gold_quotes']} gold quotes ({s['direct_mixed_gold']} direct+mixed): "
              f"direct+mixed P {s['direct_mixed_p']:.3f} R {s['direct_mixed_r']:.3f} F1 {s['direct_mixed_f1']:.3f}; "
              f"recall over all quotes {s['recall_all']:.3f}; right speaker {s['speaker_direct_mixed']:.3f} "
              f"of direct+mixed found, {s['speaker_all']:.3f} of all found")
    out = ROOT / "output" / "quotes_quality.json"
    if out.parent.is_dir():
        out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
