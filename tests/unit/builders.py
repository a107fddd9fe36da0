"""Small builders shared by the unit tests: test codes, moments, choices, worlds.

Every identity code built here is a test code (ID-3: individual number
900-999), with its check character computed by the product's own function.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime

from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.choices import (
    Acknowledgement,
    Actor,
    PermissionGranted,
    PermissionWithdrawn,
    ProhibitionGiven,
    ProhibitionWithdrawn,
    Target,
)
from kanta_consent.domain.codes import (
    ActorRole,
    Capacity,
    Channel,
    Origin,
    RegisterKind,
    Scope,
    Sector,
    ServiceTask,
)
from kanta_consent.domain.identity import HELSINKI, check_character, parse_identity_code
from kanta_consent.domain.model import (
    Directory,
    Guardianship,
    Mandate,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)
from kanta_consent.services.consent import ConsentService

DEFAULT_SIGN = {1800: "+", 1900: "-", 2000: "A"}


def hetu(born: date, sign: str | None = None, number: int = 900) -> str:
    """Returns a test code for the birth date, with a valid check character."""
    ddmmyy = born.strftime("%d%m") + f"{born.year % 100:02d}"
    digits = ddmmyy + f"{number:03d}"
    chosen = sign if sign is not None else DEFAULT_SIGN[born.year // 100 * 100]
    return f"{ddmmyy}{chosen}{number:03d}{check_character(digits)}"


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """Returns a moment in Finnish time."""
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def person(born: date, number: int = 900, safety_ban: bool = False) -> Person:
    """Returns a person with a test code."""
    return Person(parse_identity_code(hetu(born, number=number)), safety_ban)


ADULT = hetu(date(1980, 5, 17), number=901)
OTHER_ADULT = hetu(date(1975, 2, 14), number=902)
SELF = Actor(ActorRole.SELF, person=ADULT)

DIRECTORY = Directory.build(
    [
        Organisation("hus", True),
        Organisation("pirha", True),
        Organisation("medi", False),
        Organisation("terveystalo", False),
        Organisation("helsinki", True, ended=date(2022, 12, 31)),
        Organisation("caritas", False),
    ],
    [
        Register("hus-health", "hus", RegisterKind.PUBLIC_HEALTH),
        Register("hus-occupational", "hus", RegisterKind.PUBLIC_OCCUPATIONAL_HEALTH),
        Register("hus-social", "hus", RegisterKind.PUBLIC_SOCIAL),
        Register("pirha-health", "pirha", RegisterKind.PUBLIC_HEALTH),
        Register("pirha-social", "pirha", RegisterKind.PUBLIC_SOCIAL),
        Register("medi-health", "medi", RegisterKind.PRIVATE_HEALTH),
        Register(
            "tt-occupational", "terveystalo", RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH
        ),
        Register("helsinki-health", "helsinki", RegisterKind.PUBLIC_HEALTH),
        Register("caritas-social", "caritas", RegisterKind.PRIVATE_SOCIAL),
    ],
    joint_areas={"uusimaa": ["hus-health", "helsinki-health"]},
    purchased=[("medi-health", "pirha-health")],
)


_counter = itertools.count(1)


def _next_id(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


def ack(
    moment: datetime,
    version: str | None = "2021-11",
    who: str = ADULT,
    actor: Actor = SELF,
    while_minor: bool = False,
) -> Acknowledgement:
    """Returns an acknowledgement of a notice version (None: earlier law)."""
    return Acknowledgement(
        id=_next_id("a"),
        person=who,
        at=moment,
        actor=actor,
        version=version,
        while_minor=while_minor,
    )


def grant(
    moment: datetime,
    scope: Scope = Scope.HEALTH,
    who: str = ADULT,
    origin: Origin = Origin.NATIVE,
    choice_id: str | None = None,
) -> PermissionGranted:
    """Returns a permission of a scope."""
    return PermissionGranted(
        id=choice_id or _next_id("g"),
        person=who,
        at=moment,
        actor=SELF,
        scope=scope,
        origin=origin,
    )


def withdraw(moment: datetime, held: PermissionGranted) -> PermissionWithdrawn:
    """Returns the withdrawal of a permission."""
    return PermissionWithdrawn(
        id=_next_id("w"),
        person=held.person,
        at=moment,
        actor=SELF,
        scope=held.scope,
        permission=held.id,
    )


def prohibit(
    moment: datetime,
    target: Target,
    sectors: frozenset[Sector] = frozenset({Sector.HEALTH}),
    emergency: bool = False,
    who: str = ADULT,
    choice_id: str | None = None,
) -> ProhibitionGiven:
    """Returns a prohibition of a target covering `sectors`."""
    return ProhibitionGiven(
        id=choice_id or _next_id("p"),
        person=who,
        at=moment,
        actor=SELF,
        target=target,
        sectors=sectors,
        emergency_allowed=emergency,
    )


def unprohibit(moment: datetime, given: ProhibitionGiven) -> ProhibitionWithdrawn:
    """Returns the withdrawal of a prohibition."""
    return ProhibitionWithdrawn(
        id=_next_id("u"),
        person=given.person,
        at=moment,
        actor=SELF,
        prohibition=given.id,
    )


class World:
    """A MemoryStore and a ConsentService with deterministic choice ids."""

    def __init__(self, calendar: Calendar | None = None) -> None:
        self.store = MemoryStore(calendar)
        counter = itertools.count(1)
        self.service = ConsentService(self.store, ids=lambda: f"c{next(counter)}")
        for organisation in DIRECTORY.organisations.values():
            self.store.add_organisation(organisation)
        for register in DIRECTORY.registers.values():
            self.store.add_register(register)
        self.store.add_joint_area("uusimaa", ["hus-health", "helsinki-health"])
        self.store.add_purchased_service("medi-health", "pirha-health")

    def add_person(
        self, born: date, number: int = 900, safety_ban: bool = False
    ) -> str:
        """Stores a person and returns their code."""
        return self.add_code(hetu(born, number=number), safety_ban)

    def add_code(self, code: str, safety_ban: bool = False) -> str:
        """Stores the person of a code and returns it."""
        self.store.add_person(Person(parse_identity_code(code), safety_ban))
        return code

    def add_guardian(
        self,
        guardian: str,
        child: str,
        starts: date,
        until: date | None = None,
        blocked: bool = False,
    ) -> None:
        """Stores a guardianship."""
        self.store.add_guardianship(
            Guardianship(guardian, child, starts, until, blocked)
        )

    def add_mandate(
        self,
        holder: str,
        principal: str,
        starts: date,
        until: date | None = None,
        revoked: date | None = None,
    ) -> None:
        """Stores a mandate."""
        self.store.add_mandate(Mandate(holder, principal, starts, until, revoked))

    def add_event(
        self,
        event_id: str,
        who: str,
        register: str,
        recorded: date,
        kanta: bool = True,
        capacity: Capacity | None = None,
        task: ServiceTask | None = None,
        recorded_by: str | None = None,
    ) -> str:
        """Stores a service event and returns its id."""
        self.store.add_event(
            ServiceEvent(
                event_id, who, register, recorded, kanta, capacity, task, recorded_by
            )
        )
        return event_id


CARE = Channel.CARE
