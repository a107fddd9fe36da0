"""The hash-chained log in the database (LOG-1, LOG-3), on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import multiprocessing
import threading
from datetime import datetime
from typing import Any

import pytest
from sql_builders import ADULT, CHILD, at
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from kanta_consent.adapters.sql import SqlStore, create_schema, make_engine
from kanta_consent.adapters.sql.migrate import upgrade
from kanta_consent.entrypoints.cli.main import app
from kanta_consent.services.log import verify_chain
from kanta_consent.services.ports import LogRecord

ENTRIES = 5

# A new value for each column, each of the stored type.
TAMPERED = {
    "at": "'2030-01-01 00:00:00+00'",
    "kind": "'changed'",
    "subject": f"'{CHILD}'",
    "body": "'{\"n\": 99}'",
    "previous": "'" + "f" * 64 + "'",
    "hash": "'" + "e" * 64 + "'",
    "seq": "1000",
}


def _fill(store: SqlStore, count: int = ENTRIES) -> None:
    for n in range(1, count + 1):
        record = LogRecord(
            "decision_made", at(2025, 1, n, micro=n), ADULT, {"n": n, "x": [1.5]}
        )
        store.append_log([record])


def _tamper(engine: Engine, statement: str) -> None:
    if engine.dialect.name == "sqlite":
        statement = statement.replace("+00'", "'")
    with engine.begin() as conn:
        conn.execute(text(statement))


def test_log_1_an_untouched_log_verifies(store: SqlStore) -> None:
    _fill(store)
    store.append_log(
        [
            LogRecord("a", at(2025, 2, 1), None, {"when": at(2025, 2, 1)}),
            LogRecord("b", at(2025, 2, 1, micro=999999), CHILD, {"nested": {"z": 1}}),
        ]
    )

    count, problem = verify_chain(store.log_entries())

    assert (count, problem) == (ENTRIES + 2, None)


def test_log_1_entries_of_one_subject_are_found(store: SqlStore) -> None:
    _fill(store, 2)
    store.append_log([LogRecord("x", at(2025, 3, 1), CHILD)])

    found = [e["seq"] for e in store.log_entries(CHILD)]

    assert found == [3]


def test_log_2_entries_are_found_by_person_kind_and_moment(store: SqlStore) -> None:
    _fill(store, 3)
    store.append_log([LogRecord("choice_recorded", at(2025, 1, 3, micro=7), ADULT)])

    found = store.log_entries(ADULT, kind="decision_made", after=at(2025, 1, 2))

    # The moment is compared as a moment: Finnish time in, UTC stored.
    assert [e["seq"] for e in found] == [2, 3]


@pytest.mark.parametrize("column", sorted(TAMPERED))
@pytest.mark.parametrize("seq", [1, 3, ENTRIES])
def test_log_1_changing_any_value_of_any_entry_is_found_and_named(
    store: SqlStore, column: str, seq: int
) -> None:
    _fill(store)

    _tamper(
        store.engine,
        f"UPDATE log_entries SET {column} = {TAMPERED[column]} WHERE seq = {seq}",
    )
    count, problem = verify_chain(store.log_entries())

    assert problem is not None
    assert (count, problem.seq) == (seq - 1, seq)


@pytest.mark.parametrize("seq", [1, 3, ENTRIES - 1])
def test_log_1_a_deleted_entry_is_found_and_named(store: SqlStore, seq: int) -> None:
    _fill(store)

    _tamper(store.engine, f"DELETE FROM log_entries WHERE seq = {seq}")
    count, problem = verify_chain(store.log_entries())

    assert problem is not None
    assert (count, problem.seq, problem.problem) == (
        seq - 1,
        seq,
        f"missing; next entry is {seq + 1}",
    )


def test_log_1_log_verify_names_the_changed_entry_and_fails(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Migrated, not created from the models: `log verify` reads only a
    # database at the newest revision.
    upgrade(engine)
    store = SqlStore(engine)
    _fill(store)
    monkeypatch.setenv("KANTA_CONSENT_DATABASE_URL", database_url)
    runner = CliRunner()
    intact = runner.invoke(app, ["log", "verify"])

    _tamper(store.engine, "UPDATE log_entries SET kind = 'changed' WHERE seq = 2")
    broken = runner.invoke(app, ["log", "verify"])

    assert (intact.exit_code, intact.output) == (
        0,
        f"{ENTRIES} entries verified; the chain is unbroken\n",
    )
    assert broken.exit_code == 1
    assert "entry 2: its content does not match its hash" in broken.output


def _append_many(url: str, writer: int, count: int) -> None:
    store = SqlStore(make_engine(url))
    for n in range(count):
        record = LogRecord(
            "decision_made", at(2025, 1, 1), ADULT, {"w": writer, "n": n}
        )
        store.append_log([record])
    store.engine.dispose()


def test_log_1_writers_in_several_processes_leave_one_unbroken_chain(
    engine: Engine, database_url: str
) -> None:
    create_schema(engine)
    engine.dispose()
    writers, each = 4, 50
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_append_many, args=(database_url, w, each))
        for w in range(writers)
    ]

    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    entries: list[dict[str, Any]] = list(SqlStore(engine).log_entries())

    assert [p.exitcode for p in processes] == [0] * writers
    assert verify_chain(entries) == (writers * each, None)
    assert sorted((e["body"]["w"], e["body"]["n"]) for e in entries) == [
        (w, n) for w in range(writers) for n in range(each)
    ]


def _append_pairs(store: SqlStore, writer: int, each: int) -> None:
    for n in range(each):
        store.append_log(
            [
                LogRecord(
                    "decision_made", at(2025, 1, 1), ADULT, {"w": writer, "n": n}
                ),
                LogRecord(
                    "decision_made", at(2025, 1, 1), ADULT, {"w": writer, "m": n}
                ),
            ]
        )


def test_log_1_appends_from_many_threads_at_once_leave_one_chain_each_whole(
    store: SqlStore,
) -> None:
    writers, each = 8, 25
    threads = [
        threading.Thread(target=_append_pairs, args=(store, w, each))
        for w in range(writers)
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    entries = list(store.log_entries())

    assert verify_chain(entries) == (writers * each * 2, None)
    bodies = [e["body"] for e in entries]
    firsts = sorted((b["w"], b["n"]) for b in bodies if "n" in b)
    assert firsts == [(w, n) for w in range(writers) for n in range(each)]
    for first, second in itertools.pairwise(bodies):
        if "n" in first:
            assert second == {"w": first["w"], "m": first["n"]}


def test_log_1_an_append_that_cannot_be_stored_fails_alone(store: SqlStore) -> None:
    failures: list[Exception] = []

    def bad() -> None:
        # A moment without a zone is refused when the entry is stored.
        record = LogRecord("decision_made", datetime(2025, 1, 2), ADULT, {})
        try:
            store.append_log([record])
        except Exception as error:
            failures.append(error)

    threads = [
        threading.Thread(target=_append_pairs, args=(store, w, 10)) for w in range(4)
    ]
    threads.append(threading.Thread(target=bad))

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    entries = list(store.log_entries())

    assert len(failures) == 1
    assert verify_chain(entries) == (4 * 10 * 2, None)


def test_log_1_a_group_of_entries_with_awkward_text_reads_back_as_hashed(
    store: SqlStore,
) -> None:
    awkward = 'tab\there, line\nbreak, back\\slash, "quote", ääkkönen, \\N'
    records = [
        LogRecord(f"kind\t{n}", at(2025, 4, 1, micro=n), ADULT, {awkward: [awkward]})
        for n in range(3)
    ]

    store.append_log(records)
    entries = list(store.log_entries())

    assert verify_chain(entries) == (3, None)
    assert [e["kind"] for e in entries] == ["kind\t0", "kind\t1", "kind\t2"]
    assert [e["body"] for e in entries] == [{awkward: [awkward]}] * 3
