"""Supervision letters (``overdue --letters``, SPEC 5; issue 14 point 1), read back with python-docx.

Four village ledgers made by the CLI in two townships of one county, with a 新村 in each township:
letters go only to villages with cases overdue at the end of October that are still open on the
letter's date (30 November), each from its own township, numbered in that township's own series
after the numbers already recorded with ``supervise --letter`` and after the letters an earlier run
left in the folder; cases handed up to the township or county are listed under their own heading.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
from typer.testing import CliRunner, Result

from conftest import ok, refused, sha
from shuoshi_cli.cli import app

COUNTY = "靖安县"
LETTER_DAY = "2026-11-30"  # the letters' date; the list is taken at 31 October (--month 2026-10)
BUILT_ON = "2026-11-27"

# Titles, so each case can be looked for in the letters.
LAMP = "张伟反映村口路灯不亮 13912345678"  # 宝峰镇/石境村#1: reporter's name and phone in it
DREDGE = "河道清淤"  # 石境村#2: a letter already recorded (宝峰镇督〔2026〕5号), still open
CANAL = "水渠漏水"  # 石境村#3: overdue at D, closed on 11-05: nothing to demand
DUPLICATE = "重复登记的路灯"  # 石境村#4: void
ROAD = "通村公路塌方"  # 石境村#5: handed up to the county (县交通局) before D
BRIDGE = "便桥护栏损坏"  # 石境村#6: at village level at D, handed up to the township on 11-10
FRESH = "垃圾桶不够"  # 石境村#7: due in November, never overdue at D
XIN_A = "新村甲：水井干涸"  # 宝峰镇/新村#1
XIN_B = "新村乙：广场灯坏"  # 中源乡/新村#1
ZHONG = "中源村：排水沟堵塞"  # 中源乡/中源村#1: letter 中源乡督〔2026〕2号, closed on 11-20
SLOPE = "下坊村：山体滑坡隐患"  # 中源乡/下坊村#1: its only case, at county level (县自然资源局)

STEPS: dict[tuple[str, str], list[tuple[str, ...]]] = {
    ("宝峰镇", "石境村"): [
        ("add", LAMP, "--reporter", "张伟", "--phone", "13912345678", "--received", "2026-10-08",
         "--owner", "李四", "--due", "2026-10-15"),
        ("add", DREDGE, "--received", "2026-10-09", "--owner", "王五", "--due", "2026-10-16"),
        ("supervise", "2", "--letter", "宝峰镇督〔2026〕5号", "--due", "2026-10-25",
         "--date", "2026-10-20"),
        ("add", CANAL, "--received", "2026-10-10", "--owner", "李四", "--due", "2026-10-20"),
        ("close", "3", "--outcome", "resolved", "--result", "已修补", "--date", "2026-11-05"),
        ("add", DUPLICATE, "--received", "2026-10-11", "--due", "2026-10-18"),
        ("void", "4", "--reason", "x"),
        ("add", ROAD, "--received", "2026-10-05", "--due", "2026-10-12"),
        ("escalate", "5", "--to", "county", "--owner", "县交通局", "--reason", "需县级资金",
         "--due", "2026-10-25", "--date", "2026-10-10"),
        ("add", BRIDGE, "--received", "2026-10-12", "--owner", "赵六", "--due", "2026-10-19"),
        ("escalate", "6", "--to", "township", "--owner", "镇城建办", "--reason", "需镇里协调",
         "--date", "2026-11-10"),
        ("add", FRESH, "--received", "2026-10-28", "--due", "2026-11-30"),
    ],
    ("宝峰镇", "新村"): [
        ("add", XIN_A, "--received", "2026-10-09", "--owner", "钱七", "--due", "2026-10-16"),
    ],
    ("中源乡", "新村"): [
        ("add", XIN_B, "--received", "2026-10-09", "--owner", "孙八", "--due", "2026-10-16"),
    ],
    ("中源乡", "下坊村"): [
        ("add", SLOPE, "--received", "2026-10-09", "--due", "2026-10-16"),
        ("escalate", "1", "--to", "county", "--owner", "县自然资源局", "--reason", "需专业勘查",
         "--date", "2026-10-12"),
    ],
    ("中源乡", "中源村"): [
        ("add", ZHONG, "--received", "2026-10-09", "--due", "2026-10-16"),
        ("supervise", "1", "--letter", "中源乡督〔2026〕2号", "--due", "2026-10-23",
         "--date", "2026-10-19"),
        ("close", "1", "--outcome", "resolved", "--result", "已疏通", "--date", "2026-11-20"),
    ],
}  # fmt: skip
ENV = {"SHUOSHI_USER": "测试员", "SHUOSHI_LANG": "zh"}


def invoke(*args: str, today: str = LETTER_DAY) -> Result:
    return CliRunner().invoke(app, list(args), env={**ENV, "SHUOSHI_TODAY": today})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two townships' ledgers, made once (commands only read them)."""
    root = tmp_path_factory.mktemp("county") / "ledgers"
    for (township, village), steps in STEPS.items():
        folder = root / township
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / f"{village}.db"
        init = ("init", "--village", village, "--township", township, "--county", COUNTY)
        for step in (init, *steps):
            ok(invoke("--db", str(db), *step, today=BUILT_ON))
    return root


