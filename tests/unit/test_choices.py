"""Permissions, prohibitions and acting for others, through ConsentService."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from builders import ADULT, OTHER_ADULT, World, at, hetu

from kanta_consent.domain.calendar import Setting, calendar_with_overrides
from kanta_consent.domain.choices import Actor, Target
from kanta_consent.domain.codes import (
    ActorRole,
    Entry,
    Purpose,
    Reason,
    RefusalCode,
    Scope,
    Sector,
    TargetKind,
)
from kanta_consent.domain.decide import Data
from kanta_consent.domain.errors import Refused
from kanta_consent.services.consent import CareActor, DeclineOutcome, PortalActor

CHILD = hetu(date(2010, 5, 3), "A", 905)
NOW = at(2024, 3, 1)
ME = PortalActor(ADULT)
HOLDER = PortalActor(OTHER_ADULT)
CARE = CareActor("pirha-health")
HEALTH = Data(Sector.HEALTH, register="hus-health", event="visit")


def informed_world(moment: datetime = NOW) -> World:
    world = World()
    for code in (ADULT, OTHER_ADULT, CHILD):
        world.add_code(code)
    for code in (ADULT, OTHER_ADULT):
        world.service.acknowledge(PortalActor(code), code, moment)
    world.add_guardian(OTHER_ADULT, CHILD, date(2010, 5, 3))
    world.add_event("visit", ADULT, "hus-health", date(2023, 1, 1))
    world.add_event("doc", ADULT, "hus-social", date(2023, 1, 1))
    world.add_event("child-visit", CHILD, "hus-health", date(2023, 1, 1))
    return world


def refusal(call: object) -> RefusalCode:
    with pytest.raises(Refused) as refused:
        call()  # type: ignore[operator]
    return refused.value.code


def reason(world: World, moment: datetime, to: str = "medi-health") -> Reason:
    decision = world.service.decide(
        ADULT, HEALTH, to, Purpose.CARE, moment, disclosure=False
    )
    return decision.reason


@pytest.mark.parametrize(
    ("scope", "available_from"),
    [
        (Scope.SOCIAL, date(2023, 1, 1)),
        (Scope.SOCIAL_TO_HEALTH, date(2024, 1, 1)),
        (Scope.HEALTH_TO_SOCIAL, date(2024, 1, 1)),
        (Scope.WELLBEING, date(2024, 1, 1)),
    ],
)
def test_per_1_each_scope_can_be_given_from_its_own_date(
    scope: Scope, available_from: date
) -> None:
    world = informed_world(at(2021, 11, 1, 0, 0))
    start = at(available_from.year, available_from.month, available_from.day, 0, 0)
    care = CareActor("hus-health")

    too_early = refusal(
        lambda: world.service.grant(care, ADULT, scope, start - timedelta(minutes=1))
    )
    given = world.service.grant(care, ADULT, scope, start)

    assert too_early == RefusalCode.NOT_AVAILABLE_YET
    assert given.scope == scope


def test_per_1_before_the_reform_a_health_grant_is_a_consent_whatever_the_date() -> (
    None
):
    calendar = calendar_with_overrides({Setting.PERMISSION_HEALTH: date(2022, 1, 1)})
    world = World(calendar)
    world.add_code(ADULT)
    care = CareActor("hus-health")
    world.service.acknowledge(care, ADULT, at(2021, 10, 1))

    consent = world.service.grant(care, ADULT, Scope.HEALTH, at(2021, 10, 2))
    between = refusal(
        lambda: world.service.grant(care, ADULT, Scope.HEALTH, at(2021, 12, 1))
    )
    permission = world.service.grant(care, ADULT, Scope.HEALTH, at(2022, 1, 1, 0, 0))

    assert consent.scope == Scope.HEALTH
    assert between == RefusalCode.NOT_AVAILABLE_YET
    assert permission.scope == Scope.HEALTH


def test_per_2_a_permission_needs_an_informed_person() -> None:
    world = World()
    world.add_code(ADULT)

    code = refusal(
        lambda: world.service.grant(CareActor("hus-health"), ADULT, Scope.HEALTH, NOW)
    )

    assert code == RefusalCode.NOT_INFORMED


def test_per_3_a_new_grant_of_a_held_scope_replaces_the_old_one() -> None:
    world = informed_world()
    world.service.grant(ME, ADULT, Scope.HEALTH, NOW)

    newer = world.service.grant(ME, ADULT, Scope.HEALTH, at(2024, 4, 1))

    held = world.service.state_of(ADULT, at(2024, 5, 1)).permissions[Scope.HEALTH]
    assert (held.id, held.at) == (newer.id, at(2024, 4, 1))


def test_per_3_a_withdrawn_permission_holds_no_more_from_that_moment() -> None:
    world = informed_world()
    world.service.grant(ME, ADULT, Scope.HEALTH, NOW)

    world.service.withdraw_permission(ME, ADULT, Scope.HEALTH, at(2024, 4, 1, 9))

    answers = [reason(world, m) for m in (at(2024, 4, 1, 8, 59), at(2024, 4, 1, 9))]
    assert answers == [Reason.PERMISSION, Reason.NO_PERMISSION]


def test_per_3_withdrawing_a_permission_not_in_force_is_refused() -> None:
    world = informed_world()

    code = refusal(
        lambda: world.service.withdraw_permission(ME, ADULT, Scope.HEALTH, NOW)
    )

    assert code == RefusalCode.NOT_IN_FORCE


def test_per_4_an_earlier_law_consent_is_a_health_permission_with_its_date() -> None:
    world = informed_world(at(2015, 6, 1))
    consent = world.service.grant(ME, ADULT, Scope.HEALTH, at(2015, 6, 1, 12, 1))

    held = world.service.state_of(ADULT, NOW).permissions[Scope.HEALTH]

    assert (held.id, held.at) == (consent.id, at(2015, 6, 1, 12, 1))
    assert reason(world, NOW) == Reason.PERMISSION


def test_per_4_an_earlier_law_consent_needs_an_informing_before_it() -> None:
    world = World()
    world.add_code(ADULT)

    code = refusal(lambda: world.service.grant(ME, ADULT, Scope.HEALTH, at(2015, 6, 1)))

    assert code == RefusalCode.NOT_INFORMED


def test_pro_1_all_health_and_private_occupational_targets_open_in_2024() -> None:
    world = informed_world(at(2023, 12, 1))
    targets = [
        Target(TargetKind.ALL_HEALTH),
        Target(TargetKind.ALL_SOCIAL),
        Target(TargetKind.PRIVATE_OCCUPATIONAL_REGISTER, "tt-occupational"),
    ]

    early = [
        refusal(lambda t=t: world.service.prohibit(ME, ADULT, t, at(2023, 12, 31, 23)))
        for t in targets
    ]
    given = [
        world.service.prohibit(ME, ADULT, t, at(2024, 1, 1, 0, 0)) for t in targets
    ]

    assert early == [RefusalCode.NOT_AVAILABLE_YET] * 3
    assert [g.sectors for g in given] == [
        frozenset({Sector.HEALTH}),
        frozenset({Sector.SOCIAL}),
        frozenset({Sector.HEALTH}),
    ]


def test_pro_1_social_targets_open_in_2023() -> None:
    world = informed_world(at(2022, 12, 1))
    targets = [
        Target(TargetKind.DOCUMENT, "doc"),
        Target(TargetKind.SERVICE_TASK, "families"),
        Target(TargetKind.ORGANISATION, "caritas"),
    ]

    early = [
        refusal(lambda t=t: world.service.prohibit(ME, ADULT, t, at(2022, 12, 31, 23)))
        for t in targets
    ]
    given = [
        world.service.prohibit(ME, ADULT, t, at(2023, 1, 1, 0, 0)) for t in targets
    ]

    assert early == [RefusalCode.NOT_AVAILABLE_YET] * 3
    assert [g.sectors for g in given] == [frozenset({Sector.SOCIAL})] * 3


def test_pro_1_an_organisation_prohibition_keeps_the_sectors_of_its_day() -> None:
    world = informed_world(at(2022, 6, 1))
    hus = Target(TargetKind.ORGANISATION, "hus")

    before = world.service.prohibit(ME, ADULT, hus, at(2022, 6, 2))
    after = world.service.prohibit(
        CareActor("pirha-health"), ADULT, hus, at(2023, 1, 2)
    )

    assert before.sectors == frozenset({Sector.HEALTH})
    assert after.sectors == frozenset({Sector.HEALTH, Sector.SOCIAL})


@pytest.mark.parametrize(
    "target",
    [
        Target(TargetKind.ORGANISATION, "medi"),
        Target(TargetKind.REGISTER, "medi-health"),
        Target(TargetKind.REGISTER, "tt-occupational"),
        Target(TargetKind.PRIVATE_OCCUPATIONAL_REGISTER, "hus-occupational"),
        Target(TargetKind.SERVICE_EVENT, "child-visit"),
        Target(TargetKind.SERVICE_EVENT, "doc"),
        Target(TargetKind.DOCUMENT, "visit"),
    ],
    ids=lambda t: f"{t.kind}:{t.ref}",
)
def test_pro_1_targets_the_rules_exclude_are_refused(target: Target) -> None:
    world = informed_world()

    code = refusal(lambda: world.service.prohibit(ME, ADULT, target, NOW))

    assert code == RefusalCode.TARGET_NOT_ALLOWED


@pytest.mark.parametrize("kind", [TargetKind.ALL_HEALTH, TargetKind.ALL_SOCIAL])
def test_pro_1_an_all_health_or_all_social_target_naming_a_ref_is_refused(
    kind: TargetKind,
) -> None:
    world = informed_world()

    code = refusal(lambda: world.service.prohibit(ME, ADULT, Target(kind, "x"), NOW))

    assert code == RefusalCode.TARGET_NOT_ALLOWED
    assert world.service.state_of(ADULT, NOW).prohibitions == {}


def test_pro_1_a_private_providers_service_event_can_be_targeted() -> None:
    world = informed_world()
    world.add_event("medi-visit", ADULT, "medi-health", date(2024, 1, 5))

    given = world.service.prohibit(
        ME, ADULT, Target(TargetKind.SERVICE_EVENT, "medi-visit"), NOW
    )

    assert given.sectors == frozenset({Sector.HEALTH})


def test_pro_2_a_prohibition_needs_an_informed_person_but_no_permission() -> None:
    world = informed_world()
    world.add_code(hetu(date(1990, 1, 1), number=906))
    stranger = hetu(date(1990, 1, 1), number=906)
    target = Target(TargetKind.ORGANISATION, "hus")

    uninformed = refusal(
        lambda: world.service.prohibit(CareActor("pirha-health"), stranger, target, NOW)
    )
    given = world.service.prohibit(ME, ADULT, target, NOW)

    assert uninformed == RefusalCode.NOT_INFORMED
    assert world.service.state_of(ADULT, NOW).permissions == {}
    assert given.id in world.service.state_of(ADULT, NOW).prohibitions


def test_pro_3_a_prohibition_can_be_withdrawn_once_and_then_not_again() -> None:
    world = informed_world()
    given = world.service.prohibit(ME, ADULT, Target(TargetKind.ALL_HEALTH), NOW)
    world.service.withdraw_prohibition(ME, ADULT, given.id, at(2024, 3, 2))

    again = refusal(
        lambda: world.service.withdraw_prohibition(ME, ADULT, given.id, at(2024, 3, 3))
    )

    assert again == RefusalCode.NOT_IN_FORCE
    assert world.service.state_of(ADULT, at(2024, 3, 3)).prohibitions == {}


def test_pro_4_an_earlier_law_prohibition_holds_after_the_reform() -> None:
    world = informed_world(at(2019, 1, 1))
    world.service.prohibit(
        ME, ADULT, Target(TargetKind.ORGANISATION, "hus"), at(2019, 1, 2)
    )
    world.service.grant(CareActor("pirha-health"), ADULT, Scope.HEALTH, NOW)

    answer = reason(world, NOW)

    assert answer == Reason.PROHIBITED


def test_pro_5_guardians_cannot_give_or_withdraw_prohibitions_in_the_portal() -> None:
    world = informed_world()
    world.service.acknowledge(HOLDER, CHILD, NOW)
    target = Target(TargetKind.ORGANISATION, "hus")
    given = world.service.prohibit(CareActor("hus-health"), CHILD, target, NOW)

    codes = [
        refusal(lambda: world.service.prohibit(HOLDER, CHILD, target, NOW)),
        refusal(
            lambda: world.service.withdraw_prohibition(HOLDER, CHILD, given.id, NOW)
        ),
    ]

    assert codes == [RefusalCode.GUARDIAN_NOT_ALLOWED] * 2


def test_pro_5_minors_cannot_give_prohibitions_in_the_portal() -> None:
    world = informed_world()
    world.service.acknowledge(HOLDER, CHILD, NOW)
    target = Target(TargetKind.ORGANISATION, "hus")

    code = refusal(
        lambda: world.service.prohibit(PortalActor(CHILD), CHILD, target, NOW)
    )

    assert code == RefusalCode.MINOR


def test_pro_6_the_emergency_allowance_is_kept_with_a_health_prohibition() -> None:
    world = informed_world()
    target = Target(TargetKind.ORGANISATION, "hus")

    given = world.service.prohibit(ME, ADULT, target, NOW, emergency_allowed=True)

    assert given.emergency_allowed is True
    emergency = world.service.decide(
        ADULT, HEALTH, "medi-health", Purpose.EMERGENCY, NOW, disclosure=False
    )
    assert emergency.reason == Reason.EMERGENCY


def test_pro_6_a_social_welfare_prohibition_takes_no_emergency_allowance() -> None:
    world = informed_world()

    given = world.service.prohibit(
        ME, ADULT, Target(TargetKind.ALL_SOCIAL), NOW, emergency_allowed=True
    )

    assert given.emergency_allowed is False


def test_pro_8_an_ended_organisation_can_no_longer_be_targeted() -> None:
    world = informed_world(at(2022, 6, 1))
    organisation = Target(TargetKind.ORGANISATION, "helsinki")
    register = Target(TargetKind.REGISTER, "helsinki-health")

    on_last_day = world.service.prohibit(
        CARE, ADULT, organisation, at(2022, 12, 31, 23)
    )
    codes = [
        refusal(lambda t=t: world.service.prohibit(CARE, ADULT, t, at(2023, 1, 1, 0)))
        for t in (organisation, register)
    ]

    assert on_last_day.sectors == frozenset({Sector.HEALTH})
    assert codes == [RefusalCode.TARGET_NOT_ALLOWED] * 2


def test_rep_1_a_guardian_acts_for_a_minor_child_while_custody_runs() -> None:
    world = informed_world()

    world.service.acknowledge(HOLDER, CHILD, NOW)
    given = world.service.grant(HOLDER, CHILD, Scope.HEALTH, NOW)

    assert given.actor == Actor(ActorRole.GUARDIAN, person=OTHER_ADULT)


def test_rep_1_guardianship_ends_at_the_childs_18th_birthday() -> None:
    world = informed_world()
    teen = world.add_code(hetu(date(2006, 3, 5), "A", 907))
    world.add_guardian(OTHER_ADULT, teen, date(2006, 3, 5))
    world.service.acknowledge(CareActor("hus-health"), teen, NOW)

    entries = [
        world.service.portal_entry(OTHER_ADULT, teen, m).entry
        for m in (at(2024, 3, 4, 23, 59), at(2024, 3, 5, 0, 0))
    ]

    assert entries == [Entry.ENTER, Entry.REFUSED]


@pytest.mark.parametrize(
    "block", ["child-ban", "guardian-ban", "care-order", "ended"], ids=str
)
def test_rep_1_a_safety_ban_care_order_or_ended_custody_blocks_the_guardian(
    block: str,
) -> None:
    world = informed_world()
    child = hetu(date(2012, 1, 1), "A", 908)
    world.add_code(child, safety_ban=block == "child-ban")
    if block == "guardian-ban":
        world.add_code(OTHER_ADULT, safety_ban=True)
    until = date(2024, 2, 29) if block == "ended" else None
    world.add_guardian(
        OTHER_ADULT, child, date(2012, 1, 1), until, block == "care-order"
    )

    entry = world.service.portal_entry(OTHER_ADULT, child, NOW).entry

    assert entry == Entry.REFUSED


def test_rep_2_a_mandate_runs_from_its_start_to_its_end_or_revocation() -> None:
    world = informed_world()
    third = world.add_code(hetu(date(1960, 1, 1), number=909))
    world.service.acknowledge(CareActor("hus-health"), third, NOW)
    world.add_mandate(OTHER_ADULT, ADULT, date(2024, 3, 2), until=date(2024, 3, 10))
    world.add_mandate(OTHER_ADULT, third, date(2024, 1, 1), revoked=date(2024, 3, 5))
    moments = [at(2024, 3, 1, 23, 59), at(2024, 3, 2, 0, 0)]
    moments += [at(2024, 3, 10, 23, 59), at(2024, 3, 11, 0, 0)]

    to_adult = [
        world.service.portal_entry(OTHER_ADULT, ADULT, m).entry for m in moments
    ]
    to_third = [
        world.service.portal_entry(OTHER_ADULT, third, m).entry
        for m in (at(2024, 3, 4, 23, 59), at(2024, 3, 5, 0, 0))
    ]

    enter, refused = Entry.ENTER, Entry.REFUSED
    assert to_adult == [refused, enter, enter, refused]
    assert to_third == [enter, refused]


def test_rep_2_a_minor_can_neither_hold_nor_give_a_mandate() -> None:
    world = informed_world()
    world.add_mandate(ADULT, CHILD, date(2020, 1, 1))
    world.add_mandate(CHILD, ADULT, date(2020, 1, 1))

    entries = [
        world.service.portal_entry(ADULT, CHILD, NOW).entry,
        world.service.portal_entry(CHILD, ADULT, NOW).entry,
    ]

    assert entries == [Entry.REFUSED, Entry.REFUSED]


def test_rep_3_a_representative_is_shown_the_principals_notice_first() -> None:
    world = informed_world()
    principal = world.add_code(hetu(date(1950, 1, 1), number=910))
    world.add_mandate(OTHER_ADULT, principal, date(2024, 1, 1))

    entry = world.service.portal_entry(OTHER_ADULT, principal, NOW)
    refused = refusal(lambda: world.service.grant(HOLDER, principal, Scope.HEALTH, NOW))
    outcome = world.service.decline(HOLDER, principal, NOW)

    assert (entry.entry, entry.notice_for_principal) == (Entry.NOTICE, True)
    assert refused == RefusalCode.NOTICE_PENDING
    assert outcome == DeclineOutcome.RETURNED


def test_rep_3_the_representative_passes_their_own_gate_before_acting() -> None:
    world = World()
    for code in (ADULT, OTHER_ADULT):
        world.add_code(code)
    world.service.acknowledge(CareActor("hus-health"), ADULT, NOW)
    world.add_mandate(OTHER_ADULT, ADULT, date(2024, 1, 1))

    entry = world.service.portal_entry(OTHER_ADULT, ADULT, NOW)
    refused = refusal(lambda: world.service.grant(HOLDER, ADULT, Scope.HEALTH, NOW))

    assert (entry.entry, entry.notice_for_principal) == (Entry.NOTICE, False)
    assert refused == RefusalCode.NOTICE_PENDING


def test_rep_4_a_guardian_may_not_withdraw_a_permission_the_child_gave_in_care() -> (
    None
):
    world = informed_world()
    world.service.acknowledge(HOLDER, CHILD, NOW)
    world.service.grant(CareActor("hus-health"), CHILD, Scope.HEALTH, NOW)

    code = refusal(
        lambda: world.service.withdraw_permission(HOLDER, CHILD, Scope.HEALTH, NOW)
    )

    assert code == RefusalCode.GUARDIAN_NOT_ALLOWED


def test_rep_4_a_guardian_may_withdraw_a_permission_a_guardian_gave() -> None:
    world = informed_world()
    world.service.acknowledge(HOLDER, CHILD, NOW)
    world.service.grant(HOLDER, CHILD, Scope.HEALTH, NOW)

    world.service.withdraw_permission(HOLDER, CHILD, Scope.HEALTH, at(2024, 3, 2))

    assert world.service.state_of(CHILD, at(2024, 3, 2)).permissions == {}


def test_rep_5_a_mandate_holder_may_give_choices_but_not_the_wellbeing_one() -> None:
    world = informed_world()
    world.add_mandate(OTHER_ADULT, ADULT, date(2024, 1, 1))

    given = world.service.grant(HOLDER, ADULT, Scope.HEALTH, NOW)
    prohibited = world.service.prohibit(
        HOLDER, ADULT, Target(TargetKind.ALL_HEALTH), NOW
    )
    wellbeing = refusal(
        lambda: world.service.grant(HOLDER, ADULT, Scope.WELLBEING, NOW)
    )

    assert given.actor.role == ActorRole.MANDATE_HOLDER
    assert prohibited.actor.role == ActorRole.MANDATE_HOLDER
    assert wellbeing == RefusalCode.MANDATE_NOT_ALLOWED


def test_rep_5_a_mandate_holder_may_not_withdraw_the_wellbeing_permission() -> None:
    world = informed_world()
    world.add_mandate(OTHER_ADULT, ADULT, date(2024, 1, 1))
    world.service.grant(ME, ADULT, Scope.WELLBEING, NOW)

    code = refusal(
        lambda: world.service.withdraw_permission(HOLDER, ADULT, Scope.WELLBEING, NOW)
    )

    assert code == RefusalCode.MANDATE_NOT_ALLOWED


def test_rep_6_every_choice_records_who_made_it_and_the_principal_sees_it() -> None:
    world = informed_world()
    world.add_mandate(OTHER_ADULT, ADULT, date(2024, 1, 1))
    world.service.grant(HOLDER, ADULT, Scope.HEALTH, NOW)
    world.service.prohibit(
        CareActor("pirha-health"), ADULT, Target(TargetKind.ALL_HEALTH), NOW
    )

    makers = [c.actor for c in world.service.history(ADULT)]

    assert makers == [
        Actor(ActorRole.SELF, person=ADULT),
        Actor(ActorRole.MANDATE_HOLDER, person=OTHER_ADULT),
        Actor(ActorRole.PROFESSIONAL, unit="pirha-health"),
    ]


def test_rep_6_every_choice_goes_into_the_log_with_its_maker() -> None:
    world = informed_world()
    world.add_mandate(OTHER_ADULT, ADULT, date(2024, 1, 1))

    world.service.grant(HOLDER, ADULT, Scope.HEALTH, NOW)

    last = world.store.log[-1]["body"]
    assert (last["actor_role"], last["actor"]) == ("mandate-holder", OTHER_ADULT)
