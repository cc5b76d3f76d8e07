"""Corrections (edit, void, restore, feedback --correct): a mistake fixed leaves every figure as if
it had never been made, from the case's start, and the history keeps what was there before."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date as _date
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import Run, folder_state, ok, refused
from shuoshi_cli.cli import app
from shuoshi_cli.core.history import HistoryEntry, replay


def _on(db: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--db", str(db), *args])


def _init(db: Path) -> None:
    ok(_on(db, "init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县"))


def _stats(folder: Path, month: str, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["stats", "--month", month, str(folder), "--json", *extra])
    data: dict[str, Any] = json.loads(ok(result).stdout)
    # The figures only: the entries recorded late differ (the corrections are some of them).
    data.pop("late_entries")
    return data


def _month_answers(folder: Path) -> list[dict[str, Any]]:
    return [
        _stats(folder, month, *by)
        for month in ("2026-10", "2026-11")
        for by in ((), ("--by", "category"), ("--by", "channel"))
    ]


def test_a_clerks_mistakes_corrected_give_the_figures_of_a_clean_ledger(tmp_path: Path) -> None:
    """Two villages' ledgers: one entered right, one with a typo'd category, a wrong channel, a
    received date a week off, a duplicate and a test entry, all corrected or voided later."""
    (clean_folder := tmp_path / "clean").mkdir()
    (messy_folder := tmp_path / "messy").mkdir()
    clean, messy = clean_folder / "石境村.db", messy_folder / "石境村.db"
    _init(clean)
    _init(messy)
    for db in (clean, messy):
        ok(_on(db, "add", "路灯不亮", "--category", "基础设施", "--received", "2026-10-08",
               "--due", "2026-10-15", "--channel", "talk"))  # fmt: skip
    ok(_on(clean, "add", "垃圾清运不及时", "--category", "环境卫生", "--received", "2026-10-20",
           "--channel", "visit"))  # fmt: skip
    ok(_on(messy, "add", "垃圾清运不及时", "--category", "环境卫生", "--received", "2026-10-27",
           "--channel", "phone"))  # fmt: skip
    ok(_on(messy, "add", "路灯不亮", "--category", "基础设施", "--received", "2026-10-09"))
    ok(_on(messy, "add", "测试", "--received", "2026-11-02"))
    for db in (clean, messy):
        ok(_on(db, "add", "减速带损坏", "--received", "2026-11-03", "--category",
               "基础实施" if db == messy else "基础设施"))  # fmt: skip
        ok(
            _on(
                db,
                "close",
                "1",
                "--outcome",
                "resolved",
                "--result",
                "已修",
                "--date",
                "2026-10-20",
            )
        )
        ok(_on(db, "feedback", "1", "--satisfaction", "satisfied", "--date", "2026-10-21"))
    # The corrections, made weeks later.
    ok(
        _on(
            messy, "edit", "2", "--received", "2026-10-20", "--channel", "visit", "--reason", "录错"
        )
    )
    ok(_on(messy, "void", "3", "--reason", "重复登记", "--duplicate-of", "1"))
    ok(_on(messy, "void", "4", "--reason", "测试数据"))
    ok(_on(messy, "edit", "5", "--category", "基础设施", "--reason", "错别字"))
    assert _month_answers(messy_folder) == _month_answers(clean_folder)
    listed = json.loads(ok(_on(messy, "list", "--status", "all", "--json")).stdout)
    assert [c["id"] for c in listed] == [2, 5, 1]


def test_edit_keeps_the_old_values_in_the_history(ledger: Run) -> None:
    ok(ledger("add", "减速带损怀", "--category", "基础实施", "--phone", "13800000000"))
    out = ok(ledger("edit", "1", "--title", "减速带损坏", "--category", "基础设施",
                    "--reason", "错别字", "--json")).stdout  # fmt: skip
    case = json.loads(out)
    assert (case["title"], case["category"]) == ("减速带损坏", "基础设施")
    history = json.loads(ok(ledger("history", "1", "--json")).stdout)
    fixes = [(h["field"], h["old"], h["new"], h["note"]) for h in history if h["note"] == "错别字"]
    assert fixes == [
        ("correct:title", "减速带损怀", "减速带损坏", "错别字"),
        ("correct:category", "基础实施", "基础设施", "错别字"),
    ]
    assert ok(ledger("check")).stdout == ""


def test_edit_refuses_nothing_to_change_and_never_echoes_a_phone(
    ledger: Run, tmp_path: Path
) -> None:
    ok(ledger("add", "路灯不亮", "--phone", "13800000000", "--received", "2026-11-20"))
    ok(ledger("assign", "1", "--owner", "李四", "--date", "2026-11-22"))
    before = folder_state(tmp_path)
    assert (
        refused(ledger("edit", "1", "--title", "路灯不亮", "--reason", "x")) == "事项 #1 没有变化"
    )
    message = refused(ledger("edit", "1", "--phone", "1380000000", "--reason", "x"))
    assert "1380000000" not in message
    assert (
        refused(ledger("edit", "1", "--received", "2026-11-23", "--reason", "x"))
        == "受理日期 2026-11-23 晚于该事项 2026-11-22 的办理记录"
    )
    assert refused(ledger("edit", "1", "--title", "新标题", "--reason", " ")) == "理由不能为空"
    assert folder_state(tmp_path) == before


def test_a_corrected_phone_is_erased_with_the_reporter(ledger: Run, db: Path) -> None:
    ok(ledger("add", "路灯不亮", "--reporter", "张三", "--phone", "13800000000"))
    ok(ledger("edit", "1", "--phone", "13900000000", "--reason", "号码记错"))
    ok(ledger("erase-reporter", "1", "--yes"))
    data = db.read_bytes()
    assert b"13800000000" not in data and b"13900000000" not in data
    assert "张三".encode() not in data
    assert ok(ledger("check")).stdout == ""


def test_anonymous_by_correction_drops_the_name_and_phone(ledger: Run) -> None:
    ok(ledger("add", "邻里纠纷", "--reporter", "张三", "--phone", "13800000000"))
    case = json.loads(
        ok(ledger("edit", "1", "--anonymous", "--reason", "本人要求匿名", "--json")).stdout
    )
    assert (case["anonymous"], case["reporter"], case["phone"]) == (True, None, None)


def test_a_void_case_is_nowhere_until_restored(ledger: Run, tmp_path: Path) -> None:
    ok(ledger("add", "路灯不亮", "--received", "2026-11-02", "--due", "2026-11-05"))
    ok(ledger("add", "路灯不亮", "--received", "2026-11-02", "--due", "2026-11-05"))
    ok(ledger("void", "2", "--reason", "重复登记", "--duplicate-of", "1"))
    overdue = json.loads(ok(ledger("overdue", str(tmp_path), "--json")).stdout)
    assert [c["id"] for c in overdue["cases"]] == [1]
    assert _stats(tmp_path, "2026-11")["total"]["total"] == 1
    shown = json.loads(ok(ledger("show", "2", "--json")).stdout)
    assert (shown["status"], shown["void_reason"], shown["duplicate_of"]) == ("void", "重复登记", 1)
    before = folder_state(tmp_path)
    assert (
        refused(ledger("close", "2", "--outcome", "resolved", "--result", "x"))
        == "事项 #2 已作废；如属误作废请先 restore"
    )
    assert refused(ledger("void", "1", "--reason", "x", "--duplicate-of", "9")) == (
        "没有可对应的重复事项 #9"
    )
    assert folder_state(tmp_path) == before
    voided = json.loads(ok(ledger("list", "--status", "作废", "--json")).stdout)
    assert [(c["id"], c["status"], c["void_reason"]) for c in voided] == [(2, "void", "重复登记")]
    listed = json.loads(ok(ledger("list", "--status", "all", "--json")).stdout)
    assert [c["id"] for c in listed] == [1]
    ok(ledger("restore", "2", "--reason", "并非重复"))
    assert _stats(tmp_path, "2026-11")["total"]["total"] == 2
    assert refused(ledger("restore", "2", "--reason", "x")) == "事项 #2 未作废"


def test_a_second_answer_is_a_correction_from_the_day_it_was_given(
    ledger: Run, tmp_path: Path
) -> None:
    ok(ledger("add", "路灯不亮", "--received", "2026-10-08"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已修", "--date", "2026-10-10"))
    ok(ledger("feedback", "1", "--satisfaction", "satisfied", "--date", "2026-10-12"))
    before = folder_state(tmp_path)
    assert (
        refused(ledger("feedback", "1", "--satisfaction", "unsatisfied"))
        == "事项 #1 已登记过反馈；如需更正满意度请加 --correct --reason"
    )
    assert folder_state(tmp_path) == before
    ok(
        ledger(
            "feedback", "1", "--satisfaction", "unsatisfied", "--correct", "--reason", "回访核实"
        )
    )
    october = _stats(tmp_path, "2026-10")["total"]
    assert (october["answered"], october["satisfied"]) == (1, 0)
    case = json.loads(ok(ledger("show", "1", "--json")).stdout)
    assert (case["satisfaction"], case["feedback_on"]) == ("unsatisfied", "2026-10-12")


def test_an_answer_given_after_the_feedback_is_recorded_once(ledger: Run) -> None:
    ok(ledger("add", "路灯不亮", "--received", "2026-11-08"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已修", "--date", "2026-11-10"))
    ok(ledger("feedback", "1", "--date", "2026-11-12"))
    assert refused(ledger("feedback", "1")) == (
        "事项 #1 已登记过反馈；如需更正满意度请加 --correct --reason"
    )
    case = json.loads(ok(ledger("feedback", "1", "--satisfaction", "basic", "--json")).stdout)
    assert (case["feedback_on"], case["satisfaction"]) == ("2026-11-12", "basic")


def test_possible_duplicates_need_the_same_person_a_similar_title_and_30_days() -> None:
    from datetime import date

    from shuoshi_cli.core.case import Case
    from shuoshi_cli.core.rules import possible_duplicates

    new = Case(9, "n", title="减速带损坏！", reporter="张三", received_on=date(2026, 11, 20))
    others = [
        Case(1, "a", title="减速带损怀", reporter="张三", received_on=date(2026, 11, 10)),
        Case(2, "b", title="路灯不亮", reporter="张三", received_on=date(2026, 11, 10)),
        Case(3, "c", title="减速带损坏", reporter="李四", received_on=date(2026, 11, 10)),
        Case(4, "d", title="村口减速带损坏", reporter="张三", received_on=date(2026, 10, 21)),
        Case(5, "e", title="减速带", reporter="张三", received_on=date(2026, 10, 19)),
        Case(
            6,
            "f",
            title="减速带损坏",
            reporter="张三",
            received_on=date(2026, 11, 1),
            void_reason="重复",
        ),  # fmt: skip
    ]
    assert possible_duplicates(new, others) == [1, 4]
    anonymous = Case(10, "x", title="减速带损坏", received_on=date(2026, 11, 20), anonymous=True)
    assert possible_duplicates(anonymous, others) == []


# ---------------------------------------------------------------- property: corrected replay


_START = _date(2026, 10, 1)
_EVENTS = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from(["owner", "deadline", "level", "note"])),
    max_size=8,
)
_FIXES = st.lists(
    st.tuples(
        st.integers(0, 60),  # the day the correction is made
        st.sampled_from(["title", "category", "channel", "received_on"]),
        st.integers(0, 5),
    ),
    max_size=5,
)
_VALUES = {
    "title": ["路灯不亮", "路灯坏了", "村口路灯"],
    "category": ["基础设施", "基础实施", "环境卫生"],
    "channel": ["talk", "visit", "phone"],
}


@settings(max_examples=300, deadline=None)
@given(received=st.integers(0, 10), events=_EVENTS, fixes=_FIXES)
def test_replay_with_corrections_is_the_history_entered_right_from_the_start(
    received: int, events: list[tuple[int, str]], fixes: list[tuple[int, str, int]]
) -> None:
    """For every day, a history with corrections replays to the state of the same history with
    the corrected values registered in the first place (and none of the corrections)."""
    day0 = _START + timedelta(days=received)
    registered = {"title": "路灯不亮", "category": "基础设施", "channel": "talk",
                  "received_on": day0.isoformat(), "status": "open", "level": "village"}  # fmt: skip
    later = sorted((day0 + timedelta(days=1 + d), field) for d, field in events)
    first_event = later[0][0] if later else None
    final = dict(registered)
    corrections = []
    for made, field, n in sorted(fixes):
        if field == "received_on":
            value = day0 + timedelta(days=n - 3)
            if first_event is not None and value > first_event:
                continue  # the rule refuses a receipt after the case's first event
            new = value.isoformat()
        else:
            new = _VALUES[field][n % 3]
        corrections.append((made, field, new))
        final[field] = new

    def history(values: dict[str, str], with_fixes: bool) -> list[HistoryEntry]:
        start = _date.fromisoformat(values["received_on"])
        entries = [
            HistoryEntry(n, 1, "", start, "u", field, None, value)
            for n, (field, value) in enumerate(values.items(), start=1)
        ]
        for n, (day, field) in enumerate(later, start=100):
            value = {"owner": f"干部{n}", "deadline": (day + timedelta(days=3)).isoformat(),
                     "level": "township", "note": "进展"}[field]  # fmt: skip
            entries.append(HistoryEntry(n, 1, "", day, "u", field, None, value))
        if with_fixes:
            for n, (made, field, value) in enumerate(corrections, start=500):
                on = _START + timedelta(days=made)
                entries.append(HistoryEntry(n, 1, "", on, "u", f"correct:{field}", None, value))
        return entries

    fixed, right = history(registered, True), history(final, False)
    for offset in range(-5, 80):
        day = _START + timedelta(days=offset)
        a, b = replay(1, "u", fixed, day), replay(1, "u", right, day)
        if a is None or b is None:
            assert a is None and b is None, day
            continue
        # The fields agree; the last change stays the day entries were recorded as (it only
        # orders later events, and SQL reads it from the stored dates).
        assert replace(a, last_change_on=None) == replace(b, last_change_on=None), day
