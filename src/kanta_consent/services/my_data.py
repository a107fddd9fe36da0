"""A person's own data, and who can see it now, then, or after a change.

"My data" lists the service events stored in Kanta that the viewer is shown
(INF-7, REP-7), newest first, fifty at a time, each with who may receive it;
the person's data as a whole gets the same view, prescriptions and wellbeing
data included. Every answer is the decision care systems get, asked through
`domain.who_sees`; none of it is logged as a disclosure (DIS-12). The same
view as of a past moment is DIS-11's; the preview of a change compares the
view before and after a choice that is not stored. The emergency
disclosures made since the person's last visit come from the log (DIS-9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kanta_consent.domain import actions
from kanta_consent.domain.actions import ActionContext
from kanta_consent.domain.choices import (
    Actor,
    Choice,
    ChoiceHistory,
    ChoiceState,
    PermissionGranted,
    PermissionWithdrawn,
    ProhibitionGiven,
    ProhibitionWithdrawn,
    Target,
)
from kanta_consent.domain.codes import (
    ActorRole,
    Channel,
    Outcome,
    Purpose,
    RefusalCode,
    Scope,
    TargetKind,
)
from kanta_consent.domain.decide import Data
from kanta_consent.domain.errors import InvalidValue, Refused
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.domain.model import (
    Directory,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)
from kanta_consent.domain.visibility import is_shown, is_shown_to_guardian
from kanta_consent.domain.who_sees import (
    AccessChange,
    Reacher,
    WhoCanSee,
    compare,
    kinds_of_data,
)
from kanta_consent.services.consent import DECISION_KIND, ConsentService
from kanta_consent.services.errors import UnknownEvent
from kanta_consent.services.portal import check_view
from kanta_consent.services.ports import Store

PAGE_SIZE = 50

# The id of the choice a preview considers; it is never stored.
PLANNED = "planned"

CHANGE_ACTIONS = ("grant", "withdraw-permission", "prohibit", "withdraw-prohibition")


@dataclass(frozen=True, slots=True)
class EventEntry:
    """One service event as "My data" lists it, with who may receive it."""

    event: ServiceEvent
    register: Register
    organisation: Organisation | None
    who: WhoCanSee


@dataclass(frozen=True, slots=True)
class MyData:
    """One page of "My data": the events shown and the view of all the data.

    `as_of` is the moment the view is of: now, or a past moment (DIS-11).
    `of_all` covers every event shown, not only this page's; `other_data`
    holds the prescriptions and the person's wellbeing data (DIS-4, DIS-7).
    """

    principal: Person
    role: ActorRole
    as_of: datetime
    page: int
    pages: int
    total: int
    events: tuple[EventEntry, ...]
    of_all: WhoCanSee
    other_data: tuple[tuple[Data, WhoCanSee], ...]
    directory: Directory


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """A change a person considers on "Management of the use of data".

    `action` is one of CHANGE_ACTIONS; the other fields are those it needs.
    """

    action: str
    scope: Scope | None = None
    target: Target | None = None
    emergency_allowed: bool = False
    prohibition: str | None = None


@dataclass(frozen=True, slots=True)
class Preview:
    """What a change would do: the registers that would gain or lose access.

    `before`, `after` and `changes` are of the events shown; `other_changes`
    those of the prescriptions and the wellbeing data, kind by kind.
    """

    before: WhoCanSee
    after: WhoCanSee
    changes: tuple[AccessChange, ...]
    other_changes: tuple[tuple[Data, tuple[AccessChange, ...]], ...] = ()

    @property
    def every_change(self) -> tuple[tuple[Data | None, AccessChange], ...]:
        """Returns the events' changes, then each other kind of data's, with it."""
        return (
            *((None, c) for c in self.changes),
            *((data, c) for data, changes in self.other_changes for c in changes),
        )

    @property
    def gains(self) -> tuple[AccessChange, ...]:
        """Returns the registers that would receive more."""
        return tuple(c for c in self.changes if c.is_gain)

    @property
    def losses(self) -> tuple[AccessChange, ...]:
        """Returns the registers that would receive less."""
        return tuple(c for c in self.changes if not c.is_gain)


@dataclass(frozen=True, slots=True)
class EmergencyDisclosure:
    """A decision that let data out in an emergency (DIS-9), as the log has it."""

    at: datetime
    recipient: Register | None
    recipient_organisation: Organisation | None
    register: Register | None
    event: ServiceEvent | None
    reason: str


class MyDataService:
    """The person's own data and who can see it, over one store."""

    def __init__(self, store: Store, consent: ConsentService | None = None) -> None:
        self.store = store
        self.consent = consent or ConsentService(store)

    # Access to the pages

    def context(self, actor: str, principal: str, moment: datetime) -> ActionContext:
        """Builds the portal context, refusing a viewer the gates keep out.

        The gates are those of entry (INF-2, REP-1, REP-3), judged now.
        """
        person = self.consent.get_person(actor, "as")
        target = self.consent.get_person(principal, "for")
        context = ActionContext(
            target,
            self.consent.state_of(target.id, moment),
            Channel.PORTAL,
            self.store.calendar(),
            moment,
            actor=person,
            actor_state=self.consent.state_of(person.id, moment),
            role=self.consent.role(person, target, moment),
        )
        check_view(context)
        return context

    # My data

    def my_data(
        self,
        actor: str,
        principal: str,
        moment: datetime,
        *,
        as_of: datetime | None = None,
        page: int = 1,
    ) -> MyData:
        """Returns a page of the principal's events and who can see the data.

        `as_of` gives the view as it was at a past moment (DIS-11); the
        viewer's right to look is judged now.
        """
        context = self.context(actor, principal, moment)
        at = _past_moment(as_of, moment)
        directory = self.store.directory()
        events = self._shown_events(context, directory, at)
        pages = max(1, -(-len(events) // PAGE_SIZE))
        if page < 1 or page > pages:
            raise InvalidValue("page", page, f"pages run from 1 to {pages}")
        reacher = self._reacher(context, directory, at)
        start = (page - 1) * PAGE_SIZE
        shown = tuple(
            EventEntry(
                e,
                r,
                directory.organisations.get(r.organisation),
                reacher.who_can_see(Data.of_event(e, r)),
            )
            for e, r in events[start : start + PAGE_SIZE]
        )
        assert context.role is not None
        return MyData(
            principal=context.principal,
            role=context.role,
            as_of=at,
            page=page,
            pages=pages,
            total=len(events),
            events=shown,
            of_all=reacher.of_all(Data.of_event(e, r) for e, r in events),
            other_data=tuple((d, reacher.who_can_see(d)) for d in kinds_of_data()),
            directory=directory,
        )

    def event(
        self,
        actor: str,
        principal: str,
        event_id: str,
        moment: datetime,
        *,
        as_of: datetime | None = None,
    ) -> EventEntry:
        """Returns one event shown to the viewer, with who may receive it.

        An event the viewer is not shown (INF-7, REP-7) is unknown to them.
        """
        context = self.context(actor, principal, moment)
        at = _past_moment(as_of, moment)
        directory = self.store.directory()
        found = next(
            (
                (e, r)
                for e, r in self._shown_events(context, directory, at)
                if e.id == event_id
            ),
            None,
        )
        if found is None:
            raise UnknownEvent("event", event_id)
        event, register = found
        who = self._reacher(context, directory, at).who_can_see(
            Data.of_event(event, register)
        )
        owner = directory.organisations.get(register.organisation)
        return EventEntry(event, register, owner, who)

    def _shown_events(
        self, context: ActionContext, directory: Directory, at: datetime
    ) -> list[tuple[ServiceEvent, Register]]:
        # DIS-11: a view of a past day lists only what had been recorded by then.
        day = at.astimezone(HELSINKI).date()
        shown = []
        for event in self.store.events_of(context.principal.id):
            register = directory.registers.get(event.register)
            if (
                register is not None
                and event.recorded <= day
                and is_shown(event, register, context.principal, context.role, at)
            ):
                shown.append((event, register))
        return sorted(shown, key=lambda p: (p[0].recorded, p[0].id), reverse=True)

    def _reacher(
        self,
        context: ActionContext,
        directory: Directory,
        at: datetime,
        state: ChoiceState | None = None,
    ) -> Reacher:
        history = self.store.choices_of(context.principal.id)
        return Reacher(
            history.as_of(at) if state is None else state,
            directory,
            context.calendar,
            at,
            self._hidden_choices(context, history),
        )

    def _hidden_choices(
        self, context: ActionContext, history: ChoiceHistory
    ) -> frozenset[str]:
        # REP-4: a guardian is not shown the child's own choices in care
        # (MIN-6), nor a prohibition of an event that REP-7 hides.
        if context.role is not ActorRole.GUARDIAN:
            return frozenset()
        hidden = set()
        for choice in history:
            if getattr(choice, "by_minor_in_care", False) or (
                isinstance(choice, ProhibitionGiven)
                and not self._target_shown(context, choice.target)
            ):
                hidden.add(choice.id)
        return frozenset(hidden)

    def _target_shown(self, context: ActionContext, target: Target) -> bool:
        if target.kind not in (TargetKind.SERVICE_EVENT, TargetKind.DOCUMENT):
            return True
        event = self.store.find_event(target.ref or "")
        return event is not None and is_shown_to_guardian(event, context.principal)

    # The preview of a change

    def preview(
        self, actor: str, principal: str, change: PlannedChange, moment: datetime
    ) -> Preview:
        """Compares who can see all the data before and after a change.

        The change is checked as making it would check it, and not stored.
        """
        context = self.context(actor, principal, moment)
        directory = self.store.directory()
        choice = self._planned_choice(context, change, directory)
        history = self.store.choices_of(context.principal.id)
        after_history = ChoiceHistory(history)
        after_history.add(choice)
        events = [
            Data.of_event(e, r)
            for e, r in self._shown_events(context, directory, moment)
        ]
        views: list[list[WhoCanSee]] = []
        for history_then in (history, after_history):
            reacher = self._reacher(
                context, directory, moment, history_then.as_of(moment)
            )
            views.append(
                [reacher.of_all(events)]
                + [reacher.who_can_see(d) for d in kinds_of_data()]
            )
        (before, *other_before), (after, *other_after) = views
        other = tuple(
            (data, compare(was, now))
            for data, was, now in zip(
                kinds_of_data(), other_before, other_after, strict=True
            )
        )
        return Preview(before, after, compare(before, after), other)

    def _planned_choice(
        self, context: ActionContext, change: PlannedChange, directory: Directory
    ) -> Choice:
        assert context.actor is not None and context.role is not None
        base: dict[str, Any] = {
            "id": PLANNED,
            "person": context.principal.id,
            "at": context.moment,
            "actor": Actor(context.role, person=context.actor.id),
        }
        if change.action == "grant" and change.scope is not None:
            actions.check_grant(context, change.scope)
            return PermissionGranted(**base, scope=change.scope)
        if change.action == "withdraw-permission" and change.scope is not None:
            held = actions.check_withdraw_permission(context, change.scope)
            return PermissionWithdrawn(**base, scope=change.scope, permission=held.id)
        if change.action == "prohibit" and change.target is not None:
            sectors = actions.check_prohibit(
                context,
                change.target,
                change.emergency_allowed,
                directory,
                self.store.find_event,
            )
            return ProhibitionGiven(
                **base,
                target=change.target,
                sectors=sectors,
                emergency_allowed=change.emergency_allowed,
            )
        if change.action == "withdraw-prohibition" and change.prohibition:
            actions.check_withdraw_prohibition(context, change.prohibition)
            return ProhibitionWithdrawn(**base, prohibition=change.prohibition)
        raise InvalidValue("action", change.action, "incomplete or unknown change")

    # Emergencies (DIS-9)

    def record_visit(self, person: str, moment: datetime) -> None:
        """Records that the person entered the portal, for DIS-9's notice."""
        found = self.consent.get_person(person, "as")
        with self.store.transaction():
            self.store.record_visit(found.id, moment)

    def emergencies_since_last_visit(
        self, actor: str, principal: str, visit: datetime, moment: datetime
    ) -> list[EmergencyDisclosure]:
        """Returns the emergency disclosures since the visit before `visit`.

        `visit` is when the present visit began; with no earlier visit, every
        emergency disclosure is new. A guardian does not see a child's log
        (REP-4) and is refused.
        """
        context = self.context(actor, principal, moment)
        if context.role is ActorRole.GUARDIAN:
            raise Refused(RefusalCode.GUARDIAN_NOT_ALLOWED, "REP-4", "log")
        since = self.store.last_visit(context.principal.id, visit)
        return self.emergency_disclosures(context, since)

    def emergency_disclosures(
        self, context: ActionContext, since: datetime | None = None
    ) -> list[EmergencyDisclosure]:
        """Returns the principal's emergency disclosures after `since`, newest first."""
        directory = self.store.directory()
        # The store picks the decisions since the visit, so a busy record's
        # older entries are never read for the front page.
        entries = self.store.log_entries(
            context.principal.id, kind=DECISION_KIND, after=since
        )
        found = [
            _emergency(entry["at"], entry["body"], directory, self.store.find_event)
            for entry in entries
            if is_emergency_disclosure(entry)
        ]
        return sorted(found, key=lambda e: e.at, reverse=True)


def is_emergency_disclosure(entry: dict[str, Any]) -> bool:
    """Tells whether a log entry is a decision that let data out in an emergency."""
    body = entry.get("body") or {}
    return (
        entry.get("kind") == DECISION_KIND
        and body.get("purpose") == Purpose.EMERGENCY.value
        and body.get("outcome") == Outcome.PERMIT.value
    )


def _emergency(
    at: str, body: dict[str, Any], directory: Directory, find_event: Any
) -> EmergencyDisclosure:
    recipient = directory.registers.get(body.get("recipient") or "")
    owner = directory.organisations.get(recipient.organisation) if recipient else None
    return EmergencyDisclosure(
        at=datetime.fromisoformat(at),
        recipient=recipient,
        recipient_organisation=owner,
        register=directory.registers.get(body.get("register") or ""),
        event=find_event(body["event"]) if body.get("event") else None,
        reason=str(body.get("reason", "")),
    )


def _past_moment(as_of: datetime | None, moment: datetime) -> datetime:
    # DIS-11: a view of the past, never of the future, whose choices are
    # not yet made.
    if as_of is None:
        return moment
    if as_of.tzinfo is None:
        raise InvalidValue("as_of", as_of.isoformat(), "needs a time zone")
    if as_of > moment:
        raise InvalidValue("as_of", as_of.isoformat(), "is in the future")
    return as_of
