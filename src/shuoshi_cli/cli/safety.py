"""Keeping a ledger safe: ``backup``, ``check`` and ``erase-reporter``."""

from typing import Annotated

import typer

from shuoshi_cli.cli.app import STATE, JsonOpt, app, command, note, today
from shuoshi_cli.core import messages
from shuoshi_cli.core.errors import BadInput


@command(app, "backup")
def backup_command(
    dest: Annotated[str, typer.Argument(help="备份到此文件或文件夹", show_default=False)],
    json: JsonOpt = False,
) -> None:
    """备份台账（别人正在写入时也能得到完整的一份），输出备份文件的 SHA-256。

    例：shuoshi backup D:/备份/"""
    import hashlib
    from datetime import datetime

    from shuoshi_cli.formats.render import print_json
    from shuoshi_cli.store.file import backup

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    copy = backup(STATE.db, dest, stamp)
    digest = hashlib.sha256(copy.read_bytes()).hexdigest()
    if json:
        print_json({"path": str(copy), "sha256": digest})
    else:
        typer.echo(digest)
        note(messages.text("backup_done", STATE.lang, path=str(copy)))


@command(app, "check")
def check_command(json: JsonOpt = False) -> None:
    """检查台账是否完整、未被改动（数据库完整性、表结构、外键、办理记录链）；正常时不输出。

    例：shuoshi check"""
    from shuoshi_cli.formats.render import print_json
    from shuoshi_cli.store.check import check
    from shuoshi_cli.store.file import open_connection, transaction

    file, connection = open_connection(STATE.db, write=True)
    try:
        with transaction(connection, file, write=False):  # the whole file as of one moment
            problems = check(connection)
    finally:
        connection.close()
    if json:
        shown = [
            {
                "kind": p.kind,
                "message": messages.check_problem(p.key, p.detail, STATE.lang, p.field),
            }
            for p in problems
        ]
        print_json({"ok": not problems, "problems": shown})
    else:
        for problem in problems:
            typer.echo(
                messages.check_problem(problem.key, problem.detail, STATE.lang, problem.field)
            )
    if problems:
        if not json:
            typer.echo(
                messages.error("check_failed", {"count": len(problems)}, STATE.lang), err=True
            )
        raise typer.Exit(1)


@command(app, "erase-reporter")
def erase_reporter_command(
    case_id: Annotated[int, typer.Argument(help="事项编号", show_default=False, metavar="ID")],
    yes: Annotated[bool, typer.Option("--yes", help="确认删除（不可撤销）")] = False,
    json: JsonOpt = False,
) -> None:
    """应本人要求删除反映人的姓名和电话（连同办理记录里的，不可撤销）。

    例：shuoshi erase-reporter 3 --yes"""
    from shuoshi_cli.formats.render import case_json, print_json
    from shuoshi_cli.store.write import open_ledger

    if not yes:
        raise BadInput(
            "needs_yes", action="删除个人信息" if STATE.lang == "zh" else "erasing a reporter"
        )
    with open_ledger(STATE.db, write=True) as ledger:
        case = ledger.erase_reporter(case_id, today=today(), user=STATE.user)
        village = ledger.info().village
    if json:
        print_json(case_json(case, village))
    else:
        typer.echo(messages.text("erased_done", STATE.lang, id=case.id))
