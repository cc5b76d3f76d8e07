"""Which cases ``list`` shows, and in what order: open cases first, the most pressing on top.

The clerk's everyday question is "what do I still have to do, and what is late": open cases come
first, earliest deadline first (a case with no deadline last), then closed cases, the most
recently closed first.
"""

from __future__ import annotations

from datetime import date

from shuoshi_cli.core.case import Case
from shuoshi_cli.core.errors import BadInput
from shuoshi_cli.core.figures import is_overdue

# What a clerk may type for --status, in either language.
STATUS_WORDS = {
    "open": "open",
    "在办": "open",
    "未办结": "open",
    "closed": "closed",
    "已办结": "closed",
    "办结": "closed",
    "overdue": "overdue",
    "超期": "overdue",
    "all": "all",
    "全部": "all",
}
STATUS_CHOICES = [("open", "在办"), ("closed", "已办结"), ("overdue", "超期"), ("all", "全部")]


def wanted_status(text: str) -> str:
    """The status filter a clerk asked for (open, closed, overdue or all)."""
    wanted = STATUS_WORDS.get(text.strip().lower())
    if wanted is None:
        raise BadInput("bad_choice", field="status", value=text, choices=STATUS_CHOICES)
    return wanted


def select(
    cases: list[Case],
    status: str,
    day: date,
    owner: str | None = None,
    category: str | None = None,
) -> list[Case]:
    """The cases matching the filters (``status`` from ``wanted_status``; overdue as of ``day``),
    in list order."""
    if status == "overdue":
        chosen = [c for c in cases if is_overdue(c, day)]
    elif status != "all":
        chosen = [c for c in cases if c.status.value == status]
    else:
        chosen = list(cases)
    if owner is not None:
        chosen = [c for c in chosen if c.owner == owner.strip()]
    if category is not None:
        chosen = [c for c in chosen if c.category == category.strip()]
    return sorted(chosen, key=order)


def order(case: Case) -> tuple[int, int, int]:
    """Open cases first, earliest deadline first (none last); then the latest closed first."""
    if case.is_open:
        return (0, (case.deadline or date.max).toordinal(), case.id)
    return (1, -(case.closed_on or date.min).toordinal(), case.id)
