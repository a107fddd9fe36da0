"""The built-in test identity provider of --demo, like a test bank login.

A real OpenID Connect provider in a few endpoints: discovery, authorize (a
page listing the demo people), token (an RS256-signed id_token), JWKS and
userinfo. It answers only in an application built with demo=True, and only
test codes (ID-3) can log in with it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote, urlencode

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeyParameters, RSAKey

from kanta_consent.domain.errors import InvalidIdentityCode
from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.entrypoints.web.error_words import (
    identity_code_text,
    not_a_test_code_text,
)
from kanta_consent.entrypoints.web.i18n import date_text, gettext
from kanta_consent.entrypoints.web.render import render
from kanta_consent.entrypoints.web.session import PortalRoute, check_csrf
from kanta_consent.entrypoints.web.state import (
    base_url,
    demo_identities,
    portal_state,
)
from kanta_consent.services.demo_people import DemoIdentity

CLIENT_ID = "kanta-consent-portal"
IDENTITY_CLAIM = "hetu"
PATH = "/portal/test-idp"
CODE_SECONDS = 60


@dataclass
class TestProvider:
    """The provider's key, client secret, and the codes and tokens it issued."""

    key: RSAKey
    client_secret: str
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def provider_of(app: FastAPI) -> TestProvider:
    """Returns the application's test provider, made on first use."""
    state = portal_state(app)
    if not state.demo:
        raise HTTPException(404)
    with state.lock:
        if state.provider is None:
            state.provider = _new_provider()
    found: TestProvider = state.provider
    return found


def _new_provider() -> TestProvider:
    parameters: KeyParameters = {
        "use": "sig",
        "alg": "RS256",
        "kid": secrets.token_hex(8),
    }
    key = RSAKey.generate_key(2048, parameters=parameters)
    return TestProvider(key, secrets.token_urlsafe(32))


def issuer(base: str) -> str:
    """Returns the provider's issuer address under the portal's base."""
    return base + PATH


def _base(request: Request) -> str:
    return base_url(request)


def described(identity: DemoIdentity) -> str:
    """Says who a demo person is, in the language of the request."""
    values = {
        name: date_text(value) if isinstance(value, date) else value
        for name, value in identity.parameters.items()
    }
    text = gettext(identity.description)
    return text % values if values else text


router = APIRouter(prefix=PATH, route_class=PortalRoute, include_in_schema=False)


@router.get("/.well-known/openid-configuration")
def discovery(request: Request) -> dict[str, Any]:
    """Describes the provider (OpenID Connect Discovery 1.0)."""
    provider_of(request.app)
    here = issuer(_base(request))
    return {
        "issuer": here,
        "authorization_endpoint": here + "/authorize",
        "token_endpoint": here + "/token",
        "jwks_uri": here + "/jwks",
        "userinfo_endpoint": here + "/userinfo",
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
        ],
        "scopes_supported": ["openid"],
        "claims_supported": ["sub", IDENTITY_CLAIM],
    }


@router.get("/jwks")
def jwks(request: Request) -> dict[str, Any]:
    """Publishes the public signing key."""
    key = provider_of(request.app).key
    return {"keys": [key.as_dict(private=False)]}


def _check_request(request: Request, values: dict[str, str]) -> None:
    if values.get("client_id") != CLIENT_ID:
        raise HTTPException(400, "unknown client_id")
    if values.get("redirect_uri") != _base(request) + "/portal/callback":
        raise HTTPException(400, "redirect_uri is not the registered one")
    if values.get("response_type", "code") != "code":
        raise HTTPException(400, "only response_type=code")


_PASSED = ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce")


@router.get("/authorize")
def authorize_page(request: Request) -> Response:
    """Shows the demo people to log in as, like a test bank."""
    provider_of(request.app)
    values = {k: v for k, v in request.query_params.items() if k in _PASSED}
    _check_request(request, values)
    identities = demo_identities(request.app)
    return render(
        request,
        "test_idp.html",
        identities=identities,
        described=described,
        passed=values,
        error=None,
    )


