"""Fixtures of the operator command-line tests: a real database and the CLI.

Each test gets a database of its own, a SQLite file or (marked `postgres`)
a schema of its own in a PostgreSQL database made for the session, and runs
`kanta-consent` against it through typer's runner, as the operator would
with KANTA_CONSENT_DATABASE_URL set. `cli` and `sqlite_cli` have been
through `kanta-consent db upgrade`, as an operator's database has before
any other command takes it; `empty_cli` and `unmade_cli` have not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from kanta_consent.adapters.sql import SqlStore, make_engine
from kanta_consent.entrypoints.cli.main import app


@dataclass
class Cli:
    """The command line on one database, with a folder for the files it reads."""

    url: str
    folder: Path

    def run(self, *args: str) -> Result:
        """Runs `kanta-consent ARGS...` and returns what it printed and exited."""
        runner = CliRunner()
        env = {
            "KANTA_CONSENT_DATABASE_URL": self.url,
            "KANTA_CONSENT_LOG_FORMAT": "json",
        }
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    def write(self, name: str, text: str) -> Path:
        """Writes a file into the test's folder; returns its path."""
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return path

    def csv(self, name: str, header: str, *rows: str) -> str:
        """Writes a CSV file with a header row; returns its path as text."""
        return str(self.write(name, "\n".join([header, *rows]) + "\n"))

    @contextmanager
    def store(self) -> Iterator[SqlStore]:
        """A store on the same database, to look at what was written."""
        made = SqlStore(make_engine(self.url))
        try:
            yield made
        finally:
            made.engine.dispose()


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


def upgraded(cli: Cli) -> Cli:
    """Runs `kanta-consent db upgrade` on the command line's database."""
    result = cli.run("db", "upgrade")
    assert result.exit_code == 0, result.output
    return cli
