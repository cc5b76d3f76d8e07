"""The Typer application, its global options, and the one error boundary.

Commands are registered with ``@command(...)``: it wraps the function so that a ``ShuoshiError``
becomes one line on stderr (or ``{"error", "message"}`` with ``--json``) and exit 1, Ctrl-C exit 130,
an OS error one line in the user's language, a closed pipe (``| head``) a quiet exit 0, and anything
unexpected a short line plus a log file, never a traceback or a villager's data. Bytes that are not
UTF-8 in any argument or option are refused here, once, for every command.

Every command and group is one of the Click classes of usage.py (``LedgerCommand``,
``LedgerGroup``), which speak the user's language for usage errors (exit 2) and ``--help``.
Heavy modules (openpyxl, python-docx, SQLModel for dump/load) are imported inside the commands that
need them, so ``--help`` and the clerk's commands stay fast.
"""

import functools
import getpass
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from shuoshi_cli import __version__

# The two "X as X" imports are re-exports: tests/test_language.py imports them from here.
from shuoshi_cli.cli.usage import COMMAND_HELP_EN as COMMAND_HELP_EN
from shuoshi_cli.cli.usage import (
    LedgerCommand,
    LedgerGroup,
    UsageProblem,
    normalise_lang,
    param_name,
)
from shuoshi_cli.cli.usage import english_param_help as english_param_help
from shuoshi_cli.core import messages
from shuoshi_cli.core.errors import BadInput, InternalError, IOFailure, ShuoshiError

if TYPE_CHECKING:
    from shuoshi_cli.core.dates import Meaning


app = typer.Typer(
    name="shuoshi",
    help="群众说事台账：登记、指派、销号、反馈、督办。A case ledger for village talk points.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: no rich import, and no box drawing on GBK consoles
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=LedgerGroup,
)
session_app = typer.Typer(
    help="说事活动（talk sessions）：登记和查看。", no_args_is_help=True, cls=LedgerGroup
)
app.add_typer(session_app, name="session")


@dataclass
class Settings:
    """The global options of one invocation."""

    db: Path = Path("shuoshi.db")
    db_text: str = "shuoshi.db"  # as typed: a trailing "/" says it names a folder
    user: str = ""
    lang: str = "zh"
    notes: list[str] = field(default_factory=list)
    _calendar: Any = field(default=None, repr=False)


STATE = Settings()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some Windows setups
        return "unknown"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"shuoshi {__version__}")
        raise typer.Exit()


def _lang_option(ctx: typer.Context, value: str) -> str:
    lang = normalise_lang(value)
    if lang is None:
        raise UsageProblem("usage_bad_lang", ctx, value=value)
    return lang


@app.callback()
def main_options(
    # A plain str: a Path-typed option makes Typer import pydantic, doubling start-up time.
    db: Annotated[
        str,
        typer.Option("--db", envvar="SHUOSHI_DB", help="台账文件 (ledger file)", show_default=True),
    ] = "shuoshi.db",
    user: Annotated[
        str | None,
        typer.Option(
            "--user", envvar="SHUOSHI_USER", help="操作人，记入办理记录 (who, for history)"
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            envvar="SHUOSHI_LANG",
            help="界面语言 zh | en (language)",
            callback=_lang_option,
            is_eager=True,  # before --help, so help follows it
        ),
    ] = "zh",
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="版本 (version)")
    ] = False,
) -> None:
    """群众说事台账 shuoshi。

    例：shuoshi --db 石境村.db list"""
    STATE.db = Path(db)
    STATE.db_text = db
    STATE.user = (user or "").strip() or _os_user()
    STATE.lang = normalise_lang(lang) or "zh"
    STATE._calendar = None


JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON (print JSON)")]

F = TypeVar("F", bound=Callable[..., Any])


# Commands that never open the --db ledger (the sweeps take PATHS; template writes a file).
_NO_LEDGER = frozenset({"overdue", "stats", "export", "template", "letters"})


