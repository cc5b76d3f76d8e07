"""Copies of one ledger met by the township's sweeps (SPEC 6, issue 14 point 3).

A copy that holds nothing the other lacks (identical, or strictly older: a backup, yesterday's USB
stick) is counted once with a note. Two copies both written since they parted have diverged: the
sweep names both with what each has of its own, counts neither, and exits 1. Copies are built
here the way they happen: a file copied, then each copy written through the command line.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from typer.testing import CliRunner, Result

from conftest import ok
from shuoshi_cli.cli import app

MONTH = ("--month", "2026-11")


def on(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args])


def sweep(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def init(db: Path, village: str = "石境村") -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    ok(on(db, "init", "--village", village, "--township", "宝峰镇", "--county", "靖安县"))


def added(db: Path, *titles: str) -> None:
    for title in titles:
        ok(on(db, "add", title, "--received", "2026-11-02"))


def totals(result: Result) -> int:
    return int(json.loads(result.stdout)["total"]["total"])


def diverged_line(
    path: Path, other: Path, mine: tuple[int, int, int], theirs: tuple[int, ...]
) -> str:
    return (
        f"错误：{path} 与 {other} 是同一本台账的两份副本，分开后两份都写入了新内容"
        f"（{path}：{mine[0]} 件事项是对方没有的，{mine[1]} 件事项有对方没有的记录，"
        f"{mine[2]} 次说事活动对方没有；{other}：{theirs[0]} 件、{theirs[1]} 件、{theirs[2]} 次）；"
        f"两份都未计入，请先用 shuoshi --db {path} merge {other} 合并（再反过来合并一次，两份就一致了）"
    )


def diverged(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The office's file and the USB stick's copy, both written after the copy was made, beside
    another village's ledger that is counted as usual."""
    folder = tmp_path / "ledgers"
    office, stick = folder / "石境村.db", folder / "U盘" / "石境村.db"
    init(office)
    added(office, "村口路灯不亮", "水渠堵塞")
    stick.parent.mkdir()
    shutil.copy(office, stick)
    added(office, "办公室登记的新事项")
    ok(on(office, "close", "1", "--outcome", "resolved", "--result", "已更换灯泡"))
    added(stick, "走访登记的一", "走访登记的二")
    ok(on(stick, "assign", "2", "--owner", "李四", "--due", "2026-11-10", "--date", "2026-11-03"))
    ok(on(stick, "session", "add", "--date", "2026-11-15", "--place", "村文化礼堂"))
    other = folder / "新村.db"
    init(other, "新村")
    added(other, "新村的事项")
    return folder, office, stick


def test_diverged_copies_are_both_named_with_their_own_cases_and_neither_is_counted(
    tmp_path: Path,
) -> None:
    folder, office, stick = diverged(tmp_path)
    lines = [
        diverged_line(stick, office, (2, 1, 1), (1, 1, 0)),
        diverged_line(office, stick, (1, 1, 0), (2, 1, 1)),
    ]
    for command in (("stats", *MONTH, "--json"), ("overdue", *MONTH, "--json")):
        result = sweep(*command, str(folder))
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines() == lines
        json.loads(result.stdout)  # the report of what could be counted is still whole JSON
    stats = sweep("stats", *MONTH, "--by", "village", "--json", str(folder))
    data = json.loads(stats.stdout)
    # Neither copy stands in for the other: only 新村 is counted, nothing dropped or doubled.
    assert data["total"]["total"] == 1
    assert [group["key"] for group in data["groups"]] == ["新村"]
    shown = sweep("stats", *MONTH, str(folder))
    assert shown.exit_code == 1
    assert shown.stderr.splitlines() == lines
    english = sweep("--lang", "en", "overdue", *MONTH, str(folder))
    assert english.exit_code == 1
    assert english.stderr.splitlines()[0] == (
        f"error: {stick} and {office} are two copies of one ledger, both written since they "
        f"parted ({stick}: 2 cases the other lacks, 1 cases with entries the other lacks, 1 talk "
        f"sessions the other lacks; {office}: 1, 1, 0); neither is counted. Join them with "
        f"shuoshi --db {stick} merge {office} (and the other way round, so both copies agree)"
    )


def test_an_export_leaves_diverged_copies_out_and_exits_1(tmp_path: Path) -> None:
    folder, office, stick = diverged(tmp_path)
    result = sweep("export", *MONTH, str(folder), "--csv", "-o", str(tmp_path / "x.csv"), "--json")
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["villages"] == 1
    assert json.loads(result.stdout)["cases"] == 1
    assert str(office) in result.stderr and str(stick) in result.stderr
    assert "1 件事项是对方没有的" in result.stderr and "2 件事项是对方没有的" in result.stderr
    # With nothing else to export, nothing is written and both are still named.
    (folder / "新村.db").unlink()
    alone = sweep("export", *MONTH, str(folder), "--csv", "-o", str(tmp_path / "y.csv"))
    assert alone.exit_code == 1
    assert not (tmp_path / "y.csv").exists()
    assert alone.stderr.count("是同一本台账的两份副本") == 2


