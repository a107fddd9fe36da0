"""The disclosure decision, rule by rule, on the pure engine (DIS-1..11)."""

from __future__ import annotations

from datetime import date, datetime

from builders import (
    DIRECTORY,
    ack,
    at,
    grant,
    prohibit,
    unprohibit,
    withdraw,
)

from kanta_consent.domain.calendar import Calendar, Setting, SettingChange
from kanta_consent.domain.choices import Choice, ChoiceHistory, ChoiceState, Target
from kanta_consent.domain.codes import (
    Origin,
    Outcome,
    Purpose,
    Reason,
    Scope,
    Sector,
    TargetKind,
)
from kanta_consent.domain.decide import Data, Decision, Query, decide

NOW = at(2024, 3, 1)
INFORMED = ack(at(2021, 11, 2))
HEALTH_DATA = Data(Sector.HEALTH, register="hus-health", event="visit")
SOCIAL_DATA = Data(Sector.SOCIAL, register="hus-social", event="doc")
BOTH = frozenset({Sector.HEALTH, Sector.SOCIAL})
PERMIT, DENY = Outcome.PERMIT, Outcome.DENY


def state(*choices: Choice, moment: datetime = NOW) -> ChoiceState:
    return ChoiceHistory(choices).as_of(moment)


def ask(
    data: Data,
    to: str,
    choices: ChoiceState,
    purpose: Purpose = Purpose.CARE,
    moment: datetime = NOW,
    calendar: Calendar | None = None,
) -> Decision:
    query = Query(data, to, purpose, moment)
    return decide(query, choices, DIRECTORY, calendar or Calendar())


def answer(decision: Decision) -> tuple[Outcome, Reason]:
    return decision.outcome, decision.reason


ALL_HEALTH = Target(TargetKind.ALL_HEALTH)
ALL_SOCIAL = Target(TargetKind.ALL_SOCIAL)


def test_dis_1_the_same_register_may_always_use_its_data() -> None:
    choices = state(prohibit(at(2024, 1, 2), Target(TargetKind.REGISTER, "hus-health")))

    decision = ask(HEALTH_DATA, "hus-health", choices)

    assert answer(decision) == (PERMIT, Reason.SAME_REGISTER)


def test_pro_7_a_prohibition_never_acts_inside_one_register() -> None:
    choices = state(INFORMED, prohibit(at(2024, 1, 2), ALL_HEALTH))

    decision = ask(HEALTH_DATA, "hus-health", choices)

    assert answer(decision) == (PERMIT, Reason.SAME_REGISTER)
    assert decision.rule == "DIS-1"


def test_dis_2_a_purchased_service_producer_receives_the_data_of_its_buyer() -> None:
    data = Data(Sector.HEALTH, register="pirha-health")
    choices = state(prohibit(at(2024, 1, 2), ALL_HEALTH))

    decision = ask(data, "medi-health", choices)

    assert answer(decision) == (PERMIT, Reason.PURCHASED_SERVICE)


def test_dis_2_the_buyer_does_not_receive_the_producers_data_by_purchase() -> None:
    data = Data(Sector.HEALTH, register="medi-health")

    decision = ask(data, "pirha-health", state())

    assert answer(decision) == (DENY, Reason.NOT_INFORMED)


def test_dis_3_an_uninformed_persons_data_is_denied_for_care() -> None:
    decision = ask(HEALTH_DATA, "pirha-health", state(grant(at(2022, 1, 1))))

    assert answer(decision) == (DENY, Reason.NOT_INFORMED)


def test_dis_3_an_uninformed_persons_health_data_still_reaches_an_emergency() -> None:
    decision = ask(HEALTH_DATA, "pirha-health", state(), Purpose.EMERGENCY)

    assert answer(decision) == (PERMIT, Reason.EMERGENCY)


def test_dis_3_an_uninformed_persons_prohibition_still_holds_in_an_emergency() -> None:
    choices = state(prohibit(at(2024, 1, 2), ALL_HEALTH))

    decision = ask(HEALTH_DATA, "pirha-health", choices, Purpose.EMERGENCY)

    assert answer(decision) == (DENY, Reason.PROHIBITED)


