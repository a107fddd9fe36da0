"""Whose data the portal's words speak of: one's own, or the person one acts for.

A person acting for themselves reads "you" and "your"; a guardian or a
mandate holder reads of the child or the principal (REP-1, REP-2), and a
choice they made is not said to be the person's own (REP-6).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import copy_context
from datetime import date
from typing import TypeVar

import pytest
from builders import World, at

from kanta_consent.domain.choices import (
    Actor,
    Choice,
    PermissionGranted,
    ProhibitionGiven,
    Target,
)
from kanta_consent.domain.codes import ActorRole, Reason, Scope, Sector, TargetKind
from kanta_consent.domain.who_sees import Basis
from kanta_consent.entrypoints.web import describe, i18n, labels
from kanta_consent.entrypoints.web.reach_words import Words
from kanta_consent.entrypoints.web.viewer import Viewer
from kanta_consent.services.portal import Change, PortalService

T = TypeVar("T")
GIVEN = at(2025, 3, 3)


def _in(language: str, words: Callable[..., T], *args: object) -> T:
    def run() -> T:
        i18n.activate(language)
        return words(*args)

    return copy_context().run(run)


class People:
    """A guardian and a child, and the store they are in."""

    def __init__(self) -> None:
        self.world = World()
        self.guardian = self.world.add_person(date(1980, 5, 17), number=901)
        self.child = self.world.add_person(date(2013, 2, 1), number=902)
        self.world.add_guardian(self.guardian, self.child, date(2013, 2, 1))
        self.world.add_event("ev-1", self.child, "hus-health", date(2024, 5, 2))

    def viewer(self, principal: str) -> Viewer:
        """Returns the guardian's viewer, acting for `principal`."""
        consent = self.world.service
        portal = PortalService(self.world.store, consent)
        return Viewer(self.guardian, principal, GIVEN, consent, portal)


@pytest.fixture
def people() -> People:
    return People()


def _permission(whose: str, actor: Actor) -> PermissionGranted:
    return PermissionGranted(
        id="g1", person=whose, at=GIVEN, actor=actor, scope=Scope.HEALTH
    )


def _prohibition(whose: str, actor: Actor) -> ProhibitionGiven:
    return ProhibitionGiven(
        id="p1",
        person=whose,
        at=GIVEN,
        actor=actor,
        target=Target(TargetKind.ORGANISATION, "medi"),
        sectors=frozenset({Sector.HEALTH}),
    )


def _choice_text(viewer: Viewer, choice: Choice) -> str:
    return Words(viewer).choice(choice)


def test_rep_6_a_permission_one_gave_for_oneself_is_said_to_be_given_by_you(
    people: People,
) -> None:
    own = Actor(ActorRole.SELF, person=people.guardian)
    permission = _permission(people.guardian, own)

    said = _in("en", _choice_text, people.viewer(people.guardian), permission)

    assert said == "You gave a disclosure permission on 3 March 2025."


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "Luovutuslupa, jonka annoit hänen puolestaan 3. maaliskuuta 2025."),
        (
            "sv",
            "Ett tillstånd för utlämnande som du gav för personens räkning "
            "3 mars 2025.",
        ),
        ("en", "A disclosure permission you gave on their behalf on 3 March 2025."),
    ],
)
def test_rep_1_rep_6_a_permission_a_guardian_gave_is_said_to_be_given_for_the_child(
    people: People, language: str, expected: str
) -> None:
    guardian = Actor(ActorRole.GUARDIAN, person=people.guardian)
    permission = _permission(people.child, guardian)

    said = _in(language, _choice_text, people.viewer(people.child), permission)

    assert said == expected


def test_rep_2_rep_6_a_prohibition_one_gave_for_someone_else_is_not_yours(
    people: People,
) -> None:
    holder = Actor(ActorRole.MANDATE_HOLDER, person=people.guardian)
    own = Actor(ActorRole.SELF, person=people.guardian)
    viewer = people.viewer(people.child)

    for_other = _in("en", _choice_text, viewer, _prohibition(people.child, holder))
    for_self = _in(
        "en",
        _choice_text,
        people.viewer(people.guardian),
        _prohibition(people.guardian, own),
    )

    assert for_other.startswith("A prohibition you gave on their behalf on 3 March")
    assert for_self.startswith("You gave a prohibition on 3 March 2025: ")


def test_rep_6_a_choice_the_child_made_is_said_to_be_made_by_the_person(
    people: People,
) -> None:
    child = Actor(ActorRole.SELF, person=people.child)
    permission = _permission(people.child, child)

    said = _in("en", _choice_text, people.viewer(people.child), permission)

    assert said == (
        "A disclosure permission given on 3 March 2025 by: The person themselves."
    )


