"""Late entries (补录/追溯修改, SPEC 4) as a report shows them: JSON, a table, a workbook's rows.

An entry's values are shown as recorded, except a reporter's name, a phone number and the detail
text, which no report lists (SPEC 7): the entry says that they changed, not what to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from shuoshi_cli.core import messages
from shuoshi_cli.core.case import FIELD_TYPES, from_text
from shuoshi_cli.core.codes import CORRECTION, label
from shuoshi_cli.formats.render import TITLE_WANT, local_time
from shuoshi_cli.formats.table import Table
from shuoshi_cli.store.knownby import REGISTERED

PERSONAL = frozenset({"reporter", "phone", "detail", "anonymous"})

# (village, township, entry): the ledger the entry was read from.
Placed = tuple[str, str, Any]


def is_personal(field: str) -> bool:
    return field.removeprefix(CORRECTION) in PERSONAL


def shown_values(field: str, old: str | None, new: str | None) -> tuple[str | None, str | None]:
    """The old and new values a report may show: none for personal data."""
    return (None, None) if is_personal(field) else (old, new)


def late_json(placed: Iterable[Placed]) -> list[dict[str, Any]]:
    """SPEC 4's ``late_entries``: case, field, old and new values, who and when recorded."""
    found = []
    for village, township, entry in placed:
        old, new = shown_values(entry.field, entry.old, entry.new)
        found.append(
            {
                "village": village,
                "township": township,
                "id": entry.case_id,
                "title": entry.title,
                "field": entry.field,
                "old": old,
                "new": new,
                "effective": entry.effective,
                "user": entry.user,
                "recorded_at": entry.at,
            }
        )
    return found


def value_text(field: str, value: str | None, lang: str) -> str:
    """A stored value as a user reads it: a code by its label (closed: 已办结), else as it is."""
    name = field.removeprefix(CORRECTION)
    if value is None or value == "":
        return "—"
    if (
        name in FIELD_TYPES
        and isinstance(FIELD_TYPES[name], type)
        and issubclass(FIELD_TYPES[name], StrEnum)
    ):
        try:
            return label(from_text(name, value), lang)
        except ValueError:
            return value
    return value


def field_text(field: str, lang: str) -> str:
    """What an entry changed, in words: a field, a correction of one, or a late registration."""
    if field == REGISTERED:
        return messages.text("late_registered", lang)
    return messages.field_name(field, lang)


def change_text(field: str, old: str | None, new: str | None, lang: str) -> str:
    """``old → new`` as shown on paper; a personal field only says it changed; a case
    registered late is its title."""
    if field == REGISTERED:
        return new or ""
    if is_personal(field):
        return messages.text("late_personal", lang)
    return f"{value_text(field, old, lang)} → {value_text(field, new, lang)}"


def late_rows(placed: Sequence[Placed], lang: str) -> list[list[Any]]:
    """One row an entry: village, case, title, field, change, effective day, who, recorded."""
    return [
        [
            village,
            entry.case_id,
            entry.title,
            field_text(entry.field, lang),
            change_text(entry.field, entry.old, entry.new, lang),
            entry.effective,
            entry.user,
            local_time(entry.at),
        ]
        for village, _, entry in placed
    ]


LATE_HEADINGS = (
    "村",
    "编号",
    "反映事项",
    "改了什么",
    "原值 → 新值",
    "生效日期",
    "登记人",
    "登记时间",
)


def late_table(placed: Sequence[Placed], lang: str) -> Table:
    """The late entries on screen, under a title that counts them."""
    f, t = messages.field_name, messages.text
    table = Table(title=t("late_title", lang, count=len(placed)))
    headings = [
        (f("village", lang), False), (f("id", lang), False), (f("title", lang), True),
        (t("late_field", lang), True), (t("late_change", lang), True),
        (t("late_effective", lang), False), (t("late_user", lang), True),
        (t("late_at", lang), False),
    ]  # fmt: skip
    for heading, wraps in headings:
        table.add_column(heading, wrap=wraps, want=TITLE_WANT)
    for row in late_rows(placed, lang):
        table.add_row(*(cell.isoformat() if hasattr(cell, "isoformat") else cell for cell in row))
    return table
