"""The demo people: the curated roles of `serve --demo`, and a small fixture.

`ROLES` are the people the test identity provider lists under --demo, each
showing one situation; the demo generator (services/demo_population.py)
makes them with the individual numbers reserved for them, so that they can
be found again in a store loaded on any day. `load` stores a handful of
people on their own, for the portal's tests.

Every code is a test code (ID-3: individual number 900-999) whose check
character is computed by domain.identity; ages are counted back from
`today`, so the 12-year-old stays 12 and the 17-year-old turns 18 in five
days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from kanta_consent.domain.choices import Target
from kanta_consent.domain.codes import (
    Capacity,
    Purpose,
    RegisterKind,
    Scope,
    ServiceTask,
    TargetKind,
)
from kanta_consent.domain.decide import Data
from kanta_consent.domain.identity import (
    HELSINKI,
    birthday_in,
    check_character,
    eighteenth_birthday,
    parse_identity_code,
)
from kanta_consent.domain.model import (
    Guardianship,
    Mandate,
    Organisation,
    Person,
    Register,
    ServiceEvent,
)
from kanta_consent.services.consent import ConsentService, PortalActor
from kanta_consent.services.ports import Store


@dataclass(frozen=True, slots=True)
class DemoIdentity:
    """A demo person the test identity provider lists, with who they are.

    `description` is a message id of the portal's catalogues; the page
    translates it and fills its named placeholders from `parameters`.
    """

    code: str
    description: str
    parameters: Mapping[str, str | date] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Role:
    """A curated demo person: the part, the reserved number, name and words."""

    key: str
    number: int
    name: str
    description: str


ROLES = (
    Role("unacknowledged", 900, "Aino Korhonen",
         "An adult who has not acknowledged the notice"),
    Role("permission", 901, "Mikko Virtanen", "An adult with a permission"),
    Role("parent", 902, "Laura Mäkinen", "A parent of a 12- and a 16-year-old"),
    Role("child-12", 903, "Eetu Mäkinen",
         "A child aged 12, with capacity marks from age 10"),
    Role("child-16", 904, "Ella Mäkinen", "A 16-year-old"),
    Role("almost-adult", 905, "Onni Nieminen",
         "A 17-year-old who turns 18 on %(adult_on)s"),
    Role("mandate-holder", 906, "Jukka Hämäläinen", "A mandate holder"),
    Role("principal", 907, "Helmi Hämäläinen", "A principal who gave a mandate"),
    Role("many-events", 908, "Pekka Laine", "A person with about 200 service events"),
    Role("prohibition", 909, "Sari Heikkinen",
         "A person with a prohibition from the earlier law"),
    Role("emergency", 910, "Timo Koskinen",
         "A person whose data was disclosed in an emergency"),
)  # fmt: skip
"""The curated people, in the order the test login lists them."""

RESERVED = range(900, 920)
"""Individual numbers kept for the curated people; the crowd uses 920-999."""


def role_of(number: int, name: str) -> Role | None:
    """Returns the curated role of a stored person's number and name, or None."""
    return next((r for r in ROLES if r.number == number and r.name == name), None)


def curated_identities(people: Iterable[Person]) -> list[DemoIdentity]:
    """Lists the curated people among `people`, in the order of `ROLES`."""
    found: dict[str, DemoIdentity] = {}
    for person in people:
        role = role_of(person.code.individual_number, person.name)
        if role is not None and role.key not in found:
            found[role.key] = describe(role, person.id)
    return [found[r.key] for r in ROLES if r.key in found]


def describe(role: Role, code: str) -> DemoIdentity:
    """Returns the identity the test login lists for a curated person.

    A description names the day that matters rather than a count of days,
    so that it stays true in a store loaded days before.
    """
    born = parse_identity_code(code).birth_date
    # Translated where shown: the page fills the placeholder after lookup,
    # with the day written the way its language writes days.
    parameters: dict[str, str | date] = {}
    if "%(adult_on)s" in role.description:
        parameters["adult_on"] = eighteenth_birthday(born)
    return DemoIdentity(code, role.description, parameters)


