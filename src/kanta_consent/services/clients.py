"""API clients: issuing credentials and checking them on every request.

A client is a care system acting as one register, or an operator. Its
secret is 32 random bytes shown once; the store keeps only its SHA-256.
An operator may revoke a client; its credentials are refused from then on.
Because the secret has 256 bits of entropy, nobody can guess it from the
hash, so no slow password hash is needed and checking a request costs one
SHA-256 and a constant-time comparison.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kanta_consent.services.errors import UnknownClient, UnknownRegister
from kanta_consent.services.ports import ApiClient, Store

SECRET_BYTES = 32


class InvalidCredentials(Exception):
    """The client id is unknown or the secret does not match."""


class ClientRevoked(InvalidCredentials):
    """The id and secret match a client whose credentials were revoked."""


@dataclass(frozen=True, slots=True)
class IssuedClient:
    """A new client and its secret, which is shown once and never stored."""

    client: ApiClient
    secret: str


def hash_secret(secret: str) -> str:
    """Returns the hex SHA-256 of a secret, the only form that is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ClientService:
    """Issues and checks the credentials of API clients."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self, register: str, moment: datetime, *, operator: bool = False
    ) -> IssuedClient:
        """Issues a client for a known register, with a fresh secret."""
        if register not in self.store.directory().registers:
            raise UnknownRegister("register", register)
        secret = secrets.token_urlsafe(SECRET_BYTES)
        client = ApiClient(
            id="kc-" + secrets.token_hex(8),
            register=register,
            secret_hash=hash_secret(secret),
            operator=operator,
            created=moment,
        )
        with self.store.transaction():
            self.store.add_client(client)
        return IssuedClient(client, secret)

    def list_clients(self) -> Sequence[ApiClient]:
        """Returns every client, oldest first; no secret is kept to show."""
        return self.store.list_clients()

    def revoke(self, client_id: str, moment: datetime) -> ApiClient:
        """Revokes a client's credentials; returns it with the moment revoked.

        Revoking a revoked client again keeps the first moment.
        """
        with self.store.transaction():
            if self.store.find_client(client_id) is None:
                raise UnknownClient("client", client_id)
            self.store.revoke_client(client_id, moment)
            revoked = self.store.find_client(client_id)
        assert revoked is not None
        return revoked

    def authenticate(self, client_id: str, secret: str) -> ApiClient:
        """Returns the client whose id and secret these are, or raises."""
        client = self.store.find_client(client_id)
        expected = client.secret_hash if client is not None else _NO_CLIENT
        # The comparison runs even for an unknown id, so that timing does not
        # tell which ids exist.
        if not hmac.compare_digest(hash_secret(secret), expected) or client is None:
            raise InvalidCredentials(client_id)
        if client.is_revoked:
            raise ClientRevoked(client_id)
        return client


_NO_CLIENT = hash_secret(secrets.token_urlsafe(SECRET_BYTES))
