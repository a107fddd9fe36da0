"""Entry to the portal, the notice and what a person sees (INF, MIN, PER-5/6)."""

from __future__ import annotations

from datetime import date

import pytest
from builders import ADULT, OTHER_ADULT, World, at, grant, hetu

from kanta_consent.domain.choices import Actor, ChoiceHistory
from kanta_consent.domain.codes import (
    ActorRole,
    Capacity,
    Channel,
    Entry,
    Origin,
    Purpose,
    RefusalCode,
    RegisterKind,
    Reminder,
    Scope,
    Sector,
)
from kanta_consent.domain.decide import Data
from kanta_consent.domain.errors import Refused
from kanta_consent.domain.model import Register
from kanta_consent.services.consent import CareActor, DeclineOutcome, PortalActor

CHILD = hetu(date(2010, 5, 3), "A", 903)
TEEN = hetu(date(2006, 2, 20), "A", 904)
NOW = at(2022, 3, 1)


def world_with_family() -> World:
    world = World()
    for code in (ADULT, OTHER_ADULT, CHILD, TEEN):
        world.add_code(code)
    world.add_guardian(OTHER_ADULT, CHILD, date(2010, 5, 3))
    world.add_guardian(OTHER_ADULT, TEEN, date(2006, 2, 20))
    return world


def test_inf_2_an_adult_sees_the_notice_first_and_enters_after_acknowledging() -> None:
    world = world_with_family()

    before = world.service.portal_entry(ADULT, ADULT, NOW).entry
    world.service.acknowledge(PortalActor(ADULT), ADULT, NOW)
    after = world.service.portal_entry(ADULT, ADULT, NOW).entry

    assert (before, after) == (Entry.NOTICE, Entry.ENTER)


def test_inf_2_declining_the_notice_logs_the_adult_out_and_keeps_the_gate() -> None:
    world = world_with_family()

    outcome = world.service.decline(PortalActor(ADULT), ADULT, NOW)

    assert outcome == DeclineOutcome.LOGGED_OUT
    assert world.service.portal_entry(ADULT, ADULT, NOW).entry == Entry.NOTICE


def test_inf_2_behind_the_gate_an_adult_can_do_nothing_but_answer_it() -> None:
    world = world_with_family()

    with pytest.raises(Refused) as refused:
        world.service.grant(PortalActor(ADULT), ADULT, Scope.HEALTH, NOW)

    assert refused.value.code == RefusalCode.NOTICE_PENDING


def test_inf_2_an_acknowledgement_recorded_in_care_opens_the_gate() -> None:
    world = world_with_family()

    world.service.acknowledge(CareActor("hus-health"), ADULT, NOW)

    assert world.service.portal_entry(ADULT, ADULT, NOW).entry == Entry.ENTER


def test_inf_2_nobody_is_gated_before_2021_11_01() -> None:
    world = world_with_family()

    entry = world.service.portal_entry(ADULT, ADULT, at(2021, 10, 31, 23, 59))

    assert entry.entry == Entry.ENTER


def test_inf_3_acknowledging_again_succeeds_and_changes_nothing() -> None:
    world = world_with_family()
    world.service.acknowledge(PortalActor(ADULT), ADULT, NOW)

    again = world.service.acknowledge(PortalActor(ADULT), ADULT, at(2022, 3, 2))

    assert again is None
    assert len(world.service.history(ADULT)) == 1


def test_inf_3_declining_with_no_notice_pending_changes_nothing() -> None:
    world = world_with_family()
    world.service.acknowledge(PortalActor(ADULT), ADULT, NOW)
    log_before = len(world.store.log)

    outcome = world.service.decline(PortalActor(ADULT), ADULT, at(2022, 3, 2))

    assert outcome == DeclineOutcome.NOTHING
    assert len(world.store.log) == log_before


