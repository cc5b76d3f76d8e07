"""Golden timeline rows: what today's rules put in the ``timeline`` table for fixed histories.

The rows below were generated once by today's ``timeline.spans`` (figures.tally_of, closed_late)
and each checked by hand against SPEC 4 before being written out as literals. If a test here fails because a figure rule changed, the timeline
rows of every existing file are stale: the sweeps would count old rows by the old rule. Write a new
migration that rebuilds the timeline (with its own frozen copy of the new rules, store/migrations.py),
then update the golden rows here.

Migration m004 builds the timeline of an older file with a frozen copy of the schema-4 builder; the
tests below also check that copy still agrees with today's timeline, from a schema-3 file and from a
first-release (schema-1) file, and that migrations.py imports none of today's code.
"""

from __future__ import annotations

import ast
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from shuoshi_cli.core.chain import ChainRow, verify
from shuoshi_cli.store import migrations, timeline
from shuoshi_cli.store.timeline import spans

Entry = tuple[str, str, str | None]  # (effective, field, new) as the history table stores them

# The bits of ``marks`` as the schema fixes them (docs/schema.md), written out, not read from
# timeline.MARKED: their order is part of the file format.
CLOSED, LATE, UP, SUPERVISED = 1 << 0, 1 << 1, 1 << 2, 1 << 3
TOLD, ANSWERED, PLEASED, ONTIME = 1 << 4, 1 << 5, 1 << 6, 1 << 7
RESOLVED, EXPLAINED = 1 << 8, 1 << 9
END = "9999-12-31"


def created(
    day: str,
    title: str,
    *,
    kind: str = "request",
    category: str | None = None,
    channel: str = "talk",
    anonymous: bool = False,
    owner: str | None = None,
    deadline: str | None = None,
) -> list[Entry]:
    """The entries ``add`` writes: one per field given, in its order, effective the day received."""
    values = [
        ("title", title), ("kind", kind), ("category", category), ("channel", channel),
        ("reporter", None if anonymous else "张三"), ("phone", None if anonymous else "13800000000"),
        ("anonymous", "1" if anonymous else "0"), ("received_on", day), ("owner", owner),
        ("level", "village"), ("status", "open"), ("deadline", deadline),
    ]  # fmt: skip
    return [(day, field, new) for field, new in values if new is not None]


def closed(day: str, outcome: str) -> list[Entry]:
    """The entries ``close`` writes."""
    return [
        (day, "status", "closed"), (day, "outcome", outcome), (day, "result", "已办理"),
        (day, "closed_on", day),
    ]  # fmt: skip


def reopened(day: str) -> list[Entry]:
    """The entries ``reopen`` writes for a closed case that had feedback."""
    return [
        (day, "status", "open"), (day, "closed_on", None), (day, "outcome", None),
        (day, "result", None), (day, "feedback_on", None), (day, "satisfaction", None),
    ]  # fmt: skip


