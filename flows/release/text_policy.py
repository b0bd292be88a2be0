"""Which documents' text a release may carry: in full, as snippets around what the
dataset states, or not at all, by each document's licence.
"""
from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa

from flows.core.text import sentence_spans
from flows.release.about import OFFSETS_NOTE

TEXT_MODES = ("auto", "full", "snippet", "none")
# Licences under which a document's full text may be redistributed.
REDISTRIBUTABLE = {"CC-BY-4.0", "public-domain"}
SNIPPET_MAX_SENTENCES = 3
SNIPPET_MAX_CHARS = 800
SNIPPET_JOINER = " […] "
TEXT_LICENCES = {
    "CC-BY-4.0": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                  "title": "Creative Commons Attribution 4.0 International (kremlin.ru texts)"},
    "public-domain": {"name": "other-pd", "path": "https://www.usa.gov/government-copyright",
                      "title": "Public domain (works of the U.S. federal government, whitehouse.gov)"},
}


# ---------------------------------------------------------------- text policy

def _snippet(text: str, pieces: list[tuple[int, int, str]]) -> str:
    """The evidence sentences (priority order), at most SNIPPET_MAX_SENTENCES and
    about SNIPPET_MAX_CHARS, shown in text order; else the first sentence."""
    chosen: list[tuple[int, str]] = []
    seen: set[str] = set()
    total = 0
    for _prio, start, s in pieces:
        s = s.strip()
        if not s or s in seen or any(s in c for _, c in chosen):
            continue
        if chosen and (len(chosen) >= SNIPPET_MAX_SENTENCES or total + len(s) > SNIPPET_MAX_CHARS):
            break
        chosen.append((start, s))
        seen.add(s)
        total += len(s)
    if not chosen:
        spans = sentence_spans(text)
        if spans:
            chosen = [(spans[0][0], text[spans[0][0]:spans[0][1]])]
    out = SNIPPET_JOINER.join(s for _, s in sorted(chosen))
    if len(out) > SNIPPET_MAX_CHARS:
        out = out[:SNIPPET_MAX_CHARS].rsplit(None, 1)[0] + " …"
    return out


def text_kind(mode: str, licence: str) -> str:
    """'full', 'snippet' or 'none' for one document under a --text mode."""
    if mode not in TEXT_MODES:
        raise ValueError(f"text must be one of {', '.join(TEXT_MODES)}, not {mode!r}")
    if mode == "auto":
        return "full" if licence in REDISTRIBUTABLE else "snippet"
    return mode


def apply_text_policy(docs: pa.Table, events: pa.Table, quotes: pa.Table, mode: str) -> tuple[pa.Table, dict]:
    """documents with `text` replaced per licence; the schema is unchanged (text stays a string)."""
    pieces: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for e in events.select(["evidence_doc_id", "evidence_start", "evidence"]).to_pylist():
        if e["evidence_start"] is not None:  # evidence that is the title is already in `title`
            pieces[e["evidence_doc_id"]].append((0, e["evidence_start"], e["evidence"]))
    for q in quotes.select(["doc_id", "start", "context"]).to_pylist():
        pieces[q["doc_id"]].append((1, q["start"], q["context"]))
    for v in pieces.values():
        v.sort(key=lambda p: (p[0], p[1], p[2]))

    texts, kinds = [], Counter()
    by_licence: dict[str, Counter] = defaultdict(Counter)
    for doc_id, licence, text in zip(docs["doc_id"].to_pylist(), docs["licence"].to_pylist(),
                                     docs["text"].to_pylist()):
        kind = text_kind(mode, licence)
        if kind == "snippet":
            text = _snippet(text, pieces.get(doc_id, []))
        elif kind == "none":
            text = ""
        texts.append(text)
        kinds[kind] += 1
        by_licence[licence][kind] += 1
    i = docs.schema.get_field_index("text")
    docs = docs.set_column(i, docs.schema.field(i), pa.array(texts, pa.string()))
    policy = {
        "mode": mode,
        "redistributable_licences": sorted(REDISTRIBUTABLE),
        "rule": {
            "auto": "full text where the licence allows redistribution, else a snippet",
            "full": "full text for every document (check the licences before publishing)",
            "snippet": "a snippet for every document",
            "none": "no text: text is the empty string",
        }[mode],
        "snippet": (f"up to {SNIPPET_MAX_SENTENCES} evidence sentences (event evidence, then quote contexts), "
                    f"about {SNIPPET_MAX_CHARS} characters, joined by '{SNIPPET_JOINER.strip()}' in text order; "
                    "else the first sentence"),
        "documents": dict(sorted(kinds.items())),
        "by_licence": {k: dict(sorted(v.items())) for k, v in sorted(by_licence.items())},
        "offsets": OFFSETS_NOTE,
    }
    return docs, policy