@router.post("/authorize")
async def authorize(request: Request) -> Response:
    """Issues a code for the chosen person and returns to the portal."""
    provider = provider_of(request.app)
    form = await check_csrf(request)
    values = {k: v for k, v in form.items() if k in _PASSED}
    _check_request(request, values)
    code, problem = _chosen_code(request, form)
    if code is None:
        identities = demo_identities(request.app)
        return render(
            request,
            "test_idp.html",
            status=400,
            identities=identities,
            described=described,
            passed=values,
            error=True,
            problem=problem,
        )
    issued = secrets.token_urlsafe(24)
    provider.codes[issued] = {
        "person": code,
        "nonce": values.get("nonce"),
        "redirect_uri": values["redirect_uri"],
        "expires": time.time() + CODE_SECONDS,
    }
    answer = {"code": issued, "state": values.get("state", "")}
    return RedirectResponse(
        values["redirect_uri"] + "?" + urlencode(answer), status_code=303
    )


def _chosen_code(
    request: Request, form: dict[str, str]
) -> tuple[str | None, str | None]:
    """Returns the chosen person's code, or None and what was wrong."""
    identities = demo_identities(request.app)
    picked = form.get("person", "")
    if picked.isdigit() and int(picked) < len(identities):
        return identities[int(picked)].code, None
    typed = form.get("code", "")
    if not typed.strip():
        return None, None
    try:
        parsed = parse_identity_code(typed)
    except InvalidIdentityCode as error:
        return None, identity_code_text(error)
    # ID-3: the test provider lets in test codes only.
    if not parsed.is_test_code:
        return None, not_a_test_code_text()
    return parsed.value, None


def _client_secret(request: Request, form: dict[str, str]) -> tuple[str, str]:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
        except ValueError:
            # Not base64, or not UTF-8 text: no client, as a wrong secret.
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return unquote(client_id), unquote(secret)
    return form.get("client_id", ""), form.get("client_secret", "")


def _error(error: str) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=400)


@router.post("/token")
async def token(request: Request) -> Response:
    """Exchanges a code for an access token and a signed id_token."""
    provider = provider_of(request.app)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    client_id, secret = _client_secret(request, form)
    # Compared as bytes: compare_digest refuses text that is not ASCII.
    if client_id != CLIENT_ID or not secrets.compare_digest(
        secret.encode(), provider.client_secret.encode()
    ):
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    if form.get("grant_type") != "authorization_code":
        return _error("unsupported_grant_type")
    issued = provider.codes.pop(form.get("code", ""), None)
    if issued is None or issued["expires"] < time.time():
        return _error("invalid_grant")
    if issued["redirect_uri"] != form.get("redirect_uri"):
        return _error("invalid_grant")
    access = secrets.token_urlsafe(24)
    provider.tokens[access] = issued["person"]
    id_token = _id_token(request, provider, issued)
    return JSONResponse(
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        },
        headers={"Cache-Control": "no-store"},
    )


def _subject(provider: TestProvider, person: str) -> str:
    # The subject is stable per person but does not show the identity code.
    return hashlib.sha256((provider.client_secret + person).encode()).hexdigest()


def _id_token(request: Request, provider: TestProvider, issued: dict[str, Any]) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer(_base(request)),
        "sub": _subject(provider, issued["person"]),
        "aud": CLIENT_ID,
        "iat": now,
        "auth_time": now,
        "exp": now + 300,
        IDENTITY_CLAIM: issued["person"],
    }
    if issued.get("nonce"):
        claims["nonce"] = issued["nonce"]
    header = {"alg": "RS256", "kid": provider.key.kid}
    return jwt.encode(header, claims, provider.key)


@router.get("/userinfo")
def userinfo(request: Request) -> Response:
    """Returns the claims of an access token's person."""
    provider = provider_of(request.app)
    header = request.headers.get("authorization", "")
    person = provider.tokens.get(header.removeprefix("Bearer ").strip())
    if person is None:
        return JSONResponse({"error": "invalid_token"}, status_code=401)
    return JSONResponse({"sub": _subject(provider, person), IDENTITY_CLAIM: person})
