"""Reading an existing Excel ledger (台账) into cases: headings, synonyms, dates, all-or-nothing.

Real village ledgers put the headings in any order under merged title rows, use synonyms
(受理时间 for 受理日期, 诉求人 for 反映人 …), write dates as Excel dates or as text (2026年10月5日,
2026.10.5), and spell enums in Chinese. Every problem is collected with its sheet, row and column;
the caller stores nothing unless there are none. A row's identity (its ``uid``) is derived from its
content, so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from shuoshi_cli.core.codes import Channel, Kind, Level, Outcome, Satisfaction, parse
from shuoshi_cli.core.dates import ParsedDate, parse_date
from shuoshi_cli.core.errors import BadInput, ShuoshiError
from shuoshi_cli.core.rules import NewCase, PastCase, clean_phone, clean_text, register_past
from shuoshi_cli.core.workdays import WorkCalendar
from shuoshi_cli.formats.xlsxsafe import Cell

# Canonical heading -> field; the template uses the first spelling of each.
HEADINGS: dict[str, str] = {}
SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_id": ("编号", "序号", "事项编号"),
    "received_on": ("受理日期", "受理时间", "登记日期", "反映日期", "登记时间"),
    "reporter": ("反映人", "诉求人", "来访人", "反映人姓名", "群众姓名"),
    "phone": ("联系电话", "联系方式", "电话", "手机号码", "手机号"),
    "title": ("反映事项", "诉求内容", "事项内容", "反映问题", "反映内容"),
    "detail": ("详细内容", "具体内容", "详细情况"),
    "kind": ("类型", "事项类型", "诉求类型"),
    "category": ("类别", "事项类别", "分类", "问题类别"),
    "channel": ("渠道", "来源", "反映渠道", "受理渠道", "事项来源"),
    "owner": ("领办责任人", "领办人", "责任人", "承办人"),
    "deadline": ("完成时限", "办理时限", "办结时限"),
    "level": ("办理层级", "层级"),
    "state": ("办理情况", "办理进展"),
    "result": ("办理结果", "处理结果", "答复意见"),
    "outcome": ("结果类型", "办结类型", "解决情况", "是否解决"),
    "closed_on": ("办结日期", "办结时间", "销号日期", "销号时间"),
    "feedback_on": ("反馈日期", "反馈时间", "反馈情况"),
    "satisfaction": ("满意度", "是否满意", "群众满意度", "满意情况"),
    "anonymous": ("匿名", "是否匿名"),
    "remarks": ("备注",),
}
for _field, _names in SYNONYMS.items():
    for _name in _names:
        HEADINGS[_name] = _field

TEMPLATE_FIELDS = (
    "received_on", "title", "detail", "kind", "category", "channel", "reporter", "phone",
    "anonymous", "owner", "deadline", "level", "closed_on", "outcome", "result", "feedback_on",
    "satisfaction", "remarks",
)  # fmt: skip
TEMPLATE_NOTES = {
    "received_on": "必填，如 2026-10-05 或 2026年10月5日",
    "title": "必填，群众反映的事",
    "kind": "诉求/意见建议/投诉举报/咨询，默认诉求",
    "channel": "说事点/小程序/走访/来电/游客/其他，默认其他",
    "phone": "11 位手机或带区号座机；请设为文本格式",
    "anonymous": "是/否",
    "level": "村级/乡镇/县级，默认村级",
    "closed_on": "填了即为已办结",
    "outcome": "已解决/已解释说明，默认已解决",
    "satisfaction": "满意/基本满意/不满意",
}
NOTE_MARK = "填写说明"
_NAMESPACE = uuid.UUID("0b7d4c52-7a55-4c1e-9a44-5b8e0c3d2f10")
_YES = {"是", "yes", "y", "true", "1", "匿名", "√"}
_NO = {"否", "no", "n", "false", "0", ""}


def _is_state_summary(text: str) -> bool:
    """Whether 办理情况 holds shuoshi's own state words (from an exported workbook)."""
    return text.startswith(("已办结", "列入计划", "已上报", "办理中", "待指派", "在办"))


