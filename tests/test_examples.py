"""The demo township (examples/demo_township.py) runs as a user would run it and builds exactly
the ledgers it promises; the facts are read back through the CLI, as a clerk would see them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shuoshi_cli.cli import app

ROOT = Path(__file__).parents[1]
SCRIPT = ROOT / "examples" / "demo_township.py"
VILLAGES = ("石境村", "双溪村", "周口村", "宝峰村")
CLERKS = {"石境村": "胡玉兰", "双溪村": "钟丽萍", "周口村": "余建英", "宝峰村": "舒晓燕"}
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
FINAL_DAY = "2026-11-27"


@dataclass(frozen=True)
class Built:
    outdir: Path
    stdout: str


def run_script(outdir: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """The script in its own process, with none of the developer's shuoshi settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHUOSHI_")}
    env.update(HOME=str(home), SHUOSHI_TODAY=FINAL_DAY, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(outdir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Built once for the module: the script takes a few seconds."""
    base = tmp_path_factory.mktemp("township")
    done = run_script(base / "ledgers", base / "home")
    assert done.returncode == 0, done.stderr
    return Built(base / "ledgers", done.stdout)


def cli(db: Path, *args: str) -> Any:
    """One CLI command with --json, in-process; it must succeed."""
    result = CliRunner().invoke(app, ["--db", str(db), *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cases(built: Built, village: str, status: str = "all") -> list[dict[str, Any]]:
    return list(cli(built.outdir / f"{village}.db", "list", "--status", status))


def everything(built: Built) -> list[dict[str, Any]]:
    return [c for v in VILLAGES for c in cases(built, v)]


def case(built: Built, village: str, title: str) -> dict[str, Any]:
    found = [c for c in cases(built, village) if c["title"] == title]
    assert len(found) == 1, title
    return found[0]


def show(built: Built, village: str, case_id: int) -> dict[str, Any]:
    return dict(cli(built.outdir / f"{village}.db", "show", str(case_id)))


# ---------------------------------------------------------------- what gets built


def test_builds_exactly_four_village_ledgers(township: Built) -> None:
    assert sorted(p.name for p in township.outdir.iterdir()) == sorted(f"{v}.db" for v in VILLAGES)
    total = next(line for line in township.stdout.splitlines() if line.startswith("合计"))
    # 合计: cases, open, closed, overdue, planned, escalated, supervised
    # Overdue 6: two cases missed a deadline before it was moved (lateness sticks, SPEC 4).
    assert total.split() == ["合计", "43", "16", "27", "6", "4", "10", "5"]
    assert f"--db {township.outdir / '石境村.db'} list" in township.stdout.replace("'", "")


@pytest.mark.parametrize(
    ("village", "total", "open_", "closed", "overdue"),
    [
        ("石境村", 11, 4, 7, 2),
        ("双溪村", 11, 4, 7, 1),
        ("周口村", 10, 3, 7, 2),
        ("宝峰村", 11, 5, 6, 1),
    ],
)
def test_case_counts_per_village_and_status(
    township: Built, village: str, total: int, open_: int, closed: int, overdue: int
) -> None:
    every = cases(township, village)
    assert sorted(c["id"] for c in every) == list(range(1, total + 1))
    assert {c["village"] for c in every} == {village}
    assert len(cases(township, village, "open")) == open_
    assert len(cases(township, village, "closed")) == closed
    assert len(cases(township, village, "overdue")) == overdue


def test_township_covers_every_state(township: Built) -> None:
    every = everything(township)
    assert len(every) == 43
    assert Counter(c["outcome"] for c in every) == {
        "resolved": 23,
        "explained": 4,
        "planned": 4,
        None: 12,
    }
    assert Counter(c["level"] for c in every) == {"village": 33, "township": 9, "county": 1}
    assert Counter(c["kind"] for c in every) == {
        "request": 24,
        "suggestion": 7,
        "complaint": 7,
        "inquiry": 5,
    }
    assert Counter(c["channel"] for c in every) == {
        "talk": 16,
        "app": 8,
        "visit": 8,
        "phone": 6,
        "tourist": 3,
        "other": 2,
    }
    closed = [c for c in every if c["status"] == "closed"]
    assert Counter(c["satisfaction"] for c in closed if c["feedback_on"]) == {
        "satisfied": 14,
        "basic": 7,
        "unsatisfied": 1,
        None: 2,  # told the result, gave no rating
    }
    late = [c["title"] for c in closed if c["deadline"] and c["closed_on"] > c["deadline"]]
    assert sorted(late) == sorted(
        [
            "垃圾清运不及时",
            "有人在河道电鱼",
            "农田灌溉轮灌矛盾",
            "竹木加工厂夜间噪音",
            "民宿污水直排",
        ]
    )
    open_no_owner = {c["title"] for c in every if c["status"] == "open" and not c["owner"]}
    assert open_no_owner == {
        "建议在村小学门口设置减速带",
        "建议修建村级文化活动中心",  # planned without an owner
        "村卫生室常用药品不全",
        "自来水水压不足",
        "建议开发冬季旅游线路",
    }


def test_received_dates_span_october_and_november(township: Built) -> None:
    received = sorted(c["received_on"] for c in everything(township))
    assert received[0] == "2026-10-02" and received[-1] == FINAL_DAY
    assert {r[:7] for r in received} == {"2026-10", "2026-11"}


def test_talk_sessions_and_linked_cases(township: Built) -> None:
    sessions = {v: cli(township.outdir / f"{v}.db", "session", "list") for v in VILLAGES}
    assert {v: len(s) for v, s in sessions.items()} == {
        "石境村": 2,
        "双溪村": 2,
        "周口村": 1,
        "宝峰村": 2,
    }
    for village, talks in sessions.items():
        held = {s["id"]: s["date"] for s in talks}
        linked = [c for c in cases(township, village) if c["session"] is not None]
        assert linked and all(c["channel"] == "talk" for c in linked)
        assert all(held[c["session"]] <= c["received_on"] for c in linked)


# ---------------------------------------------------------------- particular cases


def test_streetlight_case_closed_resolved_on_time(township: Built) -> None:
    light = case(township, "石境村", "村口路灯不亮")
    assert light["id"] == 3
    assert (light["status"], light["outcome"], light["result"]) == (
        "closed",
        "resolved",
        "已更换路灯灯泡3只",
    )
    assert light["received_on"] == "2026-10-15"
    assert light["deadline"] == "2026-10-22"  # +5wd from Thursday 10-15
    assert light["closed_on"] == "2026-10-20"
    assert (light["feedback_on"], light["satisfaction"]) == ("2026-10-21", "satisfied")
    assert (light["reporter"], light["phone"], light["session"]) == ("张桂英", "13907956218", 1)
    notes = [e["note"] for e in show(township, "石境村", 3)["history"] if e["field"] == "deadline"]
    assert notes and "+5wd" in notes[0]


def test_working_days_count_the_national_day_make_up_saturday(township: Built) -> None:
    sign = case(township, "宝峰村", "景区公厕指示牌不清")
    # Received during the holiday, entered on 10-08: 10-09 (Fri), 10-10 (Sat, 补班), 10-12 (Mon).
    assert sign["received_on"] == "2026-10-03"
    assert sign["deadline"] == "2026-10-12"
    assert sign["channel"] == "tourist"


def test_county_case_is_planned_and_open(township: Built) -> None:
    road = case(township, "周口村", "毛竹运输道路坑洼")
    assert (road["level"], road["status"], road["outcome"]) == ("county", "open", "planned")
    assert (road["owner"], road["deadline"]) == ("黄志刚", "2027-05-31")
    levels = [
        e["new"] for e in show(township, "周口村", road["id"])["history"] if e["field"] == "level"
    ]
    assert levels == ["village", "township", "county"]


def test_supervision_letter_with_new_deadline(township: Built) -> None:
    dispute = case(township, "石境村", "邻里宅基地纠纷")
    assert dispute["supervisions"] == [
        {
            "date": "2026-11-20",
            "letter": "宝督〔2026〕3号",
            "deadline": "2026-11-27",
            "previous_deadline": "2026-11-19",
            "reply_on": None,
            "reply": None,
        }
    ]
    assert (dispute["status"], dispute["level"], dispute["owner"]) == ("open", "township", "罗建军")
    # The letter came after 11-19 (and, before it, 11-04) was missed: the new deadline does not
    # undo that (SPEC 4, lateness sticks), so the dispute is still overdue.
    assert dispute["title"] in [c["title"] for c in cases(township, "石境村", "overdue")]


def test_supervision_letters_numbered_in_order_sent(township: Built) -> None:
    letters = sorted(
        (s["date"], s["letter"]) for c in everything(township) for s in c["supervisions"]
    )
    assert [letter for _, letter in letters] == [f"宝督〔2026〕{n}号" for n in range(1, 7)]
    pond = case(township, "周口村", "山塘水库漏水")
    assert [s["letter"] for s in pond["supervisions"]] == ["宝督〔2026〕1号", "宝督〔2026〕5号"]
    assert (pond["outcome"], pond["closed_on"], pond["deadline"]) == (
        "explained",
        "2026-11-24",
        "2026-11-24",
    )


def test_overdue_cases_as_of_the_final_day(township: Built) -> None:
    overdue = {v: [c["title"] for c in cases(township, v, "overdue")] for v in VILLAGES}
    assert overdue == {
        "石境村": ["冬季用火安全隐患", "邻里宅基地纠纷"],  # its letter came after a miss
        "双溪村": ["桥头护栏缺失"],  # still overdue after its letter
        "周口村": ["山林界址纠纷", "毛竹运输道路坑洼"],  # escalated after missing its first
        "宝峰村": ["夜间烧烤摊占道经营"],  # an anonymous complaint
    }


def test_reopened_cases(township: Built) -> None:
    toilet = case(township, "石境村", "公厕无人打扫")
    assert (toilet["status"], toilet["satisfaction"], toilet["owner"]) == (
        "closed",
        "satisfied",
        "周春华",
    )
    statuses = [
        e["new"]
        for e in show(township, "石境村", toilet["id"])["history"]
        if e["field"] == "status"
    ]
    assert statuses == ["open", "closed", "open", "closed"]
    railing = case(township, "宝峰村", "游步道护栏松动")
    assert railing["status"] == "open"
    assert [
        railing[k] for k in ("outcome", "result", "closed_on", "feedback_on", "satisfaction")
    ] == [None] * 5
    assert (railing["owner"], railing["deadline"]) == ("舒志华", "2026-12-01")


def test_back_dated_closing_keeps_the_real_day(township: Built) -> None:
    pipe = case(township, "双溪村", "自来水管爆裂")
    assert (pipe["closed_on"], pipe["feedback_on"]) == ("2026-10-12", "2026-10-13")
    entries = show(township, "双溪村", pipe["id"])["history"]
    assert {e["effective"] for e in entries if e["field"] == "closed_on"} == {"2026-10-12"}


def test_anonymous_cases_keep_no_reporter(township: Built) -> None:
    for village in VILLAGES:
        anonymous = [c for c in cases(township, village) if c["anonymous"]]
        assert len(anonymous) == 1, village
        (one,) = anonymous
        assert (one["reporter"], one["phone"], one["kind"]) == (None, None, "complaint")
        fields = {e["field"] for e in show(township, village, one["id"])["history"]}
        assert not fields & {"reporter", "phone"}


def test_named_reporters_have_valid_phones(township: Built) -> None:
    named = [c for c in everything(township) if not c["anonymous"]]
    assert len(named) == 39
    assert all(c["reporter"] and PHONE.match(c["phone"]) for c in named)
    assert sum(c["phone"].startswith("0") for c in named) == 1  # one landline


def test_history_is_chronological_and_by_the_village_clerk(township: Built) -> None:
    for village in VILLAGES:
        for summary in cases(township, village):
            entries = show(township, village, summary["id"])["history"]
            days = [e["effective"] for e in entries]
            assert days == sorted(days)
            assert summary["received_on"] == days[0]
            assert days[-1] <= FINAL_DAY
            assert {e["user"] for e in entries} == {CLERKS[village]}


# ---------------------------------------------------------------- running it again


def _snapshot(built: Built) -> dict[str, Any]:
    """Everything a user can read back, minus what must differ between runs."""
    shot: dict[str, Any] = {}
    for village in VILLAGES:
        listed = cases(built, village)
        shot[village] = {
            "list": [{k: v for k, v in c.items() if k != "uid"} for c in listed],
            "history": [
                [
                    {k: v for k, v in e.items() if k != "at"}
                    for e in show(built, village, c["id"])["history"]
                ]
                for c in listed
            ],
            "sessions": cli(built.outdir / f"{village}.db", "session", "list"),
        }
    return shot


def test_running_twice_recreates_identical_ledgers(township: Built, tmp_path: Path) -> None:
    before = _snapshot(township)
    keep = township.outdir / "说明.txt"
    keep.write_text("not the demo's", encoding="utf-8")
    try:
        again = run_script(township.outdir, tmp_path / "home")
        assert again.returncode == 0, again.stderr
        assert again.stdout.split("共执行")[0] == township.stdout.split("共执行")[0]
        assert _snapshot(township) == before
        assert keep.read_text(encoding="utf-8") == "not the demo's"
    finally:
        keep.unlink()


@pytest.mark.parametrize("kind", ["not a ledger", "someone else's ledger"])
def test_refuses_to_replace_a_file_it_did_not_write(tmp_path: Path, kind: str) -> None:
    outdir = tmp_path / "ledgers"
    outdir.mkdir()
    target = outdir / "双溪村.db"
    if kind == "not a ledger":
        target.write_bytes(b"villagers' spreadsheet")
    else:
        result = CliRunner().invoke(
            app,
            [
                "--db",
                str(target),
                "init",
                "--village",
                "双溪村",
                "--township",
                "宝峰镇",
                "--county",
                "靖安县",
            ],
        )
        assert result.exit_code == 0, result.output
        assert CliRunner().invoke(app, ["--db", str(target), "add", "真实的事项"]).exit_code == 0
    before = target.read_bytes()
    done = run_script(outdir, tmp_path / "home")
    assert done.returncode == 1
    assert "双溪村.db" in done.stderr and "Traceback" not in done.stderr
    assert target.read_bytes() == before
    assert [p.name for p in outdir.iterdir()] == ["双溪村.db"]


def test_usage_without_a_folder() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 2
    assert "OUTDIR" in done.stderr
