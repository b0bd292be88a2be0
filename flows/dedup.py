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
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
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


def _find(parent: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Roots of rows `x` in a union-find forest held as an array of parents."""
    r = parent[x]
    while True:
        up = parent[r]
        if np.array_equal(up, r):
            return r
        r = up


def near_clusters(sigs: np.ndarray, sizes: np.ndarray, days: np.ndarray, undated: np.ndarray,
                  titles: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """A cluster label per row (the smallest row of its cluster): the connected
    components of the graph whose edges join two rows that agree on all of some LSH
    band (a candidate), have signatures that agree on at least `threshold` of their
    values (banding lets some pairs below it through), and are one document, not
    one template twice (`same_subject`, computed on `days`, `undated` and `titles`:
    a code per title's capitalised words, -1 for none). Rows with fewer than
    MIN_SHINGLES shingles join nothing.

    Exact, and linear in practice: a band's bucket whose rows are all in one cluster
    already adds nothing and is skipped; any other bucket is checked all pairs at
    once, in numpy (a million documents made of 46 copies each would otherwise be
    200 million candidate pairs, most of them checked again in every band)."""
    n = len(sigs)
    parent = np.arange(n, dtype=np.int64)
    idx = np.flatnonzero(sizes >= MIN_SHINGLES)
    if len(idx) < 2:
        return parent
    bands, rows = lsh_params(threshold, sigs.shape[1])
    for b in range(bands):
        band = np.ascontiguousarray(sigs[idx, b * rows:(b + 1) * rows])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * rows))).ravel()
        order = np.argsort(keys, kind="stable")
        k = keys[order]
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
        ends = np.r_[starts[1:], len(idx)]
        big = ends - starts > 1
        for s, e in zip(starts[big].tolist(), ends[big].tolist()):
            members = np.sort(idx[order[s:e]])
            roots = _find(parent, members)
            if (roots == roots[0]).all():
                continue
            label = _components(_edges(sigs, days, undated, titles, members, threshold))
            for c in np.unique(label):
                r = np.unique(roots[label == c])
                parent[r] = r[0]  # every root of the component under the smallest
                roots = _find(parent, members)
    return _find(parent, np.arange(n))


EDGE_ROWS = 256  # rows of a bucket's pairs checked at a time (bounded memory for a huge bucket)


def _edges(sigs, days, undated, titles, m: np.ndarray, threshold: float) -> np.ndarray:
    """The adjacency matrix of bucket rows `m`: near by signature and `same_subject`."""
    out = np.zeros((len(m), len(m)), dtype=bool)
    for lo in range(0, len(m), EDGE_ROWS):
        a = m[lo:lo + EDGE_ROWS]
        near = (sigs[a][:, None, :] == sigs[m][None, :, :]).mean(axis=2) >= threshold
        dated = ~undated[a][:, None] & ~undated[m][None, :]
        close = ~dated | (np.abs(days[a][:, None] - days[m][None, :]) <= NEAR_MAX_DAYS)
        titled = (titles[a][:, None] >= 0) & (titles[m][None, :] >= 0)
        same_title = ~titled | (titles[a][:, None] == titles[m][None, :])
        out[lo:lo + EDGE_ROWS] = near & close & same_title
    return out


def _components(adj: np.ndarray) -> np.ndarray:
    """Connected components of a small dense graph: each node's smallest reachable node."""
    label = np.arange(len(adj))
    adj = adj | adj.T | np.eye(len(adj), dtype=bool)
    while True:
        new = np.where(adj, label[None, :], len(adj)).min(axis=1)
        if np.array_equal(new, label):
            return label
        label = new


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


def title_codes(titles: pa.Array) -> np.ndarray:
    """Per title, a code for its set of capitalised (or digit-initial) words: two titles
    pass `same_subject`'s title test exactly when their codes are equal (the words
    they do not share are all lower case). -1 for no title (any title passes)."""
    codes: dict[frozenset, int] = {}
    out = np.full(len(titles), -1, dtype=np.int64)
    for i, t in enumerate(titles.to_pylist()):
        if t:
            caps = frozenset(w for w in _TITLE_WORD.findall(t) if w[:1].isupper() or w[:1].isdigit())
            out[i] = codes.setdefault(caps, len(codes))
    return out


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
    table = pa.table({"doc_id": pa.array([d["doc_id"] for d in docs], pa.string()),
                      "published_date": pa.array([d.get("published_date") for d in docs], pa.date32()),
                      "n_words": pa.array([d["n_words"] for d in docs], pa.int64()),
                      "title": pa.array([d.get("title") for d in docs], pa.string()),
                      EXACT: pa.array(keys, pa.string())})
    canonical = canonical_rows(table, sigs, sizes, threshold)
    ids = table["doc_id"].to_pylist()
    return {ids[i]: ids[c] for i, c in enumerate(canonical.tolist()) if c != i}


def duplicates_in(table: pa.Table, threshold: float = THRESHOLD, sigs=None) -> pa.Array:
    """The `duplicate_of` column of a documents table that carries `signature_columns`
    (null for a canonical document): no text is read. `sigs`, when the table does not
    carry the signatures: a function of row numbers (None: every row) giving theirs."""
    if not table.num_rows:
        return pa.array([], pa.string())
    if sigs is None:
        sig = table[SIGNATURE].combine_chunks()
        sigs = sig.values.to_numpy().reshape(len(sig), sig.type.list_size)
    canonical = canonical_rows(table, sigs, table[SHINGLES].to_numpy(), threshold)
    dup = canonical != np.arange(table.num_rows)
    return pc.if_else(pa.array(dup), table["doc_id"].take(pa.array(canonical)), pa.scalar(None, pa.string()))


def canonical_rows(table: pa.Table, sigs, sizes: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """For each row of a table of doc_id, published_date, n_words, title and the exact
    key, with its signature (a row of `sigs`, or of what `sigs(rows)` gives for some
    rows, None: all): the row of its cluster's canonical document (itself when it is
    one). Columns and numpy arrays throughout: a million documents are never a
    million Python objects, and only the signatures of one document per exact key
    are held."""
    n = table.num_rows
    if not n:
        return np.empty(0, dtype=np.int64)
    # exact duplicates: the first row of each exact key stands for its group
    codes = table[EXACT].combine_chunks().dictionary_encode().indices.to_numpy()
    _, first = np.unique(codes, return_index=True)
    group = first[codes]
    reps = np.unique(group)
    # near duplicates among the groups' first rows, when one document, not one template twice
    days = table["published_date"].cast(pa.int32())
    undated = days.is_null().to_numpy(zero_copy_only=False)
    days = pc.fill_null(days, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    every = len(reps) == n  # no exact duplicates: no copy of the signatures (512 bytes a row)
    if callable(sigs):
        rep_sigs = sigs(None if every else reps)
    else:
        rep_sigs = sigs if every else sigs[reps]
    near = near_clusters(rep_sigs, sizes[reps], days[reps], undated[reps],
                         title_codes(table["title"].take(pa.array(reps))), threshold)
    cluster = reps[near][np.searchsorted(reps, group)]
    # canonical: the earliest published, then the longest, then the smallest doc_id
    id_rank = np.empty(n, dtype=np.int64)
    id_rank[pc.sort_indices(table["doc_id"]).to_numpy()] = np.arange(n)
    order = np.lexsort((id_rank, -table["n_words"].to_numpy().astype(np.int64), days, undated, cluster))
    starts = np.r_[True, cluster[order][1:] != cluster[order][:-1]]
    best = np.empty(n, dtype=np.int64)
    best[cluster[order[starts]]] = order[starts]
    return best[cluster]


def mark_duplicates(docs: list[dict], **kw) -> list[dict]:
    """The same documents, with `duplicate_of` set on every non-canonical one."""
    dup = find_duplicates(docs, **kw)
    for d in docs:
        d["duplicate_of"] = dup.get(d["doc_id"])
    return docs
