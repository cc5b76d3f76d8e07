"""Events entered after the day they happened: --date everywhere, notes that never block, reopening
with a new deadline, letters counted from their own date and never recorded twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import Run, folder_state, ok, refused


def _case(run: Run, case_id: int = 1) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run("show", str(case_id), "--json")).stdout)
    return data


def test_note_assign_plan_and_escalate_take_the_day_they_happened(ledger: Run) -> None:
    ok(ledger("add", "灌溉水渠堵塞", "--received", "2026-11-16"))
    ok(ledger("note", "1", "已到现场查看", "--date", "11月17日"))
    ok(ledger("assign", "1", "--owner", "李四", "--date", "2026-11-18"))
    ok(ledger("plan", "1", "列入冬修计划", "--date", "2026-11-19"))
    ok(ledger("escalate", "1", "--to", "township", "--reason", "需镇水利站", "--date", "11月20日"))
    days = {h["field"]: h["effective"] for h in _case(ledger)["history"]}
    assert (days["note"], days["owner"], days["plan"], days["level"]) == (
        "2026-11-17",
        "2026-11-18",
        "2026-11-19",
        "2026-11-20",
    )


def test_a_note_typed_today_does_not_block_a_back_dated_close(ledger: Run) -> None:
    """The clerk's case from the issue: a note today, then the closing from two days ago."""
    ok(ledger("add", "路灯不亮", "--received", "2026-11-20"))
    ok(ledger("note", "1", "电工说周三修好"))
    ok(
        ledger(
            "close", "1", "--outcome", "resolved", "--result", "已更换灯泡", "--date", "11月25日"
        )
    )
    case = _case(ledger)
    assert (case["status"], case["closed_on"]) == ("closed", "2026-11-25")


def test_an_event_still_may_not_go_back_before_another_event(ledger: Run, tmp_path: Path) -> None:
    ok(ledger("add", "路灯不亮", "--received", "2026-11-20"))
    ok(ledger("assign", "1", "--owner", "李四", "--date", "2026-11-24"))
    before = folder_state(tmp_path)
    assert (
        refused(
            ledger("close", "1", "--outcome", "resolved", "--result", "x", "--date", "11月23日")
        )
        == "事项 #1 最近一次记录在 2026-11-24，不能再登记更早的日期 2026-11-23"
    )
    assert folder_state(tmp_path) == before


def test_reopen_sets_a_new_owner_and_deadline(ledger: Run) -> None:
    ok(ledger("add", "路灯不亮", "--received", "2026-11-02", "--owner", "李四", "--due", "11月5日"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已修", "--date", "2026-11-04"))
    out = ok(
        ledger("reopen", "1", "--reason", "又坏了", "--owner", "王五", "--due", "+3wd", "--json")
    ).stdout
    case = json.loads(out)
    assert (case["status"], case["owner"], case["deadline"]) == ("open", "王五", "2026-12-02")
    assert case["closed_on"] is None and case["result"] is None


def test_reopen_refuses_a_deadline_before_the_reopening(ledger: Run, tmp_path: Path) -> None:
    ok(ledger("add", "路灯不亮", "--received", "2026-11-02"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已修", "--date", "2026-11-04"))
    before = folder_state(tmp_path)
    assert (
        refused(
            ledger("reopen", "1", "--reason", "又坏了", "--date", "11月20日", "--due", "11月19日")
        )
        == "新的完成时限 2026-11-19 早于重新办理日期 2026-11-20"
    )
    assert folder_state(tmp_path) == before


def test_a_letters_relative_deadline_counts_from_the_letters_date(ledger: Run) -> None:
    ok(ledger("add", "路灯不亮", "--received", "2026-11-02", "--due", "2026-11-09"))
    out = ok(
        ledger(
            "supervise",
            "1",
            "--letter",
            "宝峰镇督〔2026〕3号",
            "--date",
            "11月17日",
            "--due",
            "+3wd",
            "--json",
        )
    ).stdout
    case = json.loads(out)
    # 17 Nov 2026 is a Tuesday: three working days later is Friday the 20th (not from the 27th).
    assert case["deadline"] == "2026-11-20"
    assert case["supervisions"] == [
        {
            "date": "2026-11-17",
            "letter": "宝峰镇督〔2026〕3号",
            "deadline": "2026-11-20",
            "previous_deadline": "2026-11-09",
            "reply_on": None,
            "reply": None,
        }
    ]


def test_a_letter_number_is_recorded_once_per_case(ledger: Run, tmp_path: Path) -> None:
    ok(ledger("add", "路灯不亮", "--received", "2026-11-02", "--due", "2026-11-09"))
    ok(ledger("supervise", "1", "--letter", "宝峰镇督〔2026〕3号", "--date", "2026-11-17"))
    before = folder_state(tmp_path)
    assert (
        refused(ledger("supervise", "1", "--letter", "宝峰镇督〔2026〕3号"))
        == "事项 #1 已登记过督办函 宝峰镇督〔2026〕3号"
    )
    assert folder_state(tmp_path) == before
    ok(ledger("supervise", "1", "--letter", "宝峰镇督〔2026〕4号"))
