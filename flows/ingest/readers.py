"""Read one input into raw records, by format (text, HTML, JSON lines, CSV), and
record what cannot be used.

A raw record is a dict with `source_uri`, `parent_uri`, `source_format`, `raw`
(decoded text, or the HTML page's extracted main text) and whatever metadata
the input states (`title`, `url`, `date`, `author`, `source_name`).
Every input becomes records or rejects: nothing is dropped silently.
"""
from __future__ import annotations

import csv
import io
import json
import re

from flows.ingest.decoding import (
    _is_utf8,
    _read_bytes,
    _starts_array,
    _utf8_lines,
    decode,
    reject,
    sniff_binary,
)
from flows.ingest.inputs import InputFile, _format_of
from flows.ingest.html import _read_html
from flows.ingest.records import FIELD_ALIASES, MAX_FIELD_CHARS, _record
from flows.sources import fetch


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
        # a text field that is there and empty is another fault than a missing one
        present = any(key in obj for key in FIELD_ALIASES["text"])
        return None, reject(where, "empty text" if present else "no text field",
                            f"keys: {', '.join(sorted(obj))[:300]}")
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
