"""flows.clean: repair, markdown, unwrapping, chrome by method and by pattern,
title, outlet; on tiny inline inputs, the seeds, fixture excerpts of the seeds
(tests/fixtures/chrome/) and real Kremlin pages (../shared, skipped when absent)."""
from __future__ import annotations

import re

import pytest

from flows import clean, ingest
from flows.clean import chrome
from tests.conftest import FIXTURES, SEEDS, SHARED, needs_shared

CHROME_FIXTURES = FIXTURES / "chrome"


def _rec(raw, uri="in/doc.txt", **meta):
    rec = {"source_uri": uri, "parent_uri": None, "source_format": "txt", "raw": raw,
           "title": None, "url": None, "date": None, "author": None, "source_name": None}
    rec.update(meta)
    return rec


def _one(raw, **meta):
    docs, rejects = clean.clean_record(_rec(raw, **meta))
    assert rejects == [] and len(docs) == 1, (docs, rejects)
    return docs[0]


# --- repair -----------------------------------------------------------------

def test_repair_mojibake_keeps_words():
    assert clean.repair("The summit in DushanbÃ© was â€œhistoricâ€\x9d, said MirziyÃ³yev.") == \
        "The summit in Dushanbé was “historic”, said Mirziyóyev."


def test_repair_keeps_typographic_quotes_and_dashes():
    s = "Putin said: “We agree” and ‘fine’ — it’s «great»."
    assert clean.repair(s) == s


def test_repair_whitespace_controls_and_hyphenation():
    assert clean.repair("Tokayev\u00a0 spoke\u200b.\r\nThe inter-\nnational  press\tlistened. \r  Next") == \
        "Tokayev spoke.\nThe international press listened.\nNext"


def test_repair_keeps_a_real_hyphen_before_a_capital():
    assert clean.repair("Russia-\nChina trade") == "Russia-\nChina trade"


def test_repair_splits_a_url_glued_to_a_headline():  # seed 004, post 86
    assert clean.repair("https://tass.com/politics/1781065SCO should unite against revolutions") == \
        "https://tass.com/politics/1781065\nSCO should unite against revolutions"


# --- markdown ---------------------------------------------------------------

# whitehouse.gov, "CFPB Isn’t a Wall Street Regulator, It’s a Main Street Regulator", 2025-02-10
# (https://www.whitehouse.gov/articles/2025/02/cfpb-isnt-a-wall-street-regulator-its-a-main-street-regulator/,
# public domain), first paragraph as in /work/shared/corpora/whitehouse/wh_briefings.jsonl.gz
WH_CFPB = (
    "The Consumer Financial Protection Bureau (CFPB) — the\n"
    "[brainchild](https://dailycaller.com/2021/09/30/rohit-chopra-cfpb-elizabeth-warren-joe-biden/)\n"
    "of Sen. Elizabeth Warren — has long functioned as another woke,\n"
    "weaponized arm of the bureaucracy that leverages its power against\n"
    "certain industries and individuals disfavored by so-called “elites.”\n"
    "\n"
    "[**House Republican Study Committee:**](https://x.com/RepublicanStudy/status/1890117651856560622)\n"
    "“President Trump is trying to restore fairness in trade.”\n"
)

# whitehouse.gov, "Promises Made, Promises Kept: President Trump Brings Americans Home", 2025-05-06
# (https://www.whitehouse.gov/articles/2025/05/promises-made-promises-kept-president-trump-brings-americans-home/,
# public domain), one paragraph as in wh_briefings.jsonl.gz
WH_KARELINA = (
    "**Ksenia Karelina — an American ballet dancer who was wrongfully\n"
    "detained in a Russian penal colony for 14 months —** [**returned\n"
    "home**](https://truthsocial.com/@realDonaldTrump/posts/114319263138009661)\n"
    "**in April.**"
)


def test_markdown_links_and_emphasis_stripped_white_house():
    doc = _one(WH_CFPB, title="CFPB Isn’t a Wall Street Regulator", source_format="jsonl")
    assert doc["text"] == (
        "The Consumer Financial Protection Bureau (CFPB) — the brainchild of Sen. Elizabeth Warren — has long "
        "functioned as another woke, weaponized arm of the bureaucracy that leverages its power against certain "
        "industries and individuals disfavored by so-called “elites.”\n"
        "House Republican Study Committee: “President Trump is trying to restore fairness in trade.”"
    )


