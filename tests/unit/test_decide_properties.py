"""Properties of the decision over generated histories (DIS-1..11, PRO-6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from builders import DIRECTORY, ack, at, grant, prohibit, unprohibit, withdraw
from hypothesis import given, settings
from hypothesis import strategies as st

from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.choices import (
    Choice,
    ChoiceHistory,
    PermissionGranted,
    ProhibitionGiven,
    Target,
)
from kanta_consent.domain.codes import (
    Outcome,
    Purpose,
    Reason,
    RegisterKind,
    Scope,
    Sector,
    TargetKind,
)
from kanta_consent.domain.decide import Data, Query, decide, scope_for

START = at(2019, 1, 1)
CALENDAR = Calendar()
REGISTERS = sorted(DIRECTORY.registers)
BOTH = frozenset({Sector.HEALTH, Sector.SOCIAL})
TARGETS = [
    Target(TargetKind.ALL_HEALTH),
    Target(TargetKind.ALL_SOCIAL),
    Target(TargetKind.ORGANISATION, "hus"),
    Target(TargetKind.REGISTER, "hus-health"),
    Target(TargetKind.SERVICE_EVENT, "e1"),
    Target(TargetKind.DOCUMENT, "e2"),
]

minutes = st.integers(min_value=0, max_value=7 * 365 * 24 * 60)


@st.composite
def histories(draw: st.DrawFn, max_size: int = 8) -> list[Choice]:
    """Draws a person's choices: acknowledgements, grants, prohibitions, withdrawals."""
    choices: list[Choice] = []
    for _ in range(draw(st.integers(0, max_size))):
        moment = START + timedelta(minutes=draw(minutes))
        kind = draw(st.sampled_from(["ack", "grant", "prohibit", "withdraw"]))
        if kind == "ack":
            choices.append(ack(moment, draw(st.sampled_from([None, "2021-11"]))))
        elif kind == "grant":
            choices.append(grant(moment, draw(st.sampled_from(list(Scope)))))
        elif kind == "prohibit":
            target = draw(st.sampled_from(TARGETS))
            emergency = draw(st.booleans())
            choices.append(prohibit(moment, target, BOTH, emergency))
        else:
            given_ = [c for c in choices if isinstance(c, PermissionGranted)]
            given_ += [c for c in choices if isinstance(c, ProhibitionGiven)]
            if given_:
                earlier = draw(st.sampled_from(given_))
                later = max(moment, earlier.at)
                if isinstance(earlier, PermissionGranted):
                    choices.append(withdraw(later, earlier))
                else:
                    choices.append(unprohibit(later, earlier))
    return choices


@st.composite
def queries(draw: st.DrawFn) -> Query:
    """Draws a query about any data, to any register, for any purpose."""
    sector = draw(st.sampled_from(list(Sector)))
    register = None if sector is Sector.WELLBEING else draw(st.sampled_from(REGISTERS))
    data = Data(
        sector,
        register=register,
        event=draw(st.sampled_from([None, "e1", "e2"])),
        kanta=draw(st.booleans()),
    )
    recipient = draw(st.sampled_from(REGISTERS))
    purpose = draw(st.sampled_from(list(Purpose)))
    moment = START + timedelta(minutes=draw(minutes))
    return Query(data, recipient, purpose, moment)


def decided(
    query: Query, choices: list[Choice]
) -> tuple[Outcome, Reason, tuple[str, ...]]:
    state = ChoiceHistory(choices).as_of(query.moment)
    decision = decide(query, state, DIRECTORY, CALENDAR)
    return decision.outcome, decision.reason, decision.based_on


@settings(max_examples=150, deadline=None)
@given(choices=histories(), query=queries())
def test_dis_11_property_a_decision_rests_only_on_choices_made_by_its_moment(
    choices: list[Choice], query: Query
) -> None:
    earlier = [c for c in choices if c.at <= query.moment]

    from_all = decided(query, choices)
    from_earlier = decided(query, earlier)

    assert from_all == from_earlier


@settings(max_examples=150, deadline=None)
@given(
    choices=histories(),
    later=histories(max_size=4),
    query=queries(),
)
def test_dis_11_property_a_choice_taking_effect_later_never_changes_the_answer(
    choices: list[Choice], later: list[Choice], query: Query
) -> None:
    shift = query.moment + timedelta(minutes=1) - START
    moved = [replace(c, at=c.at + shift) for c in later]

    before = decided(query, choices)
    with_later = decided(query, choices + moved)

    assert with_later == before


