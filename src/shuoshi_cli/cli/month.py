"""The township's month over many ledgers: ``overdue``, ``stats`` and ``export``.

Each reads every ledger under PATHS read-only, reports what it could read, names the ledgers it
could not on stderr and then exits 1 (SPEC 6).
"""

import sys
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from shuoshi_cli.cli.app import STATE, JsonOpt, app, command, flush_notes, note, parse_day, today
from shuoshi_cli.core import messages
from shuoshi_cli.core.errors import BadInput

PathsArg = Annotated[
    list[str], typer.Argument(help="台账文件或文件夹（文件夹会逐层查找）", show_default=False)
]
MonthOpt = Annotated[str | None, typer.Option("--month", help="统计月份，如 2026-10（默认本月）")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="统计截至某日，如 2026-10-15")]
PeriodOpt = Annotated[
    str | None,
    typer.Option("--period", help="统计期间：季度 2026-Q4、全年 2026（年内截至今天）或月份"),
]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="统计起始日（与 --to 合用，任意日期范围）")
]
ToOpt = Annotated[str | None, typer.Option("--to", help="统计截止日（默认今天）")]


KnownByOpt = Annotated[
    str | None,
    typer.Option(
        "--known-by",
        help="重现当时的报告：只用到此时刻为止已登记的记录，如 2026-11-02（当天结束）"
        '或 "2026-11-02 18:00"',
    ),
]


def asked_of(known_by: str | None) -> Any:
    """When the report is asked: now, or the ``--known-by`` moment (store/knownby.py)."""
    from datetime import UTC, datetime

    from shuoshi_cli.core.dates import parse_moment
    from shuoshi_cli.core.errors import BadDate
    from shuoshi_cli.store.knownby import Asked

    zone = datetime.now().astimezone().tzinfo or UTC
    now = today()
    if known_by is None:
        return Asked(zone, now)
    moment = parse_moment(known_by, now, zone)
    if moment.astimezone(zone).date() > now:
        raise BadDate("future_day", value=moment.astimezone(zone).date().isoformat())
    return Asked(zone, now, moment)


def period_of(
    month: str | None,
    as_of: str | None,
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
    asked: Any = None,
) -> Any:
    """The one period the options name (core/periods.py), as of today or of the day of the
    ``--known-by`` moment (``asked``)."""
    from shuoshi_cli.core.periods import period_scope

    def day(text: str | None) -> Any:
        return parse_day(text, meaning="happened").day if text is not None else None

    return period_scope(
        today=today() if asked is None else asked.day,
        month=month,
        as_of=day(as_of),
        period=period,
        start=day(start),
        end=day(end),
    )


def read_asked(paths: list[str], scope: Any, asked: Any, work: Any) -> tuple[Any, list[Any]]:
    """``read_sweep`` of ``work`` on every ledger as known by the moment asked: the sweep with
    each ledger's result, and what each reading found late (store/knownby.py ``Reading``)."""
    from dataclasses import replace

    from shuoshi_cli.store.knownby import read_as_asked

    result = read_sweep(paths, partial(read_as_asked, scope, asked, work))
    readings = [(info, reading) for _, info, reading in result.results]
    found = [(path, info, reading.found) for path, info, reading in result.results]
    return replace(result, results=found), readings


def late_of(readings: list[Any]) -> list[Any]:
    """The late entries read, each with its village and township, in the order the ledgers were
    read."""
    return [
        (info.village, info.township, entry) for info, reading in readings for entry in reading.late
    ]


def late_notes(readings: list[Any], asked: Any, lang: str, count: bool = True) -> None:
    """On stderr: how many late entries changed the period's answer (SPEC 4), and with
    ``--known-by`` how many more were recorded after its moment."""
    late = sum(len(r.late) for _, r in readings)
    if late and count:
        note(messages.text("late_count", lang, count=late))
    later = sum(len(r.later) for _, r in readings)
    if asked.moment is not None and later:
        moment = asked.moment.strftime("%Y-%m-%d %H:%M")
        note(messages.text("known_by_later", lang, moment=moment, count=later))


