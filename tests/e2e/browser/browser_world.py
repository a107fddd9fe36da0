"""A running portal for the browser tests: uvicorn on loopback, in a thread.

The store is a SQLite file holding the demo people of services/demo_people,
dated from the fixed clock's day; nothing reads the wall clock. `demo=True`
gives the built-in test identity provider; without it the portal logs in
through whatever OpenID Connect provider the settings name.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import uvicorn
from browser_kit import forget_logins
from fastapi import FastAPI

from kanta_consent.adapters.logging import configure_logging
from kanta_consent.adapters.sql import SqlStore, create_schema, make_engine
from kanta_consent.adapters.sql import seed_calendar as seed
from kanta_consent.domain.calendar import Calendar
from kanta_consent.domain.identity import HELSINKI
from kanta_consent.entrypoints.api.app import build_app
from kanta_consent.services import demo_people
from kanta_consent.services.demo_people import DemoPeople
from kanta_consent.settings import Settings

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PEER_SCRIPT = HERE / "oidc_peer.mjs"

# A Monday morning in Finnish time, long after every notice version began.
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI)


class FixedClock:
    """A clock the tests set; the portal reads it from app.state.clock."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


@dataclass
class Portal:
    """The running portal and what it holds."""

    url: str
    app: FastAPI
    store: SqlStore
    clock: FixedClock
    people: DemoPeople
    log: io.StringIO


def free_port() -> int:
    """Returns a loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class DemoData:
    """A store holding the demo people, and the fixed clock they are dated by."""

    store: SqlStore
    people: DemoPeople
    clock: FixedClock


def demo_data(folder: Path) -> DemoData:
    """Returns a SQLite store in `folder` holding the demo people of NOW's day."""
    clock = FixedClock(NOW)
    store = SqlStore(make_engine(f"sqlite:///{folder / 'portal.db'}"))
    create_schema(store.engine)
    seed(store, Calendar())
    people = demo_people.load(store, clock.now().astimezone(HELSINKI).date())
    return DemoData(store, people, clock)


def serve(app: FastAPI, port: int) -> Iterator[str]:
    """Runs the app on the loopback port until the generator is closed."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(1000):
        if server.started or not thread.is_alive():
            break
        time.sleep(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def start_portal(
    data: DemoData, *, demo: bool = True, port: int = 0, **settings: str
) -> Iterator[Portal]:
    """Serves the portal over the demo data until the generator is closed.

    `demo` gives the built-in test login; `settings` are Settings fields
    (an OpenID Connect provider's, say). The portal's public address is its
    loopback one.
    """
    port = port or free_port()
    # The log goes to a buffer of this portal's, never to a stream that an
    # earlier test configured and may have closed since.
    log = io.StringIO()
    configure_logging("json", stream=log)
    configured = Settings(
        log_format="json", public_url=f"http://127.0.0.1:{port}", **settings
    )
    app = build_app(configured, data.store, data.clock, demo=demo)
    # The demo people are already stored: the test login lists these.
    app.state.demo_identities = data.people.identities()
    try:
        for url in serve(app, port):
            yield Portal(url, app, data.store, data.clock, data.people, log)
            forget_logins(url)
    finally:
        data.store.engine.dispose()


@dataclass(frozen=True)
class Peer:
    """A running OpenID Connect provider and the portal's client at it."""

    issuer: str
    client_id: str
    client_secret: str
    claim: str


def run_oidc_peer(
    folder: Path, redirect_uri: str, claim: str, accounts: dict[str, str | None]
) -> Iterator[Peer]:
    """Runs tests/e2e/browser/oidc_peer.mjs under node until closed.

    `accounts` maps the account ids typed at its login to identity codes,
    which the provider hands out in the claim named `claim` (None: no claim).
    """
    port = free_port()
    peer = Peer(f"http://127.0.0.1:{port}", "kanta-portal", "peer-secret-1", claim)
    env = os.environ | {
        "PEER_CLIENT_ID": peer.client_id,
        "PEER_CLIENT_SECRET": peer.client_secret,
        "PEER_REDIRECT_URI": redirect_uri,
        "PEER_CLAIM": claim,
        "PEER_ACCOUNTS": json.dumps(accounts),
    }
    output = folder / "oidc_peer.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            ["node", str(PEER_SCRIPT), str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_discovery(peer, process, output)
        yield peer
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_discovery(
    peer: Peer, process: subprocess.Popen[bytes], log: Path
) -> None:
    url = peer.issuer + "/.well-known/openid-configuration"
    for _ in range(300):
        if process.poll() is not None:
            break
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError(f"oidc_peer.mjs did not answer at {url}:\n{log.read_text()}")
