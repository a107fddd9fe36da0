"""Logging: one http_request event per request, and no identity code in any."""

from __future__ import annotations

import io
import json

import structlog
from api_world import PERMITTED, UNKNOWN, World

from kanta_consent.adapters.logging import configure_logging, mask_text


def test_each_request_is_one_json_http_request_event(world: World) -> None:
    with world.client() as http:
        http.get("/health")

    events = [json.loads(line) for line in world.log_output.getvalue().splitlines()]
    requests = [e for e in events if e["event"] == "http_request"]
    assert [(e["method"], e["path"], e["status"]) for e in requests] == [
        ("GET", "/health", 200)
    ]


def test_no_identity_code_reaches_the_log(world: World) -> None:
    query = {
        "person": PERMITTED,
        "data": {"sector": "health", "register": "nowhere"},
        "recipient": "reg-b",
        "purpose": "care",
    }

    with world.client(world.care_b) as http:
        http.post("/api/v1/decisions", json=query)
        http.post(f"/api/v1/decisions/{UNKNOWN}", json=query)
        http.post("/api/v1/choices", json={"type": "x", "person": PERMITTED})
    structlog.get_logger().info("person_seen", person=PERMITTED, note=f"a {UNKNOWN}")

    output = world.log_output.getvalue()
    assert "http_request" in output
    assert PERMITTED not in output
    assert UNKNOWN not in output
    assert "***********" in output


def test_the_mask_hides_codes_of_every_century_sign() -> None:
    text = "a 170580-901P b 010101A9999 c 311299Y900X d 010100+9000"

    masked = mask_text(text)

    assert masked == "a *********** b *********** c *********** d ***********"


def test_the_mask_hides_codes_whose_sign_is_percent_encoded() -> None:
    text = "GET /x?code=151091%2D9019&b=010100%2b9000 HTTP/1.1"

    masked = mask_text(text)

    assert masked == "GET /x?code=***********&b=*********** HTTP/1.1"


def test_the_console_format_masks_too() -> None:
    output = io.StringIO()
    configure_logging("console", stream=output)

    structlog.get_logger().info("person_seen", person=PERMITTED)

    assert "person_seen" in output.getvalue()
    assert PERMITTED not in output.getvalue()
