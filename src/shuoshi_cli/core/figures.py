"""Months, scope and overdue (SPEC 4): pure functions of case facts and a day.

``--month`` means "as of the end of that month's last day" (or of today for the current month), so a
past month's answer never depends on when it is asked. In scope for a month: cases received in the
month up to D, plus cases received earlier that were open at any moment of it up to D (结转: open
when it began, or reopened during it); void cases never.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from shuoshi_cli.core.case import Case
from shuoshi_cli.core.codes import Level, Outcome, Satisfaction
from shuoshi_cli.core.lateness import closed_late, days_late, days_overdue, is_overdue
from shuoshi_cli.core.periods import Scope


def in_scope(
    at_end: Case | None, at_carry: Case | None, scope: Scope, reopened: bool = False
) -> bool:
    """Whether a case counts in the month: received in it by D, or received earlier and open at
    some moment of it up to D: open when it began (at the end of the day before, ``at_carry``) or
    ``reopened`` (open at the end of a day of the month up to D, or reopened in it, also when
    closed again the same day). Never when void at D."""
    if at_end is None or at_end.is_void:
        return False
    if scope.start <= at_end.received_on <= scope.as_of:
        return True
    if at_end.received_on > scope.as_of:
        return False
    return (at_carry is not None and at_carry.is_open) or reopened


# ---------------------------------------------------------------- the month's figures


@dataclass(frozen=True)
class ScopedCase:
    """A case in a month's scope, as it stood at D, with where it comes from."""

    village: str
    township: str
    case: Case
    carried: bool  # received before the month and open at some moment of it (结转)
    county: str = ""


def scoped_cases(
    village: str,
    township: str,
    at_end: dict[int, Case],
    at_carry: dict[int, Case],
    scope: Scope,
    reopened: Container[int] = (),
) -> list[ScopedCase]:
    """The cases of one ledger in the month's scope, in id order; ``reopened``: the ids of the
    cases open at the end of some day of the month up to D (see ``in_scope``)."""
    return [
        ScopedCase(village, township, case, case.received_on < scope.start)
        for case_id, case in sorted(at_end.items())
        if in_scope(case, at_carry.get(case_id), scope, case_id in reopened)
    ]


@dataclass(frozen=True)
class Share:
    count: int
    share: float | None


@dataclass(frozen=True)
class Figures:
    """SPEC 4's figures over a set of in-scope cases; rates are fractions, None without a base."""

    total: int
    closed: int
    open: int
    overdue: int
    closed_late: int
    escalated: int
    supervised: int
    carried_over: int
    received: int
    feedback: int
    answered: int
    satisfied: int
    ontime: int
    closeout_rate: float | None
    feedback_rate: float | None
    satisfaction_rate: float | None
    ontime_rate: float | None
    avg_days_to_close: float | None
    outcomes: dict[str, Share]
    # A village's, a township's or the total's; None for a group of cases (category, owner …).
    sessions: int | None = None
    raised_at_sessions: int | None = None


OUTCOME_KEYS = ("resolved", "planned_or_open", "explained")


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Tally:
    """The additive counts behind the figures: tallies of two sets of cases add up.

    The sweeps count in SQL, the workbook in Python; both produce a Tally and the rates follow from
    it in one place (``figures_of``).
    """

    total: int = 0
    closed: int = 0
    overdue: int = 0
    closed_late: int = 0
    escalated: int = 0
    supervised: int = 0
    carried_over: int = 0
    feedback: int = 0
    answered: int = 0
    satisfied: int = 0
    ontime: int = 0
    days_to_close: int = 0  # summed over closed cases
    resolved: int = 0
    explained: int = 0
    # Talk sessions held in the period and the matters raised at them: counts of a village, not
    # of its cases (``session_tally`` in store/read.py), so only places carry them.
    sessions: int = 0
    raised_at_sessions: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(getattr(self, f) + getattr(other, f) for f in TALLY_FIELDS))


TALLY_FIELDS = tuple(Tally.__dataclass_fields__)


def tally_of(items: list[ScopedCase], as_of: date) -> Tally:
    """Count ``items`` (each case as it stood at the end of ``as_of``)."""
    cases = [i.case for i in items]
    closed = [c for c in cases if not c.is_open]
    return Tally(
        total=len(cases),
        closed=len(closed),
        overdue=sum(1 for c in cases if is_overdue(c, as_of)),
        closed_late=sum(1 for c in closed if closed_late(c)),
        escalated=sum(1 for c in cases if c.level != Level.VILLAGE),
        supervised=sum(1 for c in cases if c.supervisions),
        carried_over=sum(1 for i in items if i.carried),
        feedback=sum(1 for c in closed if c.feedback_on is not None),
        answered=sum(1 for c in cases if c.satisfaction is not None),
        satisfied=sum(
            1 for c in cases if c.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASIC)
        ),
        ontime=sum(1 for c in closed if not closed_late(c)),
        days_to_close=sum((c.closed_on - c.received_on).days for c in closed if c.closed_on),
        resolved=sum(1 for c in closed if c.outcome == Outcome.RESOLVED),
        explained=sum(1 for c in closed if c.outcome == Outcome.EXPLAINED),
    )


