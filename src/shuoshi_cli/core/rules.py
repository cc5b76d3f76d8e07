"""The case rules: what each clerk command may do to a case, as a list of changes.

A case is a frozen ``Case``; a command's rule looks at it and either raises (wrong state, bad input)
or returns the ``Change`` list that store/write.py appends to the history and applies to the row.
The same ``apply`` replays history (core/history.py), which is how a case's state at the end of any
day is known. Every change carries an effective date that may not run backwards for a case, so a
replay up to any day always passes through states the rules allowed.

Rules that used to sit in storage or the CLI live here too: a talk session must be held before the
matter raised at it, an erasure needs something to erase, a past case (an import) is registered as
the commands it stands for (``register_past``), a new ledger's names and codes (``new_ledger``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from shuoshi_cli.core.case import (
    DEFAULT_CATEGORIES,
    ERASURE,
    NOTE,
    REPLY,
    SUPERVISION,
    Case,
    Change,
    LedgerInfo,
    Supervision,
    apply,
    correction,
)
from shuoshi_cli.core.codes import Channel, Kind, Level, Outcome, Satisfaction, Status
from shuoshi_cli.core.dates import ParsedDate
from shuoshi_cli.core.errors import BadDate, BadInput, NotFound, ShuoshiError, WrongState

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")

# ---------------------------------------------------------------- input cleaning


def clean_text(value: str | None, field: str, required: bool = False) -> str | None:
    """Trim and NFC-normalise free text; refuse empty required text and NUL characters."""
    if value is None:
        if required:
            raise BadInput("empty_field", field=field)
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # A terminal in another encoding (GBK) handed us bytes that are not text.
        raise BadInput("bad_encoding", field=field) from None
    text = unicodedata.normalize("NFC", value).strip()
    if CONTROL.search(text):
        # Excel cannot hold them and they are never meant: refuse rather than change the text.
        raise BadInput("control_chars", field=field)
    if not text:
        if required:
            raise BadInput("empty_field", field=field)
        return None
    return text


def clean_phone(value: str | None) -> str | None:
    """Accept an 11-digit mobile or a landline with area code; full-width digits and spaces are fine."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).replace(" ", "").strip()
    if not text:
        return None
    if not PHONE.match(text):
        # The refused value is not echoed: it may be a real person's number.
        raise BadInput("bad_phone")
    return text


def _check_day(case: Case, on: date, today: date) -> None:
    """An effective date may not lie in the future or before receipt."""
    if on > today:
        raise BadDate("future_date", value=on.isoformat())
    if on < case.received_on:
        raise BadDate(
            "before_received", value=on.isoformat(), received=case.received_on.isoformat()
        )


def _check_on(case: Case, on: date, today: date) -> None:
    """An effective date may not lie in the future, before receipt, or before the last change."""
    _check_day(case, on, today)
    _check_not_before_last(case, on)


def _check_not_before_last(case: Case, on: date) -> None:
    if case.last_change_on is not None and on < case.last_change_on:
        raise WrongState(
            "before_last_change",
            id=case.id,
            value=on.isoformat(),
            last=case.last_change_on.isoformat(),
        )


def _require_open(case: Case, action: str) -> None:
    _require_not_void(case)
    if not case.is_open:
        raise WrongState("case_closed", id=case.id, action=action)


def _require_not_void(case: Case) -> None:
    """A void case takes no event: it was registered in error (restore it first if it was not)."""
    if case.is_void:
        raise WrongState("case_void", id=case.id)


def _deadline_note(due: ParsedDate) -> str | None:
    """Record which calendar counted a working-day deadline (docs/domain.md: record which calendar counted a deadline)."""
    if due.workdays is None:
        return None
    return f"+{due.workdays}wd " + "+".join(sorted(due.sources or {"none"}))


def _deadline_changes(case: Case, due: ParsedDate | None, note: str | None = None) -> list[Change]:
    if due is None or due.day == case.deadline:
        return []
    if due.day < case.received_on:
        raise BadDate(
            "deadline_before_received",
            value=due.day.isoformat(),
            received=case.received_on.isoformat(),
        )
    basis = _deadline_note(due)
    text = "; ".join(t for t in (note, basis) if t) or None
    return [Change("deadline", case.deadline, due.day, text)]


def _diff(case: Case, **values: Any) -> list[Change]:
    return [Change(k, getattr(case, k), v) for k, v in values.items() if getattr(case, k) != v]