def test_dis_4_prescription_data_is_permitted_despite_a_prohibition() -> None:
    data = Data(Sector.PRESCRIPTION, register="hus-health")
    choices = state(INFORMED, prohibit(at(2024, 1, 2), ALL_HEALTH))

    decision = ask(data, "medi-health", choices)

    assert answer(decision) == (PERMIT, Reason.PRESCRIPTION)


def test_per_7_permissions_do_not_apply_to_prescriptions() -> None:
    data = Data(Sector.PRESCRIPTION, register="hus-health")
    held = grant(at(2022, 1, 1))
    choices = state(INFORMED, held, withdraw(at(2022, 2, 1), held))

    decision = ask(data, "medi-health", choices)

    assert answer(decision) == (PERMIT, Reason.PRESCRIPTION)
    assert decision.based_on == ()


def test_dis_5_statutory_social_data_reaches_a_social_authority_despite_all() -> None:
    choices = state(prohibit(at(2024, 1, 2), ALL_SOCIAL, frozenset({Sector.SOCIAL})))

    decision = ask(SOCIAL_DATA, "pirha-social", choices, Purpose.STATUTORY)

    assert answer(decision) == (PERMIT, Reason.STATUTORY)


def test_dis_5_a_private_social_register_has_no_statutory_access() -> None:
    decision = ask(SOCIAL_DATA, "caritas-social", state(), Purpose.STATUTORY)

    assert answer(decision) == (DENY, Reason.NOT_INFORMED)


def test_dis_5_health_data_has_no_statutory_access() -> None:
    decision = ask(HEALTH_DATA, "pirha-social", state(INFORMED), Purpose.STATUTORY)

    assert answer(decision) == (DENY, Reason.NO_PERMISSION)


def test_dis_6_prohibition_beats_permission() -> None:
    given = prohibit(at(2024, 1, 2), Target(TargetKind.SERVICE_EVENT, "visit"))
    choices = state(INFORMED, grant(at(2022, 1, 1)), given)

    decision = ask(HEALTH_DATA, "pirha-health", choices)

    assert answer(decision) == (DENY, Reason.PROHIBITED)
    assert decision.based_on == (given.id,)


def test_dis_6_a_prohibition_of_another_event_does_not_cover_the_data() -> None:
    other = prohibit(at(2024, 1, 2), Target(TargetKind.SERVICE_EVENT, "other"))
    choices = state(INFORMED, grant(at(2022, 1, 1)), other)

    decision = ask(HEALTH_DATA, "pirha-health", choices)

    assert answer(decision) == (PERMIT, Reason.PERMISSION)


def test_pro_6_an_emergency_allowance_lets_health_data_through_in_emergency() -> None:
    allowing = prohibit(at(2024, 1, 2), ALL_HEALTH, emergency=True)
    choices = state(INFORMED, allowing)

    emergency = ask(HEALTH_DATA, "pirha-health", choices, Purpose.EMERGENCY)
    care = ask(HEALTH_DATA, "pirha-health", choices)

    assert answer(emergency) == (PERMIT, Reason.EMERGENCY)
    assert emergency.based_on == (allowing.id,)
    assert answer(care) == (DENY, Reason.PROHIBITED)


def test_pro_6_without_the_allowance_a_prohibition_holds_in_emergency_too() -> None:
    allowing = prohibit(at(2024, 1, 2), ALL_HEALTH, emergency=True)
    strict = prohibit(at(2024, 1, 3), Target(TargetKind.ORGANISATION, "hus"), BOTH)
    choices = state(INFORMED, allowing, strict)

    decision = ask(HEALTH_DATA, "pirha-health", choices, Purpose.EMERGENCY)

    assert answer(decision) == (DENY, Reason.PROHIBITED)
    assert set(decision.based_on) == {allowing.id, strict.id}


def test_dis_7_a_health_permission_carries_health_data_between_health_registers() -> (
    None
):
    held = grant(at(2022, 1, 1))

    decision = ask(HEALTH_DATA, "medi-health", state(INFORMED, held))

    assert answer(decision) == (PERMIT, Reason.PERMISSION)
    assert decision.based_on == (held.id,)


