"""The import of choices made under the earlier law (CAL-2).

Informings, consents and prohibitions dated before the reform are stored as
they were made: each takes effect at its original moment, with the origin
`legacy`. An informing counts as informed (INF-5); a consent becomes a
`health` permission and counts as informed by itself (PER-4); a prohibition
stays in force unchanged (PRO-4) and, as under the earlier law, needs an
informing or a consent at or before it, in the store or earlier in the file.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from kanta_consent.domain.actions import judge_target
from kanta_consent.domain.calendar import Setting
from kanta_consent.domain.choices import (
    Acknowledgement,
    Actor,
    Choice,
    ChoiceHistory,
    PermissionGranted,
    ProhibitionGiven,
    Target,
)
from kanta_consent.domain.codes import ActorRole, Channel, Origin, Scope, TargetKind
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.domain.model import Person, ServiceEvent
from kanta_consent.domain.sizes import CHOICE_ID, ID
from kanta_consent.services.consent import choice_body
from kanta_consent.services.import_kinds import identifier
from kanta_consent.services.imports import (
    Outcome,
    Parsed,
    Problem,
    Row,
    RowError,
    Settled,
)
from kanta_consent.services.log import moment_text
from kanta_consent.services.ports import LogRecord, Store, StoreRefused

_NAMESPACE = uuid.UUID("5d0f3c52-3a0e-4c61-9a55-6b1f4f1f0b21")


class LegacyType(StrEnum):
    """The kinds of earlier-law choice."""

    INFORMING = "informing"
    CONSENT = "consent"
    PROHIBITION = "prohibition"


# The targets the earlier law knew (PRO-1, "always").
_TARGETS = (TargetKind.SERVICE_EVENT, TargetKind.ORGANISATION, TargetKind.REGISTER)

_EVENT_NAME = {
    LegacyType.INFORMING: "notice_acknowledged",
    LegacyType.CONSENT: "permission_granted",
    LegacyType.PROHIBITION: "prohibition_given",
}


@dataclass(frozen=True, slots=True)
class LegacyRow:
    """A parsed earlier-law choice; a prohibition's sectors are set on settling.

    `written` is the date column as the file has it, for the report of a
    refused row: a moment's own offset may put it on another day than the
    Finnish one that the rules judge.
    """

    type: LegacyType
    choice: Choice
    written: str


class LegacyChoices:
    """Earlier-law informings, consents and prohibitions (INF-5, PER-4, PRO-4)."""

    name = "legacy-choices"
    required = ("type", "person", "date")
    optional = (
        "id",
        "channel",
        "unit",
        "target_kind",
        "target_ref",
        "emergency_allowed",
    )
    # A choice's id is shorter than the directory's: the id the file gives
    # is refused past it, never stored cut short.
    sizes: ClassVar[Mapping[str, int]] = {
        "id": CHOICE_ID,
        "unit": ID,
        "target_ref": ID,
    }

    def __init__(self, now: datetime) -> None:
        self.now = now
        # By person, the earliest informing or consent taken from this file,
        # so that a prohibition may rest on one a few lines or batches above
        # it, in a dry run too, which stores none of them. Once informed, a
        # person stays so (ChoiceHistory.as_of), so the earliest one tells
        # all that the file's choices add: one choice per person is kept,
        # not every row of the file.
        self.informed_by: dict[str, Choice] = {}
        # What the batch being settled changed in it, to undo if the store
        # refuses the batch: a prohibition may not rest on a choice that
        # was never stored.
        self._before: dict[str, Choice | None] = {}

    def parse(self, row: Row) -> LegacyRow:
        kind = row.member("type", LegacyType)
        code = row.identity("person")
        at = row.moment("date")
        target = self._target(row, kind)
        channel = (
            row.member("channel", Channel) if row.optional("channel") else Channel.CARE
        )
        choice_id = self._id(row, kind, code.value, at, target)
        actor = Actor(ActorRole.IMPORT, unit=row.optional("unit"))
        choice: Choice
        if kind is LegacyType.INFORMING:
            # INF-5: an informing is no version of the notice.
            choice = Acknowledgement(
                id=choice_id,
                person=code.value,
                at=at,
                actor=actor,
                channel=channel,
                origin=Origin.LEGACY,
                version=None,
                while_minor=not code.is_adult_at(at),
            )
        elif kind is LegacyType.CONSENT:
            choice = PermissionGranted(
                id=choice_id,
                person=code.value,
                at=at,
                actor=actor,
                channel=channel,
                origin=Origin.LEGACY,
                scope=Scope.HEALTH,
            )
        else:
            assert target is not None
            choice = ProhibitionGiven(
                id=choice_id,
                person=code.value,
                at=at,
                actor=actor,
                channel=channel,
                origin=Origin.LEGACY,
                target=target,
                sectors=frozenset(),
                emergency_allowed=row.flag("emergency_allowed"),
            )
        return LegacyRow(kind, choice, row.optional("date") or "")

    def _target(self, row: Row, kind: LegacyType) -> Target | None:
        target_kind = row.optional_member("target_kind", TargetKind)
        if kind is not LegacyType.PROHIBITION:
            for name in ("target_kind", "target_ref", "emergency_allowed"):
                if row.optional(name) is not None:
                    raise RowError(name, row.optional(name), f"is not for a {kind}")
            return None
        if target_kind is None:
            raise RowError("target_kind", "", "is required for a prohibition")
        if target_kind not in _TARGETS:
            allowed = ", ".join(_TARGETS)
            raise RowError(
                "target_kind", target_kind, f"was not a target then; one of {allowed}"
            )
        return Target(target_kind, identifier(row, "target_ref"))

    def _id(
        self,
        row: Row,
        kind: LegacyType,
        person: str,
        at: datetime,
        target: Target | None,
    ) -> str:
        if row.optional("id") is not None:
            return identifier(row, "id")
        # Without an id of its own, a row gets the same id on every run, which
        # is what makes running the file again change nothing.
        ref = "" if target is None else f"{target.kind}:{target.ref}"
        seed = f"{kind}|{person}|{moment_text(at)}|{ref}"
        return uuid.uuid5(_NAMESPACE, seed).hex

    def key(self, item: LegacyRow) -> Hashable:
        return item.choice.id

    def settle(
        self, store: Store, batch: Sequence[Parsed[LegacyRow]]
    ) -> list[Settled[LegacyRow] | Problem]:
        self._before = {}
        reform = store.calendar().starts(Setting.REFORM, self.now)
        people = store.find_people({p.item.choice.person for p in batch})
        stored = store.find_choices([p.item.choice.id for p in batch])
        # Informings and consents first: a prohibition may rest on them.
        ordered = sorted(batch, key=lambda p: p.item.type is LegacyType.PROHIBITION)
        answers: list[Settled[LegacyRow] | Problem] = []
        for parsed in ordered:
            try:
                item = self._check(store, parsed.item, people, reform)
            except RowError as error:
                answers.append(
                    Problem(parsed.line, error.field, error.value, error.reason)
                )
                continue
            answers.append(self._outcome(parsed.line, item, stored.get(item.choice.id)))
        return answers

    def _check(
        self,
        store: Store,
        item: LegacyRow,
        people: Mapping[str, Person],
        reform: datetime,
    ) -> LegacyRow:
        choice = item.choice
        person = people.get(choice.person)
        if person is None:
            raise RowError("person", choice.person, "unknown person")
        if choice.at >= reform:
            raise RowError(
                "date",
                item.written,
                f"is not before the reform ({reform.astimezone(HELSINKI).date()}); "
                "only earlier-law choices are imported (CAL-2)",
            )
        # ID-2: the birth day is a Finnish day, whatever offset the file used.
        if choice.at.astimezone(HELSINKI).date() < person.code.birth_date:
            raise RowError("date", item.written, "is before the person was born")
        if isinstance(choice, ProhibitionGiven):
            prohibition = self._prohibition(store, choice, person, item.written)
            return dataclasses.replace(item, choice=prohibition)
        return item

    def _prohibition(
        self, store: Store, choice: ProhibitionGiven, person: Person, written: str
    ) -> ProhibitionGiven:
        # PER-4, PRO-2: under the earlier law too, a prohibition needed an
        # informing (or a consent, which needed one) given before it.
        earliest = self.informed_by.get(person.id)
        taken = () if earliest is None else (earliest,)
        history = ChoiceHistory([*store.choices_of(person.id), *taken])
        if not history.as_of(choice.at).informed:
            raise RowError(
                "date",
                written,
                "no informing or consent at or before it (PRO-2, PER-4)",
            )
        events: dict[str, ServiceEvent | None] = {}

        def find_event(event_id: str) -> ServiceEvent | None:
            if event_id not in events:
                events[event_id] = store.find_event(event_id)
            return events[event_id]

        judged = judge_target(
            choice.target,
            person,
            store.directory(),
            find_event,
            store.calendar(),
            choice.at,
        )
        if not judged.sectors:
            raise RowError(
                "target_ref", choice.target.ref, f"{judged.why} ({judged.rule})"
            )
        return dataclasses.replace(choice, sectors=judged.sectors)

    def _outcome(
        self, line: int, item: LegacyRow, stored: Choice | None
    ) -> Settled[LegacyRow] | Problem:
        choice = item.choice
        if stored is not None and stored != choice:
            return Problem(
                line,
                "id",
                choice.id,
                "a stored choice has this id and other content; "
                "a choice never changes (LOG-3)",
            )
        self._remember(item)
        outcome = Outcome.UNCHANGED if stored is not None else Outcome.ADDED
        return Settled(line, item, outcome)

    def _remember(self, item: LegacyRow) -> None:
        # A prohibition informs nobody (PRO-2): only what might is kept.
        if item.type is LegacyType.PROHIBITION:
            return
        person = item.choice.person
        held = self.informed_by.get(person)
        if held is None or item.choice.at < held.at:
            self._before.setdefault(person, held)
            self.informed_by[person] = item.choice

    def _forget_batch(self) -> None:
        for person, held in self._before.items():
            if held is None:
                del self.informed_by[person]
            else:
                self.informed_by[person] = held
        self._before = {}

    def write(self, store: Store, items: Sequence[LegacyRow]) -> Sequence[LogRecord]:
        choices = [item.choice for item in items]
        try:
            store.add_choices(choices)
        except StoreRefused:
            # The batch is written again row by row (services/imports.py).
            self._forget_batch()
            raise
        # LOG-1: every choice goes into the log, with the moment it took
        # effect beside the moment it was imported.
        return [
            LogRecord(
                _EVENT_NAME[item.type],
                self.now,
                item.choice.person,
                {**choice_body(item.choice), "effective": moment_text(item.choice.at)},
            )
            for item in items
        ]
