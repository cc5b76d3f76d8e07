"""The month's Excel ledger (SPEC 5): summary, one sheet per village, and the supervision list.

Written in openpyxl's write-only mode (rows streamed, so a county-sized month fits in memory) to a
temporary file that is renamed into place only when complete. Every text cell is forced to be text:
a villager's ``=HYPERLINK(...)`` stays a string, never a formula; control characters Excel cannot
store are shown as ``�`` and text over Excel's 32,767-character limit is cut with a visible marker.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties

from shuoshi_cli.core.codes import Kind, Level, Status, label
from shuoshi_cli.core.figures import (
    Figures,
    OverdueReport,
    Scope,
    ScopedCase,
    Tally,
    figures_of,
    overdue_report,
    tally_of,
    tenths,
)
from shuoshi_cli.core.lateness import closed_late, days_overdue, is_overdue
from shuoshi_cli.core.privacy import mask_numbers, public_reporter
from shuoshi_cli.store.atomic import replace_atomically

EXCEL_MAX = 32767
CUT_MARK = "…［超长已截断］"
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TITLE_FONT = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class VillageMonth:
    """One village's cases for the workbook."""

    village: str
    township: str
    cases: list[ScopedCase]


def safe_text(value: str) -> str:
    """Text Excel can hold: illegal control characters made visible, over-long text cut visibly."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if len(text) > EXCEL_MAX:
        text = text[: EXCEL_MAX - len(CUT_MARK)] + CUT_MARK
    return text


def display_width(text: str) -> int:
    """Columns a text takes in Excel: CJK characters count double.

    From the UTF-8 length, at C speed (CJK is 3 bytes and 2 columns, ASCII 1 and 1): the workbook
    measures every long text it writes.
    """
    return (len(text.encode("utf-8")) + len(text)) // 2


class _Sheet:
    """A write-only sheet with a title, a heading row, sized columns and A4 landscape printing."""

    def __init__(
        self, workbook: Workbook, name: str, title: str, subtitle: str, header: str
    ) -> None:
        self.ws = workbook.create_sheet(title=name)
        self.title = title
        self.subtitle = subtitle
        self.ws.oddHeader.center.text = header
        self.ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = 9  # A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.ws.print_title_rows = "3:3"
        self.ws.print_options.gridLines = True  # data cells carry no borders: cheaper to write
        self.ws.freeze_panes = "A4"

    def cell(
        self, value: Any, *, wrap: bool = False, fmt: str | None = None, bold: bool = False
    ) -> Any:
        if isinstance(value, str):
            cell = WriteOnlyCell(self.ws, value=safe_text(value))
            cell.data_type = "s"  # never a formula, whatever the text starts with
        else:
            cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
        if fmt is not None:
            cell.number_format = fmt
        cell.border = _BORDER
        cell.alignment = _WRAP if wrap else Alignment(vertical="top")
        if bold:
            cell.font = _HEAD_FONT
        return cell

    def write(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[Any]],
        wrap: set[int],
        formats: dict[int, str] | None = None,
        bold_last: bool = False,
    ) -> None:
        """Widths first (write-only sheets need them before any row), then title, headings, rows."""
        formats = formats or {}
        for index, heading in enumerate(headings):
            widest = max(
                [display_width(heading)] + [display_width(_shown(r[index])) for r in rows[:500]]
            )
            letter = _column_letter(index + 1)
            self.ws.column_dimensions[letter].width = min(
                max(widest + 2, 6), 40 if index in wrap else 24
            )
        title = WriteOnlyCell(self.ws, value=safe_text(self.title))
        title.data_type = "s"
        title.font = _TITLE_FONT
        self.ws.append([title])
        subtitle = WriteOnlyCell(self.ws, value=safe_text(self.subtitle))
        subtitle.data_type = "s"
        self.ws.append([subtitle])
        heads: list[Any] = []
        for heading in headings:
            cell = self.cell(heading, bold=True)
            cell.fill = _HEAD_FILL
            cell.alignment = _CENTER
            heads.append(cell)
        self.ws.append(heads)
        widths = {i: self.ws.column_dimensions[_column_letter(i + 1)].width for i in wrap}
        last = len(rows) - 1
        for number, row in enumerate(rows):
            if formats or (bold_last and number == last):
                bold = bold_last and number == last
                cells = [
                    self.cell(v, wrap=i in wrap, fmt=formats.get(i), bold=bold)
                    for i, v in enumerate(row)
                ]
            else:
                cells = [self.plain(v, widths.get(i)) for i, v in enumerate(row)]
            self.ws.append(cells)

    def plain(self, value: Any, wrap_width: float | None) -> Any:
        """A data cell as cheaply as openpyxl allows: a bare value unless the text needs care.

        Text that openpyxl would take for a formula (leading ``=``) is forced to be text; text
        wider than its column wraps. Dates are real dates either way (openpyxl formats them).
        """
        if not isinstance(value, str):
            return value
        text = safe_text(value)
        needs_wrap = wrap_width is not None and display_width(text) > wrap_width
        if not text.startswith("=") and not needs_wrap:
            return text
        cell = WriteOnlyCell(self.ws, value=text)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if needs_wrap:
            cell.alignment = _WRAP
        return cell


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return "2026-10-31"
    if isinstance(value, float):
        return "100.0%"
    return str(value)


def sheet_name(name: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "村"
    clean = clean[:31]
    candidate, n = clean, 2
    while candidate.lower() in used:
        suffix = f"({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


# ---------------------------------------------------------------- the three kinds of sheet

SUMMARY_HEADINGS = (
    "村（社区）", "在办结转", "本月受理", "应办总数", "已销号", "销号率", "已反馈", "反馈率",
    "满意(含基本满意)", "满意率", "平均办结天数", "按时办结率", "超期未办结", "超期办结", "上报乡镇及以上",
    "督办件数", "已解决", "已解决占比", "列入计划或在办", "列入计划或在办占比", "已解释说明", "已解释说明占比",
)  # fmt: skip
_RATE_COLUMNS = {5, 7, 9, 11, 17, 19, 21}


def _summary_row(name: str, f: Figures) -> list[Any]:
    def rate(value: float | None) -> Any:
        return "—" if value is None else value

    outcomes = f.outcomes
    # Shares rounded so the three shown (0.0%) add up to exactly 100.0% (SPEC 4).
    shown = tenths([outcomes[k].share for k in ("resolved", "planned_or_open", "explained")])
    resolved, planned, explained = (None if v is None else round(v / 100, 3) for v in shown)
    return [
        name, f.carried_over, f.received, f.total, f.closed, rate(f.closeout_rate), f.feedback,
        rate(f.feedback_rate), f.satisfied, rate(f.satisfaction_rate),
        "—" if f.avg_days_to_close is None else round(f.avg_days_to_close, 1),
        rate(f.ontime_rate), f.overdue, f.closed_late, f.escalated, f.supervised,
        outcomes["resolved"].count, rate(resolved),
        outcomes["planned_or_open"].count, rate(planned),
        outcomes["explained"].count, rate(explained),
    ]  # fmt: skip


VILLAGE_HEADINGS = (
    "序号", "编号", "受理日期", "反映人", "联系电话", "反映事项", "类型", "类别", "渠道", "说事活动",
    "领办责任人", "完成时限", "办理层级", "办理情况", "办理结果", "办结日期", "是否超期", "超期天数",
    "督办情况", "反馈情况", "满意度", "备注",
)  # fmt: skip
_PHONE_COLUMN = VILLAGE_HEADINGS.index("联系电话")
_VILLAGE_WRAP = {
    VILLAGE_HEADINGS.index(h) for h in ("反映事项", "办理情况", "办理结果", "督办情况")
}


def _handling(case: Any, public: bool) -> str:
    """办理情况: where the case stands at D."""
    text: str
    if case.status == Status.CLOSED:
        text = f"已办结（{label(case.outcome)}）" if case.outcome else "已办结"
    elif case.plan:
        text = f"列入计划：{case.plan}"
    elif case.level != Level.VILLAGE:
        text = f"已上报{label(case.level)}办理"
    else:
        text = "办理中" if case.owner else "待指派"
    return mask_numbers(text) if public else text


def _village_row(number: int, item: ScopedCase, as_of: date, public: bool) -> list[Any]:
    case = item.case
    overdue = is_overdue(case, as_of)
    if overdue:
        flag, days = "是", days_overdue(case, as_of)
    elif closed_late(case) and case.closed_on is not None and case.deadline is not None:
        flag, days = "超期办结", (case.closed_on - case.deadline).days
    else:
        flag, days = "否", None
    letters = "；".join(
        f"{s.sent_on.isoformat()} {s.letter}"
        + (f"，限{s.deadline.isoformat()}" if s.deadline else "")
        for s in case.supervisions
    )
    if case.feedback_on is not None:
        feedback: Any = case.feedback_on
    else:
        feedback = "未反馈" if case.status == Status.CLOSED else ""
    remarks = []
    if item.carried:
        remarks.append("上月结转")
    if case.anonymous and not public:
        remarks.append("匿名")
    title = mask_numbers(case.title) if public else case.title
    result = (mask_numbers(case.result) if public else case.result) if case.result else ""
    reporter = public_reporter(case) if public else (case.reporter or "")
    return [
        number, case.id, case.received_on, reporter, "" if public else (case.phone or ""), title,
        label(case.kind), case.category or "", label(case.channel), case.session,
        case.owner or "", case.deadline, label(case.level), _handling(case, public), result,
        case.closed_on, flag, days, letters, feedback, label(case.satisfaction), "；".join(remarks),
    ]  # fmt: skip


def village_headings(public: bool) -> list[str]:
    """The village-sheet columns; the public ledger has no phone column at all."""
    return [h for i, h in enumerate(VILLAGE_HEADINGS) if not (public and i == _PHONE_COLUMN)]


def village_rows(village: VillageMonth, scope: Scope, public: bool) -> Iterator[list[Any]]:
    """One row per case of the village's month, matching ``village_headings(public)``."""
    for number, item in enumerate(village.cases, start=1):
        row = _village_row(number, item, scope.as_of, public)
        yield row[:_PHONE_COLUMN] + row[_PHONE_COLUMN + 1 :] if public else row


