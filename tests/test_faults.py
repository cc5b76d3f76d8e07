"""Real faults: shuoshi loses nothing and leaks nothing.

The command under test runs as its own process (``python -m shuoshi_cli``): kill -9 in the middle
of a write (and of a migration), Ctrl-C while waiting for the lock, two clerks writing at once,
broken and foreign files, a hot journal left by a crash, backups taken while someone writes,
tampering found by ``check``, and ``erase-reporter`` down to the file's bytes. Ledgers to start from
are built in-process (fast); the concurrent writers (``_WORKER``) are separate processes that each
run the CLI's app many times, so 30 cases do not cost 30 interpreter start-ups.

Fault injection (``_INJECT``): to make a kill land *inside* a write transaction rather than in the
second of interpreter start-up, a wrapper runs ``python -m shuoshi_cli`` unchanged except that each
ledger connection (1) sleeps a little before every SQL statement, (2) has the smallest page cache,
so a write spills half-written pages into the file before commit (as a large transaction would), and
(3) logs when it opens the ledger, begins its write transaction, commits and starts each statement,
so a kill can be aimed at "just before the 7th statement of the transaction" on any machine. Plain ``python -m shuoshi_cli`` runs are killed too, on a timer.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import Run, shuoshi
from shuoshi_cli.cli import app
from shuoshi_cli.store import migrations
from shuoshi_cli.store.file import APPLICATION_ID

PY = sys.executable
BUSY_TEXT = "正被他人使用"

_INJECT = """\
import os, runpy, sys, time

import shuoshi_cli.store.file as store_file

_connect = store_file.connect
_log = os.environ["FAULT_LOG"]
_pause = float(os.environ.get("FAULT_PAUSE", "0"))
_spill = os.environ.get("FAULT_SPILL") == "1"


def _event(name):
    with open(_log, "a", encoding="utf-8") as log:
        log.write(f"{name} {time.time()}\\n")


def _trace(sql):
    if sql.startswith("BEGIN IMMEDIATE"):
        _event("begin")
    elif sql.startswith("COMMIT"):
        _event("commit")
    _event("sql")
    if _pause:
        time.sleep(_pause)


def connect(path, mode):
    connection = _connect(path, mode)
    if _spill:
        connection.execute("PRAGMA cache_size = 1")
    connection.set_trace_callback(_trace)
    _event("open")
    return connection


store_file.connect = connect
sys.argv = ["shuoshi", *sys.argv[1:]]
runpy.run_module("shuoshi_cli", run_name="__main__", alter_sys=True)
"""

_WORKER = """\
import contextlib, io, sys, time
from pathlib import Path

from shuoshi_cli.cli import app

db, tag, go, count, close_every = sys.argv[1:6]
count, close_every = int(count), int(close_every)
stop = Path(go + ".stop")
Path(go + "." + tag).touch()
while not Path(go).exists():
    time.sleep(0.002)


def invoke(*args):
    out = io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stdout(out):
            app(["--db", db, *args], prog_name="shuoshi")
    except SystemExit as done:
        code = done.code or 0
    if code != 0:
        print(f"{args!r} exited {code}", file=sys.stderr)
        sys.exit(1)
    return out.getvalue()


n = 0
while (count and n < count) or (not count and not stop.exists() and n < 2000):
    case_id = int(invoke("add", f"{tag}-{n}").strip())
    print(case_id, flush=True)
    if close_every and n % close_every == 0:
        invoke("close", str(case_id), "--outcome", "resolved", "--result", f"{tag} 已办")
    n += 1
"""


# ---------------------------------------------------------------- helpers


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _side_files(path: Path) -> list[Path]:
    return [
        path.with_name(path.name + suffix)
        for suffix in ("-journal", "-wal", "-shm")
        if path.with_name(path.name + suffix).exists()
    ]


def _journal(path: Path) -> str:
    """The rollback journal beside a ledger: "none", "hot" (SQLite will roll it back on the next
    read-write open) or "stale" (its header was never synced, its first byte is zero: SQLite ignores
    it, the file itself was not yet touched; SQLite leaves it until the next write)."""
    journal = path.with_name(path.name + "-journal")
    if not journal.exists():
        return "none"
    with journal.open("rb") as handle:
        first = handle.read(1)
    return "hot" if first not in (b"", b"\x00") else "stale"


def _integrity(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [row[0] for row in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def _rows(path: Path, sql: str) -> list[Any]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _scalar(path: Path, sql: str) -> Any:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _in_process(db: Path, *args: str) -> None:
    """Build a ledger fast: the CLI in this process (the command under test never runs here)."""
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output


def _assert_clean_failure(result: subprocess.CompletedProcess[str]) -> None:
    """Exit 1 with exactly one line on stderr and no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误："), result.stderr


def _assert_check_passes(db: Path) -> None:
    result = shuoshi("--db", str(db), "check")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), result


@dataclass(frozen=True)
class Logical:
    """What a ledger says, without random ids or wall-clock times: cases and history."""

    cases: tuple[tuple[Any, ...], ...]
    history: tuple[tuple[Any, ...], ...]
    supervisions: tuple[tuple[Any, ...], ...]


