"""The decision routes' reads and log appends on the event loop (LOG-1, DIS-11).

On PostgreSQL they go through psycopg itself (a kept connection for one
query's read, an asynchronous pool for batches and the log); on SQLite
through the SQL store in a worker thread. Either way they must read what
the store reads and chain the log as the store does.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from asyncio import to_thread
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sql_builders import ADULT, CHILD, GUARDIAN, at, every_choice
from sqlalchemy import make_url, text

from kanta_consent.adapters.sql import SqlStore, make_engine
from kanta_consent.adapters.sql.decision_store import (
    PostgresDecisionStore,
    decision_store_for,
)
from kanta_consent.domain.codes import RegisterKind
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.domain.model import Organisation, Person, Register, ServiceEvent
from kanta_consent.entrypoints.api.groups import LogGroups, ReadGroups
from kanta_consent.services.log import verify_chain
from kanta_consent.services.ports import DecisionData, LogRecord
from loops import run_on_own_loop

ONLY_POSTGRES = pytest.mark.parametrize(
    "database_url",
    [pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)


def _world(store: SqlStore) -> None:
    store.add_organisation(Organisation("org-1", True, None, "Vantaa"))
    store.add_register(Register("reg-1", "org-1", RegisterKind.PUBLIC_HEALTH))
    for code in (ADULT, CHILD, GUARDIAN):
        store.add_person(Person(parse_identity_code(code)))
    store.add_event(ServiceEvent("ev-1", ADULT, "reg-1", date(2024, 5, 1), True))
    store.add_event(ServiceEvent("ev-2", CHILD, "reg-1", date(2024, 6, 1), False))
    store.add_choices(every_choice(ADULT))


def _read(store: SqlStore, people: set[str], events: set[str]) -> DecisionData:
    async def run() -> DecisionData:
        decisions = decision_store_for(store)
        try:
            return await decisions.read(people, events)
        finally:
            await decisions.close()

    return run_on_own_loop(run)


def test_dis_11_one_query_reads_the_event_and_the_choices_the_store_holds(
    store: SqlStore,
) -> None:
    _world(store)

    events, histories = _read(store, {ADULT}, {"ev-1"})

    assert events == {"ev-1": store.find_event("ev-1")}
    assert list(histories) == [ADULT]
    assert list(histories[ADULT]) == list(store.choices_of(ADULT))
    assert {c.id for c in histories[ADULT]} == {c.id for c in every_choice(ADULT)}


def test_one_query_about_someone_without_choices_or_events_reads_nothing(
    store: SqlStore,
) -> None:
    _world(store)

    assert _read(store, {GUARDIAN}, {"no-such-event"}) == ({}, {})
    assert _read(store, {GUARDIAN}, set()) == ({}, {})
    events, histories = _read(store, {GUARDIAN}, {"ev-2"})
    # The event is found whoever it belongs to; the route then refuses it.
    assert events == {"ev-2": store.find_event("ev-2")}
    assert histories == {}


def test_dis_11_a_batch_reads_every_event_and_every_persons_choices(
    store: SqlStore,
) -> None:
    _world(store)
    store.add_choices([replace(every_choice(CHILD)[0], id="child-c1")])

    events, histories = _read(
        store, {ADULT, CHILD, GUARDIAN}, {"ev-1", "ev-2", "no-such-event"}
    )

    assert events == store.find_events({"ev-1", "ev-2"})
    assert set(histories) == {ADULT, CHILD}
    assert list(histories[ADULT]) == list(store.choices_of(ADULT))
    assert list(histories[CHILD]) == list(store.choices_of(CHILD))


class _Counted:
    """The decision store, counting the reads that reach it."""

    def __init__(self, store: SqlStore) -> None:
        self.inner = decision_store_for(store)
        self.reads: list[tuple[set[str], set[str]]] = []

    async def read(self, people: Any, events: Any) -> DecisionData:
        self.reads.append((set(people), set(events)))
        return await self.inner.read(people, events)

    async def append_log(self, records: Any) -> None:
        await self.inner.append_log(records)

    async def close(self) -> None:
        await self.inner.close()


def test_dis_11_single_reads_at_once_are_read_together_and_each_gets_its_own(
    store: SqlStore,
) -> None:
    _world(store)
    store.add_choices([replace(every_choice(CHILD)[0], id="child-c1")])
    asked = [
        ({ADULT}, {"ev-1"}),
        ({CHILD}, {"ev-2"}),
        ({GUARDIAN}, set()),
        ({ADULT}, {"no-such-event"}),
        ({CHILD}, {"ev-1"}),
    ]

    async def run() -> tuple[list[DecisionData], list[tuple[set[str], set[str]]]]:
        counted = _Counted(store)
        reads = ReadGroups(counted)
        try:
            found = await asyncio.gather(*(reads.read(p, e) for p, e in asked))
        finally:
            await counted.close()
        return list(found), counted.reads

    found, store_reads = run_on_own_loop(run)

    # Asked at once, read in one go.
    assert store_reads == [
        ({ADULT, CHILD, GUARDIAN}, {"ev-1", "ev-2", "no-such-event"}),
    ]
    for (people, events), (got_events, histories) in zip(asked, found, strict=True):
        assert got_events == dict(store.find_events(events))
        assert set(histories) <= people
        for person in people:
            assert list(histories.get(person, [])) == list(store.choices_of(person))


def _records(n: int, tag: str) -> list[LogRecord]:
    return [
        LogRecord("decision_made", at(2025, 3, 1, micro=i), ADULT, {"tag": tag, "i": i})
        for i in range(n)
    ]


def test_log_1_appends_from_the_loop_chain_on_from_the_stores_own(
    store: SqlStore,
) -> None:
    store.append_log(_records(2, "store"))

    async def run() -> None:
        decisions = decision_store_for(store)
        try:
            await decisions.append_log(_records(1, "one"))
            await decisions.append_log(_records(3, "group"))
        finally:
            await decisions.close()

    run_on_own_loop(run)
    store.append_log(_records(1, "after"))

    entries = list(store.log_entries())
    count, problem = verify_chain(entries)
    assert (count, problem) == (7, None)
    assert [e["body"]["tag"] for e in entries] == [
        "store", "store", "one", "group", "group", "group", "after",
    ]  # fmt: skip


def test_log_1_a_batchs_hundred_entries_chain_on_as_a_single_ones_do(
    store: SqlStore,
) -> None:
    # A group this large goes in by COPY on PostgreSQL, a small one by INSERT.
    async def run() -> None:
        decisions = decision_store_for(store)
        try:
            await decisions.append_log(_records(1, "single"))
            await decisions.append_log(_records(100, "batch"))
            await decisions.append_log(_records(1, "single"))
        finally:
            await decisions.close()

    run_on_own_loop(run)

    entries = list(store.log_entries())
    assert verify_chain(entries) == (102, None)
    assert [e["body"]["i"] for e in entries[1:101]] == list(range(100))


# Text that quoting must keep as it is: quotes, a backslash, a percent sign
# and braces (which the statement's own text also holds), a NUL-free control
# character, and letters outside ASCII.
AWKWARD = 'O\'Brien "x" \\ 100% {rows} %s \t Åsa Ääkkönen 😀'


def test_log_1_groups_of_every_size_up_to_one_message_keep_their_text_and_chain(
    store: SqlStore,
) -> None:
    # Up to 64 entries go in one message whose values are bound 7 rows at a
    # time: sizes around those pieces, on both the path that knows the log's
    # tail and the one that reads it under the lock (after the store wrote).
    sizes = [8, 1, 7, 14, 15, 64]

    def records(n: int, tag: str) -> list[LogRecord]:
        return [
            LogRecord(
                "decision_made",
                at(2025, 3, 1, micro=i),
                ADULT,
                {"tag": tag, "i": i, "text": f"{AWKWARD} {i}"},
            )
            for i in range(n)
        ]

    async def run() -> None:
        decisions = decision_store_for(store)
        try:
            for n in sizes:
                await decisions.append_log(records(n, f"loop-{n}"))
            await to_thread(store.append_log, records(1, "store"))
            await decisions.append_log(records(9, "after-store"))
        finally:
            await decisions.close()

    run_on_own_loop(run)

    entries = list(store.log_entries())
    assert verify_chain(entries) == (sum(sizes) + 10, None)
    expected = [
        (f"loop-{n}", i) for n in sizes for i in range(n)
    ] + [("store", 0)] + [("after-store", i) for i in range(9)]  # fmt: skip
    assert [(e["body"]["tag"], e["body"]["i"]) for e in entries] == expected
    assert all(e["body"]["text"] == f"{AWKWARD} {e['body']['i']}" for e in entries)


def test_log_1_grouped_appends_and_a_writer_thread_at_once_leave_one_chain(
    store: SqlStore,
) -> None:
    writers, each = 20, 5

    def in_thread() -> None:
        for i in range(each):
            store.append_log(_records(1, f"thread-{i}"))

    async def run() -> None:
        decisions = decision_store_for(store)
        groups = LogGroups(decisions)
        try:
            await asyncio.gather(
                *(groups.append(_records(2, f"loop-{n}")) for n in range(writers))
            )
        finally:
            await decisions.close()

    thread = threading.Thread(target=in_thread)
    thread.start()
    run_on_own_loop(run)
    thread.join()

    entries = list(store.log_entries())
    count, problem = verify_chain(entries)
    assert problem is None
    assert count == writers * 2 + each
    loop_tags = [e["body"]["tag"] for e in entries if e["body"]["tag"][:4] == "loop"]
    assert sorted(set(loop_tags)) == sorted(f"loop-{n}" for n in range(writers))


def test_log_1_an_append_after_another_writers_chains_on_from_theirs(
    store: SqlStore,
) -> None:
    # The loop's writer chains on the tail it last wrote; a writer of another
    # connection (a process, the portal) moves the tail in between.
    async def run() -> None:
        decisions = decision_store_for(store)
        try:
            await decisions.append_log(_records(2, "loop-1"))
            await to_thread(store.append_log, _records(1, "other"))
            await decisions.append_log(_records(2, "loop-2"))
            await decisions.append_log(_records(1, "loop-3"))
        finally:
            await decisions.close()

    run_on_own_loop(run)

    entries = list(store.log_entries())
    assert verify_chain(entries) == (6, None)
    assert [e["body"]["tag"] for e in entries] == [
        "loop-1",
        "loop-1",
        "other",
        "loop-2",
        "loop-2",
        "loop-3",
    ]


def _append_from_a_loop(url: str, writer: int, groups: int) -> None:
    async def run() -> None:
        decisions = PostgresDecisionStore(make_url(url))
        try:
            for n in range(groups):
                await decisions.append_log(_records(1 + n % 3, f"loop-{writer}-{n}"))
        finally:
            await decisions.close()

    asyncio.run(run())


def _append_from_a_store(url: str, groups: int) -> None:
    store = SqlStore(make_engine(url))
    for n in range(groups):
        store.append_log(_records(2, f"store-{n}"))
    store.engine.dispose()


@ONLY_POSTGRES
def test_log_1_loop_writers_and_store_writers_in_several_processes_leave_one_chain(
    store: SqlStore, database_url: str
) -> None:
    # Each loop writer chains on the tail it last wrote while the others move
    # it; none of them may fork the chain or lose an entry.
    writers, groups = 3, 40
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_append_from_a_loop, args=(database_url, w, groups))
        for w in range(writers)
    ] + [context.Process(target=_append_from_a_store, args=(database_url, groups))]

    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    entries = list(store.log_entries())

    assert [p.exitcode for p in processes] == [0] * len(processes)
    per_loop = sum(1 + n % 3 for n in range(groups))
    assert verify_chain(entries) == (writers * per_loop + 2 * groups, None)
    tags = [e["body"]["tag"] for e in entries]
    for w in range(writers):
        for n in range(groups):
            assert tags.count(f"loop-{w}-{n}") == 1 + n % 3
    assert all(tags.count(f"store-{n}") == 2 for n in range(groups))


def test_log_1_an_answer_waits_until_its_entries_are_committed(
    store: SqlStore,
) -> None:
    seen: list[int] = []

    async def run() -> None:
        decisions = decision_store_for(store)
        groups = LogGroups(decisions)

        async def ask(n: int) -> None:
            await groups.append(_records(1, f"ask-{n}"))
            # What another connection sees once the caller may answer.
            seen.append(sum(1 for _ in store.log_entries()))

        try:
            await asyncio.gather(*(ask(n) for n in range(8)))
        finally:
            await decisions.close()

    run_on_own_loop(run)

    assert len(seen) == 8
    assert all(count >= 1 for count in seen)
    assert max(seen) == 8


def test_log_1_a_bad_append_fails_only_its_caller(store: SqlStore) -> None:
    # A moment without a time zone cannot be put into the chain's words.
    bad = [LogRecord("decision_made", at(2025, 3, 1).replace(tzinfo=None), ADULT)]

    async def run() -> tuple[BaseException | None, ...]:
        decisions = decision_store_for(store)
        groups = LogGroups(decisions)
        try:
            return await asyncio.gather(
                groups.append(_records(1, "good-1")),
                groups.append(bad),
                groups.append(_records(1, "good-2")),
                return_exceptions=True,
            )
        finally:
            await decisions.close()

    outcomes = run_on_own_loop(run)

    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], ValueError)
    assert "has no time zone" in str(outcomes[1])
    entries = list(store.log_entries())
    assert verify_chain(entries) == (2, None)
    assert {e["body"]["tag"] for e in entries} == {"good-1", "good-2"}


def _end_connections(store: SqlStore, last_query: str) -> None:
    """Has PostgreSQL end the connections whose last statement is LIKE this."""
    with store.engine.connect().execution_options(
        isolation_level="AUTOCOMMIT"
    ) as admin:
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND datname = current_database() "
                "AND query LIKE :last"
            ),
            {"last": last_query},
        )


def _connections(store: SqlStore) -> int:
    with store.engine.connect() as conn:
        count: int = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    return count


@ONLY_POSTGRES
def test_small_reads_at_once_on_a_new_store_open_one_kept_connection(
    store: SqlStore,
) -> None:
    _world(store)
    before = _connections(store)

    async def run() -> tuple[list[DecisionData], int]:
        decisions = PostgresDecisionStore(store.engine.url)
        try:
            found = await asyncio.gather(
                decisions.read({ADULT}, {"ev-1"}),
                decisions.read({ADULT, CHILD}, {"ev-1", "ev-2"}),
                decisions.read({CHILD}, set()),
            )
            return list(found), _connections(store)
        finally:
            await decisions.close()

    found, during = run_on_own_loop(run)

    assert during == before + 1
    assert _connections(store) == before
    assert [set(events) for events, _ in found] == [{"ev-1"}, {"ev-1", "ev-2"}, set()]


@ONLY_POSTGRES
def test_a_lost_read_connection_fails_one_read_and_the_next_reconnects(
    store: SqlStore,
) -> None:
    _world(store)

    async def run() -> tuple[DecisionData, BaseException | None, DecisionData]:
        decisions = decision_store_for(store)
        assert isinstance(decisions, PostgresDecisionStore)
        try:
            first = await decisions.read({ADULT}, {"ev-1"})
            _end_connections(store, "%UNION ALL%")
            failed: BaseException | None = None
            try:
                await decisions.read({ADULT}, {"ev-1"})
            except Exception as error:
                failed = error
            again = await decisions.read({ADULT}, {"ev-1"})
            return first, failed, again
        finally:
            await decisions.close()

    first, failed, again = run_on_own_loop(run)

    assert failed is not None
    assert again[0] == first[0] == {"ev-1": store.find_event("ev-1")}
    assert list(again[1][ADULT]) == list(first[1][ADULT])
    assert list(again[1][ADULT]) == list(store.choices_of(ADULT))


@ONLY_POSTGRES
def test_log_1_a_lost_log_connection_fails_one_append_and_the_next_reconnects(
    store: SqlStore,
) -> None:
    async def run() -> BaseException | None:
        decisions = decision_store_for(store)
        try:
            await decisions.append_log(_records(1, "first"))
            _end_connections(store, "%INSERT INTO log_entries%")
            failed: BaseException | None = None
            try:
                await decisions.append_log(_records(1, "lost"))
            except Exception as error:
                failed = error
            await decisions.append_log(_records(2, "again"))
            return failed
        finally:
            await decisions.close()

    failed = run_on_own_loop(run)

    assert failed is not None
    entries = list(store.log_entries())
    assert verify_chain(entries) == (3, None)
    assert [e["body"]["tag"] for e in entries] == ["first", "again", "again"]
