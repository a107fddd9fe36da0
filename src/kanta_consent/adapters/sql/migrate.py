"""Running the migrations of `kanta_consent.migrations` from code.

The database comes from the caller (an engine or a connection), never from
an alembic.ini, so the CLI, the service and the tests migrate alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine

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
