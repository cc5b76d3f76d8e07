"""The enumerations of SPEC section 2.

Values are stored as English codes and shown as Chinese labels; input accepts the code, the Chinese
label or the English label, so a clerk can type ``满意`` and a script ``satisfied``.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import TypeVar

from shuoshi_cli.core.errors import BadInput

# The history field of a correction starts with this (core/case.py ``correction``); kept here,
# beside the other codes, so that messages can name a correction without loading the Case.
CORRECTION = "correct:"


class Kind(StrEnum):
    REQUEST = "request"
    SUGGESTION = "suggestion"
    COMPLAINT = "complaint"
    INQUIRY = "inquiry"


class Channel(StrEnum):
    TALK = "talk"
    APP = "app"
    VISIT = "visit"
    PHONE = "phone"
    TOURIST = "tourist"
    OTHER = "other"


class Level(StrEnum):
    VILLAGE = "village"
    TOWNSHIP = "township"
    COUNTY = "county"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Outcome(StrEnum):
    RESOLVED = "resolved"
    EXPLAINED = "explained"
    PLANNED = "planned"


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    BASIC = "basic"
    UNSATISFIED = "unsatisfied"


# (Chinese label, English label) for every code.
LABELS: dict[StrEnum, tuple[str, str]] = {
    Kind.REQUEST: ("诉求", "request"),
    Kind.SUGGESTION: ("意见建议", "suggestion"),
    Kind.COMPLAINT: ("投诉举报", "complaint"),
    Kind.INQUIRY: ("咨询", "inquiry"),
    Channel.TALK: ("说事点", "talk point"),
    Channel.APP: ("智慧民生小程序", "mini-program"),
    Channel.VISIT: ("志愿者走访", "volunteer visit"),
    Channel.PHONE: ("来电", "phone call"),
    Channel.TOURIST: ("游客", "tourist"),
    Channel.OTHER: ("其他", "other"),
    Level.VILLAGE: ("村级", "village"),
    Level.TOWNSHIP: ("乡镇", "township"),
    Level.COUNTY: ("县级", "county"),
    Status.OPEN: ("在办", "open"),
    Status.CLOSED: ("已办结", "closed"),
    Outcome.RESOLVED: ("已解决", "resolved"),
    Outcome.EXPLAINED: ("已解释说明", "explained"),
    Outcome.PLANNED: ("列入计划", "planned"),
    Satisfaction.SATISFIED: ("满意", "satisfied"),
    Satisfaction.BASIC: ("基本满意", "basically satisfied"),
    Satisfaction.UNSATISFIED: ("不满意", "unsatisfied"),
}

# Longer spellings seen in real ledgers, accepted on input.
_SYNONYMS: dict[str, StrEnum] = {
    "意见": Kind.SUGGESTION,
    "建议": Kind.SUGGESTION,
    "投诉": Kind.COMPLAINT,
    "举报": Kind.COMPLAINT,
    "小程序": Channel.APP,
    "走访": Channel.VISIT,
    "电话": Channel.PHONE,
    "村": Level.VILLAGE,
    "村级": Level.VILLAGE,
    "镇": Level.TOWNSHIP,
    "乡": Level.TOWNSHIP,
    "乡镇级": Level.TOWNSHIP,
    "县": Level.COUNTY,
    "已解决(含基本解决)": Outcome.RESOLVED,
    "已解决（含基本解决）": Outcome.RESOLVED,
    "基本解决": Outcome.RESOLVED,
    "解决": Outcome.RESOLVED,
    "暂不能解决，已解释说明": Outcome.EXPLAINED,
    "暂不能解决": Outcome.EXPLAINED,
    "解释说明": Outcome.EXPLAINED,
}

E = TypeVar("E", bound=StrEnum)


def label(value: StrEnum | None, lang: str = "zh") -> str:
    """The label a user reads for a code; empty for None."""
    if value is None:
        return ""
    zh, en = LABELS[value]
    return zh if lang == "zh" else en


def parse(enum: type[E], text: str, field: str, allowed: tuple[E, ...] | None = None) -> E:
    """Accept a code, a Chinese or English label, or a known synonym; refuse anything else."""
    member = _parse(enum, text, field, allowed or tuple(enum))
    return member


def _parse(enum: type[E], text: str, field: str, allowed: tuple[E, ...]) -> E:
    cleaned = unicodedata.normalize("NFKC", text).strip()
    lowered = cleaned.lower()
    for member in allowed:
        zh, en = LABELS[member]
        if lowered in (member.value, en) or cleaned == unicodedata.normalize("NFKC", zh):
            return member
    synonym = _SYNONYMS.get(cleaned) or _SYNONYMS.get(text.strip())
    if isinstance(synonym, enum) and synonym in allowed:
        return synonym
    choices = [(m.value, LABELS[m][0]) for m in allowed]
    raise BadInput("bad_choice", field=field, value=text, choices=choices)
