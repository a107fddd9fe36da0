"""What the decision routes read and log, on the API's event loop.

The decision routes run on the event loop and await every read and write, so
that the loop answers other requests while the database works. On
PostgreSQL:

- A group's reads (the single queries that arrived together, ReadGroups)
  are one prepared statement, on an asynchronous connection kept for them:
  the events and the people's choices in one round trip. Its statement
  timeout bounds how long a stalled database can keep them waiting. Before,
  a single query's read blocked the loop for its round trip, which under
  load held the loop idle for a third of its time.
- A batch's reads are awaited over psycopg's asynchronous connections,
  from a pool of them, and each log group's append over one asynchronous
  connection kept for the single writer (LogGroups): a batch reads
  thousands of rows, and a commit waits for the disk.

Another store (SQLite, memory) is read and written in a worker thread.
The statements, the rows' conversion and the log's chaining are the SQL
store's own; the log's appends are serialised across connections and
processes by the same advisory lock (LOG-1).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from anyio import to_thread
from psycopg import AsyncClientCursor, AsyncConnection
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.engine import URL

from kanta_consent.adapters.sql import store as sql
from kanta_consent.adapters.sql.rows import event_of
from kanta_consent.adapters.sql.store import SqlStore
from kanta_consent.domain.choices import Choice, ChoiceHistory
from kanta_consent.domain.model import ServiceEvent
from kanta_consent.services.ports import DecisionData, DecisionStore, LogRecord, Store

# Connections the decision routes keep for batches and the log; no more are
# opened, a request then waits for one.
POOL_SIZE = 8

# The longest a group's read may take.
READ_TIMEOUT_MS = 2000

# Up to this many people and events are read in one statement on the kept
# connection; more (a batch) over the pool, a chunk at a time.
_GROUPED_KEYS = 256

# A group's events and its people's choices in one statement: the events'
# rows first, then each person's choices in the order they were made; each
# row has the columns of both, the other's NULL.
_EVENT_PART = len(sql.EVENT_COLUMNS)
_GROUP_SQL = (
    "SELECT 0 AS part, "
    + ", ".join(
        [f"e.{c}" for c in sql.EVENT_COLUMNS] + ["NULL"] * len(sql.CHOICE_COLUMNS)
    )
    + ", NULL::bigint AS seq FROM service_events e WHERE e.id = ANY(%s)"
    " UNION ALL SELECT 1, "
    + ", ".join(["NULL"] * _EVENT_PART + [f"c.{c}" for c in sql.CHOICE_COLUMNS])
    + ", c.seq FROM choices c WHERE c.person = ANY(%s)"
    " ORDER BY part, seq"
)


_BEGIN_LOCK_AND_TAIL_SQL = "BEGIN; " + sql.LOCK_AND_TAIL_SQL
# A group of up to this many entries is written in one message with its
# COMMIT, the values bound by psycopg on the client (a message of several
# statements cannot carry parameters); a larger one (a batch's) by COPY.
_ONE_MESSAGE_ROWS = 64
_BEGIN_LOCK_SQL = f"BEGIN; SELECT pg_advisory_xact_lock({sql.LOG_LOCK}); "
_ONE_ROW = "(%s::bigint, %s::timestamptz, %s, %s, %s::json, %s, %s)"
# 7 rows of 7 values: within the 50 parameters whose parsing psycopg keeps.
_ROWS_A_PIECE = 7
_INSERT_ROWS_START = (
    "INSERT INTO log_entries (seq, at, kind, subject, body, previous, hash) "
    "SELECT * FROM (VALUES "
)
_INSERT_ROWS_END = ") AS entry"
# The same, written only if the log's last entry is still the one the rows
# were chained on.
_IF_TAIL_SQL = " WHERE (SELECT coalesce(max(seq), 0) FROM log_entries) = %s"


class PostgresDecisionStore:
    """Reads decisions' data and appends their log entries, awaited."""

    def __init__(self, url: URL, size: int = POOL_SIZE) -> None:
        self._conninfo = url.set(drivername="postgresql").render_as_string(
            hide_password=False
        )
        self._pool = AsyncConnectionPool(
            self._conninfo,
            min_size=1,
            max_size=size,
            kwargs={"autocommit": True},
            open=False,
        )
        self._opened = False
        self._reader: AsyncConnection[Any] | None = None
        self._opening = asyncio.Lock()
        self._writer: AsyncConnection[Any] | None = None
        # The log's last entry as this writer last wrote or read it.
        self._tail: tuple[int, str] | None = None

    async def _open(self) -> AsyncConnectionPool:
        if not self._opened:
            await self._pool.open()
            self._opened = True
        return self._pool

    async def read(
        self, people: Collection[str], events: Collection[str]
    ) -> DecisionData:
        if len(people) + len(events) <= _GROUPED_KEYS:
            return await self._read_group(people, events)
        pool = await self._open()
        async with pool.connection() as conn:
            found = {
                event.id: event
                for chunk in sql.chunks(events)
                for event in map(_event, await _rows(conn, sql.FIND_EVENTS_SQL, chunk))
            }
            choices = [
                sql.choice_of_driver_row(row)
                for chunk in sql.chunks(people)
                for row in await _rows(conn, sql.CHOICES_OF_MANY_SQL, chunk)
            ]
        return found, _histories(choices)

    async def _read_group(
        self, people: Collection[str], events: Collection[str]
    ) -> DecisionData:
        reader = self._reader
        if reader is None or reader.closed:
            # A group's read and a small batch's may both find it missing;
            # one of them opens it, so that none is opened and forgotten.
            async with self._opening:
                reader = self._reader
                if reader is None or reader.closed:
                    # The URL's own libpq options (a search_path, say) are kept.
                    options = conninfo_to_dict(self._conninfo).get("options") or ""
                    timeout = f"-c statement_timeout={READ_TIMEOUT_MS}"
                    reader = self._reader = await AsyncConnection.connect(
                        self._conninfo,
                        autocommit=True,
                        options=f"{options} {timeout}".strip(),
                    )
        try:
            cursor = await reader.execute(
                _GROUP_SQL, (list(events), list(people)), prepare=True
            )
            found_rows = await cursor.fetchall()
        except Exception:
            if reader.broken:
                # Lost mid-statement: the next read opens a new connection.
                await reader.close()
            raise
        found: dict[str, ServiceEvent] = {}
        choices = []
        for row in found_rows:
            if row[0] == 0:
                event = _event(row[1 : 1 + _EVENT_PART])
                found[event.id] = event
            else:
                choices.append(sql.choice_of_driver_row(row[1 + _EVENT_PART : -1]))
        return found, _histories(choices)

    async def append_log(self, records: Sequence[LogRecord]) -> None:
        if not records:
            return
        # One group is written at a time (LogGroups), on a connection of its
        # own, awaited while the loop answers others.
        conn = self._writer
        if conn is None or conn.closed:
            conn = self._writer = await AsyncConnection.connect(
                self._conninfo, autocommit=True
            )
            self._tail = None
        try:
            if self._tail is not None and len(records) <= _ONE_MESSAGE_ROWS:
                entries = sql.log_rows(self._tail, records)
                if await _append_if_tail(conn, self._tail[0], entries):
                    self._tail = entries[-1][0], entries[-1][-1]
                    return
            self._tail = await _append_locked(conn, records)
        except BaseException:
            self._tail = None
            if conn.broken:
                await conn.close()
            elif not conn.closed:
                await conn.rollback()
            raise

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
        if self._writer is not None:
            await self._writer.close()
            self._writer = None
        if self._opened:
            await self._pool.close()
            self._opened = False


