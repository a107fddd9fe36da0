"""The SQL store: SQLAlchemy models, the repository and the schema's upkeep."""

from __future__ import annotations

from kanta_consent.adapters.sql.engine import make_engine
from kanta_consent.adapters.sql.schema import create_schema, seed_calendar
from kanta_consent.adapters.sql.store import SqlStore

__all__ = ["SqlStore", "create_schema", "make_engine", "seed_calendar"]
