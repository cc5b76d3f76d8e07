"""Supervision letters (督办函): one editable .docx per village that has overdue cases.

The township office edits and prints them, so they are plain Word documents (python-docx) on A4 with
the letter number, the date, the overdue list and a reply deadline. Letters name no reporter, and
phone or ID numbers inside titles are masked: letters get passed around. Existing files are never
overwritten (someone may have edited them); each letter is written whole or not at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from shuoshi_cli.core.errors import BadInput, IOFailure
from shuoshi_cli.core.figures import OverdueItem, OverdueReport
from shuoshi_cli.core.privacy import mask_numbers
from shuoshi_cli.store.atomic import replace_atomically

FONT = "仿宋"
TITLE_FONT = "黑体"


@dataclass(frozen=True)
class WrittenLetter:
    village: str
    number: str
    path: Path


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _style(run: Any, size: float, font: str = FONT, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _paragraph(
    doc: Any, text: str, size: float = 16, align: Any = None, bold: bool = False, font: str = FONT
) -> Any:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    _style(paragraph.add_run(text), size, font, bold)
    return paragraph


def letter_document(
    village: str,
    township: str,
    number: str,
    items: list[OverdueItem],
    as_of: date,
    reply_by: date,
    today: date,
) -> Any:
    """The letter as a python-docx Document (not yet saved)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(28)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    _paragraph(doc, "督 办 函", 22, WD_ALIGN_PARAGRAPH.CENTER, True, TITLE_FONT)
    _paragraph(doc, number, 16, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, f"{village}：", 16)
    body = (
        f"根据群众说事事项台账月度检查，截至{_cn_date(as_of)}，你村（社区）有以下{len(items)}件"
        f"群众反映事项已超过完成时限仍未办结。请高度重视，逐件落实领办责任人，"
        f"于{_cn_date(reply_by)}前办结销号，并将办理情况书面回复{township}。"
    )
    paragraph = _paragraph(doc, body, 16)
    paragraph.paragraph_format.first_line_indent = Pt(32)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, heading in zip(
        table.rows[0].cells,
        ("序号", "编号", "反映事项", "领办责任人", "完成时限", "超期天数"),
        strict=True,
    ):
        cell.text = ""
        _style(cell.paragraphs[0].add_run(heading), 12, bold=True)
    for n, item in enumerate(items, start=1):
        case = item.case
        values = (
            str(n),
            str(case.id),
            mask_numbers(case.title),
            case.owner or "（未指定）",
            case.deadline.isoformat() if case.deadline else "",
            str(item.days),
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _style(cell.paragraphs[0].add_run(value), 12)
    _paragraph(doc, "")
    _paragraph(doc, "特此督办。", 16).paragraph_format.first_line_indent = Pt(32)
    _paragraph(doc, "")
    _paragraph(doc, f"{township}人民政府", 16, WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, _cn_date(today), 16, WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def write_letters(
    report: OverdueReport,
    ledgers: list[Any],
    folder: str | os.PathLike[str],
    prefix: str | None,
    first: int,
    reply_by: date,
    today: date,
) -> list[WrittenLetter]:
    """One letter per village with overdue cases, numbered in village order from ``first``."""
    if reply_by < today:
        raise BadInput("reply_before_today", value=reply_by.isoformat())
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise IOFailure("os_error", path=str(target), reason=error.strerror or str(error)) from None
    townships = {info.village: info.township for info in ledgers}
    by_village: dict[str, list[OverdueItem]] = {}
    for item in report.cases:
        by_village.setdefault(item.village, []).append(item)
    plans = []
    for n, village in enumerate(sorted(by_village), start=first):
        township = townships.get(village, "")
        head = prefix if prefix is not None else f"{township}督〔{today.year}〕"
        number = f"{head}{n}号"
        path = target / f"督办函_{n:03d}_{village}.docx"
        if path.exists():
            raise BadInput("letter_exists", path=str(path))
        plans.append((village, township, number, path))
    written = []
    for village, township, number, path in plans:
        items = by_village[village]
        doc = letter_document(village, township, number, items, report.scope.as_of, reply_by, today)
        replace_atomically(path, doc.save)
        written.append(WrittenLetter(village, number, path))
    return written
