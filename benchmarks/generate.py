"""Generate a realistic county of village ledgers for the benchmarks.

One village ledger of CASES cases is built through shuoshi's own bulk path (the importer's
``import_cases``: every case with its dated history and hash chain, one transaction), then copied
LEDGERS times with each copy renamed to its own village and township. Cases span the twelve months
before "today" with every state: open, assigned, overdue, planned, escalated, closed resolved or
explained, closed late, told with each satisfaction, anonymous and complaint reporters.

    python benchmarks/generate.py OUTDIR --ledgers 1000 --cases 1000
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

from shuoshi_cli.core.case import DEFAULT_CATEGORIES, LedgerInfo
from shuoshi_cli.core.codes import Channel, Kind, Level, Outcome, Satisfaction
from shuoshi_cli.core.dates import ParsedDate
from shuoshi_cli.core.rules import NewCase, PastCase
from shuoshi_cli.store.write import create_ledger, open_ledger

TODAY = date(2026, 11, 27)
TOWNSHIPS = ["宝峰镇", "仁首镇", "水口乡", "璪都镇", "香田乡", "雷公尖乡", "高湖镇", "中源乡"]
SYLLABLES = "石双周宝高新桥河溪坪岭塘山湖田源口水东西南北上下中大小"
TITLES = [
    "村口路灯不亮", "垃圾清运不及时", "灌溉水渠堵塞", "低保申请咨询", "邻里宅基地纠纷", "游客停车难",
    "组道路面破损", "饮用水水压不足", "河道有人电鱼", "养老保险缴费咨询", "危房改造申请", "山林界址纠纷",
    "公厕无人打扫", "民宿污水直排", "夜间噪音扰民", "农田灌溉轮灌矛盾", "桥头护栏缺失", "医保报销咨询",
]  # fmt: skip
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国明华秀英志强桂兰春生水根冬梅德胜小燕国平立新长生"


def village_name(n: int) -> str:
    a = SYLLABLES[n % len(SYLLABLES)]
    b = SYLLABLES[(n // len(SYLLABLES)) % len(SYLLABLES)]
    return f"{a}{b}村" if n < len(SYLLABLES) ** 2 else f"{a}{b}{n}村"


def cases(count: int, rng: random.Random) -> list[tuple[str, PastCase]]:
    """``count`` cases (uid, what happened) received over the year before TODAY, in every state."""
    made: list[tuple[str, PastCase]] = []
    for n in range(count):
        received = TODAY - timedelta(days=int(365 * (1 - n / count)))
        anonymous = rng.random() < 0.05
        kind = Kind.COMPLAINT if rng.random() < 0.08 else rng.choice(list(Kind))
        has_owner = rng.random() < 0.92
        deadline = received + timedelta(days=rng.choice([3, 5, 7, 10, 15])) if has_owner else None
        age = (TODAY - received).days
        closed_on = outcome = result = feedback_on = satisfaction = None
        if age > 2 and rng.random() < (0.97 if age > 30 else 0.6):
            closed_on = min(received + timedelta(days=rng.choice([0, 1, 1, 2, 3, 5, 9, 20])), TODAY)
            outcome = Outcome.EXPLAINED if rng.random() < 0.04 else Outcome.RESOLVED
            result = "已办结，向群众反馈"
            if rng.random() < 0.95:
                feedback_on = min(closed_on + timedelta(days=rng.choice([0, 1, 2])), TODAY)
                satisfaction = rng.choices(list(Satisfaction), [80, 17, 3])[0]
        planned = closed_on is None and rng.random() < 0.05
        reporter = (
            None
            if anonymous
            else rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2])
        )
        draft = NewCase(
            title=rng.choice(TITLES), received_on=received, kind=kind,
            category=rng.choice(DEFAULT_CATEGORIES), channel=rng.choice(list(Channel)),
            reporter=reporter,
            phone=None if anonymous else f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            anonymous=anonymous, owner=rng.choice(["李四", "王五", "赵六", "钱七"]) if has_owner else None,
            due=ParsedDate(deadline) if deadline else None,
        )  # fmt: skip
        past = PastCase(
            draft=draft, level=Level.TOWNSHIP if rng.random() < 0.1 else Level.VILLAGE,
            plan="列入明年计划" if planned else None, closed_on=closed_on,
            outcome=Outcome.PLANNED if planned else outcome, result=result,
            feedback_on=feedback_on, satisfaction=satisfaction,
        )  # fmt: skip
        made.append((f"00000000-0000-4000-8000-{n:012d}", past))
    return made


def recorded_on_their_day(path: Path) -> None:
    """As a village keeping its ledger day by day would have it: each entry written on its
    effective day (an import writes all at once, so every past month would be late entries),
    with the hash chain linked again over the new times."""
    from shuoshi_cli.core import chain

    con = sqlite3.connect(path)
    rows = con.execute(
        "SELECT seq, case_id, effective, user, field, old_digest, new_digest, note "
        "FROM history ORDER BY seq"
    ).fetchall()
    previous = chain.GENESIS
    for seq, case_id, effective, user, field, old, new, note in rows:
        at = f"{effective}T18:00:00+08:00"
        previous = chain.link(previous, seq, case_id, at, effective, user, field, old, new, note)
        con.execute("UPDATE history SET at = ?, hash = ? WHERE seq = ?", (at, previous, seq))
    con.commit()
    con.close()


def build(out: Path, ledgers: int, per_ledger: int, seed: int = 7) -> list[Path]:
    """Write the county; returns the ledger paths."""
    out.mkdir(parents=True, exist_ok=True)
    template = out / ".template.db"
    template.unlink(missing_ok=True)
    create_ledger(template, LedgerInfo("模板村", TOWNSHIPS[0], "靖安县"))
    with open_ledger(template, write=True) as ledger:
        items = cases(per_ledger, random.Random(seed))
        ledger.import_cases(items, today=TODAY, user="生成器", source="generate.py")
    recorded_on_their_day(template)
    paths = []
    for n in range(ledgers):
        township = TOWNSHIPS[n % len(TOWNSHIPS)]
        folder = out / township
        folder.mkdir(exist_ok=True)
        path = folder / f"{village_name(n)}.db"
        path.unlink(missing_ok=True)
        shutil.copyfile(template, path)
        con = sqlite3.connect(path)
        con.execute("UPDATE meta SET value = ? WHERE key = 'village'", (village_name(n),))
        con.execute("UPDATE meta SET value = ? WHERE key = 'township'", (township,))
        # Each village's ledger is its own ledger, not a copy of the template's.
        con.execute("UPDATE meta SET value = lower(hex(randomblob(16))) WHERE key = 'ledger_id'")
        # Each village's cases are its own (uids identify a case across files).
        con.execute("UPDATE cases SET uid = printf('%08x', ?) || substr(uid, 9)", (n,))
        con.commit()
        con.close()
        paths.append(path)
    template.unlink()
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--ledgers", type=int, default=100)
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    paths = build(args.out, args.ledgers, args.cases)
    took = time.perf_counter() - started
    print(f"{len(paths)} ledgers x {args.cases} cases in {args.out} ({took:.1f} s)")


if __name__ == "__main__":
    main()