async def _rows(
    conn: AsyncConnection[Any], statement: str, keys: list[str]
) -> list[tuple[Any, ...]]:
    cursor = await conn.execute(statement, (keys,), prepare=True)
    return await cursor.fetchall()


async def _append_if_tail(
    conn: AsyncConnection[Any], tail: int, entries: list[tuple[Any, ...]]
) -> bool:
    """Appends entries chained on the tail `tail`, in one message; returns False,
    having written nothing, if the log's tail is no longer that one.

    The lock is taken as every writer takes it (LOG-1), and the INSERT, a
    statement of its own, sees what was committed before the lock was
    granted: the entries go in only if the last of them is still `tail`.
    """
    cursor = await _insert(conn, entries, _BEGIN_LOCK_SQL, _IF_TAIL_SQL, [tail])
    cursor.nextset()
    cursor.nextset()
    return cursor.rowcount == len(entries)


async def _append_locked(
    conn: AsyncConnection[Any], records: Sequence[LogRecord]
) -> tuple[int, str]:
    """Appends as SqlStore does: the lock, then the tail read under it, each
    statement with its own snapshot (BEGIN in the same message), then the
    entries; returns the new tail."""
    locked = await conn.execute(_BEGIN_LOCK_AND_TAIL_SQL)
    locked.nextset()
    locked.nextset()
    entries = sql.log_rows(await locked.fetchone(), records)
    if len(entries) > _ONE_MESSAGE_ROWS:
        # A batch's entries: COPY dumps them in C, where the client binding
        # of a thousand rows' values would be Python's work.
        async with conn.cursor() as cursor, cursor.copy(sql.COPY_LOG_SQL) as copy:
            for entry in entries:
                await copy.write_row(entry)
        await conn.execute("COMMIT")
    else:
        await _insert(conn, entries)
    return entries[-1][0], entries[-1][-1]


