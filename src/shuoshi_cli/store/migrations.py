"""Schema migrations: an append-only list of named steps keyed on ``PRAGMA user_version``.

Step N brings a file from version N-1 to N. Steps are plain SQL so that what a file contains never
depends on how today's models look. Never edit a released step; add a new one. Running them is
store/file.py's job (backup first, one transaction).

A step never imports today's code (this module imports nothing from shuoshi_cli): what a step needs
beyond SQL (the hash chain of m002, the timeline builder of m004) is frozen below as it stood at
that schema version, so that a later change to the chain or to a figure rule cannot change what an
old step builds. A later change to what the timeline holds comes with its own step that rebuilds it
by its own frozen rules (tests/test_timeline_golden.py pins today's rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any


def m001_initial(execute: Callable[..., Any]) -> None:
    """The first schema: meta, sessions, cases, history, supervisions, and the sweep indexes."""
    execute(
        """CREATE TABLE meta (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )
    execute(
        """CREATE TABLE sessions (
            id INTEGER NOT NULL PRIMARY KEY,
            held_on DATE NOT NULL,
            place TEXT,
            topic TEXT,
            host TEXT
        )"""
    )
    execute(
        """CREATE TABLE cases (
            id INTEGER NOT NULL PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL CHECK (length(trim(title)) > 0),
            detail TEXT,
            kind TEXT NOT NULL DEFAULT 'request'
                CHECK (kind IN ('request', 'suggestion', 'complaint', 'inquiry')),
            category TEXT,
            channel TEXT NOT NULL DEFAULT 'other'
                CHECK (channel IN ('talk', 'app', 'visit', 'phone', 'tourist', 'other')),
            reporter TEXT,
            phone TEXT,
            anonymous BOOLEAN NOT NULL DEFAULT 0,
            received_on DATE NOT NULL,
            session INTEGER REFERENCES sessions (id),
            owner TEXT,
            deadline DATE,
            level TEXT NOT NULL DEFAULT 'village' CHECK (level IN ('village', 'township', 'county')),
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            outcome TEXT CHECK (outcome IN ('resolved', 'explained', 'planned')),
            result TEXT,
            closed_on DATE,
            feedback_on DATE,
            satisfaction TEXT CHECK (satisfaction IN ('satisfied', 'basic', 'unsatisfied')),
            plan TEXT,
            CHECK (NOT anonymous OR (reporter IS NULL AND phone IS NULL)),
            CHECK ((status = 'closed') = (closed_on IS NOT NULL))
        )"""
    )
    execute(
        """CREATE TABLE history (
            seq INTEGER NOT NULL PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases (id),
            at TEXT NOT NULL,
            effective DATE NOT NULL,
            user TEXT NOT NULL,
            field TEXT NOT NULL,
            old TEXT,
            new TEXT,
            note TEXT
        )"""
    )
    execute(
        """CREATE TABLE supervisions (
            id INTEGER NOT NULL PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases (id),
            sent_on DATE NOT NULL,
            letter TEXT NOT NULL,
            deadline DATE,
            previous_deadline DATE
        )"""
    )
    # The month sweeps ask "open with a deadline before D" and "received in the month".
    execute("CREATE INDEX ix_cases_status_deadline ON cases (status, deadline)")
    execute("CREATE INDEX ix_cases_received_on ON cases (received_on)")
    execute("CREATE INDEX ix_history_case ON history (case_id, effective, seq)")
    execute("CREATE INDEX ix_history_effective ON history (effective)")
    execute("CREATE INDEX ix_supervisions_case ON supervisions (case_id)")


def m002_history_chain(execute: Callable[..., Any]) -> None:
    """Chain every history entry to the one before it (tamper evidence for ``check``).

    Values enter the chain as digests salted per entry, so erasing a reporter can delete the values
    and the salt while the chain still verifies (see core/chain.py).
    """
    for column in ("salt", "old_digest", "new_digest", "hash"):
        execute(f"ALTER TABLE history ADD COLUMN {column} TEXT")
    previous = _M002_GENESIS
    rows = execute(
        "SELECT seq, case_id, at, effective, user, field, old, new, note FROM history ORDER BY seq"
    ).fetchall()
    for seq, case_id, at, effective, user, field, old, new, note in rows:
        salt = _m002_salt()
        old_digest, new_digest = _m002_digest(old, salt), _m002_digest(new, salt)
        previous = _m002_link(
            previous, seq, case_id, at, effective, user, field, old_digest, new_digest, note
        )
        execute(
            "UPDATE history SET salt = ?, old_digest = ?, new_digest = ?, hash = ? WHERE seq = ?",
            (salt, old_digest, new_digest, previous, seq),
        )