@pytest.fixture
def ledgers(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ledgers"
    shutil.copytree(built, copy)
    return copy


def letters(ledgers: Path | str, folder: Path, *extra: str, today: str = LETTER_DAY) -> Result:
    return invoke(
        "overdue", "--month", "2026-10", str(ledgers), "--letters", str(folder), *extra,
        today=today,
    )  # fmt: skip


def written(result: Result) -> list[dict[str, Any]]:
    """The letters a --json run reports writing, by number."""
    found: list[dict[str, Any]] = json.loads(ok(result).stdout)["letters"]
    return sorted(found, key=lambda entry: entry["letter"])


def text_of(path: Path | str) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def tables_of(path: Path | str) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]


def by_place(entries: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["township"], e["village"]): e for e in entries}


# ---------------------------------------------------------------- who gets a letter, numbered how


def test_one_letter_per_village_each_from_its_own_township(ledgers: Path, tmp_path: Path) -> None:
    folder = tmp_path / "督办函"
    got = by_place(written(letters(ledgers, folder, "--json")))
    # 中源村's only case was closed on 11-20: no letter. Each 新村 gets its own.
    assert sorted(got) == [
        ("中源乡", "下坊村"),
        ("中源乡", "新村"),
        ("宝峰镇", "新村"),
        ("宝峰镇", "石境村"),
    ]
    # Each township's own series, after the numbers recorded in its ledgers (宝峰镇 5, 中源乡 2);
    # within a township, villages in name order.
    assert got[("宝峰镇", "新村")]["letter"] == "宝峰镇督〔2026〕6号"
    assert got[("宝峰镇", "石境村")]["letter"] == "宝峰镇督〔2026〕7号"
    assert got[("中源乡", "下坊村")]["letter"] == "中源乡督〔2026〕3号"
    assert got[("中源乡", "新村")]["letter"] == "中源乡督〔2026〕4号"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            "中源乡督〔2026〕3号_下坊村.docx",
            "宝峰镇督〔2026〕6号_新村.docx",
            "宝峰镇督〔2026〕7号_石境村.docx",
            "中源乡督〔2026〕4号_新村.docx",
        ]
    )
    for (township, village), entry in got.items():
        assert entry["county"] == COUNTY
        text = text_of(entry["path"])
        assert entry["letter"] in text
        assert f"{village}：" in text
        closing = [p.text for p in docx.Document(entry["path"]).paragraphs if p.text][-2:]
        assert closing == [f"{township}人民政府", "2026年11月30日"]
        assert "截至2026年10月31日" in text
        other = "中源乡" if township == "宝峰镇" else "宝峰镇"
        assert other not in text
    # The two 新村 each get their own cases only.
    xin_bf = text_of(got[("宝峰镇", "新村")]["path"])
    xin_zy = text_of(got[("中源乡", "新村")]["path"])
    assert XIN_A in xin_bf and XIN_B not in xin_bf
    assert XIN_B in xin_zy and XIN_A not in xin_zy