async def _insert(
    conn: AsyncConnection[Any],
    entries: list[tuple[Any, ...]],
    before: str = "",
    condition: str = "",
    condition_values: list[Any] | None = None,
) -> AsyncClientCursor[Any]:
    """Sends `before`, the INSERT of the entries (on the condition) and COMMIT
    in one message; returns the cursor at its first result."""
    cursor = AsyncClientCursor(conn)
    await cursor.execute(
        insert_message(cursor, entries, before, condition, condition_values)
    )
    return cursor


class Binder(Protocol):
    """What binds values into a statement's text: a psycopg client cursor."""

    def mogrify(self, query: str, params: Any = None) -> str: ...


def insert_message(
    cursor: Binder,
    entries: list[tuple[Any, ...]],
    before: str = "",
    condition: str = "",
    condition_values: list[Any] | None = None,
) -> str:
    """Returns the message that inserts the entries, their values bound.

    The values are bound by psycopg a piece of _ROWS_A_PIECE rows at a time,
    and the message, then holding no parameters, is sent as it is: psycopg
    keeps a statement's parsed form only up to 50 parameters, and a group of
    eight rows or more had its whole text parsed again for every group
    (benchmarks/log_binding.py).
    """
    pieces = [
        entries[i : i + _ROWS_A_PIECE] for i in range(0, len(entries), _ROWS_A_PIECE)
    ]
    rows = [
        cursor.mogrify(
            ", ".join([_ONE_ROW] * len(piece)),
            [value for entry in piece for value in entry],
        )
        for piece in pieces[:-1]
    ]
    # The last piece is bound with the rest of the statement and its
    # condition's values: one call, still within the 50 parameters.
    last = pieces[-1]
    rows.append(
        cursor.mogrify(
            ", ".join([_ONE_ROW] * len(last)) + _INSERT_ROWS_END + condition,
            [value for entry in last for value in entry] + (condition_values or []),
        )
    )
    return before + _INSERT_ROWS_START + ", ".join(rows) + "; COMMIT"


def _event(row: tuple[Any, ...]) -> ServiceEvent:
    return event_of(sql.EventColumns._make(row))


def _histories(choices: list[Choice]) -> dict[str, ChoiceHistory]:
    grouped: dict[str, list[Choice]] = {}
    for choice in choices:
        grouped.setdefault(choice.person, []).append(choice)
    return {person: ChoiceHistory(held) for person, held in grouped.items()}


class ThreadedDecisionStore:
    """Any store's reads and log appends, each in a worker thread."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def read(
        self, people: Collection[str], events: Collection[str]
    ) -> DecisionData:
        return await to_thread.run_sync(self._read, people, events)

    def _read(self, people: Collection[str], events: Collection[str]) -> DecisionData:
        found: Mapping[str, ServiceEvent] = (
            self._store.find_events(events) if events else {}
        )
        histories = self._store.choices_of_many(people) if people else {}
        return dict(found), dict(histories)

    async def append_log(self, records: Sequence[LogRecord]) -> None:
        await to_thread.run_sync(self._store.append_log, records)

    async def close(self) -> None:
        return None


def decision_store_for(store: Store) -> DecisionStore:
    """Returns the awaited decision store: PostgreSQL's own, or any store's."""
    if isinstance(store, SqlStore) and store.engine.dialect.name == "postgresql":
        return PostgresDecisionStore(store.engine.url)
    return ThreadedDecisionStore(store)
