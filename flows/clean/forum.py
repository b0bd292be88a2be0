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
from datetime import date

PROFILE = re.compile(r"^\s*(?P<user>\S.{0,60}?)\s*-\s*(?:Posts|Messages)\s*:\s*\d[\d,]*\s*$", re.IGNORECASE)
FIELD = re.compile(r"^\s*(?:Points|Join date|Location|Age|Reputation|Karma|Gender|Messages)\s*:.*$", re.IGNORECASE)
POST_NO = re.compile(r"^\s*-?\s*Post\s*n[°o]\.?\s*(?P<n>\d+)\s*$", re.IGNORECASE)
SUBJECT = re.compile(r"^\s*Re\s*:\s*.*$", re.IGNORECASE)
# A post's date line in the profile block, as bulletin boards print it:
# "Mon Jul 03, 2023 4:55 pm" (phpBB), "Posted on Mon 3 Jul 2023 - 16:55", "Posted: 2023-07-03 16:55",
# "on July 3rd, 2023, 04:55 PM". Only a line that is nothing but the date (and a time).
_MON = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIME = r"(?:\s*[-,@|]?\s*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:utc|gmt|[+-]\d{2}:?\d{2}))?)?"
POST_DATE = re.compile(
    r"^\s*(?:(?:posted|sent|date)\s*(?:on)?\s*:?\s*|on\s+)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:" + _MON + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d{2})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON.replace("mon>", "mon2>") + r",?\s+(?P<y2>(?:19|20)\d{2})"
    r"|(?P<y3>(?:19|20)\d{2})-(?P<m3>\d{2})-(?P<d3>\d{2}))"
    + _TIME + r"\s*$", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def post_date(line: str) -> date | None:
    """The date of a post's date line ("Mon Jul 03, 2023 4:55 pm"), or None."""
    m = POST_DATE.match(line)
    if not m:
        return None
    try:
        if m["y1"]:
            return date(int(m["y1"]), _MONTHS[m["mon"][:3].lower()], int(m["d1"]))
        if m["y2"]:
            return date(int(m["y2"]), _MONTHS[m["mon2"][:3].lower()], int(m["d2"]))
        return date(int(m["y3"]), int(m["m3"]), int(m["d3"]))
    except ValueError:
        return None


QUOTE_HEAD = re.compile(r"^\s*(?P<user>[^\s:]{1,40}(?: [^\s:]{1,40})?) wrote\s*:\s*(?P<rest>.*)$")
URL = re.compile(r"https?://[^\s\"'<>)\]]+")
MIN_POSTS = 2  # a text with fewer profile blocks is not a thread


def is_thread(lines: list[str]) -> bool:
    # no profile lines: no regex per line. Counted in the UTF-8 bytes lower-cased (ASCII
    # only: 5x faster than str.lower), the same count: no other character lower-cases
    # to one of these letters
    low = "\n".join(lines).encode("utf-8", "surrogatepass").lower()
    if low.count(b"posts") + low.count(b"messages") < MIN_POSTS:
        return False
    # the regex only on lines that hold the ":" and "-" it needs
    return sum(1 for ln in lines if ":" in ln and "-" in ln and PROFILE.match(ln)) >= MIN_POSTS


def split_thread(lines: list[str]) -> list[dict]:
    """Posts of a thread: dicts with author, post_number, date (the post's date line,
    when the board prints one), lines (the body), in order."""
    starts = [i for i, ln in enumerate(lines) if PROFILE.match(ln)]
    posts = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(lines)
        author = PROFILE.match(lines[s]).group("user").strip()
        number, posted = None, None
        i = s + 1
        # the profile block: fields, post number, subject and date, in any order
        while i < e:
            ln = lines[i]
            m = POST_NO.match(ln)
            d = None if m else post_date(ln)
            if not (m or d or FIELD.match(ln) or SUBJECT.match(ln) or not ln.strip()):
                break
            if m:
                number = int(m.group("n"))
            if d and posted is None:
                posted = d
            i += 1
        posts.append({"author": author, "post_number": number, "date": posted, "lines": lines[i:e]})
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
