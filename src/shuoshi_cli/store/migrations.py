"""Schema migrations: an append-only list of named steps keyed on ``PRAGMA user_version``.

Step N brings a file from version N-1 to N. Steps are plain SQL so that what a file contains never
depends on how today's models look. Never edit a released step; add a new one. Running them is
ledgerfile.py's job (backup first, one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def m001_initial(execute: Callable[..., Any]) -> None:
    """The first schema: meta, sessions, cases, history, supervisions, and the sweep indexes."""
    execute(
        """CREATE TABLE meta (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )
    execute(
        """CREATE TABLE sessions (
            id INTEGER NOT NULL PRIMARY KEY,
            held_on DATE NOT NULL,
            place TEXT,
            topic TEXT,
            host TEXT
        )"""
    )
    execute(
        """CREATE TABLE cases (
            id INTEGER NOT NULL PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            detail TEXT,
            kind TEXT NOT NULL DEFAULT 'request'
                CHECK (kind IN ('request', 'suggestion', 'complaint', 'inquiry')),
            category TEXT,
            channel TEXT NOT NULL DEFAULT 'other'
                CHECK (channel IN ('talk', 'app', 'visit', 'phone', 'tourist', 'other')),
            reporter TEXT,
            phone TEXT,
            anonymous BOOLEAN NOT NULL DEFAULT 0,
            received_on DATE NOT NULL,
            session INTEGER REFERENCES sessions (id),
            owner TEXT,
            deadline DATE,
            level TEXT NOT NULL DEFAULT 'village' CHECK (level IN ('village', 'township', 'county')),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            outcome TEXT CHECK (outcome IN ('resolved', 'explained', 'planned')),
            result TEXT,
            closed_on DATE,
            feedback_on DATE,
            satisfaction TEXT CHECK (satisfaction IN ('satisfied', 'basic', 'unsatisfied')),
            plan TEXT,
            CHECK (NOT anonymous OR (reporter IS NULL AND phone IS NULL)),
            CHECK ((status = 'closed') = (closed_on IS NOT NULL))
        )"""
    )
    execute(
        """CREATE TABLE history (
            seq INTEGER NOT NULL PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases (id),
            at TEXT NOT NULL,
            effective DATE NOT NULL,
            user TEXT NOT NULL,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT,
            note TEXT
        )"""
    )
    execute(
        """CREATE TABLE supervisions (
            id INTEGER NOT NULL PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases (id),
            sent_on DATE NOT NULL,
            letter TEXT NOT NULL,
            deadline DATE,
            previous_deadline DATE
        )"""
    )
    # The month sweeps ask "open with a deadline before D" and "received in the month".
    execute("CREATE INDEX ix_cases_status_deadline ON cases (status, deadline)")
    execute("CREATE INDEX ix_cases_received_on ON cases (received_on)")
    execute("CREATE INDEX ix_history_case ON history (case_id, effective, seq)")
    execute("CREATE INDEX ix_history_effective ON history (effective)")
    execute("CREATE INDEX ix_supervisions_case ON supervisions (case_id)")


def m002_history_chain(execute: Callable[..., Any]) -> None:
    """Chain every history entry to the one before it (tamper evidence for ``check``).

    Values enter the chain as digests salted per entry, so erasing a reporter can delete the values
    and the salt while the chain still verifies (see chain.py).
    """
    from shuoshi_cli.core.chain import GENESIS, digest, link, new_salt

    for column in ("salt", "old_digest", "new_digest", "hash"):
        execute(f"ALTER TABLE history ADD COLUMN {column} TEXT")
    previous = GENESIS
    rows = execute(
        "SELECT seq, case_id, at, effective, user, field, old, new, note FROM history ORDER BY seq"
    ).fetchall()
    for seq, case_id, at, effective, user, field, old, new, note in rows:
        salt = new_salt()
        old_digest, new_digest = digest(old, salt), digest(new, salt)
        previous = link(
            previous, seq, case_id, at, effective, user, field, old_digest, new_digest, note
        )
        execute(
            "UPDATE history SET salt = ?, old_digest = ?, new_digest = ?, hash = ? WHERE seq = ?",
            (salt, old_digest, new_digest, previous, seq),
        )


def m003_history_effective_index(execute: Callable[..., Any]) -> None:
    """Let "which cases changed after day D" read the index alone.

    With ``(effective)`` only, SQLite preferred scanning the whole history by case; the month
    sweeps ask this question of every ledger, so it must be a range read.
    """
    execute("DROP INDEX ix_history_effective")
    execute("CREATE INDEX ix_history_effective ON history (effective, case_id)")


def m004_timeline(execute: Callable[..., Any]) -> None:
    """Keep each case's month fields by stretch of days (timeline.py), built from the history.

    The month sweeps then read every case's state at D with an index range instead of replaying
    histories in each query (a county of a thousand ledgers is counted about ten times faster).
    """
    from shuoshi_cli.store.timeline import rebuild

    execute(
        """CREATE TABLE timeline (
            case_id INTEGER NOT NULL REFERENCES cases (id),
            since DATE NOT NULL,
            until DATE NOT NULL,
            received_on DATE NOT NULL,
            kind TEXT NOT NULL,
            category TEXT,
            channel TEXT NOT NULL,
            owner TEXT,
            deadline DATE,
            level TEXT NOT NULL,
            status TEXT NOT NULL,
            outcome TEXT,
            closed_on DATE,
            feedback_on DATE,
            satisfaction TEXT,
            marks INTEGER NOT NULL,
            days INTEGER,
            PRIMARY KEY (case_id, since)
        ) WITHOUT ROWID"""
    )
    # "Received in the month" (holding what the counts read) and "open at the end of last month",
    # each a range read of one index.
    execute(
        "CREATE INDEX ix_timeline_received "
        "ON timeline (received_on, until, since, status, deadline, marks, days)"
    )
    execute("CREATE INDEX ix_timeline_status ON timeline (status, until, since, received_on)")
    rebuild(execute)


MIGRATIONS: list[Callable[[Callable[..., Any]], None]] = [
    m001_initial,
    m002_history_chain,
    m003_history_effective_index,
    m004_timeline,
]
LATEST = len(MIGRATIONS)
TIMELINE_SCHEMA = MIGRATIONS.index(m004_timeline) + 1  # the first schema with a timeline table
