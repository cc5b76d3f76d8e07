"""The period a report is asked for (SPEC 4): a month, a quarter, a year or any range of days.

Every period is a window from its first day to the day D its figures are taken at: the end of its
last day, or today while it runs (or the moment asked with ``--known-by``). The scope rule, the
figures and the sweeps' SQL only ever read ``start`` and ``as_of``, so a quarter is counted exactly
as a month is, and never by adding months together (a case carried through three months is one
case of the quarter, not three).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta

from shuoshi_cli.core.errors import BadDate

QUARTER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Scope:
    """A period's window: from its first day to the day D the figures are taken at.

    ``kind`` is month, quarter, year or range and ``name`` the period as typed back in its plain
    form (``2026-10``, ``2026-Q4``, ``2026``, ``2026-10-01..2026-11-15``); ``end`` is its last day
    as named, which D reaches once the period is over."""

    start: date
    as_of: date
    kind: str = "month"
    name: str = ""
    end: date | None = None

    @property
    def carried_from(self) -> date:
        """The last day before the period: cases open then are carried over."""
        return self.start - timedelta(days=1)

    @property
    def last_day(self) -> date:
        return self.end or self.as_of

    def months(self) -> list[Scope]:
        """The period month by month (``stats --trend``), each month its own scope clipped to the
        period: figures of the month as of its own last day (or D)."""
        found = []
        first = self.start
        while first <= self.as_of:
            last = _month_end(first.year, first.month)
            found.append(
                Scope(
                    first,
                    min(last, self.as_of),
                    "month",
                    f"{first.year}-{first.month:02d}",
                    last,
                )
            )
            first = last + timedelta(days=1)
        return found

    def at(self, day: date) -> Scope:
        """The same period as it stood at the end of ``day`` (``--known-by``)."""
        return replace(self, as_of=min(self.as_of, day))

    def label(self, lang: str) -> str:
        """The period in words, for titles: 2026年10月, 2026年第四季度, 2026年, or its two days."""
        s = self.start
        if self.kind == "month":
            return f"{s.year}年{s.month}月" if lang == "zh" else f"{s.year}-{s.month:02d}"
        if self.kind == "quarter":
            q = (s.month - 1) // 3 + 1
            return f"{s.year}年第{'一二三四'[q - 1]}季度" if lang == "zh" else f"{s.year} Q{q}"
        if self.kind == "year":
            return f"{s.year}年" if lang == "zh" else str(s.year)
        last = self.last_day
        if lang == "zh":
            return f"{s.year}年{s.month}月{s.day}日至{last.year}年{last.month}月{last.day}日"
        return f"{s.isoformat()} to {last.isoformat()}"

    def slug(self) -> str:
        """The period in a file name: 2026-10, 2026-Q4, 2026, 2026-10-01至2026-11-15."""
        return self.name.replace("..", "至")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _window(start: date, end: date, kind: str, name: str, today: date, text: str) -> Scope:
    """A named period, as of the end of its last day or of today while it runs."""
    if start > today:
        raise BadDate("future_period" if kind != "month" else "future_month", value=text)
    return Scope(start, min(end, today), kind, name, end)


def month_scope(month: str | None, as_of: date | None, today: date) -> Scope:
    """The scope for ``--month`` or ``--as-of``; with neither, the current month as of today."""
    if month is not None and as_of is not None:
        raise BadDate("month_and_as_of")
    if as_of is not None:
        if as_of > today:
            raise BadDate("future_day", value=as_of.isoformat())
        return Scope(
            as_of.replace(day=1),
            as_of,
            "month",
            f"{as_of.year}-{as_of.month:02d}",
            _month_end(as_of.year, as_of.month),
        )
    if month is None:
        return month_scope(None, today, today)
    from shuoshi_cli.core.dates import parse_month

    year, number = parse_month(month)
    if year < 1:
        raise BadDate("bad_month", value=month)
    return _window(
        date(year, number, 1),
        _month_end(year, number),
        "month",
        f"{year}-{number:02d}",
        today,
        month,
    )


def parse_period(text: str, today: date) -> Scope:
    """``--period``: ``2026-Q4`` (also ``2026Q4``, ``2026年第四季度``, ``2026年4季度``), ``2026``
    (``2026年``) or a month (``2026-10``)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().upper()
    quarter = re.fullmatch(r"(\d{4})\s*(?:-?Q([1-4])|年?第?([一二三四1-4])季度?)", cleaned)
    if quarter:
        year, q = int(quarter[1]), QUARTER_WORDS[quarter[2] or quarter[3]]
        if year < 1:
            raise BadDate("bad_period", value=text)
        first = date(year, 3 * q - 2, 1)
        return _window(first, _month_end(year, 3 * q), "quarter", f"{year}-Q{q}", today, text)
    whole = re.fullmatch(r"(\d{4})\s*年?", cleaned)
    if whole:
        year = int(whole[1])
        if year < 1:
            raise BadDate("bad_period", value=text)
        return _window(date(year, 1, 1), date(year, 12, 31), "year", str(year), today, text)
    try:
        return month_scope(text, None, today)
    except BadDate as error:
        if error.key == "bad_month":
            raise BadDate("bad_period", value=text) from None
        raise


def range_scope(start: date, end: date | None, today: date) -> Scope:
    """``--from DATE --to DATE`` (``--to`` defaults to today): every day of the range."""
    last = today if end is None else end
    if last > today:
        raise BadDate("future_day", value=last.isoformat())
    if start > last:
        raise BadDate("range_backwards", start=start.isoformat(), end=last.isoformat())
    return Scope(start, last, "range", f"{start.isoformat()}..{last.isoformat()}", last)


def period_scope(
    *,
    today: date,
    month: str | None = None,
    as_of: date | None = None,
    period: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Scope:
    """The one period a report's options name; naming two ways at once is refused, as is
    ``--to`` without ``--from``. With none: the current month as of today."""
    named = [month is not None, as_of is not None, period is not None, start is not None]
    if sum(named) > 1:
        raise BadDate("period_options")
    if end is not None and start is None:
        raise BadDate("to_without_from")
    if period is not None:
        return parse_period(period, today)
    if start is not None:
        return range_scope(start, end, today)
    return month_scope(month, as_of, today)
