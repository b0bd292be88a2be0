"""Event candidates of one document: read it (document.py: sentences, mentions, the
summit pass), run the registry's rules on each sentence a gate admits and on the title
(rules.py), and keep one candidate per key (merge.dedupe)."""
from __future__ import annotations

from typing import Any

from flows.annotate.events.document import read_document
from flows.annotate.events.merge import dedupe
from flows.annotate.events.rules import candidate_sentences, plan, run_sentence_rules, run_title_rules


def extract_event_candidates(doc: dict, mentions: list[dict], summits: Any, places: Any) -> list[dict]:
    """Event candidates of one document (keys in the package docstring). `summits` and
    `places`: the reference tables, or a `Reference` for both (normalised once)."""
    d = read_document(doc, mentions, summits, places)
    rules = plan(d)
    for k in candidate_sentences(rules):
        run_sentence_rules(d, d.sentence(k), rules)
    run_title_rules(d)
    return dedupe(d.out)