def test_dis_7_the_social_scope_does_not_carry_social_data_to_health_care() -> None:
    choices = state(INFORMED, grant(at(2023, 2, 1), Scope.SOCIAL))

    to_social = ask(SOCIAL_DATA, "pirha-social", choices)
    to_health = ask(SOCIAL_DATA, "medi-health", choices)

    assert answer(to_social) == (PERMIT, Reason.PERMISSION)
    assert answer(to_health) == (DENY, Reason.NO_PERMISSION)


def test_dis_7_cross_sector_scopes_carry_data_one_way_each() -> None:
    choices = state(INFORMED, grant(at(2024, 1, 2), Scope.SOCIAL_TO_HEALTH))

    social_to_health = ask(SOCIAL_DATA, "medi-health", choices)
    health_to_social = ask(HEALTH_DATA, "pirha-social", choices)

    assert answer(social_to_health) == (PERMIT, Reason.PERMISSION)
    assert answer(health_to_social) == (DENY, Reason.NO_PERMISSION)


def test_dis_7_wellbeing_data_needs_the_wellbeing_permission_for_any_recipient() -> (
    None
):
    data = Data(Sector.WELLBEING)
    health_only = state(INFORMED, grant(at(2022, 1, 1)))
    wellbeing = state(INFORMED, grant(at(2024, 1, 2), Scope.WELLBEING))

    answers = [
        answer(ask(data, "medi-health", health_only)),
        answer(ask(data, "medi-health", wellbeing)),
        answer(ask(data, "pirha-social", wellbeing)),
    ]

    assert answers == [
        (DENY, Reason.NO_PERMISSION),
        (PERMIT, Reason.PERMISSION),
        (PERMIT, Reason.PERMISSION),
    ]


def test_dis_7_no_prohibition_covers_wellbeing_data() -> None:
    data = Data(Sector.WELLBEING)
    choices = state(
        INFORMED,
        grant(at(2024, 1, 2), Scope.WELLBEING),
        prohibit(at(2024, 1, 3), ALL_HEALTH),
    )

    decision = ask(data, "medi-health", choices)

    assert answer(decision) == (PERMIT, Reason.PERMISSION)


def test_dis_7_before_the_reform_a_consent_is_such_a_permission() -> None:
    consent = grant(at(2015, 6, 1), origin=Origin.LEGACY)
    moment = at(2020, 1, 1)

    decision = ask(
        HEALTH_DATA, "pirha-health", state(consent, moment=moment), moment=moment
    )

    assert answer(decision) == (PERMIT, Reason.PERMISSION)


def test_dis_8_an_informed_persons_data_stays_open_inside_a_joint_area() -> None:
    decision = ask(HEALTH_DATA, "helsinki-health", state(INFORMED))

    assert answer(decision) == (PERMIT, Reason.JOINT_AREA)


def test_dis_8_an_uninformed_persons_data_reaches_the_joint_area_only_by_dis_9() -> (
    None
):
    care = ask(HEALTH_DATA, "helsinki-health", state())
    emergency = ask(HEALTH_DATA, "helsinki-health", state(), Purpose.EMERGENCY)

    assert answer(care) == (DENY, Reason.NOT_INFORMED)
    assert answer(emergency) == (PERMIT, Reason.EMERGENCY)


def test_dis_9_an_emergency_permits_health_data_and_flags_it_for_follow_up() -> None:
    decision = ask(HEALTH_DATA, "medi-health", state(INFORMED), Purpose.EMERGENCY)

    assert answer(decision) == (PERMIT, Reason.EMERGENCY)
    assert decision.needs_follow_up is True


def test_dis_9_social_and_wellbeing_data_have_no_emergency_rule() -> None:
    choices = state(INFORMED)

    social = ask(SOCIAL_DATA, "medi-health", choices, Purpose.EMERGENCY)
    wellbeing = ask(Data(Sector.WELLBEING), "medi-health", choices, Purpose.EMERGENCY)

    assert answer(social) == (DENY, Reason.NO_PERMISSION)
    assert answer(wellbeing) == (DENY, Reason.NO_PERMISSION)


