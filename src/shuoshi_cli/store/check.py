"""``shuoshi check``: is this ledger whole, of our schema, and is its history untouched?

Checks, in order: SQLite's own integrity check; the schema against what the migrations build
(no table, column or index missing, changed or added); foreign keys; the history hash chain
(core/chain.py); that the supervision letters and their replies are the history's; that every case
row is what its history replays to, so an edit made to ``cases`` with another tool shows up too;
and that the timeline the sweeps count from is the history's.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date

from shuoshi_cli.core.case import FIELD_TYPES, REPLY
from shuoshi_cli.core.chain import ChainRow, verify
from shuoshi_cli.core.history import replay
from shuoshi_cli.store import timeline
from shuoshi_cli.store.file import run_migrations
from shuoshi_cli.store.read import current_cases, history_of


@dataclass(frozen=True)
class Problem:
    kind: str  # integrity, schema, foreign_key, history, case
    key: str  # a message key of messages.CHECKS
    detail: str
    field: str | None = None


def expected_schema() -> set[tuple[str, str, str | None]]:
    """(type, name, sql) of everything the migrations create, built in memory."""
    memory = sqlite3.connect(":memory:")
    try:
        run_migrations(memory.execute, 0)
        return _schema(memory)
    finally:
        memory.close()


def _schema(connection: sqlite3.Connection) -> set[tuple[str, str, str | None]]:
    return {
        (kind, name, " ".join(sql.split()) if sql else None)
        for kind, name, sql in connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        )
    }


def _meta_problems(connection: sqlite3.Connection) -> list[Problem]:
    """The village, township and county are named; the category list is a JSON list of text."""
    meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    problems = [
        Problem("meta", "check_meta", key)
        for key in ("village", "township", "county")
        if not str(meta.get(key) or "").strip()
    ]
    if "categories" in meta:
        try:
            categories = json.loads(meta["categories"])
        except ValueError:
            categories = None
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            problems.append(Problem("meta", "check_meta", "categories"))
    return problems


def check(connection: sqlite3.Connection) -> list[Problem]:
    problems: list[Problem] = []
    integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        return [Problem("integrity", "check_integrity", line) for line in integrity[:20]]
    actual, expected = _schema(connection), expected_schema()
    for kind, name, _ in sorted(expected - actual, key=lambda r: r[1]):
        problems.append(Problem("schema", "check_schema_missing", f"{kind} {name}"))
    for kind, name, _ in sorted(actual - expected, key=lambda r: r[1]):
        problems.append(Problem("schema", "check_schema_extra", f"{kind} {name}"))
    if problems:
        return problems
    problems += _meta_problems(connection)
    for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check"):
        problems.append(Problem("foreign_key", "check_foreign_key", f"{table} {rowid} -> {parent}"))
    rows = [
        ChainRow(*row)
        for row in connection.execute(
            "SELECT seq, case_id, at, effective, user, field, old, new, note, salt, "
            "coalesce(old_digest, ''), coalesce(new_digest, ''), coalesce(hash, '') "
            "FROM history ORDER BY seq"
        )
    ]
    for seq, what in verify(rows):
        problems.append(Problem("history", f"check_history_{what}", str(seq)))
    letters = Counter(
        connection.execute("SELECT case_id, sent_on, letter FROM supervisions").fetchall()
    )
    recorded = Counter(
        connection.execute(
            "SELECT case_id, effective, new FROM history WHERE field = 'supervision'"
        ).fetchall()
    )
    # A reply is on its letter's row and in the history (field ``reply``, the letter in note).
    replies = Counter(
        connection.execute(
            "SELECT case_id, reply_on, letter, reply FROM supervisions WHERE reply_on IS NOT NULL "
            "OR reply IS NOT NULL"
        ).fetchall()
    )
    replied = Counter(
        connection.execute(
            f"SELECT case_id, effective, note, new FROM history WHERE field = '{REPLY}'"
        ).fetchall()
    )
    differ = {row[0] for row in (letters - recorded) + (recorded - letters)}
    differ |= {row[0] for row in (replies - replied) + (replied - replies)}
    for case_id in sorted(differ):
        problems.append(Problem("case", "check_supervision", f"#{case_id}"))
    entries = history_of(connection)
    for case_id, case in current_cases(connection).items():
        replayed = replay(case_id, case.uid, entries.get(case_id, []), date.max)
        if replayed is None:
            problems.append(Problem("case", "check_case_no_history", f"#{case_id}"))
            continue
        for field in FIELD_TYPES:
            if getattr(replayed, field) != getattr(case, field):
                problems.append(Problem("case", "check_case_differs", f"#{case_id}", field))
    expected, actual = (
        set(timeline.computed(connection.execute)),
        set(timeline.stored(connection.execute)),
    )
    for case_id in sorted({row[0] for row in expected ^ actual}):
        problems.append(Problem("case", "check_timeline", f"#{case_id}"))
    return problems
