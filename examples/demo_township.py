"""Build a demo township: 宝峰镇 (靖安县), four village ledgers, October-November 2026.

Usage: python examples/demo_township.py OUTDIR

Why this exists: a new user (or a reviewer) needs a realistic ledger to try ``list``, ``show``,
``overdue``, ``stats`` and ``export`` on, and the project needs a run of the real CLI through every
state a case can be in. So every change goes through the real Typer app, in-process (a subprocess per
command would cost about a second each), with ``SHUOSHI_TODAY`` set to the day the clerk did it, in
the township's chronological order. Nothing is random: the same run gives the same ledgers (apart
from uids and wall-clock times in the history).

Re-running is safe: the script deletes only its own four files (``OUTDIR/<村>.db``), and only after
checking that they are ledgers it wrote; anything else in OUTDIR is left alone, and a foreign file
with one of those names makes it stop.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOWNSHIP = "宝峰镇"
COUNTY = "靖安县"
FIRST_DAY = "2026-10-01"
FINAL_DAY = "2026-11-27"  # the demo's "today" at the end; no action happens after it
APPLICATION_ID = 0x53485348  # PRAGMA application_id of a shuoshi ledger (SPEC 1)
USAGE = "usage: python examples/demo_township.py OUTDIR   (builds OUTDIR/<村>.db for 4 villages)"


class DemoError(Exception):
    """A step of the demo could not be carried out; the message says which and why."""


# ---------------------------------------------------------------- the story, as data


@dataclass(frozen=True)
class Step:
    """One clerk action on a case: the day it is entered and the command (the id goes after it)."""

    day: str
    command: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Talk:
    """A talk session (说事活动); cases raised at it point to it by ``key``."""

    key: str
    day: str
    place: str
    topic: str
    host: str


@dataclass(frozen=True)
class Story:
    """One case from receipt to where it stands on FINAL_DAY."""

    title: str
    received: str
    channel: str
    category: str
    who: tuple[str, ...]  # --reporter/--phone, or --anonymous
    kind: str = "request"
    session: str | None = None
    entered: str | None = None  # when a paper record was typed in later than it was received
    detail: str | None = None
    add_options: tuple[str, ...] = ()  # e.g. --owner/--due given at once
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Village:
    name: str
    clerk: str  # --user: who enters everything in this village's history
    talks: tuple[Talk, ...]
    stories: tuple[Story, ...]


def person(name: str, phone: str) -> tuple[str, ...]:
    return ("--reporter", name, "--phone", phone)


ANONYMOUS = ("--anonymous",)


def _opt(name: str, value: str | None) -> tuple[str, ...]:
    return (name, value) if value is not None else ()


def assign(day: str, owner: str, due: str | None = None) -> Step:
    return Step(day, "assign", ("--owner", owner, *_opt("--due", due)))


def note(day: str, text: str) -> Step:
    return Step(day, "note", (text,))


def plan(day: str, text: str, due: str | None = None) -> Step:
    return Step(day, "plan", (text, *_opt("--due", due)))


def escalate(
    day: str, to: str, reason: str, owner: str | None = None, due: str | None = None
) -> Step:
    return Step(
        day,
        "escalate",
        ("--to", to, "--reason", reason, *_opt("--owner", owner), *_opt("--due", due)),
    )


def close(day: str, outcome: str, result: str, on: str | None = None) -> Step:
    """``on``: the real closing day when the clerk records it later (``--date``)."""
    return Step(day, "close", ("--outcome", outcome, "--result", result, *_opt("--date", on)))


def feedback(day: str, satisfaction: str | None = None) -> Step:
    return Step(day, "feedback", _opt("--satisfaction", satisfaction))


def supervise(day: str, letter: str, due: str | None = None) -> Step:
    return Step(day, "supervise", ("--letter", letter, *_opt("--due", due)))


def reopen(day: str, reason: str) -> Step:
    return Step(day, "reopen", ("--reason", reason))


# Supervision letters are numbered by the township in the order it sends them:
# 1-2 at the October review (10-30), 3-6 at the November review (11-20).

SHIJING = Village(
    name="石境村",
    clerk="胡玉兰",
    talks=(
        Talk("秋收", "2026-10-15", "村文化礼堂", "秋收秋种和村庄环境", "刘志明"),
        Talk("防火", "2026-11-15", "上屋组祠堂", "冬季防火和饮水安全", "周春华"),
    ),
    stories=(
        Story(
            "垃圾清运不及时",
            "2026-10-09",
            "app",
            "环境卫生",
            person("胡水根", "15979521843"),
            detail="下屋组垃圾桶满了三四天没人拉，气味很大",
            steps=(
                assign("2026-10-09", "胡小燕", "+3wd"),
                note("2026-10-13", "已催保洁公司，清运车在维修"),
                close("2026-10-16", "resolved", "已与保洁公司约定每周二、五定时清运"),
                feedback("2026-10-19"),  # told by phone; gave no rating
            ),
        ),
        Story(
            "公厕无人打扫",
            "2026-10-12",
            "app",
            "环境卫生",
            person("余小平", "13879561204"),
            steps=(
                assign("2026-10-12", "胡小燕", "+3wd"),
                close("2026-10-14", "resolved", "已安排保洁员每日打扫一次"),
                feedback("2026-10-16", "unsatisfied"),
                reopen("2026-10-19", "回访时群众反映仍无人打扫，未遂复号"),
                assign("2026-10-19", "周春华", "+3wd"),
                close("2026-10-22", "resolved", "更换保洁员，村干部每周检查一次"),
                feedback("2026-10-23", "satisfied"),
            ),
        ),
        Story(
            "村口路灯不亮",
            "2026-10-15",
            "talk",
            "基础设施",
            person("张桂英", "13907956218"),
            session="秋收",
            steps=(
                assign("2026-10-15", "周春华", "+5wd"),
                note("2026-10-19", "已联系电工，明天上门"),
                close("2026-10-20", "resolved", "已更换路灯灯泡3只"),
                feedback("2026-10-21", "satisfied"),
            ),
        ),
        Story(
            "灌溉水渠堵塞",
            "2026-10-15",
            "talk",
            "农业生产",
            person("舒德旺", "18779512036"),
            session="秋收",
            steps=(
                assign("2026-10-15", "舒国强", "+5wd"),
                note("2026-10-21", "渠道淤积约200米，村里没有挖机"),
                escalate("2026-10-22", "township", "需镇水利站协调挖机清淤", "熊国平", "+10wd"),
                close("2026-11-04", "resolved", "镇水利站已派挖机清淤疏通"),
                feedback("2026-11-05", "basic"),
            ),
        ),
        Story(
            "低保申请咨询",
            "2026-10-20",
            "phone",
            "政策咨询",
            person("余秀珍", "0795-4621234"),
            kind="inquiry",
            steps=(
                close(
                    "2026-10-20",
                    "resolved",
                    "已解释低保申请条件和所需材料，指导其到镇社会事务办申请",
                ),
                feedback("2026-10-20", "satisfied"),
            ),
        ),
        Story(
            "邻里宅基地纠纷",
            "2026-10-26",
            "visit",
            "矛盾纠纷",
            person("涂长生", "13576923418"),
            detail="与邻居因新建围墙的位置发生争执，双方各执一词",
            steps=(
                assign("2026-10-26", "刘志明", "+7wd"),
                note("2026-10-29", "组织双方和组长现场丈量"),
                escalate(
                    "2026-11-05",
                    "township",
                    "涉及宅基地确权，需镇自然资源所和司法所联合调处",
                    "罗建军",
                    "+10wd",
                ),
                supervise("2026-11-20", "宝督〔2026〕3号", "+5wd"),
            ),
        ),
        Story(
            "组道路面破损",
            "2026-10-28",
            "visit",
            "基础设施",
            person("刘冬生", "18370586127"),
            steps=(
                assign("2026-10-28", "周春华", "2026-11-10"),
                plan(
                    "2026-11-06",
                    "列入2027年村组道路硬化计划，已报镇交通运输管理站",
                    "2027-06-30",
                ),
            ),
        ),
        Story(
            "有人在河道电鱼",
            "2026-11-02",
            "app",
            "社会治安",
            ANONYMOUS,
            kind="complaint",
            steps=(
                assign("2026-11-02", "刘志明", "+3wd"),
                note("2026-11-04", "联合镇派出所夜间巡查两次"),
                close("2026-11-09", "resolved", "已联合派出所查处，没收电鱼器具一套"),
            ),
        ),
        Story(
            "冬季用火安全隐患",
            "2026-11-15",
            "talk",
            "社会治安",
            person("钟水英", "13970549162"),
            session="防火",
            steps=(assign("2026-11-16", "胡小燕", "+5wd"),),
        ),
        Story(
            "水井水质发黄",
            "2026-11-15",
            "talk",
            "民生保障",
            person("舒桂花", "15807952683"),
            session="防火",
            steps=(
                assign("2026-11-16", "周春华", "+5wd"),
                note("2026-11-20", "已取水样送县疾控中心检测"),
                close(
                    "2026-11-23",
                    "explained",
                    "检测合格，发黄系铁锰含量偏高；集中供水管网暂无延伸计划，已解释并建议加装过滤器",
                ),
                feedback("2026-11-24", "unsatisfied"),
            ),
        ),
        Story(
            "建议在村小学门口设置减速带",
            "2026-11-26",
            "other",
            "基础设施",
            person("胡建国", "18979523405"),
            kind="suggestion",
        ),
    ),
)

SHUANGXI = Village(
    name="双溪村",
    clerk="钟丽萍",
    talks=(
        Talk("环境", "2026-10-25", "双溪说事长廊", "人居环境整治", "漆建国"),
        Talk("水利", "2026-11-25", "村委会说事室", "冬季农田水利", "况小明"),
    ),
    stories=(
        Story(
            "河道垃圾漂浮",
            "2026-10-08",
            "visit",
            "环境卫生",
            person("漆水生", "13607953812"),
            steps=(
                assign("2026-10-08", "邹美华", "+5wd"),
                close("2026-10-13", "resolved", "组织保洁员清理河道垃圾两车"),
                feedback("2026-10-15", "satisfied"),
            ),
        ),
        Story(
            "自来水管爆裂",
            "2026-10-10",
            "phone",
            "基础设施",
            person("况德明", "15070586231"),
            steps=(
                assign("2026-10-10", "况小明", "+2wd"),
                # Fixed on the 12th, written up on the 13th: --date keeps the real closing day.
                close("2026-10-13", "resolved", "已更换破损水管3米，恢复供水", on="2026-10-12"),
                feedback("2026-10-13", "basic"),
            ),
        ),
        Story(
            "养老保险缴费咨询",
            "2026-10-21",
            "app",
            "政策咨询",
            person("邹春兰", "18296537014"),
            kind="inquiry",
            steps=(
                close("2026-10-21", "resolved", "已在小程序回复城乡居民养老保险缴费档次和缴费渠道"),
                feedback("2026-10-22"),  # read the reply; no rating given
            ),
        ),
        Story(
            "桥头护栏缺失",
            "2026-10-25",
            "talk",
            "基础设施",
            person("漆德胜", "13979584620"),
            session="环境",
            steps=(
                assign("2026-10-26", "况小明", "+5wd"),
                note("2026-10-30", "需新建护栏约30米，村级资金不足"),
                escalate(
                    "2026-11-03",
                    "township",
                    "需镇交通运输管理站安排安全防护资金",
                    "钟建平",
                    "+10wd",
                ),
                supervise("2026-11-20", "宝督〔2026〕4号", "2026-11-25"),
            ),
        ),
        Story(
            "广场舞噪音扰民",
            "2026-10-25",
            "talk",
            "矛盾纠纷",
            person("邹国华", "18870593216"),
            kind="complaint",
            session="环境",
            steps=(
                assign("2026-10-26", "邹美华", "+5wd"),
                note("2026-10-28", "约谈广场舞队负责人"),
                close("2026-10-30", "resolved", "约定晚上九点前结束，音量调低"),
                feedback("2026-11-02", "satisfied"),
            ),
        ),
        Story(
            "农田灌溉轮灌矛盾",
            "2026-10-25",
            "talk",
            "农业生产",
            person("钟有福", "13767042581"),
            session="环境",
            steps=(
                assign("2026-10-26", "漆建国", "+5wd"),
                close("2026-11-06", "resolved", "召开组民会议，制定轮灌表并张贴"),
                feedback("2026-11-09", "basic"),
            ),
        ),
        Story(
            "残疾人两项补贴未到账",
            "2026-11-04",
            "phone",
            "民生保障",
            person("况桂香", "15979584317"),
            steps=(
                assign("2026-11-04", "邹美华", "+5wd"),
                escalate("2026-11-05", "township", "需镇社会事务办核查发放记录", "刘敏"),
                close("2026-11-10", "resolved", "系银行账户变更导致退回，已重新发放"),
                feedback("2026-11-11", "satisfied"),
            ),
        ),
        Story(
            "有人乱倒建筑垃圾",
            "2026-11-12",
            "phone",
            "环境卫生",
            ANONYMOUS,
            kind="complaint",
            steps=(
                assign("2026-11-12", "邹美华", "+5wd"),
                close("2026-11-18", "resolved", "已清运，并在路口设置禁止倾倒警示牌"),
            ),
        ),
        Story(
            "建议修建村级文化活动中心",
            "2026-11-25",
            "talk",
            "基础设施",
            person("漆小军", "17770581234"),
            kind="suggestion",
            session="水利",
            steps=(plan("2026-11-26", "列入2027年村级公益事业一事一议项目", "2027-10-31"),),
        ),
        Story(
            "田间道路塌方",
            "2026-11-25",
            "talk",
            "农业生产",
            person("况水清", "13807958640"),
            session="水利",
            add_options=("--owner", "况小明", "--due", "+5wd"),
        ),
        Story(
            "村卫生室常用药品不全",
            "2026-11-27",
            "app",
            "民生保障",
            person("钟小红", "19970512873"),
        ),
    ),
)

ZHOUKOU = Village(
    name="周口村",
    clerk="余建英",
    talks=(Talk("产业", "2026-11-05", "周口祠堂说事点", "产业发展和就业", "熊卫东"),),
    stories=(
        Story(
            "毛竹运输道路坑洼",
            "2026-10-09",
            "visit",
            "基础设施",
            person("熊德才", "13970586214"),
            detail="竹林到公路的运输道路坑洼，满载毛竹的车辆经常陷车",
            steps=(
                assign("2026-10-09", "涂春生", "+5wd"),
                note("2026-10-14", "路基下沉，需整体修复"),
                escalate(
                    "2026-10-16",
                    "township",
                    "需镇交通运输管理站纳入农村公路养护",
                    "钟建平",
                    "2026-10-30",
                ),
                escalate(
                    "2026-10-28",
                    "county",
                    "该路段属县道，需县交通运输局养护",
                    "黄志刚",
                    "2026-11-30",
                ),
                plan("2026-11-13", "县交通运输局已列入2027年县道养护大修计划", "2027-05-31"),
            ),
        ),
        Story(
            "留守老人吃饭难",
            "2026-10-13",
            "visit",
            "民生保障",
            person("余冬梅", "15180537296"),
            steps=(
                assign("2026-10-13", "余小兰", "+10wd"),
                close(
                    "2026-10-27",
                    "explained",
                    "村里暂无条件开办长者食堂，已申请纳入镇颐养之家服务，志愿者每周送餐两次",
                ),
                feedback("2026-10-28", "basic"),
            ),
        ),
        Story(
            "山塘水库漏水",
            "2026-10-20",
            "visit",
            "农业生产",
            person("涂德明", "13517956024"),
            steps=(
                assign("2026-10-20", "涂春生", "+5wd"),
                supervise("2026-10-30", "宝督〔2026〕1号", "+5wd"),
                escalate("2026-11-03", "township", "需镇水利站专业评估除险加固", "熊国平"),
                supervise("2026-11-20", "宝督〔2026〕5号", "2026-11-24"),
                close(
                    "2026-11-24",
                    "explained",
                    "经评估需列入小型水库除险加固项目，资金由县级统筹；已先行临时封堵，并向群众解释",
                ),
                feedback("2026-11-25", "basic"),
            ),
        ),
        Story(
            "危房改造补助申请",
            "2026-10-22",
            "phone",
            "民生保障",
            person("熊金根", "13979512468"),
            steps=(
                assign("2026-10-22", "余小兰", "+5wd"),
                escalate(
                    "2026-10-23",
                    "township",
                    "需镇村镇建设办鉴定房屋危险等级",
                    "吴海涛",
                    "2026-11-13",
                ),
                close(
                    "2026-11-12",
                    "resolved",
                    "经鉴定为C级危房，已纳入2026年农村危房改造，补助资金已下达",
                ),
                feedback("2026-11-13", "satisfied"),
            ),
        ),
        Story(
            "举报低保评议优亲厚友",
            "2026-10-26",
            "other",
            "其他",
            ANONYMOUS,
            kind="complaint",
            detail="意见箱来信",
            steps=(
                escalate(
                    "2026-10-27", "township", "涉及村干部，按规定转镇纪委核查", "王芳", "+15wd"
                ),
                close(
                    "2026-11-17",
                    "explained",
                    "经核查，低保评议程序合规，已在村务公开栏公示评议结果",
                ),
            ),
        ),
        Story(
            "就业技能培训咨询",
            "2026-11-05",
            "talk",
            "政策咨询",
            person("涂小勇", "18720583419"),
            kind="inquiry",
            session="产业",
            steps=(
                close("2026-11-05", "resolved", "已帮其报名县人社局电商技能培训班"),
                feedback("2026-11-05", "satisfied"),
            ),
        ),
        Story(
            "竹木加工厂夜间噪音",
            "2026-11-05",
            "talk",
            "环境卫生",
            person("熊秋菊", "15297951830"),
            kind="complaint",
            session="产业",
            steps=(
                assign("2026-11-05", "熊卫东", "+5wd"),
                note("2026-11-10", "已约谈加工厂负责人，要求夜间停工"),
                supervise("2026-11-20", "宝督〔2026〕6号", "+3wd"),
                close("2026-11-26", "resolved", "工厂加装隔音棚，晚上十点后停工"),
                feedback("2026-11-27", "basic"),
            ),
        ),
        Story(
            "建议腾出场地做电商直播间",
            "2026-11-05",
            "talk",
            "其他",
            person("余小峰", "17379568240"),
            kind="suggestion",
            session="产业",
            steps=(
                assign("2026-11-05", "熊卫东", "+10wd"),
                close("2026-11-16", "resolved", "同意使用村委会二楼闲置会议室作直播间"),
                feedback("2026-11-18", "satisfied"),
            ),
        ),
        Story(
            "山林界址纠纷",
            "2026-11-16",
            "visit",
            "矛盾纠纷",
            person("熊长根", "13699586702"),
            steps=(assign("2026-11-16", "涂春生", "+5wd"),),
        ),
        Story(
            "自来水水压不足",
            "2026-11-27",
            "app",
            "基础设施",
            person("涂桂兰", "18107953624"),
        ),
    ),
)

BAOFENG = Village(
    name="宝峰村",
    clerk="舒晓燕",
    talks=(
        Talk("旺季", "2026-10-15", "村文化礼堂", "国庆旅游旺季复盘", "钟国庆"),
        Talk("冬游", "2026-11-25", "村口说事亭", "冬季旅游和民宿管理", "舒志华"),
    ),
    stories=(
        # Tourists' matters from the National Day holiday, typed in on the first working day.
        Story(
            "游客停车难",
            "2026-10-02",
            "tourist",
            "旅游服务",
            person("王建军", "13816725093"),
            kind="suggestion",
            entered="2026-10-08",
            detail="国庆假期宝峰寺周边车辆排长队，找不到停车位",
            steps=(
                assign("2026-10-08", "刘佳", "+5wd"),
                note("2026-10-12", "节假日临时开放村小学操场停车"),
                escalate(
                    "2026-10-14", "township", "停车场用地需镇旅游办统筹规划", "陈志强", "2026-11-30"
                ),
                plan(
                    "2026-10-29",
                    "新建生态停车场（120个车位）列入镇2027年旅游基础设施项目",
                    "2027-04-30",
                ),
            ),
        ),
        Story(
            "景区公厕指示牌不清",
            "2026-10-03",
            "tourist",
            "旅游服务",
            person("李慧敏", "15821674093"),
            kind="suggestion",
            entered="2026-10-08",
            steps=(
                assign("2026-10-08", "刘佳", "+3wd"),
                close("2026-10-12", "resolved", "已新增中英文指示牌6块"),
                feedback("2026-10-13", "satisfied"),
            ),
        ),
        Story(
            "农家乐价格不透明",
            "2026-10-04",
            "tourist",
            "旅游服务",
            person("赵志刚", "18605917328"),
            kind="complaint",
            entered="2026-10-08",
            steps=(
                assign("2026-10-08", "舒志华", "+5wd"),
                close("2026-10-10", "resolved", "约谈经营户，全村农家乐统一明码标价"),
                feedback("2026-10-12", "basic"),
            ),
        ),
        Story(
            "邻居占道堆放柴火",
            "2026-10-15",
            "talk",
            "矛盾纠纷",
            person("刘水英", "13979506182"),
            session="旺季",
            steps=(
                assign("2026-10-15", "钟国庆", "+5wd"),
                close("2026-10-21", "resolved", "经调解，柴火已移至自家院内"),
                feedback("2026-10-23", "satisfied"),
            ),
        ),
        Story(
            "村道两侧缺少垃圾桶",
            "2026-10-15",
            "talk",
            "环境卫生",
            person("舒小龙", "15907956413"),
            kind="suggestion",
            session="旺季",
            steps=(
                assign("2026-10-16", "刘佳", "+5wd"),
                close("2026-10-22", "resolved", "新增分类垃圾桶20组"),
                feedback("2026-10-22", "satisfied"),
            ),
        ),
        Story(
            "民宿污水直排",
            "2026-10-16",
            "visit",
            "环境卫生",
            person("钟水莲", "18779586302"),
            steps=(
                assign("2026-10-16", "舒志华", "+5wd"),
                supervise("2026-10-30", "宝督〔2026〕2号", "2026-11-06"),
                escalate("2026-11-02", "township", "需镇生态环境保护办执法", "袁立新"),
                close("2026-11-10", "resolved", "责令民宿接入污水管网，已整改到位"),
                feedback("2026-11-12", "satisfied"),
            ),
        ),
        Story(
            "宅基地建房审批咨询",
            "2026-10-19",
            "phone",
            "政策咨询",
            person("舒建平", "13870551928"),
            kind="inquiry",
            steps=(
                close("2026-10-19", "resolved", "已告知农村建房审批流程和材料清单"),
                feedback("2026-10-20", "satisfied"),
            ),
        ),
        Story(
            "游步道护栏松动",
            "2026-10-20",
            "app",
            "旅游服务",
            person("钟晓明", "17707952461"),
            steps=(
                assign("2026-10-20", "刘佳", "+3wd"),
                close("2026-10-23", "resolved", "已加固护栏"),
                feedback("2026-10-26", "satisfied"),
                reopen("2026-11-24", "游客再次反映护栏松动，上次未彻底修复"),
                assign("2026-11-24", "舒志华", "+5wd"),
            ),
        ),
        Story(
            "夜间烧烤摊占道经营",
            "2026-11-18",
            "app",
            "社会治安",
            ANONYMOUS,
            kind="complaint",
            steps=(assign("2026-11-18", "舒志华", "+5wd"),),
        ),
        Story(
            "建议开发冬季旅游线路",
            "2026-11-25",
            "talk",
            "旅游服务",
            person("钟国华", "13576951308"),
            kind="suggestion",
            session="冬游",
        ),
        Story(
            "民宿经营证照办理咨询",
            "2026-11-25",
            "talk",
            "政策咨询",
            person("舒美玲", "15083926157"),
            kind="inquiry",
            session="冬游",
            steps=(assign("2026-11-25", "刘佳", "+3wd"),),
        ),
    ),
)

VILLAGES: tuple[Village, ...] = (SHIJING, SHUANGXI, ZHOUKOU, BAOFENG)
CLERKS = frozenset(v.clerk for v in VILLAGES)


def check_timeline(villages: Sequence[Village]) -> None:
    """Catch mistakes in the data above before touching any file: dates in order and in range."""
    for village in villages:
        titles = [s.title for s in village.stories]
        if len(set(titles)) != len(titles):
            raise DemoError(f"{village.name}: duplicate titles")
        talks = {t.key: t.day for t in village.talks}
        for story in village.stories:
            start = story.entered or story.received
            days = [story.received, start, *(s.day for s in story.steps)]
            where = f"{village.name} {story.title}"
            if days != sorted(days) or not FIRST_DAY <= story.received <= start <= FINAL_DAY:
                raise DemoError(f"{where}: dates out of order or outside {FIRST_DAY}..{FINAL_DAY}")
            if days[-1] > FINAL_DAY:
                raise DemoError(f"{where}: a step after {FINAL_DAY}")
            if story.session is not None and talks.get(story.session, "9999") > story.received:
                raise DemoError(f"{where}: session {story.session} is missing or later")


# ---------------------------------------------------------------- driving the real CLI


class Cli:
    """The real shuoshi Typer app, run in-process with its own 'today' and captured output."""

    def __init__(self) -> None:
        import typer

        from shuoshi_cli.cli import app

        # Built once: app(...) rebuilds the Click command on every call, which costs ~45 ms.
        self.command = typer.main.get_command(app)

    def __call__(self, db: Path, user: str, today: str, *args: str) -> str:
        """Run ``shuoshi --db DB --user USER ARGS`` as of ``today``; return stdout or raise."""
        os.environ["SHUOSHI_TODAY"] = today
        out, err = io.StringIO(), io.StringIO()
        argv = ["--db", str(db), "--user", user, *args]
        code: Any
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = self.command.main(argv, prog_name="shuoshi", standalone_mode=False)
            except Exception as error:  # noqa: BLE001 - usage errors surface as exceptions here
                code = getattr(error, "exit_code", 1)
                shown = getattr(error, "format_message", None)
                err.write(f"{type(error).__name__}: {shown() if shown else error}")
        if code not in (None, 0):
            raise DemoError(
                f"shuoshi {shlex.join(argv)} (SHUOSHI_TODAY={today}) exited {code}: "
                f"{err.getvalue().strip() or out.getvalue().strip()}"
            )
        return out.getvalue()


@dataclass(order=True)
class Event:
    """Something a clerk does on one day; sorted by day, ties kept in the order written."""

    day: str
    order: int
    action: Callable[[], None] = field(compare=False)


class Builder:
    """Turns the villages' stories into one chronological run of CLI commands."""

    def __init__(self, outdir: Path, cli: Cli) -> None:
        self.outdir = outdir
        self.cli = cli
        self.case_ids: dict[tuple[str, str], int] = {}
        self.session_ids: dict[tuple[str, str], int] = {}
        self.commands = 0

    def db(self, village: Village) -> Path:
        return self.outdir / f"{village.name}.db"

    def run(self, village: Village, today: str, *args: str) -> str:
        self.commands += 1
        return self.cli(self.db(village), village.clerk, today, *args)

    def build(self, villages: Sequence[Village]) -> None:
        for village in villages:
            self.run(
                village, FIRST_DAY, "init", "--village", village.name, "--township", TOWNSHIP,
                "--county", COUNTY,
            )  # fmt: skip
        events: list[Event] = []

        def later(day: str, action: Callable[[], None]) -> None:
            events.append(Event(day, len(events), action))

        for village in villages:
            for talk in village.talks:
                later(talk.day, lambda v=village, t=talk: self.add_talk(v, t))
            for story in village.stories:
                later(story.entered or story.received, lambda v=village, s=story: self.add(v, s))
                for step in story.steps:
                    later(step.day, lambda v=village, s=story, p=step: self.step(v, s, p))
        for event in sorted(events):
            event.action()

    def add_talk(self, village: Village, talk: Talk) -> None:
        out = self.run(
            village, talk.day, "session", "add", "--date", talk.day, "--place", talk.place,
            "--topic", talk.topic, "--host", talk.host,
        )  # fmt: skip
        self.session_ids[village.name, talk.key] = _number(out)

    def add(self, village: Village, story: Story) -> None:
        args = [
            "add", story.title, "--kind", story.kind, "--category", story.category,
            "--channel", story.channel, "--received", story.received, *story.who,
            *story.add_options,
        ]  # fmt: skip
        if story.detail:
            args += ["--detail", story.detail]
        if story.session:
            args += ["--session", str(self.session_ids[village.name, story.session])]
        out = self.run(village, story.entered or story.received, *args)
        self.case_ids[village.name, story.title] = _number(out)

    def step(self, village: Village, story: Story, step: Step) -> None:
        case_id = self.case_ids[village.name, story.title]
        self.run(village, step.day, step.command, str(case_id), *step.options)


