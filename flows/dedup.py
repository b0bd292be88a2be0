"""Deduplication across documents, as a reader sees it: `exact` copies (the same
body text, whatever the headline), `near` copies (the same article lightly edited
or republished) and `update`s (the same article rewritten with a new lede or
headline, or the same page under another URL). Each cluster keeps one canonical
document (earliest published, then longest, then smallest doc_id); the others
point at it with `duplicate_of`, say how with `duplicate_kind`, and carry their
estimated similarity to it. Nothing is dropped.

Template look-alikes (one boilerplate filled with another state, metal or border;
a yearly renewal of the same notice) are kept apart by what differs, not by a
threshold: titles that swap a name for another ("Designating Colombia ..." vs
"... Kenya ...": a name on each side that the other lacks) are two documents,
while titles that differ in numbers, case or an added outlet name ("6 dead" /
"8 dead", "New York Times: ...") are one; and near copies published further apart
than NEAR_MAX_DAYS are separate acts unless their text is all but the same.

How near duplicates are found, and why it is fast:
- words: `\\w+` over the lower-cased body text (with the title too when the body
  is shorter than SHORT_BODY_WORDS: a one-line boilerplate body says its facts in
  its headline); shingles: every run of `SHINGLE` consecutive words;
- each distinct word is hashed once (blake2b, 64 bits), and a shingle's hash is
  mixed from its words' hashes with numpy, so no shingle string is ever built;
- MinHash signatures (`NUM_PERM` permutations) are computed by rensa (Rust), from
  those 64-bit shingle hashes;
- LSH banding (bands and rows chosen like datasketch's, for CANDIDATE_THRESHOLD,
  below the thresholds that decide, so pairs at 0.84-0.91 are not missed) gives
  candidate pairs; every candidate is verified on its signatures (the share of
  equal MinHash values, an estimate of the shingles' Jaccard similarity, and from
  it and the shingle counts the share of the smaller document inside the larger)
  before it is merged.
Everything is content-hashed with fixed seeds: the same documents give the same
clusters on every run and in every process.

Only compact state is global: one hash and one MinHash signature per document.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import rensa

THRESHOLD = 0.8  # estimated Jaccard similarity of word-shingle sets to call two documents near duplicates
UPDATE_THRESHOLD = 0.5  # ... to call them one article rewritten (a new lede or headline, updated figures)
CONTAINMENT = 0.9  # ... or the share of the smaller one's shingles inside the larger (a story grown by paragraphs)
MIN_CONTAINED_SIMILARITY = 0.3  # containment alone is not enough below this (an excerpt of a long transcript)
CANDIDATE_THRESHOLD = 0.45  # LSH banding is tuned for this similarity: 25 bands of 5 rows propose a pair at 0.7 99% of the time, at 0.6 87%, at 0.5 55% (32 x 4 would reach 87% at 0.5 but made dedup twice as slow on the real corpus; bench/dedup_quality.py measures it)
SHORT_BODY_WORDS = 100  # a body shorter than this is keyed with its title (a stub or boilerplate: its facts are in the headline)
NUM_PERM = 128
SHINGLE = 3  # words per shingle
MIN_SHINGLES = 5  # fewer distinct shingles: too short for a meaningful near-duplicate test
SEED = 1
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


# a worker process's word hashes, over all the documents it hashes (a fresh cache per
# shard hashed most of the vocabulary again for each one); gone with the process
_WORKER_WORDS: dict[bytes, int] = {}
WORD_CACHE_MAX = 5_000_000


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
                  titles: "TitleIndex", threshold: float = THRESHOLD) -> np.ndarray:
    """A cluster label per row (the smallest row of its cluster): the connected
    components of the graph whose edges join two rows that agree on all of some LSH
    band (a candidate), are one article by their signatures (`_similar`: near, or an
    update) and are one document, not one template twice (`_one_subject`, on `days`,
    `undated` and `titles`). Rows with fewer than MIN_SHINGLES shingles join nothing.

    Exact, and linear in practice: a band's bucket whose rows are all in one cluster
    already adds nothing and is skipped; any other bucket is checked all pairs at
    once, in numpy (a million documents made of 46 copies each would otherwise be
    200 million candidate pairs, most of them checked again in every band)."""
    n = len(sigs)
    parent = np.arange(n, dtype=np.int64)
    idx = np.flatnonzero(sizes >= MIN_SHINGLES)
    if len(idx) < 2:
        return parent
    bands, rows = lsh_params(min(threshold, CANDIDATE_THRESHOLD), sigs.shape[1])
    pair = _Pairs(sigs, sizes, days, undated, titles, threshold)
    for b in range(bands):
        for members in _buckets(sigs[idx, b * rows:(b + 1) * rows], idx):
            roots = _find(parent, members)
            if (roots == roots[0]).all():
                continue
            label = _components(pair.edges(members))
            for c in np.unique(label):
                r = np.unique(roots[label == c])
                parent[r] = r[0]  # every root of the component under the smallest
                roots = _find(parent, members)
    return _find(parent, np.arange(n))


def _buckets(band: np.ndarray, idx: np.ndarray):
    """The rows (sorted) of each bucket of more than one row: rows whose band is equal."""
    band = np.ascontiguousarray(band)
    keys = band.view(np.dtype((np.void, band.dtype.itemsize * band.shape[1]))).ravel()
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    ends = np.r_[starts[1:], len(idx)]
    big = ends - starts > 1
    for s, e in zip(starts[big].tolist(), ends[big].tolist()):
        yield np.sort(idx[order[s:e]])


EDGE_ROWS = 256  # rows of a bucket's pairs checked at a time (bounded memory for a huge bucket)


def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of shingle sets: the share of equal MinHash values."""
    return (sig_a == sig_b).mean(axis=-1)


