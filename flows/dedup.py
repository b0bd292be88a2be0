"""Deduplication across documents: exact (same normalised text) and near (MinHash
LSH over word shingles). Each cluster keeps one canonical document (earliest
published, then longest, then smallest doc_id); the others point at it with
`duplicate_of`. Nothing is dropped.

How near duplicates are found, and why it is fast:
- words: `\\w+` over the lower-cased title and text (the title is part of what a
  document says); shingles: every run of `SHINGLE` consecutive words;
- each distinct word is hashed once (blake2b, 64 bits), and a shingle's hash is
  mixed from its words' hashes with numpy, so no shingle string is ever built;
- MinHash signatures (`NUM_PERM` permutations) are computed by rensa (Rust), from
  those 64-bit shingle hashes;
- LSH banding (bands and rows chosen like datasketch's, for `threshold`) gives
  candidate pairs; every candidate is verified on its signatures (the share of
  equal MinHash values, an estimate of the shingles' Jaccard similarity) before
  it is merged, because banding lets some pairs below the threshold through.
Everything is content-hashed with fixed seeds: the same documents give the same
clusters on every run and in every process.

Only compact state is global: one hash and one MinHash signature per document.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import re
from datetime import date
from functools import lru_cache

import numpy as np
import pyarrow as pa
import rensa

THRESHOLD = 0.8  # estimated Jaccard similarity of word-shingle sets to call two documents near duplicates
NUM_PERM = 128
SHINGLE = 3  # words per shingle
MIN_SHINGLES = 5  # fewer distinct shingles: too short for a meaningful near-duplicate test
SEED = 1
PARALLEL_SLICE = 1000  # documents a worker process hashes at a time
_WORD = re.compile(r"\w+")
# odd 64-bit multipliers that mix word hashes into a shingle hash (order-sensitive)
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


def normalised(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def exact_key(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def shingles(words: list[str], k: int = SHINGLE) -> set[bytes]:
    """The shingle strings themselves (for reading; the index hashes them, see `shingle_hashes`)."""
    if len(words) < k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def _word_hash(word: str | bytes) -> int:
    data = word if isinstance(word, bytes) else word.encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


_ASCII_BYTES = bytes(range(128))
# ASCII bytes that are not word characters become spaces; bytes of non-ASCII
# characters stay (only word characters are left by then, see `_word_bytes`)
_NON_WORD_TO_SPACE = bytes(c if c >= 128 or chr(c).isalnum() or chr(c) == "_" else 32 for c in range(256))


def _word_bytes(text: str) -> list[bytes]:
    """`normalised(text)`, each word UTF-8 encoded, ~3x faster than the regex: the few
    distinct non-ASCII characters that are no word characters (`\\w`: alphanumeric or
    "_") become spaces by `str.replace`, the ASCII ones by one `bytes.translate`,
    and the words are what `bytes.split` leaves."""
    low = text.lower()
    if not low.isascii():
        others = low.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        for c in set(others):
            if not (c.isalnum() or c == "_"):
                low = low.replace(c, " ")
    return low.encode("utf-8").translate(_NON_WORD_TO_SPACE).split()


def shingle_hashes(words: list[str] | list[bytes], cache: dict | None = None, k: int = SHINGLE) -> np.ndarray:
    """Distinct 64-bit hashes of the document's k-word shingles (sorted). Fewer than
    k words: one shingle of all of them, as `shingles` does. A word may be given as
    its UTF-8 bytes (same hash); `cache` maps words to their hashes."""
    cache = {} if cache is None else cache
    if not words:
        return np.empty(0, dtype=np.uint64)
    try:
        c = np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))
    except KeyError:
        for w in words:
            if w not in cache:
                cache[w] = _word_hash(w)
        c = np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))
    if len(c) < k:
        k = len(c)
    n = len(c) - k + 1
    h = c[:n] ^ np.uint64(1)  # 0 * _MIX[0] + (c ^ 1): the first step of the loop below
    for j in range(1, k):  # wrapping multiply-add: numpy uint64 arithmetic is modulo 2**64
        h *= _MIX[j % len(_MIX)]
        h += c[j:j + n] ^ np.uint64(j + 1)
    # np.unique, without its ~50 µs of overhead per call (a sort and a mask: 8x faster here)
    h.sort()
    return h[np.concatenate(([True], h[1:] != h[:-1]))]


def signatures(texts: list[str], num_perm: int = NUM_PERM,
               cache: dict[bytes, int] | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """For each text: its exact key, its MinHash signature (a row of a uint32 matrix)
    and its number of distinct shingles. `cache`: word -> hash, kept by the caller
    (a word's hash depends on the word alone)."""
    cache = {} if cache is None else cache
    keys, sets = [], []
    for t in texts:
        words = _word_bytes(t)  # normalised(t), encoded
        keys.append(hashlib.sha256(b" ".join(words)).hexdigest())  # exact_key(normalised(t))
        sets.append(shingle_hashes(words, cache))
    sizes = np.array([len(s) for s in sets], dtype=np.int64)
    if not texts:
        return keys, np.empty((0, num_perm), dtype=np.uint32), sizes
    # rensa wants a token per set; an empty set gets a placeholder and is never compared (size 0)
    sets = [s if len(s) else np.zeros(1, dtype=np.uint64) for s in sets]
    rows = rensa.RMinHash.digest_matrix_from_token_hash_sets(sets, num_perm, SEED).to_rows()
    return keys, np.array(rows, dtype=np.uint32), sizes


_TEXTS: list[str] = []  # set before a pool forks (see `_signatures_parallel`)


# a worker process's word hashes, over all the slices it hashes (a fresh cache per
# slice hashed most of the vocabulary again for each one); gone with the process
_WORKER_WORDS: dict[bytes, int] = {}
WORD_CACHE_MAX = 5_000_000


def _signature_slice(args: tuple[int, int, int]) -> tuple[list[str], np.ndarray, np.ndarray]:
    lo, hi, num_perm = args
    return signatures(_TEXTS[lo:hi], num_perm, _WORKER_WORDS)


def _signatures_parallel(texts: list[str], num_perm: int, workers: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    if workers <= 1 or len(texts) < 4 * PARALLEL_SLICE or "fork" not in multiprocessing.get_all_start_methods():
        return signatures(texts, num_perm)
    global _TEXTS
    _TEXTS = texts
    try:
        bounds = [(i, min(i + PARALLEL_SLICE, len(texts)), num_perm) for i in range(0, len(texts), PARALLEL_SLICE)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_signature_slice, bounds)
    finally:
        _TEXTS = []
    return ([k for p in parts for k in p[0]], np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]))


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising the false positive and false negative areas with equal
    weights, as datasketch's MinHashLSH chooses them."""
    xs = np.linspace(0.0, 1.0, 1001)
    best, opt = float("inf"), (1, num_perm)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            p = 1.0 - (1.0 - xs ** r) ** b
            fp = np.trapezoid(np.where(xs < threshold, p, 0.0), xs)
            fn = np.trapezoid(np.where(xs >= threshold, 1.0 - p, 0.0), xs)
            if 0.5 * fp + 0.5 * fn < best:
                best, opt = 0.5 * fp + 0.5 * fn, (b, r)
    return opt


