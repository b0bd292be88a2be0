"""RSS and Atom feeds to items (link, title, date).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from flows.sources.config import _is_http_url

# ---------------------------------------------------------------- feeds

@dataclass
class FeedItem:
    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601 when the feed's date could be read, else as written


_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def _text(el) -> str | None:
    if el is None:
        return None
    t = "".join(el.itertext()).strip()
    return t or None


def _date(s: str | None) -> str | None:
    if not s:
        return None
    s = s.strip()
    try:
        d = parsedate_to_datetime(s)  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        try:
            d = datetime.fromisoformat(s.replace("Z", "+00:00"))  # Atom / Dublin Core: RFC 3339
        except ValueError:
            return s
    if d.tzinfo is not None:
        d = d.astimezone(timezone.utc)
    return d.isoformat()


def parse_feed(body: bytes, base_url: str) -> list[FeedItem]:
    """The items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order. Raises ValueError
    when `body` is not a feed. Relative links are resolved against `base_url`."""
    if b"<!ENTITY" in body[:4096].upper():
        raise ValueError("feed declares XML entities (refused)")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise ValueError(f"not well-formed XML: {e}") from None
    items: list[FeedItem] = []
    tag = root.tag.lower()
    if root.tag == f"{_ATOM}feed":
        for entry in root.iter(f"{_ATOM}entry"):
            href = None
            for link in entry.findall(f"{_ATOM}link"):
                rel = link.get("rel", "alternate")
                if rel == "alternate" and link.get("href"):
                    href = link.get("href")
                    break
            if not href:
                continue
            items.append(FeedItem(urljoin(base_url, href.strip()), _text(entry.find(f"{_ATOM}title")),
                                  _date(_text(entry.find(f"{_ATOM}published")) or _text(entry.find(f"{_ATOM}updated")))))
    elif tag == "rss" or tag.endswith("}rdf"):
        for item in list(root.iter("item")) + list(root.iter(f"{_RSS1}item")):
            ns = _RSS1 if item.tag.startswith(_RSS1) else ""
            link = _text(item.find(f"{ns}link"))
            guid = item.find("guid")
            if not link and guid is not None and guid.get("isPermaLink", "true").lower() == "true":
                link = _text(guid)
            if not link and item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"):
                link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
            if not link:
                continue
            items.append(FeedItem(urljoin(base_url, link.strip()), _text(item.find(f"{ns}title")),
                                  _date(_text(item.find("pubDate")) or _text(item.find(f"{_DC}date")))))
    else:
        raise ValueError(f"not an RSS or Atom feed (root element <{root.tag}>)")
    seen: set[str] = set()
    unique = []
    for it in items:
        if it.url not in seen and _is_http_url(it.url):
            seen.add(it.url)
            unique.append(it)
    return unique
