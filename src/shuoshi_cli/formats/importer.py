"""Reading the Excel ledgers villages really keep into cases, never wrong silently.

Real ledgers put the headings under merged title rows, sometimes in two tiers (办理情况 over
办理措施 | 办结时间), name fields in many ways (core/ledgerwords.py), merge a talk day down over the
matters raised that day, end with 合计 rows and signature footers, and write states, kinds,
deadlines (``7天``, ``11月底前``) and phones in the clerk's own words. Each row is read as the clerk
commands would have recorded it (core/rules.py ``register_past``); every problem is collected with
its sheet, row and column and the caller stores nothing unless there are none. Whatever the reading
decided that the user should know (the year assumed, a deadline counted from receipt, a second
phone kept in the case's note) is a ``Note`` for the summary: it names rows, never personal data.

A row's identity is its case number (编号, 工单号 …) when the table has one, else its content, so
importing a file again adds nothing and a row changed since (closed, answered) is found again.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shuoshi_cli.core import ledgerwords as words
from shuoshi_cli.core.case import DEFAULT_CATEGORIES, Case
from shuoshi_cli.core.codes import Channel, Kind, Level, Outcome, Satisfaction, parse
from shuoshi_cli.core.dates import ParsedDate
from shuoshi_cli.core.errors import BadDate, BadInput, ShuoshiError
from shuoshi_cli.core.history import HistoryEntry
from shuoshi_cli.core.ledgerdates import Deadline, drop_clock, happened_day, read_deadline
from shuoshi_cli.core.rules import (
    NewCase,
    PastCase,
    clean_phone,
    clean_text,
    register_past,
    update_past,
)
from shuoshi_cli.core.workdays import WorkCalendar
from shuoshi_cli.formats.xlsxsafe import Book, Cell, Merge, Sheet

# The template's headings (formats/excel.py writes the first spelling of each field).
SYNONYMS: dict[str, tuple[str, ...]] = {
    **words.HEADINGS_BY_FIELD,
    "title": ("反映事项",),
    "result": ("办理结果",),
}
HEADINGS = words.HEADING_FIELD
TEMPLATE_FIELDS = (
    "received_on", "title", "detail", "kind", "category", "channel", "reporter", "phone",
    "anonymous", "owner", "deadline", "level", "closed_on", "outcome", "result", "feedback_on",
    "satisfaction", "remarks",
)  # fmt: skip
TEMPLATE_NOTES = {
    "received_on": "必填，如 2026-10-05 或 2026年10月5日",
    "title": "必填，群众反映的事",
    "kind": "诉求/意见建议/投诉举报/咨询，默认诉求",
    "channel": "说事点/小程序/走访/来电/游客/其他，默认其他",
    "phone": "11 位手机或带区号座机；请设为文本格式",
    "anonymous": "是/否",
    "level": "村级/乡镇/县级，默认村级",
    "closed_on": "填了即为已办结",
    "outcome": "已解决/已解释说明，默认已解决",
    "satisfaction": "满意/基本满意/不满意",
}
NOTE_MARK = "填写说明"
EXPORT_MARK = "由 shuoshi 导出"  # formats/excel.py ``_set_properties``
_EXPORT_HEADINGS = {"编号", "是否超期", "超期天数", "办理层级"}
_NAMESPACE = uuid.UUID("0b7d4c52-7a55-4c1e-9a44-5b8e0c3d2f10")
_YES = {"是", "yes", "y", "true", "1", "匿名", "√"}
_NO = {"否", "no", "n", "false", "0", ""}
NO_RESULT = "（原台账未填写办理结果）"
# Fields whose cells are read; 序号 is row numbering (a formula there is no problem).
_NOT_READ = {"serial"}
# What an empty table still needs, in the order a message names them.
_NEEDED = ("content", "received_on")


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str | None
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    """Something the import decided about a row that the user should know; never personal data."""

    sheet: str
    row: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportedCase:
    """One row, checked: where it stands, its identity and the case it stands for (what to
    register and what happened to it afterwards: core/rules.py ``PastCase``)."""

    sheet: str
    row: int
    uid: str
    past: PastCase
    also: tuple[str, ...] = ()  # other uids the row had under earlier importers
    number: str | None = None  # the case number column's value


@dataclass(frozen=True)
class Changed:
    """A row whose case is already in the ledger and that says more now (closed, answered)."""

    item: ImportedCase
    case_id: int
    what: tuple[str, ...]  # the fields the update sets
    differs: tuple[str, ...] = ()  # fields where the row disagrees (not applied)


@dataclass
class ImportPlan:
    cases: list[ImportedCase] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    other_villages: Counter[str] = field(default_factory=Counter)
    layout: Counter[str] = field(default_factory=Counter)
    exported: bool = False
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> field -> heading
    # After ``match``: what each row is against the ledger.
    new: list[ImportedCase] = field(default_factory=list)
    unchanged: list[ImportedCase] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    differs: list[Changed] = field(default_factory=list)

    @property
    def refused_rows(self) -> int:
        return len({(p.sheet, p.row) for p in self.problems if p.row})


# ---------------------------------------------------------------- finding the table


@dataclass(frozen=True)
class Column:
    index: int  # 0-based position in the row
    field: str
    heading: str  # as written, for messages
    rank: int


@dataclass(frozen=True)
class Table:
    last_header_row: int  # the sheet row number of the last heading row
    columns: dict[str, list[Column]]  # field -> columns, best first
    headings: tuple[str, ...]  # every heading text found, for "which headings"

    def has(self, name: str) -> bool:
        return name in self.columns


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _anchor_of(merges: tuple[Merge, ...]) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(row, column) of every merged cell -> (anchor row, anchor column, width)."""
    covered: dict[tuple[int, int], tuple[int, int, int]] = {}
    for first_row, first_col, last_row, last_col in merges:
        if (last_row - first_row + 1) * (last_col - first_col + 1) > 2000:
            continue  # a whole-sheet merge is decoration
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                covered[(row, col)] = (first_row, first_col, last_col - first_col + 1)
    return covered


