"""What a user sees: one-line confirmations, tables (formats/table.py) and ``--json``.

Every function takes core facts and a language; nothing here reads a file or decides a rule.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from shuoshi_cli.core import messages
from shuoshi_cli.core.case import (
    FIELD_TYPES,
    NOTE,
    SUPERVISION,
    Case,
    Supervision,
    corrected_field,
    from_text,
)
from shuoshi_cli.core.codes import Level, label
from shuoshi_cli.core.history import HistoryEntry
from shuoshi_cli.core.lateness import days_overdue, is_overdue
from shuoshi_cli.formats.table import SOFT_WIDTH, Screen, Table

# SPEC 2's fields: not the derived ones (the last change, the first deadline missed).
JSON_FIELDS = tuple(
    f.name for f in fields(Case) if f.name not in ("last_change_on", "missed_on", "lapsed_on")
)
_DATE_FIELDS = tuple(name for name in JSON_FIELDS if FIELD_TYPES.get(name) is date)


def console(stderr: bool = False) -> Screen:
    """Where tables go: stdout (or stderr), fitted to the terminal, one line a row when piped."""
    return Screen(stderr)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    raise TypeError(type(value).__name__)


def dumps(data: Any, pretty: bool | None = None) -> str:
    """Plain UTF-8 JSON: Chinese stays readable, dates are YYYY-MM-DD, enums their codes.

    Indented on a terminal; one line when piped, which lets the C encoder write a county's
    overdue list in a fraction of the time.
    """
    if pretty is None:
        pretty = sys.stdout.isatty()
    return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None, default=_json_default)


def supervision_json(letter: Supervision) -> dict[str, Any]:
    return {
        "date": letter.sent_on,
        "letter": letter.letter,
        "deadline": letter.deadline,
        "previous_deadline": letter.previous_deadline,
        "reply_on": letter.reply_on,
        "reply": letter.reply,
    }


def case_json(case: Case, village: str) -> dict[str, Any]:
    """A case as SPEC 3 names it: the fields of section 2 plus ``village``."""
    # Straight from the instance's fields, dates already as text: a county's overdue list is
    # tens of thousands of cases, and each conversion the encoder calls back for costs.
    fields_ = vars(case)
    data: dict[str, Any] = {name: fields_[name] for name in JSON_FIELDS}
    for name in _DATE_FIELDS:
        if data[name] is not None:
            data[name] = data[name].isoformat()
    data["supervisions"] = [supervision_json(s) for s in case.supervisions]
    if case.void_reason is not None:  # SPEC 2: a void case's status is void (its events kept)
        data["status"] = "void"
    data["village"] = village
    return data


def history_json(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "at": entry.at,
        "effective": entry.effective,
        "user": entry.user,
        "field": entry.field,
        "old": entry.old,
        "new": entry.new,
        "note": entry.note,
    }


def print_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")


def when_due(deadline: date | None, lang: str) -> str:
    if deadline is None:
        return ""
    return messages.text(
        "due_suffix",
        lang,
        deadline=deadline.isoformat(),
        weekday=messages.weekday(deadline.weekday(), lang),
    )


def state_text(case: Case, today: date, lang: str) -> str:
    """在办 / 列入计划 / 超期N天 / 已办结（已解决） / 已作废: what the 办理情况 column says."""
    if case.is_void:
        return messages.text("state_void", lang)
    if case.is_open:
        parts = [label(case.outcome or case.status, lang)]
        if is_overdue(case, today):
            parts.append(messages.text("overdue_days", lang, days=days_overdue(case, today)))
        return " ".join(parts)
    return (
        paren(f"{label(case.status, lang)}", label(case.outcome, lang), lang)
        if case.outcome
        else label(case.status, lang)
    )


def paren(before: str, inside: str, lang: str) -> str:
    """``已办结（已解决）`` in Chinese, ``closed (resolved)`` in English."""
    return f"{before}（{inside}）" if lang == "zh" else f"{before} ({inside})".lstrip()


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


# A matter's title keeps at least 12 cells (six Chinese characters) on the narrowest screen, and
# 20 (ten) unless the columns already stand one space apart.
TITLE_WIDTH = 12
TITLE_WANT = 20
FIELD_WANT = 12  # a field's name in history: 办理结果类型
CHANGE_WANT = 16  # old → new in history, leaving the reason room beside it
LETTER_WANT = 16  # a supervision letter's number on a line of its own


def cases_table(cases: Sequence[Case], village: str, today: date, lang: str) -> Table:
    f = messages.field_name
    t = messages.text
    table = Table(title=t("list_title", lang, village=village, count=len(cases)))
    table.add_column(f("id", lang), wrap=False)
    table.add_column(f("received_on", lang), wrap=False, short=t("short_received", lang))
    table.add_column(f("title", lang), min_width=TITLE_WIDTH, want=TITLE_WANT)
    table.add_column(f("category", lang))
    table.add_column(f("owner", lang), short=t("short_owner", lang))
    table.add_column(f("deadline", lang), wrap=False, short=t("short_deadline", lang))
    table.add_column(f("level", lang), short=t("short_level", lang), words=True)
    table.add_column(t("state", lang), words=True)
    for case in cases:
        table.add_row(
            str(case.id),
            _d(case.received_on),
            case.title,
            case.category or "",
            case.owner or "",
            _d(case.deadline),
            label(case.level, lang),
            state_text(case, today, lang),
        )
    return table


def value_text(field: str, value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return label(value, lang)
    if isinstance(value, bool):
        return messages.text("yes" if value else "no", lang)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def case_detail(case: Case, village: str, today: date, lang: str) -> Table:
    """Every field of a case, each in full (long text wraps on a terminal); the first row names
    the case as ``石境村#4``. Its letters are in ``progress_table``."""
    table = Table(show_header=False)
    table.add_column(wrap=False)
    table.add_column()
    table.add_row(messages.field_name("id", lang), f"{village}#{case.id}")
    for name in JSON_FIELDS:
        if name in ("id", "supervisions", "uid"):
            continue
        value = getattr(case, name)
        if value is None or (name == "anonymous" and not value):
            continue
        table.add_row(messages.field_name(name, lang), value_text(name, value, lang))
    table.add_row(messages.text("state", lang), state_text(case, today, lang))
    table.add_row(messages.field_name("uid", lang), case.uid)
    return table


