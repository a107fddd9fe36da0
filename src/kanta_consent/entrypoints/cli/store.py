"""The store the operator's commands work on, with logging set up for them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kanta_consent.adapters.sql import SqlStore


@contextmanager
def operator_store() -> Iterator[SqlStore]:
    """Yields the configured database's store, upgraded to the newest schema.

    Logging goes to standard error, masked (adapters/logging.py); Alembic's
    notes on each start are left out, its warnings kept.
    """
    from kanta_consent.adapters.logging import configure_logging
    from kanta_consent.bootstrap import build_store, upgrade_database
    from kanta_consent.settings import load_settings

    settings = load_settings()
    configure_logging(settings.log_format)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    upgrade_database(settings)
    store = build_store(settings)
    try:
        yield store
    finally:
        store.engine.dispose()
