"""The ledger file at the SQLite level: identity, PRAGMAs, errors and migrations.

Plain ``sqlite3`` only, so that read-only sweeps over many ledgers need neither SQLAlchemy nor
SQLModel. Every connection gets the same PRAGMAs (``synchronous=FULL``, a busy timeout, foreign keys,
``trusted_schema=OFF``); a file is checked to be a shuoshi ledger of a known schema before anything
is read or written; an older schema is migrated in one transaction after a backup copy is written.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from shuoshi_cli.errors import (
    BadInput,
    Busy,
    Corrupt,
    IOFailure,
    NewerFormat,
    NotALedger,
    NotFound,
    ShuoshiError,
)
from shuoshi_cli.ledger import DEFAULT_CATEGORIES
from shuoshi_cli.migrations import LATEST, MIGRATIONS

APPLICATION_ID = 0x53485348  # "SHSH": marks a file as a shuoshi ledger (PRAGMA application_id)
DEFAULT_BUSY_SECONDS = 10.0


def busy_seconds() -> float:
    """How long to wait for another clerk's write lock (SPEC: at least 5 s)."""
    try:
        return max(float(os.environ.get("SHUOSHI_BUSY_TIMEOUT", DEFAULT_BUSY_SECONDS)), 0.1)
    except ValueError:
        return DEFAULT_BUSY_SECONDS


@dataclass(frozen=True)
class LedgerInfo:
    """Who the ledger belongs to (the ``meta`` table)."""

    village: str
    township: str
    county: str
    area_code: str | None = None
    categories: tuple[str, ...] = DEFAULT_CATEGORIES


@dataclass(frozen=True)
class SessionInfo:
    """A talk session (说事活动)."""

    id: int
    held_on: date
    place: str | None
    topic: str | None
    host: str | None


# ---------------------------------------------------------------- errors from SQLite


def translate(error: BaseException, path: Path) -> ShuoshiError:
    """Map a SQLite failure to the error a user can act on; never echo data from the file."""
    text = str(getattr(error, "orig", error)).lower()
    name = path.name
    if "locked" in text or "busy" in text:
        return Busy("busy", path=name)
    if "not a database" in text:
        return NotALedger("not_a_ledger", path=name)
    if "malformed" in text or "corrupt" in text:
        return Corrupt("corrupt", path=name)
    if "readonly" in text or "read-only" in text:
        return IOFailure("read_only", path=name)
    if "full" in text:
        return IOFailure("disk_full", path=name)
    if "unable to open" in text or "disk i/o" in text:
        return IOFailure("cannot_open", path=name)
    return Corrupt("corrupt", path=name)


@contextmanager
def sqlite_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise translate(error, path) from None
    except OSError as error:
        raise IOFailure("os_error", path=path.name, reason=error.strerror or str(error)) from None


# ---------------------------------------------------------------- connections


def connect(path: Path, mode: str) -> sqlite3.Connection:
    """A raw connection with the ledger PRAGMAs; ``mode`` is SQLite's ro, rw or rwc."""
    uri = path.resolve().as_uri() + f"?mode={mode}"
    connection = sqlite3.connect(
        uri, uri=True, timeout=busy_seconds(), isolation_level=None, check_same_thread=False
    )
    connection.execute(f"PRAGMA busy_timeout = {int(busy_seconds() * 1000)}")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA trusted_schema = OFF")
    return connection


def identify(connection: sqlite3.Connection, path: Path) -> int:
    """Check the file is a shuoshi ledger we can read; return its schema version."""
    with sqlite_errors(path):
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise NotALedger("not_a_ledger", path=path.name)
    if version > LATEST:
        raise NewerFormat("newer_format", path=path.name, version=version, latest=LATEST)
    if version < 1:
        raise Corrupt("corrupt", path=path.name)
    if str(journal).lower() == "wal":
        raise Corrupt("wal_mode", path=path.name)
    return int(version)


def migrate(connection: sqlite3.Connection, path: Path, version: int) -> Path:
    """Bring an older file up to date in one transaction, after writing a backup beside it."""
    backup = path.with_name(f"{path.name}.v{version}.bak")
    with sqlite_errors(path):
        target = sqlite3.connect(str(backup))
        try:
            connection.backup(target)
        finally:
            target.close()
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            for step in MIGRATIONS[version:]:
                step(connection.execute)
            connection.execute(f"PRAGMA user_version = {LATEST}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    except sqlite3.Error as error:
        translated = translate(error, path)
        if isinstance(translated, Busy | IOFailure):
            raise translated from None
        raise IOFailure("migration_failed", path=path.name, version=version) from None
    return backup


def open_connection(path: str | os.PathLike[str], write: bool) -> tuple[Path, sqlite3.Connection]:
    """Open an existing ledger; refuse a missing path, a foreign file or a newer schema untouched.

    Read-write connections migrate an older file; read-only ones (the sweeps) refuse it.
    """
    file = Path(path)
    if not file.exists():
        raise NotFound("ledger_missing", path=str(file))
    if file.is_dir():
        raise BadInput("ledger_is_dir", path=str(file))
    with sqlite_errors(file):
        connection = connect(file, "rw" if write else "ro")
    try:
        version = identify(connection, file)
        if version < LATEST:
            if not write:
                raise NewerFormat("needs_upgrade", path=file.name)
            migrate(connection, file, version)
    except BaseException:
        connection.close()
        raise
    return file, connection


def read_info(connection: sqlite3.Connection) -> LedgerInfo:
    """The ``meta`` table as a LedgerInfo."""
    meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    categories = tuple(json.loads(meta["categories"])) if "categories" in meta else ()
    return LedgerInfo(
        village=meta.get("village", ""),
        township=meta.get("township", ""),
        county=meta.get("county", ""),
        area_code=meta.get("area_code"),
        categories=categories or DEFAULT_CATEGORIES,
    )