# ---------------------------------------------------------------- frozen as of schema 2
# The hash chain exactly as m002 builds it: a copy of core/chain.py as it stood at schema 2.
# FROZEN AS OF SCHEMA 2: NEVER EDIT. ``check`` verifies every file against core/chain.py, so a new
# way of chaining needs a new step (with its own frozen copy) that re-chains the history.

_M002_GENESIS = "0" * 64  # the hash before the first entry


def _m002_salt() -> str:
    """A fresh random salt for one entry (frozen as of schema 2; never edit)."""
    import secrets  # only an old file being upgraded needs it

    return secrets.token_hex(16)


def _m002_digest(value: str | None, salt: str) -> str:
    """A value's salted digest, empty for no value (frozen as of schema 2; never edit)."""
    if value is None:
        return ""
    import hashlib

    return hashlib.sha256(f"{salt}\x1f{value}".encode()).hexdigest()


def _m002_link(
    previous: str,
    seq: int,
    case_id: int,
    at: str,
    effective: str,
    user: str,
    field: str,
    old_digest: str,
    new_digest: str,
    note: str | None,
) -> str:
    """One entry's hash, chained to the previous one (frozen as of schema 2; never edit)."""
    parts = [
        previous, str(seq), str(case_id), at, effective, user, field, old_digest, new_digest,
        note or "",
    ]  # fmt: skip
    import hashlib

    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def m003_history_effective_index(execute: Callable[..., Any]) -> None:
    """Let "which cases changed after day D" read the index alone.

    With ``(effective)`` only, SQLite preferred scanning the whole history by case; the month
    sweeps ask this question of every ledger, so it must be a range read.
    """
    execute("DROP INDEX ix_history_effective")
    execute("CREATE INDEX ix_history_effective ON history (effective, case_id)")


def m004_timeline(execute: Callable[..., Any]) -> None:
    """Keep each case's month fields by stretch of days (store/timeline.py), built from the history.

    The month sweeps then read every case's state at D with an index range instead of replaying
    histories in each query (a county of a thousand ledgers is counted about ten times faster).
    """
    execute(
        """CREATE TABLE timeline (
            case_id INTEGER NOT NULL REFERENCES cases (id),
            since DATE NOT NULL,
            until DATE NOT NULL,
            received_on DATE NOT NULL,
            kind TEXT NOT NULL,
            category TEXT,
            channel TEXT NOT NULL,
            owner TEXT,
            deadline DATE,
            level TEXT NOT NULL,
            status TEXT NOT NULL,
            outcome TEXT,
            closed_on DATE,
            feedback_on DATE,
            satisfaction TEXT,
            marks INTEGER NOT NULL,
            days INTEGER,
            PRIMARY KEY (case_id, since)
        ) WITHOUT ROWID"""
    )
    # "Received in the month" (holding what the counts read) and "open at the end of last month",
    # each a range read of one index.
    execute(
        "CREATE INDEX ix_timeline_received "
        "ON timeline (received_on, until, since, status, deadline, marks, days)"
    )
    execute("CREATE INDEX ix_timeline_status ON timeline (status, until, since, received_on)")
    _m004_rebuild(execute)


# ---------------------------------------------------------------- frozen as of schema 4
# The timeline builder exactly as m004 builds it: a copy of store/timeline.py (spans, marks) and of
# the month rules it applies (core/figures.py tally_of, is_overdue, closed_late on core/case.py's
# Case) as they stood at schema 4, working on the history text directly.
# FROZEN AS OF SCHEMA 4: NEVER EDIT. A later change to a figure rule or to what a row holds needs a
# new step with its own frozen builder that rebuilds the timeline (tests/test_timeline_golden.py).