def test_strip_markdown_pieces():
    assert clean.strip_markdown("![logo](/img/a.png)Text with [a link](https://x.org/a) and **bold** and __this__.") == \
        "Text with a link and bold and this."
    assert clean.strip_markdown("## Heading\n- item one\n1. item two\n> quoted\nA \\*literal\\* star") == \
        "Heading\nitem one\n1. item two\nquoted\nA *literal* star"  # an item's number is a word of it
    # a bracket that is no link stays
    assert clean.strip_markdown("We are not creating blocks [\u2026] we act.") == "We are not creating blocks [\u2026] we act."


def test_looks_markdown():
    assert clean.looks_markdown(WH_CFPB)
    assert clean.looks_markdown("## Heading\ntext")
    assert not clean.looks_markdown("Putin met Xi. Trade grew by 30 percent [sic].")


def test_markdown_emphasis_across_a_hard_wrap_is_stripped():
    doc = _one(WH_KARELINA, title="Promises Made, Promises Kept", source_format="jsonl")
    assert doc["text"] == ("Ksenia Karelina — an American ballet dancer who was wrongfully detained in a Russian "
                           "penal colony for 14 months — returned home in April.")


def test_markdown_heading_and_bullet_stay_separate_paragraphs():
    text = ("Leaders met in Astana on Thursday.\n\n## What was signed\n\nThe Astana Declaration.\n\n"
            "For example:\n\n-   A strategy on energy cooperation.")
    doc = _one(text, title="SCO summit")
    assert doc["text"].split("\n") == ["Leaders met in Astana on Thursday.", "What was signed",
                                       "The Astana Declaration.", "For example:",
                                       "A strategy on energy cooperation."]


# --- unwrap, repeated paragraphs, title ------------------------------------

def test_unwrap_joins_hard_wrapped_paragraphs():
    text = ("The expected expansion of the club of Eurasian\ncountries is part of a push from Beijing\n"
            "and Moscow.\n\nSecond paragraph is here\nand continues.")
    assert clean.unwrap(text) == [
        "The expected expansion of the club of Eurasian countries is part of a push from Beijing and Moscow.",
        "Second paragraph is here and continues."]


def test_unwrap_keeps_one_paragraph_per_line_text():
    assert clean.unwrap("Line one.\nLine two.") == ["Line one.", "Line two."]


def test_unwrap_keeps_long_lines_and_chrome_lines_apart():
    long = "x " * 60
    assert clean.unwrap(f"{long}\nshort line\n\nShare post:\nSubscribe") == [long, "short line", "Share post:", "Subscribe"]


def test_paragraph_doubled_in_a_row_kept_once():
    para = "Putin met Xi in Astana on July 3, on the sidelines of the summit."
    doc = _one(f"{para}\nTrade grew by 30 percent in 2023.\n{para}\n  {para.upper()}  \nXi agreed.")
    assert doc["text"] == f"{para}\nTrade grew by 30 percent in 2023.\n{para}\nXi agreed."


def test_a_paragraph_that_repeats_alone_among_new_ones_stays():
    # the same interview question put to each guest: content that repeats, not a copy
    q = "What do you think the SCO should do first about regional security?"
    lines = [q, "Guest one answered that trade comes first.", q, "Guest two answered that water does."]
    assert clean.dedup_paragraphs(lines) == lines


def test_dedup_paragraphs_keeps_short_repeats():
    lines = ["Putin met Xi in Astana on July 3.", "Thank you.", "Putin met Xi in Astana on July 3.", "Thank you."]
    assert clean.dedup_paragraphs(lines) == lines


def test_short_repeat_inside_a_repeated_block_dropped():
    a = "Putin met Xi in Astana on July 3, on the sidelines of the summit of the Shanghai Cooperation Organisation."
    b = "Trade between the two countries grew by 30 percent in 2023, to a record of more than 240 billion dollars."
    c = "Both leaders praised the state of relations between their countries."
    head = "Golden Ruble?"
    # an article quoted twice: its short subheading repeats with it, and goes with it
    assert clean.dedup_paragraphs([a, head, b, c, "My comment.", a, head, b, c]) == [a, head, b, c, "My comment."]
    # at the edge of the repeated block too
    assert clean.dedup_paragraphs([a, b, head, c, a, b, head]) == [a, b, head, c]
    # one repeated paragraph alone is no copied block: it and the short repeat stay
    assert clean.dedup_paragraphs([a, head, c, a, head, "Thank you."]) == [a, head, c, a, head, "Thank you."]


