"""A second author's workbooks in the eight real formats of IMPORT-FORMATS.md (issue 12).

Built from the format descriptions alone, independently of tests/ledgerbooks.py, varying what
another clerk would: other heading synonyms, full-width brackets and spaces in headings, two-tier
headings of other widths, merges over other ranges, dates as Excel dates, serials in General
cells and text in every form, phones in every shape, 合计 rows with formulas, footers spread
over merged cells, a 填写说明 sheet, month sheets with last year's carried-over sheet, a 汇总
sheet, one sheet per category, every 完成时限 form. Every name and number is invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet


def serial(day: date) -> int:
    """The Excel serial of a day, as a General cell holds it."""
    return (day - date(1899, 12, 30)).days


def _put(ws: Worksheet, row: int, values: Sequence[Any], *, text: Sequence[int] = ()) -> None:
    for col, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = ws.cell(row=row, column=col, value=value)
        if col in text:
            cell.number_format = "@"
        if isinstance(value, datetime | date):
            cell.number_format = "yyyy-mm-dd"


def _sheet(book: openpyxl.Workbook, name: str) -> Worksheet:
    ws = book.create_sheet(name)
    return ws


def _book() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    assert book.active is not None
    book.remove(book.active)
    return book


# ---------------------------------------------------------------- 1. 群众说事 register


def register(path: Path) -> Path:
    """Title, a 填报 row split over two cells, a 说明 row, two-tier headings (办理情况 over three),
    the talk day and place merged down, 备注 merged over two rows, a 合计 row, a spread footer.

    Rows 6-10: four cases (closed: 6, 8), one visit with nothing raised (9)."""
    book = _book()
    ws = _sheet(book, "说事登记")
    ws["A1"] = "宝峰镇石境村群众说事登记台账（2026年）"
    ws.merge_cells("A1:N1")
    ws["A2"] = "填报单位：石境村村民委员会"
    ws.merge_cells("A2:F2")
    ws["H2"] = "填报时间：2026年11月20日"
    ws.merge_cells("H2:N2")
    ws["A3"] = "说明：每次说事活动后当日登记，办结后填写办结时间。"
    ws.merge_cells("A3:N3")
    tops = ["序号", "说事时间", "说事地点", "说事人", "联系 电话", "*反映事项", "问题分类",
            "包案责任人", "完成时限（天）", "办理情况", None, None, "群众评价", "备注"]  # fmt: skip
    _put(ws, 4, tops)
    _put(ws, 5, [None] * 9 + ["办理措施", "办结时间", "是否办结"])
    for col in "ABCDEFGHIMN":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("J4:L4")
    _put(ws, 6, [1, datetime(2026, 10, 12), "村委会议室", "张三丰", "138 0795 2234", "村口路灯不亮",
                 "基础设施", "李主任", 7, "联系电工更换", "10月15日", "是", "满意",
                 "夜间巡查发现"])  # fmt: skip
    _put(ws, 7, [2, None, None, "李秀英", "儿子 13907951234", "低保申请进度咨询", "民生保障",
                 "王会计", 15, "正在协调", None, "否"])  # fmt: skip
    _put(ws, 8, [3, None, None, "匿名", "/", "有人在河道倒垃圾", "环境卫生", "李主任", 3,
                 "已清理", "2026.10.14", "√", "基本满意"])  # fmt: skip
    ws.merge_cells("B6:B8")
    ws.merge_cells("C6:C8")
    ws.merge_cells("N6:N7")
    _put(ws, 9, [4, serial(date(2026, 11, 5)), "文化广场", "赵六", None, "无"])
    _put(ws, 10, [5, None, None, "钱七", 13800000001, "水渠堵塞影响灌溉", "农业生产", "孙组长",
                  None, "已联系挖机，下周清淤", None, "否", "/"])  # fmt: skip
    ws.merge_cells("B9:B10")
    ws.merge_cells("C9:C10")
    ws["A11"] = "合计"
    ws.merge_cells("A11:E11")
    ws["F11"] = "=SUM(A6:A10)"
    ws["A12"] = "填表人：王会计"
    ws.merge_cells("A12:E12")
    ws["H12"] = "审核人：李主任"
    ws.merge_cells("H12:K12")
    book.save(path)
    return path


def register_errors(path: Path) -> Path:
    """The register with two genuine clerk errors: a 10-digit phone (row 6) and a closing date
    before the day received (row 7)."""
    book = _book()
    ws = _sheet(book, "说事登记")
    ws["A1"] = "宝峰镇石境村群众说事登记台账（2026年）"
    ws.merge_cells("A1:H1")
    _put(ws, 2, ["序号", "说事时间", "说事人", "联系电话", "反映事项", "领办人", "办结时间",
                 "办理结果"])  # fmt: skip
    _put(ws, 3, [1, "2026-10-02", "周一", "1380795223", "路面积水", "李主任", None, None])
    _put(ws, 4, [2, "2026-10-08", "吴二", None, "垃圾桶破损", "李主任", "2026-10-01", "已更换"])
    _put(ws, 5, [3, "2026-10-09", "郑三", "13807951234", "树木遮挡路灯", "李主任", None, None])
    book.save(path)
    return path


# ---------------------------------------------------------------- 2. 民情日记


def diary(path: Path) -> Path:
    """A 填写说明 sheet, then 9月, 10月, 11月; only the title names the year; 日期 heading;
    采取措施 / 结果反馈 / 是否解决; visits with nothing raised (无, 无诉求).

    Five data rows: three cases (closed: 9月 row 4), two placeholders."""
    book = _book()
    notes = _sheet(book, "填写说明")
    notes["A1"] = "填写说明"
    notes["A2"] = "1. 每次入户走访都要登记，无诉求的也要登记。"
    notes["A3"] = "2. 是否解决填 已解决/正在协调/否。"
    heads = [
        "日期",
        "走访对象",
        "联系方式",
        "反映问题",
        "采取措施",
        "结果反馈",
        "是否解决",
        "网格员",
    ]
    months = {
        "9月": [
            ["9.8", "陈大妈", "无", "无", None, None, None, "周网格"],
            ["9月15日", "刘四", "13607951234/13807950000", "楼道灯坏了", "报村委维修", "已修好",
             "已解决", "周网格"],
        ],
        "10月": [
            [datetime(2026, 10, 5), "黄五", None, "无诉求", None, None, None, "周网格"],
            ["10月20日", "吴六", "139****2234", "邻里噪音纠纷", "上门劝导", None, "正在协调",
             "周网格"],
        ],
        "11月": [
            [11.5, "郑七", None, "垃圾桶不够", "向镇里申请", None, "否", "周网格"],
        ],
    }  # fmt: skip
    for name, rows in months.items():
        ws = _sheet(book, name)
        ws["A1"] = "石境村第三网格民情日记（2026年）"
        ws.merge_cells("A1:H1")
        _put(ws, 2, heads)
        for offset, row in enumerate(rows):
            _put(ws, 3 + offset, row)
    book.save(path)
    return path


# ---------------------------------------------------------------- 3. 12345 export


def hotline(path: Path) -> Path:
    """Flat, heading in row 1, date-times as text, 工单编号, 诉求标题 + 诉求内容, 所属区域 naming
    three villages, 工单状态 (已办结/办理中/退单/已回复), masked phones, 回访满意度 未评价.

    Six rows: three cases of 石境村 (closed: 2 and 7), two of other villages, one 退单."""
    book = _book()
    ws = _sheet(book, "工单明细")
    _put(ws, 1, ["工单编号", "来电时间", "来电人", "来电号码", "诉求标题", "诉求内容", "工单分类",
                 "所属区域", "承办单位", "办理时限", "工单状态", "回复内容", "回复时间",
                 "回访满意度"])  # fmt: skip
    rows = [
        ["GD2026090001", "2026-09-02 08:41:17", "张先生", "138****1234", "（城管）商业噪音",
         "村口小超市音响整天外放，影响休息，要求处理。", "投诉", "宝峰镇石境村", "石境村委会",
         "3个工作日", "已办结", "已责令店主整改，音响已关闭", "2026-09-04 16:20:00", "满意"],
        ["GD2026090002", "2026-09-10 10:02:33", "王女士", "139****5678", "（农业）灌溉用水",
         "灌溉用水不足。", "求助", "宝峰镇东村", "东村委会", "5个工作日", "已办结",
         "已协调放水", "2026-09-12 09:00:00", "满意"],
        ["GD2026090003", "2026-09-11 15:30:00", "赵先生", "137****0000", "（交通）班车停运",
         "班车停运。", "求决", "宝峰镇西村", "西村委会", "5个工作日", "办理中", None, None, None],
        ["GD2026100004", "2026-10-08 09:00:00", "李先生", "136****4321", "（市政）路面破损",
         "村道中段路面塌陷，夜间行车危险。", "求决", "宝峰镇石境村", "石境村委会", "5个工作日",
         "办理中", None, None, None],
        ["GD2026100005", "2026-10-09 11:11:11", "孙女士", "135****2468", "（其他）非本辖区事项",
         "反映的小区不在本村。", "咨询", "宝峰镇石境村", "石境村委会", "3个工作日", "退单",
         "非本辖区，已退回", None, None],
        ["GD2026110006", "2026-11-02 14:00:00", "某女士", None, "（环保）焚烧秸秆",
         "田间有人焚烧秸秆，烟雾很大。", "举报", "石境村", "石境村委会", "2026-11-09 14:00:00",
         "已回复", "已劝导停止焚烧", "2026-11-03 10:00:00", "未评价"],
    ]  # fmt: skip
    for offset, row in enumerate(rows):
        _put(ws, 2 + offset, row)
    book.save(path)
    return path


# ---------------------------------------------------------------- 4. 矛盾纠纷排查化解台账


def disputes(path: Path) -> Path:
    """填报单位（盖章）/填报月份 above a two-tier heading of two groups, two parties, two phones
    with 、, 化解时限 as 15日内 / 10月底 / 11月底前, 调解不成，已引导诉讼, a 合计 row with a formula,
    a footer over three merged cells.

    Rows 5-7: three cases (closed: 5 resolved, 6 explained)."""
    book = _book()
    ws = _sheet(book, "10月")
    ws["A1"] = "宝峰镇石境村矛盾纠纷排查化解台账"
    ws.merge_cells("A1:L1")
    ws["A2"] = "填报单位（盖章）：石境村调委会"
    ws.merge_cells("A2:E2")
    ws["H2"] = "填报月份：2026年10月"
    ws.merge_cells("H2:L2")
    _put(ws, 3, ["序号", "排查时间", "当事人基本情况", None, None, "纠纷类型", "纠纷简要情况",
                 "化解时限", "化解情况", None, None, "调解员"])  # fmt: skip
    _put(ws, 4, [None, None, "申请人", "被申请人", "联系电话", None, None, None, "化解状态",
                 "化解时间", "化解方式"])  # fmt: skip
    for col in "ABFGHL":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("C3:E3")
    ws.merge_cells("I3:K3")
    _put(ws, 5, [1, "10月3日", "胡一", "胡二", "13907951234、13607955678", "邻里纠纷",
                 "宅基地界址争议", "15日内", "已化解", "10月12日", "现场调解", "周调解"])  # fmt: skip
    _put(ws, 6, [2, "2026/10/08", "林三", "某建筑公司", "0795-4621234", "劳资纠纷",
                 "拖欠工资三个月", "10月底", "调解不成，已引导诉讼", "10月25日", "法律援助",
                 "周调解"])  # fmt: skip
    _put(ws, 7, [3, datetime(2026, 10, 20), "宋四", "宋五", None, "婚姻家庭纠纷",
                 "赡养老人分歧", "11月底前", "化解中", None, None, "周调解"])  # fmt: skip
    ws["A8"] = "合计"
    ws.merge_cells("A8:F8")
    ws["G8"] = "=COUNTA(G5:G7)"
    ws["I8"] = '=COUNTIF(I5:I7,"已化解")'
    ws["A9"] = "填表人：周调解"
    ws.merge_cells("A9:D9")
    ws["F9"] = "负责人：李主任"
    ws.merge_cells("F9:H9")
    ws["I9"] = "填报日期：2026年10月31日"
    ws.merge_cells("I9:L9")
    ws["I11"] = "石境村人民调解委员会（盖章）"  # the stamp and date, unlabelled, under 化解情况
    ws.merge_cells("I11:L11")
    ws["J12"] = datetime(2026, 10, 31)
    book.save(path)
    return path


# ---------------------------------------------------------------- 5. 诉求办理台账 / 信访台账


def petitions(path: Path) -> Path:
    """序号 and 信访编号 columns, other synonyms (接件时间, 信访人姓名, 手机号码, 信访内容 …), the
    clerk's words in the cells, a title with no year.

    Rows 3-6: four cases (closed: 3, 5)."""
    book = _book()
    ws = _sheet(book, "信访台账")
    ws["A1"] = "石境村信访事项登记台账"
    ws.merge_cells("A1:N1")
    _put(ws, 2, ["序号", "信访编号", "接件时间", "信访人姓名", "手机号码", "信访内容", "信访类型",
                 "信访来源", "责任单位", "处理时限", "处理情况", "结案时间", "回访时间", "回访结果",
                 "备注"])  # fmt: skip
    _put(ws, 3, [1, "ZF2026-031", "2026年9月3日", "何大", 13807951234, "要求修缮村道", "求决",
                 "群众来访", "村委会", "一个月", "已办结，村道已修缮", "2026年9月28日",
                 "2026年10月8日", "满意", None])  # fmt: skip
    _put(ws, 4, [2, "ZF2026-032", "2026-09-15", "匿名", None, "反映村干部优亲厚友", "揭发控告",
                 "领导信箱", "镇纪委", "30天", "办理中，已转镇纪委核查", None, None, None,
                 "涉密件"])  # fmt: skip
    _put(ws, 5, [3, "ZF2026-033", "2026.10.5", "罗三", "139 0795 6677", "咨询新农合缴费标准",
                 "咨询", "电话来访", "村委会", "当日", "已答复缴费标准", "2026.10.5", None,
                 "未回访", None])  # fmt: skip
    _put(ws, 6, [4, "ZF2026-034", "10月30日", "袁四", "微信联系", "申请危房改造", "求助",
                 "上级转办", "村委会", "11月20日前", "已入户核查，待镇里审批", None, None, None,
                 None])  # fmt: skip
    book.save(path)
    return path


# ---------------------------------------------------------------- 6. 接诉即办 order book


def orders(path: Path) -> Path:
    """A 汇总 sheet, last year's carried-over 2025年12月 sheet (12月28日 is 2025), 2026年10月 and
    2026年11月; 工单号, 接单时间, 承办人, 是否解决, 是否满意, 回复时间, no 办结日期; phones typed
    into General cells as numbers.

    Four rows, four cases (closed: three; 未解决 without a date or reason stays open)."""
    book = _book()
    summary = _sheet(book, "汇总")
    summary["A1"] = "接诉即办工单汇总"
    _put(summary, 2, ["月份", "接单数", "解决数", "满意数"])
    _put(summary, 3, ["2025年12月", 1, 1, 1])
    _put(summary, 4, ["2026年10月", 2, 2, 1])
    heads = ["工单号", "接单时间", "来电人", "电话", "诉求事项", "承办人", "是否解决", "是否满意",
             "回复时间"]  # fmt: skip
    sheets = {
        "2025年12月": [
            ["JS20251228001", "12月28日", "冯一", 13607950001, "自来水管冻裂", "韩工", "已解决",
             "满意", "12月30日"],
        ],
        "2026年10月": [
            ["JS20261003002", "10月3日", "蒋二", 13607950002, "路灯损坏", "韩工", "已解决",
             "基本满意", "10月5日"],
            ["JS20261015003", "10月15日", "沈三", None, "广场舞噪音扰民", "韩工", "部分解决",
             "不满意", "10月18日"],
        ],
        "2026年11月": [
            ["JS20261120004", "11月20日", "韩四", 13607950004, "快递点乱停车", "韩工", "未解决",
             None, None],
        ],
    }  # fmt: skip
    for name, rows in sheets.items():
        ws = _sheet(book, name)
        ws["A1"] = f"{name}接诉即办工单"
        ws.merge_cells("A1:I1")
        _put(ws, 2, heads)
        for offset, row in enumerate(rows):
            _put(ws, 3 + offset, row)
    book.save(path)
    return path


# ---------------------------------------------------------------- 7. county template


def county_template(path: Path) -> Path:
    """A 填写说明 sheet and one sheet per category; headings with line breaks, ``*`` and
    ``完成时限\\n（天）``; 序号 as ``=ROW()-3``; dates as Excel dates, a serial, text.

    Three rows, three cases (closed: 基础设施类 row 4, 环境卫生类 row 4); 矛盾纠纷类 is empty."""
    book = _book()
    notes = _sheet(book, "填写说明")
    notes["A1"] = "填写说明：按类别分表登记；完成时限填天数。"
    heads = ["序号", "登记\n日期", "反映人", "联系\n电话", "*反映事项", "领办\n责任人",
             "完成时限\n（天）", "办理\n结果", "办结\n日期", "满意度"]  # fmt: skip
    sheets = {
        "基础设施类": [
            [datetime(2026, 9, 12), "曹一", "13807951234", "桥栏杆松动", "李主任", 5, "已加固",
             datetime(2026, 9, 15), "满意"],
            [serial(date(2026, 10, 2)), "许二", None, "排水沟破损", "李主任", 10, None, None, None],
        ],
        "环境卫生类": [
            ["2026年10月9日", "马三", "138-0795-2234", "垃圾清运不及时", "王主任", "3",
             "已增加清运频次", "2026年10月11日", "基本满意"],
        ],
        "矛盾纠纷类": [],
    }  # fmt: skip
    for name, rows in sheets.items():
        ws = _sheet(book, name)
        ws["A1"] = "靖安县群众说事事项登记表"
        ws.merge_cells("A1:J1")
        ws["A2"] = "填报单位：宝峰镇石境村　　填报时间：2026年11月"
        ws.merge_cells("A2:J2")
        _put(ws, 3, heads)
        for offset, row in enumerate(rows):
            _put(ws, 4 + offset, ["=ROW()-3", *row])
    book.save(path)
    return path


# ---------------------------------------------------------------- 8. 问题清单 销号台账

# 完成时限 as written -> the deadline it means for a row received 2026-09-01 (None: no date).
CHECKLIST_DEADLINES: list[tuple[str, date | None]] = [
    ("立行立改", date(2026, 9, 1)),
    ("一个月", date(2026, 10, 1)),
    ("2026年10月底", date(2026, 10, 31)),
    ("2026年11月", date(2026, 11, 30)),
    ("年底前", date(2026, 12, 31)),
    ("2027年汛期前", None),
    ("15日内", date(2026, 9, 16)),
    ("10月20日前", date(2026, 10, 20)),
    ("11月底前", date(2026, 11, 30)),
    ("3个工作日", date(2026, 9, 4)),
]
# Which of those rows are 销号 and on which day.
CHECKLIST_CLOSED = {0: date(2026, 9, 1), 1: date(2026, 9, 25), 6: date(2026, 9, 10)}


def checklist(path: Path) -> Path:
    """问题编号, 提出时间, 问题描述, 推进情况, 是否销号, 销号时间, 群众评价 and every 完成时限
    form (CHECKLIST_DEADLINES), all received 2026-09-01.

    Ten rows, ten cases (closed: CHECKLIST_CLOSED)."""
    book = _book()
    ws = _sheet(book, "问题清单")
    ws["A1"] = "石境村“我为群众办实事”问题清单销号台账（2026年）"
    ws.merge_cells("A1:K1")
    _put(ws, 2, ["问题编号", "提出时间", "涉及人员", "问题描述", "问题来源", "责任人", "完成时限",
                 "推进情况", "是否销号", "销号时间", "群众评价"])  # fmt: skip
    for index, (deadline, _) in enumerate(CHECKLIST_DEADLINES):
        closed = CHECKLIST_CLOSED.get(index)
        _put(ws, 3 + index, [
            f"WT-{index + 1:02d}", "2026-09-01", f"村民{index + 1}", f"第{index + 1}项民生问题",
            "网格员上报", "李主任", deadline,
            "已完成整改" if closed else "正在推进", "是" if closed else "否",
            closed.isoformat() if closed else None, "满意" if closed else None,
        ])  # fmt: skip
    book.save(path)
    return path
