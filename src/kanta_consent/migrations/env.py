"""Alembic's environment: runs migrations on the connection it is given.

`kanta_consent.adapters.sql.migrate` passes an open connection in
`config.attributes["connection"]`, or a URL in `config.attributes["url"]`;
no alembic.ini names a database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kanta_consent.adapters.sql.engine import make_engine
from kanta_consent.adapters.sql.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters a table by copying it; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    attributes = context.config.attributes
    connection: Connection | None = attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(attributes["url"])
    try:
        with engine.connect() as opened:
            _run(opened)
    finally:
        engine.dispose()


_main()
