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

_SENTENCE_END = re.compile(r"""[.!?…:;。！？]["'”’»)\]」』]*$""")
_WORD = re.compile(r"\w+")

# Cross-document chrome: a line counts as repeated chrome when it stands in at
# least this many documents of one source, and this share of them.
REPEAT_MIN_DOCS = 5
REPEAT_MIN_SHARE = 0.02


def _norm_line(line: str) -> str:
    return " ".join(_WORD.findall(line.lower()))


_CLOSERS = "\"'”’»)]」』"


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
    return bool(t) and t[-1] in _SENTENCE_PUNCT


# Chinese and Japanese end sentences with full-width marks
_SENTENCE_PUNCT = frozenset(".!?…:;。！？")


CHROME_MAX_WORDS = 20  # a line of chrome is shorter: a longer line that repeats is boilerplate text
# an enumerated clause ("(i) the authority granted by law ...", "2. Definitions"):
# legal and structured text repeats across an outlet's documents and is content
_ENUMERATED = re.compile(r"^\s*(?:\(\w{1,4}\)|\d{1,3}[.)])\s")


def _chrome_candidates(lines: list[str]) -> list[int]:
    """Indices of the lines that may be chrome when they repeat across an outlet's
    documents: short ones (fewer than `CHROME_MAX_WORDS` words), whatever their end
    ("Do you like the content of this article?", "WRITER:", a related headline), but
    no enumerated clause."""
    return [i for i, ln in enumerate(lines)
            if ln.count(" ") < CHROME_MAX_WORDS + 10 and len(ln.split()) < CHROME_MAX_WORDS
            and not _ENUMERATED.match(ln)]


def line_keys(lines: list[str]) -> set[str]:
    """One document's normalised chrome candidates (`_chrome_candidates`): what
    repeated chrome is counted on, on the lines as cleaning sees them (prepare)."""
    # a blank line's key is "" (dropped)
    return set(_norm_lines([lines[i] for i in _chrome_candidates(lines)])) - {""}


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


class RepeatedHashes(frozenset):
    """Repeated lines known by their key hashes (`repeated_from_hashes`): a line key
    is in it when its hash is. Used where `repeated_lines`' strings are."""

    def __contains__(self, key) -> bool:
        return frozenset.__contains__(self, key_hash(key) if isinstance(key, str) else key)


