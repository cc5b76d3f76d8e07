"""What a user sees of the command line itself: usage errors, metavars and ``--help``, in the
user's language.

Click, under Typer, speaks English: "Usage:", "No such option", "Missing argument 'CASE_ID'",
``TEXT`` for every value. A clerk at a village office reads Chinese, so every command and group is
one of our Click classes (``LedgerCommand``, ``LedgerGroup``): a usage error (exit 2) becomes a
``UsageProblem`` told in zh or en with a "did you mean", ``--help`` has its headings in the user's
language (and English help under ``--lang en``, from the tables at the end of this module), and
values show real metavars (``ID``, ``DATE``, ``[open|closed|...]``). The error boundary for what
a command does, as opposed to how it was typed, is ``app.command``.

This module must not import ``app`` at module level (``app`` imports it).
"""

import difflib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

# Typer's vendored Click, private, gathered here (app.py imports none of it): Typer exposes no
# public API for localising Click's usage errors (the exception classes to catch and retell as a
# UsageProblem) or for finding the running command's context outside a parameter callback.
from typer._click import exceptions as click_errors
from typer._click.globals import get_current_context
from typer.core import TyperCommand, TyperGroup

from shuoshi_cli.core import messages

# ---------------------------------------------------------------- the user's language


LANGS = ("zh", "en")


def normalise_lang(value: str | None) -> str | None:
    """``zh``, ``en``, ``zh_CN.UTF-8``, ``en-US`` -> zh or en; None for anything else."""
    text = (value or "").strip().lower()
    for lang in LANGS:
        if text == lang or text.startswith((f"{lang}-", f"{lang}_", f"{lang}.")):
            return lang
    return None


_ARGV = "shuoshi.argv"  # the program's own arguments, kept on the root context for ui_lang


def ui_lang(ctx: Any = None, args: list[str] | None = None) -> str:
    """The language of this invocation as far as it is known yet: ``--lang`` (parsed, or read off
    the raw arguments when parsing failed before it), else ``SHUOSHI_LANG``, else Chinese."""
    root = ctx.find_root() if ctx is not None else None
    value: str | None = root.params.get("lang") if root is not None else None
    if root is not None and not args:
        args = root.meta.get(_ARGV)
    if value is None and args:
        for index, word in enumerate(args):
            if word == "--lang" and index + 1 < len(args):
                value = args[index + 1]
            elif word.startswith("--lang="):
                value = word.removeprefix("--lang=")
    if value is None:
        value = os.environ.get("SHUOSHI_LANG")
    return normalise_lang(value) or "zh"


class UsageProblem(click_errors.UsageError):
    """A usage error (exit 2) shown in the user's language: usage line, help hint, one error line."""

    def __init__(self, key: str, ctx: Any = None, argv: list[str] | None = None, **params: Any):
        super().__init__(key, ctx)
        self.key = key
        self.params = params
        self.argv = argv

    def show(self, file: Any = None) -> None:
        lang = ui_lang(self.ctx, self.argv)
        lines = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage())
            hint = messages.text("usage_hint", lang, command=self.ctx.command_path)
            lines.append(hint)
        text = messages.error(self.key, self.params, lang)
        lines.append(("错误：" if lang == "zh" else "error: ") + text)
        from shuoshi_cli.cli.app import printable  # here: app imports this module

        typer.echo(printable("\n".join(lines)), err=True)


