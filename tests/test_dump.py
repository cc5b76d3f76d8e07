"""``dump`` and ``load`` (SPEC 3): lossless JSON that round-trips exactly.

dump -> load -> dump must give identical text, the loaded ledger must pass ``check`` and answer
``list`` and ``show`` exactly as the original does; ``load`` creates the ``--db`` file and refuses
an existing one or a damaged dump with one clear line, leaving nothing behind.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner, Result

from conftest import Run, folder_state, ok, sha
from conftest import refused as one_error
from shuoshi_cli.cli import app
from shuoshi_cli.store.migrations import LATEST

INTERNAL = "程序内部出错"
CHAIN_COLUMNS = ("salt", "old_digest", "new_digest", "hash")
VOID_COLUMNS = ("void_reason", "duplicate_of")  # added to cases by schema 5


def _as_schema_1(data: dict[str, Any]) -> None:
    """Make a dump look as the first release wrote it: no hash chain, no void columns, no
    session times."""
    data["schema"] = 1
    for entry in data["history"]:
        for column in CHAIN_COLUMNS:
            del entry[column]
    for row in data["cases"]:
        for column in VOID_COLUMNS:
            del row[column]
    for row in data["sessions"]:
        del row["at"]


# ---------------------------------------------------------------- helpers


def clean_failure(result: Result) -> list[str]:
    assert result.exit_code == 1, (result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert INTERNAL not in result.output, result.output
    return result.stderr.splitlines()


def on(db: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args], input=input)


def listing(db: Path) -> list[dict[str, Any]]:
    return sorted(
        json.loads(ok(on(db, "list", "--status", "all", "--json")).stdout), key=lambda c: c["id"]
    )


def shown(db: Path, case_id: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(on(db, "show", str(case_id), "--json")).stdout)
    return data


def passes_check(db: Path) -> None:
    result = ok(on(db, "check", "--json"))
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["problems"] == [], data


def dump_text(db: Path) -> str:
    return ok(on(db, "dump")).stdout


# ---------------------------------------------------------------- a ledger with everything in it


_full: dict[str, bytes] = {}


@pytest.fixture
def full(db: Path, tmp_path: Path) -> Path:
    """Sessions, every kind of change, supervision, escalation, reopening, erasure, an import.

    Built through the CLI once per run; each test gets its own copy of the file.
    """
    if "db" not in _full:
        build = tmp_path / "build"
        build.mkdir()
        _full["db"] = _build_full(build / "石境村.db", build).read_bytes()
        shutil.rmtree(build)
    db.write_bytes(_full["db"])
    return db


def _build_full(db: Path, tmp_path: Path) -> Path:
    def ledger(*args: str) -> Result:
        return on(db, *args)

    ok(ledger("init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县"))
    steps: list[list[str]] = [
        ["session", "add", "--date", "2026-10-05", "--place", "村文化礼堂", "--topic", "路灯",
         "--host", "王书记"],
        ["add", "--received", "2026-10-05", "--reporter", "张三", "--phone", "13800000000",
         "--category", "基础设施", "--channel", "talk", "--session", "1", "--detail",
         "晚上\n看不见路", "--owner", "李四", "--due", "2026-10-12", "--", "村口路灯不亮"],
        ["add", "--received", "2026-10-06", "--anonymous", "--kind", "complaint", "--channel",
         "app", "--", '有人"赌博" 😀'],
        ["add", "--received", "2026-10-08", "--reporter", "王五", "--phone", "0795-4621234",
         "--", '=HYPERLINK("http://x")'],
        ["add", "--received", "2026-10-10", "--kind", "suggestion", "--channel", "tourist",
         "--reporter", "游客李", "--phone", "13912345678", "--", "建议增设停车位"],
        ["supervise", "3", "--letter", "宝督〔2026〕12号", "--due", "2026-10-30", "--date",
         "2026-10-20"],
        ["escalate", "2", "--to", "township", "--reason", "需镇里处理", "--owner", "镇综治办"],
        ["plan", "4", "--due", "2026-12-31", "--", "列入明年计划"],
        ["close", "1", "--outcome", "resolved", "--result", "已更换灯泡", "--date", "2026-10-09"],
        ["feedback", "1", "--satisfaction", "satisfied", "--date", "2026-10-10"],
        ["close", "3", "--outcome", "explained", "--result=-资金不足", "--date", "2026-10-25"],
        ["reopen", "3", "--reason", "群众不满意", "--date", "2026-10-26"],
        ["close", "3", "--outcome", "resolved", "--result", "已修好", "--date", "2026-11-02"],
        ["feedback", "3", "--satisfaction", "basic", "--date", "2026-11-03"],
        ["note", "3", "--", "已联系供电所\t（电话）"],
        ["assign", "4", "--owner", "赵六", "--due", "2026-12-15"],
        ["erase-reporter", "4", "--yes"],
    ]  # fmt: skip
    for step in steps:
        ok(ledger(*step))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["受理日期", "反映事项", "反映人", "联系电话", "办结日期", "满意度"])
    ws.append(["2026-10-12", "导入的事项", "孙八", "13700000000", "2026-10-15", "不满意"])
    workbook = tmp_path / "旧台账.xlsx"
    wb.save(workbook)
    ok(ledger("import", str(workbook)))
    return db


def test_dump_load_dump_is_identical(full: Path, tmp_path: Path) -> None:
    first = tmp_path / "石境村.json"
    result = ok(on(full, "dump", "-o", str(first)))
    assert result.stdout == ""
    copy = tmp_path / "副本.db"
    loaded = ok(on(copy, "load", str(first)))
    assert loaded.stdout.strip() == f"已由 dump 建立台账 {copy}：5 件事项"
    assert dump_text(copy) == first.read_text(encoding="utf-8")
    passes_check(copy)
    assert listing(copy) == listing(full)
    for case_id in range(1, 6):
        assert shown(copy, case_id) == shown(full, case_id)
    assert (
        ok(on(copy, "list", "--status", "all")).stdout
        == ok(on(full, "list", "--status", "all")).stdout
    )
    month = ["stats", "--month", "2026-10", "--json"]
    assert (
        ok(CliRunner().invoke(app, [*month, str(copy)])).stdout
        == ok(CliRunner().invoke(app, [*month, str(full)])).stdout
    )


def test_loaded_file_is_a_proper_ledger(full: Path, tmp_path: Path) -> None:
    dumped = tmp_path / "a.json"
    ok(on(full, "dump", "-o", str(dumped)))
    copy = tmp_path / "copy.db"
    ok(on(copy, "load", str(dumped)))
    pragmas = ("application_id", "user_version")
    with sqlite3.connect(full) as a, sqlite3.connect(copy) as b:
        for pragma in pragmas:
            assert (
                b.execute(f"PRAGMA {pragma}").fetchone() == a.execute(f"PRAGMA {pragma}").fetchone()
            )
        assert b.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert b.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]
    assert not list(tmp_path.glob("*.tmp"))


def test_loaded_ledger_carries_on(full: Path, tmp_path: Path) -> None:
    dumped = tmp_path / "a.json"
    ok(on(full, "dump", "-o", str(dumped)))
    copy = tmp_path / "copy.db"
    ok(on(copy, "load", str(dumped)))
    assert ok(on(copy, "add", "--", "新事项")).stdout.strip() == "6"
    ok(on(copy, "close", "2", "--outcome", "resolved", "--result", "已处理"))
    passes_check(copy)
    again = json.loads(dump_text(copy))
    before = json.loads(dumped.read_text(encoding="utf-8"))
    assert len(again["cases"]) == 6
    assert again["history"][: len(before["history"])] == before["history"]


def test_dump_to_stdout_matches_the_file_and_changes_nothing(full: Path, tmp_path: Path) -> None:
    before = folder_state(tmp_path)
    text = dump_text(full)
    assert folder_state(tmp_path) == before
    target = tmp_path / "a.json"
    ok(on(full, "dump", "-o", str(target)))
    assert target.read_bytes() == text.encode("utf-8")
    assert sha(full) == before[full.name]
    data = json.loads(text)
    assert data["format"] == "shuoshi-ledger" and data["schema"] == LATEST
    assert {k: len(v) for k, v in data.items() if isinstance(v, list)} == {
        "meta": len(data["meta"]), "sessions": 1, "cases": 5,
        "history": len(data["history"]), "supervisions": 1,
    }  # fmt: skip
    assert {m["key"]: m["value"] for m in data["meta"]}["village"] == "石境村"
    assert "13912345678" not in text and "游客李" not in text  # erased stays erased
    assert "\\u" not in text.replace("\\u0000", "")  # UTF-8 text, not escapes


def test_dump_refuses_to_overwrite_without_force(full: Path, tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_text("keep", encoding="utf-8")
    assert "a.json" in one_error(on(full, "dump", "-o", str(target)))
    assert target.read_text(encoding="utf-8") == "keep"
    ok(on(full, "dump", "-o", str(target), "--force"))
    assert target.read_text(encoding="utf-8") == dump_text(full)


def test_dump_of_a_missing_ledger_is_refused(tmp_path: Path) -> None:
    one_error(on(tmp_path / "none.db", "dump"))
    one_error(on(tmp_path / "none.db", "dump", "-o", str(tmp_path / "a.json")))
    assert list(tmp_path.iterdir()) == []


def test_load_refuses_an_existing_file(full: Path, tmp_path: Path) -> None:
    dumped = tmp_path / "a.json"
    ok(on(full, "dump", "-o", str(dumped)))
    other = tmp_path / "other.db"
    other.write_bytes(b"not a ledger, but someone's file")
    before = folder_state(tmp_path)
    for target in (full, other):
        one_error(on(target, "load", str(dumped)))
    assert folder_state(tmp_path) == before


def test_load_from_stdin_and_json_output(full: Path, tmp_path: Path) -> None:
    text = dump_text(full)
    copy = tmp_path / "copy.db"
    result = ok(on(copy, "load", "-", "--json", input=text))
    assert json.loads(result.stdout) == {"path": str(copy), "cases": 5}
    assert dump_text(copy) == text


def test_load_accepts_a_bom(full: Path, tmp_path: Path) -> None:
    """A dump opened and saved in Notepad gains a BOM."""
    text = dump_text(full)
    dumped = tmp_path / "bom.json"
    dumped.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    copy = tmp_path / "copy.db"
    ok(on(copy, "load", str(dumped)))
    assert dump_text(copy) == text


def _tamper(data: dict[str, Any], how: str) -> Any:
    if how == "title":
        data["cases"][0]["title"] = "改过的标题"
    elif how == "history-value":
        data["history"][0]["new"] = "改过的标题"
    elif how == "history-dropped":
        del data["history"][3]
    elif how == "bad-kind":
        data["cases"][0]["kind"] = "gossip"
    elif how == "duplicate-id":
        data["cases"][1]["id"] = data["cases"][0]["id"]
    elif how == "unknown-column":
        data["cases"][0]["shoe_size"] = 42
    elif how == "missing-table":
        del data["history"]
    elif how == "table-not-list":
        data["cases"] = {"1": {}}
    elif how == "schema-newer":
        data["schema"] = LATEST + 1
    elif how == "schema-text":
        data["schema"] = str(LATEST)
    elif how == "wrong-format":
        data["format"] = "something-else"
    elif how == "supervision-orphan":
        data["supervisions"][0]["case_id"] = 99
    elif how == "session-missing":
        data["sessions"] = []
    elif how == "history-empty":
        data["history"] = []
    elif how == "history-time":
        data["history"][0]["at"] = "2020-01-01T00:00:00+00:00"
    elif how == "received-garbage":
        data["cases"][0]["received_on"] = "昨天下午"
    elif how == "deadline-garbage":
        data["cases"][0]["deadline"] = "2026-13-45"
    elif how == "sent-on-garbage":
        data["supervisions"][0]["sent_on"] = "garbage"
    elif how == "supervision-letter":
        data["supervisions"][0]["letter"] = "宝督〔2026〕99号"
    elif how == "no-village":
        data["meta"] = [m for m in data["meta"] if m["key"] != "village"]
    elif how == "categories-garbage":
        for item in data["meta"]:
            if item["key"] == "categories":
                item["value"] = "基础设施;环境卫生"
    elif how == "array":
        return [data]
    return data


TAMPERING = [
    "title", "history-value", "history-dropped", "bad-kind", "duplicate-id", "unknown-column",
    "missing-table", "table-not-list", "schema-newer", "schema-text", "wrong-format", "array",
    "supervision-orphan", "session-missing", "history-empty", "history-time",
]  # fmt: skip
MALFORMED_DATES = ["received-garbage", "deadline-garbage", "sent-on-garbage"]


@pytest.mark.parametrize("how", TAMPERING)
def test_load_refuses_a_damaged_dump_and_leaves_nothing(
    full: Path, tmp_path: Path, how: str
) -> None:
    data = _tamper(json.loads(dump_text(full)), how)
    folder = tmp_path / "out"
    folder.mkdir()
    dumped = folder / "bad.json"
    dumped.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = folder / "new.db"
    one_error(on(target, "load", str(dumped)))
    assert sorted(p.name for p in folder.iterdir()) == ["bad.json"]


def _write_tampered(full: Path, tmp_path: Path, how: str) -> tuple[Path, Path]:
    data = _tamper(json.loads(dump_text(full)), how)
    folder = tmp_path / "out"
    folder.mkdir()
    dumped = folder / "bad.json"
    dumped.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder, dumped


@pytest.mark.parametrize("how", MALFORMED_DATES)
def test_malformed_dates_in_a_dump_leave_nothing_behind(
    full: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder, dumped = _write_tampered(full, tmp_path, how)
    result = on(folder / "new.db", "load", str(dumped))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["bad.json"]


@pytest.mark.parametrize("how", MALFORMED_DATES)
def test_malformed_dates_in_a_dump_are_a_clear_refusal(
    full: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder, dumped = _write_tampered(full, tmp_path, how)
    one_error(on(folder / "new.db", "load", str(dumped)))


def test_a_dump_with_an_altered_supervision_is_refused(full: Path, tmp_path: Path) -> None:
    folder, dumped = _write_tampered(full, tmp_path, "supervision-letter")
    result = on(folder / "new.db", "load", str(dumped))
    if result.exit_code == 0:
        passes_check(folder / "new.db")  # then at least check must object (it does not)
        raise AssertionError("an altered supervision record was loaded and passes check")
    one_error(result)


def test_a_dump_without_the_village_is_refused(full: Path, tmp_path: Path) -> None:
    folder, dumped = _write_tampered(full, tmp_path, "no-village")
    one_error(on(folder / "new.db", "load", str(dumped)))
    assert sorted(p.name for p in folder.iterdir()) == ["bad.json"]


def test_a_dump_with_unreadable_categories_is_refused(
    full: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The category list is JSON text in meta: a ledger built around anything else would be
    refused as corrupt by every later command, so load refuses it, naming the meta row."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    keys = [m["key"] for m in json.loads(dump_text(full))["meta"]]
    folder, dumped = _write_tampered(full, tmp_path, "categories-garbage")
    row = keys.index("categories") + 1
    message = one_error(on(folder / "new.db", "load", str(dumped)))
    assert message == f"备份文件第 {row} 行（meta 表）有误：categories"
    assert sorted(p.name for p in folder.iterdir()) == ["bad.json"]


@pytest.mark.parametrize("value", ['"基础设施"', '{"基础设施": 1}', "[1, 2]", "", "null"])
def test_categories_that_are_json_but_not_a_list_of_names_are_refused(
    full: Path, tmp_path: Path, value: str
) -> None:
    data = json.loads(dump_text(full))
    row = [m["key"] for m in data["meta"]].index("categories") + 1
    data["meta"][row - 1]["value"] = value
    folder, result = _load_edited(data, tmp_path)
    assert one_error(result) == f"备份文件第 {row} 行（meta 表）有误：categories"
    assert sorted(p.name for p in folder.iterdir()) == ["bad.json"]


# ---------------------------------------------------------------- rows checked by their models

MISSING = object()
# (table, row as numbered in the dump, column, what the edited dump holds there)
ROW_REFUSALS: list[tuple[str, int, str, Any]] = [
    ("cases", 1, "received_on", "昨天下午"),  # a date that is not a date
    ("cases", 4, "deadline", "2026-13-45"),  # no such day
    ("supervisions", 1, "sent_on", "garbage"),
    ("history", 3, "case_id", "第一件"),  # text where a number belongs
    ("history", 2, "seq", 2.5),
    ("cases", 2, "title", MISSING),  # a required column left out
    ("history", 5, "effective", MISSING),
    ("sessions", 1, "held_on", None),  # a required column emptied
    ("meta", 1, "value", 42),  # a number where text belongs
    ("cases", 3, "anonymous", "匿名"),  # not a yes/no
    ("cases", 1, "shoe_size", 42),  # a column no table has
    ("history", 1, "anonymous", "0"),  # a column of another table
    # The file's own constraints, met while it is built, name their columns the same way.
    ("cases", 1, "kind", "gossip"),  # not a code
    ("cases", 1, "level", "村"),
    ("cases", 2, "id", 1),  # an id twice
    ("supervisions", 1, "case_id", 99),  # no such case
]


def _load_edited(data: Any, tmp_path: Path, lang: str = "zh", *options: str) -> tuple[Path, Result]:
    """Load ``data`` as ``out/bad.json`` into ``out/new.db``."""
    folder = tmp_path / "out"
    folder.mkdir(exist_ok=True)
    dumped = folder / "bad.json"
    dumped.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder, on(folder / "new.db", "--lang", lang, "load", str(dumped), *options)


@pytest.mark.parametrize(
    ("table", "row", "column", "value"),
    ROW_REFUSALS,
    ids=[f"{t}-{c}" for t, _, c, _ in ROW_REFUSALS],
)
def test_load_refuses_a_row_its_model_rejects_naming_table_and_row(
    full: Path, tmp_path: Path, table: str, row: int, column: str, value: Any
) -> None:
    from conftest import refused_json

    data = json.loads(dump_text(full))
    if value is MISSING:
        del data[table][row - 1][column]
    else:
        data[table][row - 1][column] = value
    folder, result = _load_edited(data, tmp_path)
    assert one_error(result) == f"备份文件第 {row} 行（{table} 表）有误：{column}"
    _, result = _load_edited(data, tmp_path, "en")
    assert one_error(result, lang="en") == (
        f"row {row} of table {table} in the dump is not valid: {column}"
    )
    _, result = _load_edited(data, tmp_path, "zh", "--json")
    refused_json(result, "bad_input", f"备份文件第 {row} 行（{table} 表）有误：{column}")
    assert sorted(p.name for p in folder.iterdir()) == ["bad.json"]


def test_an_older_dump_with_a_later_column_is_refused(full: Path, tmp_path: Path) -> None:
    """A schema-1 dump has no hash chain: a chain column in one is named, not half-loaded."""
    data = json.loads(dump_text(full))
    _as_schema_1(data)
    data["history"][1]["salt"] = "00"
    folder, result = _load_edited(data, tmp_path)
    assert one_error(result) == "备份文件第 2 行（history 表）有误：salt"
    assert sorted(p.name for p in folder.iterdir()) == ["bad.json"]


def test_values_are_loaded_as_the_file_stores_them(full: Path, tmp_path: Path) -> None:
    """A yes/no the model reads (JSON true) is stored as the file keeps it, 0/1."""
    text = dump_text(full)
    data = json.loads(text)
    assert data["cases"][1]["anonymous"] == 1
    data["cases"][1]["anonymous"] = True
    folder, result = _load_edited(data, tmp_path)
    ok(result)
    assert dump_text(folder / "new.db") == text


def test_dump_writes_each_table_with_its_models_columns(full: Path) -> None:
    from shuoshi_cli.models import CaseRow, HistoryRow, Meta, SupervisionRow, TalkSession

    data = json.loads(dump_text(full))
    models = {"meta": Meta, "sessions": TalkSession, "cases": CaseRow, "history": HistoryRow,
              "supervisions": SupervisionRow}  # fmt: skip
    assert list(data) == ["format", "schema", *models]
    for table, model in models.items():
        assert data[table], table
        for row in data[table]:
            assert list(row) == list(model.model_fields), table


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"null", b"42", "石境村".encode("gbk"), b"\xff\xfe{\x00}\x00"],
    ids=["empty", "broken-json", "null", "number", "gbk-bytes", "utf16"],
)
def test_load_refuses_what_is_not_a_dump(tmp_path: Path, raw: bytes) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    dumped = folder / "x.json"
    dumped.write_bytes(raw)
    one_error(on(folder / "new.db", "load", str(dumped)))
    assert sorted(p.name for p in folder.iterdir()) == ["x.json"]


def test_load_of_a_missing_file_or_into_a_missing_folder(full: Path, tmp_path: Path) -> None:
    one_error(on(tmp_path / "new.db", "load", str(tmp_path / "none.json")))
    assert not (tmp_path / "new.db").exists()
    dumped = tmp_path / "a.json"
    ok(on(full, "dump", "-o", str(dumped)))
    one_error(on(tmp_path / "no" / "such" / "new.db", "load", str(dumped)))
    assert not (tmp_path / "no").exists()


def test_an_older_schema_dump_is_loaded_and_migrated(ledger: Run, db: Path, tmp_path: Path) -> None:
    ok(ledger("add", "--received", "2026-10-05", "--reporter", "张三", "--", "路灯不亮"))
    ok(ledger("close", "1", "--outcome", "resolved", "--result", "已修", "--date", "2026-10-09"))
    ok(ledger("add", "--received", "2026-10-06", "--", "垃圾"))
    data = json.loads(dump_text(db))
    _as_schema_1(data)
    old = tmp_path / "v1.json"
    old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    copy = tmp_path / "copy.db"
    ok(on(copy, "load", str(old)))
    passes_check(copy)
    assert listing(copy) == listing(db)
    assert shown(copy, 1)["history"] == shown(db, 1)["history"]
    redumped = json.loads(dump_text(copy))
    assert redumped["schema"] == LATEST
    strip = [{k: v for k, v in h.items() if k not in CHAIN_COLUMNS} for h in redumped["history"]]
    assert strip == data["history"]


# ---------------------------------------------------------------- property: random ledgers

DAYS = ["2026-10-05", "2026-10-20", "2026-11-02", "2026-11-20", "2026-11-27"]
WORDS = st.sampled_from(
    ["路灯不亮", "=1+1", "第一行\n第二行", "😀", '"引号"', "-减号", "  空格  ", "石境村"]
)
IDS = st.integers(min_value=1, max_value=4).map(str)
MAYBE_DAY = st.sampled_from([[], *[["--date", d] for d in DAYS]])
MAYBE_DUE = st.sampled_from(
    [[], ["--due", "2026-11-10"], ["--due", "2026-12-31"], ["--due", "+5wd"]]
)

ADD = st.tuples(
    WORDS,
    st.sampled_from(
        [[], ["--reporter", "张三", "--phone", "13800000000"], ["--anonymous"],
         ["--kind", "complaint", "--channel", "talk"], ["--category", "基础设施"],
         ["--session", "1"], ["--detail", "详细\n内容"]]
    ),
    st.sampled_from(DAYS),
    st.sampled_from([[], ["--owner", "李四"], ["--owner", "李四", "--due", "2026-11-10"]]),
).map(lambda t: ["add", *t[1], *t[3], "--received", t[2], "--", t[0]])  # fmt: skip

COMMAND = st.one_of(
    ADD,
    st.tuples(IDS, st.sampled_from(["李四", "王五"]), MAYBE_DUE).map(
        lambda t: ["assign", t[0], "--owner", t[1], *t[2]]
    ),
    st.tuples(IDS, WORDS).map(lambda t: ["note", t[0], "--", t[1]]),
    st.tuples(IDS, WORDS, MAYBE_DUE).map(lambda t: ["plan", t[0], *t[2], "--", t[1]]),
    st.tuples(IDS, st.sampled_from(["township", "county", "乡镇"]), WORDS).map(
        lambda t: ["escalate", t[0], "--to", t[1], f"--reason={t[2]}"]
    ),
    st.tuples(IDS, st.sampled_from(["resolved", "explained", "已解决"]), WORDS, MAYBE_DAY).map(
        lambda t: ["close", t[0], "--outcome", t[1], f"--result={t[2]}", *t[3]]
    ),
    st.tuples(IDS, WORDS, MAYBE_DAY).map(lambda t: ["reopen", t[0], f"--reason={t[1]}", *t[2]]),
    st.tuples(
        IDS,
        st.sampled_from([[], ["--satisfaction", "satisfied"], ["--satisfaction", "不满意"]]),
        MAYBE_DAY,
    ).map(lambda t: ["feedback", t[0], *t[1], *t[2]]),  # fmt: skip
    st.tuples(IDS, MAYBE_DUE, MAYBE_DAY).map(
        lambda t: ["supervise", t[0], "--letter", "宝督〔2026〕12号", *t[1], *t[2]]
    ),
    IDS.map(lambda i: ["erase-reporter", i, "--yes"]),
    st.sampled_from(DAYS).map(lambda d: ["session", "add", "--date", d, "--place", "文化礼堂"]),
)
_counter = itertools.count()
_pristine: dict[str, bytes] = {}


def _fresh(path: Path) -> None:
    if "db" not in _pristine:
        seed = path.with_name("seed.db")
        ok(on(seed, "init", "--village", "石境村", "--township", "宝峰镇", "--county", "靖安县"))
        _pristine["db"] = seed.read_bytes()
        seed.unlink()
    path.write_bytes(_pristine["db"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=ADD, commands=st.lists(COMMAND, min_size=1, max_size=8))
def test_dump_load_dump_is_identical_for_random_ledgers(
    tmp_path: Path, first: list[str], commands: list[list[str]]
) -> None:
    folder = tmp_path / f"ex{next(_counter)}"
    folder.mkdir()
    source, copy = folder / "a.db", folder / "b.db"
    _fresh(source)
    for command in [first, *commands]:
        result = on(source, *command)
        if result.exit_code != 0:
            lines = clean_failure(result)
            assert len(lines) == 1 and lines[0].startswith("错误："), (command, lines)
    text = dump_text(source)
    ok(on(copy, "load", "-", input=text))
    assert dump_text(copy) == text
    passes_check(copy)
    assert listing(copy) == listing(source)
