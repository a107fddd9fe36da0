"""Portal visits in the SQL store, on SQLite and PostgreSQL (DIS-9)."""

from __future__ import annotations

from datetime import UTC, datetime

from sql_builders import ADULT, GUARDIAN, at

from kanta_consent.adapters.sql import SqlStore
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.domain.model import Person


def test_dis_9_the_last_visit_is_the_latest_before_the_moment_asked(
    store: SqlStore,
) -> None:
    for code in (ADULT, GUARDIAN):
        store.add_person(Person(parse_identity_code(code)))
    for moment in (at(2024, 5, 1), at(2024, 5, 20), at(2024, 6, 3)):
        store.record_visit(ADULT, moment)
    store.record_visit(GUARDIAN, at(2024, 6, 1))

    before_third = store.last_visit(ADULT, at(2024, 6, 3))
    before_first = store.last_visit(ADULT, at(2024, 5, 1))

    assert before_third == at(2024, 5, 20).astimezone(UTC)
    assert before_third is not None and before_third.tzinfo is not None
    assert before_first is None


def test_dis_9_a_visit_recorded_in_a_failed_transaction_is_not_kept(
    store: SqlStore,
) -> None:
    store.add_person(Person(parse_identity_code(ADULT)))

    try:
        with store.transaction():
            store.record_visit(ADULT, at(2024, 5, 1))
            raise RuntimeError("stop")
    except RuntimeError:
        pass

    assert store.last_visit(ADULT, datetime(2030, 1, 1, tzinfo=UTC)) is None


def test_a_session_ended_by_logging_out_stays_ended(store: SqlStore) -> None:
    store.end_session("s-1", at(2024, 5, 1))
    store.end_session("s-1", at(2024, 5, 2))

    assert store.is_session_ended("s-1") is True
    assert store.is_session_ended("s-2") is False