def usage_problem(error: Exception, ctx: Any, args: list[str] | None = None) -> Exception:
    """Click's English usage error as a UsageProblem; help shown for no arguments passes as is."""
    if isinstance(error, UsageProblem | click_errors.NoArgsIsHelpError):
        return error
    ctx = getattr(error, "ctx", None) or ctx
    message = str(getattr(error, "message", error))
    if isinstance(error, click_errors.NoSuchOption):
        problem = UsageProblem("usage_no_such_option", ctx, args, name=error.option_name)
        if error.possibilities:
            best = difflib.get_close_matches(error.option_name, error.possibilities, 1, 0)
            lang = ui_lang(ctx, args)
            said = messages.error(problem.key, problem.params, lang)
            return UsageProblem("usage_did_you_mean", ctx, args, problem=said, names=best[0])
        return problem
    if isinstance(error, click_errors.MissingParameter) and error.param is not None:
        if error.param.param_type_name == "argument":
            name = param_metavar(error.param) or str(error.param.name)
            return UsageProblem("usage_missing_argument", ctx, args, name=name)
        return UsageProblem("usage_missing_option", ctx, args, name=option_flag(error.param))
    if isinstance(error, click_errors.BadParameter) and error.param is not None:
        param = error.param
        if param.param_type_name == "argument":
            name = param_metavar(param) or str(param.name)
        else:
            name = option_flag(param)
        if param.name == "lang":
            return UsageProblem("usage_bad_lang", ctx, args, value=message)
        found = re.match(r"^'(.*)' is not a valid (int|integer)", message, re.S)
        if found:
            return UsageProblem("usage_not_a_number", ctx, args, name=name, value=found[1])
        return UsageProblem("usage_bad_value", ctx, args, name=name, detail=message)
    if isinstance(error, click_errors.BadOptionUsage):
        if "requires" in message:
            return UsageProblem("usage_needs_value", ctx, args, name=error.option_name)
        if "does not take a value" in message:
            return UsageProblem("usage_takes_no_value", ctx, args, name=error.option_name)
    if message.startswith("Got unexpected extra argument"):
        extra = message.removeprefix("Got unexpected extra argument(s) (").removesuffix(")")
        return UsageProblem("usage_extra_arguments", ctx, args, args=extra)
    if message.startswith("Missing command"):
        return UsageProblem("usage_missing_command", ctx, args)
    return UsageProblem("usage_other", ctx, args, detail=message)


# ---------------------------------------------------------------- help and metavars

_DATE_OPTIONS = ("--due", "--date", "--received", "--as-of", "--reply-by", "--reply-date")
_CHOICES = {
    "--status": "open|closed|overdue|void|all",
    "--kind": "request|suggestion|complaint|inquiry",
    "--channel": "talk|app|visit|phone|tourist|other",
    "--outcome": "resolved|explained",
    "--satisfaction": "satisfied|basic|unsatisfied",
    "--to": "village|township|county",
    "--level": "village|township|county",
    "--by": "village|township|category|channel|owner|level",
    "--lang": "zh|en",
}
_METAVARS = {
    "--month": "YYYY-MM",
    "--period": "PERIOD",
    "--known-by": "TIME",
    "--output": "FILE",
    "--db": "FILE",
    "--letters": "FOLDER",
    "--user": "NAME",
    "--owner": "NAME",
    "--reporter": "NAME",
    "--host": "NAME",
    "--sheet": "NAME",
    "--phone": "PHONE",
    "--session": "N",
    "--duplicate-of": "ID",
    "--due-within": "N",
    "--area-code": "CODE",
    "--letter": "NO",
}


def option_flag(param: Any) -> str:
    """An option's long name (``--output`` for ``-o/--output``)."""
    return max(param.opts, key=len) if param.opts else str(param.name)


def param_metavar(param: Any) -> str | None:
    """What ``--help`` and the usage line show for a value: ``ID``, ``DATE``, ``[a|b]``, ``TEXT``."""
    if param.param_type_name == "argument":
        name = param.metavar or ("ID" if param.name in ("case_id", "case_ref") else None)
        name = (name or str(param.name).upper()).removesuffix("...")
        return name + ("..." if param.nargs == -1 else "")
    if param.is_flag or param.count:
        return None
    flag = option_flag(param)
    if param.name in ("start", "end"):  # --from/--to of a period (escalate's --to is a level)
        return "DATE"
    if flag in _CHOICES:
        return f"[{_CHOICES[flag]}]"
    if flag in _DATE_OPTIONS:
        return "DATE"
    if flag in _METAVARS:
        return _METAVARS[flag]
    return "N" if param.type.name in ("int", "integer") else "TEXT"


def param_name(key: str) -> str:
    """How the running command's parameter ``key`` is typed: ``--channel`` for the option whose
    value is ``channel``; ``TITLE`` for an argument."""
    ctx = get_current_context(silent=True)
    for param in ctx.command.params if ctx is not None else []:
        if param.name == key:
            if param.param_type_name == "argument":
                return param_metavar(param) or key
            return option_flag(param)
    return key


def _set_metavars(params: list[Any]) -> None:
    for param in params:
        if param.param_type_name == "argument" or param.metavar is None:
            param.metavar = param_metavar(param)


def _usage_pieces(command: Any, ctx: Any) -> list[str]:
    pieces = [command.options_metavar] if command.options_metavar else []
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            name = param_metavar(param) or ""
            pieces.append(name if param.required else f"[{name}]")
    return pieces


def _command_key(ctx: Any) -> str:
    """``add``, ``session add``, or '' for the program itself."""
    return " ".join(ctx.command_path.split()[1:])


