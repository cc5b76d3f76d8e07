"""The month sweeps must be served by indexes the planner really uses (EXPLAIN QUERY PLAN)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from shuoshi_cli.core.case import LedgerInfo
from shuoshi_cli.core.periods import month_scope
from shuoshi_cli.store.read import _params, tally_sql
from shuoshi_cli.store.write import create_ledger


def _plan(path: Path, sql: str, params: dict[str, str]) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql, params)]
    finally:
        con.close()


def test_month_tally_reads_the_timeline_by_index_ranges_only(tmp_path: Path) -> None:
    path = tmp_path / "村.db"
    create_ledger(path, LedgerInfo("村", "镇", "县"))
    scope = month_scope("2026-10", None, date(2026, 11, 27))
    plan = _plan(path, tally_sql(None), _params(scope))
    searches = [step for step in plan if step.startswith(("SEARCH", "SCAN"))]
    assert searches == [
        # received in the month: the index holds all the counts read
        "SEARCH t USING COVERING INDEX ix_timeline_received (received_on>? AND received_on<?)",
        # received before and open at some day-end of the month (a list built from the status
        # index), then each such case's row at D by its primary key
        "SEARCH t USING PRIMARY KEY (case_id=? AND since<?)",
        "SEARCH c USING COVERING INDEX ix_timeline_status (status=? AND until>?)",
        # ... or reopened in the month (also when closed again the same day): its history range
        "SEARCH h USING COVERING INDEX ix_history_reopened (effective>? AND effective<?)",
        "SCAN scoped",  # the month's rows themselves, already narrowed
    ]


def test_grouping_by_a_case_column_reads_the_same_ranges(tmp_path: Path) -> None:
    path = tmp_path / "村.db"
    create_ledger(path, LedgerInfo("村", "镇", "县"))
    scope = month_scope("2026-10", None, date(2026, 11, 27))
    plan = _plan(path, tally_sql("category"), _params(scope))
    assert "SEARCH t USING INDEX ix_timeline_received (received_on>? AND received_on<?)" in plan
    assert "SEARCH c USING COVERING INDEX ix_timeline_status (status=? AND until>?)" in plan
    assert not [step for step in plan if step.startswith("SCAN") and step != "SCAN scoped"]


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
