"""Two copies of one ledger: how they stand to each other (the sweeps), and joining them (``merge``).

A village's file copied to a USB stick and written on both sides becomes two histories with a
shared beginning: the entries up to where the hash chains part (the same ``hash`` at the same
``seq``), then each copy's own. Past that point an entry is known across copies by what it says,
its case (by uid), effective date, who, field, note and values (a case or session it names by that
case's uid or that session's content), never by its seq, hash or wall-clock time: an entry merged
into a file is chained anew there and recorded when it was merged (so every report the file gave
before stays reproducible, SPEC 1). An entry whose values one copy erased (PIPL) matches whatever
values the other holds. Each copy of an entry is matched once, so an entry recorded twice counts
twice.

``compare`` says what each copy has that the other lacks: the sweeps (store/sweep.py) count a copy
once when another holds everything it has, and neither of two that both have something of their
own. ``merge`` brings into a ledger every case, entry, talk session and supervision letter that
only the other copy has, in one transaction, and leaves on each case it added to a progress note
saying where the entries came from (``MERGED_FROM``); those notes describe the file they are in,
so they are never compared or carried on. Merging again brings nothing.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shuoshi_cli.core import messages
from shuoshi_cli.core.case import (
    ERASURE,
    FIELD_TYPES,
    NOTE,
    REPLY,
    SUPERVISION,
    Change,
    corrected_field,
)
from shuoshi_cli.core.errors import BadInput, Corrupt, NotFound, WrongState
from shuoshi_cli.core.history import replay
from shuoshi_cli.store import read, timeline
from shuoshi_cli.store.file import Head, open_with_head, sqlite_errors, transaction

# The note (说明) of the progress note a merge leaves on a case: "合并自 " and the other copy's path.
MERGED_FROM = "合并自 "
# History fields holding a reporter's name or phone (as store/write.py erases them).
PERSONAL = ("reporter", "phone", "correct:reporter", "correct:phone")
# Supervision columns a letter's row is found by; the others (a reply) are filled in later.
_LETTER_KEYS = ("id", "case_id", "sent_on", "letter", "deadline", "previous_deadline")
_HISTORY = "seq, case_id, at, effective, user, field, old, new, note, salt, hash"


def same_ledger(ours: Head, theirs: Head) -> bool:
    """Whether two files are copies of one ledger (``Head.identity``, an older empty file
    matching the same village's older file written since)."""
    if ours.ledger_id or theirs.ledger_id:
        return ours.ledger_id == theirs.ledger_id
    if ours.first_uid and theirs.first_uid:
        return ours.first_uid == theirs.first_uid
    return ours.place == theirs.place


# ---------------------------------------------------------------- a copy as read


@dataclass(frozen=True)
class Row:
    """One history row."""

    seq: int
    case_id: int
    at: str
    effective: str
    user: str
    field: str
    old: str | None
    new: str | None
    note: str | None
    salt: str | None
    hash: str | None

    @property
    def merge_note(self) -> bool:
        return self.field == NOTE and (self.note or "").startswith(MERGED_FROM)


@dataclass
class Copy:
    """What comparing or merging needs of one copy, read in one transaction."""

    uids: dict[int, str]  # case id -> uid
    sessions: dict[int, tuple[Any, ...]]  # id -> (held_on, place, topic, host)
    history: list[Row]
    cases: dict[int, dict[str, Any]] = field(default_factory=dict)  # full rows (merge only)
    letters: list[dict[str, Any]] = field(default_factory=list)  # supervisions rows (merge only)


def read_copy(connection: sqlite3.Connection, full: bool = False) -> Copy:
    """The copy's cases, sessions and history (and, ``full``, its case and letter rows)."""
    uids = dict(connection.execute("SELECT id, uid FROM cases"))
    sessions = {
        row[0]: tuple(row[1:])
        for row in connection.execute("SELECT id, held_on, place, topic, host FROM sessions")
    }
    history = [
        Row(*row) for row in connection.execute(f"SELECT {_HISTORY} FROM history ORDER BY seq")
    ]
    copy = Copy(uids, sessions, history)
    if full:
        copy.cases = {row["id"]: row for row in _named(connection, "SELECT * FROM cases")}
        copy.letters = list(_named(connection, "SELECT * FROM supervisions ORDER BY id"))
    return copy


def _named(connection: sqlite3.Connection, query: str) -> Iterable[dict[str, Any]]:
    cursor = connection.execute(query)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def read_file(path: str | os.PathLike[str]) -> Copy:
    """A ledger file read-only, as of one moment (an older schema through a copy in memory)."""
    file, connection, _ = open_with_head(path, write=False)
    try:
        with transaction(connection, file, write=False):
            return read_copy(connection)
    finally:
        connection.close()


# ---------------------------------------------------------------- matching entries


def _shared(ours: Copy, theirs: Copy) -> int:
    """How many entries both histories begin with (the same hash at the same seq)."""
    count = 0
    for mine, other in zip(ours.history, theirs.history, strict=False):
        if mine.seq != other.seq or mine.hash is None or mine.hash != other.hash:
            break
        count += 1
    return count


def _reference(name: str, value: str | None) -> tuple[str, int] | None:
    """The field and number of a history value that names another row (a case a void duplicates,
    a talk session), which stand for different rows in different copies; None for any other."""
    base = corrected_field(name) or name
    if value is None or base not in ("duplicate_of", "session"):
        return None
    try:
        return base, int(value)
    except ValueError:
        return None


def _meaning(copy: Copy, name: str, value: str | None) -> Any:
    """A stored value as it reads across copies: a case by its uid, a session by its content."""
    reference = _reference(name, value)
    if reference is None:
        return value
    base, number = reference
    return ("case", copy.uids.get(number)) if base == "duplicate_of" else copy.sessions.get(number)


def _said(copy: Copy, row: Row) -> tuple[Any, ...]:
    return (copy.uids.get(row.case_id), row.effective, row.user, row.field, row.note)


def _values(copy: Copy, row: Row) -> tuple[Any, Any]:
    return _meaning(copy, row.field, row.old), _meaning(copy, row.field, row.new)


def _own(copy: Copy, start: int) -> list[Row]:
    return [row for row in copy.history[start:] if not row.merge_note]


def _pair(
    ours: Copy, mine: list[Row], theirs: Copy, other: list[Row]
) -> tuple[list[Row], list[Row]]:
    """The entries of ``mine`` that ``other`` lacks, and those of ``other`` that ``mine`` lacks,
    each copy of an entry matched once (exact values first, then an erased one)."""
    pool: dict[tuple[Any, ...], list[list[Any]]] = defaultdict(list)
    for row in other:
        pool[_said(theirs, row)].append([row, _values(theirs, row), row.salt is None, False])
    lacking: list[Row] = []
    for row in mine:
        found = pool.get(_said(ours, row), [])
        values, erased = _values(ours, row), row.salt is None
        hit = next((c for c in found if not c[3] and c[1] == values), None)
        if hit is None:
            hit = next((c for c in found if not c[3] and (erased or c[2])), None)
        if hit is None:
            lacking.append(row)
        else:
            hit[3] = True
    missing = sorted((c[0] for cs in pool.values() for c in cs if not c[3]), key=lambda r: r.seq)
    return lacking, missing


@dataclass(frozen=True)
class Side:
    """What one copy has that the other lacks."""

    entries: int
    new_cases: int  # cases the other has not at all
    changed_cases: int  # cases both have, with entries only this copy has
    sessions: int  # talk sessions only this copy has

    @property
    def nothing(self) -> bool:
        return not self.entries and not self.sessions


@dataclass(frozen=True)
class Comparison:
    first: Side
    second: Side


def compare(first: Copy, second: Copy) -> Comparison:
    """What each of two copies of one ledger has that the other lacks."""
    start = _shared(first, second)
    only_first, only_second = _pair(first, _own(first, start), second, _own(second, start))
    return Comparison(_side(first, second, only_first), _side(second, first, only_second))


def _side(copy: Copy, other: Copy, entries: list[Row]) -> Side:
    theirs = set(other.uids.values())
    changed = {copy.uids.get(row.case_id) for row in entries} & theirs
    sessions = Counter(copy.sessions.values()) - Counter(other.sessions.values())
    return Side(
        len(entries),
        len(set(copy.uids.values()) - theirs),
        len(changed),
        sum(sessions.values()),
    )


# ---------------------------------------------------------------- merge


@dataclass(frozen=True)
class Merged:
    """What a merge brought in (ids are this ledger's)."""

    other: str
    entries: int
    new_cases: tuple[int, ...]
    changed_cases: tuple[int, ...]
    renumbered: tuple[tuple[int, int], ...]  # (id in the other copy, id here) where ids collided
    sessions: int
    review: tuple[int, ...]  # cases both copies wrote to after they parted: worth a look


def merge(path: str | os.PathLike[str], other: str, *, today: date, user: str) -> Merged:
    """Bring into the ledger at ``path`` what only the copy ``other`` has, all or nothing.

    ``other`` is opened read-only and never changed; it must be a copy of the same ledger and pass
    ``check`` (a copy whose history was tampered with is not let in).
    """
    from shuoshi_cli.store.check import check

    if not os.path.exists(other):
        raise NotFound("path_missing", path=other)
    target, connection, ours_head = open_with_head(path, write=True)
    try:
        source, reading, theirs_head = open_with_head(other, write=False)
        try:
            if os.path.samefile(target, source):
                raise BadInput("merge_same_file", path=other)
            if not same_ledger(ours_head, theirs_head):
                ours, theirs = ours_head.info, theirs_head.info
                raise BadInput(
                    "merge_other_ledger",
                    path=other,
                    theirs=f"{theirs.township}{theirs.village}",
                    ours=f"{ours.township}{ours.village}",
                )
            with transaction(reading, source, write=False):
                if check(reading):
                    raise Corrupt("merge_other_damaged", path=other)
                their_copy = read_copy(reading, full=True)
        finally:
            reading.close()
        with sqlite_errors(target):
            connection.execute("PRAGMA secure_delete = ON")  # an erasure merged in is for good
        with transaction(connection, target):
            merged, erased = _bring(
                connection, read_copy(connection), their_copy, other, today, user
            )
        if erased:
            with sqlite_errors(target):
                connection.execute(
                    "VACUUM"
                )  # no free page keeps an erased name (as erase-reporter)
    finally:
        connection.close()
    return merged


@dataclass
class _Plan:
    """Where the other copy's cases and sessions are in this ledger."""

    cases: dict[str, int]  # uid -> id here
    sessions: dict[int, int]  # session id there -> id here


def _bring(
    connection: sqlite3.Connection,
    ours: Copy,
    theirs: Copy,
    name: str,
    today: date,
    user: str,
) -> tuple[Merged, bool]:
    from shuoshi_cli.store.write import append_history

    start = _shared(ours, theirs)
    only_ours, brought = _pair(ours, _own(ours, start), theirs, _own(theirs, start))
    plan = _Plan({uid: number for number, uid in ours.uids.items()}, {})
    added_sessions = _bring_sessions(connection, ours, theirs, plan)
    new_cases, renumbered = _bring_cases(connection, ours, theirs, plan)
    (last,) = connection.execute("SELECT coalesce(max(seq), 0) FROM history").fetchone()
    touched: dict[int, list[Row]] = defaultdict(list)
    seqs: dict[int, list[int]] = defaultdict(list)  # case here -> seqs of personal entries brought
    used_letters: set[int] = set()
    for row in brought:
        case_id = plan.cases[theirs.uids[row.case_id]]
        change = Change(
            row.field,
            _here(theirs, plan, row.field, row.old),
            _here(theirs, plan, row.field, row.new),
            row.note,
        )
        append_history(connection, case_id, [change], date.fromisoformat(row.effective), row.user)
        last += 1
        touched[case_id].append(row)
        if row.field in PERSONAL:
            seqs[case_id].append(last)
        if row.field == SUPERVISION:
            _bring_letter(connection, theirs, row, case_id, used_letters)
        elif row.field == REPLY:
            _bring_reply(connection, theirs, row, case_id)
    erased = _erase(connection, touched, seqs)
    for case_id, rows in touched.items():
        _settle(connection, case_id)
        text = _merge_note(name, rows)
        append_history(
            connection, case_id, [Change(NOTE, None, text, MERGED_FROM + name)], today, user
        )
    timeline.rebuild(connection.execute, sorted(touched))
    ours_changed = {ours.uids.get(row.case_id) for row in only_ours}
    fresh = set(new_cases)
    review = tuple(
        sorted(c for c in touched if c not in fresh and _uid(connection, c) in ours_changed)
    )
    merged = Merged(
        other=name,
        entries=len(brought),
        new_cases=tuple(sorted(new_cases)),
        changed_cases=tuple(sorted(c for c in touched if c not in fresh)),
        renumbered=tuple(renumbered),
        sessions=added_sessions,
        review=review,
    )
    return merged, erased


def _uid(connection: sqlite3.Connection, case_id: int) -> str:
    (uid,) = connection.execute("SELECT uid FROM cases WHERE id = ?", (case_id,)).fetchone()
    return str(uid)


def _here(theirs: Copy, plan: _Plan, name: str, value: str | None) -> str | None:
    """A value of the other copy as this ledger stores it: its case and session numbers."""
    reference = _reference(name, value)
    if reference is None:
        return value
    base, number = reference
    if base == "session":
        return str(plan.sessions.get(number, number))
    uid = theirs.uids.get(number)
    return str(plan.cases.get(uid, number)) if uid is not None else value


def _free(taken: set[int], wanted: int) -> int:
    """``wanted`` if no row here has that number, else the next after the highest."""
    number = wanted if wanted not in taken else max(taken) + 1
    taken.add(number)
    return number


def _bring_sessions(connection: sqlite3.Connection, ours: Copy, theirs: Copy, plan: _Plan) -> int:
    """Map every talk session of the other copy to one here, adding those this ledger lacks
    (a session is known by what it holds: its day, place, topic and host)."""
    from shuoshi_cli.store.write import now_text

    unused: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for number, held in sorted(ours.sessions.items()):
        unused[held].append(number)
    taken = set(ours.sessions)
    added = 0
    # The same number first, so a session both copies had from the start keeps its number.
    for number, held in sorted(theirs.sessions.items(), key=lambda s: s[0] not in ours.sessions):
        matches = unused[held]
        if matches:
            here = number if number in matches else matches[0]
            matches.remove(here)
        else:
            here = _free(taken, number)
            # Registered here when merged, as the entries brought in are (``at``).
            connection.execute(
                "INSERT INTO sessions (id, held_on, place, topic, host, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (here, *held, now_text()),
            )
            added += 1
        plan.sessions[number] = here
    return added


def _bring_cases(
    connection: sqlite3.Connection, ours: Copy, theirs: Copy, plan: _Plan
) -> tuple[list[int], list[tuple[int, int]]]:
    """Add the rows of the cases only the other copy has: their own number where it is free here,
    else the next one. Their fields are settled from their history once it is in (``_settle``)."""
    taken = set(ours.uids)
    new: list[int] = []
    renumbered: list[tuple[int, int]] = []
    for number, uid in sorted(theirs.uids.items()):
        if uid in plan.cases:
            continue
        here = _free(taken, number)
        row = dict(theirs.cases[number], id=here, duplicate_of=None)
        if row.get("session") is not None:
            row["session"] = plan.sessions.get(row["session"])
        names = ", ".join(f'"{n}"' for n in row)
        connection.execute(
            f"INSERT INTO cases ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        plan.cases[uid] = here
        new.append(here)
        if here != number:
            renumbered.append((number, here))
    return new, renumbered


def _bring_letter(
    connection: sqlite3.Connection, theirs: Copy, row: Row, case_id: int, used: set[int]
) -> None:
    """The letter row of a supervision entry brought in (``check`` holds one to the other)."""
    for letter in theirs.letters:
        if (
            letter["id"] not in used
            and letter["case_id"] == row.case_id
            and letter["sent_on"] == row.effective
            and letter["letter"] == row.new
        ):
            used.add(letter["id"])
            values = {k: v for k, v in letter.items() if k != "id"}
            values["case_id"] = case_id
            names = ", ".join(f'"{n}"' for n in values)
            connection.execute(
                f"INSERT INTO supervisions ({names}) VALUES ({', '.join('?' * len(values))})",
                list(values.values()),
            )
            return


def _bring_reply(connection: sqlite3.Connection, theirs: Copy, row: Row, case_id: int) -> None:
    """A letter's reply brought in fills in the letter's later columns here, where still empty."""
    there = next(
        (x for x in theirs.letters if x["case_id"] == row.case_id and x["letter"] == row.note),
        None,
    )
    here = connection.execute(
        "SELECT * FROM supervisions WHERE case_id = ? AND letter = ? ORDER BY id LIMIT 1",
        (case_id, row.note),
    )
    names = [column[0] for column in here.description]
    found = here.fetchone()
    if there is None or found is None:
        return
    mine = dict(zip(names, found, strict=True))
    later = {k: v for k, v in there.items() if k not in _LETTER_KEYS and mine.get(k) is None}
    if later:
        sets = ", ".join(f'"{k}" = ?' for k in later)
        connection.execute(
            f"UPDATE supervisions SET {sets} WHERE id = ?", [*later.values(), mine["id"]]
        )


def _erase(
    connection: sqlite3.Connection, touched: dict[int, list[Row]], seqs: dict[int, list[int]]
) -> bool:
    """An erasure in either copy holds in the merged ledger (PIPL art. 47): an erasure brought in
    erases the reporter from all of the case's history here; a name or phone brought into a case
    erased here is stored erased. Returns whether anything was erased."""
    holes = ", ".join("?" * len(PERSONAL))
    erased = False
    for case_id, rows in touched.items():
        if any(row.field == ERASURE for row in rows):
            where, params = f"case_id = ? AND field IN ({holes})", [case_id, *PERSONAL]
        elif (
            seqs.get(case_id)
            and connection.execute(
                "SELECT 1 FROM history WHERE case_id = ? AND field = ? LIMIT 1", (case_id, ERASURE)
            ).fetchone()
        ):
            where = f"seq IN ({', '.join('?' * len(seqs[case_id]))})"
            params = list(seqs[case_id])
        else:
            continue
        connection.execute(
            f"UPDATE history SET old = NULL, new = NULL, salt = NULL WHERE {where}", params
        )
        erased = True
    return erased


def _settle(connection: sqlite3.Connection, case_id: int) -> None:
    """Set the case row to what its whole history, merged entries in, replays to."""
    from shuoshi_cli.store.read import stored

    uid = _uid(connection, case_id)
    entries = read.history_of(connection, [case_id]).get(case_id, [])
    case = replay(case_id, uid, entries, date.max)
    if case is None:  # every case has entries; this guards the update below all the same
        return
    values = {name: stored(getattr(case, name)) for name in FIELD_TYPES}
    sets = ", ".join(f"{name} = :{name}" for name in values)
    try:
        connection.execute(f"UPDATE cases SET {sets} WHERE id = :id", {**values, "id": case_id})
    except sqlite3.IntegrityError:
        # The two copies' entries together make a case the file's rules refuse (say, closed
        # twice on different days): nothing is merged, the clerk settles it first.
        raise WrongState("merge_conflict", id=case_id) from None


def _merge_note(name: str, rows: list[Row]) -> str:
    """The progress note left on a case: where its merged entries came from, and which they are."""
    shown = "，".join(
        f"{row.effective} {messages.field_name(row.field, 'zh')}" for row in rows[:20]
    )
    more = f" 等 {len(rows)} 条" if len(rows) > 20 else ""
    return f"{MERGED_FROM}{name} 的 {len(rows)} 条记录：{shown}{more}"