def test_a_strictly_older_copy_is_counted_once_with_a_note(tmp_path: Path) -> None:
    folder = tmp_path / "ledgers"
    office, stick = folder / "石境村.db", folder / "U盘" / "石境村.db"
    init(office)
    added(office, "一", "二")
    stick.parent.mkdir()
    shutil.copy(office, stick)
    added(office, "三")
    ok(on(office, "note", "1", "已联系"))
    result = ok(sweep("stats", *MONTH, "--json", str(folder)))
    assert totals(result) == 3
    assert result.stderr == (
        f"提示：跳过 {stick}（是 {office} 的旧副本，内容 {office} 都有，不重复统计）\n"
    )
    # Named the other way round, the newer file is still the one counted.
    again = ok(sweep("stats", *MONTH, "--json", str(office), str(stick)))
    assert totals(again) == 3


def test_an_identical_copy_and_a_dump_loaded_elsewhere_are_counted_once(tmp_path: Path) -> None:
    folder = tmp_path / "ledgers"
    office = folder / "石境村.db"
    init(office)
    added(office, "一", "二")
    (folder / "U盘").mkdir()
    shutil.copy(office, folder / "U盘" / "石境村.db")
    ok(on(office, "dump", "-o", str(tmp_path / "dump.json")))
    (folder / "恢复").mkdir()
    ok(on(folder / "恢复" / "石境村.db", "load", str(tmp_path / "dump.json")))
    result = ok(sweep("stats", *MONTH, "--json", str(folder)))
    assert totals(result) == 2
    notes = result.stderr.splitlines()
    assert len(notes) == 2
    assert all("内容相同，是同一本台账的副本，不重复统计" in line for line in notes)


def test_copies_of_an_empty_ledger_are_one_village(tmp_path: Path) -> None:
    folder = tmp_path / "ledgers"
    office = folder / "石境村.db"
    init(office)
    (folder / "U盘").mkdir()
    shutil.copy(office, folder / "U盘" / "石境村.db")
    result = ok(
        sweep("export", *MONTH, str(folder), "--csv", "-o", str(tmp_path / "x.csv"), "--json")
    )
    assert json.loads(result.stdout)["villages"] == 1
    assert "内容相同，是同一本台账的副本" in result.stderr
    # Two villages initialised on their own are two ledgers, empty or not.
    init(folder / "新村.db", "新村")
    both = ok(
        sweep("export", *MONTH, str(folder), "--csv", "-o", str(tmp_path / "y.csv"), "--json")
    )
    assert json.loads(both.stdout)["villages"] == 2


def _made_before_ledger_ids(db: Path) -> None:
    """A file as shuoshi wrote it before ledgers had their own id."""
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM meta WHERE key = 'ledger_id'")
    connection.close()


def test_older_files_without_a_ledger_id_are_told_apart_by_first_case_then_village(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "ledgers"
    office, empty, stick = (
        folder / "石境村.db",
        folder / "空" / "石境村.db",
        folder / "U盘" / "石境村.db",
    )
    init(office)
    _made_before_ledger_ids(office)
    empty.parent.mkdir()
    shutil.copy(office, empty)  # copied before the first case
    added(office, "一")
    stick.parent.mkdir()
    shutil.copy(office, stick)
    added(office, "二")
    result = ok(sweep("stats", *MONTH, "--json", str(folder)))
    assert totals(result) == 2
    assert sorted(result.stderr.splitlines()) == sorted(
        [
            f"提示：跳过 {empty}（是 {office} 的旧副本，内容 {office} 都有，不重复统计）",
            f"提示：跳过 {stick}（是 {office} 的旧副本，内容 {office} 都有，不重复统计）",
        ]
    )
    added(stick, "U盘上的")
    split = sweep("stats", *MONTH, "--json", str(folder))
    assert split.exit_code == 1
    assert totals(split) == 0
    assert f"提示：跳过 {empty}" in split.stderr
    assert split.stderr.count("是同一本台账的两份副本") == 2


def test_a_ledger_copied_to_start_another_village_is_not_a_copy(tmp_path: Path) -> None:
    """Files that share a ledger id but name other villages (a ledger copied and renamed, as the
    benchmark county is made) are separate villages: each counted, no copy compared."""
    folder = tmp_path / "ledgers"
    first = folder / "石境村.db"
    init(first)
    added(first, "村口路灯不亮")
    for n, village in enumerate(("双溪村", "周口村"), start=2):
        copy = folder / f"{village}.db"
        shutil.copy(first, copy)
        connection = sqlite3.connect(copy)
        connection.execute("UPDATE meta SET value = ? WHERE key = 'village'", (village,))
        connection.execute("UPDATE cases SET uid = ? || substr(uid, 2)", (str(n),))
        connection.commit()
        connection.close()
    result = ok(sweep("stats", "--month", "2026-11", str(folder), "--by", "village", "--json"))
    assert sorted(g["key"] for g in json.loads(result.stdout)["groups"]) == [
        "双溪村", "周口村", "石境村",
    ]  # fmt: skip
    assert totals(result) == 3
    assert result.stderr == ""
