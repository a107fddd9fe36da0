"""`kanta-consent db ...`: the database's schema."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL

app = typer.Typer(
    help="The database (KANTA_CONSENT_DATABASE_URL).", no_args_is_help=True
)


@app.command("upgrade")
def upgrade() -> None:
    """Bring the database to the newest schema, with the default calendar."""
    from kanta_consent.adapters.sql import make_engine
    from kanta_consent.adapters.sql.migrate import current_revision
    from kanta_consent.adapters.sql.migrate import upgrade as migrate
    from kanta_consent.entrypoints.cli.store import (
        database_url,
        refused_unless_reachable,
    )
    from kanta_consent.settings import load_settings

    url = database_url(load_settings())
    with refused_unless_reachable(url):
        # Unlike the other commands', this makes a SQLite file and its folder.
        engine = make_engine(url)
    try:
        with refused_unless_reachable(url):
            _refuse_unless_upgradable(url, engine)
            migrate(engine)
            revision = current_revision(engine)
    finally:
        engine.dispose()
    typer.echo(f"database at revision {revision}")


def _refuse_unless_upgradable(url: URL, engine: Engine) -> None:
    # A newer version's revision, or tables the migrations did not make,
    # would fail half-way through Alembic with a traceback.
    from kanta_consent.adapters.sql.migrate import SchemaState, read_schema
    from kanta_consent.entrypoints.cli.store import refuse_unless_current

    with engine.connect() as connection:
        schema = read_schema(connection)
    if schema.state in (SchemaState.UNKNOWN, SchemaState.UNVERSIONED):
        refuse_unless_current(url, schema)