# ---------------------------------------------------------------- the rules


@dataclass(frozen=True)
class NewCase:
    """What a clerk enters for a new case, before validation."""

    title: str | None
    detail: str | None = None
    kind: Kind = Kind.REQUEST
    category: str | None = None
    channel: Channel = Channel.OTHER
    reporter: str | None = None
    phone: str | None = None
    anonymous: bool = False
    received_on: date | None = None
    session: int | None = None
    owner: str | None = None
    due: ParsedDate | None = None


NO_SESSION = date.max  # what ``add`` is told when the talk session named does not exist


def add(
    draft: NewCase,
    *,
    case_id: int,
    uid: str,
    today: date,
    session_held_on: date | None = None,
) -> tuple[Case, list[Change]]:
    """Register a case: its creation is a change from nothing for every field given.

    ``session_held_on`` is the day the talk session named by the draft was held (NO_SESSION if
    there is no such session): a matter cannot be raised at a session held after it was received.
    """
    title = clean_text(draft.title, "title", required=True)
    assert title is not None
    reporter = clean_text(draft.reporter, "reporter")
    phone = clean_phone(draft.phone)
    if draft.anonymous and (reporter or phone):
        raise BadInput("anonymous_with_reporter")
    received = draft.received_on or today
    if draft.session is not None:
        if session_held_on is None or session_held_on == NO_SESSION:
            raise NotFound("no_session", id=draft.session)
        if session_held_on > received:
            raise BadDate(
                "session_after_received",
                id=draft.session,
                held=session_held_on.isoformat(),
                value=received.isoformat(),
            )
    if received > today:
        raise BadDate("future_date", value=received.isoformat())
    blank = Case(id=case_id, uid=uid, received_on=received)
    values = {
        "title": title,
        "detail": clean_text(draft.detail, "detail"),
        "kind": draft.kind,
        "category": clean_text(draft.category, "category"),
        "channel": draft.channel,
        "reporter": None if draft.anonymous else reporter,
        "phone": None if draft.anonymous else phone,
        "anonymous": draft.anonymous,
        "received_on": received,
        "session": draft.session,
        "owner": clean_text(draft.owner, "owner"),
        "level": Level.VILLAGE,
        "status": Status.OPEN,
    }
    changes = [Change(k, None, v) for k, v in values.items() if v is not None]
    changes += [replace(c, old=None) for c in _deadline_changes(blank, draft.due)]
    case = apply(Case(id=case_id, uid=uid), changes, received)
    return case, changes


def assign(
    case: Case, owner: str, due: ParsedDate | None, *, on: date, today: date
) -> list[Change]:
    """Name the lead owner (领办责任人) and optionally the deadline."""
    _require_open(case, "assign")
    _check_on(case, on, today)
    name = clean_text(owner, "owner", required=True)
    changes = _diff(case, owner=name) + _deadline_changes(case, due)
    if not changes:
        raise WrongState("nothing_changed", id=case.id)
    return changes


def note(case: Case, text: str, *, on: date, today: date) -> list[Change]:
    """A progress note (办理情况); allowed on open and closed cases alike."""
    _check_on(case, on, today)
    body = clean_text(text, "note", required=True)
    return [Change(NOTE, None, body)]


def plan(case: Case, text: str, due: ParsedDate | None, *, on: date, today: date) -> list[Change]:
    """Put an open case into a plan (列入计划): it stays open with outcome ``planned``."""
    _require_open(case, "plan")
    _check_on(case, on, today)
    body = clean_text(text, "plan", required=True)
    changes = _diff(case, outcome=Outcome.PLANNED, plan=body) + _deadline_changes(case, due)
    if not changes:
        raise WrongState("nothing_changed", id=case.id)
    return changes


def escalate(
    case: Case,
    to: Level,
    reason: str,
    owner: str | None,
    due: ParsedDate | None,
    *,
    on: date,
    today: date,
) -> list[Change]:
    """Hand a case up to the township or county, or back down (退回) with the reason why."""
    _require_open(case, "escalate")
    _check_on(case, on, today)
    why = clean_text(reason, "reason", required=True)
    if to == case.level:
        raise WrongState("same_level", id=case.id, level=case.level.value)
    changes = [Change("level", case.level, to, why)]
    changes += _diff(case, owner=clean_text(owner, "owner")) if owner is not None else []
    return changes + _deadline_changes(case, due)


