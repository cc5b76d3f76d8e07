"""Lateness (SPEC 4): when a case is overdue, when it was closed late, and by how many days.

The one home of these rules: the figures count with them, lists and screens mark cases with them,
and the sweeps' SQL conditions (store/read.py ``OVERDUE_SQL``, ``CLOSED_LATE_SQL``) are
property-tested against them (tests/test_sql_figures.py). A deadline is a date: a case is due by
the end of that day and overdue from the next. A void case is never late.
"""

from __future__ import annotations

from datetime import date

from shuoshi_cli.core.case import Case


def is_overdue(case: Case, day: date) -> bool:
    """Not closed by the end of ``day`` and its deadline passed before ``day``."""
    return case.is_open and not case.is_void and case.deadline is not None and case.deadline < day


def days_overdue(case: Case, day: date) -> int:
    return (day - case.deadline).days if case.deadline is not None and is_overdue(case, day) else 0


def closed_late(case: Case) -> bool:
    """Closed after its deadline (超期办结)."""
    return (
        not case.is_open
        and not case.is_void
        and case.deadline is not None
        and case.closed_on is not None
        and case.closed_on > case.deadline
    )


def days_late(case: Case) -> int:
    """How many days after its deadline a case closed late was closed (0 if not late)."""
    if case.closed_on is None or case.deadline is None or not closed_late(case):
        return 0
    return (case.closed_on - case.deadline).days
