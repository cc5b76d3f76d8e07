"""The happy path through the command line: SPEC 3's examples and a case's whole life.

Today is 2026-11-27 (a Friday) and the user 测试员 unless a test says otherwise (conftest).
"""

from __future__ import annotations

import getpass
import json
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from conftest import Run, ok, out, shuoshi
from shuoshi_cli.formats.table import Screen

# The field names of SPEC section 2.
SECTION_2_FIELDS = {
    "id",
    "uid",
    "title",
    "detail",
    "kind",
    "category",
    "channel",
    "reporter",
    "phone",
    "anonymous",
    "received_on",
    "session",
    "owner",
    "deadline",
    "level",
    "status",
    "outcome",
    "result",
    "closed_on",
    "feedback_on",
    "satisfaction",
    "supervisions",
}


def as_json(result: Result) -> Any:
    return json.loads(out(result))


def shown(run: Run, case_id: int) -> dict[str, Any]:
    data = as_json(run("show", str(case_id), "--json"))
    assert isinstance(data, dict)
    return data


def stored(run: Run, case_id: int) -> dict[str, Any]:
    """The case as ``show --json`` has it, without the history."""
    data = shown(run, case_id)
    data.pop("history")
    return data


def changes(entries: list[dict[str, Any]]) -> list[tuple[str, str | None, str | None]]:
    return [(e["field"], e["old"], e["new"]) for e in entries]


def ids(result: Result) -> list[int]:
    return [c["id"] for c in as_json(result)]


# ---------------------------------------------------------------- SPEC 3, as written


def test_spec_examples_as_written(run: Run, db: Path) -> None:
    result = run("init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县")
    assert out(result) == f"已新建台账 {db}：靖安县宝峰镇石境村\n"
    assert db.exists()

    result = run(
        "add",
        "村口路灯不亮",
        "--reporter",
        "张三",
        "--phone",
        "13800000000",
        "--category",
        "基础设施",
        "--channel",
        "talk",
    )
    assert out(result) == "1\n"
    assert result.stderr == "已登记 #1：村口路灯不亮\n"

    result = run("assign", "1", "--owner", "李四", "--due", "+5wd")
    assert out(result) == "#1 领办责任人：李四，完成时限 2026-12-04（星期五）\n"
    assert result.stderr == ""

    result = run("close", "1", "--outcome", "resolved", "--result", "已更换灯泡")
    assert out(result) == "#1 已销号（已解决），办结日期 2026-11-27\n"

    result = run("feedback", "1", "--satisfaction", "satisfied")
    assert out(result) == "#1 已登记反馈 2026-11-27（满意）\n"

    data = shown(run, 1)
    expected = {
        "id": 1,
        "title": "村口路灯不亮",
        "detail": None,
        "kind": "request",
        "category": "基础设施",
        "channel": "talk",
        "reporter": "张三",
        "phone": "13800000000",
        "anonymous": False,
        "received_on": "2026-11-27",
        "session": None,
        "owner": "李四",
        "deadline": "2026-12-04",
        "level": "village",
        "status": "closed",
        "outcome": "resolved",
        "result": "已更换灯泡",
        "closed_on": "2026-11-27",
        "feedback_on": "2026-11-27",
        "satisfaction": "satisfied",
        "supervisions": [],
        "village": "石境村",
    }
    assert {k: data[k] for k in expected} == expected
    assert type(data["id"]) is int
    assert str(uuid.UUID(data["uid"])) == data["uid"]
    assert SECTION_2_FIELDS | {"village", "history"} <= set(data)

    history = data["history"]
    assert all(e["effective"] == "2026-11-27" and e["user"] == "测试员" for e in history)
    created = {e["field"]: e["new"] for e in history[:-8]}
    assert all(e["old"] is None for e in history[:-8])
    assert created["title"] == "村口路灯不亮"
    assert created["reporter"] == "张三"
    assert created["phone"] == "13800000000"
    assert created["channel"] == "talk"
    assert created["status"] == "open"
    assert changes(history[-8:]) == [
        ("owner", None, "李四"),
        ("deadline", None, "2026-12-04"),
        ("status", "open", "closed"),
        ("outcome", None, "resolved"),
        ("result", None, "已更换灯泡"),
        ("closed_on", None, "2026-11-27"),
        ("feedback_on", None, "2026-11-27"),
        ("satisfaction", None, "satisfied"),
    ]
    # The working-day deadline records how it was counted.
    assert history[-7]["note"] == "+5wd official"


