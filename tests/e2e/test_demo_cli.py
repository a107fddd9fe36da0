"""`kanta-consent demo generate`, and its files through `kanta-consent import`."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from typer.testing import CliRunner

from kanta_consent.domain.identity import parse_identity_code
from kanta_consent.entrypoints.cli.main import app
from kanta_consent.services.import_kinds import KINDS


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    # The command configures logging onto the runner's stream, which is
    # closed when it returns; later tests must not write to it.
    yield
    structlog.reset_defaults()
    logging.getLogger().handlers = []


def run(*args: str, database: Path) -> tuple[int, str]:
    env = {
        "KANTA_CONSENT_DATABASE_URL": f"sqlite:///{database}",
        "KANTA_CONSENT_LOG_FORMAT": "json",
    }
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout


def test_demo_generate_writes_one_file_per_kind_that_the_import_command_takes_whole(
    tmp_path: Path,
) -> None:
    out, database = tmp_path / "demo", tmp_path / "store.db"

    code, printed = run(
        "demo", "generate", "--people", "400", "--out", str(out), database=database
    )
    upgraded, _ = run("db", "upgrade", database=database)
    imported = [
        run("import", kind, str(out / f"{kind}.csv"), database=database)
        for kind in KINDS
    ]

    assert (code, upgraded) == (0, 0)
    assert "rows/s" in printed.splitlines()[-1]
    assert [exit_code for exit_code, _ in imported] == [0] * len(KINDS)
    assert all(" 0 refused" in text for _, text in imported)
    with (out / "people.csv").open(encoding="utf-8") as handle:
        people = [row["code"] for row in csv.DictReader(handle)]
    assert len(people) == 400
    assert all(parse_identity_code(c).is_test_code for c in people)


def test_demo_generate_refuses_fewer_people_than_the_curated_ones(
    tmp_path: Path,
) -> None:
    code, _ = run(
        "demo",
        "generate",
        "--people",
        "3",
        "--out",
        str(tmp_path),
        database=tmp_path / "store.db",
    )

    assert code == 2
    assert not (tmp_path / "people.csv").exists()
