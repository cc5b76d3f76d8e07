"""``template`` and ``import`` (SPEC 3), and ``export --csv``'s injection guard.

The workbooks here are built cell by cell with openpyxl, the way another program (or a clerk in
Excel or WPS) would: merged title rows, synonyms for the headings in a shuffled order, blank rows,
an explanation row, dates as Excel dates, as text and in full-width digits, enums in Chinese.
Imported cases are compared field by field through ``list --json``. Hostile files must each end in
exit 1 with one clear line, no traceback, no internal error and a ledger unchanged to the byte.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import random
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner, Result

from conftest import Run, folder_state, ok, refused, sha, shuoshi
from shuoshi_cli.cli import app

INTERNAL = "程序内部出错"
SHEET = "2026年10月"
FIELDS = (
    "title", "received_on", "reporter", "phone", "category", "kind", "channel", "owner",
    "deadline", "level", "status", "outcome", "result", "closed_on", "feedback_on",
    "satisfaction", "anonymous", "detail", "village",
)  # fmt: skip


# ---------------------------------------------------------------- helpers


def clean_exit_1(result: Result) -> list[str]:
    """Exit 1 through the error boundary: no traceback, no internal error, nothing on stdout."""
    assert result.exit_code == 1, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert INTERNAL not in result.output, result.output
    assert result.stdout == ""
    assert result.stderr.endswith("\n")
    return result.stderr.splitlines()


def problems_then_error(result: Result) -> tuple[list[str], str]:
    """The problem lines, then one final 错误： line."""
    lines = clean_exit_1(result)
    assert len(lines) >= 2, result.stderr
    *problems, last = lines
    assert last.startswith("错误："), last
    assert not any(p.startswith("错误：") for p in problems), lines
    return problems, last


def all_cases(run: Run) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(ok(run("list", "--status", "all", "--json")).stdout)
    return sorted(cases, key=lambda c: c["id"])


def fields(case: dict[str, Any]) -> dict[str, Any]:
    return {k: case[k] for k in FIELDS}


def case(**given: Any) -> dict[str, Any]:
    """What an imported case looks like: the defaults of SPEC 2 plus what the row says."""
    base: dict[str, Any] = {
        "reporter": None, "phone": None, "category": None, "kind": "request",
        "channel": "other", "owner": None, "deadline": None, "level": "village",
        "status": "open", "outcome": None, "result": None, "closed_on": None,
        "feedback_on": None, "satisfaction": None, "anonymous": False, "detail": None,
        "village": "石境村",
    }  # fmt: skip
    base.update(given)
    return base


def sheet_with(
    headings: list[str], rows: list[list[Any] | None], *, title_rows: int = 0, name: str = SHEET
) -> Workbook:
    """A one-sheet workbook: merged title rows, headings, then rows (None = a blank row)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = name
    for number in range(1, title_rows + 1):
        ws.cell(row=number, column=1, value=f"宝峰镇石境村群众说事台账（第{number}行标题）")
        ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(headings))
    for column, heading in enumerate(headings, start=1):
        ws.cell(row=title_rows + 1, column=column, value=heading)
    for offset, row in enumerate(rows, start=title_rows + 2):
        for column, value in enumerate(row or [], start=1):
            if value is not None:
                ws.cell(row=offset, column=column, value=value)
    return wb


def save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


# ---------------------------------------------------------------- the real-world workbook

HEADINGS = [
    "序号", "诉求内容", "登记日期", "来访人", "联系方式", "事项类别", "来源", "类型", "领办人",
    "办理时限", "办结时间", "结果类型", "办理结果", "是否满意", "反馈日期", "备注",
]  # fmt: skip


