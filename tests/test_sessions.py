"""``session list``: one ledger or many, over a period, with the matters raised at each session
(SPEC 3 and 4; issue 13 point 4)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import folder_state, ok, out, refused, refused_json
from shuoshi_cli.cli import app
from shuoshi_cli.formats.table import Screen
from shuoshi_cli.store.migrations import LATEST

HEADING = "编号\t日期\t说事点\t主题\t主持人\t事项数"
SWEPT_HEADING = f"村\t{HEADING}"


def cli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args])


def sweep(*args: str) -> Result:
    """A command that reads PATHS; its --db names no file, and must not need one."""
    return CliRunner().invoke(app, ["--db", "不存在.db", *args])


def as_json(result: Result) -> Any:
    return json.loads(out(result))


def lines(result: Result) -> list[str]:
    return out(result).splitlines()


def on_a_terminal(monkeypatch: pytest.MonkeyPatch, width: int = 80) -> None:
    monkeypatch.setattr(Screen, "is_terminal", property(lambda self: True))
    monkeypatch.setenv("COLUMNS", str(width))


def init(db: Path, village: str, township: str) -> None:
    ok(cli(db, "init", "--village", village, "--township", township, "--county", "靖安县"))


def session(db: Path, day: str, place: str, topic: str, host: str) -> None:
    ok(cli(db, "session", "add", "--date", day, "--place", place, "--topic", topic, "--host", host))


def raise_at(db: Path, number: int, title: str, day: str) -> None:
    ok(cli(db, "add", title, "--session", str(number), "--received", day, "--channel", "talk"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three villages of one county, two of them 新村 in two townships.

    石境村 (宝峰镇): #1 on 28 Sept, #2 on 20 Oct (one matter), #3 on 15 Nov (two matters and a
    third registered in error, void); 宝峰镇 新村: #1 on 15 Nov (one matter); 中源乡 新村: #1 on
    3 Nov (none)."""
    ledgers = tmp_path / "ledgers"
    ledgers.mkdir()
    shijing = ledgers / "石境村.db"
    init(shijing, "石境村", "宝峰镇")
    session(shijing, "2026-09-28", "村文化礼堂", "秋收秋种", "王书记")
    session(shijing, "2026-10-20", "村部", "人居环境整治", "李主任")
    session(shijing, "2026-11-15", "上屋组祠堂", "冬季防火", "王书记")
    raise_at(shijing, 2, "河道垃圾没人清", "2026-10-20")
    raise_at(shijing, 3, "村口路灯不亮", "2026-11-15")
    raise_at(shijing, 3, "山林防火通道堵塞", "2026-11-16")
    raise_at(shijing, 3, "村口路灯不亮（重复登记）", "2026-11-16")
    ok(cli(shijing, "void", "4", "--reason", "重复登记", "--duplicate-of", "2"))
    ok(cli(shijing, "add", "不是在说事会上提的", "--received", "2026-11-16"))
    baofeng = ledgers / "宝峰镇" / "新村.db"
    baofeng.parent.mkdir()
    init(baofeng, "新村", "宝峰镇")
    session(baofeng, "2026-11-15", "村委会", "饮水安全", "况小明")
    raise_at(baofeng, 1, "自来水浑浊", "2026-11-15")
    zhongyuan = ledgers / "中源乡" / "新村.db"
    zhongyuan.parent.mkdir()
    init(zhongyuan, "新村", "中源乡")
    session(zhongyuan, "2026-11-03", "祠堂说事点", "产业发展", "熊卫东")
    return ledgers


def _shijing(folder: Path) -> Path:
    return folder / "石境村.db"


# ---------------------------------------------------------------- one ledger


def test_one_ledger_lists_every_session_with_the_matters_raised(folder: Path) -> None:
    assert lines(cli(_shijing(folder), "session", "list")) == [
        HEADING,
        "1\t2026-09-28\t村文化礼堂\t秋收秋种\t王书记\t0",
        "2\t2026-10-20\t村部\t人居环境整治\t李主任\t1",
        "3\t2026-11-15\t上屋组祠堂\t冬季防火\t王书记\t2",  # the void case is not counted
    ]


def test_a_void_case_counts_again_once_restored(folder: Path) -> None:
    db = _shijing(folder)
    ok(cli(db, "restore", "4", "--reason", "并非重复"))
    assert lines(cli(db, "session", "list", "--month", "2026-11"))[1:] == [
        "3\t2026-11-15\t上屋组祠堂\t冬季防火\t王书记\t3"
    ]
    ok(cli(db, "void", "4", "--reason", "重复登记", "--duplicate-of", "2"))
    assert as_json(cli(db, "session", "list", "--month", "2026-11", "--json"))[0]["raised"] == 2


