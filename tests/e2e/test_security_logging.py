"""Hostile input must not put an identity code into the server's log.

An unhandled error is logged by uvicorn through the standard library with
its traceback; the traceback's text (and, in the console format, the values
of local variables) must pass the same mask as every other log line.
"""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog
from api_world import MINOR, PERMITTED

from kanta_consent.adapters.logging import configure_logging


def _fail_holding(code: str) -> None:
    body = {"person": code}
    raise ValueError(f"could not answer for {body}")


@pytest.mark.parametrize("log_format", ["console", "json"])
def test_a_logged_traceback_masks_the_identity_codes_it_holds(log_format: str) -> None:
    output = io.StringIO()
    configure_logging(log_format, stream=output)

    try:
        _fail_holding(PERMITTED)
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")

    text = output.getvalue()
    assert "Exception in ASGI application" in text
    assert "_fail_holding" in text
    assert PERMITTED not in text
    assert "***********" in text


def test_a_json_log_line_of_an_error_keeps_its_traceback_as_masked_text() -> None:
    output = io.StringIO()
    configure_logging("json", stream=output)

    try:
        _fail_holding(MINOR)
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")

    event = json.loads(output.getvalue().splitlines()[-1])
    assert (
        "ValueError: could not answer for {'person': '***********'}"
        in event["exception"]
    )


@pytest.mark.parametrize("log_format", ["console", "json"])
def test_control_characters_a_caller_sends_are_logged_as_escapes(
    log_format: str,
) -> None:
    # A path such as /portal/x%00y%1b[2J arrives decoded: written raw, the NUL
    # made the log a binary file to grep, the escape could clear a terminal.
    output = io.StringIO()
    configure_logging(log_format, stream=output)

    structlog.get_logger("kanta_consent.api").info(
        "http_request", path=f"/portal/x\x00y\x1b[2J\x7f/{PERMITTED}", tab="a\tb"
    )

    text = output.getvalue()
    assert not {"\x00", "\x1b", "\x7f"} & set(text)
    line = text.splitlines()[-1]
    shown = json.loads(line)["path"] if log_format == "json" else line
    assert "/portal/x\\x00y\\x1b[2J\\x7f/***********" in shown
    assert PERMITTED not in text
