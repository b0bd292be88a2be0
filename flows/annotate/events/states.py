"""The states of an event's participants as the text gives them: "Prime Minister Kishida
of Japan" (the reference may not know the figure's country; merge.py adds the countries
it knows)."""
from __future__ import annotations

import re

from flows.annotate.events.document import Sentence
from flows.annotate.events.lists import uniq

_OF_RX = re.compile(r"\s*,?\s+of\s")


def of_countries(s: Sentence, figs: list[str]) -> list[str]:
    """The countries the sentence gives its figures: "Prime Minister Kishida of Japan",
    "King Abdullah II of the Hashemite Kingdom of Jordan" (a country within 40 characters
    after "of" that follows the figure's name)."""
    ends = {f: [mm["_e"] for mm in s.mentions if mm["entity_type"] == "figure" and mm["entity_id"] == f]
            for f in figs}
    out = []
    for mm in s.mentions:
        if mm["entity_type"] != "country":
            continue
        for f, es in ends.items():
            if any(0 <= mm["_s"] - e <= 40 and _OF_RX.match(s.text, e, mm["_s"] + 1)
                   and "," not in s.text[e + 2:mm["_s"]] for e in es):
                out.append(mm["entity_id"])
    return uniq(out)
