"""Every method of the SQL store, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime

import pytest
from sql_builders import ADULT, CHILD, GUARDIAN, at, every_choice
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from kanta_consent.adapters.sql import SqlStore, make_engine
from kanta_consent.adapters.sql.store import as_store
from kanta_consent.domain.calendar import (
    DEFAULT_NOTICE_VERSIONS,
    DEFAULTS,
    NoticeVersion,
    Setting,
    SettingChange,
)
from kanta_consent.domain.choices import Acknowledgement, Actor
from kanta_consent.domain.codes import (
    ActorRole,
    Capacity,
    RegisterKind,
    Scope,
    ServiceTask,
)
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.domain.model import (
    Guardianship,
    Mandate,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)
from kanta_consent.services.ports import ApiClient, LogRecord, Store


def _people(store: SqlStore, *codes: str) -> None:
    for code in codes:
        store.add_person(Person(parse_identity_code(code)))


def _directory(store: SqlStore) -> None:
    with store.transaction():
        store.add_organisation(Organisation("org-1", True, None, "Vantaa"))
        store.add_organisation(Organisation("org-2", False, date(2022, 12, 31)))
        store.add_register(Register("reg-1", "org-1", RegisterKind.PUBLIC_HEALTH))
        store.add_register(
            Register("reg-2", "org-2", RegisterKind.PUBLIC_SOCIAL, date(2024, 3, 1))
        )


def test_sql_store_implements_the_store_port(store: SqlStore) -> None:
    port: Store = as_store(store)

    assert port is store


def test_id_1_a_person_is_found_by_code_with_name_and_safety_ban(
    store: SqlStore,
) -> None:
    person = Person(parse_identity_code(ADULT), safety_ban=True, name="Testi Aikuinen")

    store.add_person(person)

    assert store.find_person(ADULT) == person
    assert store.find_person(CHILD) is None


def test_adding_a_person_again_replaces_name_and_safety_ban(store: SqlStore) -> None:
    store.add_person(Person(parse_identity_code(ADULT), False, "Old"))

    store.add_person(Person(parse_identity_code(ADULT), True, "New"))

    assert store.find_person(ADULT) == Person(parse_identity_code(ADULT), True, "New")


def test_rep_1_guardianships_are_found_by_guardian_child_or_both(
    store: SqlStore,
) -> None:
    _people(store, ADULT, CHILD, GUARDIAN)
    first = Guardianship(GUARDIAN, CHILD, date(2015, 6, 15), None, blocked=True)
    second = Guardianship(ADULT, CHILD, date(2016, 1, 1), date(2030, 1, 1))

    store.add_guardianship(first)
    store.add_guardianship(second)

    assert store.guardianships(guardian=GUARDIAN) == [first]
    assert store.guardianships(child=CHILD) == [first, second]
    assert store.guardianships(guardian=ADULT, child=CHILD) == [second]
    assert store.guardianships(guardian=CHILD) == []


def test_rep_2_mandates_are_found_by_holder_principal_or_both(
    store: SqlStore,
) -> None:
    _people(store, ADULT, GUARDIAN, CHILD)
    first = Mandate(GUARDIAN, ADULT, date(2022, 1, 1), date(2025, 1, 1), None)
    second = Mandate(CHILD, ADULT, date(2022, 1, 1), None, date(2023, 2, 2))

    store.add_mandate(first)
    store.add_mandate(second)

    assert store.mandates(holder=GUARDIAN) == [first]
    assert store.mandates(principal=ADULT) == [first, second]
    assert store.mandates(holder=CHILD, principal=ADULT) == [second]
    assert store.mandates(principal=GUARDIAN) == []


def test_dis_8_the_directory_holds_organisations_registers_areas_and_links(
    store: SqlStore,
) -> None:
    _directory(store)

    store.add_joint_area("uusimaa", ["reg-1", "reg-2"])
    store.add_purchased_service("reg-2", "reg-1")
    directory = store.directory()

    assert directory.organisations["org-1"] == Organisation(
        "org-1", True, None, "Vantaa"
    )
    assert directory.organisations["org-2"].ended == date(2022, 12, 31)
    assert directory.registers["reg-2"] == Register(
        "reg-2", "org-2", RegisterKind.PUBLIC_SOCIAL, date(2024, 3, 1)
    )
    assert directory.share_joint_area("reg-1", "reg-2")
    assert directory.is_purchased_service("reg-2", "reg-1")


def test_the_cached_directory_is_renewed_after_a_write(store: SqlStore) -> None:
    _directory(store)
    before = store.directory()

    store.add_register(Register("reg-3", "org-1", RegisterKind.PRIVATE_HEALTH))

    assert "reg-3" not in before.registers
    assert "reg-3" in store.directory().registers


def test_inf_7_service_events_are_found_by_id_and_by_person(store: SqlStore) -> None:
    _people(store, ADULT, CHILD)
    _directory(store)
    full = ServiceEvent(
        "ev-1",
        CHILD,
        "reg-2",
        date(2023, 5, 1),
        kanta=False,
        capacity=Capacity.ABLE_FORBIDS,
        task=ServiceTask.CHILD_WELFARE,
        recorded_by="org-2",
    )
    bare = ServiceEvent("ev-2", CHILD, "reg-1", date(2022, 1, 1))

    store.add_event(full)
    store.add_event(bare)

    assert store.find_event("ev-1") == full
    assert store.find_event("missing") is None
    assert store.events_of(CHILD) == [bare, full]
    assert store.events_of(ADULT) == []


def test_log_3_every_choice_class_round_trips_with_every_field(
    store: SqlStore,
) -> None:
    _people(store, ADULT)
    choices = every_choice()

    with store.transaction():
        for choice in choices:
            store.add_choice(choice)
    history = store.choices_of(ADULT)

    assert history.choices == tuple(sorted(choices, key=lambda c: c.at))
    assert [c.at.tzinfo for c in history] == [UTC] * len(choices)
    assert store.choices_of(CHILD).choices == ()


def test_dis_11_a_batch_reads_each_persons_choices_in_order_in_one_call(
    store: SqlStore,
) -> None:
    _people(store, ADULT, CHILD, GUARDIAN)
    choices = every_choice()
    informed = Acknowledgement(
        id="k1",
        person=CHILD,
        at=at(2022, 1, 3),
        actor=Actor(ActorRole.GUARDIAN, person=GUARDIAN),
        version="2021-11",
        while_minor=True,
    )
    with store.transaction():
        for choice in [*choices, informed]:
            store.add_choice(choice)

    found = store.choices_of_many([ADULT, CHILD, GUARDIAN])

    assert set(found) == {ADULT, CHILD}
    assert found[ADULT].choices == store.choices_of(ADULT).choices
    assert found[CHILD].choices == (informed,)


def test_dis_11_the_state_as_of_a_moment_is_folded_from_the_stored_rows(
    store: SqlStore,
) -> None:
    _people(store, ADULT)
    for choice in every_choice():
        store.add_choice(choice)

    history = store.choices_of(ADULT)

    assert Scope.SOCIAL_TO_HEALTH in history.as_of(at(2022, 3, 1)).permissions
    assert history.as_of(at(2022, 3, 5)).permissions == {}
    assert set(history.as_of(at(2022, 4, 6)).prohibitions) == {"c4", "c4b"}
    assert set(history.as_of(at(2022, 5, 7)).prohibitions) == {"c4b"}


def test_inf_1_cal_1_the_seeded_calendar_is_the_default_one(store: SqlStore) -> None:
    calendar = store.calendar()

    assert dict(calendar.base) == dict(DEFAULTS)
    assert {v.version: v.current_from for v in calendar.notice_versions} == dict(
        DEFAULT_NOTICE_VERSIONS
    )


def test_cal_1_setting_changes_and_notice_versions_are_kept_with_their_history(
    store: SqlStore,
) -> None:
    change = SettingChange(
        Setting.PERMISSION_WELLBEING, date(2026, 1, 1), at(2025, 6, 1)
    )
    version = NoticeVersion("2025-06", date(2025, 6, 1), at(2025, 5, 1, micro=7))
    texts = {"fi": "Uusi", "sv": "Ny", "en": "New"}
    before = store.calendar()

    store.add_setting_change(change)
    store.add_notice_version(version, texts)
    calendar = store.calendar()

    assert before.changes == ()
    assert calendar.changes == (change,)
    assert calendar.value(Setting.PERMISSION_WELLBEING, at(2025, 6, 2)) == date(
        2026, 1, 1
    )
    assert calendar.value(Setting.PERMISSION_WELLBEING, at(2025, 5, 2)) == date(
        2024, 1, 1
    )
    assert calendar.current_notice(at(2025, 6, 2)) == version
    assert store.notice_texts("2025-06") == texts


def test_an_api_client_is_found_by_id(store: SqlStore) -> None:
    client = ApiClient("client-1", "reg-1", "ab" * 32, False, at(2025, 1, 1))

    store.add_client(client)

    assert store.find_client("client-1") == client
    assert store.find_client("client-2") is None


def test_transaction_rolls_back_every_write_on_error(store: SqlStore) -> None:
    _people(store, ADULT)
    _directory(store)
    store.directory()
    choice = every_choice()[0]

    with pytest.raises(RuntimeError), store.transaction():
        store.add_person(Person(parse_identity_code(CHILD)))
        store.add_choice(choice)
        store.add_organisation(Organisation("org-9", True))
        store.add_setting_change(
            SettingChange(Setting.REFORM, date(2030, 1, 1), at(2029, 1, 1))
        )
        store.append_log([LogRecord("x", at(2025, 1, 1), ADULT, {"n": 1})])
        assert "org-9" in store.directory().organisations
        raise RuntimeError("abort")

    assert store.find_person(CHILD) is None
    assert store.choices_of(ADULT).choices == ()
    assert "org-9" not in store.directory().organisations
    assert store.calendar().changes == ()
    assert list(store.log_entries()) == []


def test_a_moment_without_a_time_zone_is_refused(store: SqlStore) -> None:
    _people(store, ADULT)
    naive = Acknowledgement(
        id="n1",
        person=ADULT,
        at=datetime(2022, 1, 1, 12),
        actor=Actor(ActorRole.SELF, person=ADULT),
        version="2021-11",
    )

    with pytest.raises(Exception, match="has no time zone"):
        store.add_choice(naive)

    assert store.choices_of(ADULT).choices == ()


def test_dis_11_a_transaction_reads_its_own_choices_and_events_before_commit(
    store: SqlStore,
) -> None:
    _people(store, ADULT)
    _directory(store)
    choice = every_choice()[0]
    event = ServiceEvent("ev-9", ADULT, "reg-1", date(2024, 2, 1))

    with pytest.raises(RuntimeError), store.transaction():
        store.add_choice(choice)
        store.add_event(event)
        seen = (store.choices_of(ADULT).choices, store.find_event("ev-9"))
        raise RuntimeError("abort")

    assert seen == ((choice,), event)
    assert store.choices_of(ADULT).choices == ()
    assert store.find_event("ev-9") is None


def test_a_failed_read_leaves_the_store_able_to_read(store: SqlStore) -> None:
    _people(store, ADULT)
    store.add_choice(every_choice()[0])

    # PostgreSQL refuses a NUL in text, in the middle of the read; SQLite
    # finds no one. Either way the next read works.
    with contextlib.suppress(Exception):
        store.choices_of("\x00")

    assert len(store.choices_of(ADULT).choices) == 1


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_read_after_the_server_ended_its_connection_gets_a_new_one(
    store: SqlStore,
) -> None:
    _people(store, ADULT)
    store.add_choice(every_choice()[0])
    assert len(store.choices_of(ADULT).choices) == 1  # a reader is now kept
    admin = make_engine(store.engine.url, poolclass=NullPool)
    with admin.connect() as conn:
        # The connection that read the choices, whichever that was.
        ended = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND query LIKE 'SELECT % FROM choices WHERE person = %'"
            )
        ).scalar_one()
    admin.dispose()

    assert ended >= 1
    with pytest.raises(Exception, match=r"terminat|closed"):
        store.choices_of(ADULT)
    again = store.choices_of(ADULT)

    assert len(again.choices) == 1
