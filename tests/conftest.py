"""Fixtures every tier shares: an empty database of either kind.

PostgreSQL is the server of KANTA_CONSENT_TEST_POSTGRES_URL (by default the
local one). A test session that needs it creates its own uniquely named
database and drops it at the end; each test gets a schema of its own in it,
so that tests never see each other's rows and parallel runs never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from kanta_consent.adapters.sql import make_engine

SERVER = os.environ.get(
    "KANTA_CONSENT_TEST_POSTGRES_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[URL]:
    """The URL of a database made for this test session, dropped after it."""
    admin = make_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"kanta_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin.url.set(database=name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    url: URL = request.getfixturevalue("postgres_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        # psycopg takes libpq's options from the URL, so the CLI, other
        # processes and the store all land in this schema alike.
        selected = url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield selected.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
