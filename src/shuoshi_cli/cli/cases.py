"""Clerk commands on one village ledger: parse the options, make one call, render the result."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer

from shuoshi_cli.cli.app import STATE, JsonOpt, app, calendar, command, note, parse_day, today
from shuoshi_cli.core import messages
from shuoshi_cli.core.codes import Channel, Kind, Level, Outcome, Satisfaction, parse
from shuoshi_cli.core.errors import BadInput

IdArg = Annotated[int, typer.Argument(help="事项编号 (case id)", show_default=False, metavar="ID")]
DueOpt = Annotated[
    str | None, typer.Option("--due", help="完成时限：2026-12-01、+7d、+5wd、5个工作日 …")
]
DateOpt = Annotated[str | None, typer.Option("--date", help="日期，默认今天 (default today)")]


def _due_from(text: str | None, base: date) -> Any:
    """A deadline counted from ``base`` (a letter's date) rather than from today."""
    from shuoshi_cli.core.dates import parse_date

    if text is None:
        return None
    parsed = parse_date(text, base, calendar(), meaning="deadline", received=base)
    if parsed.missing_years:
        years = "、".join(str(y) for y in sorted(parsed.missing_years))
        note(messages.text("weekday_calendar", STATE.lang, years=years))
    return parsed


def _deadline(text: str | None) -> Callable[[Any], Any]:
    """A ``--due`` read once the case is known: a date typed without a year is the first such day
    on or after the case's received date (SPEC 3)."""
    if text is not None:
        parse_day(text, meaning="deadline")  # a date that cannot be read is refused at once
    return lambda case: parse_day(text, meaning="deadline", received=case.received_on)


def _typed(ctx: typer.Context, name: str) -> bool:
    """Whether option ``name`` was given on the command line (or the environment), not left to
    its default."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name != "DEFAULT"


def _effective(text: str | None) -> date:
    parsed = parse_day(text, meaning="happened")
    return parsed.day if parsed is not None else today()


def _show_change(command_name: str, changed: tuple[Any, str], as_json: bool) -> None:
    from shuoshi_cli.formats.render import case_json, confirmation, print_json

    case, village = changed
    if as_json:
        print_json(case_json(case, village))
    else:
        typer.echo(confirmation(command_name, case, STATE.lang))


def _write(action: Callable[[Any], Any]) -> tuple[Any, str]:
    """Open the ledger for writing and make one change (``action(ledger)`` returns the case);
    return the case and its village."""
    from shuoshi_cli.store.write import open_ledger

    with open_ledger(STATE.db, write=True) as ledger:
        return action(ledger), ledger.info().village


def _change(case_id: int, on: date, rule: Callable[[Any], Any]) -> tuple[Any, str]:
    """Apply one command's rule to one case; return it and its village."""
    return _write(lambda ledger: ledger.change(case_id, rule, on=on, user=STATE.user))


@command(app, "init")
def init_command(
    village: Annotated[str, typer.Option("--village", help="村（社区）")],
    township: Annotated[str, typer.Option("--township", help="乡镇")],
    county: Annotated[str, typer.Option("--county", help="县")],
    area_code: Annotated[
        str | None, typer.Option("--area-code", help="12 位统计用区划代码 (optional)")
    ] = None,
    categories: Annotated[
        str | None,
        typer.Option("--categories", help="本村事项类别，用逗号分隔（默认 基础设施,环境卫生,…）"),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """新建本村台账文件。

    例：shuoshi init --village 石境村 --township 宝峰镇 --county 靖安县"""
    from shuoshi_cli.core.rules import new_ledger
    from shuoshi_cli.formats.render import dumps
    from shuoshi_cli.store.write import create_ledger

    info = new_ledger(village, township, county, area_code, categories)
    create_ledger(STATE.db, info)
    if json:
        typer.echo(
            dumps(
                {
                    "path": str(STATE.db),
                    "village": info.village,
                    "township": info.township,
                    "county": info.county,
                    "area_code": info.area_code,
                    "categories": list(info.categories),
                }
            )
        )
    else:
        typer.echo(
            messages.text(
                "initialised",
                STATE.lang,
                path=STATE.db,
                village=info.village,
                township=info.township,
                county=info.county,
            )
        )


@command(app, "add")
def add_command(
    ctx: typer.Context,
    title: Annotated[
        str | None, typer.Argument(help="反映事项；省略则逐项询问，- 表示从标准输入读取")
    ] = None,
    detail: Annotated[str | None, typer.Option("--detail", help="详细内容")] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind", help="诉求|意见建议|投诉举报|咨询 (request|suggestion|complaint|inquiry)"
        ),
    ] = "request",
    category: Annotated[str | None, typer.Option("--category", help="类别，如 基础设施")] = None,
    channel: Annotated[
        str,
        typer.Option(
            "--channel",
            help="说事点|小程序|走访|来电|游客|其他 (talk|app|visit|phone|tourist|other)",
        ),
    ] = "other",
    reporter: Annotated[str | None, typer.Option("--reporter", help="反映人")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    anonymous: Annotated[
        bool, typer.Option("--anonymous", help="匿名反映：不记姓名和电话")
    ] = False,
    received: Annotated[str | None, typer.Option("--received", help="受理日期，默认今天")] = None,
    session: Annotated[int | None, typer.Option("--session", help="说事活动编号")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="领办责任人")] = None,
    due: DueOpt = None,
    json: JsonOpt = False,
) -> None:
    """登记一件群众反映的事项，输出新编号。

    例：shuoshi add "村口路灯不亮" --reporter 张三 --phone 13800000000 --category 基础设施 --channel talk"""
    from shuoshi_cli.core.rules import NewCase
    from shuoshi_cli.store.write import open_ledger

    if title is None or title == "-":
        from shuoshi_cli.cli.entry import add_interactively

        given: dict[str, Any] = {"detail": detail, "kind": kind, "category": category}
        given |= {"channel": channel}
        given |= {"reporter": reporter, "phone": phone, "anonymous": anonymous}
        given |= {"received": received, "session": session, "owner": owner, "due": due}
        # Only the options typed on the command line become every entry's defaults.
        typed = {k: v for k, v in given.items() if _typed(ctx, k)}
        add_interactively(from_stdin=title == "-", as_json=json, given=typed)
        return
    received_on = parse_day(received, meaning="happened")
    draft = NewCase(
        title=title,
        detail=detail,
        kind=parse(Kind, kind, "kind"),
        category=category,
        channel=parse(Channel, channel, "channel"),
        reporter=reporter,
        phone=phone,
        anonymous=anonymous,
        received_on=received_on.day if received_on else None,
        session=session,
        owner=owner,
        due=parse_day(due, meaning="deadline", received=received_on.day if received_on else None),
    )
    with open_ledger(STATE.db, write=True) as ledger:
        info = ledger.info()
        case = ledger.add(draft, today=today(), user=STATE.user)
        repeats = ledger.possible_duplicates(case)
    if repeats:
        others = "、".join(f"#{n}" for n in repeats)
        note(messages.text("possible_duplicate", STATE.lang, id=case.id, others=others))
    if case.category and case.category not in info.categories:
        note(
            messages.text(
                "unknown_category",
                STATE.lang,
                category=case.category,
                known="、".join(info.categories),
            )
        )
    if json:
        from shuoshi_cli.formats.render import case_json, print_json

        print_json(case_json(case, info.village))
    else:
        typer.echo(str(case.id))
        note(messages.text("added", STATE.lang, id=case.id, title=case.title))


@command(app, "assign")
def assign_command(
    case_id: IdArg,
    owner: Annotated[str, typer.Option("--owner", help="领办责任人")],
    due: DueOpt = None,
    on: DateOpt = None,
    json: JsonOpt = False,
) -> None:
    """指定领办责任人和完成时限。

    例：shuoshi assign 1 --owner 李四 --due +5wd"""
    from shuoshi_cli.core import rules

    day = _effective(on)
    deadline = _deadline(due)
    case = _change(
        case_id, day, lambda c: rules.assign(c, owner, deadline(c), on=day, today=today())
    )
    _show_change("assign", case, json)


@command(app, "note")
def note_command(
    case_id: IdArg,
    text: Annotated[str, typer.Argument(help="办理情况", show_default=False)],
    on: DateOpt = None,
    json: JsonOpt = False,
) -> None:
    """记录办理进展（进展记录不影响之后补登更早日期的办理）。

    例：shuoshi note 1 "已联系电工，明天上门" --date 11月26日"""
    from shuoshi_cli.core import rules

    day = _effective(on)
    case = _change(case_id, day, lambda c: rules.note(c, text, on=day, today=today()))
    _show_change("note", case, json)


@command(app, "plan")
def plan_command(
    case_id: IdArg,
    text: Annotated[str, typer.Argument(help="计划内容", show_default=False)],
    due: DueOpt = None,
    on: DateOpt = None,
    json: JsonOpt = False,
) -> None:
    """列入计划（暂时办不完、已有安排的事项）。

    例：shuoshi plan 3 "列入明年村道硬化计划" --due 2027-06-30"""
    from shuoshi_cli.core import rules

    day = _effective(on)
    deadline = _deadline(due)
    case = _change(case_id, day, lambda c: rules.plan(c, text, deadline(c), on=day, today=today()))
    _show_change("plan", case, json)


@command(app, "escalate")
def escalate_command(
    case_id: IdArg,
    to: Annotated[str, typer.Option("--to", help="township|county|village（乡镇|县|村：退回）")],
    reason: Annotated[str, typer.Option("--reason", help="上报或退回的理由")],
    owner: Annotated[str | None, typer.Option("--owner", help="新的领办责任人")] = None,
    due: DueOpt = None,
    on: DateOpt = None,
    json: JsonOpt = False,
) -> None:
    """村里解决不了的事项上报乡镇或县；上级退回的用 --to village。

    例：shuoshi escalate 2 --to township --reason "需镇水利站协调\""""
    from shuoshi_cli.core import rules

    day = _effective(on)
    level = parse(Level, to, "level")
    deadline = _deadline(due)
    case = _change(
        case_id,
        day,
        lambda c: rules.escalate(c, level, reason, owner, deadline(c), on=day, today=today()),
    )
    _show_change("escalate", case, json)


@command(app, "close")
def close_command(
    case_id: IdArg,
    outcome: Annotated[
        str, typer.Option("--outcome", help="resolved 已解决 | explained 已解释说明")
    ],
    result: Annotated[str, typer.Option("--result", help="办理结果")],
    on: DateOpt = None,
    json: JsonOpt = False,
) -> None:
    """办结销号。

    例：shuoshi close 1 --outcome resolved --result "已更换灯泡\""""
    from shuoshi_cli.core import rules

    day = _effective(on)
    try:
        kind = parse(Outcome, outcome, "outcome")  # "planned" gets its own advice from the rule
    except BadInput:
        parse(Outcome, outcome, "outcome", (Outcome.RESOLVED, Outcome.EXPLAINED))
        raise
    case = _change(case_id, day, lambda c: rules.close(c, kind, result, on=day, today=today()))
    _show_change("close", case, json)


@command(app, "reopen")
def reopen_command(
    case_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", help="重新办理的理由")],
    on: DateOpt = None,
    owner: Annotated[str | None, typer.Option("--owner", help="新的领办责任人")] = None,
    due: DueOpt = None,
    json: JsonOpt = False,
) -> None:
    """重新打开已销号的事项（原结果留在办理记录里），可同时指定新的责任人和完成时限。

    例：shuoshi reopen 1 --reason "群众反映路灯又坏了" --due +3wd"""
    from shuoshi_cli.core import rules

    day = _effective(on)
    deadline = _deadline(due)
    case = _change(
        case_id,
        day,
        lambda c: rules.reopen(c, reason, on=day, today=today(), owner=owner, due=deadline(c)),
    )
    kept = case[0].deadline
    if kept is not None and kept < day:
        # SPEC 4: a deadline already past when the case is reopened cannot be missed again.
        note(messages.text("reopen_lapsed", STATE.lang, deadline=kept.isoformat()))
    _show_change("reopen", case, json)


@command(app, "feedback")
def feedback_command(
    case_id: IdArg,
    satisfaction: Annotated[
        str | None,
        typer.Option("--satisfaction", help="satisfied 满意 | basic 基本满意 | unsatisfied 不满意"),
    ] = None,
    on: DateOpt = None,
    correct: Annotated[
        bool, typer.Option("--correct", help="更正已登记的满意度（需 --reason）")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="更正的理由")] = None,
    json: JsonOpt = False,
) -> None:
    """登记向群众反馈的结果和满意度；已登记的满意度只能用 --correct 更正。

    例：shuoshi feedback 1 --satisfaction satisfied"""
    from shuoshi_cli.core import rules

    if correct and reason is None:
        raise BadInput("empty_field", field="reason")
    why = reason if correct else None
    day = _effective(on)
    answer = parse(Satisfaction, satisfaction, "satisfaction") if satisfaction is not None else None
    case = _change(
        case_id, day, lambda c: rules.feedback(c, answer, on=day, today=today(), correct=why)
    )
    _show_change("feedback", case, json)


