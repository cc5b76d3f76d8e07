"""Months, scope and overdue (SPEC 4): pure functions of case facts and a day.

``--month`` means "as of the end of that month's last day" (or of today for the current month), so a
past month's answer never depends on when it is asked. In scope for a month: cases received in the
month up to D, plus cases received earlier and still open at the month's start (结转).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from shuoshi_cli.dates import parse_month
from shuoshi_cli.errors import BadDate
from shuoshi_cli.ledger import Case


@dataclass(frozen=True)
class Scope:
    """A month's window: from its first day to the day D the figures are taken at."""

    start: date
    as_of: date

    @property
    def carried_from(self) -> date:
        """The last day before the month: cases open then are carried over."""
        return self.start - timedelta(days=1)


def month_scope(month: str | None, as_of: date | None, today: date) -> Scope:
    """The scope for ``--month`` or ``--as-of``; with neither, the current month as of today."""
    if month is not None and as_of is not None:
        raise BadDate("month_and_as_of")
    if as_of is not None:
        if as_of > today:
            raise BadDate("future_date", value=as_of.isoformat())
        return Scope(as_of.replace(day=1), as_of)
    if month is None:
        return Scope(today.replace(day=1), today)
    year, number = parse_month(month)
    start = date(year, number, 1)
    if start > today:
        raise BadDate("future_month", value=month)
    end = date(year, number, calendar.monthrange(year, number)[1])
    return Scope(start, min(end, today))


def in_scope(at_end: Case | None, at_carry: Case | None, scope: Scope) -> bool:
    """Whether a case counts in the month: received in it by D, or still open when it began."""
    if at_end is None:
        return False
    if scope.start <= at_end.received_on <= scope.as_of:
        return True
    return at_carry is not None and at_carry.is_open


def is_overdue(case: Case, day: date) -> bool:
    """Not closed by the end of ``day`` and its deadline passed before ``day``."""
    return case.is_open and case.deadline is not None and case.deadline < day


def days_overdue(case: Case, day: date) -> int:
    return (day - case.deadline).days if case.deadline is not None and is_overdue(case, day) else 0


def closed_late(case: Case) -> bool:
    """Closed after its deadline (超期办结)."""
    return (
        not case.is_open
        and case.deadline is not None
        and case.closed_on is not None
        and case.closed_on > case.deadline
    )
