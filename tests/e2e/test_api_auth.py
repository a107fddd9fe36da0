"""Authentication: every way credentials fail, and the operator's role."""

from __future__ import annotations

import base64
import shlex
import socket
from collections.abc import Iterator

import httpx
import pytest
import typer
from api_world import BODY_ROUTES, PERMITTED, Credentials, World

from kanta_consent.entrypoints.cli import clients
from kanta_consent.services.clients import ClientService

QUERY = {
    "person": PERMITTED,
    "data": {"sector": "health", "register": "reg-a"},
    "recipient": "reg-b",
    "purpose": "care",
}


def ask(world: World, **options: object) -> httpx.Response:
    with httpx.Client(base_url=world.url) as http:
        return http.post("/api/v1/decisions", json=QUERY, **options)  # type: ignore[arg-type]


def test_no_credentials_answer_401_with_a_challenge(world: World) -> None:
    response = ask(world)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    assert response.headers["content-type"] == "application/problem+json"


def test_a_wrong_secret_answers_401_naming_the_client(world: World) -> None:
    wrong = Credentials(world.care_b.id, "not-the-secret")

    response = ask(world, auth=wrong.auth)

    assert response.status_code == 401
    assert response.json()["value"] == world.care_b.id


def test_an_unknown_client_answers_401(world: World) -> None:
    response = ask(world, auth=httpx.BasicAuth("kc-nobody", world.care_b.secret))

    assert response.status_code == 401


def test_a_bearer_token_is_not_basic_and_answers_401(world: World) -> None:
    response = ask(world, headers={"Authorization": "Bearer abc"})

    assert response.status_code == 401


def test_a_malformed_basic_header_answers_401(world: World) -> None:
    response = ask(world, headers={"Authorization": "Basic !!!notbase64"})

    assert response.status_code == 401


def test_only_the_secrets_hash_is_stored(world: World) -> None:
    stored = world.store.clients[world.care_b.id]

    assert world.care_b.secret not in repr(stored)
    assert len(world.care_b.secret) >= 43


def test_a_care_client_is_refused_the_operators_fhir_search(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/fhir/Consent/_search", json={"person": PERMITTED})

    assert response.status_code == 403
    assert response.json()["value"] == world.care_b.id


def test_a_care_client_is_refused_the_operators_fhir_import(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/fhir/Consent", json={"resourceType": "Consent"})

    assert response.status_code == 403


def test_the_operator_only_hint_is_a_command_the_cli_accepts(world: World) -> None:
    with world.client(world.care_b) as http:
        detail = http.post("/fhir/Consent/_search", json={"person": PERMITTED}).json()[
            "detail"
        ]
    hint = detail[detail.index("kanta-consent clients add") :].rstrip(")")
    args = shlex.split(hint)[3:]

    command = typer.main.get_command(clients.app).commands["add"]  # type: ignore[attr-defined]
    parsed = command.make_context("add", args).params

    assert (parsed["register"], parsed["operator"]) == ("REGISTER_ID", True)


def test_a_revoked_care_clients_requests_answer_401_saying_so(world: World) -> None:
    ClientService(world.store).revoke(world.care_b.id, world.clock.now())

    response = ask(world, auth=world.care_b.auth)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    assert response.json()["detail"] == "the operator has revoked this client"
    assert response.json()["value"] == world.care_b.id


def test_a_revoked_operator_client_is_refused_the_fhir_search(world: World) -> None:
    ClientService(world.store).revoke(world.operator.id, world.clock.now())

    with world.client(world.operator) as http:
        response = http.post("/fhir/Consent/_search", json={"person": PERMITTED})

    assert response.status_code == 401


def test_a_wrong_secret_of_a_revoked_client_does_not_tell_it_was_revoked(
    world: World,
) -> None:
    ClientService(world.store).revoke(world.care_b.id, world.clock.now())

    response = ask(world, auth=Credentials(world.care_b.id, "not-the-secret").auth)

    assert response.status_code == 401
    assert response.json()["detail"] == "client id and secret do not match a client"


def test_revoking_one_client_leaves_the_others_working(world: World) -> None:
    ClientService(world.store).revoke(world.care_a.id, world.clock.now())

    response = ask(world, auth=world.care_b.auth)

    assert response.status_code == 200


def test_a_malformed_body_without_credentials_answers_401_not_422(
    world: World,
) -> None:
    # Who may not ask learns nothing of how bodies are read.
    with httpx.Client(base_url=world.url) as http:
        answers = {
            path: http.post(
                path,
                content=b'{"person": ',
                headers={"Content-Type": "application/json"},
            )
            for path in BODY_ROUTES
        }

    assert {path: r.status_code for path, r in answers.items()} == dict.fromkeys(
        BODY_ROUTES, 401
    )
    assert all(r.json()["field"] == "Authorization" for r in answers.values())


def test_a_malformed_body_with_a_wrong_secret_answers_401(world: World) -> None:
    wrong = Credentials(world.care_b.id, "not-the-secret")

    with httpx.Client(base_url=world.url, auth=wrong.auth) as http:
        response = http.post(
            "/api/v1/decisions",
            content=b"not json",
            headers={"Content-Type": "application/json"},
        )

    assert response.status_code == 401


def test_a_malformed_body_with_credentials_is_still_named(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions",
            content=b'{"person": ',
            headers={"Content-Type": "application/json"},
        )

    assert response.status_code == 422
    assert response.json()["field"] == "body"


def _chunks(size: int) -> Iterator[bytes]:
    for _ in range(size // 65_536):
        yield b"a" * 65_536


@pytest.mark.parametrize("chunked", [False, True])
@pytest.mark.parametrize("path", BODY_ROUTES)
def test_a_body_over_the_limit_without_credentials_answers_401_not_413(
    world: World, path: str, chunked: bool
) -> None:
    body = _chunks(2 * 1_048_576)

    with httpx.Client(base_url=world.url) as http:
        response = http.post(
            path,
            content=body if chunked else b"".join(body),
            headers={"Content-Type": "application/json"},
        )

    assert response.status_code == 401, response.text
    assert response.json()["field"] == "Authorization"


def _head_only(world: World, headers: dict[str, str]) -> bytes:
    # Promises a body of 2 MiB and sends none: a server that read the body
    # before answering would wait for it, and the read would time out.
    host, port = world.url.removeprefix("http://").split(":")
    head = "POST /api/v1/decisions HTTP/1.1\r\nHost: kanta\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    head += "Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n"
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head.encode())
        return sock.recv(65_536)


def _basic_header(who: Credentials) -> dict[str, str]:
    token = base64.b64encode(f"{who.id}:{who.secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_credentials_are_checked_before_a_promised_body_is_waited_for(
    world: World,
) -> None:
    wrong = Credentials(world.care_b.id, "not-the-secret")

    without = _head_only(world, {})
    with_wrong = _head_only(world, _basic_header(wrong))

    assert without.startswith(b"HTTP/1.1 401 ")
    assert with_wrong.startswith(b"HTTP/1.1 401 ")


def test_a_client_promising_a_body_over_the_limit_gets_413_before_sending_it(
    world: World,
) -> None:
    answer = _head_only(world, _basic_header(world.care_b))

    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'"field":"body"' in answer
