"""The ports the use cases need: a store, a clock, an id source."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from kanta_consent.domain.calendar import Calendar, NoticeVersion, SettingChange
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


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One entry to append to the hash-chained log (LOG-1).

    `subject` is the person the entry is about; `body` holds the details,
    with nothing in it that is not also in the store.
    """

    kind: str
    at: datetime
    subject: str | None
    body: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ApiClient:
    """A care system or operator that calls the API, acting as one register.

    Only the SHA-256 of the client's 256-bit secret is kept: the secret's
    entropy makes a slow password hash unnecessary, so a request is checked
    with one hash and a constant-time comparison.
    """

    id: str
    register: str
    secret_hash: str
    operator: bool
    created: datetime
    revoked: datetime | None = None

    @property
    def is_revoked(self) -> bool:
        """Tells whether the operator has withdrawn the client's credentials."""
        return self.revoked is not None


class StoreRefused(Exception):
    """The store would not hold what a bulk write gave it, and stored none of it.

    A value longer than its column or a key already held, as the database
    said (`reason`, without the values). The imports check every value
    first (domain/sizes.py), so this tells of a value that slipped past
    them, or of another writer that came first.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class Clock(Protocol):
    """The service's clock; only entry points read it, never the domain."""

    def now(self) -> datetime:
        """Returns the present moment, timezone-aware."""
        ...


