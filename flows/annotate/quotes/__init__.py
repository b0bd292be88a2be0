"""What people said, with its speaker: direct quotes, partly quoted (mixed) and
reported speech.

    extract_quotes(text, figure_mentions, entities=None, link=None) -> list[dict]
    quotes_and_speakers(...) -> (rows, new speaker mentions)

`figure_mentions` are the person mentions already found in `text`: dicts with
start, end, entity_id (the figure_id) and surface; `entities` the other mentions
(countries, places, organisations: a place is never a speaker, an organisation may
be); `link(name)` the known figure's id for a full name. Each returned row has

    figure_id    str|None  the speaker if a person; None when the text does not say
                           who, or when an organisation speaks
    speaker      str|None  the speaker as the text names it (a person's fullest form in
                           the text, "foreign ministry", "the Kremlin" ...)
    speaker_kind str|None  "person" or "organization"
    kind         str       "direct" (all in quotation marks), "mixed" (quoted words
                           standing in the narrator's sentence, or reported speech
                           holding quoted words) or "indirect" (reported speech)
    text         str       the quoted words without the quotation marks (reported
                           speech: the reported content), exactly text_of_doc[start:end]
                           (a trailing comma that belongs to the attribution, as in
                           “...,” Putin said, is left out)
    start, end   int
    verb         str|None  the speech verb as written, lower-cased (said, told,
                           stressed, noted, added, replied, declared, asserted,
                           emphasised ...), "according to", or None
    context      str       the sentence(s) holding the quote and its attribution
                           (for a transcript turn, the paragraph)
    quote_group  int       rows of ONE quote share it (see below); 0, 1, 2 ... per text
    source       str       "marks" (quotation marks), "transcript" (a "Name: ..." turn)
                           or "reported" (reported speech)

One quote, several rows. A quote interrupted by its attribution
(“We are ...,” Putin said. “And we ...”) or continued over paragraphs (a paragraph
left open and the next one starting with an opening mark, or going on without one
up to its closing mark) is returned as one row per continuous stretch of quoted
words, and those rows share `quote_group`, the speaker and the verb. We chose this
over one merged row because a merged row's text would have to hold the attribution
and the quotation marks to keep `text == doc_text[start:end]`; with groups every row
keeps that invariant and the quote can be rebuilt by joining the texts of its group.
A transcript turn that runs over several paragraphs is one group the same way.

Speakers (pass 0, `clause`): the subject of every speech verb is read from the
clause's structure: a name run before the verb ("union steward Jane Roe said"), after
it ("said club captain Jane Roe, a ..." - an apposition never speaks), an organisation
("the foreign ministry said", "NATO said"). A name the figure stage missed becomes a
person mention (method "speaker", returned for the mentions table when it speaks).

Speaker rules, in order:
1. after the closing mark: “...,” Putin said / ..., said Putin / ..., he added /
   ..., according to Putin / "..." union steward Jane Roe said. A person in that
   clause is the speaker (after the verb: the first, before any comma); he/she is
   resolved (rule 4); else an organisation there; "the Kremlin chief" is the person
   named before with that description. A verb followed by "that" does not attribute.
2. before the opening mark, in the same sentence: Putin asserted, “...” /
   Xi replied that “...” / Putin said that ... “...” / According to Putin, “...” /
   In his words, “...”. The subject is the nearest mention before the last speech
   verb; "said Putin: “...”" also works.
3. transcript turns: a paragraph "President of Russia Vladimir Putin: Mr President, ..."
   whose label (before the colon, at most 12 words) holds a figure mention. The whole
   turn is the quote; following paragraphs without a label belong to the same turn.
4. he/she (his/her) -> the nearest person named before, back to the start of the
   previous paragraph (else anywhere before), of the pronoun's gender when one of them
   is known to have it (nomquamgender's given names), preferring a speech verb's subject.
5. continuation: a quote opening its paragraph with no attribution of its own, after a
   paragraph whose quote had a speaker, has that speaker.

Reported speech (pass 4, `reported`): "X said (that) ...", "X told reporters that
...", "according to X, ...", "..., X said." with X a person or an organisation (never
"it", "officials" or the narrator); gated by the speech verbs the keyword pass found.

Skipped: quotes of fewer than 3 words, and of 3 words with no speech verb in the same
clause (scare quotes: “boundless”, "outplay"; such words inside reported speech stay
in that row, of kind mixed), Title-Case quotes with no verb (titles of conferences,
books) and short titles after "programme", "show", "told", "on" even with a verb,
lists of short quoted phrases (slogans on signs), link labels ("READ MORE: “...”"),
quotes inside headlines (a short line without end punctuation, mostly capitalised),
quotes nested inside another quote, and straight or curly single quotes that look
like apostrophes (Russia’s, leaders’).

Passes, one module each: `clause` (speakers named by clauses), `transcript` (turns),
`marks` (quoted spans), `speaker` (rules 1, 2 and 4), `groups` (quotes over several
spans, what is not speech, continuation, the rows), `reported` (reported speech).
The word lists are data in `flows/annotate/lexicon/` (speech_verbs.txt,
speaker_descriptions.txt, quote_title_triggers.txt, speaker_label_particles.txt,
speaker_organisations.txt, speaker_not_names.txt, reported_verbs_with_that.txt,
reported_not_content_start.txt).

Pure and fast: no I/O after import but nomquamgender's name data, read once on the
first he/she that needs it; every regex compiled at import.
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
