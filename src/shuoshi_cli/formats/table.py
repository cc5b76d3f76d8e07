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


def _tokens(paragraph: str) -> list[str]:
    """Where a line may break: between any two Chinese characters, and at spaces; a run of
    other characters (a number, a date, a phone, an English word) stays whole."""
    tokens: list[str] = []
    word = ""
    for char in paragraph:
        if char == " " or cell_width(char) == 2:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells, keeping line breaks it already
    has. Numbers and words are never split: one longer than ``width`` gets a line of its own."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for token in _tokens(paragraph):
            size = cell_width(token)
            if used + size > width and line:
                lines.append(line.rstrip())
                line, used = "", 0
                if token == " ":
                    continue
            line += token
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
        widths, gap = self._fit(width)
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
                lines.append(gap.join(parts).rstrip())
        return "\n".join(lines)

    def _fit(self, width: int | None) -> tuple[list[int], str]:
        """Column widths and the gap between columns for a screen ``width`` cells wide.

        Each column starts at its widest line. Text columns are then narrowed, the widest first:
        down to what their heading needs and ten cells (five Chinese characters); if that is not
        enough the gap shrinks to one space; then down to MIN_TEXT_WIDTH. Columns that do not
        wrap keep their width: if the table still does not fit, the line is left long.
        """
        body = ([[c.heading for c in self.columns]] if self.show_header else []) + self.rows
        natural = [
            max((cell_width(line) for row in body for line in row[n].split("\n")), default=0)
            for n in range(len(self.columns))
        ]
        widths = list(natural)
        if width is None:
            return widths, GAP
        soft = [min(natural[n], max(10, cell_width(c.heading))) for n, c in enumerate(self.columns)]
        hard = [min(natural[n], MIN_TEXT_WIDTH) for n in range(len(self.columns))]
        gap = GAP
        for floor in (soft, None, hard):
            if floor is None:
                gap = " "
                continue
            room = width - len(gap) * (len(widths) - 1)
            while sum(widths) > room:
                candidates = [
                    n
                    for n, column in enumerate(self.columns)
                    if column.wrap and widths[n] > floor[n]
                ]
                if not candidates:
                    break
                widths[max(candidates, key=lambda n: widths[n])] -= 1
            if sum(widths) <= room:
                break
        return widths, gap


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