SUPERVISION_HEADINGS = (
    "序号", "村", "编号", "反映事项", "领办责任人", "原完成时限", "超期天数", "督办日期", "督办函号",
    "新完成时限", "回复日期", "回复情况", "督办结果",
)  # fmt: skip


def _supervision_rows(
    items: list[ScopedCase], overdue: OverdueReport, scope: Scope, public: bool
) -> list[list[Any]]:
    """Overdue cases at D, and cases that got a letter this month, one row each."""
    rows: list[list[Any]] = []
    listed: set[tuple[str, int]] = set()
    chosen = [(o.village, o.case) for o in overdue.cases]
    chosen += [
        (i.village, i.case)
        for i in items
        if any(s.sent_on >= scope.start for s in i.case.supervisions)
        and not is_overdue(i.case, scope.as_of)
    ]
    for village, case in chosen:
        if (village, case.id) in listed:
            continue
        listed.add((village, case.id))
        latest = case.supervisions[-1] if case.supervisions else None
        if case.status == Status.CLOSED:
            outcome = "已办结"
        elif latest is None:
            outcome = "待督办"
        elif is_overdue(case, scope.as_of):
            outcome = "再次督办"
        else:
            outcome = "延期" if latest.deadline else "督办中"
        original = latest.previous_deadline if latest else case.deadline
        rows.append([
            len(rows) + 1, village, case.id, mask_numbers(case.title) if public else case.title,
            case.owner or "", original, days_overdue(case, scope.as_of) or None,
            latest.sent_on if latest else None, latest.letter if latest else "",
            latest.deadline if latest else None, None, "", outcome,
        ])  # fmt: skip
    return rows


