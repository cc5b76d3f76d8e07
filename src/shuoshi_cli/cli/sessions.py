"""Talk sessions (说事活动): ``session add`` and ``session list``.

``session list`` reads the ``--db`` ledger, or with PATHS every ledger under them read-only, as
``stats`` does (store/sweep.py): it names the ledgers it could not read on stderr after the list
and then exits 1 (SPEC 6).
"""

from functools import partial
from typing import Annotated

import typer

from shuoshi_cli.cli.app import STATE, JsonOpt, command, parse_day, session_app, today
from shuoshi_cli.cli.month import (
    AsOfOpt,
    FromOpt,
    MonthOpt,
    PeriodOpt,
    ToOpt,
    finish,
    period_of,
    read_sweep,
)
from shuoshi_cli.core import messages


@command(session_app, "add")
def session_add_command(
    on: Annotated[str | None, typer.Option("--date", help="活动日期，默认今天")] = None,
    place: Annotated[str | None, typer.Option("--place", help="说事点，如 村文化礼堂")] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="主题")] = None,
    host: Annotated[str | None, typer.Option("--host", help="主持人")] = None,
    json: JsonOpt = False,
) -> None:
    """登记一次说事活动，输出编号。

    例：shuoshi session add --date 2026-11-15 --place 村文化礼堂 --topic 冬季防火"""
    from shuoshi_cli.core.errors import BadDate
    from shuoshi_cli.core.rules import clean_text
    from shuoshi_cli.formats.render import print_json
    from shuoshi_cli.formats.sessions import session_json
    from shuoshi_cli.store.write import open_ledger

    parsed = parse_day(on, meaning="happened")
    held_on = parsed.day if parsed is not None else today()
    if held_on > today():
        raise BadDate("future_date", value=held_on.isoformat())
    with open_ledger(STATE.db, write=True) as ledger:
        info = ledger.add_session(
            held_on,
            clean_text(place, "place"),
            clean_text(topic, "topic"),
            clean_text(host, "host"),
        )
    if json:
        print_json(session_json(info))
    else:
        typer.echo(str(info.id))
        typer.echo(messages.text("session_added", STATE.lang, id=info.id), err=True)


@command(session_app, "list")
def session_list_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="台账文件或文件夹（文件夹会逐层查找）；不写则只看 --db 台账", show_default=False
        ),
    ] = None,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    json: JsonOpt = False,
) -> None:
    """列出说事活动及各次提出的事项数：--db 台账的（可按期间），或 PATHS 下各村期间内（默认本月）的。

    例：shuoshi session list --month 2026-11 ledgers/"""
    from shuoshi_cli.formats.render import console, print_json
    from shuoshi_cli.formats.sessions import held_json, no_sessions, sessions_table, sessions_total
    from shuoshi_cli.store.sessions import in_date_order, ledger_sessions, sessions_work

    result = None
    places = None
    if paths:
        # Many ledgers: a period's sessions, this month's when none is named (as stats reads).
        scope = period_of(month, as_of, period, start, end)
        result = read_sweep(paths, partial(sessions_work, scope))
        found = in_date_order([item for _, _, items in result.results for item in items])
        places = [(info.county, info.township, info.village) for _, info, _ in result.results]
    else:
        # One ledger: every session, unless a period is named.
        named = any(option is not None for option in (month, as_of, period, start, end))
        scope = period_of(month, as_of, period, start, end) if named else None
        found = ledger_sessions(STATE.db, scope)
    if json:
        print_json([held_json(item, swept=places is not None) for item in found])
    else:
        out = console()
        if found or not out.is_terminal:
            # Piped, an empty list is its heading row alone, as ``list`` prints it.
            out.print(sessions_table(found, scope, STATE.lang, places))
        if found and out.is_terminal:
            out.print(sessions_total(found, STATE.lang))
        if not found:
            typer.echo(no_sessions(scope, STATE.lang), err=not out.is_terminal)
    if result is not None:
        finish(result)
