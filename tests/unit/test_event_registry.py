"""The event rule registry (flows/annotate/events/rules.py): it covers every event type the
extractor makes, its records are well formed, and every keyword gate both hides no match
(on the fixture sentences: the seeds and the sentences of tests/unit/test_events.py) and
is needed (each of its words admits a sentence no other word does; it skips most sentences).
"""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from flows.annotate.events import document, extract_event_candidates
from flows.annotate.events.patterns import ADJ_PAIR_RX, GATES, HAS_SCO
from flows.annotate.events.roles import ROLE_RX
from flows.annotate.events.rules import RULES, RULES_BY_NAME, SCOPES
from flows.core.text import keyword_view, sentence_spans
from schemas.tables import EVENT_TYPES, PLOVER
from tests.unit.test_events import PLACES, SUMMITS, extract, mentions

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds" / "documents").glob("*.txt"))

# the event types no rule makes (yet): a statement, and the catch-all
WITHOUT_RULE = {"statement", "other"}


def _gated_patterns() -> list[tuple[str, object]]:
    """(gate name, pattern) of every gated trigger, and of the two gated helpers."""
    out = [(t.gate, t.pattern) for r in RULES for t in r.triggers if t.gate]
    cities = sorted({s for s in SUMMITS["city"]})
    out.append(("summit", document.city_summit_pattern(cities)))  # "the Samarkand summit"
    return out + [("pair", ADJ_PAIR_RX), ("sco", HAS_SCO), ("role", ROLE_RX)]


def _seed_sentences() -> list[str]:
    out = []
    for p in SEEDS:
        text = p.read_text(encoding="utf-8")
        out += [text[a:b] for a, b in sentence_spans(text)]
    return out


def _test_event_texts() -> list[str]:
    """The string literals of tests/unit/test_events.py (and test_event_calls.py) that are
    sentences or documents."""
    out = set()
    for name in ("test_events.py", "test_event_calls.py"):
        tree = ast.parse((ROOT / "tests" / "unit" / name).read_text(encoding="utf-8"))
        out |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                and len(n.value) >= 25 and " " in n.value}
    return sorted(out)


def _fixture_sentences() -> list[str]:
    out = _seed_sentences()
    for t in _test_event_texts():
        out += [t[a:b] for a, b in sentence_spans(t)]
    return out


# gate -> {word: a sentence one of the gate's patterns matches, holding no other word of the gate}
WORD_EXAMPLES = {
    "summit": {"summit": "The SCO summit opened in Astana.",
               "council": "The SCO Heads of State Council met in Dushanbe."},
    "members": {"sco": "Leaders of the SCO gathered in Dushanbe in 2021.",
                "organi": "Members of the organization in Dushanbe decided so."},
    "meet": {"met": "Putin met Xi in Samarkand.", "meet": "Putin and Xi meet in Samarkand.",
             "talks": "Putin held talks with Xi.", "conversation": "Xi's bilateral conversation with Putin."},
    "host": {"hosted": "Albanese hosted Chinh for lunch.", "welcomed": "Biden welcomed Modi to the White House.",
             "received": "Marcos received Vietnam's president.", "summit": "Biden held a summit with Xi.",
             "audience": "Prabowo had an audience with the king.",
             "spoke": "Biden and Xi spoke on the margins of the G20.",
             "courtesy": "Wong paid a courtesy call on Anwar."},
    "ministerial": {"ministers": "A meeting of the SCO defence ministers took place in Moscow."},
    "accession": {"welcomed": "The leaders welcomed Iran as a member.",
                  "admi": "The summit admitted Iran as a full member.",
                  "embraced": "The SCO embraced Belarus as its tenth member.",
                  "accepted": "The SCO accepted Belarus as a member.",
                  "accession": "Iran's accession was completed in July.",
                  "join": "India joined the SCO in 2017.",
                  "became": "India and Pakistan became full members.",
                  "become": "Belarus has become a member."},
    "agreement": {"sign": "Putin and Xi signed a joint statement."},
    "visit": {"visit": "Modi visited Russia in July.", "arrived": "Xi arrived in Moscow on Monday."},
    "pair": {"presidents": "The Russian and Chinese presidents spoke.",
             "leaders": "The Russian and Chinese leaders spoke.",
             "heads": "The Russian and Chinese heads of state spoke.",
             "talks": "Russian-Chinese talks ended.",
             "ministers": "The Russian and Chinese foreign ministers spoke."},
    "sco": {"sco": "The SCO grew.", "shanghai": "The Shanghai Cooperation Organization grew."},
    "call": {"phone": "Putin spoke by phone with Xi.", "call": "Putin had a call with Xi.",
             "video": "Putin held talks with Xi via videoconference.",
             "virtual": "Putin held a virtual meeting with Xi."},
    "role": {"president": "The Chinese president spoke.", "premier": "The Chinese premier spoke.",
             "minister": "The Indian prime minister spoke.", "chancellor": "The German chancellor spoke.",
             "diplomat": "China's top diplomat spoke.", "secretary": "Vietnam's general secretary spoke."},
}