# The month fields a row holds, as history text, in column order.
_M004_FIELDS = (
    "received_on", "kind", "category", "channel", "owner", "deadline", "level", "status",
    "outcome", "closed_on", "feedback_on", "satisfaction",
)  # fmt: skip
_M004_COLUMNS = ("case_id", "since", "until", *_M004_FIELDS, "marks", "days")
_M004_INSERT = (
    f"INSERT INTO timeline ({', '.join(_M004_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_M004_COLUMNS))})"
)
_M004_OPEN_END = "9999-12-31"  # ``until`` of a row that still holds
_M004_SUPERVISION = "supervision"  # the history field of a supervision letter
# One bit of ``marks`` each, from bit 0: the counts a single case adds 0 or 1 to.
_M004_MARKED = (
    "closed", "closed_late", "escalated", "supervised", "feedback", "answered", "satisfied",
    "ontime", "resolved", "explained",
)  # fmt: skip
_M004_BIT = {name: 1 << n for n, name in enumerate(_M004_MARKED)}
# A field with no entry yet, or set to NULL, counts as a new case's value; a row stores the first
# (as text) but keeps a NULL as NULL.
_M004_DEFAULTS: dict[str, str | None] = {
    "received_on": "0001-01-01", "kind": "request", "category": None, "channel": "other",
    "owner": None, "deadline": None, "level": "village", "status": "open", "outcome": None,
    "closed_on": None, "feedback_on": None, "satisfaction": None,
}  # fmt: skip
# The codes a coded field may hold and the fields read as dates: anything else is refused, as
# reading the case from its text refused it at schema 4 (the migration fails and rolls back).
_M004_CODES: dict[str, tuple[str, ...]] = {
    "kind": ("request", "suggestion", "complaint", "inquiry"),
    "channel": ("talk", "app", "visit", "phone", "tourist", "other"),
    "level": ("village", "township", "county"),
    "status": ("open", "closed"),
    "outcome": ("resolved", "explained", "planned"),
    "satisfaction": ("satisfied", "basic", "unsatisfied"),
}
_M004_DATES = ("received_on", "deadline", "closed_on", "feedback_on")


def _m004_day(text: str | None) -> date | None:
    """A stored date (frozen as of schema 4; never edit)."""
    return None if text is None else date.fromisoformat(text)


def _m004_marks(values: dict[str, str | None], supervised: bool) -> tuple[int, int | None]:
    """What a case in this state adds to the month's counts: (bits of _M004_MARKED, days to
    close, None while open). Frozen as of schema 4; never edit.

    Overdue and carried over depend on the day asked, so no bit holds them.
    """
    text = {f: _M004_DEFAULTS[f] if values[f] is None else values[f] for f in _M004_FIELDS}
    for field, codes in _M004_CODES.items():
        if text[field] is not None and text[field] not in codes:
            raise ValueError(f"history: {field} {text[field]!r}")
    days = {f: _m004_day(text[f]) for f in _M004_DATES}
    received_on, deadline, closed_on = days["received_on"], days["deadline"], days["closed_on"]
    closed = text["status"] != "open"
    # Closed late: closed after its deadline. Closed on time: every other closed case.
    late = closed and deadline is not None and closed_on is not None and closed_on > deadline
    counts = {
        "closed": closed,
        "closed_late": late,
        "escalated": text["level"] != "village",
        "supervised": supervised,
        "feedback": closed and days["feedback_on"] is not None,
        "answered": text["satisfaction"] is not None,
        "satisfied": text["satisfaction"] in ("satisfied", "basic"),
        "ontime": closed and not late,
        "resolved": closed and text["outcome"] == "resolved",
        "explained": closed and text["outcome"] == "explained",
    }
    bits = sum(_M004_BIT[name] for name in _M004_MARKED if counts[name])
    if not closed:
        return bits, None
    if closed_on is None or received_on is None:
        return bits, 0  # closed with no closing day: counted, adding no days
    return bits, (closed_on - received_on).days


