"""Plain-text tables: Chinese lines up, a terminal's width is kept, numbers are never cut."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from conftest import Run, ok
from shuoshi_cli.formats.table import Table, cell_width, wrap

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


def test_piped_rows_are_one_line_each_without_box_drawing() -> None:
    lines = _table().render(None).splitlines()
    assert lines == [
        "石境村 事项（2 件）",
        "编号  反映事项                                    联系电话      办理情况",
        "1     建议在村小学门口设置减速带，方便学生上下学  13800000000   在办 超期4天",
        "12    路灯                                        0795-4621234  已办结（已解释说明）",
    ]
    assert not BOX & set("".join(lines))


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
    st.text(alphabet="路灯不亮已更换 LED20只0123456789-（）", min_size=0, max_size=60),
    st.integers(4, 30),
)
def test_wrapping_loses_nothing_and_splits_no_number(text: str, width: int) -> None:
    lines = wrap(text, width)
    joined = "".join(lines)
    assert joined.replace(" ", "") == text.replace(" ", "")
    for line in lines:
        # A line is too wide only when it is a single run that cannot be broken.
        assert cell_width(line) <= width or " " not in line.strip() and cell_width(line[0]) == 1


def test_list_through_the_cli_is_plain_text(ledger: Run) -> None:
    ok(ledger("add", "村口路灯不亮", "--phone", "13800000000", "--due", "2026-11-30"))
    out = ok(ledger("list")).stdout
    assert not BOX & set(out)
    assert out.splitlines()[2].split()[:3] == ["1", date(2026, 11, 27).isoformat(), "村口路灯不亮"]