def close(case: Case, outcome: Outcome, result: str, *, on: date, today: date) -> list[Change]:
    """Close out (销号) with an outcome and the result; no owner is needed."""
    _require_open(case, "close")
    _check_on(case, on, today)
    if outcome == Outcome.PLANNED:
        raise BadInput("close_planned")
    body = clean_text(result, "result", required=True)
    return _diff(case, status=Status.CLOSED, outcome=outcome, result=body, closed_on=on)


def reopen(
    case: Case,
    reason: str,
    *,
    on: date,
    today: date,
    owner: str | None = None,
    due: ParsedDate | None = None,
) -> list[Change]:
    """Reopen a closed case, optionally with a new owner and deadline (the old deadline has
    usually passed); what it had on closing stays in the history."""
    _require_not_void(case)
    if case.is_open:
        raise WrongState("case_open", id=case.id, action="reopen")
    _check_on(case, on, today)
    why = clean_text(reason, "reason", required=True)
    changes = [Change("status", case.status, Status.OPEN, why)]
    changes += _diff(
        case, closed_on=None, outcome=None, result=None, feedback_on=None, satisfaction=None
    )
    if owner is not None:
        changes += _diff(case, owner=clean_text(owner, "owner", required=True))
    if due is not None and due.day < on:
        raise BadDate("deadline_before_reopen", value=due.day.isoformat(), reopened=on.isoformat())
    return changes + _deadline_changes(case, due)


def feedback(
    case: Case,
    satisfaction: Satisfaction | None,
    *,
    on: date,
    today: date,
    correct: str | None = None,
) -> list[Change]:
    """Record that the person was told the result (反馈), and how satisfied they were.

    An answer once recorded for a closure is changed only as a correction (``correct`` gives the
    reason): it replaces the answer from the day it was given (core/history.py).
    """
    _require_not_void(case)
    if case.is_open:
        raise WrongState("case_open", id=case.id, action="feedback")
    if correct is not None:
        return _correct_answer(case, satisfaction, correct)
    if case.satisfaction is not None or (case.feedback_on is not None and satisfaction is None):
        raise WrongState("feedback_recorded", id=case.id)
    _check_day(case, on, today)
    if case.closed_on is not None and on < case.closed_on:
        # Said before the general "not before the last change": it names the date that matters.
        raise BadDate("before_closed", value=on.isoformat(), closed=case.closed_on.isoformat())
    _check_not_before_last(case, on)
    if case.feedback_on is not None:  # told earlier, the answer comes now
        return [Change("satisfaction", None, satisfaction)]
    values: dict[str, Any] = {"feedback_on": on}
    if satisfaction is not None:
        values["satisfaction"] = satisfaction
    return _diff(case, **values)


def _correct_answer(case: Case, satisfaction: Satisfaction | None, reason: str) -> list[Change]:
    why = clean_text(reason, "reason", required=True)
    if case.feedback_on is None:
        raise WrongState("no_feedback", id=case.id)
    if satisfaction is None:
        raise BadInput("correct_needs_answer")
    if satisfaction == case.satisfaction:
        raise WrongState("nothing_changed", id=case.id)
    return [Change(correction("satisfaction"), case.satisfaction, satisfaction, why)]


def supervise(
    case: Case, letter: str, due: ParsedDate | None, *, on: date, today: date
) -> tuple[Supervision, list[Change]]:
    """Record a supervision letter (督办函) and, if it sets one, the new deadline."""
    _require_open(case, "supervise")
    _check_on(case, on, today)
    number = clean_text(letter, "letter", required=True)
    assert number is not None
    if any(sent.letter == number for sent in case.supervisions):
        raise WrongState("letter_recorded", id=case.id, letter=number)
    if due is not None and due.day < on:
        raise BadDate("deadline_before_letter", value=due.day.isoformat(), letter=on.isoformat())
    new_deadline = due.day if due is not None else None
    record = Supervision(on, number, new_deadline, case.deadline)
    changes = [Change(SUPERVISION, None, number)]
    changes += _deadline_changes(case, due, note=number)
    return record, changes


