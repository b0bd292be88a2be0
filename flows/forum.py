"""Forum threads: one document per post.

Bulletin-board software prints each post with a profile block: the user name
glued to a post count ("George1- Posts : 18594"), then fields such as
"Points : ...", "Join date : ...", "Location : ...", the post's number
("Post n°77") and its subject ("Re: ..."). We split on the profile line and
read author, post number and subject from the block; the block itself, the
thread's header (the list of posters) and reactions never reach `text`.
"""
from __future__ import annotations

import re

PROFILE = re.compile(r"^\s*(?P<user>\S.{0,60}?)\s*-\s*(?:Posts|Messages)\s*:\s*\d[\d,]*\s*$", re.IGNORECASE)
FIELD = re.compile(r"^\s*(?:Points|Join date|Location|Age|Reputation|Karma|Gender|Messages)\s*:.*$", re.IGNORECASE)
POST_NO = re.compile(r"^\s*-?\s*Post\s*n[°o]\.?\s*(?P<n>\d+)\s*$", re.IGNORECASE)
SUBJECT = re.compile(r"^\s*Re\s*:\s*.*$", re.IGNORECASE)
QUOTE_HEAD = re.compile(r"^\s*(?P<user>[^\s:]{1,40}(?: [^\s:]{1,40})?) wrote\s*:\s*(?P<rest>.*)$")
URL = re.compile(r"https?://[^\s\"'<>)\]]+")
MIN_POSTS = 2  # a text with fewer profile blocks is not a thread


def is_thread(lines: list[str]) -> bool:
    return sum(1 for ln in lines if PROFILE.match(ln)) >= MIN_POSTS


def split_thread(lines: list[str]) -> list[dict]:
    """Posts of a thread: dicts with author, post_number, lines (the body), in order."""
    starts = [i for i, ln in enumerate(lines) if PROFILE.match(ln)]
    posts = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(lines)
        author = PROFILE.match(lines[s]).group("user").strip()
        number = None
        i = s + 1
        # the profile block: fields, post number and subject, in any order
        while i < e and (FIELD.match(lines[i]) or POST_NO.match(lines[i]) or SUBJECT.match(lines[i]) or not lines[i].strip()):
            m = POST_NO.match(lines[i])
            if m:
                number = int(m.group("n"))
            i += 1
        posts.append({"author": author, "post_number": number, "lines": lines[i:e]})
    return posts


def drop_quoted_replies(posts: list[dict]) -> None:
    """Remove 'X wrote: ...' quotes of earlier posts from each post's body, in place.

    The quote starts at a '<poster> wrote:' line naming a poster of the thread
    and runs while its lines repeat lines of earlier posts (or are bare URLs);
    the reply proper follows. 'Lavrov wrote: ...' in an article is text.
    """
    posters = {p["author"] for p in posts}
    seen: set[str] = set()
    for post in posts:
        body, out, quoting = post["lines"], [], False
        for ln in body:
            key = ln.strip()
            m = QUOTE_HEAD.match(ln)
            if m and m.group("user") in posters:
                quoting = True
                continue
            if quoting and (key in seen or URL.fullmatch(key) or not key):
                continue
            quoting = False
            out.append(ln)
        seen.update(ln.strip() for ln in body if ln.strip())
        post["lines"] = out


def first_url(lines: list[str]) -> str | None:
    for ln in lines:
        m = URL.search(ln)
        if m:
            return m.group().rstrip(".,;")
    return None
