"""Clean: raw records in, `documents` rows out (before deduplication).

Repair the text (mojibake, Unicode, whitespace, hyphenation, markdown), split
forum threads into posts, drop site chrome by method and by the short pattern
list in `chrome.py`, drop paragraphs repeated inside a document, then read the
title, publication date, outlet and language.
"""
from __future__ import annotations

import bisect
import hashlib
import html
import itertools
import multiprocessing
import re
import unicodedata
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

import ftfy
import ftfy.badness
import numpy as np

from flows import chrome, forum
from flows.dates import _text_order, infer_published_date

_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
# runs of spaces that need a change (two or more, or any other kind): replacing
# every single space by itself would cost a substitution per word
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# `_SPACES.sub(" ", text)` is done as: every other kind of space becomes a space
# (`str.replace`), then runs of spaces one space (a regex with a literal prefix, which
# sre skips to). A maximal run of spaces of any kind becomes one space either way.
_OTHER_SPACES = frozenset("\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")
_SPACE_RUN = re.compile("  " + " *")  # " {2,}", spelt so that "  " is a literal prefix
# found from the "-" (a literal prefix sre searches for), not from every word character
_HYPHEN_BREAK = re.compile(r"-(?<=\w-)\n(?=[a-z])")
_GLUED_URL = re.compile(r"(https?://\S*?\d)(?=[A-Z][A-Za-z]*\s)")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://|/|#)[^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_MD_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]{1,4}(?=\S)", re.M)
_MD_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.M)
_MD_BLOCK_START = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]|(?:[-*+]|\d+\.)[ \t]|>)")
# a line of "\n" + "\n".join(lines) that `_MD_BLOCK_START` matches (searched from the "\n")
_MD_BLOCK_STARTS = re.compile(r"\n[ \t]{0,3}(?:#{1,6}[ \t]|(?:[-*+]|\d+\.)[ \t]|>)")
# a metadata label glued to the start of a text: "date 2022-09-15 Russian Presidential ..."
_LEADING_META = re.compile(r"^\s*(?:date|published|posted|updated)\s*:?\s*\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\s+", re.I)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_SENTENCE_END = re.compile(r"""[.!?…:;]["'”’»)\]]*$""")
_DATELINE = re.compile(r"\b[A-Z][A-Z .'-]{2,30}, [A-Z][a-z]+ \d{1,2}\s*\.?\s*/\s*(?P<tag>[A-Za-z][A-Za-z -]{1,20}?)\s*/")
_WORD = re.compile(r"\w+")
REFERENCE = Path(__file__).resolve().parent.parent / "seeds" / "reference"

# Cross-document chrome: a line counts as repeated chrome when it stands in at
# least this many documents of one source, and this share of them.
REPEAT_MIN_DOCS = 5
REPEAT_MIN_SHARE = 0.02
PARALLEL_SLICE = 250  # records a worker process cleans at a time
LANGUAGE_SAMPLE = 600  # characters of the text the language is detected on


# Typographic punctuation and spaces that never make ftfy's badness regex match,
# alone or together with ASCII (checked exhaustively over all strings of up to 5
# characters drawn from these and ASCII letters, digits, spaces and punctuation).
_MOJIBAKE_SAFE = frozenset("’\xa0”“—–…‘‑\u202f\u2003\u2009\u200b•−")
# ftfy's badness patterns span at most ~5 characters around a non-ASCII one: look
# only at those windows (runs of non-ASCII characters less than 6 apart are merged)
_NON_ASCII_WINDOW = re.compile(r".{0,2}[^\x00-\x7f](?:[\x00-\x7f]{0,5}[^\x00-\x7f])*.{0,3}", re.S)
# the same windows, found from their non-ASCII runs (a character class sre skips to,
# where ".{0,2}" first is tried at every position), then widened by 2 and 3
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f](?:[\x00-\x7f]{0,5}[^\x00-\x7f])*")


