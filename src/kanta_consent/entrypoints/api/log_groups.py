"""The decision routes' log appends, committed in groups from the event loop.

A care system's answer may be given only once its log entry is durable
(LOG-1, DIS-12). A request on the event loop hands its records here and
waits; one writer takes every request's records that have arrived, appends
them in one transaction, and wakes each request once its entries are
committed. Under load a commit then serves many requests; the chain itself
is kept by the store, which serialises appends across processes too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from kanta_consent.services.ports import DecisionStore, LogRecord


@dataclass(eq=False)
class _Waiting:
    records: Sequence[LogRecord]
    done: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class LogGroups:
    """Appends log records in groups; each caller returns once its are committed."""

    def __init__(self, store: DecisionStore) -> None:
        self._store = store
        self._waiting: list[_Waiting] = []
        self._writer: asyncio.Task[None] | None = None

    async def append(self, records: Sequence[LogRecord]) -> None:
        """Returns once the records are in the log, or raises what failed them."""
        if not records:
            return
        mine = _Waiting(records)
        self._waiting.append(mine)
        if self._writer is None:
            self._writer = asyncio.get_running_loop().create_task(self._write())
        # Shielded: a caller that goes away does not stop its group's commit.
        await asyncio.shield(mine.done)

    async def _write(self) -> None:
        group: list[_Waiting] = []
        try:
            while self._waiting:
                group, self._waiting = self._waiting, []
                await self._commit(group)
                group = []
        finally:
            self._writer = None
            # Stopped mid-commit (the server shutting down): whether the
            # entries were committed is unknown, so none of them is answered.
            for waiting in group:
                _settle(waiting, RuntimeError("the log append was interrupted"))

    async def _commit(self, group: list[_Waiting]) -> None:
        try:
            await self._store.append_log([r for w in group for r in w.records])
        except Exception as error:
            if len(group) == 1:
                _settle(group[0], error)
                return
            # One bad append must not fail the others: each alone, then.
            for waiting in group:
                try:
                    await self._store.append_log(waiting.records)
                except Exception as alone:
                    _settle(waiting, alone)
                else:
                    _settle(waiting, None)
            return
        for waiting in group:
            _settle(waiting, None)


def _settle(waiting: _Waiting, error: Exception | None) -> None:
    if waiting.done.done():
        return
    if error is None:
        waiting.done.set_result(None)
    else:
        waiting.done.set_exception(error)
