"""The use cases: entry, choices and decisions, each loaded, judged, stored, logged.

The portal, the API and the scenario runner all call these; none of them
evaluates a rule of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kanta_consent.domain import actions
from kanta_consent.domain.actions import ActionContext
from kanta_consent.domain.calendar import Setting
from kanta_consent.domain.choices import (
    Acknowledgement,
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
    Entry,
    Purpose,
    Reminder,
    Scope,
)
from kanta_consent.domain.decide import Data, Decision, Query, decide
from kanta_consent.domain.entry import (
    EntryAnswer,
    enter,
    has_own_notice_pending,
    has_principal_notice_pending,
    reminders,
)
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.domain.model import Person
from kanta_consent.domain.representation import role_for
from kanta_consent.domain.visibility import is_shown
from kanta_consent.services.errors import UnknownEvent, UnknownPerson, UnknownRegister
from kanta_consent.services.ports import LogRecord, Store


@dataclass(frozen=True, slots=True)
class PortalActor:
    """A person logged in to the portal."""

    person: str


@dataclass(frozen=True, slots=True)
class CareActor:
    """A professional recording a choice in care, at a register's service unit."""

    register: str
    unit: str = ""


ActorRef = PortalActor | CareActor


@dataclass(frozen=True, slots=True)
class EntryResult:
    """What the portal shows on entry, with the front page's reminders."""

    entry: Entry
    reminders: tuple[Reminder, ...] = ()
    notice_for_principal: bool = False


class DeclineOutcome:
    """What a decline leads to (INF-2, REP-3)."""

    LOGGED_OUT = "logged-out"
    RETURNED = "returned-to-own-pages"
    NOTHING = "nothing-pending"


def new_id() -> str:
    """Returns a fresh, unguessable id for a choice or a log entry."""
    return uuid.uuid4().hex