HISTORIES: dict[int, list[Entry]] = {
    # 1 a plain open case
    1: created("2026-09-03", "石桥栏杆松动"),
    # 2 assigned two days later with a deadline
    2: [
        *created("2026-09-05", "垃圾清运不及时", category="环境卫生"),
        ("2026-09-07", "owner", "王五"),
        ("2026-09-07", "deadline", "2026-09-21"),
    ],
    # 3 open past its deadline (overdue is the query's, not a mark); a later note starts no row
    3: [
        *created("2026-09-01", "水渠堵塞", owner="李四", deadline="2026-09-10"),
        ("2026-09-15", "note", "已催办"),
    ],
    # 4 closed on its deadline's day: on time
    4: [
        *created("2026-09-02", "路灯不亮", owner="李四", deadline="2026-09-12"),
        *closed("2026-09-12", "resolved"),
    ],
    # 5 closed late; an owner change written after the close but effective before it
    5: [
        *created("2026-09-02", "低保政策咨询", kind="inquiry", owner="李四", deadline="2026-09-09"),
        *closed("2026-09-15", "explained"),
        ("2026-09-04", "owner", "赵六"),
    ],
    # 6 closed on time, feedback (unsatisfied), reopened, closed again after the deadline
    6: [
        *created("2026-09-01", "自来水压力不足", owner="李四", deadline="2026-09-20"),
        *closed("2026-09-10", "resolved"),
        ("2026-09-12", "feedback_on", "2026-09-12"),
        ("2026-09-12", "satisfaction", "unsatisfied"),
        *reopened("2026-09-14"),
        *closed("2026-09-25", "resolved"),
    ],
    # 7 escalated to the township (new owner and deadline, before the first was missed), closed
    7: [
        *created(
            "2026-09-04", "村道塌方", category="基础设施", owner="李四", deadline="2026-09-11"
        ),
        ("2026-09-08", "level", "township"),
        ("2026-09-08", "owner", "镇城建办"),
        ("2026-09-08", "deadline", "2026-09-17"),
        ("2026-09-08", "deadline", "2026-09-30"),  # corrected the same day: the last one wins
        *closed("2026-09-28", "resolved"),
    ],
    # 8 supervised after missing its deadline, with a letter and a new deadline, closed before it
    8: [
        *created("2026-09-01", "占道经营", kind="complaint", owner="李四", deadline="2026-09-08"),
        ("2026-09-10", "supervision", "宝督〔2026〕3号"),
        ("2026-09-10", "deadline", "2026-09-17"),
        *closed("2026-09-16", "resolved"),
    ],
    # 9 planned: stays open with outcome planned and a later deadline
    9: [
        *created(
            "2026-09-03", "新建文化广场", kind="suggestion", owner="李四", deadline="2026-09-17"
        ),
        ("2026-09-05", "outcome", "planned"),
        ("2026-09-05", "plan", "列入2027年建设计划"),
        ("2026-09-05", "deadline", "2027-03-31"),
    ],
    # 10 feedback: satisfied
    10: [
        *created("2026-09-02", "门前排水沟", owner="李四", deadline="2026-09-09"),
        *closed("2026-09-09", "resolved"),
        ("2026-09-11", "feedback_on", "2026-09-11"),
        ("2026-09-11", "satisfaction", "satisfied"),
    ],
    # 11 feedback: basically satisfied, on a case with no deadline
    11: [
        *created("2026-09-02", "广场噪音", kind="complaint", owner="李四"),
        *closed("2026-09-05", "explained"),
        ("2026-09-06", "feedback_on", "2026-09-06"),
        ("2026-09-06", "satisfaction", "basic"),
    ],
    # 12 feedback without an answer, then again with "unsatisfied"
    12: [
        *created("2026-09-02", "护栏破损", owner="李四", deadline="2026-09-04"),
        *closed("2026-09-06", "resolved"),
        ("2026-09-07", "feedback_on", "2026-09-07"),
        ("2026-09-09", "feedback_on", "2026-09-09"),
        ("2026-09-09", "satisfaction", "unsatisfied"),
    ],
    # 13 anonymous, received and closed the same day: one row, no days
    13: [
        *created(
            "2026-09-08",
            "夜间聚众赌博",
            kind="complaint",
            category="社会治安",
            channel="app",
            anonymous=True,
        ),
        *closed("2026-09-08", "explained"),
    ],  # fmt: skip
    # 14 days with only a note, a title edit or an erasure start no row
    14: [
        *created("2026-09-02", "宅基地纠纷", category="矛盾纠纷", channel="visit"),
        ("2026-09-04", "note", "已约双方调解"),
        ("2026-09-05", "title", "宅基地边界纠纷"),
        ("2026-09-06", "erasure", None),
        ("2026-09-09", "owner", "调解员"),
        ("2026-09-09", "note", "已指派"),
    ],
}

