"""Markdown and hard-wrapped text to plain lines: one line per paragraph.
"""
from __future__ import annotations

import bisect
import itertools
import re

from flows.clean import chrome

_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")  # never across a line: lines may come joined
_MD_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?://|/|#)[^)\n]*\)")
# emphasis opens and closes at a word's edge: "f**king" and "a__b" are words, not markup
_MD_EMPH = re.compile(r"(?<![\w*])(\*\*\*|\*\*|__)(?=[^\s*])(.+?)(?<=[^\s*])\1(?![\w*])")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
# a bullet goes; an item's number stays ("1. Scope": a numbered heading or list keeps it)
_MD_BULLET = re.compile(r"^[ \t]*[-*+][ \t]{1,4}(?=\S)", re.M)
_MD_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.M)
_MD_BLOCK_START = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]|(?:[-*+]|\d+\.)[ \t]|>)")
# a line of "\n" + "\n".join(lines) that `_MD_BLOCK_START` matches (searched from the "\n")
_MD_BLOCK_STARTS = re.compile(r"\n[ \t]{0,3}(?:#{1,6}[ \t]|(?:[-*+]|\d+\.)[ \t]|>)")
# a metadata label glued to the start of a text: "date 2022-09-15 Russian Presidential ..."
_LEADING_META = re.compile(r"^\s*(?:date|published|posted|updated)\s*:?\s*\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\s+", re.I)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


_MD_HINT = re.compile(r"^\s{0,3}#{1,6} \S|\*\*\S", re.M)


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
    if "\n" in text or text.lstrip(" \t")[:1] in ("-", "*", "+"):
        text = _MD_BULLET.sub("", text)
    if ">" in text:
        text = _MD_QUOTE.sub("", text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    return text


_MD_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")


def _shown_len(line: str) -> int:
    """A line's length as shown: without its markdown link targets (a wrapped line of
    markdown may hold a 150-character URL and still be one of a paragraph's wraps)."""
    return len(_MD_LINK_TARGET.sub("]", line)) if "](" in line else len(line)


# a line of heading marks and nothing else: an empty heading, no text; joined to the next
# line it would make a heading of it ("#" / "0" read as "# 0"), so cleaning twice would differ
_BARE_HEADING = re.compile(r"[ \t]*#+[ \t]*")


def _without_bare_markers(lines: list[str]) -> list[str]:
    return [ln for ln in lines if not _BARE_HEADING.fullmatch(ln)] if any("#" in ln for ln in lines) else lines


def unwrap(text: str, markdown: bool = False) -> list[str]:
    """Paragraph lines. Blocks separated by blank lines whose lines are all short
    were hard-wrapped (markdown, e-mail): join them into one line, but start a
    new one at a markdown heading, list item or quote."""
    if "\n\n" not in text and not markdown:  # markdown wraps paragraphs with single newlines
        return _without_bare_markers(text.split("\n")) if "#" in text else text.split("\n")
    blocks = [_without_bare_markers([ln for ln in block.split("\n") if ln.strip()])
              for block in re.split(r"\n\s*\n", text)]
    # blocks of short lines, to join unless a line is chrome: their chrome is looked
    # for in one pass over all of their lines (`chrome.candidate_lines`)
    short = [k for k, lines in enumerate(blocks) if len(lines) > 1 and max(map(_shown_len, lines)) <= 100]
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
