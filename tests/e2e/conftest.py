"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_world import World, start_world
from portal_world import PortalWorld, start_portal


@pytest.fixture
def world() -> Iterator[World]:
    """A fresh world served over loopback HTTP for one test."""
    yield from start_world()


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[PortalWorld]:
    """The portal over loopback HTTP with the demo people, for one test."""
    yield from start_portal(tmp_path)
