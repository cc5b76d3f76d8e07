"""The command line: Typer only. Importing this must not load SQLModel, SQLAlchemy or openpyxl."""

from shuoshi_cli.cli import cases, merge, month, reports, safety, sessions, supervision, transfer  # noqa: F401 - registers the commands
from shuoshi_cli.cli.app import app, main

__all__ = ["app", "main"]
