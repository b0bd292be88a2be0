"""flows.forum on a small inline thread modelled on seed 004's format, and the
real seed 004 through clean.clean_record (one document per post)."""
from __future__ import annotations

import pytest

from flows import clean
from flows.clean import forum
from tests.conftest import SEEDS

THREAD = """\
https://tass.com/world/1296661
+2
Tsavo Lion
George1
3 posters
S.C.O. Thread:
Tsavo Lion- Posts : 5,839
Points : 5789
Join date : 2016-08-15
Location : AZ, USA
- Post n°7
Re: S.C.O. Thread:
SCO foreign ministers will meet in Astana next month, the secretariat said.
https://tass.com/world/1296661
George1 and Hole like this post
George1- Posts : 18594
Points : 19097
Join date : 2011-12-22
Location : Greece
- Post n°8
Re: S.C.O. Thread:
Tsavo Lion wrote:SCO foreign ministers will meet in Astana next month, the secretariat said.
https://tass.com/world/1296661
Good, Iran should be admitted at that meeting.
GarryB, kvs and Hole like this post
"""
LINES = THREAD.rstrip("\n").split("\n")


def _rec(raw, uri="forum/thread.txt"):
    return {"source_uri": uri, "parent_uri": None, "source_format": "txt", "raw": raw,
            "title": None, "url": None, "date": None, "author": None, "source_name": None}


def test_is_thread():
    assert forum.is_thread(LINES)
    # one profile block is not a thread
    assert not forum.is_thread(LINES[:15])
    assert not forum.is_thread(["Putin met Xi in Astana.", "Posts : 12 were deleted."])


def test_profile_line():
    assert forum.PROFILE.match("George1- Posts : 18594").group("user") == "George1"
    assert forum.PROFILE.match("Tsavo Lion- Posts : 5,839").group("user") == "Tsavo Lion"
    assert forum.PROFILE.match("The-thing-next-door - Messages : 12").group("user") == "The-thing-next-door"
    assert forum.PROFILE.match("Trade grew - Posts : rising") is None


def test_split_thread_authors_numbers_bodies():
    posts = forum.split_thread(LINES)
    assert [(p["author"], p["post_number"]) for p in posts] == [("Tsavo Lion", 7), ("George1", 8)]
    assert posts[0]["lines"] == [
        "SCO foreign ministers will meet in Astana next month, the secretariat said.",
        "https://tass.com/world/1296661",
        "George1 and Hole like this post",
    ]
    assert posts[1]["lines"][-2:] == ["Good, Iran should be admitted at that meeting.",
                                      "GarryB, kvs and Hole like this post"]


def test_profile_block_and_thread_header_never_in_a_body():
    for p in forum.split_thread(LINES):
        body = "\n".join(p["lines"])
        for s in ("Posts :", "Points :", "Join date", "Location :", "Post n°", "Re: S.C.O.", "3 posters"):
            assert s not in body


def test_post_without_number():
    lines = ["Kiko- Posts : 4077", "Age : 76", "Hello there.", "Sprut-B- Posts : 428", "- Post n°84", "Bye."]
    posts = forum.split_thread(lines)
    assert [(p["author"], p["post_number"], p["lines"]) for p in posts] == [
        ("Kiko", None, ["Hello there."]), ("Sprut-B", 84, ["Bye."])]


def test_drop_quoted_replies_keeps_the_reply():
    posts = forum.split_thread(LINES)
    forum.drop_quoted_replies(posts)
    assert posts[1]["lines"] == ["Good, Iran should be admitted at that meeting.",
                                 "GarryB, kvs and Hole like this post"]
    # the quoted post itself is untouched
    assert posts[0]["lines"][0] == "SCO foreign ministers will meet in Astana next month, the secretariat said."


def test_drop_quoted_replies_stops_at_first_new_line():
    posts = [
        {"author": "A", "post_number": 1, "lines": ["Line one of the first post.", "Line two of the first post."]},
        {"author": "B", "post_number": 2, "lines": ["A wrote:", "Line one of the first post.",
                                                    "My answer.", "Line two of the first post."]},
    ]
    forum.drop_quoted_replies(posts)
    # after the reply starts, a repeated line is the poster's own text again
    assert posts[1]["lines"] == ["My answer.", "Line two of the first post."]


