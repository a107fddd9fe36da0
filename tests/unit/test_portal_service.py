"""The portal's read side over a memory store: whom, what is offered, what is shown."""

from __future__ import annotations

from datetime import datetime

import pytest

from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.domain.choices import Target
from kanta_consent.domain.codes import ActorRole, RefusalCode, Scope, TargetKind
from kanta_consent.domain.errors import Refused
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.services import demo_people
from kanta_consent.services.consent import CareActor, ConsentService, PortalActor
from kanta_consent.services.demo_people import DemoPeople
from kanta_consent.services.portal import Change, PortalService

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI)


@pytest.fixture
def world() -> tuple[PortalService, DemoPeople]:
    store = MemoryStore()
    people = demo_people.load(store, NOW.date())
    return PortalService(store), people


def _acknowledge(service: PortalService, actor: str, principal: str) -> None:
    service.consent.acknowledge(PortalActor(actor), principal, NOW)


def test_rep_1_a_guardian_acts_for_self_then_each_child_eldest_first(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world

    found = service.principals(people.parent, NOW)

    assert [(p.person.id, p.role) for p in found] == [
        (people.parent, ActorRole.SELF),
        (people.child_16, ActorRole.GUARDIAN),
        (people.child_12, ActorRole.GUARDIAN),
    ]


def test_rep_2_a_mandate_holder_acts_for_self_then_the_principal(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world

    found = service.principals(people.mandate_holder, NOW)

    assert [p.role for p in found] == [ActorRole.SELF, ActorRole.MANDATE_HOLDER]
    assert found[1].person.id == people.principal


def test_inf_2_a_view_is_refused_before_the_gate(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world

    with pytest.raises(Refused) as refused:
        service.management(people.adult, people.adult, NOW)

    assert (refused.value.code, refused.value.rule) == (
        RefusalCode.NOTICE_PENDING,
        "INF-2",
    )


def test_rep_1_a_view_for_someone_without_a_right_is_refused(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world

    with pytest.raises(Refused) as refused:
        service.management(people.adult_with_permission, people.child_12, NOW)

    assert refused.value.code is RefusalCode.NO_RIGHT_TO_ACT


def test_min_2_a_minor_is_offered_nothing(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world

    offers = service.management(people.child_16, people.child_16, NOW).offers

    assert (offers.acknowledge, offers.grant, offers.withdraw) == (False, (), ())
    assert (offers.prohibit, offers.withdraw_prohibition) == ((), frozenset())


def test_rep_4_a_guardian_is_offered_permissions_and_no_prohibition(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world

    offers = service.management(people.parent, people.child_16, NOW).offers

    assert offers.grant == tuple(s.value for s in Scope)
    assert offers.withdraw == ("health",)
    assert offers.prohibit == ()


def test_rep_5_a_mandate_holder_is_offered_every_scope_but_wellbeing(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world
    _acknowledge(service, people.mandate_holder, people.principal)

    offers = service.management(people.mandate_holder, people.principal, NOW).offers

    assert "wellbeing" not in offers.grant
    assert "health" in offers.grant
    assert offers.prohibit != ()


def test_pro_1_a_target_already_prohibited_is_not_offered_again(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world
    person = people.adult_with_permission

    offered = {
        o.target for o in service.management(person, person, NOW).offers.prohibit
    }

    assert Target(TargetKind.SERVICE_EVENT, "ev-a2-clinic") not in offered
    assert Target(TargetKind.SERVICE_EVENT, "ev-a2-visit") in offered


def test_pro_6_settle_drops_the_emergency_allowance_of_a_social_target(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world
    social = Change(
        "prohibit", target=Target(TargetKind.ALL_SOCIAL), emergency_allowed=True
    )
    health = Change(
        "prohibit", target=Target(TargetKind.ALL_HEALTH), emergency_allowed=True
    )

    settled = (
        service.settle(people.adult, social, NOW).emergency_allowed,
        service.settle(people.adult, health, NOW).emergency_allowed,
    )

    assert settled == (False, True)


def test_rep_4_min_6_a_guardian_is_not_shown_the_childs_own_choices_in_care(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world
    care = CareActor("reg-county-health", "youth clinic")
    ConsentService(service.store).grant(care, people.child_16, Scope.SOCIAL, NOW)

    seen = service.management(people.parent, people.child_16, NOW)
    own = service.management(people.child_16, people.child_16, NOW)

    assert [p.scope for p in seen.permissions] == [Scope.HEALTH]
    assert all(c.actor.role is not ActorRole.PROFESSIONAL for c in seen.history)
    assert {p.scope for p in own.permissions} == {Scope.HEALTH, Scope.SOCIAL}


def test_rep_4_log_2_the_disclosure_log_is_refused_to_a_guardian(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world

    with pytest.raises(Refused) as refused:
        service.disclosures(people.parent, people.child_16, NOW)

    assert refused.value.code is RefusalCode.GUARDIAN_NOT_ALLOWED


def test_log_2_the_disclosure_log_lists_decisions_newest_first(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world
    person = people.adult_with_permission

    entries = service.disclosures(person, person, NOW)

    assert len(entries) == 4
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert entries[0].purpose == "emergency"
    assert entries[0].recipient is not None and entries[0].recipient.id == "reg-clinic"


def test_rep_7_a_guardian_sees_only_the_events_the_rule_shows(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world
    _acknowledge(service, people.parent, people.child_12)

    shown = service.visible_events(people.parent, people.child_12, NOW)

    assert {v.event.id for v in shown} == {"ev-c12-early", "ev-c12-cap1", "ev-c12-cap2"}


def test_inf_6_the_notice_status_names_the_version_and_who_acknowledged(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world

    status = service.notice_status(people.child_16, NOW)

    assert status.acknowledgement is not None
    assert status.acknowledgement.version == "2023-11"
    assert status.acknowledgement.actor.role is ActorRole.GUARDIAN
    assert status.current == "2023-11"


def test_pro_1_a_prohibition_confirmed_twice_is_given_once(
    world: tuple[PortalService, DemoPeople],
) -> None:
    service, people = world
    person = people.adult_with_permission
    change = Change("prohibit", target=Target(TargetKind.ALL_HEALTH))

    first = service.apply_change(person, person, change, NOW)
    second = service.apply_change(person, person, change, NOW)

    assert second == first
    given = service.consent.state_of(person, NOW).prohibitions
    assert [p.target for p in given.values()].count(change.target) == 1


def test_inf_1_the_default_versions_use_the_portals_own_words(
    world: tuple[PortalService, DemoPeople],
) -> None:
    from datetime import date

    from kanta_consent.domain.calendar import NoticeVersion

    service, _ = world
    added = NoticeVersion("2025-01", date(2025, 1, 1))
    service.store.add_notice_version(added, {"fi": "Uusi.", "en": "New."})

    found = [
        service.notice_text("2023-11", "en"),
        service.notice_text("2025-01", "en"),
        service.notice_text("2025-01", "sv"),
    ]

    assert found == [None, "New.", "Uusi."]
