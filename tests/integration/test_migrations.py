"""The migration history, on SQLite and PostgreSQL: it builds what the models say."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect
from typer.testing import CliRunner

from kanta_consent.adapters.sql import SqlStore
from kanta_consent.adapters.sql.migrate import (
    current_revision,
    differences,
    downgrade,
    upgrade,
)
from kanta_consent.adapters.sql.tables import metadata
from kanta_consent.bootstrap import scenario_store
from kanta_consent.domain.calendar import (
    DEFAULT_NOTICE_VERSIONS,
    DEFAULTS,
    Setting,
    calendar_with_overrides,
)
from kanta_consent.entrypoints.cli.main import app

HEAD = "0006"


def test_the_migrations_build_exactly_the_schema_of_the_models(engine: Engine) -> None:
    upgrade(engine)

    assert differences(engine) == []
    assert current_revision(engine) == HEAD


def test_inf_1_cal_1_the_first_upgrade_seeds_the_default_calendar_and_texts(
    engine: Engine,
) -> None:
    upgrade(engine)
    store = SqlStore(engine)

    calendar = store.calendar()

    assert dict(calendar.base) == dict(DEFAULTS)
    assert {v.version: v.current_from for v in calendar.notice_versions} == dict(
        DEFAULT_NOTICE_VERSIONS
    )
    assert all(
        set(store.notice_texts(version)) == {"fi", "sv", "en"}
        for version in DEFAULT_NOTICE_VERSIONS
    )


def test_inf_7_the_notice_from_2023_11_tells_that_social_data_is_shown(
    engine: Engine,
) -> None:
    upgrade(engine)

    texts = SqlStore(engine).notice_texts("2023-11")

    assert "social welfare" in texts["en"]
    assert "sosiaalihuollon" in texts["fi"]


def test_downgrading_to_base_removes_every_table_and_upgrading_again_works(
    engine: Engine,
) -> None:
    upgrade(engine)

    downgrade(engine, "base")
    left = set(inspect(engine).get_table_names()) - {"alembic_version"}
    upgrade(engine)

    assert left == set()
    assert set(inspect(engine).get_table_names()) >= set(metadata.tables)


def test_db_upgrade_migrates_the_configured_database(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KANTA_CONSENT_DATABASE_URL", database_url)

    result = CliRunner().invoke(app, ["db", "upgrade"])
    again = CliRunner().invoke(app, ["db", "upgrade"])

    assert (result.exit_code, result.output) == (0, f"database at revision {HEAD}\n")
    assert (again.exit_code, again.output) == (0, f"database at revision {HEAD}\n")
    assert differences(engine) == []


def test_cal_1_a_scenario_store_is_fresh_and_holds_the_scenarios_calendar() -> None:
    calendar = calendar_with_overrides(
        {Setting.PERMISSION_WELLBEING: DEFAULTS[Setting.REFORM]},
        {"2025-01": DEFAULTS[Setting.REFORM]},
    )

    first = scenario_store(calendar)
    second = scenario_store(calendar)
    stored = first.calendar()

    assert first is not second
    assert (stored.base, stored.changes) == (calendar.base, calendar.changes)
    assert set(stored.notice_versions) == set(calendar.notice_versions)
    assert list(first.log_entries()) == []
