"""Start-up stays light (STYLE habit 8): help, the clerk's commands and the sweeps must not pay
for SQLModel, SQLAlchemy, pydantic or openpyxl; only dump/load may load SQLModel and only
export/import/template openpyxl."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import Run, ok

HEAVY = ("sqlmodel", "sqlalchemy", "openpyxl", "pydantic")

PROBE = """
import sys
from shuoshi_cli.cli import app
try:
    app({args!r}, standalone_mode=False)
except (SystemExit, Exception):
    pass
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))
print('HEAVY:' + ','.join(heavy))
"""


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["add", "--help"],
        ["list", "--help"],
        ["session", "--help"],
        ["close", "--help"],
    ],
)
def test_help_imports_no_heavy_library(args: list[str]) -> None:
    code = PROBE.format(args=args, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "HEAVY:"


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = f"import sys, shuoshi_cli.cli; print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_core_modules_import_no_cli_or_storage_library() -> None:
    """The pure core is testable without Typer, rich or a database (STYLE: imports point down)."""
    core = "errors, codes, dates, workdays, rules, history, figures, messages"
    code = (
        f"import sys\nfrom shuoshi_cli.core import {core}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'rich', 'sqlmodel', 'sqlalchemy', 'openpyxl'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]"


COMMAND_PROBE = """
import sys
from shuoshi_cli.cli import main
sys.argv = ["shuoshi", *{args!r}]
try:
    main()
    status = 0
except SystemExit as done:
    status = done.code or 0
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))
print('EXIT:', status, 'HEAVY:' + ','.join(heavy))
"""

ORM = {"sqlmodel", "sqlalchemy", "pydantic"}  # sqlmodel brings the other two

# One real run of each command on the ledger `probe_ledger` builds ({db}; {tmp} is the test's
# folder). A command without its own --db runs on {db}.
COMMANDS: dict[str, tuple[str, ...]] = {
    "init": (
        "--db",
        "{tmp}/新村.db",
        "init",
        "--village",
        "新村",
        "--township",
        "宝峰镇",
        "--county",
        "靖安县",
    ),
    "add": ("add", "村口垃圾桶破损", "--reporter", "赵六", "--phone", "13900000000"),
    "assign": ("assign", "1", "--owner", "王五", "--due", "+5wd"),
    "note": ("note", "1", "已现场查看"),
    "plan": ("plan", "1", "列入明年水毁修复计划", "--due", "2027-06-30"),
    "escalate": ("escalate", "1", "--to", "township", "--reason", "需镇水利站协调"),
    "close": ("close", "1", "--outcome", "resolved", "--result", "已更换灯泡"),
    "reopen": ("reopen", "2", "--reason", "群众反映仍浑浊"),
    "feedback": ("feedback", "2", "--satisfaction", "basic"),
    "supervise": ("supervise", "1", "--letter", "宝督〔2026〕12号", "--due", "+3wd"),
    "list": ("list", "--status", "all"),
    "show": ("show", "1"),
    "history": ("history", "2"),
    "session add": ("session", "add", "--place", "村文化礼堂", "--topic", "冬季防火"),
    "session list": ("session", "list"),
    "session list --period": ("session", "list", "--period", "2026-Q4"),
    "session list PATHS": ("session", "list", "--month", "2026-11", "{db}"),
    "erase-reporter": ("erase-reporter", "1", "--yes"),
    "backup": ("backup", "{tmp}/备份.db"),
    "check": ("check",),
    "overdue": ("overdue", "{db}"),
    "letters": ("letters", "{db}"),
    "merge": ("--db", "{tmp}/副本.db", "merge", "{db}"),
    "stats": ("stats", "{db}"),
    "dump": ("dump", "-o", "{tmp}/导出.json"),
    "load": ("--db", "{tmp}/恢复.db", "load", "{tmp}/石境村.json"),
    "export": ("export", "{db}", "-o", "{tmp}/台账.xlsx"),
    "import": ("import", "{tmp}/旧台账.xlsx"),
    "template": ("template", "-o", "{tmp}/模板.xlsx"),
}
# What each command may load beyond the light start-up; every other command: nothing heavy.
MAY_LOAD = {
    "dump": ORM,
    "load": ORM,
    "export": {"openpyxl"},
    "import": {"openpyxl"},
    "template": {"openpyxl"},
}


@pytest.fixture
def probe_ledger(ledger: Run, db: Path, tmp_path: Path) -> Path:
    """A ledger with an open case (#1, reporter and phone), a closed one (#2), a session, its
    dump, and a workbook to import."""
    for args in (
        ("add", "村口路灯不亮", "--reporter", "张三", "--phone", "13800000000", "--owner", "李四"),
        ("add", "自来水浑浊", "--reporter", "王五", "--received", "2026-11-10"),
        ("close", "2", "--outcome", "resolved", "--result", "已更换管道"),
        ("session", "add", "--date", "2026-11-15", "--place", "村文化礼堂"),
        ("dump", "-o", str(tmp_path / "石境村.json")),
        ("backup", str(tmp_path / "副本.db")),  # a copy for merge
        ("add", "副本之后的新事项"),
    ):
        ok(ledger(*args))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["反映事项", "受理日期", "反映人"])
    sheet.append(["村口垃圾桶破损", "2026-11-20", "赵六"])
    book.save(tmp_path / "旧台账.xlsx")
    return db


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_loads_only_the_libraries_it_needs(
    command: str, probe_ledger: Path, tmp_path: Path
) -> None:
    """One fresh interpreter per command, as a clerk runs it: no clerk command and no sweep pays
    for SQLModel, SQLAlchemy, pydantic or openpyxl (STYLE habit 8)."""
    args = [a.format(db=probe_ledger, tmp=tmp_path) for a in COMMANDS[command]]
    if args[0] != "--db":
        args = ["--db", str(probe_ledger), *args]
    code = COMMAND_PROBE.format(args=args, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    last = done.stdout.splitlines()[-1] if done.stdout else ""
    assert last.startswith("EXIT: 0 HEAVY:"), (done.stdout, done.stderr)
    loaded = set(last.removeprefix("EXIT: 0 HEAVY:").split(",")) - {""}
    assert sorted(loaded - MAY_LOAD.get(command, set())) == []
