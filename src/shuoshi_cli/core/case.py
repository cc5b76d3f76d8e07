"""A case and the other facts of a ledger, as frozen values: what the rules, the figures and the
screens work on, and what storage maps to and from rows by column name.

A case's fields are listed once, here (``Case``; SPEC section 2). ``FIELD_TYPES`` names the ones
replayed from history and how their stored text turns back into values; the ``cases`` table has a
column for each of them plus ``id`` and ``uid`` (store/read.py and store/write.py map rows by name).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from shuoshi_cli.core.codes import CORRECTION, Channel, Kind, Level, Outcome, Satisfaction, Status

DEFAULT_CATEGORIES = (
    "基础设施",
    "环境卫生",
    "民生保障",
    "矛盾纠纷",
    "政策咨询",
    "农业生产",
    "社会治安",
    "旅游服务",
    "其他",
)

# History entries whose field is not a case field: events that change nothing by themselves.
NOTE = "note"
SUPERVISION = "supervision"
REPLY = "reply"  # the village's reply to a letter: the text in ``new``, the letter in ``note``
ERASURE = "erasure"  # a reporter's name and phone were erased (PIPL art. 47); no values kept
# Entries that change no state: they never hold back a later, back-dated event (SPEC 1), so a
# case's last change (``Case.last_change_on``) is the last of its other entries. A reply is one:
# it is often recorded after the case was closed, dated the day the village wrote it.
STATELESS = (NOTE, ERASURE, REPLY)
# A correction (edit, void, restore, feedback --correct) is recorded as an entry whose field is
# codes.CORRECTION and the field corrected ("correct:title"). It fixes what was registered rather
# than recording something that happened: core/history.py works it into the entry it corrects.


def correction(field: str) -> str:
    """The history field of a correction of ``field``."""
    return CORRECTION + field


def corrected_field(field: str) -> str | None:
    """The case field a history entry corrects, or None if it is not a correction."""
    return field[len(CORRECTION) :] if field.startswith(CORRECTION) else None


@dataclass(frozen=True)
class Supervision:
    """A supervision letter (督办函) sent about a case, and the village's reply (回复) to it once
    recorded (``reply_on``, ``reply``; a letter is answered once)."""

    sent_on: date
    letter: str
    deadline: date | None = None
    previous_deadline: date | None = None
    reply_on: date | None = None
    reply: str | None = None

    def as_of(self, day: date) -> Supervision:
        """The letter as it stood at the end of ``day``: a reply given later is not yet there."""
        if self.reply_on is None or self.reply_on <= day:
            return self
        return replace(self, reply_on=None, reply=None)


@dataclass(frozen=True)
class Case:
    """A case's facts at one moment; field names are those of SPEC section 2."""

    id: int
    uid: str
    title: str = ""
    detail: str | None = None
    kind: Kind = Kind.REQUEST
    category: str | None = None
    channel: Channel = Channel.OTHER
    reporter: str | None = None
    phone: str | None = None
    anonymous: bool = False
    received_on: date = date.min
    session: int | None = None
    owner: str | None = None
    deadline: date | None = None
    level: Level = Level.VILLAGE
    status: Status = Status.OPEN
    outcome: Outcome | None = None
    result: str | None = None
    closed_on: date | None = None
    feedback_on: date | None = None
    satisfaction: Satisfaction | None = None
    plan: str | None = None
    void_reason: str | None = None  # set: registered in error (作废), in no list or figure
    duplicate_of: int | None = None  # the case a void duplicate repeats
    supervisions: tuple[Supervision, ...] = ()
    last_change_on: date | None = None
    # Derived by the replay (core/history.py ``missed``), never recorded: the first deadline this
    # case missed in its current open stretch (from receipt or the last reopening) among the
    # deadlines no longer in force while it is open — moved after they were missed, or in force
    # when it was closed. The deadline in force while open is judged on the day asked
    # (core/lateness.py). None: none missed; a reopening clears it (SPEC 4, lateness sticks).
    # Read back from the case's timeline row (store/read.py); ``apply`` leaves it as it was.
    missed_on: date | None = None
    # Derived the same way: the day the current open stretch began (a reopening) when the
    # deadline in force had already passed by then. That deadline was never in force while the
    # case was open at the end of its day, so it cannot be missed in this stretch (SPEC 4): the
    # case is not late on it until a new deadline is given. None otherwise.
    lapsed_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def is_void(self) -> bool:
        """Registered in error: a duplicate, the wrong village, a test entry (SPEC 2)."""
        return self.void_reason is not None


# Fields replayed from history, and how their stored text turns back into values.
FIELD_TYPES: dict[str, Any] = {
    "title": str,
    "detail": str,
    "kind": Kind,
    "category": str,
    "channel": Channel,
    "reporter": str,
    "phone": str,
    "anonymous": bool,
    "received_on": date,
    "session": int,
    "owner": str,
    "deadline": date,
    "level": Level,
    "status": Status,
    "outcome": Outcome,
    "result": str,
    "closed_on": date,
    "feedback_on": date,
    "satisfaction": Satisfaction,
    "plan": str,
    "void_reason": str,
    "duplicate_of": int,
}
CASE_FIELDS = tuple(f.name for f in fields(Case))


@dataclass(frozen=True)
class Change:
    """One line of history: a field's old and new value, with an optional reason or basis."""

    field: str
    old: Any
    new: Any
    note: str | None = None


def to_text(value: Any) -> str | None:
    """How a value is stored in the history table (and the cases table for dates)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def from_text(field: str, text: str | None) -> Any:
    """The inverse of ``to_text`` for a case field."""
    if text is None:
        return None
    kind = FIELD_TYPES[field]
    if kind is bool:
        return text == "1"
    if kind is date:
        return date.fromisoformat(text)
    return kind(text)


def apply(case: Case, changes: list[Change], on: date | None = None) -> Case:
    """The case after ``changes``; event entries (notes, letters) leave the fields as they are."""
    values = {c.field: c.new for c in changes if c.field in FIELD_TYPES}
    # A correction sets the field as it now stands (it is worked into the past by replay).
    values |= {name: c.new for c in changes if (name := corrected_field(c.field)) in FIELD_TYPES}
    updated = replace(case, **values) if values else case
    if (
        any(c.field not in STATELESS and corrected_field(c.field) is None for c in changes)
        and on is not None
        and (updated.last_change_on is None or on > updated.last_change_on)
    ):
        updated = replace(updated, last_change_on=on)
    return updated


@dataclass(frozen=True)
class LedgerInfo:
    """Who the ledger belongs to (the ``meta`` table)."""

    village: str
    township: str
    county: str
    area_code: str | None = None
    categories: tuple[str, ...] = DEFAULT_CATEGORIES


@dataclass(frozen=True)
class SessionInfo:
    """A talk session (说事活动)."""

    id: int
    held_on: date
    place: str | None
    topic: str | None
    host: str | None
