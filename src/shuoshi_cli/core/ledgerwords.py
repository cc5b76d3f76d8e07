"""The words real village ledgers use: their headings and the values in their cells.

A 群众说事 register, a grid worker's 民情日记, a 12345 export, a 矛盾纠纷 form … each names the same
fields differently and writes states, kinds and channels in the clerk's own words
(docs: ../shared/IMPORT-FORMATS.md). This module is the one list of those words, pure data and
small lookups, so the importer reads every format the same way and the README can quote it.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from shuoshi_cli.core.codes import Channel, Kind, Satisfaction

# Field -> headings, best first: where a table has two headings for one field, the earlier one in
# this list wins (来电时间 over 派单时间 for the day received). The first spelling is the template's.
HEADINGS_BY_FIELD: dict[str, tuple[str, ...]] = {
    "source_id": (
        "编号", "事项编号", "工单编号", "工单号", "信访编号", "矛盾纠纷编号", "问题编号",
        "案件编号", "登记编号",
    ),
    "serial": ("序号",),
    "received_on": (
        "受理日期", "受理时间", "登记日期", "登记时间", "反映日期", "反映时间", "来电时间",
        "接件时间", "接单时间", "说事时间", "说事日期", "排查日期", "排查时间", "走访日期",
        "走访时间", "来访日期", "来访时间", "提出时间", "收集时间", "发生时间", "派单时间", "日期",
    ),
    "reporter": (
        "反映人", "诉求人", "来访人", "反映人姓名", "群众姓名", "来电人", "来电人姓名", "信访人",
        "信访人姓名", "诉求人姓名", "说事人", "申请人", "当事人", "涉及人员", "走访对象", "姓名",
    ),
    "respondent": ("被申请人", "对方当事人"),
    "phone": (
        "联系电话", "联系方式", "电话", "手机号码", "手机号", "来电号码", "热线号码", "电话号码",
        "联系号码",
    ),
    "title": ("诉求标题", "标题", "矛盾纠纷名称", "事项名称", "问题名称"),
    "content": (
        "反映事项", "诉求内容", "事项内容", "反映问题", "反映内容", "主要内容", "信访内容",
        "纠纷简要情况", "问题描述", "诉求事项", "说事内容", "具体问题", "存在问题", "问题清单",
    ),
    "detail": ("详细内容", "具体内容", "详细情况"),
    "kind": ("类型", "事项类型", "诉求类型", "工单分类", "信访类型", "工单类型"),
    "category": (
        "类别", "事项类别", "分类", "问题类别", "问题分类", "一级分类", "矛盾纠纷类型", "纠纷类型",
        "事项分类",
    ),
    "channel": (
        "渠道", "来源", "反映渠道", "受理渠道", "事项来源", "信访来源", "问题来源", "收集渠道",
        "来源渠道",
    ),
    "owner": (
        "领办责任人", "领办人", "责任人", "承办人", "包案责任人", "负责人员", "办理人", "经办人",
        "接待人", "网格员", "调解员", "承办单位", "责任单位", "处理部门",
    ),
    "deadline": (
        "完成时限", "办理时限", "办结时限", "截止时间", "处理时限", "化解时限", "解决时限",
        "整改时限",
    ),
    "level": ("办理层级", "层级"),
    "result": (
        "办理结果", "处理结果", "答复意见", "化解结果", "结果反馈", "反馈内容", "回复内容",
        "完成情况", "处理意见", "情况说明", "解释说明",
    ),
    "progress": (
        "办理情况", "办理进展", "处理情况", "采取措施", "化解措施", "推进情况", "办理措施",
        "整改措施", "整改情况", "化解方式",
    ),
    "status": (
        "工单状态", "办理状态", "化解状态", "办理进度", "是否办结", "是否销号", "是否解决",
        "办结情况", "销号情况", "状态",
    ),
    "outcome": ("结果类型", "办结类型", "解决情况"),
    "closed_on": (
        "办结日期", "办结时间", "销号日期", "销号时间", "化解时间", "化解日期", "结案时间",
        "完成时间", "回复时间", "解决时间",
    ),
    "feedback_on": ("反馈日期", "反馈时间", "回访时间", "回访日期", "反馈情况"),
    "satisfaction": (
        "满意度", "是否满意", "群众满意度", "满意情况", "回访满意度", "群众评价", "回访结果",
        "满意度评价",
    ),
    "anonymous": ("匿名", "是否匿名"),
    "remarks": ("备注",),
    "village": ("所属区域", "所属村", "村", "村社区", "所属村社区", "村名", "所在村"),
}  # fmt: skip

HEADING_FIELD: dict[str, str] = {
    name: field for field, names in HEADINGS_BY_FIELD.items() for name in names
}
HEADING_RANK: dict[str, int] = {
    name: rank for names in HEADINGS_BY_FIELD.values() for rank, name in enumerate(names)
}

# Words that mean "nothing here" in any cell.
EMPTY = frozenset({"/", "／", "—", "——", "-", "－", "--", "无", "暂无", "空", "\\"})
# A matter cell holding one of these is a visit with nothing raised: the row is no case.
PLACEHOLDER_MATTERS = frozenset(
    {"无", "无诉求", "暂无", "暂无诉求", "无问题", "无事项", "无反映问题", "无意见", "无异常", "/"}
)


def is_placeholder(text: str) -> bool:
    """A matter cell that says nothing was raised (``无``, ``无诉求。``, ``无（群众表示满意）``)."""
    plain = _plain_word(text)
    return plain in PLACEHOLDER_MATTERS or plain in EMPTY or plain == ""


# Reporter names that keep the person unknown.
ANONYMOUS_NAMES = re.compile(r"^(匿名.*|某先生|某女士|某某|无名氏|不愿透露.*)$")
# Phone cells that mean "no number".
NO_PHONE = frozenset({"无", "暂无", "微信联系", "微信", "不详", "未留", "未提供", "不愿透露"})


class State(StrEnum):
    """What a status word says about a row."""

    CLOSED = "closed"
    OPEN = "open"
    RETURNED = "returned"  # 退单: sent back, not handled here
    UNRESOLVED = "unresolved"  # 部分解决/未解决: closed as explained if an explanation is given


_STATES: dict[str, State] = {
    **dict.fromkeys(
        ("已办结", "办结", "已销号", "销号", "已回复", "已化解", "化解成功", "调解成功", "已解决",
         "解决", "已完成", "完成", "已结案", "结案", "√", "✓", "✔", "是", "已处理", "已答复"),
        State.CLOSED,
    ),
    **dict.fromkeys(
        ("办理中", "在办", "待签收", "已签收", "化解中", "正在协调", "协调中", "待办", "未办结",
         "否", "×", "待处理", "处理中", "正在办理", "推进中", "整改中", "未销号", "待化解",
         "持续跟进", "跟进中"),
        State.OPEN,
    ),
    **dict.fromkeys(("退单", "已退单", "退回"), State.RETURNED),
    **dict.fromkeys(("部分解决", "未解决", "未化解", "调解不成", "化解不成"), State.UNRESOLVED),
}  # fmt: skip
# Mediation that failed but was handed on (调解不成，已引导诉讼): closed, not resolved.
_HANDED_ON = re.compile(r"(调解不成|化解不成|未能化解|调解未成).*(诉讼|仲裁|法律途径|起诉|司法)")
# State words at the start of a 办理情况 text, then the text that matters.
_STATE_WORD = re.compile(
    r"^(已办结|已销号|已化解|已解决|已完成|办理中|正在办理|正在协调|化解中|处理中|推进中)"
)
_STATE_PREFIX = re.compile(
    r"^(已办结|已销号|已化解|已解决|已完成|办理中|正在办理|正在协调|化解中|处理中|推进中)"
    r"(?:[:：,，;；。、\s]+|$)"
)


def heading_key(text: object) -> str:
    """A heading as compared: NFKC, no spaces, stars, colons or bracketed notes."""
    cleaned = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"[\s*＊:：]|[(（][^)）]*[)）]", "", cleaned)


def heading_field(text: object) -> str | None:
    """The field a heading names, or None."""
    return HEADING_FIELD.get(heading_key(text))


def is_empty(text: str) -> bool:
    return not text.strip() or unicodedata.normalize("NFKC", text).strip() in EMPTY


def state_of(text: str) -> State | None:
    """What a status cell says (已办结, 办理中, 退单, √ …), None if it is no state word."""
    word = unicodedata.normalize("NFKC", text).strip()
    if _HANDED_ON.search(word):
        return State.UNRESOLVED
    if word in _STATES:
        return _STATES[word]
    head = re.split(r"[,，;；。（(]", word, maxsplit=1)[0]
    return _STATES.get(head)


def handed_on(text: str) -> bool:
    """调解不成，已引导诉讼: closed, but the matter was not resolved here."""
    return bool(_HANDED_ON.search(unicodedata.normalize("NFKC", text)))


def split_state(text: str) -> tuple[State | None, str]:
    """``已办结，已更换灯泡`` -> (closed, ``已更换灯泡``); text without a leading state word is kept.
    A state word run into the sentence (``已完成整改``) says the state and stays in the text."""
    cleaned = text.strip()
    match = _STATE_PREFIX.match(cleaned)
    if match:
        return state_of(match[1]), cleaned[match.end() :].strip()
    run_in = _STATE_WORD.match(cleaned)
    return (state_of(run_in[1]) if run_in else None), cleaned


_KINDS: dict[str, Kind] = {
    **dict.fromkeys(("求助", "求决", "诉求", "求助类", "求决类", "投诉求助"), Kind.REQUEST),
    **dict.fromkeys(("投诉", "举报", "揭发控告", "投诉举报", "检举", "控告"), Kind.COMPLAINT),
    **dict.fromkeys(("咨询", "政策咨询", "查询"), Kind.INQUIRY),
    **dict.fromkeys(
        ("建议", "意见", "意见建议", "建言献策", "感谢", "表扬", "感谢表扬"), Kind.SUGGESTION
    ),
}  # fmt: skip
_CHANNELS: dict[str, Channel] = {
    **dict.fromkeys(
        ("来访", "群众来访", "说事点", "说事室", "群众说事", "现场", "当面反映", "上门反映"),
        Channel.TALK,
    ),
    **dict.fromkeys(
        ("来电", "电话", "电话来访", "12345分流", "12345市民热线", "12345热线", "12345",
         "市民热线", "热线电话", "热线"),
        Channel.PHONE,
    ),
    **dict.fromkeys(
        ("网上投诉", "领导信箱", "网络", "网上信访", "小程序", "智慧民生小程序", "微信", "app"),
        Channel.APP,
    ),
    **dict.fromkeys(("走访", "网格员上报", "网格员走访", "入户走访", "志愿者走访", "排查"), Channel.VISIT),
    **dict.fromkeys(("游客",), Channel.TOURIST),
    **dict.fromkeys(("来信", "上级转办", "部门转入", "其他", "转办", "交办"), Channel.OTHER),
}  # fmt: skip


def _plain_word(text: str) -> str:
    """A cell's word without a bracketed note or trailing punctuation: ``满意（电话回访）`` -> 满意."""
    word = unicodedata.normalize("NFKC", text).strip().lower()
    word = re.sub(r"[(（][^)）]*[)）]", "", word)
    return word.strip(" 。.，,；;、!！")