# History entries that tell how a case was handled, shown by ``show`` in the order they happened.
_PROGRESS = (NOTE, "plan", SUPERVISION, "reply")


def progress_table(case: Case, entries: Iterable[HistoryEntry], lang: str) -> Table | None:
    """The case's notes, plans and supervision letters in order, with their dates; None if it
    has none. A letter that set a new deadline says so."""
    t = messages.text
    deadlines = {letter.letter: letter.deadline for letter in case.supervisions}
    table = Table(title=t("progress_title", lang))
    table.add_column(messages.field_name("date", lang), wrap=False)
    table.add_column(t("progress_what", lang), words=True)
    table.add_column(t("progress_text", lang), min_width=TITLE_WIDTH, want=TITLE_WANT)
    shown = [e for e in entries if e.field in _PROGRESS and e.new]
    for entry in sorted(shown, key=lambda e: (e.effective, e.seq)):
        text = entry.new or ""
        if entry.field == SUPERVISION and deadlines.get(text):
            due = deadlines[text]
            text = t("letter_due", lang, letter=text, deadline=due.isoformat() if due else "")
        table.add_row(entry.effective.isoformat(), messages.field_name(entry.field, lang), text)
    return table if table.rows else None


def _stored(field: str, text: str | None, lang: str) -> str:
    """A history value as a user reads it: enum labels, 是/否."""
    if text is None:
        return ""
    name = corrected_field(field) or field  # a correction shows its field's values the same way
    if name in FIELD_TYPES:
        return value_text(name, from_text(name, text), lang)
    return text


