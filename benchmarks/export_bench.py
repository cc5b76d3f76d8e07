"""Write a month workbook of N synthetic cases with shuoshi (``ours``) or plain openpyxl write-only
writing the same rows (``floor``), for benchmarks/run.py to time in a child process.

The same rows: the summary (one per village and the total), every village's cases, and the
督办清单 (overdue and supervised cases), as plain values in plain sheets: no titles, widths, styles,
formula guards or chart.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from shuoshi_cli.core.case import Case
from shuoshi_cli.core.codes import Outcome, Satisfaction, Status
from shuoshi_cli.core.figures import (
    ScopedCase,
    Tally,
    figures_of,
    overdue_report,
    tally_of,
)
from shuoshi_cli.core.periods import month_scope
from shuoshi_cli.formats.excel import (
    VillageMonth,
    _summary_row,
    _supervision_rows,
    _village_row,
    write_workbook,
)

VILLAGES = 100


def villages(count: int) -> list[VillageMonth]:
    made = []
    for v in range(VILLAGES):
        cases = []
        for i in range(count // VILLAGES):
            closed = i % 3 != 0
            case = Case(
                id=i + 1, uid=f"u{v}-{i}", title="村口路灯不亮，群众反映多次", reporter="张三",
                phone="13800000000", category="基础设施", received_on=date(2026, 10, 1) + timedelta(days=i % 30),
                owner="李四", deadline=date(2026, 10, 5) + timedelta(days=i % 30),
                status=Status.CLOSED if closed else Status.OPEN,
                outcome=Outcome.RESOLVED if closed else None, result="已更换灯泡" if closed else None,
                closed_on=date(2026, 10, 6) + timedelta(days=i % 25) if closed else None,
                feedback_on=date(2026, 10, 7) + timedelta(days=i % 24) if closed else None,
                satisfaction=Satisfaction.SATISFIED if closed else None,
            )  # fmt: skip
            cases.append(ScopedCase(f"村{v}", "宝峰镇", case, i % 10 == 0))
        made.append(VillageMonth(f"村{v}", "宝峰镇", cases))
    return made


def main() -> None:
    mode, count, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    scope = month_scope("2026-10", None, date(2026, 11, 27))
    data = villages(count)
    if mode == "ours":
        write_workbook(folder / "ours.xlsx", data, scope)
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("汇总表")
    tallies = [tally_of(v.cases, scope.as_of) for v in data]
    for village, tally in zip(data, tallies, strict=True):
        summary.append(_summary_row(None, village.township, village.village, figures_of(tally)))
    summary.append(_summary_row(None, "", "合计", figures_of(sum(tallies, Tally()))))
    for village in data:
        sheet = workbook.create_sheet(village.village)
        for number, item in enumerate(village.cases, start=1):
            sheet.append(_village_row(number, item, scope, False))
    items = [c for v in data for c in v.cases]
    listing = workbook.create_sheet("督办清单")
    for row in _supervision_rows(items, overdue_report(items, scope), scope, False):
        listing.append(row)
    workbook.save(folder / "floor.xlsx")


if __name__ == "__main__":
    main()
