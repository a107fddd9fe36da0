"""Running the migrations of `kanta_consent.migrations` from code.

The database comes from the caller (an engine or a connection), never from
an alembic.ini, so the CLI, the service and the tests migrate alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.pool import NullPool

from kanta_consent.adapters.sql.engine import normalise_url
from kanta_consent.adapters.sql.tables import metadata

VERSION_TABLE = "alembic_version"
_REVISION = text(f"SELECT version_num FROM {VERSION_TABLE}")


def alembic_config(connection: Connection | None = None) -> Config:
    """Returns the Alembic configuration, with the connection to use."""
    config = Config()
    config.set_main_option("script_location", "kanta_consent:migrations")
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrades the database to `revision`, in one transaction."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrades the database to `revision`."""
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    """Returns the revision the database is at, or None when unmigrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def differences(engine: Engine) -> Iterable[Any]:
    """Returns how the database's schema differs from the models; empty when equal."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


class SchemaState(StrEnum):
    """Where a database stands against this version's migrations."""

    MISSING = "missing"  # a SQLite file that does not exist yet
    EMPTY = "empty"  # no table, or Alembic's alone with no revision in it
    CURRENT = "current"  # at the newest revision
    OLDER = "older"  # at an older revision, which `db upgrade` brings up
    UNKNOWN = "unknown"  # at a revision these migrations do not hold
    UNVERSIONED = "unversioned"  # tables, but no revision: not made by them


@dataclass(frozen=True, slots=True)
class Schema:
    """A database's schema state and the revision it is at, if any."""

    state: SchemaState
    revision: str | None
    head: str


def head_revision() -> str:
    """Returns the newest revision of the migrations."""
    return _head_of(_scripts())


def look_at_schema(url: str | URL) -> Schema:
    """Tells the database's schema state, writing nothing and creating no file.

    `make_engine` is not used: it makes a SQLite file's folder and switches
    the file to WAL, both writes. A database that cannot be reached raises
    SQLAlchemy's error, as `read_schema` does.
    """
    parsed = normalise_url(url)
    database = parsed.database or ""
    is_file = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if is_file and not Path(database).exists():
        return Schema(SchemaState.MISSING, None, head_revision())
    engine = create_engine(parsed, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return read_schema(connection)
    finally:
        engine.dispose()


def read_schema(connection: Connection) -> Schema:
    """Tells the schema state of the connection's database, writing nothing.

    A database with a revision costs one query, the one every operator
    command pays before it starts; only one without a revision is looked
    at further, to tell an empty database from tables made otherwise.
    """
    scripts = _scripts()
    head = _head_of(scripts)
    try:
        # Alembic's table read directly: its MigrationContext would first
        # look the table up in the catalogue, a second query.
        revision = connection.execute(_REVISION).scalar()
    except (OperationalError, ProgrammingError):
        # The query fails on SQLite and PostgreSQL alike when there is no
        # such table, and on PostgreSQL takes the transaction with it.
        connection.rollback()
        tables = set(inspect(connection).get_table_names())
        if VERSION_TABLE in tables:
            raise  # The table is there: the query failed for another reason.
        return _without_revision(tables, head)
    if revision is None:
        # Alembic's table without a row: downgraded to base.
        return _without_revision(set(inspect(connection).get_table_names()), head)
    return Schema(_state_of(scripts, revision, head), revision, head)


def _without_revision(tables: set[str], head: str) -> Schema:
    made = tables - {VERSION_TABLE}
    return Schema(SchemaState.UNVERSIONED if made else SchemaState.EMPTY, None, head)


def _state_of(scripts: ScriptDirectory, revision: str, head: str) -> SchemaState:
    if revision == head:
        return SchemaState.CURRENT
    known = {script.revision for script in scripts.walk_revisions()}
    return SchemaState.OLDER if revision in known else SchemaState.UNKNOWN


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def _head_of(scripts: ScriptDirectory) -> str:
    head = scripts.get_current_head()
    if head is None:
        raise LookupError("kanta_consent.migrations holds no revision")
    return head
