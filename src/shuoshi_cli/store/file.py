"""The ledger file at the SQLite level: identity, PRAGMAs, connections, transactions, errors,
migrations, and building or backing up a whole file.

Plain ``sqlite3`` only: reads and writes need neither SQLAlchemy nor SQLModel (only ``dump`` and
``load`` in store/dump.py use the SQLModel classes). Every connection gets the same PRAGMAs
(``synchronous=FULL``, a busy timeout, foreign keys, ``trusted_schema=OFF``); a file is checked to
be a shuoshi ledger of a known schema before anything is read or written; an older schema is
migrated in one transaction after a backup copy is written.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from shuoshi_cli.core.case import DEFAULT_CATEGORIES, LedgerInfo
from shuoshi_cli.core.errors import (
    BadInput,
    Busy,
    Corrupt,
    IOFailure,
    NewerFormat,
    NotALedger,
    NotFound,
    ShuoshiError,
)
from shuoshi_cli.store.migrations import LATEST, MIGRATIONS

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x53485348  # "SHSH": marks a file as a shuoshi ledger (PRAGMA application_id)
DEFAULT_BUSY_SECONDS = 10.0


def busy_seconds() -> float:
    """How long to wait for another clerk's write lock (SPEC: at least 5 s)."""
    try:
        return max(float(os.environ.get("SHUOSHI_BUSY_TIMEOUT", DEFAULT_BUSY_SECONDS)), 0.1)
    except ValueError:
        return DEFAULT_BUSY_SECONDS


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
        raise os_error(error, path.name) from None


def os_error(error: OSError, path: str) -> IOFailure:
    """An OS error as the user sees it; ``errno`` lets the boundary say it in their language."""
    return IOFailure("os_error", path=path, reason=error.strerror or str(error), errno=error.errno)


# ---------------------------------------------------------------- connections


SQLITE_WAIT = 0.2  # seconds SQLite itself waits for a lock; longer waits happen in Python
_SQLITE_BUSY = 5


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == _SQLITE_BUSY
    return "database is locked" in str(error).lower()


def patiently(call: Callable[..., Any], *args: Any) -> Any:
    """Run one statement, trying again while another process holds a lock it needs, up to the
    busy timeout.

    SQLite waits only SQLITE_WAIT itself (a long wait inside SQLite cannot be interrupted), so the
    rest of the wait happens here in small steps and Ctrl-C is felt at once. Retrying is safe: a
    statement refused as busy has done nothing (SQLite keeps the transaction as it was).
    """
    deadline = None
    while True:
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            now = time.monotonic()
            if deadline is None:
                deadline = now + busy_seconds() - SQLITE_WAIT
            if now >= deadline:
                raise
            time.sleep(0.05)


class PatientConnection(sqlite3.Connection):
    """A connection whose statements wait for another clerk's lock (``patiently``), whatever the
    lock: a reader meeting a writer's ``BEGIN EXCLUSIVE`` or commit waits like a writer does."""

    def execute(self, *args: Any) -> sqlite3.Cursor:
        return patiently(super().execute, *args)  # type: ignore[no-any-return]

    def executemany(self, *args: Any) -> sqlite3.Cursor:
        return patiently(super().executemany, *args)  # type: ignore[no-any-return]

    def executescript(self, *args: Any) -> sqlite3.Cursor:
        return patiently(super().executescript, *args)  # type: ignore[no-any-return]


def copy_whole(source: sqlite3.Connection, target: sqlite3.Connection, path: Path) -> None:
    """SQLite's online backup of ``source`` into ``target``, as of one committed moment.

    The read lock is taken first, patiently: Python's ``backup()`` would otherwise retry a lock
    held by another process forever, deaf to Ctrl-C.
    """
    with transaction(source, path, write=False):
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        source.backup(target)


