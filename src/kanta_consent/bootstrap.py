"""The one place where the parts are wired together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.domain.calendar import Calendar
from kanta_consent.services.ports import Store

if TYPE_CHECKING:
    from fastapi import FastAPI


def scenario_store(calendar: Calendar) -> Store:
    """Returns a fresh, empty store for one scenario."""
    return MemoryStore(calendar)


def create_app(*, demo: bool = False) -> FastAPI:
    """Builds the web application."""
    from kanta_consent.entrypoints.api.app import build_app

    return build_app(demo=demo)