def read_sweep(paths: list[str], work: Any) -> Any:
    """Read every ledger (with a progress bar on a terminal) and note the files skipped."""
    from shuoshi_cli.store.sweep import sweep

    if not sys.stderr.isatty():
        result = sweep(paths, work)
    else:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(transient=True, console=Console(stderr=True, highlight=False)) as bar:
            task = bar.add_task("读取台账" if STATE.lang == "zh" else "reading ledgers", total=None)
            result = sweep(paths, work, lambda n, total: bar.update(task, completed=n, total=total))
    for path, error in result.skipped:
        note(messages.text("skipped", STATE.lang, path=str(path), reason=_reason(error)))
    if result.older:
        note(messages.text("older_ledgers", STATE.lang, count=result.older))
    if not result.results and not result.problems:
        note(messages.text("no_ledgers", STATE.lang))
    return result


def _reason(error: Any) -> str:
    from shuoshi_cli.formats.render import error_params

    return messages.error(error.key, error_params(error.params, STATE.lang), STATE.lang)


def finish(result: Any) -> None:
    """Show the notes, name every ledger that could not be read, then exit 1 if there was any."""
    flush_notes()
    for path, error in result.problems:
        reason = _reason(error)
        # Diverged copies were read but counted neither (store/sweep.py): their line says so.
        key = "diverged" if error.key == "diverged_copy" else "unreadable"
        typer.echo(messages.text(key, STATE.lang, path=str(path), reason=reason), err=True)
    if result.problems:
        raise typer.Exit(1)


@command(app, "overdue")
def overdue_command(
    paths: PathsArg,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    known_by: KnownByOpt = None,
    letters: Annotated[
        str | None,
        typer.Option(
            "--letters",
            help="为有超期且至今未办结事项的每个村生成督办函（.docx）到此文件夹，不覆盖已有文件",
        ),
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--prefix",
            help="督办函号前缀，默认“乡镇名督〔年份〕”，各乡镇各自编号；"
            "可写成模板，乡镇名和年份处写 township、year（加花括号）",
        ),
    ] = None,
    first: Annotated[
        int | None,
        typer.Option(
            "--first",
            help="第一封督办函的序号（只发一个乡镇时用；默认接着台账和文件夹里已用过的最大号）",
        ),
    ] = None,
    reply_by: Annotated[
        str, typer.Option("--reply-by", help="回复期限，默认 3 个工作日后")
    ] = "+3wd",
    json: JsonOpt = False,
) -> None:
    """列出各村超期未办结事项（超期最久的在前）和本月超期办结事项。

    例：shuoshi overdue --month 2026-10 ledgers/"""
    from shuoshi_cli.core.figures import overdue_report_of
    from shuoshi_cli.formats.late import late_json, late_table
    from shuoshi_cli.formats.render import (
        closed_late_table,
        console,
        overdue_json,
        overdue_json_of,
        overdue_json_parts,
        overdue_table,
        print_json,
    )
    from shuoshi_cli.store.sweep import overdue_work, then

    asked = asked_of(known_by)
    if asked.moment is not None and letters is not None:
        raise BadInput("known_by_letters")
    scope = period_of(month, as_of, period, start, end, asked)
    reply = parse_day(reply_by, meaning="deadline") if letters is not None else None
    if first is not None and first < 1:
        raise BadInput("bad_first_number")
    if json and letters is None:
        # The list only: each ledger's items become JSON where they are read.
        work = then(partial(overdue_work, scope), partial(overdue_json_parts, scope.as_of))
        result, readings = read_asked(paths, scope, asked, work)
        parts = [part for _, _, found in result.results for part in found]
        data = overdue_json_of(scope.as_of, parts)
        data["late_entries"] = late_json(late_of(readings))
        print_json(data)
        late_notes(readings, asked, STATE.lang, count=False)
        finish(result)
        return
    written: list[Any] = []
    if letters is not None and reply is not None:
        from shuoshi_cli.formats.letters import write_letters
        from shuoshi_cli.store.sweep import letters_work

        # Each ledger's month list, its overdue cases as they stand now and its letter numbers.
        result, readings = read_asked(paths, scope, asked, partial(letters_work, scope))
        report = overdue_report_of(
            scope, (item for _, _, (found, _, _) in result.results for item in found)
        )
        read = [(info, found) for _, info, found in result.results]
        written = write_letters(read, scope.as_of, letters, prefix, first, reply.day, today())
    else:
        result, readings = read_asked(paths, scope, asked, partial(overdue_work, scope))
        report = overdue_report_of(
            scope, (item for _, _, found in result.results for item in found)
        )
    late = late_of(readings)
    if json:
        data = overdue_json(report)
        data["late_entries"] = late_json(late)
        if letters is not None:
            data["letters"] = [
                {
                    "county": w.county,
                    "township": w.township,
                    "village": w.village,
                    "letter": w.number,
                    "path": str(w.path),
                    "cases": list(w.cases),
                    "handed_up": list(w.handed_up),
                }
                for w in written
            ]
        print_json(data)
    else:
        out = console()
        out.print(overdue_table(report, STATE.lang))
        if report.closed_late:
            out.print(closed_late_table(report, STATE.lang))
        if late:
            out.print(late_table(late, STATE.lang))
        shared = {w.village for w in written if sum(v.village == w.village for v in written) > 1}
        for w in written:
            # Two 新村 in two townships: say which is which, as stats --by village does.
            village = f"{w.township}/{w.village}" if w.village in shared else w.village
            typer.echo(
                messages.text(
                    "letter_written", STATE.lang, village=village, letter=w.number, path=str(w.path)
                )
            )
    late_notes(readings, asked, STATE.lang, count=False)
    finish(result)