@dataclass(frozen=True, slots=True)
class DemoPeople:
    """The codes of the demo people, by the part each plays."""

    adult: str
    adult_with_permission: str
    parent: str
    child_12: str
    child_16: str
    mandate_holder: str
    principal: str
    almost_adult: str

    def identities(self) -> list[DemoIdentity]:
        """Lists the people with a description for the test login page."""
        return [
            DemoIdentity(self.adult, "An adult without choices"),
            DemoIdentity(self.adult_with_permission, "An adult with a permission"),
            DemoIdentity(self.parent, "A parent of two children"),
            DemoIdentity(self.child_12, "A child aged 12"),
            DemoIdentity(self.child_16, "A child aged 16"),
            DemoIdentity(self.mandate_holder, "A mandate holder"),
            DemoIdentity(self.principal, "A principal who gave a mandate"),
            DemoIdentity(self.almost_adult, "A 17-year-old about to turn 18"),
        ]


def demo_code(born: date, number: int) -> str:
    """Returns the test code of a birth date and an individual number 900-999."""
    if not 900 <= number <= 999:
        raise ValueError(f"individual number {number}: a test code needs 900-999")
    ddmmyy = born.strftime("%d%m") + f"{born.year % 100:02d}"
    sign = "A" if born.year >= 2000 else "-"
    digits = f"{ddmmyy}{number:03d}"
    return f"{ddmmyy}{sign}{number:03d}{check_character(digits)}"


def years_before(today: date, years: int, days: int = 0) -> date:
    """Returns the day `years` years before today, moved `days` days later."""
    return birthday_in(today, today.year - years) + timedelta(days=days)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), HELSINKI)


def load(store: Store, today: date) -> DemoPeople:
    """Stores the demo people, organisations, events and choices."""
    people = DemoPeople(
        adult=demo_code(years_before(today, 41, -20), 901),
        adult_with_permission=demo_code(years_before(today, 35, -50), 902),
        parent=demo_code(years_before(today, 44, -70), 903),
        child_12=demo_code(years_before(today, 12, -100), 904),
        child_16=demo_code(years_before(today, 16, -30), 905),
        mandate_holder=demo_code(years_before(today, 52, -10), 906),
        principal=demo_code(years_before(today, 83, -40), 907),
        almost_adult=demo_code(years_before(today, 18, 5), 908),
    )
    with store.transaction():
        _directory(store)
        _people(store, people, today)
        _events(store, people, today)
    _choices(store, people, today)
    _decisions(store, people, today)
    return people


def _directory(store: Store) -> None:
    organisations = [
        Organisation("org-county", True, name="Demo Wellbeing Services County"),
        Organisation("org-clinic", False, name="Demo Medical Centre Ltd"),
        Organisation("org-occupational", False, name="Demo Occupational Health Ltd"),
        Organisation("org-city", True, date(2022, 12, 31), name="Demo City"),
    ]
    registers = [
        Register("reg-county-health", "org-county", RegisterKind.PUBLIC_HEALTH,
                 name="County health care"),
        Register("reg-county-social", "org-county", RegisterKind.PUBLIC_SOCIAL,
                 kanta_from=date(2023, 1, 1), name="County social welfare"),
        Register("reg-clinic", "org-clinic", RegisterKind.PRIVATE_HEALTH,
                 name="Medical Centre patients"),
        Register("reg-occupational", "org-occupational",
                 RegisterKind.PRIVATE_OCCUPATIONAL_HEALTH,
                 name="Occupational health care"),
        Register("reg-city-health", "org-city", RegisterKind.PUBLIC_HEALTH,
                 name="City health centre"),
    ]  # fmt: skip
    for organisation in organisations:
        store.add_organisation(organisation)
    for register in registers:
        store.add_register(register)


def _people(store: Store, people: DemoPeople, today: date) -> None:
    for code in (
        people.adult,
        people.adult_with_permission,
        people.parent,
        people.child_12,
        people.child_16,
        people.mandate_holder,
        people.principal,
        people.almost_adult,
    ):
        store.add_person(Person(parse_identity_code(code)))
    for child in (people.child_12, people.child_16):
        born = parse_identity_code(child).birth_date
        store.add_guardianship(Guardianship(people.parent, child, born))
    store.add_mandate(
        Mandate(people.mandate_holder, people.principal, today - timedelta(days=200))
    )


