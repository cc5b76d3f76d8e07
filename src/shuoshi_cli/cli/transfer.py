"""Moving records in and out: ``template``, ``import``, ``dump`` and ``load``."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from shuoshi_cli.cli.app import STATE, JsonOpt, app, calendar, command, note, today
from shuoshi_cli.core import messages
from shuoshi_cli.core.errors import BadInput, IOFailure


@command(app, "template")
def template_command(
    output: Annotated[str, typer.Option("-o", "--output", help="模板文件名，如 模板.xlsx")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的同名文件")] = False,
    json: JsonOpt = False,
) -> None:
    """生成导入用的 Excel 模板（常用中文表头和填写说明）。

    例：shuoshi template -o 模板.xlsx"""
    from shuoshi_cli.formats.excel import write_template
    from shuoshi_cli.formats.render import print_json

    target = Path(output)
    if target.exists() and not force:
        raise BadInput("output_exists", path=str(target))
    write_template(target)
    if json:
        print_json({"path": str(target)})
    else:
        typer.echo(messages.text("template_written", STATE.lang, path=str(target)))


def _problem_line(problem: Any) -> str:
    from shuoshi_cli.formats.render import error_params

    where = messages.text(
        "import_where" if problem.column else "import_where_row",
        STATE.lang,
        sheet=problem.sheet,
        row=problem.row,
        column=problem.column or "",
    )
    text = messages.error(problem.key, error_params(problem.params, STATE.lang), STATE.lang)
    return f"{where}{text}"


@command(app, "import")
def import_command(
    file: Annotated[str, typer.Argument(help="要导入的 .xlsx 台账", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查、预览，不写入")] = False,
    sheet: Annotated[str | None, typer.Option("--sheet", help="只导入这个工作表")] = None,
    update: Annotated[
        bool, typer.Option("--update", help="表中已导入的事项新填了办结、回访的，按表中日期登记")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """从已有的 Excel 台账导入事项：有一处问题就全部不导入；重复导入不会重复登记。

    例：shuoshi import 2026年台账.xlsx --dry-run"""
    from shuoshi_cli.formats.importer import match, plan_import
    from shuoshi_cli.formats.importsummary import summary_data, summary_lines
    from shuoshi_cli.formats.render import console, import_preview, print_json
    from shuoshi_cli.formats.xlsxsafe import read_book
    from shuoshi_cli.store.write import open_ledger

    path = Path(file)
    updated = 0
    with open_ledger(STATE.db, write=True) as ledger:
        info = ledger.info()
        book = read_book(path)
        plan = plan_import(
            book, village=info.village, township=info.township, categories=info.categories,
            today=today(), calendar=calendar(), only_sheet=sheet,
        )  # fmt: skip
        match(plan, ledger.cases(), today=today(), history=ledger.history)
        if plan.problems:
            if json:
                data = summary_data(plan, dry_run=dry_run, update=update, updated=0)
                data |= {"new": 0, "changed": 0}  # all or nothing: nothing is stored
                data["problems"] = [
                    {
                        "sheet": p.sheet,
                        "row": p.row,
                        "column": p.column,
                        "message": _problem_line(p),
                    }
                    for p in plan.problems
                ]
                print_json(data)
                raise typer.Exit(1)
            for problem in plan.problems:
                typer.echo(_problem_line(problem), err=True)
            raise BadInput("import_refused", count=len(plan.problems))
        if not dry_run:
            updates = [(c.case_id, c.item.past) for c in plan.changed] if update else []
            ledger.import_cases(
                [(item.uid, item.past) for item in plan.new],
                today=today(), user=STATE.user, source=path.name, updates=updates,
            )  # fmt: skip
            updated = len(updates)
    if json:
        data = summary_data(plan, dry_run=dry_run, update=update, updated=updated)
        print_json({**data, "problems": []})
        return
    for line in summary_lines(plan, STATE.lang, dry_run=dry_run, update=update, updated=updated):
        typer.echo(line)
    if dry_run and plan.new:
        console().print(import_preview([item.past for item in plan.new[:5]], STATE.lang))


@command(app, "dump")
def dump_command(
    output: Annotated[
        str | None, typer.Option("-o", "--output", help="写入此文件（默认输出到屏幕）")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的同名文件")] = False,
    json: JsonOpt = False,
) -> None:
    """把整本台账导出为完整的 JSON（含办理记录、督办、说事活动），可用 load 原样恢复。

    例：shuoshi dump -o 石境村.json"""
    from shuoshi_cli.store.atomic import replace_atomically
    from shuoshi_cli.store.dump import dump_ledger, dumps

    text = dumps(dump_ledger(STATE.db))
    if output is None:
        sys.stdout.write(text)
        return
    target = Path(output)
    if target.exists() and not force:
        raise BadInput("output_exists", path=str(target))
    data = text.encode("utf-8")
    replace_atomically(target, lambda temp: _write(temp, data))
    note(messages.text("dumped", STATE.lang, path=str(target)))


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def read_utf8(file: str) -> str:
    """A whole file (``-``: stdin) as UTF-8 text, a byte-order mark dropped; anything else is
    refused with where the first byte that is not UTF-8 is."""
    if file == "-":
        stream = getattr(sys.stdin, "buffer", None)
        data = (
            stream.read()
            if stream is not None
            else sys.stdin.read().encode("utf-8", "surrogateescape")
        )
    else:
        try:
            data = Path(file).read_bytes()
        except FileNotFoundError:
            raise
        except OSError as error:
            raise IOFailure(
                "os_error", path=file, reason=error.strerror or str(error), errno=error.errno
            ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if file == "-":
            raise BadInput("stdin_not_utf8", line=data[: error.start].count(b"\n") + 1) from None
        raise BadInput("file_not_utf8", path=file) from None


@command(app, "load")
def load_command(
    file: Annotated[
        str, typer.Argument(help="dump 生成的 JSON 文件（- 表示标准输入）", show_default=False)
    ],
    json: JsonOpt = False,
) -> None:
    """用 dump 的 JSON 新建 --db 指定的台账（不会覆盖已有文件）。

    例：shuoshi --db 石境村.db load 石境村.json"""
    import json as jsonlib

    from shuoshi_cli.formats.render import print_json
    from shuoshi_cli.store.dump import load_ledger

    try:
        raw = read_utf8(file)
    except FileNotFoundError:
        raise BadInput("path_missing", path=file) from None
    try:
        data = jsonlib.loads(raw)
    except ValueError:
        raise BadInput("not_a_dump") from None
    count = load_ledger(data, STATE.db)
    if json:
        print_json({"path": str(STATE.db), "cases": count})
    else:
        typer.echo(messages.text("loaded", STATE.lang, path=str(STATE.db), cases=count))
