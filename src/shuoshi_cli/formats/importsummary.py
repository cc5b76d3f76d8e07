"""What an import says it did: one summary, as lines for the screen and as JSON.

Every import prints it (SPEC 3, issue 12): rows read, cases new / unchanged / changed, rows
skipped by reason, other villages' rows, and the notes the reading made (the year it assumed, a
deadline counted from receipt …). Notes name sheets and rows, never a name or a phone number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shuoshi_cli.core import messages
from shuoshi_cli.formats.importer import Changed, ImportPlan, Note

SKIP_ORDER = ("placeholder", "returned", "other_village", "repeated")
MAX_ROWS_SHOWN = 8


def _what(change: Changed) -> list[tuple[str, str]]:
    """(message key, date) for each event the row's update records."""
    item = change.item
    found = []
    if "status" in change.what and item.past.closed_on is not None:
        found.append(("import_change_close", item.past.closed_on.isoformat()))
    if {"feedback_on", "satisfaction"} & set(change.what):
        told = item.past.feedback_on or item.past.closed_on
        found.append(("import_change_feedback", told.isoformat() if told else ""))
    return found


def _grouped(notes: list[Note]) -> list[tuple[str, dict[str, Any], dict[str, list[int]]]]:
    """Notes with the same key and parameters, with their rows by sheet, in order of first use."""
    groups: dict[tuple[str, tuple[tuple[str, Any], ...]], dict[str, list[int]]] = {}
    for note in notes:
        key = (note.key, tuple(sorted(note.params.items())))
        rows = groups.setdefault(key, {}).setdefault(note.sheet, [])
        if note.row not in rows:
            rows.append(note.row)
    return [(key, dict(params), sheets) for (key, params), sheets in groups.items()]


def summary_data(plan: ImportPlan, *, dry_run: bool, update: bool, updated: int) -> dict[str, Any]:
    """The summary as data (``--json``)."""
    return {
        "dry_run": dry_run,
        "update": update,
        "exported_workbook": plan.exported,
        "sheets": list(plan.sheets),
        "rows": plan.rows,
        "new": len(plan.new),
        "unchanged": len(plan.unchanged),
        "changed": len(plan.changed),
        "updated": updated,
        "skipped": sum(plan.skipped.values()),
        "skipped_by_reason": {k: plan.skipped[k] for k in SKIP_ORDER if plan.skipped[k]},
        "other_villages": dict(plan.other_villages),
        "form_rows": dict(plan.layout),
        "refused": plan.refused_rows,
        "cases": len(plan.cases),
        "closed": sum(1 for c in plan.cases if c.past.closed_on is not None),
        "open": sum(1 for c in plan.cases if c.past.closed_on is None),
        "changes": [
            {
                "sheet": c.item.sheet,
                "row": c.item.row,
                "id": c.case_id,
                "closed_on": c.item.past.closed_on.isoformat()
                if "status" in c.what and c.item.past.closed_on
                else None,
                "feedback_on": (
                    (c.item.past.feedback_on or c.item.past.closed_on).isoformat()  # type: ignore[union-attr]
                    if {"feedback_on", "satisfaction"} & set(c.what)
                    else None
                ),
                "fields": list(c.what),
            }
            for c in plan.changed
        ],
        "differs": [
            {"sheet": c.item.sheet, "row": c.item.row, "id": c.case_id, "fields": list(c.differs)}
            for c in [*plan.differs, *(c for c in plan.changed if c.differs)]
        ],
        "notes": [
            {"key": key, **params, "rows": dict(sheets)}
            for key, params, sheets in _grouped(plan.notes)
        ],
    }


def summary_lines(
    plan: ImportPlan, lang: str, *, dry_run: bool, update: bool, updated: int
) -> list[str]:
    """The summary for the screen: a head line, then what was skipped, changed and noted."""
    text: Callable[..., str] = lambda key, **params: messages.text(key, lang, **params)  # noqa: E731
    sep = "、" if lang == "zh" else ", "
    lines = [
        text(
            "import_summary",
            rows=plan.rows,
            sheets=sep.join(plan.sheets),
            new=len(plan.new),
            unchanged=len(plan.unchanged),
            changed=len(plan.changed),
            skipped=sum(plan.skipped.values()),
        )
    ]
    reasons = [
        text(f"import_skip_{k}", count=plan.skipped[k]) for k in SKIP_ORDER if plan.skipped[k]
    ]
    if reasons:
        lines.append(text("import_skipped", reasons=sep.join(reasons)))
    if plan.other_villages:
        villages = sep.join(
            text("import_village_rows", name=name, count=count)
            for name, count in plan.other_villages.most_common()
        )
        lines.append(text("import_other_villages", villages=villages))
    if plan.layout:
        lines.append(text("import_layout", count=sum(plan.layout.values())))
    if plan.changed:
        done = update and not dry_run
        lines.append(text("import_changed_done" if done else "import_changed_pending"))
        for change in plan.changed:
            what = sep.join(text(key, date=day) for key, day in _what(change))
            where = _where(change.item.sheet, [change.item.row], lang)
            lines.append(text("import_changed_line", where=where, id=change.case_id, what=what))
    differing = [*plan.differs, *(c for c in plan.changed if c.differs)]
    if differing:
        lines.append(text("import_differs"))
        for change in differing:
            fields = sep.join(messages.field_name(f, lang) for f in change.differs)
            where = _where(change.item.sheet, [change.item.row], lang)
            lines.append(text("import_changed_line", where=where, id=change.case_id, what=fields))
    groups = _grouped(plan.notes)
    if groups:
        lines.append(text("import_notes"))
        for key, params, sheets in groups:
            shown = dict(params)
            if key == "year_assumed":
                shown["source"] = text(f"import_year_{params.get('source', 'nearest')}")
            said = text(f"import_note_{key}", **shown)
            for sheet, rows in sheets.items():
                lines.append(text("import_note_line", where=_where(sheet, rows, lang), text=said))
    if dry_run:
        lines.append(text("import_dry_run"))
    else:
        more = text("import_updated", count=updated) if updated else ""
        lines.append(text("import_done", new=len(plan.new), updated=more))
    return lines


def _where(sheet: str, rows: list[int], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    shown = sep.join(str(r) for r in rows[:MAX_ROWS_SHOWN])
    if len(rows) > MAX_ROWS_SHOWN:
        extra = messages.text("import_more_rows", lang, count=len(rows) - MAX_ROWS_SHOWN)
        shown += (" " if lang != "zh" else "") + extra
    return messages.text("import_rows_where", lang, sheet=sheet, rows=shown)
