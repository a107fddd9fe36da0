"""`kanta-consent scenarios run PATH...`: the rule book as executable cases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Run scenario files (SCENARIOS.md).", no_args_is_help=True)


@app.command("run")
def run(
    paths: Annotated[list[Path], typer.Argument(help="Files, or folders of *.yaml.")],
) -> None:
    """Run scenarios; print a line each and `N passed, M failed`."""
    from kanta_consent.bootstrap import scenario_store
    from kanta_consent.services.scenario_runner import run_file, scenario_files

    passed = failed = 0
    for path in scenario_files(paths):
        result = run_file(path, scenario_store)
        if result.passed:
            passed += 1
            typer.echo(f"PASS {path}: {result.name}")
            continue
        failed += 1
        if result.error is not None:
            typer.echo(f"FAIL {result.error}")
            continue
        typer.echo(f"FAIL {path}: {result.name}")
        for failure in result.failures:
            typer.echo(
                f"  step {failure.number} (line {failure.line}): "
                f"expected {failure.expected}, got {failure.actual}"
            )
    typer.echo(f"{passed} passed, {failed} failed")
    raise typer.Exit(1 if failed or not passed else 0)