def begin_immediate(execute: Callable[[str], Any], path: Path) -> None:
    """Take the write lock, waiting up to the busy timeout for another clerk to finish.

    The waiting is done in small steps rather than inside SQLite (``patiently``), so Ctrl-C is
    felt at once.
    """
    patient = isinstance(getattr(execute, "__self__", None), PatientConnection)
    try:
        if patient:
            execute("BEGIN IMMEDIATE")
        else:
            patiently(execute, "BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if not _is_busy(error):
            raise
        raise Busy("busy", path=path.name) from None


@contextmanager
def transaction(
    connection: sqlite3.Connection, path: Path, *, write: bool = True
) -> Iterator[sqlite3.Connection]:
    """One transaction, committed whole or rolled back whole (also on Ctrl-C).

    Writers begin with ``BEGIN IMMEDIATE`` so a rule never reads a case another clerk is
    changing; SQLite failures inside become the errors a user can act on (``translate``).
    """
    with sqlite_errors(path):
        if write:
            begin_immediate(connection.execute, path)
        else:
            connection.execute("BEGIN")
        try:
            yield connection
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def run_migrations(execute: Callable[..., Any], start: int, stop: int | None = None) -> None:
    """Run the schema steps that take a file from version ``start`` to ``stop`` (default: the
    latest) inside the caller's transaction; the one loop over MIGRATIONS."""
    for step in MIGRATIONS[start:stop]:
        step(execute)
    if stop is None:
        execute(f"PRAGMA user_version = {LATEST}")


def sqlite_uri(absolute: PurePath | str, mode: str) -> str:
    """The ``file:`` URI SQLite opens ``absolute`` by, in ``mode`` (ro, rw or rwc).

    SQLite accepts no host in a URI, so a Windows network path (``\\\\server\\share\\...``,
    a township's shared folder), which Python writes as ``file://server/share/...``, is given
    as an empty host and the whole ``//server/share/...`` path instead.
    """
    if os.name == "posix" and isinstance(absolute, str):
        # The common case without pathlib, which costs more than the rest of the URI.
        return f"file://{quote(os.fsencode(absolute))}?mode={mode}"
    uri = (absolute if isinstance(absolute, PurePath) else PurePath(absolute)).as_uri()
    if not uri.startswith("file:///"):
        uri = "file:////" + uri.removeprefix("file://")
    return f"{uri}?mode={mode}"


def connect(path: Path, mode: str) -> sqlite3.Connection:
    """A raw connection with the ledger PRAGMAs; ``mode`` is SQLite's ro, rw or rwc."""
    # An absolute path without resolving symlinks: SQLite follows them itself, and resolving
    # costs a system call per folder on every one of a sweep's thousand files.
    uri = sqlite_uri(os.path.abspath(path), mode)
    # ``timeout`` is SQLite's own busy wait, kept short; every statement then keeps trying
    # (PatientConnection) up to busy_seconds(), so Ctrl-C is felt at once.
    connection = sqlite3.connect(
        uri,
        uri=True,
        timeout=SQLITE_WAIT,
        isolation_level=None,
        check_same_thread=False,
        factory=PatientConnection,
    )
    if mode == "ro":
        # Nothing is written, so durability and foreign keys do not arise; one round trip only.
        connection.execute("PRAGMA trusted_schema = OFF")
    else:
        connection.executescript(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;"
        )
    return connection


def read_header(path: Path) -> tuple[int, int]:
    """Identify a file from its first 100 bytes, before SQLite touches it: (user_version, app id).

    A file that is not SQLite, or an SQLite file in WAL mode (which cannot be copied alone safely),
    is refused here, so foreign files are never opened at all.
    """
    try:
        with open(path, "rb", buffering=0) as handle:
            header = handle.read(100)
    except OSError as error:
        raise os_error(error, path.name) from None
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise NotALedger("not_a_ledger", path=path.name)
    app_id = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big", signed=True)
    if app_id != APPLICATION_ID:
        raise NotALedger("not_a_ledger", path=path.name)
    if header[18] == 2 or header[19] == 2:
        raise Corrupt("wal_mode", path=path.name)
    return version, app_id


def is_ledger_file(path: Path) -> bool:
    """Whether ``path`` is an existing shuoshi ledger (so an output must never replace it)."""
    try:
        read_header(path)
    except (ShuoshiError, OSError):
        return False
    return True


# The meta key of a ledger's own identity: a UUID written by ``init`` (since issue 14) and kept
# by every copy, dump and load, so two copies of one ledger know each other even while empty.
LEDGER_ID = "ledger_id"


@dataclass(frozen=True)
class Head:
    """What opening a ledger learns in its first read: enough to refuse it, or to name it."""

    version: int  # the schema version found (before any migration)
    info: LedgerInfo
    first_uid: str | None  # the first case's uid: which ledger this is, whatever its file name
    last_written: str  # when the history was last written ('' if never): the newer of two copies
    ledger_id: str | None = None  # meta ``ledger_id``; None in files made before it existed

    @property
    def identity(self) -> str:
        """Which ledger this is, whatever its file name: its ``ledger_id``; for a file made before
        ledger ids, its first case's uid; for such a file with no case yet, its village (county,
        township, village), which an older empty copy shares with the copy written since."""
        if self.ledger_id:
            return f"id:{self.ledger_id}"
        if self.first_uid:
            return f"uid:{self.first_uid}"
        return "place:" + self.place

    @property
    def place(self) -> str:
        return "\x1f".join((self.info.county, self.info.township, self.info.village))


def identify(connection: sqlite3.Connection, path: Path, version: int) -> Head:
    """Check through SQLite that a file whose header read as schema ``version`` is a ledger we
    can read, and say whose it is.

    One statement, since the sweeps open a thousand files and every round trip counts.
    """
    if version > LATEST:
        raise NewerFormat("newer_format", path=path.name, version=version, latest=LATEST)
    if version < 1:
        raise Corrupt("corrupt", path=path.name)
    with sqlite_errors(path):
        extras, meta, first, latest = connection.execute(
            "SELECT (SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')), "
            "(SELECT json_group_array(json_array(key, value)) FROM meta), "
            "(SELECT uid FROM cases ORDER BY id LIMIT 1), "
            "(SELECT at FROM history ORDER BY seq DESC LIMIT 1)"
        ).fetchone()
    if extras:
        # shuoshi never creates triggers or views: code hidden in a file is refused, not run.
        raise Corrupt("unexpected_schema", path=path.name)
    try:
        rows = json.loads(meta)
        info = _info(rows)
    except (ValueError, TypeError):
        raise Corrupt("corrupt", path=path.name) from None
    ledger_id = next((str(value) for key, value in rows if key == LEDGER_ID), None)
    return Head(int(version), info, first, latest or "", ledger_id)


def migrate(connection: sqlite3.Connection, path: Path, version: int) -> Path:
    """Bring an older file up to date in one transaction, after writing a backup beside it."""
    backup = path.with_name(f"{path.name}.v{version}.bak")
    with sqlite_errors(path):
        target = sqlite3.connect(str(backup))
        try:
            copy_whole(connection, target, path)
        finally:
            target.close()
    try:
        with transaction(connection, path):
            run_migrations(connection.execute, version)
    except (Busy, IOFailure):
        raise
    except ShuoshiError:
        raise IOFailure("migration_failed", path=path.name, version=version) from None
    return backup


def open_connection(path: str | os.PathLike[str], write: bool) -> tuple[Path, sqlite3.Connection]:
    """Open an existing ledger; refuse a missing path, a foreign file or a newer schema untouched.

    Read-write connections migrate an older file; read-only ones (the sweeps) upgrade a copy in
    memory and leave the file as it is.
    """
    file, connection, _ = open_with_head(path, write)
    return file, connection


def open_with_head(
    path: str | os.PathLike[str], write: bool
) -> tuple[Path, sqlite3.Connection, Head]:
    """``open_connection``, also returning what the first read learned about the ledger."""
    file = Path(path)
    try:
        is_folder = stat.S_ISDIR(os.stat(file).st_mode)  # one system call: sweeps open thousands
    except FileNotFoundError:
        raise NotFound("ledger_missing", path=str(file)) from None
    except OSError:
        is_folder = False  # read_header says what is wrong
    if is_folder:
        raise BadInput("ledger_is_dir", path=str(file))
    version, _ = read_header(file)  # refuses a foreign file before SQLite opens it
    if version > LATEST:
        raise NewerFormat("newer_format", path=file.name, version=version, latest=LATEST)
    try:
        with sqlite_errors(file):
            connection = connect(file, "rw" if write else "ro")
    except IOFailure as error:
        raise _explained(error, file, write) from None
    try:
        head = _identify_or_explain(connection, file, write, version)
        if head.version < LATEST:
            if write:
                migrate(connection, file, head.version)
            else:
                connection = _upgraded_copy(connection, file, head.version)
    except BaseException:
        connection.close()
        raise
    return file, connection, head


def _identify_or_explain(
    connection: sqlite3.Connection, path: Path, write: bool, version: int
) -> Head:
    try:
        return identify(connection, path, version)
    except IOFailure as error:
        raise _explained(error, path, write) from None


def _explained(error: IOFailure, path: Path, write: bool) -> ShuoshiError:
    """A read-only reader meeting an interrupted write is told what it means.

    A hot journal beside the file can only be rolled back by a read-write open; an auditor's
    read-only sweep must neither do that nor suggest deleting the journal (that loses data).
    """
    journal = path.with_name(path.name + "-journal")
    if not write and error.key == "read_only" and journal.exists():
        return Corrupt("interrupted_write", path=path.name)
    return error


def _upgraded_copy(connection: sqlite3.Connection, path: Path, version: int) -> sqlite3.Connection:
    """An older ledger opened read-only is migrated in memory: an auditor never changes a file."""
    with sqlite_errors(path):
        memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        copy_whole(connection, memory, path)
        connection.close()
        with transaction(memory, path, write=False):
            run_migrations(memory.execute, version)
    return memory


def read_info(connection: sqlite3.Connection) -> LedgerInfo:
    """The ``meta`` table as a LedgerInfo."""
    return _info(connection.execute("SELECT key, value FROM meta").fetchall())


def _info(rows: list[Any]) -> LedgerInfo:
    meta = {str(key): str(value) for key, value in rows}
    categories = tuple(json.loads(meta["categories"])) if "categories" in meta else ()
    return LedgerInfo(
        village=meta.get("village", ""),
        township=meta.get("township", ""),
        county=meta.get("county", ""),
        area_code=meta.get("area_code"),
        categories=categories or DEFAULT_CATEGORIES,
    )


def build_ledger(
    target: Path,
    fill: Callable[[sqlite3.Connection], None],
    *,
    schema: int = LATEST,
    verify: Callable[[sqlite3.Connection], None] | None = None,
) -> Path:
    """Create a new ledger file at ``target`` (never over an existing one), whole or not at all.

    The schema is built up to ``schema``, ``fill`` writes the rows (a dump of that version, or
    just the meta), later migrations bring it up to date, all in one transaction; ``verify`` may
    refuse the result before it is moved into place.
    """
    from shuoshi_cli.store.atomic import create_new

    if target.is_dir():
        raise BadInput("ledger_is_dir", path=str(target))

    def write(temp: Path) -> None:
        with sqlite_errors(temp):
            connection = connect(temp, "rwc")
            try:
                connection.execute("PRAGMA journal_mode = DELETE")
                connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                with transaction(connection, temp):
                    run_migrations(connection.execute, 0, schema)
                    fill(connection)
                    run_migrations(connection.execute, schema)
                if verify is not None:
                    verify(connection)
            finally:
                connection.close()

    return create_new(target, write, "ledger_exists")


def backup(path: str | os.PathLike[str], dest: str, today_stamp: str) -> Path:
    """A consistent copy of a ledger, even while another clerk writes to it.

    SQLite's online backup copies every page under one read lock, so the copy is a committed state.
    It is written beside the destination and moved into place; an existing file is never replaced.
    A folder as ``dest`` gets ``NAME-STAMP.db`` inside it (``NAME-STAMP-2.db`` … when that is
    taken, so two backups in the same second never collide); a ``dest`` ending in a separator
    must be an existing folder, never a new file of that name.
    """
    from shuoshi_cli.store.atomic import create_new

    target = Path(dest)
    in_folder = target.is_dir()
    separators = tuple(s for s in (os.sep, os.altsep, "/") if s)
    if dest.endswith(separators) and not in_folder:
        raise NotFound("folder_missing", path=dest)
    file, connection = open_connection(path, write=False)
    try:

        def write(temp: Path) -> None:
            with sqlite_errors(file):
                copy = sqlite3.connect(str(temp))
                try:
                    copy_whole(connection, copy, file)
                    copy.execute("PRAGMA journal_mode = DELETE")
                finally:
                    copy.close()

        if not in_folder:
            return create_new(target, write, "backup_exists")
        for number in range(1, 1000):
            suffix = "" if number == 1 else f"-{number}"
            name = f"{file.stem}-{today_stamp}{suffix}{file.suffix or '.db'}"
            if (target / name).exists():
                continue
            try:
                return create_new(target / name, write, "backup_exists")
            except BadInput as error:
                if error.key != "backup_exists":
                    raise
                # another backup took the name between the check and the link: the next one
        raise BadInput("backup_exists", path=str(target))
    finally:
        connection.close()
