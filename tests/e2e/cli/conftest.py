"""Fixtures of the operator command-line tests: a real database and the CLI.

Each test gets a database of its own, a SQLite file or (marked `postgres`)
a schema of its own in a PostgreSQL database made for the session, and runs
`kanta-consent` against it through typer's runner, as the operator would
with KANTA_CONSENT_DATABASE_URL set. `cli` and `sqlite_cli` have been
through `kanta-consent db upgrade`, as an operator's database has before
any other command takes it; `empty_cli` and `unmade_cli` have not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_driver import Cli, upgraded


@pytest.fixture
def empty_cli(database_url: str, tmp_path: Path) -> Cli:
    """The command line on an empty database of either kind, never upgraded."""
    return Cli(database_url, tmp_path)


@pytest.fixture
def cli(empty_cli: Cli) -> Cli:
    """The command line on a database of either kind, upgraded."""
    return upgraded(empty_cli)


@pytest.fixture
def unmade_cli(tmp_path: Path) -> Cli:
    """The command line on a SQLite file that does not exist yet."""
    return Cli(f"sqlite:///{tmp_path / 'store.db'}", tmp_path)


@pytest.fixture
def sqlite_cli(unmade_cli: Cli) -> Cli:
    """The command line on a SQLite file, upgraded."""
    return upgraded(unmade_cli)
