"""My data: the events a viewer is shown, who can see them, then and after a change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from builders import ADULT, OTHER_ADULT, World, at, hetu

from kanta_consent.domain.choices import PermissionGranted, ProhibitionGiven, Target
from kanta_consent.domain.codes import (
    ActorRole,
    Capacity,
    Purpose,
    Reason,
    RefusalCode,
    Scope,
    Sector,
    ServiceTask,
    TargetKind,
)
from kanta_consent.domain.decide import Data
from kanta_consent.domain.errors import InvalidValue, Refused
from kanta_consent.domain.model import Register
from kanta_consent.domain.reach import Access
from kanta_consent.services.consent import CareActor, PortalActor
from kanta_consent.services.errors import UnknownEvent
from kanta_consent.services.my_data import PAGE_SIZE, MyDataService, PlannedChange

NOW = at(2024, 6, 3, 10)
ME = PortalActor(ADULT)


def adult_world() -> tuple[World, MyDataService]:
    world = World()
    world.add_code(ADULT)
    world.store.add_register(
        Register(
            "hus-social-kanta",
            "hus",
            world.store.registers["hus-social"].kind,
            kanta_from=date(2024, 3, 4),
        )
    )
    world.service.acknowledge(ME, ADULT, at(2023, 12, 1))
    return world, MyDataService(world.store, world.service)


def test_inf_7_my_data_lists_health_and_social_events_together_newest_first() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    world.add_event(
        "decision", ADULT, "hus-social", date(2023, 6, 1), task=ServiceTask.FAMILIES
    )
    world.add_event("later", ADULT, "medi-health", date(2024, 1, 2))

    page = service.my_data(ADULT, ADULT, NOW)

    assert [e.event.id for e in page.events] == ["later", "decision", "visit"]
    assert page.events[1].register.id == "hus-social"
    assert page.events[1].event.task is ServiceTask.FAMILIES


def test_inf_7_social_events_show_only_from_their_registers_kanta_day() -> None:
    world, service = adult_world()
    world.add_event("old-document", ADULT, "hus-social-kanta", date(2023, 8, 15))

    before = service.my_data(ADULT, ADULT, at(2024, 3, 3, 23))
    after = service.my_data(ADULT, ADULT, at(2024, 3, 4, 8))

    assert [e.event.id for e in before.events] == []
    assert [e.event.id for e in after.events] == ["old-document"]


def test_inf_7_events_kept_outside_kanta_are_not_listed() -> None:
    world, service = adult_world()
    world.add_event("outside", ADULT, "pirha-health", date(2023, 5, 1), kanta=False)
    world.add_event("inside", ADULT, "pirha-health", date(2023, 5, 2))

    page = service.my_data(ADULT, ADULT, NOW)

    assert [e.event.id for e in page.events] == ["inside"]


def test_my_data_shows_fifty_events_a_page_and_all_of_them_in_the_whole_view() -> None:
    world, service = adult_world()
    for n in range(PAGE_SIZE + 5):
        register = "pirha-health" if n < PAGE_SIZE else "medi-health"
        world.add_event(f"e{n:03d}", ADULT, register, date(2020, 1, 1) + timedelta(n))

    first = service.my_data(ADULT, ADULT, NOW)
    second = service.my_data(ADULT, ADULT, NOW, page=2)

    assert (first.total, first.pages, len(first.events)) == (55, 2, 50)
    assert [e.event.id for e in second.events] == [
        f"e{n:03d}" for n in range(4, -1, -1)
    ]
    assert {r.id for r in second.of_all.own} == {"pirha-health", "medi-health"}


def test_my_data_refuses_a_page_that_does_not_exist_naming_the_field() -> None:
    _, service = adult_world()

    with pytest.raises(InvalidValue) as raised:
        service.my_data(ADULT, ADULT, NOW, page=3)

    assert raised.value.field == "page"


def test_dis_7_who_can_see_names_the_permission_with_its_date_and_maker() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    world.service.grant(ME, ADULT, Scope.HEALTH, at(2023, 12, 2))

    entry = service.event(ADULT, ADULT, "visit", NOW)

    to_hus = next(r for r in entry.who.care if r.register.id == "hus-health")
    (permission,) = to_hus.basis.choices
    assert (to_hus.basis.reason, to_hus.basis.rule) == (Reason.PERMISSION, "DIS-7")
    assert isinstance(permission, PermissionGranted)
    assert (permission.at, permission.actor.role) == (at(2023, 12, 2), ActorRole.SELF)
    assert [r.id for r in entry.who.own] == ["pirha-health"]


def test_dis_2_dis_9_without_a_permission_care_reaches_the_producer_and_others_in_emergency() -> (  # noqa: E501
    None
):
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))

    entry = service.event(ADULT, ADULT, "visit", NOW)

    assert [(r.register.id, r.basis.reason) for r in entry.who.care] == [
        ("medi-health", Reason.PURCHASED_SERVICE)
    ]
    assert "hus-health" in {r.register.id for r in entry.who.emergency_only}
    assert entry.who.find("pirha-health") is None


def test_dis_6_who_can_see_tells_of_a_prohibition_of_the_visit() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    world.service.grant(ME, ADULT, Scope.HEALTH, at(2023, 12, 2))
    given = world.service.prohibit(
        ME, ADULT, Target(TargetKind.SERVICE_EVENT, "visit"), at(2023, 12, 3)
    )

    entry = service.event(ADULT, ADULT, "visit", NOW)

    hus = entry.who.find("hus-health")
    assert hus is not None and hus.access is Access.NONE
    assert (hus.basis.reason, [c.id for c in hus.basis.choices]) == (
        Reason.PROHIBITED,
        [given.id],
    )


def test_pro_6_an_emergency_only_reach_tells_why_not_for_care_and_why_then() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    world.service.grant(ME, ADULT, Scope.HEALTH, at(2023, 12, 2))
    given = world.service.prohibit(
        ME,
        ADULT,
        Target(TargetKind.SERVICE_EVENT, "visit"),
        at(2023, 12, 3),
        emergency_allowed=True,
    )

    entry = service.event(ADULT, ADULT, "visit", NOW)

    hus = entry.who.find("hus-health")
    assert hus is not None and hus.access is Access.EMERGENCY_ONLY
    assert hus.care_basis is not None
    assert (hus.care_basis.reason, [c.id for c in hus.care_basis.choices]) == (
        Reason.PROHIBITED,
        [given.id],
    )
    assert hus.basis.reason is Reason.PERMISSION


def test_dis_4_dis_5_prescriptions_and_statutory_social_disclosures_are_shown() -> None:
    world, service = adult_world()
    world.add_event(
        "document", ADULT, "pirha-social", date(2023, 6, 1), task=ServiceTask.FAMILIES
    )

    page = service.my_data(ADULT, ADULT, NOW)

    prescriptions = next(
        w for d, w in page.other_data if d.sector is Sector.PRESCRIPTION
    )
    assert {r.basis.reason for r in prescriptions.care} == {Reason.PRESCRIPTION}
    statutory = page.events[0].who.statutory_only
    assert [(r.register.id, r.basis.rule) for r in statutory] == [
        ("hus-social", "DIS-5"),
        ("hus-social-kanta", "DIS-5"),
    ]


def test_dis_12_who_can_see_and_previews_are_not_logged_as_disclosures() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    logged = len(world.store.log)

    service.my_data(ADULT, ADULT, NOW)
    service.event(ADULT, ADULT, "visit", NOW, as_of=at(2023, 6, 1))
    service.preview(ADULT, ADULT, PlannedChange("grant", scope=Scope.HEALTH), NOW)

    assert len(world.store.log) == logged


def test_dis_11_the_view_as_of_a_past_date_shows_what_the_choices_allowed_then() -> (
    None
):
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    world.service.grant(ME, ADULT, Scope.HEALTH, at(2023, 12, 2))
    world.service.prohibit(
        ME, ADULT, Target(TargetKind.SERVICE_EVENT, "visit"), at(2024, 2, 1)
    )

    then = service.event(ADULT, ADULT, "visit", NOW, as_of=at(2024, 1, 15))
    now = service.event(ADULT, ADULT, "visit", NOW)

    assert then.who.access_of("hus-health") is Access.CARE
    assert now.who.access_of("hus-health") is Access.NONE


def test_dis_11_the_view_of_a_past_day_lists_only_events_recorded_by_then() -> None:
    world, service = adult_world()
    world.add_event("earlier", ADULT, "pirha-health", date(2024, 1, 10))
    world.add_event("later", ADULT, "pirha-health", date(2024, 1, 20))

    then = service.my_data(ADULT, ADULT, NOW, as_of=at(2024, 1, 15))
    now = service.my_data(ADULT, ADULT, NOW)

    assert [e.event.id for e in then.events] == ["earlier"]
    assert [e.event.id for e in now.events] == ["later", "earlier"]


def test_dis_11_a_view_of_the_future_is_refused_naming_the_field() -> None:
    _, service = adult_world()

    with pytest.raises(InvalidValue) as raised:
        service.my_data(ADULT, ADULT, NOW, as_of=NOW + timedelta(days=1))

    assert raised.value.field == "as_of"


def test_inf_2_my_data_is_refused_before_the_notice_is_acknowledged() -> None:
    world = World()
    world.add_code(OTHER_ADULT)
    service = MyDataService(world.store, world.service)

    with pytest.raises(Refused) as raised:
        service.my_data(OTHER_ADULT, OTHER_ADULT, NOW)

    assert raised.value.code is RefusalCode.NOTICE_PENDING


# Guardians (REP-4, REP-7)

CHILD = hetu(date(2012, 1, 10), number=903)


def guardian_world() -> tuple[World, MyDataService]:
    world, service = adult_world()
    world.add_code(CHILD)
    world.add_guardian(ADULT, CHILD, date(2012, 1, 10))
    world.service.acknowledge(ME, CHILD, at(2023, 12, 1, 13))
    world.add_event("young", CHILD, "pirha-health", date(2021, 5, 1))
    world.add_event(
        "marked", CHILD, "pirha-health", date(2023, 5, 1), capacity=Capacity.NOT_ABLE
    )
    world.add_event(
        "forbids",
        CHILD,
        "pirha-health",
        date(2023, 5, 2),
        capacity=Capacity.ABLE_FORBIDS,
    )
    world.add_event("unmarked", CHILD, "hus-health", date(2023, 5, 3))
    world.add_event(
        "marked-document",
        CHILD,
        "pirha-social",
        date(2023, 5, 4),
        capacity=Capacity.ABLE_ALLOWS,
        task=ServiceTask.FAMILIES,
    )
    return world, service


def test_rep_7_a_guardian_of_a_12_year_old_sees_marked_events_not_unmarked() -> None:
    _, service = guardian_world()

    page = service.my_data(ADULT, CHILD, NOW)

    assert page.role is ActorRole.GUARDIAN
    assert [e.event.id for e in page.events] == ["marked-document", "marked", "young"]
    assert {r.id for r in page.of_all.own} == {"pirha-health", "pirha-social"}


def test_rep_7_a_guardian_is_told_nothing_of_a_hidden_event() -> None:
    _, service = guardian_world()

    with pytest.raises(UnknownEvent):
        service.event(ADULT, CHILD, "forbids", NOW)


def test_rep_4_a_guardian_is_not_shown_the_childs_own_choice_made_in_care() -> None:
    world, service = guardian_world()
    world.service.grant(CareActor("hus-health"), CHILD, Scope.HEALTH, at(2024, 1, 5))

    entry = service.event(ADULT, CHILD, "marked", NOW)
    own = service.event(CHILD, CHILD, "marked", NOW)

    to_hus = next(r for r in entry.who.care if r.register.id == "hus-health")
    assert (to_hus.basis.reason, to_hus.basis.choices) == (Reason.PERMISSION, ())
    assert to_hus.basis.withheld
    child_sees = own.who.find("hus-health")
    assert child_sees is not None and len(child_sees.basis.choices) == 1


def test_rep_4_a_guardian_is_refused_the_childs_emergency_disclosures() -> None:
    _, service = guardian_world()

    with pytest.raises(Refused) as raised:
        service.emergencies_since_last_visit(ADULT, CHILD, NOW, NOW)

    assert raised.value.code is RefusalCode.GUARDIAN_NOT_ALLOWED


# The preview of a change


def test_dis_6_the_preview_of_a_prohibition_lists_the_registers_that_lose_access() -> (
    None
):
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    world.service.grant(ME, ADULT, Scope.HEALTH, at(2023, 12, 2))
    change = PlannedChange("prohibit", target=Target(TargetKind.ORGANISATION, "pirha"))

    preview = service.preview(ADULT, ADULT, change, NOW)

    lost = {(c.register.id, c.before, c.after) for c in preview.losses}
    assert ("hus-health", Access.CARE, Access.NONE) in lost
    assert preview.gains == ()
    assert all(c.basis.reason is Reason.PROHIBITED for c in preview.losses)
    assert world.store.choices_of(ADULT).as_of(NOW).prohibitions == {}


def test_dis_7_the_preview_of_a_grant_lists_the_registers_that_gain_access() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))

    preview = service.preview(
        ADULT, ADULT, PlannedChange("grant", scope=Scope.HEALTH), NOW
    )

    gained = {(c.register.id, c.before, c.after) for c in preview.gains}
    assert ("hus-health", Access.EMERGENCY_ONLY, Access.CARE) in gained
    assert preview.losses == ()


def test_pro_6_the_preview_of_a_prohibition_allowing_emergencies_keeps_them() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    world.service.grant(ME, ADULT, Scope.HEALTH, at(2023, 12, 2))
    change = PlannedChange(
        "prohibit",
        target=Target(TargetKind.SERVICE_EVENT, "visit"),
        emergency_allowed=True,
    )

    preview = service.preview(ADULT, ADULT, change, NOW)

    lost = {(c.register.id, c.after) for c in preview.losses}
    assert ("hus-health", Access.EMERGENCY_ONLY) in lost


def test_rep_4_the_preview_refuses_a_prohibition_by_a_guardian() -> None:
    _, service = guardian_world()
    change = PlannedChange("prohibit", target=Target(TargetKind.ALL_HEALTH))

    with pytest.raises(Refused) as raised:
        service.preview(ADULT, CHILD, change, NOW)

    assert raised.value.code is RefusalCode.GUARDIAN_NOT_ALLOWED


def test_the_preview_of_a_withdrawal_lists_what_the_withdrawn_choice_allowed() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    world.service.grant(ME, ADULT, Scope.HEALTH, at(2023, 12, 2))
    given = world.service.prohibit(
        ME, ADULT, Target(TargetKind.ORGANISATION, "pirha"), at(2023, 12, 3)
    )
    assert isinstance(given, ProhibitionGiven)

    undo = service.preview(
        ADULT,
        ADULT,
        PlannedChange("withdraw-prohibition", prohibition=given.id),
        NOW,
    )
    drop = service.preview(
        ADULT, ADULT, PlannedChange("withdraw-permission", scope=Scope.HEALTH), NOW
    )

    assert ("hus-health", Access.CARE) in {(c.register.id, c.after) for c in undo.gains}
    assert drop.changes == ()


# Emergencies since the last visit (DIS-9)


def test_dis_9_the_emergency_disclosures_since_the_last_visit_are_told() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    _, data = world.service.event_data("visit")
    service.record_visit(ADULT, at(2024, 5, 1))
    world.service.decide(ADULT, data, "hus-health", Purpose.EMERGENCY, at(2024, 4, 30))
    world.service.decide(ADULT, data, "hus-health", Purpose.EMERGENCY, at(2024, 5, 20))
    world.service.decide(ADULT, data, "hus-health", Purpose.CARE, at(2024, 5, 21))
    service.record_visit(ADULT, NOW)

    since = service.emergencies_since_last_visit(ADULT, ADULT, NOW, NOW)

    assert [(e.at, e.recipient and e.recipient.id) for e in since] == [
        (at(2024, 5, 20), "hus-health")
    ]
    assert since[0].event is not None and since[0].event.id == "visit"


def test_dis_9_with_no_earlier_visit_every_emergency_disclosure_is_new() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    _, data = world.service.event_data("visit")
    world.service.decide(ADULT, data, "hus-health", Purpose.EMERGENCY, at(2024, 4, 30))
    world.service.decide(ADULT, data, "medi-health", Purpose.CARE, at(2024, 4, 30))

    since = service.emergencies_since_last_visit(ADULT, ADULT, NOW, NOW)

    assert [e.reason for e in since] == ["emergency"]


def test_dis_9_a_denied_emergency_request_is_no_disclosure() -> None:
    world, service = adult_world()
    world.add_event("visit", ADULT, "pirha-health", date(2023, 5, 1))
    world.service.prohibit(
        ME, ADULT, Target(TargetKind.SERVICE_EVENT, "visit"), at(2023, 12, 3)
    )
    _, data = world.service.event_data("visit")
    world.service.decide(ADULT, data, "hus-health", Purpose.EMERGENCY, at(2024, 4, 30))

    since = service.emergencies_since_last_visit(ADULT, ADULT, NOW, NOW)

    assert since == []


def test_the_kinds_of_data_without_an_event_are_prescriptions_and_wellbeing() -> None:
    _, service = adult_world()

    page = service.my_data(ADULT, ADULT, NOW)

    assert [d for d, _ in page.other_data] == [
        Data(Sector.PRESCRIPTION),
        Data(Sector.WELLBEING),
    ]
