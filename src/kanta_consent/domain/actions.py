"""Which actions an actor may take for a principal, and why not.

Each check raises `Refused` with the first code that applies, in the order
of DOMAIN.md section 11. Portal actions pass the entry checks first (the
actor's notice, the right to act, the principal's notice, minors); choices
recorded in care do not pass the portal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kanta_consent.domain.calendar import Calendar, Setting
from kanta_consent.domain.choices import ChoiceState, PermissionGranted, Target
from kanta_consent.domain.codes import (
    ActorRole,
    Channel,
    RefusalCode,
    RegisterKind,
    Scope,
    Sector,
    ServiceTask,
    TargetKind,
)
from kanta_consent.domain.entry import (
    has_own_notice_pending,
    has_principal_notice_pending,
)
from kanta_consent.domain.errors import InvalidValue, Refused
from kanta_consent.domain.model import Directory, Person, ServiceEvent


class ActionKind(StrEnum):
    """The actions of the portal and of care."""

    ACKNOWLEDGE = "acknowledge"
    DECLINE = "decline"
    GRANT = "grant"
    WITHDRAW_PERMISSION = "withdraw-permission"
    WITHDRAW_PROHIBITION = "withdraw-prohibition"
    PROHIBIT = "prohibit"


# Actions that answer the notice itself, which a pending notice allows.
_NOTICE_ACTIONS = (ActionKind.ACKNOWLEDGE, ActionKind.DECLINE)

SCOPE_SETTINGS = {
    Scope.HEALTH: Setting.PERMISSION_HEALTH,
    Scope.SOCIAL: Setting.PERMISSION_SOCIAL,
    Scope.SOCIAL_TO_HEALTH: Setting.PERMISSION_SOCIAL_TO_HEALTH,
    Scope.HEALTH_TO_SOCIAL: Setting.PERMISSION_HEALTH_TO_SOCIAL,
    Scope.WELLBEING: Setting.PERMISSION_WELLBEING,
}

_PUBLIC_HEALTH_REGISTERS = (
    RegisterKind.PUBLIC_HEALTH,
    RegisterKind.PUBLIC_OCCUPATIONAL_HEALTH,
)


@dataclass(frozen=True, slots=True)
class ActionContext:
    """Everything an action is judged on.

    `actor` and `actor_state` are None for a choice recorded in care, where
    the professional acts; `role` is the actor's right for the principal.
    """

    principal: Person
    principal_state: ChoiceState
    channel: Channel
    calendar: Calendar
    moment: datetime
    actor: Person | None = None
    actor_state: ChoiceState | None = None
    role: ActorRole | None = None

    @property
    def in_portal(self) -> bool:
        """Tells whether the action passes the portal."""
        return self.channel is Channel.PORTAL

    def refuse(self, code: RefusalCode, rule: str, detail: str = "") -> Refused:
        """Builds the refusal for this action."""
        return Refused(code, rule, detail)


def check_portal(context: ActionContext, kind: ActionKind) -> None:
    """Applies the portal's own refusals: notice, right, principal, minor."""
    if not context.in_portal:
        return
    actor, role = context.actor, context.role
    assert actor is not None and context.actor_state is not None
    acting_for_self = role is ActorRole.SELF
    own_pending = has_own_notice_pending(
        actor, context.actor_state, context.calendar, context.moment
    )
    if own_pending and not (acting_for_self and kind in _NOTICE_ACTIONS):
        raise context.refuse(RefusalCode.NOTICE_PENDING, "INF-2")
    if role is None:
        raise context.refuse(RefusalCode.NO_RIGHT_TO_ACT, "REP-1")
    principal_pending = not acting_for_self and has_principal_notice_pending(
        context.principal_state, context.calendar, context.moment
    )
    if principal_pending and kind not in _NOTICE_ACTIONS:
        raise context.refuse(RefusalCode.NOTICE_PENDING, "REP-3")
    if kind is not ActionKind.DECLINE and not actor.is_adult_at(context.moment):
        raise context.refuse(RefusalCode.MINOR, "MIN-2")


def is_scope_available(scope: Scope, calendar: Calendar, moment: datetime) -> bool:
    """Tells whether a permission of `scope` can be given at the moment (PER-1).

    Before the reform, a health grant is a consent under the earlier law
    (PER-4) and no other scope exists.
    """
    if not calendar.is_in_force(Setting.REFORM, moment):
        return scope is Scope.HEALTH
    return calendar.is_in_force(SCOPE_SETTINGS[scope], moment)


