"""Creating the schema without migrations, and seeding a calendar into it.

`create_schema` is for throw-away stores (scenarios, tests); a kept database
is made and upgraded by the migrations, which a test proves equal to it.
"""

from __future__ import annotations

from sqlalchemy import Engine

from kanta_consent.adapters.sql.store import SqlStore
from kanta_consent.adapters.sql.tables import metadata
from kanta_consent.domain.calendar import Calendar


def create_schema(engine: Engine) -> None:
    """Creates every table and index of the models in an empty database."""
    metadata.create_all(engine)


def seed_calendar(store: SqlStore, calendar: Calendar) -> None:
    """Stores a calendar's base values, changes and notice versions."""
    with store.transaction():
        store.set_base_settings(calendar.base)
        for change in calendar.changes:
            store.add_setting_change(change)
        for version in calendar.notice_versions:
            store.add_notice_version(version)
