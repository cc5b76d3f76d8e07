"""Imports point down only (STYLE, "The shape we want"): cli -> formats -> store -> core.

Read from the source with ``ast`` rather than by importing, so a deferred import inside a function
(how heavy modules are kept off the start-up path) counts as much as one at the top of the file,
and relative imports are resolved like absolute ones. Each violation reads "path:line imports X"
so a failure says where to look.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "shuoshi_cli"
SRC = ROOT / "src" / PACKAGE

# Bottom to top; a module may import its own layer or a lower one.
LAYERS = ("core", "store", "formats", "cli")
RANK = {name: rank for rank, name in enumerate(LAYERS)}
# Outside the four layers: the package's own __init__ (just the version) sits with the core, the
# SQLModel classes beside the store that loads them, and __main__ above the cli it starts.
OTHER_RANK = {PACKAGE: RANK["core"], f"{PACKAGE}.models": RANK["store"], f"{PACKAGE}.__main__": 4}

MODELS = f"{PACKAGE}.models"
MODELS_USERS = {f"{PACKAGE}.store.dump"}
ORM = {"sqlmodel", "sqlalchemy", "pydantic"}
ORM_USERS = {MODELS, f"{PACKAGE}.store.dump"}
CORE_THIRD_PARTY = {"dateutil", "chinese_calendar"}
CORE_FORBIDDEN_STDLIB = {"sqlite3"}  # the core does no I/O; the store is the only SQL
STORE_FORBIDDEN = {"typer", "rich", "openpyxl", "docx"}  # screens and files belong above


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def rank_of(module: str) -> int | None:
    """The layer rank of one of our modules, None for a third-party or standard module."""
    if module in OTHER_RANK:
        return OTHER_RANK[module]
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) >= 2 and parts[1] in RANK:
        return RANK[parts[1]]
    if len(parts) >= 2 and f"{PACKAGE}.{parts[1]}" in OTHER_RANK:
        return OTHER_RANK[f"{PACKAGE}.{parts[1]}"]
    return OTHER_RANK[PACKAGE]  # an attribute of the package itself (__version__)


def is_our_module(dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    return (SRC / relative).with_suffix(".py").is_file() or (
        SRC / relative / "__init__.py"
    ).is_file()


def imported(module: str, is_package: bool, tree: ast.AST) -> list[tuple[int, str]]:
    """Every (line, module) the source imports, anywhere in it, relative ones made absolute.

    ``from a.b import c`` counts as importing ``a.b.c`` when ``c`` is one of our modules and as
    ``a.b`` otherwise; ``importlib.import_module("x")`` and ``__import__("x")`` with a literal
    name count too.
    """
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if source.split(".")[0] == PACKAGE and is_our_module(submodule):
                    found.append((node.lineno, submodule))
                else:
                    found.append((node.lineno, source))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (
                name in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                found.append((node.lineno, first.value))
    return sorted(set(found))


def violations(path: str, module: str, source: str, *, is_package: bool = False) -> list[str]:
    """What is wrong with the imports of one module, as "path:line imports X: why"."""
    own = rank_of(module)
    assert own is not None, module
    layer = module.split(".")[1] if module.count(".") else PACKAGE
    problems: list[str] = []
    for line, target in imported(module, is_package, ast.parse(source, filename=path)):
        top = target.split(".")[0]
        target_rank = rank_of(target)
        why = None
        if target_rank is not None and target_rank > own:
            why = "imports point down only (cli -> formats -> store -> core)"
        elif (target == MODELS or target.startswith(MODELS + ".")) and module not in MODELS_USERS:
            why = "only store/dump.py may import the SQLModel classes"
        elif top in ORM and module not in ORM_USERS:
            why = "only models.py and store/dump.py may import sqlmodel, sqlalchemy or pydantic"
        elif (
            layer == "core"
            and target_rank is None
            and (
                top in CORE_FORBIDDEN_STDLIB
                or (top not in sys.stdlib_module_names and top not in CORE_THIRD_PARTY)
            )
        ):
            why = "the core imports only the standard library (no sqlite3), dateutil, chinese_calendar"
        elif layer == "store" and top in STORE_FORBIDDEN:
            why = "the store does not draw screens or write workbooks"
        if why:
            problems.append(f"{path}:{line} imports {target}: {why}")
    return problems


MODULES = sorted(SRC.rglob("*.py"))


def test_every_layer_is_checked() -> None:
    """A wrong path would make the test below pass on nothing."""
    assert {module_name(p).split(".")[1] for p in MODULES if module_name(p).count(".")} >= set(
        LAYERS
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down_only(path: Path) -> None:
    found = violations(
        str(path.relative_to(ROOT)),
        module_name(path),
        path.read_text(encoding="utf-8"),
        is_package=path.name == "__init__.py",
    )
    assert not found, "\n".join(found)


def test_the_checker_catches_bad_imports() -> None:
    source = (
        "from __future__ import annotations\n"  # 1 standard library: fine
        "import re\n"  # 2 fine
        "from shuoshi_cli.core.errors import BadInput\n"  # 3 own layer: fine
        "import sqlite3\n"  # 4 I/O in the core
        "def f():\n"  # 5
        "    from ..store import read\n"  # 6 upward, relative, deferred
        "    from shuoshi_cli import models\n"  # 7 models outside store/dump.py
        "    import sqlalchemy.orm\n"  # 8 the ORM outside models.py
        "    from dateutil.relativedelta import relativedelta\n"  # 9 allowed third party
        "    import importlib; importlib.import_module('openpyxl')\n"  # 10 dynamic, third party
    )
    found = violations("src/shuoshi_cli/core/dates.py", "shuoshi_cli.core.dates", source)
    assert [v.split(": ")[0] for v in found] == [
        "src/shuoshi_cli/core/dates.py:4 imports sqlite3",
        "src/shuoshi_cli/core/dates.py:6 imports shuoshi_cli.store.read",
        "src/shuoshi_cli/core/dates.py:7 imports shuoshi_cli.models",
        "src/shuoshi_cli/core/dates.py:8 imports sqlalchemy.orm",
        "src/shuoshi_cli/core/dates.py:10 imports openpyxl",
    ]
    # The same imports are fine where they belong, except what the store may not touch.
    assert violations("src/shuoshi_cli/store/dump.py", "shuoshi_cli.store.dump", source) == [
        "src/shuoshi_cli/store/dump.py:10 imports openpyxl: "
        "the store does not draw screens or write workbooks"
    ]