def check_acknowledge(context: ActionContext) -> None:
    """Refuses an acknowledgement that the rules forbid (INF-3, MIN-2)."""
    check_portal(context, ActionKind.ACKNOWLEDGE)


def check_decline(context: ActionContext) -> None:
    """Refuses a decline only for a lack of right; otherwise it always works."""
    check_portal(context, ActionKind.DECLINE)


def check_grant(context: ActionContext, scope: Scope) -> None:
    """Refuses a permission that the rules forbid (PER-1, PER-2, REP-5)."""
    check_portal(context, ActionKind.GRANT)
    _check_mandate_scope(context, scope)
    if not is_scope_available(scope, context.calendar, context.moment):
        raise context.refuse(RefusalCode.NOT_AVAILABLE_YET, "PER-1", str(scope))
    if not context.principal_state.informed:
        raise context.refuse(RefusalCode.NOT_INFORMED, "PER-2")


def check_withdraw_permission(
    context: ActionContext, scope: Scope
) -> PermissionGranted:
    """Returns the permission to withdraw, or refuses (PER-3, REP-4, REP-5)."""
    check_portal(context, ActionKind.WITHDRAW_PERMISSION)
    held = context.principal_state.permissions.get(scope)
    if (
        context.role is ActorRole.GUARDIAN
        and held is not None
        and held.by_minor_in_care
    ):
        raise context.refuse(RefusalCode.GUARDIAN_NOT_ALLOWED, "REP-4")
    _check_mandate_scope(context, scope)
    if held is None:
        raise context.refuse(RefusalCode.NOT_IN_FORCE, "PER-3", str(scope))
    return held


def check_withdraw_prohibition(context: ActionContext, prohibition: str) -> None:
    """Refuses the withdrawal of a prohibition that the rules forbid (PRO-3)."""
    check_portal(context, ActionKind.WITHDRAW_PROHIBITION)
    if context.in_portal and context.role is ActorRole.GUARDIAN:
        raise context.refuse(RefusalCode.GUARDIAN_NOT_ALLOWED, "REP-4")
    if prohibition not in context.principal_state.prohibitions:
        raise context.refuse(RefusalCode.NOT_IN_FORCE, "PRO-3")


def _check_mandate_scope(context: ActionContext, scope: Scope) -> None:
    # REP-5: a mandate holder may not handle the wellbeing permission.
    if context.role is ActorRole.MANDATE_HOLDER and scope is Scope.WELLBEING:
        raise context.refuse(RefusalCode.MANDATE_NOT_ALLOWED, "REP-5")


EventLookup = Callable[[str], ServiceEvent | None]


def check_prohibit(
    context: ActionContext,
    target: Target,
    emergency_allowed: bool,
    directory: Directory,
    find_event: EventLookup,
) -> frozenset[Sector]:
    """Returns the sectors a new prohibition covers, or refuses (PRO-1 to PRO-8)."""
    check_portal(context, ActionKind.PROHIBIT)
    if context.in_portal and context.role is ActorRole.GUARDIAN:
        raise context.refuse(RefusalCode.GUARDIAN_NOT_ALLOWED, "REP-4")
    judged = judge_target(
        target,
        context.principal,
        directory,
        find_event,
        context.calendar,
        context.moment,
    )
    if not judged.available:
        raise context.refuse(RefusalCode.NOT_AVAILABLE_YET, "PRO-1", str(target.kind))
    if not context.principal_state.informed:
        raise context.refuse(RefusalCode.NOT_INFORMED, "PRO-2")
    if not judged.sectors:
        raise context.refuse(RefusalCode.TARGET_NOT_ALLOWED, judged.rule, judged.why)
    if emergency_allowed and not takes_emergency_allowance(judged.sectors):
        raise InvalidValue(
            "emergency", True, "a social welfare prohibition has no emergency allowance"
        )
    return judged.sectors


def takes_emergency_allowance(sectors: frozenset[Sector]) -> bool:
    """Tells whether a prohibition of these sectors can allow emergencies (PRO-6).

    Only a health care prohibition can; a social welfare one has no
    allowance, as social welfare data has no emergency rule (DIS-9).
    """
    return Sector.HEALTH in sectors


@dataclass(frozen=True, slots=True)
class JudgedTarget:
    """Whether a target is available yet and, if allowed, the sectors it covers."""

    available: bool
    sectors: frozenset[Sector]
    rule: str = "PRO-1"
    why: str = ""


