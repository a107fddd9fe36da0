"""The HTTP application: the decision API, CDS Hooks, FHIR and the portal.

`build_app` takes everything it needs; bootstrap.py decides what that is.
Another part adds its router with one `app.include_router(...)` line in
`ROUTERS` below.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from kanta_consent import __version__
from kanta_consent.adapters.clock import SystemClock
from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.adapters.sql.decision_store import decision_store_for
from kanta_consent.entrypoints.api import cds, choices, decisions, fhir, problems
from kanta_consent.entrypoints.api.auth import ClientCache
from kanta_consent.entrypoints.api.groups import LogGroups, ReadGroups
from kanta_consent.entrypoints.api.middleware import BodyLimit, RequestLog
from kanta_consent.entrypoints.web import my_data, pages, test_idp
from kanta_consent.services.clients import ClientService
from kanta_consent.services.consent import ConsentService
from kanta_consent.services.ports import Clock, DecisionStore, Store
from kanta_consent.settings import Settings

ROUTERS: list[APIRouter] = [
    decisions.router,
    choices.router,
    cds.router,
    fhir.router,
    pages.router,
    my_data.router,
]

DESCRIPTION = """\
Disclosure decisions under Finland's My Kanta rules, for care systems.

Clients authenticate with HTTP Basic: the client id and secret issued by
`kanta-consent clients add --register R`. A care system asks and records
only as its own register; operator clients (`--operator`) may ask as of
another moment and use the FHIR endpoints. Every error is
application/problem+json naming the field and the value. See docs/api.md.
"""


def build_app(
    settings: Settings | None = None,
    store: Store | None = None,
    clock: Clock | None = None,
    demo: bool = False,
) -> FastAPI:
    """Builds the FastAPI application over a store and a clock."""
    settings = settings or Settings()
    store = store if store is not None else MemoryStore()
    app = FastAPI(
        title="kanta-consent",
        version=__version__,
        description=DESCRIPTION,
        lifespan=_lifespan,
        # The interactive pages fetch Swagger UI from a CDN into the reader's
        # browser: a development convenience, so only under --demo. The
        # document itself is always at /openapi.json.
        docs_url="/docs" if demo else None,
        redoc_url=None,
    )

    @app.get("/health", tags=["operations"])
    async def health() -> dict[str, str]:
        """Tells that the service runs; also the benchmarks' no-op yardstick."""
        return {"status": "ok"}

    app.state.settings = settings
    app.state.demo = demo
    app.state.store = store
    app.state.clock = clock or SystemClock()
    app.state.consent = ConsentService(store)
    app.state.decision_store = decision_store_for(store)
    app.state.read_groups = ReadGroups(app.state.decision_store)
    app.state.log_groups = LogGroups(app.state.decision_store)
    app.state.clients = ClientService(store)
    app.state.client_cache = ClientCache()
    for router in ROUTERS:
        app.include_router(router)
    if demo:
        # The test identity provider exists only under --demo (issue 5).
        app.include_router(test_idp.router)
    app.include_router(pages.fallback)  # last: unknown /portal/ pages get HTML
    problems.install(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(RequestLog)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    # The decision routes' connections belong to the loop that opened them.
    decisions: DecisionStore = app.state.decision_store
    await decisions.close()


def _openapi(app: FastAPI) -> dict[str, Any]:
    # The problem documents are answered by exception handlers, so FastAPI
    # does not see their schema; it is added here for every $ref to it.
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = problems.Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        _drop_default_validation_errors(schema)
        app.openapi_schema = schema
    return app.openapi_schema


def _drop_default_validation_errors(schema: dict[str, Any]) -> None:
    # FastAPI adds a 422 of its own shape to every route with a body; ours
    # answer problem+json instead, and the CDS route a 400 (CDS-HOOKS.md).
    default = "#/components/schemas/HTTPValidationError"
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            for status, response in list(responses.items()):
                content = response.get("content", {}).get("application/json", {})
                if content.get("schema", {}).get("$ref") == default:
                    del responses[status]
    schemas = schema.get("components", {}).get("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
