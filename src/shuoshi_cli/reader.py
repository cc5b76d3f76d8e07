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
