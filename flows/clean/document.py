"""Clean: raw records in, `documents` rows out (before deduplication).

Repair the text, split forum threads into posts, drop site chrome and repeated
paragraphs (`lines`), then read the title, date, outlet and language (`metadata`).
"""
from __future__ import annotations

import hashlib
import multiprocessing
from collections import Counter

import numpy as np

from flows.clean import forum
from flows.clean.lines import (
    REPEAT_MIN_DOCS,
    REPEAT_MIN_SHARE,
    _non_sentences,
    _norm_lines,
    _strip_chrome,
    dedup_paragraphs,
    repeated_lines,
)
from flows.clean.markdown import _LEADING_META, looks_markdown, strip_markdown, unwrap
from flows.clean.metadata import (
    _published,
    detect_language,
    doc_id_for,
    licence_from_url,
    outlet_from_dateline,
    outlet_from_url,
    split_title,
)
from flows.clean.normalize import repair, strip_html_tags

PARALLEL_SLICE = 250  # records a worker process cleans at a time


def _document(rec: dict, uri: str, lines: list[str], raw_for_date: str, extra: dict, **over) -> dict | None:
    title = rec.get("title")
    if title is None:
        title, lines = split_title(lines)
    text = "\n".join(lines).strip()
    if not text:
        return None
    if over.get("published"):  # a forum post's own date line
        pub, how = over["published"], "explicit"
    else:
        pub, how = _published(rec.get("date"), text, raw_for_date)
    url = over.get("url") or rec.get("url") or (extra["urls"][0] if extra.get("urls") else None)
    source_name = (rec.get("source_name") or outlet_from_dateline(text)
                   or extra.get("source_line") or outlet_from_url(url))
    return {
        "doc_id": doc_id_for(uri),
        "source_uri": uri,
        "parent_uri": over.get("parent_uri", rec.get("parent_uri")),
        "url": url,
        "source_name": source_name,
        "title": title.strip() if title else None,
        "author": over.get("author") or rec.get("author"),
        "published_date": pub,
        "published_date_source": how,
        "language": detect_language(text),
        "text": text,
        "n_words": len(text.split()),
        "content_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "duplicate_of": None,
        "post_number": over.get("post_number"),
        "source_format": rec["source_format"],
        # a forum post quoting an article is the forum's text, not the outlet's: unknown
        "licence": "unknown" if over.get("forum") else licence_from_url(url),
    }


def clean_record(rec: dict, repeated: set[str] = frozenset()) -> tuple[list[dict], list[dict]]:
    """Documents and rejects from one raw record (a thread gives one document per post)."""
    text = strip_html_tags(repair(rec["raw"]))
    markdown = looks_markdown(text)
    lines = unwrap(text, markdown)  # before markdown is stripped: emphasis may cross a hard wrap
    if markdown:
        lines = [strip_markdown(ln) for ln in lines]
    if lines:
        lines[0] = _LEADING_META.sub("", lines[0])
    uri = rec["source_uri"]
    if forum.is_thread(lines):
        posts = forum.split_thread(lines)
        forum.drop_quoted_replies(posts)
        docs, rejects = [], []
        for k, post in enumerate(posts, start=1):
            body, keys, extra = _strip_chrome(post["lines"], repeated)
            body = dedup_paragraphs(body, keys)
            frag = f"post-{post['post_number']}" if post["post_number"] is not None else f"post-at-{k}"
            raw_post = "\n".join(post["lines"])
            doc = _document({**rec, "title": None}, f"{uri}#{frag}", body, raw_post, extra,
                            parent_uri=uri, author=post["author"], post_number=post["post_number"], forum=True,
                            url=forum.first_url(post["lines"]), published=post.get("date"))
            if doc:
                docs.append(doc)
            else:
                rejects.append({"source_uri": f"{uri}#{frag}", "reason": "no text after cleaning",
                                "detail": f"forum post by {post['author']}: only chrome or links"})
        return docs, rejects
    body, keys, extra = _strip_chrome(lines, repeated)
    body = dedup_paragraphs(body, keys)
    doc = _document(rec, uri, body, text, extra)
    if doc is None:
        return [], [{"source_uri": uri, "reason": "no text after cleaning", "detail": "only chrome"}]
    return [doc], []


def source_group(rec: dict) -> str:
    """Documents of one source share chrome: one JSONL file, or one folder."""
    return rec.get("parent_uri") or rec["source_uri"].rsplit("/", 1)[0]


def _clean_one(rec: dict, repeated: set[str]) -> tuple[list[dict], list[dict]]:
    try:
        return clean_record(rec, repeated)
    except Exception as e:  # one bad record never stops the batch
        return [], [{"source_uri": rec["source_uri"], "reason": "cleaning failed", "detail": f"{type(e).__name__}: {e}"}]


# (record, index of its source group) for the worker processes of clean_batch: set
# before the pool forks, so the records are never pickled on the way in.
_WORK: list[tuple[dict, int]] = []