class Store(Protocol):
    """Everything the use cases read and write, in one transaction at a time."""

    def transaction(self) -> AbstractContextManager[None]:
        """Runs the block in one transaction: all of it is stored or nothing."""
        ...

    def find_person(self, code: str) -> Person | None:
        """Returns the person with that identity code, or None."""
        ...

    def add_person(self, person: Person) -> None:
        """Stores a person (or replaces one with the same code)."""
        ...

    def guardianships(
        self, *, guardian: str | None = None, child: str | None = None
    ) -> Sequence[Guardianship]:
        """Returns guardianships by guardian, child or both."""
        ...

    def mandates(
        self, *, holder: str | None = None, principal: str | None = None
    ) -> Sequence[Mandate]:
        """Returns mandates by holder, principal or both."""
        ...

    def add_guardianship(self, guardianship: Guardianship) -> None:
        """Stores a guardianship."""
        ...

    def add_mandate(self, mandate: Mandate) -> None:
        """Stores a mandate."""
        ...

    def directory(self) -> Directory:
        """Returns the organisations, registers, joint areas and links."""
        ...

    def add_organisation(self, organisation: Organisation) -> None:
        """Stores an organisation."""
        ...

    def add_register(self, register: Register) -> None:
        """Stores a register."""
        ...

    def add_joint_area(self, area: str, registers: Sequence[str]) -> None:
        """Stores a joint area of registers (DIS-8)."""
        ...

    def add_purchased_service(self, producer: str, for_register: str) -> None:
        """Stores a purchased-service link (DIS-2)."""
        ...

    def find_event(self, event_id: str) -> ServiceEvent | None:
        """Returns the service event with that id, or None."""
        ...

    def events_of(self, person: str) -> Sequence[ServiceEvent]:
        """Returns a person's service events."""
        ...

    def add_event(self, event: ServiceEvent) -> None:
        """Stores a service event."""
        ...

    def choices_of(self, person: str) -> ChoiceHistory:
        """Returns a person's choices, oldest first."""
        ...

    def choices_of_many(self, people: Collection[str]) -> Mapping[str, ChoiceHistory]:
        """Returns the choices of each of `people` who has any, in one read."""
        ...

    def add_choice(self, choice: Choice) -> None:
        """Appends a choice; choices are never changed or deleted (LOG-3)."""
        ...

    def calendar(self) -> Calendar:
        """Returns the calendar with its history (CAL-1)."""
        ...

    def add_setting_change(self, change: SettingChange) -> None:
        """Appends a change of a calendar setting."""
        ...

    def add_notice_version(
        self, version: NoticeVersion, texts: dict[str, str] | None = None
    ) -> None:
        """Appends a notice version with its texts by language."""
        ...

    def notice_texts(self, version: str) -> dict[str, str]:
        """Returns a notice version's texts by language; empty when none is kept."""
        ...

    def append_log(self, records: Sequence[LogRecord]) -> None:
        """Appends entries to the hash-chained log, in order (LOG-1)."""
        ...

    def log_entries(
        self,
        subject: str | None = None,
        *,
        kind: str | None = None,
        after: datetime | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Returns the log's entries, oldest first: of one person, of one kind
        and made after a moment, where those are given."""
        ...

    def add_client(self, client: ApiClient) -> None:
        """Stores an API client with the hash of its secret."""
        ...

    def find_client(self, client_id: str) -> ApiClient | None:
        """Returns the API client with that id, or None."""
        ...

    def list_clients(self) -> Sequence[ApiClient]:
        """Returns every API client, oldest first."""
        ...

    def revoke_client(self, client_id: str, at: datetime) -> None:
        """Marks an API client revoked at the moment; a revoked one stays so."""
        ...

    def record_visit(self, person: str, at: datetime) -> None:
        """Records that the person entered the portal at the moment (DIS-9)."""
        ...

    def last_visit(self, person: str, before: datetime) -> datetime | None:
        """Returns the person's latest visit before the moment, or None."""
        ...

    def end_session(self, session: str, at: datetime) -> None:
        """Records that a portal session was ended by logging out."""
        ...

    def is_session_ended(self, session: str) -> bool:
        """Tells whether the portal session was ended by logging out."""
        ...

    # Bulk reads and writes for imports (services/imports.py): one round trip
    # per batch of rows instead of one per row. A bulk write that the store
    # refuses raises `StoreRefused`, having stored none of its rows.

    def find_people(self, codes: Collection[str]) -> Mapping[str, Person]:
        """Returns the stored people among `codes`, by code."""
        ...

    def known_people(self, codes: Collection[str]) -> set[str]:
        """Returns the codes among `codes` of people who are stored."""
        ...

    def add_people(self, people: Sequence[Person]) -> None:
        """Stores people, replacing those with the same codes."""
        ...

    def guardianships_of(self, children: Collection[str]) -> Sequence[Guardianship]:
        """Returns the guardianships of any of the children."""
        ...

    def add_guardianships(self, guardianships: Sequence[Guardianship]) -> None:
        """Stores guardianships."""
        ...

    def mandates_of(self, principals: Collection[str]) -> Sequence[Mandate]:
        """Returns the mandates given by any of the principals."""
        ...

    def add_mandates(self, mandates: Sequence[Mandate]) -> None:
        """Stores mandates."""
        ...

    def find_events(self, ids: Collection[str]) -> Mapping[str, ServiceEvent]:
        """Returns the stored service events among `ids`, by id."""
        ...

    def add_events(self, events: Sequence[ServiceEvent]) -> None:
        """Stores service events, replacing those with the same ids."""
        ...

    def find_choices(self, ids: Collection[str]) -> Mapping[str, Choice]:
        """Returns the stored choices among `ids`, by id."""
        ...

    def add_choices(self, choices: Sequence[Choice]) -> None:
        """Appends choices in order; choices are never changed (LOG-3)."""
        ...


DecisionData = tuple[dict[str, ServiceEvent], dict[str, ChoiceHistory]]
"""The service events found, by id, and the choices of each person who has any."""


class DecisionStore(Protocol):
    """What decisions read and log, awaited: the API's decision routes run on
    its event loop."""

    async def read(
        self, people: Collection[str], events: Collection[str]
    ) -> DecisionData:
        """Returns the stored events among `events` and the people's choices."""
        ...

    async def append_log(self, records: Sequence[LogRecord]) -> None:
        """Appends to the log as `Store.append_log` does, in a transaction of its
        own; returns once the entries are committed."""
        ...

    async def close(self) -> None:
        """Lets go of the connections held."""
        ...