@contextmanager
def _english(command: Any, key: str) -> Iterator[None]:
    """Swap in the English help of a command, its parameters and (for a group) its commands."""
    saved: list[tuple[Any, str, Any]] = []

    def swap(thing: Any, attribute: str, text: str | None) -> None:
        if text is not None:
            saved.append((thing, attribute, getattr(thing, attribute)))
            setattr(thing, attribute, text)

    def swap_command(cmd: Any, path: str) -> None:
        swap(cmd, "help", english_command_help(path, cmd.help))
        for param in cmd.params:
            swap(param, "help", english_param_help(path, param))

    swap_command(command, key)
    for name, sub in getattr(command, "commands", {}).items():
        swap_command(sub, f"{key} {name}".strip())
    try:
        yield
    finally:
        for thing, attribute, value in reversed(saved):
            setattr(thing, attribute, value)


def _localised_help(text: str, lang: str) -> str:
    """Click's own words in the help (headings, [default: …]) in the user's language."""
    if lang == "en":
        return text
    words = {
        "Usage: ": messages.text("usage_prefix", lang),
        "Arguments:": messages.text("help_arguments", lang) + "：",
        "Options:": messages.text("help_options", lang) + "：",
        "Commands:": messages.text("help_commands", lang) + "：",
        "Show this message and exit.": messages.text("help_help", lang),
        "env var:": messages.text("help_env", lang) + "：",
        "default:": messages.text("help_default", lang) + "：",
        "[required]": "[" + messages.text("help_required", lang) + "]",
    }
    pattern = re.compile("(" + "|".join(re.escape(w) for w in words) + ") ?")
    return pattern.sub(lambda m: words[m[1]], text)


def _help(command: Any, ctx: Any, base: Callable[[Any], str]) -> str:
    lang = ui_lang(ctx)
    if lang == "en":
        with _english(command, _command_key(ctx)):
            return base(ctx)
    return _localised_help(base(ctx), lang)


def _format_usage(command: Any, ctx: Any, formatter: Any) -> None:
    prefix = messages.text("usage_prefix", ui_lang(ctx))
    formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)), prefix)


class LedgerCommand(TyperCommand):
    """A command that speaks the user's language for help and usage errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_metavars(self.params)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        seen = list(args)  # the parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click_errors.UsageError as error:
            raise usage_problem(error, ctx, seen) from None

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _usage_pieces(self, ctx)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _format_usage(self, ctx, formatter)

    def get_help(self, ctx: Any) -> str:
        return _help(self, ctx, super().get_help)


class LedgerGroup(TyperGroup):
    """The program and ``session``: the same, and "no such command" with a suggestion."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_metavars(self.params)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        seen = list(args)  # the parser consumes the list it is given
        if ctx.parent is None:
            ctx.meta[_ARGV] = seen  # so `--help --lang en` and `--lang en --bogus` are English
        try:
            return super().parse_args(ctx, args)
        except click_errors.UsageError as error:
            raise usage_problem(error, ctx, seen) from None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click_errors.UsageError as error:
            if not args or args[0].startswith("-"):
                raise usage_problem(error, ctx, args) from None
            problem = UsageProblem("usage_no_such_command", ctx, args, name=args[0])
            best = difflib.get_close_matches(args[0], list(self.commands), 1)
            if not best:
                raise problem from None
            said = messages.error(problem.key, problem.params, ui_lang(ctx, args))
            raise UsageProblem(
                "usage_did_you_mean", ctx, args, problem=said, names=best[0]
            ) from None

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [*_usage_pieces(self, ctx), self.subcommand_metavar]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _format_usage(self, ctx, formatter)

    def get_help(self, ctx: Any) -> str:
        return _help(self, ctx, super().get_help)


# ---------------------------------------------------------------- English help (--lang en)
# The Chinese help is each command's docstring and option help; these are their English
# counterparts. A command's example is taken from its Chinese docstring ("例：…").

