"""What ``show``, ``history``, ``list``, ``overdue`` and ``stats`` print (SPEC 3, the clerk's
screens): piped, tab-separated lines with every value whole and no title; on an 80-column
terminal, aligned and wrapped with nothing cut; history times in local time."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Run, ok, out
from shuoshi_cli.formats.render import local_time
from shuoshi_cli.formats.table import Screen, cell_width
from shuoshi_cli.store import write

AT = "2026-11-27T02:30:00+00:00"  # every entry's wall-clock time: 10:30 in Beijing


@pytest.fixture
def beijing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The local time zone is UTC+8, and history is written at ``AT``."""
    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    monkeypatch.setattr(write, "now_text", lambda: AT)
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def lamp(ledger: Run, beijing: None) -> Run:
    """#1 received on 11-20, noted, supervised, planned and closed; #2 overdue since 11-26."""
    steps: list[tuple[str, ...]] = [
        ("add", "村口路灯不亮，晚上出行不便", "--detail",
         "村口到小学的三盏路灯都不亮，学生晚自习放学经过很危险，村民多次反映",
         "--reporter", "张三", "--phone", "13800000000", "--category", "基础设施",
         "--channel", "talk", "--received", "2026-11-20"),
        ("assign", "1", "--owner", "李四", "--due", "2026-11-25", "--date", "2026-11-20"),
        ("note", "1", "已联系电工，等待配件", "--date", "2026-11-21"),
        ("supervise", "1", "--letter", "宝督〔2026〕3号", "--due", "2026-11-30",
         "--date", "2026-11-26"),
        ("plan", "1", "列入村级亮化工程", "--date", "2026-11-27"),
        ("close", "1", "--outcome", "resolved", "--result", "已更换LED灯管三根"),
        ("add", "自来水浑浊", "--received", "2026-11-24", "--due", "2026-11-26"),
    ]  # fmt: skip
    for step in steps:
        ok(ledger(*step))
    return ledger


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    monkeypatch.setattr(Screen, "is_terminal", property(lambda self: True))
    monkeypatch.setenv("COLUMNS", str(width))


DETAIL = [
    "编号\t石境村#1",
    "反映事项\t村口路灯不亮，晚上出行不便",
    "详细内容\t村口到小学的三盏路灯都不亮，学生晚自习放学经过很危险，村民多次反映",
    "类型\t诉求",
    "类别\t基础设施",
    "渠道\t说事点",
    "反映人\t张三",
    "联系电话\t13800000000",
    "受理日期\t2026-11-20",
    "领办责任人\t李四",
    "完成时限\t2026-11-30",
    "办理层级\t村级",
    "状态\t已办结",
    "办理结果类型\t已解决",
    "办理结果\t已更换LED灯管三根",
    "办结日期\t2026-11-27",
    "计划\t列入村级亮化工程",
    "办理情况\t已办结（已解决）",
]
PROGRESS = [
    "日期\t记录\t内容",
    "2026-11-21\t办理情况\t已联系电工，等待配件",
    "2026-11-26\t督办函\t宝督〔2026〕3号，完成时限改为 2026-11-30",
    "2026-11-27\t计划\t列入村级亮化工程",
]
WHEN = "2026-11-27 10:30\t"
HISTORY = [
    "记录时间\t生效日期\t操作人\t事项\t原值\t新值\t说明",
    WHEN + "2026-11-20\t测试员\t反映事项\t\t村口路灯不亮，晚上出行不便\t",
    WHEN + "2026-11-20\t测试员\t详细内容\t\t"
    "村口到小学的三盏路灯都不亮，学生晚自习放学经过很危险，村民多次反映\t",
    WHEN + "2026-11-20\t测试员\t类型\t\t诉求\t",
    WHEN + "2026-11-20\t测试员\t类别\t\t基础设施\t",
    WHEN + "2026-11-20\t测试员\t渠道\t\t说事点\t",
    WHEN + "2026-11-20\t测试员\t反映人\t\t张三\t",
    WHEN + "2026-11-20\t测试员\t联系电话\t\t13800000000\t",
    WHEN + "2026-11-20\t测试员\t匿名\t\t否\t",
    WHEN + "2026-11-20\t测试员\t受理日期\t\t2026-11-20\t",
    WHEN + "2026-11-20\t测试员\t办理层级\t\t村级\t",
    WHEN + "2026-11-20\t测试员\t状态\t\t在办\t",
    WHEN + "2026-11-20\t测试员\t领办责任人\t\t李四\t",
    WHEN + "2026-11-20\t测试员\t完成时限\t\t2026-11-25\t",
    WHEN + "2026-11-21\t测试员\t办理情况\t\t已联系电工，等待配件\t",
    WHEN + "2026-11-26\t测试员\t督办函\t\t宝督〔2026〕3号\t",
    WHEN + "2026-11-26\t测试员\t完成时限\t2026-11-25\t2026-11-30\t宝督〔2026〕3号",
    WHEN + "2026-11-27\t测试员\t办理结果类型\t\t列入计划\t",
    WHEN + "2026-11-27\t测试员\t计划\t\t列入村级亮化工程\t",
    WHEN + "2026-11-27\t测试员\t状态\t在办\t已办结\t",
    WHEN + "2026-11-27\t测试员\t办理结果类型\t列入计划\t已解决\t",
    WHEN + "2026-11-27\t测试员\t办理结果\t\t已更换LED灯管三根\t",
    WHEN + "2026-11-27\t测试员\t办结日期\t\t2026-11-27\t",
]


