"""Lines of a document: their keys, the lines repeated across a source (chrome by
method), chrome removal and paragraphs repeated inside one document.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter

import numpy as np

from flows.clean import chrome
from flows.clean.normalize import non_ascii

_SENTENCE_END = re.compile(r"""[.!?…:;]["'”’»)\]]*$""")
_WORD = re.compile(r"\w+")

# Cross-document chrome: a line counts as repeated chrome when it stands in at
# least this many documents of one source, and this share of them.
REPEAT_MIN_DOCS = 5
REPEAT_MIN_SHARE = 0.02


def _norm_line(line: str) -> str:
    return " ".join(_WORD.findall(line.lower()))


_CLOSERS = "\"'”’»)]"


# ASCII bytes that are not word characters (but the newline) become spaces; bytes of
# non-ASCII characters stay (only word characters are left by then, see `_norm_lines`)
_NON_WORD_TO_SPACE = bytes(c if c >= 128 or chr(c).isalnum() or chr(c) in "_\n" else 32 for c in range(256))


_SPACE_RUN_BYTES = re.compile(b"  " + b" *")


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what `\w` matches (re's definition)


def _norm_lines(lines: list[str], lowered: tuple[str, set[str]] | None = None) -> list[str]:
    """`_norm_line` of every line: lower case, each run of non-word characters one
    space, stripped. Done on the joined lines without a regex substitution per word
    (3x faster): the few distinct non-ASCII characters that are no word characters
    (quotes, dashes, no-break spaces) become spaces by `str.replace`, the ASCII ones by
    one `bytes.translate`, then runs of spaces become one space, and lines are stripped.
    `lowered`: `chrome.lower_lines(lines)`, when the caller has it."""
    if lowered is None:
        joined = "\n".join(lines).lower()
        others = non_ascii(joined)
    else:  # "\n" + joined, lower-cased: lower() maps that "\n" to itself, alone
        # the characters of the lower case are those of each character's lower case
        # (and a final sigma, a letter): no need to read the text again
        joined, others = lowered[0][1:], {lc for c in lowered[1] for lc in c.lower()}
    for c in others:
        if not _is_word_char(c):
            joined = joined.replace(c, " ")
    data = joined.encode("utf-8", "surrogatepass").translate(_NON_WORD_TO_SPACE)
    if b"  " in data:
        data = _SPACE_RUN_BYTES.sub(b" ", data)
    out = data.decode("utf-8", "surrogatepass").split("\n")
    if len(out) != len(lines):  # a line with a newline of its own
        return [_norm_line(ln) for ln in lines]
    return [x.strip(" ") for x in out]


def ends_sentence(stripped: str) -> bool:
    """`_SENTENCE_END.search(stripped)`, without a regex: sentence punctuation, then
    only closing quotes and brackets."""
    t = stripped.rstrip(_CLOSERS)
    return bool(t) and t[-1] in ".!?…:;"


_SENTENCE_PUNCT = frozenset(".!?…:;")


def _non_sentences(lines: list[str]) -> list[int]:
    """Indices of the lines that do not end a sentence: `not ends_sentence(ln.strip())`,
    inline (leading spaces never end a line once the closers are stripped)."""
    return [i for i, ln in enumerate(lines) if ln.rstrip().rstrip(_CLOSERS)[-1:] not in _SENTENCE_PUNCT]


def line_keys(lines: list[str]) -> set[str]:
    """One document's normalised non-sentence lines: what repeated chrome is counted on."""
    # a blank line is no sentence either; its key is "" (dropped)
    return set(_norm_lines([lines[i] for i in _non_sentences(lines)])) - {""}


def repeated_from_keys(keysets: list[set[str]]) -> set[str]:
    """Keys (see `line_keys`) that stand in many documents of one source."""
    n = len(keysets)
    if n < REPEAT_MIN_DOCS:
        return set()
    counts: Counter[str] = Counter()
    for keys in keysets:
        counts.update(keys)
    floor = max(REPEAT_MIN_DOCS, REPEAT_MIN_SHARE * n)
    return {k for k, c in counts.items() if c >= floor}


def key_hash(key: str) -> int:
    """A line key's stable 64-bit hash (the same in every process and run)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def line_key_hashes(raw: str) -> np.ndarray:
    """`line_keys` of a raw record, as sorted distinct 64-bit hashes: what a build keeps
    per record to count chrome across a source (the keys themselves are about as
    large as the text)."""
    keys = line_keys(raw.split("\n"))
    out = np.fromiter(map(key_hash, keys), dtype=np.uint64, count=len(keys))
    out.sort()
    return out


class RepeatedHashes(frozenset):
    """Repeated lines known by their key hashes (`repeated_from_hashes`): a line key
    is in it when its hash is. Used where `repeated_lines`' strings are."""

    def __contains__(self, key) -> bool:
        return frozenset.__contains__(self, key_hash(key) if isinstance(key, str) else key)


def repeated_from_hashes(hashes: list[np.ndarray], n_records: int) -> RepeatedHashes:
    """`repeated_from_keys` over `line_key_hashes` arrays (several records' arrays may
    be joined in one: each record's hashes are distinct), for `n_records` records."""
    if n_records < REPEAT_MIN_DOCS or not hashes:
        return RepeatedHashes()
    values, counts = np.unique(np.concatenate(hashes), return_counts=True)
    floor = max(REPEAT_MIN_DOCS, REPEAT_MIN_SHARE * n_records)
    return RepeatedHashes(values[counts >= floor].tolist())


def repeated_lines(docs_lines: list[list[str]]) -> set[str]:
    """Normalised lines that repeat across many documents of one source and are
    not sentences: navigation, footers, section labels."""
    return repeated_from_keys([line_keys(lines) for lines in docs_lines])


def is_sentence(line: str) -> bool:
    s = line.strip()
    return ends_sentence(s) or len(s.split()) >= 12


def strip_chrome(lines: list[str], repeated: set[str]) -> tuple[list[str], dict]:
    """Lines without chrome, and what the chrome told us (source name, urls)."""
    kept, _, found = _strip_chrome(lines, repeated)
    return kept, found


def _strip_chrome(lines: list[str], repeated: set[str]) -> tuple[list[str], list[str], dict]:
    """`strip_chrome`, and the normalised keys of the kept lines (`_norm_lines`), which
    `dedup_paragraphs` needs next: computed once."""
    found: dict = {"urls": []}
    kept, kept_norms = [], []
    lowered = chrome.lower_lines(lines)  # read by both
    norms = _norm_lines(lines, lowered)
    kinds = chrome.chrome_kinds(lines, lowered)
    for ln, norm, kind in zip(lines, norms, kinds):
        if not ln.strip():
            continue
        if ":" in ln:  # "Source: ..."
            m = chrome.SOURCE_LINE.match(ln)
            if m:
                found.setdefault("source_line", m.group("name").strip())
                continue
        if kind == "url_only":
            found["urls"].append(ln.strip())
            continue
        if kind or (repeated and norm in repeated):
            continue
        kept.append(ln)
        kept_norms.append(norm)
    # The tail of a page: short lines that are no sentence are links, ads, labels.
    while kept and not is_sentence(kept[-1]) and len(kept) > 1:
        kept.pop()
        kept_norms.pop()
    return kept, kept_norms, found


REPEATED_BLOCK = 2  # long repeated paragraphs in a row that make a repeated block


def dedup_paragraphs(lines: list[str], keys: list[str] | None = None) -> list[str]:
    """A paragraph repeated verbatim inside a document is kept once (the first).

    Paragraphs of 20 normalised characters or more are dropped at their second
    occurrence. A shorter line ("Thank you.", a subheading) is dropped only when
    it repeats inside a repeated block: next to a run of at least `REPEATED_BLOCK`
    dropped paragraphs (an article quoted twice repeats its subheadings too).
    `keys`: the lines' `_norm_lines`, when the caller has them."""
    if keys is None:
        keys = _norm_lines(lines)
    seen: set[str] = set()
    status = []  # "keep", "long" (a long repeat: dropped), "short" (a short repeat: to decide)
    for key in keys:
        if key in seen and len(key) >= 20:
            status.append("long")
        elif key in seen and key:
            status.append("short")
        else:
            status.append("keep")
        seen.add(key)

    def run(i: int, step: int) -> int:  # dropped long repeats next to line i, skipping short repeats
        n, j = 0, i + step
        while 0 <= j < len(status) and status[j] in ("long", "short"):
            n += status[j] == "long"
            j += step
        return n

    return [ln for i, (ln, st) in enumerate(zip(lines, status))
            if st == "keep" or (st == "short" and run(i, -1) < REPEATED_BLOCK and run(i, 1) < REPEATED_BLOCK)]
