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

Pure and fast: no I/O, every regex compiled at import.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from flows.core.text import paragraph_spans, sentence_at, sentence_spans

__all__ = ["extract_quotes"]

_VERBS = (
    r"said|says|say|told|tells|stressed|stresses|noted|added|adds|replied|replies|"
    r"highlighted|highlights|explained|explains|declared|declares|asserted|asserts|"
    r"emphasi[sz]ed|emphasi[sz]es|underscored|underscores|underlined|announced|announces|"
    r"stated|hailed|praised|expressed|remarked|observed|insisted|insists|warned|warns|recalled|recalls|"
    r"pointed\s+out|points\s+out|commented|continued|argued|argues|claimed|"
    r"concluded|wrote|writes|tweeted|affirmed|reiterated|acknowledged|admitted|"
    r"responded|answered|asked|urged|promised|pledged|confirmed|assured|suggested|"
    r"proposed|revealed|mentioned|alluded|summed\s+up|went\s+on|quipped|joked|"
    r"was\s+quoted\s+as\s+saying|is\s+quoted\s+as\s+saying|according\s+to"
)
_VERB = re.compile(r"\b(?:" + _VERBS + r")\b", re.I)
_PRONOUN = re.compile(r"\b(?:he|she|his|her|him)\b", re.I)
_IN_WORDS = re.compile(r"\b(?:in\s+(?:his|her)\s+words|in\s+the\s+words\s+of)\b", re.I)

# after-attribution clause: from the closing mark to the first clause break
_AFTER_STOP = re.compile(r",\s*[“\"«]|[.;!?:“\"«\n]")
_WORDS = re.compile(r"\w+(?:['’\-]\w+)*")
_TITLE_TRIGGER = re.compile(
    r"\b(?:conference|forum|book|article|report|titled|entitled|called|named|dubbed|"
    r"programme|program|project|slogan|motto|headline|film|documentary|campaign|"
    r"initiative|festival|exhibition|operation|magazine|newspaper|column|series)\s*$",
    re.I,
)

# transcript label: "President of Russia Vladimir Putin: ...", "MS. PSAKI: ..."
_LABEL = re.compile(r"(?P<label>[A-Z][^:\n]{1,100}?):(?:[ \t]+|(?=[A-Z“\"]))(?P<body>\S.*)$")
# a paragraph that starts a new turn: "Vladimir Putin: ...", "President of Italy Sergio
# Mattarella (retranslated): ...", "Sebastian Kurz (retranslated):Mr President ..."
_LABEL_ONLY = re.compile(r"^[A-Z][\w .,'’()\-]{1,100}:(?:\s|(?=[A-Z]))")
# lower-case words a speaker label may hold ("President of the Russian Federation")
_LABEL_SMALL = {"of", "the", "and", "for", "de", "da", "van", "von", "bin", "al", "el", "ibn", "du", "la", "le"}
# "the envoy noted", "the Kremlin chief said", "According to the SCO chief": a description
# of someone already named
_DESCRIPTION = re.compile(
    r"\bthe\s+(?:[\w’'\-]+\s+){0,3}?(?:envoy|diplomat|president|minister|chief|leader|premier|spokesman|"
    r"spokeswoman|spokesperson|official|secretary|secretary-general|chancellor|ambassador|adviser|advisor|"
    r"aide|king|emir|head|chairman)\b", re.I)
_SEPARATOR = re.compile(r"^\s*(?:\*\s*){3,}$|^\s*[-–—_]{3,}\s*$")

_OPENERS = {"“": "”", "«": "»", "„": "“", '"': '"', "‘": "’"}
_OPENER_RX = re.compile("[" + "".join(_OPENERS) + "]")
_WRONG_CLOSE = re.compile(r"[.!?]’(?=\s|$)")


