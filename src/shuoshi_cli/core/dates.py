"""Reading the dates a clerk types.

Accepted: ``2026-11-30``, ``2026/11/30``, ``2026.11.30``, ``2026年11月30日``; without a year
``11月30日``, ``12/3``, ``12.3``; named days ``today``/``今天``, ``tomorrow``/``明天``, ``后天``,
``yesterday``/``昨天``, ``前天``; weekdays ``下周五``, ``本周一``, ``上周三``, ``周五``; offsets ``+7d``, ``+2w``,
``+1m``, ``+5wd``, ``7天``, ``2周``, ``1个月``, ``5个工作日``, also in Chinese numerals (``五个工作日``,
``十五天``). Full-width digits are read as ASCII. Relative dates count from ``today``, which the
caller passes in: the core never reads the clock.

A date without a year means the nearest such day that makes sense, so the caller says what the
date is for (``meaning``): something that happened is the latest such day not after today; a
deadline the first one on or after the case's received date (so ``1月5日`` typed on 31 December is
next year's); otherwise simply the one nearest today. Each is looked for within one year, so
``2月29日`` outside a leap year's reach is no such day. A weekday without a week (``周五``) is
chosen the same way within a week; ``下周五`` is Friday of next week (weeks start on Monday).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

from shuoshi_cli.core.errors import BadDate
from shuoshi_cli.core.workdays import WorkCalendar

Meaning = Literal["nearest", "happened", "deadline"]

_NUMBER = r"\d+|[零〇一二两三四五六七八九十百千]+"
_ABSOLUTE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[/.]\s*(\d{1,2}))$")
_RELATIVE = re.compile(
    rf"^([+-]?)\s*({_NUMBER})\s*(wd|d|w|m|个工作日|工作日|天|周|个星期|星期|个礼拜|礼拜|个月)$"
)
_WEEKDAY = re.compile(r"^(上个?|下个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天1-7])$")
_NAMED = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "大后天": 3,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "大前天": -3,
}
_UNITS = {
    "d": "d",
    "天": "d",
    "w": "w",
    "周": "w",
    "个星期": "w",
    "星期": "w",
    "个礼拜": "w",
    "礼拜": "w",
    "m": "m",
    "个月": "m",
    "wd": "wd",
    "个工作日": "wd",
    "工作日": "wd",
}
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_POWERS = {"十": 10, "百": 100, "千": 1000}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEK_SHIFT = {"上": -1, "上个": -1, "下": 1, "下个": 1, "这": 0, "这个": 0, "本": 0}

# More than this many days, weeks, months or working days is not a date anyone means: "too far",
# said as such rather than "cannot read".
MAX_AMOUNT = 9999


@dataclass(frozen=True)
class ParsedDate:
    """A date and, when it was counted in working days, which calendars decided it."""

    day: date
    workdays: int | None = None
    sources: frozenset[str] = frozenset()
    missing_years: frozenset[int] = frozenset()


def parse_date(
    text: str,
    today: date,
    calendar: WorkCalendar | None = None,
    *,
    meaning: Meaning = "nearest",
    received: date | None = None,
) -> ParsedDate:
    """Read one date in any accepted form; raise BadDate (with the accepted forms) otherwise.

    ``meaning`` and ``received`` only matter for a date typed without a year (module docstring);
    a deadline's year is counted from ``received`` (default ``today``).
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if cleaned in _NAMED:
        return ParsedDate(_shift(text, today, _NAMED[cleaned]))
    if match := _ABSOLUTE.match(cleaned):
        return ParsedDate(_make(text, int(match[1]), int(match[2]), int(match[3])))
    if match := _MONTH_DAY.match(cleaned):
        month, day = int(match[1]), int(match[2] or match[3])
        return ParsedDate(_year_less(text, month, day, today, meaning, received or today))
    if match := _WEEKDAY.match(cleaned):
        index = _WEEKDAYS[match[2]] if match[2] in _WEEKDAYS else int(match[2]) - 1
        if match[1] is None:  # 周五: the nearest Friday that makes sense, like a year-less date
            return ParsedDate(_weekday(text, index, today, meaning, received or today))
        monday = today - timedelta(days=today.weekday())
        return ParsedDate(_shift(text, monday, 7 * _WEEK_SHIFT[match[1]] + index))
    if match := _RELATIVE.match(cleaned):
        return _relative(text, match, today, calendar)
    raise BadDate("bad_date", value=text)


def _relative(
    text: str, match: re.Match[str], today: date, calendar: WorkCalendar | None
) -> ParsedDate:
    sign = -1 if match[1] == "-" else 1
    amount = _amount(text, match[2])
    unit = _UNITS[match[3]]
    if unit == "wd":
        if sign < 0:
            raise BadDate("bad_date", value=text)
        try:
            counted = (calendar or WorkCalendar()).add_workdays(today, amount)
        except OverflowError:
            raise BadDate("date_too_far", value=text) from None
        return ParsedDate(counted.day, amount, counted.sources, counted.missing_years)
    if unit == "d":
        return ParsedDate(_shift(text, today, sign * amount))
    if unit == "w":
        return ParsedDate(_shift(text, today, 7 * sign * amount))
    from dateutil.relativedelta import relativedelta  # only months need it

    try:
        return ParsedDate(today + relativedelta(months=sign * amount))
    except (OverflowError, ValueError):
        raise BadDate("date_too_far", value=text) from None