def _key_counts(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the records `_WORK[lo:hi]` (one source group): each distinct `line_keys` key,
    as (hash, number of records that have it, where one of them has it: record
    position << 32 | line index). Arrays of numbers: cheap to send back, unlike the
    keys themselves (about the size of the text)."""
    counts: Counter[str] = Counter()
    where: dict[str, int] = {}
    for pos in range(*bounds):
        lines = _WORK[pos][0]["raw"].split("\n")
        idx = _non_sentences(lines)
        # each key of the record once, with the index of a line that has it
        keys = dict(zip(_norm_lines([lines[i] for i in idx]), [pos << 32 | i for i in idx]))
        counts.update(keys.keys())
        where.update(keys)
    counts.pop("", None)
    n = len(counts)
    return (np.fromiter(map(hash, counts), dtype=np.int64, count=n),
            np.fromiter(counts.values(), dtype=np.int64, count=n),
            np.fromiter(map(where.__getitem__, counts), dtype=np.int64, count=n))


def _repeated_parallel(pool, spans: list[tuple[int, int]]) -> list[set[str]]:
    """`repeated_lines` of each group `_WORK[lo:hi]`, with the keys counted in the pool.

    Exact, though the workers send hashes: a key that stands in enough records has a
    hash that does (a hash collision only adds to a count), so only the entries of such
    hashes are read again, from the raw line they point at, and counted by key."""
    tasks = [(g, (i, min(i + PARALLEL_SLICE, hi))) for g, (lo, hi) in enumerate(spans) for i in range(lo, hi, PARALLEL_SLICE)]
    parts: list[list] = [[] for _ in spans]
    for (g, _), part in zip(tasks, pool.map(_key_counts, [b for _, b in tasks])):
        parts[g].append(part)
    out = []
    for (lo, hi), group in zip(spans, parts):
        floor = max(REPEAT_MIN_DOCS, REPEAT_MIN_SHARE * (hi - lo))
        if not group:
            out.append(set())
            continue
        hashes, counts, where = (np.concatenate(x) for x in zip(*group))
        _, inverse = np.unique(hashes, return_inverse=True)
        by_hash = np.bincount(inverse, weights=counts)
        maybe = by_hash[inverse] >= floor
        exact: Counter[str] = Counter()
        for c, w in zip(counts[maybe].tolist(), where[maybe].tolist()):
            line = _WORK[w >> 32][0]["raw"].split("\n")[w & 0xFFFFFFFF]
            exact[_norm_lines([line])[0]] += c
        out.append({k for k, c in exact.items() if c >= floor})
    return out


def _clean_slice(task: tuple[int, int, dict[int, set[str]]]) -> list[tuple[list[dict], list[dict]]]:
    lo, hi, repeated = task
    return [_clean_one(rec, repeated[g]) for rec, g in _WORK[lo:hi]]


def clean_batch(records: list[dict], workers: int = 1,
                repeated_by_group: dict[str, set[str] | frozenset] | None = None) -> tuple[list[dict], list[dict]]:
    """Documents and rejects for a batch of raw records.

    `repeated_by_group` (source group -> repeated lines, see `repeated_lines`) gives
    the repeated lines of a group counted beyond this batch (an incremental build);
    a group it does not name is counted over the batch.

    `workers` > 1 cleans slices of the batch in that many forked processes (same
    output, same order); lines repeated across a source are counted first, over
    the whole batch (in the same processes). Forking is for plain scripts (the
    benchmark, a CLI run), not for a process that runs threads, such as Prefect's
    task runner.
    """
    groups: dict[str, list[dict]] = {}
    for rec in records:
        groups.setdefault(source_group(rec), []).append(rec)
    # raw lines are close enough to count repeats, and spare a second repair() pass
    given = [repeated_by_group is not None and group in repeated_by_group for group in groups]
    count = [not g and len(recs) >= REPEAT_MIN_DOCS for g, recs in zip(given, groups.values())]
    n = sum(map(len, groups.values()))
    if workers > 1 and n >= 4 * PARALLEL_SLICE and "fork" in multiprocessing.get_all_start_methods():
        global _WORK
        _WORK = [(rec, g) for g, recs in enumerate(groups.values()) for rec in recs]
        detect_language("Load the language model once, before the workers fork.")
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                spans, lo = [], 0
                for recs in groups.values():
                    spans.append((lo, lo + len(recs)))
                    lo += len(recs)
                counted = iter(_repeated_parallel(pool, [span for span, c in zip(spans, count) if c]))
                repeated = [repeated_by_group[group] if g else (next(counted) if c else set())
                            for group, g, c in zip(groups, given, count)]
                tasks = []
                for i in range(0, n, PARALLEL_SLICE):
                    hi = min(i + PARALLEL_SLICE, n)
                    tasks.append((i, hi, {g: repeated[g] for g in {_WORK[k][1] for k in range(i, hi)}}))
                results = [r for part in pool.imap(_clean_slice, tasks) for r in part]
        finally:
            _WORK = []
    else:
        results = []
        for (group, recs), g, c in zip(groups.items(), given, count):
            if g:
                repeated = repeated_by_group[group]
            else:
                repeated = repeated_lines([r["raw"].split("\n") for r in recs]) if c else set()
            results.extend(_clean_one(rec, repeated) for rec in recs)
    docs, rejects = [], []
    for d, j in results:
        docs.extend(d)
        rejects.extend(j)
    return docs, rejects