# (case_id, since, until, received_on, kind, category, channel, owner, deadline, level, status,
#  outcome, closed_on, feedback_on, satisfaction, marks, days)
# fmt: off
GOLDEN: dict[int, list[tuple[Any, ...]]] = {
    1: [
        (1, "2026-09-03", END, "2026-09-03", "request", None, "talk", None, None, "village", "open",
         None, None, None, None, 0, None),
    ],
    2: [
        (2, "2026-09-05", "2026-09-07", "2026-09-05", "request", "环境卫生", "talk", None, None,
         "village", "open", None, None, None, None, 0, None),
        (2, "2026-09-07", END, "2026-09-05", "request", "环境卫生", "talk", "王五", "2026-09-21",
         "village", "open", None, None, None, None, 0, None),
    ],
    3: [
        (3, "2026-09-01", END, "2026-09-01", "request", None, "talk", "李四", "2026-09-10",
         "village", "open", None, None, None, None, 0, None),
    ],
    4: [
        (4, "2026-09-02", "2026-09-12", "2026-09-02", "request", None, "talk", "李四", "2026-09-12",
         "village", "open", None, None, None, None, 0, None),
        (4, "2026-09-12", END, "2026-09-02", "request", None, "talk", "李四", "2026-09-12",
         "village", "closed", "resolved", "2026-09-12", None, None, CLOSED | ONTIME | RESOLVED, 10),
    ],
    5: [
        (5, "2026-09-02", "2026-09-04", "2026-09-02", "inquiry", None, "talk", "李四", "2026-09-09",
         "village", "open", None, None, None, None, 0, None),
        (5, "2026-09-04", "2026-09-15", "2026-09-02", "inquiry", None, "talk", "赵六", "2026-09-09",
         "village", "open", None, None, None, None, 0, None),
        (5, "2026-09-15", END, "2026-09-02", "inquiry", None, "talk", "赵六", "2026-09-09",
         "village", "closed", "explained", "2026-09-15", None, None, CLOSED | LATE | EXPLAINED, 13),
    ],
    6: [
        (6, "2026-09-01", "2026-09-10", "2026-09-01", "request", None, "talk", "李四", "2026-09-20",
         "village", "open", None, None, None, None, 0, None),
        (6, "2026-09-10", "2026-09-12", "2026-09-01", "request", None, "talk", "李四", "2026-09-20",
         "village", "closed", "resolved", "2026-09-10", None, None, CLOSED | ONTIME | RESOLVED, 9),
        (6, "2026-09-12", "2026-09-14", "2026-09-01", "request", None, "talk", "李四", "2026-09-20",
         "village", "closed", "resolved", "2026-09-10", "2026-09-12", "unsatisfied",
         CLOSED | TOLD | ANSWERED | ONTIME | RESOLVED, 9),
        (6, "2026-09-14", "2026-09-25", "2026-09-01", "request", None, "talk", "李四", "2026-09-20",
         "village", "open", None, None, None, None, 0, None),
        (6, "2026-09-25", END, "2026-09-01", "request", None, "talk", "李四", "2026-09-20",
         "village", "closed", "resolved", "2026-09-25", None, None, CLOSED | LATE | RESOLVED, 24),
    ],
    7: [
        (7, "2026-09-04", "2026-09-08", "2026-09-04", "request", "基础设施", "talk", "李四",
         "2026-09-11", "village", "open", None, None, None, None, 0, None),
        (7, "2026-09-08", "2026-09-28", "2026-09-04", "request", "基础设施", "talk", "镇城建办",
         "2026-09-30", "township", "open", None, None, None, None, UP, None),
        (7, "2026-09-28", END, "2026-09-04", "request", "基础设施", "talk", "镇城建办",
         "2026-09-30", "township", "closed", "resolved", "2026-09-28", None, None,
         CLOSED | UP | ONTIME | RESOLVED, 24),
    ],
    8: [
        (8, "2026-09-01", "2026-09-10", "2026-09-01", "complaint", None, "talk", "李四",
         "2026-09-08", "village", "open", None, None, None, None, 0, None),
        (8, "2026-09-10", "2026-09-16", "2026-09-01", "complaint", None, "talk", "李四",
         "2026-09-17", "village", "open", None, None, None, None, SUPERVISED, None),
        # On time by today's rule (closed_on not after the deadline in force), though 09-08 was
        # missed before the letter moved it; SPEC 4's "lateness sticks" would make it late.
        (8, "2026-09-16", END, "2026-09-01", "complaint", None, "talk", "李四", "2026-09-17",
         "village", "closed", "resolved", "2026-09-16", None, None,
         CLOSED | SUPERVISED | ONTIME | RESOLVED, 15),
    ],
    9: [
        (9, "2026-09-03", "2026-09-05", "2026-09-03", "suggestion", None, "talk", "李四",
         "2026-09-17", "village", "open", None, None, None, None, 0, None),
        (9, "2026-09-05", END, "2026-09-03", "suggestion", None, "talk", "李四", "2027-03-31",
         "village", "open", "planned", None, None, None, 0, None),
    ],
    10: [
        (10, "2026-09-02", "2026-09-09", "2026-09-02", "request", None, "talk", "李四",
         "2026-09-09", "village", "open", None, None, None, None, 0, None),
        (10, "2026-09-09", "2026-09-11", "2026-09-02", "request", None, "talk", "李四",
         "2026-09-09", "village", "closed", "resolved", "2026-09-09", None, None,
         CLOSED | ONTIME | RESOLVED, 7),
        (10, "2026-09-11", END, "2026-09-02", "request", None, "talk", "李四", "2026-09-09",
         "village", "closed", "resolved", "2026-09-09", "2026-09-11", "satisfied",
         CLOSED | TOLD | ANSWERED | PLEASED | ONTIME | RESOLVED, 7),
    ],
    11: [
        (11, "2026-09-02", "2026-09-05", "2026-09-02", "complaint", None, "talk", "李四", None,
         "village", "open", None, None, None, None, 0, None),
        (11, "2026-09-05", "2026-09-06", "2026-09-02", "complaint", None, "talk", "李四", None,
         "village", "closed", "explained", "2026-09-05", None, None,
         CLOSED | ONTIME | EXPLAINED, 3),
        (11, "2026-09-06", END, "2026-09-02", "complaint", None, "talk", "李四", None,
         "village", "closed", "explained", "2026-09-05", "2026-09-06", "basic",
         CLOSED | TOLD | ANSWERED | PLEASED | ONTIME | EXPLAINED, 3),
    ],
    12: [
        (12, "2026-09-02", "2026-09-06", "2026-09-02", "request", None, "talk", "李四",
         "2026-09-04", "village", "open", None, None, None, None, 0, None),
        (12, "2026-09-06", "2026-09-07", "2026-09-02", "request", None, "talk", "李四",
         "2026-09-04", "village", "closed", "resolved", "2026-09-06", None, None,
         CLOSED | LATE | RESOLVED, 4),
        (12, "2026-09-07", "2026-09-09", "2026-09-02", "request", None, "talk", "李四",
         "2026-09-04", "village", "closed", "resolved", "2026-09-06", "2026-09-07", None,
         CLOSED | LATE | TOLD | RESOLVED, 4),
        (12, "2026-09-09", END, "2026-09-02", "request", None, "talk", "李四", "2026-09-04",
         "village", "closed", "resolved", "2026-09-06", "2026-09-09", "unsatisfied",
         CLOSED | LATE | TOLD | ANSWERED | RESOLVED, 4),
    ],
    13: [
        (13, "2026-09-08", END, "2026-09-08", "complaint", "社会治安", "app", None, None,
         "village", "closed", "explained", "2026-09-08", None, None,
         CLOSED | ONTIME | EXPLAINED, 0),
    ],
    14: [
        (14, "2026-09-02", "2026-09-09", "2026-09-02", "request", "矛盾纠纷", "visit", None, None,
         "village", "open", None, None, None, None, 0, None),
        (14, "2026-09-09", END, "2026-09-02", "request", "矛盾纠纷", "visit", "调解员", None,
         "village", "open", None, None, None, None, 0, None),
    ],
}
# fmt: on
ALL_GOLDEN = [row for case_id in sorted(GOLDEN) for row in GOLDEN[case_id]]


