"""The one place where the parts are wired together."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import structlog
from sqlalchemy import Engine, func, select

from kanta_consent.adapters.sql import SqlStore, create_schema, make_engine
from kanta_consent.adapters.sql import seed_calendar as _seed_calendar
from kanta_consent.adapters.sql.rows import person_of
from kanta_consent.adapters.sql.tables import PersonRow
from kanta_consent.domain.calendar import Calendar
from kanta_consent.services.demo_people import (
    RESERVED,
    DemoIdentity,
    curated_identities,
)
from kanta_consent.services.ports import Clock, Store
from kanta_consent.settings import Settings, load_settings

logger = structlog.get_logger(__name__)

if TYPE_CHECKING:
    from fastapi import FastAPI

    from kanta_consent.services.demo_load import LoadProgress


def build_engine(settings: Settings | None = None) -> Engine:
    """Returns the engine of the configured database (KANTA_CONSENT_DATABASE_URL)."""
    return make_engine((settings or load_settings()).database_url)


def build_store(settings: Settings | None = None) -> SqlStore:
    """Returns the store of the configured database, as migrated."""
    return SqlStore(build_engine(settings))


def upgrade_database(settings: Settings | None = None) -> None:
    """Brings the configured database to the newest schema (`db upgrade`)."""
    from kanta_consent.adapters.sql.migrate import upgrade

    engine = build_engine(settings)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def scenario_store(calendar: Calendar) -> Store:
    """Returns a fresh SQLite store in memory, holding the scenario's calendar."""
    store = SqlStore(make_engine("sqlite://"))
    create_schema(store.engine)
    _seed_calendar(store, calendar)
    return store


def create_app(
    *,
    demo: bool = False,
    settings: Settings | None = None,
    clock: Clock | None = None,
    progress: LoadProgress | None = None,
) -> FastAPI:
    """Builds the web application over the configured database, upgraded.

    With `demo`, an empty store is first loaded with the demo data, and the
    test login lists the curated demo people; without it nothing but the
    schema and the default calendar is ever written.
    """
    from kanta_consent.adapters.clock import SystemClock
    from kanta_consent.adapters.sql.migrate import upgrade
    from kanta_consent.entrypoints.api.app import build_app

    settings = settings or load_settings()
    clock = clock or SystemClock()
    store = build_store(settings)
    upgrade(store.engine)
    app = build_app(settings, store, clock, demo=demo)
    if demo:
        app.state.demo_identities = prepare_demo(store, settings, clock, progress)
    return app


def prepare_demo(
    store: SqlStore,
    settings: Settings,
    clock: Clock,
    progress: LoadProgress | None = None,
) -> list[DemoIdentity]:
    """Loads the demo into an empty store; returns the curated people stored."""
    from kanta_consent.services.demo_load import load_demo

    if not is_empty(store):
        # A store that holds people is never loaded again, demo or not.
        identities = demo_identities(store)
        logger.info("demo_data_kept", curated=len(identities))
        return identities
    with tempfile.TemporaryDirectory(prefix="kanta-consent-demo-") as folder:
        load_demo(
            store, clock.now(), settings.demo_people, Path(folder), progress=progress
        )
    return demo_identities(store)


def is_empty(store: SqlStore) -> bool:
    """Tells whether the store holds no person at all."""
    with store.engine.connect() as conn:
        return conn.execute(select(PersonRow.code).limit(1)).first() is None


def demo_identities(store: SqlStore) -> list[DemoIdentity]:
    """Finds the curated demo people by their reserved individual numbers.

    They are found the same way on every start, so that a store loaded on
    another day lists the same people (ID-3: the numbers are test numbers).
    """
    # A code is DDMMYY, the century sign, then the individual number.
    number = func.substr(PersonRow.code, 8, 3)
    reserved = [f"{n:03d}" for n in RESERVED]
    query = select(PersonRow.__table__).where(number.in_(reserved))
    with store.engine.connect() as conn:
        people = [person_of(row) for row in conn.execute(query)]
    return curated_identities(sorted(people, key=lambda p: p.id))