def test_wrote_line_that_quotes_no_post_is_kept():
    posts = [{"author": "A", "post_number": 1,
              "lines": ["Lavrov wrote: the SCO is not a military alliance.", "I agree with him."]}]
    forum.drop_quoted_replies(posts)
    assert posts[0]["lines"] == ["Lavrov wrote: the SCO is not a military alliance.", "I agree with him."]


def test_first_url():
    assert forum.first_url(["No link here.", "See https://tass.com/politics/1341593.", "https://x.org/2"]) == \
        "https://tass.com/politics/1341593"
    assert forum.first_url(["https://tass.com/politics/1781065SCO should unite"]) == \
        "https://tass.com/politics/1781065SCO"  # glued text is split by clean.repair, not here
    assert forum.first_url(["nothing"]) is None


def test_inline_thread_through_clean_record():
    docs, rejects = clean.clean_record(_rec(THREAD))
    assert rejects == []
    assert [(d["author"], d["post_number"], d["source_uri"], d["parent_uri"]) for d in docs] == [
        ("Tsavo Lion", 7, "forum/thread.txt#post-7", "forum/thread.txt"),
        ("George1", 8, "forum/thread.txt#post-8", "forum/thread.txt"),
    ]
    assert [d["text"] for d in docs] == [
        "SCO foreign ministers will meet in Astana next month, the secretariat said.",
        "Good, Iran should be admitted at that meeting.",
    ]
    assert docs[0]["url"] == "https://tass.com/world/1296661"
    assert docs[1]["url"] is None


def test_post_with_only_chrome_is_a_reject():
    raw = THREAD + "kvs- Posts : 100\nPoints : 1\n- Post n°9\nRe: S.C.O. Thread:\nGarryB likes this post\n"
    docs, rejects = clean.clean_record(_rec(raw))
    assert [d["post_number"] for d in docs] == [7, 8]
    assert [(r["source_uri"], r["reason"]) for r in rejects] == [("forum/thread.txt#post-9", "no text after cleaning")]


# --- the real seed 004 -------------------------------------------------------

SEED_004 = next(SEEDS.glob("004_*.txt"))


@pytest.fixture(scope="module")
def seed_posts():
    docs, rejects = clean.clean_record(_rec(SEED_004.read_text(encoding="utf-8"), uri=SEED_004.name))
    assert rejects == []
    return docs


def test_seed_004_one_document_per_post(seed_posts):
    assert len(seed_posts) == 13  # the opening post (no number) and posts n°77..88
    assert [d["post_number"] for d in seed_posts] == [None] + list(range(77, 89))
    assert len({d["source_uri"] for d in seed_posts}) == 13
    assert all(d["parent_uri"] == SEED_004.name for d in seed_posts)


def test_seed_004_authors_are_forum_names(seed_posts):
    assert [d["author"] for d in seed_posts] == [
        "Tsavo Lion", "George1", "George1", "GunshipDemocracy", "flamming_python", "flamming_python",
        "Kiko", "Kiko", "Sprut-B", "George1", "George1", "George1", "Rodion_Romanovic"]


@pytest.mark.parametrize("fragment", ["Join date", "Posts :", "Points :", "Location :", "like this post",
                                      "likes this post", "wrote:", "Post n°", "Re: S.C.O. Thread", "23 posters"])
def test_seed_004_no_forum_chrome(seed_posts, fragment):
    assert [d["post_number"] for d in seed_posts if fragment in d["text"]] == []


def test_seed_004_post_88_without_the_quoted_headline(seed_posts):
    post = {d["post_number"]: d for d in seed_posts}[88]
    assert "SCO expects Belarus to join the organization very soon" not in post["text"]
    assert "tass.com/defense/1781041" not in post["text"]
    assert post["text"].startswith("Well possibly, but it should be only temporary.")
    assert post["text"].endswith("It should be organised properly, in order to avoid problems.")
    # the quoted post keeps its headline
    assert {d["post_number"]: d for d in seed_posts}[87]["text"] == \
        "SCO expects Belarus to join the organization very soon — Shoigu"


def test_seed_004_short_posts_exact(seed_posts):
    by_no = {d["post_number"]: d for d in seed_posts}
    assert by_no[79]["text"] == "Iran in SCO? damn only North Korea and Asia is ours"
    assert by_no[84]["text"] == "As usual, India again decides to sabotage China's Belt and Road initiative"


