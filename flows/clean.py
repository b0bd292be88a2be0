"""Clean: raw records in, `documents` rows out (before deduplication).

Repair the text (mojibake, Unicode, whitespace, hyphenation, markdown), split
forum threads into posts, drop site chrome by method and by the short pattern
list in `chrome.py`, drop paragraphs repeated inside a document, then read the
title, publication date, outlet and language.
"""
from __future__ import annotations

import hashlib
import html
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

from flows import chrome, forum
from flows.dates import _text_order, infer_published_date

_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
# runs of spaces that need a change (two or more, or any other kind): replacing
# every single space by itself would cost a substitution per word
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_HYPHEN_BREAK = re.compile(r"(?<=\w)-\n(?=[a-z])")  # found from the "-\n", not from every word character
_GLUED_URL = re.compile(r"(https?://\S*?\d)(?=[A-Z][A-Za-z]*\s)")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://|/|#)[^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_MD_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]{1,4}(?=\S)", re.M)
_MD_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.M)
_MD_BLOCK_START = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]|(?:[-*+]|\d+\.)[ \t]|>)")
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


def looks_mojibake(text: str) -> bool:
    """ftfy's own check (`badness.is_bad`), without scanning a whole page of ASCII."""
    if text.isascii():
        return False
    if set(text).difference(_ASCII_CHARS).issubset(_MOJIBAKE_SAFE):
        return False
    return ftfy.badness.is_bad("\n" + "\n".join(_NON_ASCII_WINDOW.findall(text)))


