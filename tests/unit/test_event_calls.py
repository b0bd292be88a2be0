"""Calls (event_type `call`, issue 19 part A): each call wording of a sentence, its mode,
the title of a Kremlin telephone conversation and of a White House readout, and the
merge of a call with an in-person meeting of the same day (never)."""
from datetime import date

import pandas as pd
import pytest

from flows.annotate.events import merge_events
from flows.annotate.events.calls import call_mode
from schemas.tables import Events
from tests.unit.test_events import extract

DAY = date(2024, 7, 2)

# (sentence, expected mode): each one wording of words.yaml `call_wordings`
CALL_SENTENCES = [
    ("Vladimir Putin held a telephone conversation with Xi Jinping.", "phone"),
    ("Vladimir Putin spoke by phone with Xi Jinping.", "phone"),
    ("Vladimir Putin spoke with Xi Jinping by telephone.", "phone"),
    ("Vladimir Putin had a phone call with Xi Jinping.", "phone"),
    ("Vladimir Putin had a call with Xi Jinping.", "phone"),
    ("Vladimir Putin and Xi Jinping talked over the phone.", "phone"),
    ("Kassym-Jomart Tokayev telephoned Vladimir Putin.", "phone"),
    ("Vladimir Putin and Xi Jinping held talks via videoconference.", "video"),
    ("Vladimir Putin held a video call with Xi Jinping.", "video"),
    ("Vladimir Putin held a virtual meeting with Xi Jinping.", "video"),
]


def _types(cands):
    return sorted(c["event_type"] for c in cands)


@pytest.mark.parametrize("text,mode", CALL_SENTENCES)
def test_each_call_wording_is_one_call_never_a_meeting(text, mode):
    cands = extract(text, "c1", DAY)
    assert _types(cands) == ["call"], cands
    [c] = cands
    assert len(c["figure_ids"]) == 2 and c["mode"] == mode and c["start_date"] == DAY
    assert c["plover_type"] == "CONSULT"


@pytest.mark.parametrize("text", [
    "Vladimir Putin will speak by phone with Xi Jinping.",
    "On Friday, Vladimir Putin will meet virtually with Xi Jinping.",
    "Vladimir Putin is expected to hold a telephone conversation with Xi Jinping.",
    "Vladimir Putin had spoken by phone with Xi Jinping before.",
    "Vladimir Putin called for calm.",
])
def test_calls_to_come_told_as_background_or_not_calls_are_not_calls(text):
    assert "call" not in _types(extract(text, "c1", DAY))


def test_a_meeting_stays_a_meeting_in_person():
    [c] = extract("Vladimir Putin met with Xi Jinping in Beijing.", "m1", DAY)
    assert (c["event_type"], c["mode"]) == ("bilateral_meeting", "in_person")


def test_call_mode():
    assert call_mode("a telephone conversation") == "phone"
    assert call_mode("Video conference with the President") == "video"
    assert call_mode("held virtually") == "video"


def test_kremlin_telephone_conversation_page_is_a_call():
    text = "Vladimir Putin and Kassym-Jomart Tokayev discussed trade. Putin thanked Tokayev."
    title = "Telephone conversation with President of Kazakhstan Kassym-Jomart Tokayev"
    cands = extract(text, "k1", DAY, title=title)
    assert _types(cands) == ["call"], cands
    [c] = cands
    assert (c["figure_ids"], c["mode"], c["start_date"], c["evidence"]) == (
        ["kassym-jomart-tokayev", "vladimir-putin"], "phone", DAY, title)


@pytest.mark.parametrize("title,etype,mode", [
    ("Readout of President Putin’s Call with President Tokayev of Kazakhstan", "call", "phone"),
    ("Readout of President Putin's Video Call with President Tokayev of Kazakhstan", "call", "video"),
    ("Readout of President Putin’s Virtual Meeting with President Tokayev of Kazakhstan", "call", "video"),
    ("Readout of President Putin’s Meeting with President Tokayev of Kazakhstan", "bilateral_meeting", "in_person"),
])
def test_a_readout_title_gives_one_event_with_both_leaders_and_states(title, etype, mode):
    text = "Vladimir Putin thanked Kassym-Jomart Tokayev of Kazakhstan for his support. Putin and Tokayev agreed."
    rows = merge_events(extract(text, "r1", DAY, title=title))
    assert [(r["event_type"], r["mode"]) for r in rows] == [(etype, mode)], rows
    [r] = rows
    assert r["figure_ids"] == ["kassym-jomart-tokayev", "vladimir-putin"] and r["start_date"] == DAY
    assert r["country_iso3s"] == ["KAZ", "RUS"] and r["doc_ids"] == ["r1"]


