"""The fast paths of annotation give what their plain definitions give.

Each optimisation of the annotators keeps its reference form (a regex's `finditer` or
`search`, one matcher at a time, `str.find` for each word ...); these tests compare the
two on adversarial strings (particles, hyphens, non-ASCII capitals, case-folding
characters, empty strings) and on random mixtures of the pieces that matter, with fixed
seeds.
"""
from __future__ import annotations

import random
import re

import pytest

from flows.annotate import events, figures, quotes
from flows.annotate.quantities import numbers as quantity_numbers
from flows.annotate.quantities import skips as quantity_skips
from flows.annotate.quotes import transcript as quote_transcript
from flows.core import gazetteer, text
from flows.core.gazetteer import Matcher, MultiMatcher, fold

ODD = ["", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "ſ", "İ", "ı", "K", "Σ", "é", "É", "Ø", "Þ", "’", "“", "”",
       "«", "»", "„", "‘", "—", "–", "-", "_", ".", ",", ":", "(", ")", "#", "+", "@", "$", "%", "'", '"', "x", "a"]


def _mixes(pieces: list[str], n: int, seed: int, size: int = 10) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, size))) for _ in range(n)]


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


# --- figures --------------------------------------------------------------------

NAME_PIECES = ODD + [
    "Putin", "Xi Jinping", "V.", "J. ", "Bashar al-Assad", "al-", "el-", "ad-", "ash-", "bin-", "ibn-", "abu-",
    "an-", "ul-", "fatal-", "Iran-Iraq", "Russian-Chinese", "-Xi", "bin ", "de ", "von ", " and ", "Émile", "Ölaf",
    "ÀB", "President ", "said", "O’Neil", "D'Arcy", "Abdullah II", "US", "the ",
]


@pytest.mark.parametrize("seed", range(3))
def test_cand_runs_equal_cand_finditer(seed):
    for s in _mixes(NAME_PIECES, 5000, seed, size=14):
        assert _spans(figures._cand_runs(s)) == _spans(figures.CAND.finditer(s)), s


TITLE_PIECES = ODD + ["president", "President", "PRESIDENT", "vice-president", "secretary-general", "general",
                      "spokesperson", "spokespersons", "counterparts", "counterpart", "head", "overhead", "chief",
                      "mischief", "minister", "the ", "1", "_", "x-", "-", "KING", "kingdom"]


@pytest.mark.parametrize("seed", range(3))
def test_title_before_equals_the_pattern(seed):
    for s in _mixes(TITLE_PIECES, 5000, seed, size=8):
        for start in {len(s), max(0, len(s) - 1), len(s) // 2}:
            window = s[max(0, start - 40):start]
            assert figures._title_before(s, start) == bool(figures._TITLE_BEFORE.search(window)), (s, start)


def test_title_before_on_long_windows():
    for s in ["x" * 50 + " president ", "a" * 35 + "overhead", "b" * 33 + " head", "Kremlin spokesperson ",
              "the vice-president\u00a0", "the secretary-general\n", "lead-head", "_head", "1head"]:
        assert figures._title_before(s, len(s)) == bool(figures._TITLE_BEFORE.search(s[-40:])), s


# --- gazetteer ------------------------------------------------------------------

def _matchers() -> list[Matcher]:
    a, b, c = Matcher(), Matcher(), Matcher()
    a.add("United States", ("country", "USA", "name"))
    a.add("US", ("country", "USA", "name"), case_sensitive=True)
    a.add("U.S.", ("country", "USA", "name"), case_sensitive=True)
    a.add("us", ("country", "XXX", "name"))  # the same fold as a case-sensitive one
    a.add("Éire", ("country", "IRL", "name"))
    b.add("SCO", ("organization", "sco", "SCO"), case_sensitive=True)
    b.add("Shanghai Cooperation Organisation", ("organization", "sco", "SCO"))
    b.add("US", ("organization", "us-org", "US"), case_sensitive=True)  # in two matchers
    b.add("United", ("organization", "un", "United"))
    c.add("Shanghai", ("place", "shanghai", "CHN"))
    c.add("States", ("place", "states", None))
    return [m.finish() for m in (a, b, c)]


GAZ_PIECES = ODD + ["United States", "US", "U.S.", "us", "Us", "SCO", "sco", "Shanghai", "Cooperation",
                    "Organisation", "States", "Éire", "EIRE", "eire", "United"]


@pytest.mark.parametrize("seed", range(3))
def test_multimatcher_equals_each_matcher(seed):
    ms = _matchers()
    multi = MultiMatcher(ms)
    for s in _mixes(GAZ_PIECES, 3000, seed, size=8):
        f = fold(s)
        assert multi.find(s, f) == [m.find(s, f) for m in ms], s
        assert multi.find(s) == [m.find(s) for m in ms], s


def test_entity_hits_equal_the_gazetteer_matchers():
    gz = gazetteer.load()
    for s in ["Presidents of the US and Russia met in Moscow at the SCO summit in Shanghai.",
              "The U.S. and the UK; Washington, Beijing, the Shanghai Cooperation Organisation (SCO).", ""]:
        f = fold(s)
        assert gz.entity_hits(s, f) == [gz.country_matcher.find(s, f), gz.org_matcher.find(s, f),
                                        gz.place_matcher.find(s, f)]


def _fold_reference(s: str) -> str:
    return "".join(gazetteer._fold_char(c) for c in s)


@pytest.mark.parametrize("seed", range(2))
def test_fold_is_the_character_by_character_fold(seed):
    for s in _mixes(ODD + ["ÀÉÎÕÜ", "ß", "ﬁ", "Straße", "Ⅻ"], 5000, seed):
        if len(s.lower()) == len(s) and "\u03a3" not in s:  # the fast path
            assert fold(s) == _fold_reference(s), s


# --- quantities -----------------------------------------------------------------

SKIP_PIECES = ODD + ["http://x.org/a", "https://", "www.", "www", "#tag", "+7 (495) 123-45-67", "(202) 456-1111",
                     "202.456.1111", "12", "3", "httphttp", "wwww.", "http", "h", "w", "(", "+", "1,000"]


@pytest.mark.parametrize("seed", range(3))
def test_skip_starts_and_spans_as_the_regex_has_them(seed):
    for s in _mixes(SKIP_PIECES, 5000, seed):
        assert quantity_skips.skip_starts(s) == [m.start() for m in quantity_skips.SKIP_START.finditer(s)], s
        assert quantity_skips.skip_spans(s) == _spans(quantity_skips.SKIP_SPANS.finditer(s)), s


def test_digit_runs_as_before():
    for s in _mixes(ODD + ["1", "23", "4.5", "٣", "²", "x9"], 5000, seed=1):
        assert _spans(quantity_numbers.DIGIT_RUN.finditer(s)) == _spans(re.finditer(r"\d+", s)), s


NUMBER_PIECES = ODD + list(quantity_numbers.WORD_NUMS) + ["Four", "FOURTEEN", "often", "attention", "sixty", "ninety",
                                                      "twenty-one", "Two", "tw", "thirt", "fif", "hundreds"]


@pytest.mark.parametrize("seed", range(3))
def test_word_numbers_as_the_regex_has_them(seed):
    for s in _mixes(NUMBER_PIECES, 5000, seed):
        assert _spans(quantity_numbers.word_numbers(s)) == _spans(quantity_numbers.WORD_NUM.finditer(s)), s


# --- text -----------------------------------------------------------------------

def test_boundary_pattern_as_before():
    old = re.compile(r"""[.!?…]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9А-Я])""")
    for s in _mixes(ODD + [".", "!", "?", "…", "..", " A", " a", "” B", "Я", "9"], 5000, seed=2):
        assert _spans(text._BOUNDARY.finditer(s)) == _spans(old.finditer(s)), s


def _sentence_at_reference(spans, offset):
    return next((sp for sp in spans if sp[0] <= offset < sp[1]), None)


def test_sentence_at_is_the_span_holding_the_offset():
    rnd = random.Random(3)
    for _ in range(2000):
        cuts = sorted(rnd.sample(range(60), rnd.randint(0, 12)))
        spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if b > a]
        for off in range(-2, 62):
            assert text.sentence_at(spans, off) == _sentence_at_reference(spans, off), (spans, off)


