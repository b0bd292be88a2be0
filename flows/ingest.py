"""Ingest: find inputs, read them into raw records, and record what cannot be used.

A raw record is a dict with `source_uri`, `parent_uri`, `source_format`, `raw`
(decoded text, or the HTML page's extracted main text) and whatever metadata
the input states (`title`, `url`, `date`, `author`, `source_name`).
Every input becomes records or rejects: nothing is dropped silently.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import charset_normalizer

from flows import fetch

TEXT_EXT = {".txt", ".text", ".md"}
HTML_EXT = {".html", ".htm", ".xhtml"}
JSONL_EXT = {".jsonl", ".ndjson", ".json"}
CSV_EXT = {".csv"}
MAX_INPUT_BYTES = 200 * 1024 * 1024  # an input (or a decompressed .gz) larger than this is rejected
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

# Magic numbers of binary formats we may meet under a text name.
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"),
    (b"%PDF", "application/pdf"), (b"PK\x03\x04", "application/zip"), (b"\x1f\x8b", "application/gzip"),
    (b"\x7fELF", "application/x-executable"), (b"RIFF", "audio/video (RIFF)"),
]


@dataclass(frozen=True)
class InputFile:
    path: Path
    uri: str  # relative to the input root, '/'-separated


def discover(inputs: list[Path]) -> list[InputFile]:
    """Every file under the given paths, with its URI relative to its input root, sorted."""
    found: dict[str, InputFile] = {}
    for root in inputs:
        root = Path(root)
        if root.is_file():
            found[root.name] = InputFile(root, root.name)
            continue
        base = root.parent
        for p in sorted(root.rglob("*")):
            # a raw store of fetched pages holds sidecars, feeds and old versions: not documents
            if p.is_file() and not p.name.startswith(".") and not fetch.skip_in_discover(p):
                uri = p.relative_to(base).as_posix()
                found[uri] = InputFile(p, uri)
    return [found[k] for k in sorted(found)]


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def reject(uri: str, reason: str, detail: str | None = None) -> dict:
    return {"source_uri": uri, "reason": reason, "detail": detail}


def sniff_binary(data: bytes) -> str | None:
    """The binary type of `data`, or None when it looks like text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOMs are text
        return None
    head = data[:8192]
    if head.count(b"\x00") > len(head) // 100 + 1:
        return "binary content (NUL bytes)"
    return None


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason). UTF-8 first, then a BOM, then detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, "undecodable (bad UTF-16)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data[:1_000_000]).best()
    if best is None:
        return None, "undecodable (no text encoding fits)"
    try:
        return data.decode(best.encoding), None
    except (UnicodeDecodeError, LookupError):
        return None, f"undecodable (detected {best.encoding}, does not decode)"


def _read_bytes(f: InputFile) -> tuple[bytes | None, dict | None]:
    size = f.path.stat().st_size
    if size > MAX_INPUT_BYTES:
        return None, reject(f.uri, "too large", f"{size} bytes > {MAX_INPUT_BYTES}")
    data = f.path.read_bytes()
    if f.path.suffix.lower() == ".gz":
        try:
            # First pass measures the decompressed size in 1 MiB chunks and keeps none of
            # them, so a gzip bomb is rejected at near-constant memory; only an input under
            # the cap is then decompressed whole.
            size = _gunzipped_size(data, MAX_INPUT_BYTES)
            if size > MAX_INPUT_BYTES:
                return None, reject(f.uri, "too large when decompressed", f"> {MAX_INPUT_BYTES} bytes")
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            return None, reject(f.uri, "corrupt gzip", str(e))
    return data, None


def _gunzipped_size(data: bytes, cap: int, chunk: int = 1 << 20) -> int:
    """Decompressed size of `data`, counting stops once it passes `cap`."""
    total = 0
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
        while total <= cap:
            n = len(gz.read(chunk))
            if not n:
                break
            total += n
    return total


def _format_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    if ext in TEXT_EXT:
        return "txt"
    if ext in HTML_EXT:
        return "html"
    if ext in JSONL_EXT:
        return "jsonl"
    if ext in CSV_EXT:
        return "csv"
    return None