@pytest.mark.parametrize(
    ("period", "ids"),
    [
        (("--month", "2026-11"), ["3"]),
        (("--month", "2026-10"), ["2"]),
        (("--month", "2026-09"), ["1"]),
        (("--as-of", "2026-11-15"), ["3"]),  # held on the day counts
        (("--period", "2026-Q4"), ["2", "3"]),
        (("--period", "2026-Q3"), ["1"]),
        (("--period", "2026"), ["1", "2", "3"]),
        (("--from", "2026-09-28", "--to", "2026-10-20"), ["1", "2"]),  # both ends in
        (("--from", "2026-09-29", "--to", "2026-11-14"), ["2"]),
        (("--from", "2026-10-21"), ["3"]),  # --to defaults to today
    ],
)
def test_one_ledger_over_a_period(folder: Path, period: tuple[str, ...], ids: list[str]) -> None:
    rows = lines(cli(_shijing(folder), "session", "list", *period))
    assert rows[0] == HEADING
    assert [row.split("\t")[0] for row in rows[1:]] == ids


def test_a_period_with_no_session_is_its_heading_row_alone(folder: Path) -> None:
    result = ok(cli(_shijing(folder), "session", "list", "--as-of", "2026-11-14"))
    assert result.stdout == HEADING + "\n"
    assert result.stderr == "2026年11月没有说事活动\n"
    english = ok(cli(_shijing(folder), "--lang", "en", "session", "list", "--month", "2026-08"))
    assert english.stdout == "ID\tdate\tplace\ttopic\thost\traised\n"
    assert english.stderr == "no talk sessions in 2026-08\n"


def test_one_ledger_json_carries_raised(folder: Path) -> None:
    assert as_json(cli(_shijing(folder), "session", "list", "--period", "2026-Q4", "--json")) == [
        {
            "id": 2,
            "date": "2026-10-20",
            "place": "村部",
            "topic": "人居环境整治",
            "host": "李主任",
            "raised": 1,
        },
        {
            "id": 3,
            "date": "2026-11-15",
            "place": "上屋组祠堂",
            "topic": "冬季防火",
            "host": "王书记",
            "raised": 2,
        },
    ]
    assert [s["id"] for s in as_json(cli(_shijing(folder), "session", "list", "--json"))] == [
        1,
        2,
        3,
    ]


def test_one_ledger_on_an_80_column_screen(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch)
    assert out(cli(_shijing(folder), "session", "list", "--period", "2026-Q4")) == (
        "2026年第四季度说事活动\n"
        "编号  日期        说事点      主题          主持人  事项数\n"
        "2     2026-10-20  村部        人居环境整治  李主任       1\n"
        "3     2026-11-15  上屋组祠堂  冬季防火      王书记       2\n"
        "2 次说事活动，提出事项 3 件\n"
    )
    assert out(cli(_shijing(folder), "session", "list")).splitlines()[0] == "说事活动"
    empty = ok(cli(_shijing(folder), "session", "list", "--month", "2026-08"))
    assert (empty.stdout, empty.stderr) == ("2026年8月没有说事活动\n", "")


def test_period_options_are_refused_as_elsewhere(folder: Path) -> None:
    db = _shijing(folder)
    refused(cli(db, "session", "list", "--to", "2026-11-01"), "--to 要和 --from 一起用")
    refused(cli(db, "session", "list", "--month", "2026-12"), "2026-12 还没到，不能统计未来的月份")
    refused(
        cli(db, "session", "list", "--month", "2026-11", "--period", "2026"),
        "--month、--as-of、--period、--from 只能用一个",
    )
    refused_json(
        cli(db, "session", "list", "--month", "2026-12", "--json"),
        "bad_input",
        "2026-12 还没到，不能统计未来的月份",
    )


# ---------------------------------------------------------------- many ledgers


def test_many_ledgers_default_to_this_month_with_the_village(folder: Path) -> None:
    before = folder_state(_shijing(folder).parent)
    assert lines(sweep("session", "list", str(folder))) == [
        SWEPT_HEADING,
        "中源乡/新村\t1\t2026-11-03\t祠堂说事点\t产业发展\t熊卫东\t0",
        "宝峰镇/新村\t1\t2026-11-15\t村委会\t饮水安全\t况小明\t1",
        "石境村\t3\t2026-11-15\t上屋组祠堂\t冬季防火\t王书记\t2",
    ]
    assert folder_state(_shijing(folder).parent) == before  # read-only