def test_the_country_after_of_belongs_to_the_figure():
    """"Tokayev of Kazakhstan": the sentence gives the figure's state (the reference may not)."""
    [c] = extract("Vladimir Putin spoke by phone with Kassym-Jomart Tokayev of Kazakhstan.", "c1", DAY)
    assert c["country_iso3s"] == ["KAZ"]


def test_a_call_and_a_meeting_of_the_same_day_do_not_merge():
    call = extract("Vladimir Putin spoke by phone with Xi Jinping.", "a", DAY)
    meeting = extract("Vladimir Putin met with Xi Jinping.", "b", DAY)
    rows = merge_events(call + meeting)
    assert sorted((r["event_type"], r["mode"]) for r in rows) == [
        ("bilateral_meeting", "in_person"), ("call", "phone")]
    assert len({r["event_id"] for r in rows}) == 2


def test_calls_of_two_reports_merge():
    a = extract("Vladimir Putin held a telephone conversation with Xi Jinping.", "a", DAY)
    b = extract("Xi Jinping spoke by phone with Vladimir Putin.", "b", DAY)
    [r] = merge_events(a + b)
    assert r["event_type"] == "call" and r["doc_ids"] == ["a", "b"] and r["n_sources"] == 2


def test_the_schema_refuses_a_call_in_person_and_a_meeting_by_phone():
    rows = merge_events(extract("Vladimir Putin spoke by phone with Xi Jinping.", "a", DAY)
                        + extract("Vladimir Putin met with Xi Jinping in Beijing.", "b", DAY))
    df = pd.DataFrame(rows)
    df["doc_ids"] = [["d-" + "0" * 16] for _ in rows]
    df["evidence_doc_id"] = "d-" + "0" * 16
    df["n_sources"] = df["n_sources"].astype("int32")
    for c in ("evidence_start", "evidence_end"):
        df[c] = df[c].astype("Int32")
    Events.validate(df)
    for etype, mode in (("call", "in_person"), ("bilateral_meeting", "phone")):
        bad = df.copy()
        bad.loc[bad["event_type"] == etype, "mode"] = mode
        with pytest.raises(Exception):
            Events.validate(bad)


def test_one_person_under_a_surname_id_and_a_full_name_id_is_one_meeting():
    """A page names "Alexander Van der Bellen", another "Van der Bellen" (an id of its own when
    resolve did not join them), a third "Kishida Fumio" against the reference's Fumio Kishida:
    one row per meeting, each person once, by the id the reference knows, else the longest."""
    from tests.unit.test_events import LEX
    extra = [("figure", "alexander-van-der-bellen", ["Alexander Van der Bellen"]),
             ("figure", "van-der-bellen", ["Van der Bellen"]), ("figure", "kishida-fumio", ["Kishida Fumio"]),
             ("figure", "fumio-kishida", ["Fumio Kishida"])]
    LEX.extend(extra)
    try:
        a = extract("Vladimir Putin met with Alexander Van der Bellen in Moscow.", "a", DAY)
        b = extract("Vladimir Putin met Van der Bellen in Moscow.", "b", DAY)
        c = extract("Vladimir Putin met with Kishida Fumio.", "c", DAY)
        d = extract("Vladimir Putin held talks with Fumio Kishida.", "d", DAY)
    finally:
        del LEX[-len(extra):]
    rows = merge_events(a + b + c + d)
    assert sorted((r["figure_ids"], r["doc_ids"]) for r in rows) == [
        (["alexander-van-der-bellen", "vladimir-putin"], ["a", "b"]),
        (["fumio-kishida", "vladimir-putin"], ["c", "d"])]
    # two people of one surname stay two
    from flows.annotate.events.aliases import is_alias
    assert not is_alias("joe-biden", "jill-biden") and is_alias("biden", "joe-biden")
    assert is_alias("bongo", "ali-bongo-ondimba") and not is_alias("ali", "ali-bongo-ondimba")


def test_a_readout_naming_several_counterparts_is_left_to_the_sentences():
    """"... Meeting with A and B": no title event beside the bilaterals the sentence tells."""
    text = "Vladimir Putin met with Kassym-Jomart Tokayev and Xi Jinping."
    title = "Readout of President Putin’s Meeting with President Tokayev and President Xi"
    cands = extract(text, "r2", DAY, title=title)
    assert sorted(c["figure_ids"] for c in cands) == [["kassym-jomart-tokayev", "vladimir-putin"],
                                                      ["vladimir-putin", "xi-jinping"]]
    assert all(c["evidence_start"] >= 0 for c in cands)