def _events(store: Store, people: DemoPeople, today: date) -> None:
    child_born = parse_identity_code(people.child_12).birth_date
    tenth = birthday_in(child_born, child_born.year + 10)
    # REP-7: before age 10 always shown to a guardian; from 10 by the mark.
    child_events = [
        ("ev-c12-early", "reg-county-health", tenth - timedelta(days=400), None),
        ("ev-c12-cap1", "reg-county-health", tenth + timedelta(days=30),
         Capacity.NOT_ABLE),
        ("ev-c12-cap2", "reg-clinic", tenth + timedelta(days=90), Capacity.ABLE_ALLOWS),
        ("ev-c12-cap3", "reg-county-health", tenth + timedelta(days=200),
         Capacity.ABLE_FORBIDS),
        ("ev-c12-cap4", "reg-county-health", tenth + timedelta(days=300),
         Capacity.UNKNOWN),
    ]  # fmt: skip
    for event_id, register, recorded, capacity in child_events:
        store.add_event(
            ServiceEvent(
                event_id, people.child_12, register, recorded, capacity=capacity
            )
        )
    adult_events = [
        ("ev-a1-visit", people.adult, "reg-county-health", 120, None),
        ("ev-a1-clinic", people.adult, "reg-clinic", 60, None),
        ("ev-a1-work", people.adult, "reg-occupational", 30, None),
        ("ev-a1-old", people.adult, "reg-city-health", 900, None),
        ("ev-a1-family", people.adult, "reg-county-social", 45, ServiceTask.FAMILIES),
        ("ev-a2-visit", people.adult_with_permission, "reg-county-health", 80, None),
        ("ev-a2-clinic", people.adult_with_permission, "reg-clinic", 20, None),
        ("ev-c16-visit", people.child_16, "reg-county-health", 40, None),
        ("ev-p-visit", people.principal, "reg-county-health", 15, None),
    ]
    for event_id, person, register, days_ago, task in adult_events:
        recorded = today - timedelta(days=days_ago)
        store.add_event(ServiceEvent(event_id, person, register, recorded, task=task))


def _choices(store: Store, people: DemoPeople, today: date) -> None:
    service = ConsentService(store)
    earlier = _noon(today - timedelta(days=10))
    for code in (
        people.adult_with_permission,
        people.parent,
        people.mandate_holder,
    ):
        service.acknowledge(PortalActor(code), code, earlier)
    service.grant(
        PortalActor(people.adult_with_permission),
        people.adult_with_permission,
        Scope.HEALTH,
        earlier + timedelta(minutes=5),
    )
    service.prohibit(
        PortalActor(people.adult_with_permission),
        people.adult_with_permission,
        Target(TargetKind.SERVICE_EVENT, "ev-a2-clinic"),
        earlier + timedelta(minutes=10),
        emergency_allowed=True,
    )
    # REP-3: the parent has acknowledged for the 16-year-old, not the 12-year-old.
    service.acknowledge(PortalActor(people.parent), people.child_16, earlier)
    service.grant(
        PortalActor(people.parent),
        people.child_16,
        Scope.HEALTH,
        earlier + timedelta(minutes=1),
    )


def _decisions(store: Store, people: DemoPeople, today: date) -> None:
    service = ConsentService(store)
    person = people.adult_with_permission
    visit = service.event_data("ev-a2-visit")[1]
    social = Data.of_event(
        ServiceEvent("ev-none", person, "reg-county-social", today),
        store.directory().registers["reg-county-social"],
    )
    moment = _noon(today - timedelta(days=3))
    service.decide_many(
        [
            (person, visit, "reg-clinic", Purpose.CARE),
            (person, visit, "reg-occupational", Purpose.CARE),
            (person, social, "reg-clinic", Purpose.CARE),
        ],
        moment,
    )
    service.decide(
        person, visit, "reg-clinic", Purpose.EMERGENCY, moment + timedelta(hours=30)
    )