def candidate_pairs(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(i, j) with i < j, for rows of `sigs` that agree on all of some band."""
    n = len(sigs)
    found = []
    for b in range(bands):
        band = np.ascontiguousarray(sigs[:, b * rows:(b + 1) * rows])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * rows))).ravel()
        order = np.argsort(keys, kind="stable")
        k = keys[order]
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        ends = np.r_[starts[1:], n]
        for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1]):
            members = np.sort(order[s:e])
            ii, jj = np.triu_indices(len(members), 1)
            found.append(np.stack([members[ii], members[jj]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(found).astype(np.int64), axis=0)


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


def near_pairs(sigs: np.ndarray, sizes: np.ndarray, threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """Verified near-duplicate pairs (i, j, estimated Jaccard) among signature rows."""
    num_perm = sigs.shape[1] if sigs.ndim == 2 else NUM_PERM
    bands, rows = lsh_params(threshold, num_perm)
    ok = sizes >= MIN_SHINGLES
    idx = np.flatnonzero(ok)
    if len(idx) < 2:
        return []
    pairs = idx[candidate_pairs(sigs[idx], bands, rows)]
    out = []
    for lo in range(0, len(pairs), 100_000):  # verify in chunks: bounded memory
        p = pairs[lo:lo + 100_000]
        sim = (sigs[p[:, 0]] == sigs[p[:, 1]]).mean(axis=1)
        keep = sim >= threshold
        out.extend(zip(p[keep, 0].tolist(), p[keep, 1].tolist(), sim[keep].tolist()))
    return out


NEAR_MAX_DAYS = 31  # near duplicates published further apart are separate acts (yearly renewals)
_TITLE_WORD = re.compile(r"[\w'’-]+")


def same_subject(a: dict, b: dict) -> bool:
    """A near-duplicate pair by shingles that is one document, not one template
    filled twice: published within NEAR_MAX_DAYS of each other (when both dates
    are known), and titles (when both have one) that differ in no capitalised
    word ("Designating Colombia as a Major Non-NATO Ally" vs "... Kenya ...")."""
    da, db = a.get("published_date"), b.get("published_date")
    if da and db and abs((da - db).days) > NEAR_MAX_DAYS:
        return False
    ta, tb = a.get("title"), b.get("title")
    if ta and tb:
        wa, wb = set(_TITLE_WORD.findall(ta)), set(_TITLE_WORD.findall(tb))
        if any(w[:1].isupper() or w[:1].isdigit() for w in wa ^ wb):
            return False
    return True


def dedup_text(doc: dict) -> str:
    # the title is part of what a document says: "Putin met X" and "Putin met Y" pages
    # whose one-line text is the same boilerplate are different documents
    return (doc.get("title") or "") + "\n" + doc["text"]


# Columns a cleaned documents table carries for deduplication (made where the
# documents are cleaned, in the worker processes: the texts are never read again)
EXACT, SIGNATURE, SHINGLES = "_exact", "_signature", "_shingles"


def signature_columns(docs: list[dict], num_perm: int = NUM_PERM) -> dict[str, pa.Array]:
    """Per document: its exact key, MinHash signature and number of distinct shingles,
    as Arrow columns to add to its table. Word hashes are cached for the process."""
    if len(_WORKER_WORDS) > WORD_CACHE_MAX:  # a long-lived process (a scheduled server) starts afresh
        _WORKER_WORDS.clear()
    keys, sigs, sizes = signatures([dedup_text(d) for d in docs], num_perm, _WORKER_WORDS)
    flat = pa.array(sigs.reshape(-1), pa.uint32())
    return {EXACT: pa.array(keys, pa.string()), SIGNATURE: pa.FixedSizeListArray.from_arrays(flat, num_perm),
            SHINGLES: pa.array(sizes, pa.int64())}


def find_duplicates(docs: list[dict], threshold: float = THRESHOLD, num_perm: int = NUM_PERM,
                    workers: int = 1) -> dict[str, str]:
    """doc_id -> canonical doc_id for every document that duplicates another.

    `workers` > 1 hashes slices of the documents in that many forked processes
    (same result); not for a process that runs threads, such as Prefect's."""
    keys, sigs, sizes = _signatures_parallel([dedup_text(d) for d in docs], num_perm, workers)
    return cluster(docs, keys, sigs, sizes, threshold)


def duplicates_in(table: pa.Table, threshold: float = THRESHOLD) -> dict[str, str]:
    """`find_duplicates` over a documents table that carries `signature_columns`: no
    text is read."""
    if not table.num_rows:
        return {}
    docs = table.select(["doc_id", "published_date", "n_words", "title"]).to_pylist()
    sig = table[SIGNATURE].combine_chunks()
    sigs = sig.values.to_numpy().reshape(len(sig), sig.type.list_size)
    return cluster(docs, table[EXACT].to_pylist(), sigs, table[SHINGLES].to_numpy(), threshold)


def cluster(docs: list[dict], keys: list[str], sigs: np.ndarray, sizes: np.ndarray,
            threshold: float = THRESHOLD) -> dict[str, str]:
    """The duplicates among documents of known exact keys and signatures (rows of
    `sigs`, in the order of `docs`): doc_id -> canonical doc_id."""
    uf = _UnionFind()
    by_exact: dict[str, int] = {}
    reps = []
    for i, (d, key) in enumerate(zip(docs, keys)):
        if key in by_exact:
            uf.union(docs[by_exact[key]]["doc_id"], d["doc_id"])
        else:
            by_exact[key] = i
            reps.append(i)
    # near duplicates among the exact-distinct documents
    reps_a = np.array(reps, dtype=np.int64)
    if len(reps_a):
        for i, j, _ in near_pairs(sigs[reps_a], sizes[reps_a], threshold):
            a, b = docs[reps_a[i]], docs[reps_a[j]]
            if same_subject(a, b):
                uf.union(a["doc_id"], b["doc_id"])
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