def test_inf_3_an_acknowledgement_records_person_version_time_maker_channel() -> None:
    world = world_with_family()

    made = world.service.acknowledge(CareActor("hus-health", "ward 3"), ADULT, NOW)

    assert made is not None
    recorded = (made.person, made.version, made.at, made.actor, made.channel)
    assert recorded == (
        ADULT,
        "2021-11",
        NOW,
        Actor(ActorRole.PROFESSIONAL, unit="ward 3"),
        Channel.CARE,
    )


def test_inf_4_any_acknowledged_version_informs_for_disclosures() -> None:
    world = world_with_family()
    world.service.acknowledge(PortalActor(ADULT), ADULT, NOW)
    later = at(2023, 12, 1)
    data = Data(Sector.HEALTH, register="hus-health")

    entry = world.service.portal_entry(ADULT, ADULT, later).entry
    decision = world.service.decide(
        ADULT, data, "helsinki-health", Purpose.CARE, later, disclosure=False
    )

    assert entry == Entry.NOTICE
    assert decision.reason.value == "joint-area"


def test_inf_5_an_informing_under_the_earlier_law_informs_but_opens_no_gate() -> None:
    world = world_with_family()
    informing = world.service.acknowledge(PortalActor(ADULT), ADULT, at(2019, 5, 5))
    data = Data(Sector.HEALTH, register="hus-health")

    entry = world.service.portal_entry(ADULT, ADULT, NOW).entry
    decision = world.service.decide(
        ADULT, data, "helsinki-health", Purpose.CARE, NOW, disclosure=False
    )

    assert informing is not None and informing.version is None
    assert entry == Entry.NOTICE
    assert decision.reason.value == "joint-area"


def test_inf_5_an_imported_earlier_law_consent_counts_as_informed_by_itself() -> None:
    consent = grant(at(2016, 1, 1), origin=Origin.LEGACY)

    state = ChoiceHistory([consent]).as_of(NOW)

    assert state.informed is True


def test_inf_5_a_native_grant_alone_does_not_inform() -> None:
    state = ChoiceHistory([grant(at(2022, 1, 1))]).as_of(NOW)

    assert state.informed is False


def test_inf_6_the_latest_acknowledgement_tells_when_by_whom_and_which_version() -> (
    None
):
    world = world_with_family()
    world.service.acknowledge(PortalActor(ADULT), ADULT, NOW)
    world.service.acknowledge(CareActor("hus-health"), ADULT, at(2023, 12, 1))

    latest = world.service.state_of(ADULT, at(2024, 1, 1)).latest_acknowledgement()

    assert latest is not None
    assert (latest.at, latest.actor.role, latest.version) == (
        at(2023, 12, 1),
        ActorRole.PROFESSIONAL,
        "2023-11",
    )


def test_inf_7_health_events_show_always_and_outside_kanta_never() -> None:
    world = world_with_family()
    world.add_event("visit", ADULT, "hus-health", date(2015, 1, 1))
    world.add_event("paper", ADULT, "hus-health", date(2022, 1, 1), kanta=False)

    shown = [world.service.sees(ADULT, ADULT, e, NOW) for e in ("visit", "paper")]

    assert shown == [True, False]


def test_inf_7_social_events_show_from_the_day_their_register_joins_kanta() -> None:
    world = world_with_family()
    joins = date(2024, 3, 1)
    world.store.add_register(
        Register("espoo-social", "hus", RegisterKind.PUBLIC_SOCIAL, kanta_from=joins)
    )
    world.add_event("old-doc", ADULT, "espoo-social", date(2020, 1, 1))

    shown = [
        world.service.sees(ADULT, ADULT, "old-doc", m)
        for m in (at(2024, 2, 29, 23, 59), at(2024, 3, 1, 0, 0))
    ]

    assert shown == [False, True]


def test_dis_11_an_event_is_not_shown_as_of_a_day_before_it_was_recorded() -> None:
    world = world_with_family()
    world.add_event("visit", ADULT, "hus-health", date(2023, 5, 1))

    shown = [
        world.service.sees(ADULT, ADULT, "visit", m)
        for m in (at(2023, 4, 30, 23, 59), at(2023, 5, 1, 0, 0))
    ]

    assert shown == [False, True]


