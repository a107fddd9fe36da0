"""The kinds of import file: the directory, people, representatives, events.

Each kind parses a row into a domain object, checks a batch of them against
the store (references known, nothing stored that differs where the rule
book keeps records unchanged) and writes those that change the store. The
earlier-law choices are a kind of their own, in `import_choices`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from stdnum.fi import ytunnus

from kanta_consent.domain.codes import Capacity, RegisterKind, Sector, ServiceTask
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.domain.model import (
    Directory,
    Guardianship,
    Mandate,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)
from kanta_consent.domain.sizes import BUSINESS_ID, ID, NAME, OID
from kanta_consent.services.imports import (
    ImportFileError,
    Kind,
    Outcome,
    Parsed,
    Problem,
    Row,
    RowError,
    Settled,
)
from kanta_consent.services.ports import LogRecord, Store

T = TypeVar("T")

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
_OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")

_PRIVATE_KINDS = {
    RegisterKind.PRIVATE_HEALTH,
    RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH,
    RegisterKind.INDEPENDENT_PRACTITIONER,
    RegisterKind.PRIVATE_SOCIAL,
}


def identifier(row: Row, name: str) -> str:
    """Returns an id: letters, digits and . _ : -, at most `ID` characters."""
    raw = row.text(name, max_length=ID)
    if not _ID.match(raw):
        raise RowError(name, raw, "is not an id (letters, digits, . _ : -)")
    return raw


def _compare(stored: T | None, item: T) -> Outcome:
    if stored is None:
        return Outcome.ADDED
    return Outcome.UNCHANGED if stored == item else Outcome.UPDATED


def _problem(line: int, field: str, value: object, reason: str) -> Problem:
    return Problem(line, field, str(value), reason)


def _differing_field(stored: Any, item: Any) -> str:
    return next(
        f.name
        for f in fields(stored)
        if getattr(stored, f.name) != getattr(item, f.name)
    )


# The directory


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    """An organisation with the identifiers it came with."""

    organisation: Organisation
    business_id: str | None = None


class Organisations:
    """Organisations: public or private, and the day an ended one ended (PRO-8)."""

    name = "organisations"
    required = ("id", "name", "public")
    optional = ("ended", "business_id")
    sizes: ClassVar[Mapping[str, int]] = {
        "id": ID,
        "name": NAME,
        "business_id": BUSINESS_ID,
    }

    def __init__(self, now: datetime) -> None:
        self.now = now

    def parse(self, row: Row) -> OrganisationRow:
        business_id = row.optional("business_id")
        if business_id is not None and not ytunnus.is_valid(business_id):
            raise RowError("business_id", business_id, "is not a valid business id")
        organisation = Organisation(
            identifier(row, "id"),
            row.flag("public"),
            row.optional_day("ended"),
            row.text("name"),
            business_id,
        )
        return OrganisationRow(organisation, business_id)

    def key(self, item: OrganisationRow) -> Hashable:
        return item.organisation.id

    def settle(
        self, store: Store, batch: Sequence[Parsed[OrganisationRow]]
    ) -> list[Settled[OrganisationRow] | Problem]:
        stored = store.directory().organisations
        return [
            Settled(
                p.line,
                p.item,
                _compare(stored.get(p.item.organisation.id), p.item.organisation),
            )
            for p in batch
        ]

    def write(
        self, store: Store, items: Sequence[OrganisationRow]
    ) -> Sequence[LogRecord]:
        for item in items:
            store.add_organisation(item.organisation)
        return ()


class Registers:
    """Registers of organisations; a social one with the day it began Kanta."""

    name = "registers"
    required = ("id", "organisation", "kind")
    optional = ("name", "kanta_from", "oid")
    sizes: ClassVar[Mapping[str, int]] = {
        "id": ID,
        "organisation": ID,
        "name": NAME,
        "oid": OID,
    }

    def __init__(self, now: datetime) -> None:
        self.now = now

    def parse(self, row: Row) -> Register:
        kind = row.member("kind", RegisterKind)
        kanta_from = row.optional_day("kanta_from")
        # INF-7: only a social welfare register began to store in Kanta later.
        if kanta_from is not None and kind.sector is not Sector.SOCIAL:
            raise RowError(
                "kanta_from", kanta_from, "is for social welfare registers only"
            )
        oid = row.optional("oid")
        if oid is not None and not _OID.match(oid):
            raise RowError("oid", oid, "is not an OID (digits and dots)")
        return Register(
            identifier(row, "id"),
            identifier(row, "organisation"),
            kind,
            kanta_from,
            row.optional("name") or "",
            oid,
        )

    def key(self, item: Register) -> Hashable:
        return item.id

    def settle(
        self, store: Store, batch: Sequence[Parsed[Register]]
    ) -> list[Settled[Register] | Problem]:
        directory = store.directory()
        answers: list[Settled[Register] | Problem] = []
        for parsed in batch:
            register = parsed.item
            owner = directory.organisations.get(register.organisation)
            if owner is None:
                answers.append(
                    _problem(
                        parsed.line,
                        "organisation",
                        register.organisation,
                        "unknown organisation",
                    )
                )
            elif owner.public == (register.kind in _PRIVATE_KINDS):
                side = "public" if owner.public else "private"
                answers.append(
                    _problem(
                        parsed.line,
                        "kind",
                        register.kind,
                        f"does not fit a {side} organisation",
                    )
                )
            else:
                outcome = _compare(directory.registers.get(register.id), register)
                answers.append(Settled(parsed.line, register, outcome))
        return answers

    def write(self, store: Store, items: Sequence[Register]) -> Sequence[LogRecord]:
        for register in items:
            store.add_register(register)
        return ()


class JointAreas:
    """Members of joint areas: registers whose data flows inside (DIS-8)."""

    name = "joint-areas"
    required = ("area", "register")
    optional = ()
    sizes: ClassVar[Mapping[str, int]] = {"area": ID, "register": ID}

    def __init__(self, now: datetime) -> None:
        self.now = now

    def parse(self, row: Row) -> tuple[str, str]:
        return identifier(row, "area"), identifier(row, "register")

    def key(self, item: tuple[str, str]) -> Hashable:
        return item

    def settle(
        self, store: Store, batch: Sequence[Parsed[tuple[str, str]]]
    ) -> list[Settled[tuple[str, str]] | Problem]:
        directory = store.directory()
        answers: list[Settled[tuple[str, str]] | Problem] = []
        for parsed in batch:
            area, register = parsed.item
            if register not in directory.registers:
                answers.append(
                    _problem(parsed.line, "register", register, "unknown register")
                )
                continue
            held = area in directory.joint_areas.get(register, frozenset())
            outcome = Outcome.UNCHANGED if held else Outcome.ADDED
            answers.append(Settled(parsed.line, parsed.item, outcome))
        return answers

    def write(
        self, store: Store, items: Sequence[tuple[str, str]]
    ) -> Sequence[LogRecord]:
        by_area: dict[str, list[str]] = {}
        for area, register in items:
            by_area.setdefault(area, []).append(register)
        for area, registers in by_area.items():
            store.add_joint_area(area, registers)
        return ()


class PurchasedServices:
    """Purchased-service links: a producer register caring for another (DIS-2)."""

    name = "purchased-services"
    required = ("producer", "for_register")
    optional = ()
    sizes: ClassVar[Mapping[str, int]] = {"producer": ID, "for_register": ID}

    def __init__(self, now: datetime) -> None:
        self.now = now

    def parse(self, row: Row) -> tuple[str, str]:
        producer = identifier(row, "producer")
        for_register = identifier(row, "for_register")
        if producer == for_register:
            raise RowError("for_register", for_register, "is the producer itself")
        return producer, for_register

    def key(self, item: tuple[str, str]) -> Hashable:
        return item

    def settle(
        self, store: Store, batch: Sequence[Parsed[tuple[str, str]]]
    ) -> list[Settled[tuple[str, str]] | Problem]:
        directory = store.directory()
        answers: list[Settled[tuple[str, str]] | Problem] = []
        for parsed in batch:
            unknown = next(
                (
                    (name, value)
                    for name, value in zip(
                        ("producer", "for_register"), parsed.item, strict=True
                    )
                    if value not in directory.registers
                ),
                None,
            )
            if unknown is not None:
                answers.append(_problem(parsed.line, *unknown, "unknown register"))
                continue
            held = directory.is_purchased_service(*parsed.item)
            outcome = Outcome.UNCHANGED if held else Outcome.ADDED
            answers.append(Settled(parsed.line, parsed.item, outcome))
        return answers

    def write(
        self, store: Store, items: Sequence[tuple[str, str]]
    ) -> Sequence[LogRecord]:
        for producer, for_register in items:
            store.add_purchased_service(producer, for_register)
        return ()


# People and their representatives


class People:
    """People: identity code, name and safety ban (ID-1, REP-1)."""

    name = "people"
    required = ("code",)
    optional = ("name", "safety_ban")
    sizes: ClassVar[Mapping[str, int]] = {"name": NAME}

    def __init__(self, now: datetime) -> None:
        self.now = now

    def parse(self, row: Row) -> Person:
        code = row.identity("code")
        return Person(code, row.flag("safety_ban"), row.optional("name") or "")

    def key(self, item: Person) -> Hashable:
        return item.id

    def settle(
        self, store: Store, batch: Sequence[Parsed[Person]]
    ) -> list[Settled[Person] | Problem]:
        stored = store.find_people([p.item.id for p in batch])
        return [
            Settled(p.line, p.item, _compare(stored.get(p.item.id), p.item))
            for p in batch
        ]

    def write(self, store: Store, items: Sequence[Person]) -> Sequence[LogRecord]:
        store.add_people(items)
        return ()


Relation = TypeVar("Relation", Guardianship, Mandate)


def _settle_relations(
    batch: Sequence[Parsed[Relation]],
    people: dict[str, Person],
    stored: Sequence[Relation],
    roles: tuple[str, str],
    check: Callable[[Relation, dict[str, Person]], RowError | None],
) -> list[Settled[Relation] | Problem]:
    # A guardianship or mandate is the same one when its two people and its
    # start are; a stored one is kept as it is, so a row that differs from
    # it is reported rather than stored beside it.
    by_key: dict[tuple[str, str, date], Relation] = {}
    for held_one in stored:
        first, second = _pair(held_one, roles)
        by_key[first, second, held_one.starts] = held_one
    answers: list[Settled[Relation] | Problem] = []
    for parsed in batch:
        item = parsed.item
        pair: tuple[str, str] = _pair(item, roles)
        unknown = next(
            ((role, code) for role, code in zip(roles, pair, strict=True)
             if code not in people),
            None,
        )  # fmt: skip
        if unknown is not None:
            answers.append(_problem(parsed.line, *unknown, "unknown person"))
            continue
        error = check(item, people)
        if error is not None:
            answers.append(
                _problem(parsed.line, error.field, error.value, error.reason)
            )
            continue
        held = by_key.get((*pair, item.starts))
        if held is not None and held != item:
            name = _differing_field(held, item)
            answers.append(
                _problem(
                    parsed.line,
                    name,
                    getattr(item, name) or "",
                    f"differs from the stored one ({getattr(held, name)}); "
                    "an import does not change a stored one",
                )
            )
            continue
        outcome = Outcome.UNCHANGED if held is not None else Outcome.ADDED
        answers.append(Settled(parsed.line, item, outcome))
    return answers


def _pair(item: Guardianship | Mandate, roles: tuple[str, str]) -> tuple[str, str]:
    return getattr(item, roles[0]), getattr(item, roles[1])


def _check_until(item: Guardianship | Mandate) -> RowError | None:
    if item.until is not None and item.until < item.starts:
        return RowError("until", item.until, "is before starts")
    return None


class Guardianships:
    """Guardianships from the population register, with the care-order block."""

    name = "guardianships"
    required = ("guardian", "child", "starts")
    optional = ("until", "blocked")
    # Identity codes, days and flags only: each parsed into a value that fits.
    sizes: ClassVar[Mapping[str, int]] = {}

    def __init__(self, now: datetime) -> None:
        self.now = now

    def parse(self, row: Row) -> Guardianship:
        guardian, child = row.code("guardian"), row.code("child")
        if guardian == child:
            raise RowError("child", child, "is the guardian too")
        # REP-1: `blocked` is the child's being taken into care; a safety ban
        # is the person's own (people file).
        return Guardianship(
            guardian,
            child,
            row.day("starts"),
            row.optional_day("until"),
            row.flag("blocked"),
        )

    def key(self, item: Guardianship) -> Hashable:
        return item.guardian, item.child, item.starts

    def settle(
        self, store: Store, batch: Sequence[Parsed[Guardianship]]
    ) -> list[Settled[Guardianship] | Problem]:
        codes = {c for p in batch for c in (p.item.guardian, p.item.child)}
        people = dict(store.find_people(codes))
        stored = store.guardianships_of({p.item.child for p in batch})
        return _settle_relations(
            batch, people, stored, ("guardian", "child"), self._check
        )

    def _check(self, item: Guardianship, people: dict[str, Person]) -> RowError | None:
        born = people[item.child].code.birth_date
        if item.starts < born:
            return RowError("starts", item.starts, "is before the child was born")
        return _check_until(item)

    def write(self, store: Store, items: Sequence[Guardianship]) -> Sequence[LogRecord]:
        store.add_guardianships(items)
        return ()


class Mandates:
    """Mandates for managing matters related to health care (REP-2)."""

    name = "mandates"
    required = ("holder", "principal", "starts")
    optional = ("until", "revoked")
    sizes: ClassVar[Mapping[str, int]] = {}

    def __init__(self, now: datetime) -> None:
        self.now = now

    def parse(self, row: Row) -> Mandate:
        holder, principal = row.code("holder"), row.code("principal")
        if holder == principal:
            raise RowError("holder", holder, "is the principal too")
        mandate = Mandate(
            holder,
            principal,
            row.day("starts"),
            row.optional_day("until"),
            row.optional_day("revoked"),
        )
        if mandate.revoked is not None and mandate.revoked < mandate.starts:
            raise RowError("revoked", mandate.revoked, "is before starts")
        return mandate

    def key(self, item: Mandate) -> Hashable:
        return item.holder, item.principal, item.starts

    def settle(
        self, store: Store, batch: Sequence[Parsed[Mandate]]
    ) -> list[Settled[Mandate] | Problem]:
        codes = {c for p in batch for c in (p.item.holder, p.item.principal)}
        people = dict(store.find_people(codes))
        stored = store.mandates_of({p.item.principal for p in batch})
        return _settle_relations(
            batch, people, stored, ("holder", "principal"), lambda m, _: _check_until(m)
        )

    def write(self, store: Store, items: Sequence[Mandate]) -> Sequence[LogRecord]:
        store.add_mandates(items)
        return ()


# Service events


class Events:
    """Service events' metadata: register, day, Kanta, capacity mark, task."""

    name = "events"
    required = ("id", "person", "register", "date")
    optional = ("kanta", "capacity", "task", "recorded_by")
    sizes: ClassVar[Mapping[str, int]] = {"id": ID, "register": ID, "recorded_by": ID}

    def __init__(self, now: datetime) -> None:
        self.today: date = now.astimezone(HELSINKI).date()

    def parse(self, row: Row) -> ServiceEvent:
        recorded = row.day("date")
        if recorded > self.today:
            raise RowError("date", recorded, "is in the future")
        return ServiceEvent(
            identifier(row, "id"),
            row.code("person"),
            identifier(row, "register"),
            recorded,
            row.flag("kanta", default=True),
            row.optional_member("capacity", Capacity),
            row.optional_member("task", ServiceTask),
            row.optional("recorded_by"),
        )

    def key(self, item: ServiceEvent) -> Hashable:
        return item.id

    def settle(
        self, store: Store, batch: Sequence[Parsed[ServiceEvent]]
    ) -> list[Settled[ServiceEvent] | Problem]:
        # Only whether each person is known matters here, which spares
        # building (and checking again) every stored person (ID-1).
        people = store.known_people({p.item.person for p in batch})
        stored = store.find_events([p.item.id for p in batch])
        directory = store.directory()
        answers: list[Settled[ServiceEvent] | Problem] = []
        for parsed in batch:
            event = parsed.item
            error = self._check(event, people, directory, stored.get(event.id))
            if error is not None:
                answers.append(
                    _problem(parsed.line, error.field, error.value, error.reason)
                )
                continue
            outcome = _compare(stored.get(event.id), event)
            answers.append(Settled(parsed.line, event, outcome))
        return answers

    def _check(
        self,
        event: ServiceEvent,
        people: Collection[str],
        directory: Directory,
        stored: ServiceEvent | None,
    ) -> RowError | None:
        if event.person not in people:
            return RowError("person", event.person, "unknown person")
        register = directory.registers.get(event.register)
        if register is None:
            return RowError("register", event.register, "unknown register")
        if event.task is not None and register.sector is not Sector.SOCIAL:
            return RowError("task", event.task, "only social welfare events have one")
        if event.recorded_by is not None:
            # PRO-8: recorded_by names the organisation that recorded the
            # event when the register has since passed to another.
            if event.recorded_by not in directory.organisations:
                return RowError(
                    "recorded_by", event.recorded_by, "unknown organisation"
                )
            if event.recorded_by == register.organisation:
                return RowError(
                    "recorded_by",
                    event.recorded_by,
                    "is the register's own organisation; leave it empty",
                )
        if stored is not None and stored.person != event.person:
            return RowError("id", event.id, "is another person's event")
        return None

    def write(self, store: Store, items: Sequence[ServiceEvent]) -> Sequence[LogRecord]:
        store.add_events(items)
        return ()


def _kinds() -> dict[str, Callable[[datetime], Kind[Any]]]:
    from kanta_consent.services.import_choices import LegacyChoices

    return {
        "organisations": Organisations,
        "registers": Registers,
        "joint-areas": JointAreas,
        "purchased-services": PurchasedServices,
        "people": People,
        "guardianships": Guardianships,
        "mandates": Mandates,
        "events": Events,
        "legacy-choices": LegacyChoices,
    }


KINDS = (
    "organisations",
    "registers",
    "joint-areas",
    "purchased-services",
    "people",
    "guardianships",
    "mandates",
    "events",
    "legacy-choices",
)
"""The kinds of file, in the order a whole set of them is imported."""


def make_kind(name: str, now: datetime) -> Kind[Any]:
    """Returns the kind of that name, or raises naming the known ones."""
    factory = _kinds().get(name)
    if factory is None:
        raise ImportFileError(f"kind {name!r}: not one of {', '.join(KINDS)}")
    return factory(now)