_HEALTH = frozenset({Sector.HEALTH})
_SOCIAL = frozenset({Sector.SOCIAL})
_NONE: frozenset[Sector] = frozenset()


def judge_target(
    target: Target,
    principal: Person,
    directory: Directory,
    find_event: EventLookup,
    calendar: Calendar,
    moment: datetime,
) -> JudgedTarget:
    """Judges a prohibition's target at the moment (PRO-1, PRO-8)."""

    def since(setting: Setting) -> bool:
        return calendar.is_in_force(setting, moment)

    kind = target.kind
    if kind in (TargetKind.ALL_HEALTH, TargetKind.ALL_SOCIAL):
        health = kind is TargetKind.ALL_HEALTH
        setting = (
            Setting.ALL_HEALTH_PROHIBITION if health else Setting.ALL_SOCIAL_PROHIBITION
        )
        # All of a sector names nothing more: a ref would be stored unread.
        if target.ref is not None:
            return JudgedTarget(since(setting), _NONE, why="names no ref")
        return JudgedTarget(since(setting), _HEALTH if health else _SOCIAL)
    if kind is TargetKind.SERVICE_TASK:
        valid = target.ref in {t.value for t in ServiceTask}
        sectors = _SOCIAL if valid else _NONE
        return JudgedTarget(since(Setting.SOCIAL_PROHIBITIONS), sectors, why="task")
    if kind in (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT):
        return _judge_event(target, principal, directory, find_event, since)
    if kind is TargetKind.ORGANISATION:
        return _judge_organisation(target, directory, moment, since)
    return _judge_register(target, directory, moment, since)


def _judge_event(
    target: Target,
    principal: Person,
    directory: Directory,
    find_event: EventLookup,
    since: Callable[[Setting], bool],
) -> JudgedTarget:
    # A service event is a health target; a document is a social register's
    # entry, available with the other social prohibitions.
    social = target.kind is TargetKind.DOCUMENT
    available = since(Setting.SOCIAL_PROHIBITIONS) if social else True
    event = find_event(target.ref or "")
    if event is None or event.person != principal.id:
        return JudgedTarget(available, _NONE, why="not the person's own")
    register = directory.registers.get(event.register)
    wanted = Sector.SOCIAL if social else Sector.HEALTH
    if register is None or register.sector is not wanted:
        return JudgedTarget(available, _NONE, why=f"not {wanted} data")
    return JudgedTarget(available, frozenset({wanted}))


def _judge_organisation(
    target: Target,
    directory: Directory,
    moment: datetime,
    since: Callable[[Setting], bool],
) -> JudgedTarget:
    # PRO-1: health data of a public organisation, always; social welfare data
    # of any controller from `social-prohibitions`. The sectors are those that
    # could be targeted on the day, and the prohibition keeps them.
    organisation = directory.organisations.get(target.ref or "")
    if organisation is None:
        return JudgedTarget(True, _NONE, why="unknown organisation")
    if organisation.has_ended(moment):
        return JudgedTarget(True, _NONE, rule="PRO-8", why="organisation has ended")
    has_social = organisation.public or any(
        r.organisation == organisation.id and r.sector is Sector.SOCIAL
        for r in directory.registers.values()
    )
    sectors = set(_HEALTH if organisation.public else _NONE)
    social_open = since(Setting.SOCIAL_PROHIBITIONS)
    if has_social and social_open:
        sectors.add(Sector.SOCIAL)
    available = bool(sectors) or not has_social
    why = "" if sectors else "a private provider only through service events"
    return JudgedTarget(available, frozenset(sectors), why=why)


def _judge_register(
    target: Target,
    directory: Directory,
    moment: datetime,
    since: Callable[[Setting], bool],
) -> JudgedTarget:
    register = directory.registers.get(target.ref or "")
    private_occupational = target.kind is TargetKind.PRIVATE_OCCUPATIONAL_REGISTER
    available = (
        since(Setting.PRIVATE_OCCUPATIONAL_REGISTER_PROHIBITION)
        if private_occupational
        else True
    )
    if register is None:
        return JudgedTarget(available, _NONE, why="unknown register")
    owner = directory.organisations.get(register.organisation)
    if owner is not None and owner.has_ended(moment):
        return JudgedTarget(available, _NONE, rule="PRO-8", why="organisation ended")
    if private_occupational:
        fits = register.kind is RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH
    else:
        fits = (
            owner is not None
            and owner.public
            and register.kind in _PUBLIC_HEALTH_REGISTERS
        )
    return JudgedTarget(available, _HEALTH if fits else _NONE, why="register kind")
