"""The curated demo people: each made to show one situation in the portal.

They are written with the rest of the population (services/demo_population.py),
with the individual numbers `ROLES` keeps for them, so that the test login
finds them again in a store loaded on any day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from kanta_consent.domain.codes import Capacity, RegisterKind
from kanta_consent.domain.identity import birthday_in
from kanta_consent.services.demo_directory import register_id
from kanta_consent.services.demo_people import ROLES, Role, demo_code

if TYPE_CHECKING:
    from kanta_consent.services.demo_population import World


@dataclass
class Member:
    """A generated person: code, birth date and home organiser."""

    code: str
    born: date
    home: str


class Curated:
    """The curated people of `ROLES`, each made to show one situation."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.today = world.today
        self.members: dict[str, Member] = {}

    def make(self) -> None:
        ages = {
            "unacknowledged": (41, -20),
            "permission": (35, -50),
            "parent": (44, -70),
            "child-12": (12, -100),
            "child-16": (16, -30),
            "almost-adult": (18, 5),
            "mandate-holder": (52, -10),
            "principal": (83, -40),
            "many-events": (58, -120),
            "prohibition": (47, -200),
            "emergency": (66, -15),
        }
        homes = {"prohibition": "varsinais-suomi", "almost-adult": "pirkanmaa"}
        for role in ROLES:
            years, days = ages[role.key]
            born = birthday_in(self.today, self.today.year - years)
            born += timedelta(days=days)
            self.add(role, born, homes.get(role.key, "helsinki"))
        self.relations()
        self.events()
        self.choices()

    def add(self, role: Role, born: date, home: str) -> None:
        world = self.world
        code = demo_code(born, role.number)
        world.emit("people", code, role.name, False)
        world.people += 1
        world.counts.curated[role.key] = code
        self.members[role.key] = Member(code, born, home)

    def relations(self) -> None:
        world, m = self.world, self.members
        for child in ("child-12", "child-16"):
            world.emit(
                "guardianships", m["parent"].code, m[child].code, m[child].born, "", ""
            )
        starts = self.today - timedelta(days=200)
        world.emit(
            "mandates", m["mandate-holder"].code, m["principal"].code, starts, "", ""
        )

    def events(self) -> None:
        world, m = self.world, self.members
        self.child_events()
        for key in ("unacknowledged", "permission", "child-16", "almost-adult"):
            world.service_events(m[key])
        for key in ("mandate-holder", "principal", "emergency", "prohibition"):
            world.service_events(m[key])
        # The disclosures of services/demo_load.py rest on these two.
        for key in ("permission", "emergency"):
            world.event(m[key], self.today - timedelta(days=20), "helsinki-health")
        many = m["many-events"]
        for offset in range(200):
            world.event(many, self.today - timedelta(days=3 + offset * 10))
        # PRO-8: care recorded by the hospital district before 2023, which the
        # prohibition below targets.
        for day in (date(2019, 5, 6), date(2020, 2, 3), date(2022, 9, 12)):
            world.event(m["prohibition"], day, "varsinais-suomi-health")

    def child_events(self) -> None:
        # REP-7: before age 10 a guardian sees all; from 10 marks 1 and 2 only.
        world, child = self.world, self.members["child-12"]
        tenth = birthday_in(child.born, child.born.year + 10)
        health = register_id("helsinki", RegisterKind.PUBLIC_HEALTH)
        marks = (
            Capacity.NOT_ABLE,
            Capacity.ABLE_ALLOWS,
            Capacity.ABLE_FORBIDS,
            Capacity.UNKNOWN,
            None,
        )
        for days in (700, 400, 60):
            world.emit_event(child, tenth - timedelta(days=days), health, None)
        for index, mark in enumerate(marks):
            day = tenth + timedelta(days=30 + index * 70)
            world.emit_event(child, day, health, mark)

    def choices(self) -> None:
        world, m = self.world, self.members
        informed = date(2018, 4, 9)
        for key in ("unacknowledged", "principal", "prohibition", "many-events"):
            world.emit("legacy-choices", "informing", m[key].code, informed, "care")
        world.emit("legacy-choices", "consent", m["principal"].code, informed, "care")
        world.emit(
            "legacy-choices",
            "prohibition",
            m["prohibition"].code,
            date(2020, 6, 15),
            "care",
            "organisation",
            "vsshp",
            "yes",
        )
