"""flows.dedup: exact and near duplicates, canonical choice, nothing dropped.

The two articles below are written for this test: both report the SCO summit in
Astana on 3-4 July 2024, from different angles and in different words.
"""
from __future__ import annotations

from datetime import date

import numpy as np

from flows.dedup import find_duplicates, mark_duplicates

ARTICLE = (
    "Leaders of the Shanghai Cooperation Organization gathered in Astana on Wednesday for a two-day summit "
    "hosted by Kazakh President Kassym-Jomart Tokayev. The meeting opened with a session of the Council of "
    "Heads of State, which formally admitted Belarus as the tenth full member of the organization.\n"
    "Russian President Vladimir Putin and Chinese President Xi Jinping held talks on the sidelines of the "
    "summit. Both leaders praised the state of relations between their countries and pledged to deepen "
    "cooperation in energy, transport and finance. Putin said trade between Russia and China was now settled "
    "almost entirely in rubles and yuan.\n"
    "The summit adopted the Astana Declaration and more than twenty other documents. Among them were a "
    "strategy for energy cooperation until 2030, a programme on combating terrorism, separatism and "
    "extremism, and a statement on the principles of good-neighbourliness. Members also agreed to study the "
    "creation of a common investment fund proposed by Kazakhstan.\n"
    "Turkish President Recep Tayyip Erdogan, whose country is a dialogue partner, met Putin and offered to "
    "help end the war in Ukraine. The Kremlin said that Ankara could not act as a mediator at this stage. "
    "United Nations Secretary General Antonio Guterres addressed the plus format meeting on Thursday and "
    "called for dialogue on climate and development.\n"
    "Indian Prime Minister Narendra Modi did not travel to Astana and was represented by Foreign Minister "
    "Subrahmanyam Jaishankar. Observers noted that the absence underlined the differences within the bloc "
    "over its direction. China takes over the rotating presidency of the organization for the next year and "
    "will host the next summit in Tianjin.\n"
    "Security in Afghanistan remained on the agenda, as did the fight against drug trafficking across Central "
    "Asia. Tokayev closed the summit by calling on members to turn the organization into a platform for "
    "practical projects rather than declarations, and thanked the delegations for their work in Astana."
)

# the same article with one sentence changed
NEAR = ARTICLE.replace(
    "Putin said trade between Russia and China was now settled almost entirely in rubles and yuan.",
    "The Kremlin added that Xi would visit Russia in the autumn.",
)

# a genuinely different report on the same summit
OTHER = (
    "Astana became the capital of Eurasian diplomacy this week as heads of state from China, Russia, Iran, "
    "Pakistan and Central Asia arrived for the annual SCO meeting. For Belarus the gathering was historic: "
    "Minsk, an observer since 2010, finally received full membership, and Alexander Lukashenko thanked Beijing "
    "and Moscow for their support.\n"
    "Analysts in the Kazakh capital said the expansion shows how the bloc, founded in 2001 to settle border "
    "questions between China and the former Soviet republics, has grown into a broad forum. Critics argue "
    "that it has too many members with conflicting interests, pointing to the long rivalry between India "
    "and Pakistan and to tensions between India and China on their shared border.\n"
    "Xi Jinping used his speech to warn against a new Cold War and to promote Chinese initiatives on global "
    "security and development. He proposed a centre for cooperation on artificial intelligence and promised "
    "scholarships for students from member states. Vladimir Putin spoke about a fairer multipolar world order "
    "and about settling payments in national currencies.\n"
    "The Iranian delegation, attending for the first time as a full member, was led by acting president "
    "Mohammad Mokhber after the death of Ebrahim Raisi in May. Tehran hopes that membership will help it "
    "withstand Western sanctions and open routes for its oil and gas exports toward Asia.\n"
    "Local residents saw a city under tight security, with several central avenues closed for motorcades. "
    "Hotels were fully booked, and the organisers opened a large media centre at the Palace of "
    "Independence, where hundreds of journalists followed the proceedings on giant screens until late at night."
)


def _doc(doc_id, text, published=None, n_words=None):
    return {"doc_id": doc_id, "text": text, "published_date": published,
            "n_words": n_words if n_words is not None else len(text.split()), "duplicate_of": None}


def test_article_sizes():
    assert 280 <= len(ARTICLE.split()) <= 360
    assert len(NEAR.split()) == len(ARTICLE.split()) - 5  # one sentence changed, and shorter