def ledger_workbook(path: Path, extra_rows: int = 0) -> Path:
    """A township clerk's sheet: two merged title rows, shuffled synonyms, blank rows, notes."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws["A1"] = "宝峰镇石境村“群众说事”事项登记台账（2026年10月）"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    ws["A2"] = "填报单位：石境村村委会　　　　填报人：王会计"
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADINGS))
    for column, heading in enumerate(HEADINGS, start=1):
        ws.cell(row=3, column=column, value=heading)
    ws["A4"] = "填写说明：日期写 2026-10-05 或 2026年10月5日；电话请设为文本格式"
    rows: dict[int, dict[str, Any]] = {
        5: {
            "序号": 1, "诉求内容": "村口路灯不亮，晚上出行不便", "登记日期": datetime(2026, 10, 5),
            "来访人": "张三", "联系方式": "13800000000", "事项类别": "基础设施", "来源": "说事点",
            "类型": "诉求", "领办人": "李四", "办理时限": "2026年10月12日",
            "办结时间": "２０２６年１０月９日", "办理结果": "已更换灯泡", "是否满意": "满意",
            "反馈日期": "2026.10.10",
        },
        7: {
            "序号": 2, "诉求内容": "垃圾清运不及时", "登记日期": "2026年10月6日", "来访人": "王五",
            "联系方式": "0795-4621234", "事项类别": "环境卫生", "来源": "来电", "类型": "投诉举报",
            "领办人": "赵六", "办理时限": datetime(2026, 10, 20),
        },
        8: {
            "序号": 3, "诉求内容": "建议增设健身器材", "登记日期": "2026.10.8", "来访人": "刘七",
            "联系方式": "１３９１２３４５６７８", "事项类别": "民生保障", "来源": "智慧民生小程序",
            "类型": "意见建议", "领办人": "李四", "办理时限": "2026-10-30",
            "办结时间": "2026/10/25", "结果类型": "已解释说明",
            "办理结果": "资金未到位，已向群众解释", "是否满意": "基本满意",
            "反馈日期": "2026年10月26日",
        },
        10: {
            "序号": 4, "诉求内容": "咨询低保申请条件", "登记日期": "２０２６年１０月１５日",
            "事项类别": "政策咨询", "类型": "咨询", "办结时间": datetime(2026, 10, 15, 16, 30),
            "办理结果": "已当场答复",
        },
        11: {
            "序号": 5, "诉求内容": "河道垃圾堆积\n上游冲下来的", "登记日期": 46313,
            "来访人": "孙八", "事项类别": "环境卫生", "来源": "走访", "领办人": "周九",
            "备注": "上月遗留",
        },
    }  # fmt: skip
    for number in range(extra_rows):
        rows[12 + number] = {
            "序号": 6 + number, "诉求内容": f"新增事项{number + 1}", "登记日期": "2026-11-02",
            "来访人": "吴十",
        }  # fmt: skip
    for number, values in rows.items():
        for heading, value in values.items():
            cell = ws.cell(row=number, column=HEADINGS.index(heading) + 1, value=value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy/m/d"
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "1. 每件事项一行；2. 办结后填写办结时间；3. 电话设为文本格式"
    totals = wb.create_sheet("汇总")
    totals.append(["月份", "件数"])
    totals.append(["2026-10", 5])
    return save(wb, path)


EXPECTED = [
    case(
        title="村口路灯不亮，晚上出行不便", received_on="2026-10-05", reporter="张三",
        phone="13800000000", category="基础设施", channel="talk", owner="李四",
        deadline="2026-10-12", status="closed", outcome="resolved", result="已更换灯泡",
        closed_on="2026-10-09", feedback_on="2026-10-10", satisfaction="satisfied",
    ),
    case(
        title="垃圾清运不及时", received_on="2026-10-06", reporter="王五", phone="0795-4621234",
        category="环境卫生", kind="complaint", channel="phone", owner="赵六",
        deadline="2026-10-20",
    ),
    case(
        title="建议增设健身器材", received_on="2026-10-08", reporter="刘七", phone="13912345678",
        category="民生保障", kind="suggestion", channel="app", owner="李四",
        deadline="2026-10-30", status="closed", outcome="explained",
        result="资金未到位，已向群众解释", closed_on="2026-10-25", feedback_on="2026-10-26",
        satisfaction="basic",
    ),
    case(
        title="咨询低保申请条件", received_on="2026-10-15", category="政策咨询", kind="inquiry",
        status="closed", outcome="resolved", result="已当场答复", closed_on="2026-10-15",
    ),
    case(
        title="河道垃圾堆积\n上游冲下来的", received_on="2026-10-18", reporter="孙八",
        category="环境卫生", channel="visit", owner="周九",
    ),
]  # fmt: skip


def test_defusedxml_is_in_place() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_real_world_workbook_imports_field_by_field(ledger: Run, tmp_path: Path) -> None:
    source = ledger_workbook(tmp_path / "石境村10月台账.xlsx")
    result = ok(ledger("import", str(source)))
    assert result.stdout.splitlines() == [
        "读到 5 行（工作表：2026年10月）：新增 5 件，未变 0 件，有变化 0 件，跳过 0 行",
        "  另有 1 行是合计、落款或说明，已略过",
        "已导入 5 件新事项",
    ]
    got = all_cases(ledger)
    assert [c["id"] for c in got] == [1, 2, 3, 4, 5]
    assert [fields(c) for c in got] == EXPECTED
    shown = json.loads(ok(ledger("show", "1", "--json")).stdout)
    assert fields(shown) == EXPECTED[0]
    assert any(
        "导入自 石境村10月台账.xlsx" in str(entry.get("note") or entry.get("new") or "")
        for entry in shown["history"]
    ), shown["history"]
    checked = json.loads(ok(ledger("check", "--json")).stdout)
    assert checked["ok"] is True, checked


def test_imported_history_follows_the_row_dates(ledger: Run, tmp_path: Path) -> None:
    ok(ledger("import", str(ledger_workbook(tmp_path / "台账.xlsx"))))
    history = json.loads(ok(ledger("show", "1", "--json")).stdout)["history"]
    by_field = {(h["field"], h["new"]): h["effective"] for h in history}
    assert by_field[("title", "村口路灯不亮，晚上出行不便")] == "2026-10-05"
    assert by_field[("status", "closed")] == "2026-10-09"
    assert by_field[("satisfaction", "satisfied")] == "2026-10-10"


def test_dry_run_shows_counts_and_first_rows_and_stores_nothing(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    source = ledger_workbook(tmp_path / "台账.xlsx", extra_rows=3)
    before = sha(db)
    result = ok(ledger("import", str(source), "--dry-run"))
    first = result.stdout.splitlines()[0]
    assert first == f"读到 8 行（工作表：{SHEET}）：新增 8 件，未变 0 件，有变化 0 件，跳过 0 行"
    assert "预检通过，未写入（去掉 --dry-run 即导入）" in result.stdout
    for title in ("村口路灯不亮，晚上出行不便", "垃圾清运不及时", "建议增设健身器材"):
        assert title in result.stdout
    assert "2026-10-05" in result.stdout and "张三" in result.stdout
    assert sha(db) == before
    assert all_cases(ledger) == []
    data = json.loads(ok(ledger("import", str(source), "--dry-run", "--json")).stdout)
    assert {k: data[k] for k in ("new", "unchanged", "changed", "skipped", "rows", "dry_run")} == {
        "new": 8,
        "unchanged": 0,
        "changed": 0,
        "skipped": 0,
        "rows": 8,
        "dry_run": True,
    }
    assert (data["cases"], data["closed"], data["open"], data["problems"]) == (8, 3, 5, [])
    assert sha(db) == before


def test_importing_twice_adds_nothing(ledger: Run, db: Path, tmp_path: Path) -> None:
    source = ledger_workbook(tmp_path / "台账.xlsx")
    ok(ledger("import", str(source)))
    first = all_cases(ledger)
    before = sha(db)
    again = ok(ledger("import", str(source)))
    assert again.stdout.splitlines()[0] == (
        f"读到 5 行（工作表：{SHEET}）：新增 0 件，未变 5 件，有变化 0 件，跳过 0 行"
    )
    assert again.stdout.splitlines()[-1] == "已导入 0 件新事项"
    english = ok(ledger("--lang", "en", "import", str(source)))
    assert english.stdout.splitlines()[0] == (
        f"5 rows read ({SHEET}): 0 new, 5 unchanged, 0 changed, 0 skipped"
    )
    data = json.loads(ok(ledger("import", str(source), "--json")).stdout)
    assert (data["new"], data["unchanged"], data["skipped"]) == (0, 5, 0)
    assert sha(db) == before
    assert all_cases(ledger) == first
    dry = ok(ledger("import", str(source), "--dry-run"))
    assert "新增 0 件，未变 5 件" in dry.stdout


def test_a_longer_version_of_the_file_adds_only_the_new_rows(ledger: Run, tmp_path: Path) -> None:
    ok(ledger("import", str(ledger_workbook(tmp_path / "十月.xlsx"))))
    longer = ledger_workbook(tmp_path / "十月（补充）.xlsx", extra_rows=2)
    result = ok(ledger("import", str(longer)))
    assert "新增 2 件，未变 5 件" in result.stdout
    assert result.stdout.splitlines()[-1] == "已导入 2 件新事项"
    got = all_cases(ledger)
    assert [c["title"] for c in got[5:]] == ["新增事项1", "新增事项2"]
    assert [c["id"] for c in got] == list(range(1, 8))


# ---------------------------------------------------------------- headings, dates, enums

# Each required synonym, the field it fills, the cell written and the value expected.
SYNONYMS: list[tuple[str, str, Any, Any]] = [
    ("受理日期", "received_on", "2026-10-05", "2026-10-05"),
    ("受理时间", "received_on", "2026-10-05", "2026-10-05"),
    ("登记日期", "received_on", "2026-10-05", "2026-10-05"),
    ("反映人", "reporter", "张三", "张三"),
    ("诉求人", "reporter", "张三", "张三"),
    ("来访人", "reporter", "张三", "张三"),
    ("联系电话", "phone", "13800000000", "13800000000"),
    ("联系方式", "phone", "13800000000", "13800000000"),
    ("反映事项", "title", "路灯不亮", "路灯不亮"),
    ("诉求内容", "title", "路灯不亮", "路灯不亮"),
    ("事项内容", "title", "路灯不亮", "路灯不亮"),
    ("类别", "category", "基础设施", "基础设施"),
    ("事项类别", "category", "基础设施", "基础设施"),
    ("渠道", "channel", "来电", "phone"),
    ("来源", "channel", "来电", "phone"),
    ("领办责任人", "owner", "李四", "李四"),
    ("领办人", "owner", "李四", "李四"),
    ("责任人", "owner", "李四", "李四"),
    ("完成时限", "deadline", "2026-10-12", "2026-10-12"),
    ("办理时限", "deadline", "2026-10-12", "2026-10-12"),
    ("办结日期", "closed_on", "2026-10-09", "2026-10-09"),
    ("办结时间", "closed_on", "2026-10-09", "2026-10-09"),
    ("办理结果", "result", "已更换灯泡", "已更换灯泡"),
    ("办理情况", "result", "已更换灯泡", "已更换灯泡"),
    ("满意度", "satisfaction", "满意", "satisfied"),
    ("是否满意", "satisfaction", "满意", "satisfied"),
]
BASE = {"受理日期": "2026-10-05", "反映事项": "路灯不亮", "反映人": "张三"}
BASE_FIELD = {"受理日期": "received_on", "反映事项": "title", "反映人": "reporter"}


@pytest.mark.parametrize(
    ("heading", "field", "written", "expected"),
    [pytest.param(*item) for item in SYNONYMS],
    ids=[item[0] for item in SYNONYMS],
)
def test_heading_synonyms(
    ledger: Run, tmp_path: Path, heading: str, field: str, written: Any, expected: Any
) -> None:
    columns = {h: v for h, v in BASE.items() if BASE_FIELD[h] != field}
    if field in ("result", "satisfaction"):
        columns["办结日期"] = "2026-10-09"
    columns[heading] = written
    # The tested heading goes first, the others after it: the order must not matter.
    headings = [heading, *[h for h in columns if h != heading]]
    wb = sheet_with(headings, [[columns[h] for h in headings]], title_rows=1)
    ok(ledger("import", str(save(wb, tmp_path / "同义.xlsx"))))
    (got,) = all_cases(ledger)
    assert got[field] == expected
    assert got["title"] == "路灯不亮" and got["received_on"] == "2026-10-05"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2026, 10, 5), "2026-10-05"),
        (datetime(2026, 10, 5, 9, 30), "2026-10-05"),
        (date(2026, 10, 5), "2026-10-05"),
        ("2026年10月5日", "2026-10-05"),
        ("2026.10.5", "2026-10-05"),
        ("2026/10/5", "2026-10-05"),
        ("2026-10-05", "2026-10-05"),
        ("２０２６年１０月５日", "2026-10-05"),
        ("２０２６．１０．５", "2026-10-05"),
        (" 2026年10月5日 ", "2026-10-05"),
        (46300, "2026-10-05"),
    ],
    ids=lambda v: repr(v),
)
def test_date_forms(ledger: Run, tmp_path: Path, cell: Any, expected: str) -> None:
    wb = sheet_with(["反映事项", "受理日期", "反映人"], [["路灯不亮", cell, "张三"]])
    ws = wb.active
    assert ws is not None
    if isinstance(cell, date):
        ws.cell(row=2, column=2).number_format = "yyyy年m月d日"
    ok(ledger("import", str(save(wb, tmp_path / "日期.xlsx"))))
    (got,) = all_cases(ledger)
    assert got["received_on"] == expected


def test_enum_values_in_chinese(ledger: Run, tmp_path: Path) -> None:
    headings = [
        "受理日期",
        "反映事项",
        "类型",
        "渠道",
        "办理层级",
        "办结日期",
        "结果类型",
        "满意度",
    ]
    table = [
        ("诉求", "说事点", "村级", None, None, None, "request", "talk", "village", None, None),
        ("意见建议", "智慧民生小程序", None, None, None, None,
         "suggestion", "app", "village", None, None),
        ("投诉举报", "志愿者走访", None, "2026-10-09", "已解决", "满意",
         "complaint", "visit", "village", "resolved", "satisfied"),
        ("咨询", "来电", None, "2026-10-09", "已解释说明", "基本满意",
         "inquiry", "phone", "village", "explained", "basic"),
        (None, "游客", "乡镇", "2026-10-09", None, "不满意",
         "request", "tourist", "township", "resolved", "unsatisfied"),
        (None, "其他", "县级", None, None, None, "request", "other", "county", None, None),
        (None, None, None, None, None, None, "request", "other", "village", None, None),
    ]  # fmt: skip
    rows: list[list[Any] | None] = [
        ["2026-10-05", f"事项{n}", *row[:6]] for n, row in enumerate(table, start=1)
    ]
    ok(ledger("import", str(save(sheet_with(headings, rows), tmp_path / "枚举.xlsx"))))
    got = all_cases(ledger)
    assert [
        (c["kind"], c["channel"], c["level"], c["outcome"], c["satisfaction"]) for c in got
    ] == [row[6:] for row in table]
    assert [c["status"] for c in got] == ["closed" if row[3] else "open" for row in table]


def test_decorated_headings(ledger: Run, tmp_path: Path) -> None:
    """Line breaks, required-field stars, colons and notes in brackets around a heading."""
    headings = ["受理\n日期", "*反映事项", "反映人：", "联系电话（手机）", "完成 时限"]
    row: list[Any] = ["2026-10-05", "路灯不亮", "张三", "13800000000", "2026-10-12"]
    ok(ledger("import", str(save(sheet_with(headings, [row]), tmp_path / "表头.xlsx"))))
    (got,) = all_cases(ledger)
    assert (got["title"], got["received_on"], got["reporter"], got["phone"], got["deadline"]) == (
        "路灯不亮", "2026-10-05", "张三", "13800000000", "2026-10-12",
    )  # fmt: skip


def test_rows_with_only_a_serial_number_are_blank(ledger: Run, tmp_path: Path) -> None:
    rows: list[list[Any] | None] = [[1, "2026-10-05", "路灯不亮", "张三"], [2], [3], [4]]
    wb = sheet_with(["序号", "受理日期", "反映事项", "反映人"], rows)
    result = ok(ledger("import", str(save(wb, tmp_path / "预编号.xlsx"))))
    assert "已导入 1 件新事项" in result.stdout


def test_anonymous_row_keeps_no_name(ledger: Run, tmp_path: Path) -> None:
    wb = sheet_with(
        ["受理日期", "反映事项", "反映人", "匿名"], [["2026-10-05", "有人赌博", None, "是"]]
    )
    ok(ledger("import", str(save(wb, tmp_path / "匿名.xlsx"))))
    (got,) = all_cases(ledger)
    assert (got["anonymous"], got["reporter"], got["phone"]) == (True, None, None)


# ---------------------------------------------------------------- the template


def test_template_has_headings_and_an_explanation_row(ledger: Run, tmp_path: Path) -> None:
    target = tmp_path / "模板.xlsx"
    result = ok(ledger("template", "-o", str(target)))
    assert "模板.xlsx" in result.stdout
    wb = openpyxl.load_workbook(target)
    ws = wb.active
    assert ws is not None
    headings = [c.value for c in ws[1] if c.value]
    for usual in (
        "受理日期", "反映事项", "反映人", "联系电话", "类别", "渠道", "领办责任人", "完成时限",
        "办结日期", "办理结果", "满意度",
    ):  # fmt: skip
        assert usual in headings, headings
    notes = [c.value for c in ws[2]]
    assert str(notes[0]).startswith("填写说明")
    assert sum(1 for n in notes if n) >= 5
    phone_column = headings.index("联系电话") + 1
    assert ws.cell(row=3, column=phone_column).number_format == "@"
    result = ledger("template", "-o", str(target))
    assert "模板.xlsx" in refused(result)
    ok(ledger("template", "-o", str(target), "--force"))


def test_empty_template_imports_nothing(ledger: Run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "模板.xlsx"
    ok(ledger("template", "-o", str(target)))
    before = sha(db)
    result = ok(ledger("import", str(target)))
    assert "已导入 0 件新事项" in result.stdout
    assert sha(db) == before


def test_filled_template_round_trip(ledger: Run, tmp_path: Path) -> None:
    """A clerk fills the template in Excel (text phone column, dates as dates) and imports it."""
    target = tmp_path / "模板.xlsx"
    ok(ledger("template", "-o", str(target)))
    wb = openpyxl.load_workbook(target)
    ws = wb.active
    assert ws is not None
    column = {str(c.value): c.column for c in ws[1] if c.value}
    rows: list[dict[str, Any]] = [
        {"受理日期": datetime(2026, 11, 2), "反映事项": "水渠堵塞", "反映人": "张三",
         "联系电话": "13800000000", "类别": "农业生产", "渠道": "说事点", "领办责任人": "李四",
         "完成时限": datetime(2026, 11, 9)},
        {"受理日期": "2026年11月3日", "反映事项": "=不是公式", "类型": "投诉举报",
         "渠道": "来电", "匿名": "是", "办结日期": "2026年11月5日", "结果类型": "已解释说明",
         "办理结果": "已解释政策", "满意度": "不满意", "反馈日期": "2026-11-06"},
    ]  # fmt: skip
    for offset, values in enumerate(rows, start=3):
        for heading, value in values.items():
            cell = ws.cell(row=offset, column=column[heading], value=value)
            if heading == "反映事项":
                cell.data_type = "s"  # a text cell that happens to start with =
    wb.save(target)
    ok(ledger("import", str(target)))
    assert [fields(c) for c in all_cases(ledger)] == [
        case(title="水渠堵塞", received_on="2026-11-02", reporter="张三", phone="13800000000",
             category="农业生产", channel="talk", owner="李四", deadline="2026-11-09"),
        case(title="=不是公式", received_on="2026-11-03", kind="complaint", channel="phone",
             anonymous=True, status="closed", outcome="explained", result="已解释政策",
             closed_on="2026-11-05", feedback_on="2026-11-06", satisfaction="unsatisfied"),
    ]  # fmt: skip


def test_template_end_to_end_with_the_console_script(ledger: Run, db: Path, tmp_path: Path) -> None:
    target = tmp_path / "模板.xlsx"
    ok(ledger("template", "-o", str(target)))
    wb = openpyxl.load_workbook(target)
    ws = wb.active
    assert ws is not None
    ws.cell(row=3, column=1, value="2026-11-02")
    ws.cell(row=3, column=2, value="路灯不亮")
    wb.save(target)
    done = shuoshi("--db", str(db), "import", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "读到 1 行（工作表：台账）：新增 1 件，未变 0 件，有变化 0 件，跳过 0 行"
    )
    assert done.stdout.splitlines()[-1] == "已导入 1 件新事项"


# ---------------------------------------------------------------- all or nothing


def test_one_bad_row_stores_nothing_and_every_problem_is_listed(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    headings = ["受理日期", "反映事项", "反映人", "联系电话", "渠道", "办结日期"]
    rows: list[list[Any] | None] = [
        ["2026-10-05", "好的一行", "张三", "13800000000", "说事点", None],  # row 4
        None,  # row 5
        ["十月五号", "日期看不懂", "李四", None, None, None],  # row 6
        ["2026-10-05", "电话是数字", "王五", 7954621234, None, None],  # row 7: lost its 0
        ["2026-10-05", "渠道不认识", "赵六", None, "飞鸽传书", None],  # row 8: a note, no problem
        ["2026-10-05", "电话不对", "刘七", "12345", None, None],  # row 9
        ["2026-10-05", "办结早于受理", "孙八", None, None, "2026-10-01"],  # row 10
        ["2026-12-01", "受理日期在将来", "周九", None, None, None],  # row 11
        ["2026-10-05", None, "吴十", None, None, None],  # row 12: no title
        ["2026-10-05", "好的另一行", "郑一", None, "来电", "2026-10-09"],  # row 13
    ]
    wb = sheet_with(headings, rows, title_rows=2)
    ws = wb.active
    assert ws is not None
    ws.cell(row=14, column=1, value="2026-10-05")
    ws.cell(row=14, column=2, value="公式")
    ws.cell(row=14, column=3, value="=A1")
    source = save(wb, tmp_path / "有错.xlsx")
    before = folder_state(tmp_path)
    for extra in ([], ["--dry-run"]):
        problems, last = problems_then_error(ledger("import", str(source), *extra))
        expected = {
            (6, "受理日期"), (7, "联系电话"), (9, "联系电话"), (10, "办结日期"),
            (11, "受理日期"), (12, "反映事项"), (14, "反映人"),
        }  # fmt: skip
        for row, column in expected:
            where = f"工作表“{SHEET}”第 {row} 行【{column}】："
            assert any(p.startswith(where) for p in problems), (where, problems)
        assert not any("第 4 行" in p or "第 13 行" in p for p in problems), problems
        assert len(problems) == len(expected)
        assert last == f"错误：发现 {len(problems)} 个问题，未导入任何事项；改正后重新导入"
        assert folder_state(tmp_path) == before
        assert all_cases(ledger) == []
    data = json.loads(ledger("import", str(source), "--json").stdout)
    assert data["new"] == 0 and len(data["problems"]) == len(expected)
    assert {(p["row"], p["column"]) for p in data["problems"]} == expected
    assert sha(db) == before[db.name]


@pytest.mark.parametrize("heading", ["反映人", "受理日期", "联系电话", "办结日期"])
def test_formula_cell_is_refused(ledger: Run, db: Path, tmp_path: Path, heading: str) -> None:
    headings = ["反映事项", "受理日期", "反映人", "联系电话", "办结日期"]
    row: list[Any] = ["路灯不亮", "2026-10-05", "张三", "13800000000", "2026-10-09"]
    row[headings.index(heading)] = "=A1"
    wb = sheet_with(headings, [row])
    before = sha(db)
    problems, _ = problems_then_error(ledger("import", str(save(wb, tmp_path / "公式.xlsx"))))
    assert problems == [
        f"工作表“{SHEET}”第 2 行【{heading}】：这一格是公式，请改成实际的值（复制后“粘贴为数值”）"
    ]
    assert sha(db) == before


def test_formula_in_the_title_is_one_problem(ledger: Run, tmp_path: Path) -> None:
    wb = sheet_with(["受理日期", "反映事项", "反映人"], [["2026-10-05", "=A1", "张三"]])
    problems, _ = problems_then_error(ledger("import", str(save(wb, tmp_path / "公式.xlsx"))))
    assert len(problems) == 1, problems
    assert "公式" in problems[0]


@pytest.mark.parametrize("phone", [13800000000, 13800000000.0])
def test_a_mobile_stored_as_a_number_is_accepted(ledger: Run, tmp_path: Path, phone: float) -> None:
    """An 11-digit mobile has no leading 0 to lose: nothing was lost, so it is taken."""
    wb = sheet_with(["受理日期", "反映事项", "联系电话"], [["2026-10-05", "路灯", phone]])
    ok(ledger("import", str(save(wb, tmp_path / "电话.xlsx"))))
    assert [c["phone"] for c in all_cases(ledger)] == ["13800000000"]


@pytest.mark.parametrize("phone", [7954621234, 1380000000, 138000000001])
def test_phone_stored_as_a_number_is_refused_with_a_fix(
    ledger: Run, db: Path, tmp_path: Path, phone: float
) -> None:
    wb = sheet_with(["受理日期", "反映事项", "联系电话"], [["2026-10-05", "路灯", phone]])
    before = sha(db)
    problems, _ = problems_then_error(ledger("import", str(save(wb, tmp_path / "电话.xlsx"))))
    assert len(problems) == 1
    assert problems[0].startswith(f"工作表“{SHEET}”第 2 行【联系电话】：")
    assert "文本" in problems[0]  # the fix: format the column as text
    assert str(int(phone)) not in problems[0]  # a refused phone is not echoed
    assert sha(db) == before


def test_repeated_row_in_one_file_is_a_problem(ledger: Run, db: Path, tmp_path: Path) -> None:
    row: list[Any] = ["2026-10-05", "路灯", "张三"]
    wb = sheet_with(["受理日期", "反映事项", "反映人"], [row, list(row)])
    problems, _ = problems_then_error(ledger("import", str(save(wb, tmp_path / "重复.xlsx"))))
    assert problems == [f"工作表“{SHEET}”第 3 行：与前面某一行完全相同"]
    assert all_cases(ledger) == []


def test_a_title_starting_with_shuoming_is_not_dropped(ledger: Run, tmp_path: Path) -> None:
    rows: list[list[Any] | None] = [
        ["说明会没有通知到村民", "2026-10-05", "张三"],
        ["路灯不亮", "2026-10-05", "李四"],
    ]
    wb = sheet_with(["反映事项", "受理日期", "反映人"], rows)
    result = ok(ledger("import", str(save(wb, tmp_path / "说明.xlsx"))))
    assert "已导入 2 件新事项" in result.stdout
    assert [c["title"] for c in all_cases(ledger)] == ["说明会没有通知到村民", "路灯不亮"]


def test_no_headings_is_one_clear_message(ledger: Run, db: Path, tmp_path: Path) -> None:
    wb = sheet_with(["a", "b", "c"], [[1, 2, 3]])
    result = ledger("import", str(save(wb, tmp_path / "无表头.xlsx")))
    lines = clean_exit_1(result)
    assert "表头" in result.stderr
    assert not any("第 0 行" in line or "工作表“”" in line for line in lines), lines


def test_no_headings_is_refused_and_stores_nothing(ledger: Run, db: Path, tmp_path: Path) -> None:
    before = sha(db)
    wb = sheet_with(["a", "b", "c"], [[1, 2, 3]])
    result = ledger("import", str(save(wb, tmp_path / "无表头.xlsx")))
    clean_exit_1(result)
    assert "表头" in result.stderr
    assert sha(db) == before


def test_import_needs_an_existing_ledger(run: Run, db: Path, tmp_path: Path) -> None:
    source = ledger_workbook(tmp_path / "台账.xlsx")
    refused(run("import", str(source)))
    assert not db.exists()


def test_missing_import_file(ledger: Run, db: Path) -> None:
    before = sha(db)
    assert "没有这个文件.xlsx" in refused(ledger("import", "没有这个文件.xlsx"))
    assert sha(db) == before


# ---------------------------------------------------------------- hostile and foreign files

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE worksheet [\n'
    '<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";" if i > 1 else "&lol;") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def _base_workbook(path: Path) -> Path:
    wb = sheet_with(["受理日期", "反映事项", "反映人"], [["2026-10-05", "路灯不亮", "张三"]])
    return save(wb, path)


def _rewrite(source: Path, target: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, change(data) if info.filename == member else data)
    return target


def _with_member(source: Path, target: Path, name: str, data: bytes, level: int = 6) -> Path:
    shutil.copyfile(source, target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr(name, data)
    return target


def make_bomb(folder: Path) -> Path:
    return _with_member(_base_workbook(folder / "b.xlsx"), folder / "炸弹.xlsx",
                        "xl/media/image1.bin", bytes(20_000_000))  # fmt: skip


def make_oversize(folder: Path) -> Path:
    """51 MiB unpacked, but every member compressed well under 100:1 (about 17:1)."""
    rng = random.Random(7)
    block = bytes(rng.getrandbits(8) if i % 40 == 0 else 65 for i in range(1 << 20))
    return _with_member(_base_workbook(folder / "b.xlsx"), folder / "超大.xlsx",
                        "xl/media/image1.bin", block * 51, level=1)  # fmt: skip


def make_laughs(folder: Path) -> Path:
    def inject(data: bytes) -> bytes:
        text = data.decode("utf-8")
        if text.startswith("<?xml"):
            text = text.split("?>", 1)[1]
        return (LAUGHS + text.replace("<t>2026-10-05</t>", "<t>&lol9;</t>", 1)).encode("utf-8")

    source = _base_workbook(folder / "b.xlsx")
    return _rewrite(source, folder / "笑.xlsx", "xl/worksheets/sheet1.xml", inject)


def make_external_entity(folder: Path) -> Path:
    def inject(data: bytes) -> bytes:
        text = data.decode("utf-8")
        if text.startswith("<?xml"):
            text = text.split("?>", 1)[1]
        head = '<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        return (head + text.replace("<t>路灯不亮</t>", "<t>&x;</t>", 1)).encode("utf-8")

    source = _base_workbook(folder / "b.xlsx")
    return _rewrite(source, folder / "外部实体.xlsx", "xl/worksheets/sheet1.xml", inject)


def make_random(folder: Path) -> Path:
    target = folder / "乱码.xlsx"
    target.write_bytes(random.Random(3).randbytes(20_000))
    return target


def make_xls(folder: Path) -> Path:
    target = folder / "旧版.xlsx"
    target.write_bytes(OLE + bytes(504) + random.Random(4).randbytes(8_000))
    return target


def make_real_xls_name(folder: Path) -> Path:
    target = folder / "旧版台账.xls"
    target.write_bytes(OLE + bytes(504) + random.Random(5).randbytes(8_000))
    return target


def make_encrypted(folder: Path) -> Path:
    target = folder / "加密.xlsx"
    body = bytes(1_000) + "EncryptionInfo".encode("utf-16-le") + bytes(2_000)
    target.write_bytes(OLE + bytes(504) + body)
    return target


def make_csv(folder: Path) -> Path:
    target = folder / "表格.xlsx"
    target.write_text("受理日期,反映事项,反映人\n2026-10-05,路灯不亮,张三\n", encoding="utf-8-sig")
    return target


def make_gbk_csv(folder: Path) -> Path:
    target = folder / "台账.csv"
    target.write_bytes("受理日期,反映事项,反映人\r\n2026-10-05,路灯不亮,张三\r\n".encode("gbk"))
    return target


def make_empty(folder: Path) -> Path:
    target = folder / "空.xlsx"
    target.write_bytes(b"")
    return target


def make_folder(folder: Path) -> Path:
    target = folder / "一个文件夹.xlsx"
    target.mkdir()
    return target


def make_truncated(folder: Path) -> Path:
    data = _base_workbook(folder / "b.xlsx").read_bytes()
    target = folder / "半截.xlsx"
    target.write_bytes(data[: len(data) // 2])
    return target


def make_docx_zip(folder: Path) -> Path:
    target = folder / "文档.xlsx"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return target


HOSTILE: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
    ("zip-bomb", make_bomb, ("100:1",)),
    ("oversize", make_oversize, ("50 MB",)),
    ("billion-laughs", make_laughs, ("笑.xlsx",)),
    ("external-entity", make_external_entity, ("外部实体.xlsx",)),
    ("random-bytes", make_random, ("乱码.xlsx", "不是 Excel")),
    ("xls-header", make_xls, (".xls", "另存为")),
    ("xls-file", make_real_xls_name, (".xls", "另存为")),
    ("encrypted", make_encrypted, ("密码",)),
    ("csv-renamed", make_csv, ("CSV",)),
    ("csv-gbk", make_gbk_csv, ("CSV",)),
    ("empty", make_empty, ("空.xlsx",)),
    ("folder", make_folder, ("文件夹",)),
    ("truncated", make_truncated, ("半截.xlsx",)),
    ("zip-not-workbook", make_docx_zip, ("文档.xlsx", "不是 Excel")),
]


@pytest.mark.parametrize(("make", "words"), [pytest.param(m, w, id=n) for n, m, w in HOSTILE])
def test_hostile_file_is_refused_cleanly(
    ledger: Run,
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path], Path],
    words: tuple[str, ...],
) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(logs))
    files = tmp_path / "files"
    files.mkdir()
    source = make(files)
    before = folder_state(tmp_path)
    for extra in ([], ["--dry-run"]):
        text = refused(ledger("import", str(source), *extra))
        for word in words:
            assert word in text, text
        assert "root:" not in text
        assert folder_state(tmp_path) == before
    assert sha(db) == before[db.name]
    assert list(logs.iterdir()) == []  # no internal error was logged
    data = json.loads(ledger("import", str(source), "--json").stdout)
    assert data["error"] in ("bad_input", "not_found") and data["message"]


def test_billion_laughs_in_a_real_process_does_not_hang(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    source = make_laughs(tmp_path)
    before = sha(db)
    done = shuoshi("--db", str(db), "import", str(source))
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and INTERNAL not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("错误：")
    assert sha(db) == before


def _damaged_sheet(folder: Path, old: bytes, new: bytes, name: str) -> Path:
    source = _base_workbook(folder / "b.xlsx")
    return _rewrite(
        source, folder / name, "xl/worksheets/sheet1.xml", lambda d: d.replace(old, new)
    )


DAMAGED = [
    ("truncated-sheet-xml", lambda f: _rewrite(_base_workbook(f / "b.xlsx"), f / "坏.xlsx",
                                               "xl/worksheets/sheet1.xml", lambda d: d[: len(d) // 2])),
    ("missing-shared-string", lambda f: _damaged_sheet(
        f, b'<c r="B2" t="inlineStr">', b'<c r="B2" t="s"><v>7</v></c><c r="Z2" t="inlineStr">',
        "坏.xlsx")),
    ("number-cell-holding-text", lambda f: _damaged_sheet(
        f, b'<c r="B2" t="inlineStr">', b'<c r="B2" t="n"><v>abc</v></c><c r="Z2" t="inlineStr">',
        "坏.xlsx")),
]  # fmt: skip


@pytest.mark.parametrize(("make",), [pytest.param(m, id=n) for n, m in DAMAGED])
def test_damaged_sheet_xml_is_a_clear_refusal(
    ledger: Run,
    db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path], Path],
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    files = tmp_path / "files"
    files.mkdir()
    source = make(files)
    before = sha(db)
    result = ledger("import", str(source))
    assert sha(db) == before
    assert "坏.xlsx" in refused(result)


# ---------------------------------------------------------------- export -> import (property)

EXCEL_ILLEGAL = "".join(chr(c) for c in [*range(1, 9), 11, 12, *range(14, 32)])
TEXT = st.one_of(
    st.sampled_from(
        ["=1+1", "=HYPERLINK(\"http://x\")", "+86", "-", "@SUM(A1)", "'引号", '"双引号"',
         "第一行\n第二行", "a\r\nb", "\t缩进", "😀👍", "石境村", "0123", "1e5", "TRUE", "#N/A",
         "2026-10-05", "\x00", "  前后空格  ", "e\u0301", "\u202e反转", "\x7f\x85\x9f"]
    ),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters=EXCEL_ILLEGAL),
        min_size=1,
        max_size=30,
    ),
)  # fmt: skip
_counter = itertools.count()
_pristine: dict[str, bytes] = {}


def _fresh_ledger(runner: CliRunner, path: Path) -> None:
    if "db" not in _pristine:
        seed = path.with_name("seed.db")
        args = ["--db", str(seed), "init", "--village", "石境村", "--township", "宝峰镇",
                "--county", "靖安县"]  # fmt: skip
        assert runner.invoke(app, args).exit_code == 0
        _pristine["db"] = seed.read_bytes()
        seed.unlink()
    path.write_bytes(_pristine["db"])


def _refused_or_ok(result: Result) -> bool:
    """True on success; on failure it must be a clean refusal (no crash, no internal error)."""
    if result.exit_code == 0:
        return True
    lines = clean_exit_1(result)
    assert lines[-1].startswith("错误："), lines
    return False


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=TEXT, reporter=TEXT, result_text=TEXT)
def test_text_survives_export_then_import(
    tmp_path: Path, title: str, reporter: str, result_text: str
) -> None:
    assume(title != "-")  # `add -` reads entries from stdin (SPEC 3)
    runner = CliRunner()
    folder = tmp_path / f"ex{next(_counter)}"
    folder.mkdir()
    source, target, book = folder / "a.db", folder / "b.db", folder / "台账.xlsx"
    _fresh_ledger(runner, source)
    _fresh_ledger(runner, target)

    def cli(db: Path, *args: str) -> Result:
        return runner.invoke(app, ["--db", str(db), *args])

    added = cli(source, "add", f"--reporter={reporter}", "--received", "2026-11-02", "--", title)
    if not _refused_or_ok(added):
        assert sha(source) == hashlib.sha256(_pristine["db"]).hexdigest()
        return
    _refused_or_ok(cli(source, "close", "1", "--outcome", "resolved", f"--result={result_text}"))
    ok(runner.invoke(app, ["export", "--month", "2026-11", str(source), "-o", str(book)]))
    before = sha(target)
    imported = cli(target, "import", str(book))
    if not _refused_or_ok(imported):
        assert sha(target) == before
        return
    (original,) = json.loads(ok(cli(source, "list", "--status", "all", "--json")).stdout)
    (copy,) = json.loads(ok(cli(target, "list", "--status", "all", "--json")).stdout)
    for name in ("title", "reporter", "result", "received_on", "status", "outcome", "closed_on"):
        assert copy[name] == original[name], (name, original[name], copy[name])


def test_excel_illegal_control_character_is_kept_or_refused(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    added = ledger("add", "--received", "2026-11-02", "--", "路灯\x01不亮")
    if added.exit_code != 0:
        refused(added)
        return
    book = tmp_path / "导出.xlsx"
    ok(ledger("export", "--month", "2026-11", str(db), "-o", str(book)))
    other = tmp_path / "other.db"
    runner = CliRunner()
    _fresh_ledger(runner, other)
    ok(runner.invoke(app, ["--db", str(other), "import", str(book)]))
    (copy,) = json.loads(
        ok(runner.invoke(app, ["--db", str(other), "list", "--status", "all", "--json"])).stdout
    )
    assert copy["title"] == "路灯\x01不亮"


def test_undecodable_argument_is_a_clear_refusal(
    ledger: Run, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    title = "路灯不亮".encode("gbk").decode("utf-8", "surrogateescape")
    before = sha(db)
    refused(ledger("add", "--", title))
    assert sha(db) == before


def test_exported_month_with_an_overdue_case_imports(ledger: Run, db: Path, tmp_path: Path) -> None:
    ok(ledger("add", "--received", "2026-11-02", "--owner", "李四", "--due", "2026-11-10", "--",
              "路灯不亮"))  # fmt: skip
    ok(ledger("add", "--received", "2026-11-03", "--", "垃圾清运"))
    book = tmp_path / "导出.xlsx"
    ok(ledger("export", "--month", "2026-11", str(db), "-o", str(book)))
    assert "督办清单" in openpyxl.load_workbook(book, read_only=True).sheetnames
    other = tmp_path / "other.db"
    runner = CliRunner()
    _fresh_ledger(runner, other)
    result = runner.invoke(app, ["--db", str(other), "import", str(book)])
    assert result.exit_code == 0, result.stderr
    titles = [c["title"] for c in json.loads(
        ok(runner.invoke(app, ["--db", str(other), "list", "--status", "all", "--json"])).stdout
    )]  # fmt: skip
    assert sorted(titles) == ["垃圾清运", "路灯不亮"]


def test_exported_month_round_trips_every_field(ledger: Run, db: Path, tmp_path: Path) -> None:
    """Export -> import (village sheet) keeps the fields the workbook carries."""
    ok(ledger("session", "add", "--date", "2026-11-01", "--place", "村文化礼堂"))
    ok(ledger("add", "--received", "2026-11-02", "--reporter", "张三", "--phone", "13800000000",
              "--category", "基础设施", "--channel", "talk", "--kind", "complaint",
              "--owner", "李四", "--due", "2026-11-30", "--", "=路灯不亮"))  # fmt: skip
    ok(ledger("close", "1", "--outcome", "explained", "--result", "+资金不足已解释",
              "--date", "2026-11-20"))  # fmt: skip
    ok(ledger("feedback", "1", "--satisfaction", "basic", "--date", "2026-11-21"))
    ok(ledger("add", "--received", "2026-11-03", "--anonymous", "--channel", "app", "--",
              "有人赌博"))  # fmt: skip
    ok(ledger("escalate", "2", "--to", "township", "--reason", "需镇里协调"))
    ok(ledger("add", "--received", "2026-11-04", "--reporter", "王五", "--", "修桥"))
    ok(ledger("plan", "3", "列入明年计划"))
    book = tmp_path / "导出.xlsx"
    ok(ledger("export", "--month", "2026-11", str(db), "-o", str(book)))
    other = tmp_path / "other.db"
    runner = CliRunner()
    _fresh_ledger(runner, other)
    ok(runner.invoke(app, ["--db", str(other), "import", str(book), "--sheet", "石境村"]))
    copied = json.loads(
        ok(runner.invoke(app, ["--db", str(other), "list", "--status", "all", "--json"])).stdout
    )
    original = all_cases(ledger)
    keep = [f for f in FIELDS if f != "village"] + ["plan"]
    assert [{k: c[k] for k in keep} for c in sorted(copied, key=lambda c: c["id"])] == [
        {k: c[k] for k in keep} for c in original
    ]


# ---------------------------------------------------------------- export --csv


def test_csv_has_a_bom_and_neutralises_formula_starts(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    titles = ["=1+1", "+86 电话", "-减号", "@SUM(A1)", "\t制表", "\r回车", "正常标题"]
    for title in titles:
        ok(ledger("add", "--received", "2026-11-02", "--reporter", "=张三", "--", title))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "-已处理"))
    target = tmp_path / "台账.csv"
    ok(ledger("export", "--month", "2026-11", str(db), "--csv", "-o", str(target)))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")[1:], newline="")))
    head, body = rows[0], rows[1:]
    stored = {c["title"] for c in all_cases(ledger)}
    got = {row[head.index("反映事项")] for row in body}
    expected = {("'" + t if t[:1] in "=+-@\t\r" else t) for t in stored}
    assert got == expected
    assert {row[head.index("反映人")] for row in body} == {"'=张三"}
    assert "'-已处理" in {row[head.index("办理结果")] for row in body}
    phone_column = head.index("联系电话")
    for row in body:
        for index, cell in enumerate(row):
            if index != phone_column:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (head[index], cell)


def test_csv_phone_cell_is_kept_as_text_by_a_leading_tab(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    """README: the phone gets a leading tab (our own, not the villager's) so Excel keeps it text."""
    ok(ledger("add", "--received", "2026-11-02", "--phone", "13800000000", "--", "路灯"))
    target = tmp_path / "台账.csv"
    ok(ledger("export", "--month", "2026-11", str(db), "--csv", "-o", str(target)))
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[1][rows[0].index("联系电话")] == "\t13800000000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86", "'+86"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("石境村", "石境村"),
        ("", ""),
        (None, ""),
        (date(2026, 10, 5), "2026-10-05"),
    ],
)
def test_csv_safe(value: Any, expected: str) -> None:
    from shuoshi_cli.formats.excel import csv_safe

    assert csv_safe(value) == expected
