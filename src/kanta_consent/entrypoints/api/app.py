"""The HTTP application: the decision API and the portal."""

from __future__ import annotations

from fastapi import FastAPI

from kanta_consent import __version__


def build_app(*, demo: bool = False) -> FastAPI:
    """Builds the FastAPI application."""
    app = FastAPI(title="kanta-consent", version=__version__)

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, str]:
        """Tells that the service runs."""
        return {"status": "ok"}

    app.state.demo = demo
    return app
