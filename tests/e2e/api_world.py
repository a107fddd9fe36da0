"""A running API over real HTTP: uvicorn on a loopback port, in a thread.

The world: three organisations and their registers, people whose codes are
test codes (ID-3), a care client for two registers and an operator. The
clock is fixed and the tests move it; nothing reads the wall clock.
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
import uvicorn

from kanta_consent.adapters.logging import configure_logging
from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.domain.choices import Target
from kanta_consent.domain.codes import RegisterKind, Scope, TargetKind
from kanta_consent.domain.identity import HELSINKI, check_character, parse_identity_code
from kanta_consent.domain.model import Organisation, Person, Register, ServiceEvent
from kanta_consent.entrypoints.api.app import build_app
from kanta_consent.services.clients import ClientService
from kanta_consent.services.consent import CareActor, ConsentService
from kanta_consent.settings import Settings

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI)


def hetu(born: date, number: int) -> str:
    """Returns a test code (900-999) born on the day, 1900s sign '-'."""
    digits = born.strftime("%d%m%y") + f"{number:03d}"
    sign = "-" if born.year < 2000 else "A"
    return born.strftime("%d%m%y") + sign + f"{number:03d}" + check_character(digits)


OID_A = "1.2.246.10.1111111.10.1"
OID_B = "1.2.246.10.2222222.10.1"

INFORMED = hetu(date(1980, 5, 17), 901)
PERMITTED = hetu(date(1975, 2, 14), 902)
PROHIBITED = hetu(date(1990, 7, 1), 903)
UNINFORMED = hetu(date(1985, 1, 9), 904)
MINOR = hetu(date(2012, 4, 4), 905)
UNKNOWN = hetu(date(1970, 12, 24), 906)


class FixedClock:
    """A clock the tests set."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


@dataclass
class Credentials:
    """A client's id and secret, as httpx's Basic auth."""

    id: str
    secret: str

    @property
    def auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(self.id, self.secret)


@dataclass
class World:
    """The running server and what it holds."""

    url: str
    store: Any  # a MemoryStore, or the SqlStore given to start_world
    clock: FixedClock
    care_a: Credentials
    care_b: Credentials
    operator: Credentials
    log_output: io.StringIO

    def client(self, who: Credentials | None = None) -> httpx.Client:
        """Returns an HTTP client of the server, authenticated as `who`."""
        return httpx.Client(
            base_url=self.url, auth=who.auth if who else None, timeout=10
        )


def build_store(store: Any = None) -> Any:
    """Fills the store (a new MemoryStore by default) with the world's
    directory, people and events, and returns it."""
    store = store if store is not None else MemoryStore()
    for org in (
        Organisation("org-a", public=True, name="County A"),
        Organisation("org-b", public=True, name="County B"),
        Organisation("org-p", public=False, name="Private Clinic"),
        Organisation("org-old", public=True, ended=date(2022, 12, 31)),
    ):
        store.add_organisation(org)
    for register in (
        Register("reg-a", "org-a", RegisterKind.PUBLIC_HEALTH, oid=OID_A),
        Register("reg-b", "org-b", RegisterKind.PUBLIC_HEALTH, oid=OID_B),
        Register("reg-s", "org-b", RegisterKind.PUBLIC_SOCIAL),
        Register("reg-p", "org-p", RegisterKind.PRIVATE_HEALTH),
        Register("reg-old", "org-old", RegisterKind.PUBLIC_HEALTH),
    ):
        store.add_register(register)
    for code in (INFORMED, PERMITTED, PROHIBITED, UNINFORMED, MINOR):
        store.add_person(Person(parse_identity_code(code)))
    store.add_event(ServiceEvent("ev-1", PROHIBITED, "reg-a", date(2024, 5, 1)))
    store.add_event(ServiceEvent("ev-2", INFORMED, "reg-a", date(2024, 6, 1)))
    return store


def seed_choices(store: Any) -> None:
    """Acknowledgements, a permission and a prohibition, made in care."""
    service = ConsentService(store)
    care = CareActor("reg-a", "ward 3")
    earlier = datetime(2024, 2, 1, 9, 0, tzinfo=HELSINKI)
    for code in (INFORMED, PERMITTED, PROHIBITED):
        service.acknowledge(care, code, earlier)
    service.grant(care, PERMITTED, _health(), earlier)

    service.prohibit(
        care, PROHIBITED, Target(TargetKind.SERVICE_EVENT, "ev-1"), earlier
    )


def _health():  # type: ignore[no-untyped-def]

    return Scope.HEALTH


def free_port() -> int:
    """Returns a loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(
    store: Any, clock: FixedClock, log_format: str = "json"
) -> Iterator[tuple[str, io.StringIO]]:
    """Runs the app on loopback until the generator is closed."""
    output = io.StringIO()
    configure_logging(log_format, stream=output)
    app = build_app(Settings(log_format=log_format), store, clock)
    port = free_port()
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
    try:
        yield f"http://127.0.0.1:{port}", output
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def start_world(store: Any = None) -> Iterator[World]:
    """Builds the world, issues its clients and serves it.

    The store is a MemoryStore unless an empty SqlStore is given.
    """
    store = build_store(store)
    seed_choices(store)
    clients = ClientService(store)
    issued = [
        clients.add("reg-a", NOW),
        clients.add("reg-b", NOW),
        clients.add("reg-a", NOW, operator=True),
    ]
    care_a, care_b, operator = (Credentials(i.client.id, i.secret) for i in issued)
    clock = FixedClock(NOW)
    for url, output in serve(store, clock):
        yield World(url, store, clock, care_a, care_b, operator, output)


# Every route that asks for a client, with a body of its own.
BODY_ROUTES = [
    "/api/v1/decisions",
    "/api/v1/decisions/batch",
    "/api/v1/choices",
    "/cds-services/patient-consent-consult",
    "/fhir/Consent/_search",
    "/fhir/Consent",
]
