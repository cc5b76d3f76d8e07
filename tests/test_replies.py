"""Replies to supervision letters (issue 14, point 2): ``supervise --letter --reply``, the
``letters`` report across villages, the 督办清单 with every letter, and schema 6 (from a v5 file)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import Run, folder_state, ok, refused, refused_json, sha
from shuoshi_cli.cli import app
from shuoshi_cli.core.case import Change
from shuoshi_cli.store import migrations, timeline
from shuoshi_cli.store.file import APPLICATION_ID
from shuoshi_cli.store.write import append_history

LETTER = "宝督〔2026〕12号"


def on(db: Path, *args: str) -> Result:
    """Run the CLI on another ledger (or, for the sweeps, on no ledger in particular)."""
    return CliRunner().invoke(app, ["--db", str(db), *args])


def _case(run: Run, case_id: int = 1) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run("show", str(case_id), "--json")).stdout)
    return data


@pytest.fixture
def supervised(ledger: Run) -> Run:
    """#1 received 11-02, due 11-09, supervised on 11-12 with a new deadline of 11-20."""
    ok(
        ledger(
            "add", "村口路灯不亮", "--received", "2026-11-02", "--owner", "李四", "--due", "11月9日"
        )
    )
    ok(ledger("supervise", "1", "--letter", LETTER, "--date", "2026-11-12", "--due", "2026-11-20"))
    return ledger


# ---------------------------------------------------------------- recording a reply


def test_a_reply_is_recorded_on_its_letter_and_in_the_history(supervised: Run) -> None:
    result = supervised(
        "supervise", "1", "--letter", LETTER, "--reply", "已更换灯泡", "--reply-date", "11月18日"
    )
    assert ok(result).stdout == f"#1 已登记督办函 {LETTER} 的回复（2026-11-18）\n"
    assert result.stderr == ""
    reply = [h for h in _case(supervised)["history"] if h["field"] == "reply"]
    assert [(h["effective"], h["old"], h["new"], h["note"]) for h in reply] == [
        ("2026-11-18", None, "已更换灯泡", LETTER)
    ]
    # The case is unchanged: a reply sets no field and no deadline.
    assert _case(supervised)["deadline"] == "2026-11-20"
    assert ok(supervised("check")).stdout == ""


def test_the_reply_in_json_is_the_changed_case_with_its_letters_replies(supervised: Run) -> None:
    result = supervised("supervise", "1", "--letter", LETTER, "--reply", "已更换灯泡", "--json")
    data = json.loads(ok(result).stdout)
    assert data["id"] == 1 and data["village"] == "石境村"
    assert data["supervisions"] == [
        {
            "date": "2026-11-12",
            "letter": LETTER,
            "deadline": "2026-11-20",
            "previous_deadline": "2026-11-09",
            "reply_on": "2026-11-27",  # today by default
            "reply": "已更换灯泡",
        }
    ]


