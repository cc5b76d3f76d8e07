"""The file format: identity PRAGMAs, a schema matching the models, and the migration runner."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path

import pytest

from shuoshi_cli.core.case import LedgerInfo
from shuoshi_cli.core.errors import IOFailure, NewerFormat, NotALedger, NotFound
from shuoshi_cli.store import file as store_file
from shuoshi_cli.store import migrations
from shuoshi_cli.store.write import APPLICATION_ID, create_ledger, open_ledger

INFO = LedgerInfo("石境村", "宝峰镇", "靖安县", "360925101201")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_ledger_identity_and_journal(tmp_path: Path) -> None:
    path = tmp_path / "石境村.db"
    create_ledger(path, INFO)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    meta = dict(con.execute("SELECT key, value FROM meta"))
    assert meta["village"] == "石境村"
    assert meta["township"] == "宝峰镇"
    assert meta["county"] == "靖安县"
    assert meta["area_code"] == "360925101201"
    con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["石境村.db"]


@pytest.mark.parametrize("name", ["a#b.db", "q?x.db", "100%.db", "with space.db", "双溪村 台账.db"])
def test_awkward_file_names_work(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    create_ledger(path, INFO)
    with open_ledger(path, write=True) as ledger:
        assert ledger.info().village == "石境村"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_missing_path_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(NotFound), open_ledger(tmp_path / "none.db", write=True):
        pass
    assert list(tmp_path.iterdir()) == []


def test_newer_schema_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    create_ledger(path, INFO)
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    before = _digest(path)
    with pytest.raises(NewerFormat), open_ledger(path, write=True):
        pass
    assert _digest(path) == before


def test_foreign_sqlite_file_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(NotALedger), open_ledger(path, write=True):
        pass
    assert _digest(path) == before


def _step_add_column(execute):  # type: ignore[no-untyped-def]
    execute("ALTER TABLE meta ADD COLUMN extra TEXT")


def _step_broken(execute):  # type: ignore[no-untyped-def]
    execute("ALTER TABLE meta ADD COLUMN half TEXT")
    execute("THIS IS NOT SQL")


def test_older_file_migrated_once_with_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    create_ledger(path, INFO)
    before = path.read_bytes()
    steps = [*migrations.MIGRATIONS, _step_add_column]
    monkeypatch.setattr(store_file, "MIGRATIONS", steps)
    monkeypatch.setattr(store_file, "LATEST", len(steps))
    with open_ledger(path, write=True):
        pass
    backup = tmp_path / f"old.db.v{len(steps) - 1}.bak"
    assert backup.exists()
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(steps) - 1
    assert dict(con.execute("SELECT key, value FROM meta"))["village"] == "石境村"
    con.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(steps)
    assert "extra" in [r[1] for r in con.execute("PRAGMA table_info(meta)")]
    con.close()
    assert path.read_bytes() != before


def test_failed_migration_rolls_back_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    create_ledger(path, INFO)
    steps = [*migrations.MIGRATIONS, _step_broken]
    monkeypatch.setattr(store_file, "MIGRATIONS", steps)
    monkeypatch.setattr(store_file, "LATEST", len(steps))
    with pytest.raises(IOFailure) as caught, open_ledger(path, write=True):
        pass
    assert caught.value.key == "migration_failed"
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(steps) - 1
    assert "half" not in [r[1] for r in con.execute("PRAGMA table_info(meta)")]
    con.close()


def test_read_only_open_never_writes(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    create_ledger(path, INFO)
    before = _digest(path)
    with open_ledger(path) as ledger:
        assert ledger.cases() == []
        assert ledger.info().county == "靖安县"
    assert _digest(path) == before


def test_version_1_file_migrates_to_a_verified_chain(tmp_path: Path) -> None:
    """A real first-release file (schema 1, history without hashes) upgrades and passes check."""
    from shuoshi_cli.store.check import check

    path = tmp_path / "v1.db"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.m001_initial(con.execute)
    con.execute("PRAGMA user_version = 1")
    con.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("village", "石境村"), ("township", "宝峰镇"), ("county", "靖安县"), ("categories", "[]")],
    )
    con.execute(
        "INSERT INTO cases (id, uid, title, received_on, reporter, phone, owner) "
        "VALUES (1, 'u1', '村口路灯不亮', '2026-10-08', '张三', '13800000000', '李四')"
    )
    for seq, (field, new) in enumerate(
        [("title", "村口路灯不亮"), ("kind", "request"), ("channel", "other"), ("reporter", "张三"),
         ("phone", "13800000000"), ("anonymous", "0"), ("received_on", "2026-10-08"),
         ("level", "village"), ("status", "open"), ("owner", "李四")],
        start=1,
    ):  # fmt: skip
        con.execute(
            "INSERT INTO history (seq, case_id, at, effective, user, field, old, new) "
            "VALUES (?, 1, '2026-10-08T09:00:00+08:00', '2026-10-08', '文书', ?, NULL, ?)",
            (seq, field, new),
        )
    con.close()
    with open_ledger(path, write=True) as ledger:
        assert ledger.case(1).owner == "李四"
    assert (tmp_path / "v1.db.v1.bak").exists()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert check(con) == []
    assert con.execute("SELECT count(*) FROM history WHERE hash IS NULL").fetchone()[0] == 0
    con.close()


def test_sqlite_uri_of_local_and_network_paths() -> None:
    """SQLite refuses a host in a URI, so a Windows share keeps its ``//server`` in the path."""
    from pathlib import PurePosixPath, PureWindowsPath

    from shuoshi_cli.store.file import sqlite_uri

    local = "file:///srv/%E5%8F%B0%E8%B4%A6/a%20b%23%3F.db?mode=ro"
    assert sqlite_uri(PurePosixPath("/srv/台账/a b#?.db"), "ro") == local
    if sys.platform != "win32":
        assert sqlite_uri("/srv/台账/a b#?.db", "ro") == local  # the quick way, the same URI
    assert sqlite_uri(PureWindowsPath(r"C:\台账\石境村.db"), "rw") == (
        "file:///C:/%E5%8F%B0%E8%B4%A6/%E7%9F%B3%E5%A2%83%E6%9D%91.db?mode=rw"
    )
    assert sqlite_uri(PureWindowsPath(r"\\zhen-server\台账\石境村.db"), "ro") == (
        "file:////zhen-server/%E5%8F%B0%E8%B4%A6/%E7%9F%B3%E5%A2%83%E6%9D%91.db?mode=ro"
    )
