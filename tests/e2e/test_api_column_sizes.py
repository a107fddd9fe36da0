"""What the API takes fits the columns it is stored in, on SQLite and PostgreSQL.

PostgreSQL refuses a string longer than its VARCHAR, or one holding a NUL,
where SQLite stores it; a value the API let through was then a 500 on
PostgreSQL only. Each field is now refused with 422 naming it, on both.
"""

from __future__ import annotations

from typing import Any

import pytest
from api_world import INFORMED, PERMITTED, UNINFORMED, World

from kanta_consent.entrypoints.api.fhir_consent import (
    ACT_CODE,
    CONSENT_SCOPE,
    EVENT_SYSTEM,
    ORGANISATION_SYSTEM,
    TARGET_SYSTEM,
    TASK_SYSTEM,
)


def _choice(kind: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "person": UNINFORMED, "unit": "ward 3", **fields}


def _prohibition(kind: str, ref: str) -> dict[str, Any]:
    return _choice("prohibition", target={"kind": kind, "ref": ref})


# choices.actor_unit and choices.target_ref are VARCHAR(100), choices.id
# VARCHAR(64), registers.id VARCHAR(100), persons.code CHAR(11).
TOO_LONG_CHOICES = [
    (_choice("acknowledgement", unit="u" * 101), "unit", "u" * 101),
    (_choice("acknowledgement", register="r" * 101), "register", "r" * 101),
    (_prohibition("service-task", "t" * 101), "target.ref", "t" * 101),
    (_prohibition("organisation", "o" * 101), "target.ref", "o" * 101),
    (
        _choice("prohibition-withdrawal", prohibition="p" * 65),
        "prohibition",
        "p" * 65,
    ),
    (_choice("acknowledgement", person=UNINFORMED + "x"), "person", UNINFORMED + "x"),
]


@pytest.mark.parametrize(("body", "field", "value"), TOO_LONG_CHOICES)
def test_inf_3_a_choice_field_longer_than_its_column_is_a_422_naming_it(
    sql_world: World, body: dict[str, Any], field: str, value: str
) -> None:
    with sql_world.client(sql_world.care_a) as http:
        response = http.post("/api/v1/choices", json=body)

    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["value"]) == (field, value)


def test_inf_3_a_unit_of_100_characters_is_recorded_as_given(
    sql_world: World,
) -> None:
    with sql_world.client(sql_world.care_a) as http:
        response = http.post(
            "/api/v1/choices", json=_choice("acknowledgement", unit="u" * 100)
        )

    assert response.status_code == 201, response.text
    recorded = sql_world.store.choices_of(UNINFORMED).choices[-1]
    assert recorded.actor.unit == "u" * 100


def _query(**data: Any) -> dict[str, Any]:
    return {
        "person": PERMITTED,
        "data": {"sector": "health", **data},
        "recipient": "reg-b",
        "purpose": "care",
    }


TOO_LONG_QUERIES = [
    (_query() | {"recipient": "r" * 101}, "recipient", "r" * 101),
    (_query(register="r" * 101), "data.register", "r" * 101),
    (_query(event="e" * 101), "data.event", "e" * 101),
]


@pytest.mark.parametrize(("body", "field", "value"), TOO_LONG_QUERIES)
def test_dis_12_a_query_id_longer_than_any_stored_id_is_a_422_naming_it(
    sql_world: World, body: dict[str, Any], field: str, value: str
) -> None:
    with sql_world.client(sql_world.care_b) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["value"]) == (field, value)


def _consent(provision: dict[str, Any], person: str = INFORMED) -> dict[str, Any]:
    return {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": {"identifier": {"system": "urn:oid:1.2.246.21", "value": person}},
        "dateTime": "2024-06-01",
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTOUT"}]},
        "provision": {"type": "deny", **provision},
    }


def _data(ref: str) -> dict[str, Any]:
    identifier = {"system": EVENT_SYSTEM, "value": ref}
    return {"data": [{"meaning": "instance", "reference": {"identifier": identifier}}]}


def _actor(ref: str) -> dict[str, Any]:
    identifier = {"system": ORGANISATION_SYSTEM, "value": ref}
    return {
        "actor": [
            {"role": {"text": "recipient"}, "reference": {"identifier": identifier}}
        ]
    }


def _task(ref: str) -> dict[str, Any]:
    return {
        "class": [
            {"system": TARGET_SYSTEM, "code": "service-task"},
            {"system": TASK_SYSTEM, "code": ref},
        ]
    }


UNFIT_REFS = [
    (_data("e" * 101), "provision.data", "e" * 101),
    (_data("ev-2\u0000"), "provision.data", "ev-2\u0000"),
    (_actor("o" * 101), "provision.actor[0].reference", "o" * 101),
    (_actor("org-a\u0000"), "provision.actor[0].reference", "org-a\u0000"),
    (_task("t" * 101), "provision.class", "t" * 101),
]


@pytest.mark.parametrize(("provision", "field", "value"), UNFIT_REFS)
def test_pro_1_an_imported_target_no_column_can_hold_is_a_422_naming_it(
    sql_world: World, provision: dict[str, Any], field: str, value: str
) -> None:
    with sql_world.client(sql_world.operator) as http:
        response = http.post("/fhir/Consent", json=_consent(provision))

    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["value"]) == (field, value)


def test_a_patient_code_that_is_no_identity_code_is_a_422_naming_the_patient(
    sql_world: World,
) -> None:
    resource = _consent(_data("ev-2"), person=INFORMED + "x" * 60)

    with sql_world.client(sql_world.operator) as http:
        response = http.post("/fhir/Consent", json=resource)

    assert response.status_code == 422, response.text
    assert response.json()["field"] == "patient.identifier.value"
