"""A ledger as lossless JSON (``dump``) and back (``load``).

Every table row is written with its column names and stored values (dates as ISO text, booleans
0/1, enum codes, the history chain), so ``load`` rebuilds a file that ``check`` passes and that
dumps to the same JSON. The columns and their order come from the SQLModel classes (models.py,
tested against the migrations); ``load`` validates every row through them before writing anything,
so a hand-edited dump is refused naming the table and row. A dump from an older schema is loaded at
its own version and then migrated like any old file. SQLModel is imported only inside ``dump`` and
``load``, so importing this module stays cheap.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shuoshi_cli.core.errors import BadInput, Corrupt, IOFailure
from shuoshi_cli.store import timeline
from shuoshi_cli.store.file import build_ledger, open_connection, transaction
from shuoshi_cli.store.migrations import LATEST, MISSED_SCHEMA

if TYPE_CHECKING:
    from sqlmodel import SQLModel

FORMAT = "shuoshi-ledger"
TABLES = ("meta", "sessions", "cases", "history", "supervisions")
_ORDER = {"meta": "key", "sessions": "id", "cases": "id", "history": "seq", "supervisions": "id"}


def _models() -> dict[str, type[SQLModel]]:
    """The class of each dumped table (the timeline is derived, so never dumped)."""
    from shuoshi_cli.models import CaseRow, HistoryRow, Meta, SupervisionRow, TalkSession

    return {
        "meta": Meta,
        "sessions": TalkSession,
        "cases": CaseRow,
        "history": HistoryRow,
        "supervisions": SupervisionRow,
    }


def dump_ledger(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The whole ledger as one JSON-ready dict, each row's columns in its model's order."""
    models = _models()
    file, connection = open_connection(path, write=True)
    try:
        # One read transaction: every table as of the same moment, even while a clerk writes.
        with transaction(connection, file, write=False):
            data: dict[str, Any] = {"format": FORMAT, "schema": LATEST}
            for table in TABLES:
                # The model's fields are the table's columns in order (tests/test_models.py), and
                # the values are taken as the file stores them, which is what load writes back.
                names = list(models[table].model_fields)
                columns = ", ".join(f'"{name}"' for name in names)
                cursor = connection.execute(
                    f"SELECT {columns} FROM {table} ORDER BY {_ORDER[table]}"
                )
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
    models = _models()
    stored = {
        table: [
            _validated(models[table], table, number, row)
            for number, row in enumerate(data[table], 1)
        ]
        for table in TABLES
    }
    _check_categories(stored["meta"])

    def fill(connection: sqlite3.Connection) -> None:
        for table in TABLES:
            _insert(connection, table, stored[table])
        if schema >= MISSED_SCHEMA:
            # Derived from the history, so never dumped: built afresh (older dumps get it from
            # m004 and m007, which rebuild it from the history loaded).
            timeline.rebuild(connection.execute)

    def verify(connection: sqlite3.Connection) -> None:
        try:
            problems = check(connection)
        except (ValueError, TypeError):
            # Rows are checked before they are written; this guards ``check`` all the same.
            raise BadInput("dump_rejected", reason="malformed value") from None
        if problems:
            raise Corrupt("dump_inconsistent", count=len(problems))

    try:
        build_ledger(Path(target), fill, schema=schema, verify=verify)
    except Corrupt:
        raise
    except IOFailure as error:
        # Anything else SQLite refuses while the file is built (rows were checked by then).
        if error.key == "os_error":
            raise
        raise BadInput("dump_rejected", reason=error.key) from None
    return len(stored["cases"])


def _validated(
    model: type[SQLModel], table: str, number: int, row: dict[str, Any]
) -> dict[str, Any]:
    """Row ``number`` (1-based, as in the dump) checked by its model, in the form the file stores.

    Only the columns present are written, so a dump of an older schema (fewer history columns)
    loads, and a column left out gets the file's default. A refusal names the table, the row and
    a column, never a value: a dump holds villagers' names and phone numbers.
    """
    from pydantic import ValidationError

    for name in row:
        if name not in model.model_fields:
            raise BadInput("dump_row", table=table, row=number, reason=_column_name(name))
    try:
        valid = model.model_validate(row)
    except ValidationError as error:
        location = error.errors()[0]["loc"]
        reason = _column_name(str(location[0])) if location else "?"
        raise BadInput("dump_row", table=table, row=number, reason=reason) from None
    return {name: _stored(getattr(valid, name)) for name in row}


def _stored(value: Any) -> Any:
    """A validated value as the file stores it: dates as ISO text, booleans as 0/1."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _column_name(name: str) -> str:
    """A column name to show; anything else in a key's place might be a villager's data."""
    return name if name.isascii() and name.isidentifier() and len(name) <= 40 else "?"


def _check_categories(meta: list[dict[str, Any]]) -> None:
    """The category list is JSON text in meta; a ledger must not be built around unreadable text."""
    for number, row in enumerate(meta, 1):
        if row.get("key") != "categories":
            continue
        try:
            categories = json.loads(row["value"])
        except (ValueError, TypeError):
            categories = None
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            raise BadInput("dump_row", table="meta", row=number, reason="categories")


def _insert(connection: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    # A dump says which schema it is; a column its schema does not have yet is refused by name.
    columns = {r[1] for r in connection.execute(f"PRAGMA table_info({table})")}
    for number, row in enumerate(rows, 1):
        names = list(row)
        for name in names:
            if name not in columns:
                raise BadInput("dump_row", table=table, row=number, reason=name)
        quoted = ", ".join(f'"{name}"' for name in names)
        try:
            connection.execute(
                f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})",
                [row[n] for n in names],
            )
        except sqlite3.IntegrityError as error:
            # An unknown code, a uid or id twice, a case that does not exist: the file's own
            # constraints, named by their columns.
            reason = _constraint_columns(connection, table, str(error), columns)
            raise BadInput("dump_row", table=table, row=number, reason=reason) from None


def _constraint_columns(
    connection: sqlite3.Connection, table: str, message: str, columns: set[str]
) -> str:
    """The columns of the constraint SQLite names in ``message`` (its own text, never a value)."""
    if message.startswith("FOREIGN KEY"):
        found = [r[3] for r in connection.execute(f"PRAGMA foreign_key_list({table})")]
    else:
        text = re.sub(r"'[^']*'", "", message.partition("failed:")[2])
        words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)
        found = [w for w in words if w in columns]
    return ", ".join(dict.fromkeys(found)) or "?"
