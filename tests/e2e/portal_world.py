"""The portal over real HTTP: uvicorn on loopback, a SQLite store, the demo people.

The world is the demo people of services/demo_people, dated from the fixed
moment `NOW`; the application is built with demo=True, so the built-in
test identity provider answers, and `app.state.demo_identities` lists the
people as `serve --demo` does. A `Browser` is an httpx client that follows
redirects and fills in forms from the pages it gets, as a person without
JavaScript would.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from kanta_consent.adapters.sql import (
    SqlStore,
    create_schema,
    make_engine,
    seed_calendar,
)
from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.entrypoints.api.app import build_app
from kanta_consent.services import demo_people
from kanta_consent.services.demo_people import DemoPeople
from kanta_consent.settings import Settings

# After every default date of the calendar: the 2023-11 notice is current and
# all scopes and targets are available.
NOW = datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI)


class FixedClock:
    """A clock the tests set."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


class _Forms(HTMLParser):
    """Collects each form's action and its fields' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.forms.append({"action": found.get("action", ""), "fields": []})
        elif tag in ("input", "button") and self.forms and found.get("name"):
            self.forms[-1]["fields"].append(
                (tag, found.get("type") or "", found["name"], found.get("value") or "")
            )


def hidden_fields(html: str, action: str, index: int = 0) -> dict[str, str]:
    """Returns the hidden fields of the index-th form posting to `action`."""
    parser = _Forms()
    parser.feed(html)
    forms = [f for f in parser.forms if f["action"] == action]
    assert len(forms) > index, f"no form {index} to {action}"
    return {
        name: value
        for tag, kind, name, value in forms[index]["fields"]
        if tag == "input" and kind == "hidden"
    }


def form_values(html: str, action: str, name: str) -> list[str]:
    """Returns the values of a field `name` over every form posting to `action`."""
    parser = _Forms()
    parser.feed(html)
    return [
        value
        for form in parser.forms
        if form["action"] == action
        for _, _, field, value in form["fields"]
        if field == name
    ]


def csrf_of(html: str) -> str:
    """Returns the CSRF token the page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@dataclass
class PortalWorld:
    """The running portal, its store, its clock and the demo people."""

    url: str
    app: FastAPI
    store: SqlStore
    clock: FixedClock
    people: DemoPeople
    browsers: list[httpx.Client] = field(default_factory=list)

    def browser(self, language: str = "en") -> httpx.Client:
        """Returns a cookie-keeping client that follows redirects."""
        client = httpx.Client(
            base_url=self.url,
            follow_redirects=True,
            timeout=20,
            headers={"Accept-Language": language},
        )
        self.browsers.append(client)
        return client

    def login(self, browser: httpx.Client, code: str) -> httpx.Response:
        """Logs in as `code` through the test identity provider's page."""
        page = browser.get("/portal/login")
        assert page.url.path == "/portal/test-idp/authorize", page.url
        fields = hidden_fields(page.text, "/portal/test-idp/authorize")
        fields["code"] = code
        return browser.post("/portal/test-idp/authorize", data=fields)

    def enter(self, code: str, language: str = "en") -> httpx.Client:
        """Logs in as `code` and acknowledges the notice if the gate asks."""
        browser = self.browser(language)
        page = self.login(browser, code)
        if page.url.path == "/portal/notice":
            submit(browser, page, "/portal/notice/acknowledge")
        return browser

    def snapshot(self, *codes: str) -> dict[str, Any]:
        """Returns the people's choices and log entries, to compare before/after."""
        return {
            code: (
                [c.id for c in self.store.choices_of(code)],
                len(list(self.store.log_entries(code))),
            )
            for code in codes
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_portal(
    folder: Path, demo: bool = True, settings: Settings | None = None
) -> Iterator[PortalWorld]:
    """Builds the store and the demo people, and serves the portal on loopback."""
    engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
    create_schema(engine)
    store = SqlStore(engine)
    seed_calendar(store, Calendar())
    people = demo_people.load(store, NOW.date())
    clock = FixedClock(NOW)
    settings = settings or Settings(secret_key="portal-e2e")
    app = build_app(settings, store, clock, demo=demo)
    if demo:
        app.state.demo_identities = people.identities()
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    assert server.started, "uvicorn did not start"
    world = PortalWorld(f"http://127.0.0.1:{port}", app, store, clock, people)
    try:
        yield world
    finally:
        for client in world.browsers:
            client.close()
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


def act_for(browser: httpx.Client, index: int) -> httpx.Response:
    """Picks the index-th person (0: oneself) on the page "Whom to act for"."""
    page = browser.get("/portal/act-for")
    return browser.post(
        "/portal/act-for", data=hidden_fields(page.text, "/portal/act-for", index)
    )


def submit(
    browser: httpx.Client, page: httpx.Response, action: str, **values: str
) -> httpx.Response:
    """Posts the page's first form to `action` with `values` filled in."""
    fields = hidden_fields(page.text, action)
    fields.update(values)
    return browser.post(action, data=fields)


def change(browser: httpx.Client, **values: str) -> httpx.Response:
    """Previews a change on "Management of the use of data" and confirms it."""
    page = browser.get("/portal/management")
    data = {"csrf": csrf_of(page.text), **values}
    preview = browser.post("/portal/management/preview", data=data)
    assert preview.status_code == 200, preview.text
    return submit(browser, preview, "/portal/management/confirm")
