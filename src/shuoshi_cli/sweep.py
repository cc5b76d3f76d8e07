"""Finding and reading many ledgers for the township's month (``overdue``, ``stats``, ``export``).

PATHS are files or folders; folders are searched recursively. In a folder, a file counts as a
candidate if it is an SQLite database or is named ``*.db``; migration backups (``*.bak``) and
journals are passed over silently, other files (spreadsheets, letters) too. Each ledger is opened
read-only and never changed. A candidate that is not a shuoshi ledger is skipped with a warning; a
ledger that cannot be read (corrupt, newer format, locked, interrupted write) is a problem: the
report still covers every readable ledger, and the command exits 1 afterwards (SPEC 6).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shuoshi_cli.errors import NotALedger, NotFound, ShuoshiError
from shuoshi_cli.figures import Scope, ScopedCase, scoped_cases
from shuoshi_cli.fileformat import (
    SQLITE_HEADER,
    LedgerInfo,
    open_connection,
    read_info,
    sqlite_errors,
)
from shuoshi_cli.reader import states_at

_PASSED_OVER = ("-journal", "-wal", "-shm", ".bak", ".tmp")


@dataclass(frozen=True)
class LedgerMonth:
    """One ledger's share of the month."""

    path: Path
    info: LedgerInfo
    cases: list[ScopedCase]


@dataclass
class Sweep:
    """What a sweep read: the ledgers, the files skipped and the ledgers that failed."""

    ledgers: list[LedgerMonth] = field(default_factory=list)
    skipped: list[tuple[Path, ShuoshiError]] = field(default_factory=list)
    problems: list[tuple[Path, ShuoshiError]] = field(default_factory=list)

    @property
    def cases(self) -> list[ScopedCase]:
        return [c for ledger in self.ledgers for c in ledger.cases]


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
                key=lambda p: str(p),
            )
            candidates = [(p, False) for p in found if p.is_file() and _is_candidate(p)]
        else:
            candidates = [(path, True)]
        for candidate, explicit in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                yield candidate, explicit


def read_month(
    paths: Iterable[str | os.PathLike[str]],
    scope: Scope,
    progress: Callable[[int, int], None] | None = None,
) -> Sweep:
    """Read every ledger under ``paths`` as it stood at the end of ``scope.as_of``."""
    sweep = Sweep()
    files = list(find_ledgers(paths))
    for number, (path, explicit) in enumerate(files, start=1):
        try:
            sweep.ledgers.append(_read_one(path, scope))
        except NotALedger as error:
            (sweep.problems if explicit else sweep.skipped).append((path, error))
        except ShuoshiError as error:
            sweep.problems.append((path, error))
        if progress is not None:
            progress(number, len(files))
    return sweep


def _read_one(path: Path, scope: Scope) -> LedgerMonth:
    file, connection = open_connection(path, write=False)
    try:
        with sqlite_errors(file):
            info = read_info(connection)
            at_end, at_carry = states_at(connection, [scope.as_of, scope.carried_from])
    finally:
        connection.close()
    return LedgerMonth(
        file, info, scoped_cases(info.village, info.township, at_end, at_carry, scope)
    )