def figures_of(t: Tally) -> Figures:
    """SPEC 4's figures from the counts: every rate with its own denominator, None without one."""
    planned_or_open = t.total - t.resolved - t.explained
    counts = {"resolved": t.resolved, "planned_or_open": planned_or_open, "explained": t.explained}
    return Figures(
        total=t.total,
        closed=t.closed,
        open=t.total - t.closed,
        overdue=t.overdue,
        closed_late=t.closed_late,
        escalated=t.escalated,
        supervised=t.supervised,
        carried_over=t.carried_over,
        received=t.total - t.carried_over,
        feedback=t.feedback,
        answered=t.answered,
        satisfied=t.satisfied,
        ontime=t.ontime,
        closeout_rate=_rate(t.closed, t.total),
        feedback_rate=_rate(t.feedback, t.closed),
        satisfaction_rate=_rate(t.satisfied, t.answered),
        ontime_rate=_rate(t.ontime, t.closed),
        avg_days_to_close=t.days_to_close / t.closed if t.closed else None,
        outcomes={k: Share(counts[k], _rate(counts[k], t.total)) for k in OUTCOME_KEYS},
        sessions=t.sessions,
        raised_at_sessions=t.raised_at_sessions,
    )


def compute(items: list[ScopedCase], as_of: date) -> Figures:
    """The figures of SPEC 4 over ``items`` (each case as it stood at the end of ``as_of``)."""
    return figures_of(tally_of(items, as_of))


GROUPINGS = ("village", "township", "category", "channel", "owner", "level")
DEFAULT_MIN_CASES = 5


@dataclass(frozen=True)
class Group:
    key: str | None
    figures: Figures
    rank: int | None  # None: too few cases to rank


@dataclass(frozen=True)
class MonthReport:
    """The month as one value: the table, ``--json`` and the workbook all render this."""

    scope: Scope
    total: Figures
    groups: tuple[Group, ...] = ()
    by: str | None = None
    min_cases: int = DEFAULT_MIN_CASES


# A village is county + township + village: two 新村 in two townships are two villages.
Place = tuple[str, str, str]
# What a group is counted under: a place (``--by village``), (county, township), a place + owner
# (``--by owner``), or the plain value (category, channel code, level code; None when unset).
GroupId = str | tuple[str | None, ...] | None


def place_names(places: Iterable[Place]) -> dict[Place, str]:
    """How each village is named in a report: its plain name when no other village read has it,
    else ``township/village`` (``county/township/village`` when the township's name is shared too)."""
    found = set(places)
    names = Counter(village for _, _, village in found)
    in_towns = Counter((township, village) for _, township, village in found)
    named: dict[Place, str] = {}
    for place in found:
        county, township, village = place
        if names[village] == 1:
            named[place] = village
        elif in_towns[township, village] == 1:
            named[place] = f"{township}/{village}"
        else:
            named[place] = f"{county}/{township}/{village}"
    return named


def group_names(
    keys: Iterable[GroupId], by: str | None, places: Iterable[Place] = ()
) -> dict[GroupId, str | None]:
    """The key each group is shown and written under (SPEC 3).

    A village as ``place_names`` says; a township by its name (``county/township`` when two
    counties have one of that name); an owner as ``village/owner`` (village named as in
    ``--by village``, owner empty when unset: ``石境村/``), or the plain owner when only one village
    is read, so one ledger's report keeps its owners' plain names.
    """
    ids = list(keys)
    if by == "village":
        villages = place_names([*places, *(_place(k) for k in ids)])
        return {k: villages[_place(k)] for k in ids}
    if by == "township":
        towns = Counter(t[1] for t in {_tuple(k)[:2] for k in ids})
        return {k: _town_name(_tuple(k), towns) for k in ids}
    if by == "owner":
        villages = place_names([*places, *(_place(k) for k in ids)])
        if len(villages) <= 1:
            return {k: _tuple(k)[3] for k in ids}
        return {k: f"{villages[_place(k)]}/{_tuple(k)[3] or ''}" for k in ids}
    return {k: k if k is None or isinstance(k, str) else "/".join(map(str, k)) for k in ids}


def _tuple(key: GroupId) -> tuple[str | None, ...]:
    assert isinstance(key, tuple), key
    return key


def _place(key: GroupId) -> Place:
    county, township, village = _tuple(key)[:3]
    return (county or "", township or "", village or "")


def _town_name(key: tuple[str | None, ...], towns: Counter[str | None]) -> str:
    county, township = key[0] or "", key[1] or ""
    return township if towns[township] == 1 else f"{county}/{township}"


def group_key(item: ScopedCase, by: str) -> GroupId:
    place = (item.county, item.township, item.village)
    if by == "village":
        return place
    if by == "township":
        return place[:2]
    value = getattr(item.case, by)
    if by == "owner":
        return (*place, value)
    return value.value if isinstance(value, StrEnum) else value  # type: ignore[no-any-return]


