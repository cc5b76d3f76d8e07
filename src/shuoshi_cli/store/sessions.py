"""Talk sessions (说事活动) with the matters raised at each, for ``session list``.

A matter was raised at a session when its case names that session (the ``session`` column of
``cases``) and is not void (``void_reason`` set): a case registered in error was never raised. A
session belongs to a period when it was held in it (``start <= held_on <= as_of``). One ledger is
read through ``ledger_sessions``; the township's ledgers through ``sessions_work``, which
store/sweep.py ``sweep`` runs on each ledger read-only, possibly in another process.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass

from shuoshi_cli.core.case import LedgerInfo, SessionInfo
from shuoshi_cli.core.periods import Scope
from shuoshi_cli.store.file import transaction
from shuoshi_cli.store.read import _session, named_rows
from shuoshi_cli.store.write import open_ledger


@dataclass(frozen=True)
class HeldSession:
    """A talk session, how many matters were raised at it, and the village whose ledger holds
    it (empty when one ledger is read)."""

    session: SessionInfo
    raised: int
    village: str = ""
    township: str = ""
    county: str = ""

    @property
    def place(self) -> tuple[str, str, str]:
        """The village as core/figures.py ``place_names`` keys it."""
        return (self.county, self.township, self.village)


# The counts are taken once over the cases (no index on ``session``: a ledger has a few sessions
# and a scan of its cases is cheaper than one), then joined to the sessions asked for.
_HELD_SQL = """
SELECT s.id, s.held_on, s.place, s.topic, s.host, COALESCE(r.raised, 0) AS raised
FROM sessions AS s
LEFT JOIN (
    SELECT session, COUNT(*) AS raised FROM cases
    WHERE session IS NOT NULL AND void_reason IS NULL
    GROUP BY session
) AS r ON r.session = s.id
{where}
ORDER BY {order}
"""


def held_sessions(
    connection: sqlite3.Connection, scope: Scope | None, info: LedgerInfo | None = None
) -> list[HeldSession]:
    """The sessions held in the period (every session when ``scope`` is None) with their raised
    counts; in date order for a period, in id order (as registered) for every session."""
    if scope is None:
        query = _HELD_SQL.format(where="", order="s.id")
        params: dict[str, str] = {}
    else:
        where = "WHERE s.held_on BETWEEN :start AND :as_of"
        query = _HELD_SQL.format(where=where, order="s.held_on, s.id")
        params = {"start": scope.start.isoformat(), "as_of": scope.as_of.isoformat()}
    place = (info.village, info.township, info.county) if info is not None else ("", "", "")
    return [
        HeldSession(_session(row), row["raised"], *place)
        for row in named_rows(connection.execute(query, params))
    ]


def sessions_work(
    scope: Scope, connection: sqlite3.Connection, info: LedgerInfo
) -> list[HeldSession]:
    """What ``session list PATHS`` reads of each ledger: its sessions held in the period, each
    with its village, township and county."""
    return held_sessions(connection, scope, info)


def ledger_sessions(path: str | os.PathLike[str], scope: Scope | None) -> list[HeldSession]:
    """One ledger's sessions (``session list`` on ``--db``), opened as every clerk command opens
    it, so an interrupted write is rolled back first."""
    with open_ledger(path, write=True) as ledger:
        with transaction(ledger.connection, ledger.path, write=False):
            return held_sessions(ledger.connection, scope)


def in_date_order(found: list[HeldSession]) -> list[HeldSession]:
    """Sessions of many ledgers as ``session list PATHS`` shows them: by date, then village, then
    number."""
    return sorted(
        found, key=lambda i: (i.session.held_on, i.village, i.township, i.county, i.session.id)
    )