@pytest.mark.parametrize("case_id", sorted(HISTORIES))
def test_timeline_rows_are_the_golden_rows(case_id: int) -> None:
    assert spans(case_id, HISTORIES[case_id]) == GOLDEN[case_id]


def test_the_golden_rows_are_in_the_timeline_columns_and_bits() -> None:
    assert timeline.COLUMNS == (
        "case_id", "since", "until", "received_on", "kind", "category", "channel", "owner",
        "deadline", "level", "status", "outcome", "closed_on", "feedback_on", "satisfaction",
        "marks", "days",
    )  # fmt: skip
    assert timeline.BIT == {
        "closed": CLOSED, "closed_late": LATE, "escalated": UP, "supervised": SUPERVISED,
        "feedback": TOLD, "answered": ANSWERED, "satisfied": PLEASED, "ontime": ONTIME,
        "resolved": RESOLVED, "explained": EXPLAINED,
    }  # fmt: skip
    assert timeline.OPEN_END == END


def _insert_history(connection: sqlite3.Connection) -> None:
    """Every history in seq order, cases interleaved as a clerk's day would write them."""
    queue = [(case_id, list(entries)) for case_id, entries in sorted(HISTORIES.items())]
    seq = 0
    while any(entries for _, entries in queue):
        for case_id, entries in queue:
            if entries:
                effective, field, new = entries.pop(0)
                seq += 1
                connection.execute(
                    "INSERT INTO history (seq, case_id, at, effective, user, field, old, new, note) "
                    "VALUES (?, ?, ?, ?, '文书', ?, NULL, ?, NULL)",
                    (seq, case_id, f"{effective}T09:00:00+08:00", effective, field, new),
                )


