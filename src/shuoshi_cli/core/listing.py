"""Which cases ``list`` shows, and in what order: open cases first, the most pressing on top.

The clerk's everyday question is "what do I still have to do, and what is late": open cases come
first, earliest deadline first (a case with no deadline last), then closed cases, the most
recently closed first. A void case (registered in error) is never listed unless asked for.

Finding a case: ``--search`` looks for a piece of text in what a clerk may remember of it (its
title, detail, result, plan, notes, reporter and phone), ignoring the case of Latin letters and
full-width forms; ``--phone`` finds the same number however it is typed; ``--due-within`` lists
the open cases due from today to a given day (临期). ``case_number`` reads the ``4``, ``#4`` and
``石境村#4`` a clerk types for ``show`` and ``history``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from shuoshi_cli.core.case import Case
from shuoshi_cli.core.codes import Channel, Kind, Level, parse
from shuoshi_cli.core.errors import BadInput, NotFound
from shuoshi_cli.core.lateness import is_overdue

VOID = "void"  # a case registered in error (SPEC 2): listed only when asked for

# What a clerk may type for --status, in either language.
STATUS_WORDS = {
    "open": "open",
    "在办": "open",
    "未办结": "open",
    "closed": "closed",
    "已办结": "closed",
    "办结": "closed",
    "overdue": "overdue",
    "超期": "overdue",
    VOID: VOID,
    "作废": VOID,
    "all": "all",
    "全部": "all",
}
STATUS_CHOICES = [
    ("open", "在办"), ("closed", "已办结"), ("overdue", "超期"), (VOID, "作废"), ("all", "全部"),
]  # fmt: skip


def wanted_status(text: str) -> str:
    """The status filter a clerk asked for (open, closed, overdue, all, or void)."""
    wanted = STATUS_WORDS.get(text.strip().lower())
    if wanted is None:
        raise BadInput("bad_choice", field="status", value=text, choices=STATUS_CHOICES)
    return wanted


def is_void(case: Case) -> bool:
    """Registered in error (作废): in no list unless asked for."""
    return case.is_void


@dataclass(frozen=True)
class Filters:
    """What a clerk narrowed ``list`` to, each already read (``filters``); None: any."""

    owner: str | None = None
    category: str | None = None
    level: Level | None = None
    kind: Kind | None = None
    channel: Channel | None = None
    reporter: str | None = None
    phone: str | None = None  # the number's digits
    search: str | None = None  # folded (``fold``)
    due_by: date | None = None  # open cases due from the list's day to this day


def filters(
    *,
    owner: str | None = None,
    category: str | None = None,
    level: str | None = None,
    kind: str | None = None,
    channel: str | None = None,
    reporter: str | None = None,
    phone: str | None = None,
    search: str | None = None,
    due_by: date | None = None,
) -> Filters:
    """The filters from what was typed: codes or labels for the enums (codes.parse), any
    spelling of a phone number; an empty search finds everything."""
    return Filters(
        owner=owner.strip() if owner is not None else None,
        category=category.strip() if category is not None else None,
        level=parse(Level, level, "level") if level is not None else None,
        kind=parse(Kind, kind, "kind") if kind is not None else None,
        channel=parse(Channel, channel, "channel") if channel is not None else None,
        reporter=fold(reporter) if reporter is not None else None,
        phone=phone_number(phone) if phone is not None else None,
        search=(fold(search) or None) if search is not None else None,
        due_by=due_by,
    )


def select(
    cases: list[Case],
    status: str,
    day: date,
    where: Filters | None = None,
    notes: Mapping[int, Sequence[str]] | None = None,
) -> list[Case]:
    """The cases matching the filters (``status`` from ``wanted_status``; overdue as of ``day``),
    in list order. ``notes`` holds each case's notes for ``--search``: {case id: [texts]}."""
    if status == VOID:
        chosen = [c for c in cases if is_void(c)]
    else:
        chosen = [c for c in cases if not is_void(c)]
        if status == "overdue":
            chosen = [c for c in chosen if is_overdue(c, day)]
        elif status != "all":
            chosen = [c for c in chosen if c.status.value == status]
    if where is not None:
        chosen = [c for c in chosen if matches(c, where, day, notes or {})]
    return sorted(chosen, key=order)


