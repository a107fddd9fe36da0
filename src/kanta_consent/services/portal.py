"""The portal's read side: whom one may act for, what is offered, what is shown.

The portal offers only what the rules allow: every offer here is worked out
by the same checks that refuse a hand-made request (domain.actions), so the
pages and the server never disagree. Views hide what REP-4 and REP-7 hide
from a guardian.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from kanta_consent.domain import actions
from kanta_consent.domain.actions import ActionContext
from kanta_consent.domain.calendar import DEFAULT_NOTICE_VERSIONS, NoticeVersion
from kanta_consent.domain.choices import (
    Acknowledgement,
    Choice,
    PermissionGranted,
    ProhibitionGiven,
    Target,
)
from kanta_consent.domain.codes import (
    ActorRole,
    Channel,
    Entry,
    RefusalCode,
    Scope,
    Sector,
    ServiceTask,
    TargetKind,
)
from kanta_consent.domain.entry import enter, has_principal_notice_pending
from kanta_consent.domain.errors import InvalidValue, Refused
from kanta_consent.domain.model import (
    Directory,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)
from kanta_consent.domain.representation import (
    is_guardian_in_force,
    is_mandate_in_force,
)
from kanta_consent.domain.visibility import is_shown
from kanta_consent.services.consent import DECISION_KIND, ConsentService, PortalActor
from kanta_consent.services.ports import Store

_ROLE_ORDER = {ActorRole.SELF: 0, ActorRole.GUARDIAN: 1, ActorRole.MANDATE_HOLDER: 2}


@dataclass(frozen=True, slots=True)
class Principal:
    """Someone the actor may act for, and in which role (REP-1, REP-2)."""

    person: Person
    role: ActorRole


@dataclass(frozen=True, slots=True)
class TargetOption:
    """A prohibition target the person may pick, with what it would cover."""

    target: Target
    emergency_allowance: bool
    event: ServiceEvent | None = None
    register: Register | None = None
    organisation: Organisation | None = None


@dataclass(frozen=True, slots=True)
class Offers:
    """What the actor may do for the principal at the moment."""

    acknowledge: bool = False
    grant: tuple[str, ...] = ()
    withdraw: tuple[str, ...] = ()
    prohibit: tuple[TargetOption, ...] = ()
    withdraw_prohibition: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Change:
    """One change a person asks for on "Management of the use of data".

    `action` is grant, withdraw-permission, prohibit or withdraw-prohibition;
    the other fields are those the action needs.
    """

    action: str
    scope: Scope | None = None
    target: Target | None = None
    emergency_allowed: bool = False
    prohibition: str | None = None


CHANGE_ACTIONS = ("grant", "withdraw-permission", "prohibit", "withdraw-prohibition")


@dataclass(frozen=True, slots=True)
class EventView:
    """A service event as the portal lists it (INF-7)."""

    event: ServiceEvent
    register: Register | None
    organisation: Organisation | None


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One decision of the disclosure log as the person reads it (LOG-2)."""

    at: datetime
    recipient: Register | None
    recipient_organisation: Organisation | None
    sector: str
    register: Register | None
    event: ServiceEvent | None
    outcome: str
    reason: str
    purpose: str


@dataclass(frozen=True, slots=True)
class NoticeStatus:
    """Whether, when, by whom and which version was acknowledged (INF-6, MIN-3)."""

    acknowledgement: Acknowledgement | None
    current: str | None
    pending: bool


@dataclass(frozen=True, slots=True)
class Management:
    """The page "Management of the use of data" for one principal (INF-6)."""

    principal: Person
    role: ActorRole
    current_notice: NoticeVersion | None
    acknowledgement: Acknowledgement | None
    notice_pending: bool
    permissions: tuple[PermissionGranted, ...]
    prohibitions: tuple[ProhibitionGiven, ...]
    history: tuple[Choice, ...]
    offers: Offers
    directory: Directory = field(repr=False, default_factory=Directory)

    @property
    def status(self) -> NoticeStatus:
        """Returns the notice status shown at the top of the page."""
        current = self.current_notice.version if self.current_notice else None
        return NoticeStatus(self.acknowledgement, current, self.notice_pending)


