"""shuoshi's speed, each figure beside a floor measured in the same run.

Whole-process timings (medians of several runs) of the real CLI against plain Python doing the
least the same job needs: importing the same libraries, or a plain-sqlite3 script running the same
query over the same files, or openpyxl write-only writing the same rows. Peak memory is the child's
maximum resident set. The machine is noisy: read the ratios, not the seconds.

    python benchmarks/run.py [--ledgers 300] [--cases 1000] [--export-cases 100000] [--repeat 5]
                             [--keep DIR] [--only clerk|sweeps|export]

The clerk's commands (``--help``, ``add``, ``list``, ``show``, ``close``) run through the installed
``shuoshi`` script, pair by pair with ``python -c "import typer"``; their ratio is the median of
the per-pair ratios. ``--only clerk`` runs that section alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
TODAY = "2026-11-27"

# The reference floor: open 1,000 ledgers and count the overdue cases in each.
FLOOR_SWEEP = """
import os, sqlite3, sys
overdue = 0
for root, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".db"):
            con = sqlite3.connect("file:" + os.path.join(root, name) + "?mode=ro", uri=True)
            overdue += con.execute(
                "SELECT count(*) FROM cases WHERE status = 'open' AND deadline < ?", (sys.argv[2],)
            ).fetchone()[0]
            con.close()
print(overdue)
"""

# The same month query `stats` runs (reader.tally_sql, passed in as text), one process, no checks.
FLOOR_MONTH = """
import os, sqlite3, sys
sql, params = sys.argv[2], dict(zip(("start", "d", "carry"), sys.argv[3:6]))
groups = 0
for root, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".db"):
            con = sqlite3.connect("file:" + os.path.join(root, name) + "?mode=ro", uri=True)
            groups += len(con.execute(sql, params).fetchall())
            con.close()
print(groups)
"""

# What `overdue --json` lists: every overdue case and every case closed late in the month, all
# columns, as one JSON document on stdout.
FLOOR_OVERDUE = """
import json, os, sqlite3, sys
found = []
for root, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".db"):
            con = sqlite3.connect("file:" + os.path.join(root, name) + "?mode=ro", uri=True)
            cursor = con.execute(
                "SELECT * FROM cases WHERE (status = 'open' AND deadline < ?) "
                "OR (status = 'closed' AND closed_on > deadline AND closed_on >= ?)",
                (sys.argv[2], sys.argv[3]),
            )
            columns = [c[0] for c in cursor.description]
            found.extend(dict(zip(columns, row)) for row in cursor)
            con.close()
sys.stdout.write(json.dumps(found, ensure_ascii=False))
"""


def compile_package() -> None:
    """Byte-compile shuoshi first, as pip does when it installs a wheel.

    An editable install run with PYTHONDONTWRITEBYTECODE=1 (this machine's default) would
    otherwise compile its forty modules from source on every run, while the libraries in the
    floors load compiled: ~50 ms that no installed shuoshi pays.
    """
    import compileall

    import shuoshi_cli

    compileall.compile_dir(str(Path(shuoshi_cli.__file__).parent), quiet=1)


def month_floor(county: Path, month: str | None, period: str | None = None) -> list[str]:
    """The FLOOR_MONTH command for ``month`` (None: this month, as of TODAY) or ``period``."""
    from datetime import date

    from shuoshi_cli.core.periods import month_scope, parse_period
    from shuoshi_cli.store.read import tally_sql

    today = date.fromisoformat(TODAY)
    scope = parse_period(period, today) if period else month_scope(month, None, today)
    days = (scope.start, scope.as_of, scope.carried_from)
    return [PY, "-c", FLOOR_MONTH, str(county), tally_sql(None), *(d.isoformat() for d in days)]


def median(
    cmd: list[str], repeat: int, env: dict[str, str], stdin: bytes | None = None
) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(repeat):
        wall, rss = _timed(cmd, env, stdin)
        times.append(wall)
        peaks.append(rss)
    return statistics.median(times), max(peaks)


def _timed(cmd: list[str], env: dict[str, str], stdin: bytes | None) -> tuple[float, int]:
    """Wall seconds and this child's own peak resident memory in MiB (os.wait4's rusage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=out, stderr=err)
        assert child.stdin is not None
        if stdin:
            child.stdin.write(stdin)
        child.stdin.close()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise SystemExit(
                f"failed ({child.returncode}): {' '.join(cmd)}\n{err.read().decode(errors='replace')}"
            )
    return wall, usage.ru_maxrss // 1024


