"""The workbook on paper (SPEC 5, issue 14): every sheet prints at 70% or more on A4 landscape.

The scale is worked out the way a reader of the saved file would: from the page setup and margins
stored in it and the sum of its column widths (an Excel width unit is the default font's widest
digit, 7 px for Calibri 11, and each column takes 5 px more; 96 px to the inch, 72 pt to the inch).
A sheet fitted to one page wide (fitToWidth 1, fitToHeight 0) prints at the printable width over
the columns' width, never above 100%.

Also what goes with paper: headings repeated on every page, the headings and the columns up to 编号
and 反映事项 frozen, text Excel could take for a formula carrying the quote-prefix flag, the file's
properties naming the township and the period, and the full record in the CSV.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from conftest import ok
from shuoshi_cli.core.figures import ScopedCase
from shuoshi_cli.core.periods import month_scope
from shuoshi_cli.formats.excel import VILLAGE_HEADINGS, VillageMonth, write_workbook
from test_month import ASKED, COUNTY, TOWNSHIP, VILLAGES, build_township, invoke

A4_LANDSCAPE_POINTS = 297 / 25.4 * 72
EXCEL_DEFAULT_WIDTH = 8.43
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OTHER_TOWNSHIP, OTHER_VILLAGE = "中源乡", "中源村"
LONG_TITLE = "村民反映" + "村道两侧排水沟堵塞，雨天积水严重，影响出行和农田灌溉。" * 40
TRICKY = ("=SUM(A1:A9)", "+86 转人工", "-5度以下停工", "@村委会", '=HYPERLINK("http://x","点我")')


def column_widths(ws: Worksheet) -> list[float]:
    """Every used column's width, as Excel reads the saved <cols> (grouped ranges included)."""
    widths: dict[int, float] = {}
    for key, dim in ws.column_dimensions.items():
        first = dim.min or column_index_from_string(key)
        last = dim.max or first
        for index in range(first, last + 1):
            widths[index] = dim.width if dim.customWidth else EXCEL_DEFAULT_WIDTH
    return [widths.get(i, EXCEL_DEFAULT_WIDTH) for i in range(1, ws.max_column + 1)]


def implied_scale(ws: Worksheet) -> float:
    """The percentage the sheet prints at, from what the file says."""
    setup, margins = ws.page_setup, ws.page_margins
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9, ws.title  # A4
    printable = A4_LANDSCAPE_POINTS - (margins.left + margins.right) * 72
    content = sum((w * 7 + 5) * 0.75 for w in column_widths(ws))
    fit = ws.sheet_properties.pageSetUpPr
    if fit is not None and fit.fitToPage:
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0, ws.title
        return min(100.0, printable / content * 100)
    return float(setup.scale or 100)


@dataclass(frozen=True)
class Books:
    full: Workbook
    public: Workbook
    one_township: Workbook
    path: Path
    public_path: Path
    csv: Path
    written: tuple[datetime, datetime]  # the wall clock just before and after the export


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Books:
    """宝峰镇's three villages (test_month) and 中源村 of 中源乡: a title of 1,000 characters,
    text that looks like formulas, a case handled at county level."""
    base = tmp_path_factory.mktemp("print")
    home = base / "home"
    folder = build_township(base)
    one = base / "宝峰镇.xlsx"
    ok(invoke(["export", "--month", "2026-10", str(folder), "-o", str(one)], ASKED, home))
    other = folder / f"{OTHER_VILLAGE}.db"
    day = date(2026, 10, 12)

    def run(*args: str) -> None:
        ok(invoke(["--db", str(other), *args], day, home))

    run("init", "--village", OTHER_VILLAGE, "--township", OTHER_TOWNSHIP, "--county", COUNTY)
    run("add", "--reporter", "周八", "--phone", "13600000001", "--due", "2026-10-20", "--",
        LONG_TITLE)  # fmt: skip
    for text in TRICKY:
        run("add", "--category", text, "--owner", text, "--due", "2026-10-15", "--", text)
    run("escalate", "2", "--to", "county", "--reason", "需县交通局办理")
    run("close", "3", "--outcome", "resolved", f"--result={TRICKY[0]}")
    path, public, table = base / "全.xlsx", base / "公示.xlsx", base / "全.csv"
    month = ["export", "--month", "2026-10", str(folder)]
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    ok(invoke([*month, "-o", str(path)], ASKED, home))
    after = datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=1)
    ok(invoke([*month, "-o", str(public), "--public"], ASKED, home))
    ok(invoke([*month, "-o", str(table), "--csv"], ASKED, home))
    return Books(
        load_workbook(path), load_workbook(public), load_workbook(one), path, public, table,
        (before, after),
    )  # fmt: skip


