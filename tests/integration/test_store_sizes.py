"""PostgreSQL: the bulk writes store a text whole or refuse it, never cut short.

They send each column as one array. Cast to varchar(n)[], a longer text was
cut to n characters without a word (PostgreSQL's rule for explicit casts):
an earlier-law choice's unit of 150 characters was stored as its first 100.
The arrays are now of varchar without a length, so the column itself
refuses the text, and the store raises `StoreRefused` having stored none
of the batch. An import that meets it still takes every other row.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from typing import ClassVar

import pytest
from sql_builders import ADULT, GUARDIAN, at, hetu

from kanta_consent.adapters.logging import configure_logging
from kanta_consent.adapters.sql import SqlStore
from kanta_consent.domain.choices import Acknowledgement, Actor, Choice
from kanta_consent.domain.codes import ActorRole, Channel, Origin, RegisterKind
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.domain.model import Organisation, Person, Register, ServiceEvent
from kanta_consent.services.import_choices import LegacyChoices
from kanta_consent.services.imports import Row, import_rows
from kanta_consent.services.ports import StoreRefused

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]

TOO_LONG = "value too long for type character varying"


def informing(choice_id: str, unit: str | None = None) -> Choice:
    return Acknowledgement(
        id=choice_id,
        person=ADULT,
        at=at(2019, 1, 10),
        actor=Actor(ActorRole.IMPORT, unit=unit),
        channel=Channel.CARE,
        origin=Origin.LEGACY,
        version=None,
    )


def event(event_id: str, recorded_by: str | None = None) -> ServiceEvent:
    return ServiceEvent(
        event_id, ADULT, "reg-1", date(2022, 3, 1), recorded_by=recorded_by
    )


@pytest.fixture
def world(store: SqlStore) -> SqlStore:
    with store.transaction():
        store.add_people([Person(parse_identity_code(c)) for c in (ADULT, GUARDIAN)])
        store.add_organisation(Organisation("org-1", True))
        store.add_register(Register("reg-1", "org-1", RegisterKind.PUBLIC_HEALTH))
    return store


def test_log_3_add_choices_refuses_a_unit_too_long_and_stores_none_of_the_batch(
    world: SqlStore,
) -> None:
    choices = [informing("c1"), informing("c2", unit="u" * 101)]

    with pytest.raises(StoreRefused, match=TOO_LONG):
        world.add_choices(choices)

    assert world.find_choices(["c1", "c2"]) == {}
    assert world.choices_of(ADULT).choices == ()


def test_log_3_add_choices_refuses_an_id_longer_than_64_characters(
    world: SqlStore,
) -> None:
    with pytest.raises(StoreRefused, match=TOO_LONG):
        world.add_choices([informing("c" * 65)])

    assert world.choices_of(ADULT).choices == ()


def test_add_events_refuses_an_id_or_organisation_too_long_and_stores_none(
    world: SqlStore,
) -> None:
    with pytest.raises(StoreRefused, match=TOO_LONG):
        world.add_events([event("ev-1"), event("e" * 101)])
    with pytest.raises(StoreRefused, match=TOO_LONG):
        world.add_events([event("ev-2", recorded_by="o" * 101)])

    assert world.find_events(["ev-1", "ev-2"]) == {}
    assert list(world.events_of(ADULT)) == []


def test_add_people_refuses_a_name_too_long_and_keeps_the_stored_one(
    world: SqlStore,
) -> None:
    renamed = Person(parse_identity_code(ADULT), name="n" * 201)

    with pytest.raises(StoreRefused, match=TOO_LONG):
        world.add_people([renamed])

    assert world.find_person(ADULT) == Person(parse_identity_code(ADULT))


def test_log_3_texts_at_their_columns_size_are_stored_whole(world: SqlStore) -> None:
    choice = informing("c" * 64, unit="u" * 100)
    held = event("e" * 100)

    with world.transaction():
        world.add_choices([choice])
        world.add_events([held])

    assert world.find_choices([choice.id]) == {choice.id: choice}
    assert world.find_events([held.id]) == {held.id: held}


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    # The import logs its counts; a stream of the test's own takes them.
    output = io.StringIO()
    configure_logging("json", stream=output)
    yield output


class UncheckedLegacyChoices(LegacyChoices):
    """Earlier-law choices with no sizes checked: a text too long reaches the store."""

    sizes: ClassVar[dict[str, int]] = {}


def test_pro_2_an_import_reports_the_row_the_store_refuses_and_takes_the_rest(
    world: SqlStore, log: io.StringIO
) -> None:
    other = hetu(date(1975, 5, 5), 904)
    world.add_people([Person(parse_identity_code(other))])
    header = ["type", "person", "date", "unit", "target_kind", "target_ref"]
    lines = [
        f"informing,{ADULT},2019-01-10,{'u' * 101},,",
        # It rests on the informing above, which the store refused (PRO-2).
        f"prohibition,{ADULT},2019-03-01,,organisation,org-1",
        f"informing,{other},2019-01-10,{'u' * 100},,",
    ]
    rows = [
        Row(line, dict(zip(header, text.split(","), strict=True)))
        for line, text in enumerate(lines, start=2)
    ]

    report = import_rows(world, UncheckedLegacyChoices(at(2025, 3, 3)), header, rows)

    assert [(p.line, p.field, p.reason) for p in report.problems] == [
        (2, "row", f"the store refused it: {TOO_LONG}(100)"),
        (3, "date", "no informing or consent at or before it (PRO-2, PER-4)"),
    ]
    assert (report.added, report.refused) == (1, 2)
    assert world.choices_of(ADULT).choices == ()
    [taken] = world.choices_of(other).choices
    assert taken.actor == Actor(ActorRole.IMPORT, unit="u" * 100)
    # Counts only: the store's refusal carries none of the row's values.
    [finished] = [json.loads(line) for line in log.getvalue().splitlines()]
    assert (finished["event"], finished["refused"]) == ("import_finished", 2)


def test_a_longer_key_finds_nothing_not_the_row_its_first_characters_name(
    world: SqlStore,
) -> None:
    # Cast to varchar(n)[], the keys of a look-up were cut to n characters:
    # an 80-character id found the choice of its first 64.
    stored = "c" * 64
    world.add_choices([informing(stored)])
    world.add_events([event("e" * 100)])

    assert set(world.find_choices([stored])) == {stored}
    assert world.find_choices([stored + "x" * 16]) == {}
    assert world.find_events(["e" * 100 + "x"]) == {}
    assert world.known_people([ADULT + "X"]) == set()
    assert world.known_people([ADULT]) == {ADULT}