class ConsentService:
    """Entry, choices and decisions over one store."""

    def __init__(self, store: Store, ids: Callable[[], str] = new_id) -> None:
        self.store = store
        self._ids = ids

    # Loading

    def get_person(self, code: str, field: str = "person") -> Person:
        """Returns a known person, or raises naming the field."""
        parsed = parse_identity_code(code)
        person = self.store.find_person(parsed.value)
        if person is None:
            raise UnknownPerson(field, code)
        return person

    def state_of(self, person: str, moment: datetime) -> ChoiceState:
        """Returns the person's choices in force at the moment."""
        return self.store.choices_of(person).as_of(moment)

    def role(
        self, actor: Person, principal: Person, moment: datetime
    ) -> ActorRole | None:
        """Returns the actor's right to act for the principal, or None."""
        if actor.id == principal.id:
            return ActorRole.SELF
        return role_for(
            actor,
            principal,
            self.store.guardianships(guardian=actor.id, child=principal.id),
            self.store.mandates(holder=actor.id, principal=principal.id),
            moment,
        )

    # Entry

    def portal_entry(self, actor: str, principal: str, moment: datetime) -> EntryResult:
        """Answers enter, notice or refused, with reminders (INF-2, REP-3)."""
        person = self.get_person(actor, "as")
        target = person if principal == actor else self.get_person(principal, "for")
        calendar = self.store.calendar()
        answer: EntryAnswer = enter(
            person,
            self.state_of(person.id, moment),
            self.role(person, target, moment),
            self.state_of(target.id, moment),
            calendar,
            moment,
        )
        if answer.entry is not Entry.ENTER:
            return EntryResult(answer.entry, (), answer.notice_for_principal)
        shown = reminders(target, self.state_of(target.id, moment), calendar, moment)
        return EntryResult(Entry.ENTER, tuple(shown))

    # Choices

    def _context(
        self, actor: ActorRef, principal: str, moment: datetime
    ) -> tuple[ActionContext, Actor]:
        target = self.get_person(principal, "for")
        calendar = self.store.calendar()
        state = self.state_of(target.id, moment)
        if isinstance(actor, CareActor):
            if actor.register not in self.store.directory().registers:
                raise UnknownRegister("as", actor.register)
            context = ActionContext(target, state, Channel.CARE, calendar, moment)
            made_by = Actor(ActorRole.PROFESSIONAL, unit=actor.unit or actor.register)
            return context, made_by
        person = self.get_person(actor.person, "as")
        role = self.role(person, target, moment)
        context = ActionContext(
            target,
            state,
            Channel.PORTAL,
            calendar,
            moment,
            actor=person,
            actor_state=self.state_of(person.id, moment),
            role=role,
        )
        return context, Actor(role or ActorRole.SELF, person=person.id)

    def _base(self, context: ActionContext, made_by: Actor) -> dict[str, Any]:
        return {
            "id": self._ids(),
            "person": context.principal.id,
            "at": context.moment,
            "actor": made_by,
            "channel": context.channel,
        }

    def _by_minor_in_care(self, context: ActionContext) -> bool:
        # MIN-6: in care, a minor judged able to decide makes their own choice.
        return context.channel is Channel.CARE and not context.principal.is_adult_at(
            context.moment
        )

    def _record(self, choice: Choice, event: str) -> Choice:
        body = choice_body(choice)
        with self.store.transaction():
            self.store.add_choice(choice)
            self.store.append_log([LogRecord(event, choice.at, choice.person, body)])
        return choice

    def acknowledge(
        self, actor: ActorRef, principal: str, moment: datetime
    ) -> Acknowledgement | None:
        """Records the notice version current at the moment (INF-3).

        Before the reform this is an informing under the earlier law. An
        acknowledgement already recorded changes nothing and returns None,
        unless an adult acknowledges a version they had only as a minor (MIN-5).
        """
        context, made_by = self._context(actor, principal, moment)
        actions.check_acknowledge(context)
        version = _version_to_acknowledge(context)
        if version is _NOTHING:
            return None
        choice = Acknowledgement(
            **self._base(context, made_by),
            version=version if isinstance(version, str) else None,
            while_minor=not context.principal.is_adult_at(moment),
        )
        self._record(choice, "notice_acknowledged")
        return choice

    def check_acknowledge(
        self, actor: ActorRef, principal: str, moment: datetime
    ) -> None:
        """Refuses as `acknowledge` would, recording nothing (MIN-2, REP-1)."""
        context, _ = self._context(actor, principal, moment)
        actions.check_acknowledge(context)

    def decline(self, actor: ActorRef, principal: str, moment: datetime) -> str:
        """Declines the notice: the actor leaves, or returns to own pages."""
        context, _ = self._context(actor, principal, moment)
        actions.check_decline(context)
        assert context.actor is not None and context.actor_state is not None
        if context.role is ActorRole.SELF:
            pending = has_own_notice_pending(
                context.actor, context.actor_state, context.calendar, moment
            )
            outcome = DeclineOutcome.LOGGED_OUT if pending else DeclineOutcome.NOTHING
        else:
            pending = has_principal_notice_pending(
                context.principal_state, context.calendar, moment
            )
            outcome = DeclineOutcome.RETURNED if pending else DeclineOutcome.NOTHING
        if outcome != DeclineOutcome.NOTHING:
            record = LogRecord(
                "notice_declined",
                moment,
                context.principal.id,
                {"actor": context.actor.id, "outcome": outcome},
            )
            with self.store.transaction():
                self.store.append_log([record])
        return outcome

    def grant(
        self, actor: ActorRef, principal: str, scope: Scope, moment: datetime
    ) -> PermissionGranted:
        """Gives a permission of `scope`, replacing one held (PER-1 to PER-3)."""
        context, made_by = self._context(actor, principal, moment)
        actions.check_grant(context, scope)
        choice = PermissionGranted(
            **self._base(context, made_by),
            scope=scope,
            by_minor_in_care=self._by_minor_in_care(context),
        )
        self._record(choice, "permission_granted")
        return choice

    def withdraw_permission(
        self, actor: ActorRef, principal: str, scope: Scope, moment: datetime
    ) -> PermissionWithdrawn:
        """Withdraws the permission of `scope` from the moment on (PER-3)."""
        context, made_by = self._context(actor, principal, moment)
        held = actions.check_withdraw_permission(context, scope)
        choice = PermissionWithdrawn(
            **self._base(context, made_by), scope=scope, permission=held.id
        )
        self._record(choice, "permission_withdrawn")
        return choice

    def prohibit(
        self,
        actor: ActorRef,
        principal: str,
        target: Target,
        moment: datetime,
        emergency_allowed: bool = False,
    ) -> ProhibitionGiven:
        """Gives a prohibition of disclosure (PRO-1 to PRO-6).

        An emergency allowance asked for a social welfare prohibition is
        dropped, as the portal drops it: such a prohibition has none (PRO-6).
        """
        context, made_by = self._context(actor, principal, moment)
        sectors = actions.check_prohibit(
            context, target, False, self.store.directory(), self.store.find_event
        )
        allowed = emergency_allowed and actions.takes_emergency_allowance(sectors)
        choice = ProhibitionGiven(
            **self._base(context, made_by),
            target=target,
            sectors=sectors,
            emergency_allowed=allowed,
            by_minor_in_care=self._by_minor_in_care(context),
        )
        self._record(choice, "prohibition_given")
        return choice

    def withdraw_prohibition(
        self, actor: ActorRef, principal: str, prohibition: str, moment: datetime
    ) -> ProhibitionWithdrawn:
        """Withdraws a prohibition by its id (PRO-3)."""
        context, made_by = self._context(actor, principal, moment)
        actions.check_withdraw_prohibition(context, prohibition)
        choice = ProhibitionWithdrawn(
            **self._base(context, made_by), prohibition=prohibition
        )
        self._record(choice, "prohibition_withdrawn")
        return choice

    # Decisions

    def event_data(self, event_id: str, field: str = "data") -> tuple[str, Data]:
        """Returns the person and the data of a stored service event."""
        event = self.store.find_event(event_id)
        if event is None:
            raise UnknownEvent(field, event_id)
        register = self.store.directory().registers.get(event.register)
        if register is None:
            raise UnknownRegister(field + ".register", event.register)
        return event.person, Data.of_event(event, register)

    def decide(
        self,
        person: str,
        data: Data,
        recipient: str,
        purpose: Purpose,
        moment: datetime,
        *,
        disclosure: bool = True,
        context: dict[str, Any] | None = None,
    ) -> Decision:
        """Decides one query; a recipient's decision is logged (DIS-12, LOG-1).

        A person the store does not know is decided as uninformed.
        """
        return self.decide_many(
            [(person, data, recipient, purpose)],
            moment,
            disclosure=disclosure,
            context=context,
        )[0]

    def decide_many(
        self,
        queries: Sequence[tuple[str, Data, str, Purpose]],
        moment: datetime,
        *,
        disclosure: bool = True,
        context: dict[str, Any] | None = None,
    ) -> list[Decision]:
        """Decides queries in order; their log entries are appended together."""
        decisions, records = self.judge(
            queries, moment, disclosure=disclosure, context=context
        )
        if records:
            # Not in a transaction of its own: the store may then commit it
            # together with other callers' decisions (LOG-1, issue 3).
            self.store.append_log(records)
        return decisions

    def judge(
        self,
        queries: Sequence[tuple[str, Data, str, Purpose]],
        moment: datetime,
        *,
        disclosure: bool = True,
        context: dict[str, Any] | None = None,
        histories: Mapping[str, ChoiceHistory] | None = None,
    ) -> tuple[list[Decision], list[LogRecord]]:
        """Decides queries in order and returns them with their log records.

        Nothing is appended: the caller must append the records (LOG-1) before
        it gives any answer, as `decide_many` does; the API appends them in
        groups from its event loop. `histories`, when given, are the people's
        choices as already read (a person missing from it has made none).
        """
        directory, calendar = self.store.directory(), self.store.calendar()
        codes = [parse_identity_code(person).value for person, *_ in queries]
        states: dict[str, ChoiceState] = {}
        if histories is not None:
            states = {
                code: histories.get(code, ChoiceHistory()).as_of(moment)
                for code in codes
            }
        elif len(set(codes)) > 1:
            # A batch reads everyone's choices at once, not one person at a time.
            histories = self.store.choices_of_many(set(codes))
            states = {
                code: histories.get(code, ChoiceHistory()).as_of(moment)
                for code in codes
            }
        decisions: list[Decision] = []
        records: list[LogRecord] = []
        for code, (_, data, recipient, purpose) in zip(codes, queries, strict=True):
            if code not in states:
                states[code] = self.state_of(code, moment)
            query = Query(data, recipient, purpose, moment)
            decision = decide(query, states[code], directory, calendar)
            decisions.append(decision)
            if disclosure:
                records.append(decision_record(code, query, decision, context))
        return decisions, records

    # Views

    def sees(
        self, viewer: str, principal: str, event_id: str, moment: datetime
    ) -> bool:
        """Tells whether the viewer is shown the principal's event (INF-7, REP-7)."""
        person = self.get_person(viewer, "as")
        target = self.get_person(principal, "for")
        event = self.store.find_event(event_id)
        if event is None:
            raise UnknownEvent("data", event_id)
        register = self.store.directory().registers[event.register]
        role = self.role(person, target, moment)
        return is_shown(event, register, target, role, moment)

    def history(self, person: str) -> ChoiceHistory:
        """Returns every choice made for the person (REP-6)."""
        return self.store.choices_of(self.get_person(person).id)


