"""Every command that uses the store first checks the database, writing nothing.

A database that cannot be opened, or is not at this version's newest
revision, ends the command with exit code 2 and one line on standard error
that names the database (password masked) and what to do; no traceback,
no file, no table, no migration. `db upgrade` makes and migrates, and
after it the same commands reach the store.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from cli_driver import Cli, upgraded
from click.testing import Result
from import_files import GOOD, HEADERS
from sqlalchemy import inspect, text

from kanta_consent.adapters.sql import create_schema
from kanta_consent.adapters.sql.migrate import current_revision, head_revision, upgrade

UPGRADE = "`kanta-consent db upgrade`"
VARIABLE = "KANTA_CONSENT_DATABASE_URL"
PASSWORD = "s3cret-Pw"
# A revision these migrations do not hold, as a newer version's would be.
NEWER = "ffff0001"


# One command of each group that uses the store (scenarios run and demo
# generate use none), and the exit code it ends with on an upgraded empty
# database: 1 where it read the store and found no such register or client.
COMMANDS = {
    "import": 0,
    "calendar show": 0,
    "calendar set": 0,
    "notice add": 0,
    "clients add": 1,
    "clients list": 0,
    "clients revoke": 1,
    "log verify": 0,
}
ALSO = ["import --dry-run", "db upgrade"]


def run(cli: Cli, name: str) -> Result:
    return cli.run(*arguments(cli, name))


def arguments(cli: Cli, name: str) -> list[str]:
    people = [
        "import",
        "people",
        cli.csv("people.csv", HEADERS["people"], *GOOD["people"]),
    ]
    fixed = {
        "import": people,
        "import --dry-run": [*people, "--dry-run"],
        "calendar set": [
            "calendar",
            "set",
            "reform",
            "2021-11-01",
            "--from",
            "2990-01-01",
        ],
        "notice add": ["notice", "add", "2990-01", "--current-from", "2990-01-01"],
        "clients add": ["clients", "add", "--register", "reg-a"],
        "clients revoke": ["clients", "revoke", "no-such-client"],
    }
    extra = texts(cli) if name == "notice add" else []
    return [*fixed.get(name, name.split()), *extra]


def texts(cli: Cli) -> list[str]:
    options = ("--text-fi", "--text-sv", "--text-en")
    paths = [str(cli.write(f"{o[-2:]}.txt", "Tiedote")) for o in options]
    return [part for pair in zip(options, paths, strict=True) for part in pair]


def refusal(result: Result) -> str:
    """The one line a refused command printed; nothing else was printed."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def tables(cli: Cli) -> list[str]:
    with cli.store() as store, store.engine.connect() as conn:
        return inspect(conn).get_table_names()


def revision(cli: Cli) -> str | None:
    with cli.store() as store:
        return current_revision(store.engine)