def kind_of(text: str) -> Kind | None:
    """A kind word (求助, 投诉, 咨询, 建议 …, also as 投诉类) or one of shuoshi's labels; None if
    unknown."""
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if word in _KINDS:
        return _KINDS[word]
    plain = _plain_word(word)
    for candidate in (plain, re.sub(r"(类|事项|件)$", "", plain)):
        if candidate in _KINDS:
            return _KINDS[candidate]
    for kind in Kind:
        if word == kind.value:
            return kind
    return None


def channel_of(text: str) -> Channel | None:
    """A channel word (来访, 来信, 12345分流, 网格员上报 …) or a label; None if unknown."""
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if word in _CHANNELS:
        return _CHANNELS[word]
    plain = _plain_word(word)
    if plain in _CHANNELS:
        return _CHANNELS[plain]
    if plain.startswith("12345"):  # 12345转办, 12345热线转办 …
        return Channel.PHONE
    for channel in Channel:
        if word == channel.value:
            return channel
    return None


# Satisfaction: the answer, or NO_ANSWER (未评价: asked, no answer) / NOT_ASKED (未回访).
NO_ANSWER = "no_answer"
NOT_ASKED = "not_asked"
_SATISFACTION: dict[str, Satisfaction | str] = {
    **dict.fromkeys(("满意", "非常满意", "是", "√", "很满意", "satisfied"), Satisfaction.SATISFIED),
    **dict.fromkeys(("基本满意", "比较满意", "较满意", "basic"), Satisfaction.BASIC),
    **dict.fromkeys(("不满意", "否", "很不满意", "非常不满意", "unsatisfied"), Satisfaction.UNSATISFIED),
    **dict.fromkeys(("未评价", "未表态", "不评价", "无法评价", "未作评价"), NO_ANSWER),
    **dict.fromkeys(("未回访", "未反馈", "无法联系", "联系不上", "未联系上"), NOT_ASKED),
}  # fmt: skip