def _reason(viewer: Viewer, reason: Reason) -> str:
    return Words(viewer).reason(Basis(reason, "DIS-9"))


@pytest.mark.parametrize(
    ("acting_for_self", "expected"),
    [
        (True, "Only in an emergency, when you cannot be asked."),
        (False, "Only in an emergency, when the person cannot be asked."),
    ],
)
def test_dis_9_rep_1_the_emergency_rule_speaks_of_whom_the_data_is(
    people: People, acting_for_self: bool, expected: str
) -> None:
    viewer = people.viewer(people.guardian if acting_for_self else people.child)

    said = _in("en", _reason, viewer, Reason.EMERGENCY)

    assert said == expected


def _preview(change: Change, people: People, for_self: bool) -> list[str]:
    return describe.preview(change, people.world.store, None, for_self)


def test_rep_4_a_guardians_preview_of_a_permission_speaks_of_the_child(
    people: People,
) -> None:
    change = Change("grant", scope=Scope.HEALTH)

    own = _in("en", _preview, change, people, True)
    other = _in("en", _preview, change, people, False)

    assert own[:2] == [
        "You give the disclosure permission “Between health care organisations”.",
        "Patient data recorded by one health care organisation can be seen by "
        "another health care organisation that treats you.",
    ]
    assert other[:2] == [
        "The disclosure permission “Between health care organisations” is given "
        "on behalf of the person you act for.",
        "Patient data recorded by one health care organisation can be seen by "
        "another health care organisation that treats the person you act for.",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fi",
            "Hätätilanteessa, kun henkilöltä ei voida kysyä, tiedot voidaan silti "
            "luovuttaa häntä hoitaville.",
        ),
        (
            "sv",
            "I en nödsituation, när personen inte kan tillfrågas, kan uppgifterna "
            "ändå lämnas ut till dem som vårdar personen.",
        ),
        (
            "en",
            "In an emergency, when the person cannot be asked, the data can still "
            "be disclosed to those treating them.",
        ),
    ],
)
def test_rep_5_pro_6_a_mandate_holders_preview_of_a_prohibition_speaks_of_the_principal(
    people: People, language: str, expected: str
) -> None:
    target = Target(TargetKind.ORGANISATION, "medi")
    change = Change("prohibit", target=target, emergency_allowed=True)

    lines = _in(language, _preview, change, people, False)

    assert expected in lines
    assert not [line for line in lines if "you" in line.lower().split()]


def _wellbeing(people: People, for_self: bool) -> str:
    own = Actor(ActorRole.SELF, person=people.guardian)
    granted = PermissionGranted(
        id="g2", person=people.child, at=GIVEN, actor=own, scope=Scope.WELLBEING
    )
    return describe.choice_text(granted, people.world.store, for_self)


def test_rep_4_the_wellbeing_scope_is_named_as_the_childs_to_a_guardian(
    people: People,
) -> None:
    own = _in("en", _wellbeing, people, True)
    other = _in("fi", _wellbeing, people, False)

    assert own.endswith(": Wellbeing data you saved yourself, to professionals")
    assert other.endswith(
        ": Henkilön itse tallentamat hyvinvointitiedot ammattilaisille"
    )


@pytest.mark.parametrize(
    ("words", "code"),
    [
        (labels.REASONS, "permission"),
        (labels.REASONS, "prohibited"),
        (labels.REASONS, "emergency"),
        (labels.REMINDERS, "permission-missing"),
        (labels.REMINDERS, "permission-renew"),
        (labels.TARGET_GROUPS, "events"),
        (labels.SCOPES, "wellbeing"),
        (labels.SCOPE_EXPLAINED, "health"),
    ],
)
def test_rep_1_rep_2_words_that_say_you_have_others_for_one_acting_for_someone(
    words: labels.Voiced, code: str
) -> None:
    own = words.text(code, for_self=True)
    other = words.text(code, for_self=False)

    assert "you" in own.lower()
    assert "your" not in other.lower()
    assert "you saved" not in other.lower()
    assert "treats you" not in other.lower()
    assert other != own


def test_rep_1_words_that_do_not_speak_of_anyones_data_read_the_same_for_both() -> None:
    own = labels.REASONS.text("joint-area", for_self=True)
    other = labels.REASONS.text("joint-area", for_self=False)

    assert own == other == "A joint register area of public health care"
