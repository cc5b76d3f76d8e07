"""Opening, creating and writing a ledger file: the only place that talks to SQLite.

Every connection gets the same PRAGMAs (rollback journal, ``synchronous=FULL``, a busy timeout,
foreign keys, ``trusted_schema=OFF``); a file is checked to be a shuoshi ledger of a known schema
before anything is read or written; write transactions begin with ``BEGIN IMMEDIATE`` so two clerks
on one file queue for the lock instead of failing half-way. The rules live in ledger.py: this module
loads a case, asks a rule for its changes, and stores them with their history in one transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, col, func, select

from shuoshi_cli.core import chain, rules
from shuoshi_cli.core.codes import Channel, Kind, Level, Outcome, Satisfaction, Status
from shuoshi_cli.core.errors import BadDate, NotFound, WrongState
from shuoshi_cli.core.history import HistoryEntry
from shuoshi_cli.core.rules import ERASURE, Case, Change, NewCase, Supervision, to_text
from shuoshi_cli.models import CaseRow, SupervisionRow, TalkSession
from shuoshi_cli.store import read as reader
from shuoshi_cli.store import timeline
from shuoshi_cli.store.file import (
    APPLICATION_ID,
    LedgerInfo,
    SessionInfo,
    begin_immediate,
    build_ledger,
    open_connection,
    read_info,
    sqlite_errors,
    translate,
)

__all__ = ["APPLICATION_ID", "Ledger", "LedgerInfo", "SessionInfo", "create_ledger", "open_ledger"]


@contextmanager
def _db_errors(path: Path) -> Iterator[None]:
    """SQLite failures, whether raised directly or wrapped by SQLAlchemy, as user errors."""
    try:
        with sqlite_errors(path):
            yield
    except exc.DBAPIError as error:
        raise translate(error, path) from None


def _engine(path: Path, connection: sqlite3.Connection, writable: bool) -> Engine:
    engine = create_engine("sqlite://", creator=lambda: connection, poolclass=StaticPool)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Take the write lock up front so a rule never reads a case another clerk is changing.
        if writable:
            begin_immediate(conn.exec_driver_sql, path)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


@contextmanager
def open_ledger(path: str | os.PathLike[str], write: bool = False) -> Iterator[Ledger]:
    """Open an existing ledger; refuse a missing path, a foreign file or a newer schema untouched."""
    file, connection = open_connection(path, write)
    try:
        engine = _engine(file, connection, write)
        try:
            yield Ledger(file, engine, write, connection)
        finally:
            engine.dispose()
    finally:
        connection.close()


def create_ledger(path: str | os.PathLike[str], info: LedgerInfo) -> None:
    """Write a new, empty ledger; built beside the target and moved in whole, never over a file."""

    def fill(connection: Any) -> None:
        connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", _meta_rows(info))

    build_ledger(Path(path), fill)


def _meta_rows(info: LedgerInfo) -> list[tuple[str, str]]:
    rows = [("village", info.village), ("township", info.township), ("county", info.county)]
    if info.area_code:
        rows.append(("area_code", info.area_code))
    rows.append(("categories", json.dumps(list(info.categories), ensure_ascii=False)))
    return rows


def now_text() -> str:
    """Wall-clock time for history, local with its UTC offset."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------- an open ledger


_ROW_FIELDS = tuple(f for f in CaseRow.model_fields if f != "id")