def containment(j: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Estimated share of the smaller set inside the larger, from the Jaccard estimate
    `j` and the set sizes: |A∩B| = j(|A|+|B|)/(1+j)."""
    return j * (size_a + size_b) / ((1 + j) * np.maximum(np.minimum(size_a, size_b), 1))


def is_similar(j, c, threshold: float = THRESHOLD):
    """One article by its shingles: near (≥ threshold), rewritten (≥ UPDATE_THRESHOLD),
    or the smaller one all inside the larger (an update grown by paragraphs)."""
    return (j >= min(threshold, UPDATE_THRESHOLD)) | ((c >= CONTAINMENT) & (j >= MIN_CONTAINED_SIMILARITY))


class _Pairs:
    """The pair tests of `near_clusters`, over the arrays of one run."""

    def __init__(self, sigs, sizes, days, undated, titles: "TitleIndex", threshold: float):
        self.sigs, self.sizes, self.days, self.undated = sigs, sizes.astype(np.float64), days, undated
        self.titles, self.threshold = titles, threshold

    def edges(self, m: np.ndarray) -> np.ndarray:
        """The adjacency matrix of bucket rows `m`."""
        out = np.zeros((len(m), len(m)), dtype=bool)
        for lo in range(0, len(m), EDGE_ROWS):
            a = m[lo:lo + EDGE_ROWS]
            j = similarity(self.sigs[a][:, None, :], self.sigs[m][None, :, :])
            c = containment(j, self.sizes[a][:, None], self.sizes[m][None, :])
            ok = is_similar(j, c, self.threshold) & self._close(a, m, j, self.threshold)
            out[lo:lo + EDGE_ROWS] = ok & self.titles.compatible(a, m, ok, self._within_days(a, m))
        return out

    def _within_days(self, a: np.ndarray, m: np.ndarray) -> np.ndarray:
        """Pairs published within UPDATE_MAX_DAYS (or not both dated): an update may change numbers."""
        dated = ~self.undated[a][:, None] & ~self.undated[m][None, :]
        return ~dated | (np.abs(self.days[a][:, None] - self.days[m][None, :]) <= UPDATE_MAX_DAYS)

    def _close(self, a: np.ndarray, m: np.ndarray, j: np.ndarray, threshold: float) -> np.ndarray:
        """Published close enough to be one act (when both dates are known): see `close_enough`."""
        dated = ~self.undated[a][:, None] & ~self.undated[m][None, :]
        return ~dated | close_enough(np.abs(self.days[a][:, None] - self.days[m][None, :]), j, threshold)


def close_enough(apart, j, threshold: float = THRESHOLD):
    """Days apart that still make one act: an update within UPDATE_MAX_DAYS, a near
    copy within NEAR_MAX_DAYS, the same text republished within REPUBLISHED_MAX_DAYS."""
    return (((apart <= UPDATE_MAX_DAYS)) | ((apart <= NEAR_MAX_DAYS) & (j >= threshold))
            | ((apart <= REPUBLISHED_MAX_DAYS) & (j >= REPUBLISHED_SIMILARITY)))


def _components(adj: np.ndarray) -> np.ndarray:
    """Connected components of a small dense graph: each node's smallest reachable node."""
    label = np.arange(len(adj))
    adj = adj | adj.T | np.eye(len(adj), dtype=bool)
    while True:
        new = np.where(adj, label[None, :], len(adj)).min(axis=1)
        if np.array_equal(new, label):
            return label
        label = new


NEAR_MAX_DAYS = 31  # near duplicates published further apart are separate acts (yearly renewals) ...
REPUBLISHED_MAX_DAYS = 183  # ... unless their text is all but the same: a republication months later
REPUBLISHED_SIMILARITY = 0.95  # (monthly legal memos of one template reach 0.92)
UPDATE_MAX_DAYS = 3  # an update (below the near threshold) comes within days; later, one template filled again
_TITLE_WORD = re.compile(r"[\w'’-]+")


def title_names(title: str | None) -> tuple[frozenset, frozenset, tuple, frozenset] | None:
    """(the title's names, all its words, its word sequence, its numbers), lower-cased:
    names are the capitalised words after the first (a headline's first word is
    capitalised whatever it is) that hold no digit; numbers are the words that do."""
    if not title:
        return None
    words = _TITLE_WORD.findall(title)
    names = frozenset(w.lower() for w in words[1:] if _is_name(w))
    numbers = frozenset(w for w in words if any(ch.isdigit() for ch in w))
    return names, frozenset(w.lower() for w in words), tuple(words), numbers


def _is_name(word: str) -> bool:
    return word[:1].isupper() and not any(ch.isdigit() for ch in word)


def _one_template(a: tuple, b: tuple) -> bool:
    """Two titles that are one word sequence with names put in different places: a
    template filled twice ("November 2022 Visitor Log Records Posted" / "October
    2022 ..."): same length, and every word that differs is a name or a number, one
    of them a name, the first word included."""
    if len(a) != len(b) or a == b:
        return False
    diff = [(x, y) for x, y in zip(a, b) if x.lower() != y.lower()]
    numbers = all(any(ch.isdigit() for ch in x) or any(ch.isdigit() for ch in y) for x, y in diff)
    return not numbers and all(_is_name(x) or _is_name(y) or any(ch.isdigit() for ch in x + y) for x, y in diff)


def titles_compatible(a: str | None, b: str | None, numbers_may_change: bool = True) -> bool:
    """Two titles of one document: not a name swapped for another (each title has a
    name the other lacks: "Designating Colombia ..." / "Designating Kenya ...", or one
    template filled twice: `_one_template`). Case and a name added on one side only
    ("New York Times: ...") pass; so do changed numbers ("6 dead" / "8 dead") when
    `numbers_may_change` (an update within days), else numbers are names too
    ("Section 506" / "Section 614", "2021 Annual Report" / "2024 ...")."""
    ta, tb = title_names(a), title_names(b)
    if ta is None or tb is None:
        return True
    return _compatible(ta, tb, numbers_may_change)


def _compatible(ta: tuple, tb: tuple, numbers_may_change: bool) -> bool:
    if not numbers_may_change and ta[3] - tb[3] and tb[3] - ta[3]:
        return False
    return not ((ta[0] - tb[1] and tb[0] - ta[1]) or _one_template(ta[2], tb[2]))


def same_subject(a: dict, b: dict, similar: float = THRESHOLD) -> bool:
    """A pair `similar` by shingles that is one document, not one template filled
    twice: published close enough (`close_enough`, when both dates are known), with
    compatible titles."""
    da, db = a.get("published_date"), b.get("published_date")
    apart = abs((da - db).days) if da and db else None
    if apart is not None and not close_enough(apart, similar):
        return False
    return titles_compatible(a.get("title"), b.get("title"), apart is None or apart <= UPDATE_MAX_DAYS)


class TitleIndex:
    """Titles as codes (one code per distinct title), and `titles_compatible` of two
    codes, decided once per pair of codes and only for the pairs asked about: most
    titles are never compared."""

    def __init__(self, titles: list[str | None] | pa.Array):
        arr = titles if isinstance(titles, pa.Array) else pa.array(titles, pa.string())
        enc = arr.dictionary_encode()
        self._titles = enc.dictionary.to_pylist()
        self.codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        self.codes[np.isin(self.codes, [i for i, s in enumerate(self._titles) if not s])] = -1
        self._keys: dict[int, tuple] = {}
        self._decided: dict[tuple[int, int, bool], bool] = {}

    def _key(self, code: int) -> tuple:
        if code not in self._keys:
            self._keys[code] = title_names(self._titles[code])
        return self._keys[code]

    def _ok(self, x: int, y: int, numbers_may_change: bool) -> bool:
        if (x, y, numbers_may_change) not in self._decided:
            self._decided[(x, y, numbers_may_change)] = _compatible(self._key(x), self._key(y), numbers_may_change)
        return self._decided[(x, y, numbers_may_change)]

    def compatible(self, a: np.ndarray, m: np.ndarray, ask: np.ndarray, numbers_may_change=None) -> np.ndarray:
        """For rows `a` x rows `m`: compatible titles (decided only where `ask`);
        `numbers_may_change`: a matrix of the pairs whose titles' numbers may differ
        (None: all)."""
        ca, cm = self.codes[a][:, None], self.codes[m][None, :]
        out = (ca < 0) | (cm < 0) | (ca == cm)
        for i, k in zip(*np.nonzero(ask & ~out)):
            loose = True if numbers_may_change is None else bool(numbers_may_change[i, k])
            out[i, k] = self._ok(int(ca[i, 0]), int(cm[0, k]), loose)
        return out


def dedup_text(doc: dict) -> str:
    """What a document's exact key and shingles are made of: its body text. A short
    body ("The President held a meeting.") is keyed with its title: a one-line
    boilerplate says its facts in the headline, and two such pages are different."""
    text = doc["text"]
    if len(text.split(None, SHORT_BODY_WORDS)) <= SHORT_BODY_WORDS:
        return (doc.get("title") or "") + "\n" + text
    return text


_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid|ocid|icid|outputtype|amp)$", re.I)