def _columns_of(top: list[str], sub: list[str] | None) -> tuple[dict[str, list[Column]], list[str]]:
    """Map heading cells (one or two tiers) to fields."""
    found: dict[str, list[Column]] = {}
    seen: list[str] = []
    for index in range(max(len(top), len(sub or []))):
        upper = top[index] if index < len(top) else ""
        lower = (sub[index] if index < len(sub) else "") if sub is not None else ""
        name, shown = None, ""
        if lower:  # a sub-heading, or the group and the sub-heading read together (办结+时间)
            name = words.heading_field(lower) or words.heading_field(
                words.heading_key(upper) + words.heading_key(lower)
            )
            shown = lower
        elif upper:  # a heading over both tiers (序号 merged down)
            name = words.heading_field(upper)
            shown = upper
        if shown:
            seen.append(shown.replace("\n", ""))
        if name is None:
            continue
        rank = words.HEADING_RANK.get(words.heading_key(lower or upper), 99)
        found.setdefault(name, []).append(Column(index, name, shown.replace("\n", ""), rank))
    for columns in found.values():
        columns.sort(key=lambda c: (c.rank, c.index))
    return found, seen


def _is_table(columns: dict[str, list[Column]]) -> bool:
    names = set(columns) - _NOT_READ
    return bool(names & {"content", "title"}) and "received_on" in names and len(names) >= 3


def find_table(sheet: Sheet) -> Table | None:
    """The heading row (or two tiers of headings) among the sheet's first 20 rows."""
    covered = _anchor_of(sheet.merges)
    rows = sheet.rows[:20]
    by_number = dict(sheet.rows)

    def texts(number: int, cells: list[Any], spread: bool) -> list[str]:
        """The row's heading texts; ``spread``: a group merged across columns names each."""
        width = max(len(cells), max((c for r, c in covered if r == number), default=0))
        shown = []
        for index in range(width):
            value = cells[index].value if index < len(cells) else None
            anchor = covered.get((number, index + 1))
            if value in (None, "") and anchor is not None and spread:
                anchor_cells = by_number.get(anchor[0], [])
                col = anchor[1] - 1
                value = anchor_cells[col].value if col < len(anchor_cells) else None
            shown.append(_text_of(value) if not isinstance(value, int | float) else "")
        return shown

    for position, (number, cells) in enumerate(rows):
        single, seen = _columns_of(texts(number, cells, False), None)
        best, best_seen, last = single, seen, number
        following = rows[position + 1] if position + 1 < len(rows) else None
        # a second tier only under a row that is itself headings (not a 填报单位 row)
        if following is not None and following[0] == number + 1 and len(single) >= 2:
            top = texts(number, cells, True)
            sub = texts(following[0], following[1], False)
            if any(sub):
                double, seen2 = _columns_of(top, sub)
                if len(set(double) - _NOT_READ) > len(set(single) - _NOT_READ):
                    best, best_seen, last = double, seen2, following[0]
        if _is_table(best):
            return Table(last, best, tuple(best_seen))
    return None


def _best_headings(sheets: list[Sheet]) -> tuple[str, list[str], list[str]]:
    """For the message when no table is found: the sheet and row with most known headings, the
    headings found there and which needed ones are missing."""
    best: tuple[int, str, list[str], set[str]] = (-1, "", [], set())
    for sheet in sheets:
        for _, cells in sheet.rows[:20]:
            texts = [_text_of(c.value) for c in cells if isinstance(c.value, str)]
            known = [t for t in texts if words.heading_field(t)]
            fields = {words.heading_field(t) or "" for t in known}
            if len(known) > best[0]:
                best = (len(known), sheet.name, [t.replace("\n", "") for t in texts], fields)
    _, name, found, fields = best
    missing = [f for f in _NEEDED if f not in fields and not (f == "content" and "title" in fields)]
    return name, found, missing


