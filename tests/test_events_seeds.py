"""Issue 5, "Measured" on the seeds: the real flow (fixture `seed_build`) gives each of
the Putin–Xi meetings and SCO summits the seeds report exactly once, citing every seed
document that reports it, and the two event queries of sql/queries/ return them.

Which seed reports what was read by hand (seeds/documents/):

* 000 (2022-09-15): "Putin met Xi Jinping on the sidelines of the SCO summit in Uzbekistan";
  "they will both attend the SCO summit on September 16".
* 001: "Putin and ... Xi Jinping met on July 3 in Kazakhstan as part of a two-day summit
  for the SCO" (Astana 2024).
* 002 (2024-07-08): "declared on Wednesday during a meeting with his Chinese counterpart,
  Xi Jinping, on the sidelines of ... the SCO summit ... on July 3 and 4 in Astana".
* 003 (no date): "The meeting held by the presidents of Russia and China in Samarkand was
  organized on the sidelines of the SCO summit"; "in September last year, members of the
  organization in Dushanbé ... decided to give the green light" (the Dushanbe 2021 summit).
* 004, a forum thread, one document per post: #post-78 "On September 16-17, a meeting of the
  SCO Heads of State Council ... took place in Dushanbe"; #post-80 "the SCO summit in
  Samarkand"; #post-81 (2022-09-16) "this week's Samarkand summit", "Xi's bilateral
  conversation with President Vladimir Putin"; #post-82 "a virtual summit of the SCO on
  Tuesday ... The 23rd SCO summit"; #post-83 "The 23rd summit of the heads of state of the
  SCO, held virtually in New Delhi".
"""
from __future__ import annotations

from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

S000, S001, S002, S003 = ("000_d4ca0ffc457bb4ff.txt", "001_366808a94e229572.txt",
                          "002_6e00d44780554c9a.txt", "003_c33038bbcf928f26.txt")
S004 = "004_8964e48515676b12.txt"
PUTIN_XI = ["vladimir-putin", "xi-jinping"]

# (start_date, place, the seed documents that report it)
MEETINGS = [
    (date(2022, 9, 15), "Samarkand", {S000, S003, S004 + "#post-81"}),
    (date(2024, 7, 3), "Astana", {S001, S002}),
]
SUMMITS = [
    (date(2021, 9, 16), "Dushanbe", {S004 + "#post-78", S003}),
    (date(2022, 9, 15), "Samarkand", {S000, S003, S004 + "#post-80", S004 + "#post-81"}),
    (date(2023, 7, 4), "New Delhi", {S004 + "#post-82", S004 + "#post-83"}),  # the virtual one
    (date(2024, 7, 3), "Astana", {S001, S002}),
]


def _rows(out, name):
    return pq.read_table(out / f"{name}.parquet").to_pylist()


@pytest.fixture(scope="module")
def built(seed_build):
    out, _ = seed_build
    docs = _rows(out, "documents")
    uri = {d["doc_id"]: d["source_uri"].rsplit("/", 1)[-1] for d in docs}
    return out, _rows(out, "events"), uri, {d["doc_id"]: d["text"] for d in docs}


def test_putin_xi_meetings_once_each_citing_every_report(built):
    _, events, uri, _ = built
    meetings = [e for e in events if e["event_type"] == "bilateral_meeting"
                and set(PUTIN_XI) <= set(e["figure_ids"])]
    for day, place, reports in MEETINGS:
        [m] = [e for e in meetings if e["start_date"] == day]
        assert (m["place"], m["date_precision"], m["plover_type"]) == (place, "day", "CONSULT")
        assert {uri[d] for d in m["doc_ids"]} == reports
        assert m["n_sources"] == len(reports)
        assert sorted(m["country_iso3s"]) == ["CHN", "RUS"]  # the states of the two leaders
    # no Putin–Xi meeting from a sentence about earlier talks ("in February", "last met")
    assert sorted(e["start_date"] for e in meetings) == [day for day, _, _ in MEETINGS]


