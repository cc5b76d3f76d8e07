"""The tables of a ledger file (schema version 6), as SQLModel classes.

The file format is documented in docs/schema.md and created by store/migrations.py, which is the
truth: these classes describe it (tables, columns, types, NOT NULL, keys and indexes) and
tests/test_models.py checks both ways that they match what the migrations build. ``load``
(store/dump.py) validates every row of a dump through them, and ``dump`` takes its columns from them.
Dates are ISO text, booleans 0/1, enums their English codes, so the file reads well in plain ``sqlite3``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    """Key/value facts about the ledger: village, township, county, area_code, categories."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str


class TalkSession(SQLModel, table=True):
    """A talk session (说事活动) where matters were raised."""

    __tablename__ = "sessions"

    id: int | None = Field(default=None, primary_key=True)
    held_on: date
    place: str | None = None
    topic: str | None = None
    host: str | None = None
    at: str | None = None  # when it was registered (since schema 8)


class CaseRow(SQLModel, table=True):
    """A case's current state: one column per field of SPEC section 2."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("uid"),
        # The month sweeps ask "open with a deadline before D" and "received in the month".
        Index("ix_cases_status_deadline", "status", "deadline"),
        Index("ix_cases_received_on", "received_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str
    title: str
    detail: str | None = None
    kind: str = "request"
    category: str | None = None
    channel: str = "other"
    reporter: str | None = None
    phone: str | None = None
    anonymous: bool = False
    received_on: date
    session: int | None = Field(default=None, foreign_key="sessions.id")
    owner: str | None = None
    deadline: date | None = None
    level: str = "village"
    status: str = "open"
    outcome: str | None = None
    result: str | None = None
    closed_on: date | None = None
    feedback_on: date | None = None
    satisfaction: str | None = None
    plan: str | None = None
    void_reason: str | None = None
    duplicate_of: int | None = None


class HistoryRow(SQLModel, table=True):
    """One append-only history line: who changed which field, when, and to what."""

    __tablename__ = "history"
    __table_args__ = (
        Index("ix_history_case", "case_id", "effective", "seq"),
        Index("ix_history_effective", "effective", "case_id"),
        Index("ix_history_at", "at", "effective", "field", "case_id"),
        # The reopenings alone (a partial index), for the scope of a period (store/read.py).
        Index(
            "ix_history_reopened",
            "effective",
            "case_id",
            "field",
            "old",
            "new",
            sqlite_where=text("field = 'status' AND old = 'closed' AND new = 'open'"),
        ),
    )

    seq: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    at: str
    effective: date
    user: str
    field: str
    old: str | None = None
    new: str | None = None
    note: str | None = None
    salt: str | None = None
    old_digest: str | None = None
    new_digest: str | None = None
    hash: str | None = None


class SupervisionRow(SQLModel, table=True):
    """A supervision letter (督办函) recorded against a case, and the village's reply to it."""

    __tablename__ = "supervisions"
    __table_args__ = (Index("ix_supervisions_case", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    sent_on: date
    letter: str
    deadline: date | None = None
    previous_deadline: date | None = None
    reply_on: date | None = None  # since schema 6
    reply: str | None = None


class TimelineRow(SQLModel, table=True):
    """A case's month fields over one stretch of days (derived from history; store/timeline.py).

    shuoshi writes it through store/timeline.py ``rebuild`` (in the transaction that writes the
    history, and on ``load``); migration m004 built it, m007 rebuilt it (adding ``missed_on``) and
    m008 again (adding ``lapsed_on``), each with its own frozen copy of the builder.
    """

    __tablename__ = "timeline"
    __table_args__ = (
        # "Received in the month" (holding what the counts read), "open at the end of last month".
        Index(
            "ix_timeline_received",
            "received_on",
            "until",
            "since",
            "status",
            "deadline",
            "missed_on",
            "lapsed_on",
            "marks",
            "days",
        ),
        Index("ix_timeline_status", "status", "until", "since", "received_on"),
    )

    case_id: int = Field(foreign_key="cases.id", primary_key=True)
    since: date = Field(primary_key=True)
    until: date
    received_on: date
    kind: str
    category: str | None = None
    channel: str
    owner: str | None = None
    deadline: date | None = None
    level: str
    status: str
    outcome: str | None = None
    closed_on: date | None = None
    feedback_on: date | None = None
    satisfaction: str | None = None
    marks: int
    days: int | None = None
    # The first deadline missed in the current open stretch and since moved, or in force when the
    # case was closed (lateness sticks, SPEC 4; core/history.py Missed). Since schema 7 (added last).
    missed_on: date | None = None
    # The day a reopening began the current stretch when the deadline in force had already passed
    # (it cannot be missed in it). Since schema 8 (added last).
    lapsed_on: date | None = None
