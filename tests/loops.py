"""Running a coroutine in a test, beside the browser tests' event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_on_own_loop(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Runs the coroutine on an event loop of its own thread.

    The browser tests' Playwright keeps a loop running in the main thread for
    the whole session, and asyncio.run refuses to start beside it.
    """
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(lambda: asyncio.run(main())).result()
