"""Repair decoded text: mojibake, control characters, odd spaces, hyphenation,
HTML entities and inline HTML tags.
"""
from __future__ import annotations

import html
import re
import unicodedata

import ftfy
import ftfy.badness

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


# Inline HTML left in markdown or plain text (White House markdown carries tables,
# underlines, figures): the tags go, their text stays. Only elements of the HTML
# standard are tags here, so "a < b > c" or "<Name>" stays as it is. Block elements
# end a line (a table row, a paragraph); a cell leaves a space; the rest leave nothing.
_HTML_BLOCK = ("address article aside blockquote br caption dd div dl dt figcaption figure footer h1 h2 h3 h4 "
               "h5 h6 header hr li main nav ol p pre section table tbody tfoot thead tr ul")
_HTML_CELL = "td th"
_HTML_INLINE = ("a abbr b bdi bdo cite code col colgroup data del dfn em font i img ins kbd mark q s samp small "
                "span strong sub sup time u var wbr")
_HTML_TAG = re.compile(r"</?(%s)\b(?:\s[^<>]{0,5000})?/?>" % "|".join(
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