def read_input(f: InputFile) -> tuple[list[dict], list[dict]]:
    """Raw records and rejects for one input file."""
    fmt = _format_of(f.path)
    if fmt is None:
        return [], [reject(f.uri, f"unsupported file type ({f.path.suffix or 'no extension'})")]
    data, rej = _read_bytes(f)
    if rej:
        return [], [rej]
    if not data or data.isspace():  # `not data.strip()` without a copy of the input
        return [], [reject(f.uri, "empty")]
    kind = sniff_binary(data)
    if kind:
        return [], [reject(f.uri, f"binary content ({kind})")]
    if fmt == "jsonl" and not _starts_array(data) and _is_utf8(data):
        # line by line: the file as one str would be up to 4 bytes a character (one emoji
        # makes it so) and its lines a second copy (a 150 MB input took 1.5 GB to read)
        return _read_jsonl_lines(f.uri, _utf8_lines(data))
    text, why = decode(data)
    if text is None:
        return [], [reject(f.uri, why)]
    if not text.strip():
        return [], [reject(f.uri, "empty", "whitespace only")]
    if fmt == "txt":
        # one document's text is capped like a JSON field's: annotation reads it whole
        return [_record(f.uri, None, "txt", text[:MAX_FIELD_CHARS])], []
    if fmt == "html":
        records, rejects = _read_html(f.uri, text)
        meta = fetch.read_sidecar(f.path)
        if meta:  # a fetched page: its URL is its identity, the sidecar fills what the page lacks
            m = fetch.record_meta(meta)
            for r in records:
                r.update(source_uri=m["source_uri"], url=m["url"], parent_uri=f.uri)
                for k in ("title", "date", "source_name"):
                    r[k] = r[k] or m.get(k)
            for r in rejects:
                r["detail"] = f"{m['source_uri']}: {r['detail']}"
        return records, rejects
    if fmt == "jsonl":
        return _read_jsonl(f.uri, text)
    return _read_csv(f.uri, text)


RECORD_FIELDS = ("source_uri", "parent_uri", "source_format", "raw", "title", "url", "date", "author", "source_name")


def _record(uri: str, parent: str | None, fmt: str, raw: str, **meta) -> dict:
    rec = {"source_uri": uri, "parent_uri": parent, "source_format": fmt, "raw": raw,
           "title": None, "url": None, "date": None, "author": None, "source_name": None}
    rec.update({k: v for k, v in meta.items() if v not in (None, "")})
    return rec


LINK_BOX_DENSITY = 0.5  # share of a complementary box's text that is link text


