"""FHIR R4B Consent for operators: the Bundle, importing, the twelve HL7 examples."""

from __future__ import annotations

import copy
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from api_world import INFORMED, PERMITTED, PROHIBITED, UNINFORMED, World
from fhir.resources.R4B.bundle import Bundle

from kanta_consent.domain.choices import PermissionGranted, ProhibitionGiven
from kanta_consent.entrypoints.api.fhir_consent import (
    ACT_CODE,
    CHOICE_SYSTEM,
    CONSENT_SCOPE,
    SCOPE_SYSTEM,
    TARGET_SYSTEM,
)

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


def test_per_1_the_basic_opt_in_without_its_period_names_no_scope_and_is_refused(
    world: World,
) -> None:
    # HL7's basic opt-in names no scope: reading it as health (or any other)
    # would record a permission the person may not have given.
    resource = with_person(example("Consent-consent-example-basic.json"), INFORMED)
    del resource["provision"]
    resource["dateTime"] = "2024-05-11"

    problem = refused_unrecorded(world, resource)

    assert problem["field"] == "provision.class"
    assert SCOPE_SYSTEM in problem["detail"] and "health" in problem["detail"]


def test_per_1_a_permit_provision_without_a_class_is_refused(world: World) -> None:
    problem = refused_unrecorded(world, consent("OPTIN", {"type": "permit"}))

    assert problem["field"] == "provision.class"


def test_the_basic_opt_in_with_a_scope_is_that_permission(world: World) -> None:
    resource = with_person(example("Consent-consent-example-basic.json"), INFORMED)
    resource["provision"] = scopes("social")
    resource["dateTime"] = "2024-05-11"

    response = post(world, resource)

    assert response.status_code == 201
    imported = world.store.choices[INFORMED][-1]
    assert isinstance(imported, PermissionGranted)
    assert (imported.scope.value, imported.at.date().isoformat()) == (
        "social",
        "2024-05-11",
    )


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("consent", "modifierExtension"),
        ("provision", "provision.modifierExtension"),
        ("nested", "provision.provision[0].modifierExtension"),
        ("actor", "provision.actor[0].modifierExtension"),
    ],
)
def test_a_modifier_extension_anywhere_is_refused_not_ignored(
    world: World, where: str, field: str
) -> None:
    # A modifier extension may negate what it sits on; ignoring one would
    # record the opposite of the choice.
    negate = [{"url": "http://example.org/negated", "valueBoolean": True}]
    resource = with_person(example("Consent-consent-example-Out.json"), INFORMED)
    resource["dateTime"] = "2024-06-01"
    provision = resource["provision"]
    provision["actor"][0]["reference"] = {
        "identifier": {"system": "urn:kanta-consent:register", "value": "reg-b"}
    }
    holder = {
        "consent": resource,
        "provision": provision,
        "nested": (provision.setdefault("provision", [{"type": "permit"}]))[0],
        "actor": provision["actor"][0],
    }[where]
    holder["modifierExtension"] = negate

    problem = refused_unrecorded(world, resource)

    assert problem["field"] == field
    assert problem["value"] == ["http://example.org/negated"]


def test_per_4_a_consent_before_its_informing_is_refused(world: World) -> None:
    resource = with_person(example("Consent-consent-example-basic.json"), INFORMED)
    resource["provision"] = scopes("health")

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
    resource["provision"] = scopes("health")
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


LOINC_CONSENT = {"system": "http://loinc.org", "code": "59284-0"}


def consent(
    policy: str,
    provision: dict[str, Any] | None = None,
    category: list[dict[str, Any]] | None = None,
    person: str = INFORMED,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [{"system": CONSENT_SCOPE, "code": "patient-privacy"}]},
        "category": [{"coding": [LOINC_CONSENT]}] if category is None else category,
        "patient": {"identifier": {"system": "urn:oid:1.2.246.21", "value": person}},
        "dateTime": "2024-06-01T12:00:00+03:00",
        "policyRule": {"coding": [{"system": ACT_CODE, "code": policy}]},
    }
    if provision is not None:
        resource["provision"] = provision
    return resource


