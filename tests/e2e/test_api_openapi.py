"""The OpenAPI document: complete, and schemathesis finds no server error in it."""

from __future__ import annotations

from typing import Any

import schemathesis
from api_world import World
from hypothesis import HealthCheck, given, settings

ERROR_STATUSES = {"400", "401", "403", "404", "409", "413", "422"}


def test_every_error_status_is_a_documented_problem(world: World) -> None:
    with world.client() as http:
        document = http.get("/openapi.json").json()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status in ERROR_STATUSES:
                    assert "application/problem+json" in response["content"], (
                        method,
                        path,
                        status,
                    )
    assert "Problem" in document["components"]["schemas"]


def test_every_operation_with_a_body_documents_the_body_limit_and_a_bad_body(
    world: World,
) -> None:
    with world.client() as http:
        document = http.get("/openapi.json").json()

    with_body = {
        (method, path): set(operation["responses"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    }
    bad_body = {
        key: "400" if key[1].startswith("/cds-services") else "422" for key in with_body
    }

    assert len(with_body) == 6
    assert {
        key: {"413", bad_body[key]} <= statuses for key, statuses in with_body.items()
    } == dict.fromkeys(with_body, True)


def test_no_identity_code_travels_in_a_url(world: World) -> None:
    with world.client() as http:
        document = http.get("/openapi.json").json()

    parameters = [
        p
        for operations in document["paths"].values()
        for operation in operations.values()
        for p in operation.get("parameters", [])
    ]
    assert [p for p in parameters if p["in"] in ("path", "query")] == []


def check_operation(world: World, operation: Any) -> None:
    auth = world.operator if "fhir" in operation.path else world.care_b

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=operation.as_strategy())
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(
            auth=(auth.id, auth.secret),
            checks=[
                schemathesis.checks.not_a_server_error,
                schemathesis.checks.status_code_conformance,
                schemathesis.checks.content_type_conformance,
                schemathesis.checks.response_schema_conformance,
            ],
        )

    run()


def test_schemathesis_finds_no_server_error_nor_undocumented_status(
    world: World,
) -> None:
    schema = schemathesis.openapi.from_url(world.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        check_operation(world, operation)

    assert len(operations) == 8
