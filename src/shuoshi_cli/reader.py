"""Reading cases out of a ledger with plain ``sqlite3``, fast enough for county-wide sweeps.

The ``cases`` table holds each case as it stands now. A case with no history entry dated after day
D stood at the end of D exactly as it stands now, so only cases changed after D are replayed from
their history (history.py); the rest come straight from their rows.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from shuoshi_cli.codes import Channel, Kind, Level, Outcome, Satisfaction, Status
from shuoshi_cli.history import HistoryEntry, replay
from shuoshi_cli.ledger import Case, Supervision

_COLUMNS = (
    "id, uid, title, detail, kind, category, channel, reporter, phone, anonymous, received_on, "
    "session, owner, deadline, level, status, outcome, result, closed_on, feedback_on, "
    "satisfaction, plan"
)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _case(row: Sequence[Any], letters: tuple[Supervision, ...], last: date | None) -> Case:
    return Case(
        id=row[0],
        uid=row[1],
        title=row[2],
        detail=row[3],
        kind=Kind(row[4]),
        category=row[5],
        channel=Channel(row[6]),
        reporter=row[7],
        phone=row[8],
        anonymous=bool(row[9]),
        received_on=date.fromisoformat(row[10]),
        session=row[11],
        owner=row[12],
        deadline=_day(row[13]),
        level=Level(row[14]),
        status=Status(row[15]),
        outcome=Outcome(row[16]) if row[16] else None,
        result=row[17],
        closed_on=_day(row[18]),
        feedback_on=_day(row[19]),
        satisfaction=Satisfaction(row[20]) if row[20] else None,
        plan=row[21],
        supervisions=letters,
        last_change_on=last,
    )


def _supervisions(connection: sqlite3.Connection) -> dict[int, tuple[Supervision, ...]]:
    letters: dict[int, list[Supervision]] = defaultdict(list)
    rows = connection.execute(
        "SELECT case_id, sent_on, letter, deadline, previous_deadline FROM supervisions "
        "ORDER BY sent_on, id"
    )
    for case_id, sent_on, letter, deadline, previous in rows:
        letters[case_id].append(
            Supervision(date.fromisoformat(sent_on), letter, _day(deadline), _day(previous))
        )
    return {k: tuple(v) for k, v in letters.items()}


def current_cases(connection: sqlite3.Connection) -> dict[int, Case]:
    """Every case as it stands now, by id."""
    letters = _supervisions(connection)
    last = {
        case_id: date.fromisoformat(day)
        for case_id, day in connection.execute(
            "SELECT case_id, max(effective) FROM history GROUP BY case_id"
        )
    }
    return {
        row[0]: _case(row, letters.get(row[0], ()), last.get(row[0]))
        for row in connection.execute(f"SELECT {_COLUMNS} FROM cases ORDER BY id")
    }


def one_case(connection: sqlite3.Connection, case_id: int) -> Case | None:
    """One case as it stands now, or None."""
    if not 0 < case_id < 2**63:
        return None
    row = connection.execute(f"SELECT {_COLUMNS} FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        return None
    letters = tuple(
        Supervision(date.fromisoformat(s), letter, _day(d), _day(p))
        for s, letter, d, p in connection.execute(
            "SELECT sent_on, letter, deadline, previous_deadline FROM supervisions "
            "WHERE case_id = ? ORDER BY sent_on, id",
            (case_id,),
        )
    )
    (last,) = connection.execute(
        "SELECT max(effective) FROM history WHERE case_id = ?", (case_id,)
    ).fetchone()
    return _case(row, letters, _day(last))


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
    """For each day, every case that existed as it stood at the end of that day."""
    if not days:
        return []
    now = current_cases(connection)
    earliest = min(days).isoformat()
    changed = [
        case_id
        for (case_id,) in connection.execute(
            "SELECT DISTINCT case_id FROM history WHERE effective > ?", (earliest,)
        )
    ]
    # A long IN list costs more than reading the whole history once.
    entries = history_of(connection, changed if len(changed) < 500 else None) if changed else {}
    result: list[dict[int, Case]] = []
    for day in days:
        states: dict[int, Case] = {}
        for case_id, case in now.items():
            if case_id in entries:
                state = replay(case_id, case.uid, entries[case_id], day, case.supervisions)
                if state is not None:
                    states[case_id] = state
            else:
                states[case_id] = case
        result.append(states)
    return result


# ---------------------------------------------------------------- the month, counted in SQL

# Case fields the month needs, replayed in SQL for cases changed after the day asked.
_STATE_FIELDS = (
    "received_on", "kind", "category", "channel", "owner", "deadline", "level", "status",
    "outcome", "closed_on", "feedback_on", "satisfaction",
)  # fmt: skip

_PIVOT = ",\n    ".join(f"max(CASE WHEN field = '{f}' THEN new END) AS {f}" for f in _STATE_FIELDS)
_FIELD_LIST = ", ".join(f"'{f}'" for f in _STATE_FIELDS)
_COLUMNS_AT = ", ".join(_STATE_FIELDS)

# The cases in a month's scope as they stood at the end of day :d. A case with no history entry
# after :d stands as its row does; the others are replayed from their history up to :d (the last
# entry per field by effective date, then order of writing: history.replay, in SQL). Carried over:
# received before :start and open at the end of :carry.
SCOPE_SQL = f"""
WITH
changed_d AS (
    SELECT DISTINCT case_id FROM history INDEXED BY ix_history_effective WHERE effective > :d
),
changed_c AS (
    SELECT DISTINCT case_id FROM history INDEXED BY ix_history_effective WHERE effective > :carry
),
last_d AS (
    SELECT case_id, field, new, row_number() OVER (
        PARTITION BY case_id, field ORDER BY effective DESC, seq DESC) AS rn
    FROM history
    WHERE effective <= :d AND field IN ({_FIELD_LIST}) AND case_id IN changed_d
),
replayed AS (
    SELECT case_id AS id,
    {_PIVOT}
    FROM last_d WHERE rn = 1 GROUP BY case_id
),
state AS (
    SELECT id, {_COLUMNS_AT} FROM cases
    WHERE id NOT IN changed_d
      AND (received_on >= :start OR status = 'open' OR id IN changed_c)
    UNION ALL
    SELECT id, {_COLUMNS_AT} FROM replayed
),
carry_open AS (
    SELECT case_id FROM (
        SELECT case_id, new, row_number() OVER (
            PARTITION BY case_id ORDER BY effective DESC, seq DESC) AS rn
        FROM history
        WHERE field = 'status' AND effective <= :carry AND case_id IN changed_c
    ) WHERE rn = 1 AND new = 'open'
),
scoped AS (
    SELECT s.*, s.received_on < :start AS carried,
        EXISTS (SELECT 1 FROM supervisions v WHERE v.case_id = s.id AND v.sent_on <= :d) AS supervised
    FROM state AS s
    WHERE s.received_on BETWEEN :start AND :d
       OR (s.received_on < :start AND (
            (s.id NOT IN changed_c AND s.status = 'open') OR s.id IN carry_open))
)
"""

TALLY_SQL = """
SELECT {key} AS key,
    count(*),
    total(status = 'closed'),
    total(status = 'open' AND deadline IS NOT NULL AND deadline < :d),
    total(status = 'closed' AND deadline IS NOT NULL AND closed_on > deadline),
    total(level <> 'village'),
    total(supervised),
    total(carried),
    total(status = 'closed' AND feedback_on IS NOT NULL),
    total(satisfaction IS NOT NULL),
    total(satisfaction IN ('satisfied', 'basic')),
    total(status = 'closed' AND NOT (deadline IS NOT NULL AND closed_on > deadline)),
    total(CASE WHEN status = 'closed' THEN julianday(closed_on) - julianday(received_on) END),
    total(status = 'closed' AND outcome = 'resolved'),
    total(status = 'closed' AND outcome = 'explained')