def test_exact_duplicates_whitespace_and_case():
    docs = [
        _doc("d-a", ARTICLE, date(2024, 7, 4)),
        _doc("d-b", "  " + ARTICLE.upper().replace(" ", "   ").replace("\n", "\n\n") + "\n", date(2024, 7, 5)),
        _doc("d-c", ARTICLE.replace(".", " ."), date(2024, 7, 6)),  # punctuation spacing is not a word
    ]
    assert find_duplicates(docs) == {"d-b": "d-a", "d-c": "d-a"}


def test_short_exact_duplicates_flagged():
    docs = [_doc("d-1", "Iran joined the SCO."), _doc("d-2", "iran  JOINED the\nSCO.")]
    assert find_duplicates(docs) == {"d-2": "d-1"}


def test_near_duplicate_with_one_changed_sentence():
    docs = [_doc("d-near", NEAR, date(2024, 7, 4)), _doc("d-orig", ARTICLE, date(2024, 7, 4))]
    assert find_duplicates(docs) == {"d-near": "d-orig"}


def test_near_duplicate_canonical_is_longest_on_same_day():
    # the near copy is the longer one here: it becomes canonical
    docs = [_doc("d-a", ARTICLE, date(2024, 7, 4)), _doc("d-b", NEAR + " Reuters and AFP contributed to this report from the Kazakh capital.", date(2024, 7, 4))]
    assert docs[1]["n_words"] > docs[0]["n_words"]
    assert find_duplicates(docs) == {"d-a": "d-b"}


def test_near_duplicate_canonical_is_earliest():
    docs = [_doc("d-a", ARTICLE, date(2024, 7, 5)), _doc("d-b", NEAR, date(2024, 7, 4))]
    assert find_duplicates(docs) == {"d-a": "d-b"}


def test_different_articles_on_the_same_event_not_flagged():
    docs = [_doc("d-a", ARTICLE, date(2024, 7, 4)), _doc("d-b", OTHER, date(2024, 7, 4))]
    assert find_duplicates(docs) == {}


def test_canonical_is_earliest_published_then_longest_then_smallest_id():
    docs = [
        _doc("d-1", ARTICLE, date(2024, 7, 6), n_words=900),
        _doc("d-2", ARTICLE, date(2024, 7, 4), n_words=100),  # earliest wins over longest
        _doc("d-3", ARTICLE, None, n_words=5000),  # undated never wins over dated
    ]
    assert find_duplicates(docs) == {"d-1": "d-2", "d-3": "d-2"}
    same_day = [
        _doc("d-1", ARTICLE, date(2024, 7, 4), n_words=100),
        _doc("d-2", ARTICLE, date(2024, 7, 4), n_words=300),  # same day: longest wins
    ]
    assert find_duplicates(same_day) == {"d-1": "d-2"}
    tie = [_doc("d-9", ARTICLE, date(2024, 7, 4)), _doc("d-5", ARTICLE, date(2024, 7, 4))]
    assert find_duplicates(tie) == {"d-9": "d-5"}


def test_duplicate_of_never_points_at_a_duplicate():
    docs = [
        _doc("d-4", NEAR, date(2024, 7, 8)),
        _doc("d-3", ARTICLE.lower(), date(2024, 7, 7)),
        _doc("d-2", ARTICLE, date(2024, 7, 5)),
        _doc("d-1", OTHER, date(2024, 7, 4)),
        _doc("d-0", NEAR, date(2024, 7, 6)),
    ]
    out = mark_duplicates(docs)
    dup = {d["doc_id"]: d["duplicate_of"] for d in out}
    assert dup == {"d-4": "d-2", "d-3": "d-2", "d-2": None, "d-1": None, "d-0": "d-2"}
    for target in dup.values():
        if target is not None:
            assert dup[target] is None


def test_mark_duplicates_drops_nothing():
    docs = [_doc(f"d-{i}", t, date(2024, 7, 4 + i)) for i, t in enumerate([ARTICLE, NEAR, OTHER, ARTICLE, "Short."])]
    texts = [d["text"] for d in docs]
    out = mark_duplicates(docs)
    assert len(out) == 5
    assert [d["doc_id"] for d in out] == ["d-0", "d-1", "d-2", "d-3", "d-4"]
    assert [d["text"] for d in out] == texts
    assert [d["duplicate_of"] for d in out] == [None, "d-0", None, "d-0", None]


