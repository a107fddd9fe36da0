"""FHIR R4B Consent for operators: the Bundle, importing, the twelve HL7 examples."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from api_world import INFORMED, PERMITTED, PROHIBITED, UNINFORMED, World
from fhir.resources.R4B.bundle import Bundle

from kanta_consent.domain.choices import PermissionGranted, ProhibitionGiven

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("KANTA_CONSENT_SHARED", REPO.parent / "shared"))
EXAMPLES = sorted((SHARED / "data" / "fhir-r4-consent-examples").glob("*.json"))

# What each example is refused for, read as it was published: the patient is
# a reference to another server, which does not say who the person is. With
# the patient named by identity code, the next field that cannot carry over.
REFUSED_WITH_PERSON = {
    "Consent-consent-example-Emergency.json": "provision.provision",
    "Consent-consent-example-Out.json": "provision.actor[0].reference",
    "Consent-consent-example-basic.json": "provision.period",
    "Consent-consent-example-grantor.json": "provision.actor",
    "Consent-consent-example-notAuthor.json": "provision.actor",
    "Consent-consent-example-notOrg.json": "provision.action[1]",
    "Consent-consent-example-notThem.json": "provision.action[1]",
    "Consent-consent-example-notThis.json": "provision.data",
    "Consent-consent-example-notTime.json": "provision.period",
    "Consent-consent-example-pkb.json": "provision.securityLabel",
    "Consent-consent-example-signature.json": "provision.period",
    "Consent-consent-example-smartonfhir.json": "provision.period",
}


def example(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (SHARED / "data/fhir-r4-consent-examples" / name).read_text()
    )
    return loaded


def with_person(resource: dict[str, Any], code: str) -> dict[str, Any]:
    changed = copy.deepcopy(resource)
    changed["patient"] = {"identifier": {"system": "urn:oid:1.2.246.21", "value": code}}
    return changed


def post(world: World, resource: dict[str, Any]) -> Any:
    with world.client(world.operator) as http:
        return http.post("/fhir/Consent", json=resource)


def test_there_are_twelve_examples() -> None:
    assert [p.name for p in EXAMPLES] == sorted(REFUSED_WITH_PERSON)


@pytest.mark.parametrize("name", sorted(REFUSED_WITH_PERSON))
def test_each_example_as_published_is_refused_for_its_patient(
    world: World, name: str
) -> None:
    response = post(world, example(name))

    assert response.status_code == 422
    assert response.json()["field"] == "patient"
    assert "urn:oid:1.2.246.21" in response.json()["detail"]


@pytest.mark.parametrize("name", sorted(REFUSED_WITH_PERSON))
def test_each_example_with_its_person_named_is_refused_with_a_reason(
    world: World, name: str
) -> None:
    before = len(world.store.choices[INFORMED])

    response = post(world, with_person(example(name), INFORMED))

    assert response.status_code == 422
    assert response.json()["field"] == REFUSED_WITH_PERSON[name]
    assert len(response.json()["detail"]) > 30
    assert len(world.store.choices[INFORMED]) == before


def test_the_basic_opt_in_without_its_period_is_a_health_permission(
    world: World,
) -> None:
    resource = with_person(example("Consent-consent-example-basic.json"), INFORMED)
    del resource["provision"]
    resource["dateTime"] = "2024-05-11"

    response = post(world, resource)

    assert response.status_code == 201
    imported = world.store.choices[INFORMED][-1]
    assert isinstance(imported, PermissionGranted)
    assert (imported.scope.value, imported.at.date().isoformat()) == (
        "health",
        "2024-05-11",
    )


def test_per_4_a_consent_before_its_informing_is_refused(world: World) -> None:
    resource = with_person(example("Consent-consent-example-basic.json"), INFORMED)
    del resource["provision"]

    response = post(world, resource)

    assert (response.status_code, response.json()["code"]) == (409, "not-informed")


def test_the_opt_out_naming_a_register_is_a_register_prohibition(
    world: World,
) -> None:
    resource = with_person(example("Consent-consent-example-Out.json"), INFORMED)
    resource["dateTime"] = "2024-06-01"
    resource["provision"]["actor"][0]["reference"] = {
        "identifier": {"system": "urn:kanta-consent:register", "value": "reg-b"}
    }

    response = post(world, resource)

    assert response.status_code == 201
    imported = world.store.choices[INFORMED][-1]
    assert isinstance(imported, ProhibitionGiven)
    assert (imported.target.kind.value, imported.target.ref) == ("register", "reg-b")


def test_an_import_the_rules_refuse_is_a_409_with_its_code(world: World) -> None:
    resource = with_person(example("Consent-consent-example-basic.json"), UNINFORMED)
    del resource["provision"]
    resource["dateTime"] = "2024-06-01"

    response = post(world, resource)

    assert (response.status_code, response.json()["code"]) == (409, "not-informed")


def test_a_resource_that_is_not_a_consent_is_refused(world: World) -> None:
    response = post(world, {"resourceType": "Patient"})

    assert (response.status_code, response.json()["field"]) == (422, "resourceType")


def test_an_invalid_consent_is_refused_naming_the_field(world: World) -> None:
    response = post(world, {"resourceType": "Consent", "status": "active"})

    assert response.status_code == 422
    assert response.json()["field"] in ("category", "scope")


def search(world: World, person: str) -> Any:
    with world.client(world.operator) as http:
        return http.post("/fhir/Consent/_search", json={"person": person})


def test_the_search_returns_a_valid_r4b_bundle_of_the_choices(world: World) -> None:
    response = search(world, PERMITTED)

    assert response.headers["content-type"] == "application/fhir+json"
    bundle = Bundle.model_validate(response.json())
    kinds = [e.resource.category[0].coding[0].code for e in bundle.entry]
    assert kinds == ["acknowledgement", "permission"]
    patient = bundle.entry[1].resource.patient.identifier
    assert (patient.system, patient.value) == ("urn:oid:1.2.246.21", PERMITTED)


def test_a_prohibition_is_a_deny_provision_with_its_data(world: World) -> None:
    entry = search(world, PROHIBITED).json()["entry"][-1]["resource"]

    assert entry["provision"]["type"] == "deny"
    reference = entry["provision"]["data"][0]["reference"]["identifier"]
    assert reference == {"system": "urn:kanta-consent:service-event", "value": "ev-1"}


def test_the_exported_choices_import_again_for_another_person(world: World) -> None:
    entries = search(world, PERMITTED).json()["entry"]

    statuses = []
    for entry in entries:
        resource = with_person(entry["resource"], UNINFORMED)
        statuses.append(post(world, resource).status_code)

    assert statuses == [201, 201]
    again = [
        e["resource"]["provision"]
        for e in search(world, UNINFORMED).json()["entry"][1:]
    ]
    assert again == [entries[1]["resource"]["provision"]]


def test_an_unknown_person_is_a_404(world: World) -> None:
    from api_world import UNKNOWN

    response = search(world, UNKNOWN)

    assert response.status_code == 404
