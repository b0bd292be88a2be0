"""Bytes to text: size limits, gzip, binary sniffing, encodings, and JSON lines read
a line at a time from the bytes.
"""
from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
from datetime import datetime, timezone

import charset_normalizer

from flows.ingest.inputs import InputFile

MAX_INPUT_BYTES = 200 * 1024 * 1024  # an input (or a decompressed .gz) larger than this is rejected

# Magic numbers of binary formats we may meet under a text name.
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"),
    (b"%PDF", "application/pdf"), (b"PK\x03\x04", "application/zip"), (b"\x1f\x8b", "application/gzip"),
    (b"\x7fELF", "application/x-executable"), (b"RIFF", "audio/video (RIFF)"),
]


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
