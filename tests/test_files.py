"""Files and processes around a ledger (SPEC 1, 6): destinations that name folders, backups that
never collide, waiting for another process's lock whatever it is, and a reader that goes away."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Run, folder_state, ok, out, refused
from shuoshi_cli.store.file import backup

BUSY = "台账 石境村.db 正被他人使用，请稍后再试"


def start(db: Path, *args: str, timeout: float = 20) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SHUOSHI_BUSY_TIMEOUT": str(timeout)}
    return subprocess.Popen(
        [sys.executable, "-m", "shuoshi_cli", "--db", str(db), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


@pytest.fixture
def holder(db: Path) -> Iterator[sqlite3.Connection]:
    """Another process's connection to the ledger (this test process, not the CLI's)."""
    connection = sqlite3.connect(db, isolation_level=None)
    yield connection
    if connection.in_transaction:
        connection.execute("ROLLBACK")
    connection.close()


# ---------------------------------------------------------------- folders


def test_backup_to_a_missing_folder_is_refused(ledger: Run, tmp_path: Path) -> None:
    before = folder_state(tmp_path)
    refused(ledger("backup", "备份/"), "文件夹不存在：备份/")
    refused(ledger("backup", "备份/石境村.db"), "文件夹不存在：备份")
    refused(ledger("--lang", "en", "backup", "备份/"), "folder does not exist: 备份/", lang="en")
    assert folder_state(tmp_path) == before
    assert not (tmp_path / "备份").exists()


def test_backup_into_a_folder_names_the_copy(ledger: Run, tmp_path: Path) -> None:
    (tmp_path / "备份").mkdir()
    copy = json.loads(out(ledger("backup", "备份/", "--json")))["path"]
    assert (tmp_path / copy).parent == tmp_path / "备份"
    assert Path(copy).name.startswith("石境村-") and copy.endswith(".db")


def test_two_backups_in_the_same_second_never_collide(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "备份"
    folder.mkdir()
    made = [backup(db, str(folder), "20261127-090000") for _ in range(3)]
    assert [p.name for p in made] == [
        "石境村-20261127-090000.db",
        "石境村-20261127-090000-2.db",
        "石境村-20261127-090000-3.db",
    ]
    assert len({p.read_bytes() for p in made}) == 1
    # Through the command line, twice at once.
    first = json.loads(out(ledger("backup", str(folder), "--json")))["path"]
    second = json.loads(out(ledger("backup", str(folder), "--json")))["path"]
    assert first != second and Path(first).exists() and Path(second).exists()


def test_db_naming_a_folder_is_refused(run: Run, tmp_path: Path) -> None:
    place = ("--village", "石境村", "--township", "宝峰镇", "--county", "靖安县")
    before = folder_state(tmp_path)
    refused(
        run("--db", "台账/", "init", *place),
        "--db 台账/ 指的是文件夹；请写出台账文件名，如 台账/村名.db",
    )
    refused(
        run("--lang", "en", "--db", "台账/", "list"),
        "--db 台账/ names a folder; give the ledger's file name, e.g. 台账/village.db",
        lang="en",
    )
    assert folder_state(tmp_path) == before
    assert not (tmp_path / "台账").exists()
    (tmp_path / "台账").mkdir()
    refused(run("--db", "台账", "init", *place), "台账 是文件夹，不是台账文件")
    assert list((tmp_path / "台账").iterdir()) == []
    ok(run("--db", "台账/石境村.db", "init", *place))


# ---------------------------------------------------------------- another process's lock

EVERY_KIND = [
    ("list",),
    ("show", "1"),
    ("history", "1"),
    ("session", "list"),
    ("add", "等锁的事项"),
    ("note", "1", "等到了"),
    ("check",),
    ("dump",),
    ("backup", "{folder}"),
    ("stats", "{db}"),
]


@pytest.mark.parametrize("lock", ["EXCLUSIVE", "IMMEDIATE"])
def test_every_command_waits_for_another_process(
    ledger: Run, db: Path, tmp_path: Path, holder: sqlite3.Connection, lock: str
) -> None:
    ok(ledger("add", "村口路灯不亮"))
    folder = tmp_path / "备份"
    folder.mkdir()
    holder.execute(f"BEGIN {lock}")
    if lock == "IMMEDIATE":
        holder.execute("UPDATE meta SET value = value WHERE key = 'village'")
    waiting = [
        (args, start(db, *(a.format(folder=folder, db=db) for a in args))) for args in EVERY_KIND
    ]
    time.sleep(1.5)  # well past SQLite's own short wait
    blocked = [args for args, process in waiting if process.poll() is None]
    holder.execute("ROLLBACK")
    for args, process in waiting:
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, (args, stderr.decode())
        assert b"Traceback" not in stderr
    if lock == "EXCLUSIVE":
        assert len(blocked) == len(EVERY_KIND)  # readers wait too
    else:
        assert ("add", "等锁的事项") in blocked and ("note", "1", "等到了") in blocked


def test_busy_past_the_timeout_is_one_line(
    ledger: Run, db: Path, tmp_path: Path, holder: sqlite3.Connection
) -> None:
    # Before the lock: reading the file in this process would drop this process's locks (POSIX).
    before = folder_state(tmp_path)
    holder.execute("BEGIN EXCLUSIVE")
    started = time.monotonic()
    reader, writer = start(db, "list", timeout=1), start(db, "add", "x", timeout=1)
    for process in (reader, writer):
        stdout, stderr = process.communicate(timeout=60)
        assert (process.returncode, stdout) == (1, b"")
        assert stderr.decode() == f"错误：{BUSY}\n"
    assert time.monotonic() - started >= 1.0
    holder.execute("ROLLBACK")
    assert folder_state(tmp_path) == before


def test_ctrl_c_while_waiting_is_felt_at_once(
    ledger: Run, db: Path, holder: sqlite3.Connection
) -> None:
    holder.execute("BEGIN EXCLUSIVE")
    process = start(db, "list", timeout=60)
    time.sleep(1.0)
    assert process.poll() is None
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 130
    assert time.monotonic() - sent < 1.0
    assert b"Traceback" not in stderr


# ---------------------------------------------------------------- a reader that goes away


@pytest.mark.parametrize("args", [("show", "1"), ("list", "--json"), ("dump",)])
def test_a_closed_pipe_ends_quietly(ledger: Run, db: Path, args: tuple[str, ...]) -> None:
    """``shuoshi show 3 | head -3``: the reader stops early; no error, exit 0."""
    # One case far larger than a pipe's buffer, so the writer meets the closed pipe.
    ok(ledger("add", "村口路灯不亮", "--detail", "很长的一段详细内容" * 30000))
    process = start(db, *args)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(64)
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""
