"""How well deduplication finds copies as a reader sees them, on a dev set made here.

    python bench/dedup_quality.py [--n 300] [--seed 7] [--split dev|test|both]

From real documents of ../shared/corpora (White House and Kremlin), cleaned as the
build cleans them, it makes realistic copies of each kind the issue names and
checks that deduplication puts each copy with its original, with the right kind:

- exact:    the same body under a new headline;
- near:     republished with an outlet's chrome lines around it; a sentence or two
            edited; republished 81 days later;
- update:   new figures and a new headline; a new lede (first paragraph replaced);
            two paragraphs added; the same page under another URL, updated.

and, as negatives, pairs that must stay apart:

- template: one document refilled with another place name in its title and body
            (one boilerplate, another subject), and a yearly renewal (the same
            text a year later);
- real:     the corpus's own template look-alikes, found by title pattern (titles
            equal once names and numbers are masked, but naming different
            subjects: "Designating Colombia ..." / "... Kenya ..."; or the very same
            title a year or more apart: a yearly notice), judged apart.

Each real document is used once; documents are split into dev and test halves by a
hash of their doc_id (`--split`): the rules were tuned on dev; test is reported as
the quality figure. Prints recall per kind, kind accuracy, false-merge rate, and
the LSH banding's recall at similarity 0.8 / 0.7 / 0.6 / 0.5 against an exhaustive
pass. Writes the figures to output/bench.json under "dedup_quality".
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from flows import clean, dedup  # noqa: E402
from run import save  # noqa: E402  (bench/ is scripts, not a package)

SHARED = ROOT.parent / "shared" / "corpora"
CORPORA = [SHARED / "whitehouse" / "wh_briefings.jsonl.gz", SHARED / "kremlin" / "kremlin_en_news.jsonl.gz"]
CHROME_TOP = ["Share this article", "Follow us on Telegram", "Listen to this article 4 min"]
CHROME_BOTTOM = ["Read more: Leaders gather for regional talks", "Subscribe to our newsletter",
                 "© 2024 Example Media Group. All rights reserved."]
NEW_LEDE = ("Officials confirmed the details on {day} after a day of meetings, in a statement that "
            "added new figures and named the participants.")
_NUMBER = re.compile(r"\b\d[\d,]*\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def split_of(doc_id: str) -> str:
    return "dev" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 == 0 else "test"


def real_documents(limit_per_corpus: int) -> list[dict]:
    """Cleaned documents of both corpora with a date, a title and at least 150 words."""
    out = []
    for path in CORPORA:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                obj = json.loads(line)
                text = obj.get("text") or ""
                rec = {"source_uri": f"{path.name}#{line_no}", "parent_uri": None, "source_format": "jsonl",
                       "raw": text, "title": obj.get("title"), "url": obj.get("url") or obj.get("source_url"),
                       "date": obj.get("date"), "author": None, "source_name": None}
                docs, _ = clean.clean_record(rec)
                if docs and docs[0]["published_date"] and docs[0]["title"] and docs[0]["n_words"] >= 150:
                    out.append(docs[0])
    return out


def _copy(doc: dict, suffix: str, **over) -> dict:
    d = {**doc, "doc_id": doc["doc_id"] + "-" + suffix, **over}
    d["n_words"] = len(d["text"].split())
    return d


def _edit_sentences(text: str, rng: random.Random, n: int) -> str:
    sentences = _SENTENCE.split(text)
    for i in rng.sample(range(len(sentences)), min(n, len(sentences))):
        sentences[i] = "A spokesman later added that the talks had gone well."
    return " ".join(sentences)


def _bump_numbers(text: str) -> str:
    return _NUMBER.sub(lambda m: str(int(m.group(0).replace(",", "")) + 2) if len(m.group(0)) < 9 else m.group(0), text)


def positives(doc: dict, rng: random.Random) -> list[tuple[dict, str]]:
    """Copies of `doc` a reader would call the same article, with the kind expected."""
    paras = doc["text"].split("\n")
    day = doc["published_date"]
    other_url = (doc.get("url") or f"https://example.org/{doc['doc_id']}").replace("https://", "http://www.") + "?utm_source=feed"
    later = {"published_date": day + timedelta(days=1), "url": None}  # a copy comes after its original
    made = {
        "exact": (_copy(doc, "exact", title="Breaking: " + doc["title"].lower(), **later), "exact"),
        "chrome": (_copy(doc, "chrome", text="\n".join(CHROME_TOP + paras + CHROME_BOTTOM), **later), "near|update"),
        "edited": (_copy(doc, "edited", text=_edit_sentences(doc["text"], rng, 2), **later), "near|update"),
        "later": (_copy(doc, "later", published_date=day + timedelta(days=81), url=None), "exact"),
        "figures": (_copy(doc, "figures", text=_bump_numbers(doc["text"]), title=_bump_numbers(doc["title"]) + " (updated)",
                          **later), "near|update"),
        "lede": (_copy(doc, "lede", text="\n".join([NEW_LEDE.format(day=day.strftime("%A"))] + paras[1:]),
                       title="Latest: " + doc["title"], **later), "near|update"),
        "grown": (_copy(doc, "grown", text=doc["text"] + "\n" + "\n".join([NEW_LEDE.format(day="Friday")] * 1 + paras[:1]),
                        **later), "near|update"),
        "url": (_copy(doc, "url", text=_edit_sentences(doc["text"], rng, 6), url=other_url,
                      title=doc["title"] + " - live updates", published_date=day + timedelta(days=1)), "near|update"),
    }
    return [(d, f"{name}:{kind}") for name, (d, kind) in made.items()]


PLACES = ["Texas", "Oklahoma", "Kenya", "Colombia", "Iowa", "Fiji", "Chile", "Oman"]


def template_negatives(doc: dict, rng: random.Random) -> list[tuple[dict, str]]:
    """The same boilerplate for another subject, and the same text a year later."""
    # a name of the title (not its first word: a headline's first word is capitalised
    # whatever it is; the dedup title guard cannot tell it is a name, see docs/methodology.md)
    title_names = re.findall(r"\b[A-Z][a-z]{3,}\b", " ".join(doc["title"].split()[1:]))
    names = Counter(w for w in title_names if re.search(rf"\b{w}\b", doc["text"]))
    out = []
    if names:
        name = names.most_common(1)[0][0]
        other = rng.choice([p for p in PLACES if p != name])
        swap = re.compile(rf"\b{re.escape(name)}\b")
        out.append((_copy(doc, "refill", title=swap.sub(other, doc["title"]), text=swap.sub(other, doc["text"]),
                          url=None), "template:refill"))
    # a yearly renewal: the same text a year later, its years one on
    years = re.compile(r"\b(19|20)\d\d\b")
    if not years.search(doc["text"]):
        return out  # the very same text a year later is an exact copy, not a renewal
    out.append((_copy(doc, "renewal", published_date=doc["published_date"] + timedelta(days=365), url=None,
                      text=years.sub(lambda m: str(int(m.group(0)) + 1), doc["text"]),
                      title=years.sub(lambda m: str(int(m.group(0)) + 1), doc["title"])), "template:renewal"))
    return out


def real_template_pairs(docs: list[dict]) -> list[tuple[str, str]]:
    """Pairs of the corpus's documents that share a title pattern (names and numbers
    masked) but name different subjects, or repeat one title a year or more apart."""
    by_pattern = defaultdict(list)
    for d in docs:
        pattern = re.sub(r"\b[A-Z][\w'’.-]*|\d+", "#", d["title"]).strip()
        if pattern.count("#") >= 1 and len(pattern) > 12:
            by_pattern[pattern].append(d)
    pairs = []
    for group in by_pattern.values():
        group = sorted(group, key=lambda d: d["doc_id"])[:12]
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                apart = abs((a["published_date"] - b["published_date"]).days)
                if a["title"] != b["title"] or apart >= 300:
                    pairs.append((a["doc_id"], b["doc_id"]))
    return pairs


def banding_recall(docs: list[dict], sample: int, rng: random.Random) -> dict:
    """Share of pairs at each similarity that the LSH banding proposes, against an
    exhaustive pass over `sample` documents (and their copies)."""
    picked = rng.sample(docs, min(sample, len(docs)))
    _, sigs, sizes = dedup.signatures([dedup.dedup_text(d) for d in picked])
    bands, rows = dedup.lsh_params(min(dedup.THRESHOLD, dedup.CANDIDATE_THRESHOLD), sigs.shape[1])
    n = len(picked)
    j = (sigs[:, None, :] == sigs[None, :, :]).mean(axis=2)
    same_band = np.zeros((n, n), dtype=bool)
    for b in range(bands):
        band = sigs[:, b * rows:(b + 1) * rows]
        same_band |= (band[:, None, :] == band[None, :, :]).all(axis=2)
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    out = {}
    for lo in (0.8, 0.7, 0.6, 0.5):
        at = upper & (j >= lo) & (j < lo + 0.1)
        out[f"{lo:.1f}-{lo + 0.1:.1f}"] = {"pairs": int(at.sum()), "proposed": round(float(same_band[at].mean()), 3) if at.any() else None}
    return out


def evaluate(originals: list[dict], rng: random.Random, background: list[dict]) -> dict:
    docs, expect, negatives = list(background), [], []
    for doc in originals:
        docs.append(doc)
        for copy, tag in positives(doc, rng):
            docs.append(copy)
            expect.append((copy["doc_id"], doc["doc_id"], tag))
        for copy, tag in template_negatives(doc, rng):
            docs.append(copy)
            negatives.append((copy["doc_id"], doc["doc_id"], tag))
    negatives += [(a, b, "real:template") for a, b in real_template_pairs(background + originals)]
    found = dedup.classify(docs)
    root = {d["doc_id"]: found.get(d["doc_id"], (d["doc_id"],))[0] for d in docs}
    result: dict = {"documents": len(docs), "positives": {}, "negatives": {}}
    for copy, orig, tag in expect:
        name, kinds = tag.split(":")
        r = result["positives"].setdefault(name, {"pairs": 0, "found": 0, "kind_right": 0, "expected": kinds})
        r["pairs"] += 1
        if root[copy] == root[orig]:
            r["found"] += 1
            kind = found.get(copy, found.get(orig, (None, None)))[1]
            r["kind_right"] += kind in kinds.split("|")
    for a, b, tag in negatives:
        r = result["negatives"].setdefault(tag, {"pairs": 0, "merged": 0})
        r["pairs"] += 1
        r["merged"] += root[a] == root[b]
    pos = sum(r["pairs"] for r in result["positives"].values())
    result["recall"] = round(sum(r["found"] for r in result["positives"].values()) / max(pos, 1), 4)
    result["kind_accuracy"] = round(sum(r["kind_right"] for r in result["positives"].values())
                                    / max(sum(r["found"] for r in result["positives"].values()), 1), 4)
    neg = sum(r["pairs"] for r in result["negatives"].values())
    result["false_merge_rate"] = round(sum(r["merged"] for r in result["negatives"].values()) / max(neg, 1), 4)
    return result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="originals per split (copies are made of each)")
    ap.add_argument("--per-corpus", type=int, default=None, help="read at most this many records per corpus")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--split", choices=["dev", "test", "both"], default="both")
    args = ap.parse_args()
    if not all(p.exists() for p in CORPORA):
        print(f"needs the corpora in {SHARED}: skipped")
        return 0
    everything = real_documents(args.per_corpus or 10**9)
    out = {}
    for split in (["dev", "test"] if args.split == "both" else [args.split]):
        rng = random.Random(args.seed)
        mine = [d for d in everything if split_of(d["doc_id"]) == split]
        originals = rng.sample(mine, min(args.n, len(mine)))
        chosen = {d["doc_id"] for d in originals}
        background = [d for d in mine if d["doc_id"] not in chosen]
        res = evaluate(originals, rng, background)
        res["banding"] = banding_recall(originals + [c for o in originals[:40] for c, _ in positives(o, rng)], 600, rng)
        out[split] = res
        print(f"\n== {split}: {res['documents']} documents; recall {res['recall']}, kind accuracy {res['kind_accuracy']}, "
              f"false merges {res['false_merge_rate']}")
        for name, r in res["positives"].items():
            print(f"  {name:8s} {r['found']:4d}/{r['pairs']:4d} found, kind right {r['kind_right']:4d} ({r['expected']})")
        for name, r in res["negatives"].items():
            print(f"  {name:16s} {r['merged']:4d}/{r['pairs']:4d} merged")
        print("  LSH banding, share of pairs proposed:", res["banding"])
    save({"dedup_quality": out})
    return 0


if __name__ == "__main__":
    sys.exit(main())