def all_sheets(books: Books) -> list[Worksheet]:
    return [*books.full.worksheets, *books.public.worksheets, *books.one_township.worksheets]


def headings(ws: Worksheet) -> list[Any]:
    return [c.value for c in ws[3]]


# ---------------------------------------------------------------- scale


def test_every_sheet_prints_at_70_percent_or_more(books: Books) -> None:
    names = set()
    for ws in all_sheets(books):
        scale = implied_scale(ws)
        assert scale >= 70, (ws.title, round(scale, 1), column_widths(ws))
        # What the file stores as its scale is what Excel arrives at fitting the width.
        assert ws.page_setup.scale == min(100, math.floor(scale)), ws.title
        names.add(ws.title)
    assert {"汇总表", "督办清单", OTHER_VILLAGE, *VILLAGES} <= names


def test_the_village_layout_does_not_depend_on_the_text(books: Books) -> None:
    """A 1,000-character title wraps in its column; it does not widen the sheet."""
    for book in (books.full, books.public):
        layouts = {tuple(column_widths(book[v])) for v in (*VILLAGES, OTHER_VILLAGE)}
        assert len(layouts) == 1
    long = next(
        r for r in books.full[OTHER_VILLAGE].iter_rows(min_row=4) if r[0].value == 1
    )  # fmt: skip
    title = long[headings(books.full[OTHER_VILLAGE]).index("反映事项")]
    assert title.value == LONG_TITLE and title.alignment.wrap_text


def test_paper_columns_in_order(books: Books) -> None:
    want = [
        "序号", "编号", "受理日期", "反映人", "联系电话", "反映事项", "类型", "类别", "渠道",
        "领办责任人", "完成时限", "办理层级", "办理情况", "办理结果", "办结日期", "是否超期",
        "超期天数", "反馈情况", "满意度", "备注",
    ]  # fmt: skip
    assert headings(books.full[VILLAGES[0]]) == want
    assert headings(books.public[VILLAGES[0]]) == [h for h in want if h != "联系电话"]
    widths = dict(zip(want, column_widths(books.full[VILLAGES[0]]), strict=True))
    assert widths["反映事项"] >= 20 and widths["办理结果"] >= 16  # the long texts wrap in these


# ---------------------------------------------------------------- the rest of the page setup


def test_headings_repeat_and_freeze_after_number_and_title(books: Books) -> None:
    for ws in all_sheets(books):
        assert (ws.print_title_rows or "").replace("$", "") == "3:3", ws.title
        names = headings(ws)
        keys = [names.index(h) + 1 for h in ("编号", "反映事项") if h in names]
        if ws.title == "汇总表":
            assert ws.freeze_panes == "D4"  # 名次, 乡镇, the villages' names and the headings
            continue
        assert len(keys) == 2, ws.title
        assert ws.freeze_panes == f"{get_column_letter(max(keys) + 1)}4", ws.title
        margins = ws.page_margins
        assert margins.top > 0.5 and margins.header < margins.top  # room for the header line


def test_formula_like_text_is_quoted_text(books: Books) -> None:
    seen = 0
    for book in (books.full, books.public):
        for ws in book.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if not isinstance(cell.value, str):
                        continue
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    quoted = cell.value.startswith(FORMULA_STARTS)
                    assert cell.quotePrefix == quoted, (ws.title, cell.coordinate, cell.value)
                    seen += quoted
    assert seen >= 2 * 3 * len(TRICKY)  # title, category and owner of each, in both books
    with zipfile.ZipFile(books.path) as package:
        assert 'quotePrefix="1"' in package.read("xl/styles.xml").decode()
        for name in package.namelist():
            if name.startswith("xl/worksheets/sheet"):
                body = package.read(name).decode()
                assert "<f>" not in body and "<f " not in body, name


