"""Reading the dates a clerk types (dates.parse_date, dates.parse_month)."""

from __future__ import annotations

import calendar as stdcalendar
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shuoshi_cli.core.dates import Meaning, ParsedDate, parse_date, parse_month
from shuoshi_cli.core.errors import BadDate, BadInput
from shuoshi_cli.core.workdays import OFFICIAL, USER, WEEKDAYS, WorkCalendar, parse_calendar_file

PROPERTY = settings(max_examples=150, deadline=None)

TODAY = date(2026, 11, 27)  # a Friday

FULL_WIDTH = str.maketrans("0123456789+-/.", "０１２３４５６７８９＋－／．")


def d(text: str) -> date:
    return date.fromisoformat(text)


def day_of(text: str, today: date = TODAY) -> date:
    return parse_date(text, today).day


def add_months(start: date, months: int) -> date:
    """Independent reference: same day of month, clipped to the target month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, stdcalendar.monthrange(year, month)[1]))


# --- Absolute dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-30",
        "2026/11/30",
        "2026.11.30",
        "2026年11月30日",
        "2026年11月30",
        "2026 年 11 月 30 日",
        "２０２６年１１月３０日",
        "２０２６－１１－３０",
        "２０２６／１１／３０",
        "  2026-11-30  ",
        "\u30002026年11月30日\u3000",
        "\t2026/11/30\n",
    ],
)
def test_absolute_forms(text: str) -> None:
    parsed = parse_date(text, TODAY)
    assert parsed == ParsedDate(d("2026-11-30"))
    assert parsed.workdays is None
    assert parsed.sources == frozenset()
    assert parsed.missing_years == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-1-5", "2026-01-05"),
        ("2026/01/05", "2026-01-05"),
        ("2026年1月5日", "2026-01-05"),
        ("2028-02-29", "2028-02-29"),
        ("1999-12-31", "1999-12-31"),
        ("2030年12月31日", "2030-12-31"),
    ],
)
def test_absolute_dates_are_independent_of_today(text: str, expected: str) -> None:
    assert day_of(text) == d(expected)
    assert day_of(text, date(2001, 6, 15)) == d(expected)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("11月30日", TODAY, "2026-11-30"),
        ("11月30号", TODAY, "2026-11-30"),
        ("11月30", TODAY, "2026-11-30"),
        ("１１月３０日", TODAY, "2026-11-30"),
        (" 11 月 30 日 ", TODAY, "2026-11-30"),
        ("11/30", TODAY, "2026-11-30"),
        ("12/3", TODAY, "2026-12-03"),
        ("12.3", TODAY, "2026-12-03"),
        ("１２／３", TODAY, "2026-12-03"),
        ("１２．３", TODAY, "2026-12-03"),
        # 39 days ahead is nearer than 326 days back.
        ("1月5日", TODAY, "2027-01-05"),
        # 174 days ahead against 191 back; 181 back against 184 ahead.
        ("5月20日", TODAY, "2027-05-20"),
        ("5月30日", TODAY, "2026-05-30"),
        # 91 days back is nearer than 274 days ahead.
        ("11月30日", date(2027, 3, 1), "2026-11-30"),
        ("2月29日", date(2028, 1, 10), "2028-02-29"),
        ("2月29日", date(2029, 2, 28), "2028-02-29"),
    ],
)
def test_month_day_without_a_purpose_is_the_nearest(text: str, today: date, expected: str) -> None:
    assert parse_date(text, today) == ParsedDate(d(expected))
    assert parse_date(text, today, meaning="nearest") == ParsedDate(d(expected))


@pytest.mark.parametrize(
    ("text", "today", "meaning", "received", "expected"),
    [
        # Something that happened: the latest such day not after today.
        ("12月30日", date(2027, 1, 4), "happened", None, "2026-12-30"),
        ("11月30日", TODAY, "happened", None, "2025-11-30"),
        ("11月27日", TODAY, "happened", None, "2026-11-27"),
        ("1月5日", TODAY, "happened", None, "2026-01-05"),
        ("12/3", TODAY, "happened", None, "2025-12-03"),
        ("11.26", TODAY, "happened", None, "2026-11-26"),
        ("2月29日", date(2029, 2, 28), "happened", None, "2028-02-29"),
        ("2月29日", date(2028, 3, 1), "happened", None, "2028-02-29"),
        # A deadline: the first such day on or after the received date.
        ("1月5日", date(2026, 12, 31), "deadline", date(2026, 12, 20), "2027-01-05"),
        ("1月5日", date(2027, 1, 10), "deadline", date(2026, 12, 20), "2027-01-05"),
        ("12月25日", date(2027, 1, 10), "deadline", date(2026, 12, 20), "2026-12-25"),
        ("11月20日", TODAY, "deadline", date(2026, 11, 20), "2026-11-20"),
        ("11月19日", TODAY, "deadline", date(2026, 11, 20), "2027-11-19"),
        ("12.3", TODAY, "deadline", date(2026, 11, 20), "2026-12-03"),
        ("2月29日", date(2027, 6, 1), "deadline", date(2027, 6, 1), "2028-02-29"),
        # Without a received date a deadline counts from today.
        ("11月30日", TODAY, "deadline", None, "2026-11-30"),
        ("11月27日", TODAY, "deadline", None, "2026-11-27"),
        ("1月5日", date(2026, 12, 31), "deadline", None, "2027-01-05"),
    ],
)
def test_month_day_means_what_makes_sense(
    text: str, today: date, meaning: Meaning, received: date | None, expected: str
) -> None:
    parsed = parse_date(text, today, meaning=meaning, received=received)
    assert parsed == ParsedDate(d(expected))


@pytest.mark.parametrize(
    ("text", "today", "meaning", "received"),
    [
        # No 29 February in the year up to 1 March 2029, nor in the year from 1 March 2028.
        ("2月29日", date(2029, 3, 1), "happened", None),
        ("2月29日", date(2028, 3, 1), "deadline", date(2028, 3, 1)),
        ("2月29日", date(2027, 2, 28), "nearest", None),
        ("2月30日", TODAY, "happened", None),
        ("2月30日", TODAY, "deadline", TODAY),
        ("4/31", TODAY, "nearest", None),
    ],
)
def test_month_day_with_no_such_day_within_a_year_is_refused(
    text: str, today: date, meaning: Meaning, received: date | None
) -> None:
    with pytest.raises(BadDate) as caught:
        parse_date(text, today, meaning=meaning, received=received)
    assert caught.value.key == "no_such_date"
    assert caught.value.params == {"value": text}


# --- Named days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2026-11-27"),
        ("今天", "2026-11-27"),
        ("今日", "2026-11-27"),
        ("Today", "2026-11-27"),
        (" TODAY ", "2026-11-27"),
        ("\u3000今天\u3000", "2026-11-27"),
        ("tomorrow", "2026-11-28"),
        ("明天", "2026-11-28"),
        ("明日", "2026-11-28"),
        ("yesterday", "2026-11-26"),
        ("昨天", "2026-11-26"),
        ("昨日", "2026-11-26"),
        ("后天", "2026-11-29"),
        ("大后天", "2026-11-30"),
        ("前天", "2026-11-25"),
        ("大前天", "2026-11-24"),
    ],
)
def test_named_days(text: str, expected: str) -> None:
    assert parse_date(text, TODAY) == ParsedDate(d(expected))


def test_named_days_cross_year_and_month_boundaries() -> None:
    assert day_of("明天", date(2026, 12, 31)) == d("2027-01-01")
    assert day_of("yesterday", date(2027, 1, 1)) == d("2026-12-31")
    assert day_of("tomorrow", date(2028, 2, 28)) == d("2028-02-29")
    assert day_of("后天", date(2026, 12, 31)) == d("2027-01-02")
    assert day_of("前天", date(2028, 3, 1)) == d("2028-02-28")


# --- Weekdays ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Weeks start on Monday: this week is 2026-11-23 .. 2026-11-29.
        ("下周五", "2026-12-04"),
        ("下周一", "2026-11-30"),
        ("下个周一", "2026-11-30"),
        ("本周一", "2026-11-23"),
        ("本周五", "2026-11-27"),
        ("这周日", "2026-11-29"),
        ("上周三", "2026-11-18"),
        ("上个星期五", "2026-11-20"),
        # Without a week: the nearest such weekday.
        ("周五", "2026-11-27"),
        ("周5", "2026-11-27"),
        ("周一", "2026-11-30"),
        ("周二", "2026-11-24"),
        ("礼拜三", "2026-11-25"),
        ("周日", "2026-11-29"),
        ("星期天", "2026-11-29"),
    ],
)
def test_weekdays(text: str, expected: str) -> None:
    assert parse_date(text, TODAY) == ParsedDate(d(expected))


@pytest.mark.parametrize(
    ("text", "meaning", "received", "expected"),
    [
        ("周五", "happened", None, "2026-11-27"),
        ("周六", "happened", None, "2026-11-21"),
        ("周一", "happened", None, "2026-11-23"),
        ("周五", "deadline", date(2026, 11, 20), "2026-11-20"),
        ("周一", "deadline", date(2026, 11, 20), "2026-11-23"),
        ("周四", "deadline", None, "2026-12-03"),
        # 下周五 names its week, so the purpose does not move it.
        ("下周五", "happened", None, "2026-12-04"),
        ("上周三", "deadline", date(2026, 11, 20), "2026-11-18"),
    ],
)
def test_weekday_without_a_week_means_what_makes_sense(
    text: str, meaning: Meaning, received: date | None, expected: str
) -> None:
    parsed = parse_date(text, TODAY, meaning=meaning, received=received)
    assert parsed == ParsedDate(d(expected))


# --- Relative dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+7d", "2026-12-04"),
        ("7d", "2026-12-04"),
        ("-7d", "2026-11-20"),
        ("+0d", "2026-11-27"),
        ("7天", "2026-12-04"),
        ("+7天", "2026-12-04"),
        ("-3天", "2026-11-24"),
        ("+ 7 d", "2026-12-04"),
        ("7 天", "2026-12-04"),
        ("＋７ｄ", "2026-12-04"),
        ("７天", "2026-12-04"),
        ("+7D", "2026-12-04"),
        ("+2w", "2026-12-11"),
        ("2周", "2026-12-11"),
        ("2个星期", "2026-12-11"),
        ("2星期", "2026-12-11"),
        ("-1w", "2026-11-20"),
        ("+1m", "2026-12-27"),
        ("1个月", "2026-12-27"),
        ("+2个月", "2027-01-27"),
        ("-1m", "2026-10-27"),
        ("+12m", "2027-11-27"),
        ("+365d", "2027-11-27"),
        ("+9999d", "2054-04-13"),
        ("+0009999d", "2054-04-13"),
        ("十五天", "2026-12-12"),
        ("+十五天", "2026-12-12"),
        ("-三天", "2026-11-24"),
        ("零天", "2026-11-27"),
        ("九千九百九十九天", "2054-04-13"),
        ("两周", "2026-12-11"),
        ("一个月", "2026-12-27"),
    ],
)
def test_relative_calendar_days(text: str, expected: str) -> None:
    parsed = parse_date(text, TODAY)
    assert parsed == ParsedDate(d(expected))


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("+1m", "2026-01-31", "2026-02-28"),
        ("1个月", "2026-01-31", "2026-02-28"),
        ("+1m", "2028-01-31", "2028-02-29"),
        ("+1m", "2026-03-31", "2026-04-30"),
        ("+1m", "2026-12-31", "2027-01-31"),
        ("+2m", "2026-12-31", "2027-02-28"),
        ("-1m", "2026-03-31", "2026-02-28"),
        ("-1m", "2026-01-15", "2025-12-15"),
        ("+12m", "2028-02-29", "2029-02-28"),
        ("+1m", "2026-02-28", "2026-03-28"),
    ],
)
def test_months_clip_to_month_end(text: str, today: str, expected: str) -> None:
    assert day_of(text, d(today)) == d(expected)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("+5wd", "2026-09-29", "2026-10-12"),
        ("5个工作日", "2026-09-29", "2026-10-12"),
        ("5工作日", "2026-09-29", "2026-10-12"),
        ("５个工作日", "2026-09-29", "2026-10-12"),
        ("＋５ｗｄ", "2026-09-29", "2026-10-12"),
        ("+ 5 wd", "2026-09-29", "2026-10-12"),
        ("5wd", "2026-09-29", "2026-10-12"),
        ("+5WD", "2026-09-29", "2026-10-12"),
        ("+3wd", "2026-11-27", "2026-12-02"),
        ("13个工作日", "2026-09-28", "2026-10-21"),
        ("五个工作日", "2026-09-29", "2026-10-12"),
        ("十三个工作日", "2026-09-28", "2026-10-21"),
        # Mon Nov 30 .. Fri Dec 4.
        ("五个工作日", "2026-11-27", "2026-12-04"),
        ("+1wd", "2026-02-13", "2026-02-14"),
        ("+1wd", "2025-12-31", "2026-01-04"),
    ],
)
def test_working_days_on_the_official_calendar(text: str, today: str, expected: str) -> None:
    parsed = parse_date(text, d(today))
    assert parsed.day == d(expected)
    assert parsed.sources == frozenset({OFFICIAL})
    assert parsed.missing_years == frozenset()
    assert parsed.workdays is not None and parsed.workdays > 0


def test_working_days_records_the_count() -> None:
    assert parse_date("+5wd", d("2026-09-29")).workdays == 5
    assert parse_date("13个工作日", d("2026-09-28")).workdays == 13
    assert parse_date("五个工作日", TODAY).workdays == 5


def test_zero_working_days_is_today() -> None:
    parsed = parse_date("+0wd", d("2026-10-03"))
    assert parsed.day == d("2026-10-03")
    assert parsed.workdays == 0


def test_working_days_into_2027_fall_back_and_say_so() -> None:
    # Dec 31 2026 (Thu), Jan 1 2027 (Fri, no data: a plain weekday), Mon Jan 4.
    parsed = parse_date("+3wd", d("2026-12-30"))
    assert parsed.day == d("2027-01-04")
    assert parsed.workdays == 3
    assert parsed.missing_years == frozenset({2027})
    assert WEEKDAYS in parsed.sources
    assert parsed.sources == frozenset({OFFICIAL, WEEKDAYS})


def test_working_days_use_the_given_calendar() -> None:
    user = WorkCalendar(user_years=parse_calendar_file(["2027-01-01 休 元旦", "2027-01-09 班"]))
    parsed = parse_date("5个工作日", d("2026-12-30"), user)
    # Dec 31, (Jan 1 off), Jan 4, 5, 6, 7.
    assert parsed.day == d("2027-01-07")
    assert parsed.sources == frozenset({OFFICIAL, USER})
    assert parsed.missing_years == frozenset()
    # Friday Jan 8, Saturday Jan 9 (make-up), Monday Jan 11.
    assert parse_date("+2wd", d("2027-01-07"), user).day == d("2027-01-09")
    assert parse_date("+3wd", d("2027-01-07"), user).day == d("2027-01-11")


def test_working_days_without_official_data() -> None:
    parsed = parse_date("+5wd", d("2026-09-29"), WorkCalendar(use_official=False))
    # Sep 30, Oct 1, Oct 2, Oct 5, Oct 6: the holiday is ignored.
    assert parsed.day == d("2026-10-06")
    assert parsed.sources == frozenset({WEEKDAYS})
    assert parsed.missing_years == frozenset({2026})


# --- Refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u3000",
        "abc",
        "next friday",
        "2026",
        "2026-11",
        "26-11-30",
        "2026-11-30 12:00",
        "2026-11-30T00:00",
        "20261130",
        "11-30",
        "30日11月",
        "+d",
        "+7",
        "7x",
        "+7dd",
        "++7d",
        "-5wd",
        "-5个工作日",
        "+1.5d",
        "下下周五",
        "周0",
        "周8",
        "十十天",
        "五五天",
    ],
)
def test_unreadable_input_is_bad_date(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_date(text, TODAY)
    assert caught.value.key == "bad_date"
    assert caught.value.params == {"value": text}


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "2026-13-01",
        "2026-00-10",
        "2026-11-00",
        "2026-04-31",
        "2026-11-31",
        "2025-02-29",
        "2100-02-29",
        "0000-01-01",
        "2026年2月30日",
        "２０２６年２月３０日",
        "2月30日",
        "13月1日",
        "2月29日",  # 2026 is not a leap year
    ],
)
def test_impossible_dates_are_no_such_date(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_date(text, TODAY)
    assert caught.value.key == "no_such_date"
    assert caught.value.params == {"value": text}


def test_bad_date_is_a_bad_input_for_the_cli() -> None:
    with pytest.raises(BadInput) as caught:
        parse_date("nonsense", TODAY)
    assert isinstance(caught.value, BadDate)
    assert caught.value.code == "bad_input"


@pytest.mark.parametrize(
    "text",
    [
        "+10000d",
        "-10000d",
        "12345天",
        "+10000w",
        "10000周",
        "+10000m",
        "10000个月",
        "+10000wd",
        "10000个工作日",
        "+99999wd",
        "+123456789012345678901234567890d",
    ],
)
def test_more_than_9999_units_is_too_far(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_date(text, TODAY)
    assert caught.value.key == "date_too_far"
    assert caught.value.params == {"value": text}


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("+1d", date.max),
        ("+1w", date.max),
        ("+1m", date.max),
        ("-1d", date.min),
        ("-1m", date.min),
        ("-9999w", date(100, 1, 1)),
        ("+9999m", date(9500, 1, 1)),
        ("后天", date.max),
        ("前天", date.min),
        ("下周五", date.max),
    ],
)
def test_out_of_range_arithmetic_is_too_far(text: str, today: date) -> None:
    with pytest.raises(BadDate) as caught:
        parse_date(text, today)
    assert caught.value.key == "date_too_far"
    assert caught.value.params == {"value": text}


def test_out_of_range_working_days_is_too_far() -> None:
    with pytest.raises(BadDate) as caught:
        parse_date("+5wd", date(9999, 12, 30))
    assert caught.value.key == "date_too_far"
    assert caught.value.params == {"value": "+5wd"}


# --- parse_month ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10", (2026, 10)),
        ("2026/10", (2026, 10)),
        ("2026.10", (2026, 10)),
        ("2026年10月", (2026, 10)),
        ("2026年10", (2026, 10)),
        ("2026 年 10 月", (2026, 10)),
        ("2026-1", (2026, 1)),
        ("2026-01", (2026, 1)),
        ("2026年1月", (2026, 1)),
        ("2026-12", (2026, 12)),
        ("２０２６年１０月", (2026, 10)),
        ("２０２６－１０", (2026, 10)),
        ("  2026-10  ", (2026, 10)),
    ],
)
def test_parse_month_accepts(text: str, expected: tuple[int, int]) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026-0",
        "2026-00",
        "2026年13月",
        "10月",
        "10",
        "2026",
        "26-10",
        "2026-10-01",
        "2026-100",
        "",
        "   ",
        "October 2026",
        "today",
    ],
)
def test_parse_month_refuses(text: str) -> None:
    with pytest.raises(BadDate) as caught:
        parse_month(text)
    assert caught.value.key == "bad_month"
    assert caught.value.params == {"value": text}


# --- Properties ------------------------------------------------------------------------------

all_dates = st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))
near_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@PROPERTY
@given(day=all_dates, form=st.integers(0, 5), full_width=st.booleans())
def test_every_absolute_form_round_trips(day: date, form: int, full_width: bool) -> None:
    y, m, dd = day.year, day.month, day.day
    text = [
        f"{y}-{m:02d}-{dd:02d}",
        f"{y}/{m}/{dd}",
        f"{y}.{m:02d}.{dd}",
        f"{y}年{m}月{dd}日",
        f"{y}年{m:02d}月{dd:02d}",
        f" {y} 年 {m} 月 {dd} 日 ",
    ][form]
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert parse_date(text, TODAY) == ParsedDate(day)


def occurrences(month: int, dd: int, around: date) -> list[date]:
    """Every ``month``/``dd`` in the years around ``around`` (none if it never exists)."""
    found = []
    for year in range(around.year - 2, around.year + 3):
        if dd <= stdcalendar.monthrange(year, month)[1]:
            found.append(date(year, month, dd))
    return found


@PROPERTY
@given(
    today=near_dates,
    month=st.integers(1, 12),
    dd=st.integers(1, 31),
    form=st.sampled_from(["{m}月{d}日", "{m}/{d}", "{m}.{d}", "{m}月{d}号"]),
    full_width=st.booleans(),
)
def test_month_day_is_the_nearest_or_refused(
    today: date, month: int, dd: int, form: str, full_width: bool
) -> None:
    text = form.format(m=month, d=dd)
    if full_width:
        text = text.translate(FULL_WIDTH)
    distances = [abs((c - today).days) for c in occurrences(month, dd, today)]
    if not any(distance <= 365 for distance in distances):
        # Never such a day (2月30日), or 29 February with none within a year either way.
        with pytest.raises(BadDate) as caught:
            parse_date(text, today)
        assert caught.value.key == "no_such_date"
        return
    found = day_of(text, today)
    assert (found.month, found.day) == (month, dd)
    assert abs((found - today).days) == min(distances)


@PROPERTY
@given(
    today=near_dates,
    n=st.integers(-9999, 9999),
    unit=st.sampled_from(["d", "天", "D"]),
    full_width=st.booleans(),
)
def test_days_offset_is_exact(today: date, n: int, unit: str, full_width: bool) -> None:
    text = f"{n:+d}{unit}"
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert parse_date(text, today) == ParsedDate(today + timedelta(days=n))


@PROPERTY
@given(today=near_dates, n=st.integers(0, 9999))
def test_unsigned_days_offset_counts_forward(today: date, n: int) -> None:
    assert day_of(f"{n}天", today) == today + timedelta(days=n)


@PROPERTY
@given(today=near_dates, n=st.integers(-999, 999), unit=st.sampled_from(["w", "周", "个星期"]))
def test_weeks_offset_is_seven_days(today: date, n: int, unit: str) -> None:
    assert day_of(f"{n:+d}{unit}", today) == today + timedelta(days=7 * n)


@PROPERTY
@given(today=near_dates, n=st.integers(-240, 240), unit=st.sampled_from(["m", "个月"]))
def test_months_offset_matches_reference(today: date, n: int, unit: str) -> None:
    result = day_of(f"{n:+d}{unit}", today)
    assert result == add_months(today, n)
    assert result.day <= today.day


@settings(max_examples=100, deadline=None)
@given(
    today=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)),
    n=st.integers(1, 60),
)
def test_working_days_match_the_calendar(today: date, n: int) -> None:
    parsed = parse_date(f"+{n}wd", today)
    counted = WorkCalendar().add_workdays(today, n)
    assert parsed == ParsedDate(counted.day, n, counted.sources, counted.missing_years)
    assert parse_date(f"{n}个工作日", today) == parsed
    assert parsed.day > today


@PROPERTY
@given(year=st.integers(1000, 9999), month=st.integers(1, 12), form=st.integers(0, 3))
def test_parse_month_round_trips(year: int, month: int, form: int) -> None:
    text = [f"{year}-{month:02d}", f"{year}/{month}", f"{year}年{month}月", f"{year}.{month}"][form]
    assert parse_month(text) == (year, month)
    assert parse_month(text.translate(FULL_WIDTH)) == (year, month)


@PROPERTY
@given(year=st.integers(1000, 9999), month=st.integers(0, 99))
def test_parse_month_refuses_months_outside_1_to_12(year: int, month: int) -> None:
    assume(not 1 <= month <= 12)
    with pytest.raises(BadDate) as caught:
        parse_month(f"{year}-{month}")
    assert caught.value.key == "bad_month"


@pytest.mark.parametrize("text", ["10月", "30日", "3月", "+2日"])
def test_bare_month_or_day_is_not_a_duration(text: str) -> None:
    """A clerk writing 30日 means the 30th, not 30 days: refuse rather than guess."""
    with pytest.raises(BadDate):
        parse_date(text, date(2026, 11, 27))


def test_hao_with_year() -> None:
    assert parse_date("2026年11月30号", date(2026, 11, 27)).day == date(2026, 11, 30)
