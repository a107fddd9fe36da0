"""The one place where the parts are wired together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine

from kanta_consent.adapters.sql import SqlStore, create_schema, make_engine
from kanta_consent.adapters.sql import seed_calendar as _seed_calendar
from kanta_consent.domain.calendar import Calendar
from kanta_consent.services.ports import Store
from kanta_consent.settings import Settings, load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI


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


def create_app(*, demo: bool = False) -> FastAPI:
    """Builds the web application."""
    from kanta_consent.entrypoints.api.app import build_app

    return build_app(demo=demo)
