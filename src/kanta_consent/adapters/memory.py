"""A store in memory: the fake for unit tests, and quick scenario runs."""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from kanta_consent.domain.calendar import (
    Calendar,
    NoticeVersion,
    SettingChange,
)
from kanta_consent.domain.choices import Choice, ChoiceHistory
from kanta_consent.domain.model import (
    Directory,
    Guardianship,
    Mandate,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)
from kanta_consent.services.log import GENESIS, entry_hash, moment_text
from kanta_consent.services.ports import ApiClient, LogRecord


class MemoryStore:
    """Keeps everything in dictionaries; a transaction rolls back on error."""

    def __init__(self, calendar: Calendar | None = None) -> None:
        self._calendar = calendar or Calendar()
        self.people: dict[str, Person] = {}
        self._guardianships: list[Guardianship] = []
        self._mandates: list[Mandate] = []
        self.organisations: dict[str, Organisation] = {}
        self.registers: dict[str, Register] = {}
        self.areas: dict[str, list[str]] = {}
        self.purchased: set[tuple[str, str]] = set()
        self.events: dict[str, ServiceEvent] = {}
        self.choices: dict[str, list[Choice]] = {}
        self.log: list[dict[str, Any]] = []
        self._directory: Directory | None = None
        self.clients: dict[str, ApiClient] = {}
        self.visits: dict[str, list[datetime]] = {}
        self.ended_sessions: dict[str, datetime] = {}
        self._notice_texts: dict[str, dict[str, str]] = {}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        saved = copy.copy(self.__dict__)
        saved_choices = {k: list(v) for k, v in self.choices.items()}
        saved_log = list(self.log)
        try:
            yield
        except BaseException:
            self.__dict__.update(saved)
            self.choices, self.log = saved_choices, saved_log
            raise

    def find_person(self, code: str) -> Person | None:
        return self.people.get(code)

    def add_person(self, person: Person) -> None:
        self.people[person.id] = person

    def guardianships(
        self, *, guardian: str | None = None, child: str | None = None
    ) -> Sequence[Guardianship]:
        return [
            g
            for g in self._guardianships
            if guardian in (None, g.guardian) and child in (None, g.child)
        ]

    def mandates(
        self, *, holder: str | None = None, principal: str | None = None
    ) -> Sequence[Mandate]:
        return [
            m
            for m in self._mandates
            if holder in (None, m.holder) and principal in (None, m.principal)
        ]

    def add_guardianship(self, guardianship: Guardianship) -> None:
        self._guardianships.append(guardianship)

    def add_mandate(self, mandate: Mandate) -> None:
        self._mandates.append(mandate)

    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = Directory.build(
                self.organisations.values(),
                self.registers.values(),
                self.areas,
                self.purchased,
            )
        return self._directory

    def add_organisation(self, organisation: Organisation) -> None:
        self.organisations[organisation.id] = organisation
        self._directory = None

    def add_register(self, register: Register) -> None:
        self.registers[register.id] = register
        self._directory = None

    def add_joint_area(self, area: str, registers: Sequence[str]) -> None:
        self.areas.setdefault(area, []).extend(registers)
        self._directory = None

    def add_purchased_service(self, producer: str, for_register: str) -> None:
        self.purchased.add((producer, for_register))
        self._directory = None

    def find_event(self, event_id: str) -> ServiceEvent | None:
        return self.events.get(event_id)

    def events_of(self, person: str) -> Sequence[ServiceEvent]:
        return [e for e in self.events.values() if e.person == person]

    def add_event(self, event: ServiceEvent) -> None:
        self.events[event.id] = event

    def choices_of(self, person: str) -> ChoiceHistory:
        return ChoiceHistory(self.choices.get(person, ()))

    def choices_of_many(self, people: Collection[str]) -> Mapping[str, ChoiceHistory]:
        return {p: ChoiceHistory(self.choices[p]) for p in people if p in self.choices}

    def add_choice(self, choice: Choice) -> None:
        self.choices.setdefault(choice.person, []).append(choice)

    def calendar(self) -> Calendar:
        return self._calendar

    def add_setting_change(self, change: SettingChange) -> None:
        cal = self._calendar
        self._calendar = Calendar(cal.base, (*cal.changes, change), cal.notice_versions)

    def add_notice_version(
        self, version: NoticeVersion, texts: dict[str, str] | None = None
    ) -> None:
        cal = self._calendar
        versions = (*cal.notice_versions, version)
        self._calendar = Calendar(cal.base, cal.changes, versions)
        self._notice_texts[version.version] = dict(texts or {})

    def notice_texts(self, version: str) -> dict[str, str]:
        return dict(self._notice_texts.get(version, {}))

    def append_log(self, records: Sequence[LogRecord]) -> None:
        for record in records:
            previous = self.log[-1]["hash"] if self.log else GENESIS
            seq = len(self.log) + 1
            at = moment_text(record.at)
            digest = entry_hash(
                seq, at, record.kind, record.subject, record.body, previous
            )
            self.log.append(
                {
                    "seq": seq,
                    "at": at,
                    "kind": record.kind,
                    "subject": record.subject,
                    "body": record.body,
                    "previous": previous,
                    "hash": digest,
                }
            )

    def log_entries(
        self,
        subject: str | None = None,
        *,
        kind: str | None = None,
        after: datetime | None = None,
    ) -> Iterator[dict[str, Any]]:
        return iter(
            [
                e
                for e in self.log
                if subject in (None, e["subject"])
                and kind in (None, e["kind"])
                and (after is None or datetime.fromisoformat(e["at"]) > after)
            ]
        )

    def add_client(self, client: ApiClient) -> None:
        self.clients[client.id] = client

    def find_client(self, client_id: str) -> ApiClient | None:
        return self.clients.get(client_id)

    def list_clients(self) -> Sequence[ApiClient]:
        return sorted(self.clients.values(), key=lambda c: (c.created, c.id))

    def revoke_client(self, client_id: str, at: datetime) -> None:
        client = self.clients[client_id]
        if client.revoked is None:
            self.clients[client_id] = replace(client, revoked=at)

    def record_visit(self, person: str, at: datetime) -> None:
        self.visits.setdefault(person, []).append(at)

    def last_visit(self, person: str, before: datetime) -> datetime | None:
        return max((v for v in self.visits.get(person, ()) if v < before), default=None)

    def end_session(self, session: str, at: datetime) -> None:
        self.ended_sessions[session] = at

    def is_session_ended(self, session: str) -> bool:
        return session in self.ended_sessions

    # Bulk reads and writes for imports

    def find_people(self, codes: Collection[str]) -> Mapping[str, Person]:
        return {c: self.people[c] for c in codes if c in self.people}

    def known_people(self, codes: Collection[str]) -> set[str]:
        return {c for c in codes if c in self.people}

    def add_people(self, people: Sequence[Person]) -> None:
        for person in people:
            self.add_person(person)

    def guardianships_of(self, children: Collection[str]) -> Sequence[Guardianship]:
        wanted = set(children)
        return [g for g in self._guardianships if g.child in wanted]

    def add_guardianships(self, guardianships: Sequence[Guardianship]) -> None:
        self._guardianships.extend(guardianships)

    def mandates_of(self, principals: Collection[str]) -> Sequence[Mandate]:
        wanted = set(principals)
        return [m for m in self._mandates if m.principal in wanted]

    def add_mandates(self, mandates: Sequence[Mandate]) -> None:
        self._mandates.extend(mandates)

    def find_events(self, ids: Collection[str]) -> Mapping[str, ServiceEvent]:
        return {i: self.events[i] for i in ids if i in self.events}

    def add_events(self, events: Sequence[ServiceEvent]) -> None:
        for event in events:
            self.add_event(event)

    def find_choices(self, ids: Collection[str]) -> Mapping[str, Choice]:
        wanted = set(ids)
        return {
            c.id: c for held in self.choices.values() for c in held if c.id in wanted
        }

    def add_choices(self, choices: Sequence[Choice]) -> None:
        for choice in choices:
            self.add_choice(choice)
