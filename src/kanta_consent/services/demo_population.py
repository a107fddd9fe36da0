"""The synthetic population of the demo, written as import files.

`generate` writes one row at a time, through a `Sink`, for every kind of
import file (docs/imports.md): the directory of services/demo_directory.py,
the curated people of services/demo_people.py, then households: families
with children of every age (some of them about to turn 18), people living
alone, older couples with mandates, several years of service events with
capacity marks and social welfare service tasks, and the choices made under
the earlier law (informings for about 85 % of adults, consents, and
prohibitions for under 1 %). Every code is a test code (ID-3). The same seed
and day give the same rows.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol, TextIO

from kanta_consent.domain.codes import Capacity, RegisterKind, Sector, ServiceTask
from kanta_consent.domain.identity import birthday_in
from kanta_consent.services.demo_curated import Curated, Member
from kanta_consent.services.demo_directory import (
    DemoDirectory,
    build_directory,
    register_id,
)
from kanta_consent.services.demo_people import RESERVED, ROLES, demo_code

HEADERS: dict[str, tuple[str, ...]] = {
    "organisations": ("id", "name", "public", "ended", "business_id"),
    "registers": ("id", "organisation", "kind", "name", "kanta_from", "oid"),
    "joint-areas": ("area", "register"),
    "purchased-services": ("producer", "for_register"),
    "people": ("code", "name", "safety_ban"),
    "guardianships": ("guardian", "child", "starts", "until", "blocked"),
    "mandates": ("holder", "principal", "starts", "until", "revoked"),
    "events": (
        "id",
        "person",
        "register",
        "date",
        "kanta",
        "capacity",
        "task",
        "recorded_by",
    ),
    "legacy-choices": (
        "type",
        "person",
        "date",
        "channel",
        "target_kind",
        "target_ref",
        "emergency_allowed",
    ),
}
"""The columns each generated file has, in the order the files are imported."""

REFORM = date(2021, 11, 1)
FIRST_INFORMING = date(2011, 1, 1)
COUNTIES = date(2023, 1, 1)
YEARS_OF_EVENTS = 6
SEED = 2023

# Residents by organiser, in thousands, rounded: who lives where.
_RESIDENTS = {
    "helsinki": 670, "vantaa-kerava": 280, "lansi-uusimaa": 480,
    "keski-uusimaa": 200, "ita-uusimaa": 100, "varsinais-suomi": 485,
    "satakunta": 210, "kanta-hame": 170, "pirkanmaa": 535, "paijat-hame": 205,
    "kymenlaakso": 160, "etela-karjala": 125, "etela-savo": 130,
    "pohjois-savo": 250, "pohjois-karjala": 165, "keski-suomi": 275,
    "etela-pohjanmaa": 190, "pohjanmaa": 175, "keski-pohjanmaa": 70,
    "pohjois-pohjanmaa": 415, "kainuu": 70, "lappi": 175,
}  # fmt: skip

_FIRST_NAMES = (
    "Aino", "Eino", "Helmi", "Väinö", "Sofia", "Leo", "Olivia", "Oliver",
    "Emma", "Elias", "Aada", "Onni", "Lilja", "Eetu", "Venla", "Juho",
    "Maria", "Matti", "Anna", "Timo", "Kaarina", "Jari", "Tuula", "Pekka",
    "Liisa", "Antti", "Sanna", "Mikko", "Johanna", "Juha", "Minna", "Ville",
)  # fmt: skip
_SURNAMES = (
    "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen",
    "Laine", "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen",
    "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä", "Kinnunen",
    "Salonen", "Turunen", "Salo", "Laitinen", "Tuominen", "Rantanen",
)  # fmt: skip

_MINOR_TASKS = (ServiceTask.FAMILIES, ServiceTask.CHILD_WELFARE)
_ADULT_TASKS = (
    ServiceTask.WORKING_AGE,
    ServiceTask.SUBSTANCE_ABUSE_MENTAL_HEALTH,
    ServiceTask.DISABILITY,
    ServiceTask.SOCIAL_EMERGENCY,
    ServiceTask.FAMILIES,
)
_OLDER_TASKS = (ServiceTask.OLDER_PEOPLE, ServiceTask.DISABILITY)
# REP-7: the marks a minor's events carry from age 10; None is no mark.
_MARKS: tuple[Capacity | None, ...] = (
    None,
    None,
    Capacity.NOT_ABLE,
    Capacity.ABLE_ALLOWS,
    Capacity.ABLE_ALLOWS,
    Capacity.ABLE_FORBIDS,
    Capacity.UNKNOWN,
)


class Sink(Protocol):
    """Where generated rows go: one call per row, by kind."""

    def row(self, kind: str, values: Sequence[str]) -> None:
        """Takes one row of a kind, its values in the order of `HEADERS`."""
        ...


Progress = Callable[[int], None]
"""Told how many people have been generated so far."""


@dataclass
class Counts:
    """How many rows of each kind were generated, and the curated people."""

    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(HEADERS, 0))
    curated: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Returns the number of rows of every kind together."""
        return sum(self.rows.values())