def test_min_1_a_minor_enters_without_acknowledging() -> None:
    world = world_with_family()

    entry = world.service.portal_entry(CHILD, CHILD, NOW)

    assert entry.entry == Entry.ENTER


@pytest.mark.parametrize(
    "act",
    [
        lambda s: s.acknowledge(PortalActor(CHILD), CHILD, NOW),
        lambda s: s.grant(PortalActor(CHILD), CHILD, Scope.HEALTH, NOW),
        lambda s: s.withdraw_permission(PortalActor(CHILD), CHILD, Scope.HEALTH, NOW),
        lambda s: s.withdraw_prohibition(PortalActor(CHILD), CHILD, "c1", NOW),
    ],
    ids=["acknowledge", "grant", "withdraw-permission", "withdraw-prohibition"],
)
def test_min_2_a_minor_cannot_acknowledge_or_handle_choices_in_the_portal(
    act: object,
) -> None:
    world = world_with_family()

    with pytest.raises(Refused) as refused:
        act(world.service)  # type: ignore[operator]

    assert (refused.value.code, refused.value.rule) == (RefusalCode.MINOR, "MIN-2")


def test_min_3_a_minor_sees_whether_and_by_whom_the_notice_was_acknowledged() -> None:
    world = world_with_family()
    world.service.acknowledge(PortalActor(OTHER_ADULT), OTHER_ADULT, NOW)
    world.service.acknowledge(PortalActor(OTHER_ADULT), CHILD, NOW)

    latest = world.service.state_of(CHILD, NOW).latest_acknowledgement()

    assert latest is not None
    assert latest.actor == Actor(ActorRole.GUARDIAN, person=OTHER_ADULT)


def test_min_4_a_minor_is_not_shown_the_notice_nor_reminders() -> None:
    world = world_with_family()

    entry = world.service.portal_entry(CHILD, CHILD, at(2023, 12, 1))

    assert (entry.entry, entry.reminders) == (Entry.ENTER, ())


def test_min_5_from_the_18th_birthday_a_guardians_acknowledgement_opens_no_gate() -> (
    None
):
    world = world_with_family()
    guardian = PortalActor(OTHER_ADULT)
    world.service.acknowledge(guardian, OTHER_ADULT, at(2023, 12, 1))
    world.service.acknowledge(guardian, TEEN, at(2023, 12, 1))

    entries = [
        world.service.portal_entry(TEEN, TEEN, m).entry
        for m in (at(2024, 2, 19, 23, 59), at(2024, 2, 20, 0, 0))
    ]

    assert entries == [Entry.ENTER, Entry.NOTICE]


def test_min_5_the_new_adults_own_acknowledgement_is_recorded_and_opens_it() -> None:
    world = world_with_family()
    world.service.acknowledge(CareActor("hus-health"), TEEN, at(2023, 12, 1))

    own = world.service.acknowledge(PortalActor(TEEN), TEEN, at(2024, 2, 20, 9))

    assert own is not None and own.while_minor is False
    assert world.service.portal_entry(TEEN, TEEN, at(2024, 2, 20, 10)).entry == (
        Entry.ENTER
    )


def test_min_5_choices_made_for_a_minor_stay_in_force_after_18() -> None:
    world = world_with_family()
    world.service.acknowledge(PortalActor(OTHER_ADULT), OTHER_ADULT, NOW)
    world.service.acknowledge(PortalActor(OTHER_ADULT), TEEN, NOW)
    world.service.grant(PortalActor(OTHER_ADULT), TEEN, Scope.HEALTH, NOW)
    data = Data(Sector.HEALTH, register="hus-health")

    decision = world.service.decide(
        TEEN, data, "medi-health", Purpose.CARE, at(2025, 1, 1), disclosure=False
    )

    assert decision.reason.value == "permission"


