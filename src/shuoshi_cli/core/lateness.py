"""Lateness (SPEC 4): when a case is overdue, when it was closed late, and by how many days.

The one home of these rules: the figures count with them, lists and screens mark cases with them,
and the sweeps' SQL conditions (store/read.py ``OVERDUE_SQL``, ``CLOSED_LATE_SQL``) are
property-tested against them (tests/test_sql_figures.py). A deadline is a date: a case is due by
the end of that day and misses it if still open then with that deadline in force. Lateness sticks
for the current open stretch (from receipt or the last reopening): a deadline moved after it was
missed does not undo the miss (``Case.missed_on``, derived by core/history.py); a deadline moved
before it was missed is simply the deadline. A deadline that had already passed when the case was
reopened cannot be missed in the new stretch (``Case.lapsed_on``): the case is not late on it until
it is given a new one. A void case is never late.
"""

from __future__ import annotations

from datetime import date

from shuoshi_cli.core.case import Case


def first_missed(case: Case, day: date) -> date | None:
    """The first deadline the case missed in its current (or, closed, its last) open stretch,
    judged at the end of ``day`` on the case as it stood then: one missed and since moved or
    closed on (``missed_on``), else the deadline in force if it is before ``day`` while the case
    is open, or before its closing day once closed."""
    if case.is_void:
        return None
    if case.missed_on is not None:
        return case.missed_on
    if case.deadline is None or case.lapsed_on is not None:
        return None  # no deadline, or one that passed before this stretch began (a reopening)
    if case.is_open:
        return case.deadline if case.deadline < day else None
    if case.closed_on is not None and case.closed_on > case.deadline:
        return case.deadline
    return None


def is_overdue(case: Case, day: date) -> bool:
    """Open at the end of ``day``, having missed a deadline on a day before it (this stretch)."""
    return case.is_open and first_missed(case, day) is not None


def days_overdue(case: Case, day: date) -> int:
    """``day`` − the first deadline missed in the current stretch (0 if not overdue)."""
    missed = first_missed(case, day) if case.is_open else None
    return (day - missed).days if missed is not None else 0


def closed_late(case: Case) -> bool:
    """Closed after missing a deadline in its last open stretch (超期办结)."""
    return not case.is_open and first_missed(case, date.max) is not None


def days_late(case: Case) -> int:
    """closed_on − the first deadline missed in that stretch (0 if not closed late)."""
    missed = first_missed(case, date.max) if not case.is_open else None
    if case.closed_on is None or missed is None:
        return 0
    return (case.closed_on - missed).days
