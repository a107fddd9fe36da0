"""One `http_request` log event per request: method, path, status, duration."""

from __future__ import annotations

import time
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("kanta_consent.api")


class RequestLog:
    """Logs every HTTP request once it is answered; no body, no query string."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500, "logged": False}

        def log_once() -> None:
            if state["logged"]:
                return
            state["logged"] = True
            log.info(
                "http_request",
                method=scope["method"],
                path=scope["path"],
                status=state["status"],
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
            )

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body" and not message.get(
                "more_body", False
            ):
                # Logged before the last byte goes out, so that a caller who
                # has the answer finds the request in the log already.
                log_once()
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            log_once()
