"""Each case's month fields, stretch of days by stretch of days: the sweeps' shortcut into history.

``history.replay`` answers "how did this case stand at the end of day D" by reading its history; a
county sweep asks that of a million cases. The ``timeline`` table keeps the answer ready: one row
per stretch of days in which a case's month fields (``FIELDS``, and whether a supervision letter had
been sent) stood still, valid from ``since`` (an effective date) up to but not including ``until``
(``OPEN_END`` while it still holds). The state of every case at D is ``since <= D < until``, an
indexed range read.

Each row also carries what the case adds to the month's counts in that state (``marks``, one bit per
count of core/figures.py's Tally, worked out by its tally_of itself so SQL never restates a figure's
rule) and its days to close. Only what depends on the day asked, overdue and carried over, is left
to the query (store/read.py ``tally_sql``).

It is derived data, never edited by hand: rebuilt for a case inside every transaction that writes
the case's history (store/write.py), built for older files by migration m004, left out of dumps and
rebuilt on load, and compared with a fresh rebuild by ``check``.

Changing what a row holds (a field, a mark, how one is worked out) changes the answer for every
existing file: it needs a new step in store/migrations.py that rebuilds the table with its own
frozen copy of the builder (steps never import this module), or the sweeps would count old rows
by new rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from shuoshi_cli.core.case import Case, Supervision, from_text, to_text
from shuoshi_cli.core.history import Missed, amended

if TYPE_CHECKING:  # figures is imported where needed: a clerk's read commands never need it
    from shuoshi_cli.core.figures import Tally

# The fields the month's figures read (SPEC 4), stored as their history text.
FIELDS = (
    "received_on", "kind", "category", "channel", "owner", "deadline", "level", "status",
    "outcome", "closed_on", "feedback_on", "satisfaction",
)  # fmt: skip
# ``missed_on``: the first deadline missed in the current open stretch and since moved, or in force
# when the case was closed (Case.missed_on, core/history.py Missed): lateness sticks (SPEC 4).
# ``lapsed_on``: the day a reopening began the stretch when the deadline in force had already
# passed (Case.lapsed_on): that deadline cannot be missed in it. (Last: added by schemas 7 and 8.)
COLUMNS = ("case_id", "since", "until", *FIELDS, "marks", "days", "missed_on", "lapsed_on")
OPEN_END = "9999-12-31"
SUPERVISION = "supervision"  # the history field of a supervision letter (core/rules.py supervise)

# The Tally counts a single case adds 0 or 1 to whatever the day asked: one bit each in ``marks``.
MARKED = (
    "closed", "closed_late", "escalated", "supervised", "feedback", "answered", "satisfied",
    "ontime", "resolved", "explained",
)  # fmt: skip
BIT = {name: 1 << n for n, name in enumerate(MARKED)}

# A field with no history entry yet has the value a new Case starts with (as history.replay).
_BLANK = Case(id=0, uid="")
DEFAULTS: dict[str, str | None] = {f: to_text(getattr(_BLANK, f)) for f in FIELDS}
_LETTER = (Supervision(date.min, ""),)

Row = tuple[Any, ...]  # in COLUMNS order
INSERT = f"INSERT INTO timeline ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


def marks(
    values: dict[str, str | None],
    supervised: bool,
    missed_on: str | None = None,
    lapsed_on: str | None = None,
) -> tuple[int, int | None]:
    """What a case in this state adds to the month's counts: (bits of MARKED, days to close)."""
    from shuoshi_cli.core.figures import ScopedCase, tally_of

    known = {f: from_text(f, values[f]) for f in FIELDS if values[f] is not None}
    case = Case(
        id=0,
        uid="",
        supervisions=_LETTER if supervised else (),
        missed_on=from_text("deadline", missed_on),
        lapsed_on=from_text("deadline", lapsed_on),
        **known,
    )
    # date.min: nothing is overdue "before time", that part depends on the day asked.
    tally = tally_of([ScopedCase("", "", case, False)], date.min)
    bits = sum(BIT[name] for name in MARKED if getattr(tally, name))
    return bits, tally.days_to_close if tally.closed else None


VOID = "void"  # the status a void case's rows carry: the month's scope leaves them out


