"""Finding and reading many ledgers for the township's month (``overdue``, ``stats``, ``export``).

PATHS are files or folders; folders are searched recursively. In a folder, a file counts as a
candidate if it is an SQLite database or is named ``*.db``; migration backups (``*.bak``) and
journals are passed over silently, other files (spreadsheets, letters) too. Each ledger is opened
read-only and never changed. A candidate that is not a shuoshi ledger is skipped with a warning; a
ledger that cannot be read (corrupt, newer format, locked, interrupted write) is a problem: the
report still covers every readable ledger, and the command exits 1 afterwards (SPEC 6).

Copies of one ledger (a backup, the USB stick's copy) are told by the ledger's identity
(store/file.py ``Head.identity``, read with the file's first statement), and only files that
share one are opened again and compared (store/merge.py ``compare``): a copy that holds nothing
the other lacks (identical, or strictly older) is counted once, the other skipped with a note;
two copies that both hold something the other lacks have diverged, and neither is counted: both
are named as problems with what each has of its own (so the figures leave the village out rather
than drop or double any case), and the command exits 1 until ``merge`` has joined them.

The month is counted inside SQLite (store/read.py ``tally_sql``, from the timeline), one ledger at
a time, so memory stays flat in the number of files; with many files the work is spread over the
machine's cores.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from shuoshi_cli.core import errors
from shuoshi_cli.core.case import LedgerInfo
from shuoshi_cli.core.errors import NotALedger, NotFound, ShuoshiError
from shuoshi_cli.core.figures import (
    GroupId,
    OverdueItem,
    ScopedCase,
    Tally,
    overdue_item,
)
from shuoshi_cli.core.periods import Scope
from shuoshi_cli.store.file import SQLITE_HEADER, open_with_head, sqlite_errors
from shuoshi_cli.store.knownby import Asked, LateEntry, as_known_by, late_entries
from shuoshi_cli.store.migrations import LATEST
from shuoshi_cli.store.read import (
    CLOSED_LATE_SQL,
    GROUP_COLUMNS,
    OVERDUE_SQL,
    month_cases,
    month_tally,
    session_tally,
)

_PASSED_OVER = ("-journal", "-wal", "-shm", ".bak", ".tmp")
PARALLEL_FROM = 48  # ledgers; below this a second process costs more than it saves

T = TypeVar("T")
U = TypeVar("U")


@dataclass
class Sweep(Generic[T]):
    """What a sweep read: each ledger's result, the files skipped and the ledgers that failed."""

    results: list[tuple[Path, LedgerInfo, T]] = field(default_factory=list)
    skipped: list[tuple[Path, ShuoshiError]] = field(default_factory=list)
    problems: list[tuple[Path, ShuoshiError]] = field(default_factory=list)
    older: int = 0  # ledgers of an older schema, read through a copy upgraded in memory


def _is_candidate(path: str) -> bool:
    name = os.path.basename(path).lower()
    if name.startswith(".") or name.endswith(_PASSED_OVER):
        return False
    if name.endswith(".db"):
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def _files_under(folder: str) -> list[str]:
    """Regular files under ``folder`` (symlinked folders not followed), sorted by path."""
    found: list[str] = []
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.is_file():
                    found.append(entry.path)
    return sorted(found)


def find_ledgers(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, bool]]:
    """Candidate files under ``paths`` in a stable order; the flag says it was named explicitly.

    A file named twice (a folder and a file in it) is read once. The same ledger reached two ways
    (a symlink, a copy) is caught later by its identity (``_collect``).
    """
    seen: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if not os.path.exists(path):
            raise NotFound("path_missing", path=path)
        if os.path.isdir(path):
            candidates = [(p, False) for p in _files_under(path) if _is_candidate(p)]
        else:
            candidates = [(path, True)]
        for candidate, explicit in candidates:
            key = os.path.normcase(os.path.abspath(candidate))
            if key not in seen:
                seen.add(key)
                yield candidate, explicit