def satisfaction_of(text: str) -> Satisfaction | str | None:
    """A satisfaction word, NO_ANSWER or NOT_ASKED; None if the word is unknown."""
    word = unicodedata.normalize("NFKC", text).strip()
    found = _SATISFACTION.get(word, _SATISFACTION.get(word.lower()))
    if found is not None:
        return found
    plain = _plain_word(word)
    if plain in _SATISFACTION:
        return _SATISFACTION[plain]
    if len(plain) > 8:  # a sentence, not an answer
        return None
    if re.search(r"不\S?满意", plain):  # 不满意, 不太满意
        return Satisfaction.UNSATISFIED
    if "基本满意" in plain or "比较满意" in plain:
        return Satisfaction.BASIC
    if plain.endswith("满意"):  # 群众满意, 非常满意
        return Satisfaction.SATISFIED
    return None


# Rows that are part of the form, not cases: totals, signatures, explanations.
_TOTAL = re.compile(r"^(合\s*计|小\s*计|总\s*计|共\s*计)")
_FOOTER = re.compile(
    r"^(填表人|填报人|审核人|负责人|制表人|统计人|分管领导|主要负责人|单位负责人|填表日期|填报日期|制表日期|审核|签字|签名|盖章)\s*[:：]?"
)
_NOTE = re.compile(
    r"^(填写说明|填表说明|说\s*明|注|备注|附注|注意|备注说明)\s*([:：]|\d|[一二三四五六七八九]、)"
)


def layout_row(texts: list[str]) -> str | None:
    """Why a row is part of the form (``total``, ``footer``, ``note``), or None for a data row."""
    cells = [unicodedata.normalize("NFKC", t).strip() for t in texts if t and t.strip()]
    if not cells:
        return None
    if any(_TOTAL.match(c) for c in cells[:3]):
        return "total"
    footers = [c for c in cells if _FOOTER.match(c)]
    if (footers and _FOOTER.match(cells[0])) or len(footers) >= 2:
        return "footer"
    if _NOTE.match(cells[0]):
        return "note"
    return None


YEAR_IN_TEXT = re.compile(r"(20\d\d)\s*年")


def year_named(text: str) -> int | None:
    """The year a sheet name or title names (``2025年12月``, ``…台账（2026年）``, ``2026-10``)."""
    cleaned = unicodedata.normalize("NFKC", text)
    match = YEAR_IN_TEXT.search(cleaned) or re.match(r"^\s*(20\d\d)\s*[-./]\s*\d{1,2}\s*$", cleaned)
    return int(match[1]) if match else None