def _m004_spans(
    case_id: int, entries: Iterable[tuple[str, str, str | None]]
) -> list[tuple[Any, ...]]:
    """Timeline rows for one case from its history ``(effective, field, new)`` in seq order.
    Frozen as of schema 4; never edit.

    Entries count in (effective, seq) order, the last entry of a field by a day's end wins, the
    case exists from its first entry's day; a day changing nothing a row holds starts no row.
    """
    ordered = sorted(enumerate(entries), key=lambda item: (item[1][0], item[0]))
    values = dict(_M004_DEFAULTS)
    supervised = False
    rows: list[tuple[Any, ...]] = []
    index = 0
    while index < len(ordered):
        day = ordered[index][1][0]
        while index < len(ordered) and ordered[index][1][0] == day:
            _, (_, field, new) = ordered[index]
            if field in values:
                values[field] = new
            supervised = supervised or field == _M004_SUPERVISION
            index += 1
        state = (*(values[f] for f in _M004_FIELDS), *_m004_marks(values, supervised))
        if rows and rows[-1][3:] == state:
            continue
        if rows:
            rows[-1] = (*rows[-1][:2], day, *rows[-1][3:])
        rows.append((case_id, day, _M004_OPEN_END, *state))
    return rows


def _m004_rebuild(execute: Callable[..., Any]) -> None:
    """Fill the (new, empty) timeline from the whole history. Frozen as of schema 4; never edit."""
    grouped: dict[int, list[tuple[str, str, str | None]]] = {}
    history = execute("SELECT case_id, effective, field, new FROM history ORDER BY seq")
    for case_id, effective, field, new in history.fetchall():
        grouped.setdefault(case_id, []).append((effective, field, new))
    for case_id in sorted(grouped):
        for row in _m004_spans(case_id, grouped[case_id]):
            execute(_M004_INSERT, row)


def m005_void(execute: Callable[..., Any]) -> None:
    """A case registered in error can be made void (作废) with its reason and, for a duplicate,
    the case it repeats; a void case is in no list or figure.

    Columns only: the status column keeps what happened to the case (open or closed), so
    ``restore`` brings it back as it was. Existing timeline rows stay valid (no case is void yet).
    """
    execute("ALTER TABLE cases ADD COLUMN void_reason TEXT")
    # The case repeated is checked by the rule (void), like a session's number by add.
    execute("ALTER TABLE cases ADD COLUMN duplicate_of INTEGER")


def m006_replies(execute: Callable[..., Any]) -> None:
    """A supervision letter's reply (回复) from the village: the day it was given and its text.

    Columns only: a letter recorded before has no reply yet (both NULL). A reply is also a history
    entry (field ``reply``, the letter's number in ``note``) that changes no figure, so the
    timeline rows stay as they are.
    """
    execute("ALTER TABLE supervisions ADD COLUMN reply_on DATE")
    execute("ALTER TABLE supervisions ADD COLUMN reply TEXT")


def m007_lateness_sticks(execute: Callable[..., Any]) -> None:
    """Lateness sticks (SPEC 4): each timeline row holds ``missed_on``, the first deadline the case
    missed in its current open stretch (from receipt or the last reopening) and since moved, or in
    force when it was closed; closed late and on time (``marks``) follow it. The index of "received
    in the month" holds it too, so the counts still read that index alone.

    Every existing row was built by the old rule (a moved deadline undid a miss), so the table is
    rebuilt from the history with the frozen builder below.
    """
    execute("ALTER TABLE timeline ADD COLUMN missed_on DATE")
    execute("DROP INDEX ix_timeline_received")
    execute(
        "CREATE INDEX ix_timeline_received "
        "ON timeline (received_on, until, since, status, deadline, missed_on, marks, days)"
    )
    execute("DELETE FROM timeline")
    _m007_rebuild(execute)


# ---------------------------------------------------------------- frozen as of schema 7
# The timeline builder exactly as m007 builds it: a copy of store/timeline.py (spans, marks), of
# core/history.py (amended, Missed) and of the month rules it applies (core/lateness.py,
# core/figures.py tally_of) as they stood at schema 7, working on the history text directly.
# FROZEN AS OF SCHEMA 7: NEVER EDIT. A later change to a figure rule or to what a row holds needs a
# new step with its own frozen builder that rebuilds the timeline (tests/test_timeline_golden.py).