# ------------------------------------------------------------------ coverage and records

def test_registry_covers_every_event_type_but_statement_and_other():
    made = {t for r in RULES for t in r.event_types}
    assert made <= set(EVENT_TYPES)
    assert set(EVENT_TYPES) - made == WITHOUT_RULE


# one document per kind of event, with what its rule must make of it
EXAMPLES = [
    ("summit", "The SCO summit in Samarkand opened on September 15, 2022.", date(2022, 9, 15), None),
    ("bilateral_meeting", "Putin met Xi Jinping in Samarkand on September 15, 2022.", date(2022, 9, 15), None),
    ("multilateral_meeting", "Putin, Xi Jinping and Ujnaagiin Jurelsuj held a trilateral meeting on "
                             "September 15, 2022.", date(2022, 9, 15), None),
    ("ministerial_meeting", "A meeting of the SCO defence ministers took place in Moscow on June 23, 2020.",
     date(2020, 6, 23), None),
    ("accession", "The SCO summit in Samarkand welcomed Iran as a full member on September 15, 2022.",
     date(2022, 9, 15), None),
    ("agreement", "Putin and Xi Jinping signed a joint statement on September 15, 2022.", date(2022, 9, 15), None),
    ("visit", "Xi Jinping visited Kazakhstan on July 2, 2024.", date(2024, 7, 2), None),
    ("call", "Vladimir Putin held a telephone conversation with Xi Jinping on July 2, 2024.",
     date(2024, 7, 2), None),
    ("bilateral_meeting", "Vladimir Putin and Kassym-Jomart Tokayev discussed trade in the Kremlin.",
     date(2024, 7, 2), "Meeting with President of Kazakhstan Kassym-Jomart Tokayev"),
]


@pytest.mark.parametrize("event_type,text,published,title", EXAMPLES)
def test_each_rule_makes_its_event_type(event_type, text, published, title):
    cands = extract(text, "x", published, title)
    assert event_type in {c["event_type"] for c in cands}, cands


def test_the_title_rule_alone_makes_a_title_meeting():
    """The last example tells its meeting only in its title (no sentence has a trigger):
    the title rule makes it, with the title as evidence; without the title, nothing."""
    text, published, title = EXAMPLES[-1][1:]
    [c] = extract(text, "x", published, title)
    assert (c["event_type"], c["figure_ids"], c["start_date"], c["evidence"], c["evidence_start"]) == (
        "bilateral_meeting", ["kassym-jomart-tokayev", "vladimir-putin"], published, title, -1)
    assert extract(text, "x", published, None) == []


