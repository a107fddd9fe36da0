"""CDS Hooks patient-consent-consult, as ../shared/CDS-HOOKS.md describes it."""

from __future__ import annotations

from typing import Any

import pytest
from api_world import OID_A, OID_B, PERMITTED, PROHIBITED, UNKNOWN, World

HOOK = "/cds-services/patient-consent-consult"


def call(person: str, purpose: str = "TREAT", **context: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": "patient-consent-consult",
        "hookInstance": "call-17",
        "context": {
            "patientId": [{"system": "urn:oid:1.2.246.21", "value": person}],
            "scope": "patient-privacy",
            "purposeOfUse": [purpose],
            "actor": [{"system": "urn:kanta-consent:register", "value": "reg-b"}],
            "class": [
                {"system": "urn:kanta-consent:sector", "code": "health"},
                {"system": "urn:kanta-consent:register", "code": "reg-a"},
            ],
        },
    }
    body["context"].update(context)
    return body


def consult(world: World, body: dict[str, Any]) -> Any:
    with world.client(world.care_b) as http:
        return http.post(HOOK, json=body)


def test_discovery_lists_the_one_service_with_its_identifiers(world: World) -> None:
    with world.client() as http:
        services = http.get("/cds-services").json()["services"]

    assert [s["id"] for s in services] == ["patient-consent-consult"]
    assert "urn:oid:1.2.246.21" in services[0]["description"]
    assert "GOV statutory" in services[0]["description"]


def test_dis_7_a_permit_card_rests_on_the_permission(world: World) -> None:
    card = consult(world, call(PERMITTED)).json()["cards"][0]

    assert (card["summary"], card["indicator"]) == ("CONSENT_PERMIT", "info")
    assert card["extension"]["decision"] == "CONSENT_PERMIT"
    assert card["extension"]["obligations"] == []
    assert card["extension"]["basedOn"].startswith("Consent/")


def test_dis_12_a_deny_card_names_no_prohibition(world: World) -> None:
    context = {
        "class": [
            {"system": "urn:kanta-consent:sector", "code": "health"},
            {"system": "urn:kanta-consent:register", "code": "reg-a"},
            {"system": "urn:kanta-consent:service-event", "code": "ev-1"},
        ]
    }

    card = consult(world, call(PROHIBITED, **context)).json()["cards"][0]

    assert (card["summary"], card["indicator"]) == ("CONSENT_DENY", "critical")
    assert "basedOn" not in card["extension"]


def test_dis_12_an_unknown_person_is_denied_not_no_consent(world: World) -> None:
    card = consult(world, call(UNKNOWN)).json()["cards"][0]

    assert card["summary"] == "CONSENT_DENY"


def test_the_hook_instance_is_echoed_into_the_log(world: World) -> None:
    consult(world, call(PERMITTED))

    entry = world.store.log[-1]
    assert entry["body"]["context"]["hook_instance"] == "call-17"


def test_dis_9_etreat_is_an_emergency(world: World) -> None:
    consult(world, call(UNKNOWN, purpose="ETREAT"))

    assert world.store.log[-1]["body"]["reason"] == "emergency"


def test_another_purpose_is_refused_400_naming_the_field(world: World) -> None:
    response = consult(world, call(PERMITTED, purpose="HMARKT"))

    assert response.status_code == 400
    assert response.json()["field"] == "context.purposeOfUse"


def test_another_scope_is_refused(world: World) -> None:
    response = consult(world, call(PERMITTED, scope="research"))

    assert response.status_code == 400
    assert response.json()["field"] == "context.scope"


def test_another_hook_is_refused(world: World) -> None:
    response = consult(world, call(PERMITTED) | {"hook": "patient-view"})

    assert (response.status_code, response.json()["field"]) == (400, "hook")


def test_a_malformed_body_is_a_400_naming_the_field(world: World) -> None:
    body = call(PERMITTED)
    del body["context"]["patientId"]

    response = consult(world, body)

    assert (response.status_code, response.json()["field"]) == (
        400,
        "context.patientId",
    )


def test_a_malformed_identity_code_is_a_400(world: World) -> None:
    response = consult(world, call("not-a-code"))

    assert (response.status_code, response.json()["field"]) == (
        400,
        "context.patientId",
    )


def test_an_actor_of_another_register_is_refused(world: World) -> None:
    actor = [{"system": "urn:kanta-consent:register", "value": "reg-a"}]

    response = consult(world, call(PERMITTED, actor=actor))

    assert response.status_code == 403
    assert (response.json()["field"], response.json()["value"]) == (
        "context.actor",
        "reg-a",
    )


def test_the_answer_is_the_decision_apis_answer(world: World) -> None:
    query = {
        "person": PERMITTED,
        "data": {"sector": "health", "register": "reg-a"},
        "recipient": "reg-b",
        "purpose": "care",
    }

    with world.client(world.care_b) as http:
        decision = http.post("/api/v1/decisions", json=query).json()
    card = consult(world, call(PERMITTED)).json()["cards"][0]

    assert card["extension"]["decision"] == "CONSENT_" + decision["decision"].upper()


def test_a_register_named_by_its_oid_is_the_same_register(world: World) -> None:
    by_id = consult(world, call(PERMITTED)).json()["cards"][0]
    by_oid = call(
        PERMITTED,
        actor=[{"system": "urn:ietf:rfc:3986", "value": f"urn:oid:{OID_B}"}],
        **{
            "class": [
                {"system": "urn:kanta-consent:sector", "code": "health"},
                {"system": "urn:ietf:rfc:3986", "code": f"urn:oid:{OID_A}"},
            ]
        },
    )

    card = consult(world, by_oid).json()["cards"][0]

    assert card["summary"] == by_id["summary"] == "CONSENT_PERMIT"
    assert card["extension"]["basedOn"] == by_id["extension"]["basedOn"]


