"""Workbooks in the real formats of IMPORT-FORMATS.md, built cell by cell (invented people only).

Each builder writes one workbook the way a clerk's Excel or WPS would hold it: merged titles,
two-tier headings, talk days merged down, 合计 rows with =SUM, signature footers, per-month sheets,
a 填写说明 sheet, phones typed as numbers. Tests import them and check counts and fields.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet


def _sheet(wb: Workbook, name: str, first: bool = False) -> Worksheet:
    if first:
        ws = wb.active
        assert ws is not None
        ws.title = name
        return ws
    return wb.create_sheet(name)


def _title(ws: Worksheet, row: int, text: str, width: int) -> None:
    ws.cell(row=row, column=1, value=text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _rows(ws: Worksheet, first: int, rows: list[list[Any]]) -> int:
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=first + offset, column=column, value=value)
    return first + len(rows)


def register(path: Path) -> Path:
    """群众说事 register: title with the year, 填报单位 row, two-tier headings (办理情况 over
    办理措施 | 办结时间 | 是否办结), talk day and place merged down, 序号 as =ROW()-4, year-less
    dates, a 合计 row, a 说明 row and a footer spread across cells."""
    wb = Workbook()
    ws = _sheet(wb, "说事登记", first=True)
    _title(ws, 1, "宝峰镇石境村群众说事登记台账（2026年）", 13)
    ws["A2"], ws["H2"] = "填报单位：石境村村委会", "填报时间：2026年11月"
    top = ["序号", "说事时间", "说事地点", "说事人", "联系电话", "反映事项", "类别", "领办人",
           "完成时限", "办理情况", None, None, "备注"]  # fmt: skip
    sub = [None] * 9 + ["办理措施", "办结时间", "是否办结", None]
    _rows(ws, 3, [top, sub])
    ws.merge_cells("J3:L3")
    for col in "ABCDEFGHIM":
        ws.merge_cells(f"{col}3:{col}4")
    data = [
        [None, "10月5日", "村文化礼堂", "张一", "138 0000 0001", "村口路灯不亮", "基础设施",
         "李书记", "7天", "已更换灯泡", "10月9日", "是", None],
        [None, None, None, "王二", "139-0000-0002", "垃圾清运不及时", "环境卫生", "赵主任",
         "3个工作日", "已协调保洁公司", None, "否", "下周再看"],
        [None, "10月12日", "三组晒场", "匿名", None, "有人在河边电鱼", "社会治安", "李书记",
         "当日", "已报派出所", "10月12日", "是", None],
        [None, None, None, "孙三", "儿子 13800000003", "孤寡老人冬季取暖", "民生保障", "周委员",
         "15天", None, None, "否", "已登记"],
        [None, "10月20日", "村文化礼堂", "吴四", "无", "无", None, None, None, None, None, None,
         None],
    ]  # fmt: skip
    end = _rows(ws, 5, data)
    for row in range(5, end):
        ws.cell(row=row, column=1, value="=ROW()-4")
    ws.merge_cells("B5:B6")
    ws.merge_cells("C5:C6")
    ws.merge_cells("B7:B8")
    ws.merge_cells("C7:C8")
    ws.cell(row=end, column=1, value="合计")
    ws.cell(row=end, column=6, value=f"=COUNTA(F5:F{end - 1})")
    ws.cell(row=end + 1, column=1, value="说明：1.本表按月报送；2.办结后填写办结时间。")
    ws.merge_cells(start_row=end + 1, start_column=1, end_row=end + 1, end_column=13)
    ws.cell(row=end + 2, column=1, value="填表人：")
    ws.cell(row=end + 2, column=2, value="王会计")
    ws.cell(row=end + 2, column=8, value="审核人：")
    ws.cell(row=end + 2, column=9, value="李书记")
    wb.save(path)
    return path


def county_template(path: Path) -> Path:
    """A county template, one sheet per category, headings with line breaks and `*`, 完成时限 in
    days as bare numbers, 序号 as =ROW()-2."""
    wb = Workbook()
    headings = ["序号", "*受理日期", "反映人", "联系\n电话", "*反映事项", "领办\n责任人",
                "完成时限\n（天）", "办结日期", "办理结果", "满意度"]  # fmt: skip
    sheets = {
        "基础设施类": [
            ["2026-11-02", "钱五", "13800000005", "桥面护栏松动", "李书记", 5, "2026-11-06",
             "已焊接加固", "满意"],
            ["2026-11-03", "郑六", "0795-4620006", "自来水压力小", "赵主任", 10, None, None, None],
        ],
        "环境卫生类": [
            ["2026-11-04", "冯七", None, "沟渠淤堵", "周委员", 3, "2026-11-05", "已清淤",
             "基本满意"],
        ],
    }  # fmt: skip
    for index, (name, rows) in enumerate(sheets.items()):
        ws = _sheet(wb, name, first=index == 0)
        _title(ws, 1, f"靖安县群众说事事项登记表（{name}）", len(headings))
        _rows(ws, 2, [headings])
        for offset, values in enumerate(rows, start=3):
            ws.cell(row=offset, column=1, value="=ROW()-2")
            _rows(ws, offset, [[None, *values]])
    wb.save(path)
    return path


def diary(path: Path) -> Path:
    """网格员民情日记: a 填写说明 sheet, one sheet per month, the year only in the title, 日期 as
    `9.8` and `9月12日`, 是否解决 ticked, visits with no matter."""
    wb = Workbook()
    notes = _sheet(wb, "填写说明", first=True)
    notes["A1"] = "1. 每次走访填一行；2. 没有诉求的写“无”。"
    headings = ["日期", "走访对象", "联系方式", "反映问题", "采取措施", "结果反馈", "是否解决",
                "备注"]  # fmt: skip
    months = {
        "9月": [
            ["9.8", "陈八", "13800000008", "屋后山体有裂缝", "已上报镇国土所", "已设警示牌",
             "正在协调", None],
            ["9月12日", "褚九", None, "无", None, None, None, None],
            ["9月20日", "卫十", "微信联系", "低保年审材料不会填", "当场指导填写", "已提交", "√",
             None],
        ],
        "10月": [
            ["10月3日", "蒋一", "13800000011", "无诉求", None, None, None, None],
            ["10月8日", "沈二", "13800000012/13600000012", "田间道路被冲毁", "已报村委会",
             None, "否", "汛后修"],
        ],
    }  # fmt: skip
    for name, rows in months.items():
        ws = wb.create_sheet(name)
        _title(ws, 1, "石境村第三网格网格员民情日记（2026年）", len(headings))
        _rows(ws, 2, [headings, *rows])
    wb.save(path)
    return path


def hotline(path: Path) -> Path:
    """12345 export: flat, heading in row 1, text date-times, 工单编号, a short 诉求标题 and long
    诉求内容, three villages in 所属区域, 退单, masked phones, 未评价."""
    wb = Workbook()
    ws = _sheet(wb, "工单明细", first=True)
    headings = ["工单编号", "来电时间", "来电人", "来电号码", "诉求标题", "诉求内容", "工单分类",
                "所属区域", "承办单位", "办理时限", "工单状态", "办结时间", "回复内容",
                "回访满意度"]  # fmt: skip
    rows = [
        ["GD20260902001", "2026-09-02 08:41:17", "某先生", "138****1234", "（城管）商业噪音",
         "反映石境村商店门口音响声音过大，影响休息。", "投诉", "宝峰镇石境村", "石境村委会",
         "5个工作日", "已办结", "2026-09-05 16:20:00", "已约谈店主，音响已关小。", "满意"],
        ["GD20260903002", "2026-09-03 10:02:55", "何女士", "13800000021", "（水务）停水",
         "石境村三组停水两天。", "求助", "宝峰镇石境村", "石境村委会", "3个工作日", "已回复",
         "2026-09-04 09:00:00", "管道抢修完毕，已恢复供水。", "未评价"],
        ["GD20260904003", "2026-09-04 14:15:00", "吕先生", "13800000022", "（交通）路面坑洼",
         "东村村道坑洼。", "求助", "宝峰镇东村", "东村村委会", "5个工作日", "办理中", None,
         None, None],
        ["GD20260905004", "2026-09-05 09:30:00", "施女士", "13800000023", "（民政）补贴",
         "询问高龄补贴。", "咨询", "宝峰镇西村", "西村村委会", "当日", "已办结",
         "2026-09-05 11:00:00", "已告知办理流程。", "满意"],
        ["GD20260906005", "2026-09-06 15:45:10", "张女士", "13800000024", "（市场）价格",
         "反映超市价格。", "投诉", "宝峰镇石境村", "石境村委会", "5个工作日", "退单", None,
         None, None],
        ["GD20260907006", "2026-09-07 11:11:11", "孔先生", "13800000025", "（环保）秸秆焚烧",
         "石境村有人焚烧秸秆。", "举报", "宝峰镇石境村", "石境村委会", "7日内", "办理中", None,
         None, None],
    ]  # fmt: skip
    _rows(ws, 1, [headings, *rows])
    wb.save(path)
    return path


def disputes(path: Path) -> Path:
    """矛盾纠纷排查化解台账: 填报单位（盖章）/填报月份 above a two-tier heading (当事人基本情况,
    化解情况), two phones in a cell, 化解时限 `15日内` and `10月底`, 调解不成，已引导诉讼, a 合计
    row with =SUM()."""
    wb = Workbook()
    ws = _sheet(wb, "10月", first=True)
    _title(ws, 1, "宝峰镇石境村矛盾纠纷排查化解台账", 12)
    ws["A2"], ws["G2"] = "填报单位（盖章）：石境村调委会", "填报月份：2026年10月"
    top = ["序号", "排查日期", "矛盾纠纷类型", "纠纷简要情况", "当事人基本情况", None, None,
           "化解时限", "化解情况", None, None, "包案责任人"]  # fmt: skip
    sub = [None] * 4 + ["申请人", "被申请人", "联系电话", None, "化解状态", "化解时间",
                        "化解方式", None]  # fmt: skip
    _rows(ws, 3, [top, sub])
    ws.merge_cells("E3:G3")
    ws.merge_cells("I3:K3")
    for col in "ABCDHL":
        ws.merge_cells(f"{col}3:{col}4")
    rows = [
        [1, "2026-10-06", "邻里纠纷", "两户因宅基地界址争吵", "韩一", "杨二",
         "13900000031、13600000032", "15日内", "已化解", "2026-10-15", "人民调解", "李书记"],
        [2, "2026-10-10", "婚姻家庭", "夫妻因赡养老人矛盾", "朱三", "秦四", "13900000033",
         "10月底", "化解中", None, None, "周委员"],
        [3, "2026-10-12", "合同纠纷", "工程款拖欠", "尤五", "许六", "13900000035", "15日内",
         "调解不成，已引导诉讼", "2026-10-20", "司法确认引导", "赵主任"],
    ]  # fmt: skip
    end = _rows(ws, 5, rows)
    ws.cell(row=end, column=1, value="合计")
    ws.cell(row=end, column=2, value=f"=SUM(A5:A{end - 1})")
    wb.save(path)
    return path


def petitions(path: Path, *, forgotten: bool = False, closed: bool = False) -> Path:
    """诉求办理台账 with both 编号 and 序号, the clerk's own words in the cells; ``forgotten``
    inserts a forgotten row near the top (序号 shift), ``closed`` fills in a closing date."""
    wb = Workbook()
    ws = _sheet(wb, "诉求台账", first=True)
    _title(ws, 1, "石境村群众诉求办理台账", 14)
    headings = ["序号", "编号", "受理日期", "诉求人", "联系电话", "诉求内容", "诉求类型", "来源",
                "责任人", "办理时限", "办理情况", "办结日期", "满意度", "备注"]  # fmt: skip
    rows = [
        ["ZF2026-031", "2026-10-08", "曹一", "13800000041", "自家门前排水沟堵塞", "求助",
         "来访", "赵主任", "7天", "已办结，已疏通排水沟", "2026-10-10", "满意", None],
        ["ZF2026-032", "2026-10-09", "严二", "13800000042", "反映有人违规占用耕地建房",
         "揭发控告", "来信", "李书记", "15日内", "办理中，已上报镇自然资源所",
         "2026-10-30" if closed else None, "基本满意" if closed else None, "需镇里认定"],
        ["ZF2026-033", "2026-10-11", "华三", "13800000043", "感谢村里修好了桥", "表扬", "上级转办",
         None, None, "/", None, None, None],
        ["ZF2026-034", "2026-10-15", "金四", "13800000044", "想了解危房改造政策", "政策问询",
         "村民微信群", "周委员", "当天", "已办结：已当面解释政策", "2026-10-15", "满意", None],
    ]  # fmt: skip
    if forgotten:
        rows.insert(1, ["ZF2026-030", "2026-10-08", "魏五", "13800000045", "路边大树枯死有倒伏危险",
                        "求助", "来访", "赵主任", "7天", None, None, None, None])  # fmt: skip
    _rows(ws, 2, [headings, *[[n, *r] for n, r in enumerate(rows, start=1)]])
    wb.save(path)
    return path


def orders(path: Path) -> Path:
    """接诉即办 order book: one sheet per month including last year's carried-over 2025年12月 (where
    `12月28日` means 2025), a 汇总 sheet, 工单号, 接单时间, 是否解决, 是否满意, 回复时间, no 办结日期
    column, phones typed as numbers."""
    wb = Workbook()
    headings = ["工单号", "接单时间", "诉求人", "联系电话", "诉求内容", "承办人", "是否解决",
                "是否满意", "回复时间"]  # fmt: skip
    months = {
        "2025年12月": [
            ["JS2512-09", "12月28日", "柏一", 13800000051, "冬季供暖管道冻裂", "李书记",
             "已解决", "满意", "1月5日"],
        ],
        "10月": [
            ["JS2610-01", "10月10日", "水二", 13800000052, "低保资格复核", "周委员", "部分解决",
             "基本满意", "10月20日"],
            ["JS2610-02", "10月12日", "窦三", 13800000053, "宅前道路硬化", "赵主任", "未解决",
             "不满意", "10月25日"],
        ],
        "11月": [
            ["JS2611-01", "11月3日", "章四", 13800000054, "村小路灯不亮", "李书记", "已解决", "是",
             "11月6日"],
        ],
    }  # fmt: skip
    for index, (name, rows) in enumerate(months.items()):
        ws = _sheet(wb, name, first=index == 0)
        _rows(ws, 1, [headings, *rows])
    explained = wb["10月"]
    explained["J1"] = "情况说明"  # unknown heading: ignored
    explained["J2"] = "已解释低保政策，年底复核"
    summary = wb.create_sheet("汇总")
    _rows(summary, 1, [["月份", "工单数", "解决率"], ["10月", 2, "50%"], ["11月", 1, "100%"]])
    wb.save(path)
    return path


def checklist(path: Path) -> Path:
    """问题清单 销号台账 (我为群众办实事): 完成时限 as 立行立改, 一个月, 2026年10月底, 2026年11月,
    年底前, 2027年汛期前; 推进情况, 是否销号, 群众评价."""
    wb = Workbook()
    ws = _sheet(wb, "问题清单", first=True)
    _title(ws, 1, "石境村“我为群众办实事”问题清单销号台账", 10)
    headings = ["序号", "问题编号", "问题描述", "提出时间", "责任单位", "完成时限", "推进情况",
                "是否销号", "销号时间", "群众评价"]  # fmt: skip
    rows = [
        [1, "WT-01", "村部门前积水", "2026-09-01", "村委会", "立行立改", "已铺设排水管", "是",
         "2026-09-01", "满意"],
        [2, "WT-02", "老年活动室缺桌椅", "2026-09-05", "村委会", "一个月", "已采购", "是",
         "2026-09-28", "满意"],
        [3, "WT-03", "二组水渠渗漏", "2026-09-10", "村委会", "2026年10月底", "已完成勘测", "否",
         None, None],
        [4, "WT-04", "村道路灯线路老化", "2026-09-15", "镇供电所", "2026年11月", "材料已到",
         "否", None, None],
        [5, "WT-05", "文化广场地面破损", "2026-09-20", "村委会", "年底前", "已列入计划", "否",
         None, None],
        [6, "WT-06", "河堤加固", "2026-09-25", "镇水务站", "2027年汛期前", "已申报项目", "否",
         None, None],
    ]  # fmt: skip
    _rows(ws, 2, [headings, *rows])
    wb.save(path)
    return path


def bad_petitions(path: Path) -> Path:
    """The 诉求办理台账 with two genuine clerk errors: a 10-digit phone and a closing date before
    receipt."""
    wb = Workbook()
    ws = _sheet(wb, "诉求台账", first=True)
    headings = [
        "序号",
        "编号",
        "受理日期",
        "诉求人",
        "联系电话",
        "诉求内容",
        "办结日期",
        "办理结果",
    ]
    rows = [
        [1, "ZF-1", "2026-10-08", "曹一", "1380000004", "排水沟堵塞", None, None],
        [2, "ZF-2", "2026-10-09", "严二", "13800000042", "占用耕地", "2026-10-01", "已制止"],
        [3, "ZF-3", "2026-10-10", "华三", "13800000043", "修桥", None, None],
    ]
    _rows(ws, 1, [headings, *rows])
    wb.save(path)
    return path


NOW = datetime(2026, 11, 27)
