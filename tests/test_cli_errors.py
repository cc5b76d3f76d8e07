"""Bad input through the command line (SPEC 1, 2, 3 and 6).

Every refusal must: exit 1 (2 for usage errors), print exactly one line on stderr that starts with
"错误：" ("error: " in English) and holds no traceback, print nothing on stdout (with ``--json``: only
``{"error": CODE, "message": TEXT}`` on stdout), and leave every file in the folder byte for byte as
it was - no new ledger, no journal, no temporary file.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import TODAY, Run, ok, refused, refused_json, shuoshi
from shuoshi_cli.cli import app
from shuoshi_cli.store.migrations import LATEST

Snapshot = dict[str, str]

BAD_DATE_ZH = "看不懂日期“明年”，可写 2026-11-30、2026年11月30日、11月30日、今天、明天、+7d、+2w、+1m、+5wd 或 5个工作日"
BAD_PHONE_ZH = "联系电话格式不对：应为 11 位手机号，或 0 开头带区号的座机号（如 0795-4621234）"
BAD_PHONE_EN = (
    "invalid phone number: give an 11-digit mobile or a landline with area code (e.g. 0795-4621234)"
)
INVALID_PHONES = ("12345", "1380000000", "23800000000")


# ---------------------------------------------------------------- helpers


def snapshot(folder: Path) -> Snapshot:
    """Every file in the folder (recursively) and the sha256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def usage_error(result: Result) -> None:
    """Exit 2, usage text on stderr only, no traceback."""
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert result.stderr.strip()


def proc_refused(
    proc: subprocess.CompletedProcess[str], message: str | None = None, *, lang: str = "zh"
) -> str:
    """The same contract for a real subprocess."""
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    prefix = "错误：" if lang == "zh" else "error: "
    assert lines[0].startswith(prefix), lines[0]
    text = lines[0][len(prefix) :]
    if message is not None:
        assert text == message
    return text


# ---------------------------------------------------------------- fixtures


BOOK_STEPS: list[tuple[str, ...]] = [
    ("init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县"),
    ("add", "村口路灯不亮", "--reporter", "张三", "--phone", "13800000000"),
    ("assign", "1", "--owner", "李四", "--due", "2026-12-04"),
    ("add", "垃圾清运不及时", "--category", "环境卫生"),
    ("close", "2", "--outcome", "resolved", "--result", "已清运"),
]


@pytest.fixture(scope="module")
def book_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per module (the autouse env fixture is per test, so the env is given here)."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "石境村.db"
    env: dict[str, str | None] = {
        "HOME": str(folder / "home"),
        "SHUOSHI_TODAY": TODAY,
        "SHUOSHI_USER": "测试员",
        "SHUOSHI_LANG": None,
        "SHUOSHI_CALENDAR": None,
        "SHUOSHI_DB": None,
    }
    runner = CliRunner()
    for step in BOOK_STEPS:
        result = runner.invoke(app, ["--db", str(path), *step], env=env)
        assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def book(run: Run, db: Path, book_template: Path) -> Run:
    """A ledger with case 1 open (assigned, with a reporter) and case 2 closed, both received today."""
    shutil.copyfile(book_template, db)
    return run


def _text_file(path: Path) -> None:
    path.write_text("这是一份会议记录，不是台账。\nminutes of the meeting\n", encoding="utf-8")


def _empty_file(path: Path) -> None:
    path.write_bytes(b"")


