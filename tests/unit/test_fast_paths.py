"""The fast paths of clean, chrome and dedup give what their plain definitions give.

Each optimisation keeps a reference form (a regex applied line by line, `re.findall`,
`np.unique` ...); these tests compare the two on adversarial strings (other kinds of
spaces, case-folding characters such as "ſ" and "İ", lone surrogates, empty lines) and
on random mixtures of the pieces that matter, with fixed seeds.
"""
from __future__ import annotations

import random
import re

import numpy as np
import pytest

from flows import clean, dedup
from flows.clean import chrome
from flows.clean import lines as clean_lines
from flows.clean import markdown as clean_markdown
from flows.clean import normalize as clean_normalize
from tests.unit.test_chrome import EXAMPLES

ODD = ["", " ", "  ", "\t", "\u00a0", "\u2003", "\u3000", "\u200b", "ſ", "İ", "ı", "K", "Σ", "ΑΣ", "é", "’", "“",
       "«", "—", "½", "²", "٣", "_", "-", "\ud800", "x", "Ab", "by ", "By ", "like", "this post", "#", ":", ".",
       "\"", "'", "(", ")"]


def _mixes(pieces: list[str], n: int, seed: int, size: int = 8) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, size))) for _ in range(n)]


# --- chrome: one regex pass over many lines == chrome_kind line by line ---------

CHROME_LINES = [a for a, _ in EXAMPLES.values()] + [b for _, b in EXAMPLES.values()] + [
    "Share", "“Subscribe”", "  By John Smith  ", "BY JOHN SMITH", "By ſmith", "Leave a Reply\n", "x\ny",
    "Reporting by Anna Lee", "We use cookies.", "GarryB and kvs like this post", "GarryB likes thiſ poſt",
    "ſhare", "ſubscribe", "İmage: AP", "Posted on: Wednesday, September 16th, 2022", "#1 priority",
    "https://example.org/a", "23 posters", "- Post n°77", "Join date : 2011-12-22", "Source: TASS",
]


@pytest.mark.parametrize("seed", range(4))
def test_chrome_kinds_equal_chrome_kind_line_by_line(seed):
    rnd = random.Random(seed)
    pieces = CHROME_LINES + ODD
    for _ in range(3000):
        lines = [rnd.choice(pieces) + rnd.choice(["", " ", "\"", "."]) for _ in range(rnd.randint(0, 8))]
        expected = [chrome.chrome_kind(ln) for ln in lines]
        assert chrome.chrome_kinds(lines) == expected, lines
        assert chrome.any_chrome(lines) == any(expected), lines


def test_chrome_kinds_on_real_lines():
    lines = CHROME_LINES * 3 + ["The talks lasted three hours, Peskov said."] * 50
    assert chrome.chrome_kinds(lines) == [chrome.chrome_kind(ln) for ln in lines]
    assert set(chrome.candidate_lines(lines)) >= {i for i, ln in enumerate(lines) if chrome.chrome_kind(ln)}


# --- clean ---------------------------------------------------------------------

def test_norm_lines_equal_norm_line():
    for text in _mixes(ODD + ["\n", "Putin", "SCO", "2024"], 20000, seed=1, size=12):
        lines = text.split("\n")
        assert clean_lines._norm_lines(lines) == [clean_lines._norm_line(ln) for ln in lines], lines
        assert clean_lines._norm_lines(lines, chrome.lower_lines(lines)) == [clean_lines._norm_line(ln) for ln in lines]
    assert clean_lines._norm_lines(["a\nb", "c"]) == ["a b", "c"]  # a line with a newline of its own
    assert clean_lines._norm_lines([]) == []


def test_line_keys_are_the_short_lines():
    for text in _mixes(["a", "b c", ".", "!", "…", ":", "”", ")", " ", "\u00a0", "\n", "\t", "\"", "x."], 20000, seed=2):
        lines = text.split("\n")
        expected = {clean_lines._norm_line(ln) for ln in lines if len(ln.split()) < clean_lines.CHROME_MAX_WORDS} - {""}
        assert clean.line_keys(lines) == expected, lines
    long = " ".join(["word"] * clean_lines.CHROME_MAX_WORDS)
    assert clean.line_keys(["Do you like the content of this article?", long, "(i) the authority granted by law"]) == \
        {"do you like the content of this article"}


def _spaces_reference(text: str) -> str:
    return clean_normalize._SPACES.sub(" ", text)


def test_space_runs_as_the_regex_has_them():
    for text in _mixes([" ", "\t", "\u00a0", "\u2000", "\u200a", "\u202f", "\u205f", "\u3000", "a", "\n", "é"], 20000, 3):
        got = text
        for c in ({"\t"} if "\t" in got else set()).union(clean.non_ascii(got)).intersection(clean_normalize._OTHER_SPACES):
            got = got.replace(c, " ")
        got = clean_normalize._SPACE_RUN.sub(" ", got)
        assert got == _spaces_reference(text), repr(text)
    # every character of the regex's class is one of the "other spaces" (or the space)
    assert {c for c in map(chr, range(0x3001)) if clean_normalize._SPACES.fullmatch(c)} == clean_normalize._OTHER_SPACES