def test_a_reply_never_holds_back_a_back_dated_event_and_may_follow_the_closing(
    supervised: Run,
) -> None:
    ok(
        supervised(
            "supervise",
            "1",
            "--letter",
            LETTER,
            "--reply",
            "已安排电工",
            "--reply-date",
            "2026-11-18",
        )
    )
    # Closed on the 16th, entered after the reply dated the 18th: the reply changes no state.
    ok(
        supervised(
            "close", "1", "--outcome", "resolved", "--result", "已更换灯泡", "--date", "2026-11-16"
        )
    )
    assert _case(supervised)["closed_on"] == "2026-11-16"
    # A letter answered after the case was closed is recorded too.
    ok(supervised("add", "水渠堵塞", "--received", "2026-11-02", "--due", "2026-11-05"))
    ok(supervised("supervise", "2", "--letter", "宝督〔2026〕13号", "--date", "2026-11-10"))
    ok(
        supervised(
            "close", "2", "--outcome", "resolved", "--result", "已疏通", "--date", "2026-11-20"
        )
    )
    ok(
        supervised(
            "supervise",
            "2",
            "--letter",
            "宝督〔2026〕13号",
            "--reply",
            "已疏通",
            "--reply-date",
            "2026-11-21",
        )
    )
    assert ok(supervised("check")).stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--letter", "宝督〔2026〕13号", "--reply", "已修复"),
            f"事项 #1 没有登记过督办函 宝督〔2026〕13号（已登记：{LETTER}）",
        ),
        (
            ("--letter", LETTER, "--reply", "已修复", "--reply-date", "2026-11-11"),
            f"回复日期 2026-11-11 早于督办函 {LETTER} 的日期 2026-11-12",
        ),
        (
            ("--letter", LETTER, "--reply", "已修复", "--reply-date", "2026-11-28"),
            "日期 2026-11-28 还没到，不能登记未来的事",
        ),
        (("--letter", LETTER, "--reply", "  "), "回复内容不能为空"),
        (
            ("--letter", LETTER, "--reply", "已修复", "--due", "+3wd"),
            "登记回复时不能同时给 --due 或 --date（它们属于新登记的督办函）；回复日期请用 --reply-date",
        ),
        (
            ("--letter", LETTER, "--reply", "已修复", "--date", "2026-11-18"),
            "登记回复时不能同时给 --due 或 --date（它们属于新登记的督办函）；回复日期请用 --reply-date",
        ),
        (("--letter", LETTER, "--reply-date", "2026-11-18"), "--reply-date 要和 --reply 一起使用"),
    ],
    ids=[
        "unknown-letter",
        "before-letter",
        "future",
        "empty",
        "with-due",
        "with-date",
        "date-only",
    ],
)
def test_a_reply_is_refused_clearly_and_changes_nothing(
    supervised: Run, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    before = folder_state(tmp_path)
    assert refused(supervised("supervise", "1", *args)) == message
    assert folder_state(tmp_path) == before


def test_a_second_reply_to_a_letter_is_refused_even_the_same_words(supervised: Run) -> None:
    reply = (
        "supervise",
        "1",
        "--letter",
        LETTER,
        "--reply",
        "已修复",
        "--reply-date",
        "2026-11-18",
    )
    ok(supervised(*reply))
    expected = f"事项 #1 的督办函 {LETTER} 已于 2026-11-18 登记过回复；每封督办函只登记一次回复"
    assert refused(supervised(*reply)) == expected
    assert (
        refused(supervised("supervise", "1", "--letter", LETTER, "--reply", "另一个说法"))
        == expected
    )
    assert refused_json(supervised(*reply, "--json"), "wrong_state") == expected
    english = supervised("--lang", "en", *reply)
    assert refused(english, lang="en") == (
        f"letter {LETTER} on case #1 already has its reply (2026-11-18); a letter's reply is "
        "recorded once"
    )


def test_no_letter_at_all_and_a_void_case(ledger: Run) -> None:
    ok(ledger("add", "路灯不亮", "--received", "2026-11-02"))
    assert refused_json(
        ledger("supervise", "1", "--letter", LETTER, "--reply", "x", "--json"), "not_found"
    ) == (
        f"事项 #1 还没有登记过督办函，无法登记对 {LETTER} 的回复；请先用 supervise --letter 登记督办函"
    )
    ok(ledger("supervise", "1", "--letter", LETTER, "--date", "2026-11-10"))
    ok(ledger("void", "1", "--reason", "登错村"))
    assert refused(ledger("supervise", "1", "--letter", LETTER, "--reply", "x")) == (
        "事项 #1 已作废；如属误作废请先 restore"
    )


def test_check_finds_a_reply_changed_behind_shuoshis_back(supervised: Run, db: Path) -> None:
    ok(
        supervised(
            "supervise", "1", "--letter", LETTER, "--reply", "已修复", "--reply-date", "2026-11-18"
        )
    )
    con = sqlite3.connect(db)
    con.execute("UPDATE supervisions SET reply = '从未回复' WHERE case_id = 1")
    con.commit()
    con.close()
    result = supervised("check")
    assert result.exit_code == 1
    assert result.stdout == "事项 #1 的督办记录与办理记录不一致\n"
    assert result.stderr == "台账检查发现 1 个问题\n"


def test_a_reply_changes_no_figure_and_no_timeline_row(supervised: Run, db: Path) -> None:
    def rows() -> list[tuple[Any, ...]]:
        con = sqlite3.connect(db)
        try:
            return timeline.stored(con.execute)
        finally:
            con.close()

    figures = ok(supervised("stats", str(db), "--json")).stdout
    before = rows()
    ok(
        supervised(
            "supervise", "1", "--letter", LETTER, "--reply", "已修复", "--reply-date", "2026-11-18"
        )
    )
    assert rows() == before
    assert ok(supervised("stats", str(db), "--json")).stdout == figures
    # The builder itself passes over a reply entry, whatever day it falls on.
    entries = [("2026-11-02", "received_on", "2026-11-02"), ("2026-11-02", "status", "open"),
               ("2026-11-02", "deadline", "2026-11-09"), ("2026-11-12", "supervision", LETTER)]  # fmt: skip
    replied = [*entries, ("2026-11-18", "reply", "已修复")]
    assert timeline.spans(1, replied) == timeline.spans(1, entries)
    assert migrations._m004_spans(1, replied) == migrations._m004_spans(1, entries)


# ---------------------------------------------------------------- schema 6 from a schema-5 file


def _schema_5_ledger(path: Path) -> None:
    """A schema-5 file as shuoshi wrote it: case #1 (due 11-09) with letter 12号 of 11-12."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("BEGIN")
    for step in migrations.MIGRATIONS[:5]:
        step(con.execute)
    con.execute("PRAGMA user_version = 5")
    con.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("village", "石境村"), ("township", "宝峰镇"), ("county", "靖安县"), ("categories", "[]")],
    )
    con.execute(
        "INSERT INTO cases (id, uid, title, kind, channel, anonymous, received_on, owner, "
        "deadline, level, status) VALUES (1, 'u-1', '村口路灯不亮', 'request', 'other', 0, "
        "'2026-11-02', '李四', '2026-11-20', 'village', 'open')"
    )
    con.execute(
        "INSERT INTO supervisions (case_id, sent_on, letter, deadline, previous_deadline) "
        f"VALUES (1, '2026-11-12', '{LETTER}', '2026-11-20', '2026-11-09')"
    )
    created = [("title", "村口路灯不亮"), ("kind", "request"), ("channel", "other"),
               ("anonymous", False), ("received_on", date(2026, 11, 2)), ("owner", "李四"),
               ("level", "village"), ("status", "open"), ("deadline", date(2026, 11, 9))]  # fmt: skip
    append_history(con, 1, [Change(f, None, v) for f, v in created], date(2026, 11, 2), "文书")
    letter = [
        Change("supervision", None, LETTER),
        Change("deadline", date(2026, 11, 9), date(2026, 11, 20), LETTER),
    ]
    append_history(con, 1, letter, date(2026, 11, 12), "文书")
    migrations._m004_rebuild(con.execute)  # the timeline as schema 5 built it
    con.execute("COMMIT")
    con.close()


def test_a_schema_5_file_is_read_as_it_is_and_upgraded_by_the_first_reply(
    tmp_path: Path,
) -> None:
    old = tmp_path / "石境村.db"
    _schema_5_ledger(old)
    before = sha(old)
    # The sweep reads it through an upgraded copy in memory: the letter, not yet answered.
    # Overdue from 11-09, missed before the letter moved it (lateness sticks, schema 7).
    listed = on(tmp_path / "none.db", "letters", str(old))
    assert ok(listed).stdout.splitlines()[1] == (
        f"2026-11-12\t{LETTER}\t石境村\t1\t村口路灯不亮\t2026-11-20\t\t未回复\t在办 超期18天"
    )
    assert sha(old) == before
    result = on(
        old, "supervise", "1", "--letter", LETTER, "--reply", "已修复", "--reply-date", "2026-11-18"
    )
    assert ok(result).stdout == f"#1 已登记督办函 {LETTER} 的回复（2026-11-18）\n"
    backup = sqlite3.connect(tmp_path / "石境村.db.v5.bak")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 5
    assert [r[1] for r in backup.execute("PRAGMA table_info(supervisions)")][-2:] == [
        "deadline", "previous_deadline"
    ]  # fmt: skip
    backup.close()
    con = sqlite3.connect(old)
    assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST == 8
    assert con.execute("SELECT letter, reply_on, reply FROM supervisions").fetchall() == [
        (LETTER, "2026-11-18", "已修复")
    ]
    con.close()
    assert ok(on(old, "check")).stdout == ""


def test_dump_and_load_keep_the_reply(supervised: Run, tmp_path: Path) -> None:
    ok(
        supervised(
            "supervise", "1", "--letter", LETTER, "--reply", "已修复", "--reply-date", "2026-11-18"
        )
    )
    dumped = tmp_path / "石境村.json"
    ok(supervised("dump", "-o", str(dumped)))
    rows = json.loads(dumped.read_text(encoding="utf-8"))["supervisions"]
    assert [(r["letter"], r["reply_on"], r["reply"]) for r in rows] == [
        (LETTER, "2026-11-18", "已修复")
    ]
    copy = tmp_path / "恢复.db"
    ok(on(copy, "load", str(dumped)))
    assert ok(on(copy, "check")).stdout == ""
    ok(on(copy, "dump", "-o", str(tmp_path / "again.json")))
    assert (tmp_path / "again.json").read_text(encoding="utf-8") == dumped.read_text(
        encoding="utf-8"
    )


# ---------------------------------------------------------------- every letter across villages


@pytest.fixture
def township(tmp_path: Path) -> Path:
    """Three ledgers: 石境村 and a 新村 of 宝峰镇, a 新村 of 中源乡, with letters in October and
    November, some answered."""
    folder = tmp_path / "ledgers"
    folder.mkdir()
    shijing, baofeng, zhongyuan = folder / "石境村.db", folder / "新村.db", folder / "中源乡新村.db"
    steps = [
        (shijing, ("init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县")),
        (shijing, ("add", "村口路灯不亮", "--received", "2026-10-20", "--owner", "李四", "--due", "2026-10-30")),
        (shijing, ("supervise", "1", "--letter", "宝峰镇督〔2026〕3号", "--date", "2026-10-31", "--due", "2026-11-06")),
        (shijing, ("supervise", "1", "--letter", "宝峰镇督〔2026〕3号", "--reply", "正在协调电工", "--reply-date", "2026-11-03")),
        (shijing, ("supervise", "1", "--letter", "宝峰镇督〔2026〕7号", "--date", "2026-11-10", "--due", "2026-11-17")),
        (shijing, ("supervise", "1", "--letter", "宝峰镇督〔2026〕7号", "--reply", "已安排施工", "--reply-date", "2026-11-14")),
        (baofeng, ("init", "--village", "新村", "--township", "宝峰镇", "--county", "靖安县")),
        (baofeng, ("add", "水渠堵塞", "--received", "2026-11-02", "--owner", "王五", "--due", "2026-11-09")),
        (baofeng, ("supervise", "1", "--letter", "宝峰镇督〔2026〕8号", "--date", "2026-11-10")),
        (zhongyuan, ("init", "--village", "新村", "--township", "中源乡", "--county", "靖安县")),
        (zhongyuan, ("add", "田间道路塌方", "--received", "2026-11-03", "--owner", "况小明", "--due", "2026-11-10")),
        (zhongyuan, ("supervise", "1", "--letter", "中源乡督〔2026〕2号", "--date", "2026-11-12", "--due", "2026-11-19")),
        (zhongyuan, ("close", "1", "--outcome", "resolved", "--result", "已修复", "--date", "2026-11-24")),
        (zhongyuan, ("supervise", "1", "--letter", "中源乡督〔2026〕2号", "--reply", "已修复通行", "--reply-date", "2026-11-25")),
    ]  # fmt: skip
    for db, args in steps:
        ok(on(db, *args))
    return folder


def test_letters_lists_every_letter_of_the_month_with_its_reply(
    township: Path, tmp_path: Path
) -> None:
    before = folder_state(township)
    result = on(tmp_path / "none.db", "letters", "--month", "2026-11", str(township))
    assert ok(result).stdout.splitlines() == [
        "督办日期\t督办函号\t村\t编号\t反映事项\t新完成时限\t回复日期\t回复情况\t办理情况",
        "2026-11-10\t宝峰镇督〔2026〕7号\t石境村\t1\t村口路灯不亮\t2026-11-17\t2026-11-14\t已安排施工\t在办 超期28天",
        "2026-11-10\t宝峰镇督〔2026〕8号\t宝峰镇/新村\t1\t水渠堵塞\t\t\t未回复\t在办 超期18天",
        "2026-11-12\t中源乡督〔2026〕2号\t中源乡/新村\t1\t田间道路塌方\t2026-11-19\t2026-11-25\t已修复通行\t已办结（已解决）",
    ]  # fmt: skip
    assert result.stderr == ""
    assert folder_state(township) == before  # read-only


def test_letters_as_of_a_day_shows_only_the_replies_given_by_then(
    township: Path, tmp_path: Path
) -> None:
    result = on(tmp_path / "none.db", "letters", "--as-of", "2026-11-20", str(township), "--json")
    data = json.loads(ok(result).stdout)
    assert (data["start"], data["as_of"]) == ("2026-11-01", "2026-11-20")
    assert data["letters"][0] == {
        "village": "石境村", "township": "宝峰镇", "id": 1, "title": "村口路灯不亮", "owner": "李四",
        "level": "village", "status": "open", "letter": "宝峰镇督〔2026〕7号", "date": "2026-11-10",
        "deadline": "2026-11-17", "previous_deadline": "2026-11-06", "count": 2, "replied": True,
        "reply_on": "2026-11-14", "reply": "已安排施工",
    }  # fmt: skip
    # 中源乡's reply came on the 25th and the case closed on the 24th: neither had happened yet.
    last = data["letters"][2]
    assert (last["letter"], last["status"], last["replied"], last["reply_on"], last["reply"]) == (
        "中源乡督〔2026〕2号", "open", False, None, None
    )  # fmt: skip
    # October's letter is October's.
    october = on(tmp_path / "none.db", "letters", "--month", "2026-10", str(township), "--json")
    assert [(x["letter"], x["reply_on"]) for x in json.loads(ok(october).stdout)["letters"]] == [
        ("宝峰镇督〔2026〕3号", None)  # answered on 11-03, after October ended
    ]


def test_letters_with_none_in_the_period(township: Path, tmp_path: Path) -> None:
    result = on(tmp_path / "none.db", "letters", "--month", "2026-09", str(township))
    assert (
        ok(result).stdout
        == "督办日期\t督办函号\t村\t编号\t反映事项\t新完成时限\t回复日期\t回复情况\t办理情况\n"
    )
    assert result.stderr == "这段时间没有登记督办函\n"
    empty = on(tmp_path / "none.db", "letters", "--month", "2026-09", str(township), "--json")
    assert json.loads(ok(empty).stdout) == {
        "start": "2026-09-01",
        "as_of": "2026-09-30",
        "letters": [],
    }


def test_the_supervision_sheet_lists_every_letter_with_its_reply(
    township: Path, tmp_path: Path
) -> None:
    import openpyxl

    book_path = tmp_path / "台账.xlsx"
    ok(
        on(
            tmp_path / "none.db",
            "export",
            "--month",
            "2026-11",
            str(township),
            "-o",
            str(book_path),
        )
    )
    sheet = openpyxl.load_workbook(book_path)["督办清单"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert values[0] == [
        "序号", "村", "编号", "反映事项", "领办责任人", "原完成时限", "超期天数", "督办日期", "督办函号",
        "新完成时限", "回复日期", "回复情况", "督办次数", "督办结果", "首次超期时限", "现完成时限",
    ]  # fmt: skip

    def day(text: str) -> Any:
        return date.fromisoformat(text)

    shown = [[v.date() if hasattr(v, "date") else v for v in row] for row in values[1:]]
    assert shown == [
        # 10-30 was missed before the first letter moved it: 28 days from it (lateness sticks),
        # so it heads the list.
        [1, "石境村", 1, "村口路灯不亮", "李四", day("2026-10-30"), 28, day("2026-10-31"),
         "宝峰镇督〔2026〕3号", day("2026-11-06"), day("2026-11-03"), "正在协调电工", 1, "已再次督办",
         day("2026-10-30"), day("2026-11-17")],
        [2, "石境村", 1, "村口路灯不亮", "李四", day("2026-11-06"), 28, day("2026-11-10"),
         "宝峰镇督〔2026〕7号", day("2026-11-17"), day("2026-11-14"), "已安排施工", 2, "再次督办",
         day("2026-10-30"), day("2026-11-17")],
        [3, "宝峰镇/新村", 1, "水渠堵塞", "王五", day("2026-11-09"), 18, day("2026-11-10"),
         "宝峰镇督〔2026〕8号", None, None, "未回复", 1, "再次督办", day("2026-11-09"),
         day("2026-11-09")],
        # Closed after missing 11-10 (the letter of 11-12 moved it): closed late from 11-10.
        [4, "中源乡/新村", 1, "田间道路塌方", "况小明", day("2026-11-10"), None, day("2026-11-12"),
         "中源乡督〔2026〕2号", day("2026-11-19"), day("2026-11-25"), "已修复通行", 1, "已办结",
         day("2026-11-10"), day("2026-11-19")],
    ]  # fmt: skip


def test_the_public_supervision_sheet_masks_numbers_in_a_reply(supervised: Run, db: Path) -> None:
    import openpyxl

    reply = ("supervise", "1", "--letter", LETTER, "--reply", "电工 139 1234 5678 已到场")
    ok(supervised(*reply, "--reply-date", "2026-11-18"))
    ok(supervised("export", "--month", "2026-11", str(db), "-o", "公示.xlsx", "--public"))
    sheet = openpyxl.load_workbook("公示.xlsx")["督办清单"]
    assert [row[11].value for row in sheet.iter_rows(min_row=4)] == ["电工 *** 已到场"]