def scopes(*codes: str) -> dict[str, Any]:
    return {
        "type": "permit",
        "class": [{"system": SCOPE_SYSTEM, "code": c} for c in codes],
    }


def refused_unrecorded(world: World, resource: dict[str, Any]) -> dict[str, Any]:
    before = len(world.store.choices[INFORMED])

    response = post(world, resource)

    assert response.status_code == 422, response.text
    assert len(world.store.choices[INFORMED]) == before
    problem: dict[str, Any] = response.json()
    return problem


def test_per_1_a_permission_of_two_scopes_is_refused_not_cut_to_the_first(
    world: World,
) -> None:
    problem = refused_unrecorded(world, consent("OPTIN", scopes("health", "social")))

    assert (problem["field"], problem["value"]) == (
        "provision.class",
        ["health", "social"],
    )
    assert "one Consent for each" in problem["detail"]


def test_per_1_a_permit_class_of_another_system_is_refused_not_read_as_health(
    world: World,
) -> None:
    provision = {
        "type": "permit",
        "class": [{"system": "urn:x:dept", "code": "dental"}],
    }

    problem = refused_unrecorded(world, consent("OPTIN", provision))

    assert (problem["field"], problem["value"]) == ("provision.class", "dental")
    assert SCOPE_SYSTEM in problem["detail"]


def test_pro_1_a_deny_class_of_another_system_is_refused_not_ignored(
    world: World,
) -> None:
    provision = {
        "type": "deny",
        "class": [
            {"system": TARGET_SYSTEM, "code": "all-health"},
            {"system": "urn:x:dept", "code": "dental"},
        ],
    }

    problem = refused_unrecorded(world, consent("OPTOUT", provision))

    assert (problem["field"], problem["value"]) == ("provision.class", "dental")


def test_pro_1_a_deny_naming_both_a_register_and_data_is_refused(
    world: World,
) -> None:
    register = {"system": "urn:kanta-consent:register", "value": "reg-b"}
    event = {"system": "urn:kanta-consent:service-event", "value": "ev-2"}
    provision = {
        "type": "deny",
        "actor": [
            {"role": {"text": "recipient"}, "reference": {"identifier": register}}
        ],
        "data": [{"meaning": "instance", "reference": {"identifier": event}}],
    }

    problem = refused_unrecorded(world, consent("OPTOUT", provision))

    assert problem["field"] == "provision.actor"


def test_pro_1_an_opt_out_whose_provision_permits_is_refused_not_read_as_a_deny(
    world: World,
) -> None:
    register = {"system": "urn:kanta-consent:register", "value": "reg-b"}
    provision = {
        "type": "permit",
        "actor": [
            {"role": {"text": "recipient"}, "reference": {"identifier": register}}
        ],
    }

    problem = refused_unrecorded(world, consent("OPTOUT", provision))

    assert (problem["field"], problem["value"]) == ("provision.type", "permit")


@pytest.mark.parametrize(
    ("coding", "codes"),
    [
        ({"system": ACT_CODE, "code": "RESEARCH"}, ["RESEARCH"]),
        ({"system": CHOICE_SYSTEM, "code": "withdrawal"}, ["withdrawal"]),
        ({"system": CHOICE_SYSTEM, "code": "prohibition"}, ["prohibition"]),
    ],
)
def test_per_1_a_category_that_is_no_permission_is_refused_not_read_as_one(
    world: World, coding: dict[str, str], codes: list[str]
) -> None:
    resource = consent("OPTIN", scopes("health"), category=[{"coding": [coding]}])

    problem = refused_unrecorded(world, resource)

    assert (problem["field"], problem["value"]) == ("category", codes)