_M007_FIELDS = _M004_FIELDS  # the same month fields, as history text, in column order
_M007_COLUMNS = ("case_id", "since", "until", *_M007_FIELDS, "marks", "days", "missed_on")
_M007_INSERT = (
    f"INSERT INTO timeline ({', '.join(_M007_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_M007_COLUMNS))})"
)
_M007_CORRECTION = "correct:"  # the history field of a correction of a field starts with this
_M007_VOID = "void"  # the status a void case's rows carry


def _m007_marks(
    values: dict[str, str | None], supervised: bool, missed_on: str | None
) -> tuple[int, int | None]:
    """What a case in this state adds to the month's counts: (bits of _M004_MARKED, days to
    close, None while open). Frozen as of schema 7; never edit.

    Closed late: closed having missed a deadline in its last open stretch (``missed_on`` set),
    or closed after the deadline in force.
    """
    text = {f: _M004_DEFAULTS[f] if values[f] is None else values[f] for f in _M007_FIELDS}
    for field, codes in _M004_CODES.items():
        if text[field] is not None and text[field] not in codes:
            raise ValueError(f"history: {field} {text[field]!r}")
    days = {f: _m004_day(text[f]) for f in _M004_DATES}
    if missed_on is not None:
        _m004_day(missed_on)  # refused unless a date
    received_on, deadline, closed_on = days["received_on"], days["deadline"], days["closed_on"]
    closed = text["status"] != "open"
    late = closed and (
        missed_on is not None
        or (deadline is not None and closed_on is not None and closed_on > deadline)
    )
    counts = {
        "closed": closed,
        "closed_late": late,
        "escalated": text["level"] != "village",
        "supervised": supervised,
        "feedback": closed and days["feedback_on"] is not None,
        "answered": text["satisfaction"] is not None,
        "satisfied": text["satisfaction"] in ("satisfied", "basic"),
        "ontime": closed and not late,
        "resolved": closed and text["outcome"] == "resolved",
        "explained": closed and text["outcome"] == "explained",
    }
    bits = sum(_M004_BIT[name] for name in _M004_MARKED if counts[name])
    if not closed:
        return bits, None
    if closed_on is None or received_on is None:
        return bits, 0
    return bits, (closed_on - received_on).days


def _m007_amended(
    entries: Iterable[tuple[int, str, str, str | None]],
) -> list[tuple[str, int, str, str | None]]:
    """A case's entries ``(seq, effective, field, new)`` with corrections worked in, as
    ``(effective, seq, field, new)`` in that order, corrections left out: a correction replaces
    the value of its field's last entry recorded before it, or sets the field from the case's
    start; a corrected received date moves the registration's entries to it. Frozen as of
    schema 7; never edit."""
    steps: list[list[Any]] = []  # [effective, seq, field, new]
    latest: dict[str, int] = {}
    from_start: dict[str, str | None] = {}
    registered: str | None = None
    for seq, effective, field, new in sorted(entries):
        if not field.startswith(_M007_CORRECTION):
            if field == "received_on" and registered is None:
                registered = new
            latest[field] = len(steps)
            steps.append([effective, seq, field, new])
            continue
        name = field[len(_M007_CORRECTION) :]
        if name in latest:
            steps[latest[name]][3] = new
        else:
            from_start[name] = new
    if not steps:
        return []
    received = steps[latest["received_on"]][3] if "received_on" in latest else registered
    if registered is not None and received is not None and received != registered:
        for step in steps:
            if step[0] == registered:
                step[0] = received
    start = min(step[0] for step in steps)
    firsts = [(start, 0, name, value) for name, value in from_start.items()]
    ordered = firsts + [(e, q, f, n) for e, q, f, n in steps]
    return sorted(ordered, key=lambda step: (step[0], step[1]))