COMMAND_HELP_EN = {
    "": "Village talk-point case ledger (群众说事台账): register, assign, close out, feed back, "
    "supervise.",
    "init": "Create this village's ledger file.",
    "add": "Register a matter a villager raised; prints the new case's ID.",
    "edit": "Correct what was registered for a case (the history keeps the old value and why).",
    "void": "Void a case registered by mistake or twice; it stays in the history.",
    "restore": "Restore a voided case.",
    "assign": "Name the lead owner and the deadline.",
    "note": "Record progress (a note never blocks back-dating a later step).",
    "plan": "Put a case into a plan (it cannot be finished now but is scheduled).",
    "escalate": "Hand a case up to the township or county; one handed back takes --to village.",
    "close": "Close out a case (销号).",
    "reopen": "Reopen a closed case (its result stays in the history), optionally with a new "
    "owner and deadline.",
    "feedback": "Record telling the villager the result, and their satisfaction.",
    "supervise": "Record a supervision letter (督办函), optionally with a new deadline (+3wd "
    "counts from the letter's date); with --reply, the village's reply to a letter already "
    "recorded (once per letter).",
    "letters": "List every supervision letter sent in the month (or up to --as-of) across the "
    "ledgers, with the village's reply or 未回复.",
    "erase-reporter": "Erase a reporter's name and phone at their request, also from the "
    "history (cannot be undone).",
    "list": "List cases (open ones by default), overdue first; find by person, phone or text.",
    "show": "Show everything about one case: its state, progress, plans, letters and history.",
    "history": "Show a case's history (who changed what, and when).",
    "session": "Talk sessions (说事活动): record and list them.",
    "session add": "Record a talk session; prints its number.",
    "session list": "List talk sessions with the matters raised at each: the --db ledger's "
    "(optionally over a period) or, with PATHS, every village's in the period (this month by "
    "default).",
    "overdue": "List every village's overdue open cases (longest overdue first) and this "
    "month's cases closed late.",
    "stats": "The figures: close-out, feedback, satisfaction and on-time rates (grouped by "
    "village, category …).",
    "export": "Export the month's Excel ledger: summary with charts, each village's cases, "
    "supervision list.",
    "template": "Write the Excel template for import (the usual Chinese headings, with notes).",
    "import": "Import cases from an existing Excel ledger: one problem and nothing is imported; "
    "importing again registers nothing twice.",
    "dump": "Dump the whole ledger as complete JSON (history, letters, talk sessions); load "
    "restores it exactly.",
    "load": "Create the --db ledger from a dump's JSON (never over an existing file).",
    "merge": "Bring into the --db ledger what a diverged copy of the same ledger recorded that "
    "it lacks (cases, entries, talk sessions, letters). The other copy is only read; merging "
    "again adds nothing; merging the other way round too leaves two copies that agree.",
    "backup": "Back up the ledger (a whole copy even while someone writes to it); prints the "
    "copy's SHA-256.",
    "check": "Check the ledger is whole and untouched (integrity, schema, foreign keys, history "
    "chain); silent when all is well.",
}

_PERIOD_COMMANDS = ("stats", "overdue", "export", "letters", "list", "session list")

