"""`kanta-consent clients ...`: API credentials for care systems and operators.

The secret is printed once, when the client is added; the store keeps only
its SHA-256 (services/clients.py), so it cannot be shown again.
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(help="API clients and their credentials.", no_args_is_help=True)


@app.command("add")
def add(
    register: Annotated[
        str, typer.Option("--register", help="The register the client acts as.")
    ],
    operator: Annotated[
        bool,
        typer.Option("--operator", help="An operator client (FHIR export, import)."),
    ] = False,
) -> None:
    """Issue a client id and secret; the secret is shown only this once."""
    from kanta_consent.adapters.clock import SystemClock
    from kanta_consent.entrypoints.cli.store import operator_store
    from kanta_consent.services.clients import ClientService
    from kanta_consent.services.errors import UnknownRegister

    try:
        with operator_store() as store:
            service = ClientService(store)
            issued = service.add(register, SystemClock().now(), operator=operator)
    except UnknownRegister as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None

    role = "an operator" if operator else "a care"
    typer.echo(f"client_id: {issued.client.id}")
    typer.echo(f"secret: {issued.secret}")
    typer.echo(f"{role} client of register {register}; the secret is not kept")


@app.command("list")
def list_clients() -> None:
    """Print every client: id, register, role and when it was added."""
    from kanta_consent.entrypoints.cli.store import operator_store
    from kanta_consent.services.clients import ClientService

    with operator_store() as store:
        clients = ClientService(store).list_clients()

    for client in clients:
        role = "operator" if client.operator else "care"
        created = client.created.isoformat(timespec="seconds")
        typer.echo(f"{client.id}  {client.register}  {role}  {created}")
    typer.echo(f"{len(clients)} clients")
