"""Working days (工作日): the official calendar, user year files, and the Monday-Friday fallback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shuoshi_cli.core.errors import BadInput
from shuoshi_cli.core.workdays import (
    OFFICIAL,
    USER,
    WEEKDAYS,
    WorkCalendar,
    YearDays,
    parse_calendar_file,
)

PROPERTY = settings(max_examples=150, deadline=None)
# Counting through the official data is slow (chinese_calendar scans its tables on every call).
SLOW_PROPERTY = settings(max_examples=100, deadline=None)

OFFICIAL_FIRST = date(2004, 1, 1)
OFFICIAL_LAST = date(2026, 12, 31)


def d(text: str) -> date:
    return date.fromisoformat(text)


def reference_is_workday(day: date) -> bool:
    """Independent of WorkCalendar: the package's answer where it has data, else Monday-Friday."""
    if OFFICIAL_FIRST.year <= day.year <= OFFICIAL_LAST.year:
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def workdays_between(
    start: date, end: date, is_workday: Callable[[date], bool] = reference_is_workday
) -> int:
    """How many working days lie in (start, end]."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def mon_fri_add(start: date, n: int) -> date:
    """Closed-form Monday-Friday arithmetic: the n-th weekday after ``start`` (n >= 1)."""
    base = start - timedelta(days=start.weekday() - 4) if start.weekday() >= 5 else start
    weeks, rem = divmod(n, 5)
    extra = rem + 2 if base.weekday() + rem > 4 else rem
    return base + timedelta(days=7 * weeks + extra)


official_days = st.dates(min_value=OFFICIAL_FIRST, max_value=OFFICIAL_LAST)
any_days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
counts = st.integers(min_value=1, max_value=60)


# --- 2026 as announced -------------------------------------------------------------------------

HOLIDAYS_2026 = [
    # 元旦
    "2026-01-01",
    "2026-01-02",
    "2026-01-03",
    # 春节
    *[f"2026-02-{day}" for day in range(15, 24)],
    # 劳动节
    *[f"2026-05-0{day}" for day in range(1, 6)],
    # 国庆
    *[f"2026-10-0{day}" for day in range(1, 8)],
]
MAKEUP_WORKDAYS_2026 = [
    "2026-01-04",  # Sunday
    "2026-02-14",  # Saturday
    "2026-02-28",  # Saturday
    "2026-05-09",  # Saturday
    "2026-09-20",  # Sunday
    "2026-10-10",  # Saturday
]


@pytest.mark.parametrize("text", HOLIDAYS_2026)
def test_2026_statutory_holidays_are_not_workdays(text: str) -> None:
    assert WorkCalendar().is_workday(d(text)) is False


@pytest.mark.parametrize("text", MAKEUP_WORKDAYS_2026)
def test_2026_makeup_weekend_days_are_workdays(text: str) -> None:
    day = d(text)
    assert day.weekday() >= 5, "the fixture itself must be a weekend day"
    assert WorkCalendar().is_workday(day) is True


@pytest.mark.parametrize("text", MAKEUP_WORKDAYS_2026)
def test_without_official_data_makeup_days_are_rest_days(text: str) -> None:
    assert WorkCalendar(use_official=False).is_workday(d(text)) is False


def test_without_official_data_a_weekday_holiday_is_a_workday() -> None:
    calendar = WorkCalendar(use_official=False)
    assert calendar.is_workday(d("2026-10-01")) is True  # Thursday
    assert calendar.is_workday(d("2026-02-16")) is True  # Monday


def test_ordinary_days() -> None:
    calendar = WorkCalendar()
    assert calendar.is_workday(d("2026-11-27")) is True  # Friday
    assert calendar.is_workday(d("2026-11-28")) is False  # Saturday
    assert calendar.is_workday(d("2026-11-29")) is False  # Sunday
    assert calendar.is_workday(d("2026-11-30")) is True  # Monday


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        # 国庆: Sep 30, (Oct 1-7 off), Oct 8, Oct 9, Oct 10 (Saturday, make-up), Oct 12.
        ("2026-09-29", 1, "2026-09-30"),
        ("2026-09-29", 2, "2026-10-08"),
        ("2026-09-29", 4, "2026-10-10"),
        ("2026-09-29", 5, "2026-10-12"),
        # A complaint (13 working days) received the Monday before 国庆.
        ("2026-09-28", 13, "2026-10-21"),
        # Sep 20 is a Sunday make-up day.
        ("2026-09-18", 1, "2026-09-20"),
        # 元旦: Jan 1-3 off, Sunday Jan 4 works.
        ("2025-12-31", 1, "2026-01-04"),
        ("2025-12-31", 2, "2026-01-05"),
        # 春节: Saturday Feb 14 works, Feb 15-23 off, Saturday Feb 28 works.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-13", 2, "2026-02-24"),
        ("2026-02-13", 6, "2026-02-28"),
        ("2026-02-13", 7, "2026-03-02"),
        # 劳动节: May 1-5 off, Saturday May 9 works.
        ("2026-04-30", 1, "2026-05-06"),
        ("2026-04-30", 4, "2026-05-09"),
        ("2026-04-30", 5, "2026-05-11"),
        # Ordinary weeks.
        ("2026-11-27", 1, "2026-11-30"),
        ("2026-11-27", 5, "2026-12-04"),
        ("2026-11-28", 1, "2026-11-30"),
    ],
)
def test_add_workdays_official_2026(start: str, count: int, expected: str) -> None:
    counted = WorkCalendar().add_workdays(d(start), count)
    assert counted.day == d(expected)
    assert counted.sources == frozenset({OFFICIAL})
    assert counted.missing_years == frozenset()


def test_zero_workdays_is_the_start_itself() -> None:
    counted = WorkCalendar().add_workdays(d("2026-10-03"), 0)
    assert counted.day == d("2026-10-03")
    assert counted.sources == frozenset()
    assert counted.missing_years == frozenset()


@pytest.mark.parametrize("count", [-1, -5])
def test_negative_count_is_refused(count: int) -> None:
    with pytest.raises(BadInput) as caught:
        WorkCalendar().add_workdays(d("2026-11-27"), count)
    assert caught.value.key == "bad_workday_count"
    assert caught.value.params == {"value": count}


# --- Which calendar decides ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2003, WEEKDAYS), (2004, OFFICIAL), (2015, OFFICIAL), (2026, OFFICIAL), (2027, WEEKDAYS)],
)
def test_source_by_year(year: int, expected: str) -> None:
    assert WorkCalendar().source(year) == expected


def test_source_user_year_wins_and_official_can_be_switched_off() -> None:
    calendar = WorkCalendar(user_years={2026: YearDays(), 2027: YearDays()})
    assert calendar.source(2026) == USER
    assert calendar.source(2027) == USER
    assert calendar.source(2025) == OFFICIAL
    assert WorkCalendar(use_official=False).source(2026) == WEEKDAYS
    assert WorkCalendar(user_years={2026: YearDays()}, use_official=False).source(2026) == USER


# --- Beyond the package's data: 2027 ---------------------------------------------------------


def test_new_year_2027_without_data_falls_back_to_monday_friday() -> None:
    # Dec 31 (Thu), then Jan 1 2027 (Friday) counts as a plain weekday, then Monday Jan 4.
    counted = WorkCalendar().add_workdays(d("2026-12-30"), 3)
    assert counted.day == d("2027-01-04")
    assert counted.sources == frozenset({OFFICIAL, WEEKDAYS})
    assert counted.missing_years == frozenset({2027})


def test_a_count_that_stays_in_2026_does_not_mention_2027() -> None:
    counted = WorkCalendar().add_workdays(d("2026-12-30"), 1)
    assert counted.day == d("2026-12-31")
    assert counted.missing_years == frozenset()
    assert counted.sources == frozenset({OFFICIAL})


def test_whole_count_inside_2027() -> None:
    counted = WorkCalendar().add_workdays(d("2027-03-05"), 10)  # Friday
    assert counted.day == d("2027-03-19")
    assert counted.sources == frozenset({WEEKDAYS})
    assert counted.missing_years == frozenset({2027})


def test_is_workday_in_2027_does_not_crash() -> None:
    calendar = WorkCalendar()
    assert calendar.is_workday(d("2027-01-01")) is True  # Friday, no data: a plain weekday
    assert calendar.is_workday(d("2027-01-02")) is False


def test_before_2004_falls_back_too() -> None:
    counted = WorkCalendar().add_workdays(d("2003-12-30"), 3)
    # Dec 31 2003 (weekdays), Jan 1 2004 is an official holiday, Jan 2 (Fri), Jan 5 (Mon).
    assert counted.day == d("2004-01-05")
    assert counted.sources == frozenset({OFFICIAL, WEEKDAYS})
    assert counted.missing_years == frozenset({2003})


# --- User calendar files ---------------------------------------------------------------------

USER_2027 = """\
# 2027 年放假安排（示例）
2027-01-01 休 元旦

