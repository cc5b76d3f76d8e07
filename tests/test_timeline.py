"""The timeline table: each case's month fields by stretch of days, kept by every write."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import Run, ok
from shuoshi_cli.store import timeline
from shuoshi_cli.store.timeline import BIT, OPEN_END, spans

# bits of ``marks`` (timeline.MARKED)
CLOSED, LATE, UP, SUPERVISED = (
    BIT["closed"],
    BIT["closed_late"],
    BIT["escalated"],
    BIT["supervised"],
)
TOLD, ANSWERED, PLEASED = BIT["feedback"], BIT["answered"], BIT["satisfied"]
ONTIME, RESOLVED, EXPLAINED = BIT["ontime"], BIT["resolved"], BIT["explained"]

CREATED = [
    ("2026-10-08", "title", "村口路灯不亮"),
    ("2026-10-08", "kind", "request"),
    ("2026-10-08", "channel", "talk"),
    ("2026-10-08", "received_on", "2026-10-08"),
    ("2026-10-08", "level", "village"),
    ("2026-10-08", "status", "open"),
    ("2026-10-08", "owner", "李四"),
    ("2026-10-08", "deadline", "2026-10-15"),
]
OPEN = ("2026-10-08", "request", None, "talk", "李四", "2026-10-15", "village", "open")


def test_a_new_case_is_one_open_ended_row() -> None:
    assert spans(1, CREATED) == [
        (1, "2026-10-08", OPEN_END, *OPEN, None, None, None, None, 0, None, None, None)
    ]


def test_each_day_with_a_change_starts_a_row_and_ends_the_one_before() -> None:
    entries = [
        *CREATED,
        ("2026-10-12", "note", "已联系电工"),  # a note changes nothing the month reads
        ("2026-10-20", "status", "closed"),
        ("2026-10-20", "outcome", "resolved"),
        ("2026-10-20", "closed_on", "2026-10-20"),
        ("2026-10-21", "feedback_on", "2026-10-21"),
        ("2026-10-21", "satisfaction", "basic"),
    ]
    closed = ("2026-10-08", "request", None, "talk", "李四", "2026-10-15", "village", "closed")
    assert spans(7, entries) == [
        (7, "2026-10-08", "2026-10-20", *OPEN, None, None, None, None, 0, None, None, None),
        (7, "2026-10-20", "2026-10-21", *closed, "resolved", "2026-10-20", None, None,
         CLOSED | LATE | RESOLVED, 12, "2026-10-15", None),
        (7, "2026-10-21", OPEN_END, *closed, "resolved", "2026-10-20", "2026-10-21", "basic",
         CLOSED | LATE | RESOLVED | TOLD | ANSWERED | PLEASED, 12, "2026-10-15", None),
    ]  # fmt: skip


def test_entries_count_by_effective_date_then_order_of_writing() -> None:
    # Written later but effective earlier (a back-dated close), then a same-day correction.
    entries = [
        *CREATED,
        ("2026-10-14", "owner", "王五"),
        ("2026-10-10", "owner", "赵六"),
        ("2026-10-14", "owner", "钱七"),
    ]
    owners = [(row[1], row[7]) for row in spans(1, entries)]
    assert owners == [("2026-10-08", "李四"), ("2026-10-10", "赵六"), ("2026-10-14", "钱七")]


def test_a_supervision_letter_marks_the_case_from_its_day_and_a_change_back_merges() -> None:
    entries = [
        *CREATED,
        ("2026-10-16", "supervision", "宝督〔2026〕1号"),
        ("2026-10-16", "deadline", "2026-10-20"),
        ("2026-10-18", "level", "township"),
        ("2026-10-19", "level", "village"),
    ]
    rows = spans(1, entries)
    # 10-15 was missed (open at the end of 10-15) before the letter moved it: it sticks.
    assert [(r[1], r[2], r[8], r[-4], r[-2]) for r in rows] == [
        ("2026-10-08", "2026-10-16", "2026-10-15", 0, None),
        ("2026-10-16", "2026-10-18", "2026-10-20", SUPERVISED, "2026-10-15"),
        ("2026-10-18", "2026-10-19", "2026-10-20", SUPERVISED | UP, "2026-10-15"),
        ("2026-10-19", OPEN_END, "2026-10-20", SUPERVISED, "2026-10-15"),
    ]


def test_explained_on_time_is_its_own_mark() -> None:
    entries = [
        *CREATED,
        ("2026-10-09", "status", "closed"),
        ("2026-10-09", "outcome", "explained"),
        ("2026-10-09", "closed_on", "2026-10-09"),
    ]
    assert spans(1, entries)[-1][-4:] == (CLOSED | ONTIME | EXPLAINED, 1, None, None)


def _rows(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    con = sqlite3.connect(db)
    try:
        return timeline.stored(con.execute), timeline.computed(con.execute)
    finally:
        con.close()


def test_every_command_keeps_the_timeline(ledger: Run, db: Path) -> None:
    steps: list[tuple[str, list[str]]] = [
        ("2026-10-08", ["add", "村口路灯不亮", "--received", "2026-10-08", "--owner", "李四",
                        "--due", "2026-10-15", "--category", "基础设施", "--reporter", "张三",
                        "--phone", "13800000000"]),
        ("2026-10-08", ["add", "水渠堵塞", "--received", "2026-10-08"]),
        ("2026-10-09", ["assign", "2", "--owner", "王五", "--due", "2026-10-30"]),
        ("2026-10-20", ["supervise", "1", "--letter", "宝督〔2026〕1号", "--due", "2026-10-25",
                        "--date", "2026-10-20"]),
        ("2026-10-22", ["note", "1", "已联系电工"]),
        ("2026-10-22", ["escalate", "2", "--to", "township", "--reason", "需镇里协调"]),
        ("2026-10-24", ["close", "1", "--outcome", "resolved", "--result", "已修复",
                        "--date", "2026-10-24"]),
        ("2026-10-26", ["feedback", "1", "--satisfaction", "satisfied", "--date", "2026-10-26"]),
        ("2026-11-02", ["reopen", "1", "--reason", "又坏了", "--date", "2026-11-02"]),
        ("2026-11-03", ["erase-reporter", "1", "--yes"]),
    ]  # fmt: skip
    for today, args in steps:
        ok(ledger(*args, env={"SHUOSHI_TODAY": today}))
        stored, computed = _rows(db)
        assert stored == computed, args
    stored, _ = _rows(db)
    base = ("2026-10-08", "request", "基础设施", "other", "李四")
    assert [row for row in stored if row[0] == 1][:4] == [
        (1, "2026-10-08", "2026-10-20", *base, "2026-10-15", "village", "open",
         None, None, None, None, 0, None, None, None),
        # 10-15 missed before the letter of 10-20 moved it: closed late (lateness sticks).
        (1, "2026-10-20", "2026-10-24", *base, "2026-10-25", "village", "open",
         None, None, None, None, SUPERVISED, None, "2026-10-15", None),
        (1, "2026-10-24", "2026-10-26", *base, "2026-10-25", "village", "closed",
         "resolved", "2026-10-24", None, None, CLOSED | SUPERVISED | LATE | RESOLVED, 16,
         "2026-10-15", None),
        (1, "2026-10-26", "2026-11-02", *base, "2026-10-25", "village", "closed",
         "resolved", "2026-10-24", "2026-10-26", "satisfied",
         CLOSED | SUPERVISED | LATE | RESOLVED | TOLD | ANSWERED | PLEASED, 16, "2026-10-15",
         None),
    ]  # fmt: skip
    # October as the township counts it, from these rows.
    figures = json.loads(ok(ledger("stats", str(db), "--month", "2026-10", "--json")).stdout)
    total = figures["total"]
    assert (total["total"], total["closed"], total["supervised"], total["escalated"]) == (
        2,
        1,
        1,
        1,
    )
    assert (total["feedback"], total["satisfied"], total["overdue"]) == (1, 1, 1)  # case 2


def test_check_names_a_case_whose_timeline_was_edited(ledger: Run, db: Path) -> None:
    ok(ledger("add", "村口路灯不亮", "--owner", "李四", "--due", "2026-11-30"))
    ok(ledger("add", "水渠堵塞"))
    con = sqlite3.connect(db)
    con.execute("UPDATE timeline SET status = 'closed', closed_on = '2026-11-21' WHERE case_id = 2")
    con.commit()
    con.close()
    result = ledger("check")
    assert result.exit_code == 1
    assert result.stdout == "事项 #2 的统计时间线与办理记录不一致（dump 后再 load 可重建）\n"
    english = ledger("--lang", "en", "check")
    assert english.stdout.startswith("case #2: the timeline used for figures does not match")


def test_load_rebuilds_the_timeline_a_dump_leaves_out(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    ok(ledger("add", "村口路灯不亮", "--owner", "李四", "--due", "2026-11-20", "--received",
              "2026-11-02"))  # fmt: skip
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已修复", "--date", "2026-11-25"))
    dumped = tmp_path / "dump.json"
    ok(ledger("dump", "-o", str(dumped)))
    assert "timeline" not in json.loads(dumped.read_text(encoding="utf-8"))
    copy = tmp_path / "副本.db"
    ok(ledger("--db", str(copy), "load", str(dumped)))
    assert _rows(copy)[0] == _rows(db)[0] == _rows(db)[1]
    assert len(_rows(copy)[0]) == 2
