"""Entering many cases in one go, in the spirit of ``hledger add``.

``shuoshi add`` with no title on a terminal asks for each field (Enter keeps the default shown in
brackets); ``shuoshi add -`` reads the same answers, one per line, from stdin, so a whole talk
session's matters go in through one process. An empty title (or end of input) stops. Each case is
saved in its own transaction as soon as it is confirmed; its id goes to stdout.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import typer

from shuoshi_cli.cli.app import STATE, parse_day, today
from shuoshi_cli.core.codes import Channel, Kind, label, parse
from shuoshi_cli.core.errors import BadInput, ShuoshiError

ANONYMOUS_WORDS = {"匿名", "anonymous"}


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


def add_interactively(from_stdin: bool, as_json: bool) -> None:
    """Prompt on a terminal, or read answers from stdin; refuse to wait on anything else."""
    from shuoshi_cli.store.write import open_ledger

    if not from_stdin and not sys.stdin.isatty():
        raise BadInput("title_missing")
    lang = STATE.lang
    with open_ledger(STATE.db, write=True) as ledger:
        info = ledger.info()
        owners = sorted({c.owner for c in ledger.cases() if c.owner})
        defaults: dict[str, str] = {
            "kind": label(Kind.REQUEST, lang),
            "channel": label(Channel.TALK, lang) if not from_stdin else label(Channel.OTHER, lang),
            "received": "今天" if lang == "zh" else "today",
            "confirm": "Y",
        }
        hints = {
            "kind": "、".join(label(k, lang) for k in Kind),
            "category": "、".join(info.categories),
            "channel": "、".join(label(c, lang) for c in Channel),
            "owner": "、".join(owners[:12]),
        }
        ask = _reader(from_stdin, lang)
        number = 0
        while True:
            number += 1
            answers = _ask_case(ask, defaults, hints, lang, from_stdin, number)
            if answers is None:
                return
            if answers["confirm"].strip().lower() not in ("", "y", "yes", "是", "好"):
                continue
            case = ledger.add(_draft(answers), today=today(), user=STATE.user)
            from shuoshi_cli.formats.render import case_json, dumps

            typer.echo(dumps(case_json(case, info.village)) if as_json else str(case.id))
            # Remember this case's category, channel and date: talk sessions come in runs.
            for key in ("category", "channel", "received"):
                if answers.get(key):
                    defaults[key] = answers[key]


def _reader(from_stdin: bool, lang: str) -> Callable[[Question, str, str], str | None]:
    def ask(question: Question, default: str, hint: str) -> str | None:
        if not from_stdin:
            if hint:
                typer.echo(f"  （{hint}）" if lang == "zh" else f"  ({hint})", err=True)
            text = question.zh if lang == "zh" else question.en
            shown = f" [{default}]" if default else ""
            sys.stderr.write(f"{text}{shown}: ")
            sys.stderr.flush()
        line = sys.stdin.readline()
        if line == "":
            return None
        answer = line.rstrip("\r\n").strip()
        return answer or default

    return ask


def _ask_case(
    ask: Callable[[Question, str, str], str | None],
    defaults: dict[str, str],
    hints: dict[str, str],
    lang: str,
    from_stdin: bool,
    number: int,
) -> dict[str, str] | None:
    """One case's answers; None at an empty title or end of input. Bad answers are asked again."""
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        while True:
            answer = ask(question, defaults.get(question.key, ""), hints.get(question.key, ""))
            if answer is None:
                return None
            if question.key == "title" and not answer:
                return None
            try:
                _check(question.key, answer)
            except ShuoshiError as error:
                if from_stdin:
                    raise BadInput(
                        "entry_problem", number=number, problem=_message(error)
                    ) from None
                typer.echo(_message(error), err=True)
                continue
            answers[question.key] = answer
            break
    return answers


def _message(error: ShuoshiError) -> str:
    from shuoshi_cli.core import messages
    from shuoshi_cli.formats.render import error_params

    return messages.error(error.key, error_params(error.params, STATE.lang), STATE.lang)


def _check(key: str, answer: str) -> None:
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
    elif key in ("received", "due"):
        parse_day(answer)


def _draft(answers: dict[str, str]) -> Any:
    from shuoshi_cli.core.rules import NewCase

    reporter = answers.get("reporter") or None
    anonymous = reporter is not None and reporter.lower() in ANONYMOUS_WORDS
    received = parse_day(answers.get("received") or None)
    return NewCase(
        title=answers["title"],
        detail=answers.get("detail") or None,
        kind=parse(Kind, answers.get("kind") or "request", "kind"),
        category=answers.get("category") or None,
        channel=parse(Channel, answers.get("channel") or "other", "channel"),
        reporter=None if anonymous else reporter,
        phone=None if anonymous else (answers.get("phone") or None),
        anonymous=anonymous,
        received_on=received.day if received else None,
        owner=answers.get("owner") or None,
        due=parse_day(answers.get("due") or None),
    )