def repeated_from_hashes(hashes: list[np.ndarray], n_records: int) -> RepeatedHashes:
    """`repeated_from_keys` over `key_hashes` arrays (several records' arrays may
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


# scripts written without spaces between words (CJK, kana, hangul, Thai): a line of
# them is a sentence by its length, not by its count of space-separated words
_UNSPACED_SCRIPT = re.compile(r"[\u0E00-\u0E7F\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF]")
# a list item, a table row or a quotation: content however short ("14) Thriller",
# "| DL | 63 |", "Reuters: “Win for Trump”")
_STRUCTURED = re.compile(r"^\s*(?:\d{1,3}[.)]\s|[-•*–]\s|\|)|\t|\|\s*$|[”»\"]\s*$")
TAIL_RUN_MAX = 5  # more short lines than this at a page's end are a list (awards, venues), not chrome


def is_sentence(line: str) -> bool:
    s = line.strip()
    if ends_sentence(s) or len(s.split()) >= 12:
        return True
    return len(s) >= 15 and _UNSPACED_SCRIPT.search(s) is not None and len(s) > 10 * len(s.split())


def _tail_start(kept: list[str]) -> int:
    """Where the chrome at the end of a page starts: the run of short lines that are no
    sentence after the last sentence (links, ads, labels), unless it is long (a list)
    or holds list items or table rows (content: the tail starts after the last)."""
    i = len(kept)
    while i > 1 and not is_sentence(kept[i - 1]):
        i -= 1
    if len(kept) - i > TAIL_RUN_MAX:
        return len(kept)
    for j in range(len(kept) - 1, i - 1, -1):
        if _STRUCTURED.search(kept[j]):
            return j + 1
    return i


def strip_chrome(lines: list[str], repeated: set[str]) -> tuple[list[str], dict]:
    """Lines without chrome, and what the chrome told us (source name, urls)."""
    kept, _, found = _strip_chrome(lines, repeated)
    return kept, found


def _chrome_lines(lines: list[str], norms: list[str], kinds: list[str | None], repeated: set[str]) -> list[bool]:
    """Which lines are chrome: a pattern's (but a bare URL, see `_strip_chrome`), or a
    line repeated across the outlet that ends no sentence. A repeated line that ends
    one ("Do you like the content of this article?", "Your subscription has been
    successful.") is chrome when it is a label ("WRITER:", "READ:") or stands next to
    chrome that a pattern names (a share button, a sign-up prompt) or to such a line:
    a repeated formula inside a text ("The message said, in part:") or a signature
    ("JOSEPH R. BIDEN JR." above "THE WHITE HOUSE,") is content."""
    gone = [bool(k) and k != "url_only" for k in kinds]
    anchors = list(gone)  # what a repeated sentence must stand next to, to go
    maybe = []
    for i, (ln, norm) in enumerate(zip(lines, norms)):
        if gone[i] or not repeated or not norm or norm not in repeated:
            continue
        s = ln.strip()
        if not ends_sentence(s):
            gone[i] = True
            # two repeated lines in a row are a block of chrome ("Yes" / "No" of a
            # poll); one alone may be a document's own formula ("THE WHITE HOUSE,")
            if i and gone[i - 1] and not kinds[i - 1] and not ends_sentence(lines[i - 1].strip()):
                anchors[i] = anchors[i - 1] = True
        elif s.endswith(":") and len(s.split()) <= 2 and not _quote_follows(lines, i):
            gone[i] = anchors[i] = True
        else:
            maybe.append(i)
    changed = bool(maybe)
    while changed:  # a run of such lines next to chrome goes with it
        changed = False
        for i in maybe:
            if not anchors[i] and (_next_to(anchors, lines, i, -1) or _next_to(anchors, lines, i, 1)):
                gone[i] = anchors[i] = changed = True
    return gone


def _quote_follows(lines: list[str], i: int) -> bool:
    """Whether the next line opens a quotation: "Reuters:" / "“Win for Trump”" names
    who said it (content), where "READ:" / a headline is a link out."""
    nxt = next((ln.strip() for ln in lines[i + 1:] if ln.strip()), "")
    return nxt[:1] in "\"“‘«'"


def _next_to(gone: list[bool], lines: list[str], i: int, step: int) -> bool:
    """Whether the nearest non-blank line before (step -1) or after (+1) line i is chrome."""
    j = i + step
    while 0 <= j < len(lines) and not lines[j].strip():
        j += step
    return 0 <= j < len(lines) and gone[j]


def _strip_chrome(lines: list[str], repeated: set[str]) -> tuple[list[str], list[str], dict]:
    """`strip_chrome`, and the normalised keys of the kept lines (`_norm_lines`), which
    `dedup_paragraphs` needs next: computed once."""
    found: dict = {"urls": []}
    lowered = chrome.lower_lines(lines)  # read by both
    norms = _norm_lines(lines, lowered)
    kinds = chrome.chrome_kinds(lines, lowered)
    for i, ln in enumerate(lines):
        if ":" in ln and not kinds[i]:  # "Source: ..."
            m = chrome.SOURCE_LINE.match(ln)
            if m:
                found.setdefault("source_line", m.group("name").strip())
                kinds[i] = "source_line"
        if kinds[i] == "url_only":
            found["urls"].append(ln.strip())
    gone = _chrome_lines(lines, norms, kinds, repeated)
    kept, kept_norms, is_url = [], [], []
    for ln, norm, kind, drop in zip(lines, norms, kinds, gone):
        if ln.strip() and not drop:
            kept.append(ln)
            kept_norms.append(norm)
            is_url.append(kind == "url_only")
    # a bare URL at either end of a text is its source or a link out; between its
    # paragraphs it is content (a list of links the article gives). The tail's chrome
    # may stand after it: trimmed until neither changes the text.
    while True:
        lo, hi = 0, len(kept)
        while lo < hi and is_url[lo]:
            lo += 1
        while hi > lo and is_url[hi - 1]:
            hi -= 1
        hi = lo + _tail_start(kept[lo:hi])
        if (lo, hi) == (0, len(kept)):
            break
        kept, kept_norms, is_url = kept[lo:hi], kept_norms[lo:hi], is_url[lo:hi]
    return kept, kept_norms, found


def trim_url_edges(lines: list[str]) -> list[str]:
    """The lines without the bare URLs at either end (see `_strip_chrome`): run again
    once repeated paragraphs are gone (a URL that stood between two copies of an
    article ends the text then)."""
    lo, hi = 0, len(lines)
    while lo < hi and chrome.chrome_kind(lines[lo]) == "url_only":
        lo += 1
    while hi > lo and chrome.chrome_kind(lines[hi - 1]) == "url_only":
        hi -= 1
    return lines[lo:hi]


REPEATED_BLOCK = 2  # long repeated paragraphs in a row that make a repeated block


REPEATED_BLOCK_CHARS = 150  # normalised characters of a repeated block's long paragraphs, at least
TEMPLATE_COUNT = 3  # a paragraph this many times in one document is its structure (a meal plan's "Meal 1")


def dedup_paragraphs(lines: list[str], keys: list[str] | None = None) -> list[str]:
    """A text repeated verbatim inside a document is kept once (the first).

    What repeats is a block: at least `REPEATED_BLOCK` paragraphs of 20 normalised
    characters or more that all stood earlier, in a row (one short line may sit
    between two), `REPEATED_BLOCK_CHARS` long in all (an article quoted twice, a page
    printed twice); or a paragraph right after itself (a doubled line); or a long one
    written otherwise the second time (a pull quote in quotation marks). A paragraph
    that repeats alone among new ones, or that stands `TEMPLATE_COUNT` times or more,
    is content that repeats (the same question put to each guest, each day of a meal
    plan): it stays. A shorter line ("Thank you.", a subheading) is dropped only inside
    or at the edge of a repeated block (an article quoted twice repeats its subheadings).
    `keys`: the lines' `_norm_lines`, when the caller has them."""
    if keys is None:
        keys = _norm_lines(lines)
    counts = Counter(keys)
    first: dict[str, str] = {}  # key -> its first line as written
    status = []  # "keep", "long" (a long repeat), "short" (a short repeat)
    for i, key in enumerate(keys):
        if key in first and (counts[key] < TEMPLATE_COUNT or keys[i - 1] == key):
            status.append("long" if len(key) >= 20 else "short")
        else:
            status.append("keep")
        first.setdefault(key, lines[i].strip())
    blocks = _repeated_blocks(status, keys)

    def dropped(i: int) -> bool:
        if status[i] == "keep":
            return False
        # a pull quote: a long paragraph again, written otherwise ("“...”" around it)
        restyled = status[i] == "long" and lines[i].strip() != first[keys[i]]
        return i in blocks or (i and keys[i - 1] == keys[i]) or restyled

    return [ln for i, ln in enumerate(lines) if not dropped(i)]


def _repeated_blocks(status: list[str], keys: list[str]) -> set[int]:
    """Indices of the lines in repeated blocks (see `dedup_paragraphs`), with the short
    repeats at their edges."""
    out: set[int] = set()
    i = 0
    while i < len(status):
        if status[i] == "keep":
            i += 1
            continue
        j, longs, chars, shorts_in_a_row = i, 0, 0, 0
        while j < len(status) and status[j] != "keep" and shorts_in_a_row <= 1:
            shorts_in_a_row = shorts_in_a_row + 1 if status[j] == "short" else 0
            longs += status[j] == "long"
            chars += len(keys[j]) if status[j] == "long" else 0
            j += 1
        if longs >= REPEATED_BLOCK and chars >= REPEATED_BLOCK_CHARS:
            out.update(range(i, j))
        i = j
    return out