def basis_text(note: str | None, lang: str) -> str:
    """Spell out the calendar a working-day deadline was counted on ("+5wd official")."""
    if not note:
        return ""
    words = []
    for part in note.split("; "):
        if part.startswith("+") and "wd " in part:
            count, sources = part.split(" ", 1)
            names = [
                messages.text(f"basis_{s}", lang)
                for s in sources.split("+")
                if f"basis_{s}" in messages.TEXT
            ]
            words.append(paren(count, ("、" if lang == "zh" else ", ").join(names), lang))
        else:
            words.append(part)
    return "; ".join(words)


def local_time(at: str) -> str:
    """A history entry's wall-clock time, stored as ISO with its UTC offset, in the local time
    zone as ``YYYY-MM-DD HH:MM`` (SPEC 1; JSON keeps the stored value)."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at.replace("T", " ")[:16]
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def history_table(case_id: int, entries: Iterable[HistoryEntry], lang: str) -> Table:
    """Every entry: when it was recorded (local time), its effective date, who, the field, old
    and new value, and the reason or basis. On a terminal too narrow for that on one line a row,
    old and new share one column (``2026-10-27 → 2026-11-06``)."""
    t = messages.text
    title = t("history_title", lang, id=case_id)
    table = Table(title=title)
    table.add_column(t("at", lang), wrap=False)
    table.add_column(t("effective", lang), wrap=False, short=t("short_effective", lang))
    table.add_column(t("user", lang))
    table.add_column(t("field", lang), want=FIELD_WANT)
    for key in ("old", "new", "note_col"):
        table.add_column(t(key, lang))
    narrow = Table(title=title, columns=table.columns[:4])
    narrow.add_column(t("change", lang), min_width=TITLE_WIDTH, want=CHANGE_WANT)
    narrow.add_column(t("note_col", lang))
    for entry in entries:
        old = _stored(entry.field, entry.old, lang)
        new = _stored(entry.field, entry.new, lang)
        start = [
            local_time(entry.at),
            entry.effective.isoformat(),
            entry.user,
            messages.field_name(entry.field, lang),
        ]
        note = basis_text(entry.note, lang)
        table.add_row(*start, old, new, note)
        narrow.add_row(*start, f"{old} → {new or '—'}" if old else new, note)
    table.narrow = [narrow]
    return table


def confirmation(command: str, case: Case, lang: str) -> str:
    """The one line a change command prints."""
    due = when_due(case.deadline, lang)
    if command == "assign":
        return messages.text("assigned", lang, id=case.id, owner=case.owner, due=due)
    if command == "note":
        return messages.text("noted", lang, id=case.id)
    if command == "plan":
        return messages.text("planned", lang, id=case.id, due=due)
    if command == "escalate":
        return messages.text("escalated", lang, id=case.id, level=label(case.level, lang), due=due)
    if command == "close":
        return messages.text(
            "closed",
            lang,
            id=case.id,
            outcome=label(case.outcome, lang),
            closed_on=_d(case.closed_on),
        )
    if command == "reopen":
        return messages.text("reopened", lang, id=case.id)
    if command == "feedback":
        answer = ""
        if case.satisfaction:
            answer = paren("", label(case.satisfaction, lang), lang)
            answer = answer if lang == "zh" else " " + answer
        return messages.text(
            "fed_back", lang, id=case.id, feedback_on=_d(case.feedback_on), satisfaction=answer
        )
    if command == "supervise":
        letter = case.supervisions[-1].letter if case.supervisions else ""
        return messages.text("supervised", lang, id=case.id, letter=letter, due=due)
    if command in ("edit", "void", "restore"):
        return messages.text(f"{command}_done", lang, id=case.id)
    raise ValueError(command)


def error_params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Show enum codes inside error parameters as labels."""
    shown = dict(params)
    for key in ("level", "to"):
        if key in shown:
            try:
                shown[key] = label(Level(shown[key]), lang)
            except ValueError:
                pass
    return shown


# ---------------------------------------------------------------- the month


def figures_json(figures: Any) -> dict[str, Any]:
    """SPEC 4's FIGURES object (rates unrounded), plus the counts behind each rate."""
    data = {f.name: getattr(figures, f.name) for f in fields(figures) if f.name != "outcomes"}
    data["outcomes"] = {
        key: {"count": share.count, "share": share.share} for key, share in figures.outcomes.items()
    }
    return data


