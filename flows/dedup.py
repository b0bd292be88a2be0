"""Deduplication across documents: exact (same normalised text) and near (MinHash
LSH over word shingles, datasketch). Each cluster keeps one canonical document
(earliest published, then longest, then smallest doc_id); the others point at it
with `duplicate_of`. Nothing is dropped.

Only compact state is global: one hash and one MinHash signature per document.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date

from datasketch import MinHash, MinHashLSH

THRESHOLD = 0.8  # estimated Jaccard similarity of word-shingle sets to call two documents near duplicates
NUM_PERM = 128
SHINGLE = 3  # words per shingle
_WORD = re.compile(r"\w+")


def normalised(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def exact_key(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def shingles(words: list[str], k: int = SHINGLE) -> set[bytes]:
    if len(words) < k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def _rank(doc: dict) -> tuple:
    d = doc.get("published_date")
    return (d is None, d or date.max, -doc["n_words"], doc["doc_id"])


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_duplicates(docs: list[dict], threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> dict[str, str]:
    """doc_id -> canonical doc_id for every document that duplicates another."""
    uf = _UnionFind()
    by_exact: dict[str, str] = {}
    # the title is part of what a document says: "Putin met X" and "Putin met Y" pages
    # whose one-line text is the same boilerplate are different documents
    words = {d["doc_id"]: normalised((d.get("title") or "") + "\n" + d["text"]) for d in docs}
    for d in docs:
        key = exact_key(words[d["doc_id"]])
        if key in by_exact:
            uf.union(by_exact[key], d["doc_id"])
        else:
            by_exact[key] = d["doc_id"]
    # near duplicates among the exact-distinct documents
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    ids = sorted(by_exact.values())
    sets = [shingles(words[i]) for i in ids]
    sigs = MinHash.bulk(sets, num_perm=num_perm, seed=1)
    # LSH returns candidates; each is verified on its signature before merging,
    # because banding lets some pairs below the threshold through.
    sig_of: dict[str, MinHash] = {}
    for doc_id, sig, sh in zip(ids, sigs, sets):
        if len(sh) < 5:  # too short for a meaningful near-duplicate test
            continue
        for other in lsh.query(sig):
            if sig.jaccard(sig_of[other]) >= threshold:
                uf.union(other, doc_id)
        lsh.insert(doc_id, sig)
        sig_of[doc_id] = sig
    clusters: dict[str, list[dict]] = {}
    for d in docs:
        clusters.setdefault(uf.find(d["doc_id"]), []).append(d)
    out: dict[str, str] = {}
    for members in clusters.values():
        if len(members) < 2:
            continue
        canonical = min(members, key=_rank)["doc_id"]
        for m in members:
            if m["doc_id"] != canonical:
                out[m["doc_id"]] = canonical
    return out


def mark_duplicates(docs: list[dict], **kw) -> list[dict]:
    """The same documents, with `duplicate_of` set on every non-canonical one."""
    dup = find_duplicates(docs, **kw)
    for d in docs:
        d["duplicate_of"] = dup.get(d["doc_id"])
    return docs
