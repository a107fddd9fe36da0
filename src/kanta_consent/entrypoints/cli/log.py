"""`kanta-consent log ...`: the hash-chained log (LOG-1)."""

from __future__ import annotations

import typer

app = typer.Typer(help="The append-only log (LOG-1).", no_args_is_help=True)


@app.command("verify")
def verify() -> None:
    """Walk the whole chain; name the first wrong or missing entry."""
    from kanta_consent.entrypoints.cli.store import operator_store
    from kanta_consent.services.log import verify_chain

    with operator_store() as store:
        count, problem = verify_chain(store.log_entries())
    if problem is not None:
        typer.echo(f"entry {problem.seq}: {problem.problem}", err=True)
        typer.echo(f"{count} entries verified before it", err=True)
        raise typer.Exit(1)
    typer.echo(f"{count} entries verified; the chain is unbroken")