def _label_like(label: str) -> bool:
    """A speaker label ("President of Russia Vladimir Putin", "MS. PSAKI"), not a clause
    ending in a colon ("Xi, for his part, declared")."""
    if _n_words(label) > 12 or re.search(r"[.!?]\s", label) or _VERB.search(label):
        return False
    outside = re.sub(r"\([^)]*\)", " ", label)  # "(retranslated)", "(translated from Russian)"
    if any(w[0].islower() and w.lower() not in _LABEL_SMALL and not w.split("-")[-1][:1].isupper()
           for w in _WORDS.findall(outside)):
        return False  # "Lukashenko called it: ..." is a sentence, not a speaker
    words = [w for w in _WORDS.findall(label) if len(w) > 3]
    return not words or sum(w[0].isupper() for w in words) / len(words) >= 0.5


def _is_headline(para: str) -> bool:
    if not para or para[-1] in ".!?:;\"”’)»" or len(para) > 180:
        return False
    words = [w for w in _WORDS.findall(para) if len(w) > 3]
    if len(words) < 2:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6


def _title_like(quote: str) -> bool:
    words = [w for w in _WORDS.findall(quote) if len(w) > 3]
    if not words:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6 and len(words) >= 2


def _n_words(s: str) -> int:
    return len(_WORDS.findall(s))


def _can_open(text: str, i: int, lo: int) -> bool:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in "([{—–-/“‘\"'«:,") and not nxt.isspace()


def _can_close(text: str, i: int, hi: int) -> bool:
    prev = text[i - 1]
    nxt = text[i + 1] if i + 1 < hi else " "
    if prev in ",.!?" and nxt.islower():
        return True  # '"... and the CSTO,"the Russian defense minister said': a missing space
    return not prev.isspace() and not nxt.isalnum()


def _find_marked(text: str, p_start: int, p_end: int):
    """Quote spans in one paragraph: (open_idx, close_idx or None). close None = runs to
    the paragraph end. Nested quotes are not returned."""
    spans = []
    i = p_start
    while i < p_end:
        # jump to the next quotation mark (the paragraph's other characters open nothing)
        om = _OPENER_RX.search(text, i, p_end)
        if om is None:
            break
        i = om.start()
        ch = text[i]
        if _can_open(text, i, p_start):
            if ch == "‘":
                # only a real opening single quote, never an apostrophe (’ is never opening)
                if i > p_start and text[i - 1].isalnum():
                    i += 1
                    continue
            closer = _OPENERS[ch]
            close = None
            j = text.find(closer, i + 1, p_end)  # each closing mark in turn
            while j != -1:
                if _can_close(text, j, p_end) and not (
                        closer == "’" and j + 1 < p_end and text[j + 1].isalpha()):
                    if closer == '"' or closer == "’" or j > i + 1:
                        close = j
                        break
                j = text.find(closer, j + 1, p_end)
            if close is None and ch == "“":
                # “...’ : a typographic quote closed by the wrong mark after end punctuation
                m = _WRONG_CLOSE.search(text, i + 1, p_end)
                if m and "”" not in text[i + 1:p_end]:
                    close = m.end() - 1
            if close is None:
                if ch == "‘":
                    i += 1
                    continue
                spans.append((i, None))
                break
            spans.append((i, close))
            i = close + 1
            continue
        i += 1
    return spans


_SUBJECT_VERB = re.compile(r"(?:\s+\w+){0,3}?\s+(?:has\s+|had\s+|also\s+)?(?:" + _VERBS + r")\b", re.I)


def _pronoun_speaker(text: str, mentions, pos: int, floor: int):
    """he/she -> the nearest preceding mention that is the subject of a speech verb
    ("Vladimir Putin declared ..."), else the nearest preceding mention."""
    before = [m for m in mentions if floor <= m["start"] and m["end"] <= pos]
    for m in reversed(before):
        if _SUBJECT_VERB.match(text, m["end"], min(pos, m["end"] + 60)):
            return m["entity_id"]
    return before[-1]["entity_id"] if before else None


def _mention_in(mentions, lo: int, hi: int):
    return [m for m in mentions if m["start"] >= lo and m["end"] <= hi]


_OBJECT_BEFORE = re.compile(r"\b(?:with|to|on|about|for|from|by|against|and|at)\s+$", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:—–]\s|\bthat\b")


