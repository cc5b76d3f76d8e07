"""Reports that can be reproduced (SPEC 4): ``--known-by`` answers from what was recorded by then.

The ledger as known by a moment (store/knownby.py) must be the ledger as it was at that moment:
built from random histories in which entries are recorded out of their effective order (补录), it
gives the same figures, cases and late entries as a ledger that only ever had the entries
recorded by then. Through the CLI, a report printed on one day is printed again, byte for byte,
by ``--known-by`` that day after back-dated closings, voids, corrections, new back-dated cases,
letters and sessions.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from shuoshi_cli.cli import app
from shuoshi_cli.core.case import LedgerInfo
from shuoshi_cli.core.dates import ParsedDate, parse_moment
from shuoshi_cli.core.errors import BadDate, ShuoshiError
from shuoshi_cli.core.periods import month_scope, parse_period, range_scope
from shuoshi_cli.core.rules import NewCase
from shuoshi_cli.store import write
from shuoshi_cli.store.knownby import Asked, as_known_by, late_entries
from shuoshi_cli.store.read import month_cases, month_tally, session_tally
from shuoshi_cli.store.write import create_ledger, open_ledger
from test_sql_figures import START, TODAY, _apply, step

ZONE = UTC
BASE = datetime(2026, 8, 20, 9, 0, tzinfo=UTC)
TICK = timedelta(days=2, hours=1)  # records days apart: many after the periods they are about


def _build(
    path: Path,
    received: list[int],
    steps: list[tuple[int, int, str, int]],
    upto: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ledger with the cases and the first ``upto`` steps, record ``i`` written at BASE + i
    ticks (cases first, then steps in the order given, whatever their effective days)."""
    tick = iter(range(10_000))
    monkeypatch.setattr(write, "now_text", lambda: (BASE + next(tick) * TICK).isoformat())
    create_ledger(path, LedgerInfo("村", "镇", "县"))
    with open_ledger(path, write=True) as book:
        days = sorted(START + timedelta(days=r) for r in received)
        for i, day in enumerate(days):
            due = ParsedDate(day + timedelta(days=i % 7)) if i % 3 else None
            draft = NewCase(title=f"事项{i}", received_on=day, due=due)
            if len(days) + 0 > upto and i >= upto:
                break
            book.add(draft, today=TODAY, user="t")
        clock = {i + 1: d for i, d in enumerate(days)}
        for number, (which, later, action, n) in enumerate(steps):
            if len(days) + number >= upto:
                break
            case_id = which % len(days) + 1
            on = min(clock[case_id] + timedelta(days=later % 40), TODAY)
            try:
                _apply(book, case_id, action, on, n)
                clock[case_id] = on
            except ShuoshiError:
                next(tick)  # a refused command still takes its tick, in both ledgers


SCOPES = [
    month_scope("2026-08", None, TODAY),
    month_scope("2026-09", None, TODAY),
    parse_period("2026-Q3", TODAY),
    range_scope(date(2026, 9, 10), date(2026, 10, 20), TODAY),
]


