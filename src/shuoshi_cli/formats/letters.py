"""Supervision letters (督办函): one editable .docx per village with cases overdue and still open.

The township office edits and prints them, so they are plain Word documents (python-docx) on A4 with
the letter number, the date, the overdue list and a reply deadline (SPEC 5).

- Which cases: those overdue at D (the day the list is taken at) that are still open on the
  letter's date, as they stand now: a case closed since D, or voided, is demanded of nobody. A
  case now handled at township or county level is listed under its own heading with the office
  handling it, not demanded of the village.
- Which village: a village is its county + township + village, so two 新村 in two townships get
  two letters, each from and signed by its own township.
- Which number: each township numbers its own series, ``{township}督〔{year}〕N号`` by default
  (the year of the letter's date). ``--prefix`` is a template with the same two placeholders; one
  without ``{township}`` would mix two townships' series, so it is refused when the letters come
  from more than one. N continues after the highest number of that prefix already used: recorded
  in any ledger read (``supervise --letter``) or carried by a letter already in the folder (its
  file name, or its document identifier if it was renamed), so running twice never issues a
  number twice. ``--first`` overrides the start for one township's letters, never onto a number
  already used.

Letters name no reporter: the reporter's name in a title is cut to the surname, phone and ID
numbers are masked (letters get passed around). Existing files are never overwritten (someone may
have edited them); each letter is written whole or not at all. The document's properties name the
township as author and carry the time it was written, not python-docx's template.
"""

from __future__ import annotations

import os
import re
import string
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from shuoshi_cli.core.case import Case, LedgerInfo
from shuoshi_cli.core.codes import Level
from shuoshi_cli.core.errors import BadInput, IOFailure
from shuoshi_cli.core.figures import OverdueItem
from shuoshi_cli.core.privacy import mask_name, mask_numbers
from shuoshi_cli.store.atomic import create_new

FONT = "仿宋"
TITLE_FONT = "黑体"
DEFAULT_PREFIX = "{township}督〔{year}〕"
PLACEHOLDERS = frozenset({"township", "year"})
# Headings of the cases handed up, by level (in the letter's order).
HANDED_UP = {Level.TOWNSHIP: "已上报乡镇办理", Level.COUNTY: "已上报县级办理"}
_NOT_IN_FILE_NAMES = str.maketrans(dict.fromkeys('\\/:*?"<>|', "_"))
_DC = "{http://purl.org/dc/elements/1.1/}"

# What the sweep reads of each ledger (store.sweep.letters_work): the overdue list as it stood at
# D, each case overdue at D as it stands now (with its days overdue at D), the letter numbers.
LedgerLetters = tuple[list[OverdueItem], list[OverdueItem], list[str]]


@dataclass(frozen=True)
class Row:
    """A case as one line of a letter."""

    id: int
    title: str
    owner: str | None
    deadline: date | None  # the deadline in force at D, the one the letter says was missed
    days: int  # days overdue at D
    level: Level


@dataclass(frozen=True)
class Letter:
    """One letter, numbered and placed, not yet written."""

    county: str
    township: str
    village: str
    number: str
    path: Path
    rows: tuple[Row, ...]

    @property
    def demanded(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.level == Level.VILLAGE)

    def handed_up(self, level: Level) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.level == level)


@dataclass(frozen=True)
class WrittenLetter:
    county: str
    township: str
    village: str
    number: str
    path: Path
    cases: tuple[int, ...]  # demanded of the village
    handed_up: tuple[int, ...]  # handled at township or county level, listed for information


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


def _indented(doc: Any, text: str, bold: bool = False) -> Any:
    paragraph = _paragraph(doc, text, 16, bold=bold)
    paragraph.paragraph_format.first_line_indent = Pt(32)
    return paragraph


def _table(doc: Any, rows: Sequence[Row], who: str) -> None:
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    headings = ("序号", "编号", "反映事项", who, "完成时限", "超期天数")
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = ""
        _style(cell.paragraphs[0].add_run(heading), 12, bold=True)
    for n, row in enumerate(rows, start=1):
        values = (
            str(n),
            str(row.id),
            row.title,
            row.owner or "（未指定）",
            row.deadline.isoformat() if row.deadline else "",
            str(row.days),
        )
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _style(cell.paragraphs[0].add_run(value), 12)


