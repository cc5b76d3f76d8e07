"""A ledger as it stood at a past moment (``--known-by``), and the entries recorded late.

Every history entry and talk session carries the wall-clock time it was recorded (``at``). To
answer "October as it was reported on 2 November", the reports read a copy of the file in memory
from which every entry, letter, reply and session recorded after that moment is taken out, each
case touched by one replayed from what is left (its row, its letters, its timeline rebuilt by
store/timeline.py); a case recorded only after the moment is not there at all. The report's own
queries then read that copy, so the answer is the one the same code gave at that moment, byte for
byte. (A reporter's name erased since stays erased: the law asks for it to be gone.)

Late entries (SPEC 4, 补录/追溯修改) are the entries recorded after a period ended whose effective
date falls in it, the corrections of its cases (a correction counts from the case's first day;
a corrected received date counts for the period it moves a case into or out of), and the entries
dated before it of a case in its scope then or now (a carried-over case registered late, a closing
back-dated before the period): what makes a past period's answer change when asked again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shuoshi_cli.core.history import replay
from shuoshi_cli.store import read, timeline

LATER = "julianday(at) > julianday(?)"  # SQLite reads the offset of ``at`` itself


def utc_text(moment: datetime) -> str:
    """A moment as SQLite's julianday() reads it, in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def day_end(day: date, zone: Any) -> datetime:
    """The last second of ``day`` on the computer's clock: when a period asked as of it is over."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


# The entries recorded after a moment, found on the index of recording times: its text sorts
# by day well enough to pass over what was recorded days before (two days cover any two time
# zones), and julianday() decides to the second.
RECORDED_AFTER = (
    "SELECT seq, case_id, field FROM history INDEXED BY ix_history_at "
    "WHERE at >= ? AND julianday(at) > julianday(?)"
)


def _after(moment: datetime) -> tuple[str, str]:
    """The parameters of RECORDED_AFTER."""
    return (moment.astimezone(UTC).date() - timedelta(days=2)).isoformat(), utc_text(moment)


def as_known_by(connection: sqlite3.Connection, moment: datetime) -> sqlite3.Connection:
    """The ledger with only what was recorded by ``moment``: ``connection`` itself when nothing
    was recorded after it, else an in-memory copy rolled back to it."""
    when = utc_text(moment)
    later = [
        case_id
        for (case_id,) in connection.execute(
            f"SELECT DISTINCT case_id FROM ({RECORDED_AFTER}) ORDER BY case_id",
            _after(moment),
        )
    ]
    (sessions,) = connection.execute(
        f"SELECT count(*) FROM sessions WHERE at IS NOT NULL AND {LATER}", (when,)
    ).fetchone()
    if not later and not sessions:
        return connection
    copy = sqlite3.connect(":memory:")
    connection.backup(copy)
    with copy:
        copy.execute(f"DELETE FROM sessions WHERE at IS NOT NULL AND {LATER}", (when,))
        if later:
            _roll_back(copy, later, moment)
    return copy


def _roll_back(copy: sqlite3.Connection, cases: Sequence[int], moment: datetime) -> None:
    """Take out of ``copy`` what was recorded after ``moment``; replay ``cases`` from the rest."""
    gone = [seq for seq, _, _ in copy.execute(RECORDED_AFTER, _after(moment))]
    letters = copy.execute(
        "SELECT h.case_id, h.field, h.new, h.note, h.effective "
        f"FROM ({RECORDED_AFTER}) AS a JOIN history AS h ON h.seq = a.seq "
        "WHERE a.field IN ('supervision', 'reply')",
        _after(moment),
    ).fetchall()
    for case_id, field, new, note, effective in letters:
        if field == "supervision":
            copy.execute(
                "DELETE FROM supervisions WHERE case_id = ? AND letter = ? AND sent_on = ?",
                (case_id, new, effective),
            )
        else:  # a reply: its letter's number in ``note``
            copy.execute(
                "UPDATE supervisions SET reply_on = NULL, reply = NULL "
                "WHERE case_id = ? AND letter = ?",
                (case_id, note),
            )
    copy.executemany("DELETE FROM history WHERE seq = ?", ((seq,) for seq in gone))
    entries = read.history_of(copy, cases)
    uids = dict(copy.execute("SELECT id, uid FROM cases"))
    kept = read.supervisions_of(copy)
    columns = ", ".join(f"{name} = :{name}" for name in read.CASE_COLUMNS if name != "id")
    for case_id in cases:
        mine = entries.get(case_id)
        state = (
            replay(case_id, uids[case_id], mine, date.max, kept.get(case_id, ())) if mine else None
        )
        if state is None:  # recorded only after the moment
            for table, key in (("supervisions", "case_id"), ("timeline", "case_id")):
                copy.execute(f"DELETE FROM {table} WHERE {key} = ?", (case_id,))
            copy.execute("DELETE FROM cases WHERE id = ?", (case_id,))
            continue
        copy.execute(f"UPDATE cases SET {columns} WHERE id = :id", read.case_row(state))
    timeline.rebuild(copy.execute, [c for c in cases if entries.get(c)])


# ---------------------------------------------------------------- entries recorded late


@dataclass(frozen=True)
class LateEntry:
    """An entry recorded after the period ended with its effective date inside it."""

    case_id: int
    title: str
    field: str
    old: str | None
    new: str | None
    effective: date
    user: str
    at: str


# Recorded after the moment (``:end``; ``:since`` a day or two before it, on the index), and in the
# period: effective in it, or a correction of a case received by D (true from the case's start).
LATE_SQL = """
SELECT h.seq, h.case_id, c.title, h.field, h.old, h.new, h.effective, h.user, h.at,
    (SELECT min(f.seq) FROM history AS f WHERE f.case_id = h.case_id) AS first,
    h.effective < :start AND h.field NOT LIKE 'correct:%' AS before
