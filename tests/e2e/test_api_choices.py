"""POST /api/v1/choices: choices made in care, and every refusal care can meet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from api_world import INFORMED, MINOR, PERMITTED, PROHIBITED, UNINFORMED, UNKNOWN, World

from kanta_consent.domain.identity import HELSINKI


def choice(kind: str, person: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "person": person, "unit": "outpatient clinic 2", **fields}


def post(world: World, body: dict[str, Any]) -> Any:
    with world.client(world.care_b) as http:
        return http.post("/api/v1/choices", json=body)


def test_inf_3_an_acknowledgement_in_care_records_the_unit(world: World) -> None:
    response = post(world, choice("acknowledgement", UNINFORMED))

    assert response.status_code == 201
    recorded = world.store.choices[UNINFORMED][-1]
    assert (recorded.id, recorded.actor.unit, recorded.channel.value) == (
        response.json()["id"],
        "outpatient clinic 2",
        "care",
    )


def test_inf_3_acknowledging_again_changes_nothing(world: World) -> None:
    response = post(world, choice("acknowledgement", INFORMED))

    assert response.status_code == 200
    assert response.json()["recorded"] is False


def test_per_3_a_permission_is_granted_and_withdrawn_in_care(world: World) -> None:
    granted = post(world, choice("permission", INFORMED, scope="health"))
    withdrawn = post(world, choice("permission-withdrawal", INFORMED, scope="health"))

    assert (granted.status_code, withdrawn.status_code) == (201, 201)
    assert world.store.choices[INFORMED][-1].permission == granted.json()["id"]


def test_pro_3_a_prohibition_is_given_and_withdrawn_in_care(world: World) -> None:
    target = {"kind": "service-event", "ref": "ev-2"}

    given = post(world, choice("prohibition", INFORMED, target=target))
    withdrawn = post(
        world,
        choice("prohibition-withdrawal", INFORMED, prohibition=given.json()["id"]),
    )

    assert (given.status_code, withdrawn.status_code) == (201, 201)


def test_min_6_a_minor_gives_a_permission_in_care(world: World) -> None:
    post(world, choice("acknowledgement", MINOR))

    response = post(world, choice("permission", MINOR, scope="health"))

    assert response.status_code == 201
    assert world.store.choices[MINOR][-1].by_minor_in_care is True


def refusal(response: Any) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["code"], body["rule"]


def test_per_2_a_permission_for_an_uninformed_person_is_refused(world: World) -> None:
    response = post(world, choice("permission", UNINFORMED, scope="health"))

    assert refusal(response) == (409, "not-informed", "PER-2")
    assert response.headers["content-type"] == "application/problem+json"


def test_per_1_a_scope_before_its_date_is_refused(world: World) -> None:
    world.clock.moment = datetime(2022, 6, 1, 12, 0, tzinfo=HELSINKI)

    response = post(world, choice("permission", PERMITTED, scope="social"))

    assert refusal(response) == (409, "not-available-yet", "PER-1")


def test_per_3_withdrawing_what_is_not_in_force_is_refused(world: World) -> None:
    response = post(world, choice("permission-withdrawal", INFORMED, scope="social"))

    assert refusal(response) == (409, "not-in-force", "PER-3")


def test_pro_3_withdrawing_an_unknown_prohibition_is_refused(world: World) -> None:
    response = post(
        world, choice("prohibition-withdrawal", PROHIBITED, prohibition="nope")
    )

    assert refusal(response) == (409, "not-in-force", "PRO-3")


def test_pro_1_another_persons_service_event_is_refused(world: World) -> None:
    target = {"kind": "service-event", "ref": "ev-1"}

    response = post(world, choice("prohibition", INFORMED, target=target))

    assert refusal(response) == (409, "target-not-allowed", "PRO-1")


def test_pro_8_an_ended_organisation_is_refused(world: World) -> None:
    target = {"kind": "organisation", "ref": "org-old"}

    response = post(world, choice("prohibition", INFORMED, target=target))

    assert refusal(response) == (409, "target-not-allowed", "PRO-8")


def test_an_unknown_person_is_a_404_naming_the_person(world: World) -> None:
    response = post(world, choice("acknowledgement", UNKNOWN))

    assert response.status_code == 404
    assert (response.json()["field"], response.json()["value"]) == ("person", UNKNOWN)


def test_a_client_cannot_record_as_another_register(world: World) -> None:
    response = post(world, choice("acknowledgement", UNINFORMED, register="reg-a"))

    assert response.status_code == 403
    assert (response.json()["field"], response.json()["value"]) == (
        "register",
        "reg-a",
    )


def test_an_unknown_choice_type_is_named(world: World) -> None:
    response = post(world, choice("consent", INFORMED))

    assert response.status_code == 422
    assert response.json()["value"] == "consent"


def test_an_invalid_scope_is_named_as_the_field_of_the_body(world: World) -> None:
    response = post(world, choice("permission", INFORMED, scope="dental"))

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "scope",
        "dental",
    )


def test_a_missing_prohibition_id_is_named_without_echoing_the_body(
    world: World,
) -> None:
    response = post(world, choice("prohibition-withdrawal", INFORMED))

    assert (response.json()["field"], response.json()["value"]) == (
        "prohibition",
        None,
    )
    assert INFORMED not in response.text


def test_pro_1_an_unknown_organisation_is_refused_naming_the_ref(
    world: World,
) -> None:
    target = {"kind": "organisation", "ref": "org-nowhere"}

    response = post(world, choice("prohibition", INFORMED, target=target))

    assert refusal(response) == (409, "target-not-allowed", "PRO-1")
    assert (response.json()["field"], response.json()["value"]) == (
        "target.ref",
        "org-nowhere",
    )


def test_pro_3_an_unknown_prohibition_id_is_refused_naming_it(world: World) -> None:
    response = post(
        world, choice("prohibition-withdrawal", PROHIBITED, prohibition="nope")
    )

    assert (response.json()["field"], response.json()["value"]) == (
        "prohibition",
        "nope",
    )


def test_per_3_withdrawing_a_scope_not_in_force_names_the_scope(
    world: World,
) -> None:
    response = post(world, choice("permission-withdrawal", INFORMED, scope="social"))

    assert (response.json()["field"], response.json()["value"]) == (
        "scope",
        "social",
    )


def test_per_2_a_refusal_about_the_person_names_the_person(world: World) -> None:
    response = post(world, choice("permission", UNINFORMED, scope="health"))

    assert (response.json()["field"], response.json()["value"]) == (
        "person",
        UNINFORMED,
    )


@pytest.mark.parametrize(
    "kind",
    [
        "service-event",
        "document",
        "organisation",
        "register",
        "private-occupational-register",
        "service-task",
    ],
)
def test_pro_1_a_target_that_names_something_without_its_ref_is_a_422_naming_the_ref(
    world: World, kind: str
) -> None:
    choices = len(world.store.choices[INFORMED])

    response = post(world, choice("prohibition", INFORMED, target={"kind": kind}))

    assert response.status_code == 422, response.text
    assert (response.json()["field"], response.json()["value"]) == ("target.ref", None)
    assert kind in response.json()["detail"]
    assert len(world.store.choices[INFORMED]) == choices
