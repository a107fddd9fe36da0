"""The operator's command line: `kanta-consent ...`."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer

from kanta_consent.entrypoints.cli import (
    calendar,
    clients,
    db,
    demo,
    imports,
    log,
    notice,
    scenarios,
)

app = typer.Typer(
    name="kanta-consent",
    help="Kanta information, disclosure permissions and prohibitions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(scenarios.app, name="scenarios")
app.add_typer(db.app, name="db")
app.add_typer(log.app, name="log")
app.add_typer(imports.app, name="import", help="Import a CSV file (docs/imports.md).")
app.add_typer(clients.app, name="clients")
app.add_typer(calendar.app, name="calendar")
app.add_typer(notice.app, name="notice")
app.add_typer(demo.app, name="demo")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option(help="Load demo data into an empty store; test login.")
    ] = False,
) -> None:
    """Serve the decision API and the portal; the database is upgraded first."""
    import gc
    import logging

    import uvicorn

    from kanta_consent.adapters.logging import configure_logging
    from kanta_consent.bootstrap import create_app
    from kanta_consent.entrypoints.cli.demo import step_progress
    from kanta_consent.settings import load_settings

    settings = load_settings()
    # The address is taken first: a port already in use is told at once,
    # before the database is upgraded or the demo data loaded for nothing.
    listening = _listen(host, port)
    with step_progress() as progress:
        # Configured inside the bars, the log's lines print above them.
        configure_logging(settings.log_format)
        # Alembic tells of every migration it looks at; only warnings matter.
        logging.getLogger("alembic").setLevel(logging.WARNING)
        application = create_app(demo=demo, settings=settings, progress=progress)
    configure_logging(settings.log_format)
    # What start-up made lives as long as the server: frozen, the garbage
    # collector stops walking it, which cost a batch of 1,000 decisions a
    # quarter of its CPU (docs/performance.md).
    gc.freeze()
    # uvicorn's own access line is left out: it would log every request twice
    # and with its query string (a login callback's code and state, or a
    # percent-encoded identity code); the app's `http_request` event logs the
    # path alone.
    config = uvicorn.Config(
        application, host=host, port=port, log_config=None, access_log=False
    )
    uvicorn.Server(config).run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    """Returns a socket listening on the address, or exits naming it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=2048)
    except (OSError, OverflowError) as error:
        why = getattr(error, "strerror", None) or str(error)
        typer.echo(f"error: cannot listen on {host} port {port}: {why}", err=True)
        raise typer.Exit(1) from None


def _unused(path: Path) -> None:  # pragma: no cover - keeps Path imported for typer
    del path
