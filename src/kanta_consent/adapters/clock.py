"""The system clock: the only place that reads the wall clock."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Returns the present moment in UTC."""

    def now(self) -> datetime:
        """Returns the present moment, timezone-aware."""
        return datetime.now(UTC)
