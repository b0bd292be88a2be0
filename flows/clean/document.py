"""Clean: raw records in, `documents` rows out (before deduplication).

Repair the text, split forum threads into posts, drop site chrome and repeated
paragraphs (`lines`), then read the title, date, outlet and language (`metadata`).
"""
from __future__ import annotations

import hashlib
from urllib.parse import urlparse

from flows.clean import forum
from flows.clean.lines import (
    _strip_chrome,
    dedup_paragraphs,
    line_keys,
    repeated_from_keys,
    trim_url_edges,
)
from flows.clean.metadata import (
    _published,
    detect_language,
    doc_id_for,
    licence_from_url,
    outlet_from_dateline,
    outlet_from_url,
    split_title,
)
from flows.clean.prepare import carried_prepared, prepared_lines


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


def clean_record(rec: dict, repeated: set[str] = frozenset(),
                 prepared: tuple[str, list[str]] | None = None) -> tuple[list[dict], list[dict]]:
    """Documents and rejects from one raw record (a thread gives one document per post).
    `prepared`: `prepare.prepared_lines(rec["raw"])`, when the caller has it."""
    text, lines = prepared or prepared_lines(rec["raw"])
    uri = rec["source_uri"]
    if forum.is_thread(lines):
        posts = forum.split_thread(lines)
        forum.drop_quoted_replies(posts)
        docs, rejects = [], []
        for k, post in enumerate(posts, start=1):
            body, keys, extra = _strip_chrome(post["lines"], repeated)
            body = trim_url_edges(dedup_paragraphs(body, keys))
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
    body = trim_url_edges(dedup_paragraphs(body, keys))
    doc = _document(rec, uri, body, text, extra)
    if doc is None:
        return [], [{"source_uri": uri, "reason": "no text after cleaning", "detail": "only chrome"}]
    return [doc], []


def source_group(rec: dict) -> str:
    """Documents of one outlet share chrome: the record's outlet (its `source_name`, or
    its URL's host), else its source (one JSONL file, or one folder). Not the input
    file: a file may hold many outlets, and an outlet's pages may come in many files."""
    if rec.get("source_name"):
        return "outlet:" + " ".join(rec["source_name"].lower().split())
    host = (urlparse(rec.get("url") or "").hostname or "").lower().removeprefix("www.")
    if host:
        return "host:" + host
    return rec.get("parent_uri") or rec["source_uri"].rsplit("/", 1)[0]


def _clean_one(rec: dict, repeated: set[str], prepared: tuple[str, list[str]]) -> tuple[list[dict], list[dict]]:
    try:
        return clean_record(rec, repeated, prepared)
    except Exception as e:  # one bad record never stops the batch
        return [], [{"source_uri": rec["source_uri"], "reason": "cleaning failed", "detail": f"{type(e).__name__}: {e}"}]


def clean_batch(records: list[dict],
                repeated_by_group: dict[str, set[str] | frozenset] | None = None) -> tuple[list[dict], list[dict]]:
    """Documents and rejects for a batch of raw records.

    `repeated_by_group` (source group -> repeated lines, see `repeated_lines`) gives
    the repeated lines of a group counted beyond this batch (an incremental build);
    a group it does not name is counted over the batch, on the same prepared lines
    that are cleaned (`prepare.prepared_lines`, made once per record).
    """
    groups: dict[str, list[dict]] = {}
    for rec in records:
        groups.setdefault(source_group(rec), []).append(rec)
    docs, rejects = [], []
    for group, recs in groups.items():
        prepared = [_prepare(rec) for rec in recs]
        if repeated_by_group is not None and group in repeated_by_group:
            repeated = repeated_by_group[group]
        else:
            repeated = repeated_from_keys([line_keys(p[1]) for p in prepared if p])
        for rec, prep in zip(recs, prepared):
            d, j = _clean_one(rec, repeated, prep)
            docs.extend(d)
            rejects.extend(j)
    return docs, rejects


def _prepare(rec: dict) -> tuple[str, list[str]] | None:
    carried = carried_prepared(rec)  # prepared once already, where the record was read
    if carried is not None:
        return carried
    try:
        return prepared_lines(rec["raw"])
    except Exception:  # cleaning the record reports why
        return None