def test_dis_10_an_informed_person_without_a_permission_is_denied() -> None:
    decision = ask(HEALTH_DATA, "medi-health", state(INFORMED))

    assert answer(decision) == (DENY, Reason.NO_PERMISSION)
    assert decision.needs_follow_up is False


def test_dis_11_a_past_moment_is_answered_from_the_choices_made_by_then() -> None:
    held = grant(at(2022, 1, 1))
    history = ChoiceHistory([INFORMED, held, withdraw(at(2023, 1, 1), held)])

    answers = [
        answer(ask(HEALTH_DATA, "medi-health", history.as_of(m), moment=m))
        for m in (at(2021, 12, 31), at(2022, 6, 1), at(2023, 1, 1))
    ]

    assert answers == [
        (DENY, Reason.NO_PERMISSION),
        (PERMIT, Reason.PERMISSION),
        (DENY, Reason.NO_PERMISSION),
    ]


def test_dis_11_a_choice_takes_effect_at_the_very_moment_it_was_made() -> None:
    given = prohibit(at(2024, 1, 2, 9, 0), ALL_HEALTH)
    history = ChoiceHistory([INFORMED, grant(at(2022, 1, 1)), given])

    answers = [
        answer(ask(HEALTH_DATA, "medi-health", history.as_of(m), moment=m))
        for m in (at(2024, 1, 2, 8, 59), at(2024, 1, 2, 9, 0))
    ]

    assert answers == [(PERMIT, Reason.PERMISSION), (DENY, Reason.PROHIBITED)]


def test_dis_11_each_calendar_setting_is_read_as_it_stood_at_the_moment() -> None:
    outside = Data(Sector.HEALTH, register="hus-health", kanta=False)
    held = grant(at(2023, 12, 1))
    moved = SettingChange(
        Setting.OUTSIDE_KANTA_COVERAGE, date(2025, 1, 1), at(2024, 6, 1, 0, 0)
    )
    calendar = Calendar(changes=(moved,))
    choices = state(INFORMED, held)

    answers = [
        answer(ask(outside, "medi-health", choices, moment=m, calendar=calendar))
        for m in (at(2024, 5, 31), at(2024, 6, 1), at(2025, 1, 1))
    ]

    assert answers == [
        (PERMIT, Reason.PERMISSION),
        (DENY, Reason.NO_PERMISSION),
        (PERMIT, Reason.PERMISSION),
    ]


def test_per_6_an_older_health_permission_covers_data_in_kanta_only() -> None:
    inside = Data(Sector.HEALTH, register="hus-health", kanta=True)
    outside = Data(Sector.HEALTH, register="hus-health", kanta=False)
    choices = state(INFORMED, grant(at(2023, 11, 29, 23, 59)))

    answers = [
        answer(ask(inside, "medi-health", choices)),
        answer(ask(outside, "medi-health", choices)),
    ]

    assert answers == [(PERMIT, Reason.PERMISSION), (DENY, Reason.NO_PERMISSION)]


def test_per_6_a_newer_health_permission_covers_outside_kanta_from_2024() -> None:
    outside = Data(Sector.HEALTH, register="hus-health", kanta=False)
    choices = state(INFORMED, grant(at(2023, 11, 30, 0, 0)))

    answers = [
        answer(ask(outside, "medi-health", choices, moment=m))
        for m in (at(2023, 12, 31, 23, 59), at(2024, 1, 1, 0, 0))
    ]

    assert answers == [(DENY, Reason.NO_PERMISSION), (PERMIT, Reason.PERMISSION)]


def test_per_6_other_scopes_cover_data_outside_kanta_too() -> None:
    outside = Data(Sector.SOCIAL, register="hus-social", kanta=False)
    choices = state(INFORMED, grant(at(2023, 2, 1), Scope.SOCIAL))

    decision = ask(outside, "pirha-social", choices, moment=at(2023, 6, 1))

    assert answer(decision) == (PERMIT, Reason.PERMISSION)