def _answers(connection: sqlite3.Connection) -> list[object]:
    asked = Asked(ZONE, TODAY)
    found: list[object] = []
    for scope in SCOPES:
        found.append(month_tally(connection, scope, None))
        found.append(month_tally(connection, scope, "owner"))
        found.append(session_tally(connection, scope))
        found.append(
            [(replace(c, uid=""), carried) for c, carried in month_cases(connection, scope)]
        )
        found.append(
            [
                (e.case_id, e.field, e.old, e.new, e.effective, e.at)
                for e in late_entries(connection, scope, asked)
            ]
        )
    return found


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    received=st.lists(st.integers(0, 80), min_size=1, max_size=8),
    steps=st.lists(step, max_size=25),
    cut=st.integers(0, 100),  # percent of the records known by the moment
)
def test_the_ledger_known_by_a_moment_is_the_ledger_of_that_moment(
    received: list[int],
    steps: list[tuple[int, int, str, int]],
    cut: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        whole, then = Path(folder) / "全.db", Path(folder) / "当时.db"
        total = len(received) + len(steps)
        upto = total * cut // 100
        _build(whole, received, steps, total, monkeypatch)
        _build(then, received, steps, upto, monkeypatch)
        # The moment: just before the (upto)-th record was written.
        moment = BASE + upto * TICK - timedelta(minutes=30)
        with sqlite3.connect(whole) as full, sqlite3.connect(then) as past:
            known = as_known_by(full, moment)
            answers = _answers(known)
            assert answers == _answers(past)
            event(f"rolled back: {known is not full}")
            event(f"differs from now: {answers != _answers(full)}")
            event(f"late entries: {any(answers[4::5])}")


# ---------------------------------------------------------------- through the CLI

VILLAGE = "石境村"


def cli(*args: str, day: str, folder: Path) -> Result:
    """The CLI on ``day`` (SHUOSHI_TODAY: history records that day as when it was written)."""
    env = {"SHUOSHI_TODAY": day, "SHUOSHI_USER": "文书"}
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def clerk(folder: Path, day: str, *args: str) -> None:
    result = cli("--db", str(folder / f"{VILLAGE}.db"), *args, day=day, folder=folder)
    assert result.exit_code == 0, (args, result.output)


REPORTS = [
    ("stats", "--month", "2026-10"),
    ("stats", "--month", "2026-10", "--json"),
    ("stats", "--month", "2026-10", "--by", "owner", "--json"),
    ("stats", "--period", "2026-Q4", "--trend", "--json"),
    ("overdue", "--month", "2026-10"),
    ("overdue", "--month", "2026-10", "--json"),
    ("overdue", "--period", "2026-Q4", "--json"),
]


@pytest.fixture
def reported(tmp_path: Path) -> tuple[Path, dict[tuple[str, ...], Result]]:
    """October handled, reported on 2 November, then changed in November after the report."""
    folder = tmp_path / "台账"
    folder.mkdir()
    clerk(folder, "2026-10-01", "init", "--village", VILLAGE, "--township", "宝峰镇",
          "--county", "靖安县")  # fmt: skip
    clerk(folder, "2026-10-05", "add", "村口路灯不亮", "--owner", "李四", "--due", "2026-10-10")
    clerk(folder, "2026-10-08", "add", "水沟堵塞", "--owner", "王五", "--due", "2026-10-20")
    clerk(folder, "2026-10-09", "add", "重复登记的路灯", "--owner", "李四")
    clerk(folder, "2026-10-15", "close", "2", "--outcome", "resolved", "--result", "已疏通")
    clerk(folder, "2026-10-16", "feedback", "2", "--satisfaction", "satisfied")
    # Reported on 2 November.
    reports = {r: cli(*r, str(folder), day="2026-11-02", folder=folder) for r in REPORTS}
    listed = cli("--db", str(folder / f"{VILLAGE}.db"), "list", "--month", "2026-10",
                 "--status", "all", "--json", day="2026-11-02", folder=folder)  # fmt: skip
    reports[("list",)] = listed
    # After the report: a closing back-dated into October, a void, a correction, a case of
    # October registered late, a letter and its reply, a talk session of October registered late.
    clerk(folder, "2026-11-05", "close", "1", "--outcome", "resolved", "--result", "已更换灯泡",
          "--date", "2026-10-19")  # fmt: skip
    clerk(folder, "2026-11-05", "void", "3", "--reason", "重复登记", "--duplicate-of", "1")
    clerk(folder, "2026-11-06", "feedback", "2", "--satisfaction", "unsatisfied", "--correct",
          "--reason", "回访记错")  # fmt: skip
    clerk(folder, "2026-11-06", "session", "add", "--date", "2026-10-25", "--place", "村委会")
    clerk(folder, "2026-11-06", "add", "晒谷场积水", "--received", "2026-10-25", "--session", "1",
          "--owner", "王五", "--due", "2026-10-28")  # fmt: skip
    clerk(folder, "2026-11-07", "supervise", "4", "--letter", "宝督〔2026〕9号", "--due",
          "2026-11-12")  # fmt: skip
    clerk(folder, "2026-11-08", "supervise", "4", "--letter", "宝督〔2026〕9号", "--reply",
          "已安排", "--reply-date", "2026-11-08")  # fmt: skip
    return folder, reports


def test_a_report_is_reproduced_byte_for_byte(
    reported: tuple[Path, dict[tuple[str, ...], Result]],
) -> None:
    folder, reports = reported
    for report, then in reports.items():
        assert then.exit_code == 0, (report, then.output)
        if report == ("list",):
            args = ["--db", str(folder / f"{VILLAGE}.db"), "list", "--month", "2026-10",
                    "--status", "all", "--json"]  # fmt: skip
        else:
            args = [*report, str(folder)]
        now = cli(*args, day="2026-11-30", folder=folder)
        assert now.stdout != then.stdout, report  # the later entries did change October
        again = cli(*args, "--known-by", "2026-11-02", day="2026-11-30", folder=folder)
        assert again.exit_code == 0, again.output
        assert again.stdout == then.stdout, report


def test_late_entries_are_listed_and_what_they_changed_is_said(
    reported: tuple[Path, dict[tuple[str, ...], Result]],
) -> None:
    folder, _ = reported
    data = json.loads(cli("stats", "--month", "2026-10", "--json", str(folder),
                          day="2026-11-30", folder=folder).stdout)  # fmt: skip
    late = [(e["id"], e["field"], e["old"], e["new"], e["effective"], e["user"])
            for e in data["late_entries"]]  # fmt: skip
    assert late == [
        (1, "status", "open", "closed", "2026-10-19", "文书"),
        (1, "outcome", None, "resolved", "2026-10-19", "文书"),
        (1, "result", None, "已更换灯泡", "2026-10-19", "文书"),
        (1, "closed_on", None, "2026-10-19", "2026-10-19", "文书"),
        # corrections count from the case's start, whenever they are made
        (3, "correct:void_reason", None, "重复登记", "2026-11-05", "文书"),
        (3, "correct:duplicate_of", None, "1", "2026-11-05", "文书"),
        (2, "correct:satisfaction", "satisfied", "unsatisfied", "2026-11-06", "文书"),
        # a case registered late: one entry
        (4, "registered", None, "晒谷场积水", "2026-10-25", "文书"),
    ]
    assert all(e["recorded_at"].startswith("2026-11-0") for e in data["late_entries"])
    assert (data["total"]["total"], data["total"]["sessions"]) == (3, 1)  # #1, #2, #4
    shown = cli("stats", "--month", "2026-10", str(folder), day="2026-11-30", folder=folder)
    assert shown.stderr == (
        "注意：本期结束后又补录或追溯修改了 8 条本期的记录，本期数字已随之改变"
        "（明细见 --json 或 export 导出的台账）\n"
    )
    known = cli("stats", "--month", "2026-10", str(folder), "--known-by", "2026-11-02",
                day="2026-11-30", folder=folder)  # fmt: skip
    assert known.stderr.splitlines() == [
        "注意：2026-11-02 23:59 之后又登记了 8 条本期的补录或追溯修改，不在此报告中",
        # #1 closed late on 10-19, #3 void, #4 registered late (overdue), #2's answer corrected
        "它们使本期数字变为：已销号 1 → 2；超期办结 0 → 1；销号率 33.3% → 66.7%；"
        "反馈率 100.0% → 50.0%；满意率 100.0% → 0.0%；按时率 100.0% → 50.0%",
    ]
    listed = cli("overdue", "--month", "2026-10", str(folder), day="2026-11-30", folder=folder)
    table = listed.stdout.split("\n\n")[-1].splitlines()  # piped: the tables, tab-separated
    assert table[0] == "村\t编号\t反映事项\t改了什么\t原值 → 新值\t生效日期\t登记人\t登记时间"
    assert [row.split("\t")[3:5] for row in table[1:]] == [
        ["状态", "在办 → 已办结"],
        ["办理结果类型", "— → 已解决"],
        ["办理结果", "— → 已更换灯泡"],
        ["办结日期", "— → 2026-10-19"],
        ["更正作废理由", "— → 重复登记"],
        ["更正重复于", "— → 1"],
        ["更正满意度", "满意 → 不满意"],
        ["补录事项", "晒谷场积水"],
    ]


def test_the_workbook_is_reproduced_and_lists_the_late_entries(
    reported: tuple[Path, dict[tuple[str, ...], Result]], tmp_path: Path
) -> None:
    folder, _ = reported
    then = tmp_path / "then.xlsx"
    # (no workbook was made on 2 November: make the one --known-by gives, and today's)
    again = cli("export", "--month", "2026-10", str(folder), "-o", str(then), "--known-by",
                "2026-11-02", day="2026-11-30", folder=folder)  # fmt: skip
    assert again.exit_code == 0, again.output
    now = tmp_path / "now.xlsx"
    assert cli("export", "--month", "2026-10", str(folder), "-o", str(now),
               day="2026-11-30", folder=folder).exit_code == 0  # fmt: skip
    before, after = load_workbook(then), load_workbook(now)
    assert "补录和追溯修改" not in before.sheetnames
    sheet = after["补录和追溯修改"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [r[:5] for r in rows[:2]] == [
        (VILLAGE, 1, "村口路灯不亮", "状态", "在办 → 已办结"),
        (VILLAGE, 1, "村口路灯不亮", "办理结果类型", "— → 已解决"),
    ]
    assert len(rows) == 8


def test_known_by_times_and_refusals(reported: tuple[Path, dict[tuple[str, ...], Result]]) -> None:
    folder, reports = reported
    zone = UTC
    moment = parse_moment("2026-11-02 18:00", date(2026, 11, 30), zone)
    assert moment == datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
    assert parse_moment("2026-11-02", date(2026, 11, 30), zone) == datetime(
        2026, 11, 2, 23, 59, 59, tzinfo=UTC
    )
    assert parse_moment("11月2日 08:30+08:00", date(2026, 11, 30), zone) == datetime(
        2026, 11, 2, 0, 30, tzinfo=UTC
    )
    with pytest.raises(BadDate):
        parse_moment("2026-11-02 25:00", date(2026, 11, 30), zone)
    # Known by a day after every change: today's answer.
    args = ("stats", "--month", "2026-10", "--json", str(folder))
    assert (
        cli(*args, "--known-by", "2026-11-29", day="2026-11-30", folder=folder).stdout
        == cli(*args, day="2026-11-30", folder=folder).stdout
    )
    future = cli(*args, "--known-by", "2026-12-01", day="2026-11-30", folder=folder)
    assert (future.exit_code, json.loads(future.stdout)["error"]) == (1, "bad_input")
    letters = cli("overdue", "--month", "2026-10", str(folder), "--known-by", "2026-11-02",
                  "--letters", str(folder / "函"), day="2026-11-30", folder=folder)  # fmt: skip
    assert (letters.exit_code, letters.stderr) == (
        1,
        "错误：--known-by 用来重现过去的报告，不能同时用 --letters 发督办函\n",
    )
    listed = cli("--db", str(folder / f"{VILLAGE}.db"), "list", "--known-by", "2026-11-02",
                 day="2026-11-30", folder=folder)  # fmt: skip
    assert (listed.exit_code, listed.stderr) == (
        1,
        "错误：--known-by 要和 --month、--period 或 --from 一起用\n",
    )
    # A month that had not ended by the moment is the month as of that day.
    november = cli("stats", "--month", "2026-11", "--json", str(folder), "--known-by",
                   "2026-11-05", day="2026-11-30", folder=folder)  # fmt: skip
    assert json.loads(november.stdout)["as_of"] == "2026-11-05"


def test_entries_dated_before_a_period_are_late_for_it_when_they_reach_into_it(
    tmp_path: Path,
) -> None:
    """An audit's cases: a case received in September but registered in November while still
    open (carried into October); a received date corrected out of September; a closing
    back-dated into September of a case that was open through October."""
    folder = tmp_path / "台账"
    folder.mkdir()
    clerk(folder, "2026-09-01", "init", "--village", VILLAGE, "--township", "宝峰镇",
          "--county", "靖安县")  # fmt: skip
    clerk(folder, "2026-09-01", "add", "桥面破损", "--received", "2026-09-01")
    clerk(folder, "2026-09-20", "add", "水井干涸", "--received", "2026-09-20")
    clerk(folder, "2026-09-25", "add", "已结的旧事", "--received", "2026-09-25")
    clerk(folder, "2026-09-26", "close", "3", "--outcome", "resolved", "--result", "好了")
    # Recorded in November, about September and October:
    clerk(folder, "2026-11-04", "add", "路灯不亮", "--received", "2026-09-15")  # open: carried
    clerk(folder, "2026-11-04", "add", "九月办结的", "--received", "2026-09-16")
    clerk(folder, "2026-11-04", "close", "5", "--outcome", "resolved", "--result", "已修",
          "--date", "2026-09-18")  # fmt: skip
    clerk(folder, "2026-11-04", "edit", "1", "--received", "2026-10-02", "--reason", "录错日期")
    clerk(folder, "2026-11-04", "close", "2", "--outcome", "resolved", "--result", "已通水",
          "--date", "2026-09-28")  # fmt: skip

    def late(month: str) -> list[tuple[int, str]]:
        data = json.loads(cli("stats", "--month", month, "--json", str(folder),
                              day="2026-11-30", folder=folder).stdout)  # fmt: skip
        return [(e["id"], e["field"]) for e in data["late_entries"]]

    assert late("2026-09") == [
        (4, "registered"),  # received in September, registered late
        (5, "registered"),  # received and closed in September, registered late (one entry)
        (1, "correct:received_on"),  # moved out of September
        (2, "status"), (2, "outcome"), (2, "result"), (2, "closed_on"),  # closed back-dated
    ]  # fmt: skip
    assert late("2026-10") == [
        (4, "registered"),  # open through October: carried into it
        (1, "correct:received_on"),  # moved into October
        # #2's back-dated closing took it out of October (it was open through it as recorded
        # when October ended)
        (2, "status"), (2, "outcome"), (2, "result"), (2, "closed_on"),
    ]  # fmt: skip
    # #3 (closed in September, nothing late) and #5 (September's alone) are not October's.
