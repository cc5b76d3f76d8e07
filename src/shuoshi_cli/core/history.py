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
    for step in amended(rows):
        if step.effective > until:
            break
        exists = True
        if step.field not in STATELESS and step.seq > 0:
            recorded = date.fromisoformat(step.recorded)
            last = recorded if last is None else max(last, recorded)
        if step.field in FIELD_TYPES:
            values[step.field] = from_text(step.field, step.new)
    if not exists:
        return None
    case = replace(Case(id=case_id, uid=uid), **values)  # type: ignore[arg-type]
    letters = tuple(s for s in supervisions if s.sent_on <= day)
    return replace(case, supervisions=letters, last_change_on=last)