def test_mark_duplicates_resets_stale_flags():
    docs = [_doc("d-a", ARTICLE), _doc("d-b", OTHER)]
    docs[1]["duplicate_of"] = "d-a"
    assert [d["duplicate_of"] for d in mark_duplicates(docs)] == [None, None]


def test_empty_and_tiny_inputs():
    assert find_duplicates([]) == {}
    assert find_duplicates([_doc("d-1", "")]) == {}
    # two different one-word texts: too short for the near test, different exact keys
    assert find_duplicates([_doc("d-1", "Astana"), _doc("d-2", "Samarkand")]) == {}


def test_same_boilerplate_text_under_different_titles_is_not_a_duplicate():
    # Kremlin ids 42115 and 42559 (CC BY 4.0): one-line texts, the meetings differ by title
    text = "The leaders of two countries discussed various issues of bilateral cooperation."
    docs = [
        {"doc_id": "d-1", "title": "President Vladimir Putin met with Prime Minister Jean Chretien of Canada",
         "text": text, "published_date": None, "n_words": 11},
        {"doc_id": "d-2", "title": "President Vladimir Putin met with his Belarusian counterpart Aleksandr Lukashenko",
         "text": text, "published_date": None, "n_words": 11},
    ]
    assert find_duplicates(docs) == {}


def test_lsh_bands_and_rows_as_datasketch_chooses_them():
    from flows.dedup import lsh_params
    assert lsh_params(0.8, 128) == (9, 13)
    assert lsh_params(0.7, 128) == (14, 9)


def test_shingle_hashes_are_content_hashes_of_ordered_word_triples():
    from flows.dedup import shingle_hashes
    a = shingle_hashes("putin met xi in astana".split())
    assert len(a) == 3  # three 3-word shingles
    assert list(shingle_hashes("putin met xi in astana".split(), {})) == list(a)  # no state between calls
    # word order matters: the same words in another order share no triple
    assert set(a.tolist()).isdisjoint(shingle_hashes("xi met putin in astana".split()).tolist())
    assert len(set(a.tolist()) & set(shingle_hashes("putin met xi in samarkand".split()).tolist())) == 2
    assert len(shingle_hashes(["astana"])) == 1 and len(shingle_hashes([])) == 0


def test_threshold_is_configurable():
    """The threshold is the similarity from which a copy is `near`; below it, down to
    UPDATE_THRESHOLD, the same article rewritten is an `update`."""
    from flows.dedup import classify

    docs = [_doc("d-near", NEAR, date(2024, 7, 4)), _doc("d-orig", ARTICLE, date(2024, 7, 4))]
    low, high = classify(docs, threshold=0.5)["d-near"], classify(docs, threshold=0.99)["d-near"]
    assert (low[0], low[1]) == ("d-orig", "near") and (high[0], high[1]) == ("d-orig", "update")
    assert low[2] == high[2] and 0.5 <= low[2] < 0.99


def _pair(title_a, title_b, date_a=date(2024, 5, 1), date_b=date(2024, 5, 2)):
    body = " ".join(f"word{i}" for i in range(300))
    return [{"doc_id": "d-a", "title": title_a, "text": body + " alpha", "published_date": date_a, "n_words": 301},
            {"doc_id": "d-b", "title": title_b, "text": body + " beta", "published_date": date_b, "n_words": 301}]


def test_one_template_filled_for_two_subjects_is_not_a_duplicate():
    # White House corpus (public domain): the same designation notice for two countries
    docs = _pair("Designating Colombia as a Major Non-NATO Ally", "Designating Kenya as a Major Non-NATO Ally")
    assert find_duplicates(docs) == {}


def test_yearly_renewals_far_apart_are_not_duplicates():
    docs = _pair("Notice on the Continuation of the National Emergency", "Notice on the Continuation of the National Emergency",
                 date(2023, 5, 1), date(2024, 5, 1))
    assert find_duplicates(docs) == {}


def test_same_page_published_twice_is_still_a_duplicate():
    docs = _pair("Readout of the President's Call", "Readout of the President's Call")
    assert find_duplicates(docs) == {"d-b": "d-a"}


