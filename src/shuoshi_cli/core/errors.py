"""One error family for everything a user can get wrong.

The core raises a ``ShuoshiError`` carrying a message key and its parameters; the CLI boundary renders
it in the user's language as one line and exits 1. ``code`` is the machine-readable kind that
``--json`` prints (SPEC 6). Parameters must never hold a villager's personal data.
"""

from __future__ import annotations

from typing import Any


class ShuoshiError(Exception):
    """A problem with the request, the data or a file: exit code 1."""

    code = "bad_input"
    # Which field of a case the problem is with, where a caller needs to point at it (an import
    # names the spreadsheet column); never shown by itself.
    field: str | None = None

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class BadInput(ShuoshiError):
    code = "bad_input"


class BadDate(BadInput):
    code = "bad_input"


class NotFound(ShuoshiError):
    code = "not_found"


class WrongState(ShuoshiError):
    code = "wrong_state"


class NotALedger(ShuoshiError):
    code = "not_a_ledger"


class NewerFormat(ShuoshiError):
    code = "newer_format"


class Corrupt(ShuoshiError):
    code = "corrupt"


class Busy(ShuoshiError):
    code = "busy"


class IOFailure(ShuoshiError):
    code = "io"


class InternalError(ShuoshiError):
    """A bug, not the user's doing: shown as one line with where the log was written."""

    code = "internal"