@command(app, "edit")
def edit_command(
    case_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", help="更正的理由（记入办理记录）")],
    title: Annotated[str | None, typer.Option("--title", help="反映事项")] = None,
    detail: Annotated[str | None, typer.Option("--detail", help='详细内容（"" 清空）')] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="诉求|意见建议|投诉举报|咨询")] = None,
    category: Annotated[str | None, typer.Option("--category", help="类别")] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="说事点|小程序|走访|来电|游客|其他")
    ] = None,
    reporter: Annotated[str | None, typer.Option("--reporter", help="反映人")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    anonymous: Annotated[
        bool | None,
        typer.Option("--anonymous/--named", help="改为匿名（删去姓名和电话）/ 改为实名"),
    ] = None,
    received: Annotated[str | None, typer.Option("--received", help="受理日期")] = None,
    session: Annotated[int | None, typer.Option("--session", help="说事活动编号")] = None,
    json: JsonOpt = False,
) -> None:
    """更正登记时填错的内容（从登记之日起按更正后的值统计），原值留在办理记录里。

    例：shuoshi edit 3 --title "减速带损坏" --reason "错别字\""""
    from shuoshi_cli.core import rules

    received_on = parse_day(received, meaning="happened")
    given = rules.Edit(
        title=title,
        detail=detail,
        kind=parse(Kind, kind, "kind") if kind is not None else None,
        category=category,
        channel=parse(Channel, channel, "channel") if channel is not None else None,
        reporter=reporter,
        phone=phone,
        anonymous=anonymous,
        received_on=received_on.day if received_on is not None else None,
        session=session,
    )
    changed = _write(
        lambda ledger: ledger.edit(case_id, given, reason, today=today(), user=STATE.user)
    )
    _show_change("edit", changed, json)