def command(group: typer.Typer, name: str) -> Callable[[F], F]:
    """Register a command behind the error boundary."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            as_json = bool(kwargs.get("json"))
            STATE.notes.clear()
            try:
                _check_input(name, kwargs)
                result = function(*args, **kwargs)
                flush_notes()
                return result
            except ShuoshiError as error:
                fail(error, as_json)
            except (typer.Exit, typer.Abort, KeyboardInterrupt):
                raise
            except BrokenPipeError:
                pipe_closed()
            except OSError as error:
                fail(os_failure(error), as_json)
            except Exception as error:  # noqa: BLE001 - the boundary of last resort
                internal_error(error, as_json)

        group.command(name, cls=LedgerCommand)(wrapper)
        return function

    return decorate


_NOT_TEXT = re.compile("[\ud800-\udfff]")  # how Python carries bytes that are not UTF-8


def not_utf8(text: str) -> bool:
    """Whether text came from bytes that are not UTF-8 (argv, environment, a surrogate-escaped
    stream): Python keeps each such byte as a lone surrogate."""
    return bool(_NOT_TEXT.search(text))


def _check_input(name: str, values: dict[str, Any]) -> None:
    """Refuse, once for every command, what cannot be right whatever the command: an argument or
    option that is not UTF-8 (a GBK terminal), or a --db that names a folder."""
    if not_utf8(STATE.db_text):
        raise BadInput("not_utf8", option="--db")
    if not_utf8(STATE.user):
        raise BadInput("not_utf8", option="--user")
    for key, value in values.items():
        texts = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(text, str) and not_utf8(text) for text in texts):
            raise BadInput("not_utf8", option=param_name(key))
    separators = tuple(s for s in (os.sep, os.altsep, "/") if s)
    if name not in _NO_LEDGER and STATE.db_text.endswith(separators):
        raise BadInput("db_is_folder", path=STATE.db_text)


def pipe_closed() -> None:
    """The reader went away (``| head``): stop quietly, exit 0, and let nothing more be written."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file (tests)
    raise typer.Exit(0)


def os_failure(error: OSError) -> IOFailure:
    """An operating-system error met anywhere: one line, its reason in the user's language."""
    path = error.filename if error.filename is not None else ""
    return IOFailure(
        "os_error",
        path=os.fsdecode(path) if isinstance(path, str | bytes) else str(path),
        reason=error.strerror or type(error).__name__,
        errno=error.errno,
    )


def printable(text: str) -> str:
    """Text that any UTF-8 stream can take: a byte that was not UTF-8 becomes U+FFFD."""
    if not not_utf8(text):
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def fail(error: ShuoshiError, as_json: bool) -> None:
    """One line for the user, exit 1."""
    from shuoshi_cli.formats.render import dumps, error_params

    params = _os_reason(dict(error.params), STATE.lang)
    text = printable(messages.error(error.key, error_params(params, STATE.lang), STATE.lang))
    if as_json:
        sys.stdout.write(dumps({"error": error.code, "message": text}) + "\n")
    else:
        typer.echo(_prefix() + text, err=True)
    raise typer.Exit(1)


