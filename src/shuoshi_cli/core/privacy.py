"""Masking for public ledgers (SPEC 7; docs/domain.md, "Personal data").

A public ledger keeps every case but never shows a phone, ID or bank card number, the detail text,
or any trace of an anonymous or complaint reporter; other reporters appear as surname + ``*``.

Numbers are found however they were typed: villagers write ``360925 19900101 1234``,
``138-0000-0000`` or ``6222 0212 3456 7890 123`` as often as the bare digits. A run of digit groups
joined by spaces or dashes is read as a whole, and any stretch of whole groups whose digits form a
mobile, a landline with its area code, an ID number (15 or 18, the last maybe X) or a card number
(16-19 digits) is masked, longest first, as is any unbroken run of 7 or more digits. Dates are the
one thing a stretch may not cut into or swallow (``2026-11-30 13800000000`` keeps its date, and
``2026-11-30 2026-12-05`` is two dates, not a 16-digit card), unless the stretch is an ID number
whose birth date was typed as one (``360925 1990-01-01 1234``); the price is that a number typed
so that a piece of it reads as a date (``139-2026-1-123``) is left as that date. Times (``13:00``),
counts and short runs that make none of these numbers stay as they are.

Names: a reporter's full name is masked wherever it appears in the ledger's text, to surname +
``*``, and to nothing at all if that person reported anonymously or complained anywhere in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from shuoshi_cli.core.case import Case
from shuoshi_cli.core.codes import Kind

# Two-character surnames that must be kept whole (张* would be wrong for 欧阳娜娜).
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 轩辕 令狐 钟离 端木 百里 呼延 "
    "独孤 南宫 西门 万俟 闻人 澹台 公冶 太史 申屠 第五".split()
)
# What clerks write in the reporter field when nobody gave a name: not a person's name, so not
# masked out of every text ("村民反映" must not become "村*反映").
GENERIC_REPORTERS = frozenset(
    "村民 群众 游客 居民 农户 匿名 某某 未留名 不详 未知 无名 本人 家属 多名村民 群众代表".split()
)
MASK = "***"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ANY_DIGIT = re.compile("[0-9０-９]")

# What may stand between the digit groups of one number: spaces (also no-break and ideographic)
# and dashes of every width, up to three of them ("138 - 0000 - 0000").
_SEPARATORS = " \u00a0\u3000-\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"
_SEP = "[" + re.escape(_SEPARATORS) + "]"
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2212\uff0d")
# A run of digit groups joined by separators, maybe ending in an ID number's X (not a word's).
_CHUNK = re.compile(rf"[0-9]+(?:{_SEP}{{1,3}}[0-9]+)*(?:{_SEP}{{0,3}}[Xx](?![A-Za-z]))?")
_GROUP = re.compile(r"[0-9]+|[Xx]")
_MAX_DIGITS = 20  # the longest number looked for (+86 and a mobile, a card, an ID) and then some

_MOBILE = re.compile(r"(?:0{0,2}86)?1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}")  # area code and number: 10-12 digits
_LONG_NUMBER = re.compile(r"[0-9]{15,19}|[0-9]{17}[Xx]")  # IDs and bank cards
_ID18 = re.compile(
    r"(?P<province>[1-9][0-9])[0-9]{4}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx]"
)
# GB/T 2260 province codes: an 18-digit run that starts with one and holds a birth date is an ID
# number even when its birth date was typed as a date.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91".split()
)


def _is_number(digits: str) -> bool:
    return bool(
        _LONG_NUMBER.fullmatch(digits) or _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits)
    )


def _is_id_number(digits: str) -> bool:
    match = _ID18.fullmatch(digits)
    return match is not None and match.group("province") in _PROVINCES


def _date_units(groups: list[tuple[int, int, str]], chunk: str) -> list[tuple[int, int]]:
    """Group index ranges (first, last) that are dates typed with dashes: 2026-11-30, 2026-11."""
    units: list[tuple[int, int]] = []
    k = 0
    while k < len(groups) - 1:
        size = _date_at(groups, chunk, k)
        if size:
            units.append((k, k + size - 1))
            k += size
        else:
            k += 1
    return units


def _date_at(groups: list[tuple[int, int, str]], chunk: str, k: int) -> int:
    """How many groups from ``k`` make a year-month(-day) date, 0 if they do not."""
    year = groups[k][2]
    if len(year) != 4 or not year.isdigit() or not 1900 <= int(year) <= 2099:
        return 0
    size = 1
    for limit in (12, 31):
        if k + size >= len(groups):
            break
        start, _, text = groups[k + size]
        between = chunk[groups[k + size - 1][1] : start]
        if not (text.isdigit() and len(text) <= 2 and 1 <= int(text) <= limit):
            break
        if len(between) != 1 or between not in _DASHES:
            break
        size += 1
    return size if size > 1 else 0


def _mask_chunk(chunk: str) -> str:
    groups = [(m.start(), m.end(), m.group()) for m in _GROUP.finditer(chunk)]
    if len(groups) == 1:
        return MASK if len(chunk) >= 7 else chunk
    in_date = [False] * len(groups)
    for first, last in _date_units(groups, chunk):
        in_date[first : last + 1] = [True] * (last - first + 1)
    candidates: list[tuple[int, int, int]] = []  # (-digits, first group, last group)
    for i, (_, _, text) in enumerate(groups):
        if len(text) >= 7 and text.isdigit():
            candidates.append((-len(text), i, i))  # an unbroken run, whatever it is
        digits, crosses = "", False
        for j in range(i, len(groups)):
            digits += groups[j][2]
            crosses = crosses or in_date[j]
            if len(digits) > _MAX_DIGITS:
                break
            if j > i and _is_number(digits) and (not crosses or _is_id_number(digits)):
                # A date is never cut into or swallowed by anything but an ID number.
                candidates.append((-len(digits), i, j))
    taken = [False] * len(groups)
    spans = []
    for _, i, j in sorted(candidates):  # longest first, then leftmost
        if not any(taken[i : j + 1]):
            taken[i : j + 1] = [True] * (j - i + 1)
            spans.append((i, j))
    out, at = [], 0
    for i, j in sorted(spans):
        out.append(chunk[at : groups[i][0]])
        out.append(MASK)
        at = groups[j][1]
    out.append(chunk[at:])
    return "".join(out)


def mask_numbers(text: str) -> str:
    """Hide ID, phone and bank card numbers (and any other run of 7+ digits) inside free text,
    also when typed with spaces or dashes; dates, times and counts stay."""
    if not _ANY_DIGIT.search(text):
        return text
    text = text.translate(_FULLWIDTH_DIGITS)
    return _CHUNK.sub(lambda m: _mask_chunk(m.group()), text)


def mask_name(name: str) -> str:
    """Surname + ``*``: 张三 -> 张*, 欧阳娜娜 -> 欧阳*."""
    name = name.strip()
    if not name:
        return ""
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2] + "*"
    return name[0] + "*"


def is_hidden_reporter(case: Case) -> bool:
    """An anonymous or complaint reporter: no trace of them in anything public (信访工作条例)."""
    return case.anonymous or case.kind == Kind.COMPLAINT


def public_reporter(case: Case) -> str:
    """What a notice board may show of who raised a case: nothing for anonymous or complaints."""
    if is_hidden_reporter(case) or not case.reporter:
        return ""
    return mask_name(case.reporter)


@dataclass(frozen=True)
class PublicText:
    """What a public ledger shows of any text: numbers masked and reporters' names masked.

    Built once for a whole export from every case in it, so a name is masked wherever it appears,
    in its own case's title and result and in any other case's text or column.
    """

    names: dict[str, str]  # full name -> what is shown instead ("" for a hidden reporter)
    pattern: re.Pattern[str] | None

    def __call__(self, text: str) -> str:
        text = mask_numbers(text)
        if self.pattern is None:
            return text
        # Removing a hidden name can join two halves into another name: repeat until stable.
        for _ in range(4):
            masked = self.pattern.sub(lambda m: self.names[m.group()], text)
            if masked == text:
                break
            text = masked
        return text


def public_text(cases: Iterable[Case]) -> PublicText:
    """The masking of a public export of ``cases`` (see ``PublicText``)."""
    names: dict[str, str] = {}
    for case in cases:
        name = (case.reporter or "").strip()
        if len(name) < 2 or name in GENERIC_REPORTERS:
            continue  # a one-character "name" would blank that character everywhere
        if is_hidden_reporter(case):
            names[name] = ""
        else:
            names.setdefault(name, mask_name(name))
    if not names:
        return PublicText({}, None)
    # One branch per first character, longest name first within it: the regex engine rejects a
    # position on its first character, so thousands of names cost little more than a few.
    by_first: dict[str, list[str]] = {}
    for name in names:
        by_first.setdefault(name[0], []).append(name[1:])
    branches = []
    for first, rests in sorted(by_first.items()):
        longest_first = sorted(rests, key=len, reverse=True)
        branches.append(re.escape(first) + "(?:" + "|".join(map(re.escape, longest_first)) + ")")
    return PublicText(names, re.compile("|".join(branches)))