def normalise_heading(text: Any) -> str:
    cleaned = unicodedata.normalize("NFKC", str(text or ""))
    cleaned = re.sub(r"[\s*＊:：]|[(（][^)）]*[)）]", "", cleaned)
    return cleaned


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str | None
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportedCase:
    """One row, checked: what to register and what happened to it afterwards."""

    sheet: str
    row: int
    uid: str
    title: str
    received_on: date
    detail: str | None = None
    kind: Kind = Kind.REQUEST
    category: str | None = None
    channel: Channel = Channel.OTHER
    reporter: str | None = None
    phone: str | None = None
    anonymous: bool = False
    owner: str | None = None
    deadline: date | None = None
    level: Level = Level.VILLAGE
    plan: str | None = None
    closed_on: date | None = None
    outcome: Outcome | None = None
    result: str | None = None
    feedback_on: date | None = None
    satisfaction: Satisfaction | None = None

    def past(self) -> PastCase:
        """The row as the clerk commands it stands for (core/rules.py ``register_past``)."""
        draft = NewCase(
            title=self.title, detail=self.detail, kind=self.kind, category=self.category,
            channel=self.channel, reporter=self.reporter, phone=self.phone,
            anonymous=self.anonymous, received_on=self.received_on, owner=self.owner,
            due=ParsedDate(self.deadline) if self.deadline else None,
        )  # fmt: skip
        return PastCase(
            draft=draft, level=self.level, plan=self.plan, closed_on=self.closed_on,
            outcome=self.outcome, result=self.result, feedback_on=self.feedback_on,
            satisfaction=self.satisfaction,
        )  # fmt: skip


@dataclass
class ImportPlan:
    cases: list[ImportedCase] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    rows: int = 0


def _find_header(
    rows: list[tuple[int, list[Cell]]],
) -> tuple[int, dict[int, tuple[str, str]]] | None:
    """The first row (among the top 15) naming 反映事项 and at least two other known columns."""
    for index, (_, cells) in enumerate(rows[:15]):
        columns: dict[int, tuple[str, str]] = {}
        for position, cell in enumerate(cells):
            name = normalise_heading(cell.value)
            if name in HEADINGS and HEADINGS[name] not in {f for f, _ in columns.values()}:
                columns[position] = (HEADINGS[name], str(cell.value).strip())
        fields = {f for f, _ in columns.values()}
        if {"title", "received_on"} <= fields and len(fields) >= 3:
            return index, columns
    return None


def plan_import(
    sheets: list[tuple[str, list[tuple[int, list[Cell]]]]],
    *,
    village: str,
    today: date,
    calendar: WorkCalendar | None = None,
    only_sheet: str | None = None,
) -> ImportPlan:
    """Check every row of every ledger-like sheet; collect cases and problems."""
    plan = ImportPlan()
    for name, rows in sheets:
        if only_sheet is not None and name != only_sheet:
            continue
        found = _find_header(rows)
        if found is None:
            continue
        start, columns = found
        plan.sheets.append(name)
        seen: set[str] = set()
        for number, cells in rows[start + 1 :]:
            values = {
                f: (cells[i] if i < len(cells) else Cell(None, "n"))
                for i, (f, _) in columns.items()
            }
            first = next((str(c.value).strip() for c in cells if c.value not in (None, "")), "")
            if first.startswith((NOTE_MARK, "说明：", "说明:")):
                continue
            # 3: a pre-printed row that holds only its 序号 is a blank row, not a case
            if all(v.value in (None, "") for f, v in values.items() if f != "source_id"):
                continue
            plan.rows += 1
            reader = _Row(name, number, columns, values, today, calendar, plan.problems)
            case = reader.case(village)
            if case is not None:
                if case.uid in seen:
                    plan.problems.append(Problem(name, number, None, "import_duplicate_row"))
                    continue
                seen.add(case.uid)
                plan.cases.append(case)
    if only_sheet is not None and only_sheet not in {name for name, _ in sheets}:
        raise BadInput("no_such_sheet", sheet=only_sheet, sheets="、".join(n for n, _ in sheets))
    if not plan.sheets:
        raise BadInput("import_no_sheet")
    return plan