def test_many_copies_of_one_text_are_one_cluster():
    """40 copies, one word changed in each: one cluster (its band buckets are larger
    than any pair-by-pair check would like), canonical the earliest copy; a copy
    republished 81 days later is the same document; one dated a year later is the
    same text but another act (a yearly renewal), and stays apart."""
    words = ARTICLE.split()
    docs = []
    for k in range(40):
        changed = words[:10 * k + 5] + [f"word{k}"] + words[10 * k + 6:] if k else words
        docs.append(_doc(f"d-{k:02d}", " ".join(changed), published=date(2024, 7, 4 + k % 20)))
    docs[7]["published_date"] = date(2024, 7, 1)
    docs[38]["published_date"] = date(2024, 9, 20)  # 81 days after d-07
    docs[39]["published_date"] = date(2025, 7, 4)
    assert find_duplicates(docs) == {d["doc_id"]: "d-07" for d in docs if d["doc_id"] not in ("d-07", "d-39")}


def test_titles_of_one_document_and_of_a_template_filled_twice():
    """A name swapped for another is two documents; numbers, case, word order and a
    name added on one side only are one."""
    from flows.dedup import TitleIndex, titles_compatible

    one = [("6 dead as storm hits coast", "8 dead as storm hits coast"),
           ("2,000 flights cancelled", "2,600 flights cancelled"),
           ("Dow surges 700 points", "Dow closes 600 points up"),
           ("Storm Hits Coast, Six Dead", "storm hits coast, six dead"),
           ("Xi meets Biden in Woodside", "New York Times: Xi meets Biden in Woodside"),
           ("Death toll in the Philippines rises", "Typhoon kills 6 in the Philippines"),
           (None, "Anything"), ("", "Anything")]
    two = [("Designating Colombia as a Major Non-NATO Ally", "Designating Kenya as a Major Non-NATO Ally"),
           ("Adjusting Imports of Aluminum", "Adjusting Imports of Steel"),
           ("Putin meets Xi in Beijing", "Putin meets Modi in Beijing"),
           ("November 2022 Visitor Log Records Posted", "October 2022 Visitor Log Records Posted")]
    assert all(titles_compatible(a, b) and titles_compatible(b, a) for a, b in one)
    # numbers change in an update within days; weeks apart, they name another act
    assert not titles_compatible("Memorandum on Section 506", "Memorandum on Section 614", numbers_may_change=False)
    assert not titles_compatible("2021 Annual Report", "2024 Annual Report", numbers_may_change=False)
    assert titles_compatible("Memorandum on Section 506", "Memorandum on Section 506", numbers_may_change=False)
    assert not any(titles_compatible(a, b) or titles_compatible(b, a) for a, b in two)
    titles = [t for pair in one + two for t in pair]
    index = TitleIndex(titles)
    rows = np.arange(len(titles))
    got = index.compatible(rows, rows, np.ones((len(rows), len(rows)), dtype=bool))
    assert got.tolist() == [[titles_compatible(a, b) for b in titles] for a in titles]


def test_signatures_asked_for_only_one_document_per_exact_text():
    """`duplicates_in` with the signatures given by a function (the build reads them
    from disk) asks for those of one document per exact text, and decides as with
    the signatures in the table."""
    import pyarrow as pa

    from flows.dedup import SIGNATURE, duplicates_in, signature_columns

    docs = [_doc("a", ARTICLE), _doc("b", ARTICLE), _doc("c", NEAR), _doc("d", "Something else entirely, " * 20)]
    table = pa.Table.from_pylist([{k: d.get(k) for k in ("doc_id", "published_date", "n_words", "title")} for d in docs])
    for name, column in signature_columns(docs).items():
        table = table.append_column(name, column)
    sig = table[SIGNATURE].combine_chunks()
    matrix = sig.values.to_numpy().reshape(len(sig), sig.type.list_size)
    asked = []

    def signatures(rows):
        asked.append(rows)
        return matrix if rows is None else matrix[rows]

    want = duplicates_in(table)
    assert duplicates_in(table.drop_columns([SIGNATURE]), sigs=signatures).equals(want)
    assert want.to_pylist() == [None, "a", "a", None]
    assert [r.tolist() for r in asked] == [[0, 2, 3]]


def _article_doc(doc_id, text, title=None, published=date(2024, 7, 4), url=None):
    d = _doc(doc_id, text, published=published)
    d.update(title=title, url=url)
    return d


