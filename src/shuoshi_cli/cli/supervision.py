"""The township's register of supervision letters and replies across ledgers: ``letters``.

Reads every ledger under PATHS read-only (store/sweep.py), as ``overdue`` and ``stats`` do: names
the ledgers it could not read on stderr and then exits 1 (SPEC 6).
"""

from functools import partial

from shuoshi_cli.cli.app import STATE, JsonOpt, app, command, note
from shuoshi_cli.cli.month import (
    AsOfOpt,
    FromOpt,
    MonthOpt,
    PathsArg,
    PeriodOpt,
    ToOpt,
    finish,
    period_of,
    read_sweep,
)
from shuoshi_cli.core import messages


@command(app, "letters")
def letters_command(
    paths: PathsArg,
    month: MonthOpt = None,
    as_of: AsOfOpt = None,
    period: PeriodOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    json: JsonOpt = False,
) -> None:
    """列出本月（或 --month、--as-of 所指期间）发出的每一封督办函及村里的回复情况。

    例：shuoshi letters --month 2026-11 ledgers/"""
    from shuoshi_cli.core.replies import letters_report
    from shuoshi_cli.formats.render import console, print_json
    from shuoshi_cli.formats.replies import letters_json, letters_table
    from shuoshi_cli.store.replies import replies_work

    scope = period_of(month, as_of, period, start, end)
    result = read_sweep(paths, partial(replies_work, scope))
    report = letters_report(scope, (item for _, _, found in result.results for item in found))
    if json:
        print_json(letters_json(report))
    else:
        if not report.letters:
            note(messages.text("replies_none", STATE.lang))
        console().print(letters_table(report, STATE.lang))
    finish(result)