def _one(
    work: Callable[[sqlite3.Connection, LedgerInfo], T], item: tuple[str, bool]
) -> tuple[Any, ...]:
    """Read one ledger; errors travel as plain data so they cross process boundaries."""
    path, explicit = item
    try:
        file, connection, head = open_with_head(path, write=False)
        try:
            with sqlite_errors(file):
                # Which ledger this is and when it was last written, to tell copies apart.
                identity = (head.identity, head.place, head.last_written, head.version)
                return ("ok", path, head.info, work(connection, head.info), identity)
        finally:
            connection.close()
    except NotALedger as error:
        return ("problem" if explicit else "skip", path, _flat(error))
    except ShuoshiError as error:
        return ("problem", path, _flat(error))


def _flat(error: ShuoshiError) -> tuple[str, str, dict[str, Any]]:
    return (type(error).__name__, error.key, error.params)


def _rebuild(flat: tuple[str, str, dict[str, Any]]) -> ShuoshiError:
    kind, key, params = flat
    cls = getattr(errors, kind, ShuoshiError)
    return cls(key, **params)  # type: ignore[no-any-return]


def sweep(
    paths: Iterable[str | os.PathLike[str]],
    work: Callable[[sqlite3.Connection, LedgerInfo], T],
    progress: Callable[[int, int], None] | None = None,
) -> Sweep[T]:
    """Apply ``work`` to every ledger under ``paths`` (read-only), in order, on all cores."""
    files = list(find_ledgers(paths))
    result: Sweep[T] = Sweep()
    reader = partial(_one, work)
    cores = os.cpu_count() or 1
    if len(files) >= PARALLEL_FROM and cores > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(cores, 4)) as pool:
            outcomes: Iterator[tuple[Any, ...]] = pool.map(reader, files, chunksize=16)
            _collect(result, outcomes, len(files), progress)
    else:
        _collect(result, map(reader, files), len(files), progress)
    return result