def test_the_same_body_under_another_headline_is_an_exact_duplicate():
    from flows.dedup import classify

    docs = [_article_doc("a", ARTICLE, "SCO leaders meet in Astana"),
            _article_doc("b", ARTICLE, "Belarus joins the SCO as Putin and Xi hold talks")]
    assert classify(docs) == {"b": ("a", "exact", 1.0)}


def test_a_one_line_boilerplate_body_is_keyed_with_its_headline():
    """Short pages whose facts are in the headline ("Meeting with the Governor of X")
    are as many documents as headlines."""
    body = "The President held a working meeting in the Kremlin."
    docs = [_article_doc("a", body, "Meeting with Governor of Tula Region Alexei Dyumin"),
            _article_doc("b", body, "Meeting with Governor of Tver Region Igor Rudenya"),
            _article_doc("c", body, "Meeting with Governor of Tula Region Alexei Dyumin")]
    assert find_duplicates(docs) == {"c": "a"}


def test_an_updated_story_with_a_new_lede_and_new_figures_is_an_update():
    """A rewrite: a new first paragraph, the old one dropped, a figure changed, a new
    headline with other numbers: the same story, updated."""
    from flows.dedup import classify

    paragraphs = ARTICLE.split("\n")
    rewritten = "\n".join(["Tokayev opened the second day of the SCO summit in Astana on Thursday, as leaders "
                           "signed more than twenty-five documents and Belarus took its seat as a full member."]
                          + paragraphs[1:]).replace("more than twenty other documents", "twenty-six documents")
    docs = [_article_doc("a", ARTICLE, "SCO summit opens in Astana, 20 documents expected", date(2024, 7, 3)),
            _article_doc("b", rewritten, "SCO summit closes in Astana with 26 documents signed", date(2024, 7, 4))]
    got = classify(docs)
    assert got["b"][:2] == ("a", "update") or got["b"][:2] == ("a", "near")
    assert got["b"][2] >= 0.5


def test_a_story_grown_by_paragraphs_is_one_document():
    from flows.dedup import classify

    grown = ARTICLE + "\n" + "\n".join(OTHER.split("\n")[:2])  # two paragraphs added
    docs = [_article_doc("a", ARTICLE, "SCO summit in Astana"), _article_doc("b", grown, "SCO summit in Astana")]
    assert classify(docs) == {"a": ("b", "update", classify(docs)["a"][2])}  # same day: the longer is canonical


def test_the_same_page_under_two_addresses_is_one_document():
    from flows.dedup import canonical_url, classify

    urls = ["https://www.example.com/news/2024/07/sco-summit/?utm_source=feed&utm_medium=rss",
            "http://example.com/news/2024/07/sco-summit", "https://example.com/news/2024/07/sco-summit/amp",
            "https://amp.example.com/news/2024/07/sco-summit#comments"]
    assert len({canonical_url(u) for u in urls}) == 1
    assert canonical_url("https://example.com/news?id=7") != canonical_url("https://example.com/news?id=8")
    docs = [_article_doc("a", ARTICLE, "SCO summit", url=urls[0]), _article_doc("b", OTHER, "SCO summit", url=urls[1])]
    assert classify(docs)["b"][:2] == ("a", "update")


def test_forum_posts_quoting_one_article_are_not_one_page():
    docs = [_article_doc("a", ARTICLE, url="https://tass.com/politics/1"), _article_doc("b", OTHER, url="https://tass.com/politics/1")]
    for d in docs:
        d["post_number"] = 1
    assert find_duplicates(docs) == {}


def test_duplicate_columns_are_set_together_and_validate():
    import pyarrow as pa

    from flows import publish
    from flows.dedup import duplicate_columns, signature_columns

    docs = [_article_doc("a", ARTICLE, "x"), _article_doc("b", ARTICLE, "y"), _article_doc("c", NEAR, "x"),
            _article_doc("d", OTHER, "z")]
    table = pa.Table.from_pylist([{k: d.get(k) for k in ("doc_id", "published_date", "n_words", "title", "url")} for d in docs])
    for name, column in signature_columns(docs).items():
        table = table.append_column(name, column)
    cols = duplicate_columns(table)
    assert cols["duplicate_of"].to_pylist() == [None, "a", "a", None]
    assert cols["duplicate_kind"].to_pylist() == [None, "exact", "near", None]
    sim = cols["duplicate_similarity"].to_pylist()
    assert sim[0] is None and sim[1] == 1.0 and 0.8 <= sim[2] < 1.0 and sim[3] is None