def matches(case: Case, where: Filters, day: date, notes: Mapping[int, Sequence[str]]) -> bool:
    """Whether one case passes every filter that was given."""
    if where.owner is not None and case.owner != where.owner:
        return False
    if where.category is not None and case.category != where.category:
        return False
    if where.level is not None and case.level != where.level:
        return False
    if where.kind is not None and case.kind != where.kind:
        return False
    if where.channel is not None and case.channel != where.channel:
        return False
    if where.reporter is not None and fold(case.reporter or "") != where.reporter:
        return False
    if where.phone is not None and (not case.phone or _digits(case.phone) != where.phone):
        return False
    if where.due_by is not None and not (
        case.is_open and case.deadline is not None and day <= case.deadline <= where.due_by
    ):
        return False
    return where.search is None or found_in(case, where.search, notes.get(case.id, ()))


def fold(text: str) -> str:
    """Text as a search compares it: full-width forms as ASCII, Latin letters in one case."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


_NUMBER_LIKE = re.compile(r"[\d\s\-]+")


def found_in(case: Case, needle: str, notes: Sequence[str]) -> bool:
    """Whether ``needle`` (folded) is in the case's title, detail, result, plan, notes, reporter
    or phone. Digits typed with spaces or dashes are also looked for among the phone's digits."""
    texts = (case.title, case.detail, case.result, case.plan, case.reporter, case.phone, *notes)
    if any(needle in fold(text) for text in texts if text):
        return True
    if case.phone and _NUMBER_LIKE.fullmatch(needle):
        digits = re.sub(r"\D", "", needle)
        return bool(digits) and digits in re.sub(r"\D", "", case.phone)
    return False


_PHONE_MARKS = re.compile(r"[\s\-–—()（）.+]")
_VALID_PHONE = re.compile(r"1[3-9]\d{9}|0\d{9,11}")


def phone_number(text: str) -> str:
    """A phone number's digits however it was typed: spaces, dashes, brackets, full-width
    digits, a +86 or 0086 before a mobile. Anything that is not a phone number is refused."""
    cleaned = _PHONE_MARKS.sub("", unicodedata.normalize("NFKC", text))
    if not cleaned.isascii() or not cleaned.isdigit():
        raise BadInput("bad_phone")
    digits = _digits(cleaned)
    if not _VALID_PHONE.fullmatch(digits):
        raise BadInput("bad_phone")
    return digits


def _digits(text: str) -> str:
    """The digits of a phone as stored or typed, without a country code before a mobile."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", text))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[-11] == "1":
            return digits[len(prefix) :]
    return digits


def order(case: Case) -> tuple[int, int, int]:
    """Open cases first, earliest deadline first (none last); then the latest closed first."""
    if case.is_open:
        return (0, (case.deadline or date.max).toordinal(), case.id)
    return (1, -(case.closed_on or date.min).toordinal(), case.id)


_REF = re.compile(r"(?:(.*?)\s*#\s*)?(\d+)")


def case_number(text: str, village: str) -> int:
    """The case a clerk means by ``4``, ``#4`` or ``石境村#4`` in the ledger of ``village``;
    another village's name is refused as not found (it is in another ledger)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _REF.fullmatch(cleaned)
    if match is None:
        raise BadInput("bad_case_ref", value=text, village=village)
    named = (match[1] or "").strip()
    if named and named != unicodedata.normalize("NFKC", village).strip():
        raise NotFound("other_village", value=cleaned, village=village, other=named)
    return int(match[2])
