"""Hostile input to the decision API: every answer is a problem, never a 500.

Each body here once broke, or could break, the answer itself: values that
are not JSON (NaN, Infinity), strings that are not UTF-8 (a lone surrogate
escape), megabytes echoed back. The problem still names field and value.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from api_world import BODY_ROUTES, INFORMED, PERMITTED, World

from kanta_consent.entrypoints.api.fhir_consent import (
    ACT_CODE,
    CONSENT_SCOPE,
    SCOPE_SYSTEM,
)

QUERY = (
    b'{"person": "%s", "data": {"sector": "health", "register": "reg-a"%s},'
    b' "recipient": "reg-b", "purpose": "care"}'
)


def query_with(data_extra: bytes = b"", person: bytes = PERMITTED.encode()) -> bytes:
    return QUERY % (person, data_extra)


def post_raw(world: World, path: str, body: bytes, operator: bool = False) -> Any:
    who = world.operator if operator else world.care_b
    with world.client(who) as http:
        return http.post(
            path, content=body, headers={"Content-Type": "application/json"}
        )


HOSTILE = [
    ("/api/v1/decisions", query_with(b', "kanta": NaN'), "data.kanta"),
    ("/api/v1/decisions", query_with(b', "kanta": Infinity'), "data.kanta"),
    ("/api/v1/decisions", query_with(b', "event": "\\ud800"'), "data.event"),
    ("/api/v1/decisions", query_with(person=b"170580-\\udfff01P"), "person"),
    (
        "/api/v1/decisions/batch",
        b'{"queries": [%s], "as_of": NaN}' % query_with(),
        "as_of",
    ),
    (
        "/api/v1/choices",
        b'{"type": "acknowledgement", "person": -Infinity}',
        "person",
    ),
    ("/cds-services/patient-consent-consult", b'{"hook": NaN}', "hook"),
    ("/fhir/Consent/_search", b'{"person": NaN}', "person"),
]


@pytest.mark.parametrize(("path", "body", "field"), HOSTILE)
def test_a_value_that_json_cannot_echo_is_refused_with_a_problem_naming_it(
    world: World, path: str, body: bytes, field: str
) -> None:
    response = post_raw(world, path, body, operator=path.startswith("/fhir"))

    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == field
    assert "Traceback" not in response.text


def test_a_nan_is_echoed_as_text_naming_it(world: World) -> None:
    response = post_raw(world, "/api/v1/decisions", query_with(b', "kanta": NaN'))

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == ("data.kanta", "nan")


def test_a_megabyte_value_is_refused_without_echoing_the_megabyte(
    world: World,
) -> None:
    huge = b"e" * 1_000_000

    response = post_raw(
        world, "/api/v1/decisions", query_with(b', "event": "' + huge + b'"')
    )

    assert response.status_code == 422
    assert response.json()["field"] == "data.event"
    assert response.json()["value"].startswith("eeee")
    assert len(response.content) < 5_000


def test_an_over_long_batch_is_refused_with_a_short_echo(world: World) -> None:
    batch = b'{"queries": [' + b",".join([query_with()] * 1_001) + b"]}"

    response = post_raw(world, "/api/v1/decisions/batch", batch)

    assert response.status_code == 422
    assert response.json()["field"] == "queries"
    assert len(response.content) < 5_000


NUL_RECIPIENT = QUERY.replace(b'"reg-b"', b'"reg-b\\u0000"') % (PERMITTED.encode(), b"")
NUL_UNIT = b'{"type": "acknowledgement", "person": "%s", "unit": "ward\\u0000"}'
NUL_HOOK = b'{"hook": "patient-consent-consult", "hookInstance": "h\\u0000"}'
NUL_FIELDS = [
    ("/api/v1/decisions", query_with(b', "event": "ev-1\\u0000"'), "data.event"),
    ("/api/v1/decisions", NUL_RECIPIENT, "recipient"),
    ("/api/v1/choices", NUL_UNIT % PERMITTED.encode(), "unit"),
    ("/cds-services/patient-consent-consult", NUL_HOOK, "hookInstance"),
]


@pytest.mark.parametrize(("path", "body", "field"), NUL_FIELDS)
def test_a_nul_in_an_id_or_unit_is_refused_naming_the_field_and_nothing_is_stored(
    world: World, path: str, body: bytes, field: str
) -> None:
    logged = len(world.store.log)

    response = post_raw(world, path, body)

    assert 400 <= response.status_code < 500, response.text
    assert response.json()["field"] == field
    assert "\x00" in response.json()["value"]
    assert len(world.store.log) == logged


def _chunks(size: int) -> Iterator[bytes]:
    yield b'{"person": "'
    for _ in range(size // 65_536):
        yield b"a" * 65_536
    yield b'"}'


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_a_megabyte_is_refused_with_413_naming_its_size(
    world: World, chunked: bool
) -> None:
    size = 2 * 1_048_576
    body = _chunks(size) if chunked else b"".join(_chunks(size))

    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions",
            content=body,
            headers={"Content-Type": "application/json"},
        )

    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "body"
    assert response.json()["value"] > 1_048_576


def test_a_batch_of_1000_queries_is_well_under_the_body_limit(world: World) -> None:
    batch = b'{"queries": [' + b",".join([query_with()] * 1_000) + b"]}"

    response = post_raw(world, "/api/v1/decisions/batch", batch)

    assert response.status_code == 200
    assert len(response.json()["decisions"]) == 1_000


def _basic(raw: bytes) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


@pytest.mark.parametrize(
    "headers",
    [
        _basic(b"no-colon-here"),
        {"Authorization": "Basic !!!"},
        {"Authorization": "Basic a Basic b"},
    ],
)
def test_malformed_basic_credentials_answer_401_naming_the_authorization_header(
    world: World, headers: dict[str, str]
) -> None:
    response = post_raw_headers(world, headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    assert response.json()["field"] == "Authorization"
    assert "Basic base64" in response.json()["detail"]


def test_credentials_holding_a_nul_are_refused_before_any_look_up(
    world: World,
) -> None:
    raw = world.care_b.id.encode() + b"\x00:" + world.care_b.secret.encode()

    response = post_raw_headers(world, _basic(raw))

    assert response.status_code == 401
    assert response.json()["field"] == "Authorization"
    assert "control character" in response.json()["detail"]


def post_raw_headers(world: World, headers: dict[str, str]) -> Any:
    with world.client() as http:
        return http.post("/api/v1/decisions", content=query_with(), headers=headers)


@pytest.mark.parametrize("kind", ["maybe", "DENY", ""])
def test_a_fhir_consent_with_an_unknown_provision_type_is_refused_naming_it(
    world: World, kind: str
) -> None:
    resource = {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": {"identifier": {"system": "urn:oid:1.2.246.21", "value": INFORMED}},
        "dateTime": "2024-06-01",
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN"}]},
        "provision": {
            "type": kind,
            "class": [{"system": SCOPE_SYSTEM, "code": "health"}],
        },
    }
    choices = len(world.store.choices[INFORMED])

    with world.client(world.operator) as http:
        response = http.post("/fhir/Consent", json=resource)

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "provision.type"
    assert len(world.store.choices[INFORMED]) == choices


def _decision(**changes: Any) -> dict[str, Any]:
    query: dict[str, Any] = {
        "person": PERMITTED,
        "data": {"sector": "health", "register": "reg-a"},
        "recipient": "reg-b",
        "purpose": "care",
    }
    for key, value in changes.items():
        if key.startswith("data_"):
            query["data"][key.removeprefix("data_")] = value
        else:
            query[key] = value
    return query


def _choice(**fields: Any) -> dict[str, Any]:
    return {"person": PERMITTED, "unit": "ward 3", **fields}


BAD_FIELDS = [
    ("/api/v1/decisions", _decision(data_sector="dental"), "data.sector", "dental"),
    ("/api/v1/decisions", _decision(purpose="curiosity"), "purpose", "curiosity"),
    ("/api/v1/decisions", _decision(data_recorded="2024-02-30"), "data.recorded",
     "2024-02-30"),
    ("/api/v1/decisions", _decision(data_kanta=-1), "data.kanta", -1),
    ("/api/v1/decisions", _decision(person=10**30), "person", 10**30),
    ("/api/v1/decisions", _decision(recipient="r" * 201), "recipient", "r" * 201),
    ("/api/v1/decisions", _decision(colour="blue"), "colour", "blue"),
    ("/api/v1/decisions", _decision(as_of="2024-01-01T00:00"), "as_of",
     "2024-01-01T00:00"),
    ("/api/v1/decisions/batch", {"queries": []}, "queries", []),
    ("/api/v1/choices", _choice(type="consent"), "type", "consent"),
    ("/api/v1/choices", _choice(type="permission", scope="everything"),
     "scope", "everything"),
    ("/api/v1/choices", _choice(type="prohibition", target={"kind": "planet"}),
     "target.kind", "planet"),
    ("/api/v1/choices", _choice(type="prohibition", target={"kind": "all-health"},
     emergency_allowed="perhaps"), "emergency_allowed", "perhaps"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "field", "value"), BAD_FIELDS)
def test_a_wrong_value_of_any_field_is_a_422_problem_naming_field_and_value(
    world: World, path: str, body: dict[str, Any], field: str, value: Any
) -> None:
    logged = len(world.store.log)

    with world.client(world.care_b) as http:
        response = http.post(path, json=body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    expected = value if not isinstance(value, int) or abs(value) < 2**63 else str(value)
    assert (problem["field"], problem["value"]) == (field, expected)
    assert len(world.store.log) == logged


def test_an_unknown_path_and_a_wrong_method_say_what_is_wrong(world: World) -> None:
    with world.client(world.care_b) as http:
        unknown = http.get("/api/v1/no-such-thing")
        wrong = http.get("/api/v1/decisions")

    assert unknown.status_code == 404
    assert unknown.json()["value"] == "/api/v1/no-such-thing"
    assert "/openapi.json" in unknown.json()["detail"]
    assert wrong.status_code == 405
    assert wrong.json()["detail"] == ("GET is not answered here; this path takes POST")


NOT_UTF_8 = b'{"person": "' + PERMITTED.encode() + b'\xff\xfe", "purpose": "care"}'
TOO_DEEP = (
    b'{"person": "' + PERMITTED.encode() + b'", "data": '
    + b"[" * 100_000 + b"]" * 100_000 + b"}"
)  # fmt: skip


def _status_of_a_bad_body(path: str) -> int:
    # CDS-HOOKS.md: a malformed hook call is a 400; the API's own bodies 422.
    return 400 if path.startswith("/cds-services") else 422


@pytest.mark.parametrize("path", BODY_ROUTES)
@pytest.mark.parametrize(
    ("body", "summary"),
    [(NOT_UTF_8, "not UTF-8 from byte 23"), (TOO_DEEP, "nested too deeply")],
)
def test_a_body_not_utf_8_or_nested_too_deeply_is_named_as_the_body_unechoed(
    world: World, path: str, body: bytes, summary: str
) -> None:
    response = post_raw(world, path, body, operator=path.startswith("/fhir"))

    assert response.status_code == _status_of_a_bad_body(path), response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["field"] == "body"
    assert summary in problem["value"]
    assert f"{len(body)} bytes" in problem["value"]
    assert PERMITTED not in response.text
    assert response.content.isascii()


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_a_body_sent_as_another_type_than_json_is_named_unechoed(
    world: World, path: str
) -> None:
    with world.client(
        world.operator if path.startswith("/fhir") else world.care_b
    ) as http:
        response = http.post(
            path, content=query_with(), headers={"Content-Type": "text/plain"}
        )

    assert response.status_code == _status_of_a_bad_body(path), response.text
    problem = response.json()
    assert (problem["field"], problem["value"]) == (
        "body",
        f"{len(query_with())} bytes",
    )
    assert "application/json" in problem["detail"]
    assert PERMITTED not in response.text
