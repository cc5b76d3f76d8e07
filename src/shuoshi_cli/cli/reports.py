"""Reading one ledger: ``list``, ``show`` and ``history``."""

from typing import Annotated

import typer

from shuoshi_cli.cli.app import STATE, JsonOpt, app, command, today
from shuoshi_cli.core import messages


@command(app, "list")
def list_command(
    status: Annotated[
        str, typer.Option("--status", help="open 在办 | closed 已办结 | overdue 超期 | all 全部")
    ] = "open",
    owner: Annotated[str | None, typer.Option("--owner", help="只看此领办责任人")] = None,
    category: Annotated[str | None, typer.Option("--category", help="只看此类别")] = None,
    month: Annotated[
        str | None, typer.Option("--month", help="只看某月应办事项（含结转），如 2026-10")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """列出事项（默认在办），超期的排在前面。

    例：shuoshi list --status overdue --owner 李四"""
    from shuoshi_cli.core.figures import month_scope
    from shuoshi_cli.core.listing import select, wanted_status
    from shuoshi_cli.formats.render import case_json, cases_table, console, print_json
    from shuoshi_cli.store.write import open_ledger

    wanted = wanted_status(status)
    now = today()
    with open_ledger(STATE.db, write=True) as ledger:
        village = ledger.info().village
        if month is None:
            day = now
            found = ledger.cases()
        else:
            scope = month_scope(month, None, now)
            day = scope.as_of
            found = ledger.month_cases(scope)
    cases = select(found, wanted, day, owner=owner, category=category)
    if json:
        print_json([case_json(c, village) for c in cases])
    elif not cases:
        typer.echo(messages.text("no_cases", STATE.lang))
    else:
        console().print(cases_table(cases, village, day, STATE.lang))


@command(app, "show")
def show_command(
    case_id: Annotated[int, typer.Argument(help="事项编号", show_default=False, metavar="ID")],
    json: JsonOpt = False,
) -> None:
    """查看一件事项的全部情况和办理记录。

    例：shuoshi show 1"""
    from shuoshi_cli.formats.render import (
        case_detail,
        case_json,
        console,
        history_json,
        history_table,
        print_json,
    )
    from shuoshi_cli.store.write import open_ledger

    with open_ledger(STATE.db, write=True) as ledger:
        village = ledger.info().village
        case = ledger.case(case_id)
        entries = ledger.history(case_id)
    if json:
        print_json({**case_json(case, village), "history": [history_json(e) for e in entries]})
        return
    out = console()
    out.print(case_detail(case, village, today(), STATE.lang))
    out.print(history_table(case_id, entries, STATE.lang))


@command(app, "history")
def history_command(
    case_id: Annotated[int, typer.Argument(help="事项编号", show_default=False, metavar="ID")],
    json: JsonOpt = False,
) -> None:
    """查看一件事项的办理记录（谁、何时、改了什么）。

    例：shuoshi history 1"""
    from shuoshi_cli.formats.render import console, history_json, history_table, print_json
    from shuoshi_cli.store.write import open_ledger

    with open_ledger(STATE.db, write=True) as ledger:
        entries = ledger.history(case_id)
    if json:
        print_json([history_json(e) for e in entries])
    else:
        console().print(history_table(case_id, entries, STATE.lang))