# ---------------------------------------------------------------- the workbook


def write_workbook(
    path: str | os.PathLike[str],
    villages: list[VillageMonth],
    scope: Scope,
    *,
    public: bool = False,
) -> Path:
    """Write the month's workbook to ``path`` atomically; return the path written."""
    target = Path(path)
    items = [c for v in villages for c in v.cases]
    towns = sorted({v.township for v in villages if v.township})
    place = "、".join(towns) if towns else ""
    month = f"{scope.start.year}年{scope.start.month}月"
    header = f"{place} {month} 群众说事台账" + ("（公示版）" if public else "")
    subtitle = f"统计截至 {scope.as_of.isoformat()}；应办总数 = 在办结转 + 本月受理"
    workbook = Workbook(write_only=True)
    used: set[str] = set()

    summary = _Sheet(
        workbook, sheet_name("汇总表", used), f"{place}{month}群众说事事项汇总表", subtitle, header
    )
    tallies = [tally_of(v.cases, scope.as_of) for v in villages]
    rows = [_summary_row(v.village, figures_of(t)) for v, t in zip(villages, tallies, strict=True)]
    rows.append(_summary_row("合计", figures_of(sum(tallies, Tally()))))
    summary.write(
        SUMMARY_HEADINGS,
        rows,
        wrap=set(),
        formats=dict.fromkeys(_RATE_COLUMNS, PERCENT_FORMAT),
        bold_last=True,
    )
    if villages:
        chart = BarChart()
        chart.type = "col"
        chart.title = "各村销号率"
        chart.y_axis.title = "销号率"
        chart.y_axis.numFmt = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        first, last = 4, 3 + len(villages)
        data = Reference(summary.ws, min_col=6, min_row=3, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(summary.ws, min_col=1, min_row=first, max_row=last))
        chart.height, chart.width = 8, 16
        summary.ws.add_chart(chart, f"A{last + 4}")

    headings = village_headings(public)
    wrap = {i if not public or i < _PHONE_COLUMN else i - 1 for i in _VILLAGE_WRAP}
    for village in villages:
        sheet = _Sheet(
            workbook, sheet_name(village.village, used), f"{village.township}{village.village}{month}群众说事台账",
            subtitle, header,
        )  # fmt: skip
        sheet.write(headings, list(village_rows(village, scope, public)), wrap=wrap)

    overdue = overdue_report(items, scope)
    listing = _Sheet(
        workbook, sheet_name("督办清单", used), f"{place}{month}超期事项督办清单", subtitle, header
    )
    listing.write(
        SUPERVISION_HEADINGS, _supervision_rows(items, overdue, scope, public), wrap={3, 11}
    )
    return replace_atomically(target, lambda temp: workbook.save(temp))


