"""The service's wiring: the SQL store, upgraded at start, tuned for threads."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kanta_consent.adapters.logging import configure_logging
from kanta_consent.adapters.sql import SqlStore
from kanta_consent.adapters.sql.migrate import current_revision
from kanta_consent.adapters.sql.tables import LogEntryRow, PersonRow
from kanta_consent.bootstrap import create_app
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.settings import Settings

NOW = datetime(2026, 3, 16, 9, 30, tzinfo=HELSINKI)


@pytest.fixture(autouse=True)
def _quiet_logging() -> Iterator[io.StringIO]:
    # The demo load logs each import; a stream of the test's own takes it.
    output = io.StringIO()
    configure_logging("json", stream=output)
    yield output


class FixedClock:
    def now(self) -> datetime:
        return NOW


def test_the_app_runs_on_a_sqlite_file_in_wal_mode_with_a_busy_timeout(
    tmp_path: Path,
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'var' / 'k.db'}")

    store: SqlStore = create_app(settings=settings, clock=FixedClock()).state.store
    with store.engine.connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar_one()
        timeout = conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
    revision = current_revision(store.engine)
    store.engine.dispose()

    assert (mode, timeout) == ("wal", 30_000)
    assert revision is not None


def test_create_app_upgrades_the_database_and_writes_no_demo_data_without_demo(
    database_url: str,
) -> None:
    settings = Settings(database_url=database_url, demo_people=50)

    app = create_app(settings=settings, clock=FixedClock())
    store: SqlStore = app.state.store
    with store.engine.connect() as conn:
        people = conn.execute(select(func.count()).select_from(PersonRow)).scalar()
        log = conn.execute(select(func.count()).select_from(LogEntryRow)).scalar()
    store.engine.dispose()

    assert (people, log) == (0, 0)
    assert getattr(app.state, "demo_identities", None) is None


def test_create_app_with_demo_loads_once_and_finds_the_same_people_again(
    database_url: str,
) -> None:
    settings = Settings(database_url=database_url, demo_people=60)

    first = create_app(demo=True, settings=settings, clock=FixedClock())
    first.state.store.engine.dispose()
    second = create_app(demo=True, settings=settings, clock=FixedClock())
    store: SqlStore = second.state.store
    with store.engine.connect() as conn:
        people = conn.execute(select(func.count()).select_from(PersonRow)).scalar()
    store.engine.dispose()

    assert people == 60
    assert second.state.demo_identities == first.state.demo_identities
    assert len(first.state.demo_identities) == 11
