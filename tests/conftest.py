"""Shared fixtures: every test runs with its own ledger path, user, date and language."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from shuoshi_cli.cli import app

TODAY = "2026-11-27"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's ledger, name, clock, language or holiday file."""
    for name in ("SHUOSHI_DB", "SHUOSHI_USER", "SHUOSHI_TODAY", "SHUOSHI_LANG", "SHUOSHI_CALENDAR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHUOSHI_TODAY", TODAY)
    monkeypatch.setenv("SHUOSHI_USER", "测试员")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    yield


Run = Callable[..., Result]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "石境村.db"


@pytest.fixture
def run(db: Path) -> Run:
    """Invoke the CLI in-process on the test's ledger: run("add", "标题", ...)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, ["--db", str(db), *args], input=input, env=env)

    return invoke


@pytest.fixture
def ledger(run: Run) -> Run:
    """A fresh village ledger to work on."""
    result = run("init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县")
    assert result.exit_code == 0, result.output
    return run


def shuoshi(
    *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real console script in a subprocess (as a clerk would)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "shuoshi_cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        input=input,
        timeout=120,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    """The files directly in a folder with their hashes (a ledger, any journal or temporary file)."""
    return {p.name: sha(p) for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------- what a command's result must be

# The start of the error boundary's message for a bug (core/messages.py "internal_error"): a
# refusal must never be one of those.
INTERNAL_ERROR = ("程序内部出错", "internal error")


def ok(result: Result) -> Result:
    """The command succeeded: exit 0 and no traceback; shows everything it said if not."""
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.output
    return result


def out(result: Result) -> str:
    """What a successful command (as ``ok`` checks it) printed on stdout."""
    return ok(result).stdout


def refused(result: Result, message: str | None = None, *, lang: str = "zh") -> str:
    """The command was refused through the error boundary: exit 1 by ``SystemExit``, nothing on
    stdout, exactly one line on stderr that starts with "错误：" ("error: " with ``lang="en"``)
    and is neither a traceback nor an internal error. Returns the text after the prefix, which
    must equal ``message`` when one is given."""
    assert result.exit_code == 1, (result.stdout, result.stderr, result.exception)
    # Exit 1 from an uncaught exception would look the same to CliRunner: rule it out.
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert not any(text in result.output for text in INTERNAL_ERROR), result.output
    assert result.stdout == ""
    assert result.stderr.endswith("\n")
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    prefix = "错误：" if lang == "zh" else "error: "
    assert lines[0].startswith(prefix), lines[0]
    text = lines[0][len(prefix) :]
    assert text.strip()
    if message is not None:
        assert text == message
    return text


def refused_json(result: Result, code: str, message: str | None = None) -> str:
    """The ``--json`` form of ``refused``: exit 1 by ``SystemExit``, nothing on stderr and exactly
    ``{"error": code, "message": TEXT}`` on stdout, TEXT neither a traceback nor an internal
    error. Returns TEXT, which must equal ``message`` when one is given."""
    assert result.exit_code == 1, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) == {"error", "message"}
    assert data["error"] == code
    assert isinstance(data["message"], str) and data["message"].strip()
    assert "Traceback" not in data["message"]
    assert not any(text in data["message"] for text in INTERNAL_ERROR), data["message"]
    if message is not None:
        assert data["message"] == message
    return str(data["message"])
