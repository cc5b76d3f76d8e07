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
    core = "errors, codes, dates, workdays, ledger, history, figures, messages"
    code = (
        f"import sys\nfrom shuoshi_cli import {core}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'rich', 'sqlmodel', 'sqlalchemy', 'openpyxl'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]"
