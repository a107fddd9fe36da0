"""Settings from the environment, each prefixed `KANTA_CONSENT_`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """What an operator sets; the defaults run the product with nothing else."""

    model_config = SettingsConfigDict(env_prefix="KANTA_CONSENT_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/kanta-consent.db",
        description="SQLAlchemy URL; PostgreSQL as postgresql+psycopg://...",
    )
    secret_key: str = Field(
        default="",
        description="Signs portal sessions; a random one is made when empty.",
    )
    log_format: str = Field(default="console", description="console or json")
    demo_people: int = Field(default=10_000, description="People in the demo data.")
    oidc_issuer: str = Field(default="", description="OpenID Connect issuer URL.")
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_identity_claim: str = Field(
        default="hetu", description="The claim that carries the identity code."
    )
    public_url: str = Field(
        default="", description="The portal's own address, for OIDC redirects."
    )


def load_settings() -> Settings:
    """Reads the settings from the environment."""
    return Settings()
