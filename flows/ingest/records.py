"""The raw record: its fields, and the contract's names for the keys inputs use.
"""
from __future__ import annotations

MAX_FIELD_CHARS = 5_000_000  # one document's text

# Field mapping for JSON-lines and CSV collections: contract name -> accepted keys.
FIELD_ALIASES = {
    "id": ["id", "doc_id", "guid", "uuid", "path", "slug"],
    "url": ["url", "source_url", "link", "href", "canonical_url"],
    "title": ["title", "headline", "name"],
    "date": ["date", "published", "published_date", "published_at", "published_time", "pubdate", "pubDate", "datetime", "created_at"],
    "text": ["text", "body", "content", "article", "markdown", "full_text", "article_text"],
    "author": ["author", "byline", "authors", "creator"],
    "source_name": ["source_name", "source", "site", "outlet", "publisher"],
    "lead": ["lead", "summary", "description", "subtitle"],
}


RECORD_FIELDS = ("source_uri", "parent_uri", "source_format", "raw", "title", "url", "date", "author", "source_name")


def _record(uri: str, parent: str | None, fmt: str, raw: str, **meta) -> dict:
    rec = {"source_uri": uri, "parent_uri": parent, "source_format": fmt, "raw": raw,
           "title": None, "url": None, "date": None, "author": None, "source_name": None}
    rec.update({k: v for k, v in meta.items() if v not in (None, "")})
    return rec
