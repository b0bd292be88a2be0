"""A cleaned document's metadata: title, outlet, licence, language, publication
date and id.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from flows.clean.lines import is_sentence
from flows.core.dates import _text_order, infer_published_date

_DATELINE = re.compile(r"\b[A-Z][A-Z .'-]{2,30}, [A-Z][a-z]+ \d{1,2}\s*\.?\s*/\s*(?P<tag>[A-Za-z][A-Za-z -]{1,20}?)\s*/")
from flows.paths import REFERENCE

LANGUAGE_SAMPLE = 600  # characters of the text the language is detected on


TITLE_MIN_WORDS = 3  # "Front Row", "World News": a section label, not a headline
_DATELINE_START = re.compile(r"[-–—]\s*$")  # "SINGAPORE -": the dateline of the first sentence


@lru_cache(maxsize=1)
def _not_title_words() -> re.Pattern:
    """The words of a photo credit or caption (data/not_title_words.txt), as one regex."""
    path = Path(__file__).resolve().parent / "data" / "not_title_words.txt"
    words = [w.strip() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def looks_title(line: str) -> bool:
    """Whether a text's first line reads as its headline: 3 to 25 words without a
    closing full stop, and no photo credit or caption ("INQUIRER FILE PHOTO"), no
    dateline ("SINGAPORE -"), no section label (fewer words)."""
    first = line.strip()
    return (TITLE_MIN_WORDS <= len(first.split()) <= 25 and not re.search(r"[.!?;:,]$", first)
            and not _DATELINE_START.search(first) and not _not_title_words().search(first))


def split_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """A first line that reads as a headline (`looks_title`) and is followed by body
    text becomes the title."""
    if len(lines) >= 2 and looks_title(lines[0]) and is_sentence(lines[1]):
        return lines[0].strip(), lines[1:]
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


def detect_language(text: str) -> str | None:
    import py3langid

    # a paragraph is plenty: py3langid's cost grows with the sample (0.6 ms for 1,500
    # characters, 0.28 ms for 600), and on the Kremlin and White House corpora 600
    # characters agree with 1,500 on all but 3 of 7,150 documents
    sample = text[:LANGUAGE_SAMPLE]
    if sum(map(str.isupper, sample)) > sum(map(str.islower, sample)):  # a memo's capitalised header
        sample = sample.lower()
    if not any(map(str.isalpha, sample)):  # numbers and signs: no language to tell
        return None
    lang, _ = py3langid.classify(sample)
    return lang if re.fullmatch(r"[a-z]{2}", lang or "") else None


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
