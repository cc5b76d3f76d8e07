"""Finding cases (SPEC 3): ``list --search/--reporter/--phone/--due-within/--level/--kind/
--channel``, and the ``4``, ``#4``, ``石境村#4`` a clerk types for ``show`` and ``history``."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import TODAY, Run, ok, out, refused, refused_json
from shuoshi_cli.cli import app
from shuoshi_cli.core.case import Case
from shuoshi_cli.core.listing import filters, phone_number, select
from shuoshi_cli.core.rules import clean_phone

HEADER = "编号\t受理日期\t反映事项\t类别\t领办责任人\t完成时限\t办理层级\t办理情况"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five cases on 2026-11-27 (a Friday): #1 due Monday, #2 due Thursday at the township,
    #3 planned, #4 closed, #5 overdue. Built once; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("finding")
    path = folder / "石境村.db"
    env = {"SHUOSHI_TODAY": TODAY, "SHUOSHI_USER": "测试员", "HOME": str(folder)}
    steps: list[tuple[str, ...]] = [
        ("init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县"),
        ("add", "村口路灯不亮", "--detail", "LED灯管坏了三根", "--reporter", "张三",
         "--phone", "138 0000 0000", "--category", "基础设施", "--channel", "talk"),
        ("add", "自来水浑浊", "--reporter", "李四", "--phone", "0795-4621234",
         "--channel", "来电", "--kind", "投诉举报", "--category", "民生保障"),
        ("add", "建议增设健身器材", "--kind", "suggestion", "--channel", "app",
         "--reporter", "王五"),
        ("add", "低保政策咨询", "--kind", "inquiry", "--anonymous"),
        ("add", "河道垃圾", "--received", "2026-11-10", "--due", "2026-11-20"),
        ("assign", "1", "--owner", "周春华", "--due", "2026-11-30"),
        ("assign", "2", "--owner", "胡小燕", "--due", "2026-12-03"),
        ("note", "2", "已联系水厂检修管道"),
        ("plan", "3", "列入明年村集体经济项目", "--due", "2027-03-31"),
        ("escalate", "2", "--to", "township", "--reason", "需镇水利站"),
        ("close", "4", "--outcome", "explained", "--result", "已解释低保申请条件"),
    ]  # fmt: skip
    for step in steps:
        ok(CliRunner().invoke(app, ["--db", str(path), *step], env=env))
    return path


@pytest.fixture
def village(run: Run, db: Path, built: Path) -> Run:
    shutil.copyfile(built, db)
    return run


def ids(result: object) -> list[int]:
    return [case["id"] for case in json.loads(out(result))]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("路灯", [1]),  # title
        ("led", [1]),  # detail, any case of Latin letters
        ("ＬＥＤ灯", [1]),  # full-width letters
        ("水厂", [2]),  # a note
        ("集体经济", [3]),  # the plan
        ("张三", [1]),  # the reporter
        ("4621234", [2]),  # the phone
        ("0795 462", [2]),  # the phone's digits, typed with a space
        ("138-0000", [1]),
        ("不存在的事", []),
        ("低保", []),  # closed: not in the default (open) list
    ],
)
def test_search_looks_in_every_field_a_clerk_remembers(
    village: Run, text: str, expected: list[int]
) -> None:
    assert ids(village("list", "--search", text, "--json")) == expected


def test_search_in_closed_cases_and_with_other_filters(village: Run) -> None:
    assert ids(village("list", "--status", "all", "--search", "低保申请", "--json")) == [4]
    assert ids(village("list", "--status", "closed", "--search", "解释", "--json")) == [4]
    assert ids(village("list", "--search", "水", "--json")) == [2]
    assert ids(village("list", "--search", "水", "--level", "village", "--json")) == []


def test_search_piped_is_the_heading_and_one_tab_separated_line_per_case(village: Run) -> None:
    assert out(village("list", "--search", "led")) == (
        f"{HEADER}\n1\t2026-11-27\t村口路灯不亮\t基础设施\t周春华\t2026-11-30\t村级\t在办\n"
    )
    nothing = village("list", "--search", "不存在的事")
    assert out(nothing) == HEADER + "\n"
    assert nothing.stderr == "没有符合条件的事项\n"


def test_reporter_is_the_whole_name(village: Run) -> None:
    assert ids(village("list", "--reporter", "张三", "--json")) == [1]
    assert ids(village("list", "--reporter", " 李四 ", "--json")) == [2]
    assert ids(village("list", "--reporter", "张", "--json")) == []  # --search finds a part


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("13800000000", [1]),
        ("138 0000 0000", [1]),
        ("138-0000-0000", [1]),
        ("１３８００００００００", [1]),  # full-width digits
        ("+86 138 0000 0000", [1]),
        ("0795-4621234", [2]),
        ("0795 462 1234", [2]),
        ("07954621234", [2]),
        ("13800000001", []),
    ],
)
def test_phone_finds_the_number_however_it_is_typed(
    village: Run, typed: str, expected: list[int]
) -> None:
    assert ids(village("list", "--phone", typed, "--json")) == expected


def test_a_phone_that_is_no_number_is_refused(village: Run) -> None:
    message = "联系电话格式不对：应为 11 位手机号，或 0 开头带区号的座机号（如 0795-4621234）"
    refused(village("list", "--phone", "12345"), message)
    refused(village("list", "--phone", "张三"), message)


@pytest.mark.parametrize(
    ("option", "values", "expected"),
    [
        ("--level", ("township", "乡镇", "镇"), [2]),
        ("--level", ("village", "村级"), [5, 1, 3]),
        ("--kind", ("complaint", "投诉举报", "投诉"), [2]),
        ("--kind", ("suggestion", "意见建议"), [3]),
        ("--channel", ("phone", "来电", "电话"), [2]),
        ("--channel", ("app", "智慧民生小程序", "小程序"), [3]),
        ("--channel", ("talk", "说事点"), [1]),
    ],
)
def test_level_kind_and_channel_take_codes_and_chinese_labels(
    village: Run, option: str, values: tuple[str, ...], expected: list[int]
) -> None:
    for value in values:
        assert ids(village("list", option, value, "--json")) == expected, value


def test_an_unknown_level_kind_or_channel_is_refused_with_the_choices(village: Run) -> None:
    refused(
        village("list", "--channel", "fax"),
        "渠道不能是“fax”，可选：talk（说事点）、app（智慧民生小程序）、visit（志愿者走访）、"
        "phone（来电）、tourist（游客）、other（其他）",
    )
    refused(village("list", "--kind", "praise"))
    refused(village("list", "--level", "province"))


@pytest.mark.parametrize(
    ("within", "expected"),
    [
        ("3wd", [1]),  # Mon 11-30, Tue 12-01, Wed 12-02
        ("+3wd", [1]),
        ("3个工作日", [1]),
        ("5d", [1]),  # to 12-02
        ("1w", [1, 2]),  # to 12-04, the nearest first
        ("4wd", [1, 2]),  # to 12-03, the day #2 is due
        ("0d", []),  # nothing is due today; #5 is overdue, not 临期
        ("12月3日", [1, 2]),  # a day itself
    ],
)
def test_due_within_lists_open_cases_due_from_today_to_that_day(
    village: Run, within: str, expected: list[int]
) -> None:
    assert ids(village("list", "--due-within", within, "--json")) == expected


def test_due_within_with_other_filters_and_piped(village: Run) -> None:
    assert ids(village("list", "--due-within", "1w", "--level", "乡镇", "--json")) == [2]
    assert ids(village("list", "--due-within", "1w", "--status", "closed", "--json")) == []
    assert out(village("list", "--due-within", "1w")).splitlines() == [
        HEADER,
        "1\t2026-11-27\t村口路灯不亮\t基础设施\t周春华\t2026-11-30\t村级\t在办",
        "2\t2026-11-27\t自来水浑浊\t民生保障\t胡小燕\t2026-12-03\t乡镇\t在办",
    ]


@pytest.mark.parametrize("within", ["abc", "3", "-3d", "昨天", ""])
def test_a_due_within_that_is_no_period_ahead_is_refused(village: Run, within: str) -> None:
    assert refused(village("list", "--due-within", within)).startswith(
        f"看不懂期限“{within}”，可写 3wd（3个工作日）"
    )


def test_void_cases_are_in_no_list_or_search(village: Run) -> None:
    ok(village("add", "村口路灯不亮（重复登记）", "--reporter", "张三"))
    ok(village("void", "6", "--reason", "重复登记", "--duplicate-of", "1"))
    assert ids(village("list", "--status", "all", "--json")) == [5, 1, 2, 3, 4]
    assert ids(village("list", "--status", "all", "--search", "路灯", "--json")) == [1]
    assert ids(village("list", "--reporter", "张三", "--json")) == [1]


# ---------------------------------------------------------------- show 4, #4, 石境村#4


@pytest.mark.parametrize("command", ["show", "history"])
def test_a_case_is_named_by_number_hash_or_village_and_number(village: Run, command: str) -> None:
    plain = out(village(command, "2"))
    for ref in ("#2", "石境村#2", "石境村 #2", "＃２", " 2 "):
        assert out(village(command, ref)) == plain, ref
    assert json.loads(out(village(command, "石境村#2", "--json")))


@pytest.mark.parametrize("command", ["show", "history"])
def test_another_villages_case_is_not_found_here(village: Run, command: str) -> None:
    refused(
        village(command, "双溪村#2"),
        "本台账是石境村的，没有双溪村#2；请用 --db 打开双溪村的台账",
    )
    refused(
        village("--lang", "en", command, "双溪村#2"),
        "this is 石境村's ledger, which has no 双溪村#2; open 双溪村's ledger with --db",
        lang="en",
    )
    refused_json(village(command, "双溪村#2", "--json"), "not_found")
    refused(village(command, "#9"), "没有编号为 9 的事项")


@pytest.mark.parametrize("ref", ["abc", "#", "石境村#", "#2a", "2#"])
def test_a_case_number_that_cannot_be_read_is_refused(village: Run, ref: str) -> None:
    refused(village("show", ref), f"看不懂事项编号“{ref}”，可写 4、#4 或 石境村#4")
    refused_json(village("history", ref, "--json"), "bad_input")


# ---------------------------------------------------------------- one number, any spelling

_MOBILE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
_LANDLINE = st.from_regex(r"0[1-9][0-9]{1,2}-[1-9][0-9]{6,7}", fullmatch=True)
_FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}


@st.composite
def spelled(draw: st.DrawFn, number: str) -> str:
    """``number`` as a person might type it: spaces or dashes anywhere between the digits,
    some digits full-width, a +86 before a mobile."""
    digits = number.replace("-", "")
    typed = ""
    for digit in digits:
        typed += draw(st.sampled_from(["", "", " ", "-", " - "]))
        typed += _FULL_WIDTH[digit] if draw(st.booleans()) else digit
    if digits.startswith("1") and draw(st.booleans()):
        typed = draw(st.sampled_from(["+86 ", "+86-", "0086 ", "86"])) + typed
    return typed


@given(st.data(), st.one_of(_MOBILE, _LANDLINE), st.one_of(_MOBILE, _LANDLINE))
def test_any_spelling_of_the_stored_number_finds_it_and_another_number_does_not(
    data: st.DataObject, number: str, other: str
) -> None:
    stored = clean_phone(number)
    case = Case(id=1, uid="u", title="路灯", phone=stored, received_on=date(2026, 11, 1))
    typed = data.draw(spelled(number))
    assert select([case], "open", date(2026, 11, 27), filters(phone=typed)) == [case], typed
    assume(other.replace("-", "") != number.replace("-", ""))
    typed_other = data.draw(spelled(other))
    assert select([case], "open", date(2026, 11, 27), filters(phone=typed_other)) == []
    assert phone_number(typed) != phone_number(typed_other)
