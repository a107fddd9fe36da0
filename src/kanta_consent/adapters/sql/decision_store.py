"""What the decision routes read and log, on the API's event loop.

The decision routes run on the event loop. On PostgreSQL:

- A single query's reads (its service event and its person's choices) are
  one prepared statement on a connection kept for the loop, run without
  leaving the loop: an indexed read answers in about 0.15 ms, and awaiting
  it through asyncio cost the loop more CPU than waiting for it (measured:
  1,520-1,650 requests/s against 1,210-1,280 awaited). A statement timeout
  bounds how long a stalled database can hold the loop.
- A batch's reads are awaited over psycopg's asynchronous connections,
  from a pool of them, and each log group's append over one asynchronous
  connection kept for the single writer (LogGroups): a batch reads
  thousands of rows, and a commit waits for the disk, so the loop answers
  other requests meanwhile. A commit in a worker thread had to win the GIL
  back from the busy loop between its steps, which made each group's
  commit take several switch intervals.

Another store (SQLite, memory) is read and written in a worker thread.
The statements, the rows' conversion and the log's chaining are the SQL
store's own; the log's appends are serialised across connections and
processes by the same advisory lock (LOG-1).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from anyio import to_thread
from psycopg import AsyncConnection, Connection
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

# The longest a single query's read may hold the event loop.
READ_TIMEOUT_MS = 2000

# One person's choices and at most one event in one statement: a row for each
# of the person's choices with the event (or NULLs) beside it, or one row of
# NULLs for the choices of a person who has made none.
_EVENT_PART = len(sql.EVENT_COLUMNS)
_EVENT_ID = sql.EVENT_COLUMNS.index("id")
_CHOICE_ID = sql.CHOICE_COLUMNS.index("id")
_ONE_SQL = (
    "SELECT "
    + ", ".join(
        [f"e.{c}" for c in sql.EVENT_COLUMNS] + [f"c.{c}" for c in sql.CHOICE_COLUMNS]
    )
    + " FROM (SELECT 1) AS one"
    " LEFT JOIN service_events e ON e.id = %s"
    " LEFT JOIN choices c ON c.person = %s"
    " ORDER BY c.seq"
)


_BEGIN_LOCK_AND_TAIL_SQL = "BEGIN; " + sql.LOCK_AND_TAIL_SQL
# Groups of single decisions go in one pipelined INSERT; larger ones by COPY.
_PIPELINED_ROWS = 64
# A group's entries as one statement of arrays, so that it and the COMMIT go
# in one pipeline (COPY cannot be pipelined).
_INSERT_LOG_ROWS_SQL = (
    "INSERT INTO log_entries (seq, at, kind, subject, body, previous, hash) "
    "SELECT * FROM unnest(%s::bigint[], %s::timestamptz[], %s::text[], "
    "%s::text[], %s::json[], %s::text[], %s::text[])"
)


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
        self._reader: Connection[Any] | None = None
        self._writer: AsyncConnection[Any] | None = None

    async def _open(self) -> AsyncConnectionPool:
        if not self._opened:
            await self._pool.open()
            self._opened = True
        return self._pool

    async def read(
        self, people: Collection[str], events: Collection[str]
    ) -> DecisionData:
        if len(people) <= 1 and len(events) <= 1:
            return self._read_one(people, events)
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

    def _read_one(
        self, people: Collection[str], events: Collection[str]
    ) -> DecisionData:
        reader = self._reader
        if reader is None or reader.closed:
            # The URL's own libpq options (a search_path, say) are kept.
            options = conninfo_to_dict(self._conninfo).get("options") or ""
            reader = self._reader = Connection.connect(
                self._conninfo,
                autocommit=True,
                options=f"{options} -c statement_timeout={READ_TIMEOUT_MS}".strip(),
            )
        person = next(iter(people), None)
        event_id = next(iter(events), None)
        try:
            rows = reader.execute(_ONE_SQL, (event_id, person), prepare=True)
            found_rows = rows.fetchall()
        except Exception:
            if reader.broken:
                # Lost mid-statement: the next read opens a new connection.
                reader.close()
            raise
        found: dict[str, ServiceEvent] = {}
        choices = []
        for row in found_rows:
            if not found and row[_EVENT_ID] is not None:
                event = _event(row[:_EVENT_PART])
                found[event.id] = event
            if row[_EVENT_PART + _CHOICE_ID] is not None:
                choices.append(sql.choice_of_driver_row(row[_EVENT_PART:]))
        return found, _histories(choices)

    async def append_log(self, records: Sequence[LogRecord]) -> None:
        if not records:
            return
        # One group is written at a time (LogGroups), on a connection of its
        # own: two round trips, each awaited while the loop answers others.
        conn = self._writer
        if conn is None or conn.closed:
            conn = self._writer = await AsyncConnection.connect(
                self._conninfo, autocommit=True
            )
        try:
            # As SqlStore does: the lock, then the tail read under it, each
            # statement with its own snapshot; BEGIN in the same message.
            locked = await conn.execute(_BEGIN_LOCK_AND_TAIL_SQL)
            locked.nextset()
            locked.nextset()
            entries = sql.log_rows(await locked.fetchone(), records)
            if len(entries) > _PIPELINED_ROWS:
                # A batch's entries: psycopg dumps arrays in Python, COPY in
                # C (1,000 entries: 118 against 66 ms of a batch's CPU).
                async with (
                    conn.cursor() as cursor,
                    cursor.copy(sql.COPY_LOG_SQL) as copy,
                ):
                    for entry in entries:
                        await copy.write_row(entry)
                await conn.execute("COMMIT")
                return
            columns = [list(column) for column in zip(*entries, strict=True)]
            async with conn.pipeline():
                await conn.execute(_INSERT_LOG_ROWS_SQL, columns, prepare=True)
                await conn.execute("COMMIT")
        except BaseException:
            if conn.broken:
                await conn.close()
            elif not conn.closed:
                await conn.rollback()
            raise

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
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
