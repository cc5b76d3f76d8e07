"""An open ledger, and every write to one: the rows a command changes, with their history.

A command's rule (core/rules.py) looks at a case and returns its changes; this module loads the
case, asks the rule, and stores the changes in one transaction (store/file.py ``transaction``):
the case row, the history entries chained to the ones before (``append_history``, the only place
entries are written) and the case's timeline rows (store/timeline.py). Rows are mapped to and from
the core dataclasses by column name (``case_row``, store/read.py ``case_from_row``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuoshi_cli.core.case import (
    FIELD_TYPES,
    Case,
    Change,
    LedgerInfo,
    SessionInfo,
    Supervision,
    apply,
    corrected_field,
    to_text,
)
from shuoshi_cli.core.codes import CORRECTION
from shuoshi_cli.core.errors import NotFound
from shuoshi_cli.core.history import HistoryEntry
from shuoshi_cli.store import read, timeline
from shuoshi_cli.store.file import (
    APPLICATION_ID,
    LEDGER_ID,
    build_ledger,
    open_connection,
    read_info,
    sqlite_errors,
    transaction,
)
from shuoshi_cli.store.read import case_row, stored

if TYPE_CHECKING:  # the rules are imported by the methods that write: reading needs none of them
    from shuoshi_cli.core.rules import Edit, NewCase, PastCase

__all__ = ["APPLICATION_ID", "Ledger", "LedgerInfo", "SessionInfo", "create_ledger", "open_ledger"]


@contextmanager
def open_ledger(path: str | os.PathLike[str], write: bool = False) -> Iterator[Ledger]:
    """Open an existing ledger; refuse a missing path, a foreign file or a newer schema untouched."""
    file, connection = open_connection(path, write)
    try:
        yield Ledger(file, connection, write)
    finally:
        connection.close()


def create_ledger(path: str | os.PathLike[str], info: LedgerInfo) -> None:
    """Write a new, empty ledger; built beside the target and moved in whole, never over a file."""

    def fill(connection: sqlite3.Connection) -> None:
        # The ledger's own identity, kept by every copy (store/file.py LEDGER_ID).
        rows = [*_meta_rows(info), (LEDGER_ID, str(uuid.uuid4()))]
        connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", rows)

    build_ledger(Path(path), fill)


def _meta_rows(info: LedgerInfo) -> list[tuple[str, str]]:
    rows = [("village", info.village), ("township", info.township), ("county", info.county)]
    if info.area_code:
        rows.append(("area_code", info.area_code))
    rows.append(("categories", json.dumps(list(info.categories), ensure_ascii=False)))
    return rows


def now_text() -> str:
    """Wall-clock time for history, local with its UTC offset (Python's clock, never SQLite's).

    With ``SHUOSHI_TODAY`` set (past paper records entered as of their day, and tests), the day
    it names at the clock's time of day: an entry is recorded on the day the user says it is, so
    ``--known-by`` that day finds it (store/knownby.py).
    """
    now = datetime.now().astimezone()
    said = os.environ.get("SHUOSHI_TODAY", "").strip()
    if said:
        try:
            day = date.fromisoformat(said)
        except ValueError:
            pass  # refused with its message where "today" is read (cli/app.py)
        else:
            now = now.replace(year=day.year, month=day.month, day=day.day)
    return now.isoformat(timespec="seconds")


def _insert(connection: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    names = ", ".join(row)
    holes = ", ".join(f":{name}" for name in row)
    cursor = connection.execute(f"INSERT INTO {table} ({names}) VALUES ({holes})", row)
    return int(cursor.lastrowid or 0)


def append_history(
    connection: sqlite3.Connection, case_id: int, changes: list[Change], on: date, user: str
) -> None:
    """Append one command's history entries, each chained to the entry before it (core/chain.py).

    The caller holds the write lock, so the last entry read here stays the last until commit.
    """
    from shuoshi_cli.core import chain  # hashing and salts: only commands that write need them

    last = connection.execute("SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1").fetchone()
    seq, previous = last if last is not None else (0, chain.GENESIS)
    previous = previous or chain.GENESIS
    at, effective = now_text(), on.isoformat()
    rows = []
    for change in changes:
        seq += 1
        salt = chain.new_salt()
        old, new = to_text(change.old), to_text(change.new)
        old_digest, new_digest = chain.digest(old, salt), chain.digest(new, salt)
        previous = chain.link(
            previous, seq, case_id, at, effective, user, change.field, old_digest, new_digest,
            change.note,
        )  # fmt: skip
        rows.append(
            {
                "seq": seq, "case_id": case_id, "at": at, "effective": effective, "user": user,
                "field": change.field, "old": old, "new": new, "note": change.note, "salt": salt,
                "old_digest": old_digest, "new_digest": new_digest, "hash": previous,
            }
        )  # fmt: skip
    if rows:
        names = ", ".join(rows[0])
        holes = ", ".join(f":{name}" for name in rows[0])
        connection.executemany(f"INSERT INTO history ({names}) VALUES ({holes})", rows)


# The history fields that hold a reporter's name or phone: as registered and as corrected.
_PERSONAL = f"('reporter', 'phone', '{CORRECTION}reporter', '{CORRECTION}phone')"


# ---------------------------------------------------------------- an open ledger


class Ledger:
    """An open ledger file. Reads return frozen core facts; every write is one transaction."""

    def __init__(self, path: Path, connection: sqlite3.Connection, writable: bool) -> None:
        self.path = path
        self.connection = connection
        self.writable = writable

    def _writing(self) -> Any:
        return transaction(self.connection, self.path, write=True)

    def _reading(self) -> Any:
        return transaction(self.connection, self.path, write=False)

    # ----- reading

    def info(self) -> LedgerInfo:
        with sqlite_errors(self.path):
            return read_info(self.connection)

    def case(self, case_id: int) -> Case:
        with self._reading():
            return self._load(case_id)

    def _load(self, case_id: int) -> Case:
        case = read.one_case(self.connection, case_id)
        if case is None:
            raise NotFound("no_case", id=case_id)
        return case

    def cases(self) -> list[Case]:
        """Every case as it stands now."""
        with self._reading():
            return list(read.current_cases(self.connection).values())

    def history(self, case_id: int) -> list[HistoryEntry]:
        """A case's history in the order it was written."""
        with self._reading():
            self._load(case_id)
            return read.history_of(self.connection, [case_id]).get(case_id, [])

    def month_cases(self, scope: Any, known_by: datetime | None = None) -> list[Case]:
        """The cases of a period's scope (periods.Scope) as they stood at its day D, in id order:
        the same reading the township's sweeps use (read.month_cases, from the timeline); with
        ``known_by``, from what was recorded by that moment (store/knownby.py)."""
        with self._reading():
            if known_by is None:
                return [case for case, _ in read.month_cases(self.connection, scope)]
            from shuoshi_cli.store.knownby import as_known_by

            known = as_known_by(self.connection, known_by)
            try:
                return [case for case, _ in read.month_cases(known, scope)]
            finally:
                if known is not self.connection:
                    known.close()

    def notes(self) -> dict[int, list[str]]:
        """Every case's progress notes, by case id."""
        with self._reading():
            return read.notes(self.connection)

    def sessions(self) -> list[SessionInfo]:
        with self._reading():
            return read.sessions(self.connection)

    # ----- writing

    def _record(self, case_id: int, changes: list[Change], on: date, user: str) -> None:
        """Append a command's history and bring the case's timeline up to date with it."""
        append_history(self.connection, case_id, changes, on, user)
        timeline.rebuild(self.connection.execute, [case_id])

    def _next_id(self) -> int:
        (highest,) = self.connection.execute("SELECT max(id) FROM cases").fetchone()
        return int(highest or 0) + 1

    def add(self, draft: NewCase, *, today: date, user: str) -> Case:
        """Register a new case; its id is the next number in this village."""
        from shuoshi_cli.core import rules

        with self._writing():
            held_on = None
            if draft.session is not None:
                talk = read.session(self.connection, draft.session)
                held_on = talk.held_on if talk is not None else rules.NO_SESSION
            case_id = self._next_id()
            case, changes = rules.add(
                draft, case_id=case_id, uid=str(uuid.uuid4()), today=today, session_held_on=held_on
            )
            _insert(self.connection, "cases", case_row(case))
            self._record(case_id, changes, case.received_on, user)
        return case

    def possible_duplicates(self, case: Case) -> list[int]:
        """Cases that may be ``case`` registered twice (rules.possible_duplicates)."""
        from shuoshi_cli.core import rules

        with self._reading():
            around = read.same_person_around(self.connection, case, rules.DUPLICATE_WINDOW_DAYS)
            return rules.possible_duplicates(case, around)

    def change(
        self, case_id: int, rule: Callable[[Case], list[Change]], *, on: date, user: str
    ) -> Case:
        """Apply one command's rule to a case under the write lock, with its history."""
        with self._writing():
            case = self._load(case_id)
            changes = rule(case)
            self._store(case, changes, on, user)
            return apply(case, changes, on)

    def supervise(
        self,
        case_id: int,
        rule: Callable[[Case], tuple[Supervision, list[Change]]],
        *,
        on: date,
        user: str,
    ) -> Case:
        """Record a supervision letter and its deadline change in one transaction."""
        with self._writing():
            case = self._load(case_id)
            letter, changes = rule(case)
            row = {"case_id": case_id, **{k: stored(v) for k, v in asdict(letter).items()}}
            _insert(self.connection, "supervisions", row)
            self._store(case, changes, on, user)
            updated = apply(case, changes, on)
            return replace(updated, supervisions=(*case.supervisions, letter))

    def reply(
        self,
        case_id: int,
        rule: Callable[[Case], tuple[Supervision, list[Change]]],
        *,
        on: date,
        user: str,
    ) -> Case:
        """Record the village's reply to a letter on the case (rules.reply): the letter's row and
        a history entry (``reply``) in one transaction, so ``check`` can hold one to the other."""
        with self._writing():
            case = self._load(case_id)
            answered, changes = rule(case)
            self.connection.execute(
                "UPDATE supervisions SET reply_on = ?, reply = ? WHERE id = "
                "(SELECT id FROM supervisions WHERE case_id = ? AND letter = ? ORDER BY id LIMIT 1)",
                (stored(answered.reply_on), answered.reply, case_id, answered.letter),
            )
            self._store(case, changes, on, user)
            letters = tuple(
                answered if sent.letter == answered.letter else sent for sent in case.supervisions
            )
            return replace(apply(case, changes, on), supervisions=letters)

    def _store(self, case: Case, changes: list[Change], on: date, user: str) -> None:
        """Bring the case row to the case after ``changes`` (a correction sets its field too)."""
        values = {
            name: stored(c.new)
            for c in changes
            if (name := corrected_field(c.field) or c.field) in FIELD_TYPES
        }
        if values:
            assignments = ", ".join(f"{name} = :{name}" for name in values)
            self.connection.execute(
                f"UPDATE cases SET {assignments} WHERE id = :case_id",
                {**values, "case_id": case.id},
            )
        self._record(case.id, changes, on, user)

    def edit(self, case_id: int, given: Edit, reason: str, *, today: date, user: str) -> Case:
        """Correct what was registered (rules.edit), with the facts the rule checks against."""
        from shuoshi_cli.core import rules

        with self._writing():
            case = self._load(case_id)
            session = given.session if given.session is not None else case.session
            held_on = None
            if session is not None:
                talk = read.session(self.connection, session)
                held_on = talk.held_on if talk is not None else rules.NO_SESSION
            changes = rules.edit(
                case,
                given,
                reason,
                today=today,
                session_held_on=held_on,
                first_event_on=read.first_entry_after(self.connection, case_id, case.received_on),
            )
            self._store(case, changes, today, user)
            return apply(case, changes, today)

    def void(
        self, case_id: int, reason: str, duplicate_of: int | None, *, today: date, user: str
    ) -> Case:
        """Make a case void (rules.void); the case it duplicates must be in this ledger."""
        from shuoshi_cli.core import rules

        with self._writing():
            case = self._load(case_id)
            exists = duplicate_of is not None and read.one_case(self.connection, duplicate_of)
            changes = rules.void(case, reason, duplicate_of, duplicate_exists=bool(exists))
            self._store(case, changes, today, user)
            return apply(case, changes, today)

    def import_cases(
        self,
        items: Sequence[tuple[str, PastCase]],
        *,
        today: date,
        user: str,
        source: str,
        updates: Sequence[tuple[int, PastCase]] = (),
    ) -> tuple[list[Case], int]:
        """Register past cases ``(uid, case)`` and apply ``updates`` ``(case id, row)`` in one
        transaction; skip uids already here.

        Each new case's history is written as it happened (rules.register_past): created on its
        receipt date, closed on its closing date, told on its feedback date. An update adds what
        its row filled in since (rules.update_past), dated as the row says. Returns the new cases
        and how many were skipped.
        """
        from shuoshi_cli.core import rules

        added: list[Case] = []
        skipped = 0
        with self._writing():
            known = {uid for (uid,) in self.connection.execute("SELECT uid FROM cases")}
            case_id = self._next_id()
            for uid, past in items:
                if uid in known:
                    skipped += 1
                    continue
                known.add(uid)
                case, steps = rules.register_past(
                    past, case_id=case_id, uid=uid, today=today, source=source
                )
                _insert(self.connection, "cases", case_row(case))
                for changes, day in steps:
                    append_history(self.connection, case_id, changes, day, user)
                added.append(case)
                case_id += 1
            timeline.rebuild(self.connection.execute, [case.id for case in added])
            for existing_id, past in updates:
                case = self._load(existing_id)
                steps, _ = rules.update_past(case, past, today=today)
                for changes, day in steps:
                    self._store(case, changes, day, user)
                    case = apply(case, changes, day)
        return added, skipped

    def erase_reporter(self, case_id: int, *, today: date, user: str) -> Case:
        """Remove a reporter's name and phone from the case, its history and the file's free pages.

        The history keeps that an erasure happened, not what was erased; the hash chain still
        verifies because erased values were only ever chained as salted digests (core/chain.py).
        """
        from shuoshi_cli.core import rules

        with sqlite_errors(self.path):
            self.connection.execute("PRAGMA secure_delete = ON")
        with self._writing():
            case = self._load(case_id)
            (held,) = self.connection.execute(
                f"SELECT count(*) FROM history WHERE case_id = ? AND field IN {_PERSONAL} "
                "AND (old IS NOT NULL OR new IS NOT NULL)",
                (case_id,),
            ).fetchone()
            changes, on = rules.erase_reporter(case, history_holds_values=bool(held), today=today)
            self.connection.execute(
                "UPDATE history SET old = NULL, new = NULL, salt = NULL "
                f"WHERE case_id = ? AND field IN {_PERSONAL}",
                (case_id,),
            )
            self.connection.execute(
                "UPDATE cases SET reporter = NULL, phone = NULL WHERE id = ?", (case_id,)
            )
            self._record(case_id, changes, on, user)
        with sqlite_errors(self.path):
            # Rebuild the file so no free page still holds the old values.
            self.connection.execute("VACUUM")
        return replace(case, reporter=None, phone=None, last_change_on=on)

    def add_session(
        self, held_on: date, place: str | None, topic: str | None, host: str | None
    ) -> SessionInfo:
        """Register a talk session (说事活动); its id is the next number."""
        with self._writing():
            row = {
                "held_on": held_on.isoformat(),
                "place": place,
                "topic": topic,
                "host": host,
                "at": now_text(),
            }
            session_id = _insert(self.connection, "sessions", row)
            return SessionInfo(session_id, held_on, place, topic, host)