@command(app, "stats")
def stats_command(
    paths: PathsArg,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    known_by: KnownByOpt = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="分组：village|township|category|channel|owner|level"),
    ] = None,
    min_cases: Annotated[int, typer.Option("--min-cases", help="少于此件数的分组不参与排名")] = 5,
    trend: Annotated[
        bool, typer.Option("--trend", help="逐月列出期间内每个月的数字（各月各自口径）和销号率走势")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """统计销号率、反馈率、满意率、按时办结率等（可按村、类别等分组）。

    例：shuoshi stats --month 2026-10 ledgers/ --by village"""
    from shuoshi_cli.core.figures import GROUPINGS
    from shuoshi_cli.formats.late import late_json
    from shuoshi_cli.formats.render import (
        console,
        print_json,
        stats_json,
        stats_table,
        trend_groups_table,
        trend_table,
    )

    if by is not None and by not in GROUPINGS:
        raise BadInput("bad_choice", field="by", value=by, choices=list(GROUPINGS))
    if min_cases < 1:
        raise BadInput("bad_min_cases")
    asked = asked_of(known_by)
    scope = period_of(month, as_of, period, start, end, asked)
    scopes = tuple(scope.months()) if trend else (scope,)
    result, reports, late = _stats_reports(paths, scopes, by, min_cases, asked)
    if json:
        documents = [
            {**stats_json(r), "late_entries": late_json(entries)}
            for r, entries in zip(reports, late, strict=True)
        ]
        print_json(documents if trend else documents[0])
    elif trend:
        out = console()
        out.print(trend_table(scope, reports, STATE.lang))
        if by is not None:
            out.print(trend_groups_table(reports, STATE.lang))
    else:
        console().print(stats_table(reports[0], STATE.lang))
    count = sum(len(entries) for entries in late)
    if count:
        note(messages.text("late_count", STATE.lang, count=count))
    if asked.moment is not None and result.results:
        # What the entries recorded since changed: the last period with everything recorded.
        from shuoshi_cli.core.figures import Tally, figures_of

        nows = [found[-1].now for _, _, found in result.results]
        later = sum(n for _, n in nows)
        if later:
            moment = asked.moment.strftime("%Y-%m-%d %H:%M")
            note(messages.text("known_by_later", STATE.lang, moment=moment, count=later))
            now = figures_of(sum((t for t, _ in nows), Tally()))
            changes = figure_changes(reports[-1].total, now, STATE.lang)
            if changes:
                note(messages.text("known_by_changed", STATE.lang, changes=changes))
    finish(result)


def _stats_reports(
    paths: list[str], scopes: tuple[Any, ...], by: str | None, min_cases: int, asked: Any
) -> tuple[Any, list[Any], list[list[Any]]]:
    """Read every ledger once for all ``scopes``: the sweep, a report per scope and each scope's
    late entries (with their villages)."""
    from shuoshi_cli.core.figures import GroupId, Place, Tally, report_of
    from shuoshi_cli.store.sweep import stats_work

    result = read_sweep(paths, partial(stats_work, scopes, by, asked))
    places = [(info.county, info.township, info.village) for _, info, _ in result.results]
    reports, late = [], []
    for n, each in enumerate(scopes):
        tallies: dict[GroupId, Tally] = {}
        held: dict[Place, Tally] = {}
        entries = []
        for place, (_, info, found) in zip(places, result.results, strict=True):
            reading = found[n]
            for key, tally in reading.counts.items():
                tallies[key] = tallies.get(key, Tally()) + tally
            held[place] = held.get(place, Tally()) + reading.sessions
            entries += [(info.village, info.township, entry) for entry in reading.late]
        reports.append(report_of(tallies, each, by, min_cases, places, held))
        late.append(entries)
    return result, reports, late


CHANGED_FIGURES = (
    ("total", "changed_total"), ("closed", "closed_col"), ("overdue", "overdue_col"),
    ("closed_late", "closed_late_col"), ("closeout_rate", "closeout"),
    ("feedback_rate", "feedback_rate"), ("satisfaction_rate", "satisfaction_rate"),
    ("ontime_rate", "ontime_rate"),
)  # fmt: skip


def figure_changes(then: Any, now: Any, lang: str) -> str:
    """``销号率 50.0% → 53.3%；超期 4 → 3``: the figures that differ between two answers."""
    from shuoshi_cli.formats.render import percent

    def shown(value: Any, rate: bool) -> str:
        if value is None:
            return "—"
        return percent(value) if rate else str(value)

    parts = []
    for name, label in CHANGED_FIGURES:
        before, after = getattr(then, name), getattr(now, name)
        if before != after:
            rate = name.endswith("_rate")
            heading = messages.text(label, lang)
            parts.append(f"{heading} {shown(before, rate)} → {shown(after, rate)}")
    return ("；" if lang == "zh" else "; ").join(parts)


@command(app, "export")
def export_command(
    paths: PathsArg,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    known_by: KnownByOpt = None,
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            help="输出的 .xlsx 文件，默认 台账-期间.xlsx（如 台账-2026-10.xlsx、台账-2026-Q4.xlsx）",
        ),
    ] = None,
    public: Annotated[
        bool,
        typer.Option("--public", help="公示版：不含电话、详细内容，反映人只留姓，投诉和匿名不显示"),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的同名文件")] = False,
    csv: Annotated[
        bool, typer.Option("--csv", help="导出为 CSV（UTF-8 带 BOM，Excel 可直接打开）")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """导出月度台账 Excel：汇总表（含图表）、各村台账、督办清单。

    例：shuoshi export --month 2026-10 ledgers/ -o 2026年10月台账.xlsx"""
    from shuoshi_cli.formats.excel import VillageMonth, write_csv, write_workbook
    from shuoshi_cli.formats.render import print_json
    from shuoshi_cli.store.file import is_ledger_file
    from shuoshi_cli.store.sweep import export_work

    asked = asked_of(known_by)
    scope = period_of(month, as_of, period, start, end, asked)
    suffix = "csv" if csv else "xlsx"
    target = Path(output) if output else Path(f"台账-{scope.slug()}.{suffix}")
    if is_ledger_file(target):
        raise BadInput("output_is_ledger", path=str(target))
    if target.exists() and not force:
        raise BadInput("output_exists", path=str(target))
    if not target.resolve().parent.is_dir():
        raise BadInput("folder_missing", path=str(target.parent))
    result, readings = read_asked(paths, scope, asked, partial(export_work, scope))
    if not result.results:
        # Nothing readable: say so rather than write an empty workbook over the meeting's file.
        finish(result)
        raise BadInput("nothing_to_export")
    read = [
        (path, info, found, reading.late)
        for (path, info, found), (_, reading) in zip(result.results, readings, strict=True)
    ]
    ordered = sorted(read, key=lambda r: (r[1].township, r[1].village, str(r[0])))
    villages = [
        VillageMonth(info.village, info.township, cases, info.county, months, sessions, late)
        for _, info, (cases, months, sessions), late in ordered
    ]
    writer = write_csv if csv else write_workbook
    written = writer(target, villages, scope, public=public)
    count = sum(len(v.cases) for v in villages)
    if json:
        print_json(
            {
                "path": str(written),
                "as_of": scope.as_of,
                "villages": len(villages),
                "cases": count,
                "public": public,
                "late_entries": sum(len(v.late) for v in villages),
            }
        )
    else:
        typer.echo(
            messages.text(
                "exported", STATE.lang, path=str(written), villages=len(villages), cases=count
            )
        )
    late_notes(readings, asked, STATE.lang)
    finish(result)