def test_only_cases_still_open_are_demanded_and_handed_up_ones_are_listed_apart(
    ledgers: Path, tmp_path: Path
) -> None:
    entry = by_place(written(letters(ledgers, tmp_path / "out", "--json")))[("宝峰镇", "石境村")]
    assert entry["cases"] == [1, 2]  # most overdue first: #1 due 10-15, #2 (letter) due 10-25
    assert sorted(entry["handed_up"]) == [5, 6]
    text = text_of(entry["path"])
    for gone in (CANAL, DUPLICATE, FRESH):  # closed since D, void, never overdue
        assert gone not in text
    assert "有以下2件群众反映事项已超过完成时限仍未办结" in text
    assert "于2026年12月3日前办结销号" in text  # --reply-by +3wd from 11-30
    demanded, township, county = tables_of(entry["path"])
    assert demanded[0] == ["序号", "编号", "反映事项", "领办责任人", "完成时限", "超期天数"]
    assert [row[1] for row in demanded[1:]] == ["1", "2"]
    # The deadline in force at D (the letter of 10-20 moved it to 10-25).
    assert demanded[2][:5] == ["2", "2", DREDGE, "王五", "2026-10-25"]
    # The township's case (handed up after D) and the county's, each under its heading, with the
    # office handling it rather than a demand on the village.
    assert "已上报乡镇办理（1件）" in text and "已上报县级办理（1件）" in text
    assert text.index("已上报乡镇办理") < text.index(BRIDGE)
    assert text.index("已上报县级办理") < text.index(ROAD)
    assert township[0][3] == county[0][3] == "承办单位"
    assert township[1][1:4] == ["6", BRIDGE, "镇城建办"]
    assert county[1][1:4] == ["5", ROAD, "县交通局"]


def test_a_village_whose_cases_are_all_handed_up_is_asked_for_nothing(
    ledgers: Path, tmp_path: Path
) -> None:
    entry = by_place(written(letters(ledgers, tmp_path / "out", "--json")))[("中源乡", "下坊村")]
    assert entry["cases"] == [] and entry["handed_up"] == [1]
    text = text_of(entry["path"])
    assert "办结销号" not in text and "领办责任人" not in text
    assert "现由上级部门办理" in text and "已上报县级办理（1件）" in text
    (county,) = tables_of(entry["path"])
    assert county[1][1:4] == ["1", SLOPE, "县自然资源局"]


def test_a_letter_names_no_reporter(ledgers: Path, tmp_path: Path) -> None:
    entry = by_place(written(letters(ledgers, tmp_path / "out", "--json")))[("宝峰镇", "石境村")]
    text = text_of(entry["path"])
    assert "张伟" not in text and "13912345678" not in text
    assert "张*反映村口路灯不亮 ***" in text


def test_document_properties_name_the_township_and_the_real_date(
    ledgers: Path, tmp_path: Path
) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    got = by_place(written(letters(ledgers, tmp_path / "out", "--json")))
    after = datetime.now(UTC) + timedelta(seconds=1)
    for (township, village), entry in got.items():
        props = docx.Document(entry["path"]).core_properties
        assert props.author == props.last_modified_by == f"{township}人民政府"
        assert props.created is not None and props.modified is not None
        assert before <= props.created <= after
        assert props.modified == props.created
        assert props.identifier == entry["letter"]
        assert village in props.subject and township in props.subject
        assert "python-docx" not in (props.author, props.comments, props.title)


# ---------------------------------------------------------------- running again


