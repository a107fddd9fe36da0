"""Builders of the integration tests: test codes, moments, one choice of each class.

Every identity code is a test code (ID-3: individual number 900-999).
"""

from __future__ import annotations

from datetime import date, datetime

from kanta_consent.domain.choices import (
    Acknowledgement,
    Actor,
    Choice,
    PermissionGranted,
    PermissionWithdrawn,
    ProhibitionGiven,
    ProhibitionWithdrawn,
    Target,
)
from kanta_consent.domain.codes import (
    ActorRole,
    Channel,
    Origin,
    Scope,
    Sector,
    TargetKind,
)
from kanta_consent.domain.identity import HELSINKI, check_character


def hetu(born: date, number: int = 900) -> str:
    """Returns a test code for the birth date, with a valid check character."""
    ddmmyy = born.strftime("%d%m") + f"{born.year % 100:02d}"
    sign = "A" if born.year >= 2000 else "-"
    return f"{ddmmyy}{sign}{number:03d}{check_character(ddmmyy + f'{number:03d}')}"


def at(year: int, month: int, day: int, hour: int = 12, micro: int = 0) -> datetime:
    """Returns a moment in Finnish time."""
    return datetime(year, month, day, hour, 0, 0, micro, tzinfo=HELSINKI)


ADULT = hetu(date(1980, 1, 1), 901)
CHILD = hetu(date(2015, 6, 15), 902)
GUARDIAN = hetu(date(1985, 3, 3), 903)


def every_choice(person: str = ADULT) -> list[Choice]:
    """Returns one choice of each class, every field set away from its default."""
    by_self = Actor(ActorRole.SELF, person=person)
    in_care = Actor(ActorRole.PROFESSIONAL, unit="unit-7")
    return [
        Acknowledgement(
            id="c1",
            person=person,
            at=at(2022, 1, 2, micro=123456),
            actor=Actor(ActorRole.GUARDIAN, person=GUARDIAN, unit="u"),
            channel=Channel.CARE,
            origin=Origin.LEGACY,
            version="2021-11",
            while_minor=True,
        ),
        Acknowledgement(
            id="c1b", person=person, at=at(2022, 1, 2), actor=by_self, version=None
        ),
        PermissionGranted(
            id="c2",
            person=person,
            at=at(2022, 2, 3, micro=1),
            actor=in_care,
            channel=Channel.CARE,
            scope=Scope.SOCIAL_TO_HEALTH,
            by_minor_in_care=True,
        ),
        PermissionWithdrawn(
            id="c3",
            person=person,
            at=at(2022, 3, 4),
            actor=Actor(ActorRole.MANDATE_HOLDER, person=GUARDIAN),
            scope=Scope.SOCIAL_TO_HEALTH,
            permission="c2",
        ),
        ProhibitionGiven(
            id="c4",
            person=person,
            at=at(2022, 4, 5),
            actor=Actor(ActorRole.IMPORT),
            origin=Origin.LEGACY,
            target=Target(TargetKind.REGISTER, "reg-1"),
            sectors=frozenset({Sector.HEALTH, Sector.SOCIAL}),
            emergency_allowed=True,
            by_minor_in_care=True,
        ),
        ProhibitionGiven(
            id="c4b",
            person=person,
            at=at(2022, 4, 5),
            actor=by_self,
            target=Target(TargetKind.ALL_HEALTH),
            sectors=frozenset(),
        ),
        ProhibitionWithdrawn(
            id="c5", person=person, at=at(2022, 5, 6), actor=by_self, prohibition="c4"
        ),
    ]