def _logical(path: Path) -> Logical:
    con = sqlite3.connect(path)
    try:
        # The columns every schema has (schema 5 added void_reason and duplicate_of, empty
        # for every case a migration brings over).
        later = ("uid", "void_reason", "duplicate_of")
        columns = [r[1] for r in con.execute("PRAGMA table_info(cases)") if r[1] not in later]
        cases = con.execute(f"SELECT {', '.join(columns)} FROM cases ORDER BY id").fetchall()
        history = con.execute(
            "SELECT seq, case_id, effective, user, field, old, new, note FROM history ORDER BY seq"
        ).fetchall()
        supervisions = con.execute("SELECT * FROM supervisions ORDER BY id").fetchall()
    finally:
        con.close()
    return Logical(tuple(cases), tuple(history), tuple(supervisions))


def _schema_1_ledger(path: Path, cases: int = 3) -> None:
    """A first-release file (schema 1, history without hashes), as tests/test_migrations.py."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.m001_initial(con.execute)
    con.execute("PRAGMA user_version = 1")
    con.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("village", "石境村"), ("township", "宝峰镇"), ("county", "靖安县"), ("categories", "[]")],
    )
    seq = 0
    for case_id in range(1, cases + 1):
        title = f"村口路灯不亮{case_id}"
        con.execute(
            "INSERT INTO cases (id, uid, title, received_on, reporter, phone, owner) "
            "VALUES (?, ?, ?, '2026-10-08', '张三', '13800000000', '李四')",
            (case_id, f"u{case_id}", title),
        )
        for field, new in [("title", title), ("kind", "request"), ("channel", "other"),
                           ("reporter", "张三"), ("phone", "13800000000"), ("anonymous", "0"),
                           ("received_on", "2026-10-08"), ("level", "village"),
                           ("status", "open"), ("owner", "李四")]:  # fmt: skip
            seq += 1
            con.execute(
                "INSERT INTO history (seq, case_id, at, effective, user, field, old, new) "
                "VALUES (?, ?, '2026-10-08T09:00:00+08:00', '2026-10-08', '文书', ?, NULL, ?)",
                (seq, case_id, field, new),
            )
    con.close()


@contextmanager
def _write_lock(db: Path) -> Iterator[sqlite3.Connection]:
    """Another clerk holding the ledger's write lock (BEGIN IMMEDIATE)."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield holder
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()


def _wait_for(path: Path, proc: subprocess.Popen[Any], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"process ended (exit {proc.returncode}) before {path.name}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} never appeared")
        time.sleep(0.002)


