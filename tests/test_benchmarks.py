"""The benchmark scripts still run end to end (tiny sizes; no timings are asserted, ever)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(tmp_path: Path, *options: str) -> list[str]:
    """The table's rows of one run at tiny sizes."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--ledgers", "3", "--cases", "40",
         "--export-cases", "300", "--repeat", "1", "--keep", str(tmp_path), *options],
        capture_output=True, text=True, encoding="utf-8", timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("measure")) + 2 :]
    assert all(line.count("|") == 5 for line in table)
    return table


def test_run_prints_every_figure_beside_its_floor(tmp_path: Path) -> None:
    measures = [line.split("|")[0].strip() for line in run(tmp_path)]
    assert measures == [
        "--help",
        "add --help",
        "add one case",
        "list (40 cases)",
        "show ID",
        "close ID",
        "add - (per case, 200 piped)",
        "overdue --json (3 ledgers x 40)",
        "same, vs the same list",
        "stats this month (3 ledgers x 40)",
        "same, vs the same query",
        "stats --month 2026-10 --by village",
        "same, vs the same query",
        "stats --period 2026-Q4 (quarter)",
        "stats --period 2026 (year)",
        "same, --known-by 2026-11-05",
        "stats memory: 1 vs 3 ledgers",
        "export workbook (300 cases)",
        "export one village-month",
    ]
    # The generated county is real: three ledgers in township folders that check passes.
    ledgers = sorted((tmp_path / "county").rglob("*.db"))
    assert len(ledgers) == 3
    checked = subprocess.run(
        [sys.executable, "-m", "shuoshi_cli", "--db", str(ledgers[0]), "check"],
        capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert (checked.returncode, checked.stdout) == (0, "")


def test_clerk_section_runs_alone_and_leaves_the_ledger_as_generated(tmp_path: Path) -> None:
    table = run(tmp_path, "--only", "clerk", "--repeat", "2")
    assert [line.split("|")[0].strip() for line in table] == [
        "--help",
        "add --help",
        "add one case",
        "list (40 cases)",
        "show ID",
        "close ID",
        "add - (per case, 200 piped)",
    ]
    assert all("import typer" in line for line in table[:-1])
    # No county for the sweeps; the generated village ledger itself was never written to.
    assert not (tmp_path / "county").exists()
    (village,) = (tmp_path / "village").rglob("*.db")
    with closing(sqlite3.connect(village)) as con:
        assert con.execute("SELECT count(*) FROM cases").fetchone() == (40,)
