"""Plain-text tables that line up Chinese text, fit the terminal and never cut a number.

A table is drawn as columns separated by two spaces under a title line and a heading row. On a
terminal it is fitted to the window: text columns wrap onto more lines, columns of numbers, dates
and codes (``wrap=False``) keep their full width, and if even that does not fit the line is left
long rather than cut. Piped into a file or another program each row stays on one line, with no
box drawing or colour, so ``grep`` and spreadsheets read it.

Written for shuoshi instead of using rich: drawing a clerk's list with rich cost more than the
rest of the command (about 0.1 s for a few hundred rows).
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Any

GAP = "  "
MIN_TEXT_WIDTH = (
    6  # a wrapped text column keeps at least this many cells (three Chinese characters)
)


def cell_width(text: str) -> int:
    """How many terminal cells ``text`` takes: Chinese and other wide characters take two."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells (at any character: Chinese has no
    spaces to break at), keeping line breaks it already has."""
    lines: list[str] = []
    for paragraph in text.split("\n") or [""]:
        line, used = "", 0
        for char in paragraph:
            size = cell_width(char)
            if used + size > width and line:
                lines.append(line.rstrip())
                line, used = "", 0
                if char == " ":
                    continue
            line += char
            used += size
        lines.append(line)
    return lines or [""]


@dataclass
class Column:
    heading: str
    wrap: bool = True  # text that may wrap; False for numbers, dates and codes, never cut
    right: bool = False  # right-aligned (figures)


@dataclass
class Table:
    """A title, headed columns and rows of text; ``render`` draws it for a given width."""

    title: str = ""
    show_header: bool = True
    columns: list[Column] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    def add_column(self, heading: str = "", *, wrap: bool = True, right: bool = False) -> None:
        self.columns.append(Column(heading, wrap, right))

    def add_row(self, *cells: Any) -> None:
        self.rows.append(["" if cell is None else str(cell) for cell in cells])

    def render(self, width: int | None = None) -> str:
        """The table as text; ``width`` the terminal's columns, or None for no limit (pipes)."""
        widths = self._fit(width)
        lines = [self.title] if self.title else []
        body = ([[c.heading for c in self.columns]] if self.show_header else []) + self.rows
        for row in body:
            cells = [
                wrap(text, widths[n]) if column.wrap else [text]
                for n, (column, text) in enumerate(zip(self.columns, row, strict=True))
            ]
            for depth in range(max(len(c) for c in cells)):
                parts = []
                for n, column in enumerate(self.columns):
                    text = cells[n][depth] if depth < len(cells[n]) else ""
                    pad = " " * max(widths[n] - cell_width(text), 0)
                    parts.append(pad + text if column.right else text + pad)
                lines.append(GAP.join(parts).rstrip())
        return "\n".join(lines)

    def _fit(self, width: int | None) -> list[int]:
        """Column widths: each column's widest line, text columns narrowed (widest first) until
        the table fits ``width``."""
        body = ([[c.heading for c in self.columns]] if self.show_header else []) + self.rows
        widths = [
            max((cell_width(line) for row in body for line in row[n].split("\n")), default=0)
            for n in range(len(self.columns))
        ]
        if width is None:
            return widths
        room = width - len(GAP) * (len(widths) - 1)
        while sum(widths) > room:
            candidates = [
                n
                for n, column in enumerate(self.columns)
                if column.wrap and widths[n] > MIN_TEXT_WIDTH
            ]
            if not candidates:
                break  # numbers and dates are never cut: the line is left long
            widest = max(candidates, key=lambda n: widths[n])
            widths[widest] -= 1
        return widths


class Screen:
    """Where tables and lines are printed: stdout or stderr, fitted to the terminal if it is one."""

    def __init__(self, stderr: bool = False) -> None:
        self.stream = sys.stderr if stderr else sys.stdout

    @property
    def width(self) -> int | None:
        if not self.stream.isatty():
            return None
        return shutil.get_terminal_size((80, 24)).columns

    def print(self, item: Table | str = "") -> None:
        text = item.render(self.width) if isinstance(item, Table) else str(item)
        self.stream.write(text + "\n")