FROM scoped GROUP BY {key}
"""

GROUP_COLUMNS = {"category": "category", "channel": "channel", "owner": "owner", "level": "level"}


def _params(scope: Any) -> dict[str, str]:
    return {
        "start": scope.start.isoformat(),
        "d": scope.as_of.isoformat(),
        "carry": scope.carried_from.isoformat(),
    }


def month_tally(
    connection: sqlite3.Connection, scope: Any, by: str | None
) -> dict[str | None, Any]:
    """The month's counts per group (``by`` a case column, or None for one total), in SQL."""
    from shuoshi_cli.figures import Tally

    key = GROUP_COLUMNS.get(by or "", "NULL")
    rows = connection.execute(SCOPE_SQL + TALLY_SQL.format(key=key), _params(scope)).fetchall()
    return {row[0]: Tally(*(int(v) for v in row[1:])) for row in rows}


def month_ids(connection: sqlite3.Connection, scope: Any, where: str = "1") -> dict[int, bool]:
    """Ids of the month's cases matching ``where`` (SQL over the state at D), with 'carried'."""
    query = SCOPE_SQL + f"SELECT id, carried FROM scoped WHERE {where} ORDER BY id"
    return {row[0]: bool(row[1]) for row in connection.execute(query, _params(scope))}


def cases_at(connection: sqlite3.Connection, ids: Sequence[int], day: date) -> dict[int, Case]:
    """Full cases as they stood at the end of ``day``: rows, replaying only those changed since."""
    if not ids:
        return {}
    wanted = set(ids)
    marks = ",".join("?" * len(wanted)) if len(wanted) < 500 else None
    where = f"WHERE id IN ({marks})" if marks else ""
    params = tuple(wanted) if marks else ()
    letters = _supervisions(connection)
    changed = {
        case_id
        for (case_id,) in connection.execute(
            "SELECT DISTINCT case_id FROM history WHERE effective > ?", (day.isoformat(),)
        )
    } & wanted
    entries = (
        history_of(connection, sorted(changed) if len(changed) < 500 else None) if changed else {}
    )
    last_query = "SELECT case_id, max(effective) FROM history"
    if marks:
        last_query += f" WHERE case_id IN ({marks})"
    last = dict(connection.execute(last_query + " GROUP BY case_id", params))
    result: dict[int, Case] = {}
    for row in connection.execute(f"SELECT {_COLUMNS} FROM cases {where} ORDER BY id", params):
        case_id = row[0]
        if case_id not in wanted:
            continue
        if case_id in changed:
            state = replay(case_id, row[1], entries[case_id], day, letters.get(case_id, ()))
            if state is not None:
                result[case_id] = state
        else:
            mine = tuple(s for s in letters.get(case_id, ()) if s.sent_on <= day)
            result[case_id] = _case(row, mine, _day(last.get(case_id)))
    return result