# ---------------------------------------------------------------- the plan


def _year_hint(sheet: Sheet, table: Table | None, book_year: int | None) -> tuple[int | None, str]:
    """The year a year-less date on this sheet means, and where it came from."""
    if (year := words.year_named(sheet.name)) is not None:
        return year, "sheet"
    end = table.last_header_row if table else 3
    for number, cells in sheet.rows:
        if number >= end:
            break
        for cell in cells:
            if isinstance(cell.value, str) and (year := words.year_named(cell.value)):
                return year, "title"
    if book_year is not None:
        return book_year, "title"
    return None, "nearest"


def _title_text(sheet: Sheet, table: Table) -> str:
    return " ".join(
        _text_of(c.value)
        for number, cells in sheet.rows
        if number < table.last_header_row
        for c in cells
        if isinstance(c.value, str)
    )


def _village_key(name: str) -> str:
    cleaned = unicodedata.normalize("NFKC", name).strip()
    return re.sub(r"(村民委员会|居民委员会|村委会|居委会|社区|村)$", "", cleaned)


def is_this_village(text: str, village: str) -> bool:
    """Whether a 所属区域/所属村 cell names this ledger's village (``宝峰镇石境村``, ``石境``)."""
    cleaned = unicodedata.normalize("NFKC", text).replace(" ", "")
    if village in cleaned:
        return True
    key = _village_key(village)
    return len(key) >= 2 and _village_key(cleaned).endswith(key)


def plan_import(
    book: Book | list[tuple[str, list[tuple[int, list[Cell]]]]],
    *,
    village: str,
    today: date,
    calendar: WorkCalendar | None = None,
    only_sheet: str | None = None,
    township: str = "",
    categories: tuple[str, ...] = DEFAULT_CATEGORIES,
) -> ImportPlan:
    """Check every row of every ledger-like sheet; collect cases, skips, notes and problems."""
    if isinstance(book, list):
        book = Book([Sheet(name, rows) for name, rows in book])
    names = [s.name for s in book.sheets]
    if only_sheet is not None and only_sheet not in names:
        raise BadInput("no_such_sheet", sheet=only_sheet, sheets="、".join(names))
    plan = ImportPlan()
    tables = {s.name: find_table(s) for s in book.sheets}
    plan.exported = book.description == EXPORT_MARK or any(
        t is not None and _EXPORT_HEADINGS <= {c.heading for cs in t.columns.values() for c in cs}
        for t in tables.values()
    )
    # A title's year serves the sheets without one of their own (a 民情日记's 9月, 10月 …); a sheet
    # named with its year (2025年12月, carried over) speaks only for itself.
    book_year = next(
        (
            y
            for s in book.sheets
            if words.year_named(s.name) is None
            and (y := _year_hint(s, tables[s.name], None)[0]) is not None
        ),
        None,
    )
    chosen = [s for s in book.sheets if tables[s.name] is not None]
    if plan.exported:
        chosen = _own_export_sheets(chosen, tables, village, township, only_sheet)
    elif only_sheet is not None:
        chosen = [s for s in chosen if s.name == only_sheet]
    if not chosen:
        if only_sheet is not None and tables.get(only_sheet) is None:
            raise BadInput("import_sheet_no_table", sheet=only_sheet)
        name, found, missing = _best_headings(book.sheets)
        if not found:
            raise BadInput("import_no_sheet")
        raise BadInput(
            "import_no_table",
            sheet=name,
            found="、".join(found[:12]),
            missing="、".join(SYNONYMS[f][0] if f != "content" else "反映事项" for f in missing)
            or "—",
        )
    known = set(categories) | set(DEFAULT_CATEGORIES)
    places: dict[str, tuple[str, int]] = {}  # uid -> (sheet, row) of its first row
    for sheet in chosen:
        table = tables[sheet.name]
        assert table is not None
        plan.sheets.append(sheet.name)
        plan.columns[sheet.name] = {f: cs[0].heading for f, cs in table.columns.items()}
        year, source = _year_hint(sheet, table, book_year)
        category = _sheet_category(sheet.name, known) if not table.has("category") else None
        context = _Context(
            sheet.name, table, today, calendar, village, year, source, category, plan.exported
        )
        for number, values, own in _data_rows(sheet, table, plan):
            if not own:
                continue
            plan.rows += 1
            reader = _Row(context, number, values, plan)
            item = reader.case()
            if item is None:
                continue
            if item.uid in places:
                first_sheet, first_row = places[item.uid]
                if first_sheet == sheet.name:
                    key = "import_duplicate_number" if item.number else "import_duplicate_row"
                    plan.problems.append(
                        Problem(
                            sheet.name,
                            number,
                            None,
                            key,
                            {"number": item.number or "", "other": first_row},
                        )  # fmt: skip
                    )
                    continue
                # the same case on a later sheet (a carried-over order): the later row wins
                plan.cases = [c for c in plan.cases if c.uid != item.uid]
                plan.skipped["repeated"] += 1
            places[item.uid] = (sheet.name, number)
            plan.cases.append(item)
    return plan