def _drop_link_boxes(html: str) -> str:
    """The page without its boxes of links marked as complementary (WAI-ARIA
    role="complementary" whose text is mostly link text: "See also", "Additional",
    related reading). They are not the article, though they may sit in its middle, and
    trafilatura drops their links but may keep their heading as a line of text. A
    complementary element that is mostly text stays: a site may mark its whole article
    so (en.kremlin.ru does)."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # a page lxml cannot read goes to trafilatura as it came
        return html
    dropped = False
    for box in tree.xpath('//*[@role="complementary"]'):
        text = len("".join(box.text_content().split()))
        links = sum(len("".join(a.text_content().split())) for a in box.iter("a"))
        if text and links >= LINK_BOX_DENSITY * text:
            box.drop_tree()  # its tail (the text after the box) stays
            dropped = True
    return lxml.html.tostring(tree, encoding="unicode") if dropped else html


def _read_html(uri: str, html: str) -> tuple[list[dict], list[dict]]:
    import trafilatura  # imported here: a second of start-up that only HTML inputs pay

    if "complementary" in html:
        html = _drop_link_boxes(html)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False,
        # deduplicate=False: trafilatura's own dedup is a process-wide cache, so a page
        # seen twice (or a paragraph seen in another page) would silently lose text
        favor_precision=True, deduplicate=False,
    )
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        return [], [reject(uri, "no main text in HTML", "trafilatura found no article text (navigation-only page?)")]
    return [_record(uri, None, "html", body[:MAX_FIELD_CHARS], title=doc.title, url=doc.url, date=doc.date,
                    author=doc.author, source_name=doc.sitename)], []


def _pick(obj: dict, field: str):
    for key in FIELD_ALIASES[field]:
        v = obj.get(key)
        if v not in (None, "", []):
            if isinstance(v, list):
                v = ", ".join(str(x) for x in v)
            return str(v)
    return None


_SAFE_ID = re.compile(r"[^A-Za-z0-9._~-]+")


def _fragment(obj: dict, line_no: int) -> str:
    rid = _pick(obj, "id")
    # An id is only ever a URI fragment, never a path: keep it to safe characters.
    return f"id-{_SAFE_ID.sub('_', rid)[:200]}" if rid else f"line-{line_no}"


def _from_object(uri: str, obj: dict, line_no: int, fmt: str, seen: set[str]) -> tuple[dict | None, dict | None]:
    where = f"{uri}#line-{line_no}"
    text = _pick(obj, "text")
    if text is None or not text.strip():
        return None, reject(where, "no text field", f"keys: {', '.join(sorted(obj))[:300]}")
    frag = _fragment(obj, line_no)
    if frag in seen:
        return None, reject(where, "duplicate id", frag)
    seen.add(frag)
    lead = _pick(obj, "lead")
    raw = text[:MAX_FIELD_CHARS]
    if lead and lead.strip() and lead.strip() not in raw[: len(lead) + 200]:
        raw = lead.strip() + "\n" + raw
    return _record(f"{uri}#{frag}", uri, fmt, raw, title=_pick(obj, "title"), url=_pick(obj, "url"),
                   date=_pick(obj, "date"), author=_pick(obj, "author"),
                   source_name=_pick(obj, "source_name")), None


def _read_jsonl(uri: str, text: str) -> tuple[list[dict], list[dict]]:
    stripped = text.lstrip()
    if stripped.startswith("["):  # a JSON array file is accepted too
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as e:
            return [], [reject(uri, "invalid JSON", str(e))]
        return _read_objects(uri, ((i + 1, it) for i, it in enumerate(items)))
    return _read_jsonl_lines(uri, text.splitlines())


def _read_jsonl_lines(uri: str, lines) -> tuple[list[dict], list[dict]]:
    """Records and rejects of JSON lines (an iterable of str, numbered from 1), each
    line parsed and made a record before the next is read."""
    bad_json: list[dict] = []  # first, then the other rejects (in line order each)
    any_text = False

    def parsed():
        nonlocal any_text
        for i, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            any_text = True
            try:
                yield i, json.loads(line)
            except json.JSONDecodeError as e:
                bad_json.append(reject(f"{uri}#line-{i}", f"invalid JSON at line {i}", str(e)))

    records, rejects = _read_objects(uri, parsed())
    if not any_text:
        return [], [reject(uri, "empty", "whitespace only")]
    return records, bad_json + rejects


def _read_objects(uri: str, objects) -> tuple[list[dict], list[dict]]:
    records, rejects, seen = [], [], set()
    for i, obj in objects:
        if not isinstance(obj, dict):
            rejects.append(reject(f"{uri}#line-{i}", "not a JSON object", type(obj).__name__))
            continue
        rec, rej = _from_object(uri, obj, i, "jsonl", seen)
        (records if rec else rejects).append(rec or rej)
    return records, rejects


def _is_utf8(data: bytes, chunk: int = 1 << 22) -> bool:
    """Whether `data` is UTF-8, checked a few MB at a time (never one str of it all)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for lo in range(0, len(data), chunk):
            decoder.decode(data[lo:lo + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


_BYTES_EOL = re.compile(rb"\r\n|\r|\n")
_STR_ONLY_EOL = frozenset("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # line breaks to str.splitlines, not to bytes'


def _utf8_lines(data: bytes):
    """The lines of UTF-8 `data`, one decoded str at a time: exactly `decode(data)`'s
    `str.splitlines()` (a leading BOM dropped; the breaks only str knows split too)."""
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    for m in _BYTES_EOL.finditer(data, pos):
        yield from _str_lines(data[pos:m.start()].decode("utf-8"), True)
        pos = m.end()
    if pos < len(data):
        yield from _str_lines(data[pos:].decode("utf-8"), False)


def _str_lines(piece: str, broken: bool):
    """A piece between two bytes line breaks split at the breaks only str knows;
    `broken`: a bytes line break follows it."""
    if _STR_ONLY_EOL.isdisjoint(piece):
        yield piece
        return
    yield from piece.splitlines()
    if broken and piece[-1] in _STR_ONLY_EOL:  # its last break ends a line, and the bytes break another
        yield ""


def _starts_array(data: bytes) -> bool:
    """Whether the text starts (after a BOM and white space) with "[": a JSON array file."""
    return data[:1 << 16].decode("utf-8", "ignore").lstrip("\ufeff").lstrip().startswith("[")


def _read_csv(uri: str, text: str) -> tuple[list[dict], list[dict]]:
    records, rejects, seen = [], [], set()
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        reader = csv.DictReader(io.StringIO(text))
        for i, row in enumerate(reader, start=2):  # line 1 is the header
            rec, rej = _from_object(uri, {k: v for k, v in row.items() if k}, i, "csv", seen)
            (records if rec else rejects).append(rec or rej)
    except csv.Error as e:
        rejects.append(reject(uri, "invalid CSV", str(e)))
    return records, rejects


def read_batch(files: list[InputFile]) -> tuple[list[dict], list[dict]]:
    """Raw records and rejects for a batch of input files. An input that raises is a reject."""
    records, rejects = [], []
    for f in files:
        try:
            r, j = read_input(f)
        except Exception as e:  # one bad input never stops the run
            r, j = [], [reject(f.uri, "unreadable", f"{type(e).__name__}: {e}")]
        records.extend(r)
        rejects.extend(j)
    return records, rejects
