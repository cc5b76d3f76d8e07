"""Talk sessions (说事活动): ``session add`` and ``session list``."""

from typing import Annotated

import typer

from shuoshi_cli.cli.app import STATE, JsonOpt, command, parse_day, session_app, today
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
    from shuoshi_cli.formats.render import print_json, session_json
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
def session_list_command(json: JsonOpt = False) -> None:
    """列出说事活动。

    例：shuoshi session list"""
    from shuoshi_cli.formats.render import console, print_json, session_json, sessions_table
    from shuoshi_cli.store.write import open_ledger

    with open_ledger(STATE.db, write=True) as ledger:
        sessions = ledger.sessions()
    if json:
        print_json([session_json(s) for s in sessions])
    elif not sessions:
        typer.echo(messages.text("no_sessions", STATE.lang))
    else:
        console().print(sessions_table(sessions, STATE.lang))
