"""flows.dates on sentences copied from seeds/documents (file named per test)."""
import random
from datetime import date

from flows.core.dates import _Kept, find_dates, infer_published_date


def _one(text, published, **kw):
    found = find_dates(text, published, **kw)
    assert len(found) == 1, found
    d = found[0]
    assert text[d["start"]:d["end"]] == d["surface"]
    return d


def _tuple(d):
    return d["surface"], d["date_start"], d["date_end"], d["precision"], d["kind"]


def test_on_july_3_year_from_context():  # 001
    s = "Russian President Vladimir Putin and Chinese leader Xi Jinping met on July 3 in Kazakhstan"
    assert _tuple(_one(s, date(2024, 7, 8))) == ("July 3", date(2024, 7, 3), date(2024, 7, 3), "day", "absolute")


def test_july_3_and_4_range():  # 002
    s = "summit. , which is celebrated on July 3 and 4 in Astana, capital of Kazakhstan."
    assert _tuple(_one(s, date(2024, 7, 8))) == ("July 3 and 4", date(2024, 7, 3), date(2024, 7, 4), "day", "absolute")


def test_september_16_17_is_a_range_not_2017():  # 004
    s = "On September 16-17, a meeting of the SCO Heads of State Council, led by Tajik President Emomali Rahmon, took place in Dushanbe."
    assert _tuple(_one(s, date(2021, 9, 23))) == ("September 16-17", date(2021, 9, 16), date(2021, 9, 17), "day", "absolute")


def test_day_first_range_with_year():
    assert _tuple(_one("held on 15–16 September 2022 in Samarkand", None)) == (
        "15–16 September 2022", date(2022, 9, 15), date(2022, 9, 16), "day", "absolute")


def test_year_from_publication_previous_year_when_far_after():  # 004 dateline
    s = "BEIJING, June 1. /TASS/. The experience of Russia and China"
    assert _one(s, date(2021, 6, 2))["date_start"] == date(2021, 6, 1)
    # more than two months after publication -> previous year
    assert _one(s, date(2022, 2, 1))["date_start"] == date(2021, 6, 1)
    # December read in early January belongs to the year before
    assert _one("on December 28", date(2023, 1, 5))["date_start"] == date(2022, 12, 28)
    # without a publication date a year-less date cannot be placed
    assert find_dates(s, None) == []


def test_full_and_iso_dates():
    assert _tuple(_one("September 16 2022", None)) == ("September 16 2022", date(2022, 9, 16), date(2022, 9, 16), "day", "absolute")
    assert _tuple(_one(" date 2022-09-15 Russian Presidential spokesperson", None))[:2] == ("2022-09-15", date(2022, 9, 15))


def test_in_february_month_precision():  # 000
    s = "The meeting between Xi and Putin comes after the talks held between them in February."
    assert _tuple(_one(s, date(2022, 9, 15))) == ("February", date(2022, 2, 1), date(2022, 2, 28), "month", "absolute")


def test_in_may_but_not_modal_may():  # 002
    s = "Thus, in May Putin visited China on his first trip abroad following the inauguration"
    assert _tuple(_one(s, date(2024, 7, 8))) == ("May", date(2024, 5, 1), date(2024, 5, 31), "month", "absolute")
    assert find_dates("Russia may be ready", date(2024, 7, 8)) == []


def test_last_month_and_next_month():  # 003
    s = "after House Speaker Nancy Pelosi visited last month."
    assert _tuple(_one(s, date(2022, 9, 15))) == ("last month", date(2022, 8, 1), date(2022, 8, 31), "month", "relative")
    assert _one("next month", date(2022, 12, 10))["date_start"] == date(2023, 1, 1)
    assert find_dates("Yuri Ushakov said this week that", date(2022, 9, 15)) == []


def test_weekdays_most_recent_on_or_before_publication():
    # 003: "This Thursday, in the thousand-year-old Uzbek city of Samarkand" (published Thu 2022-09-15)
    d = _one("This Thursday, in the thousand-year-old Uzbek city of Samarkand", date(2022, 9, 15))
    assert _tuple(d) == ("This Thursday", date(2022, 9, 15), date(2022, 9, 15), "day", "relative")
    # 002: "Putin declared on Wednesday during a meeting" (published Mon 2024-07-08)
    d = _one("Russian President Vladimir Putin declared on Wednesday during a meeting", date(2024, 7, 8))
    assert _tuple(d) == ("on Wednesday", date(2024, 7, 3), date(2024, 7, 3), "day", "relative")


