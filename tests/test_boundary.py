"""The one error boundary: unexpected errors, Ctrl-C and a busy ledger."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run
from shuoshi_cli.store import write as store_write


def test_unexpected_error_shows_no_traceback_and_no_villager_data(
    ledger: Run, db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("张三 13800000000")

    monkeypatch.setattr(store_write.Ledger, "add", broken)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = ledger("add", "村口路灯不亮", "--reporter", "张三", "--phone", "13800000000")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("错误：程序内部出错（RuntimeError），台账未改动；详细记录已写入 ")
    assert "13800000000" not in result.output and "张三" not in result.output
    assert "Traceback" not in result.output
    log = Path(lines[0].rsplit(" ", 1)[1])
    assert "Traceback" in log.read_text(encoding="utf-8")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_unexpected_error_as_json(ledger: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_write.Ledger, "cases", lambda self: 1 / 0)
    result = ledger("list", "--json")
    assert result.exit_code == 1
    error = json.loads(result.stdout)
    assert error["error"] == "internal"
    assert re.match(r"^程序内部出错（ZeroDivisionError）", error["message"])


def test_ctrl_c_exits_130_and_stores_nothing(
    ledger: Run, monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_write.Ledger, "_record", interrupted)
    result = ledger("add", "村口路灯不亮")
    assert result.exit_code == 130
    assert sqlite3.connect(db).execute("SELECT count(*) FROM cases").fetchone()[0] == 0


def test_busy_ledger_is_one_clear_line(
    ledger: Run, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHUOSHI_BUSY_TIMEOUT", "0.3")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = ledger("add", "村口路灯不亮")
        assert result.exit_code == 1
        assert result.stderr == "错误：台账 石境村.db 正被他人使用，请稍后再试\n"
        as_json = ledger("add", "村口路灯不亮", "--json")
        assert json.loads(as_json.stdout)["error"] == "busy"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert ledger("add", "村口路灯不亮").stdout == "1\n"


def test_case_cannot_come_from_a_later_session(ledger: Run) -> None:
    assert ledger("session", "add", "--date", "2026-11-15", "--place", "村文化礼堂").stdout == "1\n"
    result = ledger("add", "x", "--received", "2026-10-01", "--session", "1")
    assert result.exit_code == 1
    assert result.stderr == "错误：说事活动 #1 在 2026-11-15 举行，晚于受理日期 2026-10-01\n"
    assert ledger("add", "x", "--received", "2026-11-15", "--session", "1").stdout == "1\n"


def test_redirected_output_is_utf8_whatever_the_locale(ledger: Run, db: Path) -> None:
    """A GBK Windows locale must not turn an emoji in a title into an internal error."""
    from conftest import shuoshi

    assert ledger("add", "路灯😀坏了").exit_code == 0
    done = subprocess.run(
        [sys.executable, "-m", "shuoshi_cli", "--db", str(db), "list", "--json"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "gbk"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))[0]["title"] == "路灯😀坏了"
    assert shuoshi("--db", str(db), "show", "1").returncode == 0