def test_pro_4_a_prohibition_given_before_the_reform_stays_in_force() -> None:
    informing = ack(at(2015, 1, 1), version=None)
    old = prohibit(at(2015, 1, 2), Target(TargetKind.ORGANISATION, "hus"))
    choices = state(informing, grant(at(2022, 1, 1)), old)

    decision = ask(HEALTH_DATA, "medi-health", choices)

    assert answer(decision) == (DENY, Reason.PROHIBITED)


def test_pro_8_a_prohibition_of_an_ended_organisation_follows_its_data() -> None:
    taken_over = Data(
        Sector.HEALTH, register="hus-health", event="old", recorded_by="helsinki"
    )
    own = Data(Sector.HEALTH, register="hus-health", event="new")
    given = prohibit(at(2022, 6, 1), Target(TargetKind.ORGANISATION, "helsinki"))
    choices = state(INFORMED, grant(at(2022, 1, 1)), given)

    answers = [
        answer(ask(taken_over, "medi-health", choices)),
        answer(ask(own, "medi-health", choices)),
        answer(ask(taken_over, "hus-health", choices)),
    ]

    assert answers == [
        (DENY, Reason.PROHIBITED),
        (PERMIT, Reason.PERMISSION),
        (PERMIT, Reason.SAME_REGISTER),
    ]


def test_pro_8_a_prohibition_of_the_successor_covers_the_data_it_took_over() -> None:
    taken_over = Data(
        Sector.HEALTH, register="hus-health", event="old", recorded_by="helsinki"
    )
    given = prohibit(at(2023, 6, 1), Target(TargetKind.ORGANISATION, "hus"))
    choices = state(INFORMED, grant(at(2022, 1, 1)), given)

    decision = ask(taken_over, "medi-health", choices)

    assert answer(decision) == (DENY, Reason.PROHIBITED)


def test_pro_1_a_service_task_prohibition_covers_that_tasks_documents() -> None:
    from kanta_consent.domain.codes import ServiceTask

    families = Data(Sector.SOCIAL, register="hus-social", task=ServiceTask.FAMILIES)
    elderly = Data(Sector.SOCIAL, register="hus-social", task=ServiceTask.OLDER_PEOPLE)
    task = Target(TargetKind.SERVICE_TASK, "families")
    choices = state(
        INFORMED,
        grant(at(2023, 2, 1), Scope.SOCIAL),
        prohibit(at(2023, 2, 2), task, frozenset({Sector.SOCIAL})),
    )

    answers = [
        answer(ask(families, "pirha-social", choices)),
        answer(ask(elderly, "pirha-social", choices)),
    ]

    assert answers == [(DENY, Reason.PROHIBITED), (PERMIT, Reason.PERMISSION)]


def test_pro_1_an_organisation_prohibition_covers_only_the_sectors_it_was_given() -> (
    None
):
    health_only = prohibit(at(2022, 6, 1), Target(TargetKind.ORGANISATION, "hus"))
    choices = state(
        INFORMED,
        grant(at(2022, 1, 1)),
        grant(at(2023, 2, 1), Scope.SOCIAL),
        health_only,
    )

    answers = [
        answer(ask(HEALTH_DATA, "medi-health", choices)),
        answer(ask(SOCIAL_DATA, "pirha-social", choices)),
    ]

    assert answers == [(DENY, Reason.PROHIBITED), (PERMIT, Reason.PERMISSION)]


def test_pro_3_a_withdrawn_prohibition_holds_no_more() -> None:
    given = prohibit(at(2024, 1, 2), ALL_HEALTH)
    history = ChoiceHistory(
        [INFORMED, grant(at(2022, 1, 1)), given, unprohibit(at(2024, 2, 1), given)]
    )

    answers = [
        answer(ask(HEALTH_DATA, "medi-health", history.as_of(m), moment=m))
        for m in (at(2024, 1, 15), at(2024, 2, 1))
    ]

    assert answers == [(DENY, Reason.PROHIBITED), (PERMIT, Reason.PERMISSION)]
