"""Plain-text tables that line up Chinese text, fit the terminal and never cut a number.

On a terminal a table is a title line, a heading row and its rows in columns two spaces apart,
fitted to the window: text columns wrap onto more lines (a title column keeps its ``min_width``),
headings may switch to their short form, and columns of numbers, dates and codes (``wrap=False``)
keep their full width; if even that does not fit the line is left long rather than cut. A table
that declares a ``narrow`` form (several smaller tables) is drawn that way when its rows do not
fit on one line each.

Piped into a file or another program (``render(None)``) a table is plain tab-separated text: one
heading row (unless the table has none), then one line a row with every value in full, no title
and no padding, so ``grep``, ``awk -F'\\t'``, ``cut`` and spreadsheets read it. A tab or line break
inside a value becomes a space there.

Written for shuoshi instead of using rich: drawing a clerk's list with rich cost more than the
rest of the command (about 0.1 s for a few hundred rows).
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Any

GAP = "  "
SEPARATOR = "\t"  # between the cells of a piped row
MIN_TEXT_WIDTH = 6  # a wrapped text column keeps at least this many cells (three Chinese)
SOFT_WIDTH = 10  # text columns are first narrowed only down to this (five Chinese characters)

# A line never starts with closing punctuation nor ends with opening punctuation (the usual
# Chinese typesetting rule): such marks stay with the character they belong to.
_OPENING = frozenset("（《“‘〔【「『〈")
_CLOSING = frozenset("）》”’〕】」』〉，。、；：！？…,.;:!?)]}%")


def cell_width(text: str) -> int:
    """How many terminal cells ``text`` takes: Chinese and other wide characters take two."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _tokens(paragraph: str) -> list[str]:
    """Where a line may break: between two Chinese characters and at spaces. A run of other
    characters (a number, a date, a phone, an English word) stays whole, and so does a number
    with the character after it (``4天``, ``1号``); punctuation stays with its neighbour."""
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
    joined: list[str] = []
    glue = False  # the previous token must be followed without a break
    for token in tokens:
        previous = joined[-1] if joined else ""
        attach = bool(previous) and previous != " " and token != " "
        after_number = "0" <= previous[-1:] <= "9" and token not in _OPENING
        closing = token[:1] in _CLOSING
        numbered = previous[-1:] in "〕）】" and "0" <= token[:1] <= "9"  # 〔2026〕5号
        if attach and (glue or closing or numbered or (after_number and cell_width(token) == 2)):
            joined[-1] += token
        else:
            joined.append(token)
        glue = token in _OPENING
    return joined


def _word_tokens(paragraph: str, width: int) -> list[str]:
    """Where a line may break in ``words`` mode: at spaces and before an opening bracket
    (``已办结`` | ``（已解决）``); a piece wider than ``width`` breaks as usual."""
    tokens: list[str] = []
    for n, word in enumerate(paragraph.split(" ")):
        if n:
            tokens.append(" ")
        for piece in _BEFORE_BRACKET.split(word):
            if piece:
                tokens += _tokens(piece) if cell_width(piece) > width else [piece]
    return tokens


_BEFORE_BRACKET = re.compile(r"(?=[（(])")


def wrap(text: str, width: int, words: bool = False) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells, keeping line breaks it already
    has. Numbers and words are never split: one longer than ``width`` gets a line of its own.
    With ``words`` a line breaks only at spaces and before brackets, unless a word is itself
    too long."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for token in _word_tokens(paragraph, width) if words else _tokens(paragraph):
            size = cell_width(token)
            if used + size > width:
                if line.strip():
                    lines.append(line.rstrip())
                line, used = "", 0  # (leading spaces that would push a token over go too)
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
    min_width: int = MIN_TEXT_WIDTH  # a wrapped column is never narrower (cells)
    short: str | None = None  # the heading on a terminal too narrow for the table
    words: bool = False  # wrap only at spaces when the words fit (a state: ``在办 超期4天``)
    want: int = SOFT_WIDTH  # narrowed below this only when the gap is already one space


