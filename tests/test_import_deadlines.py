"""Properties of the deadlines a ledger writes in words (core/ledgerdates.py, issue 12 point 1).

Every relative deadline counts from the row's own received date, never from the day of the import:
``N天``/``N日内`` and a bare number under ``完成时限（天）`` are received + N days; ``N个工作日`` is the
Nth working day after received on the official calendar (core/workdays.py); ``当日``/``立行立改``
the day received; ``N个月`` the same day N months on; ``M月底前`` and ``M月D日前`` the first such day
on or after received; ``年底前`` the 31 December of the year received. A deadline written without a
year is never before its receipt; only a text naming the year (``2026年10月底``) can be, and the
import then refuses that row as the clerk command would.
"""

from __future__ import annotations

import calendar as monthdays
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shuoshi_cli.core.ledgerdates import read_deadline
from shuoshi_cli.core.workdays import WorkCalendar

CALENDAR = WorkCalendar()
# The years the official calendar has data for, and a year either side of today's tests.
received_days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 6, 30))
counts = st.integers(min_value=1, max_value=60)
FAST = settings(max_examples=120, deadline=None)


@FAST
@given(received_days, counts, st.sampled_from(["{n}天", "{n}日内", "{n}天内", "{n}日"]))
def test_days_count_from_the_row(received: date, n: int, form: str) -> None:
    found = read_deadline(form.format(n=n), received, CALENDAR)
    assert found.day == received + timedelta(days=n)
    assert found.relative


@FAST
@given(received_days, counts)
def test_bare_number_under_a_days_heading(received: date, n: int) -> None:
    assert read_deadline(str(n), received, CALENDAR, unit="d").day == received + timedelta(days=n)


@FAST
@given(received_days, st.integers(min_value=1, max_value=30))
def test_working_days_are_the_nth_working_day_after(received: date, n: int) -> None:
    found = read_deadline(f"{n}个工作日", received, CALENDAR)
    assert found.day is not None and found.day > received
    assert CALENDAR.is_workday(found.day)
    between = [received + timedelta(days=k) for k in range(1, (found.day - received).days + 1)]
    assert sum(CALENDAR.is_workday(day) for day in between) == n
    assert found.day == CALENDAR.add_workdays(received, n).day


@FAST
@given(received_days, st.sampled_from(["当日", "当天", "立行立改"]))
def test_same_day(received: date, word: str) -> None:
    assert read_deadline(word, received, CALENDAR).day == received


@FAST
@given(
    received_days, st.integers(min_value=1, max_value=12), st.sampled_from(["底前", "底", "底以前"])
)
def test_month_end_is_the_first_on_or_after_received(received: date, month: int, tail: str) -> None:
    found = read_deadline(f"{month}月{tail}", received, CALENDAR)
    day = found.day
    assert day is not None
    assert day.month == month and day.day == monthdays.monthrange(day.year, month)[1]
    assert received <= day < received + timedelta(days=366)


@FAST
@given(
    received_days, st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=28)
)
def test_a_day_without_year_is_never_before_receipt(received: date, month: int, day: int) -> None:
    found = read_deadline(f"{month}月{day}日前", received, CALENDAR)
    assert found.day is not None
    assert (found.day.month, found.day.day) == (month, day)
    assert received <= found.day < received + timedelta(days=366)


@FAST
@given(received_days)
def test_year_end(received: date) -> None:
    assert read_deadline("年底前", received, CALENDAR).day == date(received.year, 12, 31)


@FAST
@given(received_days, st.integers(min_value=1, max_value=12))
def test_months_from_the_row(received: date, n: int) -> None:
    day = read_deadline(f"{n}个月", received, CALENDAR).day
    assert day is not None and day > received
    assert (day.year - received.year) * 12 + day.month - received.month == n
    assert day.day == min(received.day, monthdays.monthrange(day.year, day.month)[1])


def test_an_explicit_year_is_taken_as_written() -> None:
    received = date(2026, 11, 5)
    assert read_deadline("2026年10月底", received, CALENDAR).day == date(2026, 10, 31)
    assert read_deadline("2027年2月", received, CALENDAR).day == date(2027, 2, 28)
    assert read_deadline("2027年汛期前", received, CALENDAR).day is None