def stats_json(report: Any) -> dict[str, Any]:
    groups = [{"key": g.key, **figures_json(g.figures), "rank": g.rank} for g in report.groups]
    return {
        "as_of": report.scope.as_of,
        "start": report.scope.start,
        "total": figures_json(report.total),
        "groups": groups,
    }


def overdue_json(report: Any) -> dict[str, Any]:
    return _overdue_document(
        report.scope.as_of,
        [_overdue_item_json(o, True) for o in report.cases],
        [_overdue_item_json(o, False) for o in report.closed_late],
    )


def _overdue_document(
    day: date, overdue: list[dict[str, Any]], late: list[dict[str, Any]]
) -> dict[str, Any]:
    """SPEC 3's overdue JSON: the day, the cases overdue at it, the month's cases closed late."""
    return {"as_of": day, "cases": overdue, "closed_late": late}


def _overdue_item_json(item: Any, overdue: bool) -> dict[str, Any]:
    data = case_json(item.case, item.village)
    data["days_overdue" if overdue else "days_late"] = item.days
    return data


def overdue_json_parts(day: date, items: list[Any]) -> list[tuple[Any, dict[str, Any]]]:
    """One ledger's overdue items as JSON objects, each with its place in the report.

    Run where the ledger is read (store/sweep.py ``then``), so a county's list is converted on
    every core; ``overdue_json_of`` puts the parts together exactly as ``overdue_json`` would.
    """
    from shuoshi_cli.core.figures import report_place

    parts = []
    for item in items:
        place = report_place(item, day)
        parts.append((place, _overdue_item_json(item, place[0])))
    return parts