@pytest.mark.parametrize("seed", range(2))
def test_keyword_positions_are_every_find(seed):
    words = sorted(text._KEYWORDS)
    pieces = ODD + words + [w.upper() for w in words] + ["İ", "ſco", "ſummit"]
    for s in _mixes(pieces, 2000, seed):
        got = text.keyword_positions(s)
        view = text.keyword_view(s)
        if len(view) != len(s):
            assert got is None
            continue
        for w in words:
            expected, i = [], view.find(w)
            while i >= 0:
                expected.append(i)
                i = view.find(w, i + 1)
            assert got.get(w, []) == expected, (s, w)


# --- quotes ---------------------------------------------------------------------

LABEL_PIECES = ODD + ["President of Russia Vladimir Putin", "MS. PSAKI", ":", ": ", ":A", "Q", " said", "x" * 60,
                      "Sebastian Kurz (retranslated)", "“quote”"]


@pytest.mark.parametrize("seed", range(2))
def test_label_needs_a_colon_in_reach(seed):
    for s in _mixes(LABEL_PIECES, 5000, seed):
        if s.find(":", 1, min(len(s), 102)) < 0:
            assert quote_transcript._LABEL.match(s, 0, len(s)) is None, s


def test_quotes_found_among_paragraphs_without_marks():
    doc = "Putin said so.\nNo marks here at all.\n“We agree on all of it,” Xi said.\nPlain again."
    start = doc.find("Xi")
    ments = [{"start": start, "end": start + 2, "entity_id": "xi-jinping", "surface": "Xi"}]
    got = quotes.extract_quotes(doc, ments)
    assert [(q["text"], q["figure_id"], q["verb"]) for q in got] == [("We agree on all of it", "xi-jinping", "said")]


# --- events ---------------------------------------------------------------------

SCO_PIECES = ODD + ["SCO", "sco", "Shanghai Cooperation Organization", "Shanghai Cooperation Organisation (SCO)",
                    "shanghai", "SCOs", "xSCO", "ſco", "summit", "Summit", "council", "met", "talks"]


@pytest.mark.parametrize("seed", range(2))
def test_has_sco_as_the_regex_has_it(seed):
    for s in _mixes(SCO_PIECES, 5000, seed):
        assert events._has_sco(s) == bool(events._HAS_SCO.search(s)), s


def test_sentences_with_holds_every_sentence_with_a_word():
    for s in _mixes(SCO_PIECES + [". ", ". A", "\n"], 2000, seed=4, size=16):
        spans = text.sentence_spans(s)
        starts = [a for a, _ in spans]
        got = events._sentences_with(s, spans, starts, events._SUMMIT_WORDS)
        for k, (a, b) in enumerate(spans):
            if any(w in text.keyword_view(s[a:b]) for w in events._SUMMIT_WORDS):
                assert k in got, (s, k)
