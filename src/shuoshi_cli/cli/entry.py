"""Entering many cases in one go, in the spirit of ``hledger add``.

``shuoshi add`` with no title on a terminal asks for each field (Enter keeps the default shown in
brackets); ``shuoshi add -`` reads the same answers, one per line, from stdin, so a whole talk
session's matters go in through one process. An empty title (or end of input) stops. Each case is
saved in its own transaction as soon as it is confirmed; its id goes to stdout.

The options given on the command line (``--owner``, ``--category``, ``--session``, ``--due`` …)
are every entry's defaults. Input is read as UTF-8 bytes (a byte-order mark at the start is
dropped); a line that is not UTF-8 is asked again on a terminal and refused, with the entry's
number, from stdin. A check that can only be made when the case is saved (a received date in the
future, a deadline before it was received) asks for that field again on a terminal, so the entry
is not lost; from stdin it names the entry.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import typer

from shuoshi_cli.cli.app import STATE, not_utf8, note, parse_day, today
from shuoshi_cli.core import messages
from shuoshi_cli.core.codes import Channel, Kind, label, parse
from shuoshi_cli.core.errors import BadInput, ShuoshiError

ANONYMOUS_WORDS = {"匿名", "anonymous"}
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Question:
    key: str
    zh: str
    en: str


QUESTIONS = (
    Question("title", "反映事项（直接回车结束）", "title (Enter to finish)"),
    Question("detail", "详细内容", "detail"),
    Question("kind", "类型", "kind"),
    Question("category", "类别", "category"),
    Question("channel", "渠道", "channel"),
    Question("reporter", "反映人（匿名请填“匿名”）", "reporter ('anonymous' for none)"),
    Question("phone", "联系电话", "phone"),
    Question("received", "受理日期", "received"),
    Question("owner", "领办责任人", "owner"),
    Question("due", "完成时限", "deadline"),
    Question("confirm", "保存这一件？(Y/n)", "save this case? (Y/n)"),
)
BY_KEY = {q.key: q for q in QUESTIONS}

# The question to ask again when saving refuses a case for this reason (else the error's field).
_REFUSED_FIELD = {
    "future_date": "received",
    "session_after_received": "received",
    "before_received": "received",
    "deadline_before_received": "due",
    "bad_phone": "phone",
    "anonymous_with_reporter": "reporter",
}

Ask = Callable[[Question, str, str], str | None]


def add_interactively(from_stdin: bool, as_json: bool, given: dict[str, Any] | None = None) -> None:
    """Prompt on a terminal, or read answers from stdin; refuse to wait on anything else.

    ``given`` holds ``add``'s options; those set on the command line are every entry's defaults.
    """
    from shuoshi_cli.store.write import open_ledger

    if not from_stdin and not on_terminal():
        raise BadInput("title_missing")
    lang = STATE.lang
    options = _given(given or {})
    for key, value in options.items():
        if key in BY_KEY:
            _check(key, value, options)
    with open_ledger(STATE.db, write=True) as ledger:
        info = ledger.info()
        owners = sorted({c.owner for c in ledger.cases() if c.owner})
        defaults: dict[str, str] = {
            "kind": label(Kind.REQUEST, lang),
            "channel": label(Channel.TALK, lang) if not from_stdin else label(Channel.OTHER, lang),
            "received": "今天" if lang == "zh" else "today",
            "confirm": "Y",
        }
        defaults.update({k: v for k, v in options.items() if k in BY_KEY})
        hints = {
            "kind": "、".join(label(k, lang) for k in Kind),
            "category": "、".join(info.categories),
            "channel": "、".join(label(c, lang) for c in Channel),
            "owner": "、".join(owners[:12]),
        }
        ask = _reader(from_stdin, lang)
        session = options.get("session")
        number = 0
        while True:
            number += 1
            answers = _ask_case(ask, defaults, hints, from_stdin, number)
            if answers is None:
                return
            if answers["confirm"].strip().lower() not in ("", "y", "yes", "是", "好"):
                continue
            case = _save(ledger, answers, session, ask, hints, from_stdin, number)
            if case is None:
                return
            from shuoshi_cli.formats.render import case_json, dumps

            typer.echo(dumps(case_json(case, info.village)) if as_json else str(case.id))
            remarks = []
            repeats = ledger.possible_duplicates(case)
            if repeats:
                others = "、".join(f"#{n}" for n in repeats)
                remarks.append(messages.text("possible_duplicate", lang, id=case.id, others=others))
            if case.category and case.category not in info.categories:
                known = "、".join(info.categories)
                remarks.append(
                    messages.text("unknown_category", lang, category=case.category, known=known)
                )
            for said in remarks:
                if from_stdin:
                    note(said)
                else:
                    typer.echo(said, err=True)
            # Remember this case's category, channel and date: talk sessions come in runs.
            for key in ("category", "channel", "received"):
                if answers.get(key):
                    defaults[key] = answers[key]


def on_terminal() -> bool:
    """Whether a person can answer questions (stdin is a terminal)."""
    return sys.stdin.isatty()


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """The options the clerk typed on the command line, as answers to the questions."""
    chosen: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key == "anonymous":
            if value:
                chosen["reporter"] = "匿名"
        else:
            chosen[key] = value if key == "session" else str(value)
    return chosen


def _save(
    ledger: Any,
    answers: dict[str, str],
    session: int | None,
    ask: Ask,
    hints: dict[str, str],
    from_stdin: bool,
    number: int,
) -> Any:
    """Save one case; a refusal about a field asks that field again on a terminal."""
    while True:
        try:
            return ledger.add(_draft(answers, session), today=today(), user=STATE.user)
        except ShuoshiError as error:
            if from_stdin:
                raise _numbered(error, number) from None
            named = error.params.get("field")
            key = _REFUSED_FIELD.get(error.key) or (named if named in BY_KEY else None)
            if key is None:
                raise
            typer.echo(_message(error), err=True)
            answer = _ask_one(ask, BY_KEY[key], answers.get(key, ""), hints, answers, False, number)
            if answer is None:
                return None
            answers[key] = answer


def _numbered(error: ShuoshiError, number: int) -> ShuoshiError:
    """The same refusal, naming the entry (its code kept for --json)."""
    return type(error)("entry_problem", number=number, problem=_message(error))


def _reader(from_stdin: bool, lang: str) -> Ask:
    stream = getattr(sys.stdin, "buffer", None)
    count = 0

    def ask(question: Question, default: str, hint: str) -> str | None:
        nonlocal count
        if not from_stdin:
            if hint:
                typer.echo(f"  （{hint}）" if lang == "zh" else f"  ({hint})", err=True)
            text = question.zh if lang == "zh" else question.en
            shown = f" [{default}]" if default else ""
            sys.stderr.write(f"{text}{shown}: ")
            sys.stderr.flush()
        raw = stream.readline() if stream is not None else sys.stdin.readline()
        if not raw:
            return None
        count += 1
        line = _decoded(raw, count)
        answer = line.rstrip("\r\n").strip()
        return answer or default

    return ask


def _decoded(raw: bytes | str, count: int) -> str:
    """One line of input as text: UTF-8 only, a byte-order mark at the start dropped."""
    if isinstance(raw, str):
        text = raw.removeprefix("\ufeff") if count == 1 else raw
        if not_utf8(text):
            raise BadInput("stdin_not_utf8", line=count)
        return text
    if count == 1:
        raw = raw.removeprefix(BOM)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("stdin_not_utf8", line=count) from None


def _ask_case(
    ask: Ask,
    defaults: dict[str, str],
    hints: dict[str, str],
    from_stdin: bool,
    number: int,
) -> dict[str, str] | None:
    """One case's answers; None at an empty title or end of input. Bad answers are asked again."""
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        default = defaults.get(question.key, "")
        answer = _ask_one(ask, question, default, hints, answers, from_stdin, number)
        if answer is None or (question.key == "title" and not answer):
            return None
        answers[question.key] = answer
    return answers


