"""The date of an event told in one sentence (see the package docstring, "Dates")."""
from __future__ import annotations

from datetime import date, timedelta

from flows.annotate.events.document import EventDoc
from flows.annotate.events.patterns import BACKGROUND_DATE_RX, BACKGROUND_GERUND_RX, CLAUSE_BREAK_RX, WEEKDAY_RX
from flows.core.dates import find_dates

PREC_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}
# a day this close before publication is the story's day: an undated sentence of the
# lead, or one that goes on with the story ("Mr Putin also met ..."), happened then
STORY_DAYS = 7


def background_date(sent: str, pos: int) -> bool:
    """The date at `pos` belongs to an earlier event the sentence refers to
    ("comes after the talks held between them in February")."""
    for rx in (BACKGROUND_DATE_RX, BACKGROUND_GERUND_RX):
        for m in rx.finditer(sent, 0, pos):
            if m.end() <= pos and not CLAUSE_BREAK_RX.search(sent[m.end():pos]):
                return True
    return False


def _own_dates(d: EventDoc, sent: str, summit: dict | None, summit_pos: int | None) -> list[dict]:
    """The dates of `sent` that are the event's own: not an earlier event's, not the
    summit phrase's (after "summit" and inside its days); without a publication date,
    only absolute dates and a weekday within the document's summit week."""
    ds = find_dates(sent, d.pub or (summit["start_date"] if summit else d.ref), order=d.order)
    if d.pub is None:
        ds = [x for x in ds if x["kind"] == "absolute" or (
            d.week and WEEKDAY_RX.fullmatch(x["surface"]) and d.week[0] <= x["date_start"] <= d.week[1])]
    ds = [x for x in ds if not background_date(sent, x["start"])]
    if summit and summit_pos is not None:
        ds = [x for x in ds if not (x["start"] >= summit_pos
                                    and x["date_start"] >= summit["start_date"]
                                    and x["date_end"] <= summit["end_date"])]
    return ds


def own_dates(d: EventDoc, sent: str, summit: dict | None, summit_pos: int | None) -> list[dict] | None:
    """The dates of `sent` that are the event's own (see `_own_dates`), none after
    publication: a report does not date what it tells after its own date. None when every
    date of the sentence is after publication (it tells what is to come: "will host X for
    a bilateral meeting on March 15" takes no fallback date)."""
    ds = _own_dates(d, sent, summit, summit_pos)
    if d.pub is None:
        return ds
    kept = [x for x in ds if x["date_start"] <= d.pub]
    return kept if kept or not ds else None


def event_date(d: EventDoc, sent: str, summit: dict | None, summit_pos: int | None, use_day_report: bool,
               in_lead: bool = False) -> tuple[date | None, date | None, str]:
    """(start, end, precision) of a meeting-like event in `sent`: its most precise own
    date; else, on the sidelines of a summit, the publication date within the summit's
    days or the summit's first day; else (`use_day_report`) the publication date in a
    report of the day of the document's summit or in the lead of a dated report."""
    ds = own_dates(d, sent, summit, summit_pos)
    if ds is None:
        return None, None, "unknown"
    if ds:
        def rank(x: dict) -> tuple:
            return (-PREC_RANK[x["precision"]], x["kind"] != "relative", x["date_end"] != x["date_start"], x["start"])
        x = sorted(ds, key=rank)[0]
        if x["precision"] == "day" and d.pub and d.pub - timedelta(days=STORY_DAYS) <= x["date_start"] <= d.pub:
            d.story = x["date_start"]  # the day the story tells (for the sentences after it)
        return x["date_start"], x["date_end"], x["precision"]
    if summit:
        if d.pub and summit["start_date"] <= d.pub <= summit["end_date"]:
            return d.pub, d.pub, "day"
        return summit["start_date"], summit["start_date"], "day"
    if use_day_report and d.report_of_day:
        return d.pub, d.pub, "day"
    if use_day_report and in_lead and d.pub is not None:  # the story's day, else the report's
        return d.story or d.pub, d.story or d.pub, "day"
    return None, None, "unknown"
