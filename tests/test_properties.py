"""Property tests (hypothesis) on cleaning and annotation (issue 10): they never
raise on any string, cleaning is idempotent, and every offset points at its text."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from flows import clean
from flows.annotate import pipeline as annotate

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# any string, plus strings built from the pieces that steer cleaning and annotation
PIECES = st.sampled_from([
    "Vladimir Putin", "Xi Jinping", "Narendra Modi", "said", " said: ", "“", "”", '"', "'", "«", "»",
    "SCO", "Shanghai Cooperation Organisation", "Russia", "China", "Samarkand", "summit", "met",
    "15 September 2022", "30%", "$1.5 billion", "12 percent", "\n", "\n\n", "\r\n", "\r", " ", "\t",
    "-\n", "**", "# ", "- ", "> ", "[link](https://x.org)", "&amp;", "&#8220;", "Ã©", "â€™", "\x00",
    "\x1b", "\ufeff", "\u200b", "\xa0", "e\u0301", "ﬁ", "İ", "ß", "Ⅻ", "\U0001f600", ".", "?", "!",
    "Posted by user1 on 2022-09-15", "Quote:", "Reply", "Home | News", "https://example.org/a1",
])
TEXT = st.one_of(st.text(max_size=400), st.lists(PIECES, max_size=40).map("".join),
                 st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=30).map("".join))


@SETTINGS
@given(TEXT)
def test_repair_never_raises(s):
    assert isinstance(clean.repair(s), str)


@SETTINGS
@given(TEXT)
def test_repair_is_idempotent_when_no_mojibake_is_in_or_out(s):
    """What holds: repairing a repaired text changes nothing, when ftfy's check
    (`clean.looks_mojibake`) passes on both the input and the output and the
    output has no hyphen at a line end. Otherwise a second pass may change more:
    see the xfails."""
    once = clean.repair(s)
    assume(not clean.looks_mojibake(s) and not clean.looks_mojibake(once) and "-\n" not in once)
    assert clean.repair(once) == once


@pytest.mark.xfail(strict=True, reason=(
    "clean.repair is not idempotent when its output looks like mojibake: the check runs before "
    "the layers below are removed. Layered mojibake ('\\xa0Â\\x80' -> 'Â€' -> '€'); a control "
    "character hiding mojibake, removed after the check ('Â\\x1f¡' -> 'Â¡' -> '¡'); an entity "
    "unescaped after the check ('ﬁ&#00;' -> 'ﬁ\\ufffd' -> 'fi\\ufffd', ftfy then expands the ligature)"))
@pytest.mark.parametrize("s", ["\xa0Â\x80", "Â\x1f¡", "ﬁ&#00;"])
def test_repair_is_idempotent_on_these(s):
    once = clean.repair(s)
    assert clean.repair(once) == once


@pytest.mark.xfail(strict=True, reason=(
    "clean.repair joins hyphenated line breaks before it strips the lines: a hyphen followed by "
    "spaces at a line end survives the first pass and is joined by the second ('0- \\na' -> '0-\\na' -> '0a')"))
def test_repair_is_idempotent_on_a_hyphen_before_trailing_spaces():
    once = clean.repair("0- \na")
    assert clean.repair(once) == once


def _record(text: str, **meta) -> dict:
    return {"source_uri": "p/doc.txt", "parent_uri": None, "source_format": "txt", "raw": text,
            "title": None, "url": None, "date": None, "author": None, "source_name": None, **meta}


@SETTINGS
@given(TEXT, st.one_of(st.none(), st.text(max_size=30)))
def test_clean_record_never_raises_and_gives_a_document_or_a_reject(s, date):
    docs, rejects = clean.clean_record(_record(s, date=date))
    assert docs or rejects
    for d in docs:
        assert d["text"] and d["text"] == d["text"].strip()
        assert "\r" not in d["text"] and "\x00" not in d["text"]


@SETTINGS
@given(TEXT)
@example("#\n0\n\n")  # a bare heading mark once joined its next line into a heading ("# 0")
@example("#\n0")
def test_cleaning_a_cleaned_text_again_gives_the_same_text(s):
    """What holds: cleaning is idempotent on the text of a plain (non-forum)
    document that is neither markdown nor mojibake: a second pass over `text`,
    with the title put back in front (the first line became the title), gives
    the same text and title. (Markdown and mojibake: see the xfails.)"""
    repaired = clean.repair(s)
    assume(not clean.looks_mojibake(s) and not clean.looks_mojibake(repaired) and not clean.looks_markdown(repaired)
           and "-\n" not in repaired)
    docs, _ = clean.clean_record(_record(s))
    for d in docs:
        if d["post_number"] is not None or "#post-" in d["source_uri"]:
            continue
        again = (d["title"] + "\n" + d["text"]) if d["title"] else d["text"]
        docs2, rejects2 = clean.clean_record(_record(again))
        assert not rejects2
        (d2,) = docs2
        assert (d2["title"], d2["text"]) == (d["title"], d["text"])


def _clean_twice(s: str) -> tuple[str, str]:
    (d,) = clean.clean_record(_record(s))[0]
    (d2,) = clean.clean_record(_record(d["text"]))[0]
    return d["text"], d2["text"]


@pytest.mark.xfail(strict=True, reason=(
    "clean.strip_markdown removes one heading marker per pass: '# # 0' -> '# 0' -> '0'"))
def test_cleaning_is_idempotent_on_nested_markdown_headings():
    once, twice = _clean_twice("# # 0")
    assert once == twice


@pytest.fixture(scope="module")
def annotate_batch():
    annotate.annotate_batch([])  # load the gazetteer once
    return annotate.annotate_batch


def _check_offsets(text: str, ann: annotate.Annotations) -> None:
    for m in ann.mentions:
        assert 0 <= m["start"] < m["end"] <= len(text) and text[m["start"]:m["end"]] == m["surface"], m
    for q in ann.quantities:
        assert 0 <= q["start"] < q["end"] <= len(text) and text[q["start"]:q["end"]] == q["surface"], q
    for q in ann.quotes:
        assert 0 <= q["start"] < q["end"] <= len(text) and text[q["start"]:q["end"]] == q["text"], q


@SETTINGS
@given(TEXT)
def test_annotate_never_raises_and_every_offset_is_valid(annotate_batch, s):
    doc = {"doc_id": "d-0000000000000000", "text": s, "title": None, "published_date": None,
           "author": None, "duplicate_of": None, "language": "en"}
    _check_offsets(s, annotate_batch([doc]))


@SETTINGS
@given(TEXT)
def test_annotate_a_cleaned_document_every_offset_is_valid(annotate_batch, s):
    docs, _ = clean.clean_record(_record(s))
    for d in docs:
        d["language"] = "en"  # annotate whatever the language detector said
        _check_offsets(d["text"], annotate_batch([d]))