def test_show_piped_is_every_field_then_the_progress_then_the_history(lamp: Run) -> None:
    lines = out(lamp("show", "1")).splitlines()
    uid = json.loads(out(lamp("show", "1", "--json")))["uid"]
    assert lines == [*DETAIL, f"唯一标识\t{uid}", "", *PROGRESS, "", *HISTORY]


def test_history_piped_in_local_time_and_json_keeps_the_stored_offset(lamp: Run) -> None:
    assert out(lamp("history", "石境村#1")).splitlines() == HISTORY
    entries = json.loads(out(lamp("history", "1", "--json")))
    assert {entry["at"] for entry in entries} == {AT}


def test_list_piped_is_the_heading_and_a_line_per_case(lamp: Run) -> None:
    assert out(lamp("list", "--status", "all")).splitlines() == [
        "编号\t受理日期\t反映事项\t类别\t领办责任人\t完成时限\t办理层级\t办理情况",
        "2\t2026-11-24\t自来水浑浊\t\t\t2026-11-26\t村级\t在办 超期1天",
        "1\t2026-11-20\t村口路灯不亮，晚上出行不便\t基础设施\t李四\t2026-11-30\t村级\t已办结（已解决）",
    ]


def test_show_at_80_columns_wraps_every_field_in_full(
    lamp: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_a_terminal(monkeypatch, 80)
    lines = out(lamp("show", "1")).splitlines()
    assert all(cell_width(line) <= 80 for line in lines)
    assert "…" not in "".join(lines)
    assert lines[:3] == [
        "编号          石境村#1",
        "反映事项      村口路灯不亮，晚上出行不便",
        "详细内容      村口到小学的三盏路灯都不亮，学生晚自习放学经过很危险，村民多次反映",
    ]
    start = lines.index("办理经过")
    assert lines[start - 1 : start + 5] == [
        "",
        "办理经过",
        "日期        记录      内容",
        "2026-11-21  办理情况  已联系电工，等待配件",
        "2026-11-26  督办函    宝督〔2026〕3号，完成时限改为 2026-11-30",
        "2026-11-27  计划      列入村级亮化工程",
    ]
    assert lines[start + 5 : start + 7] == ["", "#1 办理记录"]


def test_history_at_80_columns_puts_old_and_new_together_and_wraps(
    lamp: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_a_terminal(monkeypatch, 80)
    lines = out(lamp("history", "1")).splitlines()
    assert all(cell_width(line) <= 80 for line in lines)
    assert lines[:7] == [
        "#1 办理记录",
        "记录时间         生效       操作人 事项         原值 → 新值        说明",
        "2026-11-27 10:30 2026-11-20 测试员 反映事项     村口路灯不亮，晚上",
        "                                                出行不便",
        "2026-11-27 10:30 2026-11-20 测试员 详细内容     村口到小学的三盏路",
        "                                                灯都不亮，学生晚自",
        "                                                习放学经过很危险，",
    ]
    assert lines[-8:] == [
        "2026-11-27 10:30 2026-11-26 测试员 完成时限     2026-11-25 →       宝督",
        "                                                2026-11-30         〔2026〕3号",
        "2026-11-27 10:30 2026-11-27 测试员 办理结果类型 列入计划",
        "2026-11-27 10:30 2026-11-27 测试员 计划         列入村级亮化工程",
        "2026-11-27 10:30 2026-11-27 测试员 状态         在办 → 已办结",
        "2026-11-27 10:30 2026-11-27 测试员 办理结果类型 列入计划 → 已解决",
        "2026-11-27 10:30 2026-11-27 测试员 办理结果     已更换LED灯管三根",
        "2026-11-27 10:30 2026-11-27 测试员 办结日期     2026-11-27",
    ]


def test_list_at_80_columns(lamp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch, 80)
    assert out(lamp("list", "--status", "all")).splitlines() == [
        "石境村 事项（2 件）",
        "编号 受理       反映事项             类别     责任人 时限       层级 办理情况",
        "2    2026-11-24 自来水浑浊                           2026-11-26 村级 在办",
        "                                                                     超期1天",
        "1    2026-11-20 村口路灯不亮，晚上出 基础设施 李四   2026-11-30 村级 已办结",
        "                行不便                                               （已解决）",
    ]


def test_an_empty_list_on_a_terminal_says_so(lamp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch, 80)
    result = lamp("list", "--search", "不存在")
    assert out(result) == "没有符合条件的事项\n" and result.stderr == ""


def test_overdue_at_80_columns(lamp: Run, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch, 80)
    assert out(lamp("overdue", str(db))).splitlines() == [
        "截至 2026-11-27 超期未办结事项（1 件）",
        "村      编号  反映事项    领办责任人  完成时限    超期天数  办理层级  督办",
        "石境村  2     自来水浑浊              2026-11-26         1  村级",
        "",
        # #1 missed 11-25 before the letter of 11-26 moved it (lateness sticks): 2 days late.
        "2026年11月超期办结事项（1 件）",
        "村      编号  反映事项                    责任人  时限        办结        天数",
        "石境村  1     村口路灯不亮，晚上出行不便  李四    2026-11-30  2026-11-27     2",
    ]


def test_stats_at_80_columns_is_two_tables_and_cuts_no_figure(
    lamp: Run, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_a_terminal(monkeypatch, 80)
    assert out(lamp("stats", str(db))).splitlines() == [
        "事项办理统计（2026-11-01 至 2026-11-27）",
        "名次  分组  应办(结转+新)       销号率      反馈率  满意率      按时率",
        "      合计        2 (0+2)  50.0% (1/2)  0.0% (0/1)       —  0.0% (0/1)",
        "",
        "办结天数、超期与办理结果",
        "分组  平均天数  超期  超期办结     已解决  计划/在办    已解释  说事(事项)",
        # each share with its count; talk sessions held (matters raised at them)
        "合计       7.0     1         1  50.0% (1)  50.0% (1)  0.0% (0)       0 (0)",
    ]
    english = out(lamp("--lang", "en", "stats", str(db), "--by", "channel")).splitlines()
    assert all(cell_width(line) <= 80 for line in english)
    assert english[4:6] == [
        "<5 cases talk point      1 (0+1) 100.0% (1/1) 0.0% (0/1)            — 0.0% (0/1)",
        "         total           2 (0+2)  50.0% (1/2) 0.0% (0/1)            — 0.0% (0/1)",
    ]
    on_a_terminal(monkeypatch, 200)  # wide enough: one table, one line a group
    wide = out(lamp("stats", str(db))).splitlines()
    assert len(wide) == 3 and wide[2].endswith("50.0% (1)  50.0% (1)  0.0% (0)       0 (0)")


def test_stats_piped_is_one_table_of_every_figure(lamp: Run, db: Path) -> None:
    assert out(lamp("stats", str(db))).splitlines() == [
        "名次\t分组\t应办(结转+新)\t销号率\t反馈率\t满意率\t按时率\t平均天数\t超期\t超期办结"
        "\t已解决\t计划/在办\t已解释\t说事(事项)",
        "\t合计\t2 (0+2)\t50.0% (1/2)\t0.0% (0/1)\t—\t0.0% (0/1)\t7.0\t1\t1"
        "\t50.0% (1)\t50.0% (1)\t0.0% (0)\t0 (0)",
    ]


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(
    "args",
    [
        ("list", "--status", "all"),
        ("show", "1"),
        ("history", "1"),
        ("--lang", "en", "show", "1"),
        ("--lang", "en", "list", "--status", "all"),
    ],
)
def test_every_screen_fits_its_terminal(
    lamp: Run, monkeypatch: pytest.MonkeyPatch, width: int, args: tuple[str, ...]
) -> None:
    on_a_terminal(monkeypatch, width)
    shown = out(lamp(*args))
    assert all(cell_width(line) <= width for line in shown.splitlines()), shown
    assert "…" not in shown and "\t" not in shown


def test_history_times_are_shown_in_local_time(beijing: None) -> None:
    assert local_time("2026-11-27T02:30:00+00:00") == "2026-11-27 10:30"
    assert local_time("2026-11-27T10:30:59+08:00") == "2026-11-27 10:30"
    assert local_time("2026-11-26T23:30:00-05:00") == "2026-11-27 12:30"
    assert local_time("not a time") == "not a time"