def _ask_one(
    ask: Ask,
    question: Question,
    default: str,
    hints: dict[str, str],
    answers: dict[str, str],
    from_stdin: bool,
    number: int,
) -> str | None:
    """One answer, checked at once: asked again on a terminal, refused (numbered) from stdin."""
    while True:
        try:
            answer = ask(question, default, hints.get(question.key, ""))
            if answer is not None:
                _check(question.key, answer, answers)
            return answer
        except ShuoshiError as error:
            if from_stdin:
                raise _numbered(error, number) from None
            typer.echo(_message(error), err=True)


def _message(error: ShuoshiError) -> str:
    from shuoshi_cli.formats.render import error_params

    return messages.error(error.key, error_params(error.params, STATE.lang), STATE.lang)


def _check(key: str, answer: str, answers: dict[str, Any]) -> None:
    """Validate one answer as soon as it is given, so a mistake is asked again at once."""
    from shuoshi_cli.core.rules import clean_phone

    if not answer:
        return
    if key == "kind":
        parse(Kind, answer, "kind")
    elif key == "channel":
        parse(Channel, answer, "channel")
    elif key == "phone":
        clean_phone(answer)
    elif key == "received":
        parse_day(answer, meaning="happened")
    elif key == "due":
        parse_day(answer, meaning="deadline", received=_received(answers))


def _received(answers: dict[str, Any]) -> Any:
    parsed = parse_day(answers.get("received") or None, meaning="happened")
    return parsed.day if parsed is not None else today()


def _draft(answers: dict[str, str], session: int | None) -> Any:
    from shuoshi_cli.core.rules import NewCase

    reporter = answers.get("reporter") or None
    anonymous = reporter is not None and reporter.lower() in ANONYMOUS_WORDS
    received = _received(answers)
    return NewCase(
        title=answers["title"],
        detail=answers.get("detail") or None,
        kind=parse(Kind, answers.get("kind") or "request", "kind"),
        category=answers.get("category") or None,
        channel=parse(Channel, answers.get("channel") or "other", "channel"),
        reporter=None if anonymous else reporter,
        phone=None if anonymous else (answers.get("phone") or None),
        anonymous=anonymous,
        received_on=received,
        session=session,
        owner=answers.get("owner") or None,
        due=parse_day(answers.get("due") or None, meaning="deadline", received=received),
    )
