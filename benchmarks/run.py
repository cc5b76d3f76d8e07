"""shuoshi's speed, each figure beside a floor measured in the same run.

Whole-process timings (medians of several runs) of the real CLI against plain Python doing the
least the same job needs: importing the same libraries, or a plain-sqlite3 script running the same
query over the same files, or openpyxl write-only writing the same rows. Peak memory is the child's
maximum resident set. The machine is noisy: read the ratios, not the seconds.

    python benchmarks/run.py [--ledgers 300] [--cases 1000] [--export-cases 100000] [--repeat 5]
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


def month_floor(county: Path, month: str | None) -> list[str]:
    """The FLOOR_MONTH command for ``month`` (None: this month, as of TODAY)."""
    from datetime import date

    from shuoshi_cli.core.figures import month_scope
    from shuoshi_cli.store.read import tally_sql

    scope = month_scope(month, None, date.fromisoformat(TODAY))
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


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str]] = []

    def add(
        self, what: str, ours: float, floor: float, floor_name: str, goal: str, rss: int
    ) -> None:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledgers", type=int, default=300)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--export-cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="reuse/keep generated data in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="shuoshi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SHUOSHI_TODAY": TODAY, "SHUOSHI_USER": "bench", "SHUOSHI_LANG": "zh"}
    env.pop("SHUOSHI_CALENDAR", None)
    shuoshi = [PY, "-m", "shuoshi_cli"]
    compile_package()
    table = Table()
    r = args.repeat
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {sys.platform}")
    try:
        # Start-up.
        floor, _ = median([PY, "-c", "import typer"], r, env)
        ours, rss = median([*shuoshi, "--help"], r, env)
        table.add("--help", ours, floor, "import typer", "<= 3x", rss)
        ours, rss = median([*shuoshi, "add", "--help"], r, env)
        table.add("add --help", ours, floor, "import typer", "<= 3x", rss)

        # One add, and 200 piped through add -.
        ledger = work / "bench.db"
        ledger.unlink(missing_ok=True)
        subprocess.run(
            [
                *shuoshi,
                "--db",
                str(ledger),
                "init",
                "--village",
                "石境村",
                "--township",
                "宝峰镇",
                "--county",
                "靖安县",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        floor, _ = median([PY, "-c", "import typer, sqlmodel"], r, env)
        ours, rss = median(
            [
                *shuoshi,
                "--db",
                str(ledger),
                "add",
                "村口路灯不亮",
                "--reporter",
                "张三",
                "--phone",
                "13800000000",
                "--due",
                "+5wd",
            ],
            r,
            env,
        )
        table.add("add (one case)", ours, floor, "import typer, sqlmodel", "<= 1.15x", rss)
        # shuoshi freezes the garbage collector as it exits (cli/app.py main), sparing the
        # interpreter's shutdown a collection over SQLAlchemy's objects; the same for the floor.
        frozen, _ = median([PY, "-c", "import gc, typer, sqlmodel; gc.freeze()"], r, env)
        table.add("  same, floor exiting alike", ours, frozen, "... + gc.freeze()", "<= 1.15x", rss)
        entry = "灌溉水渠堵塞\n\n\n农业生产\n说事点\n王五\n13912345678\n\n李四\n+5wd\n\n"
        one, _ = median([*shuoshi, "--db", str(ledger), "add", "-"], r, env, entry.encode())
        many, rss = median(
            [*shuoshi, "--db", str(ledger), "add", "-"], max(1, r // 2), env, (entry * 200).encode()
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

        # County sweeps.
        county = work / "county"
        if not county.exists():
            subprocess.run(
                [
                    PY,
                    str(HERE / "generate.py"),
                    str(county),
                    "--ledgers",
                    str(args.ledgers),
                    "--cases",
                    str(args.cases),
                ],
                env=env,
                check=True,
            )
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
        small = work / "county-small"
        if not small.exists():
            subprocess.run(
                [
                    PY,
                    str(HERE / "generate.py"),
                    str(small),
                    "--ledgers",
                    str(max(args.ledgers // 10, 1)),
                    "--cases",
                    str(args.cases),
                ],
                env=env,
                check=True,
            )
        _, rss_small = median([*shuoshi, "stats", str(small), "--json"], 1, env)
        table.rows.append(
            (
                f"stats memory: {max(args.ledgers // 10, 1)} vs {args.ledgers} ledgers",
                "",
                "",
                "",
                "flat",
                f"{rss_small} vs {rss} MiB",
            )
        )

        # Export.
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
        village = sorted(county.rglob("*.db"))[0]
        floor, _ = median([PY, "-c", "import typer, openpyxl"], r, env)
        out = work / "village.xlsx"
        ours, rss = median([*shuoshi, "export", str(village), "-o", str(out), "--force"], r, env)
        table.add(
            "export one village-month", ours, floor, "import typer, openpyxl", "floor + 0.5 s", rss
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    table.show()


if __name__ == "__main__":
    main()