def test_an_oid_no_register_has_is_a_400_naming_it(world: World) -> None:
    unknown = "urn:oid:1.2.246.10.9999999.10.1"
    body = call(PERMITTED, actor=[{"system": "urn:ietf:rfc:3986", "value": unknown}])

    response = consult(world, body)

    assert response.status_code == 400
    assert (response.json()["field"], response.json()["value"]) == (
        "context.actor",
        unknown,
    )


def test_social_register_data_labelled_health_is_a_400_naming_the_class(
    world: World,
) -> None:
    data = [
        {"system": "urn:kanta-consent:sector", "code": "health"},
        {"system": "urn:kanta-consent:register", "code": "reg-s"},
    ]

    response = consult(world, call(PERMITTED, **{"class": data}))

    assert response.status_code == 400
    assert (response.json()["field"], response.json()["value"]) == (
        "context.class",
        "health",
    )
    assert "public-social" in response.json()["detail"]


def test_two_different_sectors_in_the_class_are_refused(world: World) -> None:
    data = [
        {"system": "urn:kanta-consent:sector", "code": "social"},
        {"system": "urn:kanta-consent:sector", "code": "health"},
        {"system": "urn:kanta-consent:register", "code": "reg-a"},
    ]

    response = consult(world, call(PERMITTED, **{"class": data}))

    assert response.status_code == 400
    assert (response.json()["field"], response.json()["value"]) == (
        "context.class",
        ["social", "health"],
    )


def test_an_event_of_another_person_is_a_400_naming_the_class(world: World) -> None:
    data = [
        {"system": "urn:kanta-consent:sector", "code": "health"},
        {"system": "urn:kanta-consent:register", "code": "reg-a"},
        {"system": "urn:kanta-consent:service-event", "code": "ev-1"},
    ]

    response = consult(world, call(PERMITTED, **{"class": data}))

    assert response.status_code == 400
    assert (response.json()["field"], response.json()["value"]) == (
        "context.class",
        "ev-1",
    )
    assert PROHIBITED not in response.text


def test_a_scope_given_as_one_coding_names_the_scope_once(world: World) -> None:
    scope = {"system": "http://terminology.hl7.org/CodeSystem/consentscope"}

    response = consult(
        world, call(PERMITTED, scope=scope | {"code": "patient-privacy"})
    )

    problem = response.json()
    assert response.status_code == 400
    assert (problem["field"], problem["value"]) == (
        "context.scope",
        scope | {"code": "patient-privacy"},
    )
    assert [e["field"] for e in problem["errors"]] == ["context.scope"]


def test_a_category_coding_without_a_code_names_the_hooks_own_path(
    world: World,
) -> None:
    category = [{"system": "http://loinc.org"}]

    response = consult(world, call(PERMITTED, category=category))

    problem = response.json()
    assert response.status_code == 400
    assert problem["field"] == "context.category[0].code"
    assert [e["field"] for e in problem["errors"]] == ["context.category[0].code"]


def test_a_purpose_neither_text_nor_a_list_names_the_purpose_once(
    world: World,
) -> None:
    response = consult(world, call(PERMITTED, purposeOfUse={"code": "TREAT"}))

    problem = response.json()
    assert (problem["field"], problem["value"]) == (
        "context.purposeOfUse",
        {"code": "TREAT"},
    )
    assert [e["field"] for e in problem["errors"]] == ["context.purposeOfUse"]


def test_a_scope_and_a_category_as_text_or_codings_are_still_read(
    world: World,
) -> None:
    codings = [{"system": "urn:kanta-consent:scope", "code": "patient-privacy"}]

    as_codings = consult(world, call(PERMITTED, scope=codings, category=codings))
    as_text = consult(world, call(PERMITTED, purposeOfUse="TREAT"))

    assert as_codings.json()["cards"][0]["summary"] == "CONSENT_PERMIT"
    assert as_text.json()["cards"][0]["summary"] == "CONSENT_PERMIT"


def _register(code: str) -> list[dict[str, str]]:
    return [
        {"system": "urn:kanta-consent:sector", "code": "health"},
        {"system": "urn:kanta-consent:register", "code": code},
    ]


def _event(code: str) -> list[dict[str, str]]:
    return [
        *_register("reg-a"),
        {"system": "urn:kanta-consent:service-event", "code": code},
    ]


def _actor(value: str) -> list[dict[str, str]]:
    return [{"system": "urn:kanta-consent:register", "value": value}]


# Values the hook's own shape takes but the decision's query does not: each
# was a 500, since the query was built from them unchecked.
UNFIT_VALUES = [
    ({"patientId": [{"system": "urn:oid:1.2.246.21", "value": ""}]},
     "context.patientId", ""),
    ({"patientId": [{"system": "urn:oid:1.2.246.21", "value": PERMITTED + " " * 60}]},
     "context.patientId", PERMITTED + " " * 60),
    ({"actor": _actor("")}, "context.actor", ""),
    ({"actor": _actor("r" * 201)}, "context.actor", "r" * 201),
    ({"class": _register("")}, "context.class", ""),
    ({"class": _register("r" * 201)}, "context.class", "r" * 201),
    ({"class": _event("")}, "context.class", ""),
    ({"class": _event("e" * 201)}, "context.class", "e" * 201),
]  # fmt: skip


@pytest.mark.parametrize(("context", "field", "value"), UNFIT_VALUES)
def test_a_context_value_the_query_cannot_hold_is_a_400_naming_it(
    world: World, context: dict[str, Any], field: str, value: str
) -> None:
    logged = len(world.store.log)

    response = consult(world, call(PERMITTED, **context))

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (response.json()["field"], response.json()["value"]) == (field, value)
    assert len(world.store.log) == logged
