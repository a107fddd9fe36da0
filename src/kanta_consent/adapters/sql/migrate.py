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
from sqlalchemy import Connection, Engine, create_engine, inspect
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from kanta_consent.adapters.sql.engine import normalise_url
from kanta_consent.adapters.sql.tables import metadata


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
    EMPTY = "empty"  # no table at all
    CURRENT = "current"  # at the newest revision
    OTHER = "other"  # an older or unknown revision, or tables without one


@dataclass(frozen=True, slots=True)
class Schema:
    """A database's schema state and the revision it is at, if any."""

    state: SchemaState
    revision: str | None
    head: str


def head_revision() -> str:
    """Returns the newest revision of the migrations."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise LookupError("kanta_consent.migrations holds no revision")
    return head


def look_at_schema(url: str | URL) -> Schema:
    """Tells the database's schema state, writing nothing and creating no file.

    `make_engine` is not used: it makes a SQLite file's folder and switches
    the file to WAL, both writes.
    """
    parsed = normalise_url(url)
    head = head_revision()
    database = parsed.database or ""
    is_file = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if is_file and not Path(database).exists():
        return Schema(SchemaState.MISSING, None, head)
    engine = create_engine(parsed, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
            revision = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    if not tables:
        return Schema(SchemaState.EMPTY, None, head)
    state = SchemaState.CURRENT if revision == head else SchemaState.OTHER
    return Schema(state, revision, head)
