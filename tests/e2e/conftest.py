"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_world import World, start_world
from portal_world import PortalWorld, start_portal

from kanta_consent.adapters.sql import SqlStore, create_schema, make_engine
from kanta_consent.adapters.sql import seed_calendar as seed
from kanta_consent.domain.calendar import Calendar


@pytest.fixture
def world() -> Iterator[World]:
    """A fresh world served over loopback HTTP for one test."""
    yield from start_world()


@pytest.fixture
def sql_world(database_url: str) -> Iterator[World]:
    """The API world over a SqlStore, on SQLite and on PostgreSQL."""
    engine = make_engine(database_url)
    create_schema(engine)
    store = SqlStore(engine)
    seed(store, Calendar())
    try:
        yield from start_world(store)
    finally:
        engine.dispose()


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalWorld]:
    """The portal over loopback HTTP with the demo people, for one test."""
    yield from start_portal(tmp_path)