def _collect(
    result: Sweep[Any],
    outcomes: Iterator[tuple[Any, ...]],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    read: list[_Read] = []
    for number, (kind, name, *rest) in enumerate(outcomes, start=1):
        path = Path(name)
        if kind == "ok":
            info, found, (identity, place, latest, version) = rest
            result.older += version < LATEST
            read.append(_Read(path, info, found, identity, place, latest))
        elif kind == "skip":
            result.skipped.append((path, _rebuild(rest[0])))
        else:
            result.problems.append((path, _rebuild(rest[0])))
        if progress is not None:
            progress(number, total)
    left_out: set[int] = set()
    for members in _copies(read):
        left_out |= _settle_copies(result, [read[i] for i in members], members)
    result.results = [
        (item.path, item.info, item.found) for i, item in enumerate(read) if i not in left_out
    ]


@dataclass(frozen=True)
class _Read:
    """A ledger read, with what tells its copies apart."""

    path: Path
    info: LedgerInfo
    found: Any
    identity: str
    place: str
    latest: str  # when its history was last written


def _copies(read: list[_Read]) -> list[list[int]]:
    """Indexes of the files that are copies of one ledger, for every ledger met more than once."""
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(read):
        # A copy keeps its village too: files that share an id but name other villages (a ledger
        # copied to start another village's, a generated county) are not copies of each other.
        key = (
            item.identity if item.identity.startswith("place:") else f"{item.identity}|{item.place}"
        )
        groups.setdefault(key, []).append(index)
    # A file made before ledger ids with no case yet is an older copy of the same village's file
    # of that time that has cases since (store/merge.py ``same_ledger``).
    for key in [k for k in groups if k.startswith("place:")]:
        target = next(
            (k for k in groups if k.startswith("uid:") and read[groups[k][0]].place == key[6:]),
            None,
        )
        if target is not None:
            groups[target] += groups.pop(key)
    return [sorted(members) for members in groups.values() if len(members) > 1]


def _settle_copies(result: Sweep[Any], group: list[_Read], indexes: list[int]) -> set[int]:
    """Decide which of a ledger's copies is counted; returns the indexes left out.

    Each copy is read again and compared with the others. The copies that no other one holds
    entirely are the ledger's latest states: if that is one copy (any copy identical to it is the
    same state), it is counted and the rest are skipped with a note; if there are several, they
    have diverged and none is counted: each is a problem naming the others with what it has of its
    own, and the older copies are skipped with a note.
    """
    from shuoshi_cli.store.merge import Copy, Side, compare, read_file

    read: dict[int, Copy] = {}  # position in ``group`` -> the copy as read again
    for n, item in enumerate(group):
        try:
            read[n] = read_file(item.path)
        except ShuoshiError as error:  # changed or gone since it was read a moment ago
            result.problems.append((item.path, error))
    sides: dict[tuple[int, int], Side] = {}  # (a, b) -> what a has that b lacks
    for a in read:
        for b in read:
            if a < b:
                comparison = compare(read[a], read[b])
                sides[a, b], sides[b, a] = comparison.first, comparison.second

    def lacks(a: int, b: int) -> bool:
        """Whether copy ``a`` has something copy ``b`` lacks."""
        return not sides[a, b].nothing

    # Identical copies are one state: the one written last stands for it (then the first found).
    states: list[int] = []
    for n in sorted(read, key=lambda n: group[n].latest, reverse=True):
        twin = next((s for s in states if not lacks(n, s) and not lacks(s, n)), None)
        if twin is None:
            states.append(n)
        else:
            result.skipped.append((group[n].path, _note("same_copy", group[twin].path)))
    latest = [s for s in states if all(lacks(s, o) for o in states if o != s)] or states
    for s in states:
        if s not in latest:
            newer = next((o for o in latest if not lacks(s, o)), latest[0])
            result.skipped.append((group[s].path, _note("older_copy", group[newer].path)))
    if len(latest) == 1:
        return {i for n, i in enumerate(indexes) if n != latest[0]}
    for s in latest:
        for o in latest:
            if o != s:
                mine, theirs = sides[s, o], sides[o, s]
                diverged = ShuoshiError(
                    "diverged_copy",
                    path=str(group[s].path),
                    other=str(group[o].path),
                    new=mine.new_cases,
                    changed=mine.changed_cases,
                    sessions=mine.sessions,
                    other_new=theirs.new_cases,
                    other_changed=theirs.changed_cases,
                    other_sessions=theirs.sessions,
                )
                result.problems.append((group[s].path, diverged))
    return set(indexes)


def _note(key: str, other: Path) -> ShuoshiError:
    return ShuoshiError(key, other=str(other))


def then(
    work: Callable[[sqlite3.Connection, LedgerInfo], T], convert: Callable[[T], U]
) -> Callable[[sqlite3.Connection, LedgerInfo], U]:
    """``work`` followed by ``convert``, both where the ledger is read: converting a county's
    results (to JSON, say) then uses every core, and less crosses between processes."""
    return partial(_then, work, convert)


def _then(
    work: Callable[[sqlite3.Connection, LedgerInfo], T],
    convert: Callable[[T], U],
    connection: sqlite3.Connection,
    info: LedgerInfo,
) -> U:
    return convert(work(connection, info))


# ---------------------------------------------------------------- what each command reads


def tally_work(
    scope: Scope, by: str | None, connection: sqlite3.Connection, info: LedgerInfo
) -> dict[GroupId, Tally]:
    """The ledger's month counts, keyed by the group (SQL does the counting; figures.py
    ``group_names`` names the groups). A village is keyed by county + township + village and is
    there with nothing in scope too (total 0), so every ledger read is a row of ``--by village``."""
    place = (info.county, info.township, info.village)
    if by in GROUP_COLUMNS:
        found: dict[Any, Tally] = month_tally(connection, scope, by)
        if by == "owner":  # the 村主任 of two villages are two people
            return {(*place, owner): tally for owner, tally in found.items()}
        return found
    total = month_tally(connection, scope, None).get(None) or Tally()
    if by == "village":
        return {place: total}
    if by == "township":
        return {place[:2]: total}
    return {None: total}


@dataclass(frozen=True)
class StatsReading:
    """What ``stats`` reads of one ledger for one period (store/sweep.py ``stats_work``)."""

    counts: dict[GroupId, Tally]
    sessions: Tally
    late: list[LateEntry]
    # With --known-by, the period as everything recorded since has it (the total, sessions
    # included) and how many entries about it were recorded after the moment; else None.
    now: tuple[Tally, int] | None = None


def stats_work(
    scopes: tuple[Scope, ...],
    by: str | None,
    asked: Asked,
    connection: sqlite3.Connection,
    info: LedgerInfo,
) -> list[StatsReading]:
    """What ``stats`` reads of a ledger for each period asked (the months of ``--trend``, in one
    reading of the ledger, each its own scope), from the ledger as known by the moment asked
    (store/knownby.py): ``tally_work``'s counts, the village's talk sessions and the period's
    late entries; with ``--known-by`` also the last period as it stands now, to say what the
    entries recorded since changed."""
    known = connection if asked.moment is None else as_known_by(connection, asked.moment)
    try:
        found = [
            StatsReading(
                tally_work(scope, by, known, info),
                session_tally(known, scope),
                late_entries(known, scope, asked),
            )
            for scope in scopes
        ]
    finally:
        if known is not connection:  # an in-memory copy: give its memory back now
            known.close()
    if asked.moment is not None:
        last = scopes[-1]
        total = (month_tally(connection, last, None).get(None) or Tally()) + session_tally(
            connection, last
        )
        later = len(late_entries(connection, last, asked, after=asked.moment))
        found[-1] = replace(found[-1], now=(total, later))
    return found


# Overdue at D, or closed late within the month (SQL over each case's state at D).
_LATE_OR_OVERDUE = f"{OVERDUE_SQL} OR ({CLOSED_LATE_SQL} AND closed_on >= :start)"


def overdue_work(
    scope: Scope, connection: sqlite3.Connection, info: LedgerInfo
) -> list[OverdueItem]:
    """The ledger's cases overdue at D and closed late in the month."""
    found = (
        overdue_item(info.village, case, scope)
        for case, _ in month_cases(connection, scope, _LATE_OR_OVERDUE)
    )
    return [item for item in found if item is not None]


def cases_work(scope: Scope, connection: sqlite3.Connection, info: LedgerInfo) -> list[ScopedCase]:
    """Every case of the month's scope in full, as it stood at D (for the workbook)."""
    return [
        ScopedCase(info.village, info.township, case, carried, info.county)
        for case, carried in month_cases(connection, scope)
    ]


def export_work(
    scope: Scope, connection: sqlite3.Connection, info: LedgerInfo
) -> tuple[list[ScopedCase], tuple[Tally, ...], Tally]:
    """What ``export`` reads of a ledger: the period's cases in full, for a period longer than a
    month each month's counts (the trend sheet), and the village's talk sessions."""
    months = scope.months()
    trend: tuple[Tally, ...] = ()
    if len(months) > 1:
        trend = tuple(
            (month_tally(connection, m, None).get(None) or Tally()) + session_tally(connection, m)
            for m in months
        )
    return cases_work(scope, connection, info), trend, session_tally(connection, scope)


def letters_work(
    scope: Scope, connection: sqlite3.Connection, info: LedgerInfo
) -> tuple[list[OverdueItem], list[OverdueItem], list[str]]:
    """What ``overdue --letters`` reads of a ledger: the month's list (as ``overdue_work``), each
    case overdue at D as it stands now (with its days overdue at D: a letter dated today asks
    only for what is still open, of whoever handles it now) and the letter numbers recorded."""
    from shuoshi_cli.core.lateness import is_overdue
    from shuoshi_cli.store.read import letter_numbers, one_case

    items = overdue_work(scope, connection, info)
    now = []
    for item in items:
        if is_overdue(item.case, scope.as_of):
            case = one_case(connection, item.case.id)
            if case is not None:
                now.append(OverdueItem(item.village, case, item.days))
    return items, now, letter_numbers(connection)
