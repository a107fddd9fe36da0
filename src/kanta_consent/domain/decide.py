"""The disclosure decision, DIS-1 to DIS-11: the first rule that applies decides.

`decide` is a pure function of the query, the person's choices in force at
the query's moment, the directory and the calendar. Nothing here reads a
clock or a store, so the same inputs always give the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kanta_consent.domain.calendar import Calendar, Setting
from kanta_consent.domain.choices import (
    ChoiceState,
    PermissionGranted,
    ProhibitionGiven,
)
from kanta_consent.domain.codes import (
    Outcome,
    Purpose,
    Reason,
    RegisterKind,
    Scope,
    Sector,
    ServiceTask,
    TargetKind,
)
from kanta_consent.domain.errors import InvalidValue
from kanta_consent.domain.model import Directory, Register, ServiceEvent


@dataclass(frozen=True, slots=True)
class Data:
    """The data asked for: its sector and where it lives (DOMAIN.md section 8).

    `event` is the service event, which in a social register is also the
    document; `recorded_by` is the organisation that recorded it when the
    register now belongs to another (PRO-8).
    """

    sector: Sector
    register: str | None = None
    event: str | None = None
    kanta: bool = True
    recorded: date | None = None
    task: ServiceTask | None = None
    recorded_by: str | None = None

    @classmethod
    def of_event(cls, event: ServiceEvent, register: Register) -> Data:
        """Describes the data of a service event."""
        return cls(
            sector=register.sector,
            register=register.id,
            event=event.id,
            kanta=event.kanta,
            recorded=event.recorded,
            task=event.task,
            recorded_by=event.recorded_by,
        )


@dataclass(frozen=True, slots=True)
class Query:
    """May this data of this person be disclosed to this register, now, for this?"""

    data: Data
    recipient: str
    purpose: Purpose
    moment: datetime


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer: permit or deny, why, and the choices it rests on."""

    outcome: Outcome
    reason: Reason
    based_on: tuple[str, ...] = ()

    @property
    def rule(self) -> str:
        """Returns the id of the rule that decided."""
        return self.reason.rule

    @property
    def is_permit(self) -> bool:
        """Tells whether the data may be disclosed."""
        return self.outcome is Outcome.PERMIT

    @property
    def needs_follow_up(self) -> bool:
        """Tells whether the log flags this decision for follow-up (DIS-9)."""
        return self.reason is Reason.EMERGENCY


def _permit(reason: Reason, based_on: tuple[str, ...] = ()) -> Decision:
    return Decision(Outcome.PERMIT, reason, based_on)


def _deny(reason: Reason, based_on: tuple[str, ...] = ()) -> Decision:
    return Decision(Outcome.DENY, reason, based_on)


def decide(
    query: Query, state: ChoiceState, directory: Directory, calendar: Calendar
) -> Decision:
    """Decides a query from the choices in force at its moment (DIS-1 to DIS-11)."""
    data, moment = query.data, query.moment
    recipient = _register(directory, query.recipient, "to")
    if data.register is not None:
        _register(directory, data.register, "data.register")
    if data.register is not None and data.register == recipient.id:
        return _permit(Reason.SAME_REGISTER)
    if data.register is not None and directory.is_purchased_service(
        recipient.id, data.register
    ):
        return _permit(Reason.PURCHASED_SERVICE)
    statutory = (
        data.sector is Sector.SOCIAL
        and query.purpose is Purpose.STATUTORY
        and recipient.kind is RegisterKind.PUBLIC_SOCIAL
    )
    if not state.informed and query.purpose is not Purpose.EMERGENCY and not statutory:
        return _deny(Reason.NOT_INFORMED)
    if data.sector is Sector.PRESCRIPTION:
        return _permit(Reason.PRESCRIPTION)
    if statutory:
        return _permit(Reason.STATUTORY)
    covering = covering_prohibitions(data, state, directory)
    if covering and not _emergency_allows(query, covering):
        return _deny(Reason.PROHIBITED, tuple(p.id for p in covering))
    permission = covering_permission(data, recipient, state, calendar, moment)
    if permission is not None:
        return _permit(Reason.PERMISSION, (permission.id,))
    if (
        state.informed
        and data.register is not None
        and directory.share_joint_area(data.register, recipient.id)
    ):
        return _permit(Reason.JOINT_AREA)
    if query.purpose is Purpose.EMERGENCY and data.sector is Sector.HEALTH:
        return _permit(Reason.EMERGENCY, tuple(p.id for p in covering))
    return _deny(Reason.NO_PERMISSION)