def month_report(
    items: list[ScopedCase],
    scope: Scope,
    by: str | None = None,
    min_cases: int = DEFAULT_MIN_CASES,
    places: Iterable[Place] = (),
) -> MonthReport:
    """Figures for the whole set of cases and, with ``by``, per group (see ``report_of``)."""
    tallies: dict[GroupId, Tally] = {}
    for item in items:
        key = group_key(item, by) if by is not None else None
        tallies[key] = tallies.get(key, Tally()) + tally_of([item], scope.as_of)
    return report_of(tallies, scope, by, min_cases, places)


def report_of(
    tallies: dict[GroupId, Tally],
    scope: Scope,
    by: str | None = None,
    min_cases: int = DEFAULT_MIN_CASES,
    places: Iterable[Place] = (),
    sessions: Mapping[Place, Tally] | None = None,
) -> MonthReport:
    """The report from per-group tallies, ranked by close-out rate.

    ``sessions`` holds each village's talk sessions (SPEC 4): they count in the total, a
    village's and a township's figures; a group of cases (category, owner …) has none (None).

    Every village in ``places`` (the ledgers read) is a group of ``--by village``, with total 0
    when nothing of it is in scope: a village with no case and a ledger not handed in must not
    look alike. A group with fewer than ``min_cases`` cases is listed but not ranked
    (docs/domain.md, "Rankings need N": a village with one case must not top the table).
    """
    held = sessions or {}
    total = sum(tallies.values(), Tally()) + sum(held.values(), Tally())
    if by is None:
        return MonthReport(scope, figures_of(total), (), None, min_cases)
    read = list(places)
    counted = dict(tallies)
    if by == "village":
        for place in read:
            counted.setdefault(place, Tally())
    if by in ("village", "township"):
        for place, tally in held.items():
            key: GroupId = place if by == "village" else place[:2]
            counted[key] = counted.get(key, Tally()) + tally
    named: dict[str | None, Tally] = {}
    for key, name in group_names(counted, by, read).items():
        named[name] = named.get(name, Tally()) + counted[key]
    figures = {key: figures_of(t) for key, t in named.items()}
    if by not in ("village", "township"):
        figures = {
            k: replace(f, sessions=None, raised_at_sessions=None) for k, f in figures.items()
        }
    rankable = sorted(
        (k for k, f in figures.items() if f.total >= min_cases),
        key=lambda k: (
            -(figures[k].closeout_rate or 0.0),
            -(figures[k].ontime_rate or 0.0),
            -figures[k].total,
            k or "",
        ),
    )
    rest = sorted((k for k, f in figures.items() if f.total < min_cases), key=lambda k: k or "")
    groups = [Group(k, figures[k], n) for n, k in enumerate(rankable, start=1)]
    groups += [Group(k, figures[k], None) for k in rest]
    return MonthReport(scope, figures_of(total), tuple(groups), by, min_cases)


@dataclass(frozen=True)
class OverdueItem:
    village: str
    case: Case
    days: int


@dataclass(frozen=True)
class OverdueReport:
    """Cases overdue at D (most overdue first) and the month's cases closed late."""

    scope: Scope
    cases: tuple[OverdueItem, ...]
    closed_late: tuple[OverdueItem, ...]


def report_place(item: OverdueItem, day: date) -> tuple[bool, tuple[Any, ...]]:
    """Which list of the report an item belongs to (True: overdue at ``day``; False: closed late)
    and its place there: longest overdue first; closed late by closing day; then village, id."""
    case = item.case
    if is_overdue(case, day):
        return True, (-item.days, item.village, case.id)
    return False, (case.closed_on or day, item.village, case.id)


def overdue_report_of(scope: Scope, items: Iterable[OverdueItem]) -> OverdueReport:
    """The report from the items found (overdue at D, or closed late in the month), in order."""
    placed = sorted(((report_place(i, scope.as_of), i) for i in items), key=lambda p: p[0])
    overdue = tuple(item for (is_late, _), item in placed if is_late)
    late = tuple(item for (is_late, _), item in placed if not is_late)
    return OverdueReport(scope, overdue, late)


def overdue_item(village: str, case: Case, scope: Scope) -> OverdueItem | None:
    """The case as an item of the month's overdue report: overdue at D (with its days overdue),
    closed late within the month (with its days late), or None."""
    day = scope.as_of
    if is_overdue(case, day):
        return OverdueItem(village, case, days_overdue(case, day))
    if closed_late(case) and case.closed_on is not None and case.closed_on >= scope.start:
        return OverdueItem(village, case, days_late(case))
    return None


def overdue_report(items: list[ScopedCase], scope: Scope) -> OverdueReport:
    """The report from a month's scoped cases (the workbook's 督办清单)."""
    found = (overdue_item(i.village, i.case, scope) for i in items)
    return overdue_report_of(scope, (item for item in found if item is not None))
