"""Engines for SQLite and PostgreSQL, configured the way the store relies on.

SQLite: foreign keys on, WAL for files, and SQLAlchemy (not the sqlite3
module) emits BEGIN, so that a write transaction can take the write lock at
its start (`BEGIN IMMEDIATE`): two writers then queue instead of one of
them failing half-way, which is what keeps the log's chain single (LOG-1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

# The execution option that asks for a write transaction.
WRITE = "kanta_write"

SERVER_POOL = 40


def normalise_url(url: str | URL) -> URL:
    """Returns the URL with psycopg 3 as the PostgreSQL driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, **options: Any) -> Engine:
    """Returns an engine for the URL; `sqlite://` is one in-memory database."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        # As many kept connections as the API has worker threads (anyio's
        # 40): with SQLAlchemy's 5, a busy server closed and reopened
        # connections, each a new PostgreSQL backend, many times a second.
        # Connections are still opened only when that many are in use.
        if "poolclass" not in options:
            options.setdefault("pool_size", SERVER_POOL)
        return create_engine(parsed, **options)
    memory = parsed.database in (None, "", ":memory:")
    if memory:
        options.setdefault("poolclass", StaticPool)
        options.setdefault("connect_args", {"check_same_thread": False})
    else:
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        options.setdefault("connect_args", {"timeout": 30})
    engine = create_engine(parsed, **options)
    _configure_sqlite(engine, wal=not memory)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 module would BEGIN only before a write, and never as
        # IMMEDIATE; the "begin" hook below takes that over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if wal:
            # synchronous stays FULL: an answer waits for its log entry to be
            # durable (issue #3), which NORMAL would not promise in WAL.
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
