"""How many decisions per second the pure engine makes, on one core.

Run as `.venv/bin/python benchmarks/engine.py`. For a person with 10 and
with 1,000 choices it measures `decide` twice: with the folding of the
history to the query's moment (`ChoiceHistory.as_of`) included, as a
service does it for each query, and on a state folded once beforehand.
The goal is 100,000 decisions per second for 10 choices, folding included.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.choices import (
    Acknowledgement,
    Actor,
    Choice,
    ChoiceHistory,
    PermissionGranted,
    PermissionWithdrawn,
    ProhibitionGiven,
    ProhibitionWithdrawn,
    Target,
)
from kanta_consent.domain.codes import (
    ActorRole,
    Purpose,
    RegisterKind,
    Scope,
    Sector,
    TargetKind,
)
from kanta_consent.domain.decide import Data, Query, decide
from kanta_consent.domain.identity import check_character
from kanta_consent.domain.model import Directory, Organisation, Register

HELSINKI = ZoneInfo("Europe/Helsinki")
GOAL = 100_000
PERSON = "170580-901" + check_character("170580901")
SELF = Actor(ActorRole.SELF, person=PERSON)
START = datetime(2021, 11, 2, 9, 0, tzinfo=HELSINKI)

DIRECTORY = Directory.build(
    [
        Organisation("hus", True),
        Organisation("pirha", True),
        Organisation("medi", False),
    ],
    [
        Register("hus-health", "hus", RegisterKind.PUBLIC_HEALTH),
        Register("hus-social", "hus", RegisterKind.PUBLIC_SOCIAL),
        Register("pirha-health", "pirha", RegisterKind.PUBLIC_HEALTH),
        Register("pirha-social", "pirha", RegisterKind.PUBLIC_SOCIAL),
        Register("medi-health", "medi", RegisterKind.PRIVATE_HEALTH),
    ],
    joint_areas={"uusimaa": ["hus-health", "pirha-health"]},
)
CALENDAR = Calendar()

QUERIES = [
    (Data(Sector.HEALTH, register="hus-health", event="e-1"), "medi-health"),
    (
        Data(Sector.HEALTH, register="hus-health", event="e-7", kanta=False),
        "pirha-health",
    ),
    (Data(Sector.SOCIAL, register="hus-social", event="e-2"), "pirha-social"),
    (Data(Sector.HEALTH, register="pirha-health", event="e-3"), "medi-health"),
]


def history_of(size: int) -> ChoiceHistory:
    """Builds a plausible history: an acknowledgement, then grants, prohibitions
    and their withdrawals, one every few days."""
    choices: list[Choice] = [
        Acknowledgement(id="a0", person=PERSON, at=START, actor=SELF, version="2021-11")
    ]
    scopes = [Scope.HEALTH, Scope.SOCIAL, Scope.HEALTH]
    held: dict[Scope, str] = {}
    given: list[str] = []
    for n in range(1, size):
        at = START + timedelta(days=3 * n)
        common = {"id": f"c{n}", "person": PERSON, "at": at, "actor": SELF}
        kind = n % 4
        if kind == 0:
            scope = scopes[n % len(scopes)]
            choices.append(PermissionGranted(**common, scope=scope))
            held[scope] = f"c{n}"
        elif kind == 1:
            target = Target(TargetKind.SERVICE_EVENT, f"e-{n % 50}")
            sectors = frozenset({Sector.HEALTH})
            choices.append(ProhibitionGiven(**common, target=target, sectors=sectors))
            given.append(f"c{n}")
        elif kind == 2 and given:
            choices.append(ProhibitionWithdrawn(**common, prohibition=given.pop(0)))
        elif held:
            scope, permission = held.popitem()
            choices.append(
                PermissionWithdrawn(**common, scope=scope, permission=permission)
            )
        else:
            choices.append(PermissionGranted(**common, scope=Scope.HEALTH))
    return ChoiceHistory(choices)


def rate(run: Callable[[int], None], seconds: float = 1.5) -> float:
    """Returns calls per second of `run(n)`, timed over about `seconds`."""
    batch = 1_000
    run(batch)
    while True:
        began = time.perf_counter()
        run(batch)
        spent = time.perf_counter() - began
        if spent >= seconds:
            return batch / spent
        batch = max(batch * 2, int(batch * seconds / max(spent, 1e-6)))


def measure(size: int) -> tuple[float, float]:
    """Returns decisions per second with folding, and on a prefolded state."""
    history = history_of(size)
    moment = START + timedelta(days=3 * size + 1)
    queries = [Query(d, to, Purpose.CARE, moment) for d, to in QUERIES]
    state = history.as_of(moment)

    def folding(n: int) -> None:
        for i in range(n):
            query = queries[i & 3]
            decide(query, history.as_of(query.moment), DIRECTORY, CALENDAR)

    def prefolded(n: int) -> None:
        for i in range(n):
            decide(queries[i & 3], state, DIRECTORY, CALENDAR)

    return rate(folding), rate(prefolded)


def main() -> None:
    """Prints the rates for 10 and 1,000 choices and whether the goal is met."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    print("engine benchmark, one core")
    results = {}
    for size in (10, 1_000):
        folded, prefolded = measure(size)
        results[size] = folded
        print(
            f"{size:>5} choices: {folded:>10,.0f} decisions/s with as_of folding, "
            f"{prefolded:>10,.0f}/s on a prefolded state"
        )
    verdict = "met" if results[10] >= GOAL else "NOT met"
    print(f"goal {GOAL:,}/s for 10 choices with folding: {verdict}")


if __name__ == "__main__":
    main()
