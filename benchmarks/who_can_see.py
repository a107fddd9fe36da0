"""How long "My data" takes to work out who can see a person's data.

Run as `.venv/bin/python benchmarks/who_can_see.py`. A person with 200
service events, spread over the registers of the demo directory (every
wellbeing services county's three registers, their predecessors, the
private providers), with a health and a social permission and a few
prohibitions, is shown 50 events at a time: each page asks the decision for
every register and purpose, for the page's events and for all 200 (the view
of the whole data). It prints the median and the 95th percentile in ms, on
the store in memory and on SQLite. The goal: the page renders in under
200 ms at the median, so the computation has to stay well under that.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.adapters.sql import SqlStore, create_schema, make_engine
from kanta_consent.adapters.sql import seed_calendar as seed
from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.choices import Target
from kanta_consent.domain.codes import RegisterKind, Scope, ServiceTask, TargetKind
from kanta_consent.domain.identity import check_character, parse_identity_code
from kanta_consent.domain.model import Organisation, Person, Register, ServiceEvent
from kanta_consent.services.consent import ConsentService, PortalActor
from kanta_consent.services.demo_directory import build_directory
from kanta_consent.services.my_data import PAGE_SIZE, MyDataService
from kanta_consent.services.ports import Store

HELSINKI = ZoneInfo("Europe/Helsinki")
GOAL_MS = 200.0
EVENTS = 200
ROUNDS = 15
PERSON = "170580-901" + check_character("170580901")
NOW = datetime(2025, 6, 2, 10, 0, tzinfo=HELSINKI)


def stage(store: Store) -> int:
    """Fills the store with the demo directory and the person; returns registers."""
    demo = build_directory()
    for organisation in demo.organisations:
        store.add_organisation(
            Organisation(organisation.id, organisation.public, organisation.ended)
        )
    for register in demo.registers:
        store.add_register(
            Register(
                register.id,
                register.organisation,
                register.kind,
                register.kanta_from,
                register.name,
            )
        )
    store.add_joint_area(demo.joint_area[0][0], [r for _, r in demo.joint_area])
    for producer, for_register in demo.purchased:
        store.add_purchased_service(producer, for_register)
    store.add_person(Person(parse_identity_code(PERSON)))
    registers = list(demo.registers)
    tasks = list(ServiceTask)
    for n in range(EVENTS):
        register = registers[(n * 7) % len(registers)]
        social = register.kind in (
            RegisterKind.PUBLIC_SOCIAL,
            RegisterKind.PRIVATE_SOCIAL,
        )
        store.add_event(
            ServiceEvent(
                f"event-{n:03d}",
                PERSON,
                register.id,
                date(2015, 1, 1) + timedelta(days=13 * n),
                task=tasks[n % len(tasks)] if social else None,
            )
        )
    choose(store)
    return len(registers)


def choose(store: Store) -> None:
    """Gives the person the choices of an engaged user of the portal."""
    consent = ConsentService(store)
    me = PortalActor(PERSON)
    start = datetime(2024, 1, 10, 9, 0, tzinfo=HELSINKI)
    consent.acknowledge(me, PERSON, start)
    consent.grant(me, PERSON, Scope.HEALTH, start + timedelta(minutes=1))
    consent.grant(me, PERSON, Scope.SOCIAL, start + timedelta(minutes=2))
    for n, target in enumerate(
        [
            Target(TargetKind.ORGANISATION, "satakunta"),
            Target(TargetKind.SERVICE_EVENT, "event-010"),
            Target(TargetKind.SERVICE_EVENT, "event-011"),
            Target(TargetKind.SERVICE_TASK, ServiceTask.CHILD_WELFARE.value),
        ]
    ):
        consent.prohibit(me, PERSON, target, start + timedelta(minutes=3 + n))


def timed(run: Callable[[], object]) -> list[float]:
    """Returns the ms of each of ROUNDS runs, after one to warm up."""
    run()
    spent = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        run()
        spent.append((time.perf_counter() - began) * 1000)
    return spent


def report(name: str, store: Store) -> float:
    """Times every page of the person's data; returns the median ms."""
    service = MyDataService(store)
    pages = -(-EVENTS // PAGE_SIZE)
    spent: list[float] = []
    for page in range(1, pages + 1):
        spent += timed(lambda p=page: service.my_data(PERSON, PERSON, NOW, page=p))
    median = statistics.median(spent)
    p95 = statistics.quantiles(spent, n=20)[-1]
    print(f"  {name:<8} median {median:6.1f} ms   p95 {p95:6.1f} ms")
    return median


def main() -> None:
    memory = MemoryStore(Calendar())
    registers = stage(memory)
    engine = make_engine("sqlite://")
    create_schema(engine)
    sqlite = SqlStore(engine)
    seed(sqlite, Calendar())
    stage(sqlite)
    print(
        f"who can see: {EVENTS} events, {PAGE_SIZE} a page, {registers} registers,"
        f" {ROUNDS} rounds a page"
    )
    medians = [report("memory", memory), report("sqlite", sqlite)]
    met = "met" if max(medians) < GOAL_MS else "NOT met"
    print(f"goal median < {GOAL_MS:.0f} ms for the page: {met}")


if __name__ == "__main__":
    main()