def test_spec_add_prints_the_id_in_a_real_process(ledger: Run, db: Path) -> None:
    proc = shuoshi(
        "--db",
        str(db),
        "add",
        "村口路灯不亮",
        "--reporter",
        "张三",
        "--phone",
        "13800000000",
        "--category",
        "基础设施",
        "--channel",
        "talk",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "1\n"
    assert proc.stderr == "已登记 #1：村口路灯不亮\n"


# ---------------------------------------------------------------- change commands and --json


def test_every_change_command_prints_the_changed_case(ledger: Run) -> None:
    created = as_json(ledger("add", "水渠堵塞", "--received", "2026-11-20", "--json"))
    assert created == stored(ledger, 1)
    assert created["id"] == 1 and created["received_on"] == "2026-11-20"

    steps: list[tuple[tuple[str, ...], dict[str, Any]]] = [
        (("assign", "1", "--owner", "李四", "--due", "2026-12-01"), {"owner": "李四"}),
        (("note", "1", "已联系村民小组长"), {}),
        (
            ("plan", "1", "列入明年水利计划", "--due", "2027-03-31"),
            {"outcome": "planned", "plan": "列入明年水利计划", "deadline": "2027-03-31"},
        ),
        (
            ("escalate", "1", "--to", "township", "--reason", "需镇水利站协调"),
            {"level": "township"},
        ),
        (
            ("supervise", "1", "--letter", "宝督〔2026〕12号", "--due", "2026-12-15"),
            {"deadline": "2026-12-15"},
        ),
        (
            ("close", "1", "--outcome", "explained", "--result", "已解释说明"),
            {"status": "closed", "outcome": "explained", "closed_on": "2026-11-27"},
        ),
        (("feedback", "1", "--satisfaction", "unsatisfied"), {"satisfaction": "unsatisfied"}),
        (("reopen", "1", "--reason", "群众不满意"), {"status": "open", "outcome": None}),
    ]
    before = created
    for args, expected in steps:
        printed = as_json(ledger(*args, "--json"))
        assert printed == stored(ledger, 1), args
        assert {k: printed[k] for k in expected} == expected, args
        assert printed["id"] == 1 and printed["uid"] == before["uid"]
        assert printed["village"] == "石境村"
        before = printed
    # A note changes no field.
    history = shown(ledger, 1)["history"]
    assert ("note", None, "已联系村民小组长") in changes(history)


def test_note_plan_escalate_and_supervise(ledger: Run) -> None:
    ok(
        ledger(
            "add", "河堤塌方", "--received", "2026-11-02", "--owner", "李四", "--due", "2026-11-20"
        )
    )
    start = len(shown(ledger, 1)["history"])

    assert out(ledger("note", "1", "已现场查看")) == "#1 已记录办理情况\n"
    assert out(ledger("plan", "1", "列入明年水毁修复计划", "--due", "2027-06-30")) == (
        "#1 已列入计划，完成时限 2027-06-30（星期三）\n"
    )
    case = stored(ledger, 1)
    assert (case["status"], case["outcome"], case["plan"], case["deadline"]) == (
        "open",
        "planned",
        "列入明年水毁修复计划",
        "2027-06-30",
    )

    result = ledger(
        "escalate",
        "1",
        "--to",
        "township",
        "--reason",
        "需镇水利站协调",
        "--owner",
        "王站长",
        "--due",
        "2026-12-31",
    )
    assert out(result) == "#1 已上报乡镇，完成时限 2026-12-31（星期四）\n"
    ok(ledger("escalate", "1", "--to", "county", "--reason", "需县水利局资金"))
    case = stored(ledger, 1)
    assert (case["level"], case["owner"], case["deadline"]) == ("county", "王站长", "2026-12-31")

    result = ledger("supervise", "1", "--letter", "宝督〔2026〕12号", "--due", "2026-12-15")
    assert out(result) == "#1 已登记督办函 宝督〔2026〕12号，完成时限 2026-12-15（星期二）\n"
    ok(ledger("supervise", "1", "--letter", "宝督〔2026〕13号"))
    case = stored(ledger, 1)
    assert case["deadline"] == "2026-12-15"
    assert case["status"] == "open" and case["outcome"] == "planned"
    assert case["supervisions"] == [
        {
            "date": "2026-11-27",
            "letter": "宝督〔2026〕12号",
            "deadline": "2026-12-15",
            "previous_deadline": "2026-12-31",
            "reply_on": None,
            "reply": None,
        },
        {
            "date": "2026-11-27",
            "letter": "宝督〔2026〕13号",
            "deadline": None,
            "previous_deadline": "2026-12-15",
            "reply_on": None,
            "reply": None,
        },
    ]

    entries = as_json(ledger("history", "1", "--json"))[start:]
    assert [(e["field"], e["old"], e["new"], e["note"]) for e in entries] == [
        ("note", None, "已现场查看", None),
        ("outcome", None, "planned", None),
        ("plan", None, "列入明年水毁修复计划", None),
        ("deadline", "2026-11-20", "2027-06-30", None),
        ("level", "village", "township", "需镇水利站协调"),
        ("owner", "李四", "王站长", None),
        ("deadline", "2027-06-30", "2026-12-31", None),
        ("level", "township", "county", "需县水利局资金"),
        ("supervision", None, "宝督〔2026〕12号", None),
        ("deadline", "2026-12-31", "2026-12-15", "宝督〔2026〕12号"),
        ("supervision", None, "宝督〔2026〕13号", None),
    ]
    assert all(e["effective"] == "2026-11-27" and e["user"] == "测试员" for e in entries)


def test_note_is_allowed_on_a_closed_case(ledger: Run) -> None:
    ok(ledger("add", "村口路灯不亮"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已更换灯泡"))
    ok(ledger("note", "1", "回访：灯正常"))
    assert stored(ledger, 1)["status"] == "closed"


def test_reopen_clears_the_closing_but_history_keeps_it(ledger: Run) -> None:
    ok(ledger("add", "自来水浑浊", "--received", "2026-11-10", "--owner", "李四"))
    ok(
        ledger(
            "close", "1", "--outcome", "resolved", "--result", "已清洗水箱", "--date", "2026-11-12"
        )
    )
    ok(ledger("feedback", "1", "--satisfaction", "basic", "--date", "2026-11-13"))
    result = ledger("reopen", "1", "--reason", "又出现浑浊", "--date", "2026-11-20")
    assert out(result) == "#1 已重新打开\n"

    case = stored(ledger, 1)
    assert case["status"] == "open"
    for name in ("closed_on", "outcome", "result", "feedback_on", "satisfaction"):
        assert case[name] is None, name
    assert case["owner"] == "李四"

    entries = shown(ledger, 1)["history"]
    reopened = [e for e in entries if e["effective"] == "2026-11-20"]
    assert [(e["field"], e["old"], e["new"], e["note"]) for e in reopened] == [
        ("status", "closed", "open", "又出现浑浊"),
        ("closed_on", "2026-11-12", None, None),
        ("outcome", "resolved", None, None),
        ("result", "已清洗水箱", None, None),
        ("feedback_on", "2026-11-13", None, None),
        ("satisfaction", "basic", None, None),
    ]
    # What it had on closing is still there, with its own dates.
    assert ("result", None, "已清洗水箱") in changes(entries)
    assert ("satisfaction", None, "basic") in changes(entries)

    # The reopened case can be closed again.
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已更换管道"))
    case = stored(ledger, 1)
    assert (case["status"], case["result"], case["closed_on"]) == (
        "closed",
        "已更换管道",
        "2026-11-27",
    )
    assert case["satisfaction"] is None


# ---------------------------------------------------------------- who and when


def test_history_records_effective_date_and_user(
    ledger: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(ledger("add", "垃圾清运不及时", "--received", "2026-11-15"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已清运", "--date", "2026-11-25"))
    ok(ledger("feedback", "1", "--date", "2026-11-26", env={"SHUOSHI_USER": "赵干事"}))
    ok(ledger("--user", "王会计", "note", "1", "已回访"))
    monkeypatch.delenv("SHUOSHI_USER")
    ok(ledger("note", "1", "再次回访"))

    entries = shown(ledger, 1)["history"]
    by_field = {(e["field"], e["new"]): e for e in entries}
    title = by_field[("title", "垃圾清运不及时")]
    assert (title["effective"], title["user"]) == ("2026-11-15", "测试员")
    closed = by_field[("status", "closed")]
    assert (closed["effective"], closed["user"], closed["old"]) == ("2026-11-25", "测试员", "open")
    fed_back = by_field[("feedback_on", "2026-11-26")]
    assert (fed_back["effective"], fed_back["user"]) == ("2026-11-26", "赵干事")
    noted = by_field[("note", "已回访")]
    assert (noted["effective"], noted["user"]) == ("2026-11-27", "王会计")
    noted = by_field[("note", "再次回访")]
    assert (noted["effective"], noted["user"]) == ("2026-11-27", getpass.getuser())
    # Wall-clock time of writing: a real timestamp with its UTC offset.
    for entry in entries:
        assert datetime.fromisoformat(entry["at"]).tzinfo is not None

    # --user beats SHUOSHI_USER.
    ok(ledger("--user", "王会计", "note", "1", "第三次回访", env={"SHUOSHI_USER": "赵干事"}))
    assert shown(ledger, 1)["history"][-1]["user"] == "王会计"


def test_feedback_without_satisfaction_records_the_date_only(ledger: Run) -> None:
    ok(ledger("add", "咨询低保政策", "--kind", "inquiry"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已解答"))
    assert out(ledger("feedback", "1")) == "#1 已登记反馈 2026-11-27\n"
    case = stored(ledger, 1)
    assert (case["feedback_on"], case["satisfaction"]) == ("2026-11-27", None)


# ---------------------------------------------------------------- list


@pytest.fixture
def several(ledger: Run) -> Run:
    """1: no deadline; 2: due 12-10; 3: due 12-01; 4: closed; 5: planned, due 11-30."""
    steps: list[tuple[str, ...]] = [
        ("add", "无时限事项", "--category", "其他", "--received", "2026-11-20"),
        ("add", "路面坑洼", "--category", "基础设施", "--owner", "李四", "--due", "2026-12-10"),
        ("add", "垃圾堆放", "--category", "环境卫生", "--owner", "王五", "--due", "2026-12-01"),
        ("add", "已办事项", "--category", "基础设施", "--owner", "李四", "--due", "2026-11-28"),
        ("close", "4", "--outcome", "resolved", "--result", "已办"),
        (
            "add",
            "桥梁加固",
            "--category",
            "基础设施",
            "--owner",
            "李四",
            "--received",
            "2026-11-01",
        ),
        ("plan", "5", "列入年度计划", "--due", "2026-11-30"),
    ]
    for step in steps:
        ok(ledger(*step))
    return ledger


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, width: int = 120) -> None:
    """Screens drawn as on a terminal ``width`` columns wide, with their titles (CliRunner's
    stdout is a pipe, where tables are tab-separated with no title: tests/test_screens.py)."""
    monkeypatch.setattr(Screen, "is_terminal", property(lambda self: True))
    monkeypatch.setenv("COLUMNS", str(width))


def test_list_shows_open_cases_by_deadline_none_last(
    several: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ids(several("list", "--json")) == [5, 3, 2, 1]
    assert ids(several("list", "--status", "open", "--json")) == [5, 3, 2, 1]
    assert ids(several("list", "--status", "在办", "--json")) == [5, 3, 2, 1]
    assert ids(several("list", "--status", "closed", "--json")) == [4]
    assert ids(several("list", "--status", "all", "--json")) == [5, 3, 2, 1, 4]
    listed = as_json(several("list", "--json"))
    assert all(c["status"] == "open" and c["village"] == "石境村" for c in listed)
    assert type(listed[0]["id"]) is int

    on_a_terminal(monkeypatch)
    table = out(several("list"))
    assert "石境村 事项（4 件）" in table
    assert "列入计划" in table and "已办事项" not in table
    assert table.index("桥梁加固") < table.index("垃圾堆放") < table.index("路面坑洼")
    assert table.index("路面坑洼") < table.index("无时限事项")


def test_list_overdue_moves_with_today(several: Run) -> None:
    assert ids(several("list", "--status", "overdue", "--json")) == []
    later = {"SHUOSHI_TODAY": "2026-12-01"}
    # Due by the end of the deadline day: case 3 (due 12-01) is not yet overdue on 12-01.
    assert ids(several("list", "--status", "overdue", "--json", env=later)) == [5]
    later = {"SHUOSHI_TODAY": "2026-12-05"}
    assert ids(several("list", "--status", "overdue", "--json", env=later)) == [5, 3]
    assert ids(several("list", "--status", "超期", "--json", env=later)) == [5, 3]
    table = out(several("list", "--status", "overdue", env=later))
    assert "超期5天" in table and "超期4天" in table
    # The closed case (due 11-28) and the case with no deadline are never overdue.
    later = {"SHUOSHI_TODAY": "2027-01-04"}
    assert ids(several("list", "--status", "overdue", "--json", env=later)) == [5, 3, 2]


def test_list_by_owner_and_category(several: Run) -> None:
    assert ids(several("list", "--owner", "李四", "--json")) == [5, 2]
    assert ids(several("list", "--owner", "李四", "--status", "all", "--json")) == [5, 2, 4]
    assert ids(several("list", "--owner", "王五", "--json")) == [3]
    assert ids(several("list", "--owner", "赵六", "--json")) == []
    assert ids(several("list", "--category", "基础设施", "--json")) == [5, 2]
    assert ids(several("list", "--category", "环境卫生", "--json")) == [3]
    assert ids(
        several("list", "--category", "基础设施", "--owner", "李四", "--status", "closed", "--json")
    ) == [4]
    # Piped, an empty list is its heading row alone; the words go to stderr.
    nothing = several("list", "--owner", "赵六")
    assert (
        out(nothing) == "编号\t受理日期\t反映事项\t类别\t领办责任人\t完成时限\t办理层级\t办理情况\n"
    )
    assert nothing.stderr == "没有符合条件的事项\n"


def test_list_month_scope_and_state_at_month_end(ledger: Run) -> None:
    steps: list[tuple[str, ...]] = [
        ("add", "九月结转在办", "--received", "2026-09-20"),  # 1: carried over, still open
        ("add", "九月已办", "--received", "2026-09-21"),  # 2: closed in September: out
        ("close", "2", "--outcome", "resolved", "--result", "好", "--date", "2026-09-25"),
        ("add", "十月受理十一月办结", "--received", "2026-10-12", "--due", "2026-10-20"),  # 3
        ("close", "3", "--outcome", "explained", "--result", "已解释", "--date", "2026-11-05"),
        ("add", "十一月受理", "--received", "2026-11-03"),  # 4: out
        ("add", "十月受理十月办结", "--received", "2026-10-03"),  # 5
        ("close", "5", "--outcome", "resolved", "--result", "好", "--date", "2026-10-09"),
        ("add", "九月受理十月办结", "--received", "2026-09-10"),  # 6: carried over
        ("close", "6", "--outcome", "resolved", "--result", "好", "--date", "2026-10-15"),
    ]
    for step in steps:
        ok(ledger(*step))

    october = as_json(ledger("list", "--month", "2026-10", "--status", "all", "--json"))
    assert [c["id"] for c in october] == [3, 1, 6, 5]
    third = october[0]
    assert (third["status"], third["outcome"], third["result"], third["closed_on"]) == (
        "open",
        None,
        None,
        None,
    )
    assert third["deadline"] == "2026-10-20"
    sixth = october[2]
    assert (sixth["status"], sixth["closed_on"]) == ("closed", "2026-10-15")
    assert ids(ledger("list", "--month", "2026-10", "--json")) == [3, 1]
    assert ids(ledger("list", "--month", "2026-10", "--status", "closed", "--json")) == [6, 5]
    assert ids(ledger("list", "--month", "2026-10", "--status", "overdue", "--json")) == [3]
    assert ids(ledger("list", "--month", "2026年10月", "--status", "all", "--json")) == [3, 1, 6, 5]
    # Now case 3 is closed.
    assert stored(ledger, 3)["status"] == "closed"
    # A past month's answer does not depend on the day it is asked.
    much_later = {"SHUOSHI_TODAY": "2027-03-01"}
    again = as_json(
        ledger("list", "--month", "2026-10", "--status", "all", "--json", env=much_later)
    )
    assert again == october
    # The current month: as of today.
    assert ids(ledger("list", "--month", "2026-11", "--status", "all", "--json")) == [1, 4, 3]
    assert ids(ledger("list", "--month", "2026-09", "--status", "all", "--json")) == [1, 6, 2]


# ---------------------------------------------------------------- input forms


def test_anonymous_case_stores_no_reporter_or_phone(ledger: Run, db: Path) -> None:
    result = ledger("add", "有人在河道倾倒垃圾", "--anonymous", "--kind", "complaint", "--json")
    case = as_json(result)
    assert (case["anonymous"], case["reporter"], case["phone"]) == (True, None, None)
    assert case["kind"] == "complaint"
    connection = sqlite3.connect(db)
    try:
        row = connection.execute(
            "SELECT reporter, phone, anonymous FROM cases WHERE id = 1"
        ).fetchone()
        fields = {
            f
            for (f,) in connection.execute("SELECT field FROM history WHERE case_id = 1").fetchall()
        }
    finally:
        connection.close()
    assert row[0] is None and row[1] is None and row[2] in (1, True)
    assert "reporter" not in fields and "phone" not in fields


def test_chinese_enum_input_is_stored_as_codes(ledger: Run, db: Path) -> None:
    case = as_json(
        ledger("add", "游客反映停车难", "--channel", "说事点", "--kind", "意见建议", "--json")
    )
    assert (case["channel"], case["kind"]) == ("talk", "suggestion")
    assert (
        as_json(ledger("escalate", "1", "--to", "乡镇", "--reason", "需镇里协调", "--json"))[
            "level"
        ]
        == "township"
    )
    assert (
        as_json(ledger("escalate", "1", "--to", "县", "--reason", "需县里协调", "--json"))["level"]
        == "county"
    )
    result = ledger("close", "1", "--outcome", "已解决", "--result", "已划停车位")
    assert out(result) == "#1 已销号（已解决），办结日期 2026-11-27\n"
    result = ledger("feedback", "1", "--satisfaction", "基本满意")
    assert out(result) == "#1 已登记反馈 2026-11-27（基本满意）\n"
    ok(ledger("add", "咨询医保", "--channel", "来电", "--kind", "咨询"))
    ok(ledger("close", "2", "--outcome", "已解释说明", "--result", "已解答"))

    connection = sqlite3.connect(db)
    try:
        rows = connection.execute(
            "SELECT kind, channel, level, status, outcome, satisfaction FROM cases ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
    assert rows == [
        ("suggestion", "talk", "county", "closed", "resolved", "basic"),
        ("inquiry", "phone", "village", "closed", "explained", None),
    ]


def test_add_with_earlier_received_date_and_session(ledger: Run) -> None:
    result = ledger(
        "session", "add", "--date", "2026-10-10", "--place", "村文化礼堂", "--topic", "冬季防火"
    )
    assert out(result) == "1\n"
    case = as_json(
        ledger(
            "add",
            "消防栓损坏",
            "--received",
            "10月12日",
            "--session",
            "1",
            "--category",
            "社会治安",
            "--reporter",
            "张三",
            "--phone",
            "0795-4621234",
            "--owner",
            "李四",
            "--due",
            "2026-10-19",
            "--json",
        )
    )
    assert (case["received_on"], case["session"], case["owner"], case["deadline"]) == (
        "2026-10-12",
        1,
        "李四",
        "2026-10-19",
    )
    assert case["phone"] == "0795-4621234"
    entries = shown(ledger, 1)["history"]
    assert {e["effective"] for e in entries} == {"2026-10-12"}
    assert ("session", None, "1") in changes(entries)
    # Overdue since the deadline passed before today.
    assert ids(ledger("list", "--status", "overdue", "--json")) == [1]


def test_sessions(ledger: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    # Piped, an empty list is its heading row alone (as list does); the message on stderr.
    r = ok(ledger("session", "list"))
    assert (r.stdout, r.stderr) == (
        "编号\t日期\t说事点\t主题\t主持人\t事项数\n",
        "还没有说事活动\n",
    )
    assert out(ledger("session", "list", "--json")) == "[]\n"
    result = ledger(
        "session",
        "add",
        "--date",
        "2026-11-15",
        "--place",
        "村文化礼堂",
        "--topic",
        "冬季防火",
        "--host",
        "王书记",
    )
    assert out(result) == "1\n"
    assert result.stderr == "已登记说事活动 #1\n"
    second = as_json(ledger("session", "add", "--json"))
    assert second == {"id": 2, "date": "2026-11-27", "place": None, "topic": None, "host": None}
    assert as_json(ledger("session", "list", "--json")) == [
        {
            "id": 1,
            "date": "2026-11-15",
            "place": "村文化礼堂",
            "topic": "冬季防火",
            "host": "王书记",
            "raised": 0,
        },
        {**second, "raised": 0},
    ]
    assert (
        out(ledger("session", "list")).splitlines()[1]
        == "1\t2026-11-15\t村文化礼堂\t冬季防火\t王书记\t0"
    )
    on_a_terminal(monkeypatch)
    table = out(ledger("session", "list"))
    assert "说事活动" in table and "村文化礼堂" in table and "王书记" in table


# ---------------------------------------------------------------- English


def test_english_labels(ledger: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch)  # with the tables' titles
    en = ("--lang", "en")
    assert out(ledger(*en, "add", "Street light out", "--channel", "说事点")) == "1\n"
    assert out(ledger(*en, "assign", "1", "--owner", "李四", "--due", "+5wd")) == (
        "#1 owner: 李四, due 2026-12-04 (Fri)\n"
    )
    assert out(ledger(*en, "note", "1", "called the electrician")) == "#1: note recorded\n"
    assert out(ledger(*en, "escalate", "1", "--to", "township", "--reason", "needs the town")) == (
        "#1 escalated to township, due 2026-12-04 (Fri)\n"
    )
    table = out(ledger(*en, "list"))
    for word in ("石境村: 1 cases", "ID", "received", "title", "owner", "deadline", "township"):
        assert word in table, word
    assert "在办" not in table and "编号" not in table
    assert out(ledger(*en, "close", "1", "--outcome", "resolved", "--result", "bulb replaced")) == (
        "#1 closed (resolved) on 2026-11-27\n"
    )
    detail = out(ledger(*en, "show", "1"))
    for word in ("talk point", "request", "closed", "resolved", "history of #1", "effective"):
        assert word in detail, word
    for word in ("说事点", "已办结", "已解决", "办理记录"):
        assert word not in detail, word
    env_table = out(ledger("show", "1", env={"SHUOSHI_LANG": "en"}))
    assert "talk point" in env_table and "说事点" not in env_table
    # JSON is the same in every language: codes, not labels.
    assert shown(ledger, 1) == as_json(ledger(*en, "show", "1", "--json"))
    zh = out(ledger("show", "1"))
    assert "说事点" in zh and "已办结" in zh and "#1 办理记录" in zh
