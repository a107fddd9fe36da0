"""Fixtures of the browser tests: one chromium per run, one portal per module.

Playwright drives Debian's /usr/bin/chromium (scripts/bootstrap installs
it); `playwright install` is never run. Each test gets a fresh browser
context, so cookies and language never leak from one test to the next,
while the portal of its module keeps the store the module's tests share.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import CHROMIUM, SCREENSHOTS, OpenPage, minor_findings, pictured
from browser_world import Portal, demo_data, start_portal
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    expect,
    sync_playwright,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Iterator[None]:
    # The open_page fixture pictures the pages of a test that failed.
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not pictured():
        return
    terminalreporter.write_line(
        f"browser tests: {pictured()} screenshots in {SCREENSHOTS}"
    )
    if minor_findings:
        terminalreporter.write_line("axe-core, moderate and minor findings:")
        for finding in minor_findings:
            terminalreporter.write_line(finding)


# Two cores shared by several engineers make a page take seconds at times:
# actions and expectations wait up to ten, which a working page never needs.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, shared by every browser test of the run."""
    # Chromium's sandbox needs user namespaces, which root in a container lacks.
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=args
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """The portal with the demo people and the built-in test login."""
    yield from start_portal(demo_data(tmp_path_factory.mktemp("portal")))


@pytest.fixture
def fresh_portal(tmp_path: Path) -> Iterator[Portal]:
    """A portal of its own, for a test that needs demo data nobody touched."""
    yield from start_portal(demo_data(tmp_path))


@pytest.fixture
def open_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[OpenPage]:
    """Opens a page in a context of its own, by default in English with scripts.

    When the test fails, each of its pages is saved as FAILED-<test>-<n>.png.
    """
    contexts: list[BrowserContext] = []

    def open_one(locale: str = "en-GB", javascript: bool = True) -> Page:
        context = browser.new_context(
            locale=locale,
            timezone_id="Europe/Helsinki",
            viewport=VIEWPORT,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_one
    if request.node.stash.get(CALL_FAILED, False):
        _picture_failure(request.node.name, contexts)
    for context in contexts:
        context.close()


def _picture_failure(test: str, contexts: list[BrowserContext]) -> None:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", test)
    pages = [page for context in contexts for page in context.pages]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages, 1):
        page.screenshot(
            path=SCREENSHOTS / f"FAILED-{name}-{number}.png", full_page=True
        )


VIEWPORT = {"width": 1024, "height": 768}


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """A fresh page whose browser asks for English."""
    return open_page()