def test_every_rule_record_is_well_formed():
    assert len(RULES_BY_NAME) == len(RULES)
    for r in RULES:
        assert r.scope in SCOPES, r.name
        assert r.plover == {t: PLOVER[t] for t in r.event_types}, r.name
        assert set(r.overrides) <= set(RULES_BY_NAME) - {r.name}, r.name
        assert r.triggers, r.name
        for t in r.triggers:
            assert t.gate is None or t.gate in GATES, r.name
            assert t.gate is not None or r.scope == "title", f"{r.name}: a sentence trigger needs a gate"
        # a module-level function: no closure over an enclosing function's variables
        assert r.extract.__closure__ is None and "<locals>" not in r.extract.__qualname__, r.name


def test_ministerial_overrides_meeting():
    """A meeting of ministers is not also a bilateral meeting of the ministers it names."""
    text = "Sergey Shoigu met Xi Jinping at a meeting of the SCO defence ministers in Moscow on June 23, 2020."
    assert {c["event_type"] for c in extract(text, "x", date(2020, 6, 23))} == {"ministerial_meeting"}
    assert RULES_BY_NAME["ministerial"].overrides == ("meeting",)


# ------------------------------------------------------------------ keyword gates

def test_the_fixture_sentences_exercise_every_gated_pattern():
    """The soundness check below is not vacuous: each gated pattern matches some fixture."""
    sents = _fixture_sentences() + [s for ex in WORD_EXAMPLES.values() for s in ex.values()]
    for gate, rx in _gated_patterns():
        assert any(rx.search(s) for s in sents), (gate, rx.pattern[:80])


def test_no_gate_hides_a_match_on_the_fixture_sentences():
    """Wherever a gated pattern matches a fixture sentence (or an example of this file),
    its gate admits the sentence."""
    examples = [s for ex in WORD_EXAMPLES.values() for s in ex.values()] + [e[1] for e in EXAMPLES]
    for s in _fixture_sentences() + examples:
        view = keyword_view(s)
        for gate, rx in _gated_patterns():
            if rx.search(s):
                assert any(w in view for w in GATES[gate]), (gate, s)


def test_every_gate_word_is_needed():
    """For each word of each gate, a sentence a pattern of the gate matches that holds no
    other word of the gate: without the word, the gate would hide that match."""
    assert set(WORD_EXAMPLES) == set(GATES)
    patterns = _gated_patterns()
    for gate, examples in WORD_EXAMPLES.items():
        assert set(examples) == set(GATES[gate]), gate
        for word, s in examples.items():
            view = keyword_view(s)
            assert any(rx.search(s) for g, rx in patterns if g == gate), (gate, s)
            assert [w for w in GATES[gate] if w in view] == [word], (gate, word, s)


def test_every_gate_skips_most_seed_sentences():
    """A gate earns its place by the scans it saves: on the seeds (all about the SCO),
    each admits at most half of the sentences (measured: 0 to 28%)."""
    sents = _seed_sentences()
    assert len(sents) > 500
    for gate, words in GATES.items():
        admitted = sum(any(w in keyword_view(s) for w in words) for s in sents)
        assert admitted <= len(sents) / 2, (gate, admitted, len(sents))


def _all_sentences(self, words):
    return set(range(len(self.spans)))


def test_extraction_is_the_same_without_gates(monkeypatch):
    """Gates only save time: with every gate admitting every sentence, the seeds and the
    documents of test_events.py give the same candidates."""
    docs = [dict(doc_id=p.name, text=p.read_text(encoding="utf-8"), title=None, published_date=None)
            for p in SEEDS]
    docs += [dict(doc_id=str(i), text=t, title=None, published_date=date(2022, 9, 15))
             for i, t in enumerate(_test_event_texts())]

    def run():
        return [extract_event_candidates(d, mentions(d["text"]), SUMMITS, PLACES) for d in docs]

    gated = run()
    assert sum(map(len, gated)) >= 20  # the comparison has something to compare
    monkeypatch.setattr(document.EventDoc, "gated", _all_sentences)
    assert run() == gated
