"""The schema check the operator's commands run first, on SQLite and PostgreSQL.

It writes nothing, and on a database at a revision it costs one query.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.exc import DatabaseError

from kanta_consent.adapters.sql import create_schema
from kanta_consent.adapters.sql.migrate import (
    Schema,
    SchemaState,
    downgrade,
    head_revision,
    look_at_schema,
    read_schema,
    upgrade,
)


def schema_of(engine: Engine) -> tuple[Schema, list[str]]:
    """The engine's database's schema, and the statements it took to tell."""
    statements: list[str] = []

    def record(*args: object) -> None:
        # The store's SQLite engine sends its own BEGIN (adapters/sql/
        # engine.py); a transaction's start is no query.
        if not str(args[2]).startswith("BEGIN"):
            statements.append(str(args[2]))

    with engine.connect() as connection:
        event.listen(connection, "before_cursor_execute", record)
        schema = read_schema(connection)
    return schema, statements


def test_a_database_at_the_newest_revision_is_current_after_one_query(
    engine: Engine,
) -> None:
    upgrade(engine)

    schema, statements = schema_of(engine)

    assert schema == Schema(SchemaState.CURRENT, head_revision(), head_revision())
    assert statements == ["SELECT version_num FROM alembic_version"]


def test_an_older_revision_is_older_after_one_query(engine: Engine) -> None:
    upgrade(engine, "0004")

    schema, statements = schema_of(engine)

    assert schema == Schema(SchemaState.OLDER, "0004", head_revision())
    assert len(statements) == 1


def test_a_revision_the_migrations_do_not_hold_is_unknown(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff0001'"))

    schema, _ = schema_of(engine)

    assert schema == Schema(SchemaState.UNKNOWN, "ffff0001", head_revision())


def test_an_empty_database_is_empty_and_stays_so(engine: Engine) -> None:
    schema, _ = schema_of(engine)

    assert schema == Schema(SchemaState.EMPTY, None, head_revision())
    assert inspect(engine).get_table_names() == []


def test_a_database_downgraded_to_base_is_empty(engine: Engine) -> None:
    upgrade(engine)
    downgrade(engine, "base")

    schema, _ = schema_of(engine)

    assert schema.state is SchemaState.EMPTY


def test_tables_made_from_the_models_without_a_revision_are_unversioned(
    engine: Engine,
) -> None:
    create_schema(engine)

    schema, _ = schema_of(engine)

    assert schema == Schema(SchemaState.UNVERSIONED, None, head_revision())


def test_look_at_schema_makes_no_sqlite_file_nor_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "var"

    schema = look_at_schema(f"sqlite:///{folder / 'store.db'}")

    assert schema.state is SchemaState.MISSING
    assert not folder.exists()


def test_look_at_schema_finds_an_empty_sqlite_file_empty_and_leaves_it_so(
    tmp_path: Path,
) -> None:
    file = tmp_path / "store.db"
    file.write_bytes(b"")

    schema = look_at_schema(f"sqlite:///{file}")

    assert schema.state is SchemaState.EMPTY
    assert file.read_bytes() == b""


def test_look_at_schema_raises_on_a_file_that_is_no_database_and_leaves_it(
    tmp_path: Path,
) -> None:
    file = tmp_path / "store.db"
    file.write_bytes(b"not a database\n")

    with pytest.raises(DatabaseError, match="file is not a database"):
        look_at_schema(f"sqlite:///{file}")

    assert file.read_bytes() == b"not a database\n"
