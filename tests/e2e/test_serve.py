"""`kanta-consent serve` as the operator starts it: a real process, real HTTP.

The database is a SQLite file of the test's own; the service upgrades it at
start. Without --demo nothing but the schema and the default calendar is
written; with --demo an empty store is loaded once, and a second start on
the same file loads nothing and lists the same demo people.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, table

from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.services.demo_people import ROLES

CLI = Path(sys.executable).parent / "kanta-consent"
DEMO_PEOPLE = 250
# Attempts of 0.2 s each: two minutes for a service to answer /health.
ATTEMPTS = 600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(
    folder: Path, database: str, *args: str, logged: list[str] | None = None
) -> Iterator[str]:
    """Runs `kanta-consent serve ARGS` in the folder until the block ends; what
    it logged is added to `logged` once it has stopped."""
    logged = [] if logged is None else logged
    port = free_port()
    env = {
        **os.environ,
        "KANTA_CONSENT_DATABASE_URL": database,
        "KANTA_CONSENT_DEMO_PEOPLE": str(DEMO_PEOPLE),
        "KANTA_CONSENT_LOG_FORMAT": "json",
    }
    command = [str(CLI), "serve", "--port", str(port), *args]
    with subprocess.Popen(
        command,
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_for_health(process, url)
            yield url
        finally:
            process.terminate()
            _, errors = process.communicate(timeout=30)
            logged.append(errors)


def _wait_for_health(process: subprocess.Popen[str], url: str) -> None:
    for _ in range(ATTEMPTS):
        if process.poll() is not None:
            raise AssertionError(f"serve exited {process.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url}/health did not answer")


def count(database: Path, name: str) -> int:
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(select(func.count()).select_from(table(name))).scalar_one()
            )
    finally:
        engine.dispose()


def listed_people(url: str) -> list[str]:
    """The codes the test login lists, as a person sees them."""
    page = httpx.get(f"{url}/portal/login", follow_redirects=True, timeout=30)
    assert page.status_code == 200
    return re.findall(r"\((\d{6}[-A]\d{3}[0-9A-Y])\)</label>", page.text)


def test_serve_answers_health_and_openapi_on_a_relative_sqlite_path_under_var(
    tmp_path: Path,
) -> None:
    database = tmp_path / "var" / "service.db"

    with serving(tmp_path, "sqlite:///var/service.db") as url:
        health = httpx.get(f"{url}/health", timeout=10)
        openapi = httpx.get(f"{url}/openapi.json", timeout=10)
        pages = [httpx.get(f"{url}{path}", timeout=10) for path in ("/docs", "/redoc")]

    assert health.json() == {"status": "ok"}
    assert "/api/v1/decisions" in openapi.json()["paths"]
    assert database.exists()
    # The interactive pages load Swagger UI from a CDN: under --demo only.
    assert [page.status_code for page in pages] == [404, 404]


def test_serve_without_demo_writes_no_people_events_choices_or_log(
    tmp_path: Path,
) -> None:
    database = tmp_path / "service.db"

    with serving(tmp_path, f"sqlite:///{database}"):
        pass

    written = {
        name: count(database, name)
        for name in ("persons", "service_events", "choices", "log_entries")
    }
    assert written == dict.fromkeys(written, 0)
    assert count(database, "calendar_settings") > 0


def test_serve_demo_loads_an_empty_store_once_and_lists_the_same_people_again(
    tmp_path: Path,
) -> None:
    database = tmp_path / "demo.db"

    with serving(tmp_path, f"sqlite:///{database}", "--demo") as url:
        first = listed_people(url)
        docs = httpx.get(f"{url}/docs", timeout=10)
    people, log = count(database, "persons"), count(database, "log_entries")
    with serving(tmp_path, f"sqlite:///{database}", "--demo") as url:
        second = listed_people(url)

    assert people == DEMO_PEOPLE
    assert log > DEMO_PEOPLE / 2
    assert (count(database, "persons"), count(database, "log_entries")) == (people, log)
    assert first == second
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    assert len(first) == len(ROLES)
    assert all(parse_identity_code(code).is_test_code for code in first)


def test_serve_logs_each_request_once_without_its_query_string(tmp_path: Path) -> None:
    logged: list[str] = []
    database = f"sqlite:///{tmp_path / 'quiet.db'}"

    with serving(tmp_path, database, logged=logged) as url:
        httpx.get(f"{url}/health?code=151091%2D9019&state=s3cret", timeout=10)

    requests = [line for line in logged[0].splitlines() if "/health" in line]
    # One app event per request (the startup probe's and the test's), and no
    # access line of uvicorn's beside them; ID-1: no code reaches the log,
    # encoded or not, nor a login callback's state.
    assert requests
    assert all('"event": "http_request"' in line for line in requests), requests
    # Timestamps carry microseconds, which may hold any four digits, so they
    # are taken out before looking for the code's individual number.
    untimed = re.sub(r'"timestamp": "[^"]*"', "", logged[0])
    assert "151091" not in untimed
    assert "9019" not in untimed
    assert "s3cret" not in untimed


def test_serve_on_a_port_in_use_says_so_before_it_touches_the_database(
    tmp_path: Path,
) -> None:
    database = tmp_path / "untouched.db"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "KANTA_CONSENT_DATABASE_URL": f"sqlite:///{database}"}
        result = subprocess.run(
            [str(CLI), "serve", "--port", str(port), "--demo"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1 port {port}" in result.stderr
    assert "in use" in result.stderr
    # Neither upgraded nor loaded: the demo's people were never written.
    assert not database.exists()