def _before_subject(text, mentions, b0, vm, b1, k, resolve):
    """The speaker of a speech verb standing before the opening mark."""
    clause_lo = b0
    for br in _CLAUSE_BREAK.finditer(text, b0, vm.start()):
        clause_lo = br.end()
    in_clause = _mention_in(mentions, clause_lo, vm.start())
    if in_clause:                       # "Putin told Xi that": the subject comes first
        return in_clause[0]["entity_id"]
    pm = _PRONOUN.search(text, clause_lo, vm.start()) or _DESCRIPTION.search(text, clause_lo, vm.start())
    if pm:                              # "He underscored that ...", "the President of ... has promised"
        return resolve(pm.start(), pm.end(), k)
    in_window = _mention_in(mentions, b0, vm.start())
    if in_window:                       # "Xi, for his part, declared:"
        return in_window[-1]["entity_id"]
    pm = _PRONOUN.search(text, b0, vm.start())
    if pm:                              # "He noted that ... and stated that “...”"
        return resolve(pm.start(), pm.end(), k)
    after = _mention_in(mentions, vm.end(), b1)
    if after and re.fullmatch(r"\s*", text[vm.end():after[0]["start"]]) \
            and re.fullmatch(r"[\s,:]*", text[after[0]["end"]:b1]):
        return after[0]["entity_id"]    # "said Putin: “...”"
    return None


