"""POST /api/v1/decisions and /batch over real HTTP (DIS-1 to DIS-12, LOG-1)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from api_world import (
    INFORMED,
    MINOR,
    PERMITTED,
    PROHIBITED,
    UNINFORMED,
    UNKNOWN,
    World,
)

from kanta_consent.domain.identity import HELSINKI


def query(person: str, recipient: str = "reg-b", **data: Any) -> dict[str, Any]:
    return {
        "person": person,
        "data": {"sector": "health", "register": "reg-a", **data},
        "recipient": recipient,
        "purpose": "care",
    }


def decisions_in_log(world: World) -> list[dict[str, Any]]:
    return [e for e in world.store.log if e["kind"] == "decision_made"]


def test_dis_7_a_permit_carries_its_reason_and_rule(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=query(PERMITTED))

    assert response.status_code == 200
    body = response.json()
    assert (body["decision"], body["reason"], body["rule"]) == (
        "permit",
        "permission",
        "DIS-7",
    )
    assert body["as_of"] == "2025-03-03T10:00:00+02:00"


def test_dis_12_a_deny_to_a_care_system_says_only_not_available(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=query(PROHIBITED, event="ev-1"))

    assert response.status_code == 200
    assert response.json() == {
        "decision": "deny",
        "detail": "the data is not available",
        "as_of": "2025-03-03T10:00:00+02:00",
    }


def test_dis_12_the_reason_of_a_deny_stays_in_the_log(world: World) -> None:
    with world.client(world.care_b) as http:
        http.post("/api/v1/decisions", json=query(PROHIBITED, event="ev-1"))

    entry = decisions_in_log(world)[-1]
    assert (entry["subject"], entry["body"]["reason"]) == (PROHIBITED, "prohibited")
    assert entry["body"]["based_on"] != []


def test_dis_12_an_unknown_person_is_decided_as_uninformed(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=query(UNKNOWN))

    assert response.json()["decision"] == "deny"
    assert decisions_in_log(world)[-1]["body"]["reason"] == "not-informed"


def test_dis_1_the_same_register_is_permitted(world: World) -> None:
    with world.client(world.care_a) as http:
        response = http.post(
            "/api/v1/decisions", json=query(UNINFORMED, recipient="reg-a")
        )

    assert response.json()["reason"] == "same-register"


def test_dis_9_an_emergency_is_permitted_and_flagged_in_the_log(world: World) -> None:
    body = query(UNINFORMED) | {"purpose": "emergency"}

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert response.json()["reason"] == "emergency"
    assert decisions_in_log(world)[-1]["body"]["follow_up"] is True


def test_log_1_every_decision_a_care_system_asks_is_logged(world: World) -> None:
    before = len(decisions_in_log(world))

    with world.client(world.care_b) as http:
        http.post("/api/v1/decisions", json=query(INFORMED))
        http.post("/api/v1/decisions", json=query(PERMITTED))

    entries = decisions_in_log(world)[before:]
    assert [e["subject"] for e in entries] == [INFORMED, PERMITTED]
    assert entries[0]["body"]["context"] == {"client": world.care_b.id}


def test_dis_12_a_care_system_cannot_name_another_moment(world: World) -> None:
    body = query(PERMITTED) | {"as_of": "2020-01-01T00:00:00+02:00"}

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert (response.json()["field"], response.json()["value"]) == (
        "as_of",
        "2020-01-01T00:00:00+02:00",
    )


def test_dis_11_an_operator_asks_as_of_a_past_moment_unlogged(world: World) -> None:
    body = query(PERMITTED) | {"as_of": "2024-01-15T12:00:00+02:00"}
    before = len(world.store.log)

    with world.client(world.operator) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert response.json()["reason"] == "not-informed"
    assert response.json()["as_of"] == "2024-01-15T12:00:00+02:00"
    assert len(world.store.log) == before


def test_dis_12_an_operator_is_told_the_reason_of_a_deny(world: World) -> None:
    with world.client(world.operator) as http:
        response = http.post("/api/v1/decisions", json=query(UNINFORMED))

    assert (response.json()["decision"], response.json()["reason"]) == (
        "deny",
        "not-informed",
    )


def test_a_care_system_cannot_ask_as_another_register(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions", json=query(PERMITTED, recipient="reg-p")
        )

    assert response.status_code == 403
    assert (response.json()["field"], response.json()["value"]) == (
        "recipient",
        "reg-p",
    )


def test_id_1_a_malformed_code_is_named_with_its_field(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=query("010180-9010"))

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "person",
        "010180-9010",
    )
    assert "check character" in response.json()["detail"]


def test_an_unknown_register_is_named_with_its_field(world: World) -> None:
    body = query(PERMITTED)
    body["data"]["register"] = "reg-nowhere"

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "data.register",
        "reg-nowhere",
    )


def test_an_invalid_sector_is_named_with_its_field(world: World) -> None:
    body = query(PERMITTED)
    body["data"]["sector"] = "dental"

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "data.sector",
        "dental",
    )


def test_a_batch_is_answered_in_order_and_logged_together(world: World) -> None:
    people = [PERMITTED, UNINFORMED, INFORMED, MINOR, PERMITTED]
    before = len(decisions_in_log(world))

    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions/batch", json={"queries": [query(p) for p in people]}
        )

    outcomes = [d["decision"] for d in response.json()["decisions"]]
    assert outcomes == ["permit", "deny", "deny", "deny", "permit"]
    logged = [e["subject"] for e in decisions_in_log(world)[before:]]
    assert logged == people


def test_a_batch_of_a_thousand_is_answered(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions/batch", json={"queries": [query(PERMITTED)] * 1000}
        )

    assert len(response.json()["decisions"]) == 1000


def test_a_batch_over_a_thousand_is_refused_naming_the_field(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions/batch", json={"queries": [query(PERMITTED)] * 1001}
        )

    assert response.status_code == 422
    assert response.json()["field"] == "queries"


def test_a_batch_names_the_index_of_the_query_at_fault(world: World) -> None:
    queries = [query(PERMITTED), query(PERMITTED, recipient="reg-a")]

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions/batch", json={"queries": queries})

    assert response.status_code == 403
    assert response.json()["field"] == "queries[1].recipient"


def test_dis_11_the_clock_decides_the_moment(world: World) -> None:
    world.clock.moment = datetime(2024, 1, 15, 12, 0, tzinfo=HELSINKI)

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=query(PERMITTED))

    assert response.json()["decision"] == "deny"


def data_in(register: str, sector: str) -> dict[str, Any]:
    body = query(PERMITTED)
    body["data"] = {"sector": sector, "register": register}
    return body


def test_social_register_data_labelled_health_is_refused_naming_the_sector(
    world: World,
) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=data_in("reg-s", "health"))

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "data.sector",
        "health",
    )
    assert "public-social" in response.json()["detail"]


def test_dis_4_social_register_data_labelled_prescription_is_refused(
    world: World,
) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=data_in("reg-s", "prescription"))

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "data.sector",
        "prescription",
    )


def test_social_data_in_a_health_register_is_refused(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=data_in("reg-a", "social"))

    assert response.status_code == 422
    assert "public-health" in response.json()["detail"]


def test_wellbeing_data_named_with_a_register_is_refused(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=data_in("reg-a", "wellbeing"))

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "data.sector",
        "wellbeing",
    )


def test_dis_4_prescription_data_of_a_health_register_is_still_permitted(
    world: World,
) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=data_in("reg-p", "prescription"))

    assert (response.json()["decision"], response.json()["rule"]) == (
        "permit",
        "DIS-4",
    )


def test_dis_4_a_prescription_of_a_prohibited_service_event_is_still_permitted(
    world: World,
) -> None:
    body = query(PROHIBITED)
    body["data"] = {"sector": "prescription", "event": "ev-1"}

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert (response.json()["decision"], response.json()["rule"]) == (
        "permit",
        "DIS-4",
    )


def test_a_batch_names_the_query_whose_sector_does_not_fit(world: World) -> None:
    queries = [query(PERMITTED), data_in("reg-s", "health")]
    before = len(decisions_in_log(world))

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions/batch", json={"queries": queries})

    assert response.status_code == 422
    assert response.json()["field"] == "queries[1].data.sector"
    assert len(decisions_in_log(world)) == before


def test_an_event_of_another_person_is_refused_without_saying_whose(
    world: World,
) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=query(PERMITTED, event="ev-2"))

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "data.event",
        "ev-2",
    )
    assert response.json()["detail"] == "no such service event of this person"
    assert INFORMED not in response.text


def test_an_event_of_another_register_is_refused_naming_the_register(
    world: World,
) -> None:
    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions",
            json=query(INFORMED, event="ev-2", register="reg-p"),
        )

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "data.register",
        "reg-p",
    )


def test_a_sector_that_does_not_fit_the_events_register_is_refused(
    world: World,
) -> None:
    body = query(INFORMED)
    body["data"] = {"sector": "social", "event": "ev-2"}

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "data.sector",
        "social",
    )


def test_an_event_the_store_does_not_know_is_decided_as_described(
    world: World,
) -> None:
    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions", json=query(PERMITTED, event="ev-elsewhere")
        )

    assert (response.status_code, response.json()["rule"]) == (200, "DIS-7")


def test_a_batch_names_the_query_with_another_persons_event(world: World) -> None:
    queries = [query(INFORMED, event="ev-2"), query(PERMITTED, event="ev-1")]

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions/batch", json={"queries": queries})

    assert response.status_code == 422
    assert response.json()["field"] == "queries[1].data.event"


def test_a_missing_field_is_named_with_a_null_value_not_its_parent(
    world: World,
) -> None:
    body = query(PERMITTED)
    del body["data"]["sector"]

    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "data.sector",
        None,
    )
    assert PERMITTED not in response.text


def test_a_body_that_is_not_json_is_named_as_the_body(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions",
            content=b'{"person": ',
            headers={"content-type": "application/json"},
        )

    assert response.status_code == 422
    assert response.json()["field"] == "body"
    assert "not JSON" in response.json()["detail"]


def test_a_batch_over_a_thousand_is_refused_giving_the_count(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions/batch", json={"queries": [query(PERMITTED)] * 1001}
        )

    assert (response.json()["field"], response.json()["value"]) == ("queries", 1001)
    assert PERMITTED not in response.text


@pytest.mark.parametrize("value", ["no", "false", 0, 1, 1.0, "off", None])
def test_kanta_is_true_or_false_and_nothing_taken_for_them(
    world: World, value: Any
) -> None:
    # "no", 0 or "off" were each taken for false, and changed the answer.
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=query(PERMITTED, kanta=value))

    assert response.status_code == 422
    problem = response.json()
    assert (problem["field"], problem["value"]) == ("data.kanta", value)


@pytest.mark.parametrize(
    "value", [1633910400, "2021-10-11T00:00:00", "11.10.2021", "2021-10-11Z"]
)
def test_recorded_is_a_day_written_yyyy_mm_dd_only(world: World, value: Any) -> None:
    with world.client(world.care_b) as http:
        response = http.post("/api/v1/decisions", json=query(PERMITTED, recorded=value))

    assert response.status_code == 422
    problem = response.json()
    assert (problem["field"], problem["value"]) == ("data.recorded", value)
    assert "YYYY-MM-DD" in problem["detail"]


def test_recorded_written_yyyy_mm_dd_is_taken(world: World) -> None:
    with world.client(world.care_b) as http:
        response = http.post(
            "/api/v1/decisions", json=query(PERMITTED, recorded="2021-10-11")
        )

    assert response.status_code == 200


def test_dis_11_an_operators_as_of_is_a_moment_written_as_text(world: World) -> None:
    body = query(PERMITTED) | {"as_of": 1705312800}

    with world.client(world.operator) as http:
        response = http.post("/api/v1/decisions", json=body)

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["value"]) == (
        "as_of",
        1705312800,
    )


def test_dis_11_an_operator_cannot_ask_as_of_a_moment_still_to_come(
    world: World,
) -> None:
    body = query(PERMITTED) | {"as_of": "2025-03-03T10:00:01+02:00"}

    with world.client(world.operator) as http:
        response = http.post("/api/v1/decisions", json=body)
        batch = http.post(
            "/api/v1/decisions/batch",
            json={"queries": [query(PERMITTED)], "as_of": "2099-01-01T00:00:00Z"},
        )

    assert response.status_code == 422
    assert response.json()["field"] == "as_of"
    assert "future" in response.json()["detail"]
    assert batch.status_code == 422
    assert batch.json()["field"] == "as_of"


ASKED_BOTH_WAYS = [
    ("/api/v1/decisions", query(PERMITTED)),
    ("/api/v1/decisions", query(PROHIBITED, event="ev-1")),
    ("/api/v1/decisions", query(UNKNOWN)),
    ("/api/v1/decisions", query(PERMITTED, kanta="no")),
    ("/api/v1/decisions", query(PERMITTED, recorded=1633910400)),
    ("/api/v1/decisions", {**query(PERMITTED), "extra": 1}),
    ("/api/v1/decisions", {**query(PERMITTED), "person": "010190-999X"}),
    ("/api/v1/decisions/batch", {"queries": [query(PERMITTED), query(MINOR)]}),
    ("/api/v1/decisions/batch", {"queries": [query(PERMITTED), query("x")]}),
]


@pytest.mark.parametrize(("path", "body"), ASKED_BOTH_WAYS)
def test_dis_12_a_plain_json_body_is_answered_as_any_other_json_body(
    world: World, path: str, body: dict[str, Any]
) -> None:
    # application/json goes straight to the endpoint (DecisionRoute); a
    # body of another JSON type takes FastAPI's whole way. Both must give
    # the same answer, problem and log entries.
    answers, logged = [], []
    for media in ("application/json", "application/vnd.kanta+json"):
        before = len(decisions_in_log(world))
        with world.client(world.care_b) as http:
            response = http.post(
                path, content=json.dumps(body), headers={"content-type": media}
            )
        answers.append((response.status_code, response.json()))
        logged.append([e["body"] for e in decisions_in_log(world)[before:]])

    assert answers[0] == answers[1]
    assert logged[0] == logged[1]
    assert answers[0][0] in (200, 422)