@settings(max_examples=200, deadline=None)
@given(
    query=queries(),
    informed=st.booleans(),
    emergency_allowed=st.booleans(),
    target=st.sampled_from(
        [Target(TargetKind.ALL_HEALTH), Target(TargetKind.ALL_SOCIAL)]
    ),
)
def test_dis_6_property_a_covering_prohibition_beats_a_permission_except_earlier_rules(
    query: Query, informed: bool, emergency_allowed: bool, target: Target
) -> None:
    sector = Sector.HEALTH if target.kind is TargetKind.ALL_HEALTH else Sector.SOCIAL
    register = query.data.register or ""
    if register not in DIRECTORY.registers or _sector_of(register) is not sector:
        register = "hus-health" if sector is Sector.HEALTH else "hus-social"
    data = Data(sector, register=register, kanta=query.data.kanta)
    query = Query(data, query.recipient, query.purpose, query.moment)
    scope = scope_for(sector, _sector_of(query.recipient))
    assert scope is not None
    before = query.moment - timedelta(minutes=1)
    choices: list[Choice] = [grant(before, scope)]
    if informed:
        choices.append(ack(before))
    allowance = emergency_allowed and sector is Sector.HEALTH
    choices.append(prohibit(before, target, frozenset({sector}), allowance))

    outcome, reason, _ = decided(query, choices)

    assert (outcome, reason) in _expected_despite_prohibition(
        query, informed, allowance
    )


def _sector_of(register: str) -> Sector:
    return DIRECTORY.registers[register].sector


def _expected_despite_prohibition(
    query: Query, informed: bool, allowance: bool
) -> set[tuple[Outcome, Reason]]:
    data, recipient = query.data, DIRECTORY.registers[query.recipient]
    if data.register == recipient.id:
        return {(Outcome.PERMIT, Reason.SAME_REGISTER)}
    if DIRECTORY.is_purchased_service(recipient.id, data.register or ""):
        return {(Outcome.PERMIT, Reason.PURCHASED_SERVICE)}
    if (
        data.sector is Sector.SOCIAL
        and query.purpose is Purpose.STATUTORY
        and recipient.kind is RegisterKind.PUBLIC_SOCIAL
    ):
        return {(Outcome.PERMIT, Reason.STATUTORY)}
    if not informed and query.purpose is not Purpose.EMERGENCY:
        return {(Outcome.DENY, Reason.NOT_INFORMED)}
    if query.purpose is Purpose.EMERGENCY and allowance:
        # PRO-6: past the prohibition, the later rules decide; health data in
        # an emergency is permitted by one of them.
        later = (Reason.PERMISSION, Reason.JOINT_AREA, Reason.EMERGENCY)
        return {(Outcome.PERMIT, r) for r in later}
    return {(Outcome.DENY, Reason.PROHIBITED)}


@settings(max_examples=100, deadline=None)
@given(query=queries(), choices=histories())
def test_dis_4_property_prescription_data_never_meets_a_prohibition(
    query: Query, choices: list[Choice]
) -> None:
    data = Data(Sector.PRESCRIPTION, register=query.data.register or "hus-health")
    query = Query(data, query.recipient, query.purpose, query.moment)

    outcome, reason, _ = decided(query, choices)

    assert reason not in (Reason.PROHIBITED, Reason.PERMISSION, Reason.NO_PERMISSION)
    assert outcome == (
        Outcome.DENY if reason is Reason.NOT_INFORMED else Outcome.PERMIT
    )


@settings(max_examples=150, deadline=None)
@given(query=queries(), choices=histories())
def test_dis_1_property_the_same_register_always_permits(
    query: Query, choices: list[Choice]
) -> None:
    register = query.data.register or "hus-health"
    sector = DIRECTORY.registers[register].sector
    data = Data(sector, register=register, event=query.data.event)
    same = Query(data, register, query.purpose, query.moment)

    outcome, reason, based_on = decided(same, choices)

    assert (outcome, reason, based_on) == (Outcome.PERMIT, Reason.SAME_REGISTER, ())
