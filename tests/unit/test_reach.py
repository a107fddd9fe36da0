"""Who can see the data now agrees with the decisions asked one by one."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.choices import (
    Acknowledgement,
    Actor,
    Choice,
    ChoiceHistory,
    PermissionGranted,
    ProhibitionGiven,
    Target,
)
from kanta_consent.domain.codes import (
    ActorRole,
    Purpose,
    RegisterKind,
    Scope,
    Sector,
    TargetKind,
)
from kanta_consent.domain.decide import Data, Query, decide
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.domain.model import Directory, Organisation, Register
from kanta_consent.domain.reach import Access, reach_of

PERSON = "131052-9085"
SELF = Actor(ActorRole.SELF, person=PERSON)
START = datetime(2021, 11, 2, 10, 0, tzinfo=HELSINKI)

DIRECTORY = Directory.build(
    [
        Organisation("hus", True),
        Organisation("pirha", True),
        Organisation("medi", False),
    ],
    [
        Register("hus-health", "hus", RegisterKind.PUBLIC_HEALTH),
        Register("hus-social", "hus", RegisterKind.PUBLIC_SOCIAL),
        Register("pirha-health", "pirha", RegisterKind.PUBLIC_HEALTH),
        Register("pirha-social", "pirha", RegisterKind.PUBLIC_SOCIAL),
        Register("medi-health", "medi", RegisterKind.PRIVATE_HEALTH),
    ],
    joint_areas={"uusimaa": ["hus-health", "pirha-health"]},
    purchased=[("medi-health", "hus-health")],
)


def expected_access(data: Data, recipient: str, history: ChoiceHistory, at: datetime):
    state = history.as_of(at)

    def ask(purpose: Purpose) -> bool:
        query = Query(data, recipient, purpose, at)
        return decide(query, state, DIRECTORY, Calendar()).is_permit

    if ask(Purpose.CARE):
        return Access.CARE
    if ask(Purpose.EMERGENCY):
        return Access.EMERGENCY_ONLY
    kind = DIRECTORY.registers[recipient].kind
    if kind is RegisterKind.PUBLIC_SOCIAL and ask(Purpose.STATUTORY):
        return Access.STATUTORY_ONLY
    return Access.NONE


def test_dis_1_reach_leaves_out_the_register_that_holds_the_data() -> None:
    data = Data(Sector.HEALTH, register="hus-health")

    reach = reach_of(data, ChoiceHistory().as_of(START), DIRECTORY, Calendar(), START)

    assert "hus-health" not in {r.register.id for r in reach}


def test_dis_9_an_uninformed_persons_health_data_reaches_others_in_emergency_only() -> (
    None
):
    data = Data(Sector.HEALTH, register="pirha-health")
    state = ChoiceHistory().as_of(START)

    reach = {
        r.register.id: r.access
        for r in reach_of(data, state, DIRECTORY, Calendar(), START)
    }

    assert reach["hus-health"] == Access.EMERGENCY_ONLY
    assert reach["medi-health"] == Access.EMERGENCY_ONLY


def test_dis_5_social_data_reaches_social_authorities_by_statute_only() -> None:
    data = Data(Sector.SOCIAL, register="pirha-social")
    state = ChoiceHistory().as_of(START)

    reach = {
        r.register.id: r.access
        for r in reach_of(data, state, DIRECTORY, Calendar(), START)
    }

    assert reach["hus-social"] == Access.STATUTORY_ONLY
    assert reach["medi-health"] == Access.NONE


def _ack(at: datetime, n: int) -> Choice:
    return Acknowledgement(
        id=f"a{n}", person=PERSON, at=at, actor=SELF, version="2021-11"
    )


def _grant(at: datetime, n: int, scope: Scope) -> Choice:
    return PermissionGranted(id=f"g{n}", person=PERSON, at=at, actor=SELF, scope=scope)


def _prohibit(at: datetime, n: int, target: Target, emergency: bool) -> Choice:
    return ProhibitionGiven(
        id=f"p{n}",
        person=PERSON,
        at=at,
        actor=SELF,
        target=target,
        sectors=frozenset({Sector.HEALTH, Sector.SOCIAL}),
        emergency_allowed=emergency,
    )


TARGETS = [
    Target(TargetKind.ORGANISATION, "pirha"),
    Target(TargetKind.ORGANISATION, "hus"),
    Target(TargetKind.REGISTER, "pirha-health"),
    Target(TargetKind.ALL_HEALTH),
    Target(TargetKind.ALL_SOCIAL),
]

choice_specs = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=900),
        st.sampled_from(["ack", "grant", "prohibit"]),
        st.sampled_from(list(Scope)),
        st.sampled_from(TARGETS),
        st.booleans(),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(
    specs=choice_specs,
    register=st.sampled_from(
        ["hus-health", "pirha-health", "pirha-social", "medi-health"]
    ),
    kanta=st.booleans(),
    days=st.integers(min_value=0, max_value=1000),
)
def test_dis_11_reach_agrees_with_single_decisions_for_every_register(
    specs, register, kanta, days
) -> None:
    choices = []
    for n, (offset, kind, scope, target, emergency) in enumerate(specs):
        at = START + timedelta(days=offset)
        if kind == "ack":
            choices.append(_ack(at, n))
        elif kind == "grant":
            choices.append(_grant(at, n, scope))
        else:
            choices.append(_prohibit(at, n, target, emergency))
    history = ChoiceHistory(choices)
    moment = START + timedelta(days=days)
    data = Data(
        DIRECTORY.registers[register].sector,
        register=register,
        kanta=kanta,
        recorded=date(2021, 1, 1),
    )

    reach = reach_of(data, history.as_of(moment), DIRECTORY, Calendar(), moment)

    actual = {r.register.id: r.access for r in reach}
    expected = {
        rid: expected_access(data, rid, history, moment)
        for rid in DIRECTORY.registers
        if rid != register
    }
    assert actual == expected