def _unprivileged() -> list[str]:
    """A command prefix that makes root obey file permissions, as a clerk's account would."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return []
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else []


# ---------------------------------------------------------------- 1. kill -9 mid-write


@dataclass(frozen=True)
class KillPoint:
    at: str  # where the kill was aimed: "sql 7/21", "0.350 s" or "after exit"
    exit_code: int
    journal: str  # _journal() right after the kill: "hot" or "stale" means inside the write


@dataclass(frozen=True)
class Killable:
    """A command to kill, on a fresh copy of a ledger.

    ``start`` "open" or "begin": run it through _INJECT and aim kills at its SQL statements counted
    from that event (deterministic, whatever the machine's load); None: a plain run, killed on a
    timer from its start.
    """

    base: Path  # the ledger before the command
    args: tuple[str, ...]
    start: str | None
    pause: float = 0.01  # seconds before each SQL statement of an injected run


def _events(log: Path) -> list[str]:
    """The event names an injected run has logged so far (a line still being written is left)."""
    if not log.exists():
        return []
    text = log.read_text(encoding="utf-8")
    return [line.split()[0] for line in text.splitlines(keepends=True) if line.endswith("\n")]


def _statements_since(events: list[str], start: str) -> int | None:
    """How many SQL statements began since the first ``start`` event (None: not yet started)."""
    if start not in events:
        return None
    return events[events.index(start) :].count("sql")


def _wait_for_event(
    log: Path, proc: subprocess.Popen[Any], name: str, statements: int = 0, limit: float = 60
) -> None:
    """Wait until ``name`` was logged and then ``statements`` more SQL statements began."""
    deadline = time.monotonic() + limit
    while True:
        seen = _statements_since(_events(log), name)
        if seen is not None and seen >= statements:
            return
        if proc.poll() is not None:
            raise AssertionError(f"process ended (exit {proc.returncode}) before '{name}'")
        if time.monotonic() > deadline:
            raise AssertionError(f"no '{name}' (+{statements} statements) within {limit} s")
        time.sleep(0.001)


def _start(job: Killable, folder: Path, out: int) -> tuple[Path, subprocess.Popen[bytes]]:
    """A fresh copy of the ledger and the command running on it."""
    folder.mkdir(parents=True)
    db = folder / job.base.name
    shutil.copyfile(job.base, db)
    env = dict(os.environ)
    if job.start is None:
        cmd = [PY, "-m", "shuoshi_cli", "--db", str(db), *job.args]
    else:
        env.update(FAULT_LOG=str(folder / "events"), FAULT_PAUSE=str(job.pause), FAULT_SPILL="1")
        (folder / "inject.py").write_text(_INJECT, encoding="utf-8")
        cmd = [PY, str(folder / "inject.py"), "--db", str(db), *job.args]
    return db, subprocess.Popen(cmd, env=env, stdout=out, stderr=out)


def _run_to_end(job: Killable, folder: Path) -> tuple[Path, float]:
    """Run once without a kill: the finished state, and the span to aim kills over (a plain run:
    seconds from start to exit; an injected one: SQL statements from its start event on)."""
    started = time.monotonic()
    db, proc = _start(job, folder, subprocess.PIPE)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    if job.start is None:
        return db, time.monotonic() - started
    statements = _statements_since(_events(folder / "events"), job.start)
    assert statements, "the injected run logged no statements"
    return db, statements


def _kill_once(job: Killable, folder: Path, aim: float | None) -> tuple[Path, KillPoint]:
    """Start the command and SIGKILL it at ``aim`` (seconds, or a statement number when
    injected); ``aim`` None lets it finish."""
    db, proc = _start(job, folder, subprocess.DEVNULL)
    try:
        if aim is None:
            proc.wait(timeout=120)
            at = "after exit"
        elif job.start is None:
            time.sleep(aim)
            at = f"{aim:.3f} s"
        else:
            _wait_for_event(folder / "events", proc, job.start, int(aim))
            at = f"sql {int(aim)}"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    return db, KillPoint(at, proc.returncode, _journal(db))


def _kill_sweep(
    job: Killable, root: Path, points: int, verify: Callable[[Path, Logical], str]
) -> list[tuple[KillPoint, str]]:
    """Kill the command at ``points - 1`` moments spread over its run, and once let it finish.

    ``verify(db, finished)`` inspects each copy afterwards and names the state it found.
    """
    finished_db, span = _run_to_end(job, root / "full")
    finished = _logical(finished_db)
    aims: list[float | None]
    if job.start is None:
        aims = [span * i / (points - 2) for i in range(points - 1)]
    else:
        aims = [1 + round((span - 1) * i / (points - 2)) for i in range(points - 1)]
    aims.append(None)

    def one(number: int) -> tuple[KillPoint, str]:
        db, point = _kill_once(job, root / f"kill{number:02d}", aims[number])
        return point, verify(db, finished)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(one, range(points)))


def _all_or_nothing(db: Path, before: Logical, finished: Logical) -> str:
    """After the next shuoshi command: whole file, and either no trace of the command or all of it."""
    _assert_check_passes(db)  # rolls back a hot journal (read-write open) and verifies the chain
    assert _journal(db) in ("none", "stale")
    assert [p.name for p in _side_files(db) if not p.name.endswith("-journal")] == []
    assert _integrity(db) == ["ok"]
    now = _logical(db)
    if now == before:
        return "none"
    assert _journal(db) == "none"
    assert now == finished, "a killed command left part of its change behind"
    return "applied"


@pytest.fixture
def base_ledger(ledger: Run, db: Path) -> Path:
    """A village ledger with three open cases and some history."""
    for n in range(1, 4):
        result = ledger("add", f"事项{n}", "--reporter", "张三", "--phone", "13800000000")
        assert result.exit_code == 0, result.output
    assert ledger("assign", "2", "--owner", "李四", "--due", "2026-12-10").exit_code == 0
    return db


ADD_ARGS = ("add", "水渠堵塞", "--reporter", "王五", "--phone", "13912345678", "--owner", "李四",
            "--category", "农业生产", "--due", "2026-12-20")  # fmt: skip
# A full account of the work (a few pages of text), so the close spills pages before it commits.
CLOSE_ARGS = (
    "close",
    "2",
    "--outcome",
    "resolved",
    "--result",
    "已疏通。" + "清淤、修补渠壁；" * 600,
)


@pytest.mark.parametrize("args", [ADD_ARGS, CLOSE_ARGS], ids=["add", "close"])
def test_kill_9_inside_the_write_is_all_or_nothing(
    base_ledger: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    before = _logical(base_ledger)
    job = Killable(base_ledger, args, start="begin")
    outcomes = _kill_sweep(
        job, tmp_path / "runs", points=7,
        verify=lambda db, finished: _all_or_nothing(db, before, finished),
    )  # fmt: skip
    seen = {state for _, state in outcomes}
    hot = [point for point, _ in outcomes if point.journal == "hot"]
    summary = [(p.at, p.exit_code, p.journal, s) for p, s in outcomes]
    # The sweep must really have hit the write (a hot journal), and both ends of it.
    assert hot, summary
    assert seen == {"none", "applied"}, summary


@pytest.mark.parametrize("args", [ADD_ARGS, CLOSE_ARGS], ids=["add", "close"])
def test_kill_9_on_a_timer_is_all_or_nothing(
    base_ledger: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    """Plain ``python -m shuoshi_cli``, killed from its start to just past its end."""
    before = _logical(base_ledger)
    job = Killable(base_ledger, args, start=None)
    outcomes = _kill_sweep(
        job, tmp_path / "runs", points=5,
        verify=lambda db, finished: _all_or_nothing(db, before, finished),
    )  # fmt: skip
    assert {state for _, state in outcomes} <= {"none", "applied"}
    assert outcomes[0][1] == "none"


def test_kill_9_during_a_migration_is_all_or_nothing(tmp_path: Path) -> None:
    """A schema-1 ledger upgraded by a write command that is killed at many moments."""
    base = tmp_path / "old" / "石境村.db"
    base.parent.mkdir()
    _schema_1_ledger(base, cases=40)  # enough history that the migration spills pages
    before = _logical(base)
    job = Killable(base, ("add", "水渠堵塞", "--reporter", "王五"), start="open", pause=0.001)

    def verify(db: Path, finished: Logical) -> str:
        # Look at the killed state on a copy of the file and its journal first: `check` would
        # migrate a schema-1 file and hide what the kill left.
        look = db.parent / "look"
        look.mkdir()
        for file in (db, *_side_files(db)):
            shutil.copyfile(file, look / file.name)
        copy = look / db.name
        assert _integrity(copy) == ["ok"]
        version = _scalar(copy, "PRAGMA user_version")
        columns = {r[1] for r in _rows(copy, "PRAGMA table_info(history)")}
        now = _logical(copy)
        if version == 1:
            assert "hash" not in columns, "a half-applied migration"
            assert now == before
            state = "v1"
        else:
            assert version == migrations.LATEST
            assert _scalar(copy, "SELECT count(*) FROM history WHERE hash IS NULL") == 0
            assert now in (before, finished)
            state = "v2" if now == before else "v2+add"
        # Now shuoshi itself meets the killed file: it rolls back, migrates if needed, verifies.
        _assert_check_passes(db)
        assert _integrity(db) == ["ok"]
        assert _scalar(db, "PRAGMA user_version") == migrations.LATEST
        assert _logical(db) in (before, finished)
        backup = db.with_name(f"{db.name}.v1.bak")
        assert _integrity(backup) == ["ok"]
        assert _scalar(backup, "PRAGMA user_version") == 1
        assert _logical(backup) == before
        return state

    outcomes = _kill_sweep(job, tmp_path / "runs", points=7, verify=verify)
    summary = [(p.at, p.exit_code, p.journal, s) for p, s in outcomes]
    # A kill inside the migration left half-written pages; the file still came back as schema 1.
    assert any(p.journal == "hot" and s == "v1" for p, s in outcomes), summary
    assert {"v1", "v2+add"} <= {s for _, s in outcomes}, summary


# ---------------------------------------------------------------- 1b. Ctrl-C while waiting


def _start_blocked_add(db: Path, tmp_path: Path) -> subprocess.Popen[str]:
    """An `add` that has begun its write transaction and is waiting for the lock."""
    script, log = tmp_path / "inject.py", tmp_path / "events"
    script.write_text(_INJECT, encoding="utf-8")
    env = {**os.environ, "SHUOSHI_BUSY_TIMEOUT": "30", "FAULT_LOG": str(log)}
    proc = subprocess.Popen(
        [PY, str(script), "--db", str(db), "add", "被打断的事项", "--reporter", "王五"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    _wait_for_event(log, proc, "begin")
    time.sleep(0.4)  # now inside SQLite's busy wait
    assert proc.poll() is None
    return proc


def test_ctrl_c_while_waiting_for_the_lock_exits_130_and_writes_nothing(
    base_ledger: Path, tmp_path: Path
) -> None:
    before = _logical(base_ledger)
    with _write_lock(base_ledger):
        proc = _start_blocked_add(base_ledger, tmp_path)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in out + err
    assert out == ""
    assert _side_files(base_ledger) == []
    assert _logical(base_ledger) == before
    _assert_check_passes(base_ledger)


def test_ctrl_c_while_waiting_for_the_lock_is_prompt(base_ledger: Path, tmp_path: Path) -> None:
    before = _logical(base_ledger)
    with _write_lock(base_ledger):
        proc = _start_blocked_add(base_ledger, tmp_path)
        interrupted = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        waited = time.monotonic() - interrupted
    out, err = proc.communicate(timeout=60)
    assert _logical(base_ledger) == before
    assert proc.returncode == 130
    assert waited < 2, f"still running {waited:.1f} s after Ctrl-C"


# ---------------------------------------------------------------- 2. two writers


def _start_workers(
    db: Path, tmp_path: Path, tags: list[str], count: int, close_every: int
) -> tuple[list[subprocess.Popen[str]], Path]:
    script = tmp_path / "worker.py"
    script.write_text(_WORKER, encoding="utf-8")
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [PY, str(script), str(db), tag, str(go), str(count), str(close_every)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for tag in tags
    ]
    for proc, tag in zip(procs, tags, strict=True):
        _wait_for(Path(f"{go}.{tag}"), proc)
    go.touch()  # both start writing at the same moment
    return procs, go


def test_two_clerks_writing_at_once_lose_nothing(ledger: Run, db: Path, tmp_path: Path) -> None:
    procs, _ = _start_workers(db, tmp_path, ["甲", "乙"], count=15, close_every=3)
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert len(out.split()) == 15
    ids = sorted(int(n) for out, _ in results for n in out.split())
    assert ids == list(range(1, 31))
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT id, title, status FROM cases ORDER BY id").fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == list(range(1, 31))
    titles = {r[1] for r in rows}
    assert titles == {f"{tag}-{n}" for tag in ("甲", "乙") for n in range(15)}
    closed = {r[1] for r in rows if r[2] == "closed"}
    assert closed == {f"{tag}-{n}" for tag in ("甲", "乙") for n in range(0, 15, 3)}
    # Each writer's printed ids are its own cases.
    by_id = {r[0]: r[1] for r in rows}
    for tag, (out, _) in zip(["甲", "乙"], results, strict=True):
        assert [by_id[int(n)] for n in out.split()] == [f"{tag}-{n}" for n in range(15)]
    assert _integrity(db) == ["ok"]
    _assert_check_passes(db)


def test_lock_held_past_the_timeout_is_a_clear_busy_error(base_ledger: Path) -> None:
    before = _sha(base_ledger)
    env = {"SHUOSHI_BUSY_TIMEOUT": "0.5"}
    with _write_lock(base_ledger):
        with ThreadPoolExecutor(max_workers=2) as pool:
            plain = pool.submit(shuoshi, "--db", str(base_ledger), "add", "等不到", env=env)
            as_json = pool.submit(
                shuoshi, "--db", str(base_ledger), "close", "1", "--outcome", "resolved",
                "--result", "x", "--json", env=env,
            )  # fmt: skip
            plain_result, json_result = plain.result(), as_json.result()
    _assert_clean_failure(plain_result)
    assert BUSY_TEXT in plain_result.stderr
    assert base_ledger.name in plain_result.stderr
    assert json_result.returncode == 1
    error = json.loads(json_result.stdout)
    assert error["error"] == "busy"
    assert BUSY_TEXT in error["message"]
    assert "Traceback" not in json_result.stderr
    assert _sha(base_ledger) == before
    assert _side_files(base_ledger) == []


# ---------------------------------------------------------------- 3. broken and foreign files


def _make_xlsx(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "反映事项"])
    sheet.append([1, "村口路灯不亮"])
    book.save(path)


def _foreign_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('别的软件的数据')")
    con.commit()
    con.close()


def _altered(sql: str) -> Callable[[Path, Path], None]:
    def make(path: Path, healthy: Path) -> None:
        shutil.copyfile(healthy, path)
        con = sqlite3.connect(path)
        con.execute(sql)
        con.commit()
        con.close()
        assert _side_files(path) == []

    return make


BROKEN: dict[str, tuple[Callable[[Path, Path], object], str]] = {
    "empty": (lambda p, h: p.write_bytes(b""), "not_a_ledger"),
    "truncated": (lambda p, h: p.write_bytes(h.read_bytes()[:1000]), "corrupt"),
    "random": (lambda p, h: p.write_bytes(os.urandom(16384)), "not_a_ledger"),
    "xlsx": (lambda p, h: _make_xlsx(p), "not_a_ledger"),
    "foreign_sqlite": (lambda p, h: _foreign_sqlite(p), "not_a_ledger"),
    "user_version_99": (_altered("PRAGMA user_version = 99"), "newer_format"),
    "wal": (_altered("PRAGMA journal_mode = WAL"), "corrupt"),
    "trigger": (
        _altered("CREATE TRIGGER t AFTER INSERT ON cases BEGIN DELETE FROM history; END"),
        "corrupt",
    ),
    "view": (_altered("CREATE VIEW v AS SELECT reporter, phone FROM cases"), "corrupt"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_broken_or_foreign_file_is_refused_untouched(
    kind: str, base_ledger: Path, tmp_path: Path
) -> None:
    make, code = BROKEN[kind]
    folder = tmp_path / "broken"
    folder.mkdir()
    path = folder / "台账.db"
    make(path, base_ledger)
    before = _sha(path)
    added = shuoshi("--db", str(path), "add", "村口路灯不亮", "--reporter", "张三")
    _assert_clean_failure(added)
    assert path.name in added.stderr
    # The read command in-process (same code path, no second interpreter start-up).
    listed = CliRunner().invoke(app, ["--db", str(path), "list", "--json"])
    assert listed.exit_code == 1, listed.output
    assert isinstance(listed.exception, SystemExit)  # a clean exit, not an escaped exception
    assert json.loads(listed.stdout)["error"] == code
    assert listed.stderr == ""
    assert _sha(path) == before
    assert sorted(p.name for p in folder.iterdir()) == [path.name]


def test_read_only_ledger_refuses_writes_and_still_reads(base_ledger: Path) -> None:
    prefix = _unprivileged()
    before = _sha(base_ledger)
    base_ledger.chmod(0o444)
    try:
        cli = [*prefix, PY, "-m", "shuoshi_cli", "--db", str(base_ledger)]
        added = subprocess.run(
            [*cli, "add", "村口路灯不亮"], capture_output=True, text=True, encoding="utf-8"
        )
        if added.returncode == 0:
            pytest.skip("the write succeeded: this account ignores file permissions (root)")
        listed = subprocess.run(
            [*cli, "list", "--json"], capture_output=True, text=True, encoding="utf-8"
        )
    finally:
        base_ledger.chmod(0o644)
    _assert_clean_failure(added)
    assert base_ledger.name in added.stderr
    # Reading a write-protected ledger (a locked USB stick) works and changes nothing.
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 3
    assert _sha(base_ledger) == before
    assert _side_files(base_ledger) == []


def test_ledger_in_a_read_only_folder_refuses_writes_untouched(
    base_ledger: Path, tmp_path: Path
) -> None:
    prefix = _unprivileged()
    folder = tmp_path / "只读"
    folder.mkdir()
    path = folder / base_ledger.name
    shutil.copyfile(base_ledger, path)
    before = _sha(path)
    folder.chmod(0o555)
    try:
        cli = [*prefix, PY, "-m", "shuoshi_cli", "--db", str(path)]
        added = subprocess.run(
            [*cli, "add", "村口路灯不亮", "--json"],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        if added.returncode == 0:
            pytest.skip("the write succeeded: this account ignores folder permissions (root)")
        listed = subprocess.run(
            [*cli, "list", "--json"], capture_output=True, text=True, encoding="utf-8"
        )
    finally:
        folder.chmod(0o755)
    assert added.returncode == 1
    assert "Traceback" not in added.stderr
    assert json.loads(added.stdout)["error"] == "io"
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 3
    assert _sha(path) == before
    assert sorted(p.name for p in folder.iterdir()) == [path.name]


def _village(folder: Path, village: str, cases: int) -> Path:
    path = folder / f"{village}.db"
    _in_process(path, "init", "--village", village, "--township", "宝峰镇", "--county", "靖安县")
    for n in range(cases):
        _in_process(path, "add", f"{village}事项{n}")
    return path


@pytest.mark.parametrize("command", ["stats", "overdue"])
def test_sweep_names_broken_ledgers_and_still_reports_healthy_ones(
    command: str, base_ledger: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ledgers"
    (folder / "sub").mkdir(parents=True)
    _village(folder, "双溪村", 2)
    shutil.copyfile(base_ledger, folder / "sub" / "石境村.db")
    broken = ["truncated", "user_version_99", "wal", "trigger"]
    for kind in broken:
        BROKEN[kind][0](folder / f"{kind}.db", base_ledger)
    before = {p: _sha(p) for p in folder.rglob("*") if p.is_file()}
    result = shuoshi(command, str(folder), "--json")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    if command == "stats":
        assert report["total"]["total"] == 5
    lines = result.stderr.splitlines()
    for kind in broken:
        assert [line for line in lines if f"{kind}.db" in line], (kind, result.stderr)
    assert not [line for line in lines if "双溪村" in line or "石境村" in line], result.stderr
    assert {p: _sha(p) for p in folder.rglob("*") if p.is_file()} == before


def test_sweep_warns_of_skipped_files_even_when_a_ledger_is_broken(
    base_ledger: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ledgers"
    folder.mkdir()
    shutil.copyfile(base_ledger, folder / "石境村.db")
    _make_xlsx(folder / "表格.db")
    BROKEN["truncated"][0](folder / "坏.db", base_ledger)
    result = shuoshi("stats", str(folder))
    assert result.returncode == 1
    assert "坏.db" in result.stderr
    assert "表格.db" in result.stderr, result.stderr  # SPEC 6: skipped with a warning
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- 4. a hot journal


def _tells_to_delete(line: str) -> bool:
    """Whether a message tells the user to delete or remove something ("never delete" is fine)."""
    zh = re.finditer(r"删除|删掉|移除", line)
    if any(not re.search(r"(勿|不要|不可|不能|别)$", line[: m.start()]) for m in zh):
        return True
    en = re.finditer(r"\b(delete|remove|rm)\b", line.lower())
    return any(not re.search(r"(never|not|n't) $", line.lower()[: m.start()]) for m in en)


def _hot_copy(db: Path, dest: Path) -> Path:
    """Copy a ledger and its journal while another connection is half-way through a write."""
    dest.mkdir()
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous = FULL")
        con.execute("PRAGMA cache_size = 1")  # spill changed pages into the file before commit
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE cases SET title = title || '（半途）'")
        con.execute("UPDATE history SET note = printf('%.300c', '半')")
        journal = db.with_name(db.name + "-journal")
        assert journal.stat().st_size > 0
        shutil.copyfile(db, dest / db.name)
        shutil.copyfile(journal, dest / journal.name)
    finally:
        con.execute("ROLLBACK")
        con.close()
    return dest / db.name


def test_hot_journal_is_reported_by_sweeps_and_rolled_back_by_the_next_command(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    for n in range(30):
        assert ledger("add", f"事项{n}", "--reporter", "张三").exit_code == 0
    titles = sorted(f"事项{n}" for n in range(30))
    hot = _hot_copy(db, tmp_path / "hot")
    journal = hot.with_name(hot.name + "-journal")
    # Really hot: the file alone holds half-written pages that only the journal can undo.
    alone = tmp_path / "alone.db"
    shutil.copyfile(hot, alone)
    assert _scalar(alone, "SELECT count(*) FROM history WHERE note LIKE '半%'") > 0
    healthy = _village(tmp_path / "hot", "双溪村", 2)
    before = (_sha(hot), _sha(journal))

    for lang in ("zh", "en"):
        swept = shuoshi("--lang", lang, "stats", str(tmp_path / "hot"), "--json")
        assert swept.returncode == 1, swept.stderr
        assert "Traceback" not in swept.stderr
        assert json.loads(swept.stdout)["total"]["total"] == 2  # the healthy village
        named = [line for line in swept.stderr.splitlines() if hot.name in line]
        assert named, swept.stderr
        assert healthy.name not in swept.stderr
        for line in named:
            assert not _tells_to_delete(line), line
        assert journal.exists()
        assert (_sha(hot), _sha(journal)) == before

    listed = shuoshi("--db", str(hot), "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(c["title"] for c in json.loads(listed.stdout)) == titles
    assert not journal.exists()
    assert _integrity(hot) == ["ok"]
    assert _logical(hot) == _logical(db)
    _assert_check_passes(hot)


def test_sweep_names_a_hot_journal_as_an_interrupted_write(
    ledger: Run, db: Path, tmp_path: Path
) -> None:
    for n in range(15):
        assert ledger("add", f"事项{n}").exit_code == 0
    hot = _hot_copy(db, tmp_path / "hot")
    swept = shuoshi("stats", str(hot))
    assert swept.returncode == 1
    assert hot.name in swept.stderr
    assert "只读" not in swept.stderr, swept.stderr
    english = shuoshi("--lang", "en", "stats", str(hot))
    assert "read-only" not in english.stderr, english.stderr


# ---------------------------------------------------------------- 5. backup


def test_backup_prints_its_sha256_and_is_a_whole_ledger(base_ledger: Path, tmp_path: Path) -> None:
    copy = tmp_path / "备份" / "石境村-备份.db"
    copy.parent.mkdir()
    before = _sha(base_ledger)
    result = shuoshi("--db", str(base_ledger), "backup", str(copy))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"[0-9a-f]{64}\n", result.stdout), result.stdout
    assert result.stdout.strip() == _sha(copy)
    assert _sha(base_ledger) == before
    assert _side_files(copy) == []
    assert _scalar(copy, "PRAGMA journal_mode") == "delete"
    assert _logical(copy) == _logical(base_ledger)
    assert _rows(copy, "SELECT uid FROM cases") == _rows(base_ledger, "SELECT uid FROM cases")
    copied = shuoshi("--db", str(copy), "list", "--status", "all", "--json")
    assert copied.returncode == 0
    assert sorted(c["title"] for c in json.loads(copied.stdout)) == ["事项1", "事项2", "事项3"]
    _assert_check_passes(copy)

    again = shuoshi("--db", str(base_ledger), "backup", str(copy))
    _assert_clean_failure(again)
    assert result.stdout.strip() == _sha(copy)  # the existing file was not replaced


def test_backup_while_another_clerk_writes_is_consistent(base_ledger: Path, tmp_path: Path) -> None:
    procs, go = _start_workers(base_ledger, tmp_path, ["甲"], count=0, close_every=2)
    writer = procs[0]
    copies = []
    try:
        assert writer.stdout is not None
        writer.stdout.readline()  # the writer is under way
        for n in range(2):
            copy = tmp_path / f"copy{n}.db"
            result = shuoshi("--db", str(base_ledger), "backup", str(copy))
            assert result.returncode == 0, result.stderr
            assert re.fullmatch(r"[0-9a-f]{64}\n", result.stdout)
            assert result.stdout.strip() == _sha(copy)
            copies.append(copy)
        still_writing = writer.poll() is None
        # Let the writer commit at least once more, so the copies are shown to be of the past.
        backed_up = _scalar(copies[-1], "SELECT count(*) FROM cases")
        waited = time.monotonic() + 30
        while _scalar(base_ledger, "SELECT count(*) FROM cases") <= backed_up:
            assert time.monotonic() < waited, "the writer stopped writing"
            time.sleep(0.05)
    finally:
        Path(f"{go}.stop").touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert still_writing, "the writer finished before the backups; nothing was tested"
    final = _scalar(base_ledger, "SELECT count(*) FROM cases")
    counts = []
    for copy in copies:
        assert _integrity(copy) == ["ok"]
        counts.append(_scalar(copy, "SELECT count(*) FROM cases"))
        _assert_check_passes(copy)
    assert counts == sorted(counts) and counts[-1] < final, (counts, final)
    _assert_check_passes(base_ledger)


# ---------------------------------------------------------------- 6. check


def test_check_is_silent_on_a_healthy_ledger(base_ledger: Path) -> None:
    before = _sha(base_ledger)
    _assert_check_passes(base_ledger)
    assert _sha(base_ledger) == before


def _forge(rechain: bool) -> Callable[[sqlite3.Connection], None]:
    def forge(con: sqlite3.Connection) -> None:
        from shuoshi_cli.core import chain

        seq, previous = con.execute("SELECT seq, hash FROM history ORDER BY seq DESC").fetchone()
        at, effective, salt = "2026-11-27T10:00:00+08:00", "2026-11-27", chain.new_salt()
        old, new = chain.digest(None, salt), chain.digest("王五", salt)
        link = chain.link(previous, seq + 1, 1, at, effective, "某人", "owner", old, new, None)
        con.execute(
            "INSERT INTO history (seq, case_id, at, effective, user, field, old, new, note, salt, "
            "old_digest, new_digest, hash) VALUES (?, 1, ?, ?, '某人', 'owner', NULL, '王五', NULL, "
            "?, ?, ?, ?)",
            (seq + 1, at, effective, salt, old, new, link if rechain else "0" * 64),
        )

    return forge


TAMPERING: dict[str, Callable[[sqlite3.Connection], object]] = {
    "history_value_edited": lambda c: c.execute("UPDATE history SET new = 'x' WHERE seq = 1"),
    "history_row_deleted": lambda c: c.execute("DELETE FROM history WHERE seq = 3"),
    "case_row_edited": lambda c: c.execute("UPDATE cases SET owner = '王五'"),
    "timeline_row_edited": lambda c: c.execute("UPDATE timeline SET status = 'closed'"),
    "forged_history_row": _forge(rechain=False),
    "forged_row_with_a_recomputed_chain": _forge(rechain=True),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_check_finds_tampering(how: str, base_ledger: Path) -> None:
    con = sqlite3.connect(base_ledger)
    TAMPERING[how](con)
    con.commit()
    con.close()
    result = shuoshi("--db", str(base_ledger), "check")
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert result.stdout.strip().splitlines(), "no problem line"
    assert len(result.stderr.splitlines()) == 1, result.stderr  # "台账检查发现 N 个问题"
    as_json = shuoshi("--db", str(base_ledger), "check", "--json")
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert report["ok"] is False and report["problems"]


# ---------------------------------------------------------------- 7. erase-reporter


NAME, PHONE = "赵六六", "13912345678"
OTHER_NAME, OTHER_PHONE = "钱七七", "13700000001"


def test_erase_reporter_leaves_no_trace_in_the_file(ledger: Run, db: Path) -> None:
    assert ledger("add", "宅基地纠纷", "--reporter", NAME, "--phone", PHONE).exit_code == 0
    assert (
        ledger("add", "路灯不亮", "--reporter", OTHER_NAME, "--phone", OTHER_PHONE).exit_code == 0
    )
    assert ledger("assign", "1", "--owner", "李四").exit_code == 0
    assert ledger("close", "1", "--outcome", "explained", "--result", "已解释").exit_code == 0
    raw = db.read_bytes()
    assert NAME.encode() in raw and PHONE.encode() in raw  # the search below can see them

    before = _sha(db)
    refused = shuoshi("--db", str(db), "erase-reporter", "1")
    _assert_clean_failure(refused)
    assert _sha(db) == before

    erased = shuoshi("--db", str(db), "erase-reporter", "1", "--yes")
    assert erased.returncode == 0, erased.stderr
    raw = db.read_bytes()
    assert NAME.encode() not in raw
    assert PHONE.encode() not in raw
    assert OTHER_NAME.encode() in raw and OTHER_PHONE.encode() in raw
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name)) == [db.name]
    _assert_check_passes(db)

    shown = shuoshi("--db", str(db), "show", "1", "--json")
    case = json.loads(shown.stdout)
    assert case["reporter"] is None and case["phone"] is None
    assert case["status"] == "closed" and case["result"] == "已解释"
    assert case["history"][-1]["field"] == "erasure"  # the history says an erasure happened
    assert len(case["history"]) > 10  # and keeps the rest
    assert NAME not in shown.stdout and PHONE not in shown.stdout
    assert _rows(db, "SELECT reporter, phone FROM cases WHERE id = 2") == [
        (OTHER_NAME, OTHER_PHONE)
    ]


def test_erase_reporter_on_a_case_without_one_is_wrong_state(ledger: Run, db: Path) -> None:
    assert ledger("add", "匿名反映", "--anonymous").exit_code == 0
    before = _sha(db)
    result = shuoshi("--db", str(db), "erase-reporter", "1", "--yes", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"] == "wrong_state"
    assert "Traceback" not in result.stderr
    assert _sha(db) == before
