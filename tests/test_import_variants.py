"""``import`` of a second author's workbooks in the eight real formats (tests/ledgerbooks_variants.py).

The expected counts and fields were decided from IMPORT-FORMATS.md and issue 12 as a careful clerk
would read them, before running the importer; the round trips go through ``export``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

import ledgerbooks_variants as books
from conftest import Run, ok
from shuoshi_cli.cli import app

Book = Callable[[Path], Path]


def imported(ledger: Run, source: Path, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(ledger("import", str(source), "--json", *args)).stdout)
    return data


def stored(ledger: Run) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(ok(ledger("list", "--status", "all", "--json")).stdout)
    return sorted(found, key=lambda c: c["id"])


def by_title(ledger: Run) -> dict[str, dict[str, Any]]:
    return {c["title"]: c for c in stored(ledger)}


def shown(ledger: Run, case_id: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(ledger("show", str(case_id), "--json")).stdout)
    return data


def notes_of(ledger: Run, case_id: int) -> str:
    return json.dumps(shown(ledger, case_id)["history"], ensure_ascii=False)


# rows read, cases (new), closed, open, skipped, refused; skipped by reason
EXPECTED: list[tuple[str, Book, tuple[int, ...], dict[str, int]]] = [
    ("register", books.register, (5, 4, 2, 2, 1, 0), {"placeholder": 1}),
    ("diary", books.diary, (5, 3, 1, 2, 2, 0), {"placeholder": 2}),
    ("hotline", books.hotline, (6, 3, 2, 1, 3, 0), {"returned": 1, "other_village": 2}),
    ("disputes", books.disputes, (3, 3, 2, 1, 0, 0), {}),
    ("petitions", books.petitions, (4, 4, 2, 2, 0, 0), {}),
    ("orders", books.orders, (4, 4, 3, 1, 0, 0), {}),
    ("county", books.county_template, (3, 3, 2, 1, 0, 0), {}),
    ("checklist", books.checklist, (10, 10, 3, 7, 0, 0), {}),
]


@pytest.mark.parametrize(
    ("make", "expected", "reasons"),
    [pytest.param(m, e, r, id=n) for n, m, e, r in EXPECTED],
)
def test_variant_counts(
    ledger: Run, tmp_path: Path, make: Book, expected: tuple[int, ...], reasons: dict[str, int]
) -> None:
    source = make(tmp_path / "台账.xlsx")
    dry = imported(ledger, source, "--dry-run")
    keys = ("rows", "new", "closed", "open", "skipped", "refused")
    assert tuple(dry[k] for k in keys) == expected, dry
    assert dry["skipped_by_reason"] == reasons
    assert dry["cases"] == expected[1]
    done = imported(ledger, source)
    assert done["new"] == expected[1]
    assert len(stored(ledger)) == expected[1]
    again = imported(ledger, source)
    assert (again["new"], again["unchanged"], again["changed"]) == (0, expected[1], 0)


def test_register_fields(ledger: Run, tmp_path: Path) -> None:
    imported(ledger, books.register(tmp_path / "r.xlsx"))
    cases = by_title(ledger)
    lamp = cases["村口路灯不亮"]
    assert lamp["received_on"] == "2026-10-12"  # the talk day merged down
    assert lamp["reporter"] == "张三丰"
    assert lamp["phone"] == "13807952234"
    assert lamp["category"] == "基础设施"
    assert lamp["owner"] == "李主任"
    assert lamp["deadline"] == "2026-10-19"  # 7 under 完成时限（天）, from the row's day
    assert (lamp["status"], lamp["closed_on"]) == ("closed", "2026-10-15")
    assert lamp["satisfaction"] == "satisfied"
    aid = cases["低保申请进度咨询"]
    assert aid["received_on"] == "2026-10-12"
    assert aid["phone"] == "13907951234"
    assert aid["deadline"] == "2026-10-27"
    assert aid["status"] == "open"
    assert "儿子" in notes_of(ledger, aid["id"])
    river = cases["有人在河道倒垃圾"]
    assert river["anonymous"] is True and river["reporter"] is None and river["phone"] is None
    assert (river["closed_on"], river["satisfaction"]) == ("2026-10-14", "basic")
    ditch = cases["水渠堵塞影响灌溉"]
    assert ditch["received_on"] == "2026-11-05"  # a serial in a General cell, merged down
    assert ditch["phone"] == "13800000001"  # a mobile stored as a number
    assert ditch["status"] == "open"
    assert "下周清淤" in notes_of(ledger, ditch["id"])  # progress of an open case kept
    assert "夜间巡查发现" in notes_of(ledger, lamp["id"])  # 备注 kept


def test_register_two_clerk_errors_refuse_everything(ledger: Run, tmp_path: Path) -> None:
    source = books.register_errors(tmp_path / "e.xlsx")
    result = ledger("import", str(source), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["refused"] == 2
    assert {(p["row"], p["column"]) for p in data["problems"]} == {(3, "联系电话"), (4, "办结时间")}
    assert stored(ledger) == []


def test_diary_fields(ledger: Run, tmp_path: Path) -> None:
    data = imported(ledger, books.diary(tmp_path / "d.xlsx"))
    assert "填写说明" not in data["sheets"]
    cases = by_title(ledger)
    light = cases["楼道灯坏了"]
    assert light["received_on"] == "2026-09-15"
    assert light["phone"] == "13607951234"  # the first of two
    assert light["status"] == "closed" and light["result"] == "已修好"
    assert light["owner"] == "周网格"
    assert "13807950000" in notes_of(ledger, light["id"])
    noise = cases["邻里噪音纠纷"]
    assert noise["received_on"] == "2026-10-20"
    assert noise["phone"] is None  # masked: dropped
    assert noise["status"] == "open"
    bins = cases["垃圾桶不够"]
    assert bins["received_on"] == "2026-11-05"  # 11.5 typed into a number cell
    assert bins["status"] == "open"


def test_hotline_fields(ledger: Run, tmp_path: Path) -> None:
    data = imported(ledger, books.hotline(tmp_path / "h.xlsx"))
    assert sum(data["other_villages"].values()) == 2
    cases = stored(ledger)
    noise = next(c for c in cases if "商业噪音" in c["title"])
    assert noise["received_on"] == "2026-09-02"
    assert noise["phone"] is None  # masked
    assert noise["reporter"] == "张先生"
    assert noise["kind"] == "complaint"
    assert noise["deadline"] == "2026-09-07"  # 3 working days from Wed 2 September
    assert noise["closed_on"] == "2026-09-04"
    assert noise["result"] == "已责令店主整改，音响已关闭"
    assert noise["satisfaction"] == "satisfied"
    assert "音响整天外放" in (noise["detail"] or "")
    road = next(c for c in cases if "路面破损" in c["title"])
    assert road["status"] == "open"
    # 5 working days from Thu 8 October: Sat 10 October is a make-up working day (国庆)
    assert road["deadline"] == "2026-10-14"
    straw = next(c for c in cases if "焚烧秸秆" in c["title"])
    assert straw["anonymous"] is True and straw["reporter"] is None
    assert straw["kind"] == "complaint"
    assert straw["deadline"] == "2026-11-09"
    # 未评价: told of the result (feedback recorded on the closing day), no answer given
    assert (straw["closed_on"], straw["feedback_on"], straw["satisfaction"]) == (
        "2026-11-03",
        "2026-11-03",
        None,
    )
    assert not any("退回" in (c["result"] or "") for c in cases)


def test_disputes_fields(ledger: Run, tmp_path: Path) -> None:
    imported(ledger, books.disputes(tmp_path / "m.xlsx"))
    cases = by_title(ledger)
    land = cases["宅基地界址争议"]
    assert land["received_on"] == "2026-10-03"
    assert land["reporter"] == "胡一"
    assert land["phone"] == "13907951234"
    assert land["category"] == "邻里纠纷"
    assert land["deadline"] == "2026-10-18"  # 15日内 from 3 October
    assert (land["closed_on"], land["outcome"]) == ("2026-10-12", "resolved")
    history = notes_of(ledger, land["id"])
    assert "13607955678" in history and "胡二" in history
    wages = cases["拖欠工资三个月"]
    assert wages["phone"] == "0795-4621234"
    assert wages["deadline"] == "2026-10-31"
    assert (wages["status"], wages["outcome"], wages["closed_on"]) == (
        "closed",
        "explained",
        "2026-10-25",
    )
    care = cases["赡养老人分歧"]
    assert care["received_on"] == "2026-10-20"
    assert care["deadline"] == "2026-11-30"
    assert care["status"] == "open"


def test_petitions_fields(ledger: Run, tmp_path: Path) -> None:
    data = imported(ledger, books.petitions(tmp_path / "p.xlsx"))
    cases = by_title(ledger)
    road = cases["要求修缮村道"]
    assert road["received_on"] == "2026-09-03"
    assert road["phone"] == "13807951234"
    assert road["deadline"] == "2026-10-03"  # 一个月
    assert (road["closed_on"], road["result"]) == ("2026-09-28", "村道已修缮")
    assert (road["feedback_on"], road["satisfaction"]) == ("2026-10-08", "satisfied")
    secret = cases["反映村干部优亲厚友"]
    assert secret["anonymous"] is True and secret["reporter"] is None
    assert secret["kind"] == "complaint" and secret["channel"] == "app"
    assert secret["owner"] == "镇纪委"
    assert secret["deadline"] == "2026-10-15"
    assert secret["status"] == "open"
    assert "涉密件" in notes_of(ledger, secret["id"])
    ask = cases["咨询新农合缴费标准"]
    assert ask["kind"] == "inquiry" and ask["channel"] == "phone"
    assert ask["phone"] == "13907956677"
    assert ask["deadline"] == "2026-10-05"  # 当日
    assert (ask["closed_on"], ask["result"]) == ("2026-10-05", "已答复缴费标准")
    assert ask["feedback_on"] is None  # 未回访
    house = cases["申请危房改造"]
    assert house["received_on"] == "2026-10-30"  # no year anywhere: the nearest past day
    assert house["phone"] is None  # 微信联系
    assert house["deadline"] == "2026-11-20"
    assert house["status"] == "open"
    assert any(n["key"] == "year_assumed" for n in data["notes"]) or "2026" in json.dumps(
        data["notes"], ensure_ascii=False
    )


def test_orders_fields(ledger: Run, tmp_path: Path) -> None:
    data = imported(ledger, books.orders(tmp_path / "o.xlsx"))
    assert "汇总" not in data["sheets"]
    cases = by_title(ledger)
    pipe = cases["自来水管冻裂"]
    assert pipe["received_on"] == "2025-12-28"  # the carried-over sheet's year
    assert pipe["closed_on"] == "2025-12-30"
    assert pipe["phone"] == "13607950001"
    assert pipe["owner"] == "韩工"
    lamp = cases["路灯损坏"]
    assert (lamp["received_on"], lamp["closed_on"], lamp["satisfaction"]) == (
        "2026-10-03",
        "2026-10-05",
        "basic",
    )
    dance = cases["广场舞噪音扰民"]
    assert (dance["status"], dance["outcome"], dance["closed_on"]) == (
        "closed",
        "explained",
        "2026-10-18",
    )
    assert dance["satisfaction"] == "unsatisfied"
    parcel = cases["快递点乱停车"]
    assert parcel["status"] == "open"


def test_county_template_fields(ledger: Run, tmp_path: Path) -> None:
    data = imported(ledger, books.county_template(tmp_path / "c.xlsx"))
    assert data["refused"] == 0  # =ROW()-3 in 序号 is no problem
    cases = by_title(ledger)
    rail = cases["桥栏杆松动"]
    assert rail["category"] == "基础设施"
    assert rail["received_on"] == "2026-09-12"
    assert rail["deadline"] == "2026-09-17"
    assert (rail["closed_on"], rail["result"], rail["satisfaction"]) == (
        "2026-09-15",
        "已加固",
        "satisfied",
    )
    drain = cases["排水沟破损"]
    assert drain["received_on"] == "2026-10-02"  # a serial in a General cell
    assert drain["deadline"] == "2026-10-12"
    assert drain["status"] == "open"
    rubbish = cases["垃圾清运不及时"]
    assert rubbish["category"] == "环境卫生"
    assert rubbish["phone"] == "13807952234"
    assert rubbish["deadline"] == "2026-10-12"  # "3" as text under 完成时限（天）


def test_checklist_every_deadline_form(ledger: Run, tmp_path: Path) -> None:
    imported(ledger, books.checklist(tmp_path / "q.xlsx"))
    cases = stored(ledger)
    for index, (written, expected) in enumerate(books.CHECKLIST_DEADLINES):
        case = cases[index]
        assert case["title"] == f"第{index + 1}项民生问题"
        assert case["deadline"] == (expected.isoformat() if expected else None), written
        closed = books.CHECKLIST_CLOSED.get(index)
        assert case["closed_on"] == (closed.isoformat() if closed else None)
        if closed:
            assert case["satisfaction"] == "satisfied"
            assert case["result"] == "已完成整改"
        assert case["channel"] == "visit"
    assert "2027年汛期前" in (cases[5]["detail"] or "")


# ---------------------------------------------------------------- re-import after closures


def test_filled_in_closure_is_listed_then_updated(ledger: Run, tmp_path: Path) -> None:
    source = books.petitions(tmp_path / "p.xlsx")
    imported(ledger, source)
    book = openpyxl.load_workbook(source)
    ws = book["信访台账"]
    ws["K6"] = "已办结，已纳入危房改造"
    ws["L6"] = "2026年11月25日"
    ws["N6"] = "满意"
    book.save(source)
    plain = imported(ledger, source)
    assert (plain["new"], plain["changed"], plain["updated"]) == (0, 1, 0)
    house = by_title(ledger)["申请危房改造"]
    assert house["status"] == "open"
    done = imported(ledger, source, "--update")
    assert (done["new"], done["updated"]) == (0, 1)
    house = by_title(ledger)["申请危房改造"]
    assert (house["status"], house["closed_on"], house["result"]) == (
        "closed",
        "2026-11-25",
        "已纳入危房改造",
    )
    assert house["satisfaction"] == "satisfied"
    again = imported(ledger, source, "--update")
    assert (again["new"], again["changed"]) == (0, 0)


def test_inserted_row_adds_one_case(ledger: Run, tmp_path: Path) -> None:
    source = books.petitions(tmp_path / "p.xlsx")
    imported(ledger, source)
    book = openpyxl.load_workbook(source)
    ws = book["信访台账"]
    ws.insert_rows(3)
    for col, value in enumerate(
        [1, "ZF2026-030", "2026-09-01", "新一", None, "补登的一件", "求助", "来访", "村委会"],
        start=1,
    ):
        ws.cell(row=3, column=col, value=value)
    for row in range(4, 8):
        ws.cell(row=row, column=1, value=row - 2)  # 序号 renumbered
    book.save(source)
    data = imported(ledger, source)
    assert (data["new"], data["unchanged"]) == (1, 4)


# ---------------------------------------------------------------- export round trips


def _day(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture
def exported(ledger: Run, tmp_path: Path) -> Path:
    """A ledger with a few cases of every kind, exported for November 2026."""
    ok(ledger("add", "=SUM(1,2) 路灯不亮", "--reporter", "张三", "--phone", "13800000000",
              "--category", "基础设施", "--channel", "talk", "--received", "2026-11-02"))  # fmt: skip
    ok(ledger("add", "--anonymous", "--received", "2026-11-03", "--", "-村口积水"))
    ok(ledger("add", "垃圾清运不及时", "--reporter", "李四", "--received", "2026-10-20",
              "--owner", "王五", "--due", "2026-10-25"))  # fmt: skip
    ok(ledger("add", "低保咨询", "--reporter", "赵六", "--kind", "inquiry",
              "--received", "2026-11-10"))  # fmt: skip
    ok(ledger("assign", "1", "--owner", "李主任", "--due", "2026-11-06", "--date", "2026-11-02"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "-已更换灯泡",
              "--date", "2026-11-05"))  # fmt: skip
    ok(ledger("feedback", "1", "--satisfaction", "satisfied", "--date", "2026-11-06"))
    ok(ledger("supervise", "3", "--letter", "宝峰镇督〔2026〕1号", "--due", "2026-11-20",
              "--date", "2026-11-01"))  # fmt: skip
    target = tmp_path / "x.xlsx"
    ok(ledger("export", "--month", "2026-11", str(tmp_path / "石境村.db"), "-o", str(target)))
    return target


def _fresh(folder: Path, name: str, *, village: str = "石境村") -> Run:
    """Another ledger of 宝峰镇, in ``folder``."""
    runner = CliRunner()
    db = folder / name

    def invoke(*args: str) -> Any:
        return runner.invoke(app, ["--db", str(db), *args])

    ok(invoke("init", "--village", village, "--township", "宝峰镇", "--county", "靖安县"))
    return invoke


def test_export_round_trip_into_a_fresh_ledger(tmp_path: Path, exported: Path) -> None:
    fresh = _fresh(tmp_path, "新.db")
    first = imported(fresh, exported)
    assert first["exported_workbook"] is True
    assert (first["new"], first["closed"], first["open"]) == (4, 1, 3)
    cases = by_title(fresh)
    lamp = cases["=SUM(1,2) 路灯不亮"]
    assert (lamp["closed_on"], lamp["result"], lamp["satisfaction"]) == (
        "2026-11-05",
        "-已更换灯泡",
        "satisfied",
    )
    assert lamp["phone"] == "13800000000"
    water = cases["-村口积水"]
    assert water["anonymous"] is True and water["reporter"] is None
    assert cases["垃圾清运不及时"]["deadline"] == "2026-11-20"
    again = imported(fresh, exported)
    assert (again["new"], again["unchanged"], again["changed"]) == (0, 4, 0)

    book = openpyxl.load_workbook(exported)
    ws = book["石境村"]
    headings = [c.value for c in ws[3]]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 6).value == "低保咨询")
    ws.cell(row, headings.index("办结日期") + 1, value="2026-11-20")
    ws.cell(row, headings.index("办理结果") + 1, value="已答复低保政策")
    ws.cell(row, headings.index("满意度") + 1, value="满意")
    book.save(exported)
    plain = imported(fresh, exported)
    assert (plain["new"], plain["changed"]) == (0, 1)
    done = imported(fresh, exported, "--update")
    assert done["updated"] == 1
    case = by_title(fresh)["低保咨询"]
    assert (case["status"], case["closed_on"], case["result"]) == (
        "closed",
        "2026-11-20",
        "已答复低保政策",
    )
    assert case["satisfaction"] == "satisfied"
    history = json.loads(ok(fresh("history", str(case["id"]), "--json")).stdout)
    closing = [e for e in history if e["field"] == "status" and e["new"] == "closed"]
    assert [e["effective"] for e in closing] == ["2026-11-20"]
    told = [e for e in history if e["field"] == "satisfaction"]
    assert [e["effective"] for e in told] == ["2026-11-20"]
    assert shown(fresh, case["id"])["closed_on"] == "2026-11-20"
    again = imported(fresh, exported, "--update")
    assert (again["new"], again["changed"], again["updated"]) == (0, 0, 0)


def test_export_back_into_its_own_ledger(ledger: Run, exported: Path) -> None:
    data = imported(ledger, exported)
    assert (data["new"], data["unchanged"]) == (0, 4)


def test_own_export_matches_by_number_after_edits(ledger: Run, exported: Path) -> None:
    ok(ledger("edit", "4", "--title", "低保政策咨询", "--reason", "标题写错"))
    ok(ledger("edit", "2", "--received", "2026-11-04", "--reason", "日期写错"))
    data = imported(ledger, exported)
    assert (data["new"], data["unchanged"]) == (0, 4), data
    assert len(stored(ledger)) == 4
    assert by_title(ledger)["低保政策咨询"]["id"] == 4


def test_an_id_alone_is_no_match_in_another_ledger(tmp_path: Path, exported: Path) -> None:
    """Another ledger of the same village numbers its own cases 1, 2 …: a row numbered 1 of the
    export is not its case 1 unless the title and date are that case's."""
    other = _fresh(tmp_path, "另一本.db")
    ok(other("add", "别的事", "--received", "2026-11-01"))
    data = imported(other, exported)
    assert (data["new"], data["unchanged"]) == (4, 0)
    assert len(stored(other)) == 5


def test_township_export_into_one_village(tmp_path: Path) -> None:
    folder = tmp_path / "宝峰镇"
    folder.mkdir()
    villages = {}
    for name in ("石境村", "东村"):
        village = _fresh(folder, f"{name}.db", village=name)
        ok(village("add", f"{name}的路灯", "--received", "2026-11-02"))
        villages[name] = village
    target = tmp_path / "镇.xlsx"
    ok(
        villages["石境村"](
            "export", "--month", "2026-11", str(tmp_path / "宝峰镇"), "-o", str(target)
        )
    )
    fresh = _fresh(tmp_path, "新.db")
    result = fresh("import", str(target))
    assert result.exit_code == 1
    assert "东村" in result.stderr
    data = imported(fresh, target, "--sheet", "石境村")
    assert data["new"] == 1
    assert [c["title"] for c in stored(fresh)] == ["石境村的路灯"]
    wrong = fresh("import", str(target), "--sheet", "东村")
    assert wrong.exit_code == 1
    mine = imported(villages["石境村"], target, "--sheet", "石境村")
    assert (mine["new"], mine["unchanged"]) == (0, 1)
