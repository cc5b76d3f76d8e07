"""The append-only history, and replaying it to a case's state at the end of any day.

Each entry records the wall-clock time it was written, its effective date, who, the field, and old and
new values as text. Replaying the entries with effective date <= D, in (effective date, sequence)
order, gives the case as it stood at the end of D; a case with no entry by D did not yet exist.

Corrections (SPEC 1: ``edit``, ``void``, ``restore``, ``feedback --correct``) fix a mistake in what
was recorded rather than record something new, so they are worked into the entries they correct
before the replay (``amended``): a correction replaces the value of the last entry of its field
recorded before it (so a corrected title is the title from the case's start, a corrected answer
the answer from the day it was given); a field no entry had set is corrected from the case's start.
A corrected received date moves the registration's entries to that day. The timeline the sweeps
count from is built from the same amended entries (store/timeline.py).

Lateness sticks (SPEC 4): a case misses a deadline when it is still open at the end of that
deadline's day with that deadline in force, and a deadline moved after it was missed does not undo
the miss within the current open stretch (from receipt or the last reopening). ``Missed`` follows
that through the amended steps day by day; the replay and the timeline builder both use it, so a
case's ``missed_on`` is the same whichever way it is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from shuoshi_cli.core.case import (
    FIELD_TYPES,
    STATELESS,
    Case,
    Supervision,
    corrected_field,
    from_text,
)


@dataclass(frozen=True)
class HistoryEntry:
    """One stored line of history (values as stored text)."""

    seq: int
    case_id: int
    at: str
    effective: date
    user: str
    field: str
    old: str | None
    new: str | None
    note: str | None = None


@dataclass(frozen=True)
class Step:
    """An entry as the replay reads it: corrections worked in."""

    effective: str  # ISO date: when it counts (a corrected receipt moves the registration)
    seq: int
    field: str
    new: str | None
    recorded: str = ""  # the effective date as stored, which a case's last change is told by


def amended(entries: Iterable[tuple[int, str, str, str | None]]) -> list[Step]:
    """A case's entries ``(seq, effective, field, new)`` with its corrections worked in, in
    (effective, seq) order, corrections themselves left out (see the module docstring)."""
    steps: list[Step] = []
    latest: dict[str, int] = {}  # field -> index in steps of its last entry so far
    from_start: dict[str, str | None] = {}
    registered: str | None = None  # the received date as first recorded
    for seq, effective, field, new in sorted(entries):
        name = corrected_field(field)
        if name is None:
            if field == "received_on" and registered is None:
                registered = new
            latest[field] = len(steps)
            steps.append(Step(effective, seq, field, new, effective))
        elif name in latest:
            steps[latest[name]] = replace(steps[latest[name]], new=new)
        else:
            from_start[name] = new
    if not steps:
        return []
    received = steps[latest["received_on"]].new if "received_on" in latest else registered
    if registered is not None and received is not None and received != registered:
        steps = [replace(s, effective=received) if s.effective == registered else s for s in steps]
    start = min(s.effective for s in steps)
    firsts = [Step(start, 0, name, value) for name, value in from_start.items()]
    return sorted(firsts + steps, key=lambda s: (s.effective, s.seq))


class Missed:
    """The first deadline missed in the current open stretch, as the steps go by.

    Feed it each day's steps in order: ``day`` before a day's first step, then ``step`` for each
    step. A deadline is missed if the case was open at the end of the day before with that
    deadline in force and the deadline before this day; the miss is settled (kept in ``first``,
    the first in the stretch) when that deadline stops being in force while open: it is moved, or
    the case is closed. A reopening starts a new stretch. ``first`` is what Case.missed_on holds:
    the deadline still in force is judged on the day asked (core/lateness.py), so a day with only
    a note changes nothing here.
    """

    def __init__(self) -> None:
        self.first: str | None = None
        self.status: str | None = "open"  # a new case's status (Case.status)
        self.deadline: str | None = None
        self.pending: str | None = None  # missed by the end of the day before, in force then
        self.since: str | None = None  # the day the current open stretch began
        self.today: str | None = None

    def day(self, day: str) -> None:
        if self.since is None:
            self.since = day  # the case's first day
        self.today = day
        late = self.status == "open" and self.deadline is not None and self.deadline < day
        self.pending = self.deadline if late and self.lapsed() is None else None

    def lapsed(self) -> str | None:
        """The stretch's first day if the deadline in force had passed before it (kept on a
        reopening): that deadline was never in force at the end of its day while the case was
        open in this stretch, so it cannot be missed in it. None otherwise."""
        if self.deadline is not None and self.since is not None and self.deadline < self.since:
            return self.since
        return None

    def step(self, field: str, new: str | None) -> None:
        if field == "status" and new != self.status or field == "deadline" and new != self.deadline:
            if self.first is None and self.pending is not None:
                self.first = self.pending
            self.pending = None
        if field == "status":
            if new == "open" and self.status != "open":
                self.first = None  # reopened: a new stretch
                self.since = self.today
            self.status = new
        elif field == "deadline":
            self.deadline = new


def replay(
    case_id: int,
    uid: str,
    entries: Iterable[HistoryEntry],
    day: date,
    supervisions: Iterable[Supervision] = (),
) -> Case | None:
    """The case at the end of ``day``, or None if it had not been received by then."""
    values: dict[str, object] = {}
    exists = False
    last: date | None = None  # the last entry that changed the case's state (not a note)
    until = day.isoformat()
    rows = ((e.seq, e.effective.isoformat(), e.field, e.new) for e in entries)
    missed = Missed()
    today: str | None = None
    for step in amended(rows):
        if step.effective > until:
            break
        exists = True
        if step.effective != today:
            today = step.effective
            missed.day(today)
        missed.step(step.field, step.new)
        if step.field not in STATELESS and step.seq > 0:
            recorded = date.fromisoformat(step.recorded)
            last = recorded if last is None else max(last, recorded)
        if step.field in FIELD_TYPES:
            values[step.field] = from_text(step.field, step.new)
    if not exists:
        return None
    case = replace(Case(id=case_id, uid=uid), **values)  # type: ignore[arg-type]
    letters = tuple(s for s in supervisions if s.sent_on <= day)
    missed_on = None if missed.first is None else date.fromisoformat(missed.first)
    lapsed = missed.lapsed()
    lapsed_on = None if lapsed is None else date.fromisoformat(lapsed)
    return replace(
        case, supervisions=letters, last_change_on=last, missed_on=missed_on, lapsed_on=lapsed_on
    )