_NOTHING = object()


def _version_to_acknowledge(context: ActionContext) -> str | object | None:
    # INF-3: an acknowledgement of a version already acknowledged changes
    # nothing, except an adult's of one they had only as a minor (MIN-5).
    calendar, moment = context.calendar, context.moment
    state = context.principal_state
    if not calendar.is_in_force(Setting.REFORM, moment):
        return _NOTHING if state.acknowledgements else None
    current = calendar.current_notice(moment)
    if current is None:
        return _NOTHING if state.acknowledgements else None
    adult = context.principal.is_adult_at(moment)
    if state.has_acknowledged(current.version, as_adult=adult):
        return _NOTHING
    return current.version


def choice_body(choice: Choice) -> dict[str, Any]:
    """Describes a choice for the log: what, by whom, through which channel."""
    body: dict[str, Any] = {
        "choice": choice.id,
        "type": type(choice).__name__,
        "actor_role": choice.actor.role.value,
        "actor": choice.actor.person,
        "unit": choice.actor.unit,
        "channel": choice.channel.value,
        "origin": choice.origin.value,
    }
    if isinstance(choice, Acknowledgement):
        body["version"] = choice.version
    elif isinstance(choice, (PermissionGranted, PermissionWithdrawn)):
        body["scope"] = choice.scope.value
    if isinstance(choice, PermissionWithdrawn):
        body["permission"] = choice.permission
    elif isinstance(choice, ProhibitionGiven):
        body["target"] = {"kind": choice.target.kind.value, "ref": choice.target.ref}
        body["emergency_allowed"] = choice.emergency_allowed
    elif isinstance(choice, ProhibitionWithdrawn):
        body["prohibition"] = choice.prohibition
    return body


DECISION_KIND = "decision_made"
"""The log's kind for a decision (LOG-1)."""


def decision_record(
    person: str, query: Query, decision: Decision, context: dict[str, Any] | None
) -> LogRecord:
    """Describes a decision for the log, flagged when it needs follow-up (DIS-9)."""
    data = query.data
    body: dict[str, Any] = {
        "recipient": query.recipient,
        "purpose": query.purpose.value,
        "sector": data.sector.value,
        "register": data.register,
        "event": data.event,
        "kanta": data.kanta,
        "outcome": decision.outcome.value,
        "reason": decision.reason.value,
        "rule": decision.rule,
        "based_on": list(decision.based_on),
        "follow_up": decision.needs_follow_up,
    }
    if context:
        body["context"] = context
    return LogRecord(DECISION_KIND, query.moment, person, body)