def test_split_title():
    body = "Russian President Vladimir Putin and Chinese leader Xi Jinping met on July 3 in Kazakhstan."
    assert clean.split_title(["Belarus Joins SCO at Astana Summit", body]) == ("Belarus Joins SCO at Astana Summit", [body])
    assert clean.split_title(["Putin met Xi.", body]) == (None, ["Putin met Xi.", body])
    assert clean.split_title(["Astana", body]) == (None, ["Astana", body])  # one word is no headline
    assert clean.split_title(["Belarus Joins SCO", "Astana"]) == (None, ["Belarus Joins SCO", "Astana"])
    assert clean.split_title([body]) == (None, [body])


def test_title_from_the_record_wins():
    doc = _one("Belarus Joins SCO at Astana Summit\nLeaders met in Astana on Thursday.", title="Given title")
    assert doc["title"] == "Given title"
    assert doc["text"] == "Belarus Joins SCO at Astana Summit\nLeaders met in Astana on Thursday."


def test_clean_record_title_split():
    doc = _one("Belarus Joins SCO at Astana Summit\n\nLeaders met in Astana on Thursday.")
    assert (doc["title"], doc["text"]) == ("Belarus Joins SCO at Astana Summit", "Leaders met in Astana on Thursday.")


# --- chrome by method -------------------------------------------------------

def _fixture_doc(name):
    return _one((CHROME_FIXTURES / name).read_text(encoding="utf-8"))


def test_seed_001_tail_gone_last_paragraph_stays():
    doc = _fixture_doc("seed001_tail.txt")
    assert doc["text"].startswith("“At times, Moscow has looked to water down")
    assert doc["text"].endswith("a centerpiece of their shared anti-US worldview.”")
    assert "\n" not in doc["text"]  # only the real paragraph is left
    for s in ("With reporting by", "Pools Plus Cyprus", "rewritten by artificial intelligence",
              "Related Articles", "Leave a Reply", "email address", "Back to top"):
        assert s not in doc["text"]


def test_seed_003_tail_gone_last_paragraph_stays_source_read():
    doc = _fixture_doc("seed003_tail.txt")
    assert doc["text"] == ("Belarusian President Alexander Lukashenko was also in Samarkand today and was able to "
                           "meet with Xi. Tomorrow’s highlight, aside from the SCO summit itself, will be Putin’s "
                           "meeting with Turkish President Recep Tayyip Erdogan. He also met with Indian Prime "
                           "Minister Narendra Modi.")
    assert doc["source_name"] == "La Verdad"


def test_short_non_sentence_tail_lines_dropped():
    kept, found = clean.strip_chrome(
        ["Leaders met in Astana on Thursday.", "Pools Plus Cyprus", "Kazakh Villas for Sale", "Top 10 Hotels"], set())
    assert kept == ["Leaders met in Astana on Thursday."]
    assert found == {"urls": []}


def test_tail_stripping_keeps_the_only_line():
    assert clean.strip_chrome(["Golden Ruble"], set())[0] == ["Golden Ruble"]


def test_strip_chrome_reads_source_and_urls():
    kept, found = clean.strip_chrome(
        ["Putin met Xi in Astana.", "https://tass.com/world/1296661", "Source: La Verdad", "Source: Other", "Share post:"],
        set())
    assert kept == ["Putin met Xi in Astana."]
    assert found == {"urls": ["https://tass.com/world/1296661"], "source_line": "La Verdad"}


def test_source_line_gives_source_name():
    doc = _one("Leaders met in Astana on Thursday.\nSource: La Verdad\nLEAVE A REPLY")
    assert (doc["source_name"], doc["text"]) == ("La Verdad", "Leaders met in Astana on Thursday.")


def test_record_source_name_wins_over_source_line():
    assert _one("Leaders met in Astana.\nSource: La Verdad", source_name="EFE")["source_name"] == "EFE"


def test_outlet_from_dateline():
    assert clean.outlet_from_dateline("MOSCOW, September 23. /TASS/. Iran needs to adopt all the documents.") == "TASS"
    assert clean.outlet_from_dateline("MOSCOW, September 23. / TASS /. Iran needs to adopt them.") == "TASS"  # seed 004
    assert clean.outlet_from_dateline("BEIJING, June 1. /Xinhua/. Iran") == "Xinhua"  # no entry: the tag as written
    assert clean.outlet_from_dateline("Iran needs to adopt all the documents.") is None


def test_outlet_of_a_document_from_its_dateline():
    doc = _one("ASTANA, April 26. /TASS/. US-oriented structures are trying to transform the security system.")
    assert doc["source_name"] == "TASS"


def test_outlet_from_url():
    assert clean.outlet_from_url("https://www.tass.com/politics/1341593") == "TASS"
    assert clean.outlet_from_url("https://tass.ru/politika/1") == "TASS"
    assert clean.outlet_from_url("https://news.example.org/a") == "news.example.org"
    assert clean.outlet_from_url(None) is None
    assert clean.outlet_from_url("not a url") is None


