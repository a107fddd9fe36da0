"""`kanta-consent demo ...`: the synthetic population of the demo.

`demo generate` writes the import files (docs/imports.md) of a population
with test identity codes only (ID-3); `serve --demo` loads the same files
into an empty store. Progress goes to standard error, the summary to
standard output.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from kanta_consent.services.demo_load import LoadProgress
from kanta_consent.services.demo_people import ROLES
from kanta_consent.services.demo_population import SEED

app = typer.Typer(
    help="Demo data with test identity codes (ID-3).", no_args_is_help=True
)


@app.command("generate")
def generate(
    out: Annotated[
        Path, typer.Option(file_okay=False, help="Folder for the CSV files.")
    ],
    people: Annotated[
        int, typer.Option(min=len(ROLES), help="People in the population.")
    ] = 10_000,
    seed: Annotated[int, typer.Option(help="The same seed gives the same rows.")] = (
        SEED
    ),
) -> None:
    """Write import files for a synthetic population, one file per kind."""
    from kanta_consent.adapters.clock import SystemClock
    from kanta_consent.domain.identity import HELSINKI
    from kanta_consent.services.demo_population import csv_sink, files_of
    from kanta_consent.services.demo_population import generate as run

    today = SystemClock().now().astimezone(HELSINKI).date()
    started = time.perf_counter()
    with step_progress() as progress, csv_sink(out) as sink:
        counts = run(
            sink,
            people,
            today,
            seed=seed,
            progress=lambda done: progress("people", done, people),
        )
    elapsed = time.perf_counter() - started

    for kind, path in files_of(out):
        typer.echo(f"{path}: {counts.rows[kind]} rows ({kind})")
    rate = counts.total / elapsed if elapsed else 0.0
    typer.echo(f"{counts.total} rows in {elapsed:.1f} s ({rate:,.0f} rows/s)")


@contextmanager
def step_progress() -> Iterator[LoadProgress]:
    """Draws one rich progress bar per step on standard error, when a terminal."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda step, done, total: None
        return
    columns = (
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bars:
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            task = tasks.get(step)
            if task is None:
                task = tasks[step] = bars.add_task(step, total=total)
            bars.update(task, completed=done)

        yield report