def _properties(doc: Any, letter: Letter, written_at: datetime) -> None:
    """The document's own properties: the township's, dated when written (python-docx's template
    says author "python-docx", created 2013-12-23)."""
    props = doc.core_properties
    office = f"{letter.township}人民政府"
    props.author = props.last_modified_by = office
    props.created = props.modified = written_at
    props.title = f"督办函 {letter.number}"
    props.subject = f"{letter.county}{letter.township}{letter.village}"
    props.identifier = letter.number  # how a later run knows the number if the file is renamed
    props.category = "督办函"
    props.keywords = "督办函"
    props.comments = ""
    props.language = "zh-CN"
    props.revision = 1


def letter_document(
    letter: Letter, as_of: date, reply_by: date, today: date, written_at: datetime
) -> Any:
    """The letter as a python-docx Document (not yet saved)."""
    doc = Document()
    _properties(doc, letter, written_at)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(28)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    township = letter.township
    _paragraph(doc, "督 办 函", 22, WD_ALIGN_PARAGRAPH.CENTER, True, TITLE_FONT)
    _paragraph(doc, letter.number, 16, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, f"{letter.village}：", 16)
    demanded = letter.demanded
    handed_up = [(level, letter.handed_up(level)) for level in HANDED_UP]
    handed_up = [(level, rows) for level, rows in handed_up if rows]
    if demanded:
        _indented(
            doc,
            f"根据群众说事事项台账月度检查，截至{_cn_date(as_of)}，你村（社区）有以下{len(demanded)}件"
            f"群众反映事项已超过完成时限仍未办结。请高度重视，逐件落实领办责任人，"
            f"于{_cn_date(reply_by)}前办结销号，并将办理情况书面回复{township}人民政府。",
        )
        _table(doc, demanded, "领办责任人")
    else:
        _indented(
            doc,
            f"根据群众说事事项台账月度检查，截至{_cn_date(as_of)}，你村（社区）群众反映的以下事项"
            f"已超过完成时限仍未办结，现由上级部门办理。请你村配合做好跟踪和群众解释工作，"
            f"于{_cn_date(reply_by)}前将跟踪情况书面回复{township}人民政府。",
        )
    if demanded and handed_up:
        _indented(
            doc,
            "另有以下事项已上报上级，由承办单位办理，不要求你村办结；请你村配合做好跟踪，"
            "及时向群众反馈办理进展。",
        )
    for level, rows in handed_up:
        _indented(doc, f"{HANDED_UP[level]}（{len(rows)}件）", bold=True)
        _table(doc, rows, "承办单位")
    _paragraph(doc, "")
    _indented(doc, "特此督办。")
    _paragraph(doc, "")
    _paragraph(doc, f"{township}人民政府", 16, WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, _cn_date(today), 16, WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


# ---------------------------------------------------------------- numbers


def _plain(text: str) -> str:
    """A letter number as compared: full-width digits and letters folded (NFKC), no spaces, and
    the characters a file name cannot hold as in file names."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).translate(_NOT_IN_FILE_NAMES)


def number_in(text: str, prefix: str) -> int | None:
    """N if ``text`` (a letter number, or a file name starting with one) is ``prefix`` + N."""
    head = _plain(prefix)
    plain = _plain(text)
    if not head or not plain.startswith(head):
        return None
    found = re.match(r"[0-9]+", plain[len(head) :])
    return int(found.group()) if found else None


def prefix_of(template: str | None, township: str, year: int) -> str:
    """The township's letter number prefix from the ``--prefix`` template (or the default)."""
    try:
        return (template or DEFAULT_PREFIX).format(township=township, year=year)
    except (KeyError, IndexError, ValueError, AttributeError):
        raise BadInput("bad_prefix", prefix=template) from None


def _fields(template: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        raise BadInput("bad_prefix", prefix=template) from None


def _identifier(path: Path) -> str | None:
    """The number a letter written by shuoshi carries in its properties (dc:identifier)."""
    try:
        with zipfile.ZipFile(path) as package:
            if package.getinfo("docProps/core.xml").file_size > 1 << 20:
                return None
            root = ElementTree.fromstring(package.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    node = root.find(f"{_DC}identifier")
    return node.text if node is not None and node.text else None


def numbers_in_folder(folder: Path) -> list[str]:
    """What the letters already in the folder say of their numbers: each .docx's name (a letter
    is saved as ``NUMBER_VILLAGE.docx``) and, in case it was renamed, its identifier."""
    if not folder.is_dir():
        return []
    found: list[str] = []
    try:
        with os.scandir(folder) as entries:
            paths = [Path(e.path) for e in entries if e.name.lower().endswith(".docx")]
    except OSError as error:
        raise IOFailure("os_error", path=str(folder), reason=error.strerror or str(error)) from None
    for path in sorted(paths):
        found.append(path.stem)
        identifier = _identifier(path)
        if identifier:
            found.append(identifier)
    return found


def _file_name(number: str, village: str) -> str:
    name = f"{number}_{village}".translate(_NOT_IN_FILE_NAMES).strip(" .")
    return f"{name}.docx"


# ---------------------------------------------------------------- planning and writing


def _row(now: OverdueItem, at_d: OverdueItem | None) -> Row:
    case: Case = now.case
    title = mask_numbers(case.title)
    reporter = (case.reporter or "").strip()
    if len(reporter) >= 2:
        title = title.replace(reporter, mask_name(reporter))
    deadline = at_d.case.deadline if at_d is not None else case.deadline
    return Row(case.id, title, case.owner, deadline, now.days, case.level)


def _still_open(case: Case) -> bool:
    return case.is_open and not case.is_void


def plan_letters(
    ledgers: Iterable[tuple[LedgerInfo, LedgerLetters]],
    folder: Path,
    prefix: str | None,
    first: int | None,
    today: date,
) -> list[Letter]:
    """The letters to write, numbered, in county, township, village order; refused whole (nothing
    written) if the prefix or ``first`` cannot number them without mixing series or reusing a
    number."""
    fields = _fields(prefix) if prefix is not None else {"township"}
    if prefix is not None and (not prefix.strip() or not fields <= PLACEHOLDERS):
        raise BadInput("bad_prefix", prefix=prefix)
    villages: dict[tuple[str, str, str], list[Row]] = {}
    recorded: list[str] = []
    for info, (items, now, numbers) in ledgers:
        recorded += numbers
        at_d = {item.case.id: item for item in items}
        rows = [_row(item, at_d.get(item.case.id)) for item in now if _still_open(item.case)]
        if rows:
            villages.setdefault((info.county, info.township, info.village), []).extend(rows)
    if not villages:
        return []
    townships = sorted({(county, township) for county, township, _ in villages})
    names = "、".join(township for _, township in townships)
    if "township" not in fields and len(townships) > 1:
        raise BadInput("prefix_needs_township", count=len(townships), townships=names)
    if first is not None and len(townships) > 1:
        raise BadInput("first_needs_one_township", count=len(townships), townships=names)
    used = recorded + numbers_in_folder(folder)
    heads = {key: prefix_of(prefix, key[1], today.year) for key in townships}
    following: dict[str, int] = {}
    for head in set(heads.values()):
        last = max((n for text in used if (n := number_in(text, head)) is not None), default=0)
        following[head] = last + 1
        if first is not None:
            if first <= last:
                raise BadInput(
                    "letter_number_used",
                    prefix=head,
                    first=first,
                    last=last,
                    next=last + 1,
                    folder=str(folder),
                )
            following[head] = first
    letters = []
    for (county, township, village), rows in sorted(villages.items()):
        head = heads[(county, township)]
        number = f"{head}{following[head]}号"
        following[head] += 1
        path = folder / _file_name(number, village)
        if path.exists():
            raise BadInput("letter_exists", path=str(path))
        rows.sort(key=lambda r: (-r.days, r.id))
        letters.append(Letter(county, township, village, number, path, tuple(rows)))
    return letters


def write_letters(
    ledgers: Iterable[tuple[LedgerInfo, LedgerLetters]],
    as_of: date,
    folder: str | os.PathLike[str],
    prefix: str | None,
    first: int | None,
    reply_by: date,
    today: date,
    written_at: datetime | None = None,
) -> list[WrittenLetter]:
    """Write one letter per village with cases overdue at ``as_of`` and still open (module doc);
    none if any of them could not be numbered or placed."""
    if reply_by < today:
        raise BadInput("reply_before_today", value=reply_by.isoformat())
    target = Path(folder)
    letters = plan_letters(ledgers, target, prefix, first, today)
    if not letters:
        return []
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise IOFailure("os_error", path=str(target), reason=error.strerror or str(error)) from None
    stamp = (written_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    written = []
    for letter in letters:
        doc = letter_document(letter, as_of, reply_by, today, stamp)
        create_new(letter.path, doc.save, "letter_exists")
        written.append(
            WrittenLetter(
                letter.county,
                letter.township,
                letter.village,
                letter.number,
                letter.path,
                tuple(r.id for r in letter.demanded),
                tuple(r.id for r in letter.rows if r.level != Level.VILLAGE),
            )
        )
    return written
