"""Working days (工作日) on the official calendar.

A working day is Monday-Friday unless it is a statutory holiday, plus the weekend days that the State
Council turns into make-up workdays (调休补班). ``chinesecalendar`` carries the official data; it covers
only the years it was released with and raises ``NotImplementedError`` beyond them. A user can supply a
year's announced holidays in a small text file (see ``parse_calendar_file``); that data wins over the
package's. For a year nobody has data for we count Monday-Friday and say so, never crash.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from shuoshi_cli.core.errors import BadInput

OFFICIAL = "official"
USER = "user"
WEEKDAYS = "weekdays"


@dataclass(frozen=True)
class YearDays:
    """One year's exceptions to Monday-Friday, as announced."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Counted:
    """A date reached by counting working days, and which calendars were used to get there."""

    day: date
    sources: frozenset[str]
    missing_years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class WorkCalendar:
    """The official calendar, overridden year by year by user-supplied data."""

    user_years: dict[int, YearDays] = field(default_factory=dict)
    use_official: bool = True

    def source(self, year: int) -> str:
        """Which calendar decides days in ``year``."""
        if year in self.user_years:
            return USER
        if self.use_official and _official_covers(year):
            return OFFICIAL
        return WEEKDAYS

    def is_workday(self, day: date) -> bool:
        source = self.source(day.year)
        if source == USER:
            data = self.user_years[day.year]
            if day in data.workdays:
                return True
            return day.weekday() < 5 and day not in data.holidays
        if source == OFFICIAL:
            import chinese_calendar

            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def add_workdays(self, start: date, count: int) -> Counted:
        """The ``count``-th working day after ``start`` (start itself not counted)."""
        if count < 0:
            raise BadInput("bad_workday_count", value=count)
        day = start
        sources: set[str] = set()
        missing: set[int] = set()
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            src = self.source(day.year)
            sources.add(src)
            if src == WEEKDAYS:
                missing.add(day.year)
            if self.is_workday(day):
                remaining -= 1
        return Counted(day, frozenset(sources), frozenset(missing))


_COVERAGE: dict[int, bool] = {}


def _official_covers(year: int) -> bool:
    """Whether chinesecalendar has data for ``year`` (it raises NotImplementedError otherwise)."""
    if year not in _COVERAGE:
        import chinese_calendar

        try:
            chinese_calendar.is_workday(date(year, 1, 1))
            _COVERAGE[year] = True
        except NotImplementedError:
            _COVERAGE[year] = False
    return _COVERAGE[year]


_HOLIDAY_WORDS = {"休", "假", "holiday", "off"}
_WORKDAY_WORDS = {"班", "补班", "workday", "work"}


def parse_calendar_file(lines: Iterable[str]) -> dict[int, YearDays]:
    """Read a user's holiday file: one ``YYYY-MM-DD 休|班 [name]`` per line, ``#`` starts a comment.

    A year that appears in the file is taken as fully described by it: days not listed follow
    Monday-Friday. Raises BadInput naming the line for anything it cannot read.
    """
    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    for number, raw in enumerate(lines, start=1):
        text = unicodedata.normalize("NFKC", raw).split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split()
        if len(parts) < 2:
            raise BadInput("bad_calendar_line", line=number)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", parts[0]):
            raise BadInput("bad_calendar_line", line=number)
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            raise BadInput("bad_calendar_line", line=number) from None
        word = parts[1].lower()
        if day in holidays.get(day.year, set()) | workdays.get(day.year, set()):
            raise BadInput("calendar_duplicate", line=number, day=day.isoformat())
        if word in _HOLIDAY_WORDS:
            holidays.setdefault(day.year, set()).add(day)
            workdays.setdefault(day.year, set())
        elif word in _WORKDAY_WORDS:
            workdays.setdefault(day.year, set()).add(day)
            holidays.setdefault(day.year, set())
        else:
            raise BadInput("bad_calendar_line", line=number)
    return {
        year: YearDays(frozenset(holidays[year]), frozenset(workdays[year])) for year in holidays
    }
