"""Masking for public ledgers (SPEC 7; docs/domain.md, "Personal data").

A public ledger keeps every case but never shows a phone or ID number, the detail text, or any trace
of an anonymous or complaint reporter; other reporters appear as surname + ``*``. Phone and ID
numbers that villagers wrote into titles or results are masked too.
"""

from __future__ import annotations

import re

from shuoshi_cli.core.case import Case
from shuoshi_cli.core.codes import Kind

# Two-character surnames that must be kept whole (张* would be wrong for 欧阳娜娜).
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 轩辕 令狐 钟离 端木 百里 呼延 "
    "独孤 南宫 西门 万俟 闻人 澹台 公冶 太史 申屠 第五".split()
)

# ID numbers (18 or 15 digits), mobiles and landlines, however they are spaced or dashed, and not
# part of a longer run of digits (a 20-digit account number is left to the next rule).
_ID = re.compile(
    r"(?<![0-9０-９])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![0-9０-９])"
)
_ID15 = re.compile(r"(?<![0-9０-９])[1-9]\d{14}(?![0-9０-９])")
_MOBILE = re.compile(r"(?<![0-9０-９])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![0-9０-９])")
_LANDLINE = re.compile(r"(?<![0-9０-９])0\d{2,3}[\s-]?\d{7,8}(?![0-9０-９])")
_LONG_DIGITS = re.compile(r"\d{7,}")
MASK = "***"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def mask_numbers(text: str) -> str:
    """Hide ID and phone numbers (and any other run of 7+ digits) inside free text."""
    text = text.translate(_FULLWIDTH_DIGITS)
    for pattern in (_ID, _ID15, _MOBILE, _LANDLINE, _LONG_DIGITS):
        text = pattern.sub(MASK, text)
    return text


def mask_name(name: str) -> str:
    """Surname + ``*``: 张三 -> 张*, 欧阳娜娜 -> 欧阳*."""
    name = name.strip()
    if not name:
        return ""
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2] + "*"
    return name[0] + "*"


def public_reporter(case: Case) -> str:
    """What a notice board may show of who raised a case: nothing for anonymous or complaints."""
    if case.anonymous or case.kind == Kind.COMPLAINT or not case.reporter:
        return ""
    return mask_name(case.reporter)
