"""Help and docs cannot drift (STYLE habit 10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from shuoshi_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    group = get_command(app)
    names: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            names += [f"{name} {s}" for s in sub]
        else:
            names.append(name)
    return sorted(names)


def test_the_clerk_commands_exist() -> None:
    expected = {
        "init",
        "add",
        "assign",
        "note",
        "plan",
        "escalate",
        "close",
        "reopen",
        "feedback",
        "supervise",
        "list",
        "show",
        "history",
        "session add",
        "session list",
    }
    assert expected <= set(_commands())


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "例：shuoshi" in result.stdout
    assert "--json" in result.stdout


@pytest.mark.parametrize("name", _commands())
def test_every_command_is_documented_in_the_readme_with_an_example(name: str) -> None:
    assert re.search(rf"^### .*\b{re.escape(name.split()[0])}\b", README, re.M), name
    assert re.search(rf"^shuoshi (--db \S+ )?{re.escape(name)}\b", README, re.M), name


def test_readme_quick_start_is_make_demo_and_make_test() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^(make \w+)", quick, re.M)
    assert commands == ["make demo", "make test"]