2027-02-06 班 春节调休   # Saturday
2027-02-07 班
2027-02-10 休 春节
2027-02-11 假
2027-02-12 holiday
"""


def test_parse_calendar_file() -> None:
    years = parse_calendar_file(USER_2027.splitlines())
    assert years == {
        2027: YearDays(
            holidays=frozenset(
                {d("2027-01-01"), d("2027-02-10"), d("2027-02-11"), d("2027-02-12")}
            ),
            workdays=frozenset({d("2027-02-06"), d("2027-02-07")}),
        )
    }


def test_parse_calendar_file_accepts_all_words_any_case_and_newlines() -> None:
    lines = [
        "2028-01-03 OFF\n",
        "2028-01-04 Holiday\n",
        "2028-01-05 休\r\n",
        "2028-01-06 假\n",
        "2028-01-08 补班\n",
        "2028-01-09 Work\n",
        "2028-01-15 WORKDAY\n",
        "2028-01-16\u3000班\n",  # ideographic space between the fields
        "   \n",
        "#2028-01-20 休\n",
    ]
    assert parse_calendar_file(lines) == {
        2028: YearDays(
            holidays=frozenset(
                {d("2028-01-03"), d("2028-01-04"), d("2028-01-05"), d("2028-01-06")}
            ),
            workdays=frozenset(
                {d("2028-01-08"), d("2028-01-09"), d("2028-01-15"), d("2028-01-16")}
            ),
        )
    }


def test_parse_calendar_file_several_years_and_workday_only_year() -> None:
    years = parse_calendar_file(["2027-01-01 休", "2028-01-29 班"])
    assert years == {
        2027: YearDays(holidays=frozenset({d("2027-01-01")}), workdays=frozenset()),
        2028: YearDays(holidays=frozenset(), workdays=frozenset({d("2028-01-29")})),
    }


def test_parse_empty_or_comment_only_file() -> None:
    assert parse_calendar_file([]) == {}
    assert parse_calendar_file(["# nothing yet", "", "   "]) == {}


@pytest.mark.parametrize(
    ("lines", "line"),
    [
        (["2027-01-01"], 1),
        (["2027-01-01 休", "2027-02-30 班"], 2),
        (["# header", "", "2027-13-01 休"], 3),
        (["2027-01-01 maybe"], 1),
        (["元旦 2027-01-01 休"], 1),
        (["2027-01-01 休", "2027/01/02 休"], 2),
        (["2027-01-01 休", "休 2027-01-02"], 2),
        (["2027-01-01 # 休"], 1),
    ],
)
def test_bad_calendar_line_names_the_line(lines: list[str], line: int) -> None:
    with pytest.raises(BadInput) as caught:
        parse_calendar_file(lines)
    assert caught.value.key == "bad_calendar_line"
    assert caught.value.params == {"line": line}


def test_user_year_2027_is_used_across_new_year() -> None:
    calendar = WorkCalendar(user_years=parse_calendar_file(USER_2027.splitlines()))
    # Dec 31 (Thu), Jan 1 is the user's holiday, Jan 4 (Mon), Jan 5 (Tue).
    counted = calendar.add_workdays(d("2026-12-30"), 3)
    assert counted.day == d("2027-01-05")
    assert counted.sources == frozenset({OFFICIAL, USER})
    assert counted.missing_years == frozenset()


def test_user_year_2027_holidays_and_makeup_days() -> None:
    calendar = WorkCalendar(user_years=parse_calendar_file(USER_2027.splitlines()))
    assert calendar.is_workday(d("2027-01-01")) is False
    assert calendar.is_workday(d("2027-02-06")) is True  # Saturday make-up
    assert calendar.is_workday(d("2027-02-07")) is True  # Sunday make-up
    assert calendar.is_workday(d("2027-02-13")) is False  # plain Saturday
    assert calendar.is_workday(d("2027-02-09")) is True  # plain Tuesday
    # Friday Feb 5, Sat 6, Sun 7, Mon 8, Tue 9, (10-12 off), Mon 15.
    assert calendar.add_workdays(d("2027-02-04"), 5).day == d("2027-02-09")
    assert calendar.add_workdays(d("2027-02-04"), 6).day == d("2027-02-15")


def test_user_year_overrides_official_data_for_that_year() -> None:
    # The user says 2026 has only Oct 1 off: Oct 2 (Friday) then works, Oct 10 (Sat) does not.
    calendar = WorkCalendar(user_years=parse_calendar_file(["2026-10-01 休 国庆"]))
    assert calendar.is_workday(d("2026-10-02")) is True
    assert calendar.is_workday(d("2026-10-10")) is False
    counted = calendar.add_workdays(d("2026-09-29"), 5)
    # Sep 30, (Oct 1 off), Oct 2, Oct 5, Oct 6, Oct 7.
    assert counted.day == d("2026-10-07")
    assert counted.sources == frozenset({USER})
    # Other years keep the official data.
    assert calendar.is_workday(d("2025-10-01")) is False


# --- Properties ------------------------------------------------------------------------------


@SLOW_PROPERTY
@given(start=official_days, n=counts)
def test_result_is_a_workday_after_start_with_exactly_n_workdays(start: date, n: int) -> None:
    counted = WorkCalendar().add_workdays(start, n)
    assert counted.day > start
    assert reference_is_workday(counted.day)
    # Together with "the result is a working day", this makes it the n-th, not a later one.
    assert workdays_between(start, counted.day) == n


@SLOW_PROPERTY
@given(start=official_days, low=st.integers(0, 40), gap=st.integers(1, 20))
def test_add_workdays_is_strictly_monotonic_in_n(start: date, low: int, gap: int) -> None:
    calendar = WorkCalendar()
    assert calendar.add_workdays(start, low).day < calendar.add_workdays(start, low + gap).day


@PROPERTY
@given(start=any_days, a=st.integers(0, 40), b=st.integers(0, 40))
def test_add_workdays_composes(start: date, a: int, b: int) -> None:
    calendar = WorkCalendar()
    step = calendar.add_workdays(start, a).day
    assert calendar.add_workdays(step, b).day == calendar.add_workdays(start, a + b).day


@PROPERTY
@given(start=any_days, n=st.integers(min_value=1, max_value=400))
def test_monday_friday_calendar_matches_closed_form(start: date, n: int) -> None:
    counted = WorkCalendar(use_official=False).add_workdays(start, n)
    assert counted.day == mon_fri_add(start, n)
    assert counted.day.weekday() < 5
    assert counted.sources == frozenset({WEEKDAYS})
    first_counted = start + timedelta(days=1)
    assert counted.missing_years == frozenset(range(first_counted.year, counted.day.year + 1))


@PROPERTY
@given(start=official_days, n=st.integers(min_value=1, max_value=40))
def test_agrees_with_chinese_calendar_find_workday(start: date, n: int) -> None:
    # find_workday(k, day) takes the first working day on or after ``day`` as its 0th, so from a
    # working day it gives the k-th after it; from a rest day the first working day is already
    # the 1st "after" in our sense.
    k = n if chinese_calendar.is_workday(start) else n - 1
    try:
        expected = chinese_calendar.find_workday(k, start)
    except NotImplementedError:
        assume(False)  # stepped into a year the package has no data for
        raise
    counted = WorkCalendar().add_workdays(start, n)
    assert counted.day == expected
    assert counted.sources == frozenset({OFFICIAL})
    assert counted.missing_years == frozenset()


@PROPERTY
@given(start=st.dates(min_value=date(2026, 11, 1), max_value=date(2026, 12, 31)), n=counts)
def test_crossing_into_2027_reports_missing_year_exactly_when_it_happens(
    start: date, n: int
) -> None:
    counted = WorkCalendar().add_workdays(start, n)
    if counted.day.year == 2027:
        assert counted.missing_years == frozenset({2027})
        assert WEEKDAYS in counted.sources
    else:
        assert counted.missing_years == frozenset()
        assert counted.sources == frozenset({OFFICIAL})


days_2027 = st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31))


@SLOW_PROPERTY
@given(
    announced=st.dictionaries(days_2027, st.booleans(), max_size=40),
    start=st.dates(min_value=date(2026, 12, 20), max_value=date(2027, 8, 31)),
    n=counts,
)
def test_user_year_counting_follows_its_lists(
    announced: dict[date, bool], start: date, n: int
) -> None:
    holidays = frozenset(day for day, off in announced.items() if off)
    workdays = frozenset(day for day, off in announced.items() if not off)

    def user_is_workday(day: date) -> bool:
        if day.year != 2027:
            return reference_is_workday(day)
        if day in workdays:
            return True
        return day.weekday() < 5 and day not in holidays

    calendar = WorkCalendar(user_years={2027: YearDays(holidays, workdays)})
    counted = calendar.add_workdays(start, n)
    assert counted.day > start
    assert user_is_workday(counted.day)
    assert workdays_between(start, counted.day, user_is_workday) == n
    assert counted.missing_years == frozenset()


@PROPERTY
@given(
    announced=st.dictionaries(
        st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)), st.booleans()
    )
)
def test_calendar_file_round_trip(announced: dict[date, bool]) -> None:
    holidays = {day for day, off in announced.items() if off}
    workdays = {day for day, off in announced.items() if not off}
    lines = [f"{day.isoformat()} 休 节日 # note" for day in holidays]
    lines += [f"  {day.isoformat()}\t班" for day in workdays]
    years = parse_calendar_file(lines)
    assert set(years) == {day.year for day in holidays | workdays}
    for year, data in years.items():
        assert data.holidays == {day for day in holidays if day.year == year}
        assert data.workdays == {day for day in workdays if day.year == year}


def test_calendar_file_refuses_a_day_listed_twice() -> None:
    with pytest.raises(BadInput) as caught:
        parse_calendar_file(["2027-01-01 休", "2027-01-01 班"])
    assert caught.value.key == "calendar_duplicate"
    assert caught.value.params["line"] == 2


@pytest.mark.parametrize("line", ["20270101 休", "2027-W01-5 休", "2027-1-1 休"])
def test_calendar_file_wants_plain_iso_dates(line: str) -> None:
    with pytest.raises(BadInput):
        parse_calendar_file([line])


def test_calendar_file_full_width_digits() -> None:
    years = parse_calendar_file(["２０２７－０１－０１ 休"])
    assert date(2027, 1, 1) in years[2027].holidays
