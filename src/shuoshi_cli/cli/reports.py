"""Reading one ledger: ``list``, ``show`` and ``history``."""

import unicodedata
from typing import Annotated, Any

import typer

from shuoshi_cli.cli.app import STATE, JsonOpt, app, command, parse_day, today
from shuoshi_cli.core import messages
from shuoshi_cli.core.codes import Status
from shuoshi_cli.core.errors import BadInput

STATUS_HELP = "open 在办 | closed 已办结 | overdue 超期 | all 全部（不含作废）" + (
    " | void 作废" if "void" in {s.value for s in Status} else ""
)
CaseRef = Annotated[
    str,
    typer.Argument(help="事项编号：4、#4 或 村名#4", show_default=False, metavar="ID"),
]


@command(app, "list")
def list_command(
    status: Annotated[str, typer.Option("--status", help=STATUS_HELP)] = "open",
    owner: Annotated[str | None, typer.Option("--owner", help="只看此领办责任人")] = None,
    category: Annotated[str | None, typer.Option("--category", help="只看此类别")] = None,
    month: Annotated[
        str | None, typer.Option("--month", help="只看某月应办事项（含结转），如 2026-10")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="只看某期间应办事项（含结转）：季度 2026-Q4 或全年 2026"),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="只看此日起应办事项（与 --to 合用）")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="截止日（默认今天）")] = None,
    known_by: Annotated[
        str | None,
        typer.Option(
            "--known-by",
            help="与 --month 等合用：按某一时刻已登记的记录列出当时的应办事项，如 2026-11-02",
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", help="在反映事项、详细内容、办理结果、计划、办理情况、反映人、电话中查找"
        ),
    ] = None,
    reporter: Annotated[str | None, typer.Option("--reporter", help="只看此反映人")] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", help="只看此电话（空格、横线、全角数字均可）")
    ] = None,
    due_within: Annotated[
        str | None,
        typer.Option("--due-within", help="临期：今天起到此期限内到期的在办事项，如 3wd、5d、1w"),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option("--level", help="办理层级 village 村级 | township 乡镇 | county 县级"),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="类型 request 诉求 | suggestion 意见建议 | complaint 投诉举报 | inquiry 咨询",
        ),
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel",
            help="渠道 talk 说事点 | app 小程序 | visit 走访 | phone 来电 | tourist 游客 | other 其他",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """列出事项（默认在办），超期的排在前面；可按人、电话、文字查找。

    例：shuoshi list --search 路灯 --due-within 3wd"""
    from shuoshi_cli.core.listing import filters, select, wanted_status
    from shuoshi_cli.formats.render import case_json, cases_table, console, print_json
    from shuoshi_cli.store.write import open_ledger

    wanted = wanted_status(status)
    now = today()
    where = filters(
        owner=owner,
        category=category,
        level=level,
        kind=kind,
        channel=channel,
        reporter=reporter,
        phone=phone,
        search=search,
        due_by=_due_by(due_within),
    )
    with open_ledger(STATE.db, write=True) as ledger:
        village = ledger.info().village
        if month is None and period is None and start is None and end is None:
            if known_by is not None:
                raise BadInput("known_by_needs_period")
            day = now
            found = ledger.cases()
        else:
            from shuoshi_cli.cli.month import asked_of, period_of  # only for a period

            asked = asked_of(known_by)
            scope = period_of(month, None, period, start, end, asked)
            day = scope.as_of
            found = ledger.month_cases(scope, asked.moment)
        notes = ledger.notes() if where.search is not None else {}
        cases = select(found, wanted, day, where, notes)
    if json:
        print_json([case_json(c, village) for c in cases])
        return
    out = console()
    if cases or not out.is_terminal:
        # Piped, an empty list is its heading row alone, so scripts always read the same shape.
        out.print(cases_table(cases, village, day, STATE.lang))
    if not cases:
        typer.echo(messages.text("no_cases", STATE.lang), err=not out.is_terminal)


def _due_by(text: str | None) -> Any:
    """The last day of ``--due-within``: ``3wd``, ``5d``, ``1w`` count from today (a leading
    ``+`` is optional), or a day itself."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFKC", text).strip()
    parsed = None
    for form in (f"+{cleaned}", cleaned) if cleaned[:1].isdigit() else (cleaned,):
        try:
            parsed = parse_day(form, meaning="deadline")
            break
        except BadInput:
            continue
    if parsed is None or parsed.day < today():
        raise BadInput("bad_due_within", value=text)
    return parsed.day


@command(app, "show")
def show_command(case_ref: CaseRef, json: JsonOpt = False) -> None:
    """查看一件事项的全部情况、办理经过（办理情况、计划、督办）和办理记录。

    例：shuoshi show 石境村#4"""
    from shuoshi_cli.core.listing import case_number
    from shuoshi_cli.formats.render import (
        case_detail,
        case_json,
        console,
        history_json,
        history_table,
        print_json,
        progress_table,
    )
    from shuoshi_cli.store.write import open_ledger

    with open_ledger(STATE.db, write=True) as ledger:
        village = ledger.info().village
        case_id = case_number(case_ref, village)
        case = ledger.case(case_id)
        entries = ledger.history(case_id)
    if json:
        print_json({**case_json(case, village), "history": [history_json(e) for e in entries]})
        return
    out = console()
    out.print(case_detail(case, village, today(), STATE.lang))
    progress = progress_table(case, entries, STATE.lang)
    if progress is not None:
        out.print(progress)
    out.print(history_table(case_id, entries, STATE.lang))


@command(app, "history")
def history_command(case_ref: CaseRef, json: JsonOpt = False) -> None:
    """查看一件事项的办理记录（谁、何时、改了什么）。

    例：shuoshi history 石境村#4"""
    from shuoshi_cli.core.listing import case_number
    from shuoshi_cli.formats.render import console, history_json, history_table, print_json
    from shuoshi_cli.store.write import open_ledger

    with open_ledger(STATE.db, write=True) as ledger:
        case_id = case_number(case_ref, ledger.info().village)
        entries = ledger.history(case_id)
    if json:
        print_json([history_json(e) for e in entries])
    else:
        console().print(history_table(case_id, entries, STATE.lang))
