"""The operator's command line on one database, as the CLI tests drive it.

A module of its own, not the conftest: tests import `Cli` from here, and a
test module importing `conftest` got another directory's conftest when
pytest collected two directories with one (tests/integration's).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


def upgraded(cli: Cli) -> Cli:
    """Runs `kanta-consent db upgrade` on the command line's database."""
    result = cli.run("db", "upgrade")
    assert result.exit_code == 0, result.output
    return cli