class PortalService:
    """The portal's views and offers over one store."""

    def __init__(self, store: Store, consent: ConsentService | None = None) -> None:
        self.store = store
        self.consent = consent or ConsentService(store)

    def principals(self, actor: str, moment: datetime) -> list[Principal]:
        """Lists the actor first, then each child and principal in force."""
        person = self.consent.get_person(actor, "as")
        found: dict[str, Principal] = {person.id: Principal(person, ActorRole.SELF)}
        for guardianship in self.store.guardianships(guardian=person.id):
            child = self.store.find_person(guardianship.child)
            if child and is_guardian_in_force(guardianship, person, child, moment):
                found.setdefault(child.id, Principal(child, ActorRole.GUARDIAN))
        for mandate in self.store.mandates(holder=person.id):
            principal = self.store.find_person(mandate.principal)
            if principal and is_mandate_in_force(mandate, person, principal, moment):
                found.setdefault(
                    principal.id, Principal(principal, ActorRole.MANDATE_HOLDER)
                )
        return sorted(
            found.values(),
            key=lambda p: (_ROLE_ORDER[p.role], p.person.code.birth_date, p.person.id),
        )

    def context(self, actor: str, principal: str, moment: datetime) -> ActionContext:
        """Builds the portal context that the domain judges actions on."""
        person = self.consent.get_person(actor, "as")
        target = self.consent.get_person(principal, "for")
        return ActionContext(
            target,
            self.consent.state_of(target.id, moment),
            Channel.PORTAL,
            self.store.calendar(),
            moment,
            actor=person,
            actor_state=self.consent.state_of(person.id, moment),
            role=self.consent.role(person, target, moment),
        )

    def notice_status(self, principal: str, moment: datetime) -> NoticeStatus:
        """Returns the principal's notice status for the front page (MIN-3)."""
        state = self.consent.state_of(principal, moment)
        calendar = self.store.calendar()
        current = calendar.current_notice(moment)
        return NoticeStatus(
            state.latest_acknowledgement(),
            current.version if current else None,
            has_principal_notice_pending(state, calendar, moment),
        )

    def notice_text(self, version: str, language: str) -> str | None:
        """Returns the operator's text of a version added after the defaults.

        The default versions (INF-1) are shown in the portal's own words;
        a version the operator adds is shown in the text given with it, in
        the language asked for or else the first of fi, sv, en kept.
        """
        if version in DEFAULT_NOTICE_VERSIONS:
            return None
        texts = self.store.notice_texts(version)
        for wanted in (language, "fi", "sv", "en"):
            if texts.get(wanted):
                return texts[wanted]
        return None

    def check_view(self, context: ActionContext) -> ActorRole:
        """Refuses a view before the gates are passed (INF-2, REP-1, REP-3)."""
        return check_view(context)

    def management(self, actor: str, principal: str, moment: datetime) -> Management:
        """Returns the status, choices, history and offers of the principal."""
        context = self.context(actor, principal, moment)
        role = self.check_view(context)
        state = context.principal_state
        directory = self.store.directory()
        hidden = self._hidden_from(context, role)
        prohibitions = tuple(p for p in state.prohibitions.values() if not hidden(p))
        history = tuple(
            c for c in self.store.choices_of(context.principal.id) if not hidden(c)
        )
        current = context.calendar.current_notice(moment)
        return Management(
            principal=context.principal,
            role=role,
            current_notice=current,
            acknowledgement=state.latest_acknowledgement(),
            notice_pending=has_principal_notice_pending(
                state, context.calendar, moment
            ),
            permissions=tuple(p for p in state.permissions.values() if not hidden(p)),
            prohibitions=prohibitions,
            history=tuple(reversed(history)),
            offers=self.offers(context, directory),
            directory=directory,
        )

    def _hidden_from(
        self, context: ActionContext, role: ActorRole
    ) -> Callable[[Choice], bool]:
        # REP-4: a guardian is shown neither the child's own choices in care
        # (MIN-6) nor any service event that REP-7 hides.
        def hidden(choice: Choice) -> bool:
            if role is not ActorRole.GUARDIAN:
                return False
            if getattr(choice, "by_minor_in_care", False):
                return True
            target = getattr(choice, "target", None)
            if target is None:
                target = self._withdrawn_target(context, choice)
            return target is not None and not self._target_shown(context, target)

        return hidden

    def _withdrawn_target(
        self, context: ActionContext, choice: Choice
    ) -> Target | None:
        prohibition = getattr(choice, "prohibition", None)
        if prohibition is None:
            return None
        given = self.store.choices_of(context.principal.id).find(prohibition)
        return given.target if isinstance(given, ProhibitionGiven) else None

    def _target_shown(self, context: ActionContext, target: Target) -> bool:
        if target.kind not in (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT):
            return True
        event = self.store.find_event(target.ref or "")
        return event is not None and self._is_event_shown(context, event)

    def _is_event_shown(self, context: ActionContext, event: ServiceEvent) -> bool:
        register = self.store.directory().registers.get(event.register)
        if register is None:
            return False
        return is_shown(
            event, register, context.principal, context.role, context.moment
        )

    def offers(self, context: ActionContext, directory: Directory) -> Offers:
        """Works out what may be done, with the checks that refuse the rest."""
        held = context.principal_state.permissions
        return Offers(
            acknowledge=_allowed(actions.check_acknowledge, context),
            grant=tuple(
                s.value
                for s in actions.SCOPE_SETTINGS
                if _allowed(actions.check_grant, context, s)
            ),
            withdraw=tuple(
                s.value
                for s in held
                if _allowed(actions.check_withdraw_permission, context, s)
            ),
            prohibit=tuple(self._target_options(context, directory)),
            withdraw_prohibition=frozenset(
                p
                for p in context.principal_state.prohibitions
                if _allowed(actions.check_withdraw_prohibition, context, p)
            ),
        )

    def _target_options(
        self, context: ActionContext, directory: Directory
    ) -> list[TargetOption]:
        try:
            actions.check_portal(context, actions.ActionKind.PROHIBIT)
        except Refused:
            return []
        options: list[TargetOption] = []
        given = {p.target for p in context.principal_state.prohibitions.values()}
        candidates = self._candidates(context, directory)
        # The person's own events are at hand already: one query, not one each.
        known = {e.id: e for _, extra in candidates if (e := extra.get("event"))}

        def find_event(ref: str) -> ServiceEvent | None:
            return known.get(ref) or self.store.find_event(ref)

        for target, extra in candidates:
            if target in given:
                continue
            try:
                sectors = actions.check_prohibit(
                    context, target, False, directory, find_event
                )
            except (Refused, InvalidValue):
                continue
            options.append(
                TargetOption(target, any(s.value == "health" for s in sectors), **extra)
            )
        return options

    def _candidates(
        self, context: ActionContext, directory: Directory
    ) -> list[tuple[Target, dict[str, Any]]]:
        found: list[tuple[Target, dict[str, Any]]] = []
        for view in self.events(context):
            kind = (
                TargetKind.DOCUMENT
                if view.register and view.register.sector.value == "social"
                else TargetKind.SERVICE_EVENT
            )
            extra: dict[str, Any] = {"event": view.event, "register": view.register}
            found.append((Target(kind, view.event.id), extra))
        for organisation in sorted(directory.organisations.values(), key=_by_name):
            target = Target(TargetKind.ORGANISATION, organisation.id)
            found.append((target, {"organisation": organisation}))
        for register in sorted(directory.registers.values(), key=_by_name):
            owner = directory.organisations.get(register.organisation)
            extra = {"register": register, "organisation": owner}
            for kind in (TargetKind.REGISTER, TargetKind.PRIVATE_OCCUPATIONAL_REGISTER):
                found.append((Target(kind, register.id), extra))
        for task in ServiceTask:
            found.append((Target(TargetKind.SERVICE_TASK, task.value), {}))
        for kind in (TargetKind.ALL_HEALTH, TargetKind.ALL_SOCIAL):
            found.append((Target(kind), {}))
        return found

    def settle(self, principal: str, change: Change, moment: datetime) -> Change:
        """Drops the emergency allowance from a prohibition that has none (PRO-6).

        The page offers one allowance box for every target; a social welfare
        target has no allowance, so the box means nothing for it.
        """
        if change.action != "prohibit" or not change.emergency_allowed:
            return change
        if change.target is None:
            return change
        judged = actions.judge_target(
            change.target,
            self.consent.get_person(principal, "for"),
            self.store.directory(),
            self.store.find_event,
            self.store.calendar(),
            moment,
        )
        if Sector.HEALTH in judged.sectors:
            return change
        return replace(change, emergency_allowed=False)

    def check_change(
        self, actor: str, principal: str, change: Change, moment: datetime
    ) -> ProhibitionGiven | PermissionGranted | None:
        """Refuses a change the rules forbid, as the change itself would.

        Returns what a withdrawal would end, for the preview; nothing is stored.
        """
        context = self.context(actor, principal, moment)
        if change.action == "grant" and change.scope is not None:
            actions.check_grant(context, change.scope)
            return None
        if change.action == "withdraw-permission" and change.scope is not None:
            return actions.check_withdraw_permission(context, change.scope)
        if change.action == "prohibit" and change.target is not None:
            actions.check_prohibit(
                context,
                change.target,
                change.emergency_allowed,
                self.store.directory(),
                self.store.find_event,
            )
            return None
        if change.action == "withdraw-prohibition" and change.prohibition:
            actions.check_withdraw_prohibition(context, change.prohibition)
            return context.principal_state.prohibitions[change.prohibition]
        raise InvalidValue("action", change.action, "incomplete or unknown change")

    def apply_change(
        self, actor: str, principal: str, change: Change, moment: datetime
    ) -> Choice:
        """Makes the change through the consent service, which checks it again."""
        self.check_change(actor, principal, change, moment)
        who = PortalActor(actor)
        if change.action == "grant" and change.scope is not None:
            return self.consent.grant(who, principal, change.scope, moment)
        if change.action == "withdraw-permission" and change.scope is not None:
            return self.consent.withdraw_permission(
                who, principal, change.scope, moment
            )
        if change.action == "prohibit" and change.target is not None:
            same = self._same_prohibition(principal, change, moment)
            if same is not None:
                # A confirmation sent twice (the back button) gives nothing new.
                return same
            return self.consent.prohibit(
                who, principal, change.target, moment, change.emergency_allowed
            )
        assert change.prohibition is not None
        return self.consent.withdraw_prohibition(
            who, principal, change.prohibition, moment
        )

    def _same_prohibition(
        self, principal: str, change: Change, moment: datetime
    ) -> ProhibitionGiven | None:
        state = self.consent.state_of(principal, moment)
        return next(
            (
                p
                for p in state.prohibitions.values()
                if p.target == change.target
                and p.emergency_allowed == change.emergency_allowed
            ),
            None,
        )

    def events(self, context: ActionContext) -> list[EventView]:
        """Lists the principal's events the viewer is shown, newest first."""
        directory = self.store.directory()
        shown: list[EventView] = []
        for event in self.store.events_of(context.principal.id):
            register = directory.registers.get(event.register)
            if register is None or not is_shown(
                event, register, context.principal, context.role, context.moment
            ):
                continue
            owner = directory.organisations.get(register.organisation)
            shown.append(EventView(event, register, owner))
        return sorted(shown, key=lambda v: (v.event.recorded, v.event.id), reverse=True)

    def visible_events(
        self, actor: str, principal: str, moment: datetime
    ) -> list[EventView]:
        """Lists the service events shown on the principal's pages (REP-7)."""
        context = self.context(actor, principal, moment)
        self.check_view(context)
        return self.events(context)

    def disclosures(
        self, actor: str, principal: str, moment: datetime
    ) -> list[Disclosure]:
        """Returns the principal's disclosure log, newest first (LOG-2).

        A guardian is refused: a child's log is not shown to them (REP-4).
        """
        context = self.context(actor, principal, moment)
        if self.check_view(context) is ActorRole.GUARDIAN:
            raise Refused(RefusalCode.GUARDIAN_NOT_ALLOWED, "REP-4", "log")
        directory = self.store.directory()
        entries = [
            _disclosure(entry, directory, self.store.find_event)
            for entry in self.store.log_entries(
                context.principal.id, kind=DECISION_KIND
            )
        ]
        return sorted(entries, key=lambda d: d.at, reverse=True)