def _other_sqlite(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('王五', '13912345678')")
    connection.commit()
    connection.close()


def _other_sqlite_wal(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE messages (body TEXT)")
    connection.execute("INSERT INTO messages VALUES ('你好')")
    connection.commit()
    connection.close()


FOREIGN_FILES: dict[str, Callable[[Path], None]] = {
    "text": _text_file,
    "empty": _empty_file,
    "sqlite": _other_sqlite,
    "sqlite-wal": _other_sqlite_wal,
}

ONE_LEDGER_COMMANDS: list[tuple[str, ...]] = [
    ("list",),
    ("show", "1"),
    ("history", "1"),
    ("add", "村口路灯不亮"),
    ("assign", "1", "--owner", "李四"),
    ("close", "1", "--outcome", "resolved", "--result", "已更换灯泡"),
    ("session", "list"),
]


# ---------------------------------------------------------------- missing ledger file


@pytest.mark.parametrize("args", ONE_LEDGER_COMMANDS, ids=lambda a: a[0] + "-" + a[-1])
def test_missing_ledger_is_refused_and_not_created(
    run: Run, db: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    before = snapshot(tmp_path)
    message = f"找不到台账文件 {db}；新建请用 shuoshi init，或用 --db 指定文件"
    refused(run(*args), message)
    refused_json(run(*args, "--json"), "not_found", message)
    assert not db.exists()
    assert snapshot(tmp_path) == before


def test_missing_default_ledger_is_not_created(tmp_path: Path) -> None:
    """No --db and no SHUOSHI_DB: ./shuoshi.db is used, and a missing one stays missing."""
    result = CliRunner().invoke(app, ["add", "村口路灯不亮"])
    refused(result, "找不到台账文件 shuoshi.db；新建请用 shuoshi init，或用 --db 指定文件")
    assert not (tmp_path / "shuoshi.db").exists()
    assert snapshot(tmp_path) == {}


def test_missing_ledger_named_by_environment_is_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "宝峰镇" / "石境村.db"
    target.parent.mkdir()
    monkeypatch.setenv("SHUOSHI_DB", str(target))
    result = CliRunner().invoke(app, ["list"])
    refused(result, f"找不到台账文件 {target}；新建请用 shuoshi init，或用 --db 指定文件")
    assert not target.exists()


def test_a_folder_given_as_ledger_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "台账"
    folder.mkdir()
    result = CliRunner().invoke(app, ["--db", str(folder), "list"])
    refused(result, f"{folder} 是文件夹，不是台账文件")
    assert snapshot(tmp_path) == {}


# ---------------------------------------------------------------- not a ledger, newer schema


@pytest.mark.parametrize("args", ONE_LEDGER_COMMANDS, ids=lambda a: a[0] + "-" + a[-1])
@pytest.mark.parametrize("kind", list(FOREIGN_FILES))
def test_file_that_is_not_a_ledger_is_refused_untouched(
    run: Run, db: Path, tmp_path: Path, kind: str, args: tuple[str, ...]
) -> None:
    FOREIGN_FILES[kind](db)
    before = snapshot(tmp_path)
    message = f"{db.name} 不是说事台账文件，未做任何改动"
    refused(run(*args), message)
    refused_json(run(*args, "--json"), "not_a_ledger", message)
    assert snapshot(tmp_path) == before


@pytest.fixture
def newer(book: Run, db: Path, tmp_path: Path) -> Path:
    """A copy of a real ledger whose schema version claims a future shuoshi."""
    copy = tmp_path / "新版本.db"
    shutil.copyfile(db, copy)
    connection = sqlite3.connect(copy)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    return copy


@pytest.mark.parametrize("args", ONE_LEDGER_COMMANDS, ids=lambda a: a[0] + "-" + a[-1])
def test_ledger_with_newer_schema_is_refused_untouched(
    newer: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    runner = CliRunner()
    before = snapshot(tmp_path)
    message = (
        f"{newer.name} 由更新版本的 shuoshi 写入（格式 99，本程序支持到 {LATEST}），"
        "请升级 shuoshi；文件未改动"
    )
    refused(runner.invoke(app, ["--db", str(newer), *args]), message)
    refused_json(runner.invoke(app, ["--db", str(newer), *args, "--json"]), "newer_format", message)
    assert snapshot(tmp_path) == before


def test_truncated_ledger_is_refused_as_corrupt(book: Run, db: Path, tmp_path: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    before = snapshot(tmp_path)
    message = f"台账文件 {db.name} 已损坏或不完整，未做任何改动；请用备份恢复"
    refused(book("list", "--status", "all"), message)
    refused_json(book("add", "新事项", "--json"), "corrupt", message)
    assert snapshot(tmp_path) == before


# ---------------------------------------------------------------- init over an existing file


def test_init_over_existing_ledger_is_refused(book: Run, db: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    args = ("init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县")
    message = f"台账文件 {db} 已存在，不会覆盖"
    refused(book(*args), message)
    refused_json(book(*args, "--json"), "bad_input", message)
    # Nothing replaced, no temporary file left beside it.
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", ["text", "empty", "sqlite"])
def test_init_over_other_file_is_refused(run: Run, db: Path, tmp_path: Path, kind: str) -> None:
    FOREIGN_FILES[kind](db)
    before = snapshot(tmp_path)
    refused(
        run("init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县"),
        f"台账文件 {db} 已存在，不会覆盖",
    )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--village", "", "--township", "宝峰镇", "--county", "靖安县"), "村（社区）不能为空"),
        (("--village", "石境村", "--township", "  ", "--county", "靖安县"), "乡镇不能为空"),
        (
            (
                "--village",
                "石境村",
                "--township",
                "宝峰镇",
                "--county",
                "靖安县",
                "--area-code",
                "3609",
            ),
            "统计区划代码应为 12 位数字",
        ),
    ],
    ids=["empty-village", "blank-township", "short-area-code"],
)
def test_init_with_bad_input_creates_nothing(
    run: Run, db: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    refused(run("init", *args), message)
    assert not db.exists()
    assert snapshot(tmp_path) == {}


def test_init_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "没有这个文件夹" / "石境村.db"
    result = CliRunner().invoke(
        app,
        [
            "--db",
            str(target),
            "init",
            "--village",
            "石境村",
            "--township",
            "宝峰镇",
            "--county",
            "靖安县",
        ],
    )
    refused(result, f"文件夹不存在：{target.parent}")
    assert snapshot(tmp_path) == {}


# ---------------------------------------------------------------- bad requests on a real ledger

# (arguments, JSON error code, exact Chinese message or None)
BAD_REQUESTS: list[tuple[tuple[str, ...], str, str | None]] = [
    # unknown case id
    (("show", "9"), "not_found", "没有编号为 9 的事项"),
    (("history", "9"), "not_found", "没有编号为 9 的事项"),
    (("assign", "9", "--owner", "李四"), "not_found", "没有编号为 9 的事项"),
    (("note", "9", "已联系"), "not_found", "没有编号为 9 的事项"),
    (("close", "9", "--outcome", "resolved", "--result", "好"), "not_found", "没有编号为 9 的事项"),
    (("feedback", "9"), "not_found", "没有编号为 9 的事项"),
    (("reopen", "9", "--reason", "又坏了"), "not_found", "没有编号为 9 的事项"),
    (("supervise", "9", "--letter", "宝督〔2026〕1号"), "not_found", "没有编号为 9 的事项"),
    (("add", "新事项", "--session", "9"), "not_found", "没有编号为 9 的说事活动"),
    # bad dates
    (("assign", "1", "--owner", "李四", "--due", "明年"), "bad_input", BAD_DATE_ZH),
    (("add", "新事项", "--due", "明年"), "bad_input", BAD_DATE_ZH),
    (("plan", "1", "列入计划", "--due", "明年"), "bad_input", BAD_DATE_ZH),
    (
        ("close", "1", "--outcome", "resolved", "--result", "好", "--date", "2026-02-30"),
        "bad_input",
        "没有这一天：2026-02-30",
    ),
    (("feedback", "2", "--date", "2026-02-30"), "bad_input", "没有这一天：2026-02-30"),
    (("add", "新事项", "--received", "2026-13-01"), "bad_input", "没有这一天：2026-13-01"),
    (
        ("assign", "1", "--owner", "李四", "--due", "2026-10-01"),
        "bad_input",
        "完成时限 2026-10-01 早于受理日期 2026-11-27",
    ),
    # future dates
    (
        ("close", "1", "--outcome", "resolved", "--result", "好", "--date", "2026-11-28"),
        "bad_input",
        "日期 2026-11-28 还没到，不能登记未来的事",
    ),
    (
        ("close", "1", "--outcome", "resolved", "--result", "好", "--date", "明天"),
        "bad_input",
        "日期 2026-11-28 还没到，不能登记未来的事",
    ),
    (
        ("feedback", "2", "--satisfaction", "satisfied", "--date", "2026-12-01"),
        "bad_input",
        "日期 2026-12-01 还没到，不能登记未来的事",
    ),
    (
        ("add", "新事项", "--received", "2026-11-28"),
        "bad_input",
        "日期 2026-11-28 还没到，不能登记未来的事",
    ),
    (("list", "--month", "2027-01"), "bad_input", "2027-01 还没到，不能统计未来的月份"),
    (("list", "--month", "2026-13"), "bad_input", "看不懂月份“2026-13”，应写成 2026-10"),
    # wrong state
    (
        ("close", "2", "--outcome", "resolved", "--result", "好"),
        "wrong_state",
        "事项 #2 已办结，不能再次销号；如需继续办理请先 reopen",
    ),
    (("feedback", "1"), "wrong_state", "事项 #1 还在办理中，不能登记反馈"),
    (
        ("feedback", "1", "--satisfaction", "satisfied"),
        "wrong_state",
        "事项 #1 还在办理中，不能登记反馈",
    ),
    (("reopen", "1", "--reason", "又坏了"), "wrong_state", "事项 #1 还在办理中，不能重新打开"),
    (
        ("assign", "2", "--owner", "王五"),
        "wrong_state",
        "事项 #2 已办结，不能指派；如需继续办理请先 reopen",
    ),
    (
        ("escalate", "2", "--to", "township", "--reason", "需镇协调"),
        "wrong_state",
        "事项 #2 已办结，不能上报；如需继续办理请先 reopen",
    ),
    (
        ("supervise", "2", "--letter", "宝督〔2026〕1号"),
        "wrong_state",
        "事项 #2 已办结，不能督办；如需继续办理请先 reopen",
    ),
    (
        ("plan", "2", "列入明年计划"),
        "wrong_state",
        "事项 #2 已办结，不能列入计划；如需继续办理请先 reopen",
    ),
    (
        ("escalate", "1", "--to", "village", "--reason", "需协调"),
        "wrong_state",
        "事项 #1 已在村级办理，办理层级没有变化",
    ),
    (
        ("escalate", "1", "--to", "村", "--reason", "需协调"),
        "wrong_state",
        "事项 #1 已在村级办理，办理层级没有变化",
    ),
    (
        ("supervise", "1", "--letter", "宝督〔2026〕1号", "--date", "2026-11-28"),
        "bad_input",
        "日期 2026-11-28 还没到，不能登记未来的事",
    ),
    (
        ("reopen", "2", "--reason", "又坏了", "--date", "2026-11-28"),
        "bad_input",
        "日期 2026-11-28 还没到，不能登记未来的事",
    ),
    (
        ("session", "add", "--date", "2026-11-28"),
        "bad_input",
        "日期 2026-11-28 还没到，不能登记未来的事",
    ),
    (("session", "add", "--date", "明年"), "bad_input", BAD_DATE_ZH),
    (
        ("assign", "1", "--owner", "李四", "--due", "2026-12-04"),
        "wrong_state",
        "事项 #1 没有变化",
    ),
    # empty text
    (("add", ""), "bad_input", "反映事项不能为空"),
    (("add", "   "), "bad_input", "反映事项不能为空"),
    (("add", "\u3000"), "bad_input", "反映事项不能为空"),
    (("note", "1", ""), "bad_input", "办理情况不能为空"),
    (("close", "1", "--outcome", "resolved", "--result", "  "), "bad_input", "办理结果不能为空"),
    (("escalate", "1", "--to", "township", "--reason", ""), "bad_input", "理由不能为空"),
    (("supervise", "1", "--letter", " "), "bad_input", "督办函号不能为空"),
    (("assign", "1", "--owner", ""), "bad_input", "领办责任人不能为空"),
    # invalid phone numbers, anonymous with a reporter
    *[(("add", "新事项", "--phone", p), "bad_input", BAD_PHONE_ZH) for p in INVALID_PHONES],
    (
        ("add", "新事项", "--anonymous", "--reporter", "张三"),
        "bad_input",
        "匿名反映不能登记反映人或联系电话",
    ),
    (
        ("add", "新事项", "--anonymous", "--phone", "13900000000"),
        "bad_input",
        "匿名反映不能登记反映人或联系电话",
    ),
    # bad enum values
    (("close", "1", "--outcome", "maybe", "--result", "好"), "bad_input", None),
    (
        ("close", "1", "--outcome", "planned", "--result", "好"),
        "bad_input",
        "销号结果只能是“已解决”或“已解释说明”；列入计划请用 plan 命令",
    ),
    (
        ("feedback", "2", "--satisfaction", "一般"),
        "bad_input",
        "满意度不能是“一般”，可选：satisfied（满意）、basic（基本满意）、unsatisfied（不满意）",
    ),
    (
        ("add", "新事项", "--kind", "其他"),
        "bad_input",
        "类型不能是“其他”，可选：request（诉求）、suggestion（意见建议）、complaint（投诉举报）、inquiry（咨询）",
    ),
    (
        ("add", "新事项", "--channel", "微信"),
        "bad_input",
        "渠道不能是“微信”，可选：talk（说事点）、app（智慧民生小程序）、visit（志愿者走访）、phone（来电）、tourist（游客）、other（其他）",
    ),
    (
        ("escalate", "1", "--to", "省", "--reason", "需协调"),
        "bad_input",
        "办理层级不能是“省”，可选：village（村级）、township（乡镇）、county（县级）",
    ),
    (
        ("list", "--status", "foo"),
        "bad_input",
        "状态不能是“foo”，可选：open（在办）、closed（已办结）、overdue（超期）、void（作废）、all（全部）",
    ),
    (("list", "--status", "超时"), "bad_input", None),
]


def _request_id(request: tuple[tuple[str, ...], str, str | None]) -> str:
    args, code, _ = request
    return f"{code}:{' '.join(args)}"


@pytest.mark.parametrize(
    ("args", "code", "message"), BAD_REQUESTS, ids=[_request_id(r) for r in BAD_REQUESTS]
)
def test_bad_request_is_refused_and_ledger_unchanged(
    book: Run, tmp_path: Path, args: tuple[str, ...], code: str, message: str | None
) -> None:
    before = snapshot(tmp_path)
    text = refused(book(*args), message)
    refused_json(book(*args, "--json"), code, text)
    assert snapshot(tmp_path) == before


def test_bad_outcome_names_the_value_and_the_field(book: Run) -> None:
    text = refused(book("close", "1", "--outcome", "maybe", "--result", "好"))
    assert text.startswith("办理结果类型不能是“maybe”，可选：")
    assert "resolved（已解决）" in text and "explained（已解释说明）" in text


@pytest.mark.parametrize(
    ("first", "again", "message"),
    [
        ("township", "township", "事项 #1 已在乡镇办理，办理层级没有变化"),
        ("township", "乡镇", "事项 #1 已在乡镇办理，办理层级没有变化"),
        ("county", "county", "事项 #1 已在县级办理，办理层级没有变化"),
        ("county", "县", "事项 #1 已在县级办理，办理层级没有变化"),
    ],
)
def test_escalate_to_the_same_level_is_refused(
    book: Run, tmp_path: Path, first: str, again: str, message: str
) -> None:
    assert book("escalate", "1", "--to", first, "--reason", "村里解决不了").exit_code == 0
    before = snapshot(tmp_path)
    refused(book("escalate", "1", "--to", again, "--reason", "再报"), message)
    refused_json(book("escalate", "1", "--to", again, "--reason", "再报", "--json"), "wrong_state")
    assert snapshot(tmp_path) == before


def test_a_case_handed_back_comes_down_with_its_reason(book: Run) -> None:
    ok(book("escalate", "1", "--to", "county", "--reason", "需县交通局资金"))
    result = ok(book("escalate", "1", "--to", "村", "--reason", "县里退回：村内协调", "--json"))
    assert json.loads(result.stdout)["level"] == "village"
    history = json.loads(ok(book("history", "1", "--json")).stdout)
    levels = [(h["old"], h["new"], h["note"]) for h in history if h["field"] == "level"]
    assert levels[-2:] == [
        ("village", "county", "需县交通局资金"),
        ("county", "village", "县里退回：村内协调"),
    ]


def test_effective_date_before_receipt_or_last_change_is_refused(book: Run, tmp_path: Path) -> None:
    assert book("add", "旧事项", "--received", "2026-11-01").exit_code == 0
    closing = ("close", "3", "--outcome", "explained", "--result", "已解释")
    assert book(*closing, "--date", "2026-11-20").exit_code == 0
    before = snapshot(tmp_path)
    text = refused(
        book("reopen", "3", "--reason", "又坏了", "--date", "2026-11-10"),
        "事项 #3 最近一次记录在 2026-11-20，不能再登记更早的日期 2026-11-10",
    )
    refused_json(
        book("reopen", "3", "--reason", "又坏了", "--date", "2026-11-10", "--json"),
        "wrong_state",
        text,
    )
    refused(
        book("feedback", "3", "--date", "2026-10-31"),
        "日期 2026-10-31 早于受理日期 2026-11-01",
    )
    assert snapshot(tmp_path) == before


def test_add_without_title_and_without_terminal_refuses_instead_of_waiting(
    book: Run, tmp_path: Path
) -> None:
    before = snapshot(tmp_path)
    refused(book("add"), '请写上反映事项，例如：shuoshi add "村口路灯不亮"')
    assert snapshot(tmp_path) == before


def test_bad_shuoshi_today_is_refused(book: Run, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    result = book("list", env={"SHUOSHI_TODAY": "明天"})
    refused(result, "环境变量 SHUOSHI_TODAY 应为 YYYY-MM-DD，现在是“明天”")
    assert snapshot(tmp_path) == before


@pytest.fixture
def crash_logs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Send internal-error logs (if a bug produces one) somewhere other than the ledger folder."""
    folder = tmp_path_factory.mktemp("crash-logs")
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


HUGE_ID = "99999999999999999999"


@pytest.mark.parametrize(
    "args",
    [
        ("show", HUGE_ID),
        ("history", HUGE_ID),
        ("close", HUGE_ID, "--outcome", "resolved", "--result", "好"),
    ],
    ids=lambda a: a[0],
)
def test_huge_unknown_case_id_is_not_found(
    book: Run, tmp_path: Path, crash_logs: Path, args: tuple[str, ...]
) -> None:
    before = snapshot(tmp_path)
    message = f"没有编号为 {HUGE_ID} 的事项"
    refused(book(*args), message)
    refused_json(book(*args, "--json"), "not_found", message)
    assert snapshot(tmp_path) == before


def test_huge_unknown_session_is_not_found(book: Run, tmp_path: Path, crash_logs: Path) -> None:
    before = snapshot(tmp_path)
    message = f"没有编号为 {HUGE_ID} 的说事活动"
    refused(book("add", "新事项", "--session", HUGE_ID), message)
    assert snapshot(tmp_path) == before


def test_month_with_year_zero_is_bad_input(book: Run, crash_logs: Path) -> None:
    text = refused_json(book("list", "--month", "0000-01", "--json"), "bad_input")
    assert "程序内部出错" not in text
    assert not list(crash_logs.iterdir())


# ---------------------------------------------------------------- usage errors: exit 2

USAGE_ERRORS: list[tuple[str, ...]] = [
    ("assign", "1"),
    ("assign", "1", "--owner"),
    ("close", "1", "--outcome", "resolved"),
    ("close", "1", "--result", "好"),
    ("escalate", "1", "--to", "township"),
    ("reopen", "2"),
    ("supervise", "1"),
    ("note", "1"),
    ("show",),
    ("note", "abc", "已现场查看"),  # `show abc` is a value error (exit 1): tests/test_finding.py
    ("assign", "1", "--owner", "李四", "--bogus"),
    ("list", "--bogus"),
    ("add", "新事项", "--reporter"),
    ("frobnicate",),
    ("init", "--village", "石境村"),
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=" ".join)
def test_usage_error_exits_2_and_changes_nothing(
    book: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    before = snapshot(tmp_path)
    usage_error(book(*args))
    assert snapshot(tmp_path) == before


def test_global_option_after_command_is_a_usage_error(book: Run) -> None:
    usage_error(book("list", "--lang", "en"))


# ---------------------------------------------------------------- language


def test_lang_en_option_gives_english_errors(book: Run, db: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    refused(book("--lang", "en", "show", "9"), "there is no case #9", lang="en")
    refused(
        book("--lang", "en", "close", "2", "--outcome", "resolved", "--result", "好"),
        "case #2 is closed and cannot be closed; reopen it first",
        lang="en",
    )
    refused(
        book("--lang", "en", "feedback", "1"),
        "case #1 is still open and cannot be given feedback",
        lang="en",
    )
    refused(book("--lang", "en", "add", ""), "title must not be empty", lang="en")
    refused(
        book("--lang", "en", "assign", "1", "--owner", "李四", "--due", "明年"),
        "cannot read the date '明年'; use 2026-11-30, 2026/11/30, today, tomorrow, +7d, +2w, +1m, +5wd",
        lang="en",
    )
    refused(
        book(
            "--lang",
            "en",
            "close",
            "1",
            "--outcome",
            "resolved",
            "--result",
            "好",
            "--date",
            "2026-11-28",
        ),
        "2026-11-28 is in the future",
        lang="en",
    )
    refused(
        book("--lang", "en", "add", "x", "--anonymous", "--reporter", "张三"),
        "an anonymous case cannot have a reporter name or phone",
        lang="en",
    )
    refused_json(book("--lang", "en", "show", "9", "--json"), "not_found", "there is no case #9")
    assert snapshot(tmp_path) == before


def test_shuoshi_lang_environment_gives_english_errors(book: Run, tmp_path: Path) -> None:
    env = {"SHUOSHI_LANG": "en"}
    before = snapshot(tmp_path)
    refused(book("show", "9", env=env), "there is no case #9", lang="en")
    refused(
        book("reopen", "1", "--reason", "x", env=env),
        "case #1 is still open and cannot be reopened",
        lang="en",
    )
    refused(
        book("escalate", "2", "--to", "county", "--reason", "x", env=env),
        "case #2 is closed and cannot be escalated; reopen it first",
        lang="en",
    )
    refused_json(
        book("feedback", "1", "--json", env=env),
        "wrong_state",
        "case #1 is still open and cannot be given feedback",
    )
    # The command line wins over the environment.
    refused(book("--lang", "zh", "show", "9", env=env), "没有编号为 9 的事项")
    assert snapshot(tmp_path) == before


def test_english_file_errors(run: Run, db: Path, tmp_path: Path) -> None:
    refused(
        run("--lang", "en", "list"),
        f"ledger file {db} not found; create one with 'shuoshi init' or name it with --db",
        lang="en",
    )
    assert not db.exists()
    _text_file(db)
    refused(
        run("--lang", "en", "add", "x"),
        f"{db.name} is not a shuoshi ledger; it was left untouched",
        lang="en",
    )
    refused_json(
        run("add", "x", "--json", env={"SHUOSHI_LANG": "en"}),
        "not_a_ledger",
        f"{db.name} is not a shuoshi ledger; it was left untouched",
    )


def test_english_newer_format_error(newer: Path) -> None:
    result = CliRunner().invoke(app, ["--lang", "en", "--db", str(newer), "list"])
    refused(
        result,
        f"{newer.name} was written by a newer shuoshi (format 99, this one reads up to {LATEST}); "
        "upgrade shuoshi. The file was not changed",
        lang="en",
    )


# ---------------------------------------------------------------- a refused phone is never echoed


@pytest.mark.parametrize("phone", INVALID_PHONES)
@pytest.mark.parametrize("mode", ["zh", "en", "json", "json-en"])
def test_invalid_phone_is_never_echoed(book: Run, tmp_path: Path, phone: str, mode: str) -> None:
    before = snapshot(tmp_path)
    lang = ["--lang", "en"] if mode.endswith("en") else []
    json_flag = ["--json"] if mode.startswith("json") else []
    result = book(*lang, "add", "新事项", "--reporter", "张三", "--phone", phone, *json_flag)
    if json_flag:
        refused_json(result, "bad_input", BAD_PHONE_EN if lang else BAD_PHONE_ZH)
    else:
        refused(result, BAD_PHONE_EN if lang else BAD_PHONE_ZH, lang="en" if lang else "zh")
    assert phone not in result.output
    assert snapshot(tmp_path) == before


def test_anonymous_refusal_does_not_echo_the_phone(book: Run) -> None:
    result = book("add", "新事项", "--anonymous", "--phone", "13912345678", "--reporter", "赵六")
    refused(result, "匿名反映不能登记反映人或联系电话")
    assert "13912345678" not in result.output
    assert "赵六" not in result.output


# ---------------------------------------------------------------- real subprocesses


def test_subprocess_missing_ledger(db: Path, tmp_path: Path) -> None:
    proc = shuoshi("--db", str(db), "add", "村口路灯不亮", "--reporter", "张三")
    proc_refused(proc, f"找不到台账文件 {db}；新建请用 shuoshi init，或用 --db 指定文件")
    assert not db.exists()
    assert snapshot(tmp_path) == {}


def test_subprocess_not_a_ledger(db: Path, tmp_path: Path) -> None:
    _text_file(db)
    before = snapshot(tmp_path)
    proc = shuoshi("--db", str(db), "list")
    proc_refused(proc, f"{db.name} 不是说事台账文件，未做任何改动")
    assert snapshot(tmp_path) == before


def test_subprocess_newer_format_json(newer: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    proc = shuoshi(
        "--db", str(newer), "close", "1", "--outcome", "resolved", "--result", "好", "--json"
    )
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert json.loads(proc.stdout)["error"] == "newer_format"
    assert snapshot(tmp_path) == before


def test_subprocess_wrong_state(book: Run, db: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    proc = shuoshi("--db", str(db), "close", "2", "--outcome", "resolved", "--result", "好")
    proc_refused(proc, "事项 #2 已办结，不能再次销号；如需继续办理请先 reopen")
    assert snapshot(tmp_path) == before


def test_subprocess_invalid_phone_in_english(book: Run, db: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    proc = shuoshi(
        "--db", str(db), "add", "新事项", "--phone", "1380000000", env={"SHUOSHI_LANG": "en"}
    )
    proc_refused(proc, BAD_PHONE_EN, lang="en")
    assert "1380000000" not in proc.stdout + proc.stderr
    assert snapshot(tmp_path) == before


def test_subprocess_usage_error(book: Run, db: Path, tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    proc = shuoshi("--db", str(db), "assign", "1")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "--owner" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(tmp_path) == before


def test_subprocess_add_without_title_on_a_pipe_does_not_wait(
    book: Run, db: Path, tmp_path: Path
) -> None:
    before = snapshot(tmp_path)
    proc = shuoshi("--db", str(db), "add", input="")
    proc_refused(proc, '请写上反映事项，例如：shuoshi add "村口路灯不亮"')
    assert snapshot(tmp_path) == before