FROM (
    SELECT seq, case_id, field, old, new, effective, user, at
    FROM history INDEXED BY ix_history_at
    WHERE at >= :since AND (effective <= :d OR field LIKE 'correct:%')
        AND field != 'erasure' AND julianday(at) > julianday(:end)
) AS h JOIN cases AS c ON c.id = h.case_id
WHERE h.effective BETWEEN :start AND :d
    OR (h.field LIKE 'correct:%' AND (c.received_on <= :d
        OR (h.field = 'correct:received_on' AND h.old <= :d)))
    OR (h.effective < :start AND h.field NOT LIKE 'correct:%')
ORDER BY h.seq
"""
REGISTERED = "registered"  # a case registered late, its entries shown as one


@dataclass(frozen=True)
class Asked:
    """When a report is asked: the computer's time zone, today, and the ``--known-by`` moment
    (None: everything recorded so far)."""

    zone: Any
    today: date
    moment: datetime | None = None

    @property
    def day(self) -> date:
        """The day the report stands at: today, or the day of the moment asked."""
        if self.moment is None:
            return self.today
        return min(self.today, self.moment.astimezone(self.zone).date())


@dataclass(frozen=True)
class Reading:
    """What a report read of one ledger: ``found`` (from the ledger as known by the moment
    asked), the late entries known then, and those recorded after the moment (``later``)."""

    found: Any
    late: list[LateEntry]
    later: list[LateEntry]


def read_as_asked(
    scope: Any, asked: Asked, work: Any, connection: sqlite3.Connection, info: Any
) -> Reading:
    """``work`` (a sweep's reading of one ledger, ``work(connection, info)``) on the ledger as
    known by the moment asked, with the period's late entries; bound with ``functools.partial``
    up to ``work``, it is itself a sweep's reading."""
    if asked.moment is None:
        return Reading(work(connection, info), late_entries(connection, scope, asked), [])
    known = as_known_by(connection, asked.moment)
    later = late_entries(connection, scope, asked, after=asked.moment)
    try:
        return Reading(work(known, info), late_entries(known, scope, asked), later)
    finally:
        if known is not connection:  # an in-memory copy: give its memory back now
            known.close()


def late_entries(
    connection: sqlite3.Connection, scope: Any, asked: Asked, after: datetime | None = None
) -> list[LateEntry]:
    """The entries recorded after the end of the period's day D (or after ``after``, if later)
    with an effective date from its first day to D, in the order written. None while D is the
    day asked: nothing is late yet."""
    if scope.as_of >= asked.day and after is None:
        return []
    end = day_end(scope.as_of, asked.zone)
    if after is not None:
        end = max(end, after)
    # ``at`` is the recording computer's local time with its offset: its text sorts by day well
    # enough to pass over, on its index, what was recorded days before the end (two days cover
    # any two time zones); julianday() then decides to the second.
    rows = connection.execute(
        LATE_SQL,
        {
            "since": (end.date() - timedelta(days=2)).isoformat(),
            "end": utc_text(end),
            "start": scope.start.isoformat(),
            "d": scope.as_of.isoformat(),
        },
    ).fetchall()
    # Dated before the period (a case registered late with an earlier received date, a closing
    # back-dated before it): late for this period only if the case is in its scope, as it stands
    # now or as it stood when the period ended.
    earlier = sorted({row[1] for row in rows if row[10]})
    reaching = _in_scope_either_way(connection, earlier, scope, end) if earlier else set()
    rows = [row for row in rows if not row[10] or row[1] in reaching]
    # A case registered late is one entry, not one a field: the entries written with its first.
    opened = {(row[1], row[8]) for row in rows if row[0] == row[9]}
    found: list[LateEntry] = []
    for seq, case_id, title, field, old, new, effective, user, at, first, _ in rows:
        if (case_id, at) in opened:
            if seq == first:
                day = date.fromisoformat(effective)
                found.append(LateEntry(case_id, title, REGISTERED, None, title, day, user, at))
            continue
        found.append(
            LateEntry(case_id, title, field, old, new, date.fromisoformat(effective), user, at)
        )
    return found


def _in_scope_either_way(
    connection: sqlite3.Connection, cases: Sequence[int], scope: Any, end: datetime
) -> set[int]:
    """Those of ``cases`` in the period's scope from their whole history, or from what was
    recorded by ``end`` (replayed: these are the few cases touched late with earlier dates)."""
    entries = read.history_of(connection, cases)
    found = set()
    for case_id in cases:
        mine = entries.get(case_id, [])
        known = [e for e in mine if datetime.fromisoformat(e.at) <= end]
        if _in_scope(case_id, mine, scope) or _in_scope(case_id, known, scope):
            found.add(case_id)
    return found


def _in_scope(case_id: int, entries: Sequence[Any], scope: Any) -> bool:
    """SPEC 4's scope for one case from these entries (figures.in_scope, day by day)."""
    from shuoshi_cli.core.figures import in_scope

    at_end = replay(case_id, "", entries, scope.as_of)
    if at_end is None or at_end.is_void:
        return False
    at_carry = replay(case_id, "", entries, scope.carried_from)
    if in_scope(at_end, at_carry, scope):
        return True
    reopened = any(
        e.field == "status"
        and (e.old, e.new) == ("closed", "open")
        and scope.start <= e.effective <= scope.as_of
        for e in entries
    )
    day = scope.start
    while not reopened and day <= scope.as_of:
        state = replay(case_id, "", entries, day)
        reopened = state is not None and state.is_open
        day += timedelta(days=1)
    return in_scope(at_end, at_carry, scope, reopened)
