"""The meeting a Kremlin-style title tells ("Meeting with President of Kazakhstan ...",
"Russian-Uzbekistani talks took place"): the title's figure (or countries) plus the host,
dated on the day of publication (see the package docstring, "title events")."""
from __future__ import annotations

import re
from collections import Counter

from flows.annotate.events.document import EventDoc, Span
from flows.annotate.events.lists import uniq
from flows.annotate.events.patterns import DEMONYM_WORD_RX, DEMONYMS, GZ, MEET_RX
from flows.annotate.events.titles import states_of
from flows.core.gazetteer import fold
from flows.core.text import sentence_at


def _title_parties(d: EventDoc) -> tuple[Span | None, list[str], list[str]]:
    """(the title's sentence in the text or None, its figures, its countries)."""
    title = d.title
    tpos = d.text.find(title, 0, max(len(title) + 400, 400))
    if tpos >= 0:
        tsp = sentence_at(d.spans, tpos)
        in_title = [m for m in d.ments if tpos <= m["start"] < tpos + len(title)]
        tfigs = [m["entity_id"] for m in in_title if m["entity_type"] == "figure"]
        tcs = [m["entity_id"] for m in in_title if m["entity_type"] == "country"]
    else:
        tsp = None
        tfigs = uniq(f for f, ss in d.surfaces.items() if any(s in title for s in ss))
        tcs = uniq(m["entity_id"] for m in d.ments if m["entity_type"] == "country"
                   and m["surface"] in title)
    for a in DEMONYM_WORD_RX.finditer(title):
        tcs.append(DEMONYMS[fold(a.group(1))])
    if tpos < 0:  # a title outside the text: its countries by the gazetteer ("State of Palestine")
        t_norm = " ".join(title.split())
        tcs += [iso3 for _, _, (_, iso3, method) in GZ.country_matcher.find(t_norm, fold(t_norm))
                if method == "name"]
    return tsp, uniq(tfigs), uniq(tcs)


def _host(d: EventDoc, tfigs: list[str], rx: re.Pattern = MEET_RX) -> list[tuple[str, int]]:
    """The host, as [(figure, mentions)] or []: the most mentioned other figure among those
    who meet the title's figure (`rx`: a call's wordings for a call) in a lead sentence (the first three), else stand beside it
    there, else are in the lead, else on the page: the first group that is not empty."""
    lead_sents = [({mm["entity_id"] for mm in d.by_sent.get(sp, []) if mm["entity_type"] == "figure"},
                   bool(rx.search(d.text[sp[0]:sp[1]]))) for sp in d.spans[:3]]
    groups = [set().union(*[fs for fs, met in lead_sents if met and fs & set(tfigs)]),
              set().union(*[fs for fs, _ in lead_sents if fs & set(tfigs)]),
              set().union(*[fs for fs, _ in lead_sents])]
    counts = Counter(m["entity_id"] for m in d.ments if m["entity_type"] == "figure"
                     and m["entity_id"] not in tfigs)
    pool = next(([(f, n) for f, n in counts.items() if f in g] for g in groups
                 if any(f in g for f in counts)), list(counts.items()))
    return sorted(pool, key=lambda kv: (-kv[1], kv[0]))[:1]


def extract_title_meeting(d: EventDoc, ms: tuple[re.Match | None, ...]) -> None:
    """The title's meeting; its evidence the lead sentence that tells it, else the title."""
    tsp, tfigs, tcs = _title_parties(d)
    main = _host(d, tfigs)
    figs = tfigs + [main[0][0]] if main and (tfigs or tcs) else tfigs
    if d.pub is None or not (len(figs) >= 2 or len(states_of(figs, tcs)) >= 2):
        return
    if tsp is None:
        tsp = next((sp for sp in d.spans[:3] if MEET_RX.search(d.text[sp[0]:sp[1]])
                    and {mm["entity_id"] for mm in d.by_sent.get(sp, [])} & set(figs + tcs)), None)
    d.emit("bilateral_meeting", tsp, start=d.pub, end=d.pub, precision="day",
           figures=figs, countries=tcs if len(figs) < 2 else [], evidence=d.title, mode="in_person")