def test_phone_cells_stay_text_when_edited(books: Books) -> None:
    ws = books.full[VILLAGES[0]]
    column = headings(ws).index("联系电话")
    phones = [r[column] for r in ws.iter_rows(min_row=4) if r[column].value]
    assert phones
    assert all(c.data_type == "s" and c.number_format == "@" for c in phones)


# ---------------------------------------------------------------- properties


def test_properties_name_the_township_the_period_and_the_real_time(books: Books) -> None:
    one = books.one_township.properties
    assert one.creator == one.lastModifiedBy == TOWNSHIP
    assert "2026年10月" in (one.title or "") and TOWNSHIP in (one.title or "")
    assert "2026-10-31" in (one.title or "")  # the day the figures are taken at
    both = books.full.properties
    # Two townships: their county, or both townships by name (see test_author_of_a_county).
    assert both.creator in (COUNTY, f"{OTHER_TOWNSHIP}、{TOWNSHIP}")
    assert both.lastModifiedBy == both.creator
    assert "openpyxl" not in (both.creator or "") + (both.lastModifiedBy or "")
    before, after = books.written
    for stamp in (both.created, both.modified):
        assert stamp is not None and before <= stamp <= after, (stamp, books.written)
    assert "公示" in (books.public.properties.title or "")


def test_author_of_a_county(tmp_path: Path) -> None:
    """Villages of two townships of one county: the county writes the workbook."""
    scope = month_scope("2026-10", None, date(2026, 11, 27))
    empty: list[ScopedCase] = []
    villages = [
        VillageMonth("石境村", TOWNSHIP, empty, COUNTY),
        VillageMonth(OTHER_VILLAGE, OTHER_TOWNSHIP, empty, COUNTY),
    ]
    book = load_workbook(write_workbook(tmp_path / "县.xlsx", villages, scope))
    assert book.properties.creator == book.properties.lastModifiedBy == COUNTY
    alone = load_workbook(write_workbook(tmp_path / "镇.xlsx", villages[:1], scope))
    assert alone.properties.creator == TOWNSHIP


# ---------------------------------------------------------------- the full record


def test_the_csv_is_the_full_record(books: Books) -> None:
    text = books.csv.read_text(encoding="utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(records[0]) == ["村（社区）", *VILLAGE_HEADINGS]
    long = next(r for r in records if r["村（社区）"] == OTHER_VILLAGE and r["编号"] == "1")
    assert long["反映事项"] == LONG_TITLE
    assert long["联系电话"].strip() == "13600000001"
    county = next(r for r in records if r["村（社区）"] == OTHER_VILLAGE and r["编号"] == "2")
    assert county["办理层级"] == "县级" and county["办理情况"] == "已上报县级办理"


def test_same_name_villages_are_told_apart(tmp_path: Path) -> None:
    """Two townships each with a 新村: sheets and summary rows name the township."""
    scope = month_scope("2026-10", None, date(2026, 11, 27))
    empty: list[ScopedCase] = []
    villages = [
        VillageMonth("新村", OTHER_TOWNSHIP, empty, COUNTY),
        VillageMonth("新村", TOWNSHIP, empty, COUNTY),
        VillageMonth("石境村", TOWNSHIP, empty, COUNTY),
    ]
    book = load_workbook(write_workbook(tmp_path / "新村.xlsx", villages, scope))
    assert book.sheetnames[1:4] == [f"{OTHER_TOWNSHIP}新村", f"{TOWNSHIP}新村", "石境村"]
    summary = [r[:3] for r in book["汇总表"].iter_rows(min_row=3, values_only=True) if r[2]]
    # 名次, 乡镇, the name as stats --by village keys it; a subtotal per township, then 合计.
    assert summary == [
        ("名次", "乡镇", "村（社区）"),
        (None, OTHER_TOWNSHIP, f"{OTHER_TOWNSHIP}/新村"),
        (None, TOWNSHIP, f"{TOWNSHIP}/新村"),
        (None, TOWNSHIP, "石境村"),
        (None, OTHER_TOWNSHIP, "小计"),
        (None, TOWNSHIP, "小计"),
        (None, None, "合计"),
    ]
