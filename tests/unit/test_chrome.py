"""flows.chrome: one test per entry of LINE_PATTERNS.

Each entry has a chrome line that must match it (copied from the seeds or the
corpora where one exists: the source is noted) and a real content sentence
that must not match any pattern. A pattern added to LINE_PATTERNS without an
entry here fails `test_every_pattern_has_an_example`.
"""
from __future__ import annotations

import pytest

from flows.clean import chrome

# name -> (chrome line that must match this pattern, content sentence that must not match any pattern)
EXAMPLES: dict[str, tuple[str, str]] = {
    "comment_form": ("Leave a Reply",  # seed 001
                     "Putin did not reply to the question about sanctions."),
    "comment_notice": ("Your email address will not be published. Required fields are marked *",  # seed 001
                       "The address of the summit venue was not published in advance."),
    "comment_prompt": ("Please enter your comment!",  # seed 003
                       "Delegates were asked to enter their comments on the draft declaration."),
    "share": ("Share post:",  # seed 003
              "Russia's share of trade in rubles and yuan rose to 80 percent."),
    "subscribe": ("Subscribe",  # seed 003
                  "Iran will subscribe to the SCO Charter before its accession."),
    "related": ("Related Articles",  # seed 001
                "Related talks on the gas pipeline continued in Samarkand on Friday."),
    "back_to_top": ("Back to top button",  # seed 001
                    "The Kremlin put the SCO back to the top of its agenda in 2022."),
    "photo_credit": ("Image: AP",  # seed 000
                     "The image of the SCO as an anti-Western bloc is wrong, Peskov said."),
    "photo_by": ("(Photo by Sergei Bobylev/TASS)",
                 "A photo by the Kremlin press service showed the two leaders shaking hands."),
    "photo_credit_line": ("INQUIRER FILE PHOTO",  # issue 17: taken for a title
                          "The photo shows the leaders in Astana."),
    "cookie": ("We use cookies to give you the best experience on our website.",
               "Delegates were offered tea and cookies at the reception in Astana."),
    "hashtags": ("#Putin #talk #peace #alliance #Kazakhstan #summit",  # seed 002
                 "The #1 priority for the SCO is security, Norov said."),
    "reporting_credit": ("“With reporting by AFP and Reuters”",  # seed 001
                         "Russian media, reporting from Astana, said the talks lasted three hours."),
    "ai_rewrite_notice": ("This message was taken from this source and rewritten by artificial intelligence.",  # seed 001
                          "The declaration was rewritten by the sherpas three times before the summit."),
    "views_disclaimer": ("The views expressed in this article do not necessarily reflect those of The Cradle.",  # seed 004
                         "The views expressed by Modi in Samarkand reflect India's position on the war."),
    "empty_label": ("Date:",  # seed 003
                    "The date of the next summit has not been set."),
    "timestamp": ("2024-07-08 04:55:57",  # seed 002
                  "The summit took place on 2024-07-04 in Astana."),
    "url_only": ("https://tass.com/world/1296661",  # seed 004
                 "The full text is at https://tass.com/world/1296661 on the TASS website."),
    "forum_reactions": ("GarryB, kvs, zepia and Hole like this post",  # seed 004
                        "Many readers said they like this post-summit declaration more than the last one."),
    "forum_posters": ("23 posters",  # seed 004
                      "23 posters of Putin and Xi lined the road to the summit venue."),
    "forum_profile_field": ("Join date : 2011-12-22",  # seed 004
                            "Points of agreement included trade, energy and security."),
    "forum_post_number": ("- Post n°77",  # seed 004
                          "The post of secretary general went to Zhang Ming in 2022."),
    "byline": ("By Pepe Escobar",  # seed 004
               "By 2024, Belarus had become a full member of the SCO."),
    "date_only": ("September 16 2022",  # seed 004
                  "On September 16 2022 the leaders signed the Samarkand declaration."),
}

_NAMES = [name for name, _ in chrome.LINE_PATTERNS]
_COMPILED = dict(chrome._COMPILED)