def _number(out: str) -> int:
    """The id that ``add`` and ``session add`` print on stdout."""
    try:
        return int(out.strip())
    except ValueError:
        raise DemoError(f"expected an id on stdout, got {out!r}") from None


# ---------------------------------------------------------------- files


def _is_our_ledger(path: Path, village: str) -> bool:
    """A ledger this script wrote: shuoshi's file id, this village, and only demo clerks in it."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        users = {row[0] for row in connection.execute("SELECT DISTINCT user FROM history")}
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return (
        app_id == APPLICATION_ID
        and meta.get("village") == village
        and meta.get("township") == TOWNSHIP
        and users <= CLERKS
    )


def prepare(outdir: Path, villages: Sequence[Village]) -> None:
    """Make OUTDIR; remove this demo's earlier ledgers; refuse to touch anything else."""
    if outdir.exists() and not outdir.is_dir():
        raise DemoError(f"{outdir} exists and is not a folder")
    outdir.mkdir(parents=True, exist_ok=True)
    ours: list[Path] = []
    for village in villages:
        path = outdir / f"{village.name}.db"
        if path.exists() or path.is_symlink():
            if not path.is_file() or path.is_symlink() or not _is_our_ledger(path, village.name):
                raise DemoError(
                    f"{path} exists and is not a ledger this demo wrote; "
                    "move it away or choose another folder"
                )
            ours.append(path)
    for path in ours:
        path.unlink()
        Path(f"{path}-journal").unlink(missing_ok=True)  # a stale journal must not outlive its db


