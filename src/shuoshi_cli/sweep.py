"""Finding and reading many ledgers for the township's month (``overdue``, ``stats``, ``export``).

PATHS are files or folders; folders are searched recursively. In a folder, a file counts as a
candidate if it is an SQLite database or is named ``*.db``; migration backups (``*.bak``) and
journals are passed over silently, other files (spreadsheets, letters) too. Each ledger is opened
read-only and never changed. A candidate that is not a shuoshi ledger is skipped with a warning; a
ledger that cannot be read (corrupt, newer format, locked, interrupted write) is a problem: the
report still covers every readable ledger, and the command exits 1 afterwards (SPEC 6).

The month is counted inside SQLite (reader.SCOPE_SQL), one ledger at a time, so memory stays flat
in the number of files; with many files the work is spread over the machine's cores.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from shuoshi_cli import errors
from shuoshi_cli.errors import NotALedger, NotFound, ShuoshiError
from shuoshi_cli.figures import (
    OverdueItem,
    Scope,
    ScopedCase,
    Tally,
    closed_late,
    days_overdue,
    is_overdue,
)
from shuoshi_cli.fileformat import (
    SQLITE_HEADER,
    LedgerInfo,
    open_connection,
    read_info,
    sqlite_errors,
)
from shuoshi_cli.reader import GROUP_COLUMNS, cases_at, month_ids, month_tally

_PASSED_OVER = ("-journal", "-wal", "-shm", ".bak", ".tmp")
PARALLEL_FROM = 48  # ledgers; below this a second process costs more than it saves

T = TypeVar("T")


@dataclass
class Sweep(Generic[T]):
    """What a sweep read: each ledger's result, the files skipped and the ledgers that failed."""

    results: list[tuple[Path, LedgerInfo, T]] = field(default_factory=list)
    skipped: list[tuple[Path, ShuoshiError]] = field(default_factory=list)
    problems: list[tuple[Path, ShuoshiError]] = field(default_factory=list)


def _is_candidate(path: Path) -> bool:
    name = path.name.lower()
    if name.startswith(".") or name.endswith(_PASSED_OVER):
        return False
    if name.endswith(".db"):
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def find_ledgers(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path, bool]]:
    """Candidate files under ``paths`` in a stable order; the flag says it was named explicitly."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise NotFound("path_missing", path=str(path))
        if path.is_dir():
            found = sorted(
                (Path(root) / name for root, _, names in os.walk(path) for name in names),
                key=str,
            )
            candidates = [(p, False) for p in found if p.is_file() and _is_candidate(p)]
        else:
            candidates = [(path, True)]
        for candidate, explicit in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                yield candidate, explicit


def _one(
    work: Callable[[sqlite3.Connection, LedgerInfo], T], item: tuple[Path, bool]
) -> tuple[Any, ...]:
    """Read one ledger; errors travel as plain data so they cross process boundaries."""
    path, explicit = item
    try:
        file, connection = open_connection(path, write=False)
        try:
            with sqlite_errors(file):
                info = read_info(connection)
                # Which ledger this is (its first case) and when it was last written, to count a
                # backup or a copy met in the same folder only once.
                first, latest = connection.execute(
                    "SELECT (SELECT uid FROM cases ORDER BY id LIMIT 1), "
                    "(SELECT at FROM history ORDER BY seq DESC LIMIT 1)"
                ).fetchone()
                identity = (first, latest or "")
                return ("ok", path, info, work(connection, info), identity)
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
    kept: dict[str, tuple[int, str, Path]] = {}  # first case's uid -> (index, latest write, path)
    for number, outcome in enumerate(outcomes, start=1):
        if outcome[0] == "ok":
            uid, latest = outcome[4]
            if uid is not None and uid in kept:
                # The same ledger twice (a backup or a copy): count the most recently written one.
                index, other_latest, other_path = kept[uid]
                if latest > other_latest:
                    result.skipped.append(
                        (other_path, ShuoshiError("copy_of", other=str(outcome[1])))
                    )
                    result.results[index] = (outcome[1], outcome[2], outcome[3])
                    kept[uid] = (index, latest, outcome[1])
                else:
                    result.skipped.append(
                        (outcome[1], ShuoshiError("copy_of", other=str(other_path)))
                    )
            else:
                if uid is not None:
                    kept[uid] = (len(result.results), latest, outcome[1])
                result.results.append((outcome[1], outcome[2], outcome[3]))
        elif outcome[0] == "skip":
            result.skipped.append((outcome[1], _rebuild(outcome[2])))
        else:
            result.problems.append((outcome[1], _rebuild(outcome[2])))
        if progress is not None:
            progress(number, total)


# ---------------------------------------------------------------- what each command reads


def tally_work(
    scope: Scope, by: str | None, connection: sqlite3.Connection, info: LedgerInfo
) -> dict[str | None, Tally]:
    """The ledger's month counts, keyed by the group (SQL does the counting)."""
    if by in GROUP_COLUMNS:
        return month_tally(connection, scope, by)
    tallies = month_tally(connection, scope, None)
    total = sum(tallies.values(), Tally())
    key = info.village if by == "village" else info.township if by == "township" else None
    return {key: total} if total.total else {}


_LATE_OR_OVERDUE = (
    "(status = 'open' AND deadline IS NOT NULL AND deadline < :d) OR "
    "(status = 'closed' AND deadline IS NOT NULL AND closed_on > deadline AND closed_on >= :start)"
)


def overdue_work(
    scope: Scope, connection: sqlite3.Connection, info: LedgerInfo
) -> list[OverdueItem]:
    """The ledger's cases overdue at D and closed late in the month."""
    ids = month_ids(connection, scope, _LATE_OR_OVERDUE)
    items = []
    for case in cases_at(connection, list(ids), scope.as_of).values():
        if is_overdue(case, scope.as_of):
            items.append(OverdueItem(info.village, case, days_overdue(case, scope.as_of)))
        elif closed_late(case) and case.closed_on and case.deadline:
            items.append(OverdueItem(info.village, case, (case.closed_on - case.deadline).days))
    return items


def cases_work(scope: Scope, connection: sqlite3.Connection, info: LedgerInfo) -> list[ScopedCase]:
    """Every case of the month's scope in full, as it stood at D (for the workbook)."""
    ids = month_ids(connection, scope)
    states = cases_at(connection, list(ids), scope.as_of)
    return [
        ScopedCase(info.village, info.township, states[i], carried)
        for i, carried in ids.items()
        if i in states
    ]
