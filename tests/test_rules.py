"""The case rules and the history replay, without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuoshi_cli.core import rules
from shuoshi_cli.core.case import Case, Change, Supervision, to_text
from shuoshi_cli.core.codes import Channel, Kind, Level, Outcome, Satisfaction, Status
from shuoshi_cli.core.dates import ParsedDate
from shuoshi_cli.core.errors import BadDate, BadInput, ShuoshiError, WrongState
from shuoshi_cli.core.figures import (
    closed_late,
    days_overdue,
    in_scope,
    is_overdue,
)
from shuoshi_cli.core.history import HistoryEntry, replay
from shuoshi_cli.core.periods import month_scope
from shuoshi_cli.core.rules import NewCase

TODAY = date(2026, 11, 27)


def _new(**kw: object) -> Case:
    draft = NewCase(**{"title": "村口路灯不亮", "received_on": date(2026, 10, 8), **kw})  # type: ignore[arg-type]
    case, _ = rules.add(draft, case_id=1, uid="u-1", today=TODAY)
    return case


def test_add_records_every_given_field_from_nothing() -> None:
    draft = NewCase(
        title="  村口路灯不亮 ",
        reporter="张三",
        phone="138 0000 0000",
        category="基础设施",
        channel=Channel.TALK,
        received_on=date(2026, 10, 8),
        due=ParsedDate(date(2026, 10, 15), 5, frozenset({"official"})),
    )
    case, changes = rules.add(draft, case_id=7, uid="u", today=TODAY)
    assert case.title == "村口路灯不亮"
    assert case.phone == "13800000000"
    assert case.deadline == date(2026, 10, 15)
    assert case.status == Status.OPEN and case.level == Level.VILLAGE
    assert case.last_change_on == date(2026, 10, 8)
    assert all(c.old is None for c in changes)
    assert [c.field for c in changes] == [
        "title",
        "kind",
        "category",
        "channel",
        "reporter",
        "phone",
        "anonymous",
        "received_on",
        "level",
        "status",
        "deadline",
    ]
    assert changes[-1].note == "+5wd official"


@pytest.mark.parametrize("title", ["", "   ", "\n\t", None])
def test_empty_title_refused(title: str | None) -> None:
    with pytest.raises(BadInput) as caught:
        rules.add(NewCase(title=title), case_id=1, uid="u", today=TODAY)
    assert caught.value.key == "empty_field"


@pytest.mark.parametrize(
    "phone",
    ["13800000000", "0795-4621234", "07954621234", "010-12345678", "１３８００００００００"],
)
def test_valid_phones(phone: str) -> None:
    assert rules.clean_phone(phone) is not None


@pytest.mark.parametrize(
    "phone",
    ["12345", "1380000000", "23800000000", "12800000000", "0795--4621234", "138000000001", "abc"],
)
def test_invalid_phones_refused_without_echo(phone: str) -> None:
    with pytest.raises(BadInput) as caught:
        rules.clean_phone(phone)
    assert caught.value.key == "bad_phone"
    assert caught.value.params == {}


def test_anonymous_case_stores_no_identity() -> None:
    case = _new(anonymous=True)
    assert case.anonymous and case.reporter is None and case.phone is None
    with pytest.raises(BadInput):
        _new(anonymous=True, reporter="张三")


def test_close_needs_open_case_and_proper_outcome() -> None:
    case = _new()
    day = date(2026, 10, 9)
    closed = rules.apply(
        case, rules.close(case, Outcome.RESOLVED, "已更换", on=day, today=TODAY), day
    )
    assert closed.status == Status.CLOSED and closed.closed_on == day
    with pytest.raises(WrongState):
        rules.close(closed, Outcome.RESOLVED, "again", on=day, today=TODAY)
    with pytest.raises(BadInput):
        rules.close(case, Outcome.PLANNED, "x", on=day, today=TODAY)
    with pytest.raises(BadDate):
        rules.close(case, Outcome.RESOLVED, "x", on=TODAY + timedelta(days=1), today=TODAY)
    with pytest.raises(BadDate):
        rules.close(case, Outcome.RESOLVED, "x", on=date(2026, 10, 7), today=TODAY)


def test_dates_may_not_run_backwards_for_a_case() -> None:
    case = _new()
    later = rules.apply(
        case,
        rules.assign(case, "李四", None, on=date(2026, 10, 20), today=TODAY),
        date(2026, 10, 20),
    )
    with pytest.raises(WrongState) as caught:
        rules.close(later, Outcome.RESOLVED, "x", on=date(2026, 10, 19), today=TODAY)
    assert caught.value.key == "before_last_change"


def test_a_note_never_holds_back_a_back_dated_event() -> None:
    case = _new()
    noted = rules.apply(
        case, rules.note(case, "已联系", on=date(2026, 10, 20), today=TODAY), date(2026, 10, 20)
    )
    assert noted.last_change_on == case.last_change_on
    closing = rules.close(noted, Outcome.RESOLVED, "x", on=date(2026, 10, 19), today=TODAY)
    assert closing[0] == Change("status", Status.OPEN, Status.CLOSED)


def test_reopen_clears_closing_fields() -> None:
    case = _new()
    day = date(2026, 10, 9)
    closed = rules.apply(
        case, rules.close(case, Outcome.EXPLAINED, "政策不允许", on=day, today=TODAY), day
    )
    fed = rules.apply(closed, rules.feedback(closed, Satisfaction.BASIC, on=day, today=TODAY), day)
    changes = rules.reopen(fed, "群众不认可", on=day, today=TODAY)
    reopened = rules.apply(fed, changes, day)
    assert reopened.status == Status.OPEN
    assert (reopened.closed_on, reopened.outcome, reopened.result) == (None, None, None)
    assert (reopened.feedback_on, reopened.satisfaction) == (None, None)
    assert changes[0] == Change("status", Status.CLOSED, Status.OPEN, "群众不认可")
    with pytest.raises(WrongState):
        rules.reopen(reopened, "x", on=day, today=TODAY)


def test_feedback_only_on_closed_cases() -> None:
    case = _new()
    with pytest.raises(WrongState) as caught:
        rules.feedback(case, Satisfaction.SATISFIED, on=TODAY, today=TODAY)
    assert caught.value.key == "case_open"


def test_escalation_goes_up_and_a_handed_back_case_comes_down_with_its_reason() -> None:
    case = _new()
    up = rules.apply(
        case,
        rules.escalate(case, Level.TOWNSHIP, "需协调", None, None, on=TODAY, today=TODAY),
        TODAY,
    )
    assert up.level == Level.TOWNSHIP
    with pytest.raises(WrongState) as caught:
        rules.escalate(up, Level.TOWNSHIP, "x", None, None, on=TODAY, today=TODAY)
    assert caught.value.key == "same_level"
    back = rules.escalate(
        up, Level.VILLAGE, "镇里退回：村内可办", None, None, on=TODAY, today=TODAY
    )
    assert back == [Change("level", Level.TOWNSHIP, Level.VILLAGE, "镇里退回：村内可办")]
    with pytest.raises(BadInput):
        rules.escalate(up, Level.VILLAGE, "  ", None, None, on=TODAY, today=TODAY)


def test_reopen_takes_a_new_owner_and_deadline() -> None:
    closed = rules.apply(
        _new(), rules.close(_new(), Outcome.RESOLVED, "已修", on=date(2026, 10, 12), today=TODAY)
    )
    changes = rules.reopen(
        closed,
        "又坏了",
        on=date(2026, 11, 2),
        today=TODAY,
        owner="王五",
        due=ParsedDate(date(2026, 11, 9)),
    )
    assert [c.field for c in changes] == [
        "status", "closed_on", "outcome", "result", "owner", "deadline",
    ]  # fmt: skip
    with pytest.raises(BadDate) as caught:
        rules.reopen(
            closed, "x", on=date(2026, 11, 2), today=TODAY, due=ParsedDate(date(2026, 11, 1))
        )
    assert caught.value.key == "deadline_before_reopen"


def test_the_same_letter_is_not_recorded_twice() -> None:
    case = _new()
    letter, changes = rules.supervise(case, "宝督〔2026〕3号", None, on=TODAY, today=TODAY)
    sent = replace(rules.apply(case, changes, TODAY), supervisions=(letter,))
    with pytest.raises(WrongState) as caught:
        rules.supervise(sent, "宝督〔2026〕3号", None, on=TODAY, today=TODAY)
    assert caught.value.key == "letter_recorded"
    rules.supervise(sent, "宝督〔2026〕4号", None, on=TODAY, today=TODAY)


def test_supervise_records_previous_deadline() -> None:
    case = replace(_new(), deadline=date(2026, 10, 15))
    letter, changes = rules.supervise(
        case, "宝督〔2026〕3号", ParsedDate(date(2026, 10, 30)), on=date(2026, 10, 20), today=TODAY
    )
    assert letter == Supervision(
        date(2026, 10, 20), "宝督〔2026〕3号", date(2026, 10, 30), date(2026, 10, 15)
    )
    assert [(c.field, c.new) for c in changes] == [
        ("supervision", "宝督〔2026〕3号"),
        ("deadline", date(2026, 10, 30)),
    ]


def test_overdue_is_strictly_after_the_deadline_day() -> None:
    case = replace(_new(), deadline=date(2026, 10, 31))
    assert not is_overdue(case, date(2026, 10, 31))
    assert is_overdue(case, date(2026, 11, 1))
    assert days_overdue(case, date(2026, 11, 3)) == 3
    assert not is_overdue(replace(case, deadline=None), date(2027, 1, 1))
    closed = replace(case, status=Status.CLOSED, closed_on=date(2026, 11, 1))
    assert closed_late(closed) and not is_overdue(closed, date(2026, 11, 5))
    assert not closed_late(replace(closed, closed_on=date(2026, 10, 31)))


def test_month_scope_edges() -> None:
    assert month_scope("2026-10", None, TODAY) == month_scope(None, date(2026, 10, 31), TODAY)
    current = month_scope("2026-11", None, TODAY)
    assert (current.start, current.as_of) == (date(2026, 11, 1), TODAY)
    with pytest.raises(BadDate):
        month_scope("2026-12", None, TODAY)
    with pytest.raises(BadDate):
        month_scope(None, date(2026, 11, 28), TODAY)


def test_carried_over_cases_are_in_scope() -> None:
    scope = month_scope("2026-11", None, TODAY)
    old_open = _new()
    assert in_scope(old_open, old_open, scope)
    closed_before = replace(old_open, status=Status.CLOSED, closed_on=date(2026, 10, 20))
    assert not in_scope(closed_before, closed_before, scope)
    received_after = replace(old_open, received_on=date(2026, 11, 28))
    assert not in_scope(None, None, scope)
    assert not in_scope(received_after, None, month_scope("2026-11", None, TODAY))


# ------------------------------------------------------------- replay against a live run

ACTIONS = ["assign", "note", "plan", "escalate", "close", "reopen", "feedback", "supervise"]


def _act(case: Case, action: str, on: date, step: int) -> tuple[list[Change], Supervision | None]:
    due = ParsedDate(on + timedelta(days=step % 9))
    if action == "assign":
        return rules.assign(case, f"干部{step % 3}", due, on=on, today=TODAY), None
    if action == "note":
        return rules.note(case, f"进展{step}", on=on, today=TODAY), None
    if action == "plan":
        return rules.plan(case, "列入计划", due, on=on, today=TODAY), None
    if action == "escalate":
        level = Level.TOWNSHIP if case.level == Level.VILLAGE else Level.COUNTY
        return rules.escalate(case, level, "上报", None, due, on=on, today=TODAY), None
    if action == "close":
        outcome = Outcome.RESOLVED if step % 2 else Outcome.EXPLAINED
        return rules.close(case, outcome, f"结果{step}", on=on, today=TODAY), None
    if action == "reopen":
        return rules.reopen(case, "再办", on=on, today=TODAY), None
    if action == "feedback":
        answer = list(Satisfaction)[step % 3]
        return rules.feedback(case, answer, on=on, today=TODAY), None
    letter, changes = rules.supervise(case, f"督{step}", due, on=on, today=TODAY)
    return changes, letter


@settings(max_examples=150, deadline=None)
@given(
    steps=st.lists(st.tuples(st.integers(0, 4), st.sampled_from(ACTIONS)), min_size=1, max_size=25),
    kind=st.sampled_from(list(Kind)),
)
def test_replay_gives_the_state_at_the_end_of_every_day(
    steps: list[tuple[int, str]], kind: Kind
) -> None:
    start = date(2026, 9, 25)
    case, changes = rules.add(
        NewCase(title="灌溉水渠堵塞", kind=kind, received_on=start),
        case_id=3,
        uid="u3",
        today=TODAY,
    )
    entries: list[HistoryEntry] = []
    letters: list[Supervision] = []

    def record(batch: list[Change], on: date) -> None:
        for change in batch:
            entries.append(
                HistoryEntry(
                    len(entries) + 1,
                    3,
                    "t",
                    on,
                    "测试",
                    change.field,
                    to_text(change.old),
                    to_text(change.new),
                    change.note,
                )
            )

    record(changes, start)
    end_of_day = {start: case}
    day = start
    for number, (gap, action) in enumerate(steps):
        day += timedelta(days=gap)
        try:
            batch, letter = _act(case, action, day, number)
        except ShuoshiError:
            continue
        record(batch, day)
        if letter is not None:
            letters.append(letter)
        case = rules.apply(case, batch, day)
        if letter is not None:
            case = replace(case, supervisions=(*case.supervisions, letter))
        end_of_day[day] = case

    expected: Case | None = None
    probe = start - timedelta(days=1)
    while probe <= day + timedelta(days=1):
        expected = end_of_day.get(probe, expected)
        got = replay(3, "u3", entries, probe, letters)
        # missed_on is derived by the replay alone (rules.apply leaves it): checked against the
        # timeline and the figures in tests/test_sql_figures.py and tests/test_timeline_golden.py.
        assert (replace(got, missed_on=None, lapsed_on=None) if got else got) == expected, probe
        probe += timedelta(days=1)


def test_supervision_deadline_cannot_precede_the_letter() -> None:
    case = replace(_new(), deadline=date(2026, 10, 10))
    with pytest.raises(BadDate) as caught:
        rules.supervise(
            case, "宝督1", ParsedDate(date(2026, 10, 5)), on=date(2026, 11, 20), today=TODAY
        )
    assert caught.value.key == "deadline_before_letter"