def test_min_6_in_care_a_minor_able_to_decide_gives_their_own_choices() -> None:
    world = world_with_family()
    world.service.acknowledge(CareActor("hus-health"), CHILD, NOW)

    permission = world.service.grant(CareActor("hus-health"), CHILD, Scope.HEALTH, NOW)
    from kanta_consent.domain.choices import Target
    from kanta_consent.domain.codes import TargetKind

    prohibition = world.service.prohibit(
        CareActor("hus-health"), CHILD, Target(TargetKind.ORGANISATION, "pirha"), NOW
    )

    made = [(c.channel, c.by_minor_in_care) for c in (permission, prohibition)]
    assert made == [(Channel.CARE, True), (Channel.CARE, True)]


def test_per_5_an_informed_adult_without_health_permission_is_reminded() -> None:
    world = world_with_family()
    world.service.acknowledge(PortalActor(ADULT), ADULT, NOW)

    before = world.service.portal_entry(ADULT, ADULT, NOW).reminders
    world.service.grant(PortalActor(ADULT), ADULT, Scope.HEALTH, NOW)
    after = world.service.portal_entry(ADULT, ADULT, NOW).reminders

    assert (before, after) == ((Reminder.PERMISSION_MISSING,), ())


def test_per_5_a_representative_sees_the_principals_reminder() -> None:
    world = world_with_family()
    world.add_mandate(OTHER_ADULT, ADULT, date(2022, 1, 1))
    for code in (ADULT, OTHER_ADULT):
        world.service.acknowledge(PortalActor(code), code, NOW)

    entry = world.service.portal_entry(OTHER_ADULT, ADULT, NOW)

    assert entry.reminders == (Reminder.PERMISSION_MISSING,)


def test_per_5_a_minors_pages_seen_by_a_guardian_show_no_reminder() -> None:
    world = world_with_family()
    world.service.acknowledge(PortalActor(OTHER_ADULT), OTHER_ADULT, NOW)
    world.service.acknowledge(PortalActor(OTHER_ADULT), CHILD, NOW)

    entry = world.service.portal_entry(OTHER_ADULT, CHILD, NOW)

    assert (entry.entry, entry.reminders) == (Entry.ENTER, ())


def test_per_6_holders_of_an_older_permission_are_asked_to_renew_it() -> None:
    world = world_with_family()
    world.service.acknowledge(PortalActor(ADULT), ADULT, NOW)
    world.service.grant(PortalActor(ADULT), ADULT, Scope.HEALTH, NOW)
    world.service.acknowledge(PortalActor(ADULT), ADULT, at(2023, 11, 30, 8))

    before = world.service.portal_entry(ADULT, ADULT, at(2023, 11, 29)).reminders
    on_the_day = world.service.portal_entry(ADULT, ADULT, at(2023, 11, 30, 9))
    world.service.grant(PortalActor(ADULT), ADULT, Scope.HEALTH, at(2023, 11, 30, 10))
    renewed = world.service.portal_entry(ADULT, ADULT, at(2023, 11, 30, 11))

    assert before == ()
    assert on_the_day.reminders == (Reminder.PERMISSION_RENEW,)
    assert renewed.reminders == ()


def test_rep_7_marks_and_age_ten_decide_what_a_guardian_sees() -> None:
    world = world_with_family()
    tenth = date(2020, 5, 3)
    world.add_event("before-ten", CHILD, "hus-health", date(2020, 5, 2))
    for mark in [*Capacity, None]:
        name = f"mark-{mark.value if mark else 'none'}"
        world.add_event(name, CHILD, "hus-health", tenth, capacity=mark)
    events = ["before-ten", "mark-1", "mark-2", "mark-3", "mark-4", "mark-none"]

    shown = [world.service.sees(OTHER_ADULT, CHILD, e, NOW) for e in events]
    own = [world.service.sees(CHILD, CHILD, e, NOW) for e in events]

    assert shown == [True, True, True, False, False, False]
    assert own == [True] * 6
