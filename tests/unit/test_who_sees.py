"""Who can see the data agrees with the decisions asked one by one.

For the people of the public scenarios, at every moment of their steps,
and for people and choices that hypothesis makes up, every event's view
and the view of all the data are checked against `ConsentService.decide`
asked for every register and every purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from builders import (
    ADULT,
    DIRECTORY,
    World,
    ack,
    at,
    grant,
    prohibit,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.choices import Target
from kanta_consent.domain.codes import (
    Capacity,
    Purpose,
    RegisterKind,
    Scope,
    Sector,
    ServiceTask,
    TargetKind,
)
from kanta_consent.domain.decide import Data
from kanta_consent.domain.model import Directory
from kanta_consent.domain.reach import Access
from kanta_consent.domain.who_sees import Reacher, WhoCanSee, kinds_of_data
from kanta_consent.services.consent import ConsentService, PortalActor
from kanta_consent.services.my_data import MyDataService
from kanta_consent.services.scenario_file import Scenario, load_scenario
from kanta_consent.services.scenario_runner import run_scenario

SCENARIOS = Path(__file__).resolve().parents[3] / "shared" / "scenarios"


def expected_reach(
    service: ConsentService,
    person: str,
    data: Data,
    directory: Directory,
    moment: datetime,
) -> dict[str, tuple[Access, str]]:
    """Asks the decision one by one, for every register and every purpose."""
    found = {}
    for register in directory.registers.values():
        if register.id == data.register:
            continue

        def ask(purpose: Purpose, to: str = register.id) -> tuple[bool, str]:
            decision = service.decide(
                person, data, to, purpose, moment, disclosure=False
            )
            return decision.is_permit, decision.reason.value

        care, emergency = ask(Purpose.CARE), ask(Purpose.EMERGENCY)
        statutory = ask(Purpose.STATUTORY)
        if care[0]:
            found[register.id] = (Access.CARE, care[1])
        elif emergency[0]:
            found[register.id] = (Access.EMERGENCY_ONLY, emergency[1])
        elif register.kind is RegisterKind.PUBLIC_SOCIAL and statutory[0]:
            found[register.id] = (Access.STATUTORY_ONLY, statutory[1])
        else:
            found[register.id] = (Access.NONE, care[1])
    return found


def actual_reach(view: WhoCanSee) -> dict[str, tuple[Access, str]]:
    return {r.register.id: (r.access, r.basis.reason.value) for r in view.everyone}


def widest(views: Iterable[dict[str, tuple[Access, str]]]) -> dict[str, Access]:
    order = [Access.NONE, Access.STATUTORY_ONLY, Access.EMERGENCY_ONLY, Access.CARE]
    found: dict[str, Access] = {}
    for view in views:
        for register, (access, _) in view.items():
            held = found.get(register, Access.NONE)
            found[register] = max(held, access, key=order.index)
    return found


def _run(scenario: Scenario) -> MemoryStore:
    stores: list[MemoryStore] = []

    def factory(calendar: Calendar) -> MemoryStore:
        stores.append(MemoryStore(calendar))
        return stores[-1]

    result = run_scenario(scenario, factory)
    assert result.passed, result.failures
    return stores[0]


def _check_agreement(store: MemoryStore, person: str, moment: datetime) -> None:
    service = ConsentService(store)
    directory = store.directory()
    reacher = Reacher(
        store.choices_of(person).as_of(moment), directory, store.calendar(), moment
    )
    data = [
        Data.of_event(e, directory.registers[e.register])
        for e in store.events_of(person)
    ]
    data += list(kinds_of_data())

    views = [reacher.who_can_see(d) for d in data]

    expected = [expected_reach(service, person, d, directory, moment) for d in data]
    assert [actual_reach(v) for v in views] == expected
    assert {r.register.id: r.access for r in reacher.of_all(data).everyone} == widest(
        expected
    )


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_dis_11_who_can_see_agrees_with_single_decisions_for_the_scenario_people(
    path: Path,
) -> None:
    scenario = load_scenario(path)
    store = _run(scenario)
    moments = sorted({s.at for s in scenario.steps})
    moments += [moments[-1] + timedelta(days=800)]

    for code in scenario.people.values():
        for moment in moments:
            _check_agreement(store, code, moment)


def test_dis_12_the_scenario_checks_above_log_no_decision() -> None:
    scenario = load_scenario(SCENARIOS / "emergency.yaml")
    store = _run(scenario)
    logged = len(store.log)

    for code in scenario.people.values():
        _check_agreement(store, code, at(2022, 1, 1))

    assert len(store.log) == logged


# Generated people and choices: every event of every kind of register, and
# prohibitions of events, tasks, organisations and registers.

EVENT_SPECS = st.lists(
    st.tuples(
        st.sampled_from(sorted(DIRECTORY.registers)),
        st.booleans(),
        st.sampled_from([None, *ServiceTask]),
        st.sampled_from([None, "helsinki"]),
    ),
    min_size=1,
    max_size=6,
)

TARGETS = [
    Target(TargetKind.SERVICE_EVENT, "e0"),
    Target(TargetKind.SERVICE_EVENT, "e1"),
    Target(TargetKind.DOCUMENT, "e2"),
    Target(TargetKind.ORGANISATION, "hus"),
    Target(TargetKind.ORGANISATION, "helsinki"),
    Target(TargetKind.REGISTER, "pirha-health"),
    Target(TargetKind.SERVICE_TASK, ServiceTask.FAMILIES.value),
    Target(TargetKind.ALL_HEALTH),
    Target(TargetKind.ALL_SOCIAL),
]

CHOICE_SPECS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1500),
        st.sampled_from(["ack", "grant", "prohibit"]),
        st.sampled_from(list(Scope)),
        st.sampled_from(TARGETS),
        st.booleans(),
        st.sampled_from(
            [
                frozenset({Sector.HEALTH}),
                frozenset({Sector.SOCIAL}),
                frozenset({Sector.HEALTH, Sector.SOCIAL}),
            ]
        ),
    ),
    max_size=7,
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    events=EVENT_SPECS,
    choices=CHOICE_SPECS,
    days=st.integers(min_value=0, max_value=1600),
)
def test_dis_11_who_can_see_agrees_with_single_decisions_for_generated_people(
    events: list[tuple[str, bool, ServiceTask | None, str | None]],
    choices: list[tuple[int, str, Scope, Target, bool, frozenset[Sector]]],
    days: int,
) -> None:
    world = World()
    person = world.add_code(ADULT)
    start = at(2021, 11, 2)
    for n, (register, kanta, task, recorded_by) in enumerate(events):
        social = DIRECTORY.registers[register].sector is Sector.SOCIAL
        world.add_event(
            f"e{n}",
            person,
            register,
            date(2021, 1, 1) + timedelta(days=n),
            kanta,
            Capacity.ABLE_ALLOWS,
            task if social else None,
            recorded_by,
        )
    for offset, kind, scope, target, emergency, sectors in choices:
        moment = start + timedelta(days=offset)
        if kind == "ack":
            world.store.add_choice(ack(moment))
        elif kind == "grant":
            world.store.add_choice(grant(moment, scope))
        else:
            world.store.add_choice(prohibit(moment, target, sectors, emergency))

    _check_agreement(world.store, person, start + timedelta(days=days))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    events=EVENT_SPECS,
    choices=CHOICE_SPECS,
    days=st.integers(min_value=0, max_value=1500),
)
def test_dis_11_dis_12_my_data_agrees_with_single_decisions_and_logs_nothing(
    events: list[tuple[str, bool, ServiceTask | None, str | None]],
    choices: list[tuple[int, str, Scope, Target, bool, frozenset[Sector]]],
    days: int,
) -> None:
    world = World()
    person = world.add_code(ADULT)
    start = at(2021, 11, 2)
    for n, (register, kanta, task, recorded_by) in enumerate(events):
        social = DIRECTORY.registers[register].sector is Sector.SOCIAL
        world.add_event(
            f"e{n}",
            person,
            register,
            date(2021, 1, 1) + timedelta(days=n),
            kanta,
            task=task if social else None,
            recorded_by=recorded_by,
        )
    for offset, kind, scope, target, emergency, sectors in choices:
        moment = start + timedelta(days=offset)
        if kind == "grant":
            world.store.add_choice(grant(moment, scope))
        elif kind == "prohibit":
            world.store.add_choice(prohibit(moment, target, sectors, emergency))
    world.store.add_choice(ack(start - timedelta(days=1), version=None))
    now = at(2026, 1, 5)
    world.service.acknowledge(PortalActor(person), person, now)
    as_of = start + timedelta(days=days)
    logged = len(world.store.log)

    page = MyDataService(world.store, world.service).my_data(
        person, person, now + timedelta(minutes=1), as_of=as_of
    )

    directory = world.store.directory()
    for entry in page.events:
        data = Data.of_event(entry.event, entry.register)
        expected = expected_reach(world.service, person, data, directory, as_of)
        assert actual_reach(entry.who) == expected
    assert len(world.store.log) == logged
