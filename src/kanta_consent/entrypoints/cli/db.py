"""`kanta-consent db ...`: the database's schema."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="The database (KANTA_CONSENT_DATABASE_URL).", no_args_is_help=True
)


@app.command("upgrade")
def upgrade() -> None:
    """Bring the database to the newest schema, with the default calendar."""
    from kanta_consent.adapters.sql.migrate import current_revision
    from kanta_consent.bootstrap import build_engine, upgrade_database

    upgrade_database()
    engine = build_engine()
    try:
        typer.echo(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()
