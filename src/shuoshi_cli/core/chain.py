"""The tamper-evident history: each entry is chained to the one before it by a hash.

An entry's old and new values enter the chain only as salted digests, each entry with its own random
salt. Erasing a reporter (PIPL art. 47) deletes the values and the salt but keeps the digests, so the
chain still verifies while nothing left in the file can give the name or number back. A row edited
or deleted outside shuoshi breaks the chain at that row; ``check`` reports it.

This detects edits made with ordinary tools; it is not a signature (anyone holding the file could
recompute the whole chain).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainRow:
    """The columns of one history row that the chain covers."""

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
    old_digest: str
    new_digest: str
    hash: str


def new_salt() -> str:
    return secrets.token_hex(16)


def digest(value: str | None, salt: str) -> str:
    """A value's salted digest; empty for no value."""
    if value is None:
        return ""
    return hashlib.sha256(f"{salt}\x1f{value}".encode()).hexdigest()


def link(
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
    """The hash of one entry, chained to the previous entry's hash."""
    parts = [
        previous,
        str(seq),
        str(case_id),
        at,
        effective,
        user,
        field,
        old_digest,
        new_digest,
        note or "",
    ]
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def verify(rows: Iterable[ChainRow]) -> list[tuple[int, str]]:
    """Every (seq, problem) in the chain; an empty list means the history is intact.

    Problems: ``value`` (a stored value no longer matches its digest), ``link`` (the entry or one
    before it was changed, inserted or deleted).
    """
    problems: list[tuple[int, str]] = []
    previous = GENESIS
    for row in rows:
        if row.salt is None:
            # An erased entry keeps only its digests; a value back in it was put there by hand.
            if row.old is not None or row.new is not None:
                problems.append((row.seq, "value"))
        elif (
            digest(row.old, row.salt) != row.old_digest
            or digest(row.new, row.salt) != row.new_digest
        ):
            problems.append((row.seq, "value"))
        expected = link(
            previous, row.seq, row.case_id, row.at, row.effective, row.user, row.field,
            row.old_digest, row.new_digest, row.note,
        )  # fmt: skip
        if expected != row.hash:
            problems.append((row.seq, "link"))
        previous = row.hash
    return problems
