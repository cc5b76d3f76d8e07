"""What each ledger reads for the ``letters`` report (store/sweep.py ``sweep`` runs it read-only).

Every letter sent in the period with its reply as recorded by the period's day, from the ledger's
``supervisions`` table; each case as it stood at that day (store/read.py ``supervised_cases``).
"""

from __future__ import annotations

import sqlite3

from shuoshi_cli.core.case import LedgerInfo
from shuoshi_cli.core.periods import Scope
from shuoshi_cli.core.replies import SentLetter, sent_letters
from shuoshi_cli.store.read import supervised_cases


def replies_work(
    scope: Scope, connection: sqlite3.Connection, info: LedgerInfo
) -> list[SentLetter]:
    """The ledger's letters sent from the period's first day to its day D."""
    return [
        item
        for case in supervised_cases(connection, scope.start, scope.as_of)
        for item in sent_letters(info.village, info.township, case, scope)
    ]
