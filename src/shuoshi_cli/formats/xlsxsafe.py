"""Opening a spreadsheet someone else made, safely.

Before any XML is parsed: the file is recognised by its first bytes (an old ``.xls``, an encrypted
workbook, a CSV or something else gets its own explanation), and an ``.xlsx`` must stay under 50 MiB
uncompressed with no member compressed more than 100:1 (zip bombs). openpyxl then parses the XML
through defusedxml (entity expansion and external entities refused), in read-only mode.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shuoshi_cli.core.errors import BadInput, IOFailure, NotFound, ShuoshiError

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Cell:
    """A cell's value and what Excel says it is (openpyxl's data_type: s, n, d, b, f, e)."""

    value: Any
    kind: str
    number_format: str = "General"


def check_file(path: Path) -> None:
    """Refuse, with the reason a clerk can act on, anything that is not a safe .xlsx."""
    if not path.exists():
        raise NotFound("path_missing", path=str(path))
    if path.is_dir():
        raise BadInput("import_is_dir", path=str(path))
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head.startswith(_OLE):
                handle.seek(0)
                if _ENCRYPTED_MARK in handle.read(4 * 1024 * 1024):
                    raise BadInput("xlsx_encrypted", path=path.name)
                raise BadInput("xls_old_format", path=path.name)
    except OSError as error:
        raise IOFailure("os_error", path=path.name, reason=error.strerror or str(error)) from None
    if not head.startswith(_ZIP):
        if _looks_like_text(path):
            raise BadInput("csv_not_xlsx", path=path.name)
        raise BadInput("not_xlsx", path=path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError):
        raise BadInput("not_xlsx", path=path.name) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise BadInput("not_xlsx", path=path.name)
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise BadInput("xlsx_too_big", path=path.name, size=total // (1024 * 1024))
    for member in members:
        if member.file_size and (
            member.compress_size == 0 or member.file_size / member.compress_size > MAX_RATIO
        ):
            raise BadInput("xlsx_bomb", path=path.name)


def _looks_like_text(path: Path) -> bool:
    try:
        sample = path.read_bytes()[:4096]
    except OSError:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return "\x00" not in text and ("," in text or "\t" in text or "\n" in text)
    return False


Rows = list[tuple[int, list[Cell]]]
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (1-based)


@dataclass(frozen=True)
class Sheet:
    """One sheet: its non-empty rows and its merged ranges (a talk day over its matters)."""

    name: str
    rows: Rows
    merges: tuple[Merge, ...] = ()


@dataclass(frozen=True)
class Book:
    """A workbook as read: its sheets and the description the program that wrote it left."""

    sheets: list[Sheet]
    description: str = ""


def read_book(path: Path) -> Book:
    """Every sheet with its merged ranges, after ``check_file``."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a declared dependency
        raise IOFailure("os_error", path=path.name, reason="defusedxml is not installed")
    check_file(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a malformed package
        raise BadInput("not_xlsx", path=path.name) from None
    try:
        sheets = [
            Sheet(name, rows, _merges_of(workbook[name], path))
            for name, rows in _rows_of(workbook, path)
        ]
        description = str(getattr(workbook.properties, "description", "") or "")
    finally:
        workbook.close()
    return Book(sheets, description)


def _merges_of(sheet: Any, path: Path) -> tuple[Merge, ...]:
    """The sheet's merged ranges, read from its XML (read-only sheets do not keep them)."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.functions import iterparse

    found: list[Merge] = []
    try:
        with sheet._get_source() as source:
            for _, element in iterparse(source):
                if element.tag.endswith("}mergeCell"):
                    bounds = range_boundaries(element.get("ref"))
                    first_col, first_row, last_col, last_row = (int(b or 0) for b in bounds)
                    found.append((first_row, first_col, last_row, last_col))
                element.clear()
    except Exception:  # noqa: BLE001 - damaged XML was refused when the rows were read
        raise BadInput("not_xlsx", path=path.name) from None
    return tuple(found)


def _rows_of(workbook: Any, path: Path) -> Iterator[tuple[str, list[tuple[int, list[Cell]]]]]:
    """The rows of every sheet; damaged sheet XML is refused as one clear error."""
    try:
        for sheet in workbook.worksheets:
            rows: list[tuple[int, list[Cell]]] = []
            for number, row in enumerate(sheet.iter_rows(), start=1):
                cells = [
                    Cell(
                        c.value,
                        getattr(c, "data_type", "n") or "n",
                        getattr(c, "number_format", "General"),
                    )
                    for c in row
                ]
                if any(c.value not in (None, "") for c in cells):
                    rows.append((number, cells))
            yield sheet.title, rows
    except ShuoshiError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl meets broken XML in many ways
        raise BadInput("not_xlsx", path=path.name) from None
