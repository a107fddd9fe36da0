"""The store the operator's commands work on, with logging set up for them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kanta_consent.adapters.sql import SqlStore
    from kanta_consent.settings import Settings


class SchemaNotCurrent(Exception):
    """A dry run on a database whose schema it may not migrate nor read."""


@contextmanager
def operator_store() -> Iterator[SqlStore]:
    """Yields the configured database's store, upgraded to the newest schema.

    Logging goes to standard error, masked (adapters/logging.py); Alembic's
    notes on each start are left out, its warnings kept.
    """
    from kanta_consent.bootstrap import build_store, upgrade_database

    settings = _configured()
    upgrade_database(settings)
    store = build_store(settings)
    try:
        yield store
    finally:
        store.engine.dispose()


@contextmanager
def dry_run_store() -> Iterator[tuple[SqlStore, str | None]]:
    """Yields a store to check rows against, writing nothing, and a note.

    A database at the newest schema is read as it is. One that does not
    exist yet, or has no table, is left so (no file made, no migration
    run): the rows are checked against an empty store in memory at the
    newest schema, which is what the import would find, and the note says
    so. An older schema cannot be read by this version's queries and a dry
    run may not migrate it: `SchemaNotCurrent` names the revisions.
    """
    from kanta_consent.adapters.sql.migrate import SchemaState, look_at_schema
    from kanta_consent.bootstrap import build_store

    settings = _configured()
    schema = look_at_schema(settings.database_url)
    if schema.state is SchemaState.OTHER:
        raise SchemaNotCurrent(
            f"the database is at schema revision {schema.revision or 'none'}, "
            f"not {schema.head}; a dry run migrates nothing, so it cannot check "
            "rows against it: run `kanta-consent db upgrade` first"
        )
    note = None
    if schema.state is SchemaState.CURRENT:
        store = build_store(settings)
    else:
        store = _empty_store()
        missing = schema.state is SchemaState.MISSING
        where = "file does not exist" if missing else "is empty"
        note = (
            f"note: the database {where} and was left so; the rows were "
            "checked against an empty store, as the import would find it"
        )
    try:
        yield store, note
    finally:
        store.engine.dispose()


def _empty_store() -> SqlStore:
    # Migrated rather than created from the models, so that it holds the
    # default calendar as a newly upgraded database does.
    from kanta_consent.adapters.sql import SqlStore, make_engine
    from kanta_consent.adapters.sql.migrate import upgrade

    store = SqlStore(make_engine("sqlite://"))
    upgrade(store.engine)
    return store


def _configured() -> Settings:
    from kanta_consent.adapters.logging import configure_logging
    from kanta_consent.settings import load_settings

    settings = load_settings()
    configure_logging(settings.log_format)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return settings