def test_summits_once_each_citing_every_report(built):
    _, events, uri, _ = built
    summits = [e for e in events if e["event_type"] == "summit"]
    assert len(summits) == len(SUMMITS)
    for day, place, reports in SUMMITS:
        [s] = [e for e in summits if e["start_date"] == day]
        assert (s["place"], s["organization"], s["plover_type"]) == (place, "SCO", "CONSULT")
        assert {uri[d] for d in s["doc_ids"]} == reports


def test_no_meeting_between_countries_that_only_stand_in_a_sentence(built):
    # 000: "The two leaders had met before the Russian invasion of Ukraine ..."
    _, events, _, _ = built
    meetings = [e for e in events if e["event_type"].endswith("meeting")]
    assert not [e for e in meetings if "UKR" in e["country_iso3s"]]
    # 003's "presidents of Russia and China" is the Putin–Xi meeting, not a second row
    assert not [e for e in meetings if not e["figure_ids"]]


def test_event_evidence_is_a_sentence_of_a_cited_document(built):
    _, events, _, text = built
    for e in events:
        assert e["evidence_doc_id"] in e["doc_ids"]
        if e["evidence_start"] is not None:
            assert text[e["evidence_doc_id"]][e["evidence_start"]:e["evidence_end"]] == e["evidence"]
    assert len({e["event_id"] for e in events}) == len(events)


def test_event_queries_return_the_seed_events(built):
    out, events, _, _ = built
    con = duckdb.connect(str(out / "sco.duckdb"), read_only=True)
    try:
        pairs = con.execute((ROOT / "sql/queries/meetings_between_two_leaders.sql").read_text()).fetchall()
        cols = [c[0] for c in con.description]
        got = [dict(zip(cols, r)) for r in pairs]
        for day, place, reports in MEETINGS:
            # the bilateral one: "the Russian and Chinese presidents held a trilateral meeting
            # ... with Mongolia's leader" (000) is a pair of the same day too (issue 19: role nouns)
            [row] = [r for r in got if r["start_date"] == day and r["event_type"] == "bilateral_meeting"
                     and {r["leader_a"], r["leader_b"]} == {"Vladimir Putin", "Xi Jinping"}]
            assert (row["place"], row["n_sources"]) == (place, len(reports))

        week = con.execute((ROOT / "sql/queries/sco_summit_week.sql").read_text()).fetchall()
        cols = [c[0] for c in con.description]
        got = [dict(zip(cols, r)) for r in week]
    finally:
        con.close()
    titles = {e["event_id"]: e["title"] for e in events}
    by_summit: dict[str, list[dict]] = {}
    for r in got:
        by_summit.setdefault(r["summit"], []).append(r)
    summit_titles = {e["start_date"]: e["title"] for e in events if e["event_type"] == "summit"}
    assert set(by_summit) == set(summit_titles.values())
    for day, place, _ in MEETINGS:  # each Putin–Xi meeting is in the week of its summit
        rows = by_summit[summit_titles[day]]
        assert [r for r in rows if r["event_type"] == "bilateral_meeting" and r["start_date"] == day
                and r["title"] == f"Putin–Xi meeting, {place}"]
        assert [r for r in rows if r["event_type"] == "summit" and r["start_date"] == day]
    assert titles  # the titles the query prints are the events' own


def test_the_trilateral_names_the_presidents_by_their_role(built):
    """000: "The Russian and Chinese presidents held a trilateral meeting ... with Mongolia's
    leader, Ujnaagiin Jurelsuj": the role nouns are the office holders of the day."""
    _, events, _, _ = built
    [m] = [e for e in events if e["event_type"] == "multilateral_meeting" and e["start_date"] == date(2022, 9, 15)]
    assert m["figure_ids"] == ["ukhnaagiin-khurelsukh", "vladimir-putin", "xi-jinping"]