PARAM_HELP_EN = {
    "--db": "ledger file",
    "--user": "who is working (recorded in the history)",
    "--lang": "language: zh (default) or en",
    "--version": "show the version",
    "--json": "print JSON",
    "--village": "village (村/社区)",
    "--township": "township (乡镇)",
    "--county": "county (县)",
    "--area-code": "12-digit statistical area code (optional)",
    "--categories": "this village's categories, comma-separated (default 基础设施,环境卫生,…)",
    "--title": "the matter",
    "--detail": "details",
    "--kind": "kind: request, suggestion, complaint, inquiry (诉求|意见建议|投诉举报|咨询)",
    "--category": "category, e.g. 基础设施",
    "--channel": "channel: talk, app, visit, phone, tourist, other (说事点|小程序|走访|来电|游客|其他)",
    "--reporter": "who raised it",
    "--phone": "contact phone",
    "--anonymous": "anonymous: no name or phone is kept",
    "--received": "day received (default today)",
    "--session": "talk session number",
    "--owner": "lead owner (领办责任人)",
    "--due": "deadline: 2026-12-01, 12月1日, +7d, +5wd, 5个工作日 …",
    "--date": "date (default today)",
    "--reason": "reason",
    "--duplicate-of": "the case this one repeats",
    "--to": "township or county; village to hand it back",
    "--outcome": "resolved (已解决) or explained (已解释说明)",
    "--result": "what was done",
    "--satisfaction": "satisfied (满意), basic (基本满意) or unsatisfied (不满意)",
    "--letter": "letter number, e.g. 宝督〔2026〕12号",
    "--reply": "the reply to the letter",
    "--reply-date": "date of the reply",
    "--status": "open, closed, overdue, void or all",
    "--month": "month, e.g. 2026-10 (default this month)",
    "--as-of": "as of a day, e.g. 2026-10-15",
    "--period": "period: a quarter 2026-Q4, a year 2026 (to date while it runs) or a month",
    "--from": "first day of a range of days (with --to)",
    "--known-by": "reproduce the report as it stood then: only what was recorded by this moment, "
    'e.g. 2026-11-02 (its end) or "2026-11-02 18:00"',
    **{f"{c} --to": "last day of the range (default today)" for c in _PERIOD_COMMANDS},
    "--search": "find text in title, detail, result, plan, notes, reporter and phone",
    "--due-within": "due soon: open cases due from today to then, e.g. 3wd, 5d, 1w",
    "--level": "level: village, township or county",
    "--letters": "write a supervision letter (.docx) into this folder for each village with "
    "cases overdue and still open (existing files are never replaced)",
    "--prefix": "letter number prefix, a template where township and year in braces stand for "
    "the township's name and the year (default: township name + 督〔year〕, each township its "
    "own series)",
    "--first": "number of the first letter (one township's letters only; default: after the "
    "highest number already used in the ledgers and the folder)",
    "--reply-by": "reply deadline (default 3 working days later)",
    "--by": "group by village, township, category, channel, owner or level",
    "--min-cases": "groups with fewer cases are not ranked",
    "--trend": "month by month: each month of the period with its own figures, and the "
    "close-out rate's trend",
    "--output": "output file",
    "--public": "public version: no phones or details, reporters as surname only, complaint "
    "and anonymous reporters left out",
    "--force": "replace an existing file of that name",
    "--csv": "export CSV (UTF-8 with BOM, opens directly in Excel)",
    "--yes": "confirm (cannot be undone)",
    "--dry-run": "check and preview only; write nothing",
    "--sheet": "import only this sheet",
    "--update": "update cases imported before",
    "--place": "talk point, e.g. 村文化礼堂",
    "--topic": "topic",
    "--host": "host",
    "ID": "case number: 4, #4 or 村名#4",
    "PATHS...": "ledger files or folders (folders are searched all the way down)",
    "add TITLE": "the matter; leave out to be asked field by field, - to read from standard input",
    "note TEXT": "progress",
    "plan TEXT": "the plan",
    "backup DEST": "copy to this file or folder",
    "import FILE": "the .xlsx ledger to import",
    "load FILE": "JSON written by dump (- for standard input)",
    "merge OTHER": "the other copy of this ledger",
    "list --owner": "only this owner",
    "list --category": "only this category",
    "list --month": "only the month's cases (carried over ones too), e.g. 2026-10",
    "list --period": "only the period's cases (carried over ones too): 2026-Q4 or 2026",
    "list --from": "only the cases of the range from this day (with --to)",
    "list --reporter": "only this reporter",
    "list --phone": "only this phone (spaces, dashes, full-width digits are fine)",
    "list --kind": "only this kind: request, suggestion, complaint, inquiry",
    "list --channel": "only this channel: talk, app, visit, phone, tourist, other",
    "list --level": "only this level: village, township, county",
    "escalate --owner": "new lead owner",
    "escalate --reason": "why it is handed up or back",
    "reopen --owner": "new lead owner",
    "reopen --reason": "why it is reopened",
    "edit --reason": "why it is corrected",
    "void --reason": "why it is voided",
    "restore --reason": "why it is restored",
    "session add --date": "the session's date (default today)",
    "edit --anonymous": "make it anonymous (name and phone removed) / named again",
    "edit --detail": 'details ("" clears them)',
    "edit --received": "day received",
    "feedback --correct": "correct the satisfaction already recorded (needs --reason)",
    "feedback --reason": "why it is corrected",
    "template --output": "template file, e.g. 模板.xlsx",
    "export --output": "the .xlsx file (default 台账-PERIOD.xlsx, e.g. 台账-2026-10.xlsx, 台账-2026-Q4.xlsx)",
    "dump --output": "write to this file (default: the screen)",
}


def english_command_help(key: str, chinese: str | None) -> str | None:
    """A command's English help with the example from its Chinese docstring; None if none."""
    text = COMMAND_HELP_EN.get(key)
    if text is None:
        return None
    examples = [
        line.strip().removeprefix("例：")
        for line in (chinese or "").splitlines()
        if line.strip().startswith("例：")
    ]
    said = messages.text("help_example", "en")
    return text + "".join(f"\n\n{said}{example}" for example in examples)


def english_param_help(key: str, param: Any) -> str | None:
    """A parameter's English help: this command's own words for it, else the common ones."""
    name = param_metavar(param) if param.param_type_name == "argument" else option_flag(param)
    if name is None and param.param_type_name == "option":
        name = option_flag(param)
    for candidate in (f"{key} {name}".strip(), name):
        if candidate in PARAM_HELP_EN:
            return PARAM_HELP_EN[candidate]
    return None