def sqlite_file(cli: Cli) -> Path | None:
    return Path(cli.url.removeprefix("sqlite:///")) if "sqlite" in cli.url else None


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_on_an_empty_database_asks_for_db_upgrade_and_makes_no_table(
    empty_cli: Cli, name: str
) -> None:
    # The SQLite file exists, empty, as a PostgreSQL schema does.
    file = sqlite_file(empty_cli)
    if file is not None:
        file.write_bytes(b"")

    result = run(empty_cli, name)

    assert refusal(result) == (
        f"error: the database {empty_cli.url} has no tables: run {UPGRADE} first"
    )
    assert file is None or file.read_bytes() == b""
    assert tables(empty_cli) == []


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_on_a_missing_sqlite_file_makes_neither_file_nor_folder(
    tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "var"
    cli = Cli(f"sqlite:///{folder / 'store.db'}", tmp_path)

    result = run(cli, name)

    assert refusal(result) == (
        f"error: the database {cli.url} does not exist: check {VARIABLE}, "
        f"or make it with {UPGRADE}"
    )
    assert not folder.exists()


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_on_an_older_schema_names_both_revisions_and_migrates_nothing(
    empty_cli: Cli, name: str
) -> None:
    with empty_cli.store() as store:
        upgrade(store.engine, "0004")

    result = run(empty_cli, name)

    assert refusal(result) == (
        f"error: the database {empty_cli.url} is at schema revision 0004, "
        f"this version needs {head_revision()}: run {UPGRADE} first"
    )
    assert revision(empty_cli) == "0004"


@pytest.mark.parametrize("name", COMMANDS)
def test_after_the_advised_db_upgrade_the_command_reaches_the_store(
    empty_cli: Cli, name: str
) -> None:
    with empty_cli.store() as store:
        upgrade(store.engine, "0004")
    refused = run(empty_cli, name)

    upgraded(empty_cli)
    result = run(empty_cli, name)

    assert refused.exit_code == 2
    assert result.exit_code == COMMANDS[name], result.output
    assert "error: the database" not in result.output


@pytest.mark.parametrize("name", [*COMMANDS, *ALSO])
def test_a_database_a_newer_version_upgraded_is_refused_and_left_at_its_revision(
    cli: Cli, name: str
) -> None:
    with cli.store() as store, store.engine.begin() as conn:
        conn.execute(text(f"UPDATE alembic_version SET version_num = '{NEWER}'"))

    result = run(cli, name)

    assert refusal(result) == (
        f"error: the database {cli.url} is at schema revision {NEWER}, which "
        f"this version does not know (its newest is {head_revision()}): a newer "
        "kanta-consent has upgraded it; use that version"
    )
    assert revision(cli) == NEWER


@pytest.mark.parametrize("name", [*COMMANDS, *ALSO])
def test_tables_the_migrations_did_not_make_are_refused_and_left_as_they_are(
    empty_cli: Cli, name: str
) -> None:
    with empty_cli.store() as store:
        create_schema(store.engine)
    made = sorted(tables(empty_cli))

    result = run(empty_cli, name)

    assert refusal(result) == (
        f"error: the database {empty_cli.url} holds tables but no schema "
        f"revision, so {UPGRADE} did not make it: check {VARIABLE}"
    )
    assert sorted(tables(empty_cli)) == made


@pytest.mark.parametrize("name", [*COMMANDS, *ALSO])
def test_a_server_that_does_not_answer_is_named_with_its_password_masked(
    tmp_path: Path, name: str
) -> None:
    port = unused_port()
    cli = Cli(f"postgresql+psycopg://kanta:{PASSWORD}@127.0.0.1:{port}/kanta", tmp_path)

    result = run(cli, name)

    line = refusal(result)
    assert line.startswith(
        f"error: the database postgresql+psycopg://kanta:***@127.0.0.1:{port}/kanta "
        "cannot be opened (connection failed: "
    )
    assert "Connection refused" in line
    assert line.endswith(f"): check {VARIABLE} and that its server runs")
    assert PASSWORD not in result.output


@pytest.mark.parametrize("name", [*COMMANDS, *ALSO])
def test_a_driver_that_does_not_exist_is_named(tmp_path: Path, name: str) -> None:
    cli = Cli(f"postgresql+nosuch://kanta:{PASSWORD}@127.0.0.1/kanta", tmp_path)

    result = run(cli, name)

    assert refusal(result) == (
        "error: the database postgresql+nosuch://kanta:***@127.0.0.1/kanta cannot "
        f"be opened (no database driver is named postgresql+nosuch): check {VARIABLE}"
    )


@pytest.mark.parametrize("name", [*COMMANDS, *ALSO])
def test_a_setting_that_is_no_url_is_refused_without_being_shown(
    tmp_path: Path, name: str
) -> None:
    cli = Cli(f"kanta:{PASSWORD}", tmp_path)

    result = run(cli, name)

    assert refusal(result) == (
        f"error: {VARIABLE} is not a database URL; write it as "
        "sqlite:////path/to/file.db or postgresql+psycopg://user@host/database"
    )
    assert PASSWORD not in result.output


@pytest.mark.parametrize("name", [*COMMANDS, *ALSO])
def test_a_file_that_is_no_sqlite_database_is_named_and_left_as_it_was(
    unmade_cli: Cli, name: str
) -> None:
    file = sqlite_file(unmade_cli)
    assert file is not None
    file.write_bytes(b"not a database\n")

    result = run(unmade_cli, name)

    assert refusal(result) == (
        f"error: the database {unmade_cli.url} cannot be opened (file is not a "
        f"database): check {VARIABLE}"
    )
    assert file.read_bytes() == b"not a database\n"


@pytest.mark.parametrize("name", COMMANDS)
def test_a_password_in_the_query_string_is_masked_too(
    tmp_path: Path, name: str
) -> None:
    port = unused_port()
    url = f"postgresql+psycopg://kanta@127.0.0.1:{port}/kanta?password={PASSWORD}"
    cli = Cli(url, tmp_path)

    result = run(cli, name)

    assert refusal(result).startswith(
        f"error: the database postgresql+psycopg://kanta@127.0.0.1:{port}/kanta"
        "?password=*** cannot be opened ("
    )
    assert PASSWORD not in result.output
