"""The append-only history, and replaying it to a case's state at the end of any day.

Each entry records the wall-clock time it was written, its effective date, who, the field, and old and
new values as text. Replaying the entries with effective date <= D, in (effective date, sequence)
order, gives the case as it stood at the end of D; a case with no entry by D did not yet exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from shuoshi_cli.core.case import FIELD_TYPES, STATELESS, Case, Supervision, from_text


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
    for entry in sorted(entries, key=lambda e: (e.effective, e.seq)):
        if entry.effective > day:
            break
        exists = True
        if entry.field not in STATELESS:
            last = entry.effective
        if entry.field in FIELD_TYPES:
            values[entry.field] = from_text(entry.field, entry.new)
    if not exists:
        return None
    case = replace(Case(id=case_id, uid=uid), **values)  # type: ignore[arg-type]
    letters = tuple(s for s in supervisions if s.sent_on <= day)
    return replace(case, supervisions=letters, last_change_on=last)
