"""Login by OpenID Connect through Authlib, for any provider.

A provider configured by the settings (issuer, client id and secret, and the
claim that carries the identity code) is used when there is one; under
--demo without one, the built-in test provider of `test_idp` is used, over
HTTP like any other, so both go through the same client code.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.deprecate import (  # type: ignore[import-untyped]
    AuthlibDeprecationWarning,
)
from fastapi import Request

with warnings.catch_warnings():
    # Authlib warns that it falls back to httpx where httpx2 is missing; the
    # fallback works, and httpx is the project's HTTP client.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.starlette_client import (  # type: ignore[import-untyped]
        OAuth,
        OAuthError,
    )

from kanta_consent.entrypoints.web import test_idp
from kanta_consent.entrypoints.web.state import base_url, portal_state


class NoProvider(Exception):
    """No OpenID Connect provider is configured, and this is not a demo."""


class LoginFailed(Exception):
    """The provider's answer did not give a valid identity."""


@dataclass(frozen=True, slots=True)
class Provider:
    """Where to log in and which claim holds the identity code."""

    metadata_url: str
    client_id: str
    client_secret: str
    identity_claim: str


def provider(request: Request) -> Provider:
    """Returns the configured provider, or the test provider under --demo."""
    state = portal_state(request.app)
    settings = state.settings
    if settings.oidc_issuer:
        return Provider(
            settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
            settings.oidc_client_id,
            settings.oidc_client_secret,
            settings.oidc_identity_claim,
        )
    if state.demo:
        idp = test_idp.provider_of(request.app)
        issuer = test_idp.issuer(base_url(request))
        return Provider(
            issuer + "/.well-known/openid-configuration",
            test_idp.CLIENT_ID,
            idp.client_secret,
            test_idp.IDENTITY_CLAIM,
        )
    raise NoProvider()


def client(request: Request, chosen: Provider) -> Any:
    """Returns the Authlib client of the provider, registered once."""
    registry: dict[str, Any] = portal_state(request.app).oauth
    if chosen.metadata_url not in registry:
        oauth = OAuth()
        oauth.register(
            "portal",
            client_id=chosen.client_id,
            client_secret=chosen.client_secret,
            server_metadata_url=chosen.metadata_url,
            client_kwargs={"scope": "openid"},
        )
        registry[chosen.metadata_url] = oauth.create_client("portal")
    return registry[chosen.metadata_url]


def callback_url(request: Request) -> str:
    """Returns the address the provider sends the person back to."""
    return base_url(request) + "/portal/callback"


async def start(request: Request) -> Any:
    """Sends the person to the provider's login."""
    chosen = provider(request)
    try:
        return await client(request, chosen).authorize_redirect(
            request, callback_url(request)
        )
    except (OAuthError, httpx.HTTPError) as error:
        # The provider could not be reached or described itself wrongly.
        raise LoginFailed(type(error).__name__) from None


async def finish(request: Request) -> str:
    """Returns the identity code the provider vouches for."""
    chosen = provider(request)
    app = client(request, chosen)
    try:
        token = await app.authorize_access_token(request)
    except OAuthError as error:
        raise LoginFailed(error.error) from None
    except httpx.HTTPError as error:
        raise LoginFailed(type(error).__name__) from None
    claims = dict(token.get("userinfo") or {})
    if chosen.identity_claim not in claims:
        # Many providers put extra claims in the userinfo answer only.
        claims.update(await app.userinfo(token=token))
    code = claims.get(chosen.identity_claim)
    if not isinstance(code, str) or not code:
        raise LoginFailed("no identity claim")
    return code
