"""What every browser test does to a page: check it with axe-core, keep a picture.

axe-core is the npm package of package.json (node_modules/, installed by
scripts/bootstrap). A page passes when axe finds no violation of impact
serious or critical; lesser ones are printed, not failed. Each checked page
is saved as a full-page PNG into SCREENSHOTS (var/ is gitignored).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from kanta_consent.domain.identity import parse_identity_code

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(
    os.environ.get("KANTA_CONSENT_SCREENSHOTS", ROOT / "var" / "screenshots")
)
CHROMIUM = "/usr/bin/chromium"
FAILING = ("serious", "critical")

# Opens a fresh page whose browser asks for a locale (the open_page fixture).
OpenPage = Callable[..., Page]

# Names already used in this run, so no picture silently replaces another.
_taken: set[str] = set()
# Lesser findings of the run, printed once at its end.
minor_findings: list[str] = []


def axe_source() -> str:
    """Returns axe-core's script, telling how to install it when it is missing."""
    if not AXE.is_file():
        raise FileNotFoundError(f"{AXE}: run scripts/bootstrap (npm ci)")
    return AXE.read_text()


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core on the page as it is now and returns its violations."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """Returns the violations one per element: impact, rule id, target, help."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(
                f"  {violation['impact']}: {violation['id']} at {target}: "
                f"{violation['help']} ({summary})"
            )
    return "\n".join(lines)


def pictured() -> int:
    """Returns how many pages this run has pictured."""
    return len(_taken)


def screenshot(page: Page, name: str) -> Path:
    """Saves a full-page picture of the page under a name unique in the run."""
    if name in _taken:
        raise ValueError(f"screenshot name {name!r} is used twice in this run")
    _taken.add(name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True, animations="disabled")
    return path


def check_page(page: Page, name: str) -> None:
    """Saves the page's picture, then fails on a serious or critical axe finding."""
    page.wait_for_load_state("load")
    screenshot(page, name)
    violations = run_axe(page)
    failing = [v for v in violations if v["impact"] in FAILING]
    lesser = [v for v in violations if v["impact"] not in FAILING]
    if lesser:
        minor_findings.append(f"{name} ({page.url}):\n{describe(lesser)}")
    assert not failing, (
        f"axe-core found serious or critical violations on {name} ({page.url}):\n"
        + describe(failing)
    )


# The session cookies of each person already logged in, by portal address.
# A later test logs the person in again by these, skipping the provider's
# round trips; sessions are signed cookies, so each context has its own copy.
_sessions: dict[tuple[str, str], list[Any]] = {}


def log_in(
    page: Page, url: str, code: str, name: str | None = None, fresh: bool = False
) -> None:
    """Logs in at the built-in test provider by typing the identity code.

    The code travels in the form's body, never in an address. With `name`,
    the welcome page and the provider's page are checked on the way. A
    person logged in before on this portal is let in by their earlier
    session cookie, unless `name` or `fresh` asks for the whole login.
    """
    known = _sessions.get((url, code))
    if known and not (name or fresh):
        page.context.add_cookies(known)
        page.goto(url + "/portal/")
        # A session a test logged out of stays ended: the welcome page then
        # shows, and the person logs in again from the start.
        if not page.url.rstrip("/").endswith("/portal"):
            return
    page.goto(url + "/portal/")
    if name:
        check_page(page, f"{name}-welcome")
    page.click("#login")
    page.wait_for_url("**/portal/test-idp/authorize?**")
    if name:
        check_page(page, f"{name}-test-idp")
    page.fill("#code", code)
    page.click("#identify")
    page.wait_for_load_state("load")
    _sessions[(url, code)] = list(page.context.cookies(url))


def forget_logins(url: str) -> None:
    """Forgets the sessions of a portal that stopped; its port may be reused."""
    for key in [key for key in _sessions if key[0] == url]:
        del _sessions[key]


def pass_gate_if_asked(page: Page) -> None:
    """Acknowledges the notice when the portal asks for it (INF-2, REP-3).

    For tests whose subject lies past the gate, in a module where another
    test may already have passed it for the same person.
    """
    if page.url.endswith("/portal/notice"):
        page.click("#acknowledge")
        page.wait_for_load_state("load")


def act_for(page: Page, url: str, role: str, code: str) -> None:
    """Chooses whom to act for by role and birth year, as a person reads it.

    The principal's gate is passed if it is asked for.
    """
    year = str(parse_identity_code(code).birth_date.year)
    if not page.url.endswith("/portal/act-for"):
        page.goto(url + "/portal/act-for")
    page.locator(f"#principals button[data-role={role}]", has_text=year).click()
    page.wait_for_load_state("load")
    pass_gate_if_asked(page)