class _Row:
    """Reads one row's cells, noting each problem against its column."""

    def __init__(
        self,
        sheet: str,
        number: int,
        columns: dict[int, tuple[str, str]],
        values: dict[str, Cell],
        today: date,
        calendar: WorkCalendar | None,
        problems: list[Problem],
    ) -> None:
        self.sheet, self.number, self.values = sheet, number, values
        self.headings = dict(columns.values())
        self.today, self.calendar, self.problems = today, calendar, problems
        self.failed = False

    def problem(self, field_name: str | None, key: str, **params: Any) -> None:
        column = self.headings.get(field_name or "") if field_name else None
        self.problems.append(Problem(self.sheet, self.number, column, key, params))
        self.failed = True

    def cell(self, name: str) -> Cell | None:
        cell = self.values.get(name)
        if (
            cell is None
            or cell.value is None
            or (isinstance(cell.value, str) and not cell.value.strip())
        ):
            return None
        if cell.kind == "f" or (
            isinstance(cell.value, str) and cell.value.startswith("=") and cell.kind == "f"
        ):
            self.problem(name, "import_formula")
            return None
        return cell

    def text(self, name: str) -> str | None:
        cell = self.cell(name)
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime):
            value = value.date().isoformat()
        try:
            return clean_text(str(value), name)
        except ShuoshiError as error:
            self.problem(name, error.key, **error.params)
            return None

    def day(self, name: str) -> date | None:
        cell = self.cell(name)
        if cell is None:
            return None
        value = cell.value
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if 20000 < value < 80000:  # an Excel serial date stored without a date format
                from openpyxl.utils.datetime import from_excel

                converted = from_excel(value)
                return converted.date() if isinstance(converted, datetime) else None
            self.problem(name, "import_bad_date", value=str(value))
            return None
        text = str(value).strip()
        if name == "feedback_on" and text in ("未反馈", "否", "无"):
            return None
        try:
            return parse_date(text, self.today, self.calendar).day
        except ShuoshiError:
            self.problem(name, "import_bad_date", value=text[:40])
            return None

    def choice(self, name: str, enum: Any, default: Any) -> Any:
        text = self.text(name)
        if text is None:
            return default
        try:
            return parse(enum, text, name)
        except ShuoshiError as error:
            self.problem(name, error.key, **error.params)
            return default

    def case(self, village: str) -> ImportedCase | None:
        title = self.text("title")
        if title is None and not self.failed:
            self.problem("title", "empty_field", field="title")
        received = self.day("received_on")
        if received is None and not self.failed:
            self.problem("received_on", "import_missing_received")
        phone_cell = self.cell("phone")
        phone = None
        if phone_cell is not None:
            if isinstance(phone_cell.value, int | float) and not isinstance(phone_cell.value, bool):
                self.problem("phone", "import_phone_number")
            else:
                try:
                    phone = clean_phone(str(phone_cell.value))
                except ShuoshiError:
                    self.problem("phone", "bad_phone")
        reporter = self.text("reporter")
        remarks = self.text("remarks") or ""
        anonymous_text = (self.text("anonymous") or "").lower()
        anonymous = anonymous_text in _YES or (not reporter and not phone and "匿名" in remarks)
        if anonymous_text and anonymous_text not in _YES | _NO:
            self.problem("anonymous", "import_bad_yes_no", value=anonymous_text[:10])
        if anonymous and (reporter or phone):
            self.problem("anonymous", "anonymous_with_reporter")
        state = self.text("state") or ""
        result = self.text("result")
        if "result" not in self.headings and state and not _is_state_summary(state):
            result = state  # a ledger with only 办理情况 writes the result there
        closed_on = self.day("closed_on")
        outcome = self.choice("outcome", Outcome, None)
        if outcome is None and "解释" in state:
            outcome = Outcome.EXPLAINED
        satisfaction = self._satisfaction()
        feedback_on = self.day("feedback_on")
        deadline = self.day("deadline")
        case_fields = {
            "detail": self.text("detail"),
            "kind": self.choice("kind", Kind, Kind.REQUEST),
            "category": self.text("category"),
            "channel": self.choice("channel", Channel, Channel.OTHER),
            "owner": self.text("owner"),
            "level": self.choice("level", Level, Level.VILLAGE),
        }
        if self.failed or title is None or received is None:
            return None
        if closed_on is None:
            if outcome not in (None, Outcome.PLANNED) or satisfaction or feedback_on:
                self.problem("closed_on", "import_closed_without_date")
            plan = state.split("：", 1)[1] if state.startswith("列入计划：") else None
            if outcome == Outcome.PLANNED and plan is None:
                plan = result or state or "列入计划"
        else:
            plan = None
            outcome = outcome or Outcome.RESOLVED
            if satisfaction is not None and feedback_on is None:
                feedback_on = closed_on
        if self.failed:
            return None
        source = self.text("source_id") or ""
        identity = "\x1f".join(
            [village, source, received.isoformat(), title, reporter or "", phone or ""]
        )
        item = ImportedCase(
            sheet=self.sheet,
            row=self.number,
            uid=str(uuid.uuid5(_NAMESPACE, identity)),
            title=title,
            received_on=received,
            reporter=None if anonymous else reporter,
            phone=None if anonymous else phone,
            anonymous=anonymous,
            deadline=deadline,
            plan=plan,
            closed_on=closed_on,
            outcome=outcome if closed_on is not None or outcome == Outcome.PLANNED else None,
            result=(result or ("（原台账未填写办理结果）" if closed_on else None)),
            feedback_on=feedback_on,
            satisfaction=satisfaction,
            **case_fields,  # type: ignore[arg-type]
        )
        try:
            # The row is what the clerk commands would have recorded: the same rules decide.
            register_past(item.past(), case_id=0, uid=item.uid, today=self.today, source="")
        except ShuoshiError as error:
            self.problem(error.field, error.key, **error.params)
            return None
        return item

    def _satisfaction(self) -> Satisfaction | None:
        text = self.text("satisfaction")
        if text is None:
            return None
        if text in ("是", "满意"):
            return Satisfaction.SATISFIED
        if text == "否":
            return Satisfaction.UNSATISFIED
        return self.choice("satisfaction", Satisfaction, None)  # type: ignore[no-any-return]
