"""A ledger as lossless JSON (``dump``) and back (``load``).

Every table row is written with its column names and stored values (dates as ISO text, enum codes,
the history chain), so ``load`` rebuilds a file that ``check`` passes and that dumps to the same JSON.
A dump from an older schema is loaded at its own version and then migrated like any old file.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from shuoshi_cli.core.errors import BadInput, Corrupt, IOFailure
from shuoshi_cli.store import timeline
from shuoshi_cli.store.file import build_ledger, open_connection, sqlite_errors
from shuoshi_cli.store.migrations import LATEST, TIMELINE_SCHEMA

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
    from shuoshi_cli.store.check import check

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadInput("not_a_dump")
    schema = data.get("schema")
    if not isinstance(schema, int) or not 1 <= schema <= LATEST:
        raise BadInput("dump_schema", version=schema, latest=LATEST)
    for table in TABLES:
        rows = data.get(table)
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise BadInput("dump_table", table=table)

    def fill(connection: sqlite3.Connection) -> None:
        for table in TABLES:
            _insert(connection, table, data[table])
        if schema >= TIMELINE_SCHEMA:
            # Derived from the history, so never dumped: built afresh (older dumps get it from m004).
            timeline.rebuild(connection.execute)

    def verify(connection: sqlite3.Connection) -> None:
        try:
            problems = check(connection)
        except (ValueError, TypeError):
            # A value of the wrong shape (a date that is not a date) in an edited dump.
            raise BadInput("dump_rejected", reason="malformed value") from None
        if problems:
            raise Corrupt("dump_inconsistent", count=len(problems))

    try:
        build_ledger(Path(target), fill, schema=schema, verify=verify)
    except Corrupt:
        raise
    except IOFailure as error:
        # SQLite refusing a row (a constraint, a type) reaches us through sqlite_errors().
        if error.key == "os_error":
            raise
        raise BadInput("dump_rejected", reason=error.key) from None
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