def spans(case_id: int, entries: Iterable[tuple[str, str, str | None]]) -> list[Row]:
    """Timeline rows for one case from its history ``(effective, field, new)``, in seq order.

    The same reading as core/history.py ``replay``: corrections worked into the entries they
    correct (``amended``), entries counted in (effective date, seq) order, the last entry of a
    field by a day's end wins, and the case exists from its first entry's date. Days on which
    nothing the month reads changed (a note) do not start a new row. A void case's rows have the
    status ``void`` and count for nothing. ``missed_on`` and ``lapsed_on`` are the replay's
    (history.Missed).
    """
    steps = amended(
        (seq, effective, field, new) for seq, (effective, field, new) in enumerate(entries, 1)
    )
    values = dict(DEFAULTS)
    supervised = False
    void: str | None = None
    missed = Missed()
    rows: list[Row] = []
    index = 0
    while index < len(steps):
        day = steps[index].effective
        missed.day(day)
        while index < len(steps) and steps[index].effective == day:
            step = steps[index]
            missed.step(step.field, step.new)
            if step.field in values:
                values[step.field] = step.new
            elif step.field == "void_reason":
                void = step.new
            supervised = supervised or step.field == SUPERVISION
            index += 1
        lapsed = missed.lapsed()
        if void is not None:
            shown = (values[f] if f != "status" else VOID for f in FIELDS)
            state = (*shown, 0, None, missed.first, lapsed)
        else:
            bits, days = marks(values, supervised, missed.first, lapsed)
            state = (*(values[f] for f in FIELDS), bits, days, missed.first, lapsed)
        if rows and rows[-1][3:] == state:
            continue
        if rows:
            rows[-1] = (*rows[-1][:2], day, *rows[-1][3:])
        rows.append((case_id, day, OPEN_END, *state))
    return rows


def computed(execute: Callable[..., Any], case_ids: Sequence[int] | None = None) -> list[Row]:
    """Timeline rows rebuilt from the history, for ``case_ids`` or every case."""
    query = "SELECT case_id, effective, field, new FROM history"
    params: tuple[Any, ...] = ()
    if case_ids is not None:
        query += f" WHERE case_id IN ({','.join('?' * len(case_ids))})"
        params = tuple(case_ids)
    grouped: dict[int, list[tuple[str, str, str | None]]] = {}
    for case_id, effective, field, new in execute(query + " ORDER BY seq", params):
        grouped.setdefault(case_id, []).append((effective, field, new))
    return [row for case_id in sorted(grouped) for row in spans(case_id, grouped[case_id])]


def stored(execute: Callable[..., Any]) -> list[Row]:
    """The timeline rows as the file holds them, in the order ``computed`` gives."""
    query = f"SELECT {', '.join(COLUMNS)} FROM timeline ORDER BY case_id, since"
    return [tuple(row) for row in execute(query)]


def rebuild(execute: Callable[..., Any], case_ids: Sequence[int] | None = None) -> None:
    """Replace the timeline of ``case_ids`` (or of every case) inside the caller's transaction."""
    if case_ids is None:
        execute("DELETE FROM timeline")
        rows = computed(execute)
    else:
        ids = list(case_ids)
        chunks = [ids[start : start + 500] for start in range(0, len(ids), 500)]
        for chunk in chunks:  # each IN list well inside SQLite's limits
            holes = ",".join("?" * len(chunk))
            execute(f"DELETE FROM timeline WHERE case_id IN ({holes})", tuple(chunk))
        rows = [row for chunk in chunks for row in computed(execute, chunk)]
    for row in rows:
        execute(INSERT, row)


def tally_rows(rows: Iterable[Sequence[Any]]) -> Tally:
    """A figures.Tally from rows ``(marks, count, overdue, carried, days)``: each a group of cases
    with the same marks, how many of them are overdue and carried over, their days to close."""
    from shuoshi_cli.core.figures import TALLY_FIELDS, Tally

    counts = dict.fromkeys(TALLY_FIELDS, 0)
    total = overdue = carried = days = 0
    for bits, group_size, group_overdue, group_carried, group_days in rows:
        total += group_size
        overdue += group_overdue
        carried += group_carried
        days += group_days
        for name in _names(bits):
            counts[name] += group_size
    counts.update(total=total, overdue=int(overdue), carried_over=int(carried))
    counts["days_to_close"] = int(days)
    return Tally(**counts)


@cache
def _names(bits: int) -> tuple[str, ...]:
    return tuple(name for name in MARKED if bits & BIT[name])