def _sheet_category(name: str, known: set[str]) -> str | None:
    """A sheet named after a category (基础设施类, 环境卫生) gives its rows that category."""
    cleaned = unicodedata.normalize("NFKC", name).strip()
    stem = re.sub(r"(类|问题|事项|类问题|类事项)$", "", cleaned)
    if stem in known or cleaned in known:
        return stem if stem in known else cleaned
    if cleaned.endswith("类") and 2 <= len(stem) <= 8 and not re.search(r"\d", stem):
        return stem
    return None


def _own_export_sheets(
    sheets: list[Sheet],
    tables: dict[str, Table | None],
    village: str,
    township: str,
    only_sheet: str | None,
) -> list[Sheet]:
    """In a workbook written by ``export``, the sheet of this village; any other village's sheet
    is refused unless ``--sheet`` picks this village's."""

    def ours(sheet: Sheet) -> bool:
        table = tables[sheet.name]
        title = _title_text(sheet, table) if table else ""
        if title:
            return f"{township}{village}" in title if township else village in title
        return sheet.name in (village, f"{township}{village}")

    mine = [s for s in sheets if ours(s)]
    others = [s.name for s in sheets if not ours(s)]
    if only_sheet is not None:
        picked = [s for s in sheets if s.name == only_sheet]
        if picked and not ours(picked[0]):
            raise BadInput("import_export_other_sheet", sheet=only_sheet, village=village)
        return picked
    if others:
        raise BadInput(
            "import_export_others",
            sheets="、".join(others),
            village=village,
            mine=mine[0].name if mine else village,
        )
    return mine


def _data_rows(
    sheet: Sheet, table: Table, plan: ImportPlan
) -> list[tuple[int, dict[str, list[Cell]], bool]]:
    """The rows under the headings with merged cells filled down; form rows (合计, footers, notes)
    counted and left out. ``own`` is False for a row that holds nothing of its own."""
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    for first_row, first_col, last_row, _ in sheet.merges:
        if first_row > table.last_header_row and last_row > first_row:
            for row in range(first_row + 1, last_row + 1):
                anchors[(row, first_col)] = (first_row, first_col)
    by_number = dict(sheet.rows)
    found = []
    for number, cells in sheet.rows:
        if number <= table.last_header_row:
            continue
        texts = [_text_of(c.value) for c in cells if not isinstance(c.value, int | float)]
        first = next((t for t in texts if t), "")
        kind = words.layout_row(texts)
        if kind is None and first.startswith((NOTE_MARK, "说明：", "说明:")):
            kind = "note"
        if kind is not None:
            plan.layout[kind] += 1
            continue
        values: dict[str, list[Cell]] = {}
        own = False
        for name, columns in table.columns.items():
            got = []
            for column in columns:
                cell = cells[column.index] if column.index < len(cells) else Cell(None, "n")
                if cell.value in (None, "") and (number, column.index + 1) in anchors:
                    row, col = anchors[(number, column.index + 1)]
                    source = by_number.get(row, [])
                    cell = source[col - 1] if col - 1 < len(source) else cell
                elif cell.value not in (None, "") and name not in _NOT_READ:
                    own = True
                got.append(cell)
            values[name] = got
        found.append((number, values, own))
    # Below the last row with a matter or a day: the form's end (a signature, a stamp, the date
    # it was filled in, spread over cells with no label), not rows the clerk forgot to finish.
    while found and found[-1][2] and not _has_own(found[-1], ("content", "title", "received_on")):
        found.pop()
        plan.layout["footer"] += 1
    return found


def _has_own(row: tuple[int, dict[str, list[Cell]], bool], names: tuple[str, ...]) -> bool:
    _, values, _ = row
    return any(
        c.value not in (None, "") and not (isinstance(c.value, str) and not c.value.strip())
        for name in names
        for c in values.get(name, [])
    )


@dataclass(frozen=True)
class _Context:
    sheet: str
    table: Table
    today: date
    calendar: WorkCalendar | None
    village: str
    year: int | None
    year_source: str
    category: str | None
    exported: bool


