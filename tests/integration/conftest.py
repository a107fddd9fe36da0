"""Fixtures of the integration tests: every store test runs on SQLite and PostgreSQL.

PostgreSQL is the server of KANTA_CONSENT_TEST_POSTGRES_URL (by default the
local one). The session creates its own uniquely named database and drops
it at the end; each test gets a schema of its own in it, so that tests
never see each other's rows and parallel runs never collide.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from kanta_consent.adapters.sql import SqlStore, create_schema, make_engine
from kanta_consent.adapters.sql import seed_calendar as seed
from kanta_consent.domain.calendar import Calendar


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on an empty database, SQLite or PostgreSQL."""
    made = make_engine(database_url)
    yield made
    made.dispose()


@pytest.fixture
def store(engine: Engine) -> SqlStore:
    """A store with the schema of the models and the default calendar."""
    create_schema(engine)
    made = SqlStore(engine)
    seed(made, Calendar())
    return made
