"""The month sweeps must be served by indexes the planner really uses (EXPLAIN QUERY PLAN)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from shuoshi_cli.figures import month_scope
from shuoshi_cli.ledgerfile import LedgerInfo, create_ledger
from shuoshi_cli.reader import SCOPE_SQL, TALLY_SQL, _params


def _plan(path: Path, sql: str, params: dict[str, str]) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql, params)]
    finally:
        con.close()


def test_month_tally_reads_history_by_index_only(tmp_path: Path) -> None:
    path = tmp_path / "村.db"
    create_ledger(path, LedgerInfo("村", "镇", "县"))
    scope = month_scope("2026-10", None, date(2026, 11, 27))
    plan = _plan(path, SCOPE_SQL + TALLY_SQL.format(key="NULL"), _params(scope))
    assert plan.count("SEARCH history USING COVERING INDEX ix_history_effective (effective>?)") == 2
    assert "SEARCH history USING INDEX ix_history_case (case_id=? AND effective<?)" in plan
    assert "SEARCH v USING INDEX ix_supervisions_case (case_id=?)" in plan
    assert not [step for step in plan if step.startswith("SCAN history")], plan


def test_overdue_count_uses_the_status_deadline_index(tmp_path: Path) -> None:
    path = tmp_path / "村.db"
    create_ledger(path, LedgerInfo("村", "镇", "县"))
    plan = _plan(
        path,
        "SELECT count(*) FROM cases WHERE status = 'open' AND deadline < :d",
        {"d": "2026-11-27"},
    )
    assert plan == [
        "SEARCH cases USING COVERING INDEX ix_cases_status_deadline (status=? AND deadline<?)"
    ]