_DIGITS = re.compile(r"\d[\d\s\-－—]{5,}\d|\d{7,}")
_MASKED = re.compile(r"\d{2,4}[*＊xX×]{3,}\d{2,4}")
_SPLIT_PHONES = re.compile(r"[、/／,，;；]|(?<=\d)\s{2,}|(?<=\d)\s+(?=1[3-9]\d{9}\b)")


class _Row:
    """Reads one row's cells, noting each problem against its column."""

    def __init__(
        self, context: _Context, number: int, values: dict[str, list[Cell]], plan: ImportPlan
    ) -> None:
        self.ctx, self.number, self.values, self.plan = context, number, values, plan
        self.failed = False
        self.case_notes: list[str] = []
        self.marks: list[words.State] = []  # state words found in date cells

    # ----- cells

    def heading(self, name: str) -> str | None:
        columns = self.ctx.table.columns.get(name)
        return columns[0].heading if columns else None

    def problem(self, name: str | None, key: str, **params: Any) -> None:
        column = self.heading(name) if name else None
        self.plan.problems.append(Problem(self.ctx.sheet, self.number, column, key, params))
        self.failed = True

    def note(self, key: str, **params: Any) -> None:
        self.plan.notes.append(Note(self.ctx.sheet, self.number, key, params))

    def cells(self, name: str) -> list[Cell]:
        found = []
        for cell in self.values.get(name, []):
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            if cell.kind == "f":
                self.problem(name, "import_formula")
                continue
            found.append(cell)
        return found

    def cell(self, name: str) -> Cell | None:
        found = self.cells(name)
        return found[0] if found else None

    def _clean(self, name: str, value: Any) -> str | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime):
            value = value.date().isoformat()
        try:
            text = clean_text(str(value), name)
        except ShuoshiError as error:
            self.problem(name, error.key, **error.params)
            return None
        if text is None or (words.is_empty(text) and not self.ctx.exported):
            return None  # shuoshi's own export writes nothing for nothing: "-" there is text
        return text

    def text(self, name: str) -> str | None:
        cell = self.cell(name)
        return None if cell is None else self._clean(name, cell.value)

    def texts(self, name: str) -> list[str]:
        return [t for c in self.cells(name) if (t := self._clean(name, c.value))]

    def day(self, name: str, *, after: date | None = None) -> date | None:
        cell = self.cell(name)
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, bool):
            self.problem(name, "import_bad_date", value=str(value))
            return None
        if isinstance(value, int | float):
            if 20000 < value < 80000:  # an Excel serial date stored without a date format
                from openpyxl.utils.datetime import from_excel

                converted = from_excel(value)
                return converted.date() if isinstance(converted, datetime) else None
            if isinstance(value, float) and re.fullmatch(r"\d{1,2}\.\d{1,2}", str(value)):
                self.note("number_date")  # 9.8 typed into a number cell: month.day
                value = str(value)
            else:
                self.problem(name, "import_bad_date", value=str(value))
                return None
        text = drop_clock(str(value))
        if words.is_empty(text):
            return None
        if (said := words.state_of(text)) is not None:  # 已办结 written where the date goes
            self.marks.append(said)
            return None
        if name == "feedback_on" and words.satisfaction_of(text) is not None:
            return None
        try:
            day, assumed = happened_day(
                text, self.ctx.today, year=self.ctx.year, after=after if after else None
            )
        except ShuoshiError:
            self.problem(name, "import_bad_date", value=text[:40])
            return None
        if assumed is not None and after is None:
            self.note("year_assumed", year=assumed, source=self.ctx.year_source)
        return day

    # ----- fields

    def phone(self, anonymous: bool) -> str | None:
        cell = self.cell("phone")
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, bool):
            self.problem("phone", "bad_phone")
            return None
        if isinstance(value, int | float):
            digits = str(int(value)) if float(value).is_integer() else ""
            if re.fullmatch(r"1[3-9]\d{9}", digits):
                return None if anonymous else digits  # nothing was lost: a mobile has no 0
            self.problem("phone", "import_phone_number")
            return None
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if words.is_empty(text) or text in words.NO_PHONE:
            return None
        if _MASKED.search(text):
            self.note("masked_phone")
            return None
        if not re.search(r"\d", text):
            self.note("no_phone_text")
            return None
        parts = [p.strip() for p in _SPLIT_PHONES.split(text) if p and p.strip()]
        numbers: list[str] = []
        for part in parts:
            match = re.match(r"^(\D*?)\s*[:：]?\s*(\d[\d\s\-－—]*\d)\s*(\D*)$", part)
            if not match:
                if numbers:  # trailing words after the numbers
                    continue
                self.problem("phone", "bad_phone")
                return None
            relation = (match[1] or match[3]).strip(" :：()（）")
            if relation and relation not in ("本人", "手机", "电话", "座机"):
                self.case_notes.append(f"联系电话为{relation}的号码")
                self.note("relation_phone")
            numbers.append(self._digits(match[2]))
        if not numbers:
            return None
        try:
            first = clean_phone(numbers[0])
        except ShuoshiError:
            self.problem("phone", "bad_phone")
            return None
        if len(numbers) > 1:
            rest = "、".join(numbers[1:])
            if not anonymous:
                self.case_notes.append(f"另一联系电话：{rest}")
            self.note("second_phone")
        return None if anonymous else first

    @staticmethod
    def _digits(text: str) -> str:
        digits = re.sub(r"[\s\-－—]", "", text)
        if digits.startswith("0") and not re.fullmatch(r"1[3-9]\d{9}", digits):
            area = 3 if digits[:2] in ("01", "02") else 4
            return f"{digits[:area]}-{digits[area:]}" if len(digits) > area else digits
        return digits

    def choice(self, name: str, enum: Any, default: Any) -> Any:
        text = self.text(name)
        if text is None:
            return default
        try:
            return parse(enum, text, name)
        except ShuoshiError as error:
            self.problem(name, error.key, **error.params)
            return default

    def kind(self) -> Kind:
        return self._word("kind", words.kind_of, Kind, Kind.REQUEST)  # type: ignore[no-any-return]

    def channel(self) -> Channel:
        return self._word(  # type: ignore[no-any-return]
            "channel", words.channel_of, Channel, Channel.OTHER
        )

    def _word(self, name: str, known: Callable[[str], Any], enum: Any, default: Any) -> Any:
        """A kind or channel: the ledgers' own words, else a code or label; an unknown word is
        the default, with one note per distinct word (not a refusal)."""
        text = self.text(name)
        if text is None:
            return default
        found = known(text)
        if found is None:
            try:
                found = parse(enum, text, name)
            except ShuoshiError:
                self.note(f"unknown_{name}", word=text[:20])
                return default
        return found

    def satisfaction(self) -> Satisfaction | str | None:
        text = self.text("satisfaction")
        if text is None:
            return None
        found = words.satisfaction_of(text)
        if found is None:
            try:
                return parse(Satisfaction, text, "satisfaction")
            except ShuoshiError as error:
                self.problem("satisfaction", error.key, **error.params)
                return None
        return found

    def deadline(self, received: date | None) -> Deadline | None:
        cell = self.cell("deadline")
        if cell is None or received is None:
            return None
        heading = self.heading("deadline") or ""
        unit = "wd" if "工作日" in heading else "d" if re.search(r"天|日[)）]", heading) else None
        value = cell.value
        if isinstance(value, datetime):
            return Deadline(value.date())
        if isinstance(value, date):
            return Deadline(value)
        text = _text_of(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            if unit is None and 20000 < value < 80000:
                from openpyxl.utils.datetime import from_excel

                converted = from_excel(value)
                return Deadline(converted.date()) if isinstance(converted, datetime) else None
            if unit is None:
                self.problem("deadline", "import_bad_date", value=text[:40])
                return None
        if words.is_empty(text):
            return None
        try:
            found = read_deadline(text, received, self.ctx.calendar, unit=unit)
        except (BadDate, OverflowError):
            self.problem("deadline", "import_bad_date", value=text[:40])
            return None
        if found.day is None:
            self.note("deadline_text")
        elif found.relative:
            self.note("deadline_relative")
        return found

    # ----- the row

    def case(self) -> ImportedCase | None:
        ctx = self.ctx
        place = self.text("village")
        if place is not None and not is_this_village(place, ctx.village):
            self.plan.skipped["other_village"] += 1
            self.plan.other_villages[place[:20]] += 1
            return None
        status_text = self.text("status")
        state = words.state_of(status_text) if status_text else None
        if status_text and state is None and not ctx.exported:
            self.note("unknown_status", word=status_text[:20])
        if state == words.State.RETURNED:
            self.plan.skipped["returned"] += 1
            return None
        contents = self.texts("content")
        short = self.text("title")
        title = short or (contents[0] if contents else None)
        details = contents[1:] if short is None else contents
        detail_texts = details + self.texts("detail")

        def placeholder(text: str) -> bool:
            return not ctx.exported and bool(text.strip()) and words.is_placeholder(text)

        if title is not None and placeholder(title):
            self.plan.skipped["placeholder"] += 1
            return None
        if title is None:
            raw = self.values.get("content") or self.values.get("title") or []
            if any(placeholder(_text_of(c.value)) for c in raw):
                self.plan.skipped["placeholder"] += 1
                return None
            if not self.failed:
                self.problem("content" if ctx.table.has("content") else "title", "empty_field",
                             field="title")  # fmt: skip
        received = self.day("received_on")
        if received is None and not self.failed:
            self.problem("received_on", "import_missing_received")
        reporter = self.text("reporter")
        legacy_reporter = reporter
        remarks = self.texts("remarks")
        anonymous_text = (self.text("anonymous") or "").lower()
        if anonymous_text and anonymous_text not in _YES | _NO:
            self.problem("anonymous", "import_bad_yes_no", value=anonymous_text[:10])
        anonymous = anonymous_text in _YES
        if reporter and words.ANONYMOUS_NAMES.match(unicodedata.normalize("NFKC", reporter)):
            anonymous, reporter = True, None
        if ctx.exported:
            marks = {m for r in remarks for m in re.split(r"[；;]", r)}
            anonymous = anonymous or ("匿名" in marks and not reporter)
            remarks = []
        elif not reporter and any("匿名" in r for r in remarks) and self.cell("phone") is None:
            anonymous = True
        if anonymous and reporter:
            self.problem("anonymous", "anonymous_with_reporter")
        phone = self.phone(anonymous)
        for other in self.texts("respondent"):
            self.case_notes.append(f"被申请人：{other}")
        kind, channel = self.kind(), self.channel()
        category = self.text("category") or ctx.category
        owner = self.text("owner")
        level = self.choice("level", Level, Level.VILLAGE)
        due = self.deadline(received)

        # progress and result texts, with the state words some of them begin with
        plan_text = None
        progress: list[str] = []
        for text in self.texts("progress"):
            if text.startswith("列入计划："):
                plan_text = text.split("：", 1)[1] or "列入计划"
                continue
            said, rest = words.split_state(text)
            if ctx.exported and said is not None:
                state = state or said
                if "解释" in text:
                    progress.append("解释说明")
                continue
            if said is not None and state is None:
                state = said
            if rest:
                progress.append(rest)
        results = self.texts("result")
        outcome = self.choice("outcome", Outcome, None)
        closed_on = self.day("closed_on", after=received)
        satisfaction = self.satisfaction()
        feedback_on = self.day("feedback_on", after=closed_on or received)
        if self.failed or title is None or received is None:
            return None

        if state is None and self.marks:
            state = self.marks[0]
        said_all = " ".join([status_text or "", *results, *progress])
        handed = words.handed_on(said_all)
        explanation = "；".join(results) or "；".join(p for p in progress if p != "解释说明")
        if state == words.State.UNRESOLVED or handed:
            if explanation or handed:
                outcome = outcome if outcome == Outcome.EXPLAINED else Outcome.EXPLAINED
                state = words.State.CLOSED
                self.note("handed_on" if handed else "closed_explained")
                if not explanation:
                    explanation = status_text or ""
            elif closed_on is not None:  # answered, not resolved, no reason written
                outcome, state, explanation = (
                    Outcome.EXPLAINED,
                    words.State.CLOSED,
                    status_text or "",
                )
                results = [status_text or ""]
                self.note("closed_unresolved")
            else:
                state = words.State.OPEN
        closed = closed_on is not None or state == words.State.CLOSED
        if outcome is None and any("解释" in t for t in [status_text or "", *progress]):
            outcome = Outcome.EXPLAINED
        answer = satisfaction if isinstance(satisfaction, Satisfaction) else None
        if closed and closed_on is None:
            closed_on = received  # the day is unknown: the earliest it can have been
            self.note("closed_without_date")
        result: str | None = None
        if closed:
            result = "；".join(results) or "；".join(p for p in progress if p != "解释说明")
            result = result or (explanation if outcome == Outcome.EXPLAINED else "") or NO_RESULT
            if results and progress:
                self.case_notes.append("办理情况：" + "；".join(progress))
            if outcome in (None, Outcome.PLANNED):
                outcome = Outcome.RESOLVED
            if feedback_on is None and (answer is not None or satisfaction == words.NO_ANSWER):
                feedback_on = closed_on  # told (未评价: told, no answer), on a day not written
            if satisfaction == words.NOT_ASKED:
                feedback_on = None
        else:
            texts = [*progress, *results]
            if texts:
                self.case_notes.append("办理进展：" + "；".join(texts))
            if outcome == Outcome.PLANNED:
                plan_text = plan_text or (texts[0] if texts else "列入计划")
            elif outcome is not None:
                self.problem("closed_on", "import_closed_without_date")
            if answer is not None or feedback_on is not None:
                if state is None:
                    self.problem("closed_on", "import_closed_without_date")
                else:
                    self.note("open_answer_dropped")
            outcome = Outcome.PLANNED if plan_text else None
            answer, feedback_on = None, None
        if self.failed:
            return None
        detail = "\n".join(detail_texts) or None
        if due is not None and due.day is None:
            deadline_text = self.text("deadline") or ""
            detail = "\n".join(filter(None, [detail, f"（完成时限：{deadline_text}）"]))
        self.case_notes += [f"备注：{r}" for r in remarks]
        number = self.text("source_id")
        uid, also = self._identity(number, received, title, reporter, phone, legacy_reporter)
        parsed = due.parsed() if due is not None else None
        if parsed is None and due is not None and due.day is not None:
            parsed = ParsedDate(due.day)
        draft = NewCase(
            title=title, detail=detail, kind=kind, category=category, channel=channel,
            reporter=None if anonymous else reporter, phone=None if anonymous else phone,
            anonymous=anonymous, received_on=received, owner=owner, due=parsed,
        )  # fmt: skip
        past = PastCase(
            draft=draft, level=level, plan=plan_text if not closed else None,
            closed_on=closed_on if closed else None, outcome=outcome, result=result,
            feedback_on=feedback_on if closed else None, satisfaction=answer if closed else None,
            notes=tuple(self.case_notes),
        )  # fmt: skip
        item = ImportedCase(ctx.sheet, self.number, uid, past, also, number)
        try:
            # The row is what the clerk commands would have recorded: the same rules decide.
            register_past(item.past, case_id=0, uid=item.uid, today=ctx.today, source="")
        except ShuoshiError as error:
            name = {"content": "content"}.get(error.field or "", error.field)
            if name == "title" and not ctx.table.has("title"):
                name = "content"
            self.problem(name, error.key, **error.params)
            return None
        return item

    def _identity(
        self,
        number: str | None,
        received: date,
        title: str,
        reporter: str | None,
        phone: str | None,
        legacy_reporter: str | None,
    ) -> tuple[str, tuple[str, ...]]:
        """The row's uid: from its case number when the table has one, else from its content;
        plus the uids earlier versions gave it (with 序号 in the identity), to find it again."""
        village = self.ctx.village
        content = [village, "", received.isoformat(), title, reporter or "", phone or ""]
        if number:
            uid = str(uuid.uuid5(_NAMESPACE, "\x1f".join([village, "no", number])))
        else:
            uid = str(uuid.uuid5(_NAMESPACE, "\x1f".join(content)))
        older = []
        serials = [c for c in self.values.get("serial", []) if c.kind != "f"]
        serial = _text_of(serials[0].value) if serials else None
        for source in (number, serial):
            if source:
                old = [village, source, received.isoformat(), title, legacy_reporter or "",
                       phone or ""]  # fmt: skip
                older.append(str(uuid.uuid5(_NAMESPACE, "\x1f".join(old))))
        return uid, tuple(u for u in older if u != uid)


# ---------------------------------------------------------------- against the ledger


def _was(
    case: Case, item: ImportedCase, history: Callable[[int], list[HistoryEntry]] | None
) -> bool:
    """Whether an exported row numbered with ``case``'s id is that case: its title and received
    date are the case's, now or before a correction (``edit`` after the export)."""
    titles, days = {case.title}, {case.received_on.isoformat()}
    title, received = item.past.draft.title, item.past.draft.received_on
    if history is not None and (case.title != title or case.received_on != received):
        for entry in history(case.id):
            name = entry.field.removeprefix("correct:")
            values = {v for v in (entry.old, entry.new) if v}
            if name == "title":
                titles |= values
            elif name == "received_on":
                days |= values
    return title in titles and received is not None and received.isoformat() in days


def match(
    plan: ImportPlan,
    cases: list[Case],
    *,
    today: date,
    history: Callable[[int], list[HistoryEntry]] | None = None,
) -> None:
    """Sort the plan's rows into new, unchanged, changed (the row says more now) and differing
    (the row says something else); a change the rules would refuse is a problem of its row.

    In a workbook this ledger exported (its village's sheet, ``plan.exported``), 编号 is the
    case's id: a row is that case when its title and received date are the case's, or were
    before a correction recorded in ``history``."""
    by_uid = {c.uid: c for c in cases}
    by_id = {c.id: c for c in cases}
    for item in plan.cases:
        found = by_uid.get(item.uid) or next((by_uid[u] for u in item.also if u in by_uid), None)
        if found is None and plan.exported and item.number and item.number.isdigit():
            own = by_id.get(int(item.number))
            if own is not None and _was(own, item, history):
                found = own  # the ledger's own case, in a workbook it exported
        if found is None:
            plan.new.append(item)
            continue
        try:
            steps, differs = update_past(found, item.past, today=today)
        except ShuoshiError as error:
            heading = plan.columns.get(item.sheet, {}).get(error.field or "")
            plan.problems.append(Problem(item.sheet, item.row, heading, error.key, error.params))
            continue
        what = tuple(dict.fromkeys(c.field for changes, _ in steps for c in changes))
        if steps:
            plan.changed.append(Changed(item, found.id, what, tuple(differs)))
        else:
            plan.unchanged.append(item)
            if differs:
                plan.differs.append(Changed(item, found.id, (), tuple(differs)))