def reply(
    case: Case, letter: str, text: str, *, on: date, today: date
) -> tuple[Supervision, list[Change]]:
    """Record the village's reply (回复) to a letter already recorded on the case.

    The reply is dated the day it was given: not before the letter, not in the future. It changes
    no state (like a note it never holds back a later, back-dated event), so it is allowed on a
    closed case too. A letter is answered once: a second reply to it is refused, whatever it says
    (the history keeps the first; a wrong reply is a matter for a note).
    """
    _require_not_void(case)
    number = clean_text(letter, "letter", required=True)
    body = clean_text(text, "reply")
    if body is None:
        raise BadInput("reply_empty")
    sent = next((s for s in case.supervisions if s.letter == number), None)
    if sent is None:
        if not case.supervisions:
            raise NotFound("reply_no_letters", id=case.id, letter=number)
        recorded = "、".join(s.letter for s in case.supervisions)
        raise NotFound("reply_no_letter", id=case.id, letter=number, letters=recorded)
    if sent.reply_on is not None:
        raise WrongState(
            "reply_recorded", id=case.id, letter=number, date=sent.reply_on.isoformat()
        )
    if on > today:
        raise BadDate("future_date", value=on.isoformat())
    if on < sent.sent_on:
        raise BadDate(
            "reply_before_letter",
            value=on.isoformat(),
            letter=number,
            sent=sent.sent_on.isoformat(),
        )
    return replace(sent, reply_on=on, reply=body), [Change(REPLY, None, body, number)]


def erase_reporter(
    case: Case, *, history_holds_values: bool, today: date
) -> tuple[list[Change], date]:
    """Erase a reporter's name and phone (PIPL art. 47): refused when there is nothing to erase,
    neither on the case nor in its history. Returns the history entry that says an erasure
    happened (not what was erased) and its effective date, which never runs backwards."""
    if not case.reporter and not case.phone and not history_holds_values:
        raise WrongState("nothing_to_erase", id=case.id)
    on = max(today, case.last_change_on or today)
    return [Change(ERASURE, None, None, "reporter, phone")], on


# ---------------------------------------------------------------- registering past cases


@dataclass(frozen=True)
class PastCase:
    """A case registered after the fact (from an Excel ledger): what was entered and what
    happened to it afterwards, each with its own date."""

    draft: NewCase
    level: Level = Level.VILLAGE
    plan: str | None = None
    closed_on: date | None = None
    outcome: Outcome | None = None
    result: str | None = None
    feedback_on: date | None = None
    satisfaction: Satisfaction | None = None
    notes: tuple[str, ...] = ()  # what the row said that has no field (备注, progress, a 2nd phone)


Step = tuple[list[Change], date]  # one command's changes and their effective date


def register_past(
    past: PastCase, *, case_id: int, uid: str, today: date, source: str
) -> tuple[Case, list[Step]]:
    """The commands a clerk would have run for a past case, each under its own rule and on its
    own date: add (on receipt), escalate and plan, close (on its closing date), feedback (on its
    feedback date). A step the rules refuse raises as the clerk command would, with the error's
    ``field`` naming what it is about (an import names that column)."""
    steps: list[Step] = []
    case = Case(id=case_id, uid=uid)

    def then(field: str, step: Callable[[], list[Change]], day: date) -> None:
        nonlocal case
        try:
            changes = step()
        except ShuoshiError as error:
            named = error.params.get("field")
            error.field = (
                error.field
                or _ADD_FIELDS.get(error.key)
                or (named if isinstance(named, str) else field)
            )
            raise
        steps.append((changes, day))
        case = apply(case, changes, day)

    def added() -> list[Change]:
        nonlocal case
        case, changes = add(past.draft, case_id=case_id, uid=uid, today=today)
        notes = [Change(NOTE, None, text) for text in past.notes if text.strip()]
        return [*changes, Change(NOTE, None, f"导入自 {source}"), *notes]

    received = past.draft.received_on or today
    then("received_on", added, received)
    if past.level != Level.VILLAGE:
        then(
            "level",
            lambda: escalate(case, past.level, "导入", None, None, on=received, today=today),
            received,
        )
    if past.plan:
        then("plan", lambda: plan(case, past.plan or "", None, on=received, today=today), received)
    if past.closed_on is not None:
        closed_on, outcome = past.closed_on, past.outcome or Outcome.RESOLVED
        then(
            "closed_on",
            lambda: close(case, outcome, past.result or "", on=closed_on, today=today),
            closed_on,
        )
    if past.feedback_on is not None:
        told = past.feedback_on
        then("feedback_on", lambda: feedback(case, past.satisfaction, on=told, today=today), told)
    return case, steps


