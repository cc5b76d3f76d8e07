"""The township's month over many ledgers: ``overdue`` and ``stats`` (``export`` in export.py).

Each reads every ledger under PATHS read-only, reports what it could read, names the ledgers it
could not on stderr and then exits 1 (SPEC 6).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from shuoshi_cli import messages
from shuoshi_cli.cli.app import STATE, JsonOpt, app, command, note, parse_day, today
from shuoshi_cli.errors import BadInput

PathsArg = Annotated[
    list[str], typer.Argument(help="台账文件或文件夹（文件夹会逐层查找）", show_default=False)
]
MonthOpt = Annotated[str | None, typer.Option("--month", help="统计月份，如 2026-10（默认本月）")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="统计截至某日，如 2026-10-15")]


def read_sweep(paths: list[str], month: str | None, as_of: str | None) -> Any:
    """Parse the month, read every ledger (with a progress bar on a terminal), warn on skips."""
    from shuoshi_cli.figures import month_scope
    from shuoshi_cli.sweep import read_month

    day = parse_day(as_of).day if as_of is not None else None
    scope = month_scope(month, day, today())
    if not sys.stderr.isatty():
        sweep = read_month(paths, scope)
    else:
        from rich.progress import Progress

        with Progress(transient=True, console=_stderr()) as bar:
            task = bar.add_task("读取台账" if STATE.lang == "zh" else "reading ledgers", total=None)
            sweep = read_month(
                paths, scope, lambda n, total: bar.update(task, completed=n, total=total)
            )
    for path, error in sweep.skipped:
        note(messages.text("skipped", STATE.lang, path=str(path), reason=_reason(error)))
    if not sweep.ledgers and not sweep.problems:
        note(messages.text("no_ledgers", STATE.lang))
    return scope, sweep


def _stderr() -> Any:
    from shuoshi_cli.render import console

    return console(stderr=True)


def _reason(error: Any) -> str:
    from shuoshi_cli.render import error_params

    return messages.error(error.key, error_params(error.params, STATE.lang), STATE.lang)


def finish(sweep: Any) -> None:
    """Name every ledger that could not be read, then exit 1 if there was any."""
    for path, error in sweep.problems:
        typer.echo(
            messages.text("unreadable", STATE.lang, path=str(path), reason=_reason(error)), err=True
        )
    if sweep.problems:
        raise typer.Exit(1)


@command(app, "overdue")
def overdue_command(
    paths: PathsArg,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    letters: Annotated[
        str | None,
        typer.Option("--letters", help="为每个有超期事项的村生成督办函（.docx）到此文件夹"),
    ] = None,
    prefix: Annotated[
        str | None, typer.Option("--prefix", help="督办函号前缀，默认“乡镇名督〔年份〕”")
    ] = None,
    first: Annotated[int, typer.Option("--first", help="第一封督办函的序号")] = 1,
    reply_by: Annotated[
        str, typer.Option("--reply-by", help="回复期限，默认 3 个工作日后")
    ] = "+3wd",
    json: JsonOpt = False,
) -> None:
    """列出各村超期未办结事项（超期最久的在前）和本月超期办结事项。例：shuoshi overdue --month 2026-10 ledgers/"""
    from shuoshi_cli.figures import overdue_report
    from shuoshi_cli.render import closed_late_table, console, overdue_json, print_json

    scope, sweep = read_sweep(paths, month, as_of)
    report = overdue_report(sweep.cases, scope)
    written: list[Any] = []
    if letters is not None:
        from shuoshi_cli.letters import write_letters

        reply = parse_day(reply_by)
        if first < 1:
            raise BadInput("bad_first_number")
        written = write_letters(report, sweep.ledgers, letters, prefix, first, reply.day, today())
    if json:
        data = overdue_json(report)
        if letters is not None:
            data["letters"] = [
                {"village": w.village, "letter": w.number, "path": str(w.path)} for w in written
            ]
        print_json(data)
    else:
        from shuoshi_cli.render import overdue_table

        out = console()
        out.print(overdue_table(report, STATE.lang))
        if report.closed_late:
            out.print(closed_late_table(report, STATE.lang))
        for w in written:
            typer.echo(
                messages.text(
                    "letter_written",
                    STATE.lang,
                    village=w.village,
                    letter=w.number,
                    path=str(w.path),
                )
            )
    finish(sweep)


@command(app, "stats")
def stats_command(
    paths: PathsArg,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    by: Annotated[
        str | None, typer.Option("--by", help="分组：village|township|category|channel|owner|level")
    ] = None,
    min_cases: Annotated[int, typer.Option("--min-cases", help="少于此件数的分组不参与排名")] = 5,
    json: JsonOpt = False,
) -> None:
    """统计销号率、反馈率、满意率、按时办结率等（可按村、类别等分组）。例：shuoshi stats --month 2026-10 ledgers/ --by village"""
    from shuoshi_cli.figures import GROUPINGS, month_report
    from shuoshi_cli.render import console, print_json, stats_json, stats_table

    if by is not None and by not in GROUPINGS:
        raise BadInput("bad_choice", field="by", value=by, choices=list(GROUPINGS))
    if min_cases < 1:
        raise BadInput("bad_min_cases")
    scope, sweep = read_sweep(paths, month, as_of)
    report = month_report(sweep.cases, scope, by, min_cases)
    if json:
        print_json(stats_json(report))
    else:
        console().print(stats_table(report, STATE.lang))
    finish(sweep)


@command(app, "export")
def export_command(
    paths: PathsArg,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="输出的 .xlsx 文件，默认 台账-年-月.xlsx")
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
    """导出月度台账 Excel：汇总表（含图表）、各村台账、督办清单。例：shuoshi export --month 2026-10 ledgers/ -o 2026年10月台账.xlsx"""
    from pathlib import Path

    from shuoshi_cli.excel import VillageMonth, write_csv, write_workbook
    from shuoshi_cli.render import print_json

    scope, sweep = read_sweep(paths, month, as_of)
    if not sweep.ledgers:
        # Nothing readable: say so rather than write an empty workbook over the meeting's file.
        finish(sweep)
        raise BadInput("nothing_to_export")
    target = (
        Path(output)
        if output
        else Path(f"台账-{scope.start.year}-{scope.start.month:02d}.{'csv' if csv else 'xlsx'}")
    )
    if target.exists() and not force:
        raise BadInput("output_exists", path=str(target))
    ledgers = sorted(sweep.ledgers, key=lambda m: (m.info.township, m.info.village, str(m.path)))
    villages = [VillageMonth(m.info.village, m.info.township, m.cases) for m in ledgers]
    if csv:
        written = write_csv(target, villages, scope, public=public)
    else:
        written = write_workbook(target, villages, scope, public=public)
    cases = sum(len(v.cases) for v in villages)
    if json:
        print_json(
            {
                "path": str(written),
                "as_of": scope.as_of,
                "villages": len(villages),
                "cases": cases,
                "public": public,
            }
        )
    else:
        typer.echo(
            messages.text(
                "exported", STATE.lang, path=str(written), villages=len(villages), cases=cases
            )
        )
    finish(sweep)
