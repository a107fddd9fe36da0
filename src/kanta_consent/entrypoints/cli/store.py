"""The store the operator's commands work on, with logging set up for them.

Every command but `db upgrade` and `serve` only looks at the database's
schema, and never migrates it: one that cannot be opened, or is not at
this version's newest revision, ends the command before anything is read
or written, with one line on standard error saying which database and
what to do, and exit code 2 (a usage error, as click's own are).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from kanta_consent.adapters.sql import SqlStore
    from kanta_consent.adapters.sql.migrate import Schema
    from kanta_consent.settings import Settings

VARIABLE = "KANTA_CONSENT_DATABASE_URL"
UPGRADE = "`kanta-consent db upgrade`"


@contextmanager
def operator_store() -> Iterator[SqlStore]:
    """Yields the configured database's store, once seen at the newest schema.

    Logging goes to standard error, masked (adapters/logging.py).
    """
    url = database_url(_configured())
    store = _current_store(url)
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
    newest schema, which is what the import would find once the database
    is upgraded, and the note says so. Any other database is refused as
    `operator_store` refuses it.
    """
    from kanta_consent.adapters.sql import SqlStore, make_engine
    from kanta_consent.adapters.sql.migrate import SchemaState, look_at_schema

    url = database_url(_configured())
    with refused_unless_reachable(url):
        schema = look_at_schema(url)
    if schema.state not in (SchemaState.MISSING, SchemaState.EMPTY):
        refuse_unless_current(url, schema)
    note = None
    if schema.state is SchemaState.CURRENT:
        store = SqlStore(make_engine(url))
    else:
        store = _empty_store()
        missing = schema.state is SchemaState.MISSING
        where = "file does not exist" if missing else "is empty"
        note = (
            f"note: the database {where} and was left so; the rows were "
            "checked against an empty store, as the import would find it "
            f"after {UPGRADE}"
        )
    try:
        yield store, note
    finally:
        store.engine.dispose()


def database_url(settings: Settings) -> URL:
    """Returns the configured database's URL, or ends the command saying why."""
    from sqlalchemy.exc import ArgumentError

    from kanta_consent.adapters.sql.engine import normalise_url

    try:
        return normalise_url(settings.database_url)
    except ArgumentError:
        # The text is not shown: unparsed, a password in it cannot be masked.
        refuse(
            f"{VARIABLE} is not a database URL; write it as "
            "sqlite:////path/to/file.db or postgresql+psycopg://user@host/database"
        )


@contextmanager
def refused_unless_reachable(url: URL) -> Iterator[None]:
    """Ends the command, naming the database, when the block cannot open it."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    try:
        yield
    except NoSuchModuleError:
        refuse(_unreachable(url, f"no database driver is named {url.drivername}"))
    except ImportError as error:
        refuse(_unreachable(url, f"its driver {error.name} is not installed"))
    except DBAPIError as error:
        server = url.get_backend_name() != "sqlite"
        reason = _reason(url, error.orig or error)
        refuse(_unreachable(url, reason, server=server))
    except ArgumentError as error:
        refuse(_unreachable(url, _reason(url, error)))
    except OSError as error:
        # `db upgrade` making a SQLite file's folder where it may not.
        refuse(_unreachable(url, f"{error.strerror}: {error.filename}"))


def refuse_unless_current(url: URL, schema: Schema) -> None:
    """Ends the command, saying what to do, unless the schema is the newest."""
    from kanta_consent.adapters.sql.migrate import SchemaState

    shown = shown_url(url)
    match schema.state:
        case SchemaState.CURRENT:
            return
        case SchemaState.MISSING:
            refuse(
                f"the database {shown} does not exist{_file_of(url)}: "
                f"check {VARIABLE}, or make it with {UPGRADE}"
            )
        case SchemaState.EMPTY:
            refuse(f"the database {shown} has no tables: run {UPGRADE} first")
        case SchemaState.OLDER:
            refuse(
                f"the database {shown} is at schema revision {schema.revision}, "
                f"this version needs {schema.head}: run {UPGRADE} first"
            )
        case SchemaState.UNKNOWN:
            refuse(
                f"the database {shown} is at schema revision {schema.revision}, "
                f"which this version does not know (its newest is {schema.head}): "
                "a newer kanta-consent has upgraded it; use that version"
            )
        case SchemaState.UNVERSIONED:
            refuse(
                f"the database {shown} holds tables but no schema revision, so "
                f"{UPGRADE} did not make it: check {VARIABLE}"
            )


def refuse(message: str) -> NoReturn:
    """Ends the command with exit code 2, the message on standard error."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def shown_url(url: URL) -> str:
    """Returns the URL as an operator may read it: any password masked."""
    # libpq also takes a password from the query string.
    query = {
        key: "***" if "password" in key.lower() else value
        for key, value in url.query.items()
    }
    shown = url.set(query=query).render_as_string(hide_password=True)
    return shown.replace("%2A%2A%2A", "***")


def _current_store(url: URL) -> SqlStore:
    from kanta_consent.adapters.sql import SqlStore, make_engine
    from kanta_consent.adapters.sql.migrate import look_at_schema, read_schema

    if url.get_backend_name() == "sqlite":
        # Looked at on a connection of its own, which costs next to nothing:
        # the store's would make the file's folder and switch it to WAL.
        with refused_unless_reachable(url):
            schema = look_at_schema(url)
        refuse_unless_current(url, schema)
        return SqlStore(make_engine(url))
    # Looked at through the store's own pool: one query, on the connection
    # the command then goes on with, instead of a server connection more.
    with refused_unless_reachable(url):
        engine = make_engine(url)
    try:
        with refused_unless_reachable(url), engine.connect() as connection:
            schema = read_schema(connection)
        refuse_unless_current(url, schema)
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(engine)


def _file_of(url: URL) -> str:
    # A relative file is found from the current folder (README): name it.
    path = Path(url.database or "")
    return "" if path.is_absolute() else f" (no file {path.absolute()})"


def _unreachable(url: URL, reason: str, *, server: bool = False) -> str:
    running = " and that its server runs" if server else ""
    return (
        f"the database {shown_url(url)} cannot be opened ({reason}): "
        f"check {VARIABLE}{running}"
    )


def _reason(url: URL, error: BaseException) -> str:
    # A driver's message may run over lines (libpq adds a hint); the first
    # says what failed. A password, if a message ever quoted one, is masked.
    lines = str(error).strip().splitlines()
    reason = lines[0].strip() if lines else type(error).__name__
    return reason.replace(url.password, "***") if url.password else reason


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
