"""The township's month over many ledgers: ``overdue`` and ``stats`` (SPEC 4 and 6).

A folder of three village ledgers is built through the CLI, step by step in calendar order, with
"today" (``SHUOSHI_TODAY``) set to each step's day, so every history entry carries the effective
date a clerk would have given it. The cases sit on October 2026's edges: due on the last day,
closed on the last day, closed/reopened/fed back after the month, received after the month,
carried over from September, closed in September, escalated, supervised, planned, explained,
anonymous, complaints, each satisfaction answer and no deadline at all.

Every expected figure is computed here, independently, by replaying this module's own list of case
facts with plain loops; shuoshi's figures module is never called.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from conftest import shuoshi
from shuoshi_cli.cli import app
from shuoshi_cli.formats.table import Screen
from shuoshi_cli.store import sweep as sweep_module

D = date.fromisoformat
TOWNSHIP = "宝峰镇"
COUNTY = "靖安县"
VILLAGES = ("石境村", "周坊村", "塘里村")
OCT_START, OCT_END = D("2026-10-01"), D("2026-10-31")
ASKED = D("2026-11-27")  # conftest's TODAY: the first time October is asked about
LATER = D("2027-03-01")  # after a winter of further changes
GROUPINGS = ("village", "township", "category", "channel", "owner", "level")
MIN_CASES = 5


# ---------------------------------------------------------------- the facts


@dataclass(frozen=True)
class Ev:
    """One change to a case, on its effective day."""

    day: date
    what: str  # close | reopen | feedback | supervise | escalate | plan | assign
    outcome: str | None = None
    result: str | None = None
    satisfaction: str | None = None
    due: date | None = None
    to: str | None = None
    letter: str | None = None
    owner: str | None = None


def close(day: str, outcome: str = "resolved", result: str = "已办结") -> Ev:
    return Ev(D(day), "close", outcome=outcome, result=result)


def reopen(day: str) -> Ev:
    return Ev(D(day), "reopen")


def feedback(day: str, satisfaction: str | None = None) -> Ev:
    return Ev(D(day), "feedback", satisfaction=satisfaction)


def supervise(day: str, letter: str, due: str | None = None) -> Ev:
    return Ev(D(day), "supervise", letter=letter, due=D(due) if due else None)


def escalate(day: str, to: str) -> Ev:
    return Ev(D(day), "escalate", to=to)


def plan(day: str, due: str | None = None) -> Ev:
    return Ev(D(day), "plan", due=D(due) if due else None)


def assign(day: str, owner: str, due: str | None = None) -> Ev:
    return Ev(D(day), "assign", owner=owner, due=D(due) if due else None)


@dataclass(frozen=True)
class Spec:
    """A case as entered: what the village clerk wrote on the first day, then its changes."""

    village: str
    id: int
    title: str
    received: date
    due: date | None = None
    owner: str | None = None
    category: str = "基础设施"
    channel: str = "talk"
    kind: str = "request"
    reporter: str | None = None
    phone: str | None = None
    anonymous: bool = False
    detail: str | None = None
    events: tuple[Ev, ...] = ()
    session: int | None = None  # raised at this talk session of its village (SESSIONS)

    @property
    def ref(self) -> tuple[str, int]:
        return (self.village, self.id)


A, B, C = VILLAGES
PHONE_IN_TITLE = "13912345678"
ID_IN_TITLE = "360425198001011234"
PHONE_IN_RESULT = "0795-4665555"

SPECS: tuple[Spec, ...] = (
    # 石境村 ------------------------------------------------------------------------------
    Spec(A, 1, "村口路灯不亮", D("2026-09-10"), D("2026-09-20"), "李四", "基础设施", "talk",
         reporter="张三", phone="13800000001", session=1,
         events=(close("2026-09-18"),)),  # received and closed in September: not October's
    Spec(A, 2, "垃圾清运不及时", D("2026-09-20"), D("2026-09-30"), "李四", "环境卫生", "app",
         reporter="赵六", phone="13800000002", detail="后山垃圾堆放点三天未清运，赵家门口",
         events=(close("2026-10-20", result="已协调保洁公司"), feedback("2026-10-22", "satisfied"))),
    Spec(A, 3, "水渠堵塞影响灌溉", D("2026-10-01"), D("2026-10-31"), "王小明", "农业生产", "visit",
         reporter="欧阳娜娜", phone="13800000003",
         events=(close("2026-11-10"), feedback("2027-01-05", "satisfied"))),
    Spec(A, 4, f"自来水压力低 联系{PHONE_IN_TITLE}", D("2026-10-05"), D("2026-10-20"), "李四",
         "民生保障", "phone", reporter="孙七", phone="13800000004",
         events=(close("2026-10-31"), feedback("2026-11-03", "satisfied"),
                 reopen("2026-12-20"), close("2027-01-10"))),
    Spec(A, 5, "邻里宅基地纠纷", D("2026-10-08"), D("2026-10-15"), "周书记", "矛盾纠纷", "talk",
         reporter="钱八", phone="0795-4661234", session=2,
         events=(supervise("2026-11-01", "宝督〔2026〕3号"), close("2026-11-02"))),
    Spec(A, 6, f"申请低保 身份证号{ID_IN_TITLE}", D("2026-10-10"), D("2026-10-20"), "李四",
         "民生保障", "talk", reporter="吴九", phone="13800000006",
         events=(close("2026-10-12"), feedback("2026-10-13", "basic"), reopen("2026-11-05"),
                 close("2026-12-01", "explained", "政策不符，已解释"),
                 feedback("2026-12-02", "unsatisfied"))),
    Spec(A, 7, "村干部作风问题", D("2026-10-31"), None, None, "其他", "app", kind="suggestion",
         anonymous=True, detail="匿名反映的详细内容不得公示"),
    Spec(A, 8, "新修道路积水", D("2026-11-02"), D("2026-11-10"), "李四", "基础设施", "talk",
         reporter="郑十", phone="13800000008", session=3, events=(close("2026-11-09"),)),
    # 周坊村 ------------------------------------------------------------------------------
    Spec(B, 1, "桥梁护栏损坏", D("2026-09-15"), D("2026-09-25"), "刘强", "基础设施", "visit",
         reporter="陈一", phone="13900000001",
         events=(escalate("2026-10-03", "township"),
                 supervise("2026-10-10", "宝督〔2026〕1号", "2026-10-20"),
                 close("2026-11-20"))),
    Spec(B, 2, "举报违规占用耕地", D("2026-10-02"), D("2026-10-09"), "刘强", "农业生产", "phone",
         kind="complaint", reporter="王五", phone="13900000002", detail="举报人要求保密",
         events=(close("2026-10-09", "explained", "已调查，属合法流转，已解释"),
                 feedback("2026-10-10", "unsatisfied"))),
    Spec(B, 3, "申请修建文化广场", D("2026-10-03"), None, "刘强", "基础设施", "talk",
         reporter="黄二", phone="13900000003", session=1,
         events=(plan("2026-10-05", "2027-06-30"), close("2027-02-20"))),
    Spec(B, 4, "咨询医保缴费", D("2026-10-15"), None, "何会计", "政策咨询", "phone",
         kind="inquiry", reporter="林三", phone="13900000004",
         events=(close("2026-10-16"), feedback("2026-10-16", "satisfied"))),
    Spec(B, 5, "路面塌陷", D("2026-10-20"), D("2026-10-25"), "刘强", "基础设施", "app",
         reporter="郭四", phone="13900000005", events=(close("2026-11-03"),)),
    Spec(B, 6, "景区停车难", D("2026-10-25"), D("2026-10-30"), "何会计", "旅游服务", "tourist",
         reporter="马六", phone="13900000006",
         events=(escalate("2026-10-26", "county"),
                 close("2026-10-28", result=f"已协调停车场，咨询电话{PHONE_IN_RESULT}"),
                 feedback("2026-10-29", "basic"))),
    Spec(B, 7, "广场舞噪音扰民", D("2026-10-28"), D("2026-11-04"), "何会计", "矛盾纠纷", "talk",
         reporter="蒋七", phone="13900000007", session=2,
         events=(close("2026-10-29"), feedback("2026-10-30"))),
    Spec(B, 8, "冬季取暖补贴", D("2026-12-05"), D("2026-12-20"), "何会计", "民生保障", "talk",
         reporter="沈八", phone="13900000008", events=(close("2026-12-10"),)),
    # 塘里村 ------------------------------------------------------------------------------
    Spec(C, 1, "池塘清淤", D("2026-09-28"), D("2026-10-10"), "曹组长", "农业生产", "talk",
         reporter="彭一", phone="13700000001", events=(close("2026-09-30"),)),
    Spec(C, 2, "路灯线路老化", D("2026-09-29"), D("2026-10-10"), "曹组长", "基础设施", "visit",
         reporter="彭二", phone="13700000002", events=(close("2026-10-01"),)),
    Spec(C, 3, "自来水管破裂", D("2026-10-12"), D("2026-10-19"), "曹组长", "民生保障", "phone",
         reporter="彭三", phone="13700000003",
         events=(supervise("2026-10-21", "宝督〔2026〕2号"),
                 assign("2026-12-01", "新组长", "2027-01-31"), close("2027-02-10"))),
    Spec(C, 4, "举报垃圾焚烧", D("2026-10-30"), D("2026-11-06"), None, "环境卫生", "app",
         kind="complaint", reporter="彭四", phone="13700000004", detail="举报人住在焚烧点旁",
         events=(close("2026-12-15"),)),
)  # fmt: skip

# Talk sessions (说事活动), each village numbering its own from 1; a case's ``session`` names one.
SESSIONS: tuple[tuple[str, date], ...] = (
    (A, D("2026-09-10")), (A, D("2026-10-08")), (A, D("2026-11-02")),
    (B, D("2026-10-03")), (B, D("2026-10-28")),
)  # fmt: skip


def session_counts(villages: Iterable[str], start: date, as_of: date) -> dict[str, int]:
    """SPEC 4: the sessions held from ``start`` to ``as_of`` and the matters raised at them."""
    held = {
        (village, n + 1)
        for n, (village, day) in enumerate(SESSIONS)
        if village in villages and start <= day <= as_of
        for n in [sum(v == village for v, _ in SESSIONS[:n])]
    }
    raised = sum((spec.village, spec.session) in held and spec.received <= as_of for spec in SPECS)
    return {"sessions": len(held), "raised_at_sessions": raised}


ALL_PHONES = tuple(s.phone for s in SPECS if s.phone) + (PHONE_IN_TITLE, PHONE_IN_RESULT)


# ---------------------------------------------------------------- building through the CLI


def env_for(day: date, home: Path | None) -> dict[str, str | None]:
    """Everything the CLI reads from the environment, set explicitly (fixtures outlive tests)."""
    env: dict[str, str | None] = {
        "SHUOSHI_TODAY": day.isoformat(),
        "SHUOSHI_USER": "测试员",
        "SHUOSHI_DB": None,
        "SHUOSHI_LANG": None,
        "SHUOSHI_CALENDAR": None,
    }
    if home is not None:
        env["HOME"] = str(home)
    return env


@dataclass(frozen=True)
class Step:
    day: date
    village: str
    args: tuple[str, ...]
    expect_id: int | None = None


def _event_args(spec: Spec, ev: Ev) -> tuple[str, ...]:
    case = str(spec.id)
    day = ev.day.isoformat()
    if ev.what == "close":
        assert ev.outcome and ev.result
        return ("close", case, "--outcome", ev.outcome, "--result", ev.result, "--date", day)
    if ev.what == "reopen":
        return ("reopen", case, "--reason", "群众反映问题仍未解决", "--date", day)
    if ev.what == "feedback":
        answer = ("--satisfaction", ev.satisfaction) if ev.satisfaction else ()
        return ("feedback", case, *answer, "--date", day)
    if ev.what == "supervise":
        assert ev.letter
        due = ("--due", ev.due.isoformat()) if ev.due else ()
        return ("supervise", case, "--letter", ev.letter, *due, "--date", day)
    if ev.what == "escalate":  # effective today
        assert ev.to
        return ("escalate", case, "--to", ev.to, "--reason", "村里无法解决，需上级协调")
    if ev.what == "plan":
        due = ("--due", ev.due.isoformat()) if ev.due else ()
        return ("plan", case, "列入明年村建计划", *due)
    if ev.what == "assign":
        assert ev.owner
        due = ("--due", ev.due.isoformat()) if ev.due else ()
        return ("assign", case, "--owner", ev.owner, *due)
    raise AssertionError(ev.what)


def _add_args(spec: Spec) -> tuple[str, ...]:
    args = ["add", "--received", spec.received.isoformat(), "--kind", spec.kind]
    args += ["--category", spec.category, "--channel", spec.channel]
    for option, value in (
        ("--reporter", spec.reporter),
        ("--phone", spec.phone),
        ("--owner", spec.owner),
        ("--detail", spec.detail),
        ("--due", spec.due.isoformat() if spec.due else None),
    ):
        if value is not None:
            args += [option, value]
    if spec.anonymous:
        args.append("--anonymous")
    if spec.session is not None:
        args += ["--session", str(spec.session)]
    return (*args, "--", spec.title)


def all_steps(specs: Iterable[Spec]) -> list[Step]:
    """Every command in calendar order (stable: a case's own steps keep their order)."""
    steps: list[Step] = [
        Step(day, village, ("session", "add", "--date", day.isoformat(), "--place", "村文化礼堂"))
        for village, day in SESSIONS
    ]
    for spec in specs:
        steps.append(Step(spec.received, spec.village, _add_args(spec), spec.id))
        steps += [Step(ev.day, spec.village, _event_args(spec, ev)) for ev in spec.events]
    return sorted(steps, key=lambda s: s.day)


def ledger_path(folder: Path, village: str) -> Path:
    return folder / f"{village}.db"


def invoke(args: Iterable[str], today: date, home: Path) -> Result:
    return CliRunner().invoke(app, list(args), env=env_for(today, home))


def init_folder(folder: Path, home: Path) -> None:
    folder.mkdir(parents=True)
    for village in VILLAGES:
        result = invoke(
            ["--db", str(ledger_path(folder, village)), "init", "--village", village,
             "--township", TOWNSHIP, "--county", COUNTY],
            D("2026-09-01"),
            home,
        )  # fmt: skip
        assert result.exit_code == 0, result.output


def run_steps(folder: Path, home: Path, after: date | None, until: date) -> None:
    """Run the steps dated in (after, until], each with "today" set to its own day."""
    for step in all_steps(SPECS):
        if (after is not None and step.day <= after) or step.day > until:
            continue
        result = invoke(
            ["--db", str(ledger_path(folder, step.village)), *step.args], step.day, home
        )
        assert result.exit_code == 0, (step, result.output)
        if step.expect_id is not None:
            assert result.stdout == f"{step.expect_id}\n", step


def build_township(base: Path, until: date = ASKED) -> Path:
    """The folder of three village ledgers with every step up to ``until``."""
    folder = base / "宝峰镇台账"
    init_folder(folder, base / "home")
    run_steps(folder, base / "home", None, until)
    return folder


# ---------------------------------------------------------------- the independent replay


@dataclass(frozen=True)
class State:
    """A case as it stood at the end of a day, by this module's own reading of the rules."""

    spec: Spec
    open: bool
    closed_on: date | None
    outcome: str | None
    feedback_on: date | None
    satisfaction: str | None
    deadline: date | None
    level: str
    owner: str | None
    supervised: bool
    # The first deadline missed in the current open stretch and since moved or closed on (SPEC 4:
    # lateness sticks): open at the end of its day with it in force.
    missed: date | None = None
    # The deadline in force passed before the current stretch began (a reopening kept it): it
    # cannot be missed in this stretch.
    lapsed: bool = False


def state_at(spec: Spec, day: date) -> State | None:
    if spec.received > day:
        return None
    is_open, closed_on, outcome = True, None, None
    feedback_on, satisfaction = None, None
    deadline, level, owner, supervised = spec.due, "village", spec.owner, False
    missed: date | None = None
    pending: date | None = None  # missed by the end of the day before the event's day
    today: date | None = None
    since = spec.received  # the current open stretch began: received, or the last reopening
    for ev in spec.events:
        if ev.day > day:
            break
        if ev.day != today:
            today = ev.day
            # A deadline before the stretch began was never in force at the end of its day while
            # the case was open in it: it cannot be missed (a reopening keeping an old one).
            live = deadline is not None and since <= deadline < today
            pending = deadline if is_open and live else None
        moves = ev.what in ("supervise", "plan", "assign") and ev.due not in (None, deadline)
        if ev.what in ("close", "reopen") or moves:
            missed = missed or pending
            pending = None
        if ev.what == "close":
            is_open, closed_on, outcome = False, ev.day, ev.outcome
        elif ev.what == "reopen":
            is_open, closed_on, outcome, feedback_on, satisfaction = True, None, None, None, None
            missed, since = None, ev.day
        elif ev.what == "feedback":
            feedback_on = ev.day
            satisfaction = ev.satisfaction or satisfaction
        elif ev.what == "supervise":
            supervised = True
            deadline = ev.due or deadline
        elif ev.what == "escalate":
            level = ev.to or level
        elif ev.what == "plan":
            outcome = "planned"
            deadline = ev.due or deadline
        elif ev.what == "assign":
            owner = ev.owner
            deadline = ev.due or deadline
    lapsed = deadline is not None and deadline < since
    return State(spec, is_open, closed_on, outcome, feedback_on, satisfaction, deadline, level,
                 owner, supervised, missed, lapsed)  # fmt: skip


@dataclass(frozen=True)
class Item:
    state: State
    carried: bool


def scope_items(start: date, as_of: date) -> list[Item]:
    """Received in the month up to as_of, or received earlier and open at the end of some day
    from the day before the month to as_of (open when it began, or reopened in it), or reopened
    in it and closed again the same day."""
    items = []
    for spec in SPECS:
        now = state_at(spec, as_of)
        if now is None:
            continue
        if start <= spec.received <= as_of:
            items.append(Item(now, False))
        else:
            days = (as_of - start).days + 2
            states = (state_at(spec, start + timedelta(days=n - 1)) for n in range(days))
            reopened = any(e.what == "reopen" and start <= e.day <= as_of for e in spec.events)
            if reopened or any(s is not None and s.open for s in states):
                items.append(Item(now, True))
    return items


def first_missed(state: State, day: date) -> date | None:
    """SPEC 4: the first deadline missed in the stretch, the one in force judged at ``day``
    (open) or at the closing day (closed)."""
    if state.missed is not None:
        return state.missed
    if state.deadline is None or state.lapsed:
        return None
    if state.open:
        return state.deadline if state.deadline < day else None
    assert state.closed_on is not None
    return state.deadline if state.closed_on > state.deadline else None


def overdue_at(state: State, day: date) -> bool:
    return state.open and first_missed(state, day) is not None


def late(state: State) -> bool:
    return not state.open and first_missed(state, day=date.max) is not None


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def expected_figures(
    items: list[Item],
    as_of: date,
    start: date | None = None,
    villages: Iterable[str] | None = VILLAGES,
) -> dict[str, Any]:
    """The figures of ``items`` at ``as_of``; with the period's ``start``, also the talk sessions
    of ``villages`` (None: a group of cases, which has none)."""
    total = closed = overdue = closed_late = escalated = supervised = carried = 0
    fed_back = answered = satisfied = ontime = resolved = explained = 0
    days: list[int] = []
    for item in items:
        s = item.state
        total += 1
        carried += item.carried
        overdue += overdue_at(s, as_of)
        escalated += s.level != "village"
        supervised += s.supervised
        if s.satisfaction is not None:
            answered += 1
            satisfied += s.satisfaction in ("satisfied", "basic")
        if s.open:
            continue
        assert s.closed_on is not None
        closed += 1
        closed_late += late(s)
        ontime += not late(s)
        fed_back += s.feedback_on is not None
        resolved += s.outcome == "resolved"
        explained += s.outcome == "explained"
        days.append((s.closed_on - s.spec.received).days)
    others = total - resolved - explained
    return {
        "total": total,
        "closed": closed,
        "open": total - closed,
        "overdue": overdue,
        "closed_late": closed_late,
        "escalated": escalated,
        "supervised": supervised,
        "carried_over": carried,
        "received": total - carried,
        "feedback": fed_back,
        "answered": answered,
        "satisfied": satisfied,
        "ontime": ontime,
        "closeout_rate": ratio(closed, total),
        "feedback_rate": ratio(fed_back, closed),
        "satisfaction_rate": ratio(satisfied, answered),
        "ontime_rate": ratio(ontime, closed),
        "avg_days_to_close": sum(days) / len(days) if days else None,
        "outcomes": {
            "resolved": {"count": resolved, "share": ratio(resolved, total)},
            "planned_or_open": {"count": others, "share": ratio(others, total)},
            "explained": {"count": explained, "share": ratio(explained, total)},
        },
        **(
            {}
            if start is None
            else session_counts(villages, start, as_of)
            if villages is not None
            else {"sessions": None, "raised_at_sessions": None}
        ),
    }


def key_of(item: Item, by: str) -> str | None:
    s = item.state
    return {
        "village": s.spec.village,
        "township": TOWNSHIP,
        "category": s.spec.category,
        "channel": s.spec.channel,
        "owner": f"{s.spec.village}/{s.owner or ''}",  # three villages read: village/owner
        "level": s.level,
    }[by]


def expected_groups(
    items: list[Item],
    as_of: date,
    by: str,
    min_cases: int = MIN_CASES,
    start: date | None = None,
) -> list[dict[str, Any]]:
    """Ranked groups (README: close-out rate, then on-time rate, then size), then the rest."""
    buckets: dict[str | None, list[Item]] = {}
    if by == "village":  # every ledger read is a group, with nothing in scope too
        buckets = {village: [] for village in VILLAGES}
    for item in items:
        buckets.setdefault(key_of(item, by), []).append(item)

    def places(key: str | None) -> Iterable[str] | None:
        return [str(key)] if by == "village" else VILLAGES if by == "township" else None

    figures = {k: expected_figures(v, as_of, start, places(k)) for k, v in buckets.items()}
    ranked = sorted(
        (k for k in figures if figures[k]["total"] >= min_cases),
        key=lambda k: (
            -(figures[k]["closeout_rate"] or 0.0),
            -(figures[k]["ontime_rate"] or 0.0),
            -figures[k]["total"],
            k or "",
        ),
    )
    rest = [k for k in figures if figures[k]["total"] < min_cases]
    groups = [{"key": k, **figures[k], "rank": n} for n, k in enumerate(ranked, start=1)]
    return groups + [{"key": k, **figures[k], "rank": None} for k in rest]


def october() -> list[Item]:
    return scope_items(OCT_START, OCT_END)


# ---------------------------------------------------------------- the CLI's answers


def sweep(*args: str, today: date = ASKED, home: Path | None = None) -> Result:
    """A many-ledger command, in-process (HOME: the test's own unless given)."""
    return CliRunner().invoke(app, list(args), env=env_for(today, home))


def sweep_json(*args: str, today: date = ASKED, home: Path | None = None) -> Any:
    result = sweep(*args, "--json", today=today, home=home)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def month_answers(folder: Path, today: date, home: Path) -> dict[str, Any]:
    """Everything asked about October: stats in every grouping and the overdue list."""
    where = str(folder)
    answers: dict[str, Any] = {
        "stats": sweep_json("stats", "--month", "2026-10", where, today=today, home=home),
        "overdue": sweep_json("overdue", "--month", "2026-10", where, today=today, home=home),
    }
    for by in GROUPINGS:
        answers[by] = sweep_json(
            "stats", "--month", "2026-10", where, "--by", by, today=today, home=home
        )
    return answers


@dataclass(frozen=True)
class Township:
    base: Path
    folder: Path
    at_month_end: dict[str, Any]  # asked on 2026-10-31 itself
    first: dict[str, Any]  # asked on 2026-11-27


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Township:
    """Built once: October's steps, October asked on its last day, then November's steps."""
    base = tmp_path_factory.mktemp("month")
    home = base / "home"
    folder = base / "宝峰镇台账"
    init_folder(folder, home)
    run_steps(folder, home, None, OCT_END)
    at_month_end = month_answers(folder, OCT_END, home)
    run_steps(folder, home, OCT_END, ASKED)
    return Township(base, folder, at_month_end, month_answers(folder, ASKED, home))


def copy_folder(township: Township, target: Path) -> Path:
    shutil.copytree(township.folder, target)
    return target


def hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------- the facts are what we think


def test_the_fixture_covers_the_month_edges() -> None:
    """Hand-checked totals for October, so the replay above is itself checked."""
    items = october()
    refs = sorted(i.state.spec.ref for i in items)
    assert refs == sorted(
        [(A, 2), (A, 3), (A, 4), (A, 5), (A, 6), (A, 7)]
        + [(B, n) for n in range(1, 8)]
        + [(C, 2), (C, 3), (C, 4)]
    )
    assert sorted(i.state.spec.ref for i in items if i.carried) == sorted([(A, 2), (B, 1), (C, 2)])
    total = expected_figures(items, OCT_END)
    assert (total["total"], total["closed"], total["open"], total["overdue"]) == (16, 8, 8, 4)
    assert (total["closed_late"], total["escalated"], total["supervised"]) == (2, 2, 2)
    answers = (total["feedback"], total["answered"], total["satisfied"], total["ontime"])
    assert answers == (6, 5, 4, 6)
    assert total["avg_days_to_close"] == 72 / 8
    assert total["outcomes"]["resolved"]["count"] == 7
    assert total["outcomes"]["explained"]["count"] == 1


# ---------------------------------------------------------------- stats


def test_stats_total_matches_the_independent_figures(township: Township) -> None:
    answer = township.first["stats"]
    assert answer["as_of"] == "2026-10-31"
    assert answer["start"] == "2026-10-01"
    assert answer["groups"] == []
    assert answer["total"] == expected_figures(october(), OCT_END, OCT_START)


def test_stats_exact_rates_are_unrounded_fractions(township: Township) -> None:
    total = township.first["stats"]["total"]
    assert total["closeout_rate"] == 8 / 16
    assert total["feedback_rate"] == 6 / 8
    assert total["satisfaction_rate"] == 4 / 5
    assert total["ontime_rate"] == 6 / 8
    assert total["avg_days_to_close"] == 9.0
    assert total["outcomes"] == {
        "resolved": {"count": 7, "share": 7 / 16},
        "planned_or_open": {"count": 8, "share": 8 / 16},
        "explained": {"count": 1, "share": 1 / 16},
    }
    village = {g["key"]: g for g in township.first["village"]["groups"]}
    assert village[A]["feedback_rate"] == 2 / 3  # A4's feedback came on 11-03
    assert village[A]["closeout_rate"] == 3 / 6
    assert village[B]["closeout_rate"] == 4 / 7
    assert village[C]["feedback_rate"] == 0.0
    assert village[C]["satisfaction_rate"] is None  # no answers: no denominator


def by_key(group: dict[str, Any]) -> str:
    return "" if group["key"] is None else str(group["key"])


@pytest.mark.parametrize("by", GROUPINGS)
def test_stats_groups_match_the_independent_figures(township: Township, by: str) -> None:
    answer = township.first[by]
    assert answer["as_of"] == "2026-10-31"
    assert answer["total"] == expected_figures(october(), OCT_END, OCT_START)
    expected = expected_groups(october(), OCT_END, by, start=OCT_START)
    got = answer["groups"]
    ranked = [g for g in got if g["rank"] is not None]
    # Ranked groups first, numbered 1..n in the documented order; unranked ones after.
    assert got[: len(ranked)] == expected[: len(ranked)]
    assert [g["rank"] for g in ranked] == list(range(1, len(ranked) + 1))
    assert all(g["total"] >= MIN_CASES for g in ranked)
    unranked = got[len(ranked) :]
    assert all(g["rank"] is None and g["total"] < MIN_CASES for g in unranked)
    assert sorted(unranked, key=by_key) == sorted(expected[len(ranked) :], key=by_key)
    # The groups partition the total.
    assert sum(g["total"] for g in got) == answer["total"]["total"]
    assert sum(g["closed"] for g in got) == answer["total"]["closed"]


def test_stats_by_village_ranks_and_the_small_village(township: Township) -> None:
    groups = township.first["village"]["groups"]
    assert [(g["key"], g["rank"], g["total"]) for g in groups] == [
        (B, 1, 7),
        (A, 2, 6),
        (C, None, 3),  # below --min-cases 5: listed last, not ranked
    ]
    owners = {g["key"] for g in township.first["owner"]["groups"]}
    assert {f"{A}/", f"{C}/"} <= owners  # A7 and C4 have no owner: their village's, owner empty
    levels = {g["key"]: g["total"] for g in township.first["level"]["groups"]}
    assert levels == {"village": 14, "township": 1, "county": 1}
    channels = {g["key"] for g in township.first["channel"]["groups"]}
    assert channels == {"talk", "app", "visit", "phone", "tourist"}  # the plain enum codes


def test_min_cases_moves_groups_out_of_the_ranking(township: Township) -> None:
    answer = sweep_json("stats", "--month", "2026-10", str(township.folder), "--by", "village",
                        "--min-cases", "7")  # fmt: skip
    expected = expected_groups(october(), OCT_END, "village", 7, start=OCT_START)
    got = answer["groups"]
    assert [(g["key"], g["rank"]) for g in got][0] == (B, 1)  # only 周坊村 has 7 cases
    assert got[0] == expected[0]
    assert all(g["rank"] is None for g in got[1:])
    assert sorted(got[1:], key=by_key) == sorted(expected[1:], key=by_key)
    refused = sweep("stats", "--month", "2026-10", str(township.folder), "--min-cases", "0")
    assert refused.exit_code == 1


def test_stats_table_shows_rates_with_counts(
    township: Township, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a terminal wide enough for one row a group, under the title that names the period.
    monkeypatch.setattr(Screen, "is_terminal", property(lambda self: True))
    monkeypatch.setenv("COLUMNS", "200")
    result = sweep("stats", "--month", "2026-10", str(township.folder), "--by", "village")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2026-10-01" in out and "2026-10-31" in out

    def shown(part: int, whole: int) -> str:
        return f"{part / whole * 100:.1f}% ({part}/{whole})"

    for village in VILLAGES:
        f = expected_figures([i for i in october() if i.state.spec.village == village], OCT_END)
        assert shown(f["closed"], f["total"]) in out, village
        assert shown(f["ontime"], f["closed"]) in out, village
    assert "66.7% (2/3)" in out  # 石境村 feedback: 2 of its 3 closed cases
    assert "57.1% (4/7)" in out  # 周坊村 close-out
    assert "50.0% (8/16)" in out  # the total's close-out
    assert "80.0% (4/5)" in out  # satisfaction over the answers given
    assert "不足5件" in out  # 塘里村 is listed but not ranked
    assert "Traceback" not in result.output


def test_stats_table_outcome_shares_are_each_rounded_on_their_own(township: Township) -> None:
    """SPEC 4: each share rounded on its own with its count beside it; a row may add to 100.1%."""
    result = sweep("stats", "--month", "2026-10", str(township.folder), "--by", "village")
    assert result.exit_code == 0, result.output
    rows = {}
    for line in result.stdout.splitlines():
        cells = line.split("\t")  # piped: tab-separated
        # rank (blank on the total row), group, then the figures; the shares are the three
        # before the talk sessions
        if len(cells) < 12 or not any(v in cells[:2] for v in (*VILLAGES, "合计")):
            continue
        assert cells[-1] == {B: "2 (2)", A: "1 (1)", C: "0 (0)", "合计": "3 (3)"}[cells[1]]
        rows[cells[1]] = cells[-4:-1]
    assert rows == {
        B: ["42.9% (3)", "42.9% (3)", "14.3% (1)"],  # 3/7, 3/7, 1/7: 100.1% in all
        A: ["50.0% (3)", "50.0% (3)", "0.0% (0)"],
        C: ["33.3% (1)", "66.7% (2)", "0.0% (0)"],
        "合计": ["43.8% (7)", "50.0% (8)", "6.3% (1)"],  # 7/16, 8/16, 1/16 (half up, as Excel)
    }


def test_as_of_mid_month(township: Township) -> None:
    mid = D("2026-10-15")
    items = scope_items(OCT_START, mid)
    answer = sweep_json("stats", "--as-of", "2026-10-15", str(township.folder), "--by", "village")
    assert answer["as_of"] == "2026-10-15"
    assert answer["start"] == "2026-10-01"
    assert answer["total"] == expected_figures(items, mid, OCT_START)
    assert answer["groups"] == expected_groups(items, mid, "village", start=OCT_START)
    assert answer["total"]["total"] == 11  # 3 carried + 8 received by the 15th (B4 on the 15th)
    overdue = sweep_json("overdue", "--as-of", "2026-10-15", str(township.folder))
    assert overdue["as_of"] == "2026-10-15"
    # A5 is due on the 15th: not overdue on the 15th. B1's letter of 10-10 moved its deadline to
    # 10-20 after 09-25 was missed: overdue all the same, from 09-25 (lateness sticks).
    assert [(c["village"], c["id"], c["days_overdue"]) for c in overdue["cases"]] == [
        (B, 1, 20),
        (A, 2, 15),
    ]
    # A2 was still open on the 15th.
    assert [c["status"] for c in overdue["cases"]] == ["open", "open"]


def test_current_month_is_as_of_today(township: Township) -> None:
    answer = sweep_json("stats", "--month", "2026-11", str(township.folder))
    assert answer["as_of"] == ASKED.isoformat()
    assert answer["total"] == expected_figures(
        scope_items(D("2026-11-01"), ASKED), ASKED, D("2026-11-01")
    )
    plain = sweep_json("stats", str(township.folder))
    assert plain == answer


# ---------------------------------------------------------------- overdue


def expected_overdue(items: list[Item], day: date) -> list[tuple[str, int, int]]:
    rows = [
        (i.state.spec.village, i.state.spec.id, (day - missed).days)
        for i in items
        if overdue_at(i.state, day) and (missed := first_missed(i.state, day)) is not None
    ]
    return sorted(rows, key=lambda r: -r[2])


def test_overdue_lists_the_month_end_most_overdue_first(township: Township) -> None:
    answer = township.first["overdue"]
    assert answer["as_of"] == "2026-10-31"
    got = [(c["village"], c["id"], c["days_overdue"]) for c in answer["cases"]]
    assert got == expected_overdue(october(), OCT_END)
    # B1 missed 09-25 before its letter moved the deadline to 10-20: 36 days from 09-25.
    assert got == [(B, 1, 36), (A, 5, 16), (C, 3, 12), (B, 5, 6)]
    # Due on the last day (A3) is not overdue on the last day; no deadline (A7, B3 plan) never is.
    assert (A, 3) not in {(c["village"], c["id"]) for c in answer["cases"]}
    for case in answer["cases"]:
        assert case["status"] == "open"
        assert isinstance(case["id"], int)
    # The letter sent on 11-01 for A5 is not part of October.
    a5 = next(c for c in answer["cases"] if (c["village"], c["id"]) == (A, 5))
    assert a5["supervisions"] == []
    b1 = next(c for c in answer["cases"] if (c["village"], c["id"]) == (B, 1))
    assert [s["letter"] for s in b1["supervisions"]] == ["宝督〔2026〕1号"]
    assert b1["deadline"] == "2026-10-20" and b1["level"] == "township"


def test_overdue_closed_late(township: Township) -> None:
    answer = township.first["overdue"]
    late_refs = sorted((c["village"], c["id"]) for c in answer["closed_late"])
    expected = sorted(
        i.state.spec.ref
        for i in october()
        if late(i.state) and i.state.closed_on is not None and i.state.closed_on >= OCT_START
    )
    assert late_refs == expected == [(A, 2), (A, 4)]
    for case in answer["closed_late"]:
        assert case["status"] == "closed" and case["closed_on"] > case["deadline"]
    a4 = next(c for c in answer["closed_late"] if c["id"] == 4)
    assert a4["closed_on"] == "2026-10-31" and a4["feedback_on"] is None


def test_due_on_the_last_day_is_overdue_the_next_day(township: Township) -> None:
    answer = sweep_json("overdue", "--as-of", "2026-11-01", str(township.folder))
    got = [(c["village"], c["id"], c["days_overdue"]) for c in answer["cases"]]
    assert got == expected_overdue(scope_items(D("2026-11-01"), D("2026-11-01")), D("2026-11-01"))
    assert (A, 3, 1) in got


def test_table_output_of_overdue(township: Township) -> None:
    result = sweep("overdue", "--month", "2026-10", str(township.folder))
    assert result.exit_code == 0, result.output
    for spec in SPECS:
        if spec.ref in {(A, 5), (C, 3), (B, 1), (B, 5)}:
            assert spec.title in result.stdout
    assert "垃圾清运不及时" in result.stdout  # closed late, listed in its own table


# ---------------------------------------------------------------- a past month never changes


def test_october_asked_on_its_last_day_is_the_same(township: Township) -> None:
    assert township.at_month_end == township.first


def test_a_past_month_never_changes(township: Township, tmp_path: Path) -> None:
    """Reopen, feedback, close, reassign and new cases from November to February move nothing."""
    folder = copy_folder(township, tmp_path / "later")
    before = hashes(folder)
    run_steps(folder, tmp_path / "home", ASKED, LATER)
    assert hashes(folder) != before  # the winter's changes really happened
    later = month_answers(folder, LATER, tmp_path / "home")
    assert later == township.first
    # ... while the present did move with them.
    current = sweep_json("stats", "--month", "2027-02", str(folder), today=LATER)
    assert current["as_of"] == "2027-02-28"
    assert current["total"] == expected_figures(
        scope_items(D("2027-02-01"), D("2027-02-28")), D("2027-02-28"), D("2027-02-01")
    )


def test_ledgers_of_the_schema_before_the_timeline_give_the_same_answers(
    township: Township, tmp_path: Path
) -> None:
    """A folder of version-3 files (no timeline table) is read through copies upgraded in memory:
    every October answer is the same, the files are untouched, and a note says it was slower."""
    folder = copy_folder(township, tmp_path / "old")
    for path in folder.glob("*.db"):
        connection = sqlite3.connect(path)
        connection.execute("DROP INDEX ix_history_at")  # what migration 8 added
        connection.execute("DROP INDEX ix_history_reopened")
        connection.execute("ALTER TABLE sessions DROP COLUMN at")
        connection.execute("ALTER TABLE supervisions DROP COLUMN reply")  # what migration 6 added
        connection.execute("ALTER TABLE supervisions DROP COLUMN reply_on")
        connection.execute("ALTER TABLE cases DROP COLUMN void_reason")  # what migration 5 added
        connection.execute("ALTER TABLE cases DROP COLUMN duplicate_of")
        connection.execute("DROP TABLE timeline")  # exactly what migration 4 added
        connection.execute("PRAGMA user_version = 3")
        connection.commit()
        connection.close()
    before = hashes(folder)
    assert month_answers(folder, ASKED, tmp_path / "home") == township.first
    assert hashes(folder) == before
    noted = sweep("--lang", "en", "stats", "--month", "2026-10", str(folder))
    assert noted.exit_code == 0
    assert noted.stderr == (
        "note: 3 ledgers are in an older format and are upgraded in memory on every read "
        "(same figures, slower); the village's next entry upgrades the file, as does "
        "shuoshi --db FILE check (keeping a .bak copy)\n"
    )
    # check upgrades a file in place (after its backup), and the note goes.
    one = sorted(folder.glob("*.db"))[0]
    assert sweep("--db", str(one), "check").exit_code == 0
    assert one.with_name(one.name + ".v3.bak").exists()
    assert "2 ledgers" in sweep("--lang", "en", "stats", "--month", "2026-10", str(folder)).stderr


# ---------------------------------------------------------------- many ledgers, files and errors


def _newer_ledger(folder: Path) -> Path:
    path = folder / "新村.db"
    result = invoke(
        [
            "--db",
            str(path),
            "init",
            "--village",
            "新村",
            "--township",
            TOWNSHIP,
            "--county",
            COUNTY,
        ],
        D("2026-09-01"),
        folder.parent / "home",
    )
    assert result.exit_code == 0, result.output
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    return path


def test_text_and_non_ledger_files_are_skipped(township: Township, tmp_path: Path) -> None:
    folder = copy_folder(township, tmp_path / "ledgers")
    (folder / "说明.txt").write_text("这不是台账\n", encoding="utf-8")
    (folder / "旧表").mkdir()
    (folder / "旧表" / "notes.db").write_bytes(b"just some notes, not a database\n")
    before = hashes(folder)
    for command in ("stats", "overdue"):
        result = sweep(command, "--month", "2026-10", str(folder), "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == township.first[command]
        assert "notes.db" in result.stderr  # skipped with a warning
        assert "说明.txt" not in result.stderr  # not a candidate at all
    table = sweep("stats", "--month", "2026-10", str(folder), "--by", "village")
    assert table.exit_code == 0 and "notes.db" in table.stderr
    assert hashes(folder) == before


def test_a_newer_ledger_is_named_and_the_rest_reported(township: Township, tmp_path: Path) -> None:
    folder = copy_folder(township, tmp_path / "ledgers")
    (folder / "说明.txt").write_text("这不是台账\n", encoding="utf-8")
    (folder / "notes.db").write_bytes(b"not a ledger")
    _newer_ledger(folder)
    before = hashes(folder)
    for command in ("stats", "overdue"):
        result = sweep(command, "--month", "2026-10", str(folder), "--json")
        assert result.exit_code == 1
        assert json.loads(result.stdout) == township.first[command]  # the others still reported
        assert "新村.db" in result.stderr
    by = sweep("stats", "--month", "2026-10", str(folder), "--by", "village", "--json")
    assert by.exit_code == 1
    assert json.loads(by.stdout) == township.first["village"]
    # The real console script: same exit code, no traceback, nothing changed on disk.
    done = shuoshi("stats", "--month", "2026-10", str(folder), "--by", "village")
    assert done.returncode == 1, done.stderr
    assert "新村.db" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "57.1% (4/7)" in done.stdout
    assert hashes(folder) == before


def test_reading_on_every_core_gives_the_same_answers(
    township: Township, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past sweep.PARALLEL_FROM ledgers the work moves to worker processes: results, skipped
    files, unreadable ledgers and the JSON built in the workers must come back exactly the same."""
    folder = copy_folder(township, tmp_path / "ledgers")
    (folder / "notes.db").write_bytes(b"not a ledger")
    _newer_ledger(folder)
    serial = {
        command: sweep(command, "--month", "2026-10", str(folder), "--json")
        for command in ("stats", "overdue")
    }
    monkeypatch.setattr(sweep_module, "PARALLEL_FROM", 1)
    for command, alone in serial.items():
        spread = sweep(command, "--month", "2026-10", str(folder), "--json")
        assert (spread.exit_code, spread.stdout, spread.stderr) == (
            alone.exit_code, alone.stdout, alone.stderr,
        )  # fmt: skip
        assert spread.exit_code == 1 and "新村.db" in spread.stderr and "notes.db" in spread.stderr
        assert json.loads(spread.stdout) == township.first[command]
    # Every grouping, on a clean copy.
    clean = copy_folder(township, tmp_path / "clean")
    assert month_answers(clean, ASKED, tmp_path / "home") == township.first


SPAWNED = """
import multiprocessing, runpy, sys
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")  # how Windows starts worker processes
    import shuoshi_cli.store.sweep
    shuoshi_cli.store.sweep.PARALLEL_FROM = 1
    sys.argv = ["shuoshi", *sys.argv[1:]]
    runpy.run_module("shuoshi_cli", run_name="__main__")
"""


def test_workers_started_the_windows_way_give_the_same_answers(
    township: Township, tmp_path: Path
) -> None:
    """Spawned workers import everything afresh and get their work pickled: it must all travel."""
    script = tmp_path / "spawned.py"
    script.write_text(SPAWNED, encoding="utf-8")
    folder = copy_folder(township, tmp_path / "ledgers")
    env = {**env_for(ASKED, tmp_path / "home")}
    for command in ("stats", "overdue"):
        done = subprocess.run(
            [sys.executable, str(script), command, "--month", "2026-10", str(folder), "--json"],
            capture_output=True, text=True, encoding="utf-8", timeout=120,
            env={**os.environ, **{k: v for k, v in env.items() if v is not None}},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == township.first[command]


def test_the_skip_warning_survives_an_unreadable_ledger(township: Township, tmp_path: Path) -> None:
    folder = copy_folder(township, tmp_path / "ledgers")
    (folder / "notes.db").write_bytes(b"not a ledger")
    _newer_ledger(folder)
    result = sweep("stats", "--month", "2026-10", str(folder))
    assert result.exit_code == 1
    assert "新村.db" in result.stderr
    assert "notes.db" in result.stderr


def test_a_backup_copy_in_the_folder_is_not_counted_twice(
    township: Township, tmp_path: Path
) -> None:
    folder = copy_folder(township, tmp_path / "ledgers")
    (folder / "备份").mkdir()
    made = invoke(
        ["--db", str(ledger_path(folder, A)), "backup", str(folder / "备份")], ASKED, tmp_path
    )
    assert made.exit_code == 0, made.output
    assert len(list((folder / "备份").glob("*.db"))) == 1
    result = sweep("stats", "--month", "2026-10", str(folder), "--json")
    answer = json.loads(result.stdout)
    assert answer["total"]["total"] == township.first["stats"]["total"]["total"] == 16


def _hot_ledger(folder: Path, work: Path) -> Path:
    """A ledger copied (with its rollback journal) in the middle of a write: an interrupted write."""
    source = work / "热村.db"
    result = invoke(
        ["--db", str(source), "init", "--village", "热村", "--township", TOWNSHIP,
         "--county", COUNTY],
        D("2026-09-01"),
        work / "home",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    connection = sqlite3.connect(source, isolation_level=None)
    try:
        connection.execute("PRAGMA cache_size = 1")  # spill pages into the file mid-transaction
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("CREATE TABLE filler (x TEXT)")
        for _ in range(300):
            connection.execute("INSERT INTO filler VALUES (?)", ("半截写入" * 200,))
        journal = source.with_name(source.name + "-journal")
        assert journal.exists() and journal.stat().st_size > 0
        shutil.copy(source, folder / source.name)
        shutil.copy(journal, folder / journal.name)
    finally:
        connection.execute("ROLLBACK")
        connection.close()
    return folder / source.name


def test_an_interrupted_write_is_named_and_left_alone(township: Township, tmp_path: Path) -> None:
    folder = copy_folder(township, tmp_path / "ledgers")
    hot = _hot_ledger(folder, tmp_path)
    before = hashes(folder)
    result = sweep("stats", "--month", "2026-10", str(folder), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == township.first["stats"]
    assert hot.name in result.stderr
    assert hashes(folder) == before  # the journal was not rolled back or deleted by a reader


def test_a_ledger_named_explicitly_that_is_not_one_is_a_problem(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"not a ledger")
    result = sweep("stats", "--month", "2026-10", str(bogus), "--json")
    assert result.exit_code == 1
    assert "notes.db" in result.stderr


def test_missing_path_and_future_month(township: Township, tmp_path: Path) -> None:
    missing = sweep("stats", "--month", "2026-10", str(tmp_path / "nowhere"), "--json")
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)["error"] == "not_found"
    both = sweep("overdue", "--month", "2026-10", str(township.folder), str(tmp_path / "nowhere"))
    assert both.exit_code == 1 and "nowhere" in both.stderr
    for command in ("stats", "overdue"):
        future = sweep(command, "--month", "2026-12", str(township.folder), "--json")
        assert future.exit_code == 1
        assert json.loads(future.stdout)["error"] == "bad_input"
        late = sweep(command, "--as-of", "2026-11-28", str(township.folder))
        assert late.exit_code == 1
        assert "Traceback" not in late.output
    assert not (tmp_path / "nowhere").exists()


def test_empty_folder_reports_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    answer = sweep_json("stats", "--month", "2026-10", str(empty))
    assert answer["total"]["total"] == 0
    assert answer["total"]["closeout_rate"] is None
    assert answer["total"]["avg_days_to_close"] is None
    assert all(v["share"] is None for v in answer["total"]["outcomes"].values())
    assert list(empty.iterdir()) == []


# ---------------------------------------------------------------- quarters, years and ranges


PERIODS = {
    # option(s) -> (first day, D): asked on ASKED (2026-11-27), a running period is to date.
    ("--period", "2026-Q4"): (D("2026-10-01"), ASKED),
    ("--period", "2026-Q3"): (D("2026-07-01"), D("2026-09-30")),
    ("--period", "2026"): (D("2026-01-01"), ASKED),
    ("--from", "2026-10-15", "--to", "2026-11-10"): (D("2026-10-15"), D("2026-11-10")),
    ("--from", "2026-09-20"): (D("2026-09-20"), ASKED),
}


@pytest.mark.parametrize("by", [None, *GROUPINGS])
@pytest.mark.parametrize("options", list(PERIODS))
def test_a_period_is_one_scope_with_the_independent_figures(
    township: Township, options: tuple[str, ...], by: str | None
) -> None:
    """A quarter, a year or a range counts each case once, by the same rule as a month."""
    start, as_of = PERIODS[options]
    grouping = ("--by", by) if by else ()
    answer = sweep_json("stats", *options, str(township.folder), *grouping)
    assert (answer["start"], answer["as_of"]) == (start.isoformat(), as_of.isoformat())
    items = scope_items(start, as_of)
    assert answer["total"] == expected_figures(items, as_of, start)
    if by is not None:
        got = sorted(answer["groups"], key=by_key)
        expected = sorted(expected_groups(items, as_of, by, start=start), key=by_key)
        assert [{**g, "rank": None} for g in got] == [{**g, "rank": None} for g in expected]


def test_a_quarter_is_not_its_months_added(township: Township) -> None:
    """Carried-over cases are counted once: Q4's total is the distinct cases of its months."""
    where = str(township.folder)
    quarter = sweep_json("stats", "--period", "2026-Q4", where)["total"]
    months = [sweep_json("stats", "--month", m, where)["total"] for m in ("2026-10", "2026-11")]
    october_refs = {i.state.spec.ref for i in october()}
    november_refs = {i.state.spec.ref for i in scope_items(D("2026-11-01"), ASKED)}
    assert quarter["total"] == len(october_refs | november_refs)
    assert quarter["total"] < months[0]["total"] + months[1]["total"]
    assert quarter["received"] == months[0]["received"] + months[1]["received"]


def test_overdue_and_export_over_a_quarter(township: Township, tmp_path: Path) -> None:
    where = str(township.folder)
    answer = sweep_json("overdue", "--period", "2026-Q4", where)
    items = scope_items(D("2026-10-01"), ASKED)
    assert answer["as_of"] == ASKED.isoformat()
    assert len(answer["cases"]) == sum(overdue_at(i.state, ASKED) for i in items)
    assert len(answer["closed_late"]) == sum(late(i.state) for i in items)
    # The same cases as the month's list, as of the quarter's day.
    assert answer == sweep_json("overdue", "--from", "2026-10-01", "--to", ASKED.isoformat(), where)
    written = sweep("export", "--period", "2026-Q4", where)
    assert written.exit_code == 0, written.output
    assert written.stdout == f"已导出 台账-2026-Q4.xlsx：3 个村，{len(items)} 件事项\n"
    book = load_workbook(tmp_path / "台账-2026-Q4.xlsx")
    summary = book.worksheets[0]
    assert summary["A1"].value == "宝峰镇2026年第四季度群众说事事项汇总表"
    headings = [c.value for c in summary[3]]
    assert "本期受理" in headings and "本月受理" not in headings
    held, raised = headings.index("说事活动次数"), headings.index("说事提出事项")
    rows = {r[2]: r for r in summary.iter_rows(min_row=4, values_only=True) if r[2]}
    for village in (A, B, C):
        counts = session_counts([village], D("2026-10-01"), ASKED)
        assert (rows[village][held], rows[village][raised]) == tuple(counts.values())
    assert (rows["合计"][held], rows["合计"][raised]) == (4, 4)  # A's 2nd and 3rd, B's two


def test_list_period_is_the_period_scope(township: Township) -> None:
    ledger = str(ledger_path(township.folder, A))
    listed = sweep_json("--db", ledger, "list", "--period", "2026-Q4", "--status", "all")
    expected = sorted(
        i.state.spec.ref[1]
        for i in scope_items(D("2026-10-01"), ASKED)
        if i.state.spec.village == A
    )
    assert sorted(c["id"] for c in listed) == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--period", "2027"), "错误：2027 还没开始，不能统计未来的期间"),
        (("--period", "2026-Q5"), "错误：看不懂期间“2026-Q5”，可写 2026-Q4（季度）、2026（全年）或 2026-10（月份）"),
        (("--period", "2026", "--month", "2026-10"), "错误：--month、--as-of、--period、--from 只能用一个"),
        (("--to", "2026-10-01"), "错误：--to 要和 --from 一起用"),
        (("--from", "2026-11-01", "--to", "2026-10-01"), "错误：起始日 2026-11-01 晚于截止日 2026-10-01"),
        (("--from", "2026-11-01", "--to", "2026-11-28"), "错误：2026-11-28 还没到，不能统计未来的日子"),
    ],
)  # fmt: skip
def test_periods_refused_in_one_line(
    township: Township, options: tuple[str, ...], message: str
) -> None:
    for command in ("stats", "overdue", "export"):
        result = sweep(command, *options, str(township.folder))
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")


# ---------------------------------------------------------------- the trend, month by month


@pytest.mark.parametrize("by", [None, "village", "category"])
def test_trend_is_each_months_own_answer(township: Township, by: str | None) -> None:
    where = str(township.folder)
    grouping = ("--by", by) if by else ()
    trend = sweep_json("stats", "--period", "2026-Q4", "--trend", where, *grouping)
    months = [sweep_json("stats", "--month", m, where, *grouping) for m in ("2026-10", "2026-11")]
    assert trend == months
    year = sweep_json("stats", "--period", "2026", "--trend", where)
    assert [m["start"] for m in year] == [f"2026-{n:02d}-01" for n in range(1, 12)]
    assert year[-1]["as_of"] == ASKED.isoformat()
    ranged = sweep_json("stats", "--from", "2026-10-15", "--to", "2026-11-10", "--trend", where)
    assert [(m["start"], m["as_of"]) for m in ranged] == [
        ("2026-10-15", "2026-10-31"),
        ("2026-11-01", "2026-11-10"),
    ]
    assert ranged[0]["total"] == expected_figures(
        scope_items(D("2026-10-15"), OCT_END), OCT_END, D("2026-10-15")
    )


def test_trend_on_screen_at_80_columns(township: Township, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Screen, "is_terminal", property(lambda self: True))
    monkeypatch.setenv("COLUMNS", "80")
    result = sweep(
        "stats", "--period", "2026-Q4", "--trend", str(township.folder), "--by", "village"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    october_total = expected_figures(october(), OCT_END)
    assert lines[0] == "2026年第四季度逐月统计（2026-10-01 至 2026-11-27，各月各自口径）"
    assert lines[2].split()[:4] == ["2026-10", "16", "(3+13)", "50.0%"]
    assert lines[2].endswith("█████░░░░░")  # 8 of 16 closed
    assert october_total["closed"] == 8
    assert "各组逐月销号率" in lines
    assert any(line.startswith(A) for line in lines[lines.index("各组逐月销号率") :])


def test_workbook_of_a_quarter_has_the_trend_sheet(township: Township, tmp_path: Path) -> None:
    where = str(township.folder)
    assert sweep("export", "--period", "2026-Q4", where, "-o", "q.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "q.xlsx")
    assert book.sheetnames[:2] == ["汇总表", "逐月趋势"]
    sheet = book["逐月趋势"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    months = [sweep_json("stats", "--month", m, where)["total"] for m in ("2026-10", "2026-11")]
    assert [r[0] for r in rows] == ["2026-10", "2026-11"]
    for row, month in zip(rows, months, strict=True):
        assert row[1:6] == (
            month["carried_over"], month["received"], month["total"], month["closed"],
            month["closeout_rate"],
        )  # fmt: skip
        assert row[8] == month["satisfaction_rate"]
    assert sheet.cell(4, 6).number_format == "0.0%"
    assert len(sheet._charts) == 1
    # A month's workbook has no trend sheet.
    assert sweep("export", "--month", "2026-10", where, "-o", "m.xlsx").exit_code == 0
    assert "逐月趋势" not in load_workbook(tmp_path / "m.xlsx").sheetnames
