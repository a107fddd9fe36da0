"""One `http_request` log event per request, and a limit on a request body's size."""

from __future__ import annotations

import time
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kanta_consent.entrypoints.api.problems import Problem, problem_response

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


# The largest body a client needs is a batch of 1,000 queries (about
# 250 kB); a larger one is refused before it is read into memory.
MAX_BODY_BYTES = 1_048_576


class BodyLimit:
    """Refuses a request body over MAX_BODY_BYTES with 413, unread.

    The body is refused when the route first reads it, not when the request
    arrives: a route that checks credentials first (auth.ClientFirstRoute)
    answers 401 to a caller without them whatever the body's size, and
    never reads it. A declared length over the limit is refused at that
    first read, before a byte of it is taken in.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"0")
        declared = int(length) if length.isdigit() else 0
        state = {"received": 0, "refused": False, "started": False}

        async def sending(message: Message) -> None:
            if state["refused"]:
                return
            state["started"] = True
            await send(message)

        async def counting() -> Message:
            # A chunked body declares no length: it is counted as it comes,
            # answered 413 at the limit, and the route's own answer dropped.
            if declared <= self.limit:
                message = await receive()
                state["received"] += len(message.get("body", b""))
                if state["received"] <= self.limit:
                    return message
            size = max(declared, state["received"])
            if not state["started"] and not state["refused"]:
                await self._refuse(size)(scope, receive, send)
                state["refused"] = True
            raise _TooLarge(size)

        try:
            await self.app(scope, counting, sending)
        except _TooLarge as error:
            if not state["refused"] and not state["started"]:
                await self._refuse(error.size)(scope, receive, send)

    def _refuse(self, size: int) -> ASGIApp:
        problem = Problem(
            type="urn:kanta-consent:problem:413",
            title="Body too large",
            status=413,
            detail=f"a request body holds at most {self.limit} bytes",
            field="body",
            value=size,
        )
        return problem_response(problem)


class _TooLarge(Exception):
    """A body over the limit, found so when it was read."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size