def canonical_url(url: str | None) -> str | None:
    """One key for the addresses of one page: no scheme, no `www.`, no trailing slash,
    no fragment, no tracking parameters, no AMP marker (`/amp`, `.amp`, `amp.` host)."""
    if not url or "://" not in url:
        return None
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("amp.")
    if not host:
        return None
    path = re.sub(r"(/amp/?|\.amp)$", "", parts.path).rstrip("/") or "/"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)))
    return host + path + ("?" + query if query else "")


# Columns a cleaned documents table carries for deduplication (made where the
# documents are cleaned, in the worker processes: the texts are never read again)
EXACT, SIGNATURE, SHINGLES = "_exact", "_signature", "_shingles"
# what deduplication adds to the documents table
DUPLICATE_COLUMNS = {"duplicate_of": pa.string(), "duplicate_kind": pa.string(), "duplicate_similarity": pa.float64()}


def signature_columns(docs: list[dict], num_perm: int = NUM_PERM) -> dict[str, pa.Array]:
    """Per document: its exact key, MinHash signature and number of distinct shingles,
    as Arrow columns to add to its table. Word hashes are cached for the process."""
    if len(_WORKER_WORDS) > WORD_CACHE_MAX:  # a long-lived process (a scheduled server) starts afresh
        _WORKER_WORDS.clear()
    keys, sigs, sizes = signatures([dedup_text(d) for d in docs], num_perm, _WORKER_WORDS)
    flat = pa.array(sigs.reshape(-1), pa.uint32())
    return {EXACT: pa.array(keys, pa.string()), SIGNATURE: pa.FixedSizeListArray.from_arrays(flat, num_perm),
            SHINGLES: pa.array(sizes, pa.int64())}