# ---------------------------------------------------------------- summary


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _row(cells: Sequence[object], widths: Sequence[int]) -> str:
    parts = []
    for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        text = str(cell)
        pad = " " * (width - _width(text))
        parts.append(text + pad if i == 0 else pad + text)
    return "  ".join(parts)


def summary(builder: Builder, villages: Sequence[Village]) -> list[tuple[str, list[int]]]:
    """Per village, from the CLI's own ``list --json`` as of FINAL_DAY, then the total."""
    rows: list[tuple[str, list[int]]] = []
    for village in villages:
        cases = json.loads(builder.run(village, FINAL_DAY, "list", "--status", "all", "--json"))
        overdue = json.loads(
            builder.run(village, FINAL_DAY, "list", "--status", "overdue", "--json")
        )
        rows.append(
            (
                village.name,
                [
                    len(cases),
                    sum(c["status"] == "open" for c in cases),
                    sum(c["status"] == "closed" for c in cases),
                    len(overdue),
                    sum(c["outcome"] == "planned" for c in cases),
                    sum(c["level"] != "village" for c in cases),
                    sum(bool(c["supervisions"]) for c in cases),
                ],
            )
        )
    total = [sum(column) for column in zip(*(counts for _, counts in rows), strict=True)]
    return [*rows, ("合计", total)]