def test_every_pattern_has_an_example():
    assert sorted(EXAMPLES) == sorted(_NAMES)


def test_pattern_names_are_unique():
    assert len(_NAMES) == len(set(_NAMES))


@pytest.mark.parametrize("name", _NAMES)
def test_pattern(name):
    line, content = EXAMPLES[name]
    assert _COMPILED[name].match(line.strip().strip(chrome._QUOTES).strip()), f"{name} misses {line!r}"
    assert chrome.chrome_kind(line) == name
    assert chrome.chrome_kind(content) is None, f"{content!r} read as {chrome.chrome_kind(content)}"


# More real chrome lines from the seeds and the corpora, with the pattern that covers each.
REAL_CHROME = [
    ("LEAVE A REPLY", "comment_form"),  # seed 003
    ("Please enter your name here", "comment_prompt"),  # seed 003
    ("Popular", "related"),  # seed 003
    ("More like this", "related"),  # seed 003
    ("Related", "related"),  # seed 003
    ("See also", "related"),  # /work/shared/corpora/kremlin/html/55816.html, a "cut" box title
    ("Points : 19097", "forum_profile_field"),  # seed 004
    ("Location : fishin on Stalin´s Strait between Mexico and Canada", "forum_profile_field"),  # seed 004
    ("Age : 76", "forum_profile_field"),  # seed 004
    ("GarryB likes this post", "forum_reactions"),  # seed 004
    ("Sprut-B likes this post", "forum_reactions"),  # seed 004
    ("https://www.rt.com/business/579179-russia-china-trade-rubles-yuan/", "url_only"),  # seed 004
    ("  Image: AP  ", "photo_credit"),  # seed 000, with spaces
]


@pytest.mark.parametrize("line, name", REAL_CHROME)
def test_real_chrome_line(line, name):
    assert chrome.chrome_kind(line) == name


# Real content lines from the seeds that look a little like chrome.
REAL_CONTENT = [
    "Putin calls for strengthening SCO",  # seed 000, a subheading
    "Belarus Joins SCO at Astana Summit",  # seed 001, the title
    "Iran in SCO? damn only North Korea and Asia is ours",  # seed 004, a whole post
    "Golden Ruble 3.0?",  # seed 004, a subheading
    "“The SCO’s evolution over its 23-year history has largely been shaped by China and Russia’s evolving relationship.”",  # seed 001
    "Source of tension: the pipeline across Mongolia",
    "",
    "   ",
]


@pytest.mark.parametrize("line", REAL_CONTENT)
def test_real_content_is_not_chrome(line):
    assert chrome.chrome_kind(line) is None


def test_patterns_are_anchored_to_the_whole_line():
    assert chrome.chrome_kind("Subscribe") == "subscribe"
    assert chrome.chrome_kind("Subscribe to the idea that the SCO is a bloc, and you miss the point.") is None
    assert chrome.chrome_kind("Leave a Reply to the editor") is None


def test_byline_is_case_sensitive_but_others_are_not():
    assert chrome.chrome_kind("By Pepe Escobar") == "byline"
    assert chrome.chrome_kind("by pepe escobar") is None
    assert chrome.chrome_kind("BACK TO TOP") == "back_to_top"


@pytest.mark.parametrize("line, name", [
    ("Source: La Verdad", "La Verdad"),  # seed 003
    ("source :  TASS ", "TASS"),
])
def test_source_line(line, name):
    m = chrome.SOURCE_LINE.match(line)
    assert m and m.group("name") == name


def test_source_line_needs_a_name():
    assert chrome.SOURCE_LINE.match("Source:") is None
    assert chrome.SOURCE_LINE.match("Sources say the talks went well.") is None



@pytest.mark.parametrize("line", [
    "Image: the SCO is no longer a talking shop, Xi said.",
    "Reporting by state media said the talks lasted three hours.",
])
def test_sentences_that_start_like_credits_are_not_chrome(line):
    assert chrome.chrome_kind(line) is None