def _doc_table(docs: list[dict], num_perm: int) -> tuple[pa.Table, np.ndarray]:
    keys, sigs, sizes = signatures([dedup_text(d) for d in docs], num_perm)
    table = pa.table({"doc_id": pa.array([d["doc_id"] for d in docs], pa.string()),
                      "published_date": pa.array([d.get("published_date") for d in docs], pa.date32()),
                      "n_words": pa.array([d["n_words"] for d in docs], pa.int64()),
                      "title": pa.array([d.get("title") for d in docs], pa.string()),
                      "url": pa.array([d.get("url") for d in docs], pa.string()),
                      "post_number": pa.array([d.get("post_number") for d in docs], pa.int32()),
                      EXACT: pa.array(keys, pa.string()), SHINGLES: pa.array(sizes, pa.int64())})
    return table, sigs


def find_duplicates(docs: list[dict], threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> dict[str, str]:
    """doc_id -> canonical doc_id for every document that duplicates another."""
    return {d: c for d, (c, _, _) in classify(docs, threshold, num_perm).items()}


def classify(docs: list[dict], threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> dict[str, tuple]:
    """doc_id -> (canonical doc_id, kind, similarity) for every duplicate."""
    table, sigs = _doc_table(docs, num_perm)
    cols = duplicate_columns(table, threshold, sigs)
    ids = table["doc_id"].to_pylist()
    return {i: (c, k, s) for i, c, k, s in zip(ids, cols["duplicate_of"].to_pylist(), cols["duplicate_kind"].to_pylist(),
                                               cols["duplicate_similarity"].to_pylist()) if c is not None}


def duplicates_in(table: pa.Table, threshold: float = THRESHOLD, sigs=None) -> pa.Array:
    """The `duplicate_of` column of `duplicate_columns`."""
    return duplicate_columns(table, threshold, sigs)["duplicate_of"]


def duplicate_columns(table: pa.Table, threshold: float = THRESHOLD, sigs=None) -> dict[str, pa.Array]:
    """`duplicate_of`, `duplicate_kind` and `duplicate_similarity` (null for a canonical
    document) of a documents table that carries `signature_columns`: no text is read.
    `sigs`, when the table does not carry the signatures: a function of row numbers
    (None: every row) giving theirs, or the matrix itself."""
    if not table.num_rows:
        return {name: pa.array([], t) for name, t in DUPLICATE_COLUMNS.items()}
    if sigs is None:
        sig = table[SIGNATURE].combine_chunks()
        sigs = sig.values.to_numpy().reshape(len(sig), sig.type.list_size)
    c = clusters(table, sigs, table[SHINGLES].to_numpy(), threshold)
    dup = c.canonical != np.arange(table.num_rows)
    of = pc.if_else(pa.array(dup), table["doc_id"].take(pa.array(c.canonical)), pa.scalar(None, pa.string()))
    kind, sim = c.kinds(threshold)
    return {"duplicate_of": of,
            "duplicate_kind": pa.array(np.where(dup, kind, None), pa.string()),
            "duplicate_similarity": pa.array(np.where(dup, sim, np.nan), pa.float64(), mask=~dup)}


class Clusters:
    """Rows in clusters: each row's exact group (the first row of its exact key), its
    cluster's canonical row, and the signatures of the groups' first rows."""

    def __init__(self, group: np.ndarray, canonical: np.ndarray, reps: np.ndarray, rep_sigs: np.ndarray,
                 same_url: np.ndarray):
        self.group, self.canonical, self.reps, self.rep_sigs, self.same_url = group, canonical, reps, rep_sigs, same_url

    def kinds(self, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """Per row, how it duplicates its canonical document, and how similar it is:
        `exact` (the same body text: 1.0), `near` (≥ threshold) or `update`. Signatures
        are compared only for the duplicates that are not exact, KIND_ROWS at a time
        (a million near copies would otherwise gather two copies of every signature)."""
        exact = self.group == self.group[self.canonical]
        sim = np.ones(len(self.group))
        todo = np.flatnonzero(~exact)
        for lo in range(0, len(todo), KIND_ROWS):
            rows = todo[lo:lo + KIND_ROWS]
            mine = np.searchsorted(self.reps, self.group[rows])
            theirs = np.searchsorted(self.reps, self.group[self.canonical[rows]])
            sim[rows] = similarity(self.rep_sigs[mine], self.rep_sigs[theirs])
        kind = np.where(exact, "exact", np.where(sim >= threshold, "near", "update"))
        return kind.astype(object), np.round(sim, 4)


KIND_ROWS = 65_536  # duplicates whose similarity is computed at a time


def canonical_rows(table: pa.Table, sigs, sizes: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """For each row, the row of its cluster's canonical document (see `clusters`)."""
    return clusters(table, sigs, sizes, threshold).canonical


def clusters(table: pa.Table, sigs, sizes: np.ndarray, threshold: float = THRESHOLD) -> Clusters:
    """Clusters of a table of doc_id, published_date, n_words, title (url when it has
    one) and the exact key, with its signatures (a matrix, or a function of rows,
    None: all). Columns and numpy arrays throughout: a million documents are never a
    million Python objects, and only the signatures of one document per exact key
    are held."""
    n = table.num_rows
    # exact duplicates: the first row of each exact key stands for its group
    codes = table[EXACT].combine_chunks().dictionary_encode().indices.to_numpy()
    _, first = np.unique(codes, return_index=True)
    group = first[codes]
    reps = np.unique(group)
    days = table["published_date"].cast(pa.int32())
    undated = days.is_null().to_numpy(zero_copy_only=False)
    days = pc.fill_null(days, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    every = len(reps) == n  # no exact duplicates: no copy of the signatures (512 bytes a row)
    if callable(sigs):
        rep_sigs = sigs(None if every else reps)
    else:
        rep_sigs = sigs if every else sigs[reps]
    titles = TitleIndex(table["title"].take(pa.array(reps)).combine_chunks())
    near = near_clusters(rep_sigs, sizes[reps], days[reps], undated[reps], titles, threshold)
    cluster = reps[near][np.searchsorted(reps, group)]
    cluster, same_url = _join_same_url(table, cluster)
    return Clusters(group, _canonical(table, cluster, days, undated), reps, rep_sigs, same_url)


def _join_same_url(table: pa.Table, cluster: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clusters joined where documents are one page under two addresses (the same
    canonical URL; not forum posts, whose `url` is the article they quote)."""
    same = np.zeros(len(cluster), dtype=bool)
    rows = _rows_sharing_a_page(table)
    if not rows:
        return cluster, same
    parent = {int(c): int(c) for c in np.unique(cluster)}

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for group in rows:
        same[group] = True
        roots = sorted({root(int(cluster[r])) for r in group})
        for r in roots[1:]:
            parent[r] = roots[0]
    return np.array([root(int(c)) for c in cluster], dtype=np.int64), same


def _rows_sharing_a_page(table: pa.Table) -> list[list[int]]:
    """Groups of rows (two or more) with one canonical URL. A cheap key made in Arrow
    (no scheme, `www.`/`amp.`, query, fragment or trailing slash) finds the few rows
    that may share a page; `canonical_url` decides among those."""
    if "url" not in table.column_names:
        return []
    url = pc.utf8_lower(table["url"].combine_chunks().cast(pa.string()))
    if "post_number" in table.column_names:
        url = pc.if_else(table["post_number"].combine_chunks().is_valid(), pa.scalar(None, pa.string()), url)
    rough = pc.replace_substring_regex(url, r"^[a-z]+://(www\.|amp\.)?", "")
    rough = pc.replace_substring_regex(rough, r"[?#].*$", "")
    rough = pc.replace_substring_regex(rough, r"(/amp/?|\.amp)?/*$", "")
    valid = pc.is_valid(rough).to_numpy(zero_copy_only=False)
    codes = pc.fill_null(rough.dictionary_encode().indices, 0).to_numpy(zero_copy_only=False)
    counts = np.bincount(codes[valid], minlength=1) if valid.any() else np.zeros(1, dtype=np.int64)
    maybe = np.flatnonzero(valid & (counts[np.where(valid, codes, 0)] > 1))
    urls = table["url"].take(pa.array(maybe)).to_pylist()
    by_url: dict[str, list[int]] = {}
    for i, u in zip(maybe.tolist(), urls):
        key = canonical_url(u)
        if key:
            by_url.setdefault(key, []).append(i)
    return [group for group in by_url.values() if len(group) > 1]


def _canonical(table: pa.Table, cluster: np.ndarray, days: np.ndarray, undated: np.ndarray) -> np.ndarray:
    """The canonical row of each row's cluster: the earliest published, then the
    longest, then the smallest doc_id."""
    n = table.num_rows
    id_rank = np.empty(n, dtype=np.int64)
    id_rank[pc.sort_indices(table["doc_id"]).to_numpy()] = np.arange(n)
    order = np.lexsort((id_rank, -table["n_words"].to_numpy().astype(np.int64), days, undated, cluster))
    starts = np.r_[True, cluster[order][1:] != cluster[order][:-1]]
    best = np.empty(n, dtype=np.int64)
    best[cluster[order[starts]]] = order[starts]
    return best[cluster]


def mark_duplicates(docs: list[dict], **kw) -> list[dict]:
    """The same documents, with `duplicate_of`, `duplicate_kind` and
    `duplicate_similarity` set on every non-canonical one."""
    dup = classify(docs, **kw)
    for d in docs:
        d["duplicate_of"], d["duplicate_kind"], d["duplicate_similarity"] = dup.get(d["doc_id"], (None, None, None))
    return docs