def update_past(case: Case, past: PastCase, *, today: date) -> tuple[list[Step], list[str]]:
    """What a row filled in since its case was imported adds, as the clerk commands record it:
    ``close`` on the row's closing date, ``feedback`` on its feedback date, each under its rule.

    Returns the steps and the fields where the row says something else than the case already
    holds (a different closing date …): those are corrections, for ``edit``/``reopen`` with a
    reason, never applied by an import. A row that says less than the case (still open in the
    file, closed in the ledger) changes nothing.
    """
    steps: list[Step] = []
    differs: list[str] = []
    current = case
    if case.is_void:
        return steps, differs

    def then(field: str, step: Callable[[], list[Change]], day: date) -> None:
        nonlocal current
        try:
            changes = step()
        except ShuoshiError as error:
            error.field = error.field or field
            raise
        steps.append((changes, day))
        current = apply(current, changes, day)

    closed_on = past.closed_on
    if closed_on is not None:
        if current.is_open:
            outcome = past.outcome if past.outcome not in (None, Outcome.PLANNED) else None
            then(
                "closed_on",
                lambda: close(
                    current,
                    outcome or Outcome.RESOLVED,
                    past.result or "（原台账未填写办理结果）",
                    on=closed_on,
                    today=today,
                ),  # fmt: skip
                closed_on,
            )
        else:
            differs += [
                name
                for name, theirs in (("closed_on", closed_on), ("result", past.result))
                if theirs is not None and getattr(current, name) not in (None, theirs)
            ]
    if current.is_open or (past.feedback_on is None and past.satisfaction is None):
        return steps, differs
    told = past.feedback_on or current.closed_on or closed_on
    if current.feedback_on is None and current.satisfaction is None and told is not None:
        then(
            "feedback_on", lambda: feedback(current, past.satisfaction, on=told, today=today), told
        )
    elif current.satisfaction is None and past.satisfaction is not None and told is not None:
        then(
            "satisfaction",
            lambda: feedback(
                current,
                past.satisfaction,
                on=max(told, current.last_change_on or told),
                today=today,
            ),
            max(told, current.last_change_on or told),
        )
    elif past.satisfaction is not None and current.satisfaction != past.satisfaction:
        differs.append("satisfaction")
    return steps, differs


# What a refusal of ``add`` is about, where its key says so (else its ``field`` parameter).
_ADD_FIELDS = {
    "deadline_before_received": "deadline",
    "anonymous_with_reporter": "anonymous",
    "bad_phone": "phone",
    "close_planned": "outcome",
}


# ---------------------------------------------------------------- a new ledger


def new_ledger(
    village: str,
    township: str,
    county: str,
    area_code: str | None = None,
    categories: str | None = None,
) -> LedgerInfo:
    """Whose ledger a new file is: the names are required, an area code has 12 digits, the
    category list is split on commas (Chinese or Western) or 、, defaulting to the usual nine."""
    names = [
        clean_text(value, key, required=True)
        for key, value in (("village_name", village), ("township", township), ("county", county))
    ]
    code = (area_code or "").strip() or None
    if code is not None and not re.fullmatch(r"\d{12}", code):
        raise BadInput("bad_area_code")
    chosen = (
        tuple(c.strip() for c in re.split(r"[,，、]", categories) if c.strip())
        if categories
        else DEFAULT_CATEGORIES
    )
    return LedgerInfo(str(names[0]), str(names[1]), str(names[2]), code, chosen)


# ---------------------------------------------------------------- corrections


@dataclass(frozen=True)
class Edit:
    """What ``edit`` was given: a field left None is not being corrected; "" clears a text."""

    title: str | None = None
    detail: str | None = None
    kind: Kind | None = None
    category: str | None = None
    channel: Channel | None = None
    reporter: str | None = None
    phone: str | None = None
    anonymous: bool | None = None
    received_on: date | None = None
    session: int | None = None