def _amount(text: str, written: str) -> int:
    """A count in digits or Chinese numerals; more than MAX_AMOUNT is too far."""
    if written.isdigit():
        if len(written.lstrip("0")) > len(str(MAX_AMOUNT)):
            raise BadDate("date_too_far", value=text)
        amount: int | None = int(written)
    else:
        amount = chinese_number(written)
    if amount is None:
        raise BadDate("bad_date", value=text)
    if amount > MAX_AMOUNT:
        raise BadDate("date_too_far", value=text)
    return amount


def chinese_number(text: str) -> int | None:
    """``五`` 5, ``十五`` 15, ``二十`` 20, ``一百零五`` 105, ``两千`` 2000; None if not a number."""
    if text and not text.strip("零〇"):
        return 0
    total, digit, last_power = 0, None, 10_000
    for char in text:
        if char in "零〇":
            if digit is not None:
                return None
        elif char in _DIGITS:
            if digit is not None:
                return None  # two digits in a row: 五五
            digit = _DIGITS[char]
        elif char in _POWERS:
            power = _POWERS[char]
            if power >= last_power:
                return None  # 十十, 十百
            total += (1 if digit is None else digit) * power
            digit, last_power = None, power
        else:
            return None
    if digit is not None:
        total += digit
    return total if total else None


def _shift(text: str, start: date, days: int) -> date:
    try:
        return start + timedelta(days=days)
    except OverflowError:
        raise BadDate("date_too_far", value=text) from None


def _make(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise BadDate("no_such_date", value=text) from None


def _year_less(
    text: str, month: int, day: int, today: date, meaning: Meaning, received: date
) -> date:
    """The day ``month``/``day`` means, looked for within a year (module docstring)."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise BadDate("no_such_date", value=text)
    anchor = received if meaning == "deadline" else today
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, month, day))
        except (ValueError, OverflowError):
            continue
    year_ago = _before(anchor)
    if meaning == "happened":
        fitting = [c for c in candidates if year_ago < c <= anchor]
        found = max(fitting, default=None)
    elif meaning == "deadline":
        fitting = [c for c in candidates if anchor <= c < _after(anchor)]
        found = min(fitting, default=None)
    else:
        fitting = [c for c in candidates if year_ago < c < _after(anchor)]
        found = min(fitting, key=lambda c: (abs((c - anchor).days), c), default=None)
    if found is None:
        raise BadDate("no_such_date", value=text)
    return found


def _weekday(text: str, index: int, today: date, meaning: Meaning, received: date) -> date:
    """A weekday without a week (周五): as for a year-less date, within a week."""
    if meaning == "happened":
        return _shift(text, today, -((today.weekday() - index) % 7))
    if meaning == "deadline":
        return _shift(text, received, (index - received.weekday()) % 7)
    ahead = (index - today.weekday()) % 7
    return _shift(text, today, ahead if ahead <= 3 else ahead - 7)


def _before(day: date) -> date:
    """The same day a year earlier (28 February for the 29th)."""
    try:
        return date(day.year - 1, day.month, min(day.day, 28 if day.month == 2 else day.day))
    except ValueError:
        return date.min


def _after(day: date) -> date:
    """The same day a year later (1 March after a 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 3, 1) if day.year < date.max.year else date.max


def parse_month(text: str) -> tuple[int, int]:
    """``2026-10``, ``2026/10``, ``2026年10月`` -> (2026, 10)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$", cleaned)
    if not match or not 1 <= int(match[2]) <= 12:
        raise BadDate("bad_month", value=text)
    return int(match[1]), int(match[2])


_TIME = re.compile(
    r"^(?P<day>.+?)[\sT]+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?$"
)


def parse_moment(text: str, today: date, zone: tzinfo) -> datetime:
    """``--known-by``: a moment, ``2026-11-02 18:00`` (also ``T``, seconds, an offset), or a day
    (any form ``parse_date`` reads, counted as something that happened) meaning its end, the last
    second of it. A time without an offset is in ``zone``, the computer's."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    timed = _TIME.match(cleaned)
    if timed is None:
        day = parse_date(cleaned, today, meaning="happened").day
        return datetime.combine(day, time(23, 59, 59), tzinfo=zone)
    day = parse_date(timed["day"], today, meaning="happened").day
    try:
        at = time(int(timed["h"]), int(timed["m"]), int(timed["s"] or 0))
    except ValueError:
        raise BadDate("bad_moment", value=text) from None
    if timed["zone"] is None:
        return datetime.combine(day, at, tzinfo=zone)
    offset = timed["zone"].replace(":", "")
    if offset == "Z":
        return datetime.combine(day, at, tzinfo=UTC)
    sign = 1 if offset[0] == "+" else -1
    shift = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
    return datetime.combine(day, at, tzinfo=timezone(sign * shift))