def test_seed_004_post_urls_and_outlets(seed_posts):
    by_no = {d["post_number"]: d for d in seed_posts}
    assert by_no[77]["url"] == "https://tass.com/world/1296661"
    assert by_no[78]["source_name"] == "TASS"  # "MOSCOW, September 23. / TASS /."
    assert by_no[81]["url"] == "https://thecradle.co/Article/Columns/15771"


def test_seed_004_repeated_article_subheading_kept_once(seed_posts):
    # post 83 quotes an article twice: its short subheading repeats inside the repeated block
    post = {d["post_number"]: d for d in seed_posts}[83]
    assert post["text"].count("Golden Ruble 3.0?") == 1
    assert post["text"].count("A converging geoeconomic focus") == 1
    lines = post["text"].split("\n")
    assert lines[lines.index("Golden Ruble 3.0?") + 1].startswith("As it stands, there’s huge potential for a gold-backed ruble.")


# --- a post's date line --------------------------------------------------------

@pytest.mark.parametrize("line, iso", [
    ("Mon Jul 03, 2023 4:55 pm", "2023-07-03"),  # phpBB
    ("Posted on Mon 3 Jul 2023 - 16:55", "2023-07-03"),
    ("Posted: 2023-07-03 16:55", "2023-07-03"),
    ("on July 3rd, 2023, 04:55 PM", "2023-07-03"),
    ("Sun Jul 09, 2023", "2023-07-09"),
])
def test_post_date_line(line, iso):
    assert forum.post_date(line).isoformat() == iso


@pytest.mark.parametrize("line", ["July 3 2023 the talks began", "Join date : 2011-12-22", "Posts : 18594",
                                  "Mon Feb 30, 2023 4:55 pm"])
def test_not_a_post_date_line(line):
    assert forum.post_date(line) is None


def test_post_date_read_from_the_profile_block_and_kept_out_of_the_text():
    raw = THREAD.replace("- Post n°7\n", "- Post n°7\nMon Jul 03, 2023 4:55 pm\n").replace(
        "- Post n°8\nRe: S.C.O. Thread:\n", "- Post n°8\nRe: S.C.O. Thread:\nPosted on Tue 4 Jul 2023 - 09:10\n")
    docs, rejects = clean.clean_record(_rec(raw))
    assert rejects == []
    assert [(d["post_number"], d["published_date"].isoformat(), d["published_date_source"]) for d in docs] == [
        (7, "2023-07-03", "explicit"), (8, "2023-07-04", "explicit")]
    assert [d["text"] for d in docs] == [
        "SCO foreign ministers will meet in Astana next month, the secretariat said.",
        "Good, Iran should be admitted at that meeting.",
    ]


def test_seed_004_dates_from_the_quoted_articles(seed_posts):
    # the board of seed 004 prints no post dates: post 81's article has a date line; posts 82
    # and 83 end their headline with a numeric date. 07.04.2023 is month-first: the text says
    # the summit met "on Tuesday", and 4 July 2023 was a Tuesday (7 April a Friday);
    # 07.07.2023 reads the same either way.
    assert [(d["post_number"], d["published_date"].isoformat(), d["published_date_source"])
            for d in seed_posts if d["published_date"]] == [
        (81, "2022-09-16", "explicit"), (82, "2023-07-04", "explicit"), (83, "2023-07-07", "explicit")]


@pytest.mark.parametrize("text, iso", [
    ("Trade talks, 25.04.2023.\nThe ministers met on Tuesday.", "2023-04-25"),  # day-first: 25 > 12
    ("Trade talks, 04/25/2023\nThe ministers met.", "2023-04-25"),  # month-first: 25 > 12
    ("Trade talks, 07.04.2023.\nThe ministers met on Friday.", "2023-04-07"),  # 7 April 2023 was a Friday
    ("Trade talks, 07.04.2023.\nThe ministers met on 15 September.", "2023-04-07"),  # no weekday: day-first text
    ("Trade talks, 07.04.2023.\nThe ministers met on June 1.", "2023-07-04"),  # no weekday: month-first text
])
def test_headline_numeric_date(text, iso):
    assert clean.headline_numeric_date(text).isoformat() == iso


def test_headline_numeric_date_only_at_the_end_of_the_first_line():
    assert clean.headline_numeric_date("Trade talks\nThe ministers met on 07.04.2023 in Delhi.") is None