def test_many_ledgers_over_a_quarter_in_json(folder: Path) -> None:
    found = as_json(sweep("session", "list", "--period", "2026-Q4", str(folder), "--json"))
    assert found == [
        {
            "id": 2,
            "date": "2026-10-20",
            "place": "村部",
            "topic": "人居环境整治",
            "host": "李主任",
            "raised": 1,
            "village": "石境村",
            "township": "宝峰镇",
            "county": "靖安县",
        },
        {
            "id": 1,
            "date": "2026-11-03",
            "place": "祠堂说事点",
            "topic": "产业发展",
            "host": "熊卫东",
            "raised": 0,
            "village": "新村",
            "township": "中源乡",
            "county": "靖安县",
        },
        {
            "id": 1,
            "date": "2026-11-15",
            "place": "村委会",
            "topic": "饮水安全",
            "host": "况小明",
            "raised": 1,
            "village": "新村",
            "township": "宝峰镇",
            "county": "靖安县",
        },
        {
            "id": 3,
            "date": "2026-11-15",
            "place": "上屋组祠堂",
            "topic": "冬季防火",
            "host": "王书记",
            "raised": 2,
            "village": "石境村",
            "township": "宝峰镇",
            "county": "靖安县",
        },
    ]


def test_many_ledgers_over_a_range_and_files_named_one_by_one(folder: Path) -> None:
    named = [str(_shijing(folder)), str(folder / "中源乡" / "新村.db")]
    rows = lines(sweep("session", "list", "--from", "2026-09-28", "--to", "2026-11-03", *named))
    assert rows == [
        SWEPT_HEADING,
        "石境村\t1\t2026-09-28\t村文化礼堂\t秋收秋种\t王书记\t0",
        "石境村\t2\t2026-10-20\t村部\t人居环境整治\t李主任\t1",
        "新村\t1\t2026-11-03\t祠堂说事点\t产业发展\t熊卫东\t0",  # only one 新村 read
    ]
    result = ok(sweep("session", "list", "--month", "2026-09", str(folder / "中源乡")))
    assert (result.stdout, result.stderr) == (SWEPT_HEADING + "\n", "2026年9月没有说事活动\n")


def test_many_ledgers_on_an_80_column_screen(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on_a_terminal(monkeypatch)
    assert out(sweep("session", "list", "--period", "2026-Q4", str(folder))) == (
        "2026年第四季度说事活动\n"
        "村           编号  日期        说事点      主题          主持人  事项数\n"
        "石境村       2     2026-10-20  村部        人居环境整治  李主任       1\n"
        "中源乡/新村  1     2026-11-03  祠堂说事点  产业发展      熊卫东       0\n"
        "宝峰镇/新村  1     2026-11-15  村委会      饮水安全      况小明       1\n"
        "石境村       3     2026-11-15  上屋组祠堂  冬季防火      王书记       2\n"
        "4 次说事活动，提出事项 4 件\n"
    )
    for line in out(sweep("session", "list", "--period", "2026", str(folder))).splitlines():
        assert len(line) + sum(ord(c) > 0x2E80 for c in line) <= 80, line


def test_many_ledgers_in_english(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert lines(sweep("--lang", "en", "session", "list", str(folder)))[0] == (
        "village\tID\tdate\tplace\ttopic\thost\traised"
    )
    on_a_terminal(monkeypatch)
    assert out(sweep("--lang", "en", "session", "list", "--month", "2026-10", str(folder))) == (
        "talk sessions, 2026-10\n"
        "village  ID  date        place  topic         host    raised\n"
        "石境村   2   2026-10-20  村部   人居环境整治  李主任       1\n"
        "talk sessions: 1, matters raised at them: 1\n"
    )


def test_an_unreadable_ledger_is_named_after_the_list_and_exits_1(folder: Path) -> None:
    newer = folder / "周口村.db"
    init(newer, "周口村", "宝峰镇")
    session(newer, "2026-11-05", "周口祠堂", "产业发展", "熊卫东")
    connection = sqlite3.connect(newer)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    (folder / "说明.db").write_text("这不是台账\n", encoding="utf-8")
    before = folder_state(folder)
    result = sweep("session", "list", "--month", "2026-10", str(folder))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        SWEPT_HEADING,
        "石境村\t2\t2026-10-20\t村部\t人居环境整治\t李主任\t1",
    ]
    assert result.stderr.splitlines() == [
        f"提示：跳过 {folder / '说明.db'}（说明.db 不是说事台账文件，未做任何改动）",
        f"错误：{newer} 读取失败：周口村.db 由更新版本的 shuoshi 写入（格式 99，本程序支持到 "
        f"{LATEST}），请升级 shuoshi；文件未改动",
    ]
    as_data = sweep("session", "list", "--month", "2026-10", str(folder), "--json")
    assert as_data.exit_code == 1
    assert [s["village"] for s in json.loads(as_data.stdout)] == ["石境村"]
    assert str(newer) in as_data.stderr
    assert folder_state(folder) == before


def test_a_missing_path_is_refused(tmp_path: Path) -> None:
    refused(sweep("session", "list", str(tmp_path / "没有")), f"找不到 {tmp_path / '没有'}")
