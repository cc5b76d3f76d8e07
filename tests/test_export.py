"""The month's Excel ledger (SPEC 5), its public version (SPEC 7) and the supervision letters.

The township folder is the one test_month.py builds (same facts, same independent replay); the
workbook is read back with openpyxl and, for what openpyxl hides, as the raw XML inside the zip.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import Result

from conftest import ok, sha, shuoshi
from shuoshi_cli.core.privacy import mask_numbers
from shuoshi_cli.formats.excel import CUT_MARK, EXCEL_MAX
from test_month import (
    ALL_PHONES,
    ASKED,
    COUNTY,
    ID_IN_TITLE,
    OCT_END,
    PHONE_IN_TITLE,
    SPECS,
    TOWNSHIP,
    VILLAGES,
    Item,
    build_township,
    first_missed,
    hashes,
    invoke,
    late,
    october,
    overdue_at,
    scope_items,
    state_at,
)

SUMMARY = "汇总表"
SUPERVISION = "督办清单"
HEAD_ROW = 3  # title, subtitle, headings; data from row 4
DATE_COLUMNS = ("受理日期", "完成时限", "办结日期")
SUMMARY_KEYS = {
    "在办结转": "carried_over",
    "本月受理": "received",
    "应办总数": "total",
    "已销号": "closed",
    "销号率": "closeout_rate",
    "已反馈": "feedback",
    "反馈率": "feedback_rate",
    "满意(含基本满意)": "satisfied",
    "满意率": "satisfaction_rate",
    "平均办结天数": "avg_days_to_close",
    "按时办结率": "ontime_rate",
    "超期未办结": "overdue",
    "超期办结": "closed_late",
    "上报乡镇及以上": "escalated",
    "督办件数": "supervised",
    "已解决": ("resolved", "count"),
    "已解决占比": ("resolved", "share"),
    "列入计划或在办": ("planned_or_open", "count"),
    "列入计划或在办占比": ("planned_or_open", "share"),
    "已解释说明": ("explained", "count"),
    "已解释说明占比": ("explained", "share"),
}
RATES = {
    "销号率",
    "反馈率",
    "满意率",
    "按时办结率",
    "已解决占比",
    "列入计划或在办占比",
    "已解释说明占比",
}
COMPLAINT_OR_ANONYMOUS = [s for s in SPECS if s.kind == "complaint" or s.anonymous]
DETAILS = [s.detail for s in SPECS if s.detail]


# ---------------------------------------------------------------- helpers


def cli(*args: str, today: date = ASKED, home: Path | None = None) -> Result:
    return invoke(args, today, home or Path.home())


def headings(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[HEAD_ROW]]


def rows(ws: Worksheet) -> list[dict[str, Any]]:
    """Data rows as {heading: cell} (cells, so types and formats can be checked)."""
    names = headings(ws)
    return [
        dict(zip(names, row, strict=True))
        for row in ws.iter_rows(min_row=HEAD_ROW + 1)
        if any(c.value is not None for c in row)
    ]


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def all_text(book: Workbook) -> str:
    return "\n".join(
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value
    ) + "\n".join(
        f"{ws.oddHeader.center.text} {ws.oddFooter.center.text}" for ws in book.worksheets
    )


def village_items(village: str) -> list[Item]:
    return sorted(
        (i for i in october() if i.state.spec.village == village), key=lambda i: i.state.spec.id
    )


def as_day(value: Any) -> date | None:
    if value is None:
        return None
    assert isinstance(value, datetime), value
    return value.date()


@dataclass(frozen=True)
class Exported:
    base: Path
    folder: Path
    home: Path
    path: Path
    public: Path
    book: Workbook
    public_book: Workbook
    by_village: dict[str, Any]
    before: dict[str, str]  # the folder's hashes before any export


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    base = tmp_path_factory.mktemp("export")
    home = base / "home"
    folder = build_township(base)
    before = hashes(folder)
    path, public = base / "2026年10月台账.xlsx", base / "公示.xlsx"
    done = ok(
        cli("export", "--month", "2026-10", str(folder), "-o", str(path), "--json", home=home)
    )
    assert json.loads(done.stdout) == {
        "path": str(path),
        "as_of": "2026-10-31",
        "villages": 3,
        "cases": 16,
        "public": False,
        "late_entries": 0,
    }
    ok(cli("export", "--month", "2026-10", str(folder), "-o", str(public), "--public", home=home))
    stats = ok(
        cli("stats", "--month", "2026-10", str(folder), "--by", "village", "--json", home=home)
    )
    return Exported(
        base, folder, home, path, public, load_workbook(path), load_workbook(public),
        json.loads(stats.stdout), before,
    )  # fmt: skip


# ---------------------------------------------------------------- the workbook


def test_sheets_and_folder_untouched(exported: Exported) -> None:
    for book in (exported.book, exported.public_book):
        names = book.sheetnames
        assert names[0] == SUMMARY and names[-1] == SUPERVISION
        assert sorted(names[1:-1]) == sorted(VILLAGES)
    assert hashes(exported.folder) == exported.before
    assert not [p for p in exported.base.iterdir() if p.name.endswith(".tmp")]


def _summary_value(figures: dict[str, Any], heading: str) -> Any:
    key = SUMMARY_KEYS[heading]
    if isinstance(key, tuple):
        return figures["outcomes"][key[0]][key[1]]
    return figures[key]


def _check_summary_row(row: dict[str, Any], figures: dict[str, Any]) -> None:
    for heading in SUMMARY_KEYS:
        cell, want = row[heading], _summary_value(figures, heading)
        if want is None:
            assert cell.value in (None, "—"), heading
        elif heading in RATES:  # outcome shares too: exact, each shown rounded on its own
            assert cell.value == pytest.approx(want, rel=1e-12, abs=1e-15), heading
            assert cell.number_format == "0.0%", heading
        elif heading == "平均办结天数":
            assert cell.value == pytest.approx(want, abs=0.05), heading
        else:
            assert cell.value == want and cell.data_type == "n", heading


def test_summary_reconciles_with_stats(exported: Exported) -> None:
    ws = exported.book[SUMMARY]
    assert set(SUMMARY_KEYS) <= set(headings(ws))
    by_name = {r["村（社区）"].value: r for r in rows(ws)}
    assert set(by_name) == {*VILLAGES, "合计"}
    groups = {g["key"]: g for g in exported.by_village["groups"]}
    for village in VILLAGES:
        _check_summary_row(by_name[village], groups[village])
    _check_summary_row(by_name["合计"], exported.by_village["total"])
    # 合计 is the sum of the villages for every count, and open + closed = total.
    for heading in SUMMARY_KEYS:
        if heading in RATES or heading == "平均办结天数":
            continue
        assert by_name["合计"][heading].value == sum(by_name[v][heading].value for v in VILLAGES)
    for name, row in by_name.items():
        total = row["应办总数"].value
        assert row["在办结转"].value + row["本月受理"].value == total, name
        outcomes = row["已解决"].value + row["列入计划或在办"].value + row["已解释说明"].value
        assert outcomes == total, name
    assert by_name["合计"]["应办总数"].value == 16
    # The summary is also the public one's.
    public = {
        r["村（社区）"].value: [c.value for c in r.values()]
        for r in rows(exported.public_book[SUMMARY])
    }
    assert public == {n: [c.value for c in r.values()] for n, r in by_name.items()}


def test_summary_has_a_native_chart(exported: Exported) -> None:
    xml = sheet_xml(exported.path)
    assert "xl/charts/chart1.xml" in xml
    assert "汇总表" in xml["xl/charts/chart1.xml"]  # plots the summary's own cells
    assert any("drawing" in body for name, body in xml.items() if "worksheets/_rels" in name)


def test_every_case_in_scope_once_in_its_village_sheet(exported: Exported) -> None:
    for village in VILLAGES:
        items = village_items(village)
        got = rows(exported.book[village])
        assert [r["编号"].value for r in got] == [i.state.spec.id for i in items], village
        assert [r["序号"].value for r in got] == list(range(1, len(items) + 1))
        for row, item in zip(got, items, strict=True):
            spec, state = item.state.spec, item.state
            remark = row["备注"].value or ""
            assert ("上月结转" in remark) == item.carried, (village, spec.id)
            assert row["反映事项"].value == spec.title
            assert as_day(row["受理日期"].value) == spec.received
            assert as_day(row["完成时限"].value) == state.deadline
            assert as_day(row["办结日期"].value) == state.closed_on
            if overdue_at(state, OCT_END):
                assert state.deadline is not None
                assert row["是否超期"].value == "是"
                assert row["超期天数"].value == (OCT_END - first_missed(state, OCT_END)).days
            elif late(state):
                assert row["是否超期"].value == "超期办结"
            else:
                assert row["是否超期"].value == "否"
    # Not in October: closed in September (石境村#1, 塘里村#1), received in November (石境村#8).
    assert 1 not in [r["编号"].value for r in rows(exported.book["石境村"])]
    assert 8 not in [r["编号"].value for r in rows(exported.book["石境村"])]
    assert 1 not in [r["编号"].value for r in rows(exported.book["塘里村"])]


def test_supervision_sheet_lists_the_overdue(exported: Exported) -> None:
    got = rows(exported.book[SUPERVISION])
    overdue = {
        (i.state.spec.village, i.state.spec.id) for i in october() if overdue_at(i.state, OCT_END)
    }
    listed = {(r["村"].value, r["编号"].value) for r in got}
    assert overdue <= listed
    assert len(got) == len(listed)  # each once
    b1 = next(r for r in got if (r["村"].value, r["编号"].value) == ("周坊村", 1))
    assert b1["督办函号"].value == "宝督〔2026〕1号"
    assert as_day(b1["督办日期"].value) == date(2026, 10, 10)
    assert b1["超期天数"].value == 36  # from 09-25, missed before the letter moved it
    assert as_day(b1["首次超期时限"].value) == date(2026, 9, 25)
    assert as_day(b1["现完成时限"].value) == date(2026, 10, 20)
    # The letter sent on 11-01 (石境村#5) is not October's.
    a5 = next(r for r in got if (r["村"].value, r["编号"].value) == ("石境村", 5))
    assert not a5["督办函号"].value


def test_dates_are_real_dates_and_phones_text(exported: Exported) -> None:
    seen_dates = seen_phones = 0
    for village in VILLAGES:
        for row in rows(exported.book[village]):
            for heading in DATE_COLUMNS:
                cell = row[heading]
                if cell.value is not None:
                    assert cell.is_date and isinstance(cell.value, datetime), heading
                    assert cell.number_format == "yyyy-mm-dd"
                    seen_dates += 1
            feedback = row["反馈情况"]
            if isinstance(feedback.value, datetime):
                assert feedback.number_format == "yyyy-mm-dd"
            phone = row["联系电话"]
            if phone.value is not None:
                assert phone.data_type == "s" and isinstance(phone.value, str)
                assert re.fullmatch(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}", phone.value)
                seen_phones += 1
    assert seen_dates > 30
    assert seen_phones == 15  # every in-scope case but the anonymous one
    for row in rows(exported.book[SUPERVISION]):
        for heading in ("原完成时限", "督办日期", "新完成时限"):
            if row[heading].value is not None:
                assert row[heading].is_date and row[heading].number_format == "yyyy-mm-dd"


def test_print_setup_headings_and_header(exported: Exported) -> None:
    for book in (exported.book, exported.public_book):
        for ws in book.worksheets:
            # Headings frozen, and the columns up to 编号 and 反映事项 (the summary: up to the
            # villages' names, after 名次 and 乡镇).
            names = headings(ws)
            keys = [names.index(h) + 1 for h in ("编号", "反映事项", "村（社区）") if h in names]
            assert ws.freeze_panes == f"{chr(ord('A') + max(keys))}4", ws.title
            assert ws.page_setup.orientation == "landscape"
            assert int(ws.page_setup.paperSize) == 9  # A4
            assert ws.print_title_rows and "3" in ws.print_title_rows
            header = ws.oddHeader.center.text or ""
            assert TOWNSHIP in header and "2026年10月" in header, header
            title = str(ws["A1"].value)
            assert "2026年10月" in title and TOWNSHIP in title
            assert headings(ws)[0] in ("名次", "序号")
            # Columns are sized (set, and wide enough for a number or two characters).
            widths = [ws.column_dimensions[c].width for c in ("A", "B", "C", "D")]
            assert all(w and w >= 4 for w in widths), (ws.title, widths)
    village = exported.book["石境村"]
    column = chr(ord("A") + headings(village).index("反映事项"))
    assert village.column_dimensions[column].width >= 20


def test_no_cell_is_a_formula(exported: Exported) -> None:
    for path in (exported.path, exported.public):
        for name, body in sheet_xml(path).items():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in body and "<f " not in body, name


def test_the_export_is_the_same_when_asked_later(exported: Exported, tmp_path: Path) -> None:
    """A past month's workbook does not change with the winter's later changes."""
    from test_month import LATER, run_steps

    folder = tmp_path / "later"
    shutil.copytree(exported.folder, folder)
    run_steps(folder, tmp_path / "home", ASKED, LATER)
    out = tmp_path / "later.xlsx"
    ok(cli("export", "--month", "2026-10", str(folder), "-o", str(out), today=LATER))
    book = load_workbook(out)
    assert book.sheetnames == exported.book.sheetnames
    for ws in book.worksheets:
        old = exported.book[ws.title]
        assert [[c.value for c in r] for r in ws.iter_rows(min_row=2)] == [
            [c.value for c in r] for r in old.iter_rows(min_row=2)
        ], ws.title


# ---------------------------------------------------------------- --public


def test_public_has_no_phone_id_detail_or_hidden_reporter(exported: Exported) -> None:
    text = all_text(exported.public_book)
    with zipfile.ZipFile(exported.public) as z:  # every part of the file, not only the cells
        raw = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for phone in ALL_PHONES:
        assert phone not in text and phone not in raw, phone
        assert phone.replace("-", "") not in raw, phone
    assert ID_IN_TITLE not in text and ID_IN_TITLE not in raw
    for spec in COMPLAINT_OR_ANONYMOUS:
        if spec.reporter:
            assert spec.reporter not in text and spec.reporter not in raw, spec.reporter
    for detail in DETAILS:
        assert detail not in text and detail not in raw
    for ws in exported.public_book.worksheets:
        assert "联系电话" not in headings(ws)


def test_public_reporters_are_surname_and_star(exported: Exported) -> None:
    text = all_text(exported.public_book)
    for village in VILLAGES:
        items = village_items(village)
        got = rows(exported.public_book[village])
        assert [r["编号"].value for r in got] == [i.state.spec.id for i in items]
        for row, item in zip(got, items, strict=True):
            spec = item.state.spec
            shown = row["反映人"].value
            if spec.anonymous or spec.kind == "complaint" or not spec.reporter:
                assert not shown, (village, spec.id)
            else:
                surname = (
                    spec.reporter[:2] if spec.reporter.startswith("欧阳") else spec.reporter[0]
                )
                assert shown == surname + "*", (village, spec.id, shown)
                assert spec.reporter not in text, spec.reporter
            remark = row["备注"].value or ""
            assert ("上月结转" in remark) == item.carried


def test_public_masks_numbers_in_titles_and_results(exported: Exported) -> None:
    titles = {
        (ws.title, r["编号"].value): r["反映事项"].value
        for ws in exported.public_book.worksheets[1:-1]
        for r in rows(ws)
    }
    assert titles[("石境村", 4)] == "自来水压力低 联系***"
    assert titles[("石境村", 6)] == "申请低保 身份证号***"
    result = next(r for r in rows(exported.public_book["周坊村"]) if r["编号"].value == 6)
    assert result["办理结果"].value == "已协调停车场，咨询电话***"
    # The full ledger keeps them (it is the village's own record).
    full = {r["编号"].value: r for r in rows(exported.book["石境村"])}
    assert PHONE_IN_TITLE in full[4]["反映事项"].value
    assert full[4]["联系电话"].value == "13800000004"


def test_public_keeps_every_sheet_and_case(exported: Exported) -> None:
    assert exported.public_book.sheetnames == exported.book.sheetnames
    for ws in exported.book.worksheets[1:]:
        public = exported.public_book[ws.title]
        key = "村" if ws.title == SUPERVISION else "编号"
        assert [r[key].value for r in rows(public)] == [r[key].value for r in rows(ws)]
        assert [r["编号"].value for r in rows(public)] == [r["编号"].value for r in rows(ws)]


# ---------------------------------------------------------------- overwriting


def test_an_existing_file_is_kept_without_force(exported: Exported, tmp_path: Path) -> None:
    target = tmp_path / "已有.xlsx"
    target.write_bytes(b"someone's edited workbook")
    before = sha(target)
    refused = cli("export", "--month", "2026-10", str(exported.folder), "-o", str(target))
    assert refused.exit_code == 1
    assert "--force" in refused.stderr
    assert sha(target) == before
    as_json = cli("export", "--month", "2026-10", str(exported.folder), "-o", str(target), "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["error"] == "bad_input"
    assert sha(target) == before
    ok(cli("export", "--month", "2026-10", str(exported.folder), "-o", str(target), "--force"))
    assert sha(target) != before
    assert load_workbook(target).sheetnames == exported.book.sheetnames
    assert sorted(p.name for p in tmp_path.iterdir()) == ["已有.xlsx"]  # no temporary left


def test_default_file_name_and_refused_months(exported: Exported, tmp_path: Path) -> None:
    ok(cli("export", "--month", "2026-10", str(exported.folder)))
    assert (tmp_path / "台账-2026-10.xlsx").is_file()  # cwd is the test's tmp_path
    future = cli(
        "export", "--month", "2026-12", str(exported.folder), "-o", str(tmp_path / "x.xlsx")
    )
    assert future.exit_code == 1 and not (tmp_path / "x.xlsx").exists()
    missing = cli("export", "--month", "2026-10", str(tmp_path / "nowhere"), "-o", "y.xlsx")
    assert missing.exit_code == 1 and not (tmp_path / "y.xlsx").exists()


def test_export_never_overwrites_a_ledger_it_reads(exported: Exported, tmp_path: Path) -> None:
    folder = tmp_path / "ledgers"
    shutil.copytree(exported.folder, folder)
    before = hashes(folder)
    target = folder / "石境村.db"
    result = cli("export", "--month", "2026-10", str(folder), "-o", str(target), "--force")
    assert hashes(folder) == before, "the ledger 石境村.db was replaced by a workbook"
    assert result.exit_code == 1


def test_unreadable_ledger_still_exports_the_others(exported: Exported, tmp_path: Path) -> None:
    import sqlite3

    folder = tmp_path / "ledgers"
    shutil.copytree(exported.folder, folder)
    newer = folder / "新村.db"
    ok(cli("--db", str(newer), "init", "--village", "新村", "--township", TOWNSHIP,
           "--county", COUNTY))  # fmt: skip
    connection = sqlite3.connect(newer)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    before = hashes(folder)
    out = tmp_path / "out.xlsx"
    result = cli("export", "--month", "2026-10", str(folder), "-o", str(out))
    assert result.exit_code == 1
    assert "新村.db" in result.stderr
    book = load_workbook(out)
    assert sorted(book.sheetnames[1:-1]) == sorted(VILLAGES)
    assert hashes(folder) == before


def test_export_to_a_missing_folder_shows_no_traceback(exported: Exported, tmp_path: Path) -> None:
    target = tmp_path / "无此文件夹" / "x.xlsx"
    done = shuoshi("export", "--month", "2026-10", str(exported.folder), "-o", str(target))
    assert done.returncode == 1
    assert "无此文件夹" in done.stderr
    assert not target.parent.exists()
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr


def _shown_percent(value: Any) -> Decimal:
    """What Excel shows for a fraction under the format 0.0% (half away from zero)."""
    return (Decimal(repr(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def test_summary_outcome_shares_are_exact_and_shown_on_their_own(exported: Exported) -> None:
    """SPEC 4: each share rounded on its own, so a row may show 99.9% or 100.1% in all."""
    sums = set()
    for row in rows(exported.book[SUMMARY]):
        total = row["应办总数"].value
        if not total:
            continue
        shown = []
        for count, share in (("已解决", "已解决占比"), ("列入计划或在办", "列入计划或在办占比"),
                             ("已解释说明", "已解释说明占比")):  # fmt: skip
            want = row[count].value / total
            assert row[share].value == pytest.approx(want, rel=1e-12), row["村（社区）"].value
            assert row[share].number_format == "0.0%"
            shown.append(_shown_percent(row[share].value))
        sums.add(sum(shown))
    assert Decimal("100.1") in sums  # 周坊村: 3/7, 3/7, 1/7 show 42.9% + 42.9% + 14.3%


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 Chinese correctly
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_export_csv_lists_every_case_once(exported: Exported, tmp_path: Path) -> None:
    result = ok(cli("export", "--month", "2026-10", str(exported.folder), "--csv"))
    target = tmp_path / "台账-2026-10.csv"  # the default name, in the working folder
    assert target.is_file(), result.output
    got = read_csv(target)
    assert sorted((r["村（社区）"], int(r["编号"])) for r in got) == sorted(
        i.state.spec.ref for i in october()
    )
    by_ref = {(r["村（社区）"], int(r["编号"])): r for r in got}
    for item in october():
        row = by_ref[item.state.spec.ref]
        assert row["反映事项"] == item.state.spec.title
        assert row["受理日期"] == item.state.spec.received.isoformat()
        assert ("上月结转" in row["备注"]) == item.carried
    refused = cli("export", "--month", "2026-10", str(exported.folder), "--csv")
    assert refused.exit_code == 1  # an existing file is kept without --force
    public = tmp_path / "公示.csv"
    ok(cli("export", "--month", "2026-10", str(exported.folder), "--csv", "--public", "-o",
           str(public)))  # fmt: skip
    text = public.read_text(encoding="utf-8-sig")
    for phone in ALL_PHONES:
        assert phone not in text and phone.replace("-", "") not in text, phone
    assert ID_IN_TITLE not in text
    for spec in COMPLAINT_OR_ANONYMOUS:
        assert not spec.reporter or spec.reporter not in text
    for detail in DETAILS:
        assert detail not in text
    assert len(read_csv(public)) == len(got)


# ---------------------------------------------------------------- hostile text


HOSTILE = (
    "=1+2",
    "+SUM(A1)",
    "-1",
    "@x",
    "\tx",
    '=HYPERLINK("http://x")',
    "=cmd|' /C calc'!A0",
)
BELL = "响铃\x07测试"
LONG = "长" * 40_000


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """One ledger whose titles, results, names and categories look like formulas."""
    base = tmp_path_factory.mktemp("hostile")
    home = base / "home"
    db = str(base / "注入村.db")
    day = date(2026, 10, 10)

    def run(*args: str) -> Result:
        return ok(invoke(["--db", db, *args], day, home))

    run("init", "--village", "注入村", "--township", TOWNSHIP, "--county", COUNTY)
    for n, text in enumerate(HOSTILE, start=1):
        run("add", "--reporter", text, "--category", text, "--owner", text, "--", text)
        run("close", str(n), "--outcome", "resolved", f"--result={text}")
    # shuoshi refuses control characters at entry; a ledger written by another program (or an
    # edited dump) may still hold them, so put them in with sqlite3 and export must cope.
    run("add", "--", "响铃测试")
    run("close", str(len(HOSTILE) + 1), "--outcome", "resolved", "--result", "响铃测试")
    con = sqlite3.connect(db)
    con.execute(
        "UPDATE cases SET title = ?, result = ? WHERE id = ?", (BELL, BELL, len(HOSTILE) + 1)
    )
    con.commit()
    con.close()
    run("add", "--", "超长结果")
    run("close", str(len(HOSTILE) + 2), "--outcome", "explained", "--result", LONG)
    path, public = base / "注入.xlsx", base / "注入公示.xlsx"
    ok(invoke(["export", "--month", "2026-10", db, "-o", str(path)], ASKED, home))
    ok(invoke(["export", "--month", "2026-10", db, "-o", str(public), "--public"], ASKED, home))
    yield path, public


def test_hostile_text_stays_text(hostile: tuple[Path, Path]) -> None:
    for path in hostile:
        for name, body in sheet_xml(path).items():
            if name.startswith("xl/worksheets/sheet"):
                assert "<f>" not in body and "<f " not in body, name
        book = load_workbook(path)
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
        got = {r["编号"].value: r for r in rows(book["注入村"])}
        for n, text in enumerate(HOSTILE, start=1):
            stored = text.strip()  # free text is trimmed on entry
            if path == hostile[1] and len(stored) > 1:
                # Public: each case's reporter is the same text, so it is masked as a name.
                stored = stored[0] + "*"
            assert got[n]["反映事项"].value == stored
            assert got[n]["反映事项"].data_type == "s"
            assert got[n]["反映事项"].quotePrefix == stored.startswith(("=", "+", "-", "@"))
            assert got[n]["办理结果"].value == stored
            assert got[n]["类别"].value == stored
            assert got[n]["领办责任人"].value == stored


def test_control_characters_and_overlong_text(hostile: tuple[Path, Path]) -> None:
    for path in hostile:
        got = {r["编号"].value: r for r in rows(load_workbook(path)["注入村"])}
        bell = got[len(HOSTILE) + 1]
        assert bell["反映事项"].value == "响铃\ufffd测试"
        assert bell["办理结果"].value == "响铃\ufffd测试"
        long = got[len(HOSTILE) + 2]["办理结果"].value
        assert isinstance(long, str)
        assert len(long) <= EXCEL_MAX
        assert long.endswith(CUT_MARK)
        assert long.startswith("长" * 1000)


def test_hostile_stats_still_work(hostile: tuple[Path, Path]) -> None:
    db = hostile[0].parent / "注入村.db"
    answer = json.loads(ok(cli("stats", "--month", "2026-10", str(db), "--json")).stdout)
    assert answer["total"]["total"] == len(HOSTILE) + 2


def test_hostile_text_in_csv_cannot_run(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    db = hostile[0].parent / "注入村.db"
    for extra in ((), ("--public",)):
        out = tmp_path / f"注入{len(extra)}.csv"
        ok(cli("export", "--month", "2026-10", str(db), "--csv", "-o", str(out), *extra))
        got = read_csv(out)
        assert len(got) == len(HOSTILE) + 2
        for row in got:
            for heading, value in row.items():
                assert value[:1] not in ("=", "+", "-", "@", "\r"), (heading, value)
        titles = [r["反映事项"] for r in got]
        if extra:  # the reporter's own name (the same text) in the title is masked
            assert "'=*" in titles and "'-*" in titles
        else:  # shown as typed, with Excel's text mark
            assert "'=1+2" in titles and "'-1" in titles


# ---------------------------------------------------------------- supervision letters


def letter_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def test_letters_demand_only_what_is_still_open_on_their_date(
    exported: Exported, tmp_path: Path
) -> None:
    """SPEC 5: a letter (dated today, 11-27) goes to a village with cases overdue at D and still
    open today; a case closed since D is in the list but in no letter. tests/test_letters.py
    checks the letters' numbering, townships and wording."""
    before = hashes(exported.folder)
    for month, day in (("2026-10", OCT_END), ("2026-11", ASKED)):
        folder = tmp_path / month
        answer = json.loads(
            ok(cli("overdue", "--month", month, str(exported.folder), "--letters", str(folder),
                   "--json")).stdout
        )  # fmt: skip
        overdue = [
            i.state.spec
            for i in scope_items(date(day.year, day.month, 1), day)
            if overdue_at(i.state, day)
        ]
        assert {(c["village"], c["id"]) for c in answer["cases"]} == {s.ref for s in overdue}
        demanded = [s for s in overdue if state_at(s, ASKED).open]
        closed_since = [s for s in overdue if not state_at(s, ASKED).open]
        assert demanded and (closed_since or month == "2026-11")  # October has both kinds
        assert sorted(e["village"] for e in answer["letters"]) == sorted(
            {s.village for s in demanded}
        )
        texts = "\n".join(letter_text(Path(e["path"])) for e in answer["letters"])
        # Titles as a letter shows them, numbers masked (A6, reopened in November, has an ID).
        shown = [mask_numbers(s.title) for s in demanded]
        assert all(title in texts for title in shown), shown
        assert not any(mask_numbers(s.title) in texts for s in closed_since)
        for spec in SPECS:
            assert not spec.reporter or spec.reporter not in texts
            assert not spec.phone or spec.phone not in texts
    assert hashes(exported.folder) == before