# ---------------------------------------------------------------- CSV and the import template


def csv_safe(value: Any) -> str:
    """A CSV field that Excel or WPS will not run: text starting = + - @ tab or CR gets a quote mark."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def write_csv(
    path: str | os.PathLike[str],
    villages: list[VillageMonth],
    scope: Scope,
    *,
    public: bool = False,
) -> Path:
    """Every in-scope case, one row each with its village, as UTF-8 CSV with a BOM (for Excel)."""
    import csv
    import io

    target = Path(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["村（社区）", *village_headings(public)])
    for village in villages:
        for row in village_rows(village, scope, public):
            cells = [csv_safe(v) for v in row]
            if not public and cells[_PHONE_COLUMN]:
                # A leading tab keeps Excel from turning 13800000000 into 1.38E+10.
                cells[_PHONE_COLUMN] = "\t" + cells[_PHONE_COLUMN]
            writer.writerow([csv_safe(village.village), *cells])
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return replace_atomically(target, lambda temp: _write_bytes(temp, data))


def write_template(path: str | os.PathLike[str]) -> Path:
    """The import template: the usual headings, an explanation row, text-formatted phone column."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from shuoshi_cli.core.codes import LABELS, Channel, Outcome, Satisfaction
    from shuoshi_cli.formats.importer import NOTE_MARK, SYNONYMS, TEMPLATE_FIELDS, TEMPLATE_NOTES

    target = Path(path)
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "台账"
    headings = [SYNONYMS[f][0] for f in TEMPLATE_FIELDS]
    ws.append(headings)
    notes = [TEMPLATE_NOTES.get(f, "") for f in TEMPLATE_FIELDS]
    notes[0] = f"{NOTE_MARK}：{notes[0]}"
    ws.append(notes)
    for index, field_name in enumerate(TEMPLATE_FIELDS, start=1):
        letter = _column_letter(index)
        head = ws.cell(row=1, column=index)
        head.font, head.fill, head.border, head.alignment = _HEAD_FONT, _HEAD_FILL, _BORDER, _CENTER
        note = ws.cell(row=2, column=index)
        note.font = Font(italic=True, color="808080")
        note.alignment = _WRAP
        width = 30 if field_name in ("title", "detail", "result") else 16
        ws.column_dimensions[letter].width = width
        fmt = (
            "@"
            if field_name == "phone"
            else DATE_FORMAT
            if field_name.endswith("_on") or field_name == "deadline"
            else None
        )
        if fmt:
            for row in range(3, 1003):
                ws.cell(row=row, column=index).number_format = fmt
    choices = {
        "kind": [LABELS[k][0] for k in Kind],
        "channel": [LABELS[c][0] for c in Channel],
        "level": [LABELS[v][0] for v in Level],
        "outcome": [LABELS[Outcome.RESOLVED][0], LABELS[Outcome.EXPLAINED][0]],
        "satisfaction": [LABELS[s][0] for s in Satisfaction],
        "anonymous": ["是", "否"],
    }
    for field_name, values in choices.items():
        letter = _column_letter(TEMPLATE_FIELDS.index(field_name) + 1)
        rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        rule.add(f"{letter}3:{letter}1002")
        ws.add_data_validation(rule)
    ws.freeze_panes = "A3"
    return replace_atomically(target, lambda temp: workbook.save(temp))


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)
