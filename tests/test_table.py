"""Plain-text tables: Chinese lines up, a terminal's width is kept, numbers are never cut."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Run, ok
from shuoshi_cli.formats.table import Screen, Table, _tokens, cell_width, wrap

BOX = set("│┃─━┏┓┗┛┡┩└┘├┤┬┴┼╭╮╰╯")


def _table() -> Table:
    table = Table(title="石境村 事项（2 件）")
    table.add_column("编号", wrap=False)
    table.add_column("反映事项")
    table.add_column("联系电话", wrap=False)
    table.add_column("办理情况")
    table.add_row("1", "建议在村小学门口设置减速带，方便学生上下学", "13800000000", "在办 超期4天")
    table.add_row("12", "路灯", "0795-4621234", "已办结（已解释说明）")
    return table


def test_cell_width_counts_chinese_as_two() -> None:
    assert cell_width("路灯 LED") == 8
    assert cell_width("１２") == 4  # full-width digits
    assert cell_width("e\u0301") == 1  # a combining accent takes no cell


def test_piped_rows_are_one_line_each_tab_separated_without_title_or_box_drawing() -> None:
    lines = _table().render(None).splitlines()
    assert lines == [
        "编号\t反映事项\t联系电话\t办理情况",
        "1\t建议在村小学门口设置减速带，方便学生上下学\t13800000000\t在办 超期4天",
        "12\t路灯\t0795-4621234\t已办结（已解释说明）",
    ]
    assert not BOX & set("".join(lines))


def test_piped_values_keep_their_place_even_with_tabs_breaks_or_nothing() -> None:
    table = Table(title="不打印")
    for heading in ("编号", "详细内容", "领办责任人"):
        table.add_column(heading)
    table.add_row("3", "第一行\n第二行\t有制表符", "")
    assert table.render(None) == "编号\t详细内容\t领办责任人\n3\t第一行 第二行 有制表符\t"
    headless = Table(show_header=False)
    headless.add_column()
    headless.add_column()
    headless.add_row("反映事项", "路灯")
    assert headless.render(None) == "反映事项\t路灯"


def test_a_narrow_terminal_wraps_text_and_keeps_numbers_whole() -> None:
    lines = _table().render(40).splitlines()
    assert all(cell_width(line) <= 40 for line in lines), lines
    text = "\n".join(lines)
    assert "13800000000" in text and "0795-4621234" in text  # whole, on one line
    # The title wraps onto several lines but none of it is lost.
    assert "".join(line[5:19].strip() for line in lines[2:]).startswith("建议在村")
    assert len(lines) > 4


def test_columns_that_cannot_shrink_leave_the_line_long_rather_than_cut() -> None:
    table = Table()
    for heading in ("受理日期", "完成时限", "办结日期"):
        table.add_column(heading, wrap=False)
    table.add_row("2026-11-01", "2026-11-08", "2026-11-09")
    (_, row) = table.render(20).splitlines()
    assert row == "2026-11-01 2026-11-08 2026-11-09"  # closer together, but whole


@given(
    st.text(alphabet="路灯不亮已更换 LED20只0123456789-（）〔〕，。号天", min_size=0, max_size=60),
    st.integers(4, 30),
    st.booleans(),
)
def test_wrapping_loses_nothing_and_splits_no_number(text: str, width: int, words: bool) -> None:
    lines = wrap(text, width, words)
    joined = "".join(lines)
    assert joined.replace(" ", "") == text.replace(" ", "")
    for line in lines:
        # A line is too wide only when it is a single run that cannot be broken.
        assert cell_width(line) <= width or len(_tokens(line.strip())) == 1, (line, width)
    for number in re.findall(r"\d+", text):
        assert any(number in line for line in lines), number  # every number whole on one line


def test_punctuation_and_units_stay_with_their_neighbours() -> None:
    assert wrap("已办结（已解释说明）", 10) == ["已办结（已", "解释说明）"]
    assert wrap("在办 超期14天", 9) == ["在办 超期", "14天"]
    assert wrap("宝督〔2026〕5号，已回复", 18) == ["宝督〔2026〕5号，", "已回复"]
    # In ``words`` mode a line breaks at spaces and before a bracket when it can.
    assert wrap("在办 超期14天", 9, words=True) == ["在办", "超期14天"]
    assert wrap("已办结（已解决）", 10, words=True) == ["已办结", "（已解决）"]


def _list_like(width: int) -> list[str]:
    table = Table(title="石境村 事项（2 件）")
    table.add_column("编号", wrap=False)
    table.add_column("受理日期", wrap=False, short="受理")
    table.add_column("反映事项", min_width=12, want=20)
    table.add_column("类别")
    table.add_column("领办责任人", short="责任人")
    table.add_column("完成时限", wrap=False, short="时限")
    table.add_column("办理情况", words=True)
    table.add_row("9", "2026-11-15", "冬季用火安全隐患，请村里尽快排查", "社会治安", "胡小燕",
                  "2026-11-23", "在办 超期4天")  # fmt: skip
    table.add_row("10", "2026-11-15", "水井水质发黄", "民生保障", "周春华", "2026-11-23",
                  "已办结（已解释说明）")  # fmt: skip
    return table.render(width).splitlines()


def test_at_80_columns_a_title_keeps_ten_chinese_characters_and_headings_shorten() -> None:
    assert _list_like(80) == [
        "石境村 事项（2 件）",
        "编号  受理        反映事项              类别      责任人  时限        办理情况",
        "9     2026-11-15  冬季用火安全隐患，请  社会治安  胡小燕  2026-11-23  在办",
        "                  村里尽快排查                                        超期4天",
        "10    2026-11-15  水井水质发黄          民生保障  周春华  2026-11-23  已办结（已",
        "                                                                      解释说明）",
    ]


def test_the_narrowest_screen_still_gives_a_title_twelve_cells() -> None:
    lines = _list_like(60)
    assert all(cell_width(line) <= 60 for line in lines)
    assert lines[1].split()[:3] == ["编号", "受理", "反映事项"]
    (row,) = [n for n, line in enumerate(lines) if line.startswith("9 ")]
    assert lines[row].startswith("9    2026-11-15 冬季用火安全 社会治 胡小燕 2026-11-23")
    assert lines[row + 1].startswith("                隐患，请村里")


def test_no_column_is_narrower_than_a_number_it_holds() -> None:
    table = Table()
    table.add_column("分组")
    table.add_column("销号率", words=True, right=True)
    table.add_row("石境村", "100.0% (12345678/12345678)")
    for width in (10, 20, 30):
        assert "(12345678/12345678)" in table.render(width)


def test_a_table_too_wide_for_the_screen_is_drawn_in_its_narrow_parts() -> None:
    table = Table(title="全部")
    for heading in ("分组", "一", "二", "三"):
        table.add_column(heading, wrap=False)
    table.add_row("石境村", "1" * 20, "2" * 20, "3" * 20)
    left = Table(title="前半", columns=table.columns[:2], rows=[r[:2] for r in table.rows])
    right = Table(title="后半", columns=[table.columns[0], *table.columns[2:]],
                  rows=[[r[0], *r[2:]] for r in table.rows])  # fmt: skip
    table.narrow = [left, right]
    assert table.render(100).splitlines()[0] == "全部"
    assert table.render(60).splitlines() == [
        "前半",
        "分组    一",
        "石境村  " + "1" * 20,
        "",
        "后半",
        "分组    二                    三",
        "石境村  " + "2" * 20 + "  " + "3" * 20,
    ]
    assert table.render(None).splitlines()[0] == "分组\t一\t二\t三"  # piped: always whole


def test_tables_printed_one_after_another_are_set_apart_by_a_blank_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    screen = Screen()
    screen.print(_table())
    screen.print(_table())
    lines = capsys.readouterr().out.splitlines()
    assert lines[3] == "" and lines[4] == "编号\t反映事项\t联系电话\t办理情况"


def test_list_through_the_cli_is_plain_text(ledger: Run) -> None:
    ok(ledger("add", "村口路灯不亮", "--phone", "13800000000", "--due", "2026-11-30"))
    out = ok(ledger("list")).stdout
    assert not BOX & set(out)
    assert out.splitlines()[1].split("\t")[:3] == [
        "1",
        date(2026, 11, 27).isoformat(),
        "村口路灯不亮",
    ]