def test_a_second_run_continues_the_numbers_and_overwrites_nothing(
    ledgers: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "督办函"
    first = by_place(written(letters(ledgers, folder, "--json")))
    stamps = {p.name: sha(p) for p in folder.iterdir()}
    # Someone renames a letter: its number is still known from the document itself.
    renamed = Path(first[("中源乡", "新村")]["path"])
    renamed.rename(folder / "中源乡新村的督办函.docx")
    stamps["中源乡新村的督办函.docx"] = stamps.pop(renamed.name)
    again = by_place(written(letters(ledgers, folder, "--json")))
    assert {place: e["letter"] for place, e in again.items()} == {
        ("中源乡", "下坊村"): "中源乡督〔2026〕5号",
        ("中源乡", "新村"): "中源乡督〔2026〕6号",
        ("宝峰镇", "新村"): "宝峰镇督〔2026〕8号",
        ("宝峰镇", "石境村"): "宝峰镇督〔2026〕9号",
    }
    assert {p.name: sha(p) for p in folder.iterdir() if p.name in stamps} == stamps
    assert len(list(folder.iterdir())) == 8
    numbers = [e["letter"] for e in (*first.values(), *again.values())]
    assert len(set(numbers)) == len(numbers) == 8


def test_first_overrides_the_start_but_never_onto_a_used_number(
    ledgers: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    assert refused(letters(ledgers, folder, "--first", "20")) == (
        "--first 只能在只给一个乡镇的村发督办函时使用，这次有 2 个（中源乡、宝峰镇）"
    )
    baofeng = ledgers / "宝峰镇"
    message = refused(letters(baofeng, folder, "--first", "5"))
    assert message.startswith("督办函号 宝峰镇督〔2026〕5号 可能重号")
    assert "不写 --first 将从 6号 接着编" in message
    assert not folder.exists()
    got = written(letters(baofeng, folder, "--first", "20", "--json"))
    assert [e["letter"] for e in got] == ["宝峰镇督〔2026〕20号", "宝峰镇督〔2026〕21号"]
    assert [e["letter"] for e in written(letters(baofeng, folder, "--json"))] == [
        "宝峰镇督〔2026〕22号",
        "宝峰镇督〔2026〕23号",
    ]


def test_prefix_is_a_template_per_township(ledgers: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    message = refused(letters(ledgers, folder, "--prefix", "督〔2026〕"))
    assert message.startswith("这次要给 2 个乡镇（中源乡、宝峰镇）的村发督办函")
    assert refused(letters(ledgers, folder, "--prefix", "{town}督")) == (
        "督办函号前缀“{town}督”看不懂：只能用 {township}（乡镇名）和 {year}（年份）两个占位符"
    )
    assert not folder.exists()
    got = by_place(
        written(letters(ledgers, folder, "--prefix", "{township}督字〔{year}〕", "--json"))
    )
    assert got[("宝峰镇", "石境村")]["letter"] == "宝峰镇督字〔2026〕2号"
    assert got[("中源乡", "新村")]["letter"] == "中源乡督字〔2026〕2号"
    # A prefix without the township's name is fine for one township's letters.
    one = written(letters(ledgers / "中源乡", tmp_path / "zy", "--prefix", "中源督", "--json"))
    assert [e["letter"] for e in one] == ["中源督1号", "中源督2号"]
    assert "中源督2号" in text_of(one[1]["path"])


def test_the_screen_tells_two_xincun_apart(ledgers: Path, tmp_path: Path) -> None:
    shown = ok(letters(ledgers, tmp_path / "out")).stdout
    assert "已生成督办函 中源乡督〔2026〕4号（中源乡/新村）" in shown
    assert "已生成督办函 中源乡督〔2026〕3号（下坊村）" in shown
    assert "已生成督办函 宝峰镇督〔2026〕6号（宝峰镇/新村）" in shown
    assert "已生成督办函 宝峰镇督〔2026〕7号（石境村）" in shown
