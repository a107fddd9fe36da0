"""Fixtures of the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_world import World, start_world


@pytest.fixture
def world() -> Iterator[World]:
    """A fresh world served over loopback HTTP for one test."""
    yield from start_world()
