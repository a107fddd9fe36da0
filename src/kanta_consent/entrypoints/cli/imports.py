"""`kanta-consent import KIND FILE`: CSV files into the store (docs/imports.md).

The report goes to standard output: each refused row with its line, field,
value and reason, then one summary line. The value may be an identity code,
which the operator who owns the file may read; the structlog lines on
standard error carry counts and masked values only. The exit code is 1 when
any row was refused and 2 when the file could not be read at all, or the
database is not at the newest schema (entrypoints/cli/store.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import structlog
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from kanta_consent.services.import_kinds import KINDS
from kanta_consent.services.imports import BATCH_SIZE, ImportReport

if TYPE_CHECKING:
    from kanta_consent.adapters.sql import SqlStore

logger = structlog.get_logger(__name__)

# The import is one command that takes arguments, not a group of commands;
# options may follow the arguments, as they do after a command's.
app = typer.Typer(
    subcommand_metavar="",
    context_settings={"allow_interspersed_args": True},
)

# Files shorter than this finish before a bar would be worth drawing.
PROGRESS_FROM = 10_000


@app.callback(invoke_without_command=True)
def import_file(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(KINDS)}.")],
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV file."),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row; write nothing.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Rows per transaction.", hidden=True)
    ] = BATCH_SIZE,
) -> None:
    """Import a CSV file of one kind; each row is taken whole or reported."""
    from kanta_consent.adapters.clock import SystemClock
    from kanta_consent.services.imports import ImportFileError, count_rows
    from kanta_consent.services.imports import import_file as run_import

    try:
        with (
            _store(dry_run) as (store, note),
            _progress(file, count_rows(file)) as progress,
        ):
            report = run_import(
                store,
                kind,
                file,
                SystemClock().now(),
                dry_run=dry_run,
                batch_size=batch_size,
                progress=progress,
            )
    except ImportFileError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        # Each batch is one transaction: what was written is whole batches.
        typer.echo("interrupted; run the same file again to finish", err=True)
        raise typer.Exit(130) from None

    if note is not None:
        typer.echo(note)
    _print(report)
    raise typer.Exit(1 if report.refused else 0)


@contextmanager
def _store(dry_run: bool) -> Iterator[tuple[SqlStore, str | None]]:
    # A dry run leaves the database as it was: no file made, no migration
    # (issue #3); it may check a file before the database is made, which a
    # real import refuses.
    from kanta_consent.entrypoints.cli.store import dry_run_store, operator_store

    if dry_run:
        with dry_run_store() as checked:
            yield checked
        return
    with operator_store() as store:
        yield store, None


def _print(report: ImportReport) -> None:
    for problem in report.problems:
        typer.echo(f"refused {problem}")
        # The log keeps where and why; the masking processor hides a code
        # that the value or the reason may hold.
        logger.info(
            "import_row_refused",
            kind=report.kind,
            line=problem.line,
            field=problem.field,
            value=problem.value,
            reason=problem.reason,
        )
    typer.echo(report.summary())


@contextmanager
def _progress(file: Path, total: int) -> Iterator[Callable[[int], None]]:
    console = Console(stderr=True)
    if not console.is_terminal or total < PROGRESS_FROM:
        yield lambda done: None
        return
    columns = (TextColumn(file.name), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("import", total=total)
        yield lambda done: bar.update(task, completed=done)