@command(app, "void")
def void_command(
    case_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", help="作废理由，如 重复登记、登错村、测试")],
    duplicate_of: Annotated[
        int | None, typer.Option("--duplicate-of", help="与哪件事项重复", metavar="ID")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """作废误登记的事项（重复、登错村、测试）：不再出现在任何列表、统计、导出和督办中。

    例：shuoshi void 7 --reason "重复登记" --duplicate-of 5"""

    changed = _write(
        lambda ledger: ledger.void(case_id, reason, duplicate_of, today=today(), user=STATE.user)
    )
    _show_change("void", changed, json)


@command(app, "restore")
def restore_command(
    case_id: IdArg,
    reason: Annotated[str, typer.Option("--reason", help="恢复的理由")],
    json: JsonOpt = False,
) -> None:
    """恢复被误作废的事项。

    例：shuoshi restore 7 --reason "并非重复，是另一户反映\""""
    from shuoshi_cli.core import rules

    day = today()
    case = _change(case_id, day, lambda c: rules.restore(c, reason))
    _show_change("restore", case, json)


@command(app, "supervise")
def supervise_command(
    case_id: IdArg,
    letter: Annotated[str, typer.Option("--letter", help="督办函号，如 宝督〔2026〕12号")],
    due: DueOpt = None,
    on: DateOpt = None,
    reply: Annotated[
        str | None,
        typer.Option("--reply", help="村里对这封已登记督办函的回复（每封只登记一次）"),
    ] = None,
    reply_date: Annotated[
        str | None, typer.Option("--reply-date", help="回复日期，默认今天 (default today)")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """登记督办函（可同时给出新的完成时限；+3wd 这类相对时限从督办函日期算起）；
    加 --reply 则登记村里对这封已登记督办函的回复（每封只登记一次）。

    例：shuoshi supervise 2 --letter 宝督〔2026〕12号 --due +3wd

    例：shuoshi supervise 2 --letter 宝督〔2026〕12号 --reply "已修复" --reply-date 2026-11-20"""
    from shuoshi_cli.core import rules

    if reply is not None:
        if due is not None or on is not None:
            raise BadInput("reply_with_letter_options")
        answered = _effective(reply_date)
        case, village = _write(
            lambda ledger: ledger.reply(
                case_id,
                lambda c: rules.reply(c, letter, reply, on=answered, today=today()),
                on=answered,
                user=STATE.user,
            )
        )
        _show_reply(case, village, letter, json)
        return
    if reply_date is not None:
        raise BadInput("reply_date_without_reply")
    day = _effective(on)
    deadline = _due_from(due, day)
    changed = _write(
        lambda ledger: ledger.supervise(
            case_id,
            lambda c: rules.supervise(c, letter, deadline, on=day, today=today()),
            on=day,
            user=STATE.user,
        )
    )
    _show_change("supervise", changed, json)


def _show_reply(case: Any, village: str, letter: str, as_json: bool) -> None:
    from shuoshi_cli.formats.render import print_json
    from shuoshi_cli.formats.replies import case_with_replies_json, reply_confirmation

    if as_json:
        print_json(case_with_replies_json(case, village))
    else:
        typer.echo(reply_confirmation(case, letter, STATE.lang))