def _m007_spans(
    case_id: int, entries: Iterable[tuple[str, str, str | None]]
) -> list[tuple[Any, ...]]:
    """Timeline rows for one case from its history ``(effective, field, new)`` in seq order.
    Frozen as of schema 7; never edit.

    Corrections worked in, entries in (effective, seq) order, the last entry of a field by a day's
    end wins; a day changing nothing a row holds starts no row; a void case's rows have the status
    ``void`` and count for nothing. ``missed_on``: an open case whose deadline in force at the end
    of the day before was before this day has missed it; the miss is kept (the first in the
    stretch) when that deadline is moved or the case closed; reopening (status from closed to
    open) starts a new stretch.
    """
    steps = _m007_amended(
        (seq, effective, field, new) for seq, (effective, field, new) in enumerate(entries, 1)
    )
    values = dict(_M004_DEFAULTS)
    supervised = False
    void: str | None = None
    missed: str | None = None
    status: str | None = "open"
    deadline: str | None = None
    rows: list[tuple[Any, ...]] = []
    index = 0
    while index < len(steps):
        day = steps[index][0]
        late = status == "open" and deadline is not None and deadline < day
        pending = deadline if late else None
        while index < len(steps) and steps[index][0] == day:
            _, _, field, new = steps[index]
            if (field == "status" and new != status) or (field == "deadline" and new != deadline):
                if missed is None and pending is not None:
                    missed = pending
                pending = None
            if field == "status":
                if new == "open" and status != "open":
                    missed = None
                status = new
            elif field == "deadline":
                deadline = new
            if field in values:
                values[field] = new
            elif field == "void_reason":
                void = new
            supervised = supervised or field == _M004_SUPERVISION
            index += 1
        if void is not None:
            state = (
                *(values[f] if f != "status" else _M007_VOID for f in _M007_FIELDS),
                0, None, missed,
            )  # fmt: skip
        else:
            bits, days = _m007_marks(values, supervised, missed)
            state = (*(values[f] for f in _M007_FIELDS), bits, days, missed)
        if rows and rows[-1][3:] == state:
            continue
        if rows:
            rows[-1] = (*rows[-1][:2], day, *rows[-1][3:])
        rows.append((case_id, day, _M004_OPEN_END, *state))
    return rows


def _m007_rebuild(execute: Callable[..., Any]) -> None:
    """Fill the (emptied) timeline from the whole history. Frozen as of schema 7; never edit."""
    grouped: dict[int, list[tuple[str, str, str | None]]] = {}
    history = execute("SELECT case_id, effective, field, new FROM history ORDER BY seq")
    for case_id, effective, field, new in history.fetchall():
        grouped.setdefault(case_id, []).append((effective, field, new))
    for case_id in sorted(grouped):
        for row in _m007_spans(case_id, grouped[case_id]):
            execute(_M007_INSERT, row)


def m008_recorded_times(execute: Callable[..., Any]) -> None:
    """Reports that can be reproduced (``--known-by``) and late entries (SPEC 4) ask what was
    recorded when: history gets an index on ``at``, the time each entry was written (covering
    what those questions first filter on: the effective date, the field, the case), and talk
    sessions the time each was registered (as history's ``at``). A session registered before
    this version has none: it counts as known all along. The reopenings get an index of their own
    (a partial one: only those entries), for the scope of a period a case was reopened in.

    And a deadline that had passed when a case was reopened cannot be missed in the new stretch
    (SPEC 4: a miss needs the case open at the end of the deadline's day): each timeline row holds
    ``lapsed_on``, the day such a stretch began; the index of "received in the month" holds it
    too. The table is rebuilt from the history with the frozen builder below.
    """
    execute("CREATE INDEX ix_history_at ON history (at, effective, field, case_id)")
    execute(
        "CREATE INDEX ix_history_reopened ON history (effective, case_id, field, old, new) "
        "WHERE field = 'status' AND old = 'closed' AND new = 'open'"
    )
    execute("ALTER TABLE sessions ADD COLUMN at TEXT")
    execute("ALTER TABLE timeline ADD COLUMN lapsed_on DATE")
    execute("DROP INDEX ix_timeline_received")
    execute(
        "CREATE INDEX ix_timeline_received ON timeline "
        "(received_on, until, since, status, deadline, missed_on, lapsed_on, marks, days)"
    )
    execute("DELETE FROM timeline")
    _m008_rebuild(execute)


# ---------------------------------------------------------------- frozen as of schema 8
# The timeline builder exactly as m008 builds it: schema 7's (which it calls for what did not
# change: the amended history, the month fields) with the lapsed deadline of a reopened case.
# FROZEN AS OF SCHEMA 8: NEVER EDIT. A later change to a figure rule or to what a row holds needs a
# new step with its own frozen builder that rebuilds the timeline (tests/test_timeline_golden.py).

