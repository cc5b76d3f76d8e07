"""The sweeps count in SQL; the workbook and the rules count in Python. They must agree exactly."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from shuoshi_cli.core import rules
from shuoshi_cli.core.case import LedgerInfo, to_text
from shuoshi_cli.core.codes import Channel, Level, Outcome, Satisfaction
from shuoshi_cli.core.dates import ParsedDate
from shuoshi_cli.core.errors import ShuoshiError
from shuoshi_cli.core.figures import scoped_cases, tally_of
from shuoshi_cli.core.history import replay
from shuoshi_cli.core.lateness import closed_late, is_overdue
from shuoshi_cli.core.periods import month_scope, parse_period, range_scope
from shuoshi_cli.core.rules import NewCase
from shuoshi_cli.store import migrations, timeline
from shuoshi_cli.store.read import history_of, month_tally, states_at
from shuoshi_cli.store.sweep import cases_work, overdue_work
from shuoshi_cli.store.write import create_ledger, open_ledger

TODAY = date(2026, 12, 20)
START = date(2026, 8, 20)
ACTIONS = [
    "assign", "close", "reopen", "feedback", "escalate", "plan", "supervise", "note",
    "edit", "void", "restore", "correct",
]  # fmt: skip

step = st.tuples(
    st.integers(0, 14),  # which case
    st.integers(0, 9) | st.integers(20, 45),  # days later (or weeks: a reopening next month)
    st.sampled_from([*ACTIONS, "close", "reopen", "assign"]),  # reopenings and moves more often
    st.integers(0, 30),  # deadline offset / choice
)


def _apply(book, case_id: int, action: str, on: date, n: int) -> None:  # type: ignore[no-untyped-def]
    due = ParsedDate(on + timedelta(days=n % 12 - 3))
    if action == "assign":
        book.change(
            case_id,
            lambda c: rules.assign(c, f"干部{n % 3}", due, on=on, today=TODAY),
            on=on,
            user="t",
        )
    elif action == "close":
        outcome = Outcome.EXPLAINED if n % 4 == 0 else Outcome.RESOLVED
        book.change(
            case_id, lambda c: rules.close(c, outcome, "结果", on=on, today=TODAY), on=on, user="t"
        )
    elif action == "reopen":
        book.change(case_id, lambda c: rules.reopen(c, "再办", on=on, today=TODAY), on=on, user="t")
    elif action == "feedback":
        answer = [None, *Satisfaction][n % 4]
        book.change(
            case_id, lambda c: rules.feedback(c, answer, on=on, today=TODAY), on=on, user="t"
        )
    elif action == "escalate":
        book.change(
            case_id,
            lambda c: rules.escalate(
                c,
                Level.COUNTY if c.level != Level.VILLAGE else Level.TOWNSHIP,
                "上报",
                None,
                None,
                on=on,
                today=TODAY,
            ),
            on=on,
            user="t",
        )
    elif action == "plan":
        book.change(
            case_id, lambda c: rules.plan(c, f"计划{n}", due, on=on, today=TODAY), on=on, user="t"
        )
    elif action == "supervise":
        book.supervise(
            case_id,
            lambda c: rules.supervise(
                c, f"督{n}", ParsedDate(on + timedelta(days=n % 5)), on=on, today=TODAY
            ),
            on=on,
            user="t",
        )
    elif action == "edit":  # a correction: from the case's start, whatever day it is made
        given = rules.Edit(
            channel=list(Channel)[n % 6],
            category=["甲", "乙", "丙"][n % 3],
            received_on=on - timedelta(days=n % 9) if n % 2 else None,
        )
        book.edit(case_id, given, "更正", today=on, user="t")
    elif action == "void":
        book.void(case_id, "重复", None, today=on, user="t")
    elif action == "restore":
        book.change(case_id, lambda c: rules.restore(c, "误作废"), on=on, user="t")
    elif action == "correct":
        answer = list(Satisfaction)[n % 3]
        book.change(
            case_id,
            lambda c: rules.feedback(c, answer, on=on, today=TODAY, correct="回访更正"),
            on=on,
            user="t",
        )
    else:
        book.change(case_id, lambda c: rules.note(c, "进展", on=on, today=TODAY), on=on, user="t")


def _timeline_is_the_replayed_history(connection: sqlite3.Connection) -> None:
    """The timeline kept write by write is the one rebuilt from the whole history, and its row
    valid on any day holds what replaying the history to that day gives."""
    rows = timeline.stored(connection.execute)
    assert rows == timeline.computed(connection.execute)
    # Migration m008's frozen builder builds the same rows (corrections, voids, moved deadlines
    # and reopenings included), so an upgraded file counts as a new one.
    frozen: list[tuple[object, ...]] = []
    grouped: dict[int, list[tuple[str, str, str | None]]] = {}
    for case_id, effective, field, new in connection.execute(
        "SELECT case_id, effective, field, new FROM history ORDER BY seq"
    ):
        grouped.setdefault(case_id, []).append((effective, field, new))
    for case_id in sorted(grouped):
        frozen += migrations._m008_spans(case_id, grouped[case_id])
    assert frozen == rows
    entries = history_of(connection)
    uids = dict(connection.execute("SELECT id, uid FROM cases"))
    for day in (START + timedelta(days=n) for n in range(0, (TODAY - START).days + 1)):
        iso = day.isoformat()
        valid = [r for r in rows if r[1] <= iso < r[2]]
        assert len({r[0] for r in valid}) == len(valid)  # one row per case and day at most
        at_day = {r[0]: r for r in valid}
        for case_id, uid in uids.items():
            state = replay(case_id, uid, entries[case_id], day)
            if state is None:
                assert case_id not in at_day, (case_id, iso)
                continue
            fields = tuple(
                timeline.VOID if f == "status" and state.is_void else to_text(getattr(state, f))
                for f in timeline.FIELDS
            )
            assert at_day[case_id][3 : 3 + len(fields)] == fields, (case_id, iso)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(  # due 08-22, missed, moved on 08-25 to 09-01, closed late 09-03, reopened 10-03
    received=[0, 1],
    steps=[
        (0, 0, "assign", 5), (0, 5, "assign", 10), (0, 9, "close", 1), (0, 30, "reopen", 0),
        (1, 3, "close", 1), (1, 9, "reopen", 0),
    ],
    channels=[Channel.TALK] * 15,
    ranged=(10, 40),
)  # fmt: skip
@given(
    received=st.lists(st.integers(0, 110), min_size=1, max_size=15),
    steps=st.lists(step, max_size=40),
    channels=st.lists(st.sampled_from(list(Channel)), min_size=15, max_size=15),
    ranged=st.tuples(st.integers(0, 120), st.integers(0, 120)),
)
def test_sql_month_counts_equal_the_python_replay(
    received: list[int],
    steps: list[tuple[int, int, str, int]],
    channels: list[Channel],
    ranged: tuple[int, int],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "村.db"
        create_ledger(path, LedgerInfo("村", "镇", "县"))
        with open_ledger(path, write=True) as book:
            days = sorted(START + timedelta(days=r) for r in received)
            for i, day in enumerate(days):
                due = ParsedDate(day + timedelta(days=i % 7)) if i % 3 else None
                draft = NewCase(
                    title=f"事项{i}",
                    received_on=day,
                    channel=channels[i],
                    category=["甲", "乙"][i % 2],
                    due=due,
                )
                book.add(draft, today=TODAY, user="t")
            clock = {i + 1: d for i, d in enumerate(days)}
            for which, later, action, n in steps:
                case_id = which % len(days) + 1
                on = min(clock[case_id] + timedelta(days=later), TODAY)
                try:
                    _apply(book, case_id, action, on, n)
                    clock[case_id] = on
                except ShuoshiError:
                    pass
        connection = sqlite3.connect(path)
        seen: dict[str, set[int]] = {"reopened": set(), "moved_after_miss": set()}
        try:
            _timeline_is_the_replayed_history(connection)
            first, last = sorted(START + timedelta(days=n) for n in ranged)
            periods = [
                *(month_scope(m, None, TODAY) for m in ("2026-08", "2026-09", "2026-10")),
                *(month_scope(m, None, TODAY) for m in ("2026-11", "2026-12")),
                parse_period("2026-Q3", TODAY),
                parse_period("2026-Q4", TODAY),
                range_scope(first, last, TODAY),  # any range of days, a random one
            ]
            for scope in periods:
                month = scope.name
                days = [
                    scope.carried_from + timedelta(days=n)
                    for n in range((scope.as_of - scope.carried_from).days + 1)
                ]
                states = states_at(connection, days)
                at_carry, at_end = states[0], states[-1]
                # Open at the end of some day of the month up to D, or reopened in it (also when
                # closed again the same day): reopened in it counts.
                opened = {i for state in states for i, case in state.items() if case.is_open}
                opened |= {
                    e.case_id
                    for found in history_of(connection).values()
                    for e in found
                    if e.field == "status"
                    and (e.old, e.new) == ("closed", "open")
                    and scope.start <= e.effective <= scope.as_of
                }
                items = scoped_cases("村", "镇", at_end, at_carry, scope, opened)
                seen["reopened"] |= {
                    i.case.id
                    for i in items
                    if i.carried and not (at_carry.get(i.case.id) and at_carry[i.case.id].is_open)
                }
                seen["moved_after_miss"] |= {
                    i.case.id
                    for i in items
                    if i.case.missed_on is not None
                    and i.case.is_open
                    and i.case.deadline != i.case.missed_on
                }
                python = tally_of(items, scope.as_of)
                sql = month_tally(connection, scope, None)
                assert sum(sql.values(), type(python)()) == python, month
                for by in ("channel", "category", "level", "owner"):
                    groups = month_tally(connection, scope, by)
                    for key, tally in groups.items():
                        mine = [
                            i
                            for i in items
                            if (
                                getattr(i.case, by).value
                                if hasattr(getattr(i.case, by), "value")
                                else getattr(i.case, by)
                            )
                            == key
                        ]
                        assert tally == tally_of(mine, scope.as_of), (month, by, key)
                # The full cases a workbook shows are the replayed ones, field for field.
                from shuoshi_cli.core.case import LedgerInfo as Info

                info = Info("村", "镇", "县")
                shown = cases_work(scope, connection, info)
                # (a report's cases leave a rule's bookkeeping, last_change_on, unset)
                replayed = [(replace(i.case, last_change_on=None), i.carried) for i in items]
                assert [(s.case, s.carried) for s in shown] == replayed
                late_or_overdue = {o.case.id for o in overdue_work(scope, connection, info)}
                expected = {
                    i.case.id
                    for i in items
                    if is_overdue(i.case, scope.as_of)
                    or (
                        closed_late(i.case)
                        and i.case.closed_on is not None
                        and i.case.closed_on >= scope.start
                    )
                }
                assert late_or_overdue == expected, month
        finally:
            connection.close()
        # The histories do reach the cases SPEC 4's scope and lateness rules are about.
        for name, found in seen.items():
            event(f"{name}: {bool(found)}")


_DAYS = st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31))


@settings(max_examples=400, deadline=None)
@given(
    closed=st.booleans(),
    deadline=st.none() | _DAYS,
    missed_on=st.none() | _DAYS,
    closed_on=_DAYS,
    day=_DAYS,
    lapsed_on=st.none() | _DAYS,
)
def test_the_sql_conditions_are_the_figures_rules(
    closed: bool,
    deadline: date | None,
    missed_on: date | None,
    closed_on: date,
    day: date,
    lapsed_on: date | None,
) -> None:
    """OVERDUE_SQL and CLOSED_LATE_SQL (what the sweeps count and list by) say exactly what
    figures.is_overdue and figures.closed_late say, for any state and day; days overdue and days
    late are the figures' own."""
    from shuoshi_cli.core.case import Case
    from shuoshi_cli.core.codes import Status
    from shuoshi_cli.core.lateness import days_late, days_overdue

    # A deadline is settled as missed on a later day than its own, on or before the day the case
    # is read at (and before its closing day once closed).
    assume(missed_on is None or missed_on < (closed_on if closed else day))
    # A lapsed deadline is one before the stretch's first day (a reopening keeping it).
    assume(lapsed_on is None or (deadline is not None and deadline < lapsed_on))
    from shuoshi_cli.store.read import CLOSED_LATE_SQL, OVERDUE_SQL

    case = Case(
        id=1,
        uid="u",
        status=Status.CLOSED if closed else Status.OPEN,
        deadline=deadline,
        closed_on=closed_on if closed else None,
        received_on=date(2026, 9, 1),
        missed_on=missed_on,
        lapsed_on=lapsed_on,
    )
    row = {
        "status": case.status.value,
        "deadline": to_text(case.deadline),
        "closed_on": to_text(case.closed_on),
        "missed_on": to_text(case.missed_on),
        "lapsed_on": to_text(case.lapsed_on),
        "d": day.isoformat(),
    }
    memory = sqlite3.connect(":memory:")
    overdue, late = memory.execute(
        f"SELECT {OVERDUE_SQL}, {CLOSED_LATE_SQL} FROM "
        "(SELECT :status AS status, :deadline AS deadline, :closed_on AS closed_on, "
        ":missed_on AS missed_on, :lapsed_on AS lapsed_on)",
        row,
    ).fetchone()
    memory.close()
    assert bool(overdue) == is_overdue(case, day)
    assert bool(late) == closed_late(case)
    assert (days_overdue(case, day) > 0) == is_overdue(case, day)
    assert (days_late(case) > 0) == closed_late(case)
