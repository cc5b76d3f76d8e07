"""Joining two copies of one ledger: ``merge`` (store/merge.py)."""

from typing import Annotated

import typer

from shuoshi_cli.cli.app import STATE, JsonOpt, app, command, note, today
from shuoshi_cli.core import messages


@command(app, "merge")
def merge_command(
    other: Annotated[
        str, typer.Argument(help="同一本台账的另一份副本（.db 文件）", show_default=False)
    ],
    json: JsonOpt = False,
) -> None:
    """把同一本台账另一份副本里本台账没有的事项、办理记录、说事活动和督办函合并进来（--db 指定的台账）。

    另一份只读、不改动；合并多次不会重复；再反过来合并一次，两份就一致了。

    例：shuoshi --db 石境村.db merge U盘/石境村.db"""
    from shuoshi_cli.formats.render import print_json
    from shuoshi_cli.store.merge import merge

    done = merge(STATE.db, other, today=today(), user=STATE.user)
    if json:
        print_json(
            {
                "other": done.other,
                "entries": done.entries,
                "new_cases": list(done.new_cases),
                "changed_cases": list(done.changed_cases),
                "renumbered": [{"from": old, "to": new} for old, new in done.renumbered],
                "sessions": done.sessions,
                "review": list(done.review),
            }
        )
        return
    if not done.entries and not done.sessions:
        typer.echo(messages.text("merged_nothing", STATE.lang, other=other))
        return
    typer.echo(
        messages.text(
            "merged",
            STATE.lang,
            other=other,
            entries=done.entries,
            new=len(done.new_cases),
            changed=len(done.changed_cases),
            sessions=done.sessions,
        )
    )
    for old, new in done.renumbered:
        note(messages.text("merged_renumbered", STATE.lang, other=other, old=old, id=new))
    if done.review:
        ids = "、".join(f"#{n}" for n in done.review)
        note(messages.text("merged_review", STATE.lang, ids=ids))