def test_the_same_consent_imported_again_changes_nothing_and_answers_the_same(
    world: World,
) -> None:
    resource = consent("OPTIN", scopes("social"))

    first = post(world, resource)
    after_first = len(world.store.choices[INFORMED])
    again = [post(world, resource) for _ in range(2)]

    assert first.status_code == 201
    assert [r.status_code for r in again] == [200, 200]
    assert [r.json() for r in again] == [first.json(), first.json()]
    assert len(world.store.choices[INFORMED]) == after_first


def test_an_exported_choice_imported_for_its_own_person_is_the_same_choice(
    world: World,
) -> None:
    entries = search(world, PROHIBITED).json()["entry"]
    before = len(world.store.choices[PROHIBITED])

    answers = [post(world, entry["resource"]) for entry in entries]

    assert [r.status_code for r in answers] == [200] * len(entries)
    assert [r.json()["id"] for r in answers] == [e["resource"]["id"] for e in entries]
    assert len(world.store.choices[PROHIBITED]) == before


def test_per_2_a_refusal_about_the_person_names_the_patient(world: World) -> None:
    response = post(world, consent("OPTIN", scopes("health"), person=UNINFORMED))

    problem = response.json()
    assert (response.status_code, problem["code"]) == (409, "not-informed")
    assert (problem["field"], problem["value"]) == (
        "patient.identifier.value",
        UNINFORMED,
    )


def test_pro_1_a_refused_target_names_the_field_that_named_it(world: World) -> None:
    organisation = {"system": "urn:kanta-consent:organisation", "value": "org-old"}
    provision = {
        "type": "deny",
        "actor": [
            {"role": {"text": "recipient"}, "reference": {"identifier": organisation}}
        ],
    }

    response = post(world, consent("OPTOUT", provision))

    problem = response.json()
    assert (response.status_code, problem["code"]) == (409, "target-not-allowed")
    assert (problem["field"], problem["value"]) == (
        "provision.actor[0].reference",
        "org-old",
    )


def test_inf_3_another_acknowledgement_of_a_version_held_is_a_409_naming_it(
    world: World,
) -> None:
    acknowledgement = search(world, INFORMED).json()["entry"][0]["resource"]
    acknowledgement["dateTime"] = "2024-06-01T12:00:00+03:00"

    response = post(world, acknowledgement)

    problem = response.json()
    assert (response.status_code, problem["code"]) == (409, "already-acknowledged")
    assert (problem["field"], problem["value"]) == ("policyRule", "2023-11")


def test_inf_3_an_acknowledgement_of_another_version_than_then_current_is_refused(
    world: World,
) -> None:
    acknowledgement = with_person(
        search(world, INFORMED).json()["entry"][0]["resource"], UNINFORMED
    )
    acknowledgement["policyRule"]["coding"][0]["code"] = "2099-01"

    response = post(world, acknowledgement)

    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["value"]) == (
        "policyRule",
        "2099-01",
    )
    assert "2023-11" in response.json()["detail"]


def test_an_unknown_patient_is_a_404_naming_the_patient(world: World) -> None:
    from api_world import UNKNOWN

    response = post(world, consent("OPTIN", scopes("health"), person=UNKNOWN))

    assert response.status_code == 404
    assert (response.json()["field"], response.json()["value"]) == (
        "patient.identifier.value",
        UNKNOWN,
    )


def test_the_same_consent_sent_many_times_at_once_is_recorded_once(
    sql_world: World,
) -> None:
    # A retry racing its original: each import found the choice missing
    # and recorded it, so the person held the same permission many times.
    resource = consent("OPTIN", scopes("social"))
    start = threading.Barrier(12)

    def send() -> int:
        with sql_world.client(sql_world.operator) as http:
            start.wait()
            status: int = http.post("/fhir/Consent", json=resource).status_code
            return status

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = sorted(pool.map(lambda _: send(), range(12)))

    assert statuses == [200] * 11 + [201]
    recorded = [
        c
        for c in sql_world.store.choices_of(INFORMED)
        if isinstance(c, PermissionGranted) and c.actor.unit == "fhir-import"
    ]
    assert len(recorded) == 1
