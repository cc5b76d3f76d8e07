"""What a user sees of letters' replies: the ``letters`` report (table and JSON), a reply's
confirmation and the case with its replies in JSON. Tables are formats/table.py's (on a terminal
fitted to its width; piped, tab-separated), as every other report's.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from typing import Any

from shuoshi_cli.core import messages
from shuoshi_cli.core.case import Case, Supervision
from shuoshi_cli.core.replies import LettersReport, SentLetter
from shuoshi_cli.formats.render import LETTER_WANT, TITLE_WANT, TITLE_WIDTH, case_json, state_text
from shuoshi_cli.formats.table import Table


def reply_confirmation(case: Case, letter: str, lang: str) -> str:
    """The one line ``supervise --reply`` prints (``letter`` as typed)."""
    number = unicodedata.normalize("NFC", letter).strip()  # as the rule cleaned it
    sent = next((s for s in case.supervisions if s.letter == number), None)
    reply_on = sent.reply_on.isoformat() if sent is not None and sent.reply_on else ""
    return messages.text("reply_done", lang, id=case.id, letter=number, reply_on=reply_on)


def _reply_json(letter: Supervision) -> dict[str, Any]:
    return {"reply_on": letter.reply_on, "reply": letter.reply}


def case_with_replies_json(case: Case, village: str) -> dict[str, Any]:
    """A case as SPEC 3 names it, each letter with its reply (``reply_on``, ``reply``)."""
    data = case_json(case, village)
    for shown, letter in zip(data["supervisions"], case.supervisions, strict=True):
        for key, value in _reply_json(letter).items():
            shown.setdefault(key, value)
    return data


def _letter_json(item: SentLetter) -> dict[str, Any]:
    case, letter = item.case, item.letter
    return {
        "village": item.village,
        "township": item.township,
        "id": case.id,
        "title": case.title,
        "owner": case.owner,
        "level": case.level,
        "status": case.status,
        "letter": letter.letter,
        "date": letter.sent_on,
        "deadline": letter.deadline,
        "previous_deadline": letter.previous_deadline,
        "count": item.count,
        "replied": item.replied,
        **_reply_json(letter),
    }


def letters_json(report: LettersReport) -> dict[str, Any]:
    """``{"start", "as_of", "letters": [...]}``: every letter sent in the period with its reply."""
    return {
        "start": report.scope.start,
        "as_of": report.scope.as_of,
        "letters": [_letter_json(item) for item in report.letters],
    }


def _village_names(report: LettersReport) -> dict[tuple[str, str], str]:
    """A village's name, with its township where two townships have a village of that name."""
    townships: dict[str, set[str]] = defaultdict(set)
    for item in report.letters:
        townships[item.village].add(item.township)
    return {
        (item.township, item.village): (
            f"{item.township}/{item.village}" if len(townships[item.village]) > 1 else item.village
        )
        for item in report.letters
    }


def letters_table(report: LettersReport, lang: str) -> Table:
    """One row per letter and case: when sent, its number, the case, the new deadline, the reply
    (its date and text, or 未回复) and where the case stood at D."""
    t = messages.text
    f = messages.field_name
    scope = report.scope
    table = Table(
        title=t(
            "replies_title",
            lang,
            start=scope.start.isoformat(),
            end=scope.as_of.isoformat(),
            count=len(report.letters),
            replied=report.replied,
        )
    )
    table.add_column(t("replies_sent_on", lang), wrap=False, short=t("short_sent_on", lang))
    table.add_column(f("letter", lang), words=True, want=LETTER_WANT)
    table.add_column(f("village", lang))
    table.add_column(f("id", lang), wrap=False)
    table.add_column(f("title", lang), min_width=TITLE_WIDTH, want=TITLE_WANT)
    table.add_column(t("replies_new_due", lang), wrap=False, short=t("short_deadline", lang))
    table.add_column(t("replies_reply_on", lang), wrap=False, short=t("short_reply_on", lang))
    table.add_column(t("replies_reply", lang), min_width=TITLE_WIDTH, want=TITLE_WANT)
    table.add_column(t("state", lang), words=True, short=t("short_state", lang))
    names = _village_names(report)
    for item in report.letters:
        case, letter = item.case, item.letter
        table.add_row(
            letter.sent_on.isoformat(),
            letter.letter,
            names[(item.township, item.village)],
            str(case.id),
            case.title,
            letter.deadline.isoformat() if letter.deadline else "",
            letter.reply_on.isoformat() if letter.reply_on else "",
            letter.reply if letter.reply is not None else t("replies_unanswered", lang),
            state_text(case, scope.as_of, lang),
        )
    return table
