"""Direct speech and its speaker.

    extract_quotes(text, figure_mentions) -> list[dict]

`figure_mentions` are the person mentions already found in `text`: dicts with
start, end, entity_id (the figure_id) and surface. Each returned row has

    figure_id    str|None  the speaker; None when the text does not say who
                           ("..., the Kremlin chief said" with no mention there)
    text         str       the quoted words without the quotation marks, exactly
                           text_of_doc[start:end] (a trailing comma that belongs to
                           the attribution, as in “...,” Putin said, is left out)
    start, end   int
    verb         str|None  the speech verb as written, lower-cased (said, told,
                           stressed, noted, added, replied, declared, asserted,
                           emphasised ...), "according to", or None
    context      str       the sentence(s) holding the quote and its attribution
                           (for a transcript turn, the paragraph)
    quote_group  int       rows of ONE quote share it (see below); 0, 1, 2 ... per text
    source       str       "marks" (quotation marks) or "transcript" (a "Name: ..." turn)

One quote, several rows. A quote interrupted by its attribution
(“We are ...,” Putin said. “And we ...”) or continued over paragraphs (a paragraph
left open and the next one starting with an opening mark) is returned as one row
per continuous stretch of quoted words, and those rows share `quote_group`, the
speaker and the verb. We chose this over one merged row because a merged row's
text would have to hold the attribution and the quotation marks to keep
`text == doc_text[start:end]`; with groups every row keeps that invariant and the
quote can be rebuilt by joining the texts of its group. A transcript turn that
runs over several paragraphs is one group the same way.

Speaker rules, in order:
1. after the closing mark: “...,” Putin said / ..., said Putin / ..., he added /
   ..., according to Putin. A figure mention in that clause is the speaker; he/she
   is resolved (rule 4); any other subject ("the Kremlin chief") gives None.
   A verb followed by "that" starts a new clause and does not attribute.
2. before the opening mark, in the same sentence: Putin asserted, “...” /
   Xi replied that “...” / Putin said that ... “...” / According to Putin, “...” /
   In his words, “...”. The subject is the nearest mention before the last speech
   verb; "said Putin: “...”" also works.
3. transcript turns: a paragraph "President of Russia Vladimir Putin: Mr President, ..."
   whose label (before the colon, at most 12 words) holds a figure mention. The whole
   turn is the quote; following paragraphs without a label belong to the same turn.
4. he/she (his/her) -> the nearest preceding figure mention, searched back to the
   start of the previous paragraph.

Skipped: quotes of fewer than 4 words with no speech verb in the same clause
(scare quotes: “boundless”, "outplay"), Title-Case quotes with no verb (titles of
conferences, books), quotes inside headlines (a short line without end punctuation,
mostly capitalised), quotes nested inside another quote, and straight or curly
single quotes that look like apostrophes (Russia’s, leaders’).

Passes, one module each: `transcript` (turns), `marks` (quoted spans), `speaker`
(rules 1, 2 and 4), `groups` (quotes over several spans, what is not speech, the rows).
The word lists are data in `flows/annotate/lexicon/` (speech_verbs.txt,
speaker_descriptions.txt, quote_title_triggers.txt, speaker_label_particles.txt).

Pure and fast: no I/O after import, every regex compiled at import.
"""
from __future__ import annotations

from typing import Callable

from flows.annotate.quotes.clause import clause_speakers
from flows.annotate.quotes.document import QuoteText
from flows.annotate.quotes.groups import in_text_order, marked_rows
from flows.annotate.quotes.marks import marked_spans
from flows.annotate.quotes.patterns import speech_verbs
from flows.annotate.quotes.reported import reported_rows
from flows.annotate.quotes.speaker import attributed_candidates
from flows.annotate.quotes.transcript import transcript_turns

__all__ = ["extract_quotes", "quotes_and_speakers"]


def _absorbed(reported: list[dict], marked: list[dict]) -> list[dict]:
    """The reported rows holding no quote of the quotation-mark pass (that quote, of kind
    mixed, is the row for those words; a reported row keeps the quoted words the pass
    left out, "a “boundless” partnership", as kind mixed)."""
    spans = [(r["start"], r["end"]) for r in marked]
    out, seen = [], set()
    for r in reported:
        # (the reported content ends before the end punctuation a quoted span may keep)
        if any(r["start"] <= a and b <= r["end"] + 2 for a, b in spans) or (r["start"], r["end"]) in seen:
            continue
        seen.add((r["start"], r["end"]))
        out.append(r)
    return out


def quotes_and_speakers(text: str, figure_mentions: list[dict], entities: list[dict] | None = None,
                        link: Callable[[str], str | None] | None = None) -> tuple[list[dict], list[dict]]:
    """(the quote rows, the person mentions that attribution clauses named and the figure
    stage had not found, for the speakers of those rows). `entities` are the document's
    other mentions (countries, places, organisations); `link` gives a known figure's id
    for a full name."""
    if not text:
        return [], []
    verbs = speech_verbs(text)
    persons, orgs, replaced = clause_speakers(text, figure_mentions, entities or [], link or (lambda s: None), verbs)
    mentions = [m for m in figure_mentions if id(m) not in replaced] + persons
    doc = QuoteText.of(text, mentions, orgs)
    turn_rows, turn_paras = transcript_turns(doc)
    spans = marked_spans(doc, turn_paras)
    cands = attributed_candidates(doc, spans)
    n_turns = len({r["quote_group"] for r in turn_rows})
    marked = marked_rows(doc, cands, first_group=n_turns)
    quoted = [(q.open, q.close if q.close is not None else doc.paras[q.k][1]) for q in spans]
    reported = reported_rows(doc, verbs, quoted, turn_paras, first_group=n_turns + len(marked) + 1)
    reported = _absorbed(reported, marked)
    rows = in_text_order(turn_rows + marked + reported)
    speaking = {r["figure_id"] for r in rows}
    return rows, [p for p in persons if p["entity_id"] in speaking]


def extract_quotes(text: str, figure_mentions: list[dict], entities: list[dict] | None = None,
                   link: Callable[[str], str | None] | None = None) -> list[dict]:
    """Quotes in `text` with their speakers (see the module docstring)."""
    return quotes_and_speakers(text, figure_mentions, entities, link)[0]