_M008_COLUMNS = (*_M007_COLUMNS, "lapsed_on")
_M008_INSERT = (
    f"INSERT INTO timeline ({', '.join(_M008_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_M008_COLUMNS))})"
)


def _m008_marks(
    values: dict[str, str | None], supervised: bool, missed_on: str | None, lapsed_on: str | None
) -> tuple[int, int | None]:
    """As ``_m007_marks``, but a closed case whose deadline in force had passed before its last
    stretch began (``lapsed_on``) is late only if it missed one in it. Frozen as of schema 8."""
    if lapsed_on is None:
        return _m007_marks(values, supervised, missed_on)
    _m004_day(lapsed_on)  # refused unless a date
    # The lapsed deadline does not count: the case's marks as if it had none (or the one missed).
    return _m007_marks({**values, "deadline": None}, supervised, missed_on)


def _m008_spans(
    case_id: int, entries: Iterable[tuple[str, str, str | None]]
) -> list[tuple[Any, ...]]:
    """Timeline rows for one case, as ``_m007_spans`` builds them, with ``lapsed_on``: the day
    the current open stretch began (the first day, or a reopening) when the deadline in force is
    before it; such a deadline is never missed. Frozen as of schema 8; never edit."""
    steps = _m007_amended(
        (seq, effective, field, new) for seq, (effective, field, new) in enumerate(entries, 1)
    )
    values = dict(_M004_DEFAULTS)
    supervised = False
    void: str | None = None
    missed: str | None = None
    status: str | None = "open"
    deadline: str | None = None
    since: str | None = None
    rows: list[tuple[Any, ...]] = []
    index = 0
    while index < len(steps):
        day = steps[index][0]
        since = day if since is None else since
        lapsed = since if deadline is not None and deadline < since else None
        late = status == "open" and deadline is not None and deadline < day and lapsed is None
        pending = deadline if late else None
        while index < len(steps) and steps[index][0] == day:
            _, _, field, new = steps[index]
            if (field == "status" and new != status) or (field == "deadline" and new != deadline):
                if missed is None and pending is not None:
                    missed = pending
                pending = None
            if field == "status":
                if new == "open" and status != "open":
                    missed = None
                    since = day
                status = new
            elif field == "deadline":
                deadline = new
            if field in values:
                values[field] = new
            elif field == "void_reason":
                void = new
            supervised = supervised or field == _M004_SUPERVISION
            index += 1
        lapsed = since if deadline is not None and since is not None and deadline < since else None
        if void is not None:
            state = (
                *(values[f] if f != "status" else _M007_VOID for f in _M007_FIELDS),
                0, None, missed, lapsed,
            )  # fmt: skip
        else:
            bits, days = _m008_marks(values, supervised, missed, lapsed)
            state = (*(values[f] for f in _M007_FIELDS), bits, days, missed, lapsed)
        if rows and rows[-1][3:] == state:
            continue
        if rows:
            rows[-1] = (*rows[-1][:2], day, *rows[-1][3:])
        rows.append((case_id, day, _M004_OPEN_END, *state))
    return rows


def _m008_rebuild(execute: Callable[..., Any]) -> None:
    """Fill the (emptied) timeline from the whole history. Frozen as of schema 8; never edit."""
    grouped: dict[int, list[tuple[str, str, str | None]]] = {}
    history = execute("SELECT case_id, effective, field, new FROM history ORDER BY seq")
    for case_id, effective, field, new in history.fetchall():
        grouped.setdefault(case_id, []).append((effective, field, new))
    for case_id in sorted(grouped):
        for row in _m008_spans(case_id, grouped[case_id]):
            execute(_M008_INSERT, row)


MIGRATIONS: list[Callable[[Callable[..., Any]], None]] = [
    m001_initial,
    m002_history_chain,
    m003_history_effective_index,
    m004_timeline,
    m005_void,
    m006_replies,
    m007_lateness_sticks,
    m008_recorded_times,
]
LATEST = len(MIGRATIONS)
TIMELINE_SCHEMA = MIGRATIONS.index(m004_timeline) + 1  # the first schema with a timeline table
# The first schema whose timeline has today's columns (an older one is rebuilt by m007).
MISSED_SCHEMA = MIGRATIONS.index(m007_lateness_sticks) + 1
