"""Translating between domain objects and table rows, both ways."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import Row

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
    Capacity,
    Channel,
    Origin,
    RegisterKind,
    Scope,
    Sector,
    ServiceTask,
    TargetKind,
)
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.domain.model import (
    Guardianship,
    Mandate,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)

E = TypeVar("E", bound=Enum)


def _by_value(kind: type[E]) -> Callable[[Any], E]:
    """Returns the enum's member for a stored value, from a dict: calling the
    enum itself cost a batch's thousand rows about a twentieth of its CPU."""
    members = {member.value: member for member in kind}

    def member(value: Any) -> E:
        try:
            return members[value]
        except KeyError:
            raise ValueError(f"{value!r} is not a valid {kind.__name__}") from None

    return member


_ACTOR_ROLE = _by_value(ActorRole)
_CHANNEL = _by_value(Channel)
_ORIGIN = _by_value(Origin)
_SCOPE = _by_value(Scope)
_CAPACITY = _by_value(Capacity)
_SERVICE_TASK = _by_value(ServiceTask)

TYPE_OF_CLASS: dict[type[Choice], str] = {
    Acknowledgement: "acknowledgement",
    PermissionGranted: "permission-granted",
    PermissionWithdrawn: "permission-withdrawn",
    ProhibitionGiven: "prohibition-given",
    ProhibitionWithdrawn: "prohibition-withdrawn",
}


def choice_values(choice: Choice) -> dict[str, Any]:
    """Returns the column values of a choice: the common ones and its own."""
    values: dict[str, Any] = {
        "id": choice.id,
        "type": TYPE_OF_CLASS[type(choice)],
        "person": choice.person,
        "at": choice.at,
        "actor_role": choice.actor.role.value,
        "actor_person": choice.actor.person,
        "actor_unit": choice.actor.unit,
        "channel": choice.channel.value,
        "origin": choice.origin.value,
    }
    if isinstance(choice, Acknowledgement):
        values.update(version=choice.version, while_minor=choice.while_minor)
    elif isinstance(choice, PermissionGranted):
        values.update(
            scope=choice.scope.value, by_minor_in_care=choice.by_minor_in_care
        )
    elif isinstance(choice, PermissionWithdrawn):
        values.update(scope=choice.scope.value, permission=choice.permission)
    elif isinstance(choice, ProhibitionGiven):
        values.update(
            target_kind=choice.target.kind.value,
            target_ref=choice.target.ref,
            sectors=",".join(sorted(s.value for s in choice.sectors)),
            emergency_allowed=choice.emergency_allowed,
            by_minor_in_care=choice.by_minor_in_care,
        )
    elif isinstance(choice, ProhibitionWithdrawn):
        values.update(prohibition=choice.prohibition)
    return values


def choice_of(row: Any) -> Choice:
    """Returns the choice a row of `choices` holds (a Row or a named tuple)."""
    common: dict[str, Any] = {
        "id": row.id,
        "person": row.person,
        "at": row.at,
        "actor": Actor(_ACTOR_ROLE(row.actor_role), row.actor_person, row.actor_unit),
        "channel": _CHANNEL(row.channel),
        "origin": _ORIGIN(row.origin),
    }
    kind = row.type
    if kind == "acknowledgement":
        return Acknowledgement(
            **common, version=row.version, while_minor=bool(row.while_minor)
        )
    if kind == "permission-granted":
        return PermissionGranted(
            **common,
            scope=_SCOPE(row.scope),
            by_minor_in_care=bool(row.by_minor_in_care),
        )
    if kind == "permission-withdrawn":
        return PermissionWithdrawn(
            **common, scope=_SCOPE(row.scope), permission=row.permission
        )
    if kind == "prohibition-given":
        return ProhibitionGiven(
            **common,
            target=Target(TargetKind(row.target_kind), row.target_ref),
            sectors=frozenset(Sector(s) for s in row.sectors.split(",") if s),
            emergency_allowed=bool(row.emergency_allowed),
            by_minor_in_care=bool(row.by_minor_in_care),
        )
    if kind == "prohibition-withdrawn":
        return ProhibitionWithdrawn(**common, prohibition=row.prohibition)
    raise ValueError(f"choices.type {kind!r} of choice {row.id} is unknown")


def person_of(row: Row[Any]) -> Person:
    """Returns the person of a row of `persons`."""
    return Person(parse_identity_code(row.code), row.safety_ban, row.name)


def guardianship_of(row: Row[Any]) -> Guardianship:
    """Returns the guardianship of a row of `guardianships`."""
    return Guardianship(row.guardian, row.child, row.starts, row.until, row.blocked)


def mandate_of(row: Row[Any]) -> Mandate:
    """Returns the mandate of a row of `mandates`."""
    return Mandate(row.holder, row.principal, row.starts, row.until, row.revoked)


def organisation_of(row: Row[Any]) -> Organisation:
    """Returns the organisation of a row of `organisations`."""
    return Organisation(row.id, row.public, row.ended, row.name, row.business_id)


def register_of(row: Row[Any]) -> Register:
    """Returns the register of a row of `registers`."""
    kind = RegisterKind(row.kind)
    return Register(row.id, row.organisation, kind, row.kanta_from, row.name, row.oid)


def event_values(event: ServiceEvent) -> dict[str, Any]:
    """Returns the column values of a service event."""
    return {
        "id": event.id,
        "person": event.person,
        "register": event.register,
        "recorded": event.recorded,
        "kanta": event.kanta,
        "capacity": None if event.capacity is None else event.capacity.value,
        "task": None if event.task is None else event.task.value,
        "recorded_by": event.recorded_by,
    }


def event_of(row: Any) -> ServiceEvent:
    """Returns the service event of a row of `service_events` (or a named tuple)."""
    return ServiceEvent(
        row.id,
        row.person,
        row.register,
        row.recorded,
        row.kanta,
        None if row.capacity is None else _CAPACITY(row.capacity),
        None if row.task is None else _SERVICE_TASK(row.task),
        row.recorded_by,
    )
