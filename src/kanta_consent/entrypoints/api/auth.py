"""Who is calling: HTTP Basic credentials of an API client.

A client sends `Authorization: Basic base64(client_id:secret)` on every
request over TLS. The secret is checked by its SHA-256 (services/clients);
a client found once is kept in memory for a minute, so that a request
costs no store read for its credentials. So a client revoked by
`kanta-consent clients revoke` is refused at once by a server that has not
checked it in the last minute, and by every server within a minute.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from kanta_consent.entrypoints.api.problems import BodyRoute, ProblemError
from kanta_consent.services.clients import (
    ClientRevoked,
    ClientService,
    InvalidCredentials,
)
from kanta_consent.services.ports import ApiClient


class _Basic(HTTPBasic):
    """HTTP Basic whose malformed header is a problem naming the header."""

    async def __call__(  # type: ignore[override]
        self, request: HTTPConnection
    ) -> HTTPBasicCredentials | None:
        try:
            return await super().__call__(request)
        except HTTPException:
            raise unauthorised(
                "the Authorization header is not Basic base64(client id:secret)"
            ) from None


basic = _Basic(
    auto_error=False,
    description="The client id and secret issued by `kanta-consent clients add`.",
)
# No client id or secret holds a control character; PostgreSQL could not
# even look up an id with a NUL, so such credentials never reach the store.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_CHALLENGE = {"WWW-Authenticate": 'Basic realm="kanta-consent"'}
CACHE_SECONDS = 60.0


@dataclass
class ClientCache:
    """Clients recently authenticated, by id, secret and expiry."""

    entries: dict[tuple[str, str], tuple[ApiClient, float]] = field(
        default_factory=dict
    )

    def find(self, client_id: str, secret: str, now: float) -> ApiClient | None:
        """Returns the client if these credentials were checked lately."""
        found = self.entries.get((client_id, secret))
        if found is None or found[1] < now:
            return None
        return found[0]

    def keep(self, client: ApiClient, secret: str, now: float) -> None:
        """Remembers checked credentials for a while."""
        if len(self.entries) > 10_000:
            self.entries.clear()
        self.entries[(client.id, secret)] = (client, now + CACHE_SECONDS)


def unauthorised(detail: str, value: str | None = None) -> ProblemError:
    """Returns the 401 problem with the Basic challenge."""
    return ProblemError(
        401,
        "Not authenticated",
        detail,
        field="Authorization",
        value=value,
        headers=_CHALLENGE,
    )


async def current_client(
    request: Request,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)],
) -> ApiClient:
    """Returns the authenticated client, or answers 401.

    A coroutine, so that a request whose client is cached costs no hop to a
    worker thread; only a cache miss reads the store, in a worker thread.
    """
    known = getattr(request.state, "client", None)
    if isinstance(known, ApiClient):
        # Already authenticated by ClientFirstRoute, before the body was read.
        return known
    if credentials is None:
        raise unauthorised("send HTTP Basic credentials: client id and secret")
    if _CONTROL.search(credentials.username + credentials.password):
        raise unauthorised("the client id or secret holds a control character")
    cache: ClientCache = request.app.state.client_cache
    now = time.monotonic()
    found = cache.find(credentials.username, credentials.password, now)
    if found is not None:
        return found
    service: ClientService = request.app.state.clients
    try:
        client = await run_in_threadpool(
            service.authenticate, credentials.username, credentials.password
        )
    except ClientRevoked:
        # Only a caller that holds the secret learns that it was revoked.
        raise unauthorised(
            "the operator has revoked this client", credentials.username
        ) from None
    except InvalidCredentials:
        raise unauthorised(
            "client id and secret do not match a client", credentials.username
        ) from None
    cache.keep(client, credentials.password, now)
    return client


class ClientFirstRoute(BodyRoute):
    """A route whose client is authenticated before its body is read.

    FastAPI parses a JSON body before it solves the dependencies, so a
    malformed body without credentials was answered 422, telling a caller
    who had not authenticated how the API reads bodies. A route that asks
    for a client now answers 401 first; the client found is kept for the
    route's own `Client` dependency.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not _needs_client(self.dependant):
            return handler

        async def client_first(request: Request) -> Response:
            credentials = await basic(request)
            request.state.client = await current_client(request, credentials)
            return await handler(request)

        return client_first


def _needs_client(dependant: Dependant) -> bool:
    return dependant.call is current_client or any(
        _needs_client(sub) for sub in dependant.dependencies
    )


async def operator_client(
    client: Annotated[ApiClient, Depends(current_client)],
) -> ApiClient:
    """Returns the client if it is an operator, or answers 403."""
    if not client.operator:
        raise ProblemError(
            403,
            "Operator only",
            "this needs an operator client "
            "(kanta-consent clients add --register REGISTER_ID --operator)",
            field="Authorization",
            value=client.id,
        )
    return client


Client = Annotated[ApiClient, Depends(current_client)]
Operator = Annotated[ApiClient, Depends(operator_client)]


def check_register(client: ApiClient, field: str, register: str) -> None:
    """Refuses a care client that names a register other than its own (403)."""
    if client.operator or register == client.register:
        return
    raise ProblemError(
        403,
        "Not your register",
        f"client {client.id} acts as register {client.register} only",
        field=field,
        value=register,
    )
