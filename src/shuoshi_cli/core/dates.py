"""Reading the dates a clerk types.

Accepted: ``2026-11-30``, ``2026/11/30``, ``2026.11.30``, ``2026年11月30日``, ``11月30日`` (this
year), ``today``/``今天``, ``tomorrow``/``明天``, ``yesterday``/``昨天``, ``+7d``, ``+2w``, ``+1m``,
``+5wd``, ``7天``, ``2周``, ``1个月``, ``5个工作日``. Full-width digits are read as ASCII. Relative dates
count from ``today``, which the caller passes in: the core never reads the clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from shuoshi_cli.core.errors import BadDate
from shuoshi_cli.core.workdays import WorkCalendar

_ABSOLUTE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_RELATIVE = re.compile(r"^([+-]?)\s*(\d{1,4})\s*(wd|d|w|m|个工作日|工作日|天|周|个星期|星期|个月)$")
_NAMED = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
}
_UNITS = {
    "d": "d",
    "天": "d",
    "w": "w",
    "周": "w",
    "个星期": "w",
    "星期": "w",
    "m": "m",
    "个月": "m",
    "wd": "wd",
    "个工作日": "wd",
    "工作日": "wd",
}


@dataclass(frozen=True)
class ParsedDate:
    """A date and, when it was counted in working days, which calendars decided it."""

    day: date
    workdays: int | None = None
    sources: frozenset[str] = frozenset()
    missing_years: frozenset[int] = frozenset()


def parse_date(text: str, today: date, calendar: WorkCalendar | None = None) -> ParsedDate:
    """Read one date in any accepted form; raise BadDate (with the accepted forms) otherwise."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if cleaned in _NAMED:
        return ParsedDate(today + timedelta(days=_NAMED[cleaned]))
    if match := _ABSOLUTE.match(cleaned):
        return ParsedDate(_make(text, int(match[1]), int(match[2]), int(match[3])))
    if match := _MONTH_DAY.match(cleaned):
        return ParsedDate(_make(text, today.year, int(match[1]), int(match[2])))
    if match := _RELATIVE.match(cleaned):
        sign = -1 if match[1] == "-" else 1
        amount = int(match[2])
        unit = _UNITS[match[3]]
        if unit == "wd":
            if sign < 0:
                raise BadDate("bad_date", value=text)
            try:
                counted = (calendar or WorkCalendar()).add_workdays(today, amount)
            except OverflowError:
                raise BadDate("bad_date", value=text) from None
            return ParsedDate(counted.day, amount, counted.sources, counted.missing_years)
        try:
            if unit == "d":
                return ParsedDate(today + timedelta(days=sign * amount))
            if unit == "w":
                return ParsedDate(today + timedelta(weeks=sign * amount))
            from dateutil.relativedelta import relativedelta  # only months need it

            return ParsedDate(today + relativedelta(months=sign * amount))
        except (OverflowError, ValueError):
            raise BadDate("bad_date", value=text) from None
    raise BadDate("bad_date", value=text)


def _make(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate("no_such_date", value=text) from None


def parse_month(text: str) -> tuple[int, int]:
    """``2026-10``, ``2026/10``, ``2026年10月`` -> (2026, 10)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$", cleaned)
    if not match or not 1 <= int(match[2]) <= 12:
        raise BadDate("bad_month", value=text)
    return int(match[1]), int(match[2])
