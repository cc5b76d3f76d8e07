"""What a clerk types (SPEC 3): bytes that are not UTF-8, byte-order marks, ``add -`` and
interactive ``add``, and the date forms a clerk writes without a year.

Refusals leave the ledger byte for byte as it was; real subprocesses carry the argv bytes a GBK
terminal hands over (Python keeps each as a lone surrogate).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TODAY, Run, folder_state, ok, out, refused, refused_json
from shuoshi_cli.cli import entry
from shuoshi_cli.core.dates import chinese_number, parse_date
from shuoshi_cli.core.errors import BadDate

GBK = "说事点".encode("gbk")
NOT_UTF8 = "{option} 含有不是 UTF-8 编码的字节（终端或文件是 GBK？请改用 UTF-8）"
NOT_UTF8_EN = "{option} contains bytes that are not UTF-8 (a GBK terminal or file?); use UTF-8"
# One entry for `add -`: title, detail, kind, category, channel, reporter, phone, received,
# owner, deadline, confirm.
FIELDS = ("title", "detail", "kind", "category", "channel", "reporter", "phone", "received")
FIELDS += ("owner", "due", "confirm")


def entry_lines(title: str, **answers: str) -> str:
    return "".join(answers.get(name, title if name == "title" else "") + "\n" for name in FIELDS)


def cases(run: Run) -> list[dict[str, Any]]:
    data = json.loads(out(run("list", "--status", "all", "--json")))
    assert isinstance(data, list)
    return data


def bytes_run(db: Path, *args: str | bytes, stdin: bytes = b"") -> tuple[int, str, str]:
    """The real program with raw bytes in argv, as a GBK terminal passes them."""
    done = subprocess.run(
        [sys.executable, "-m", "shuoshi_cli", "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        timeout=60,
    )
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


# ---------------------------------------------------------------- bytes that are not UTF-8


ARGV_CASES = [
    (("add", "x", "--channel", GBK), "--channel"),
    (("add", "x", "--kind", GBK), "--kind"),
    (("add", "x", "--due", GBK), "--due"),
    (("add", "x", "--received", GBK), "--received"),
    (("add", GBK), "TITLE"),
    (("add", "-", "--owner", GBK), "--owner"),
    (("list", "--status", GBK), "--status"),
    (("list", "--owner", GBK), "--owner"),
    (("close", "1", "--outcome", GBK, "--result", "好"), "--outcome"),
    (("stats", ".", "--by", GBK), "--by"),
]


def test_argv_bytes_that_are_not_utf8_are_one_line_everywhere(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    ok(ledger("add", "村口路灯不亮"))
    before = folder_state(tmp_path)
    running = [
        (
            subprocess.Popen(
                [sys.executable, "-m", "shuoshi_cli", "--db", str(db), *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            ),
            option,
        )
        for args, option in ARGV_CASES
    ]
    for process, option in running:
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 1, (option, stderr.decode("utf-8", "replace"))
        assert stdout == b""
        assert stderr.decode("utf-8") == "错误：" + NOT_UTF8.format(option=option) + "\n"
    assert folder_state(tmp_path) == before


def test_global_options_and_json_with_bytes_that_are_not_utf8(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    before = folder_state(tmp_path)
    status, stdout, stderr = bytes_run(db, b"--user", GBK, "add", "x")
    assert (status, stdout) == (1, "")
    assert stderr == "错误：" + NOT_UTF8.format(option="--user") + "\n"
    status, stdout, stderr = bytes_run(db, "--lang", "en", "add", "x", "--channel", GBK, "--json")
    assert (status, stderr) == (1, "")
    assert json.loads(stdout) == {
        "error": "bad_input",
        "message": NOT_UTF8_EN.format(option="--channel"),
    }
    assert folder_state(tmp_path) == before
    # --db itself: the folder gets no new file.
    status, stdout, stderr = subprocess_db_bytes(tmp_path)
    assert (status, stdout) == (1, "")
    assert stderr == "错误：" + NOT_UTF8.format(option="--db") + "\n"
    assert folder_state(tmp_path) == before


def subprocess_db_bytes(folder: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "shuoshi_cli", "--db", os.fsencode(folder) + b"/" + GBK, "list"],
        capture_output=True,
        timeout=60,
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode("utf-8")


def test_surrogates_in_process_are_refused_the_same_way(ledger: Run, db: Path) -> None:
    before = folder_state(db.parent)
    text = GBK.decode("utf-8", "surrogateescape")
    refused(ledger("add", "x", "--category", text), NOT_UTF8.format(option="--category"))
    refused_json(ledger("add", text, "--json"), "bad_input", NOT_UTF8.format(option="TITLE"))
    assert folder_state(db.parent) == before


def test_add_from_a_gbk_file_names_the_entry_and_line(ledger: Run, db: Path) -> None:
    before = folder_state(db.parent)
    result = ledger("add", "-", input=entry_lines("水渠堵塞").encode("gbk"))
    refused(result, "第 1 件：输入的第 1 行不是 UTF-8 编码（GBK 文件请先另存为 UTF-8）")
    assert folder_state(db.parent) == before


def test_a_gbk_entry_after_good_ones_is_named(ledger: Run, db: Path) -> None:
    first = entry_lines("路灯不亮").encode("utf-8")
    second = entry_lines("水渠堵塞").encode("gbk")
    status, stdout, stderr = bytes_run(db, "add", "-", stdin=first + second)
    assert status == 1
    assert stdout == "1\n"  # each entry is saved in its own transaction once confirmed
    message = "第 2 件：输入的第 12 行不是 UTF-8 编码（GBK 文件请先另存为 UTF-8）"
    assert stderr == "错误：" + message + "\n"
    assert [c["title"] for c in cases(ledger)] == ["路灯不亮"]


def test_a_byte_order_mark_is_dropped(ledger: Run, db: Path, tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + entry_lines("路灯不亮").encode("utf-8")
    assert out(ledger("add", "-", input=data)) == "1\n"
    assert cases(ledger)[0]["title"] == "路灯不亮"
    dump = tmp_path / "dump.json"
    ok(ledger("dump", "-o", str(dump)))
    copy = tmp_path / "copy.db"
    with_bom = b"\xef\xbb\xbf" + dump.read_bytes()
    ok(ledger("--db", str(copy), "load", "-", input=with_bom))
    assert copy.exists()


def test_load_refuses_a_gbk_file_untouched(ledger: Run, tmp_path: Path) -> None:
    dump = tmp_path / "gbk.json"
    dump.write_bytes('{"note": "说事"}'.encode("gbk"))
    target = tmp_path / "new.db"
    before = folder_state(tmp_path)
    refused(
        ledger("--db", str(target), "load", str(dump)),
        f"{dump} 不是 UTF-8 编码的文本（GBK 文件请先另存为 UTF-8）",
    )
    refused(
        ledger("--db", str(target), "load", "-", input=b"{}\n" + GBK),
        "输入的第 2 行不是 UTF-8 编码（GBK 文件请先另存为 UTF-8）",
    )
    assert folder_state(tmp_path) == before


# ---------------------------------------------------------------- add -: options as defaults


def test_add_dash_takes_its_options_as_every_entrys_defaults(ledger: Run) -> None:
    ok(ledger("session", "add", "--date", "2026-11-20", "--place", "村文化礼堂"))
    lines = entry_lines("路灯不亮") + entry_lines("水渠堵塞", owner="王五", channel="visit")
    result = ledger(
        "add",
        "-",
        "--owner",
        "李四",
        "--category",
        "水利设施",
        "--session",
        "1",
        "--channel",
        "talk",
        "--kind",
        "complaint",
        "--received",
        "11月25日",
        "--due",
        "12月5日",
        input=lines,
    )
    assert out(result) == "1\n2\n"
    # The unknown category is noted once, as `add TITLE` notes it.
    assert result.stderr == (
        "提示：类别“水利设施”不在本村类别清单中（基础设施、环境卫生、民生保障、矛盾纠纷、"
        "政策咨询、农业生产、社会治安、旅游服务、其他）\n"
    )
    first, second = cases(ledger)
    assert (first["title"], first["owner"], first["category"], first["session"]) == (
        "路灯不亮",
        "李四",
        "水利设施",
        1,
    )
    assert (first["channel"], first["kind"]) == ("talk", "complaint")
    assert (first["received_on"], first["deadline"]) == ("2026-11-25", "2026-12-05")
    assert (second["owner"], second["channel"], second["session"]) == ("王五", "visit", 1)
    assert second["deadline"] == "2026-12-05"


def test_add_dash_anonymous_option(ledger: Run) -> None:
    assert out(ledger("add", "-", "--anonymous", input=entry_lines("噪音扰民"))) == "1\n"
    case = cases(ledger)[0]
    assert (case["anonymous"], case["reporter"]) == (True, None)


def test_add_dash_refuses_a_bad_option_before_reading(ledger: Run, db: Path) -> None:
    before = folder_state(db.parent)
    result = ledger("add", "-", "--channel", "飞鸽", input=entry_lines("x"))
    refused(result)
    assert "第" not in result.stderr  # about the command line, not an entry
    assert folder_state(db.parent) == before


ENTRY_ERRORS = [
    ({"received": "2026-12-01"}, "日期 2026-12-01 还没到，不能登记未来的事"),
    (
        {"received": "2026-11-20", "due": "2026-11-10"},
        "完成时限 2026-11-10 早于受理日期 2026-11-20",
    ),
    (
        {"phone": "12345"},
        "联系电话格式不对：应为 11 位手机号，或 0 开头带区号的座机号（如 0795-4621234）",
    ),
    ({"due": "+99999wd"}, "日期“+99999wd”太远了：天数、周数、月数或工作日数最多 9999"),
    ({"kind": "表扬"}, None),
]


@pytest.mark.parametrize(("answers", "message"), ENTRY_ERRORS)
def test_add_dash_names_the_entry_in_every_error(
    ledger: Run, db: Path, answers: dict[str, str], message: str | None
) -> None:
    before = folder_state(db.parent)
    text = refused(ledger("add", "-", input=entry_lines("第一件", **answers)))
    assert text.startswith("第 1 件：")
    if message is not None:
        assert text == "第 1 件：" + message
    assert folder_state(db.parent) == before


def test_add_dash_numbers_the_entries(ledger: Run) -> None:
    lines = entry_lines("第一件") + entry_lines("第二件", received="2026-12-01")
    result = ledger("add", "-", input=lines)
    assert (result.exit_code, result.stdout) == (1, "1\n")
    assert result.stderr == "错误：第 2 件：日期 2026-12-01 还没到，不能登记未来的事\n"
    assert [c["title"] for c in cases(ledger)] == ["第一件"]


def test_add_dash_save_time_error_keeps_its_code_in_json(ledger: Run, db: Path) -> None:
    before = folder_state(db.parent)
    result = ledger("add", "-", "--session", "9", "--json", input=entry_lines("x"))
    refused_json(result, "not_found", "第 1 件：没有编号为 9 的说事活动")
    assert folder_state(db.parent) == before


# ---------------------------------------------------------------- interactive add


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entry, "on_terminal", lambda: True)


def test_interactive_add_asks_again_for_a_future_received_date(ledger: Run, terminal: None) -> None:
    answers = entry_lines("路灯不亮", received="2026-12-01") + "2026-11-20\n" + "\n"
    result = ledger("add", input=answers)
    assert out(result) == "1\n"
    assert "日期 2026-12-01 还没到，不能登记未来的事\n受理日期 [2026-12-01]: " in result.stderr
    assert cases(ledger)[0]["received_on"] == "2026-11-20"


def test_interactive_add_asks_again_for_a_deadline_before_received(
    ledger: Run, terminal: None
) -> None:
    answers = entry_lines("路灯不亮", received="2026-11-20", due="2026-11-10")
    result = ledger("add", input=answers + "2026-11-30\n\n")
    assert out(result) == "1\n"
    assert "完成时限 2026-11-10 早于受理日期 2026-11-20\n完成时限 [2026-11-10]: " in result.stderr
    case = cases(ledger)[0]
    assert (case["received_on"], case["deadline"]) == ("2026-11-20", "2026-11-30")


def test_interactive_add_asks_again_for_a_line_that_is_not_utf8(
    ledger: Run, terminal: None
) -> None:
    data = "说事".encode("gbk") + b"\n" + entry_lines("路灯不亮").encode("utf-8") + b"\n"
    result = ledger("add", input=data)
    assert out(result) == "1\n"
    assert "输入的第 1 行不是 UTF-8 编码（GBK 文件请先另存为 UTF-8）" in result.stderr
    assert cases(ledger)[0]["title"] == "路灯不亮"


def test_interactive_add_uses_the_options_as_defaults(ledger: Run, terminal: None) -> None:
    result = ledger("add", "--owner", "李四", input=entry_lines("路灯不亮") + "\n")
    assert out(result) == "1\n"
    assert "领办责任人 [李四]: " in result.stderr
    assert cases(ledger)[0]["owner"] == "李四"


# ---------------------------------------------------------------- dates without a year


@pytest.mark.parametrize(
    ("today", "args", "field", "expected"),
    [
        # A deadline typed on 31 December for 5 January is next year's.
        ("2026-12-31", ("add", "x", "--due", "1月5日"), "deadline", "2027-01-05"),
        # Received on 2 January, "30 December" happened last year.
        ("2027-01-02", ("add", "x", "--received", "12月30日"), "received_on", "2026-12-30"),
        # Deadline counted from the case's received date, not from today.
        (
            "2027-01-02",
            ("add", "x", "--received", "12/20", "--due", "12.28"),
            "deadline",
            "2026-12-28",
        ),
        ("2026-11-27", ("add", "x", "--due", "后天"), "deadline", "2026-11-29"),
        ("2026-11-27", ("add", "x", "--due", "下周五"), "deadline", "2026-12-04"),
        ("2026-11-27", ("add", "x", "--due", "五个工作日"), "deadline", "2026-12-04"),
        ("2026-11-27", ("add", "x", "--received", "11月30日"), "received_on", "2025-11-30"),
    ],
)
def test_dates_without_a_year_mean_what_makes_sense(
    ledger: Run, today: str, args: tuple[str, ...], field: str, expected: str
) -> None:
    result = ledger(*args, "--json", env={"SHUOSHI_TODAY": today})
    assert json.loads(out(result))[field] == expected


def test_closing_date_without_a_year(ledger: Run) -> None:
    ok(ledger("add", "x", "--received", "2026-11-01"))
    later = {"SHUOSHI_TODAY": "2027-01-02"}
    result = ledger(
        "close",
        "1",
        "--outcome",
        "resolved",
        "--result",
        "好",
        "--date",
        "12月30日",
        "--json",
        env=later,
    )
    assert json.loads(out(result))["closed_on"] == "2026-12-30"


def test_a_date_too_far_says_so(ledger: Run, db: Path) -> None:
    before = folder_state(db.parent)
    refused(
        ledger("add", "x", "--due", "+99999wd"),
        "日期“+99999wd”太远了：天数、周数、月数或工作日数最多 9999",
    )
    refused(
        ledger("--lang", "en", "add", "x", "--due", "+99999wd"),
        "the date '+99999wd' is too far away: at most 9999 days, weeks, months or working days",
        lang="en",
    )
    assert folder_state(db.parent) == before


def test_today_later_than_the_computers_date_warns(ledger: Run) -> None:
    ahead = (date.today() + timedelta(days=3)).isoformat()
    result = ledger("list", env={"SHUOSHI_TODAY": ahead})
    assert result.exit_code == 0
    assert f"注意：SHUOSHI_TODAY 设为 {ahead}，晚于电脑日期 {date.today().isoformat()}\n" in (
        result.stderr
    )
    assert "SHUOSHI_TODAY" not in ledger("list", env={"SHUOSHI_TODAY": TODAY}).stderr


# ---------------------------------------------------------------- the rules, as properties

PROPERTY = settings(max_examples=300, deadline=None)
days = st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31))
month_days = st.tuples(st.integers(1, 12), st.integers(1, 31))
forms = st.sampled_from(["{m}月{d}日", "{m}/{d}", "{m}.{d}", "{m}月{d}号"])


def _possible(month: int, day: int) -> bool:
    return any(_exists(year, month, day) for year in (2000, 2001))


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@PROPERTY
@given(today=days, md=month_days, form=forms)
def test_a_happened_date_is_the_latest_not_after_today(
    today: date, md: tuple[int, int], form: str
) -> None:
    month, day = md
    text = form.format(m=month, d=day)
    try:
        found = parse_date(text, today, meaning="happened").day
    except BadDate as error:
        assert error.key == "no_such_date"
        # Only a day that never exists, or 29 February with none in the year up to today.
        year_ago = date(today.year - 1, today.month, min(today.day, 28))
        leap_days = [date(y, 2, 29) for y in (today.year - 1, today.year) if _exists(y, 2, 29)]
        assert not _possible(month, day) or (
            (month, day) == (2, 29) and not any(year_ago < d <= today for d in leap_days)
        )
        return
    assert (found.month, found.day) == (month, day)
    assert found <= today
    assert (today - found).days < 366
    # The latest: the same day a year later would be after today.
    if _exists(found.year + 1, month, day):
        assert date(found.year + 1, month, day) > today


@PROPERTY
@given(received=days, md=month_days, form=forms)
def test_a_deadline_is_the_first_on_or_after_received(
    received: date, md: tuple[int, int], form: str
) -> None:
    month, day = md
    text = form.format(m=month, d=day)
    try:
        found = parse_date(
            text, received + timedelta(days=40), meaning="deadline", received=received
        ).day
    except BadDate as error:
        assert error.key == "no_such_date"
        assert not _possible(month, day) or (month, day) == (2, 29)
        return
    assert (found.month, found.day) == (month, day)
    assert found >= received
    assert (found - received).days < 366
    if _exists(found.year - 1, month, day):
        assert date(found.year - 1, month, day) < received


@PROPERTY
@given(today=days, md=month_days)
def test_a_date_of_unknown_purpose_is_the_nearest(today: date, md: tuple[int, int]) -> None:
    month, day = md
    try:
        found = parse_date(f"{month}月{day}日", today).day
    except BadDate:
        assert not _possible(month, day) or (month, day) == (2, 29)
        return
    assert (found.month, found.day) == (month, day)
    # Half a year either way; 29 February only exists every fourth year.
    assert abs((found - today).days) <= (365 if (month, day) == (2, 29) else 183)


@PROPERTY
@given(n=st.integers(0, 9999))
def test_chinese_numerals_read_as_digits(n: int) -> None:
    assert chinese_number(_in_chinese(n)) == n
    assert parse_date(f"{_in_chinese(n)}天", date(2000, 1, 1)).day == date(2000, 1, 1) + timedelta(
        days=n
    )


def _in_chinese(n: int) -> str:
    """A reference writer of Chinese numerals (一千零五, 二十, 十五)."""
    digits = "零一二三四五六七八九"
    if n == 0:
        return "零"
    text, gap = "", False
    for power, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, power)
        if digit:
            text += ("零" if gap else "") + digits[digit] + name
            gap = False
        elif text:
            gap = True
    return "十" + text[2:] if text.startswith("一十") else text