def test_repair_tidies_every_kind_of_space():
    assert clean.repair("a\u00a0 b\t\tc\u2003d  e \u00a0") == "a b c d e"
    assert clean.repair("line one  \n\u00a0 line two") == "line one\nline two"


def test_hyphen_break_as_before():
    old = re.compile(r"(?<=\w)-\n(?=[a-z])")
    for text in _mixes(["-", "\n", "a", "B", " ", "é", "_", "-\n"], 20000, 4):
        assert clean_normalize._HYPHEN_BREAK.sub("", text) == old.sub("", text), repr(text)


def test_mojibake_windows_as_the_regex_finds_them():
    for text in _mixes(["a", " ", "\n", "é", "’", "Ã", "©", "ab", "xyz12"], 20000, 5, size=20):
        assert clean.non_ascii_windows(text) == clean_normalize._NON_ASCII_WINDOW.findall(text), repr(text)
        assert clean.non_ascii(text) == set(text) - {chr(i) for i in range(128)}


def _strip_markdown_reference(text: str) -> str:
    for rx, repl in ((clean_markdown._MD_IMAGE, ""), (clean_markdown._MD_LINK, r"\1"), (clean_markdown._MD_EMPH, r"\2"), (clean_markdown._MD_HEADING, ""),
                     (clean_markdown._MD_BULLET, ""), (clean_markdown._MD_QUOTE, ""), (clean_markdown._MD_ESCAPE, r"\1")):
        text = rx.sub(repl, text)
    return text


def test_strip_markdown_as_every_substitution_does():
    pieces = ["**", "__", "#", "-", "*", "+", "1.", "٣.", ">", "\\", "[", "]", "(", ")", "!", "http://x", " ", "\t",
              "a", "\n", "/"]
    for text in _mixes(pieces, 30000, 6, size=12):
        assert clean.strip_markdown(text) == _strip_markdown_reference(text), repr(text)


def test_unwrap_joins_short_blocks_as_before():
    text = ("First line of a wrapped\nparagraph that goes on\n\n# Heading\nbody under it\n\n- one\n- two\n\n"
            "Share\nnot joined\n\nA long line " + "x" * 120 + "\nshort")
    assert clean.unwrap(text, markdown=True) == [
        "First line of a wrapped paragraph that goes on", "# Heading body under it", "- one", "- two",
        "Share", "not joined", "A long line " + "x" * 120, "short"]


def test_batch_count_equals_the_builds_hashed_count():
    """clean_batch counting repeated lines over the batch gives what a build gives,
    which counts them as hashes of each record's prepared lines (carry_prepared), and
    cleans the records carrying those lines."""
    rnd = random.Random(7)
    words = ["Putin", "met", "Xi", "near", "Astana.", "Share", "Related Articles", "Subscribe", "The", "summit", "SCO"]
    records = []
    for i in range(300):
        group = f"src{i % 3}"
        lines = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 5))) for _ in range(rnd.randint(1, 8))]
        lines.append(f"Footer of {group}")  # repeated chrome of its source
        records.append({"source_uri": f"{group}/d{i}.txt", "parent_uri": None, "source_format": "txt",
                        "raw": "\n".join(lines), "title": None, "url": None, "date": None, "author": None,
                        "source_name": None})
    counted = clean.clean_batch(records)
    by_group: dict[str, list] = {}
    carried = [dict(r) for r in records]
    for r in carried:
        by_group.setdefault(clean.source_group(r), []).append(clean.carry_prepared(r))
    given = {g: clean.repeated_from_hashes(h, len(h)) for g, h in by_group.items()}
    assert clean.clean_batch(records, repeated_by_group=given) == counted
    assert clean.clean_batch(carried, repeated_by_group=given) == counted
    assert not any("Footer of" in d["text"] for d in counted[0])


# --- dedup ---------------------------------------------------------------------

def test_word_bytes_equal_normalised_words():
    for text in _mixes(ODD + ["\n", "Putin", "SCO", "2024", "ǅ", "ﬁ", "\x1c", "\u2028", "\x85"], 20000, 8, size=12):
        assert dedup._word_bytes(text) == [w.encode("utf-8") for w in dedup.normalised(text)], repr(text)


def test_shingle_hashes_are_sorted_and_distinct():
    words = "a b c a b c a b d".split()
    h = dedup.shingle_hashes(words)
    assert list(h) == sorted(set(h.tolist()))
    assert list(dedup.shingle_hashes([w.encode() for w in words])) == list(h)  # bytes words: same hashes
    ref = np.unique(np.array([dedup._word_hash(" ".join(words[i:i + 3])) for i in range(7)], dtype=np.uint64))
    assert len(h) == len(ref) == 4


def test_is_thread_counts_profile_words_in_any_case():
    from flows.clean import forum

    assert forum.is_thread(["George1- Posts : 18594", "Re: SCO", "text", "Hole - Messages : 12", "more text"])
    assert forum.is_thread(["GEORGE1- POSTS : 18594", "text", "Hole - MeSsAgEs : 12"])  # lower-cased bytes count them
    assert not forum.is_thread(["George1- Posts : 18594", "text"])
    assert not forum.is_thread(["Posts and messages", "posts : many"])  # the words, but no profile line
