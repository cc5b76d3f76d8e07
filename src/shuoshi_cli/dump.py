"""A ledger as lossless JSON (``dump``) and back (``load``).

Every table row is written with its column names and stored values (dates as ISO text, enum codes,
the history chain), so ``load`` rebuilds a file that ``check`` passes and that dumps to the same JSON.
A dump from an older schema is loaded at its own version and then migrated like any old file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from shuoshi_cli.errors import BadInput, Corrupt, IOFailure
from shuoshi_cli.fileformat import APPLICATION_ID, connect, open_connection, sqlite_errors
from shuoshi_cli.migrations import LATEST, MIGRATIONS

FORMAT = "shuoshi-ledger"
TABLES = ("meta", "sessions", "cases", "history", "supervisions")
_ORDER = {"meta": "key", "sessions": "id", "cases": "id", "history": "seq", "supervisions": "id"}


def dump_ledger(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The whole ledger as one JSON-ready dict."""
    file, connection = open_connection(path, write=True)
    try:
        with sqlite_errors(file):
            data: dict[str, Any] = {"format": FORMAT, "schema": LATEST}
            for table in TABLES:
                cursor = connection.execute(f"SELECT * FROM {table} ORDER BY {_ORDER[table]}")
                names = [d[0] for d in cursor.description]
                data[table] = [dict(zip(names, row, strict=True)) for row in cursor]
    finally:
        connection.close()
    return data


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def load_ledger(data: Any, target: str | os.PathLike[str]) -> int:
    """Create ``target`` from a dump; refuse an existing file or an inconsistent dump. Returns cases."""
    from shuoshi_cli.checkup import check
    from shuoshi_cli.ledgerfile import _place

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadInput("not_a_dump")
    schema = data.get("schema")
    if not isinstance(schema, int) or not 1 <= schema <= LATEST:
        raise BadInput("dump_schema", version=schema, latest=LATEST)
    for table in TABLES:
        rows = data.get(table)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise BadInput("dump_table", table=table)
    file = Path(target)
    if file.exists():
        raise BadInput("ledger_exists", path=str(file))
    folder = file.resolve().parent
    if not folder.is_dir():
        raise BadInput("folder_missing", path=str(file.parent))
    handle, temp_name = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        connection = connect(temp, "rwc")
        try:
            connection.execute("PRAGMA journal_mode = DELETE")
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute("BEGIN IMMEDIATE")
            for step in MIGRATIONS[:schema]:
                step(connection.execute)
            for table in TABLES:
                _insert(connection, table, data[table])
            for step in MIGRATIONS[schema:]:
                step(connection.execute)
            connection.execute(f"PRAGMA user_version = {LATEST}")
            connection.execute("COMMIT")
            problems = check(connection)
        except sqlite3.Error as error:
            raise BadInput("dump_rejected", reason=str(error)[:120]) from None
        finally:
            connection.close()
        if problems:
            raise Corrupt("dump_inconsistent", count=len(problems))
        _place(temp, file)
    except OSError as error:
        raise IOFailure("os_error", path=str(file), reason=error.strerror or str(error)) from None
    finally:
        temp.unlink(missing_ok=True)
    return len(data["cases"])


def _insert(connection: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise BadInput("dump_column", table=table, column=sorted(unknown)[0])
        names = list(row)
        connection.execute(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [row[n] for n in names],
        )