def report(outdir: Path, rows: list[tuple[str, list[int]]], commands: int, seconds: float) -> None:
    heads = ["村", "事项", "在办", "已办结", "超期", "列入计划", "已上报", "督办"]
    table = [heads, *([name, *counts] for name, counts in rows)]
    widths = [max(_width(str(x)) for x in column) for column in zip(*table, strict=True)]
    print(f"{COUNTY}{TOWNSHIP} 演示台账已生成：{outdir}（截至 {FINAL_DAY}）")
    for row in table:
        print(_row(row, widths))
    print(f"共执行 shuoshi 命令 {commands} 条，用时 {seconds:.1f} 秒。")
    first = shlex.quote(str(outdir / f"{VILLAGES[0].name}.db"))
    print()
    # The console script sits beside this interpreter (the venv `make demo` made).
    script = Path(sys.executable).with_name("shuoshi")
    prog = shlex.quote(os.path.relpath(script)) if script.exists() else "shuoshi"
    print(f"接着试试（超期按今天计算；加 SHUOSHI_TODAY={FINAL_DAY} 可看演示的最后一天）：")
    print(f"  {prog} --db {first} list")
    print(f"  SHUOSHI_TODAY={FINAL_DAY} {prog} --db {first} list --status overdue")
    print(f"  {prog} --db {first} list --status all --month 2026-10")
    print(f"  {prog} --db {shlex.quote(str(outdir / '周口村.db'))} show 3")
    print(f"  {prog} overdue {shlex.quote(str(outdir))}")
    print(f"  {prog} stats {shlex.quote(str(outdir))} --by village")
    print(f"  {prog} export {shlex.quote(str(outdir))} -o 台账.xlsx")


# ---------------------------------------------------------------- main


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 2
    outdir = Path(argv[0])
    started = time.perf_counter()
    saved_today = os.environ.get("SHUOSHI_TODAY")
    try:
        check_timeline(VILLAGES)
        prepare(outdir, VILLAGES)
        builder = Builder(outdir, Cli())
        builder.build(VILLAGES)
        rows = summary(builder, VILLAGES)
    except DemoError as error:
        print(f"demo_township: {error}", file=sys.stderr)
        return 1
    finally:
        if saved_today is None:
            os.environ.pop("SHUOSHI_TODAY", None)
        else:
            os.environ["SHUOSHI_TODAY"] = saved_today
    report(outdir, rows, builder.commands, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
