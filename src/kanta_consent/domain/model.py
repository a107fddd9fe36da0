"""People, their representatives, organisations, registers and service events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from kanta_consent.domain.calendar import start_of
from kanta_consent.domain.codes import Capacity, RegisterKind, Sector, ServiceTask
from kanta_consent.domain.identity import HELSINKI, IdentityCode


@dataclass(frozen=True, slots=True)
class Person:
    """Someone with a HETU; `safety_ban` is turvakielto (REP-1).

    `name` is kept for the operator's imports and views; no rule reads it.
    """

    code: IdentityCode
    safety_ban: bool = False
    name: str = ""

    @property
    def id(self) -> str:
        """Returns the identity code as text, the person's key."""
        return self.code.value

    def is_adult_at(self, moment: datetime) -> bool:
        """Tells whether the person is 18 or over at the moment (ID-2)."""
        return self.code.is_adult_at(moment)


def _in_force(start: date, end: date | None, moment: datetime) -> bool:
    # A relation is in force from the start of its first day to the end of its
    # last day, Finnish time.
    day = moment.astimezone(HELSINKI).date()
    return start <= day and (end is None or day <= end)


@dataclass(frozen=True, slots=True)
class Guardianship:
    """Custody of a minor, as held in the population register (REP-1)."""

    guardian: str
    child: str
    starts: date
    until: date | None = None
    blocked: bool = False

    def is_in_force(self, moment: datetime) -> bool:
        """Tells whether the guardianship itself runs at the moment."""
        return _in_force(self.starts, self.until, moment)


@dataclass(frozen=True, slots=True)
class Mandate:
    """A mandate for managing matters related to health care (REP-2)."""

    holder: str
    principal: str
    starts: date
    until: date | None = None
    revoked: date | None = None

    def is_in_force(self, moment: datetime) -> bool:
        """Tells whether the mandate runs: from start to end or revocation."""
        if self.revoked is not None and moment >= start_of(self.revoked):
            return False
        return _in_force(self.starts, self.until, moment)


@dataclass(frozen=True, slots=True)
class Organisation:
    """A service provider; `ended` is its last day (PRO-8)."""

    id: str
    public: bool
    ended: date | None = None
    name: str = ""
    business_id: str | None = None

    def has_ended(self, moment: datetime) -> bool:
        """Tells whether the organisation's last day is behind the moment."""
        return (
            self.ended is not None and moment.astimezone(HELSINKI).date() > self.ended
        )


@dataclass(frozen=True, slots=True)
class Register:
    """A controller's patient or client register.

    `kanta_from` is the day a social welfare register began to store client
    data in Kanta (INF-7); None means always.
    """

    id: str
    organisation: str
    kind: RegisterKind
    kanta_from: date | None = None
    name: str = ""
    oid: str | None = None

    @property
    def sector(self) -> Sector:
        """Returns health or social."""
        return self.kind.sector


@dataclass(frozen=True, slots=True)
class ServiceEvent:
    """One care matter's metadata; in a social register, one document."""

    id: str
    person: str
    register: str
    recorded: date
    kanta: bool = True
    capacity: Capacity | None = None
    task: ServiceTask | None = None
    recorded_by: str | None = None


@dataclass(frozen=True)
class Directory:
    """Organisations, registers, joint areas and purchased-service links."""

    organisations: Mapping[str, Organisation] = field(default_factory=dict)
    registers: Mapping[str, Register] = field(default_factory=dict)
    joint_areas: Mapping[str, frozenset[str]] = field(default_factory=dict)
    purchased: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def build(
        cls,
        organisations: Iterable[Organisation],
        registers: Iterable[Register],
        joint_areas: Mapping[str, Iterable[str]] | None = None,
        purchased: Iterable[tuple[str, str]] = (),
    ) -> Directory:
        """Builds a directory; joint areas are given as area -> registers."""
        areas_of: dict[str, set[str]] = {}
        for area, members in (joint_areas or {}).items():
            for register in members:
                areas_of.setdefault(register, set()).add(area)
        return cls(
            organisations={o.id: o for o in organisations},
            registers={r.id: r for r in registers},
            joint_areas={k: frozenset(v) for k, v in areas_of.items()},
            purchased=frozenset(purchased),
        )

    def share_joint_area(self, first: str, second: str) -> bool:
        """Tells whether two registers belong to one joint area (DIS-8)."""
        return not self.joint_areas.get(first, frozenset()).isdisjoint(
            self.joint_areas.get(second, frozenset())
        )

    def is_purchased_service(self, producer: str, for_register: str) -> bool:
        """Tells whether `producer` produces care for `for_register` (DIS-2)."""
        return (producer, for_register) in self.purchased