def overdue_json_of(day: date, parts: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    parts.sort(key=lambda part: part[0])
    return _overdue_document(
        day,
        [data for (overdue, _), data in parts if overdue],
        [data for (overdue, _), data in parts if not overdue],
    )


def percent(rate: float | None) -> str:
    """A fraction as a percentage to one decimal, rounded half up from the exact value, as Excel
    shows the workbook's cell under ``0.0%`` (1/16 is 6.3% on screen and on paper alike)."""
    if rate is None:
        return "—"
    from decimal import ROUND_HALF_UP, Decimal

    shown = (Decimal(repr(rate)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{shown}%"


def rate_text(rate: float | None, part: int, whole: int) -> str:
    """A rate always with its count beside it (docs/domain.md, "Rankings need N")."""
    return "—" if rate is None else f"{percent(rate)} ({part}/{whole})"


def share_text(share: float | None, count: int) -> str:
    """An outcome's share, rounded on its own (4/9 is 44.4%, SPEC 4), with its count beside it."""
    return "—" if share is None else f"{percent(share)} ({count})"


def _group_label(key: str | None, by: str | None, lang: str) -> str:
    from shuoshi_cli.core.codes import Channel

    none = "（未填）" if lang == "zh" else "(none)"
    if key is None:
        return none
    if by == "owner" and key.endswith("/"):  # a village's cases with no owner: 石境村/
        return key + none
    if by == "channel":
        return label(Channel(key), lang)
    if by == "level":
        return label(Level(key), lang)
    return key


def stats_table(report: Any, lang: str) -> Table:
    """The figures, a row a group and the total; on a terminal too narrow for all thirteen
    columns, two tables (the rates, then days, lateness and outcomes), each row naming its
    group. A rate keeps its count beside it and may wrap below it; no figure is ever cut."""
    t = messages.text
    scope = report.scope
    title = t("stats_title", lang, start=scope.start.isoformat(), end=scope.as_of.isoformat())
    table = Table(title=title)
    headings = [
        "rank", "group", "total", "closeout", "feedback_rate", "satisfaction_rate",
        "ontime_rate", "avg_days", "overdue_col", "closed_late_col",
        "resolved_col", "planned_col", "explained_col", "sessions_col",
    ]  # fmt: skip
    rates = ("closeout", "feedback_rate", "satisfaction_rate", "ontime_rate")
    for key in headings:
        table.add_column(
            t(key, lang),
            wrap=key in ("group", "total", "sessions_col", *rates),
            right=key != "group",
            words=key != "group",
            # A rate and its count part only once the columns stand one space apart.
            want=SOFT_WIDTH if key == "group" else 2 * TITLE_WANT,
            short=t("short_total", lang) if key == "total" else None,
        )

    def row(rank: str, name: str, f: Any) -> list[str]:
        shares = [f.outcomes[k] for k in ("resolved", "planned_or_open", "explained")]
        return [
            rank,
            name,
            t("total_breakdown", lang, total=f.total, carried=f.carried_over, received=f.received),
            rate_text(f.closeout_rate, f.closed, f.total),
            rate_text(f.feedback_rate, f.feedback, f.closed),
            rate_text(f.satisfaction_rate, f.satisfied, f.answered),
            rate_text(f.ontime_rate, f.ontime, f.closed),
            "—" if f.avg_days_to_close is None else f"{f.avg_days_to_close:.1f}",
            str(f.overdue),
            str(f.closed_late),
            *(share_text(s.share, s.count) for s in shares),
            "—" if f.sessions is None else f"{f.sessions} ({f.raised_at_sessions})",
        ]

    for group in report.groups:
        rank = (
            str(group.rank) if group.rank is not None else t("unranked", lang, n=report.min_cases)
        )
        table.add_row(*row(rank, _group_label(group.key, report.by, lang), group.figures))
    table.add_row(*row("", t("sum_row", lang), report.total))
    table.narrow = [
        _columns_of(table, title, range(7)),
        _columns_of(table, t("stats_more_title", lang), (1, *range(7, 14))),
    ]
    return table


BAR_CELLS = 10
SPARKS = "▁▂▃▄▅▆▇█"


def rate_bar(rate: float | None) -> str:
    """A 销号率 as a bar of ten cells (each 10%), for the trend at a glance; its number stands
    beside it in the table."""
    if rate is None:
        return ""
    full = int(rate * BAR_CELLS + 0.5)
    return "█" * full + "░" * (BAR_CELLS - full)


def sparkline(rates: Iterable[float | None]) -> str:
    """Each month's rate as one cell ▁ (0%) to █ (100%); a month with nothing in scope as ·."""
    return "".join(
        "·" if r is None else SPARKS[min(len(SPARKS) - 1, int(r * len(SPARKS)))] for r in rates
    )


def trend_table(scope: Any, reports: Sequence[Any], lang: str) -> Table:
    """``stats --trend``: a row a month (each month its own scope), 销号率 also as a bar."""
    t = messages.text
    title = t(
        "trend_title",
        lang,
        period=scope.label(lang),
        start=scope.start.isoformat(),
        end=scope.as_of.isoformat(),
    )
    table = Table(title=title)
    headings = [
        "month_col", "total", "closeout", "feedback_rate", "satisfaction_rate", "ontime_rate",
        "overdue_col", "trend_bar",
    ]  # fmt: skip
    rates = ("closeout", "feedback_rate", "satisfaction_rate", "ontime_rate")
    for key in headings:
        table.add_column(
            t(key, lang),
            wrap=key in ("total", *rates),
            right=key not in ("month_col", "trend_bar"),
            words=True,
            want=2 * TITLE_WANT,
            short=t("short_total", lang) if key == "total" else None,
        )
    for report in reports:
        f = report.total
        table.add_row(
            report.scope.name,
            t("total_breakdown", lang, total=f.total, carried=f.carried_over, received=f.received),
            rate_text(f.closeout_rate, f.closed, f.total),
            rate_text(f.feedback_rate, f.feedback, f.closed),
            rate_text(f.satisfaction_rate, f.satisfied, f.answered),
            rate_text(f.ontime_rate, f.ontime, f.closed),
            str(f.overdue),
            rate_bar(f.closeout_rate),
        )
    return table


def trend_groups_table(reports: Sequence[Any], lang: str) -> Table:
    """With ``--by``: each group's 销号率 month by month as a sparkline, and its last month's."""
    t = messages.text
    by = reports[-1].by
    table = Table(title=t("trend_groups_title", lang))
    table.add_column(t("group", lang), want=SOFT_WIDTH)
    table.add_column(t("trend_spark", lang), wrap=False)
    table.add_column(t("trend_last", lang), right=True, words=True, want=2 * TITLE_WANT)
    keys: list[str | None] = []
    for report in reports:
        keys += [g.key for g in report.groups if g.key not in keys]
    for key in keys:
        found = [next((g.figures for g in r.groups if g.key == key), None) for r in reports]
        last = found[-1]
        table.add_row(
            _group_label(key, by, lang),
            sparkline(None if f is None else f.closeout_rate for f in found),
            "—" if last is None else rate_text(last.closeout_rate, last.closed, last.total),
        )
    return table


def _columns_of(table: Table, title: str, which: Iterable[int]) -> Table:
    """Some of a table's columns, with all its rows, under another title."""
    chosen = list(which)
    return Table(
        title=title,
        columns=[table.columns[n] for n in chosen],
        rows=[[row[n] for n in chosen] for row in table.rows],
    )


def overdue_table(report: Any, lang: str) -> Table:
    t = messages.text
    f = messages.field_name
    table = Table(
        title=t("overdue_title", lang, day=report.scope.as_of.isoformat(), count=len(report.cases))
    )
    table.add_column(f("village", lang), wrap=False)
    table.add_column(f("id", lang), wrap=False)
    table.add_column(f("title", lang), min_width=TITLE_WIDTH, want=TITLE_WANT)
    table.add_column(f("owner", lang), short=t("short_owner", lang))
    table.add_column(f("deadline", lang), wrap=False, short=t("short_deadline", lang))
    table.add_column(t("days_overdue", lang), wrap=False, right=True, short=t("short_days", lang))
    table.add_column(f("level", lang), short=t("short_level", lang), words=True)
    # A letter number (宝督〔2026〕4号) keeps to one line under its date.
    table.add_column(f("supervisions", lang), words=True, want=LETTER_WANT)
    for item in report.cases:
        c = item.case
        letters = "；".join(f"{s.sent_on.isoformat()} {s.letter}" for s in c.supervisions)
        table.add_row(
            item.village,
            str(c.id),
            c.title,
            c.owner or "",
            _d(c.deadline),
            str(item.days),
            label(c.level, lang),
            letters,
        )
    return table


def closed_late_table(report: Any, lang: str) -> Table:
    t = messages.text
    f = messages.field_name
    period = report.scope.label(lang)
    table = Table(title=t("closed_late_title", lang, period=period, count=len(report.closed_late)))
    table.add_column(f("village", lang), wrap=False)
    table.add_column(f("id", lang), wrap=False)
    table.add_column(f("title", lang), min_width=TITLE_WIDTH, want=TITLE_WANT)
    table.add_column(f("owner", lang), short=t("short_owner", lang))
    table.add_column(f("deadline", lang), wrap=False, short=t("short_deadline", lang))
    table.add_column(f("closed_on", lang), wrap=False, short=t("short_closed_on", lang))
    table.add_column(t("days_late", lang), wrap=False, right=True, short=t("short_days", lang))
    for item in report.closed_late:
        c = item.case
        table.add_row(
            item.village,
            str(c.id),
            c.title,
            c.owner or "",
            _d(c.deadline),
            _d(c.closed_on),
            str(item.days),
        )
    return table


def import_preview(cases: Sequence[Any], lang: str) -> Table:
    """The first rows an import would add (core/rules.py PastCase)."""
    f = messages.field_name
    table = Table()
    for key in ("received_on", "title", "reporter", "category", "owner", "deadline", "closed_on"):
        table.add_column(f(key, lang), wrap=key in ("title", "reporter", "category", "owner"))
    for past in cases:
        c = past.draft
        table.add_row(
            _d(c.received_on),
            c.title,
            c.reporter or "",
            c.category or "",
            c.owner or "",
            _d(c.due.day if c.due else None),
            _d(past.closed_on),
        )
    return table
