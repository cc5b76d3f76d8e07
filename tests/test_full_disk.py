"""A full disk: the write is refused with one clear line and the ledger is byte-for-byte unchanged.

Needs a small filesystem to fill: a tmpfs mounted for the test (root on Linux); skipped elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import shuoshi


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("needs root on Linux to mount a small tmpfs")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=320k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_full_disk_refuses_cleanly_and_keeps_the_ledger(tiny_disk: Path) -> None:
    ledger = tiny_disk / "石境村.db"
    made = shuoshi(
        "--db",
        str(ledger),
        "init",
        "--village",
        "石境村",
        "--township",
        "宝峰镇",
        "--county",
        "靖安县",
    )
    assert made.returncode == 0, made.stderr
    filler = tiny_disk / "fill"
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 4096)
        except OSError:
            pass
    before = hashlib.sha256(ledger.read_bytes()).hexdigest()
    result = shuoshi(
        "--db", str(ledger), "add", "路灯" * 300, "--detail", "详细" * 800, "--reporter", "张三"
    )
    assert result.returncode == 1
    assert result.stderr == "错误：磁盘已满，台账 石境村.db 未改动\n"
    assert "Traceback" not in result.stdout + result.stderr
    assert hashlib.sha256(ledger.read_bytes()).hexdigest() == before
    filler.unlink()
    assert shuoshi("--db", str(ledger), "check").returncode == 0
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["石境村.db"]
