"""Numbers stated in the text: money, percentages, measures and meaningful counts.

    extract_quantities(text) -> list[dict]

Each row has the keys

    value    float   in base units: "$263 billion" -> 263e9, "30 bcm" -> 30e9 (m3)
    unit     str     ISO 4217 for money (USD, RUB, CNY, EUR, GBP, INR, JPY, KZT ...),
                     "percent", "pp" (percentage points), a measure unit
                     ("km", "m", "mi", "km2", "t", "kg", "m3", "bbl", "W", "Wh", "ha",
                     "year", "month", "week", "day", "hour", "minute") or "count"
    kind     str     money | percent | measure | count
    surface  str     exactly text[start:end]; qualifiers stay outside
                     ("a record $263 billion" -> "$263 billion", "over 80%" -> "80%")
    start, end int   character offsets into `text`
    context  str     the sentence it stands in (flows.text.sentence_spans)
    noun     str|None  for counts, the counted noun ("documents", "nations", "delegation")
    per      str|None  a rate, for measures and money ("$200 billion a year" -> per
                     "year"; "4 million tons a month" -> unit "t", per "month";
                     "300,000 barrels per day" -> unit "bbl", per "day")

Rows come back sorted by start and never overlap.

A count is a number followed, after at most three adjectives, by a plural noun
("30 documents", "80 large Russian companies"), or "N-strong <noun>". Number words
two..twenty, thirty..ninety and hundred count too ("two leaders", "three days").

Not quantities (skipped on purpose): years standing alone ("in 2022", "since 1945",
"2024-25"), dates ("July 3", "3 and 4 July", "September 16-17", "07.04.2023",
"2022-09-15"), times ("10:30"), ordinals ("23rd", "9th"), numbers glued to letters,
hyphens or symbols ("G20", "Su-35", "COVID-19", "Power of Siberia-2", "n°77"),
numbers in URLs, e-mail addresses, hashtags and phone numbers, numbers after a
label word ("page 5", "Article 5", "Resolution 2231", "Post 77"), label-value lines
("Age : 76", "Posts : 5839") and bare numbers with nothing meaningful after them.

Pure and fast: no I/O, every regex compiled at import.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from flows.core.text import (
    keyword_positions,
    register_keywords,
    sentence_at,
    sentence_spans,
)

__all__ = ["extract_quantities"]

# --------------------------------------------------------------------------- numbers

_NUM = re.compile(
    r"(?<![\w.,/#@°'’+\-−–])"            # not glued to a word, symbol or hyphen
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?!\d|[.,:/\-–]\d)"                 # not the first part of a date / time / range
)

# A _NUM match is never preceded by a digit (nor by "," or "."), so it starts where a run
# of digits starts: trying _NUM only there is faster than its scan of every position.
# (`\d\d*`, not `\d+`: a pattern that starts with a character class is scanned for in C)
_DIGIT_RUN = re.compile(r"\d\d*")

_WORD_NUMS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
}
_WORD_NUM = re.compile(r"\b(?:" + "|".join(_WORD_NUMS) + r")\b", re.IGNORECASE)

_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9,
    "tn": 1e12, "trn": 1e12, "trln": 1e12,
}
# scale words usable anywhere; abbreviations only for money
_SCALE_WORD = re.compile(r"(?:\s+|-)(thousand|million|billion|trillion|lakhs?|crores?)\b", re.I)
_SCALE_ABBR = re.compile(r"\s?(bn|mn|mln|bln|tn|trn|trln|[mbk])(?![A-Za-z])", re.I)

# --------------------------------------------------------------------------- money

_SYMBOLS = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "c$": "CAD", "a$": "AUD", "hk$": "HKD",
    "s$": "SGD", "€": "EUR", "£": "GBP", "₽": "RUB", "₹": "INR", "₸": "KZT", "₺": "TRY",
    "rs": "INR", "rs.": "INR", "rmb": "CNY",
}
_ISO = (
    "USD|EUR|RUB|CNY|GBP|INR|JPY|KZT|KGS|UZS|TJS|TMT|AZN|AMD|BYN|IRR|PKR|TRY|MNT|AFN|"
    "AED|SAR|HKD|SGD|CHF|CAD|AUD|BRL|ZAR|KRW|RMB|IDR|EGP"
)
_MONEY_PREFIX = re.compile(
    r"(?:(?<![A-Za-z])(?P<sym>US\$|U\.S\.\s?\$|C\$|A\$|HK\$|S\$|Rs\.?\s?|RMB\s?|\$|€|£|¥|₽|₹|₸|₺)"
    r"|(?<![A-Za-z])(?P<iso>" + _ISO + r")\s?)$"
)
_CURRENCY_WORDS = [
    (r"(?:US\s+|U\.S\.\s+|American\s+)?dollars?", "USD"),
    (r"ro?ubles?", "RUB"), (r"yuan|renminbi", "CNY"), (r"euros?", "EUR"),
    (r"pounds?\s+sterling", "GBP"), (r"rupees?", "INR"), (r"yen", "JPY"),
    (r"tenge", "KZT"), (r"somoni", "TJS"), (r"soms?", "KGS"), (r"rials?", "IRR"),
    (r"liras?", "TRY"), (r"tugriks?", "MNT"), (r"drams?", "AMD"),
]
_MONEY_SUFFIX = re.compile(
    r"\s+(?:(?P<word>" + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(_CURRENCY_WORDS))
    + r")|(?P<iso>" + _ISO + r"))(?![A-Za-z])",
    re.I,
)

# --------------------------------------------------------------------------- percent

_PERCENT = re.compile(
    r"(?:\s?(?P<pct>%)|\s+(?:per\s?cent|pct)\b|\s+(?P<pp>percentage\s+points?)\b)", re.I
)

# --------------------------------------------------------------------------- measures

# (pattern, unit, factor); matched right after the number (and an optional scale word)
_MEASURES = [
    (r"bcm", "m3", 1e9), (r"tcm", "m3", 1e12),
    (r"cubic\s+met(?:re|er)s?|m3|m³", "m3", 1.0),
    (r"square\s+kilomet(?:re|er)s?|sq\.?\s?km|km2|km²", "km2", 1.0),
    (r"km|kilomet(?:re|er)s?", "km", 1.0),
    (r"met(?:re|er)s", "m", 1.0),
    (r"miles", "mi", 1.0),
    (r"(?:metric\s+)?(?:tons|tonnes|tonne|ton)", "t", 1.0),
    (r"kg|kilograms?|kilos", "kg", 1.0),
    (r"hectares|ha", "ha", 1.0),
    (r"barrels?|bbl", "bbl", 1.0),
    (r"bpd|b/d", "bbl", 1.0),        # per day, see below
    (r"GW|gigawatts?", "W", 1e9), (r"MW|megawatts?", "W", 1e6), (r"kW|kilowatts?", "W", 1e3),
    (r"TWh", "Wh", 1e12), (r"GWh", "Wh", 1e9), (r"MWh", "Wh", 1e6), (r"kWh", "Wh", 1e3),
]
_MEASURE = re.compile(
    r"(?:\s?|-)(?:"
    + "|".join(f"(?P<u{i}>{p})" for i, (p, _, _) in enumerate(_MEASURES))
    + r")(?![A-Za-z0-9²³])"
)
_DURATION = re.compile(
    r"(?:\s+(?P<pl>years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries|century)"
    r"|-(?P<adj>year|month|week|day|hour|minute|decade|century))(?![A-Za-z])",
    re.I,
)
_DURATION_UNIT = {"decade": ("year", 10.0), "decades": ("year", 10.0),
                  "century": ("year", 100.0), "centuries": ("year", 100.0)}
_RATE = re.compile(
    r"(?:\s+(?:a|per|each|every)\s+(day|week|month|year|annum)\b|/(day|year|month)\b|\s+(annually|daily)\b)"
    r"(?!\s+(?:earlier|later|ago|before|after|from|since|and\s+a\s+half))",
    re.I,
)
_RATE_WORD = {"annum": "year", "annually": "year", "daily": "day"}

# --------------------------------------------------------------------------- counts

_STOP = set("""
a an the of in on at to for from by with and or but nor as is are was were be been being
am has have had will would can could should may might must shall do does did not no
that this these those which who whom whose what when where why how it its he she they
we you i me him her them us his their our your my than then so up down over under
about after before into onto through during per ago also only just since until till
while if because between among against each every all some any both either neither
such very too said says say told there here out off via versus vs like unlike
""".split())
_IRREGULAR_PLURALS = {
    "people", "children", "men", "women", "personnel", "police", "staff", "cattle",
    "sheep", "aircraft", "deer", "troops", "media", "data", "criteria", "phenomena",
}
_NOT_COUNT_NOUNS = {"times", "percent", "pcs", "seconds", "is", "was", "has", "this", "its", "us"}
_COUNT_TAIL = re.compile(
    r"((?:\s+[A-Za-z][A-Za-z'’\-]*){1,4})"
)
_STRONG = re.compile(r"-strong\b")
_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’\-]*[A-Za-z])?")

# --------------------------------------------------------------------------- exclusions

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE_BEFORE = re.compile(
    r"\b" + _MONTHS + r"\.?\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s*(?:,|and|&|-|–|to)\s*)?$"
)
_DATE_AFTER = re.compile(
    r"^(?:st|nd|rd|th)?(?:\s*(?:,|and|&|-|–|to)\s*\d{1,2}(?:st|nd|rd|th)?)?\s+(?:of\s+)?" + _MONTHS + r"\b"
)
_LABEL_BEFORE = re.compile(
    r"\b(?:page|pages|p|pp|section|sec|article|art|paragraph|para|chapter|clause|item|"
    r"no|nos|number|resolution|annex|figure|fig|table|vol|volume|issue|part|post|"
    r"room|flight|route|highway|level|stage|phase|version|episode|season|rank|ranked|"
    r"grade|lot|code|tel|phone|fax|ext|decree|order|law|act|protocol|convention|"
    r"summit|forum|round|session|meeting|congress|plenum|pillar|track|step|term|"
    r"point|points|posts|age|ages|aged|score)\s*[.:#№°]?\s*$",
    re.I,
)
_LABEL_LINE = re.compile(r"^[ \t]*[-–•]?[ \t]*[A-Z][\w .'’-]{0,30}[ \t]*:[ \t]*$")
_SKIP_SPANS = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\w+|#\w+|@\w+"
    r"|\+\d[\d\s().\-]{6,}\d"                          # +7 (495) 123-45-67
    r"|\(?\b\d{3}\)?[ .\-]\d{3}[.\-]\d{4}\b"           # (202) 456-1111, 202.456.1111
)
# a number word after a determiner refers back to what the text has named: "the two leaders"
# Where a _SKIP_SPANS match can start when the text has no "@" (the e-mail and handle
# alternatives then cannot match, and "\S+@" was the slow part): a URL, "#", "+", "(" or
# a digit.
_SKIP_START = re.compile(r"http|www\.|[#+(]|\d+")
_ANAPHORA = re.compile(r"\b(?:the|these|those|their|our|its|both)\s+$", re.I)
_ATTACHED_LETTERS = re.compile(r"[A-Za-z°]")


def _to_float(s: str) -> float:
    return float(s.replace(",", ""))


def _context(text: str, spans, start: int) -> str:
    span = sentence_at(spans, start)
    if span is None:
        ls = text.rfind("\n", 0, start) + 1
        le = text.find("\n", start)
        return text[ls: le if le != -1 else len(text)].strip()
    return text[span[0]:span[1]]


def _row(text, spans, start, end, value, unit, kind, noun=None, per=None) -> dict:
    return {
        "value": float(value), "unit": unit, "kind": kind,
        "surface": text[start:end], "start": start, "end": end,
        "context": _context(text, spans, start), "noun": noun, "per": per,
    }


def _is_plural_noun(word: str) -> bool:
    w = word.lower().strip("'’-")
    if w in _IRREGULAR_PLURALS:
        return True
    if w in _NOT_COUNT_NOUNS or w in _STOP or word.isupper():
        return False
    if len(w) > 5 and w.endswith("men") and w.isalpha():
        return True  # "servicemen", "businessmen"
    return (
        len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))
        and "-" not in w
    )


def _count_after(text: str, pos: int):
    """(end, noun) for '<adj>{0,3} <plural noun>' starting at pos, else None."""
    m = _STRONG.match(text, pos)
    if m:
        # "an 80-strong Russian business delegation": the head noun is the last of
        # up to four words before a stopword or punctuation; surface stays "80-strong"
        noun, offset = None, m.end()
        for n, wm in enumerate(_WORD.finditer(text, m.end(), m.end() + 60)):
            if text[offset:wm.start()] != " " or wm.group().lower() in _STOP or n >= 4:
                break
            noun, offset = wm.group(), wm.end()
        return (m.end(), noun) if noun else None
    m = _COUNT_TAIL.match(text, pos)
    if not m:
        return None
    # walk the words one by one; stop at the first plural noun or a stopword
    offset = pos
    for n, wm in enumerate(_WORD.finditer(text, pos, m.end())):
        gap = text[offset:wm.start()]
        if gap != " ":
            return None
        word = wm.group()
        if word.lower() in _STOP or word.lower() in _SCALES:
            return None
        if _is_plural_noun(word):
            # a capitalised head is a name ("Five Eyes", "Gang of Four")
            return (wm.end(), word) if word[0].islower() else None
        if n >= 3 or word.endswith(("'s", "’s")) or (word[0].isupper() and word.isupper()):
            return None
        offset = wm.end()
    return None


def _is_year(num: str) -> bool:
    return num.isdigit() and len(num) == 4 and 1000 <= int(num) <= 2100


# Cheap tests of how a 40-character window before a number ends, for ASCII windows (the
# usual case): a window that fails them cannot match the `$`-anchored pattern, which
# the engine would otherwise try at every position of the window.
_LABEL_WORDS = tuple(sorted(set(re.search(r"\(\?:([^)]*)\)", _LABEL_BEFORE.pattern).group(1).split("|"))))


def _money_prefix(before: str) -> re.Match | None:
    """`_MONEY_PREFIX.search(before)`: a currency symbol or code right before a number.
    Every symbol and code ends in "$", ".", "s" (Rs) or a capital letter."""
    if before.isascii():
        last = before.rstrip()[-1:]
        if not last or not (last in "$.s" or "A" <= last <= "Z"):
            return None
    return _MONEY_PREFIX.search(before)


def _label_before(before: str) -> bool:
    """`_LABEL_BEFORE.search(before)`: a label word ("page", "Article", "No.") ends it."""
    if before.isascii():
        tail = before.rstrip()
        if tail[-1:] in (".", ":", "#"):  # the one optional mark after the word
            tail = tail[:-1].rstrip()
        if not tail.lower().endswith(_LABEL_WORDS):
            return False
    return bool(_LABEL_BEFORE.search(before))


# _SKIP_START's literal alternatives (its other one is a run of digits)
_SKIP_START_LITERALS = ("http", "www.", "#", "+", "(")


def _skip_starts(text: str, digit_starts: list[int] | None = None) -> list[int]:
    """The starts of `_SKIP_START.finditer(text)`, from `str.find` for each literal and
    the starts of the runs of digits (`_DIGIT_RUN`). No match of one alternative can hold
    the start of another (a literal holds no digit, no literal starts inside another), so
    finditer's matches start exactly at every occurrence of each; one regex scan trying
    every alternative at every position was the slow part."""
    if digit_starts is None:
        digit_starts = [m.start() for m in _DIGIT_RUN.finditer(text)]
    out = list(digit_starts)
    for lit in _SKIP_START_LITERALS:
        i = text.find(lit)
        while i >= 0:
            out.append(i)
            i = text.find(lit, i + 1)
    out.sort()
    return out


def _skip_spans(text: str, digit_starts: list[int] | None = None) -> list[tuple[int, int]]:
    """The spans of `_SKIP_SPANS.finditer(text)` (URLs, e-mails, hashtags, phones);
    `digit_starts`: the starts of `_DIGIT_RUN.finditer(text)` if the caller has them."""
    if "@" in text:
        return [(m.start(), m.end()) for m in _SKIP_SPANS.finditer(text)]
    # Without "@" every match starts where _SKIP_START matches (the scan never steps over
    # such a start), so trying _SKIP_SPANS there, left to right and never inside the
    # previous match, gives the same spans as finditer.
    out: list[tuple[int, int]] = []
    last_end = 0
    match = _SKIP_SPANS.match
    for c in _skip_starts(text, digit_starts):
        if c < last_end:
            continue
        m = match(text, c)
        if m:
            out.append((m.start(), m.end()))
            last_end = m.end()
    return out


# The number words no other number word is a prefix of ("four" finds "fourteen" too):
# where a word stands, its prefix does, so looking for these finds every start.
_WORD_NUM_PREFIXES = tuple(w for w in _WORD_NUMS if not any(w != p and w.startswith(p) for p in _WORD_NUMS))


register_keywords(_WORD_NUM_PREFIXES)


def _word_numbers(text: str) -> list[re.Match]:
    """The matches of `_WORD_NUM.finditer(text)`: number words ("two", "Three")."""
    hits = keyword_positions(text)
    if hits is None:  # the keyword view's offsets are not the text's
        return list(_WORD_NUM.finditer(text))
    # A match is a whole word, so matches never overlap, and each starts where its word
    # (lower case) stands in the keyword view, whose offsets are the text's. Looking the
    # words up there finds those places much faster than the case-insensitive pattern,
    # which is tried at every position; _WORD_NUM then decides at each.
    starts = set()
    for w in _WORD_NUM_PREFIXES:
        starts.update(hits.get(w, ()))
    return [m for m in (_WORD_NUM.match(text, i) for i in sorted(starts)) if m]


def extract_quantities(text: str) -> list[dict]:
    """All quantities in `text`, sorted by start (see the module docstring)."""
    if not text:
        return []
    spans = sentence_spans(text)
    digit_starts = [m.start() for m in _DIGIT_RUN.finditer(text)]
    skip = _skip_spans(text, digit_starts)
    skip_starts = [s for s, _ in skip]

    def skipped(i: int) -> bool:
        j = bisect_right(skip_starts, i) - 1
        return j >= 0 and i < skip[j][1]

    out: list[dict] = []
    last_end = -1

    nums = (_NUM.match(text, i) for i in digit_starts)  # = _NUM.finditer(text)
    tokens = [(m.start(), m.end(), _to_float(m.group()), m.group(), False) for m in nums if m]
    tokens += [(m.start(), m.end(), float(_WORD_NUMS[m.group().lower()]), m.group(), True)
               for m in _word_numbers(text)]
    tokens.sort()

    for n_start, n_end, number, num_s, is_word in tokens:
        if n_start < last_end or skipped(n_start):
            continue
        before = text[max(0, n_start - 40):n_start]
        row = None

        # ---- money with a prefix: $263 billion, US$5bn, RUB 1.2 trillion, £3m
        pm = None if is_word else _money_prefix(before)
        if pm:
            start = n_start - len(pm.group())
            sym = pm.group("sym")
            if sym:
                key = re.sub(r"\s", "", sym).lower()
                if key == "¥":
                    sent = _context(text, spans, n_start).lower()
                    unit = "CNY" if ("yuan" in sent or "rmb" in sent or "chin" in sent) else "JPY"
                else:
                    unit = _SYMBOLS.get(key, "USD")
            else:
                unit = pm.group("iso").upper().replace("RMB", "CNY")
            end, value = n_end, number
            sm = _SCALE_WORD.match(text, n_end) or _SCALE_ABBR.match(text, n_end)
            if sm:
                value *= _SCALES[sm.group(1).lower()]
                end = sm.end()
            elif _ATTACHED_LETTERS.match(text, n_end):
                continue
            # "$5 billion dollars": swallow a repeated currency word
            cm = _MONEY_SUFFIX.match(text, end)
            if cm and cm.group("word"):
                end = cm.end()
            per = None
            rm = _RATE.match(text, end)
            if rm:
                w = (rm.group(1) or rm.group(2) or rm.group(3)).lower()
                per, end = _RATE_WORD.get(w, w), rm.end()
            row = _row(text, spans, start, end, value, unit, "money", per=per)

        if row is None:
            # ordinals, "5G", "1990s" ... (letters glued to the number) unless a unit
            glued = _ATTACHED_LETTERS.match(text, n_end) is not None and not is_word
            # dates and label numbers
            if _DATE_BEFORE.search(before) or _DATE_AFTER.match(text[n_end:n_end + 30]):
                continue
            if _label_before(before):
                continue
            line_end = text.find("\n", n_end)
            line_end = len(text) if line_end == -1 else line_end
            line_start = text.rfind("\n", 0, n_start) + 1
            if not text[n_end:line_end].strip() and _LABEL_LINE.match(text[line_start:n_start]):
                continue

            value, end = number, n_end
            sm = _SCALE_WORD.match(text, n_end)
            if sm:
                value *= _SCALES[sm.group(1).lower()]
                end = sm.end()
            elif not is_word and glued:
                sm = _SCALE_ABBR.match(text, n_end)
                cm = _MONEY_SUFFIX.match(text, sm.end()) if sm else None
                if sm and cm:   # "5bn dollars"
                    value *= _SCALES[sm.group(1).lower()]
                    end = sm.end()

            if True:   # "1.85 trillion rubles", "two billion dollars"
                cm = _MONEY_SUFFIX.match(text, end)
                if cm:
                    if cm.group("iso"):
                        unit = cm.group("iso").upper().replace("RMB", "CNY")
                    else:
                        unit = next(c for i, (_, c) in enumerate(_CURRENCY_WORDS) if cm.group(f"c{i}"))
                    row = _row(text, spans, n_start, cm.end(), value, unit, "money")
            if row is None and not sm:
                pc = _PERCENT.match(text, n_end)
                if pc:
                    unit = "pp" if pc.group("pp") else "percent"
                    row = _row(text, spans, n_start, pc.end(), value, unit, "percent")
            if row is None and not (is_word and not sm):
                mm = _MEASURE.match(text, end)
                if mm:
                    i = int(next(k for k, v in mm.groupdict().items() if v is not None)[1:])
                    pat, unit, factor = _MEASURES[i]
                    m_end = mm.end()
                    # surface stays "4,380 km" in "4,380 km-long"
                    if text[mm.start():mm.start() + 1] == "-":
                        pass
                    per = "day" if pat == r"bpd|b/d" else None
                    rm = _RATE.match(text, m_end)
                    if rm and per is None:
                        w = (rm.group(1) or rm.group(2) or rm.group(3)).lower()
                        per = _RATE_WORD.get(w, w)
                        m_end = rm.end()
                    row = _row(text, spans, n_start, m_end, value * factor, unit, "measure", per=per)
            if row is None and (is_word or not glued) and not (
                    not is_word and _is_year(num_s) and not sm):
                dm = _DURATION.match(text, end)
                if dm:
                    w = (dm.group("pl") or dm.group("adj")).lower()
                    unit, factor = _DURATION_UNIT.get(w, (w.rstrip("s"), 1.0))
                    if w in ("centuries",):
                        unit = "year"
                    row = _row(text, spans, n_start, dm.end(), value * factor, unit, "measure")
            if row is None and (is_word or not glued) and not (
                    not is_word and _is_year(num_s) and not sm):
                ca = _count_after(text, end)
                if ca and is_word and _ANAPHORA.search(before):
                    ca = None  # "the two leaders", "both three": things already counted
                if ca:
                    c_end, noun = ca
                    if noun.lower() not in ("years", "months", "days", "weeks", "hours", "minutes"):
                        row = _row(text, spans, n_start, c_end, value, "count", "count", noun=noun)
        if row is not None:
            out.append(row)
            last_end = row["end"]
    return out