def test_repeated_lines_across_documents():
    docs = [["Home | World | Politics", f"Article {i} says the SCO met in Astana.",
             "Putin met Xi in Astana on July 3.", "Follow the SCO summit live"] for i in range(6)]
    # a repeated line that ends a sentence is counted too (it goes only next to chrome)
    assert clean.repeated_lines(docs) == {"home world politics", "follow the sco summit live",
                                          "putin met xi in astana on july 3"}
    # too few documents: nothing is called repeated
    assert clean.repeated_lines(docs[:4]) == set()


def test_clean_batch_drops_a_nav_line_shared_by_six_documents_keeps_the_sentence():
    recs = [_rec(f"Home | World | Politics\nArticle number {i} says the SCO met in Astana.\n"
                 "Putin met Xi in Astana on July 3.", uri=f"site/a{i}.txt") for i in range(6)]
    docs, rejects = clean.clean_batch(recs)
    assert rejects == []
    assert [d["text"] for d in docs] == [
        f"Article number {i} says the SCO met in Astana.\nPutin met Xi in Astana on July 3." for i in range(6)]
    assert [d["source_uri"] for d in docs] == [f"site/a{i}.txt" for i in range(6)]


def test_clean_batch_only_chrome_is_a_reject():
    docs, rejects = clean.clean_batch([_rec("Share post:\nSubscribe\nLeave a Reply", uri="x/only.txt")])
    assert docs == []
    assert rejects == [{"source_uri": "x/only.txt", "reason": "no text after cleaning", "detail": "only chrome"}]


def test_clean_record_fields():
    doc = _one("Leaders met in Astana on Thursday, 4 July 2024.", url="https://tass.com/x/1", date="2024-07-04T10:00:00Z")
    assert doc["doc_id"] == clean.doc_id_for("in/doc.txt") and re.fullmatch(r"d-[0-9a-f]{16}", doc["doc_id"])
    assert (doc["source_name"], doc["published_date"].isoformat(), doc["published_date_source"]) == \
        ("TASS", "2024-07-04", "explicit")
    assert (doc["n_words"], doc["duplicate_of"], doc["post_number"], doc["language"]) == (9, None, None, "en")


# --- the seeds ----------------------------------------------------------------

SEED_FILES = sorted(SEEDS.glob("*.txt"))
CHROME_FRAGMENTS = [
    "Leave a Reply", "LEAVE A REPLY", "Your email address will not be published", "Please enter your comment",
    "Share post:", "Back to top", "Related Articles", "More like this", "Join date", "Posts :", "Points :",
    "like this post", "likes this post", " wrote:", "Post n°", "Image: AP", "#Putin", "posters",
    "rewritten by artificial intelligence", "Re: S.C.O. Thread", "Pools Plus Cyprus", "With reporting by",
    "2024-07-08 04:55:57", "Source: La Verdad",
]


@pytest.fixture(scope="module")
def seed_docs():
    out = {}
    for p in SEED_FILES:
        docs, rejects = clean.clean_record(_rec(p.read_text(encoding="utf-8"), uri=p.name))
        assert rejects == []
        out[p.name[:3]] = docs
    return out


def test_all_five_seeds_present():
    assert [p.name[:3] for p in SEED_FILES] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seed_texts_contain_no_chrome(seed_docs, seed):
    for doc in seed_docs[seed]:
        for line in doc["text"].split("\n"):
            assert chrome.chrome_kind(line) is None, (doc["source_uri"], line)
        for frag in CHROME_FRAGMENTS:
            assert frag not in doc["text"], (doc["source_uri"], frag)
        assert doc["title"] is None or chrome.chrome_kind(doc["title"]) is None


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seed_texts_start_with_no_metadata_label(seed_docs, seed):
    for doc in seed_docs[seed]:
        assert not re.match(r"(date|posted|published|updated)\s*:?\s*\d{4}-\d{2}-\d{2}", doc["text"], re.I), \
            doc["text"][:60]


def test_seed_titles_and_sources(seed_docs):
    assert seed_docs["001"][0]["title"] == "Belarus Joins SCO at Astana Summit"
    assert seed_docs["003"][0]["title"] == "Putin and Xi Jinping Commit to Consolidating a “Global Leadership” at Samarkand Summit"
    assert seed_docs["003"][0]["source_name"] == "La Verdad"
    assert seed_docs["002"][0]["text"].endswith("“Even more so when this year we chair the BRICS,” he highlighted.")
    assert seed_docs["000"][0]["text"].endswith("constructive and constructive interaction,\" Vladimir Putin said.")
    # the chrome tail of 001 and 003 is gone, their last real paragraph stays
    assert seed_docs["001"][0]["text"].endswith("a centerpiece of their shared anti-US worldview.”")
    assert seed_docs["003"][0]["text"].endswith("He also met with Indian Prime Minister Narendra Modi.")