def check_view(context: ActionContext) -> ActorRole:
    """Returns the actor's role once the gates are passed, or refuses the view.

    Every page of a principal's data asks this first (INF-2, REP-1, REP-3).
    """
    assert context.actor is not None and context.actor_state is not None
    answer = enter(
        context.actor,
        context.actor_state,
        context.role,
        context.principal_state,
        context.calendar,
        context.moment,
    )
    if answer.entry is Entry.NOTICE:
        rule = "REP-3" if answer.notice_for_principal else "INF-2"
        raise Refused(RefusalCode.NOTICE_PENDING, rule)
    if answer.entry is Entry.REFUSED or context.role is None:
        raise Refused(RefusalCode.NO_RIGHT_TO_ACT, "REP-1")
    return context.role


def _allowed(check: Callable[..., object], *args: Any) -> bool:
    try:
        check(*args)
    except (Refused, InvalidValue):
        return False
    return True


def _by_name(item: Organisation | Register) -> tuple[str, str]:
    return (item.name or item.id, item.id)


def _disclosure(
    entry: dict[str, Any], directory: Directory, find_event: actions.EventLookup
) -> Disclosure:
    body: dict[str, Any] = entry["body"]
    recipient = directory.registers.get(body.get("recipient") or "")
    owner = directory.organisations.get(recipient.organisation) if recipient else None
    return Disclosure(
        at=datetime.fromisoformat(entry["at"]),
        recipient=recipient,
        recipient_organisation=owner,
        sector=str(body.get("sector", "")),
        register=directory.registers.get(body.get("register") or ""),
        event=find_event(body["event"]) if body.get("event") else None,
        outcome=str(body.get("outcome", "")),
        reason=str(body.get("reason", "")),
        purpose=str(body.get("purpose", "")),
    )


def principal_of(principals: Sequence[Principal], person: str) -> Principal | None:
    """Returns the principal entry for a person, or None."""
    return next((p for p in principals if p.person.id == person), None)