@dataclass
class Table:
    """A title, headed columns and rows of text; ``render`` draws it for a given width."""

    title: str = ""
    show_header: bool = True
    columns: list[Column] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    narrow: list[Table] = field(default_factory=list)  # drawn instead when this does not fit

    def add_column(
        self,
        heading: str = "",
        *,
        wrap: bool = True,
        right: bool = False,
        min_width: int = MIN_TEXT_WIDTH,
        short: str | None = None,
        words: bool = False,
        want: int = SOFT_WIDTH,
    ) -> None:
        self.columns.append(Column(heading, wrap, right, min_width, short, words, want))

    def add_row(self, *cells: Any) -> None:
        self.rows.append(["" if cell is None else str(cell) for cell in cells])

    def render(self, width: int | None = None) -> str:
        """The table on a terminal ``width`` cells wide, or as tab-separated text (None: piped)."""
        if width is None:
            return self.tsv()
        if self.narrow and not self.fits(width):
            return "\n\n".join(part.render(width) for part in self.narrow)
        headings = [c.heading for c in self.columns]
        if not self._natural_fits(headings, width):
            headings = [c.short or c.heading for c in self.columns]
        widths, gap = self._fit(width, headings)
        lines = [self.title] if self.title else []
        body = ([headings] if self.show_header else []) + self.rows
        for row in body:
            cells = [
                wrap(text, widths[n], column.words) if column.wrap else [text]
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

    def tsv(self) -> str:
        """Tab-separated: the heading row, then one line a row, every value whole."""
        body = ([[c.heading for c in self.columns]] if self.show_header else []) + self.rows
        return "\n".join(SEPARATOR.join(_one_line(text) for text in row) for row in body)

    def fits(self, width: int) -> bool:
        """Whether every row fits on one line ``width`` cells wide (short headings allowed)."""
        return self._natural_fits([c.short or c.heading for c in self.columns], width)

    def _natural(self, headings: list[str]) -> list[int]:
        body = ([headings] if self.show_header else []) + self.rows
        return [
            max((cell_width(line) for row in body for line in row[n].split("\n")), default=0)
            for n in range(len(self.columns))
        ]

    def _natural_fits(self, headings: list[str], width: int) -> bool:
        natural = self._natural(headings)
        return sum(natural) + len(GAP) * (len(natural) - 1) <= width

    def _fit(self, width: int, headings: list[str]) -> tuple[list[int], str]:
        """Column widths and the gap between columns for a screen ``width`` cells wide.

        Each column starts at its widest line. Text columns are then narrowed, the one with the
        most to spare above its floor first, in steps: down to what each column ``want``s (and
        its heading needs) with a gap of two spaces; the same with one space; down to
        SOFT_WIDTH; then down to each column's ``min_width``. No column is narrowed below its
        widest unbreakable run, and columns that do not wrap keep their width: if the table
        still does not fit, the line is left long.
        """
        natural = self._natural(headings)
        widths = list(natural)
        body = ([headings] if self.show_header else []) + self.rows
        whole = [  # the widest run that cannot break (a number, a word): no column is narrower
            max(
                (cell_width(t) for row in body for t in _tokens(row[n].replace("\n", " "))),
                default=0,
            )
            if c.wrap
            else natural[n]
            for n, c in enumerate(self.columns)
        ]

        def floor(least: Any, heading: bool = True) -> list[int]:
            return [
                min(natural[n], max(least(c), cell_width(headings[n]) if heading else 0, whole[n]))
                if c.wrap
                else natural[n]
                for n, c in enumerate(self.columns)
            ]

        steps = (
            (GAP, floor(lambda c: max(c.want, c.min_width))),
            (" ", floor(lambda c: max(c.want, c.min_width))),
            (" ", floor(lambda c: max(SOFT_WIDTH, c.min_width))),
            (" ", floor(lambda c: c.min_width, heading=False)),  # headings wrap too
        )
        for gap, least in steps:
            widths = list(natural)
            room = width - len(gap) * (len(widths) - 1)
            while sum(widths) > room:
                candidates = [n for n, c in enumerate(self.columns) if widths[n] > least[n]]
                if not candidates:
                    break
                widths[max(candidates, key=lambda n: (widths[n] - least[n], widths[n]))] -= 1
            if sum(widths) <= room:
                break
        return widths, gap


def _one_line(text: str) -> str:
    """A value for a tab-separated line: its own tabs and line breaks become spaces."""
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


class Screen:
    """Where tables and lines are printed: stdout or stderr, fitted to the terminal if it is one."""

    def __init__(self, stderr: bool = False) -> None:
        self.stream = sys.stderr if stderr else sys.stdout
        self.tables = 0  # printed so far: the next one is set off by a blank line

    @property
    def is_terminal(self) -> bool:
        return self.stream.isatty()

    @property
    def width(self) -> int | None:
        if not self.is_terminal:
            return None
        return shutil.get_terminal_size((80, 24)).columns

    def print(self, item: Table | str = "") -> None:
        if isinstance(item, Table):
            text = ("\n" if self.tables else "") + item.render(self.width)
            self.tables += 1
        else:
            text = str(item)
        self.stream.write(text + "\n")
