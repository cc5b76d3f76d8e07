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


def period_of(
    month: str | None,
    as_of: str | None,
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Any:
    """The one period the options name (core/periods.py), as of today."""
    from shuoshi_cli.core.periods import period_scope

    def day(text: str | None) -> Any:
        return parse_day(text, meaning="happened").day if text is not None else None

    return period_scope(
        today=today(), month=month, as_of=day(as_of), period=period, start=day(start), end=day(end)
    )


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

    scope = period_of(month, as_of, period, start, end)
    reply = parse_day(reply_by, meaning="deadline") if letters is not None else None
    if first is not None and first < 1:
        raise BadInput("bad_first_number")
    if json and letters is None:
        # The list only: each ledger's items become JSON where they are read.
        work = then(partial(overdue_work, scope), partial(overdue_json_parts, scope.as_of))
        result = read_sweep(paths, work)
        parts = [part for _, _, found in result.results for part in found]
        print_json(overdue_json_of(scope.as_of, parts))
        finish(result)
        return
    written: list[Any] = []
    if letters is not None and reply is not None:
        from shuoshi_cli.formats.letters import write_letters
        from shuoshi_cli.store.sweep import letters_work

        # Each ledger's month list, its overdue cases as they stand now and its letter numbers.
        result = read_sweep(paths, partial(letters_work, scope))
        report = overdue_report_of(
            scope, (item for _, _, (found, _, _) in result.results for item in found)
        )
        read = [(info, found) for _, info, found in result.results]
        written = write_letters(read, scope.as_of, letters, prefix, first, reply.day, today())
    else:
        result = read_sweep(paths, partial(overdue_work, scope))
        report = overdue_report_of(
            scope, (item for _, _, found in result.results for item in found)
        )
    if json:
        data = overdue_json(report)
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
        shared = {w.village for w in written if sum(v.village == w.village for v in written) > 1}
        for w in written:
            # Two 新村 in two townships: say which is which, as stats --by village does.
            village = f"{w.township}/{w.village}" if w.village in shared else w.village
            typer.echo(
                messages.text(
                    "letter_written", STATE.lang, village=village, letter=w.number, path=str(w.path)
                )
            )
    finish(result)


@command(app, "stats")
def stats_command(
    paths: PathsArg,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
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
    from shuoshi_cli.core.figures import GROUPINGS, GroupId, Place, Tally, report_of
    from shuoshi_cli.formats.render import (
        console,
        print_json,
        stats_json,
        stats_table,
        trend_groups_table,
        trend_table,
    )
    from shuoshi_cli.store.sweep import stats_work

    if by is not None and by not in GROUPINGS:
        raise BadInput("bad_choice", field="by", value=by, choices=list(GROUPINGS))
    if min_cases < 1:
        raise BadInput("bad_min_cases")
    scope = period_of(month, as_of, period, start, end)
    scopes = tuple(scope.months()) if trend else (scope,)
    result = read_sweep(paths, partial(stats_work, scopes, by))
    places = [(info.county, info.township, info.village) for _, info, _ in result.results]
    reports = []
    for n, each in enumerate(scopes):
        tallies: dict[GroupId, Tally] = {}
        held: dict[Place, Tally] = {}
        for place, (_, _, found) in zip(places, result.results, strict=True):
            counts, sessions = found[n]
            for key, tally in counts.items():
                tallies[key] = tallies.get(key, Tally()) + tally
            held[place] = held.get(place, Tally()) + sessions
        reports.append(report_of(tallies, each, by, min_cases, places, held))
    if json:
        print_json([stats_json(r) for r in reports] if trend else stats_json(reports[0]))
    elif trend:
        out = console()
        out.print(trend_table(scope, reports, STATE.lang))
        if by is not None:
            out.print(trend_groups_table(reports, STATE.lang))
    else:
        console().print(stats_table(reports[0], STATE.lang))
    finish(result)


@command(app, "export")
def export_command(
    paths: PathsArg,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
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

    scope = period_of(month, as_of, period, start, end)
    suffix = "csv" if csv else "xlsx"
    target = Path(output) if output else Path(f"台账-{scope.slug()}.{suffix}")
    if is_ledger_file(target):
        raise BadInput("output_is_ledger", path=str(target))
    if target.exists() and not force:
        raise BadInput("output_exists", path=str(target))
    if not target.resolve().parent.is_dir():
        raise BadInput("folder_missing", path=str(target.parent))
    result = read_sweep(paths, partial(export_work, scope))
    if not result.results:
        # Nothing readable: say so rather than write an empty workbook over the meeting's file.
        finish(result)
        raise BadInput("nothing_to_export")
    ordered = sorted(result.results, key=lambda r: (r[1].township, r[1].village, str(r[0])))
    villages = [
        VillageMonth(info.village, info.township, cases, info.county, months, sessions)
        for _, info, (cases, months, sessions) in ordered
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
            }
        )
    else:
        typer.echo(
            messages.text(
                "exported", STATE.lang, path=str(written), villages=len(villages), cases=count
            )
        )
    finish(result)