def test_overdue_json_is_the_same_with_letters_and_without(
    exported: Exported, tmp_path: Path
) -> None:
    """Without --letters each ledger's list is turned into JSON where it is read; with them the
    whole report is built first. The answer must not depend on which way it went."""
    for args in (["--month", "2026-10"], ["--as-of", "2026-10-25"], ["--month", "2026-11"]):
        plain = json.loads(ok(cli("overdue", *args, str(exported.folder), "--json")).stdout)
        folder = tmp_path / "letters" / args[1]
        with_letters = json.loads(
            ok(cli("overdue", *args, str(exported.folder), "--letters", str(folder),
                   "--json")).stdout
        )  # fmt: skip
        assert with_letters.pop("letters")
        assert with_letters == plain
        assert plain["cases"] or plain["closed_late"]


def test_letters_leave_out_cases_closed_since(exported: Exported, tmp_path: Path) -> None:
    """On 10-25 石境村#4 (a phone number in its title) is overdue, but it was closed before the
    letters are written: no letter demands it, and its number is in none."""
    folder = tmp_path / "letters"
    answer = json.loads(
        ok(cli("overdue", "--as-of", "2026-10-25", str(exported.folder), "--letters", str(folder),
               "--json")).stdout
    )  # fmt: skip
    assert ("石境村", 4) in {(c["village"], c["id"]) for c in answer["cases"]}
    expected = {
        i.state.spec.ref
        for i in scope_items(date(2026, 10, 1), date(2026, 10, 25))
        if overdue_at(i.state, date(2026, 10, 25))
    }
    assert {(c["village"], c["id"]) for c in answer["cases"]} == expected
    texts = [letter_text(Path(e["path"])) for e in answer["letters"]]
    assert texts and all(PHONE_IN_TITLE not in text for text in texts)
    assert all("自来水压力低" not in text for text in texts)


# ---------------------------------------------------------------- LibreOffice opens it


def test_libreoffice_converts_the_workbook(exported: Exported, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice not installed")
    source = tmp_path / "ledger.xlsx"
    shutil.copy(exported.path, source)
    out = tmp_path / "pdf"
    home = tmp_path / "office-home"
    home.mkdir()
    done = subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(home)},
    )
    pdf = out / "ledger.pdf"
    assert pdf.is_file(), (done.returncode, done.stdout, done.stderr)
    assert pdf.stat().st_size > 0
    assert pdf.read_bytes().startswith(b"%PDF")