# --- real Kremlin pages (CC BY 4.0, en.kremlin.ru) ---------------------------

KREMLIN_HTML = SHARED / "corpora" / "kremlin" / "html"
MENU = {"Events", "News", "Transcripts", "President", "President of Russia", "Search", "Search this website",
        "Print", "Send by email", "Text version", "Send a Letter", "State Insignia", "Facebook", "Twitter", "VK",
        "YouTube", "LiveJournal", "Geography", "Topics", "Publication status", "Legal", "Official Internet Resources",
        "Foreign policy", "See also", "Additional", "Home", "Contacts", "Photos", "Videos", "Documents"}


def _kremlin_doc(page):
    f = ingest.InputFile(KREMLIN_HTML / f"{page}.html", f"html/{page}.html")
    recs, rejects = ingest.read_input(f)
    assert rejects == [] and len(recs) == 1
    docs, rejects = clean.clean_record(recs[0])
    assert rejects == [] and len(docs) == 1
    return docs[0]


@needs_shared("corpora/kremlin/html")
@pytest.mark.parametrize("page", ["17151", "17650", "26911", "54219", "57213"])
def test_kremlin_page_has_no_menu_lines(page):
    doc = _kremlin_doc(page)
    lines = [ln.strip() for ln in doc["text"].split("\n")]
    assert [ln for ln in lines if ln.replace("\u00a0", " ") in MENU] == []
    assert doc["url"].startswith("http://en.kremlin.ru/events/") and doc["url"].endswith(f"/{page}")
    assert doc["source_format"] == "html" and doc["n_words"] > 50


@needs_shared("corpora/kremlin/html")
def test_kremlin_page_17151_exact_start_and_metadata():
    doc = _kremlin_doc("17151")
    assert doc["title"] == "Vladimir Putin will make a visit to India"
    assert doc["published_date"].isoformat() == "2012-12-17"
    assert doc["text"].startswith("During the talks the two leaders will discuss specific steps to further develop "
                                  "the Russian-Indian strategic partnership")


@needs_shared("corpora/kremlin/html")
def test_kremlin_link_box_title_is_not_text():
    # the box's title ("Additional") is dropped with the box, in ingest: a complementary
    # element (WAI-ARIA) that is mostly links
    lines = [ln.strip() for ln in _kremlin_doc("55816")["text"].split("\n")]
    assert [ln for ln in lines if ln in MENU] == []


# Inline HTML in markdown (White House briefings carry tables, underlines, figures)
def test_inline_html_tags_go_and_their_text_stays():
    t = ('Section 1. <span style="text-decoration: underline">Purpose</span>. See <https://www.whitehouse.gov/x>.\n'
         '<table><tbody><tr><td>Tariff</td><td>25%</td></tr><tr><td>Steel</td><td>10%</td></tr></tbody></table>\n'
         '<figure><img src="x.jpg" alt="A"><figcaption>The President speaks.</figcaption></figure> <sup>1</sup>')
    out = clean.strip_html_tags(t)
    assert out.split("\n")[0] == "Section 1. Purpose. See https://www.whitehouse.gov/x."
    assert "Tariff 25%" in out and "Steel 10%" in out  # a row per line, cells apart
    assert "<" not in out and "The President speaks." in out


def test_angle_brackets_that_are_no_html_tag_stay():
    for t in ("If a < b and c > d, then", "Reply to <George1> here", "<Name>", "x <- y", "<3"):
        assert clean.strip_html_tags(t) == t


def test_a_record_with_inline_html_is_cleaned_of_it():
    raw = ("# Fact Sheet\n\nThe United States will impose tariffs on imports as described in "
           "[the order](https://x.gov/a), <u>effective</u> at once.\n\n<table><tr><td>Steel</td><td>10%</td></tr></table>\n\n"
           "The tariffs will stay in force until the President decides that the threat has been dealt with.")
    rec = {"source_uri": "x.jsonl#id-1", "parent_uri": "x.jsonl", "source_format": "jsonl", "raw": raw,
           "title": "Fact Sheet", "url": None, "date": "2025-01-01", "author": None, "source_name": None}
    docs, _ = clean.clean_record(rec)
    assert "effective at once" in docs[0]["text"] and "Steel 10%" in docs[0]["text"] and "<" not in docs[0]["text"]
