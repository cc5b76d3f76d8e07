"""The public ledger (SPEC 7): no reporter's name and no number, however it was typed.

Two ledgers in two townships whose titles, results and plans carry their reporters' names (and
other reporters' names), ID numbers, phones and bank cards typed bare, spaced and dashed. The public
workbook is unzipped and every part searched as raw bytes, and so is the public CSV, for every name
and every number in every typed form; the masked texts are checked exactly, so a date or a time
next to a number is seen to survive. Then hypothesis: any spacing or dashing of a number is masked,
and ordinary dates, times and counts are not.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import ok
from shuoshi_cli.core.case import Case
from shuoshi_cli.core.codes import Kind
from shuoshi_cli.core.privacy import mask_name, mask_numbers, public_text
from test_month import invoke

ASKED = date(2026, 11, 27)
COUNTY = "靖安县"

# Every number below, bare, and the forms it is typed in somewhere in the ledgers.
ID_X = "36092519900101123X"
ID_4 = "360925199001011234"
MOBILE = "13912345678"
LANDLINE = "07954665555"
CARD_19 = "6222021234567890123"
CARD_16 = "6217000010001234"
PHONES = ("13800000001", "13800000002", "0795-4661234", "13700000001", "13700000002")
FORMS = {
    ID_X: ("36092519900101123X", "360925 19900101 123X", "360925-1990-01-01-123X",
           "3609 2519 9001 0112 3X", "360925 1990-01-01 123X"),
    ID_4: ("360925 19900101 1234",),
    MOBILE: ("139-1234-5678", "+86 139 1234 5678", "139 1234 5678", "13912345678"),
    LANDLINE: ("0795 466 5555", "0795-4665555"),
    CARD_19: ("6222 0212 3456 7890 123", "6222-0212-3456-7890-123"),
    CARD_16: ("6217-0000-1000-1234",),
}  # fmt: skip
NAMED = ("张伟", "欧阳娜娜", "李建国", "赵六")  # reporters shown as surname + *
HIDDEN = ("王秀英", "钱多多")  # complaint reporters: not a trace


@dataclass(frozen=True)
class Spec:
    township: str
    village: str
    title: str
    public_title: str
    reporter: str | None = None
    phone: str | None = None
    kind: str = "request"
    anonymous: bool = False
    result: str | None = None
    plan: str | None = None
    county_level: bool = False
    shown: str | None = None  # the public 办理结果 (or 办理情况: 列入计划：…)
    letter: str | None = None  # a supervision letter: the 督办清单 carries the title too


SPECS = (
    Spec("宝峰镇", "石境村", "张伟身份证360925 19900101 1234补办医保", "张*身份证***补办医保",
         reporter="张伟", phone="13800000001", letter="宝督〔2026〕1号",
         result="已电话告知张伟（139-1234-5678），2026-11-30 13:00前来办理",
         shown="已电话告知张*（***），2026-11-30 13:00前来办理"),
    Spec("宝峰镇", "石境村", "王秀英举报邻居占地，回电0795 466 5555", "举报邻居占地，回电***",
         reporter="王秀英", phone="0795-4661234", kind="complaint"),
    Spec("宝峰镇", "石境村", "欧阳娜娜申请补贴打卡6222 0212 3456 7890 123", "欧阳*申请补贴打卡***",
         reporter="欧阳娜娜", phone="13800000002",
         plan="欧阳娜娜的补贴列入明年计划，卡号6222-0212-3456-7890-123",
         shown="列入计划：欧阳*的补贴列入明年计划，卡号***"),
    Spec("宝峰镇", "石境村", "与张伟家宅基地纠纷 联系+86 139 1234 5678，共3户12人",
         "与张*家宅基地纠纷 联系+***，共3户12人", reporter="李建国"),
    Spec("宝峰镇", "石境村", "反映村干部作风 身份证36092519900101123X", "反映村干部作风 身份证***",
         anonymous=True),
    Spec("中源乡", "中源村", "钱多多举报张伟乱倒垃圾 电话13912345678，王秀英也知情",
         "举报张*乱倒垃圾 电话***，也知情", reporter="钱多多", phone="13700000001",
         kind="complaint", county_level=True),
    Spec("中源乡", "中源村", "咨询社保 卡号6217-0000-1000-1234 身份证360925-1990-01-01-123X",
         "咨询社保 卡号*** 身份证***", reporter="赵六", phone="13700000002", kind="inquiry",
         result="赵六的卡号3609 2519 9001 0112 3X有误，已请0795-4665555核实",
         shown="赵*的卡号***有误，已请***核实"),
    Spec("中源乡", "中源村", "道路维修 2026-11-30 至 2026-12-05 施工 13:00-17:00",
         "道路维修 2026-11-30 至 2026-12-05 施工 13:00-17:00", reporter="孙七",
         result="按期完工，核对身份证360925 1990-01-01 123X的补偿",
         shown="按期完工，核对身份证***的补偿"),
)  # fmt: skip


@dataclass(frozen=True)
class Exported:
    full: Path
    public: Path
    public_csv: Path
    full_csv: Path


def _add_args(spec: Spec) -> list[str]:
    args = ["add", "--kind", spec.kind, "--category", "民生保障", "--owner", "刘强"]
    args += ["--due", "2026-10-30"]
    if spec.reporter:
        args += ["--reporter", spec.reporter]
    if spec.phone:
        args += ["--phone", spec.phone]
    if spec.anonymous:
        args.append("--anonymous")
    return [*args, "--", spec.title]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    base = tmp_path_factory.mktemp("public")
    home = base / "home"
    folder = base / "台账"
    folder.mkdir()
    day = date(2026, 10, 10)

    def run(db: Path, *args: str) -> None:
        ok(invoke(["--db", str(db), *args], day, home))

    for village, township in (("石境村", "宝峰镇"), ("中源村", "中源乡")):
        run(folder / f"{village}.db", "init", "--village", village, "--township", township,
            "--county", COUNTY)  # fmt: skip
    numbers: dict[str, int] = {}
    for spec in SPECS:
        db = folder / f"{spec.village}.db"
        number = numbers[spec.village] = numbers.get(spec.village, 0) + 1
        run(db, *_add_args(spec))
        if spec.letter:
            run(db, "supervise", str(number), "--letter", spec.letter)
        if spec.county_level:
            run(db, "escalate", str(number), "--to", "county", "--reason", "需县里协调")
        if spec.plan:
            run(db, "plan", str(number), spec.plan)
        if spec.result:
            run(db, "close", str(number), "--outcome", "resolved", "--result", spec.result)
    paths = Exported(base / "全.xlsx", base / "公示.xlsx", base / "公示.csv", base / "全.csv")
    month = ["export", "--month", "2026-10", str(folder)]
    ok(invoke([*month, "-o", str(paths.full)], ASKED, home))
    ok(invoke([*month, "-o", str(paths.public), "--public"], ASKED, home))
    ok(invoke([*month, "-o", str(paths.public_csv), "--public", "--csv"], ASKED, home))
    ok(invoke([*month, "-o", str(paths.full_csv), "--csv"], ASKED, home))
    return paths


def raw_parts(path: Path) -> dict[str, bytes]:
    """Every part of the package, as stored (the file itself too, for a CSV)."""
    if path.suffix == ".csv":
        return {path.name: path.read_bytes()}
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def forbidden() -> list[str]:
    """Every name and every number, in every form it was typed in and bare."""
    found = [*NAMED, *HIDDEN, *PHONES, *(p.replace("-", "") for p in PHONES)]
    for bare, forms in FORMS.items():
        found += [bare, bare.lower(), *forms]
    return found


def test_the_full_ledger_keeps_what_the_public_one_hides(exported: Exported) -> None:
    text = html.unescape(b"".join(raw_parts(exported.full).values()).decode("utf-8", "replace"))
    text += exported.full_csv.read_text(encoding="utf-8-sig")
    for needle in (*NAMED, *HIDDEN, "360925 19900101 1234", "6222 0212 3456 7890 123"):
        assert needle in text, needle  # so the searches below can find something


@pytest.mark.parametrize("which", ["public", "public_csv"])
def test_no_name_or_number_in_any_byte(exported: Exported, which: str) -> None:
    checked = 0
    for part, data in raw_parts(getattr(exported, which)).items():
        # openpyxl writes inline strings' CJK as character references (&#24352;): read those too.
        text = html.unescape(data.decode("utf-8", "replace"))
        for needle in forbidden():
            assert needle.encode("utf-8") not in data, (part, needle)
            assert needle not in text, (part, needle)
        # Nor in pieces: no run of 5 or more digits in any text (in a cell, a header, a title).
        strings = re.findall(r"<(?:t|oddHeader|dc:title)(?:\s[^>]*)?>(.*?)</", text, re.S)
        if part.endswith(".csv"):
            strings = [text]
        for string in strings:
            assert not re.search(r"[0-9]{5,}", string), (part, string)
        checked += sum(string.count("***") for string in strings)
    assert checked >= 8  # the masked texts were among those searched


def public_rows(path: Path) -> dict[tuple[str, str], dict[str, object]]:
    book = load_workbook(path)
    got: dict[tuple[str, str], dict[str, object]] = {}
    for ws in book.worksheets:
        names = [c.value for c in ws[3]]
        if "反映人" not in names:
            continue
        for row in ws.iter_rows(min_row=4, values_only=True):
            record = dict(zip(names, row, strict=True))
            got[(ws.title, str(record["编号"]))] = record
    return got


def test_public_texts_are_masked_exactly(exported: Exported) -> None:
    got = public_rows(exported.public)
    numbers: dict[str, int] = {}
    for spec in SPECS:
        number = numbers[spec.village] = numbers.get(spec.village, 0) + 1
        row = got[(spec.village, str(number))]
        assert row["反映事项"] == spec.public_title
        hidden = spec.anonymous or spec.kind == "complaint"
        assert (row["反映人"] or "") == ("" if hidden else mask_name(spec.reporter or ""))
        if spec.result:
            assert row["办理结果"] == spec.shown
        elif spec.plan:
            assert row["办理情况"] == spec.shown
    # The CSV (the full record) says the same in its own columns.
    lines = exported.public_csv.read_text(encoding="utf-8-sig")
    records = list(csv.DictReader(io.StringIO(lines, newline="")))
    by_title = {r["反映事项"]: r for r in records}
    assert set(by_title) == {s.public_title for s in SPECS}
    first = by_title[SPECS[0].public_title]
    assert first["办理结果"] == "已电话告知张*（***），2026-11-30 13:00前来办理"
    assert first["反映人"] == "张*"
    assert "联系电话" not in records[0]


def test_the_supervision_list_is_masked_too(exported: Exported) -> None:
    book = load_workbook(exported.public)
    titles = [str(c.value) for ws in book.worksheets if ws.title == "督办清单" for c in ws["D"]]
    assert SPECS[0].public_title in titles


# ---------------------------------------------------------------- names


def case(reporter: str | None, kind: Kind = Kind.REQUEST, anonymous: bool = False) -> Case:
    return Case(id=1, uid="u", reporter=reporter, kind=kind, anonymous=anonymous)


def test_names_are_masked_longest_first_and_hidden_ones_removed() -> None:
    shown = public_text(
        [
            case("张三"),
            case("张三丰"),
            case("欧阳娜娜"),
            case("王五", Kind.COMPLAINT),
            case("村民"),  # not a name: "村民反映" stays
            case("李"),  # one character would blank every 李
            case(None, anonymous=True),
        ]
    )
    assert shown("张三丰和张三找欧阳娜娜") == "张*和张*找欧阳*"
    assert shown("王五举报，村民反映李家") == "举报，村民反映李家"
    assert shown("王王五五") == ""  # what removing a name joins up is removed too
    assert shown("电话 138 0000 0000") == "电话 ***"
    assert public_text([])("张三 13800000000") == "张三 ***"


def test_a_name_both_hidden_and_named_is_hidden_everywhere() -> None:
    shown = public_text([case("王五"), case("王五", Kind.COMPLAINT)])
    assert shown("王五反映") == "反映"


# ---------------------------------------------------------------- numbers, by example

MASKED = [
    ("身份证360925 19900101 1234补办", "身份证***补办"),
    ("138-0000-0000", "***"),
    ("卡号6222 0212 3456 7890 123", "卡号***"),
    ("2026-11-30 13800000000", "2026-11-30 ***"),
    ("360925 1990-01-01 1234", "***"),
    ("36092519900101123 x", "***"),
    ("0795 466 5555，分机801", "***，分机801"),
    ("电话4665555", "电话***"),
    ("３６０９２５１９９００１０１１２３４", "***"),
    ("138 - 0000 - 0000", "***"),
]
KEPT = [
    "2026-11-30",
    "13:00",
    "于2026-11-30 13:00前",
    "2026-11-30 2026-12-05",
    "2026-11-30 - 2026-12-05",
    "2026-11 2026-12",
    "共3户12人",
    "第1-3组",
    "1,234,567元",
    "2019-2026年",
    "宝督〔2026〕12号",
    "X光 2026-10-01",
]


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_numbers_typed_any_way_are_masked(text: str, masked: str) -> None:
    assert mask_numbers(text) == masked


@pytest.mark.parametrize("text", KEPT)
def test_dates_times_and_counts_stay(text: str) -> None:
    assert mask_numbers(text) == text


# ---------------------------------------------------------------- numbers, by hypothesis

PROVINCES = ["11", "31", "36", "44", "51", "65", "82"]
SEPARATORS = st.sampled_from([" ", "-", "  ", " - ", "－", "\u3000", "\u00a0", "—", "--"])
BEFORE = st.sampled_from(["", "电话", "身份证号：", "卡号 ", "联系（", "请打"])
AFTER = st.sampled_from(["", "。", "补办", " 谢谢", "）"])


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=size, max_size=size)


@st.composite
def numbers(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["mobile", "landline", "id", "card"]))
    if kind == "mobile":
        prefix = draw(st.sampled_from(["", "86"]))
        return prefix + "1" + draw(st.sampled_from("3456789")) + draw(digits(9))
    if kind == "landline":
        area = (
            "0" + draw(st.sampled_from("123456789")) + draw(digits(draw(st.sampled_from([1, 2]))))
        )
        return (
            area + draw(st.sampled_from("23456789")) + draw(digits(draw(st.sampled_from([6, 7]))))
        )
    if kind == "id":
        born = draw(st.dates(date(1900, 1, 1), date(2099, 12, 31))).strftime("%Y%m%d")
        check = draw(st.sampled_from("0123456789X"))
        return draw(st.sampled_from(PROVINCES)) + draw(digits(4)) + born + draw(digits(3)) + check
    size = draw(st.integers(16, 19))
    return draw(st.sampled_from("123456789")) + draw(digits(size - 1))


@st.composite
def typed(draw: st.DrawFn, number: str) -> str:
    """The number cut anywhere into groups, each joined by spaces or dashes."""
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=6)))
    parts = [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    return parts[0] + "".join(draw(SEPARATORS) + p for p in parts[1:])


# A 4-digit group 1900-2099, one dash, a month: read as a date (2026-1), which only an ID number's
# birth date may be part of (see core/privacy.py).
LOOKS_LIKE_A_DATE = re.compile(
    r"(?<![0-9])(?:19|20)[0-9]{2}[-\u2010-\u2013\u2212\uff0d](?:0?[1-9]|1[0-2])(?![0-9])"
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_spacing_or_dashing_of_a_number_is_masked(data: st.DataObject) -> None:
    number = data.draw(numbers())
    form = data.draw(typed(number))
    is_id = len(number) == 18 and number[:2] in PROVINCES and number[-1:] == "X"
    assume(is_id or not LOOKS_LIKE_A_DATE.search(form))
    text = data.draw(BEFORE) + form + data.draw(AFTER)
    masked = mask_numbers(text)
    assert not re.search(r"[0-9]", masked), (text, masked)
    assert "X" not in masked, (text, masked)
    assert mask_numbers(masked) == masked


@st.composite
def ordinary(draw: st.DrawFn) -> str:
    day = draw(st.dates(date(1950, 1, 1), date(2060, 12, 31)))
    padded = draw(st.booleans())
    iso = day.isoformat() if padded else f"{day.year}-{day.month}-{day.day}"
    choices = [
        iso,
        iso[:7] if padded else f"{day.year}-{day.month}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
        f"{draw(st.integers(0, 99999))}{draw(st.sampled_from('户人件元米亩天'))}",
    ]
    return draw(st.sampled_from(choices))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(ordinary(), min_size=1, max_size=4),
    st.lists(st.sampled_from([" ", "，", " 至 ", "、", " - ", "-", "；"]), min_size=3, max_size=3),
)
def test_dates_times_and_counts_are_not_masked(pieces: list[str], joins: list[str]) -> None:
    # Only dates and times are joined by a bare space or dash: "3 12" could be a phone's pieces.
    text = previous = pieces[0]
    for join, piece in zip(joins, pieces[1:], strict=False):
        bare = join.strip(" -") == ""
        text += (
            "，"
            if bare and not (DATE_OR_TIME.fullmatch(previous) and DATE_OR_TIME.fullmatch(piece))
            else join
        ) + piece
        previous = piece
    assert mask_numbers(text) == text


DATE_OR_TIME = re.compile(r"[0-9]{4}-[0-9]{1,2}(?:-[0-9]{1,2})?|[0-9]{2}:[0-9]{2}")