def shuoshi_command() -> list[str]:
    """The installed console script beside this interpreter (``.venv/bin/shuoshi``), as a user
    runs it; ``python -m shuoshi_cli`` only when shuoshi is not installed with a script."""
    folder = Path(PY).parent
    for name in ("shuoshi", "shuoshi.exe"):
        if (folder / name).is_file():
            return [str(folder / name)]
    return [PY, "-m", "shuoshi_cli"]


def paired(
    cmd: list[str],
    floor_cmd: list[str],
    repeat: int,
    env: dict[str, str],
    fresh: Callable[[], None] | None = None,
) -> tuple[float, float, float, int]:
    """``cmd`` and its floor run pair by pair (which goes first alternates), so both see the same
    moment of a noisy machine. Returns the median of ``cmd``, the floor's median, the median of
    the per-pair ratios, and ``cmd``'s peak RSS. ``fresh`` runs before each pair, outside the
    timing (a new copy of the ledger for commands that change it)."""
    ours, floors, ratios, peaks = [], [], [], []
    for n in range(repeat):
        if fresh is not None:
            fresh()
        if n % 2:
            wall, rss = _timed(cmd, env, None)
            base, _ = _timed(floor_cmd, env, None)
        else:
            base, _ = _timed(floor_cmd, env, None)
            wall, rss = _timed(cmd, env, None)
        ours.append(wall)
        floors.append(base)
        ratios.append(wall / base)
        peaks.append(rss)
    return statistics.median(ours), statistics.median(floors), statistics.median(ratios), max(peaks)