def extract_quotes(text: str, figure_mentions: list[dict]) -> list[dict]:
    """Direct quotes in `text` with their speakers (see the module docstring)."""
    if not text:
        return []
    mentions = sorted(figure_mentions or [], key=lambda m: m["start"])
    paras = paragraph_spans(text)
    sents = sentence_spans(text)

    def para_floor(k: int) -> int:
        return paras[k - 1][0] if k > 0 else paras[k][0]

    def resolve(subject_lo: int, subject_hi: int, k: int):
        """A speaker from a subject region: a mention there, else he/she, else None."""
        ms = _mention_in(mentions, subject_lo, subject_hi)
        if ms:
            return ms[-1]["entity_id"]
        pm = _PRONOUN.search(text, subject_lo, subject_hi)
        if pm:
            # the nearest person before, in this or the previous paragraph, else anywhere before
            return (_pronoun_speaker(text, mentions, pm.start(), para_floor(k))
                    or _pronoun_speaker(text, mentions, pm.start(), 0))
        dm = _DESCRIPTION.search(text, subject_lo, subject_hi)
        if dm:  # "the envoy noted": the last person named before it
            return _pronoun_speaker(text, mentions, dm.start(), 0)
        return None

    def context_of(lo: int, hi: int, k: int) -> str:
        ps, pe = paras[k]
        a = sentence_at(sents, lo) or (ps, pe)
        b = sentence_at(sents, max(lo, hi - 1)) or (ps, pe)
        return text[max(ps, min(a[0], b[0])):min(pe, max(a[1], b[1]))]

    rows: list[dict] = []
    group = 0
    used_verbs: set[int] = set()

    # ---- 1. transcript turns
    turn_paras: set[int] = set()
    k = 0
    while k < len(paras):
        ps, pe = paras[k]
        # _LABEL needs its colon within the label's 101 characters after the first: a
        # paragraph without one there cannot match (most do not; the lazy label is slow)
        m = _LABEL.match(text, ps, pe) if text.find(":", ps + 1, min(pe, ps + 102)) >= 0 else None
        if m and m.end() == pe:
            label_lo, label_hi = ps, ps + len(m.group("label"))
            label = m.group("label")
            ms = _mention_in(mentions, label_lo, label_hi)
            if ms and _label_like(label) and text[m.start("body")] not in _OPENERS:
                fid = ms[-1]["entity_id"]
                body_lo = m.start("body")
                members = [(body_lo, pe, k)]
                j = k + 1
                while j < len(paras):
                    qs, qe = paras[j]
                    para = text[qs:qe]
                    if _LABEL_ONLY.match(para) or _SEPARATOR.match(para) or (
                            para.startswith("(") and para.endswith(")")):
                        break
                    members.append((qs, qe, j))
                    j += 1
                for lo, hi, kk in members:
                    turn_paras.add(kk)
                    rows.append({
                        "figure_id": fid, "text": text[lo:hi], "start": lo, "end": hi,
                        "verb": None, "context": text[paras[kk][0]:paras[kk][1]],
                        "quote_group": group, "source": "transcript",
                    })
                group += 1
                k = j
                continue
        k += 1

    # ---- 2. quotation marks
    raw = []  # dicts: open, close(None = to paragraph end), k
    # where the quotation marks are, from one scan of the text: a paragraph without one
    # has no quote (_find_marked finds nothing there), so it is skipped without more tests
    marks = [m.start() for m in _OPENER_RX.finditer(text)]
    for k, (ps, pe) in enumerate(paras):
        j = bisect_left(marks, ps)
        if j == len(marks) or marks[j] >= pe:
            continue
        if k in turn_paras or _is_headline(text[ps:pe]):
            continue
        for o, c in _find_marked(text, ps, pe):
            raw.append({"open": o, "close": c, "k": k})

    cands = []
    for q in raw:
        k = q["k"]
        ps, pe = paras[k]
        lo = q["open"] + 1
        hi = q["close"] if q["close"] is not None else pe
        # trim whitespace and the attribution comma
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and (text[hi - 1].isspace() or text[hi - 1] == ","):
            hi -= 1
        if hi <= lo:
            continue
        q.update(lo=lo, hi=hi, fid=None, verb=None, attributed=False, after_end=None)

        # rule 1: attribution after the closing mark
        if q["close"] is not None:
            a0 = q["close"] + 1
            stop = _AFTER_STOP.search(text, a0, pe)
            a1 = stop.start() if stop else pe
            clause = text[a0:a1]
            lead = re.match(r"\s*[,—–\-]?\s*", clause)
            vm = _VERB.search(text, a0, a1)
            if (vm and lead and _n_words(text[a0:vm.start()]) <= 6
                    and not re.match(r"\s+that\b", text[vm.end():a1])
                    and (text[q["close"] - 1] in ",!?—–-…" or clause[:1] in ",—–"
                         or (_mention_in(mentions, a0, vm.start())
                             and _n_words(text[a0:vm.start()]) <= 4))):
                verb = re.sub(r"\s+", " ", vm.group().lower())
                if verb == "according to":
                    fid = resolve(vm.end(), a1, k)
                else:
                    fid = resolve(a0, vm.start(), k)
                    if fid is None and not _WORDS.search(text, a0, vm.start()):
                        # "..., said Putin" / "..., said the líder Russian"
                        fid = resolve(vm.end(), a1, k) if _mention_in(mentions, vm.end(), a1) else None
                q.update(fid=fid, verb=verb, attributed=True, after_end=a1)
                used_verbs.add(vm.start())

        # rule 2: attribution before the opening mark, same sentence; also tried when
        # the clause after named no speaker ("..., according to the statement")
        after = dict(fid=q["fid"], verb=q["verb"], attributed=q["attributed"])
        if not q["attributed"] or q["fid"] is None:
            q["attributed"] = False
            sent = sentence_at(sents, q["open"]) or (ps, pe)
            b0, b1 = max(sent[0], ps), q["open"]
            # a clause break after the last earlier quote in this sentence
            prev_close = max((r["close"] for r in raw if r["k"] == k and r["close"] is not None
                              and r["close"] < q["open"]), default=None)
            if prev_close is not None and prev_close >= b0:
                b0 = prev_close + 1
            verbs = [v for v in _VERB.finditer(text, b0, b1) if v.start() not in used_verbs]
            iw = list(_IN_WORDS.finditer(text, b0, b1))
            if verbs:
                vm = verbs[-1]
                verb = re.sub(r"\s+", " ", vm.group().lower())
                if verb == "according to":
                    cm = re.search(r",", text[vm.end():b1])
                    fid = resolve(vm.end(), vm.end() + cm.start() if cm else b1, k)
                else:
                    fid = _before_subject(text, mentions, b0, vm, b1, k, resolve)
                q.update(fid=fid, verb=verb, attributed=True)
            elif iw:
                fid = resolve(iw[-1].start(), iw[-1].end(), k)
                q.update(fid=fid, verb=None, attributed=True)
            elif re.search(r":\s*$", text[b0:b1]) and b1 - b0 > 1:
                # "Putin, for his part, sent a message ...: “...”" - the clause before the colon
                lead = [m for m in _mention_in(mentions, b0, b1)
                        if not _OBJECT_BEFORE.search(text, max(b0, m["start"] - 12), m["start"])]
                pm = _PRONOUN.search(text, b0, b1)
                if lead:
                    fid = lead[0]["entity_id"]
                elif pm:   # "On his meeting with Xi Jinping: “...”" - his, not Xi
                    fid = _pronoun_speaker(text, mentions, pm.start(), para_floor(k))
                else:
                    fid = resolve(b0, b1, k)
                if fid:
                    q.update(fid=fid, verb=None, attributed=True)
            elif q["open"] == ps and k > 0 and text[paras[k - 1][0]:paras[k - 1][1]].endswith(":"):
                # a paragraph-long quote announced by the paragraph before ("... declared:")
                pps, ppe = paras[k - 1]
                last = sentence_at(sents, ppe - 1) or (pps, ppe)
                lead = _mention_in(mentions, max(pps, last[0]), ppe)
                fid = lead[0]["entity_id"] if lead else resolve(max(pps, last[0]), ppe, k)
                if fid:
                    q.update(fid=fid, verb=None, attributed=True)
            if after["attributed"] and (not q["attributed"] or q["fid"] is None):
                q.update(after)
        cands.append(q)

    # ---- 3. groups: paragraph continuations and interrupted quotes
    gid_of: dict[int, int] = {}
    for idx, q in enumerate(cands):
        prev = cands[idx - 1] if idx > 0 else None
        same = False
        if prev is not None:
            if prev["close"] is None and q["k"] == prev["k"] + 1 and q["open"] == paras[q["k"]][0]:
                same = True        # paragraph continuation
            elif (prev["k"] == q["k"] and prev["close"] is not None and prev["verb"]
                  and prev["after_end"] is not None and not (q["attributed"] and q["fid"])
                  and re.fullmatch(r"[.,;:]\s*", text[prev["after_end"]:q["open"]])):
                same = True        # “...,” Putin said. “...”
        gid_of[idx] = gid_of[idx - 1] if same else group + idx

    groups: dict[int, list[int]] = {}
    for idx, g in gid_of.items():
        groups.setdefault(g, []).append(idx)

    next_group = group
    marked_rows = []
    for g, idxs in sorted(groups.items()):
        members = [cands[i] for i in idxs]
        fid = next((m["fid"] for m in members if m["fid"]), None)
        verb = next((m["verb"] for m in members if m["verb"]), None)
        attributed = any(m["attributed"] for m in members)
        total_words = sum(_n_words(text[m["lo"]:m["hi"]]) for m in members)
        # a runaway quote: opened, never closed, not continued
        if len(members) == 1 and members[0]["close"] is None:
            continue
        if total_words < 3:
            continue  # "friendship", "large projects", "one China": terms, not speech
        if total_words < 4 and verb is None:
            continue
        if verb is None and not fid and len(members) == 1:
            m = members[0]
            if _title_like(text[m["lo"]:m["hi"]]) or _TITLE_TRIGGER.search(
                    text[max(paras[m["k"]][0], m["open"] - 40):m["open"]]):
                continue
        for m in members:
            hi_ctx = m["after_end"] if m["after_end"] is not None else m["hi"]
            marked_rows.append({
                "figure_id": fid, "text": text[m["lo"]:m["hi"]], "start": m["lo"],
                "end": m["hi"], "verb": verb,
                "context": context_of(m["open"], hi_ctx, m["k"]),
                "quote_group": next_group, "source": "marks",
            })
        next_group += 1

    # skip marked quotes nested inside transcript turns (already excluded by paragraph)
    rows.extend(marked_rows)
    rows.sort(key=lambda r: r["start"])
    # renumber groups in text order
    remap: dict[int, int] = {}
    for r in rows:
        r["quote_group"] = remap.setdefault(r["quote_group"], len(remap))
    return rows
