"""``import`` of the eight real ledger formats (IMPORT-FORMATS.md, issue 12), through the CLI.

Each workbook comes from tests/ledgerbooks.py; every test checks the summary's counts, the cases
stored field by field where it matters, and that personal data stays out of what is printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import ledgerbooks as books
from conftest import Run, ok, sha

Book = Callable[[Path], Path]


def imported(ledger: Run, source: Path, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(ledger("import", str(source), "--json", *args)).stdout)
    return data


def cases(ledger: Run) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(ok(ledger("list", "--status", "all", "--json")).stdout)
    return sorted(found, key=lambda c: c["id"])


def counts(data: dict[str, Any]) -> tuple[int, ...]:
    keys = ("rows", "new", "closed", "open", "skipped", "refused")
    return tuple(data[k] for k in keys)


# rows read, new cases, closed, open, rows skipped, rows refused
EXPECTED: list[tuple[str, Book, tuple[int, ...], dict[str, int]]] = [
    ("register", books.register, (5, 4, 2, 2, 1, 0), {"placeholder": 1}),
    ("county", books.county_template, (3, 3, 2, 1, 0, 0), {}),
    ("diary", books.diary, (5, 3, 1, 2, 2, 0), {"placeholder": 2}),
    ("hotline", books.hotline, (6, 3, 2, 1, 3, 0), {"returned": 1, "other_village": 2}),
    ("disputes", books.disputes, (3, 3, 2, 1, 0, 0), {}),
    ("petitions", books.petitions, (4, 4, 2, 2, 0, 0), {}),
    ("orders", books.orders, (4, 4, 4, 0, 0, 0), {}),
    ("checklist", books.checklist, (6, 6, 2, 4, 0, 0), {}),
]


@pytest.mark.parametrize(
    ("make", "expected", "reasons"),
    [pytest.param(m, e, r, id=n) for n, m, e, r in EXPECTED],
)
def test_each_real_format_imports_with_its_counts(
    ledger: Run, tmp_path: Path, make: Book, expected: tuple[int, ...], reasons: dict[str, int]
) -> None:
    source = make(tmp_path / "台账.xlsx")
    dry = imported(ledger, source, "--dry-run")
    assert counts(dry) == expected
    assert dry["skipped_by_reason"] == reasons
    data = imported(ledger, source)
    assert counts(data) == expected
    stored = cases(ledger)
    assert len(stored) == expected[1]
    assert sum(c["status"] == "closed" for c in stored) == expected[2]
    again = imported(ledger, source)
    assert (again["new"], again["unchanged"], again["changed"]) == (0, expected[1], 0)


def test_register_two_tier_headings_merged_days_and_relative_deadlines(
    ledger: Run, tmp_path: Path
) -> None:
    source = books.register(tmp_path / "说事.xlsx")
    result = ok(ledger("import", str(source)))
    assert result.stdout.splitlines() == [
        "读到 5 行（工作表：说事登记）：新增 4 件，未变 0 件，有变化 0 件，跳过 1 行",
        "  跳过：无事项（无、无诉求）1 行",
        "  另有 3 行是合计、落款或说明，已略过",
        "  提示：",
        "    工作表“说事登记”第 5、6、7、8 行：没有年份的日期按 2026 年（据表格标题）",
        "    工作表“说事登记”第 5、6、7、8 行：完成时限按该行的受理日期起算",
        "    工作表“说事登记”第 8 行：电话前的称呼（如 儿子）记入办理情况",
        "已导入 4 件新事项",
    ]
    got = cases(ledger)
    picked = [
        (c["title"], c["received_on"], c["reporter"], c["phone"], c["deadline"], c["status"],
         c["closed_on"], c["result"], c["anonymous"])
        for c in got
    ]  # fmt: skip
    assert picked == [
        ("村口路灯不亮", "2026-10-05", "张一", "13800000001", "2026-10-12", "closed",
         "2026-10-09", "已更换灯泡", False),
        ("垃圾清运不及时", "2026-10-05", "王二", "13900000002", "2026-10-10", "open", None, None,
         False),
        ("有人在河边电鱼", "2026-10-12", None, None, "2026-10-12", "closed", "2026-10-12",
         "已报派出所", True),
        ("孤寡老人冬季取暖", "2026-10-12", "孙三", "13800000003", "2026-10-27", "open", None, None,
         False),
    ]  # fmt: skip
    # 3个工作日 from 2026-10-05 on the official calendar: 10-08, 10-09 and the make-up Saturday
    notes = json.loads(ok(ledger("show", "2", "--json")).stdout)["history"]
    said = [h["new"] for h in notes if h["field"] == "note"]
    assert "办理进展：已协调保洁公司" in said and "备注：下周再看" in said
    fourth = json.loads(ok(ledger("show", "4", "--json")).stdout)["history"]
    assert "联系电话为儿子的号码" in [h["new"] for h in fourth if h["field"] == "note"]


def test_working_day_deadline_counts_on_the_official_calendar(ledger: Run, tmp_path: Path) -> None:
    from shuoshi_cli.core.ledgerdates import read_deadline
    from shuoshi_cli.core.workdays import WorkCalendar

    books.register(tmp_path / "说事.xlsx")
    ok(ledger("import", str(tmp_path / "说事.xlsx")))
    expected = read_deadline("3个工作日", __import__("datetime").date(2026, 10, 5), WorkCalendar())
    assert cases(ledger)[1]["deadline"] == expected.day.isoformat()  # type: ignore[union-attr]


def test_county_template_takes_the_category_from_the_sheet(ledger: Run, tmp_path: Path) -> None:
    ok(ledger("import", str(books.county_template(tmp_path / "县模板.xlsx"))))
    got = cases(ledger)
    assert [(c["category"], c["deadline"], c["phone"]) for c in got] == [
        ("基础设施", "2026-11-07", "13800000005"),
        ("基础设施", "2026-11-13", "0795-4620006"),
        ("环境卫生", "2026-11-07", None),
    ]


def test_diary_year_from_title_and_ticks(ledger: Run, tmp_path: Path) -> None:
    result = ok(ledger("import", str(books.diary(tmp_path / "日记.xlsx"))))
    assert "    工作表“10月”第 4 行：第二个电话记入该事项的办理情况" in result.stdout
    assert "13600000012" not in result.stdout + result.stderr
    got = cases(ledger)
    assert [(c["title"], c["received_on"], c["status"], c["phone"]) for c in got] == [
        ("屋后山体有裂缝", "2026-09-08", "open", "13800000008"),
        ("低保年审材料不会填", "2026-09-20", "closed", None),
        ("田间道路被冲毁", "2026-10-08", "open", "13800000012"),
    ]
    assert got[1]["result"] == "已提交"
    history = json.loads(ok(ledger("show", "3", "--json")).stdout)["history"]
    assert "另一联系电话：13600000012" in [h["new"] for h in history if h["field"] == "note"]


def test_hotline_export_filters_villages_and_skips_returned_orders(
    ledger: Run, tmp_path: Path
) -> None:
    result = ok(ledger("import", str(books.hotline(tmp_path / "12345.xlsx"))))
    lines = result.stdout.splitlines()
    assert lines[1] == "  跳过：退单 1 行、其他村 2 行"
    assert lines[2] == "  其他村的行未导入：宝峰镇东村 1 行、宝峰镇西村 1 行"
    got = cases(ledger)
    assert [(c["title"], c["detail"], c["anonymous"], c["reporter"], c["phone"]) for c in got] == [
        ("（城管）商业噪音", "反映石境村商店门口音响声音过大，影响休息。", True, None, None),
        ("（水务）停水", "石境村三组停水两天。", False, "何女士", "13800000021"),
        ("（环保）秸秆焚烧", "石境村有人焚烧秸秆。", False, "孔先生", "13800000025"),
    ]
    assert [(c["received_on"], c["closed_on"], c["satisfaction"], c["kind"]) for c in got] == [
        ("2026-09-02", "2026-09-05", "satisfied", "complaint"),
        ("2026-09-03", "2026-09-04", None, "request"),
        ("2026-09-07", None, None, "complaint"),
    ]
    assert got[0]["deadline"] == "2026-09-09"  # 5 working days from 2 September
    assert got[2]["deadline"] == "2026-09-14"  # 7日内


def test_disputes_two_parties_and_mediation_that_failed(ledger: Run, tmp_path: Path) -> None:
    ok(ledger("import", str(books.disputes(tmp_path / "纠纷.xlsx"))))
    got = cases(ledger)
    assert [(c["status"], c["outcome"], c["deadline"], c["category"]) for c in got] == [
        ("closed", "resolved", "2026-10-21", "邻里纠纷"),
        ("open", None, "2026-10-31", "婚姻家庭"),
        ("closed", "explained", "2026-10-27", "合同纠纷"),
    ]
    assert got[0]["phone"] == "13900000031"
    history = json.loads(ok(ledger("show", "1", "--json")).stdout)["history"]
    notes = [h["new"] for h in history if h["field"] == "note"]
    assert "被申请人：杨二" in notes and "另一联系电话：13600000032" in notes


def test_petitions_identity_is_the_case_number(ledger: Run, tmp_path: Path) -> None:
    ok(ledger("import", str(books.petitions(tmp_path / "诉求.xlsx"))))
    got = cases(ledger)
    assert [(c["kind"], c["channel"], c["status"], c["result"]) for c in got] == [
        ("request", "talk", "closed", "已疏通排水沟"),
        ("complaint", "other", "open", None),
        ("suggestion", "other", "open", None),
        ("request", "other", "closed", "已当面解释政策"),
    ]
    longer = books.petitions(tmp_path / "诉求（补）.xlsx", forgotten=True)
    data = imported(ledger, longer)
    assert (data["new"], data["unchanged"], data["changed"]) == (1, 4, 0)
    closed = books.petitions(tmp_path / "诉求（办结）.xlsx", forgotten=True, closed=True)
    pending = ok(ledger("import", str(closed)))
    assert "  有变化，加 --update 按表中日期登记：" in pending.stdout
    assert "    工作表“诉求台账”第 5 行：#2 办结 2026-10-30、回访 2026-10-30" in pending.stdout
    assert cases(ledger)[1]["status"] == "open"
    data = imported(ledger, closed, "--update")
    assert (data["new"], data["changed"], data["updated"]) == (0, 1, 1)
    second = cases(ledger)[1]
    assert (second["status"], second["closed_on"], second["satisfaction"]) == (
        "closed", "2026-10-30", "basic",
    )  # fmt: skip
    history = json.loads(ok(ledger("show", "2", "--json")).stdout)["history"]
    assert {h["effective"] for h in history if h["field"] == "status" and h["new"] == "closed"} == {
        "2026-10-30"
    }
    again = imported(ledger, closed, "--update")
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 5)


def test_unknown_kind_and_channel_are_one_note_per_word(ledger: Run, tmp_path: Path) -> None:
    result = ok(ledger("import", str(books.petitions(tmp_path / "诉求.xlsx")), "--dry-run"))
    assert "    工作表“诉求台账”第 6 行：类型“政策问询”不认识，按诉求登记" in result.stdout
    assert "    工作表“诉求台账”第 6 行：渠道“村民微信群”不认识，按其他登记" in result.stdout


def test_orders_carried_over_sheet_year_and_resolved_words(ledger: Run, tmp_path: Path) -> None:
    result = ok(ledger("import", str(books.orders(tmp_path / "接诉即办.xlsx"))))
    assert "    工作表“2025年12月”第 2 行：没有年份的日期按 2025 年（据工作表名）" in result.stdout
    got = cases(ledger)
    assert [(c["received_on"], c["closed_on"], c["outcome"], c["result"], c["phone"]) for c in got] == [
        ("2025-12-28", "2026-01-05", "resolved", "（原台账未填写办理结果）", "13800000051"),
        ("2026-10-10", "2026-10-20", "explained", "已解释低保政策，年底复核", "13800000052"),
        ("2026-10-12", "2026-10-25", "explained", "未解决", "13800000053"),
        ("2026-11-03", "2026-11-06", "resolved", "（原台账未填写办理结果）", "13800000054"),
    ]  # fmt: skip


def test_checklist_deadlines_in_words(ledger: Run, tmp_path: Path) -> None:
    result = ok(ledger("import", str(books.checklist(tmp_path / "清单.xlsx"))))
    assert (
        "    工作表“问题清单”第 8 行：完成时限不是日期：原文记入详细内容，未设时限" in result.stdout
    )
    got = cases(ledger)
    assert [c["deadline"] for c in got] == [
        "2026-09-01", "2026-10-05", "2026-10-31", "2026-11-30", "2026-12-31", None,
    ]  # fmt: skip
    assert got[5]["detail"] == "（完成时限：2027年汛期前）"


def test_two_genuine_errors_store_nothing(ledger: Run, db: Path, tmp_path: Path) -> None:
    before = sha(db)
    result = ledger("import", str(books.bad_petitions(tmp_path / "有错.xlsx")))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "工作表“诉求台账”第 2 行【联系电话】：联系电话格式不对：应为 11 位手机号，或 0 开头带区号的座机号（如 0795-4621234）",
        "工作表“诉求台账”第 3 行【办结日期】：日期 2026-10-01 早于受理日期 2026-10-09",
        "错误：发现 2 个问题，未导入任何事项；改正后重新导入",
    ]
    assert "1380000004" not in result.stderr
    assert sha(db) == before
    data = json.loads(ledger("import", str(tmp_path / "有错.xlsx"), "--json").stdout)
    assert (data["new"], data["refused"], len(data["problems"])) == (0, 2, 2)


def test_no_table_names_the_headings_found_and_the_one_needed(ledger: Run, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "姓名", "联系电话", "反映问题"])
    ws.append([1, "张三", "13800000000", "路灯"])
    wb.save(tmp_path / "缺列.xlsx")
    result = ledger("import", str(tmp_path / "缺列.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "错误：找不到台账表头：工作表“Sheet”里有 序号、姓名、联系电话、反映问题，"
        "还缺“受理日期”（或同义的表头）"
    )


def test_township_export_is_refused_unless_the_sheet_is_named(
    tmp_path: Path, run: Run, db: Path
) -> None:
    from typer.testing import CliRunner

    from shuoshi_cli.cli import app

    runner = CliRunner()
    folder = tmp_path / "ledgers"
    folder.mkdir()
    for name in ("石境村", "东村"):
        path = folder / f"{name}.db"
        args = ["--db", str(path), "init", "--village", name, "--township", "宝峰镇",
                "--county", "靖安县"]  # fmt: skip
        assert runner.invoke(app, args).exit_code == 0
        added = ["--db", str(path), "add", f"{name}的路灯", "--received", "2026-11-02"]
        assert runner.invoke(app, added).exit_code == 0
    book = tmp_path / "镇台账.xlsx"
    ok(runner.invoke(app, ["export", "--month", "2026-11", str(folder), "-o", str(book)]))
    own = ["--db", str(folder / "石境村.db"), "import", str(book)]
    refused = runner.invoke(app, own)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "错误：这是 shuoshi 导出的台账，含其他村的工作表（东村）：只导入本村请加 --sheet 石境村"
    )
    other = runner.invoke(app, [*own, "--sheet", "东村"])
    assert other.stderr.strip() == "错误：工作表“东村”是其他村的（本台账是石境村），不导入"
    data = json.loads(ok(runner.invoke(app, [*own, "--sheet", "石境村", "--json"])).stdout)
    assert (data["new"], data["unchanged"], data["exported_workbook"]) == (0, 1, True)
