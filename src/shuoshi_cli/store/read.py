"""Reading cases out of a ledger with plain ``sqlite3``, fast enough for county-wide sweeps.

Which cases a month counts, and how, comes from the ``timeline`` table (store/timeline.py): each
case's state at day D is one row found by index ranges. Cases in full come from the ``cases`` table,
which holds each case as it stands now: a case with no history entry dated after D stood at the end
of D exactly as it stands now, so only cases changed after D are replayed from their history
(core/history.py).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from enum import Enum
from functools import cache
from typing import Any

from shuoshi_cli.core.case import (
    FIELD_TYPES,
    NOTE,
    STATELESS,
    Case,
    SessionInfo,
    Supervision,
)
from shuoshi_cli.core.codes import CORRECTION
from shuoshi_cli.core.history import HistoryEntry, replay
from shuoshi_cli.store import timeline

# The ``cases`` table has one column per field of core.case.Case that history replays, plus the
# case's id and uid; rows are mapped to Case by these names, never by position.
CASE_COLUMNS = ("id", "uid", *FIELD_TYPES)
_SELECT_CASES = ", ".join(CASE_COLUMNS)
# History entries that changed a case's state: its last change is the last of these (a note
# never holds back a later, back-dated event).
_STATEFUL = "field NOT IN ({}) AND field NOT LIKE '{}%'".format(
    ", ".join(f"'{name}'" for name in STATELESS), CORRECTION
)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _lookup(enum: type[Enum]) -> Callable[[Any], Any]:
    """Stored codes to their enum members by plain lookup (a county's overdue list converts
    tens of thousands)."""
    members: dict[Any, Any] = {member.value: member for member in enum}
    members[None] = None
    return members.__getitem__


def _converter(kind: Any) -> Callable[[Any], Any]:
    """How a stored column value becomes a Case field value (the cases table stores dates as ISO
    text, enums as their codes, booleans as 0/1)."""
    if kind is date:
        return _day
    if kind is bool:
        return bool
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _lookup(kind)
    return _same


def _same(value: Any) -> Any:
    return value


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "id": _same,
    "uid": _same,
    **{name: _converter(kind) for name, kind in FIELD_TYPES.items()},
}


Plan = list[tuple[str, int, Callable[[Any], Any]]]  # (field, where in the row, converter)


def row_plan(cursor: sqlite3.Cursor) -> tuple[Plan, dict[str, int]]:
    """Where each Case field sits in a query's rows, found once by column name (a county's
    overdue list maps tens of thousands of rows), and where every column sits."""
    where = {column[0]: n for n, column in enumerate(cursor.description)}
    return [(name, where[name], _CONVERT[name]) for name in CASE_COLUMNS], where


def case_from_row(
    row: Sequence[Any],
    plan: Plan,
    letters: tuple[Supervision, ...],
    last: date | None,
    missed_on: date | None = None,
    lapsed_on: date | None = None,
) -> Case:
    """A Case from a row of the cases table, each field taken from its column by name
    (``missed_on`` and ``lapsed_on``, derived, from the case's timeline row)."""
    values = {name: convert(row[n]) for name, n, convert in plan}
    return Case(
        **values,
        supervisions=letters,
        last_change_on=last,
        missed_on=missed_on,
        lapsed_on=lapsed_on,
    )


# A case's first missed deadline and lapsed deadline as it stands now (Case.missed_on,
# Case.lapsed_on): its last timeline row's, for the few cases that have either.
_MISSED_NOW = (
    f"SELECT case_id, missed_on, lapsed_on FROM timeline WHERE until = '{timeline.OPEN_END}' "
    "AND (missed_on IS NOT NULL OR lapsed_on IS NOT NULL)"
)


def stored(value: Any) -> Any:
    """A field value as the cases table stores it: enum codes, 0/1, ISO dates (the inverse of
    ``case_from_row``'s converters)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def case_row(case: Case) -> dict[str, Any]:
    """The cases table's row for a case, by column name."""
    return {name: stored(getattr(case, name)) for name in CASE_COLUMNS}


def named_rows(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    """A query's rows as dicts keyed by column name."""
    names = [column[0] for column in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


# A supervision row's columns in Supervision's field order (reply_on and reply since schema 6).
_LETTER_COLUMNS = "sent_on, letter, deadline, previous_deadline, reply_on, reply"


def _letter(
    sent_on: str,
    letter: str,
    deadline: str | None,
    previous: str | None,
    reply_on: str | None,
    reply: str | None,
) -> Supervision:
    return Supervision(
        date.fromisoformat(sent_on), letter, _day(deadline), _day(previous), _day(reply_on), reply
    )


def supervisions_of(connection: sqlite3.Connection) -> dict[int, tuple[Supervision, ...]]:
    letters: dict[int, list[Supervision]] = defaultdict(list)
    rows = connection.execute(
        f"SELECT case_id, {_LETTER_COLUMNS} FROM supervisions ORDER BY sent_on, id"
    )
    for case_id, *columns in rows:
        letters[case_id].append(_letter(*columns))
    return {k: tuple(v) for k, v in letters.items()}


def letters_at(letters: Sequence[Supervision], day: date) -> tuple[Supervision, ...]:
    """A case's letters as they stood at the end of ``day``: sent by then, replies given by then."""
    return tuple(s.as_of(day) for s in letters if s.sent_on <= day)


def current_cases(connection: sqlite3.Connection) -> dict[int, Case]:
    """Every case as it stands now, by id, for lists and checks: ``last_change_on``, which only a
    command's rule reads (``one_case``), is left unset, which spares a scan of the history."""
    letters = supervisions_of(connection)
    missed = {
        case_id: (_day(day), _day(lapsed))
        for case_id, day, lapsed in connection.execute(_MISSED_NOW)
    }
    cursor = connection.execute(f"SELECT {_SELECT_CASES} FROM cases ORDER BY id")
    plan, where = row_plan(cursor)
    at_id = where["id"]
    return {
        row[at_id]: case_from_row(
            row,
            plan,
            letters.get(row[at_id], ()),
            None,
            *missed.get(row[at_id], (None, None)),
        )
        for row in cursor
    }


def one_case(connection: sqlite3.Connection, case_id: int) -> Case | None:
    """One case as it stands now, or None."""
    if not 0 < case_id < 2**63:
        return None
    cursor = connection.execute(f"SELECT {_SELECT_CASES} FROM cases WHERE id = ?", (case_id,))
    plan, _ = row_plan(cursor)
    row = cursor.fetchone()
    if row is None:
        return None
    letters = tuple(
        _letter(*columns)
        for columns in connection.execute(
            f"SELECT {_LETTER_COLUMNS} FROM supervisions WHERE case_id = ? ORDER BY sent_on, id",
            (case_id,),
        )
    )
    (last,) = connection.execute(
        f"SELECT max(effective) FROM history WHERE case_id = ? AND {_STATEFUL}", (case_id,)
    ).fetchone()
    missed = connection.execute(_MISSED_NOW + " AND case_id = ?", (case_id,)).fetchone()
    late = (_day(missed[1]), _day(missed[2])) if missed else (None, None)
    return case_from_row(row, plan, letters, _day(last), *late)


def same_person_around(connection: sqlite3.Connection, case: Case, days: int) -> list[Case]:
    """Other cases from the same phone or reporter received within ``days`` of ``case`` (the
    candidates for rules.possible_duplicates; supervisions and last change are not read)."""
    if not case.reporter and not case.phone:
        return []
    cursor = connection.execute(
        f"SELECT {_SELECT_CASES} FROM cases WHERE id != ? AND received_on BETWEEN ? AND ? "
        "AND (phone = ? OR reporter = ?) ORDER BY id",
        (
            case.id,
            (case.received_on - timedelta(days=days)).isoformat(),
            (case.received_on + timedelta(days=days)).isoformat(),
            case.phone,
            case.reporter,
        ),
    )
    plan, _ = row_plan(cursor)
    return [case_from_row(row, plan, (), None) for row in cursor]


def notes(connection: sqlite3.Connection) -> dict[int, list[str]]:
    """Every case's progress notes, in the order they were written (what ``list --search``
    looks through besides the case's own fields)."""
    found: dict[int, list[str]] = defaultdict(list)
    for case_id, text in connection.execute(
        f"SELECT case_id, new FROM history WHERE field = '{NOTE}' AND new IS NOT NULL ORDER BY seq"
    ):
        found[case_id].append(text)
    return dict(found)


def first_entry_after(connection: sqlite3.Connection, case_id: int, day: date) -> date | None:
    """The day of a case's first entry after ``day`` (its receipt), corrections aside."""
    (first,) = connection.execute(
        "SELECT min(effective) FROM history WHERE case_id = ? AND effective > ? "
        f"AND field NOT LIKE '{CORRECTION}%'",
        (case_id, day.isoformat()),
    ).fetchone()
    return _day(first)


def history_of(
    connection: sqlite3.Connection, case_ids: Sequence[int] | None = None
) -> dict[int, list[HistoryEntry]]:
    """History entries grouped by case (all cases, or just ``case_ids``)."""
    query = "SELECT seq, case_id, at, effective, user, field, old, new, note FROM history"
    params: tuple[Any, ...] = ()
    if case_ids is not None:
        query += f" WHERE case_id IN ({','.join('?' * len(case_ids))})"
        params = tuple(case_ids)
    grouped: dict[int, list[HistoryEntry]] = defaultdict(list)
    for seq, case_id, at, effective, user, field, old, new, note in connection.execute(
        query + " ORDER BY seq", params
    ):
        grouped[case_id].append(
            HistoryEntry(
                seq, case_id, at, date.fromisoformat(effective), user, field, old, new, note
            )
        )
    return grouped


def states_at(connection: sqlite3.Connection, days: Sequence[date]) -> list[dict[int, Case]]:
    """For each day, every case that existed as it stood at the end of that day.

    Replayed in Python from the history (history.replay): the reading the timeline and the month
    SQL are checked against (tests/test_sql_figures.py), not a path the commands take.
    """
    if not days:
        return []
    now = current_cases(connection)
    changed = sorted(_changed_after(connection, min(days)))
    # A long IN list costs more than reading the whole history once.
    entries = history_of(connection, changed if len(changed) < 500 else None) if changed else {}
    result: list[dict[int, Case]] = []
    for day in days:
        states: dict[int, Case] = {}
        for case_id, case in now.items():
            if case_id in entries:
                letters = letters_at(case.supervisions, day)
                state = replay(case_id, case.uid, entries[case_id], day, letters)
                if state is not None:
                    states[case_id] = state
            else:
                states[case_id] = replace(case, supervisions=letters_at(case.supervisions, day))
        result.append(states)
    return result


# ---------------------------------------------------------------- the month, counted in SQL


# lateness.is_overdue and lateness.closed_late over a case's state at :d (its timeline row: the
# first deadline missed in the stretch and since moved, ``missed_on``, else the deadline in force),
# as SQL conditions (tests/test_sql_figures.py checks they agree for any state and day).
OVERDUE_SQL = (
    "(status = 'open' AND (missed_on IS NOT NULL"
    " OR (deadline IS NOT NULL AND deadline < :d AND lapsed_on IS NULL)))"
)
CLOSED_LATE_SQL = (
    "(status = 'closed' AND (missed_on IS NOT NULL"
    " OR (deadline IS NOT NULL AND closed_on > deadline AND lapsed_on IS NULL)))"
)
# The marks (store/timeline.py) hold closed late and on time for a closed case by the same rule.


def scope_sql(columns: Sequence[str] = timeline.COLUMNS[3:]) -> str:
    """SQL naming ``scoped``: the cases in a month's scope as they stood at the end of day :d.

    Each case is read from its timeline row valid at :d (store/timeline.py). In scope: received
    between :start and :d, or received before :start and open at some moment of the month up to
    :d (SPEC 4): a row with status open valid at the end of some day from :carry (the day before
    :start, "carried over") to :d, which also finds a case closed before the month and reopened in
    it; or a reopening dated in the month (a case reopened and closed again on one day is open at
    the end of no day, yet was handled in the month). Void at :d never. (A case's received_on is
    the same in all its rows.) Asking for fewer ``columns`` lets the first branch read its index
    alone.
    """
    at = ", ".join(f"t.{c}" for c in columns)
    return f"""
WITH scoped AS (
    SELECT t.case_id AS id, {at}, 0 AS carried
    FROM timeline AS t INDEXED BY ix_timeline_received
    WHERE t.received_on BETWEEN :start AND :d AND t.until > :d AND t.since <= :d
        AND t.status != 'void'
    UNION ALL
    SELECT t.case_id AS id, {at}, 1 AS carried
    FROM timeline AS t
    WHERE t.case_id IN (
        SELECT c.case_id FROM timeline AS c INDEXED BY ix_timeline_status
        WHERE c.status = 'open' AND c.until > :carry AND c.since <= :d AND c.received_on < :start
        UNION
        SELECT h.case_id FROM history AS h INDEXED BY ix_history_reopened
        WHERE h.effective BETWEEN :start AND :d
            AND h.field = 'status' AND h.old = 'closed' AND h.new = 'open'
    ) AND t.since <= :d AND t.until > :d AND t.status != 'void' AND t.received_on < :start
)
"""


@cache
def tally_sql(key: str | None) -> str:
    """The month's cases grouped by what each adds to the counts (timeline.marks), each group with
    its size, how many are overdue at :d and carried over (the parts that depend on the day asked)
    and its days to close. ``key`` is a column to group by first, or None. timeline.tally_rows
    turns a group's rows into a Tally."""
    columns = [
        "status", "deadline", "missed_on", "lapsed_on", "marks", "days", *([key] if key else [])
    ]  # fmt: skip
    return (
        scope_sql(columns)
        + f"""
SELECT {key or "NULL"} AS key, marks, count(*),
    total({OVERDUE_SQL}), total(carried), total(days)
FROM scoped GROUP BY 1, 2
"""
    )


GROUP_COLUMNS = {"category": "category", "channel": "channel", "owner": "owner", "level": "level"}


@cache
def _params(scope: Any) -> dict[str, str]:
    """The query parameters of a month's scope (the same for every ledger of a sweep)."""
    return {
        "start": scope.start.isoformat(),
        "d": scope.as_of.isoformat(),
        "carry": scope.carried_from.isoformat(),
    }


def month_tally(
    connection: sqlite3.Connection, scope: Any, by: str | None
) -> dict[str | None, Any]:
    """The month's counts per group (``by`` a case column, or None for one total), in SQL."""
    rows = connection.execute(tally_sql(GROUP_COLUMNS.get(by or "")), _params(scope))
    groups: dict[str | None, list[Any]] = defaultdict(list)
    for key, *counts in rows:  # (key, marks, count, overdue, carried, days)
        groups[key if by in GROUP_COLUMNS else None].append(counts)
    return {group: timeline.tally_rows(members) for group, members in groups.items()}


HELD_SQL = "SELECT id FROM sessions WHERE held_on BETWEEN :start AND :d"
RAISED_SQL = """
SELECT count(*) FROM cases
WHERE session IN ({held}) AND void_reason IS NULL AND received_on <= :d
"""


def session_tally(connection: sqlite3.Connection, scope: Any) -> Any:
    """The talk sessions held in the period up to D and the matters raised at them (cases linked
    to one, void ones never), as a figures.Tally of the village. A case's session link and its
    void mark are corrections, true from its first day, so today's rows answer for any D."""
    from shuoshi_cli.core.figures import Tally

    params = _params(scope)
    held = [session_id for (session_id,) in connection.execute(HELD_SQL, params)]
    if not held:  # most months of most villages: no need to look at the cases
        return Tally()
    raised_sql = RAISED_SQL.format(held=", ".join(str(int(h)) for h in held))
    (raised,) = connection.execute(raised_sql, params).fetchone()
    return Tally(sessions=len(held), raised_at_sessions=raised)


def _changed_after(connection: sqlite3.Connection, day: date) -> set[int]:
    """Cases with a history entry dated after ``day`` (the planner left alone prefers a scan)."""
    query = (
        "SELECT DISTINCT case_id FROM history INDEXED BY ix_history_effective WHERE effective > ?"
    )
    return {case_id for (case_id,) in connection.execute(query, (day.isoformat(),))}


def month_cases(
    connection: sqlite3.Connection, scope: Any, where: str = "1"
) -> list[tuple[Case, bool]]:
    """The month's cases matching ``where`` (SQL over their state at D), in full as they stood at
    D, each with whether it was carried over, in id order.

    Rows come with the scope in one query; only a case changed after D is replayed from history.
    These cases are for reports: ``last_change_on`` (which only a command's rule reads) is left
    unset, which spares the sweeps a history lookup per case.
    """
    day = scope.as_of
    columns = ", ".join(f"c.{name}" for name in CASE_COLUMNS)
    query = (
        scope_sql(("status", "deadline", "closed_on", "missed_on", "lapsed_on"))
        + f"""
SELECT {columns}, s.carried AS carried, s.missed_on AS missed_on, s.lapsed_on AS lapsed_on
FROM (SELECT id, carried, missed_on, lapsed_on FROM scoped WHERE {where}) AS s
    JOIN cases AS c ON c.id = s.id
ORDER BY c.id
"""
    )
    cursor = connection.execute(query, _params(scope))
    plan, column = row_plan(cursor)
    rows = cursor.fetchall()
    if not rows:
        return []
    at_id, at_uid = column["id"], column["uid"]
    at_carried, at_missed, at_lapsed = column["carried"], column["missed_on"], column["lapsed_on"]
    letters = supervisions_of(connection)
    changed = _changed_after(connection, day) & {row[at_id] for row in rows}
    # A long IN list costs more than reading the whole history once.
    wanted = sorted(changed) if len(changed) < 500 else None
    entries = history_of(connection, wanted) if changed else {}
    result: list[tuple[Case, bool]] = []
    for row in rows:
        case_id, carried = row[at_id], bool(row[at_carried])
        mine = letters_at(letters.get(case_id, ()), day)
        if case_id in changed:
            state = replay(case_id, row[at_uid], entries[case_id], day, mine)
            if state is not None:
                result.append((replace(state, last_change_on=None), carried))
        else:
            missed, lapsed = _day(row[at_missed]), _day(row[at_lapsed])
            case = case_from_row(row, plan, mine, None, missed, lapsed)
            result.append((case, carried))
    return result


def supervised_cases(connection: sqlite3.Connection, start: date, day: date) -> list[Case]:
    """The cases with a supervision letter sent from ``start`` to ``day``, as they stood at the end
    of ``day`` (letters and replies given by then), void ones left out, in id order.

    Read apart from the month's scope: a letter is listed for the period it was sent in, whatever
    the case's path through the months. Only a case changed after ``day`` is replayed.
    """
    query = f"""
SELECT {_SELECT_CASES},
    (SELECT effective FROM history AS h WHERE h.case_id = cases.id AND h.effective <= :d
     AND {_STATEFUL} ORDER BY effective DESC LIMIT 1) AS last_effective,
    (SELECT missed_on FROM timeline AS t WHERE t.case_id = cases.id AND t.since <= :d
     AND t.until > :d) AS missed_on,
    (SELECT lapsed_on FROM timeline AS t WHERE t.case_id = cases.id AND t.since <= :d
     AND t.until > :d) AS lapsed_on
FROM cases WHERE id IN (SELECT case_id FROM supervisions WHERE sent_on BETWEEN :start AND :d)
ORDER BY id
"""
    cursor = connection.execute(query, {"start": start.isoformat(), "d": day.isoformat()})
    plan, column = row_plan(cursor)
    rows = cursor.fetchall()
    if not rows:
        return []
    at_id, at_uid, at_last = column["id"], column["uid"], column["last_effective"]
    at_missed, at_lapsed = column["missed_on"], column["lapsed_on"]
    letters = supervisions_of(connection)
    changed = _changed_after(connection, day) & {row[at_id] for row in rows}
    wanted = sorted(changed) if len(changed) < 500 else None  # as month_cases
    entries = history_of(connection, wanted) if changed else {}
    found: list[Case] = []
    for row in rows:
        case_id = row[at_id]
        mine = letters_at(letters.get(case_id, ()), day)
        if case_id in changed:
            state = replay(case_id, row[at_uid], entries[case_id], day, mine)
        else:
            state = case_from_row(
                row, plan, mine, _day(row[at_last]), _day(row[at_missed]), _day(row[at_lapsed])
            )
        if state is not None and not state.is_void:
            found.append(state)
    return found


# ---------------------------------------------------------------- talk sessions

_SESSION_COLUMNS = "id, held_on, place, topic, host"


def _session(row: Mapping[str, Any]) -> SessionInfo:
    return SessionInfo(
        id=row["id"],
        held_on=date.fromisoformat(row["held_on"]),
        place=row["place"],
        topic=row["topic"],
        host=row["host"],
    )


def sessions(connection: sqlite3.Connection) -> list[SessionInfo]:
    """Every talk session, in id order."""
    cursor = connection.execute(f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY id")
    return [_session(row) for row in named_rows(cursor)]


def session(connection: sqlite3.Connection, session_id: int) -> SessionInfo | None:
    """One talk session, or None."""
    if not 0 < session_id < 2**63:
        return None
    cursor = connection.execute(
        f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
    )
    row = next(named_rows(cursor), None)
    return _session(row) if row is not None else None


# ---------------------------------------------------------------- supervision letter numbers


def letter_numbers(connection: sqlite3.Connection) -> list[str]:
    """Every supervision letter number recorded in the ledger, each once (``overdue --letters``
    numbers new letters after the highest one of the township's series)."""
    query = "SELECT DISTINCT letter FROM supervisions ORDER BY letter"
    return [letter for (letter,) in connection.execute(query)]