def test_today_tomorrow_yesterday():
    pub = date(2022, 9, 15)
    s = '"Tomorrow we will take part in a meeting of the Council of Heads of State'  # 000
    assert _tuple(_one(s, pub)) == ("Tomorrow", date(2022, 9, 16), date(2022, 9, 16), "day", "relative")
    assert _one("was also in Samarkand today", pub)["date_start"] == pub  # 003
    assert _one("he said yesterday", pub)["date_start"] == date(2022, 9, 14)


def test_numeric_date_order_rule():
    # 004: "Putin reveals dedollarization progress in trade with China, 07.04.2023." in a post whose
    # other dates are month-first ("June 1", "September 23") -> MM.DD = 4 July 2023
    text = "BEIJING, June 1. /TASS/. Putin reveals dedollarization progress in trade with China, 07.04.2023."
    nums = [d for d in find_dates(text, None) if d["surface"] == "07.04.2023"]
    assert nums[0]["date_start"] == date(2023, 7, 4)
    # day-first text -> DD.MM
    assert _one("07.04.2023", None, order="dmy")["date_start"] == date(2023, 4, 7)
    assert [d["date_start"] for d in find_dates("on 15 September 2022 and 07.04.2023", None)] == [
        date(2022, 9, 15), date(2023, 4, 7)]
    # unambiguous
    assert _one("25.04.2023", None, order="mdy")["date_start"] == date(2023, 4, 25)
    assert _one("04/25/2023", None, order="dmy")["date_start"] == date(2023, 4, 25)


def test_month_last_year_and_year():  # 003
    s = "Later, in September last year, members of the organization in Dushanbé"
    assert _tuple(_one(s, date(2022, 9, 15))) == ("September last year", date(2021, 9, 1), date(2021, 9, 30), "month", "absolute")
    d = _one("India and Pakistan became permanent members in 2017.", None)  # 004
    assert _tuple(d) == ("2017", date(2017, 1, 1), date(2017, 12, 31), "year", "absolute")


def test_infer_published_date_on_seeds():
    assert infer_published_date(" date 2022-09-15 Russian Presidential spokesperson Dmitry Peskov") == (
        date(2022, 9, 15), "explicit")  # 000
    tail = "Xi, for his part, declared.\n#Putin #talk #peace #alliance #Kazakhstan #summit\n2024-07-08 04:55:57\n"
    assert infer_published_date(tail) == (date(2024, 7, 8), "explicit")  # 002
    assert infer_published_date("Some Title\nSeptember 16 2022\nBody text here.") == (date(2022, 9, 16), "explicit")
    assert infer_published_date("Title\nDate: September 16, 2022\nBody.") == (date(2022, 9, 16), "explicit")
    # 003: an empty "Date:" line; 004: dateline without year and forum "Join date"
    assert infer_published_date("Putin and Xi Jinping Commit\n\nDate:\n\nPresidents of Russia") == (None, "none")
    assert infer_published_date("George1- Posts : 18594\nJoin date : 2011-12-22\nMOSCOW, September 23. / TASS /. Iran needs") == (None, "none")


def test_kept_spans_overlap_rule_as_the_plain_definition():
    """find_dates keeps an expression only where it overlaps none kept before; the
    bisection over the kept spans answers as the plain test of every kept span does."""
    rnd = random.Random(7)
    d = date(2024, 1, 1)
    for _ in range(300):
        kept, plain = _Kept("x" * 60), []
        for _ in range(rnd.randint(0, 25)):
            s = rnd.randint(0, 58)
            e = rnd.randint(s + 1, min(60, s + 8))
            kept.add((s, e), d, d, "day", "absolute")
            if all(e <= a or s >= b for a, b in plain):
                plain.append((s, e))
        assert [(r["start"], r["end"]) for r in kept.rows] == plain
