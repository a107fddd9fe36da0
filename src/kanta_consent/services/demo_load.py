"""Loading the demo into an empty store, through the import services.

The generated files (services/demo_population.py) are imported as an
operator imports them (services/imports.py), so every demo start proves
the imports; a refused row stops the load. The curated people then make
their choices of today's law in the portal's own use case, and one of them
has data disclosed in an emergency, so that the portal has something to
show for each situation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import structlog

from kanta_consent.domain.codes import Purpose, RegisterKind, Scope
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.services.consent import ConsentService, PortalActor
from kanta_consent.services.demo_directory import register_id
from kanta_consent.services.demo_people import ROLES, DemoIdentity, describe
from kanta_consent.services.demo_population import (
    SEED,
    Counts,
    csv_sink,
    files_of,
    generate,
)
from kanta_consent.services.imports import ImportReport, count_rows, import_file
from kanta_consent.services.ports import Store

logger = structlog.get_logger(__name__)

LoadProgress = Callable[[str, int, int], None]
"""Told the step, how far it has come and how far it goes."""

IMPORT_BATCH = 5000


class DemoLoadError(Exception):
    """The demo data did not import whole: a kind refused rows."""


@dataclass
class DemoLoad:
    """What a demo load wrote: rows generated, import reports, the curated."""

    counts: Counts
    reports: list[ImportReport] = field(default_factory=list)
    identities: list[DemoIdentity] = field(default_factory=list)


def load_demo(
    store: Store,
    now: datetime,
    people: int,
    folder: Path,
    *,
    seed: int = SEED,
    progress: LoadProgress | None = None,
) -> DemoLoad:
    """Generates the demo into `folder`, imports it, and acts for the curated."""
    today = now.astimezone(HELSINKI).date()
    with csv_sink(folder) as sink:
        counts = generate(
            sink, people, today, seed=seed, progress=_step(progress, "generate", people)
        )
    loaded = DemoLoad(counts)
    # One transaction for the whole load: a start stopped halfway leaves the
    # store empty, and the next start loads it again from the beginning.
    with store.transaction():
        for kind, path in files_of(folder):
            loaded.reports.append(_import(store, kind, path, now, progress))
        act_for_curated(store, counts.curated, today)
    loaded.identities = [describe(r, counts.curated[r.key]) for r in ROLES]
    logger.info("demo_loaded", people=people, rows=counts.total)
    return loaded


def _import(
    store: Store, kind: str, path: Path, now: datetime, progress: LoadProgress | None
) -> ImportReport:
    report = import_file(
        store,
        kind,
        path,
        now,
        batch_size=IMPORT_BATCH,
        progress=_step(progress, kind, count_rows(path)),
    )
    if report.problems:
        first = report.problems[0]
        raise DemoLoadError(f"{kind}: {report.summary()}; first: {first}")
    return report


def _step(
    progress: LoadProgress | None, step: str, total: int
) -> Callable[[int], None] | None:
    if progress is None:
        return None
    progress(step, 0, total)
    return lambda done: progress(step, done, total)


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), HELSINKI)


def act_for_curated(store: Store, curated: dict[str, str], today: date) -> None:
    """Makes the curated people's choices of today's law, and their disclosures."""
    service = ConsentService(store)
    earlier = _noon(today - timedelta(days=10))
    # INF-2: these have acknowledged the notice in the portal; the others
    # have only the earlier law's informing (INF-5) or nothing.
    for key in (
        "permission",
        "parent",
        "mandate-holder",
        "many-events",
        "prohibition",
        "emergency",
    ):
        service.acknowledge(PortalActor(curated[key]), curated[key], earlier)
    person = curated["permission"]
    service.grant(PortalActor(person), person, Scope.HEALTH, earlier + _minutes(5))
    # REP-4: a guardian acknowledges and gives permissions for a child.
    parent, child = curated["parent"], curated["child-16"]
    service.acknowledge(PortalActor(parent), child, earlier + _minutes(10))
    service.grant(PortalActor(parent), child, Scope.HEALTH, earlier + _minutes(11))
    _disclose(service, store, curated, today)


def _minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


def _disclose(
    service: ConsentService, store: Store, curated: dict[str, str], today: date
) -> None:
    # DIS-7: the permission lets a private clinic see the care; DIS-9: the
    # emergency person's data reached another county's hospital.
    moment = _noon(today - timedelta(days=3))
    private = register_id("laakarikeskus-kuusikko", RegisterKind.PRIVATE_HEALTH)
    elsewhere = register_id("pirkanmaa", RegisterKind.PUBLIC_HEALTH)
    queries = []
    for key, recipient, purpose in (
        ("permission", private, Purpose.CARE),
        ("emergency", elsewhere, Purpose.EMERGENCY),
    ):
        event = _health_event(store, curated[key], exclude=recipient)
        if event is not None:
            person, data = service.event_data(event)
            queries.append((person, data, recipient, purpose))
    service.decide_many(queries, moment)


def _health_event(store: Store, person: str, exclude: str) -> str | None:
    directory = store.directory()
    for event in reversed(store.events_of(person)):
        register = directory.registers[event.register]
        if event.register != exclude and register.kind is RegisterKind.PUBLIC_HEALTH:
            return event.id
    return None