def fresh_copy(source: Path, target: Path) -> None:
    """``target`` as a new copy of ``source``, flushed to disk so that the command's own fsync
    pays for its write only, not for the copy's dirty pages."""
    for stale in (target, target.with_name(target.name + "-journal")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    with open(target, "rb+") as copied:
        os.fsync(copied.fileno())
    if os.name == "posix":
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def ledger_facts(ledger: Path) -> tuple[int, int]:
    """How many cases ``ledger`` holds, and an open case (with an owner and not planned, if there
    is one) for ``show`` and ``close``, read with plain sqlite3 before anything is timed."""
    import sqlite3

    con = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
    try:
        (count,) = con.execute("SELECT count(*) FROM cases").fetchone()
        row = con.execute(
            "SELECT id FROM cases WHERE status = 'open' "
            "ORDER BY owner IS NULL, outcome IS NOT NULL, id LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    if row is None:
        raise SystemExit(f"no open case in {ledger}: generate more cases (--cases)")
    return count, row[0]


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str]] = []

    def add(
        self,
        what: str,
        ours: float,
        floor: float,
        floor_name: str,
        goal: str,
        rss: int,
        ratio: float | None = None,
    ) -> None:
        """One row; ``ratio`` defaults to the ratio of the medians."""
        if ratio is None:
            ratio = ours / floor if floor else float("nan")
        self.rows.append(
            (
                what,
                f"{ours * 1000:.0f} ms",
                f"{floor * 1000:.0f} ms ({floor_name})",
                f"{ratio:.2f}x",
                goal,
                f"{rss} MiB",
            )
        )

    def show(self) -> None:
        heads = ("measure", "shuoshi", "floor", "ratio", "goal", "peak RSS")
        widths = [max(len(h), *(len(r[i]) for r in self.rows)) for i, h in enumerate(heads)]
        print(" | ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
        print("-+-".join("-" * w for w in widths))
        for row in self.rows:
            print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


SECTIONS = ("clerk", "sweeps", "export")


def generate(out: Path, ledgers: int, cases: int, env: dict[str, str]) -> None:
    """A county of ``ledgers`` village ledgers of ``cases`` cases in ``out`` (kept if there)."""
    if not out.exists():
        subprocess.run(
            [
                PY,
                str(HERE / "generate.py"),
                str(out),
                "--ledgers",
                str(ledgers),
                "--cases",
                str(cases),
            ],
            env=env,
            check=True,
        )


def clerk(
    table: Table, shuoshi: list[str], village: Path, work: Path, r: int, env: dict[str, str]
) -> None:
    """The clerk's everyday commands, each run pair by pair with ``python -c "import typer"``.

    ``list`` and ``show`` read one copy of the village ledger; ``add`` and ``close`` each run on
    a fresh copy made before each pair, so every run does the same work and ``close`` always
    finds the case open.
    """
    floor_cmd = [PY, "-c", "import typer"]
    folder = work / "clerk"
    folder.mkdir(exist_ok=True)
    ledger = folder / "ledger.db"
    fresh_copy(village, ledger)
    scratch = folder / "scratch.db"
    count, case = ledger_facts(ledger)

    def row(what: str, args: list[str], goal: str, writes: bool = False) -> None:
        fresh = (lambda: fresh_copy(village, scratch)) if writes else None
        ours, floor, ratio, rss = paired([*shuoshi, *args], floor_cmd, r, env, fresh)
        table.add(what, ours, floor, "import typer", goal, rss, ratio)

    add = ["add", "村口路灯不亮", "--reporter", "张三", "--phone", "13800000000", "--due", "+5wd"]
    close = ["close", str(case), "--outcome", "resolved", "--result", "已更换灯泡"]
    row("--help", ["--help"], "<= 1.5x")
    row("add --help", ["add", "--help"], "<= 3x")
    row("add one case", ["--db", str(scratch), *add], "<= 2x", writes=True)
    row(f"list ({count} cases)", ["--db", str(ledger), "list"], "<= 2x")
    row("show ID", ["--db", str(ledger), "show", str(case)], "<= 2x")
    row("close ID", ["--db", str(scratch), *close], "<= 2x", writes=True)

    # 200 cases piped through add -, against one piped the same way, into a new ledger.
    piped = folder / "piped.db"
    piped.unlink(missing_ok=True)
    place = ["--village", "石境村", "--township", "宝峰镇", "--county", "靖安县"]
    subprocess.run(
        [*shuoshi, "--db", str(piped), "init", *place], env=env, check=True, capture_output=True
    )
    entry = "灌溉水渠堵塞\n\n\n农业生产\n说事点\n王五\n13912345678\n\n李四\n+5wd\n\n"
    one, _ = median([*shuoshi, "--db", str(piped), "add", "-"], r, env, entry.encode())
    many, rss = median(
        [*shuoshi, "--db", str(piped), "add", "-"], max(1, r // 2), env, (entry * 200).encode()
    )
    per_case = (many - one) / 199
    table.rows.append(
        (
            "add - (per case, 200 piped)",
            f"{per_case * 1000:.1f} ms",
            "",
            "",
            "<= 30 ms",
            f"{rss} MiB",
        )
    )


def sweeps(
    table: Table,
    shuoshi: list[str],
    work: Path,
    args: argparse.Namespace,
    r: int,
    env: dict[str, str],
) -> None:
    """``overdue`` and ``stats`` over the county, beside plain-sqlite3 scripts over the same files."""
    county = work / "county"
    generate(county, args.ledgers, args.cases, env)
    floor, _ = median([PY, "-c", FLOOR_SWEEP, str(county), TODAY], r, env)
    label = f"{args.ledgers} ledgers x {args.cases}"
    listed, _ = median([PY, "-c", FLOOR_OVERDUE, str(county), TODAY, TODAY[:8] + "01"], r, env)
    ours, rss = median([*shuoshi, "overdue", str(county), "--json"], r, env)
    table.add(f"overdue --json ({label})", ours, floor, "sqlite3 overdue count", "<= 2x", rss)
    table.add("  same, vs the same list", ours, listed, "sqlite3 list as JSON", "<= 2x", rss)
    same, _ = median(month_floor(county, None), r, env)
    ours, rss = median([*shuoshi, "stats", str(county), "--json"], r, env)
    table.add(f"stats this month ({label})", ours, floor, "sqlite3 overdue count", "<= 2x", rss)
    table.add("  same, vs the same query", ours, same, "sqlite3 month query", "<= 2x", rss)
    same, _ = median(month_floor(county, "2026-10"), r, env)
    ours, rss = median(
        [*shuoshi, "stats", "--month", "2026-10", str(county), "--by", "village", "--json"],
        r,
        env,
    )
    table.add(
        "stats --month 2026-10 --by village", ours, floor, "sqlite3 overdue count", "<= 2x", rss
    )
    table.add("  same, vs the same query", ours, same, "sqlite3 month query", "<= 2x", rss)
    month_stats, month_rss = ours, rss
    for period, what in (("2026-Q4", "quarter"), ("2026", "year")):
        same, _ = median(month_floor(county, None, period), r, env)
        ours, rss = median([*shuoshi, "stats", "--period", period, str(county), "--json"], r, env)
        table.add(
            f"stats --period {period} ({what})", ours, same, "sqlite3 same query", "<= 2x", rss
        )
    ours, rss = median(
        [*shuoshi, "stats", "--month", "2026-10", str(county), "--by", "village", "--json",
         "--known-by", "2026-11-05"],
        r,
        env,
    )  # fmt: skip
    table.add(
        "  same, --known-by 2026-11-05", ours, month_stats, "stats, same month", "<= 10x", rss
    )
    small_count = max(args.ledgers // 10, 1)
    small = work / "county-small"
    generate(small, small_count, args.cases, env)
    _, rss_small = median([*shuoshi, "stats", str(small), "--json"], 1, env)
    table.rows.append(
        (
            f"stats memory: {small_count} vs {args.ledgers} ledgers",
            "",
            "",
            "",
            "flat",
            f"{rss_small} vs {month_rss} MiB",
        )
    )


def export(
    table: Table,
    shuoshi: list[str],
    village: Path,
    work: Path,
    args: argparse.Namespace,
    r: int,
    env: dict[str, str],
) -> None:
    """The county workbook of EXPORT_CASES cases beside openpyxl write-only, and one village's."""
    ours, rss = median(
        [PY, str(HERE / "export_bench.py"), "ours", str(args.export_cases), str(work)], 1, env
    )
    floor, _ = median(
        [PY, str(HERE / "export_bench.py"), "floor", str(args.export_cases), str(work)], 1, env
    )
    table.add(
        f"export workbook ({args.export_cases} cases)",
        ours,
        floor,
        "openpyxl write_only, same rows",
        "<= 1.2x, < 150 MiB",
        rss,
    )
    floor, _ = median([PY, "-c", "import typer, openpyxl"], r, env)
    out = work / "village.xlsx"
    ours, rss = median([*shuoshi, "export", str(village), "-o", str(out), "--force"], r, env)
    table.add(
        "export one village-month", ours, floor, "import typer, openpyxl", "floor + 0.5 s", rss
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledgers", type=int, default=300)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--export-cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="reuse/keep generated data in this folder")
    parser.add_argument(
        "--only", choices=SECTIONS, action="append", help="run only this section (repeatable)"
    )
    args = parser.parse_args()
    only = args.only or list(SECTIONS)
    work = args.keep or Path(tempfile.mkdtemp(prefix="shuoshi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SHUOSHI_TODAY": TODAY, "SHUOSHI_USER": "bench", "SHUOSHI_LANG": "zh"}
    env.pop("SHUOSHI_CALENDAR", None)
    shuoshi = shuoshi_command()
    compile_package()
    table = Table()
    r = args.repeat
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}")
    print(f"shuoshi: {' '.join(shuoshi)}")
    try:
        # One village ledger of CASES cases: the clerk's ledger and the village-month export.
        village_county = work / "village"
        generate(village_county, 1, args.cases, env)
        village = next(village_county.rglob("*.db"))
        if "clerk" in only:
            print(
                'clerk commands: each run paired with `python -c "import typer"` (order'
                " alternating); ratio = median of the per-pair ratios; add and close each on a"
                " fresh copy of the ledger, made outside the timing"
            )
            clerk(table, shuoshi, village, work, r, env)
        if "sweeps" in only:
            sweeps(table, shuoshi, work, args, r, env)
        if "export" in only:
            export(table, shuoshi, village, work, args, r, env)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    table.show()


if __name__ == "__main__":
    main()
