"""flows.ingest: discover, read_input, read_batch, decode, sniff_binary on tiny inputs in tmp_path."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from flows import ingest
from flows.ingest import decoding as ingest_decoding
from flows.ingest import readers as ingest_readers
from flows.ingest.decoding import decode, sniff_binary
from flows.ingest.inputs import InputFile, discover
from flows.ingest.readers import read_batch, read_input

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
TEXT = "Kazakhstan hosted a meeting of SCO foreign ministers in Astana on Wednesday."


def _write(root: Path, name: str, data) -> InputFile:
    p = root / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8")
    else:
        p.write_bytes(data)
    return InputFile(p, f"in/{name}")


@pytest.fixture
def root(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    return d


# --- discover ---------------------------------------------------------------

def test_discover_order_and_uris(tmp_path, root):
    for name in ["b.txt", "a.txt", "sub/c.jsonl", "sub/a.csv", ".hidden.txt"]:
        _write(root, name, TEXT)
    single = tmp_path / "single.md"
    single.write_text(TEXT)
    found = discover([root, single])
    assert [f.uri for f in found] == ["in/a.txt", "in/b.txt", "in/sub/a.csv", "in/sub/c.jsonl", "single.md"]
    assert found[0].path == root / "a.txt"
    assert found[-1].path == single


def test_discover_same_file_twice_once(root):
    _write(root, "a.txt", TEXT)
    assert [f.uri for f in discover([root, root])] == ["in/a.txt"]


# --- rejects, one per reason -----------------------------------------------

def test_reject_empty(root):
    assert read_input(_write(root, "empty.txt", b"")) == ([], [{"source_uri": "in/empty.txt", "reason": "empty", "detail": None}])


def test_reject_whitespace_only(root):
    recs, rej = read_input(_write(root, "blank.txt", b"  \n\t\r\n  \n"))
    assert recs == []
    assert [(r["source_uri"], r["reason"]) for r in rej] == [("in/blank.txt", "empty")]


def test_reject_unicode_whitespace_only(root):
    # non-breaking spaces survive bytes.strip(): the decoded text is whitespace only
    recs, rej = read_input(_write(root, "nbsp.txt", "\u00a0\u00a0\n\u3000".encode("utf-8")))
    assert recs == []
    assert rej == [{"source_uri": "in/nbsp.txt", "reason": "empty", "detail": "whitespace only"}]


def test_reject_png_under_txt(root):
    recs, rej = read_input(_write(root, "image.txt", PNG))
    assert recs == []
    assert rej == [{"source_uri": "in/image.txt", "reason": "binary content (image/png)", "detail": None}]


def test_reject_unsupported_extension(root):
    recs, rej = read_input(_write(root, "notes.docx", b"PK\x03\x04 whatever"))
    assert recs == []
    assert rej == [{"source_uri": "in/notes.docx", "reason": "unsupported file type (.docx)", "detail": None}]
    recs, rej = read_input(_write(root, "README", TEXT))
    assert rej[0]["reason"] == "unsupported file type (no extension)"


def test_reject_truncated_gzip(root):
    data = gzip.compress(_jsonl({"id": "g1", "text": TEXT}).encode())[:-12]
    recs, rej = read_input(_write(root, "a.jsonl.gz", data))
    assert recs == []
    assert [(r["source_uri"], r["reason"]) for r in rej] == [("in/a.jsonl.gz", "corrupt gzip")]


BAD_DEFLATE = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03not really deflate data"


def test_reject_corrupt_gzip(root):
    recs, rej = read_input(_write(root, "a.jsonl.gz", BAD_DEFLATE))
    assert recs == []
    assert [(r["source_uri"], r["reason"]) for r in rej] == [("in/a.jsonl.gz", "corrupt gzip")]


def test_corrupt_gzip_is_still_a_reject_in_a_batch(root):
    recs, rej = read_batch([_write(root, "a.jsonl.gz", BAD_DEFLATE), _write(root, "b.txt", TEXT)])
    assert [r["source_uri"] for r in recs] == ["in/b.txt"]
    assert [r["source_uri"] for r in rej] == ["in/a.jsonl.gz"]


def _jsonl(*objs) -> str:
    return "\n".join(o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs) + "\n"


def test_jsonl_rejects_each_with_its_line(root):
    f = _write(root, "a.jsonl", _jsonl(
        {"id": "a1", "text": TEXT},
        '{"id": "a2", "title": "broken", "text": "this line is not valid JSON',
        {"id": "a3", "title": "no text here"},
        {"id": "a1", "text": "Same id again."},
        "[1, 2]",
        {"id": "a5", "text": "   "},
    ))
    recs, rej = read_input(f)
    assert [r["source_uri"] for r in recs] == ["in/a.jsonl#id-a1"]
    assert [(r["source_uri"], r["reason"]) for r in rej] == [
        ("in/a.jsonl#line-2", "invalid JSON at line 2"),
        ("in/a.jsonl#line-3", "no text field"),
        ("in/a.jsonl#line-4", "duplicate id"),
        ("in/a.jsonl#line-5", "not a JSON object"),
        ("in/a.jsonl#line-6", "empty text"),
    ]
    assert rej[1]["detail"] == "keys: id, title"
    assert rej[2]["detail"] == "id-a1"


def test_jsonl_line_numbers_count_blank_lines(root):
    f = _write(root, "a.jsonl", json.dumps({"text": TEXT}) + "\n\n\n{oops\n" + json.dumps({"text": "Second."}) + "\n")
    recs, rej = read_input(f)
    assert [r["source_uri"] for r in recs] == ["in/a.jsonl#line-1", "in/a.jsonl#line-5"]
    assert [r["source_uri"] for r in rej] == ["in/a.jsonl#line-4"]
    assert rej[0]["reason"] == "invalid JSON at line 4"


def test_path_like_id_is_only_a_fragment(tmp_path, root):
    f = _write(root, "a.jsonl", _jsonl({"id": "../../etc/passwd", "text": TEXT},
                                        {"id": "/etc/shadow", "text": "Second text."}))
    recs, rej = read_input(f)
    assert rej == []
    assert [r["source_uri"] for r in recs] == ["in/a.jsonl#id-.._.._etc_passwd", "in/a.jsonl#id-_etc_shadow"]
    for r in recs:
        uri, frag = r["source_uri"].split("#", 1)
        assert uri == "in/a.jsonl" and r["parent_uri"] == "in/a.jsonl"
        assert "/" not in frag
    # nothing was read from or written next to the path the id names
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.jsonl", "in"]


def test_long_id_is_cut(root):
    f = _write(root, "a.jsonl", _jsonl({"id": "x" * 500, "text": TEXT}))
    recs, _ = read_input(f)
    assert recs[0]["source_uri"] == "in/a.jsonl#id-" + "x" * 200


# --- decoding ---------------------------------------------------------------

RU = "Шанхайская организация сотрудничества провела саммит в Астане. Президент России выступил с речью."


def test_decode_utf16_with_bom():
    assert decode(TEXT.encode("utf-16")) == (TEXT, None)  # Python writes a BOM
    assert decode(b"\xfe\xff" + TEXT.encode("utf-16-be")) == (TEXT, None)


def test_decode_utf8_bom_removed():
    assert decode(b"\xef\xbb\xbf" + TEXT.encode("utf-8")) == (TEXT, None)


def test_decode_cp1251():
    assert decode(RU.encode("cp1251")) == (RU, None)


def test_read_input_utf16_and_cp1251(root):
    recs, rej = read_input(_write(root, "u16.txt", TEXT.encode("utf-16")))
    assert rej == [] and recs[0]["raw"] == TEXT
    recs, rej = read_input(_write(root, "ru.txt", RU.encode("cp1251")))
    assert rej == [] and recs[0]["raw"] == RU


def test_sniff_binary():
    assert sniff_binary(PNG) == "image/png"
    assert sniff_binary(b"%PDF-1.7\n") == "application/pdf"
    assert sniff_binary(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff_binary("x".encode("utf-16")) is None
    assert sniff_binary(b"abc\x00def\x00ghi\x00") == "binary content (NUL bytes)"
    assert sniff_binary(TEXT.encode()) is None


# --- formats and metadata ---------------------------------------------------

def test_txt_record(root):
    recs, rej = read_input(_write(root, "a.txt", TEXT))
    assert rej == []
    assert recs == [{"source_uri": "in/a.txt", "parent_uri": None, "source_format": "txt", "raw": TEXT,
                     "title": None, "url": None, "date": None, "author": None, "source_name": None}]


def test_jsonl_field_aliases(root):
    f = _write(root, "a.jsonl", _jsonl(
        {"guid": "k/1", "body": "Trade between Russia and China grew.", "published": "2023-05-02T10:00:00Z",
         "link": "https://tass.com/economy/1", "headline": "Trade grows", "authors": ["A. Ivanov", "B. Li"],
         "site": "TASS"},
        {"slug": "two", "content": "Iran joined the SCO.", "published_at": "2023-07-04", "href": "https://x.org/2"},
    ))
    recs, rej = read_input(f)
    assert rej == []
    a, b = recs
    assert a == {"source_uri": "in/a.jsonl#id-k_1", "parent_uri": "in/a.jsonl", "source_format": "jsonl",
                 "raw": "Trade between Russia and China grew.", "title": "Trade grows",
                 "url": "https://tass.com/economy/1", "date": "2023-05-02T10:00:00Z",
                 "author": "A. Ivanov, B. Li", "source_name": "TASS"}
    assert (b["source_uri"], b["raw"], b["date"], b["url"]) == (
        "in/a.jsonl#id-two", "Iran joined the SCO.", "2023-07-04", "https://x.org/2")


def test_jsonl_lead_is_prepended_once(root):
    f = _write(root, "a.jsonl", _jsonl(
        {"id": 1, "summary": "Lead sentence.", "text": "Body sentence."},
        {"id": 2, "lead": "Body sentence.", "text": "Body sentence. More."},
    ))
    recs, _ = read_input(f)
    assert [r["raw"] for r in recs] == ["Lead sentence.\nBody sentence.", "Body sentence. More."]
    assert [r["source_uri"] for r in recs] == ["in/a.jsonl#id-1", "in/a.jsonl#id-2"]


def test_json_array_file(root):
    f = _write(root, "a.json", json.dumps([{"id": "a", "text": TEXT}, {"id": "b", "body": "Second."}]))
    recs, rej = read_input(f)
    assert rej == []
    assert [(r["source_uri"], r["raw"]) for r in recs] == [("in/a.json#id-a", TEXT), ("in/a.json#id-b", "Second.")]


def test_csv_input(root):
    f = _write(root, "briefs.csv",
               "id,headline,published,body\n"
               'c1,India chairs the SCO,2023-07-04,"India chaired the virtual summit, on July 4."\n'
               "c2,Iran joins,2023-07-05,Iran became a full member of the SCO.\n"
               "c3,No body,2023-07-06,\n")
    recs, rej = read_input(f)
    assert [(r["source_uri"], r["title"], r["date"], r["raw"], r["source_format"]) for r in recs] == [
        ("in/briefs.csv#id-c1", "India chairs the SCO", "2023-07-04", "India chaired the virtual summit, on July 4.", "csv"),
        ("in/briefs.csv#id-c2", "Iran joins", "2023-07-05", "Iran became a full member of the SCO.", "csv"),
    ]
    assert [(r["source_uri"], r["reason"]) for r in rej] == [("in/briefs.csv#line-4", "empty text")]


def test_jsonl_gz_input(root):
    data = gzip.compress(_jsonl({"id": "g1", "text": TEXT, "date": "2024-07-03"}).encode("utf-8"))
    recs, rej = read_input(_write(root, "news.jsonl.gz", data))
    assert rej == []
    assert [(r["source_uri"], r["parent_uri"], r["raw"], r["date"]) for r in recs] == [
        ("in/news.jsonl.gz#id-g1", "in/news.jsonl.gz", TEXT, "2024-07-03")]


def test_txt_gz_input(root):
    recs, rej = read_input(_write(root, "a.txt.gz", gzip.compress(TEXT.encode())))
    assert rej == [] and recs[0]["raw"] == TEXT and recs[0]["source_format"] == "txt"


def test_read_batch_collects_records_and_rejects(root, monkeypatch):
    files = [_write(root, "a.txt", TEXT), _write(root, "b.txt", b""), _write(root, "c.txt", TEXT)]
    real = ingest.read_input

    def flaky(f):
        if f.uri == "in/c.txt":
            raise RuntimeError("disk on fire")
        return real(f)

    monkeypatch.setattr(ingest_readers, "read_input", flaky)
    recs, rej = read_batch(files)
    assert [r["source_uri"] for r in recs] == ["in/a.txt"]
    assert rej == [{"source_uri": "in/b.txt", "reason": "empty", "detail": None},
                   {"source_uri": "in/c.txt", "reason": "unreadable", "detail": "RuntimeError: disk on fire"}]


def test_too_large_input(root, monkeypatch):
    monkeypatch.setattr(ingest_decoding, "MAX_INPUT_BYTES", 10)
    recs, rej = read_input(_write(root, "big.txt", TEXT))
    assert recs == []
    assert [(r["source_uri"], r["reason"]) for r in rej] == [("in/big.txt", "too large")]


def test_utf8_lines_split_as_the_decoded_text_does():
    """JSON lines are read a line at a time from the bytes: the lines (and so the
    line numbers in ids) are exactly those of `str.splitlines` on the whole decoded
    text, for every kind of line break, a BOM, and breaks at either end."""
    import random

    rnd = random.Random(7)
    pieces = ["a", "{", '"', " ", "é", "\U0001F600", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85",
              "\u2028", "\u2029"]
    for _ in range(5000):
        s = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        data = (b"\xef\xbb\xbf" if rnd.random() < 0.2 else b"") + s.encode("utf-8")
        assert list(ingest_decoding._utf8_lines(data)) == decode(data)[0].splitlines(), repr(s)


def test_jsonl_read_line_by_line_equals_the_whole_text_read(root):
    """The line-by-line path gives the records and rejects, in order, of the path that
    decodes the whole file (which still reads non-UTF-8 files and JSON arrays)."""
    lines = [json.dumps({"id": "a", "text": TEXT}), "{not json", "", json.dumps([1, 2]),
             json.dumps({"title": "no text"}), json.dumps({"text": "Emoji \U0001F600 and\u2028a break in a string"}),
             "also not json", json.dumps({"id": "a", "text": "a duplicate id"}), json.dumps({"text": "last"})]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    f = _write(root, "mixed.jsonl", data)
    records, rejects = read_input(f)
    assert (records, rejects) == ingest_readers._read_jsonl(f.uri, decode(data)[0])
    assert [r["reason"] for r in rejects][:2] == ["invalid JSON at line 2", "invalid JSON at line 7"]
    assert len(records) == 3