class Ledger:
    """An open ledger file. Reads return frozen core facts, never live ORM rows."""

    def __init__(
        self, path: Path, engine: Engine, writable: bool, connection: sqlite3.Connection
    ) -> None:
        self.path = path
        self.engine = engine
        self.writable = writable
        self.connection = connection

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with _db_errors(self.path), Session(self.engine) as session:
            yield session

    # ----- reading

    def info(self) -> LedgerInfo:
        with _db_errors(self.path):
            return read_info(self.connection)

    def case(self, case_id: int) -> Case:
        with self._session() as session:
            return self._load(session, case_id)

    def _load(self, session: Session, case_id: int) -> Case:
        # The session's connection is self.connection (one pooled connection), so this read
        # happens inside the session's transaction, under its write lock.
        session.connection()
        case = reader.one_case(self.connection, case_id)
        if case is None:
            raise NotFound("no_case", id=case_id)
        return case

    def cases(self) -> list[Case]:
        """Every case as it stands now."""
        with _db_errors(self.path):
            return list(reader.current_cases(self.connection).values())

    def history(self, case_id: int) -> list[HistoryEntry]:
        """A case's history in the order it was written."""
        with _db_errors(self.path):
            if reader.one_case(self.connection, case_id) is None:
                raise NotFound("no_case", id=case_id)
            return reader.history_of(self.connection, [case_id]).get(case_id, [])

    def month_cases(self, scope: Any) -> list[Case]:
        """The cases of a month's scope (figures.Scope) as they stood at its day D, in id order.

        The same reading the township's sweeps use (reader.month_cases, from the timeline).
        """
        with _db_errors(self.path):
            return [case for case, _ in reader.month_cases(self.connection, scope)]

    def sessions(self) -> list[SessionInfo]:
        with self._session() as session:
            rows = session.exec(select(TalkSession).order_by(col(TalkSession.id))).all()
            return [SessionInfo(r.id or 0, r.held_on, r.place, r.topic, r.host) for r in rows]

    # ----- writing

    def _record(
        self, session: Session, case_id: int, changes: list[Change], on: date, user: str
    ) -> None:
        """Append history rows and bring the case's timeline up to date with them."""
        self._append_history(session, case_id, changes, on, user)
        timeline.rebuild(self.connection.execute, [case_id])

    def _append_history(
        self, session: Session, case_id: int, changes: list[Change], on: date, user: str
    ) -> None:
        """Append history rows, each chained to the last (chain.py); we hold the write lock."""
        raw = session.connection()
        last = raw.exec_driver_sql(
            "SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1"
        ).first()
        seq, previous = (int(last[0]), last[1] or chain.GENESIS) if last else (0, chain.GENESIS)
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
                (seq, case_id, at, effective, user, change.field, old, new, change.note, salt,
                 old_digest, new_digest, previous)
            )  # fmt: skip
        raw.exec_driver_sql(
            "INSERT INTO history (seq, case_id, at, effective, user, field, old, new, note, salt, "
            "old_digest, new_digest, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def add(self, draft: NewCase, *, today: date, user: str) -> Case:
        """Register a new case; its id is the next number in this village."""
        with self._session() as session, session.begin():
            if draft.session is not None:
                in_range = 0 < draft.session < 2**63
                talk = session.get(TalkSession, draft.session) if in_range else None
                if talk is None:
                    raise NotFound("no_session", id=draft.session)
                received = draft.received_on or today
                if talk.held_on > received:
                    raise BadDate(
                        "session_after_received",
                        id=draft.session,
                        held=talk.held_on.isoformat(),
                        value=received.isoformat(),
                    )
            next_id = (session.exec(select(func.max(CaseRow.id))).one() or 0) + 1
            case, changes = rules.add(draft, case_id=next_id, uid=str(uuid.uuid4()), today=today)
            session.add(CaseRow(id=next_id, **_row_values(case)))
            session.flush()
            self._record(session, next_id, changes, case.received_on, user)
        return case

    def change(
        self, case_id: int, rule: Callable[[Case], list[Change]], *, on: date, user: str
    ) -> Case:
        """Apply one command's rule to a case under the write lock, with its history."""
        with self._session() as session, session.begin():
            case = self._load(session, case_id)
            changes = rule(case)
            self._store(session, case, changes, on, user)
            return rules.apply(case, changes, on)

    def supervise(
        self,
        case_id: int,
        rule: Callable[[Case], tuple[Supervision, list[Change]]],
        *,
        on: date,
        user: str,
    ) -> Case:
        """Record a supervision letter and its deadline change in one transaction."""
        with self._session() as session, session.begin():
            case = self._load(session, case_id)
            letter, changes = rule(case)
            session.add(SupervisionRow(case_id=case_id, **_plain(letter)))
            self._store(session, case, changes, on, user)
            updated = rules.apply(case, changes, on)
            return replace(updated, supervisions=(*case.supervisions, letter))

    def _store(
        self, session: Session, case: Case, changes: list[Change], on: date, user: str
    ) -> None:
        row = session.get(CaseRow, case.id)
        assert row is not None
        for change in changes:
            if change.field in rules.FIELD_TYPES:
                setattr(row, change.field, _row_value(change.new))
        session.add(row)
        self._record(session, case.id, changes, on, user)

    def import_cases(
        self, items: list[Any], *, today: date, user: str, source: str
    ) -> tuple[list[Case], int]:
        """Register checked rows (importer.ImportedCase) in one transaction; skip ones already here.

        Each case's history is written as it happened: created on its receipt date, closed on its
        closing date, told on its feedback date. Returns the new cases and how many were skipped.
        """
        from shuoshi_cli.core.codes import Level
        from shuoshi_cli.core.dates import ParsedDate

        added: list[Case] = []
        skipped = 0
        with self._session() as session, session.begin():
            raw = session.connection()
            known = {row[0] for row in raw.exec_driver_sql("SELECT uid FROM cases")}
            next_id = (raw.exec_driver_sql("SELECT max(id) FROM cases").scalar() or 0) + 1
            for item in items:
                if item.uid in known:
                    skipped += 1
                    continue
                known.add(item.uid)
                draft = NewCase(
                    title=item.title, detail=item.detail, kind=item.kind, category=item.category,
                    channel=item.channel, reporter=item.reporter, phone=item.phone,
                    anonymous=item.anonymous, received_on=item.received_on, owner=item.owner,
                    due=ParsedDate(item.deadline) if item.deadline else None,
                )  # fmt: skip
                case, changes = rules.add(draft, case_id=next_id, uid=item.uid, today=today)
                changes.append(Change(rules.NOTE, None, f"导入自 {source}"))
                steps: list[tuple[list[Change], date]] = [(changes, item.received_on)]
                on = item.received_on
                if item.level != Level.VILLAGE:
                    steps.append(
                        (
                            rules.escalate(
                                case, item.level, "导入", None, None, on=on, today=today
                            ),
                            on,
                        )
                    )
                    case = rules.apply(case, steps[-1][0], on)
                if item.plan:
                    steps.append((rules.plan(case, item.plan, None, on=on, today=today), on))
                    case = rules.apply(case, steps[-1][0], on)
                if item.closed_on is not None:
                    on = item.closed_on
                    close = rules.close(case, item.outcome, item.result, on=on, today=today)
                    steps.append((close, on))
                    case = rules.apply(case, close, on)
                if item.feedback_on is not None:
                    on = item.feedback_on
                    told = rules.feedback(case, item.satisfaction, on=on, today=today)
                    steps.append((told, on))
                    case = rules.apply(case, told, on)
                session.add(CaseRow(id=next_id, **_row_values(case)))
                session.flush()
                for batch, day in steps:
                    self._append_history(session, next_id, batch, day, user)
                added.append(case)
                next_id += 1
            timeline.rebuild(self.connection.execute, [case.id for case in added])
        return added, skipped

    def erase_reporter(self, case_id: int, *, today: date, user: str) -> Case:
        """Remove a reporter's name and phone from the case, its history and the file's free pages.

        The history keeps that an erasure happened, not what was erased; the hash chain still
        verifies because erased values were only ever chained as salted digests (chain.py).
        """
        self.connection.execute("PRAGMA secure_delete = ON")
        with self._session() as session, session.begin():
            case = self._load(session, case_id)
            raw = session.connection()
            held = raw.exec_driver_sql(
                "SELECT count(*) FROM history WHERE case_id = ? AND field IN ('reporter', 'phone') "
                "AND (old IS NOT NULL OR new IS NOT NULL)",
                (case_id,),
            ).scalar_one()
            if not case.reporter and not case.phone and not held:
                raise WrongState("nothing_to_erase", id=case_id)
            raw.exec_driver_sql(
                "UPDATE history SET old = NULL, new = NULL, salt = NULL "
                "WHERE case_id = ? AND field IN ('reporter', 'phone')",
                (case_id,),
            )
            raw.exec_driver_sql(
                "UPDATE cases SET reporter = NULL, phone = NULL WHERE id = ?", (case_id,)
            )
            on = max(today, case.last_change_on or today)
            self._record(
                session, case_id, [Change(ERASURE, None, None, "reporter, phone")], on, user
            )
        with _db_errors(self.path):
            # Rebuild the file so no free page still holds the old values.
            self.connection.execute("VACUUM")
        return replace(case, reporter=None, phone=None, last_change_on=on)

    def add_session(
        self, held_on: date, place: str | None, topic: str | None, host: str | None
    ) -> SessionInfo:
        with self._session() as session, session.begin():
            row = TalkSession(held_on=held_on, place=place, topic=topic, host=host)
            session.add(row)
            session.flush()
            return SessionInfo(row.id or 0, held_on, place, topic, host)


def _row_value(value: Any) -> Any:
    return (
        value.value
        if isinstance(value, Kind | Channel | Level | Status | Outcome | Satisfaction)
        else value
    )


def _row_values(case: Case) -> dict[str, Any]:
    return {name: _row_value(getattr(case, name)) for name in _ROW_FIELDS}


def _plain(letter: Supervision) -> dict[str, Any]:
    return {f.name: getattr(letter, f.name) for f in fields(Supervision)}
