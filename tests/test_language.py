"""The user's language beyond our own messages (SPEC 6): usage errors (exit 2), ``--help`` with real
metavars and in English under ``--lang en``, and operating-system errors."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner, Result

from conftest import Run, folder_state, ok, refused
from shuoshi_cli.cli import app
from shuoshi_cli.cli.app import COMMAND_HELP_EN, english_param_help
from shuoshi_cli.store import atomic
from shuoshi_cli.store import dump as store_dump


def usage(result: Result) -> list[str]:
    """A usage error: exit 2 by SystemExit, nothing on stdout, no traceback; the stderr lines."""
    assert result.exit_code == 2, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


USAGE_ERRORS = [
    (
        ("add", "x", "--ownr", "李四"),
        [
            "用法：shuoshi add [OPTIONS] [TITLE]",
            "查看帮助：shuoshi add -h",
            "错误：没有 --ownr 这个选项；是不是 --owner？",
        ],
        [
            "Usage: shuoshi add [OPTIONS] [TITLE]",
            "Try 'shuoshi add -h' for help.",
            "error: no such option: --ownr; did you mean --owner?",
        ],
    ),
    (
        ("assign",),
        ["用法：shuoshi assign [OPTIONS] ID", "查看帮助：shuoshi assign -h", "错误：缺少参数 ID"],
        [
            "Usage: shuoshi assign [OPTIONS] ID",
            "Try 'shuoshi assign -h' for help.",
            "error: missing argument ID",
        ],
    ),
    (
        ("assign", "1"),
        [
            "用法：shuoshi assign [OPTIONS] ID",
            "查看帮助：shuoshi assign -h",
            "错误：缺少选项 --owner",
        ],
        [
            "Usage: shuoshi assign [OPTIONS] ID",
            "Try 'shuoshi assign -h' for help.",
            "error: missing option --owner",
        ],
    ),
    (
        ("note", "1", "已联系", "多余"),
        [
            "用法：shuoshi note [OPTIONS] ID TEXT",
            "查看帮助：shuoshi note -h",
            "错误：多出了参数 多余",
        ],
        [
            "Usage: shuoshi note [OPTIONS] ID TEXT",
            "Try 'shuoshi note -h' for help.",
            "error: unexpected extra argument(s): 多余",
        ],
    ),
    (
        ("adx", "x"),
        [
            "用法：shuoshi [OPTIONS] COMMAND [ARGS]...",
            "查看帮助：shuoshi -h",
            "错误：没有 adx 这个命令；是不是 add？",
        ],
        [
            "Usage: shuoshi [OPTIONS] COMMAND [ARGS]...",
            "Try 'shuoshi -h' for help.",
            "error: no such command: adx; did you mean add?",
        ],
    ),
    (
        ("session", "lst"),
        [
            "用法：shuoshi session [OPTIONS] COMMAND [ARGS]...",
            "查看帮助：shuoshi session -h",
            "错误：没有 lst 这个命令；是不是 list？",
        ],
        [
            "Usage: shuoshi session [OPTIONS] COMMAND [ARGS]...",
            "Try 'shuoshi session -h' for help.",
            "error: no such command: lst; did you mean list?",
        ],
    ),
    (
        ("add", "x", "--due"),
        [
            "用法：shuoshi add [OPTIONS] [TITLE]",
            "查看帮助：shuoshi add -h",
            "错误：选项 --due 后面要写一个值",
        ],
        [
            "Usage: shuoshi add [OPTIONS] [TITLE]",
            "Try 'shuoshi add -h' for help.",
            "error: option --due needs a value",
        ],
    ),
    (
        ("add", "x", "--json=yes"),
        [
            "用法：shuoshi add [OPTIONS] [TITLE]",
            "查看帮助：shuoshi add -h",
            "错误：选项 --json 后面不能写值",
        ],
        [
            "Usage: shuoshi add [OPTIONS] [TITLE]",
            "Try 'shuoshi add -h' for help.",
            "error: option --json does not take a value",
        ],
    ),
    (
        ("stats",),
        [
            "用法：shuoshi stats [OPTIONS] PATHS...",
            "查看帮助：shuoshi stats -h",
            "错误：缺少参数 PATHS...",
        ],
        [
            "Usage: shuoshi stats [OPTIONS] PATHS...",
            "Try 'shuoshi stats -h' for help.",
            "error: missing argument PATHS...",
        ],
    ),
    (
        ("erase-reporter", "abc"),
        [
            "用法：shuoshi erase-reporter [OPTIONS] ID",
            "查看帮助：shuoshi erase-reporter -h",
            "错误：ID 应为整数，不能是“abc”",
        ],
        [
            "Usage: shuoshi erase-reporter [OPTIONS] ID",
            "Try 'shuoshi erase-reporter -h' for help.",
            "error: ID must be a whole number, not 'abc'",
        ],
    ),
]


@pytest.mark.parametrize(("args", "zh", "en"), USAGE_ERRORS)
def test_usage_errors_speak_the_users_language(
    ledger: Run, db: Path, args: tuple[str, ...], zh: list[str], en: list[str]
) -> None:
    before = folder_state(db.parent)
    assert usage(ledger(*args)) == zh
    assert usage(ledger("--lang", "en", *args)) == en
    assert usage(ledger(*args, env={"SHUOSHI_LANG": "en"})) == en
    assert folder_state(db.parent) == before


def test_lang_given_before_a_bad_global_option_still_counts() -> None:
    result = CliRunner().invoke(app, ["--lang", "en", "--bogus", "list"])
    assert usage(result)[-1] == "error: no such option: --bogus; did you mean --user?"


@pytest.mark.parametrize(
    "args", [("--lang", "fr", "list"), ("--lang=fr", "list"), ("--lang", "", "list")]
)
def test_an_unknown_language_is_a_usage_error(ledger: Run, db: Path, args: tuple[str, ...]) -> None:
    before = folder_state(db.parent)
    value = args[0].partition("=")[2] or args[1] if args[0].startswith("--lang=") else args[1]
    lines = usage(ledger(*args))
    assert lines[-1] == f"错误：--lang 只能是 zh 或 en，不能是“{value}”"
    assert folder_state(db.parent) == before


def test_an_unknown_language_from_the_environment_too(ledger: Run) -> None:
    lines = usage(ledger("list", env={"SHUOSHI_LANG": "fr"}))
    assert lines[-1] == "错误：--lang 只能是 zh 或 en，不能是“fr”"
    ok(ledger("list", env={"SHUOSHI_LANG": "en_US.UTF-8"}))


# ---------------------------------------------------------------- help


def _commands() -> list[str]:
    group = get_command(app)
    names: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        names += [f"{name} {s}" for s in sub] if sub else [name]
    return sorted(names)


def test_help_shows_real_metavars() -> None:
    runner = CliRunner()
    add = runner.invoke(app, ["add", "--help"]).stdout
    assert add.startswith("用法：shuoshi add [OPTIONS] [TITLE]\n")
    assert re.search(r"--due DATE +完成时限", add)
    assert "--kind [request|suggestion|complaint|inquiry]" in add
    assert "--session N " in add
    listing = runner.invoke(app, ["list", "--help"]).stdout
    assert "--status [open|closed|overdue|void|all]" in listing
    assert "--month YYYY-MM" in listing
    stats = runner.invoke(app, ["stats", "--help"]).stdout
    assert stats.startswith("用法：shuoshi stats [OPTIONS] PATHS...\n")
    assert "--by [village|township|category|channel|owner|level]" in stats
    close = runner.invoke(app, ["close", "--help"]).stdout
    assert "shuoshi close [OPTIONS] ID" in close and "--date DATE" in close


@pytest.mark.parametrize("name", ["", *_commands()])
def test_no_help_shows_a_type_name_or_braces(name: str) -> None:
    text = CliRunner().invoke(app, [*name.split(), "--help"]).stdout
    assert "用法：shuoshi" in text
    assert not re.search(r"<\w+>|\{\w+\}", text), text


@pytest.mark.parametrize("name", ["", *_commands()])
def test_english_help_for_every_command_and_option(name: str) -> None:
    command = get_command(app)
    for word in name.split():
        command = command.commands[word]  # type: ignore[attr-defined]
    assert name in COMMAND_HELP_EN
    for param in command.params:
        assert english_param_help(name, param) is not None, (name, param.name)
    text = CliRunner().invoke(app, ["--lang", "en", *name.split(), "--help"]).stdout
    assert text.startswith(f"Usage: shuoshi {name}".rstrip())
    assert COMMAND_HELP_EN[name].split()[0] in text
    assert "Options:" in text and "Show this message and exit." in text
    assert "用法" not in text and "选项：" not in text
    if name:
        assert "Example: shuoshi" in text


def test_english_help_from_the_environment_and_after_help() -> None:
    runner = CliRunner()
    by_env = runner.invoke(app, ["--help"], env={"SHUOSHI_LANG": "en"}).stdout
    assert by_env.startswith("Usage: shuoshi [OPTIONS] COMMAND [ARGS]...")
    assert "  add             Register a matter" in by_env
    after = runner.invoke(app, ["--help", "--lang", "en"]).stdout
    assert after == by_env
    chinese = runner.invoke(app, ["--help"]).stdout
    assert chinese.startswith("用法：shuoshi [OPTIONS] COMMAND [ARGS]...")
    assert "选项：" in chinese and "命令：" in chinese and "显示本帮助并退出。" in chinese


# ---------------------------------------------------------------- OS errors


def test_a_folder_where_a_file_belongs(ledger: Run, tmp_path: Path) -> None:
    folder = tmp_path / "导出"
    folder.mkdir()
    before = folder_state(tmp_path)
    refused(ledger("dump", "-o", str(folder), "--force"), f"读写 {folder} 出错：这是一个文件夹")
    refused(
        ledger("--lang", "en", "dump", "-o", str(folder), "--force"),
        f"cannot read or write {folder}: it is a folder",
        lang="en",
    )
    refused(ledger("--db", str(tmp_path / "x.db"), "load", str(folder)))
    assert folder_state(tmp_path) == before


@pytest.mark.parametrize(
    ("number", "zh", "en"),
    [
        (errno.EROFS, "磁盘是只读的", "the disk is read-only"),
        (errno.ENOSPC, "磁盘已满", "the disk is full"),
        (errno.EACCES, "没有权限", "permission denied"),
    ],
)
def test_os_errors_in_the_users_language(
    ledger: Run, db: Path, monkeypatch: pytest.MonkeyPatch, number: int, zh: str, en: str
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(number, "English text from the C library")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    target = db.parent / "备份.db"
    before = folder_state(db.parent)
    refused(ledger("backup", str(target)), f"读写 {target} 出错：{zh}")
    refused(
        ledger("--lang", "en", "backup", str(target)),
        f"cannot read or write {target}: {en}",
        lang="en",
    )
    assert folder_state(db.parent) == before


def test_an_os_error_met_anywhere_is_one_line(ledger: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/x")

    monkeypatch.setattr(store_dump, "dump_ledger", full)
    refused(ledger("dump"), "读写 /tmp/x 出错：磁盘已满")
