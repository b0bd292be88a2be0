"""HTML pages to main text (trafilatura), without their boxes of links.
"""
from __future__ import annotations

from flows.ingest.decoding import reject
from flows.ingest.records import MAX_FIELD_CHARS, _record

LINK_BOX_DENSITY = 0.5  # share of a complementary box's text that is link text


def _drop_link_boxes(html: str) -> str:
    """The page without its boxes of links marked as complementary (WAI-ARIA
    role="complementary" whose text is mostly link text: "See also", "Additional",
    related reading). They are not the article, though they may sit in its middle, and
    trafilatura drops their links but may keep their heading as a line of text. A
    complementary element that is mostly text stays: a site may mark its whole article
    so (en.kremlin.ru does)."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # a page lxml cannot read goes to trafilatura as it came
        return html
    dropped = False
    for box in tree.xpath('//*[@role="complementary"]'):
        text = len("".join(box.text_content().split()))
        links = sum(len("".join(a.text_content().split())) for a in box.iter("a"))
        if text and links >= LINK_BOX_DENSITY * text:
            box.drop_tree()  # its tail (the text after the box) stays
            dropped = True
    return lxml.html.tostring(tree, encoding="unicode") if dropped else html


def _read_html(uri: str, html: str) -> tuple[list[dict], list[dict]]:
    import trafilatura  # imported here: a second of start-up that only HTML inputs pay

    if "complementary" in html:
        html = _drop_link_boxes(html)
    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True,
        # deduplicate=False: trafilatura's own dedup is a process-wide cache, so a page
        # seen twice (or a paragraph seen in another page) would silently lose text
        favor_precision=True, deduplicate=False,
    )
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        return [], [reject(uri, "no main text in HTML", "trafilatura found no article text (navigation-only page?)")]
    return [_record(uri, None, "html", body[:MAX_FIELD_CHARS], title=doc.title, url=doc.url, date=doc.date,
                    author=doc.author, source_name=doc.sitename)], []