_ASCII_CHARS = frozenset(map(chr, range(128)))


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
    text = _SPACES.sub(" ", text)
    text = _HYPHEN_BREAK.sub("", text)
    text = _GLUED_URL.sub(r"\1\n", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def looks_markdown(text: str) -> bool:
    return "](" in text or bool(re.search(r"^\s{0,3}#{1,6} \S|\*\*\S", text, re.M))


def strip_markdown(text: str) -> str:
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPH.sub(r"\2", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_BULLET.sub("", text)
    text = _MD_QUOTE.sub("", text)
    return _MD_ESCAPE.sub(r"\1", text)


def unwrap(text: str, markdown: bool = False) -> list[str]:
    """Paragraph lines. Blocks separated by blank lines whose lines are all short
    were hard-wrapped (markdown, e-mail): join them into one line, but start a
    new one at a markdown heading, list item or quote."""
    if "\n\n" not in text and not markdown:  # markdown wraps paragraphs with single newlines
        return text.split("\n")
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        if len(lines) > 1 and max(len(ln) for ln in lines) <= 100 and not any(chrome.chrome_kind(ln) for ln in lines):
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


_NON_WORD_RUN = re.compile(r"[^\w\n]+")
_CLOSERS = "\"'”’»)]"


def _norm_lines(lines: list[str]) -> list[str]:
    """`_norm_line` of every line, in one regex pass over the joined lines."""
    joined = "\n".join(lines).lower()
    out = _NON_WORD_RUN.sub(" ", joined).split("\n")
    if len(out) != len(lines):  # a line with a newline of its own (or one whose lower case has one)
        return [_norm_line(ln) for ln in lines]
    return [x.strip(" ") for x in out]


def ends_sentence(stripped: str) -> bool:
    """`_SENTENCE_END.search(stripped)`, without a regex: sentence punctuation, then
    only closing quotes and brackets."""
    t = stripped.rstrip(_CLOSERS)
    return bool(t) and t[-1] in ".!?…:;"


def line_keys(lines: list[str]) -> set[str]:
    """One document's normalised non-sentence lines: what repeated chrome is counted on."""
    return set(_norm_lines([ln for ln in lines if (st := ln.strip()) and not ends_sentence(st)])) - {""}


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


def repeated_lines(docs_lines: list[list[str]]) -> set[str]:
    """Normalised lines that repeat across many documents of one source and are
    not sentences: navigation, footers, section labels."""
    return repeated_from_keys([line_keys(lines) for lines in docs_lines])


def is_sentence(line: str) -> bool:
    s = line.strip()
    return ends_sentence(s) or len(s.split()) >= 12


def strip_chrome(lines: list[str], repeated: set[str]) -> tuple[list[str], dict]:
    """Lines without chrome, and what the chrome told us (source name, urls)."""
    found: dict = {"urls": []}
    kept = []
    norms = _norm_lines(lines) if repeated else lines
    for ln, norm in zip(lines, norms):
        if not ln.strip():
            continue
        m = chrome.SOURCE_LINE.match(ln)
        if m:
            found.setdefault("source_line", m.group("name").strip())
            continue
        kind = chrome.chrome_kind(ln)
        if kind == "url_only":
            found["urls"].append(ln.strip())
            continue
        if kind or (repeated and norm in repeated):
            continue
        kept.append(ln)
    # The tail of a page: short lines that are no sentence are links, ads, labels.
    while kept and not is_sentence(kept[-1]) and len(kept) > 1:
        kept.pop()
    return kept, found


REPEATED_BLOCK = 2  # long repeated paragraphs in a row that make a repeated block


def dedup_paragraphs(lines: list[str]) -> list[str]:
    """A paragraph repeated verbatim inside a document is kept once (the first).

    Paragraphs of 20 normalised characters or more are dropped at their second
    occurrence. A shorter line ("Thank you.", a subheading) is dropped only when
    it repeats inside a repeated block: next to a run of at least `REPEATED_BLOCK`
    dropped paragraphs (an article quoted twice repeats its subheadings too)."""
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
    m = _DATELINE.search(text[:3000])
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
    if sum(c.isupper() for c in sample) > sum(c.islower() for c in sample):  # a memo's capitalised header
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
    text = repair(rec["raw"])
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
            body, extra = strip_chrome(post["lines"], repeated)
            body = dedup_paragraphs(body)
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
    body, extra = strip_chrome(lines, repeated)
    body = dedup_paragraphs(body)
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


# (record, repeated lines of its source) for the worker processes of clean_batch:
# set before the pool forks, so the records are never pickled on the way in.
_WORK: list[tuple[dict, set[str]]] = []


def _clean_slice(bounds: tuple[int, int]) -> list[tuple[list[dict], list[dict]]]:
    return [_clean_one(rec, repeated) for rec, repeated in _WORK[bounds[0]:bounds[1]]]


def clean_batch(records: list[dict], workers: int = 1,
                repeated_by_group: dict[str, set[str] | frozenset] | None = None) -> tuple[list[dict], list[dict]]:
    """Documents and rejects for a batch of raw records.

    `repeated_by_group` (source group -> repeated lines, see `repeated_lines`) gives
    the repeated lines of a group counted beyond this batch (an incremental build);
    a group it does not name is counted over the batch.

    `workers` > 1 cleans slices of the batch in that many forked processes (same
    output, same order); lines repeated across a source are counted first, over
    the whole batch. Forking is for plain scripts (the benchmark, a CLI run), not
    for a process that runs threads, such as Prefect's task runner.
    """
    groups: dict[str, list[dict]] = {}
    for rec in records:
        groups.setdefault(source_group(rec), []).append(rec)
    work: list[tuple[dict, set[str]]] = []
    for recs in groups.values():
        # raw lines are close enough to count repeats, and spare a second repair() pass
        group = source_group(recs[0])
        if repeated_by_group is not None and group in repeated_by_group:
            repeated = set(repeated_by_group[group])
        else:
            repeated = repeated_lines([r["raw"].split("\n") for r in recs]) if len(recs) >= REPEAT_MIN_DOCS else set()
        work.extend((rec, repeated) for rec in recs)
    if workers > 1 and len(work) >= 4 * PARALLEL_SLICE and "fork" in multiprocessing.get_all_start_methods():
        global _WORK
        _WORK = work
        detect_language("Load the language model once, before the workers fork.")
        try:
            bounds = [(i, min(i + PARALLEL_SLICE, len(work))) for i in range(0, len(work), PARALLEL_SLICE)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = [r for part in pool.imap(_clean_slice, bounds) for r in part]
        finally:
            _WORK = []
    else:
        results = [_clean_one(rec, repeated) for rec, repeated in work]
    docs, rejects = [], []
    for d, j in results:
        docs.extend(d)
        rejects.extend(j)
    return docs, rejects
