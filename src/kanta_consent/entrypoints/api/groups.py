"""The decision routes' reads and log appends, done in groups on the event loop.

Under load many requests wait on the database at once. Rather than one
round trip each, the requests that arrive while a group is in flight form
the next group: one reader reads every single query's event and choices in
one statement, one writer appends every request's log records in one
transaction. Each request is answered from its group's result.

A care system's answer may be given only once its log entry is durable
(LOG-1, DIS-12): a request waits for its group's commit, and a group's
failure is reported to each of its requests. The chain itself is kept by
the store, which serialises appends across processes too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from kanta_consent.services.ports import DecisionData, DecisionStore, LogRecord

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(eq=False)
class _Waiting(Generic[Item, Result]):
    item: Item
    done: asyncio.Future[Result]


class Groups(Generic[Item, Result]):
    """Runs callers' items in groups, one group at a time, on the running loop.

    `run` takes a group's items and returns one result or error for each, in
    order; an error it raises is every item's. What arrives while a group
    runs forms the next one.
    """

    def __init__(
        self,
        run: Callable[[list[Item]], Awaitable[Sequence[Result | Exception]]],
        interrupted: str,
    ) -> None:
        self._run = run
        self._interrupted = interrupted
        self._waiting: list[_Waiting[Item, Result]] = []
        self._runner: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """Returns the item's result once its group has run, or raises its error."""
        loop = asyncio.get_running_loop()
        mine: _Waiting[Item, Result] = _Waiting(item, loop.create_future())
        self._waiting.append(mine)
        if self._runner is None:
            self._runner = loop.create_task(self._groups())
        # Shielded: a caller that goes away does not stop its group.
        return await asyncio.shield(mine.done)

    async def _groups(self) -> None:
        group: list[_Waiting[Item, Result]] = []
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                try:
                    results = await self._run([w.item for w in group])
                except Exception as error:
                    results = [error] * len(group)
                for waiting, result in zip(group, results, strict=True):
                    _settle(waiting.done, result)
                group = []
        finally:
            self._runner = None
            # Stopped mid-group (the server shutting down): what became of
            # its items is unknown, so none of them is answered.
            for waiting in group:
                _settle(waiting.done, RuntimeError(self._interrupted))


def _settle(done: asyncio.Future[Result], result: Result | Exception) -> None:
    if done.done():
        return
    if isinstance(result, Exception):
        done.set_exception(result)
    else:
        done.set_result(result)


class LogGroups:
    """Appends log records in groups; each caller returns once its are committed."""

    def __init__(self, store: DecisionStore) -> None:
        self._store = store
        self._groups: Groups[Sequence[LogRecord], None] = Groups(
            self._commit, "the log append was interrupted"
        )

    async def append(self, records: Sequence[LogRecord]) -> None:
        """Returns once the records are in the log, or raises what failed them."""
        if records:
            await self._groups.submit(records)

    async def _commit(self, group: list[Sequence[LogRecord]]) -> list[Exception | None]:
        try:
            await self._store.append_log([r for records in group for r in records])
        except Exception as error:
            if len(group) == 1:
                return [error]
            # One bad append must not fail the others: each alone, then.
            return [await self._alone(records) for records in group]
        return [None] * len(group)

    async def _alone(self, records: Sequence[LogRecord]) -> Exception | None:
        try:
            await self._store.append_log(records)
        except Exception as error:
            return error
        return None


Asked = tuple[Collection[str], Collection[str]]


class ReadGroups:
    """Reads the people's choices and the events of single queries in groups.

    A batch's own reads are large enough to go alone.
    """

    def __init__(self, store: DecisionStore) -> None:
        self._store = store
        self._groups: Groups[Asked, DecisionData] = Groups(
            self._read, "the read was interrupted"
        )

    async def read(
        self, people: Collection[str], events: Collection[str]
    ) -> DecisionData:
        """Returns the events found among `events` and the choices of `people`."""
        if len(people) > 1 or len(events) > 1:
            return await self._store.read(people, events)
        return await self._groups.submit((people, events))

    async def _read(self, group: list[Asked]) -> list[DecisionData | Exception]:
        if len(group) == 1:
            return [await self._store.read(*group[0])]
        try:
            found, histories = await self._store.read(
                {p for people, _ in group for p in people},
                {e for _, events in group for e in events},
            )
        except Exception:
            # One request's bad key must not fail the others: each alone, then.
            return [await self._alone(people, events) for people, events in group]
        # Each request gets only what it asked for.
        return [
            (
                {e: found[e] for e in events if e in found},
                {p: histories[p] for p in people if p in histories},
            )
            for people, events in group
        ]

    async def _alone(
        self, people: Collection[str], events: Collection[str]
    ) -> DecisionData | Exception:
        try:
            return await self._store.read(people, events)
        except Exception as error:
            return error