class CsvSink:
    """Writes each kind to `KIND.csv` in a folder, with its header row."""

    def __init__(self, folder: Path, handles: Mapping[str, TextIO]) -> None:
        self.folder = folder
        self._writers = {kind: csv.writer(h) for kind, h in handles.items()}
        for kind, writer in self._writers.items():
            writer.writerow(HEADERS[kind])

    def row(self, kind: str, values: Sequence[str]) -> None:
        self._writers[kind].writerow(values)


@contextmanager
def csv_sink(folder: Path) -> Iterator[CsvSink]:
    """Opens one file per kind in `folder` (made when missing) and closes them."""
    folder.mkdir(parents=True, exist_ok=True)
    handles = {
        kind: (folder / f"{kind}.csv").open("w", newline="", encoding="utf-8")
        for kind in HEADERS
    }
    try:
        yield CsvSink(folder, handles)
    finally:
        for handle in handles.values():
            handle.close()


def files_of(folder: Path) -> list[tuple[str, Path]]:
    """Returns the generated files of a folder by kind, in import order."""
    return [(kind, folder / f"{kind}.csv") for kind in HEADERS]


def generate(
    sink: Sink,
    people: int,
    today: date,
    *,
    seed: int = SEED,
    progress: Progress | None = None,
) -> Counts:
    """Writes the demo directory and `people` people, the curated among them."""
    if people < len(ROLES):
        raise ValueError(f"people {people}: the demo needs at least {len(ROLES)}")
    world = World(sink, today, random.Random(seed), build_directory())
    world.directory_rows()
    world.curated()
    told = 0
    while world.people < people:
        world.household(people - world.people)
        if progress is not None and world.people - told >= 1000:
            told = world.people
            progress(told)
    world.mandates()
    if progress is not None:
        progress(world.people)
    return world.counts