def _register(directory: Directory, register_id: str, field: str) -> Register:
    register = directory.registers.get(register_id)
    if register is None:
        raise InvalidValue(field, register_id, "no such register")
    return register


def _emergency_allows(query: Query, covering: list[ProhibitionGiven]) -> bool:
    # PRO-6: the allowance belongs to health care prohibitions only; social
    # welfare data has no emergency rule at all (DIS-9).
    return (
        query.purpose is Purpose.EMERGENCY
        and query.data.sector is Sector.HEALTH
        and all(p.emergency_allowed for p in covering)
    )


def covering_prohibitions(
    data: Data, state: ChoiceState, directory: Directory
) -> list[ProhibitionGiven]:
    """Returns the prohibitions in force that cover the data (DIS-6, PRO-1)."""
    if data.sector not in (Sector.HEALTH, Sector.SOCIAL) or not state.prohibitions:
        return []
    return [p for p in state.prohibitions.values() if covers(p, data, directory)]


def covers(prohibition: ProhibitionGiven, data: Data, directory: Directory) -> bool:
    """Tells whether one prohibition covers the data."""
    if data.sector not in prohibition.sectors:
        return False
    target = prohibition.target
    kind = target.kind
    if kind in (TargetKind.ALL_HEALTH, TargetKind.ALL_SOCIAL):
        return True
    if kind in (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT):
        return data.event is not None and data.event == target.ref
    if kind is TargetKind.SERVICE_TASK:
        return data.task is not None and data.task.value == target.ref
    if kind is TargetKind.ORGANISATION:
        return target.ref in _organisations_of(data, directory)
    return data.register is not None and data.register == target.ref


def _organisations_of(data: Data, directory: Directory) -> set[str]:
    # PRO-1: an organisation prohibition covers all the data of the registers
    # the organisation holds, taken-over data included, just as a prohibition
    # of one of those registers does. PRO-8: data recorded by an organisation
    # that has since ended stays that organisation's data too, wherever it is
    # kept now.
    owners = set() if data.recorded_by is None else {data.recorded_by}
    register = directory.registers.get(data.register or "")
    if register is not None:
        owners.add(register.organisation)
    return owners


def scope_for(data_sector: Sector, recipient_sector: Sector) -> Scope | None:
    """Returns the permission scope that carries data to a recipient (PER-1)."""
    if data_sector is Sector.WELLBEING:
        return Scope.WELLBEING
    return _SCOPES.get((data_sector, recipient_sector))


_SCOPES = {
    (Sector.HEALTH, Sector.HEALTH): Scope.HEALTH,
    (Sector.SOCIAL, Sector.SOCIAL): Scope.SOCIAL,
    (Sector.SOCIAL, Sector.HEALTH): Scope.SOCIAL_TO_HEALTH,
    (Sector.HEALTH, Sector.SOCIAL): Scope.HEALTH_TO_SOCIAL,
}


def covering_permission(
    data: Data,
    recipient: Register,
    state: ChoiceState,
    calendar: Calendar,
    moment: datetime,
) -> PermissionGranted | None:
    """Returns the permission in force that carries the data, if any (DIS-7)."""
    scope = scope_for(data.sector, recipient.sector)
    if scope is None:
        return None
    permission = state.permissions.get(scope)
    if permission is None:
        return None
    if scope is Scope.HEALTH and not data.kanta:
        # PER-6: only a permission given from `outside-kanta-grant` covers data
        # kept outside Kanta, and only in decisions from `outside-kanta-coverage`.
        grant_from = calendar.starts(Setting.OUTSIDE_KANTA_GRANT, moment)
        coverage_from = calendar.starts(Setting.OUTSIDE_KANTA_COVERAGE, moment)
        if permission.at < grant_from or moment < coverage_from:
            return None
    return permission