def _file_at(schema: int) -> sqlite3.Connection:
    """An in-memory file at ``schema`` (the first steps on a blank connection) with the histories."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    for step in migrations.MIGRATIONS[:schema]:
        step(connection.execute)
    _insert_history(connection)
    return connection


def test_frozen_m004_builds_the_same_rows_as_todays_timeline() -> None:
    connection = _file_at(migrations.TIMELINE_SCHEMA - 1)
    try:
        migrations.m004_timeline(connection.execute)
        stored = timeline.stored(connection.execute)
        assert stored == timeline.computed(connection.execute)
        assert stored == ALL_GOLDEN
    finally:
        connection.close()


def test_a_version_1_file_migrated_through_every_step_has_todays_timeline() -> None:
    connection = _file_at(1)
    try:
        for step in migrations.MIGRATIONS[1:]:
            step(connection.execute)
        stored = timeline.stored(connection.execute)
        assert stored == timeline.computed(connection.execute)
        assert stored == ALL_GOLDEN
        # The frozen chain of m002 is the one today's ``check`` verifies.
        chain = [
            ChainRow(*row)
            for row in connection.execute(
                "SELECT seq, case_id, at, effective, user, field, old, new, note, salt, "
                "old_digest, new_digest, hash FROM history ORDER BY seq"
            )
        ]
        assert len(chain) == sum(len(entries) for entries in HISTORIES.values())
        assert verify(chain) == []
    finally:
        connection.close()


def _imported_modules(path: Path) -> list[tuple[str, int]]:
    """(module, relative level) of every import in a file, at any depth."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_migrations_import_only_the_standard_library() -> None:
    """A step never imports today's code: what it needs is frozen inside migrations.py."""
    path = Path(migrations.__file__)
    imported = _imported_modules(path)
    assert imported  # the walk saw the imports
    assert [m for m, level in imported if level or m.split(".")[0] == "shuoshi_cli"] == []
    stdlib = sys.stdlib_module_names | {"__future__"}
    assert [m for m, _ in imported if m.split(".")[0] not in stdlib] == []
