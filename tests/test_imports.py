"""Start-up stays light: help must not pay for SQLModel, SQLAlchemy or openpyxl (STYLE habit 8)."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


FREEZE_PROBE = """
import gc, sys
from shuoshi_cli.cli import main
sys.argv = ["shuoshi", *{args!r}]
try:
    main()
except SystemExit as done:
    print("EXIT:", done.code, "FROZEN:", gc.get_freeze_count() > 0)
"""


@pytest.mark.parametrize("args", [["--help"], ["--db", "缺.db", "list"]])
def test_the_console_script_freezes_the_collector_as_it_exits(args: list[str]) -> None:
    """Spares the interpreter's shutdown a last collection over every library object (~0.1 s),
    whether the command succeeded or was refused."""
    code = FREEZE_PROBE.format(args=args)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert done.stdout.splitlines()[-1] == f"EXIT: {0 if args == ['--help'] else 1} FROZEN: True"