def edit(
    case: Case,
    given: Edit,
    reason: str,
    *,
    today: date,
    session_held_on: date | None = None,
    first_event_on: date | None = None,
) -> list[Change]:
    """Correct what was registered (SPEC 1): validated as ``add`` validates it, each value
    replaced from the case's start, with the reason; refused when nothing changes.

    ``session_held_on`` is the day the session named was held (NO_SESSION: no such session);
    ``first_event_on`` the day of the case's first entry after its registration, which a
    corrected received date may not come after.
    """
    _require_not_void(case)
    why = clean_text(reason, "reason", required=True)
    values: dict[str, Any] = {}
    if given.title is not None:
        values["title"] = clean_text(given.title, "title", required=True)
    for name in ("detail", "category", "reporter"):
        text = getattr(given, name)
        if text is not None:
            values[name] = clean_text(text, name)
    if given.phone is not None:
        values["phone"] = clean_phone(given.phone)
    for name in ("kind", "channel", "anonymous"):
        if getattr(given, name) is not None:
            values[name] = getattr(given, name)
    anonymous = values.get("anonymous", case.anonymous)
    if anonymous:
        if values.get("reporter") or values.get("phone"):
            raise BadInput("anonymous_with_reporter")
        values |= {"reporter": None, "phone": None}
    if given.received_on is not None:
        received = given.received_on
        if received > today:
            raise BadDate("future_date", value=received.isoformat())
        if first_event_on is not None and received > first_event_on:
            raise BadDate(
                "received_after_event", value=received.isoformat(), first=first_event_on.isoformat()
            )
        if case.deadline is not None and case.deadline < received:
            raise BadDate(
                "deadline_before_received",
                value=case.deadline.isoformat(),
                received=received.isoformat(),
            )
        values["received_on"] = received
    if given.session is not None:
        values["session"] = given.session
    session = values.get("session", case.session)
    if given.session is not None or "received_on" in values:
        if session is not None and (session_held_on is None or session_held_on == NO_SESSION):
            raise NotFound("no_session", id=session)
        received = values.get("received_on", case.received_on)
        if session is not None and session_held_on is not None and session_held_on > received:
            raise BadDate(
                "session_after_received",
                id=session,
                held=session_held_on.isoformat(),
                value=received.isoformat(),
            )
    changes = [
        Change(correction(name), getattr(case, name), value, why)
        for name, value in values.items()
        if getattr(case, name) != value
    ]
    if not changes:
        raise WrongState("nothing_changed", id=case.id)
    return changes


def void(
    case: Case, reason: str, duplicate_of: int | None, *, duplicate_exists: bool = True
) -> list[Change]:
    """Make a case void (作废): registered in error, so in no list or figure from its start."""
    why = clean_text(reason, "reason", required=True)
    if case.is_void:
        raise WrongState("case_void", id=case.id)
    changes = [Change(correction("void_reason"), None, why, why)]
    if duplicate_of is not None:
        if duplicate_of == case.id or not duplicate_exists:
            raise NotFound("no_duplicate", id=duplicate_of)
        changes.append(Change(correction("duplicate_of"), None, duplicate_of, why))
    return changes


def restore(case: Case, reason: str) -> list[Change]:
    """Undo a void made in error: the case is back, as its events left it."""
    why = clean_text(reason, "reason", required=True)
    if not case.is_void:
        raise WrongState("not_void", id=case.id)
    changes = [Change(correction("void_reason"), case.void_reason, None, why)]
    if case.duplicate_of is not None:
        changes.append(Change(correction("duplicate_of"), case.duplicate_of, None, why))
    return changes


# ---------------------------------------------------------------- possible duplicates

DUPLICATE_WINDOW_DAYS = 30
SIMILAR_TITLES = 0.6  # difflib's ratio: "减速带损怀" and "减速带损坏" score 0.8


def possible_duplicates(case: Case, others: list[Case]) -> list[int]:
    """Cases that may be the same matter registered twice: received within 30 days of it, from the
    same phone or reporter, with a similar title. Only a hint (``add`` still saves); void cases and
    anonymous reporters never match."""
    from difflib import SequenceMatcher

    if not case.reporter and not case.phone:
        return []
    title = _comparable(case.title)
    found = []
    for other in others:
        if other.id == case.id or other.is_void:
            continue
        if abs((other.received_on - case.received_on).days) > DUPLICATE_WINDOW_DAYS:
            continue
        same_person = (case.phone and other.phone == case.phone) or (
            case.reporter and other.reporter == case.reporter
        )
        if not same_person:
            continue
        theirs = _comparable(other.title)
        if (
            title in theirs
            or theirs in title
            or (SequenceMatcher(None, title, theirs).ratio() >= SIMILAR_TITLES)
        ):
            found.append(other.id)
    return found


def _comparable(text: str) -> str:
    """A title without spaces or punctuation, full-width folded, for comparing."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if ch.isalnum())
