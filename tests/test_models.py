"""models.py describes the file the migrations build, exactly, both ways.

The migrations are the truth (plain SQL, frozen); the SQLModel classes are the typed description
``load`` validates dumps with. Each side is reduced to the same plain shape (tables; per table the
columns in order, their SQLite types, NOT NULL, the primary key, foreign keys and indexes) and the
two shapes must be equal, so a difference either way fails.
"""

from __future__ import annotations

import sqlite3
import types
from datetime import date
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import SQLModel

import shuoshi_cli.models  # noqa: F401  (declares the tables on SQLModel.metadata)
from shuoshi_cli.store.migrations import MIGRATIONS

SQL_TYPES = {str: "TEXT", int: "INTEGER", date: "DATE", bool: "BOOLEAN"}
Shape = dict[str, dict[str, Any]]


def built_by_migrations(path: Path) -> sqlite3.Connection:
    """A blank file taken through every migration, as ``init`` and ``load`` do."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN")
    for step in MIGRATIONS:
        step(connection.execute)
    connection.execute("COMMIT")
    return connection


def file_shape(connection: sqlite3.Connection) -> Shape:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    shape: Shape = {}
    for table in tables:
        info = connection.execute(f"PRAGMA table_info({table})").fetchall()
        indexes: dict[Any, tuple[tuple[str, ...], bool]] = {}
        for _, name, unique, origin, _ in connection.execute(f"PRAGMA index_list({table})"):
            if origin == "pk":
                continue  # the primary key, compared below
            columns = tuple(
                column for _, _, column in connection.execute(f"PRAGMA index_info({name})")
            )
            # A UNIQUE column gets an automatic index, sqlite_autoindex_<table>_<n>: its number
            # follows the CREATE TABLE text, so it is known by its columns, not its name.
            key = ("unique", columns) if origin == "u" else name
            indexes[key] = (columns, bool(unique))
        shape[table] = {
            "columns": [row[1] for row in info],
            "types": {row[1]: row[2].upper() for row in info},
            "not null": {row[1]: bool(row[3]) for row in info},
            "primary key": [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]],
            "foreign keys": sorted(
                (row[3], row[2], row[4])
                for row in connection.execute(f"PRAGMA foreign_key_list({table})")
            ),
            "indexes": indexes,
        }
    return shape


def _python_type(annotation: Any) -> type:
    """``int | None`` -> int."""
    if get_origin(annotation) in (Union, types.UnionType):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return _python_type(inner)
    assert isinstance(annotation, type), annotation
    return annotation


def models_shape() -> Shape:
    models = {m.__tablename__: m for m in SQLModel.__subclasses__() if hasattr(m, "__table__")}
    assert set(models) == set(SQLModel.metadata.tables)  # every table has its class
    shape: Shape = {}
    for name, table in SQLModel.metadata.tables.items():
        fields = models[name].model_fields
        assert list(fields) == [c.name for c in table.columns], name
        indexes: dict[Any, tuple[tuple[str, ...], bool]] = {}
        for index in table.indexes:
            assert isinstance(index, Index)
            indexes[index.name] = (tuple(c.name for c in index.columns), bool(index.unique))
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                columns = tuple(c.name for c in constraint.columns)
                indexes["unique", columns] = (columns, True)
        shape[name] = {
            "columns": [c.name for c in table.columns],
            "types": {f: SQL_TYPES[_python_type(fields[f].annotation)] for f in fields},
            "not null": {c.name: not c.nullable for c in table.columns},
            "primary key": [c.name for c in table.primary_key.columns],
            "foreign keys": sorted(
                (fk.parent.name, fk.column.table.name, fk.column.name) for fk in table.foreign_keys
            ),
            "indexes": indexes,
        }
    return shape


def test_schema_built_by_migrations_matches_the_models(tmp_path: Path) -> None:
    connection = built_by_migrations(tmp_path / "a.db")
    try:
        built = file_shape(connection)
    finally:
        connection.close()
    described = models_shape()
    assert set(built) == set(described)  # the same tables, no more on either side
    for table, shape in built.items():
        for aspect, value in shape.items():
            assert value == described[table][aspect], (table, aspect)
    # The comparison sees what matters: the uid's UNIQUE is SQLite's automatic index.
    con = sqlite3.connect(tmp_path / "a.db")
    try:
        assert [r[1] for r in con.execute("PRAGMA index_list(cases)") if r[3] == "u"] == [
            "sqlite_autoindex_cases_1"
        ]
    finally:
        con.close()


# Each edit makes the file differ from the models in one respect; the comparison must notice.
DRIFT: dict[str, tuple[str, str] | None] = {
    "nothing": None,  # the file rebuilt from its own CREATE statements still matches
    "table": ("", "CREATE TABLE extra (x TEXT)"),
    "column order": ("place TEXT,\n            topic TEXT", "topic TEXT,\n            place TEXT"),
    "column": ("plan TEXT", "plan TEXT, plan2 TEXT"),
    "type": ("held_on DATE NOT NULL", "held_on TEXT NOT NULL"),
    "not null": ("detail TEXT", "detail TEXT NOT NULL"),
    "primary key order": ("PRIMARY KEY (case_id, since)", "PRIMARY KEY (since, case_id)"),
    "foreign key": ("session INTEGER REFERENCES sessions (id)", "session INTEGER"),
    "unique": ("uid TEXT NOT NULL UNIQUE", "uid TEXT NOT NULL"),
    "index columns": ("ON history (effective, case_id)", "ON history (effective)"),
    "index name": ("ix_supervisions_case ON", "ix_supervision_case ON"),
    "index unique": ("CREATE INDEX ix_cases_received_on", "CREATE UNIQUE INDEX ix_cases_received_on"),
}  # fmt: skip


@pytest.mark.parametrize("aspect", DRIFT)
def test_a_drift_in_any_respect_is_seen(tmp_path: Path, aspect: str) -> None:
    original = built_by_migrations(tmp_path / "a.db")
    statements = [
        sql
        for (sql,) in original.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        )
    ]
    original.close()
    drift = DRIFT[aspect]
    if drift and drift[0]:
        old, new = drift
        assert sum(old in s for s in statements) == 1, aspect
        statements = [s.replace(old, new) for s in statements]
    elif drift:
        statements.append(drift[1])
    drifted = sqlite3.connect(tmp_path / "b.db")
    try:
        for sql in statements:
            drifted.execute(sql)
        assert (file_shape(drifted) == models_shape()) is (drift is None)
    finally:
        drifted.close()