class World:
    """The state of one generation: codes given out, adults, counters."""

    def __init__(
        self, sink: Sink, today: date, rng: random.Random, directory: DemoDirectory
    ) -> None:
        self.sink = sink
        self.today = today
        self.rng = rng
        self.directory = directory
        self.counts = Counts()
        self.people = 0
        self.events = 0
        self._numbers: dict[date, int] = {}
        self._homes = list(_RESIDENTS)
        self._weights = list(_RESIDENTS.values())
        self._holders: list[str] = []
        self._principals: list[Member] = []
        self._kinds = {r.id: r.kind for r in directory.registers}
        self._private_health = self._ids(RegisterKind.PRIVATE_HEALTH)
        self._private_social = self._ids(RegisterKind.PRIVATE_SOCIAL)
        self._private_occupational = self._ids(RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH)
        self._uusimaa = {o.id for o in directory.public if o.area == "uusimaa"}
        self._predecessors = {
            o.id: directory.predecessors_of(o.id) for o in directory.public
        }
        self._ended = [o.id for o in directory.organisations if o.ended is not None]

    def _ids(self, kind: RegisterKind) -> list[str]:
        return [r.id for r in self.directory.registers_of_kind(kind)]

    def emit(self, kind: str, *values: object) -> None:
        # A row names every column of its file; those not given stay empty.
        padded = (*values, *([None] * (len(HEADERS[kind]) - len(values))))
        self.sink.row(kind, [_text(v) for v in padded])
        self.counts.rows[kind] += 1

    # The directory

    def directory_rows(self) -> None:
        for o in self.directory.organisations:
            self.emit("organisations", o.id, o.name, o.public, o.ended, o.business_id)
        for r in self.directory.registers:
            self.emit(
                "registers", r.id, r.organisation, r.kind, r.name, r.kanta_from, r.oid
            )
        for area, register in self.directory.joint_area:
            self.emit("joint-areas", area, register)
        for producer, for_register in self.directory.purchased:
            self.emit("purchased-services", producer, for_register)

    # People

    def code(self, born: date) -> tuple[str, date]:
        # ID-3: individual numbers 920-999 for the crowd, 80 a day; a full day
        # passes its people to the day before.
        while self._numbers.get(born, RESERVED.stop) > 999:
            born -= timedelta(days=1)
        number = self._numbers.get(born, RESERVED.stop)
        self._numbers[born] = number + 1
        return demo_code(born, number), born

    def born_aged(self, years: int) -> date:
        latest = birthday_in(self.today, self.today.year - years)
        return latest - timedelta(days=self.rng.randrange(365))

    def person(self, born: date, home: str, name: str = "") -> Member:
        code, born = self.code(born)
        rng = self.rng
        name = name or f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
        self.emit("people", code, name, rng.random() < 0.003)
        self.people += 1
        member = Member(code, born, home)
        if self.age(born, self.today) >= 18:
            self._holders.append(code)
        return member

    def age(self, born: date, on: date) -> int:
        years = on.year - born.year
        return years - 1 if on < birthday_in(born, on.year) else years

    def home(self) -> str:
        return self.rng.choices(self._homes, self._weights)[0]

    def household(self, room: int) -> None:
        kind = self.rng.random()
        if kind < 0.3 and room >= 2:
            self.family(room)
        elif kind < 0.45 and room >= 2:
            self.older_couple()
        else:
            self.adult(self.person(self.born_aged(self.adult_age()), self.home()))

    def adult_age(self) -> int:
        band = self.rng.choices(
            ((18, 29), (30, 49), (50, 64), (65, 79), (80, 99)),
            (20, 30, 25, 18, 7),
        )[0]
        return self.rng.randint(*band)

    def family(self, room: int) -> None:
        rng, home = self.rng, self.home()
        parents = [
            self.person(self.born_aged(rng.randint(26, 55)), home)
            for _ in range(2 if rng.random() < 0.75 and room >= 3 else 1)
        ]
        youngest_parent = min(self.age(p.born, self.today) for p in parents)
        for _ in range(min(rng.choice((1, 1, 1, 2, 2, 3)), room - len(parents))):
            child = self.person(self.child_born(youngest_parent), home)
            self.minor(child, parents)
        for parent in parents:
            self.adult(parent)

    def child_born(self, parent_age: int) -> date:
        # A few in every hundred turn 18 within a month: the day MIN-5 and
        # REP-1 change what they and their guardians may do.
        if self.rng.random() < 0.04:
            eighteen = birthday_in(self.today, self.today.year - 18)
            return eighteen + timedelta(days=self.rng.randint(1, 30))
        return self.born_aged(self.rng.randint(0, min(17, parent_age - 19)))

    def minor(self, child: Member, parents: Sequence[Member]) -> None:
        # REP-1: custody from birth; a few children are taken into care.
        blocked = self.rng.random() < 0.005
        for parent in parents:
            self.emit("guardianships", parent.code, child.code, child.born, "", blocked)
        self.service_events(child)

    def older_couple(self) -> None:
        home, age = self.home(), self.rng.randint(66, 92)
        for _ in range(2):
            member = self.person(self.born_aged(age + self.rng.randint(-3, 3)), home)
            self.adult(member)

    def adult(self, member: Member) -> None:
        self.service_events(member)
        self.legacy_choices(member)
        if self.age(member.born, self.today) >= 75 and self.rng.random() < 0.08:
            self._principals.append(member)

    # Mandates

    def mandates(self) -> None:
        # REP-2: older people give a mandate to an adult, some of which have
        # ended or been revoked since.
        for principal in self._principals:
            holder = self.rng.choice(self._holders)
            if holder == principal.code:
                continue
            starts = self.today - timedelta(days=self.rng.randint(30, 2000))
            roll = self.rng.random()
            until = starts + timedelta(days=1500) if roll < 0.1 else None
            revoked = self.today - timedelta(days=10) if roll > 0.92 else None
            self.emit("mandates", holder, principal.code, starts, until, revoked)

    # Service events

    def service_events(self, member: Member) -> None:
        start = max(member.born, self.today - timedelta(days=365 * YEARS_OF_EVENTS))
        years = (self.today - start).days / 365
        age = self.age(member.born, self.today)
        rate = 3.0 if age < 7 or age >= 70 else 1.4
        count = int(rate * years * self.rng.uniform(0.3, 1.7))
        span = (self.today - start).days
        for _ in range(count):
            day = start + timedelta(days=self.rng.randint(0, span))
            self.event(member, day)

    def event(self, member: Member, day: date, register: str = "") -> str:
        age = self.age(member.born, day)
        register = register or self.register_for(member, age, day)
        kind = self.register_kind(register)
        task = self.task(age) if kind.sector is Sector.SOCIAL else None
        capacity = self.rng.choice(_MARKS) if 10 <= age < 18 else None
        recorded_by = self.recorded_by(member.home, register, day)
        kanta = self.rng.random() < (
            0.7 if kind is RegisterKind.PRIVATE_SOCIAL else 0.97
        )
        self.events += 1
        event_id = f"ev-{self.events:08d}"
        self.emit(
            "events",
            event_id,
            member.code,
            register,
            day,
            kanta,
            capacity,
            task,
            recorded_by,
        )
        return event_id

    def emit_event(
        self, member: Member, day: date, register: str, capacity: Capacity | None
    ) -> None:
        self.events += 1
        event_id = f"ev-{self.events:08d}"
        self.emit(
            "events", event_id, member.code, register, day, True, capacity, "", ""
        )

    def register_for(self, member: Member, age: int, day: date) -> str:
        roll, home = self.rng.random(), member.home
        if roll < 0.1 and day >= COUNTIES:
            return self.social_register(home)
        if roll < 0.22 and 20 <= age < 66:
            return self.occupational_register(home)
        if roll < 0.32:
            return self.rng.choice(self._private_health)
        if roll < 0.4 and home in self._uusimaa:
            return register_id("hus", RegisterKind.PUBLIC_HEALTH)
        return register_id(home, RegisterKind.PUBLIC_HEALTH)

    def social_register(self, home: str) -> str:
        if self.rng.random() < 0.2:
            return self.rng.choice(self._private_social)
        return register_id(home, RegisterKind.PUBLIC_SOCIAL)

    def occupational_register(self, home: str) -> str:
        if self.rng.random() < 0.3:
            return register_id(home, RegisterKind.PUBLIC_OCCUPATIONAL_HEALTH)
        return self.rng.choice(self._private_occupational)

    def register_kind(self, register: str) -> RegisterKind:
        return self._kinds[register]

    def task(self, age: int) -> ServiceTask:
        tasks = _MINOR_TASKS if age < 18 else _ADULT_TASKS
        return self.rng.choice(_OLDER_TASKS if age >= 65 else tasks)

    def recorded_by(self, home: str, register: str, day: date) -> str:
        # PRO-8: before 2023 the organiser's health care was its predecessors';
        # the events they recorded still name them.
        own = register == register_id(home, RegisterKind.PUBLIC_HEALTH)
        predecessors = self._predecessors.get(home, ())
        if day >= COUNTIES or not own or not predecessors:
            return ""
        return self.rng.choice(predecessors)

    # Choices under the earlier law

    def legacy_choices(self, member: Member) -> None:
        # About 85 % of adults were informed under the earlier law (INF-5),
        # most of them consented (PER-4), and under 1 % prohibited (PRO-4).
        rng = self.rng
        if rng.random() >= 0.85:
            return
        first = max(member.born + timedelta(days=1), FIRST_INFORMING)
        if first >= REFORM - timedelta(days=2):
            return
        informed = first + timedelta(days=rng.randrange((REFORM - first).days - 2))
        self.emit("legacy-choices", "informing", member.code, informed, "care")
        if rng.random() < 0.7:
            self.emit("legacy-choices", "consent", member.code, informed, "care")
        if rng.random() < 0.008:
            self.emit(
                "legacy-choices",
                "prohibition",
                member.code,
                informed + timedelta(days=1),
                "care",
                "organisation",
                self.prohibition_target(member),
                rng.random() < 0.5,
            )

    def prohibition_target(self, member: Member) -> str:
        # PRO-8: the organiser of the day, which has ended since.
        predecessors = self._predecessors.get(member.home, ())
        return self.rng.choice(predecessors or self._ended)

    # The curated people

    def curated(self) -> None:
        Curated(self).make()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
