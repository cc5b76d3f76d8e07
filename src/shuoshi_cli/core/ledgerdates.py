"""Dates as ledgers write them: deadlines counted from the row's own receipt, years from the sheet.

A deadline cell says ``7天``, ``15日内``, ``3个工作日``, ``一个月``, ``立行立改``, ``10月20日前``,
``11月底前``, ``2026年11月`` or ``年底前``: each counts from the day that row was received, never from
the day of the import (official working days for ``工作日``). Text that is no date
(``2027年汛期前``) is not turned into one: the caller keeps it as text. A date written without a
year (``12月28日`` on the sheet ``2025年12月``) takes the year the sheet or its title names, and
otherwise the nearest past day; the caller says which year it assumed.
"""

from __future__ import annotations

import calendar as monthdays
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from shuoshi_cli.core.dates import ParsedDate, chinese_number, parse_date
from shuoshi_cli.core.errors import BadDate
from shuoshi_cli.core.workdays import WorkCalendar

_N = r"(\d+|[零〇一二两三四五六七八九十百]+)"
_SAME_DAY = frozenset(
    {"当日", "当天", "立行立改", "即时", "立即", "马上", "即办", "当场", "即时办结"}
)
_DAYS = re.compile(rf"^{_N}\s*(?:个)?(?:自然)?(天|日)(?:内|以内|之内)?(?:办结|完成)?$")
_WORKDAYS = re.compile(rf"^{_N}\s*(?:个)?工作日(?:内|以内|之内)?(?:办结|完成)?$")
_WEEKS = re.compile(rf"^{_N}\s*(?:个)?(?:周|星期|礼拜)(?:内|以内|之内)?$")
_MONTHS = re.compile(rf"^{_N}\s*(?:个)?月(?:内|以内|之内)?$")
_MONTH_END = re.compile(
    r"^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(底|末|内|份|中旬|上旬|下旬)?(?:前|以前|之前)?$"
)
_YEAR_END = re.compile(r"^(?:(\d{4})\s*年|今年|本年|年)(?:底|末|内)?(?:前|以前|之前)?$")
_BEFORE = re.compile(r"(?:前|以前|之前)$")
_CLOCK = re.compile(r"^(.*?\d)[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


@dataclass(frozen=True)
class Deadline:
    """A deadline read from a cell: the day (None when the text is no date) and how it was read."""

    day: date | None
    workdays: int | None = None
    sources: frozenset[str] = frozenset()
    relative: bool = False  # counted from the received date

    def parsed(self) -> ParsedDate | None:
        if self.day is None:
            return None
        return ParsedDate(self.day, self.workdays, self.sources)


def drop_clock(text: str) -> str:
    """``2026-09-02 08:41:17`` -> ``2026-09-02``: a ledger date is a day."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _CLOCK.match(cleaned)
    return match[1] if match else cleaned


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text) if len(text) <= 4 else None
    return chinese_number(text)


def month_end(year: int, month: int) -> date:
    return date(year, month, monthdays.monthrange(year, month)[1])


def _near_year(received: date, month: int, day_of_month: int | None) -> int:
    """The year a year-less deadline falls in: the first such day on or after the received date
    (SPEC 3, as ``--due 11月30日`` does), so ``1月底`` for a row received in November is next
    January's, and a year-less deadline is never before its receipt."""
    for year in (received.year, received.year + 1):
        day = day_of_month or monthdays.monthrange(year, month)[1]
        try:
            if date(year, month, day) >= received:
                return year
        except ValueError:  # 2月29日 in a common year: try the next
            continue
    return received.year + 1


def read_deadline(
    text: str,
    received: date,
    calendar: WorkCalendar | None = None,
    *,
    unit: str | None = None,
) -> Deadline:
    """Read a deadline cell counted from ``received``; ``unit`` is ``d`` or ``wd`` when the
    heading says the column counts days (``完成时限（天）``) so a bare number is a count.

    Raises BadDate for an impossible date (13月); returns ``Deadline(None)`` for free text.
    """
    cleaned = drop_clock(text).replace(" ", "")
    if cleaned in _SAME_DAY:
        return Deadline(received, relative=True)
    if unit and (amount := _count(cleaned)) is not None:
        return _in_days(received, amount, unit, calendar)
    if match := _WORKDAYS.match(cleaned):
        if (amount := _count(match[1])) is not None:
            return _in_days(received, amount, "wd", calendar)
    if match := _DAYS.match(cleaned):
        if (amount := _count(match[1])) is not None:
            return _in_days(received, amount, "d", calendar)
    if match := _WEEKS.match(cleaned):
        if (amount := _count(match[1])) is not None:
            return _in_days(received, 7 * amount, "d", calendar)
    if match := _MONTHS.match(cleaned):
        if (amount := _count(match[1])) is not None:
            from dateutil.relativedelta import relativedelta

            return Deadline(received + relativedelta(months=amount), relative=True)
    if match := _MONTH_END.match(cleaned):
        month = int(match[2])
        if not 1 <= month <= 12:
            raise BadDate("no_such_date", value=text)
        part = match[3] or ""
        day = {"上旬": 10, "中旬": 20}.get(part)
        year = int(match[1]) if match[1] else _near_year(received, month, day)
        return Deadline(date(year, month, day) if day else month_end(year, month), relative=True)
    if match := _YEAR_END.match(cleaned):
        year = int(match[1]) if match[1] else received.year
        return Deadline(date(year, 12, 31), relative=True)
    plain = _BEFORE.sub("", cleaned)
    try:
        parsed = parse_date(plain, received, calendar, meaning="deadline", received=received)
    except BadDate as error:
        if error.key == "no_such_date":
            raise
        return Deadline(None)
    if re.match(r"^\d{4}", unicodedata.normalize("NFKC", plain)) or parsed.workdays is not None:
        return Deadline(parsed.day, parsed.workdays, parsed.sources, parsed.workdays is not None)
    if re.search(r"[年月日号/.]", plain):  # a day without a year: this year's unless passed
        day_of = parsed.day
        year = _near_year(received, day_of.month, day_of.day)
        try:
            return Deadline(date(year, day_of.month, day_of.day), relative=True)
        except ValueError:
            return Deadline(day_of, relative=True)
    return Deadline(parsed.day, relative=True)


def _in_days(received: date, amount: int, unit: str, calendar: WorkCalendar | None) -> Deadline:
    if unit == "wd":
        counted = (calendar or WorkCalendar()).add_workdays(received, amount)
        return Deadline(counted.day, amount, counted.sources, relative=True)
    return Deadline(received + timedelta(days=amount), relative=True)


def year_less(text: str) -> tuple[int, int] | None:
    """(month, day) of a date written without a year (``10月5日``, ``9.8``, ``12/28``), else None."""
    cleaned = drop_clock(text).replace(" ", "")
    match = re.match(r"^(\d{1,2})(?:月(\d{1,2})[日号]?|[./](\d{1,2}))$", cleaned)
    if not match:
        return None
    return int(match[1]), int(match[2] or match[3])


def happened_day(
    text: str, today: date, *, year: int | None = None, after: date | None = None
) -> tuple[date, int | None]:
    """A day something happened (received, closed, told), and the year assumed when the text
    had none (else None). A year-less date takes ``year`` (from the sheet), else the first such
    day on or after ``after`` (a closing after its receipt), else the nearest past day."""
    cleaned = drop_clock(text)
    parts = year_less(cleaned)
    if parts is None:
        return parse_date(cleaned, today, meaning="happened").day, None
    month, day_of = parts
    try:
        if after is not None:
            chosen = date(after.year, month, day_of)
            if chosen < after:
                chosen = date(after.year + 1, month, day_of)
        elif year is not None:
            chosen = date(year, month, day_of)
        else:
            chosen = parse_date(f"{month}月{day_of}日", today, meaning="happened").day
    except ValueError:
        raise BadDate("no_such_date", value=text) from None
    return chosen, chosen.year
