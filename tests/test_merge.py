"""``merge OTHER.db``: joining two copies of one ledger (SPEC 3 and 6, issue 14 point 3).

Every case, history entry, talk session and letter only the other copy has is brought in (new
numbers where numbers collide), each case it added to is left a note saying where from, the
result passes ``check``, the other copy is never changed, merging again adds nothing, and a file
of another ledger is refused.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from conftest import ok, refused, refused_json, sha
from shuoshi_cli.cli import app


def on(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args])


def init(db: Path, village: str = "石境村") -> None:
    ok(on(db, "init", "--village", village, "--township", "宝峰镇", "--county", "靖安县"))


def cases(db: Path) -> dict[str, dict[str, Any]]:
    """Every case by uid (void ones too), as ``list --json`` shows it."""
    shown = [
        case
        for status in ("all", "void")
        for case in json.loads(ok(on(db, "list", "--status", status, "--json")).stdout)
    ]
    return {case["uid"]: case for case in shown}


def by_title(db: Path) -> dict[str, dict[str, Any]]:
    return {case["title"]: case for case in cases(db).values()}


def clean(db: Path) -> None:
    result = ok(on(db, "check"))
    assert result.stdout == ""


def copies(tmp_path: Path) -> tuple[Path, Path]:
    """The office's file and the USB stick's copy, each written after the copy was made."""
    office, stick = tmp_path / "石境村.db", tmp_path / "U盘" / "石境村.db"
    init(office)
    ok(on(office, "add", "村口路灯不亮", "--reporter", "张三", "--phone", "13800000000"))
    ok(on(office, "add", "水渠堵塞", "--received", "2026-11-02"))
    stick.parent.mkdir()
    shutil.copy(office, stick)
    ok(on(office, "add", "办公室登记的新事项"))
    ok(on(office, "close", "1", "--outcome", "resolved", "--result", "已更换灯泡"))
    ok(on(stick, "add", "走访登记的一", "--received", "2026-11-20"))
    ok(on(stick, "add", "走访登记的二", "--received", "2026-11-21"))
    ok(on(stick, "assign", "2", "--owner", "李四", "--due", "2026-11-30", "--date", "2026-11-22"))
    return office, stick


def test_merging_both_ways_leaves_two_copies_that_agree(tmp_path: Path) -> None:
    office, stick = copies(tmp_path)
    before = sha(stick)
    result = ok(on(office, "merge", str(stick)))
    assert result.stdout == (
        f"已从 {stick} 合并 16 条记录：新增事项 2 件，补上记录的事项 1 件，新增说事活动 0 次\n"
    )
    assert result.stderr == (
        f"提示：{stick} 中的 #3 在本台账编为 #4（原编号已被占用）\n"
        f"提示：{stick} 中的 #4 在本台账编为 #5（原编号已被占用）\n"
    )
    assert sha(stick) == before  # the other copy is only read
    clean(office)
    here = by_title(office)
    assert [here[t]["id"] for t in ("办公室登记的新事项", "走访登记的一", "走访登记的二")] == [
        3,
        4,
        5,
    ]
    assert here["水渠堵塞"]["owner"] == "李四"
    assert here["村口路灯不亮"]["status"] == "closed"
    # Where the entries came from is on the case, in its history and progress.
    shown = json.loads(ok(on(office, "show", "2", "--json")).stdout)
    last = shown["history"][-1]
    assert (last["field"], last["note"]) == ("note", f"合并自 {stick}")
    assert last["new"] == f"合并自 {stick} 的 2 条记录：2026-11-22 领办责任人，2026-11-22 完成时限"

    back = json.loads(ok(on(stick, "merge", str(office), "--json")).stdout)
    assert back == {
        "other": str(office),
        "entries": 11,
        "new_cases": [5],
        "changed_cases": [1],
        "renumbered": [{"from": 3, "to": 5}],
        "sessions": 0,
        "review": [],
    }
    clean(stick)
    ignore = {"id", "duplicate_of"}
    same = {
        uid: {k: v for k, v in c.items() if k not in ignore} for uid, c in cases(office).items()
    }
    other = {
        uid: {k: v for k, v in c.items() if k not in ignore} for uid, c in cases(stick).items()
    }
    assert same == other and len(same) == 5
    # The township's sweep now sees one ledger in two identical copies.
    sweep = CliRunner().invoke(app, ["stats", "--month", "2026-11", "--json", str(tmp_path)])
    assert ok(sweep).stderr.count("内容相同，是同一本台账的副本") == 1
    assert json.loads(sweep.stdout)["total"]["total"] == 5


def test_merging_twice_adds_nothing(tmp_path: Path) -> None:
    office, stick = copies(tmp_path)
    ok(on(office, "merge", str(stick)))
    written = sha(office)
    again = ok(on(office, "merge", str(stick)))
    assert again.stdout == f"{stick} 中没有本台账缺少的内容，未做改动\n"
    assert again.stderr == ""
    assert sha(office) == written
    data = json.loads(ok(on(office, "merge", str(stick), "--json")).stdout)
    assert (data["entries"], data["new_cases"], data["changed_cases"]) == (0, [], [])
    # An older copy (the stick before it was written) brings nothing either.
    old = tmp_path / "旧" / "石境村.db"
    old.parent.mkdir()
    ok(on(stick, "backup", str(old)))
    ok(on(stick, "note", "1", "后来的记录"))
    assert ok(on(office, "merge", str(old))).stdout == f"{old} 中没有本台账缺少的内容，未做改动\n"


def test_merge_refuses_another_ledger_and_what_is_not_a_copy(tmp_path: Path) -> None:
    office, _ = copies(tmp_path)
    other = tmp_path / "新村.db"
    init(other, "新村")
    again = tmp_path / "重建" / "石境村.db"
    again.parent.mkdir()
    init(again)  # the same village initialised anew is another ledger, not a copy
    text = tmp_path / "说明.db"
    text.write_text("不是台账", encoding="utf-8")
    before = sha(office), sha(other)
    refused(
        on(office, "merge", str(other)),
        f"{other} 是另一本台账（宝峰镇新村），不是本台账（宝峰镇石境村）的副本，不能合并；未做任何改动",
    )
    refused(on(office, "merge", str(again)))
    refused_json(on(office, "merge", str(other), "--json"), "bad_input")
    refused(on(office, "merge", str(text)), "说明.db 不是说事台账文件，未做任何改动")
    refused(on(office, "merge", str(tmp_path / "无.db")), f"找不到 {tmp_path / '无.db'}")
    refused(on(office, "merge", str(office)), f"{office} 就是 --db 指定的这本台账，无需合并")
    assert (sha(office), sha(other)) == before


def test_merge_brings_sessions_letters_replies_and_duplicates_under_their_new_numbers(
    tmp_path: Path,
) -> None:
    office, stick = copies(tmp_path)
    ok(on(office, "session", "add", "--date", "2026-11-10", "--place", "村部"))
    ok(on(stick, "session", "add", "--date", "2026-11-15", "--place", "村文化礼堂"))
    ok(on(stick, "add", "说事会上提的", "--session", "1", "--received", "2026-11-15"))
    ok(on(stick, "add", "同一件事又登记了一次", "--received", "2026-11-22"))
    ok(on(stick, "void", "6", "--reason", "重复登记", "--duplicate-of", "5"))
    letter = ("2", "--letter", "宝督〔2026〕3号", "--date", "2026-11-25")
    ok(on(stick, "supervise", *letter))
    ok(on(stick, "supervise", "2", "--letter", "宝督〔2026〕3号", "--reply", "已疏通",
          "--reply-date", "2026-11-26"))  # fmt: skip
    ok(on(office, "merge", str(stick)))
    clean(office)
    here = by_title(office)
    sessions = json.loads(ok(on(office, "session", "list", "--json")).stdout)
    held = {s["place"]: s["id"] for s in sessions}
    assert held == {"村部": 1, "村文化礼堂": 2}
    assert here["说事会上提的"]["session"] == 2
    assert here["说事会上提的"]["id"] == 6
    void = here["同一件事又登记了一次"]
    assert (void["id"], void["status"], void["duplicate_of"]) == (7, "void", 6)
    with sqlite3.connect(office) as connection:
        letters = connection.execute(
            "SELECT case_id, sent_on, letter, reply_on, reply FROM supervisions"
        ).fetchall()
    connection.close()
    assert letters == [(2, "2026-11-25", "宝督〔2026〕3号", "2026-11-26", "已疏通")]
    # And back: the stick gets the office's session and case, and both agree.
    ok(on(stick, "merge", str(office)))
    clean(stick)
    assert len(json.loads(ok(on(stick, "session", "list", "--json")).stdout)) == 2
    assert set(cases(stick)) == set(cases(office))


def test_an_erasure_in_either_copy_holds_after_merging(tmp_path: Path) -> None:
    office, stick = copies(tmp_path)
    ok(on(stick, "erase-reporter", "1", "--yes"))
    ok(on(office, "edit", "1", "--phone", "13900000000", "--reason", "号码登记错了"))
    ok(on(office, "merge", str(stick)))
    ok(on(stick, "merge", str(office)))
    for db in (office, stick):
        clean(db)
        case = json.loads(ok(on(db, "show", "1", "--json")).stdout)
        assert (case["reporter"], case["phone"]) == (None, None)
        data = db.read_bytes()
        for personal in ("13800000000", "13900000000", "张三"):
            assert personal.encode() not in data, (db, personal)


def test_copies_whose_entries_contradict_each_other_are_not_merged(tmp_path: Path) -> None:
    office, stick = copies(tmp_path)
    ok(on(office, "edit", "1", "--anonymous", "--reason", "本人要求匿名"))
    ok(on(stick, "edit", "1", "--reporter", "张三丰", "--reason", "名字写错"))
    before = sha(office)
    refused(
        on(office, "merge", str(stick)),
        "两份台账中事项 #1 的记录合在一起互相矛盾（如一份改为匿名、另一份改了反映人），"
        "未做任何改动；请先在其中一份更正，使两份一致，再合并",
    )
    assert sha(office) == before
