"""ingest: boxes of links a page marks as complementary (WAI-ARIA) are not the article."""
from __future__ import annotations

from flows import ingest
from flows.ingest import html as ingest_html

PARAGRAPH = ("The leaders discussed trade, energy and security cooperation at length, and agreed to meet again "
             "in the spring to review progress on the joint projects.")


def _page(box: str) -> str:
    return (f"<html><head><title>Talks</title></head><body><div class='read' role='complementary'>"
            f"<h1>Talks in Astana</h1><p>{PARAGRAPH}</p>{box}<p>After the talks, {PARAGRAPH}</p>"
            f"</div></body></html>")


LINK_BOX = ("<div class='cut' role='complementary'><h3>Additional</h3>"
            "<div><a href='/a'>Speech at the restricted meeting of the Council of Heads of State</a>"
            "<div>October 11, 2017</div></div>"
            "<div><a href='/b'>Expanded meeting of the Council of Heads of State</a><div>October 11, 2017</div></div></div>")


def test_a_complementary_box_of_links_is_dropped_with_its_title():
    html = ingest_html._drop_link_boxes(_page(LINK_BOX))
    assert "Additional" not in html and "Expanded meeting" not in html
    assert html.count(PARAGRAPH) == 2  # the article around it stays, the text after the box too


def test_a_complementary_element_that_is_mostly_text_stays():
    html = _page("")
    assert ingest_html._drop_link_boxes(html) == html  # nothing to drop: the page as it came


def test_a_complementary_box_of_text_stays():
    box = f"<aside role='complementary'><h3>Background</h3><p>{PARAGRAPH} <a href='/c'>More</a></p></aside>"
    out = ingest_html._drop_link_boxes(_page(box))
    assert "Background" in out and out.count(PARAGRAPH) == 3


def test_html_input_without_the_box_title(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(_page(LINK_BOX), encoding="utf-8")
    recs, rejects = ingest.read_input(ingest.InputFile(path, "page.html"))
    assert rejects == [] and len(recs) == 1
    assert "Additional" not in recs[0]["raw"].split("\n") and "After the talks" in recs[0]["raw"]