def _os_reason(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """An OS error's reason (``errno``) in the user's language, where we have words for it."""
    number = params.pop("errno", None)
    if isinstance(number, int):
        import errno

        key = "errno_" + errno.errorcode.get(number, "")
        if key in messages.TEXT:
            params["reason"] = messages.text(key, lang)
    return params


def _prefix() -> str:
    return "错误：" if STATE.lang == "zh" else "error: "


def internal_error(error: BaseException, as_json: bool) -> None:
    """Log the traceback to a file (no local variables); show only where it is."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    log = Path(tempfile.gettempdir()) / f"shuoshi-error-{stamp}-{os.getpid()}.log"
    try:
        log.write_text(
            f"shuoshi {__version__} {sys.argv[1:2]}\n" + "".join(traceback.format_exception(error)),
            encoding="utf-8",
            errors="backslashreplace",  # an argument that was not UTF-8
        )
    except OSError:
        log = Path("(none)")
    fail(InternalError("internal_error", kind=type(error).__name__, log=str(log)), as_json)


# ---------------------------------------------------------------- shared helpers


def today() -> date:
    """Today, or ``SHUOSHI_TODAY`` for entering past paper records and for tests.

    A ``SHUOSHI_TODAY`` later than the computer's date is noted on stderr: records dated in the
    future are easily made by a forgotten variable.
    """
    value = os.environ.get("SHUOSHI_TODAY", "").strip()
    if not value:
        return date.today()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadInput("bad_today", value=value) from None
    clock = date.today()
    if day > clock:
        note(
            messages.text(
                "today_after_clock", STATE.lang, today=day.isoformat(), clock=clock.isoformat()
            )
        )
    return day


def calendar() -> Any:
    """The working-day calendar: official data, overridden by the user's holiday file if any."""
    from shuoshi_cli.core.workdays import WorkCalendar, parse_calendar_file

    if STATE._calendar is not None:
        return STATE._calendar
    path_text = os.environ.get("SHUOSHI_CALENDAR", "").strip()
    path = Path(path_text) if path_text else Path.home() / ".shuoshi" / "calendar.txt"
    years = {}
    if path_text or path.exists():
        try:
            years = parse_calendar_file(path.read_text(encoding="utf-8-sig").splitlines())
        except UnicodeDecodeError:
            raise BadInput("file_not_utf8", path=str(path)) from None
        except OSError as error:
            reason = _os_reason({"errno": error.errno}, STATE.lang).get("reason")
            raise BadInput(
                "calendar_unreadable", path=str(path), reason=reason or error.strerror
            ) from None
    STATE._calendar = WorkCalendar(user_years=years)
    return STATE._calendar


def parse_day(
    text: str | None, *, meaning: "Meaning" = "nearest", received: date | None = None
) -> Any:
    """A date option, with a stderr note when working days had to be counted Monday-Friday.

    ``meaning`` says what a date typed without a year is for (core/dates.py): ``happened``
    (received, closed, ``--date``: the latest such day not after today) or ``deadline`` (the first
    one on or after ``received``, default today); else the nearest to today.
    """
    from shuoshi_cli.core.dates import parse_date

    if text is None:
        return None
    parsed = parse_date(text, today(), calendar(), meaning=meaning, received=received)
    if parsed.missing_years:
        years = "、".join(str(y) for y in sorted(parsed.missing_years))
        note(messages.text("weekday_calendar", STATE.lang, years=years))
    return parsed


def note(text: str) -> None:
    """A side remark for stderr (never stdout, which scripts read), shown once the command succeeded.

    A refused command shows only its one error line.
    """
    if text not in STATE.notes:
        STATE.notes.append(text)


def flush_notes() -> None:
    for text in STATE.notes:
        typer.echo(text, err=True)
    STATE.notes.clear()


def main() -> None:
    """Console-script entry point."""
    _utf8_when_redirected()
    try:
        (_just_the_command(sys.argv[1:]) or app)()
        code: Any = 0
    except SystemExit as done:
        code = done.code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = 0
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
    if type(sys.stdout).__name__ == "PacifyFlushWrapper":
        code = 0  # Click met a closed pipe while writing help: as quiet as ours
    sys.exit(code)


_VALUED = ("--db", "--user", "--lang")


def _just_the_command(argv: list[str]) -> typer.Typer | None:
    """An app holding only the command being run, so Typer does not build all 25 (~50 ms).

    Anything unusual (top-level help, --version, an unknown name) gets the full app and its
    ordinary messages.
    """
    index = 0
    while index < len(argv):
        word = argv[index]
        if word in _VALUED:
            index += 2
        elif word.startswith(tuple(f"{v}=" for v in _VALUED)):
            index += 1
        elif word.startswith("-"):
            return None
        else:
            break
    else:
        return None
    name = argv[index]
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return None
    only = typer.Typer(
        name="shuoshi",
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        cls=LedgerGroup,
    )
    only.callback()(main_options)
    only.registered_commands = commands
    only.registered_groups = groups
    return only


def _utf8_when_redirected() -> None:
    """Output written to a file or a pipe is UTF-8 (SPEC: plain UTF-8 JSON), whatever the locale.

    A Windows machine set to GBK would otherwise fail on the first emoji in a villager's title.
    A real console keeps its own encoding (Windows writes it as UTF-16 either way).
    """
    for stream in (sys.stdout, sys.stderr):
        if not stream.isatty() and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
