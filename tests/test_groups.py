"""Groups and rounding of ``stats`` (SPEC 3 and 4): every ledger read is a row of ``--by village``,
villages are county + township + village, owners are village + owner, and every share is rounded
on its own with its count beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from shuoshi_cli.cli import app

COUNTY = "靖安县"
MONTH = ("--month", "2026-10")


def cli(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def ledger(folder: Path, village: str, township: str = "宝峰镇", name: str | None = None) -> Path:
    db = folder / f"{name or village}.db"
    folder.mkdir(exist_ok=True)
    cli("--db", str(db), "init", "--village", village, "--township", township, "--county", COUNTY)
    return db


def case(db: Path, outcome: str | None = None, owner: str | None = None) -> None:
    """A case received on 10-05 (with an owner), closed on 10-10 with ``outcome`` if given."""
    extra = ("--owner", owner, "--due", "2026-10-20") if owner else ()
    added = cli("--db", str(db), "add", "事项", "--received", "2026-10-05", *extra)
    number = added.stdout.strip()
    if outcome is not None:
        cli("--db", str(db), "close", number, "--outcome", outcome, "--result", "已办",
            "--date", "2026-10-10")  # fmt: skip


def stats(folder: Path, *args: str) -> Any:
    return json.loads(cli("stats", *MONTH, str(folder), *args, "--json").stdout)


def keyed(groups: list[dict[str, Any]]) -> list[tuple[Any, int, Any]]:
    return [(g["key"], g["total"], g["rank"]) for g in groups]


NOTHING = {
    "total": 0, "closed": 0, "open": 0, "overdue": 0, "closed_late": 0, "escalated": 0,
    "supervised": 0, "carried_over": 0, "received": 0, "feedback": 0, "answered": 0,
    "satisfied": 0, "ontime": 0, "closeout_rate": None, "feedback_rate": None,
    "satisfaction_rate": None, "ontime_rate": None, "avg_days_to_close": None,
    "outcomes": {
        "resolved": {"count": 0, "share": None},
        "planned_or_open": {"count": 0, "share": None},
        "explained": {"count": 0, "share": None},
    },
    "sessions": 0, "raised_at_sessions": 0,
}  # fmt: skip


def test_a_ledger_with_nothing_in_scope_is_listed_with_total_0(tmp_path: Path) -> None:
    folder = tmp_path / "ledgers"
    case(ledger(folder, "石境村"), "resolved")
    ledger(folder, "塘里村")  # handed in, nothing in October
    data = stats(folder, "--by", "village")
    assert keyed(data["groups"]) == [("塘里村", 0, None), ("石境村", 1, None)]
    assert data["groups"][0] == {"key": "塘里村", **NOTHING, "rank": None}
    assert data["total"]["total"] == 1
    # On screen: the village is there, its rates "—".
    shown = cli("stats", *MONTH, str(folder), "--by", "village").stdout
    row = next(line.split("\t") for line in shown.splitlines() if "塘里村" in line)
    assert row == ["不足5件", "塘里村", "0 (0+0)", *["—"] * 5, "0", "0", *["—"] * 3, "0 (0)"]
    # A township whose ledgers have nothing in scope is a group of --by township too.
    ledger(folder, "中源村", "中源乡")
    towns = stats(folder, "--by", "township")
    assert keyed(towns["groups"]) == [("中源乡", 0, None), ("宝峰镇", 1, None)]


def test_two_xincun_in_two_townships_are_two_groups(tmp_path: Path) -> None:
    folder = tmp_path / "ledgers"
    baofeng = ledger(folder, "新村", "宝峰镇", "宝峰镇新村")
    for outcome in ("resolved", "resolved", None):
        case(baofeng, outcome)
    case(ledger(folder, "新村", "中源乡", "中源乡新村"), "explained")
    case(ledger(folder, "石境村"))
    data = stats(folder, "--by", "village")
    assert keyed(data["groups"]) == [("中源乡/新村", 1, None), ("宝峰镇/新村", 3, None),
                                     ("石境村", 1, None)]  # fmt: skip
    groups = {g["key"]: g for g in data["groups"]}
    assert groups["宝峰镇/新村"]["closeout_rate"] == 2 / 3
    assert groups["中源乡/新村"]["outcomes"]["explained"] == {"count": 1, "share": 1.0}
    towns = stats(folder, "--by", "township")
    assert keyed(towns["groups"]) == [("中源乡", 1, None), ("宝峰镇", 4, None)]
    shown = cli("stats", *MONTH, str(folder), "--by", "village").stdout
    assert "中源乡/新村\t1 (0+1)\t100.0% (1/1)" in shown
    assert "宝峰镇/新村\t3 (0+3)\t66.7% (2/3)" in shown
    # The workbook names them alike, beside their township.
    target = tmp_path / "台账.xlsx"
    cli("export", *MONTH, str(folder), "-o", str(target))
    summary = load_workbook(target)["汇总表"]
    names = [r[:4] for r in summary.iter_rows(min_row=4, values_only=True) if r[2]]
    assert names == [
        (None, "中源乡", "中源乡/新村", 0),
        (None, "宝峰镇", "宝峰镇/新村", 0),
        (None, "宝峰镇", "石境村", 0),
        (None, "中源乡", "小计", 0),
        (None, "宝峰镇", "小计", 0),
        (None, None, "合计", 0),
    ]


def test_by_owner_keeps_the_same_owner_of_two_villages_apart(tmp_path: Path) -> None:
    folder = tmp_path / "ledgers"
    shijing = ledger(folder, "石境村")
    case(shijing, "resolved", owner="村主任")
    case(shijing, owner="村主任")
    case(shijing)  # no owner
    case(ledger(folder, "周坊村"), "resolved", owner="村主任")
    data = stats(folder, "--by", "owner")
    assert keyed(data["groups"]) == [("周坊村/村主任", 1, None), ("石境村/", 1, None),
                                     ("石境村/村主任", 2, None)]  # fmt: skip
    groups = {g["key"]: g for g in data["groups"]}
    assert groups["石境村/村主任"]["closeout_rate"] == 1 / 2
    assert groups["周坊村/村主任"]["closeout_rate"] == 1.0
    shown = cli("stats", *MONTH, str(folder), "--by", "owner").stdout
    assert "石境村/（未填）\t" in shown
    # One village read: its owners by their plain names.
    alone = stats(shijing, "--by", "owner")
    assert keyed(alone["groups"]) == [(None, 1, None), ("村主任", 2, None)]


def test_four_ninths_is_44_4_percent_on_screen_in_json_and_in_the_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "ledgers"
    db = ledger(folder, "石境村")
    for outcome in ["resolved"] * 4 + [None] * 4 + ["explained"]:
        case(db, outcome)
    data = stats(folder)
    assert data["total"]["outcomes"] == {
        "resolved": {"count": 4, "share": 4 / 9},
        "planned_or_open": {"count": 4, "share": 4 / 9},
        "explained": {"count": 1, "share": 1 / 9},
    }
    shown = cli("stats", *MONTH, str(folder)).stdout
    total = next(line.split("\t") for line in shown.splitlines() if "合计" in line)
    # Each share rounded on its own, its count beside it: 99.9% in all, as SPEC 4 allows.
    assert total[-4:] == ["44.4% (4)", "44.4% (4)", "11.1% (1)", "0 (0)"]
    target = tmp_path / "台账.xlsx"
    cli("export", *MONTH, str(folder), "-o", str(target))
    summary = load_workbook(target)["汇总表"]
    heads = [c.value for c in summary[3]]
    row = summary[4]
    assert row[heads.index("村（社区）")].value == "石境村"
    for heading, want in (("已解决占比", 4 / 9), ("列入计划或在办占比", 4 / 9),
                          ("已解释说明占比", 1 / 9)):  # fmt: skip
        cell = row[heads.index(heading)]
        assert abs(cell.value - want) < 1e-15 and cell.number_format == "0.0%", heading