def non_ascii_windows(text: str) -> list[str]:
    """`_NON_ASCII_WINDOW.findall(text)`: runs are 6 or more ASCII characters apart, so
    windows never overlap."""
    return [text[max(0, m.start() - 2):m.end() + 3] for m in _NON_ASCII_RUN.finditer(text)]


def non_ascii(text: str) -> set[str]:
    """The distinct non-ASCII characters of `text` (its UTF-8 bytes without the ASCII
    ones, decoded: all in C, ~10x faster than `set(text)` on a page)."""
    return set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))


_ASCII_BYTES = bytes(range(128))


def looks_mojibake(text: str) -> bool:
    """ftfy's own check (`badness.is_bad`), without scanning a whole page of ASCII."""
    if text.isascii():
        return False
    if non_ascii(text).issubset(_MOJIBAKE_SAFE):
        return False
    return ftfy.badness.is_bad("\n" + "\n".join(non_ascii_windows(text)))


def repair(text: str) -> str:
    """Fix mojibake and Unicode, tidy whitespace and hyphenation; keep the words."""
    # ftfy's full repair costs ~6 ms a page; its own check says when it is needed
    if looks_mojibake(text):
        text = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
    else:
        text = unicodedata.normalize("NFC", text)
        if _ENTITY.search(text):  # "&amp;" and "&#8220;" left by a scraper
            text = html.unescape(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CTRL.sub("", text)
    for c in ({"\t"} if "\t" in text else set()).union(non_ascii(text)).intersection(_OTHER_SPACES):
        text = text.replace(c, " ")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    text = _HYPHEN_BREAK.sub("", text)
    text = _GLUED_URL.sub(r"\1\n", text)
    return "\n".join([line.strip() for line in text.split("\n")])


_MD_HINT = re.compile(r"^\s{0,3}#{1,6} \S|\*\*\S", re.M)


# Inline HTML left in markdown or plain text (White House markdown carries tables,
# underlines, figures): the tags go, their text stays. Only elements of the HTML
# standard are tags here, so "a < b > c" or "<Name>" stays as it is. Block elements
# end a line (a table row, a paragraph); a cell leaves a space; the rest leave nothing.
_HTML_BLOCK = ("address article aside blockquote br caption dd div dl dt figcaption figure footer h1 h2 h3 h4 "
               "h5 h6 header hr li main nav ol p pre section table tbody tfoot thead tr ul")
_HTML_CELL = "td th"
_HTML_INLINE = ("a abbr b bdi bdo cite code col colgroup data del dfn em font i img ins kbd mark q s samp small "
                "span strong sub sup time u var wbr")
_HTML_TAG = re.compile(r"</?(%s)\b(?:\s[^<>]{0,1000})?/?>" % "|".join(
    sorted((_HTML_BLOCK + " " + _HTML_CELL + " " + _HTML_INLINE).split(), key=len, reverse=True)), re.I)
_HTML_KIND = {**{t: "\n" for t in _HTML_BLOCK.split()}, **{t: " " for t in _HTML_CELL.split()}}
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")  # markdown's <https://...>: the address stays
_TAG_GAPS = re.compile(r"[ \t]{2,}")


def strip_html_tags(text: str) -> str:
    if "<" not in text:
        return text
    text = _AUTOLINK.sub(r"\1", text)
    text, n = _HTML_TAG.subn(lambda m: _HTML_KIND.get(m.group(1).lower(), ""), text)
    if n:  # tidy the spaces the tags left, as `repair` tidied the rest
        text = "\n".join(_TAG_GAPS.sub(" ", ln).strip() for ln in text.split("\n"))
    return text


def looks_markdown(text: str) -> bool:
    # the regex only where it can match: a page with neither "#" nor "**" has no heading nor emphasis
    return "](" in text or (("#" in text or "**" in text) and _MD_HINT.search(text) is not None)


def strip_markdown(text: str) -> str:
    # each substitution only where it can match (it is run on every line of a page):
    # the character it needs is in the text, or for a bullet, starts the one line
    if "![" in text:
        text = _MD_IMAGE.sub("", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "**" in text or "__" in text:
        text = _MD_EMPH.sub(r"\2", text)
    if "#" in text:
        text = _MD_HEADING.sub("", text)
    if "\n" in text or (text.lstrip(" \t")[:1] in ("-", "*", "+") or text.lstrip(" \t")[:1].isdecimal()):
        text = _MD_BULLET.sub("", text)
    if ">" in text:
        text = _MD_QUOTE.sub("", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return text


def unwrap(text: str, markdown: bool = False) -> list[str]:
    """Paragraph lines. Blocks separated by blank lines whose lines are all short
    were hard-wrapped (markdown, e-mail): join them into one line, but start a
    new one at a markdown heading, list item or quote."""
    if "\n\n" not in text and not markdown:  # markdown wraps paragraphs with single newlines
        return text.split("\n")
    blocks = [[ln for ln in block.split("\n") if ln.strip()] for block in re.split(r"\n\s*\n", text)]
    # blocks of short lines, to join unless a line is chrome: their chrome is looked
    # for in one pass over all of their lines (`chrome.candidate_lines`)
    short = [k for k, lines in enumerate(blocks) if len(lines) > 1 and max(map(len, lines)) <= 100]
    flat = [ln for k in short for ln in blocks[k]]
    ends = list(itertools.accumulate(len(blocks[k]) for k in short))  # where each short block ends in `flat`
    has_chrome = set()
    for i in chrome.candidate_lines(flat):
        k = short[bisect.bisect_right(ends, i)]
        if k not in has_chrome and chrome.chrome_kind(flat[i]):
            has_chrome.add(k)
    short_set = set(short)
    out: list[str] = []
    for k, lines in enumerate(blocks):
        if k in short_set and k not in has_chrome and not _MD_BLOCK_STARTS.search("\n" + "\n".join(lines[1:])):
            out.append(" ".join(map(str.strip, lines)))  # one paragraph (the loop below, faster)
        elif k in short_set and k not in has_chrome:
            para: list[str] = []
            for ln in lines:
                if para and _MD_BLOCK_START.match(ln):
                    out.append(" ".join(para))
                    para = []
                para.append(ln.strip())
            out.append(" ".join(para))
        else:
            out.extend(lines)
    return out


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


def split_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """A first line that reads as a headline (short, no closing full stop) and is
    followed by body text becomes the title."""
    if len(lines) >= 2:
        first = lines[0].strip()
        if 2 <= len(first.split()) <= 25 and not re.search(r"[.!?;:,]$", first) and is_sentence(lines[1]):
            return first, lines[1:]
    return None, lines


@lru_cache(maxsize=1)
def outlets() -> tuple[dict[str, dict], dict[str, str]]:
    """domain -> outlet row (name, licence), and dateline tag -> outlet name,
    from seeds/reference/outlets.csv."""
    import csv

    by_domain, by_tag = {}, {}
    with open(REFERENCE / "outlets.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_domain[row["domain"].lower()] = row
            if row["dateline_tag"]:
                by_tag[row["dateline_tag"].lower()] = row["name"]
    return by_domain, by_tag


@lru_cache(maxsize=1024)  # a document asks twice: its outlet and its licence
def _outlet_row(url: str | None) -> tuple[str, dict | None]:
    host = (urlparse(url).hostname or "").lower().removeprefix("www.") if url else ""
    by_domain, _ = outlets()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        row = by_domain.get(".".join(parts[i:]))
        if row:
            return host, row
    return host, None


def outlet_from_url(url: str | None) -> str | None:
    host, row = _outlet_row(url)
    return row["name"] if row else (host or None)


def licence_from_url(url: str | None) -> str:
    """The text's licence, when its site states one (seeds/reference/outlets.csv)."""
    _, row = _outlet_row(url)
    return (row or {}).get("licence") or "unknown"


def outlet_from_dateline(text: str) -> str | None:
    head = text[:3000]
    m = _DATELINE.search(head) if "/" in head else None  # a dateline holds "/ TAG /"
    if not m:
        return None
    _, by_tag = outlets()
    tag = m.group("tag").strip()
    return by_tag.get(tag.lower(), tag)


def detect_language(text: str) -> str:
    import py3langid

    # a paragraph is plenty: py3langid's cost grows with the sample (0.6 ms for 1,500
    # characters, 0.28 ms for 600), and on the Kremlin and White House corpora 600
    # characters agree with 1,500 on all but 3 of 7,150 documents
    sample = text[:LANGUAGE_SAMPLE]
    if sum(map(str.isupper, sample)) > sum(map(str.islower, sample)):  # a memo's capitalised header
        sample = sample.lower()
    lang, _ = py3langid.classify(sample)
    return lang if re.fullmatch(r"[a-z]{2}", lang or "") else "und"[:2]


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def parse_date_string(value: str) -> date | None:
    """A metadata date (JSON field, HTML meta): ISO 8601, with or without a time."""
    m = _ISO_DATE.match(value)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def doc_id_for(source_uri: str) -> str:
    return "d-" + hashlib.sha256(source_uri.encode("utf-8")).hexdigest()[:16]


_HEAD_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2((?:19|20)\d{2})(?!\d)\.?\s*$")
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def headline_numeric_date(text: str) -> date | None:
    """A numeric date closing the first line ("Putin reveals ... progress, 07.04.2023.").
    Day-first when the first number exceeds 12, month-first when the second does.
    Otherwise the reading whose weekday the text names ("... on Tuesday") when only
    one of the two does, else the text's own habit (`dates._text_order`, as the
    README says)."""
    first = text.lstrip().split("\n", 1)[0]
    m = _HEAD_NUMERIC_DATE.search(first)
    if not m:
        return None
    a, b, y = int(m[1]), int(m[3]), int(m[4])
    dmy = _safe(y, b, a)
    mdy = _safe(y, a, b)
    if a > 12 or b > 12 or dmy == mdy:
        return dmy or mdy
    if dmy is None or mdy is None:
        return dmy or mdy
    named = {w.lower() for w in _WEEKDAY.findall(text[:3000])}
    fits = [d for d in (dmy, mdy) if d.strftime("%A").lower() in named]
    if len(fits) == 1:
        return fits[0]
    return dmy if _text_order(text) == "dmy" else mdy


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _published(rec_date: str | None, text: str, raw: str) -> tuple[date | None, str]:
    if rec_date:
        d = parse_date_string(rec_date)
        if d:
            return d, "explicit"
    d, how = infer_published_date(raw)
    if d:
        return d, how
    d = headline_numeric_date(text)
    if d:
        return d, "explicit"
    return None, "none"


def _document(rec: dict, uri: str, lines: list[str], raw_for_date: str, extra: dict, **over) -> dict | None:
    title = rec.get("title")
    if title is None:
        title, lines = split_title(lines)
    text = "\n".join(lines).strip()
    if not text:
        return None
    if over.get("published"):  # a forum post's own date line
        pub, how = over["published"], "explicit"
    else:
        pub, how = _published(rec.get("date"), text, raw_for_date)
    url = over.get("url") or rec.get("url") or (extra["urls"][0] if extra.get("urls") else None)
    source_name = (rec.get("source_name") or outlet_from_dateline(text)
                   or extra.get("source_line") or outlet_from_url(url))
    return {
        "doc_id": doc_id_for(uri),
        "source_uri": uri,
        "parent_uri": over.get("parent_uri", rec.get("parent_uri")),
        "url": url,
        "source_name": source_name,
        "title": title.strip() if title else None,
        "author": over.get("author") or rec.get("author"),
        "published_date": pub,
        "published_date_source": how,
        "language": detect_language(text),
        "text": text,
        "n_words": len(text.split()),
        "content_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "duplicate_of": None,
        "post_number": over.get("post_number"),
        "source_format": rec["source_format"],
        # a forum post quoting an article is the forum's text, not the outlet's: unknown
        "licence": "unknown" if over.get("forum") else licence_from_url(url),
    }


def clean_record(rec: dict, repeated: set[str] = frozenset()) -> tuple[list[dict], list[dict]]:
    """Documents and rejects from one raw record (a thread gives one document per post)."""
    text = strip_html_tags(repair(rec["raw"]))
    markdown = looks_markdown(text)
    lines = unwrap(text, markdown)  # before markdown is stripped: emphasis may cross a hard wrap
    if markdown:
        lines = [strip_markdown(ln) for ln in lines]
    if lines:
        lines[0] = _LEADING_META.sub("", lines[0])
    uri = rec["source_uri"]
    if forum.is_thread(lines):
        posts = forum.split_thread(lines)
        forum.drop_quoted_replies(posts)
        docs, rejects = [], []
        for k, post in enumerate(posts, start=1):
            body, keys, extra = _strip_chrome(post["lines"], repeated)
            body = dedup_paragraphs(body, keys)
            frag = f"post-{post['post_number']}" if post["post_number"] is not None else f"post-at-{k}"
            raw_post = "\n".join(post["lines"])
            doc = _document({**rec, "title": None}, f"{uri}#{frag}", body, raw_post, extra,
                            parent_uri=uri, author=post["author"], post_number=post["post_number"], forum=True,
                            url=forum.first_url(post["lines"]), published=post.get("date"))
            if doc:
                docs.append(doc)
            else:
                rejects.append({"source_uri": f"{uri}#{frag}", "reason": "no text after cleaning",
                                "detail": f"forum post by {post['author']}: only chrome or links"})
        return docs, rejects
    body, keys, extra = _strip_chrome(lines, repeated)
    body = dedup_paragraphs(body, keys)
    doc = _document(rec, uri, body, text, extra)
    if doc is None:
        return [], [{"source_uri": uri, "reason": "no text after cleaning", "detail": "only chrome"}]
    return [doc], []


def source_group(rec: dict) -> str:
    """Documents of one source share chrome: one JSONL file, or one folder."""
    return rec.get("parent_uri") or rec["source_uri"].rsplit("/", 1)[0]


def _clean_one(rec: dict, repeated: set[str]) -> tuple[list[dict], list[dict]]:
    try:
        return clean_record(rec, repeated)
    except Exception as e:  # one bad record never stops the batch
        return [], [{"source_uri": rec["source_uri"], "reason": "cleaning failed", "detail": f"{type(e).__name__}: {e}"}]


# (record, index of its source group) for the worker processes of clean_batch: set
# before the pool forks, so the records are never pickled on the way in.
_WORK: list[tuple[dict, int]] = []


def _key_counts(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the records `_WORK[lo:hi]` (one source group): each distinct `line_keys` key,
    as (hash, number of records that have it, where one of them has it: record
    position << 32 | line index). Arrays of numbers: cheap to send back, unlike the
    keys themselves (about the size of the text)."""
    counts: Counter[str] = Counter()
    where: dict[str, int] = {}
    for pos in range(*bounds):
        lines = _WORK[pos][0]["raw"].split("\n")
        idx = _non_sentences(lines)
        # each key of the record once, with the index of a line that has it
        keys = dict(zip(_norm_lines([lines[i] for i in idx]), [pos << 32 | i for i in idx]))
        counts.update(keys.keys())
        where.update(keys)
    counts.pop("", None)
    n = len(counts)
    return (np.fromiter(map(hash, counts), dtype=np.int64, count=n),
            np.fromiter(counts.values(), dtype=np.int64, count=n),
            np.fromiter(map(where.__getitem__, counts), dtype=np.int64, count=n))


def _repeated_parallel(pool, spans: list[tuple[int, int]]) -> list[set[str]]:
    """`repeated_lines` of each group `_WORK[lo:hi]`, with the keys counted in the pool.

    Exact, though the workers send hashes: a key that stands in enough records has a
    hash that does (a hash collision only adds to a count), so only the entries of such
    hashes are read again, from the raw line they point at, and counted by key."""
    tasks = [(g, (i, min(i + PARALLEL_SLICE, hi))) for g, (lo, hi) in enumerate(spans) for i in range(lo, hi, PARALLEL_SLICE)]
    parts: list[list] = [[] for _ in spans]
    for (g, _), part in zip(tasks, pool.map(_key_counts, [b for _, b in tasks])):
        parts[g].append(part)
    out = []
    for (lo, hi), group in zip(spans, parts):
        floor = max(REPEAT_MIN_DOCS, REPEAT_MIN_SHARE * (hi - lo))
        if not group:
            out.append(set())
            continue
        hashes, counts, where = (np.concatenate(x) for x in zip(*group))
        _, inverse = np.unique(hashes, return_inverse=True)
        by_hash = np.bincount(inverse, weights=counts)
        maybe = by_hash[inverse] >= floor
        exact: Counter[str] = Counter()
        for c, w in zip(counts[maybe].tolist(), where[maybe].tolist()):
            line = _WORK[w >> 32][0]["raw"].split("\n")[w & 0xFFFFFFFF]
            exact[_norm_lines([line])[0]] += c
        out.append({k for k, c in exact.items() if c >= floor})
    return out


def _clean_slice(task: tuple[int, int, dict[int, set[str]]]) -> list[tuple[list[dict], list[dict]]]:
    lo, hi, repeated = task
    return [_clean_one(rec, repeated[g]) for rec, g in _WORK[lo:hi]]


def clean_batch(records: list[dict], workers: int = 1,
                repeated_by_group: dict[str, set[str] | frozenset] | None = None) -> tuple[list[dict], list[dict]]:
    """Documents and rejects for a batch of raw records.

    `repeated_by_group` (source group -> repeated lines, see `repeated_lines`) gives
    the repeated lines of a group counted beyond this batch (an incremental build);
    a group it does not name is counted over the batch.

    `workers` > 1 cleans slices of the batch in that many forked processes (same
    output, same order); lines repeated across a source are counted first, over
    the whole batch (in the same processes). Forking is for plain scripts (the
    benchmark, a CLI run), not for a process that runs threads, such as Prefect's
    task runner.
    """
    groups: dict[str, list[dict]] = {}
    for rec in records:
        groups.setdefault(source_group(rec), []).append(rec)
    # raw lines are close enough to count repeats, and spare a second repair() pass
    given = [repeated_by_group is not None and group in repeated_by_group for group in groups]
    count = [not g and len(recs) >= REPEAT_MIN_DOCS for g, recs in zip(given, groups.values())]
    n = sum(map(len, groups.values()))
    if workers > 1 and n >= 4 * PARALLEL_SLICE and "fork" in multiprocessing.get_all_start_methods():
        global _WORK
        _WORK = [(rec, g) for g, recs in enumerate(groups.values()) for rec in recs]
        detect_language("Load the language model once, before the workers fork.")
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                spans, lo = [], 0
                for recs in groups.values():
                    spans.append((lo, lo + len(recs)))
                    lo += len(recs)
                counted = iter(_repeated_parallel(pool, [span for span, c in zip(spans, count) if c]))
                repeated = [repeated_by_group[group] if g else (next(counted) if c else set())
                            for group, g, c in zip(groups, given, count)]
                tasks = []
                for i in range(0, n, PARALLEL_SLICE):
                    hi = min(i + PARALLEL_SLICE, n)
                    tasks.append((i, hi, {g: repeated[g] for g in {_WORK[k][1] for k in range(i, hi)}}))
                results = [r for part in pool.imap(_clean_slice, tasks) for r in part]
        finally:
            _WORK = []
    else:
        results = []
        for (group, recs), g, c in zip(groups.items(), given, count):
            if g:
                repeated = repeated_by_group[group]
            else:
                repeated = repeated_lines([r["raw"].split("\n") for r in recs]) if c else set()
            results.extend(_clean_one(rec, repeated) for rec in recs)
    docs, rejects = [], []
    for d, j in results:
        docs.extend(d)
        rejects.extend(j)
    return docs, rejects
