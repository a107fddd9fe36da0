"""`kanta-consent clients ...`: API credentials for care systems and operators.

The secret is printed once, when the client is added; the store keeps only
its SHA-256 (services/clients.py), so it cannot be shown again. A revoked
client stays listed, marked revoked; the API refuses it (401).
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


@app.command("revoke")
def revoke(
    client_id: Annotated[str, typer.Argument(help="The id of the client to revoke.")],
) -> None:
    """Revoke a client's credentials; the API refuses them from then on."""
    from kanta_consent.adapters.clock import SystemClock
    from kanta_consent.entrypoints.cli.store import operator_store
    from kanta_consent.services.clients import ClientService
    from kanta_consent.services.errors import UnknownClient

    try:
        with operator_store() as store:
            client = ClientService(store).revoke(client_id, SystemClock().now())
    except UnknownClient as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None

    assert client.revoked is not None
    revoked = client.revoked.isoformat(timespec="seconds")
    typer.echo(f"client {client.id} of register {client.register} revoked {revoked}")
    # A server keeps a checked client for a minute (entrypoints/api/auth.py).
    typer.echo("servers refuse it within a minute")


@app.command("list")
def list_clients() -> None:
    """Print every client: id, register, role, when added and any revocation."""
    from kanta_consent.entrypoints.cli.store import operator_store
    from kanta_consent.services.clients import ClientService

    with operator_store() as store:
        clients = ClientService(store).list_clients()

    for client in clients:
        role = "operator" if client.operator else "care"
        created = client.created.isoformat(timespec="seconds")
        line = f"{client.id}  {client.register}  {role}  {created}"
        if client.revoked is not None:
            line += f"  revoked {client.revoked.isoformat(timespec='seconds')}"
        typer.echo(line)
    revoked = sum(client.is_revoked for client in clients)
    typer.echo(f"{len(clients)} clients" + (f", {revoked} revoked" if revoked else ""))
