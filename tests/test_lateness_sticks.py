"""SPEC 4 as updated (issue 13, item 1), through the CLI: lateness sticks within an open stretch,
and a case closed before a month and reopened in it is in that month's scope."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import Run, ok, out


def _json(result: Any) -> Any:
    return json.loads(out(result))


def _overdue(ledger: Run, db: Path, *period: str) -> Any:
    return _json(ledger("overdue", *period, str(db), "--json"))


def _stats(ledger: Run, db: Path, *period: str) -> Any:
    return _json(ledger("stats", *period, str(db), "--json"))["total"]


def test_a_deadline_moved_after_it_was_missed_does_not_undo_the_miss(ledger: Run, db: Path) -> None:
    ok(
        ledger(
            "add", "水渠堵塞", "--received", "2026-10-10", "--owner", "李四", "--due", "2026-10-23"
        )
    )
    on_29th = _overdue(ledger, db, "--as-of", "2026-10-29")
    assert [(c["id"], c["days_overdue"]) for c in on_29th["cases"]] == [(1, 6)]
    # A letter on the 30th sets a new deadline: the miss of 10-23 stands.
    ok(
        ledger(
            "supervise", "1", "--letter", "宝督〔2026〕7号", "--due", "2026-11-10",
            "--date", "2026-10-30",
        )
    )  # fmt: skip
    october = _overdue(ledger, db, "--month", "2026-10")
    assert october["as_of"] == "2026-10-31"
    assert [(c["id"], c["days_overdue"], c["deadline"]) for c in october["cases"]] == [
        (1, 8, "2026-11-10")  # 10-31 − 10-23, the first deadline missed; the current one shown
    ]
    stats = _stats(ledger, db, "--month", "2026-10")
    assert (stats["total"], stats["overdue"], stats["open"]) == (1, 1, 1)
    # Still overdue in November, counted from the same first missed deadline.
    november = _overdue(ledger, db, "--as-of", "2026-11-05")
    assert [(c["id"], c["days_overdue"]) for c in november["cases"]] == [(1, 13)]


def test_a_case_overdue_then_given_a_new_deadline_and_closed_before_it_is_closed_late(
    ledger: Run, db: Path
) -> None:
    ok(
        ledger(
            "add", "路灯不亮", "--received", "2026-11-01", "--owner", "李四", "--due", "2026-11-05"
        )
    )
    for day, days in (("2026-11-06", 1), ("2026-11-09", 4)):  # overdue 6-9 November
        found = _overdue(ledger, db, "--as-of", day)
        assert [(c["id"], c["days_overdue"]) for c in found["cases"]] == [(1, days)]
    ok(
        ledger(
            "supervise", "1", "--letter", "宝督〔2026〕8号", "--due", "2026-11-20",
            "--date", "2026-11-10",
        )
    )  # fmt: skip
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已修复", "--date", "2026-11-18"))
    november = _overdue(ledger, db, "--month", "2026-11")
    assert november["cases"] == []
    assert [(c["id"], c["days_late"]) for c in november["closed_late"]] == [(1, 13)]  # 18 − 5
    stats = _stats(ledger, db, "--month", "2026-11")
    assert (stats["closed"], stats["closed_late"], stats["ontime"]) == (1, 1, 0)
    assert stats["ontime_rate"] == 0.0


def test_a_deadline_moved_before_it_was_missed_is_simply_the_deadline(
    ledger: Run, db: Path
) -> None:
    ok(
        ledger(
            "add", "护栏破损", "--received", "2026-11-01", "--owner", "李四", "--due", "2026-11-05"
        )
    )
    ok(
        ledger(
            "supervise", "1", "--letter", "宝督〔2026〕9号", "--due", "2026-11-20",
            "--date", "2026-11-05",
        )
    )  # fmt: skip
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已修复", "--date", "2026-11-18"))
    november = _overdue(ledger, db, "--month", "2026-11")
    assert (november["cases"], november["closed_late"]) == ([], [])
    stats = _stats(ledger, db, "--month", "2026-11")
    assert (stats["closed_late"], stats["ontime"], stats["ontime_rate"]) == (0, 1, 1.0)


def test_a_case_closed_before_a_month_and_reopened_in_it_is_in_its_scope(
    ledger: Run, db: Path
) -> None:
    ok(
        ledger(
            "add",
            "自来水浑浊",
            "--received",
            "2026-09-10",
            "--owner",
            "李四",
            "--due",
            "2026-09-20",
        )
    )
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已处理", "--date", "2026-09-15"))
    ok(ledger("feedback", "1", "--satisfaction", "satisfied", "--date", "2026-09-16"))
    ok(ledger("reopen", "1", "--reason", "又出现浑浊", "--date", "2026-10-12"))
    october = _overdue(ledger, db, "--month", "2026-10")
    # Reopened with its deadline of 09-20 kept: a new stretch, in which that deadline was never in
    # force at the end of its day, so it cannot be missed (SPEC 4): open, not overdue.
    assert october["cases"] == []
    stats = _stats(ledger, db, "--month", "2026-10")
    assert (stats["total"], stats["carried_over"], stats["open"], stats["overdue"]) == (1, 1, 1, 0)
    # Closed on time in September (its first stretch): September is as it was.
    september = _stats(ledger, db, "--month", "2026-09")
    assert (september["total"], september["closed"], september["ontime"]) == (1, 1, 1)
    # Reopened and closed again inside October: still October's, and re-handled there.
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已换管", "--date", "2026-10-20"))
    ok(ledger("feedback", "1", "--satisfaction", "unsatisfied", "--date", "2026-10-22"))
    stats = _stats(ledger, db, "--month", "2026-10")
    assert (stats["total"], stats["closed"], stats["closed_late"], stats["ontime"]) == (1, 1, 0, 1)
    assert (stats["answered"], stats["satisfaction_rate"]) == (1, 0.0)
    assert _overdue(ledger, db, "--month", "2026-10")["closed_late"] == []


def test_a_reopened_case_is_late_on_the_new_deadline_it_is_given(ledger: Run, db: Path) -> None:
    ok(
        ledger(
            "add",
            "自来水浑浊",
            "--received",
            "2026-09-10",
            "--owner",
            "李四",
            "--due",
            "2026-09-20",
        )
    )
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已处理", "--date", "2026-09-15"))
    reopened = ledger("reopen", "1", "--reason", "又出现浑浊", "--date", "2026-10-12")
    # The clerk is told the kept deadline has passed and cannot make the case late.
    assert ok(reopened).stderr == (
        "提示：原完成时限 2026-09-20 已过，重新办理期间不按它计算超期；请用 assign --due 给新的完成时限\n"
    )
    ok(ledger("assign", "1", "--owner", "李四", "--due", "2026-10-15", "--date", "2026-10-12"))
    october = _overdue(ledger, db, "--month", "2026-10")
    assert [(c["id"], c["days_overdue"]) for c in october["cases"]] == [(1, 16)]  # from 10-15
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已换管", "--date", "2026-10-20"))
    late = _overdue(ledger, db, "--month", "2026-10")["closed_late"]
    assert [(c["id"], c["days_late"]) for c in late] == [(1, 5)]  # 10-20 − 10-15
    # reopen --due gives the new deadline at once: no hint.
    ok(ledger("reopen", "1", "--reason", "又坏了", "--date", "2026-10-25", "--due", "2026-10-30"))
    assert _overdue(ledger, db, "--as-of", "2026-11-02")["cases"][0]["days_overdue"] == 3


def test_a_case_reopened_and_closed_again_on_one_day_is_in_that_months_scope(
    ledger: Run, db: Path
) -> None:
    """Re-handled inside October on a single day (open at the end of no day of October): it is
    October's, and its new answer counts (issue 13: 满意率 85.7% (6/7), not 100.0% (6/6))."""
    ok(ledger("add", "路灯不亮", "--received", "2026-09-10", "--owner", "李四"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已修", "--date", "2026-09-26"))
    ok(ledger("feedback", "1", "--satisfaction", "satisfied", "--date", "2026-09-27"))
    assert _stats(ledger, db, "--month", "2026-10")["total"] == 0
    ok(ledger("reopen", "1", "--reason", "又坏了", "--date", "2026-10-17"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "换灯", "--date", "2026-10-17"))
    ok(ledger("feedback", "1", "--satisfaction", "unsatisfied", "--date", "2026-10-19"))
    october = _stats(ledger, db, "--month", "2026-10")
    assert (october["total"], october["carried_over"], october["closed"]) == (1, 1, 1)
    assert (october["answered"], october["satisfied"]) == (1, 0)
    listed = _json(ledger("list", "--month", "2026-10", "--status", "all", "--json"))
    assert [c["id"] for c in listed] == [1]
    assert _stats(ledger, db, "--month", "2026-11")["total"] == 0  # closed before November
    quarter = _stats(ledger, db, "--period", "2026-Q4")
    assert quarter["total"] == 1
