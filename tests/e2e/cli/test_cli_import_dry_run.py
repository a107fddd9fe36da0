"""`kanta-consent import KIND FILE --dry-run` leaves the database as it was.

No SQLite file is made where there was none, an empty database gets no
table, and an older schema is not migrated (issue #3); the rows are still
checked and reported wherever the store can be read.
"""

from __future__ import annotations

from pathlib import Path

from cli_driver import Cli
from import_files import GOOD, HEADERS, STRANGER, refused, summary
from sqlalchemy import inspect

from kanta_consent.adapters.sql.migrate import current_revision, head_revision, upgrade

NOTE_EMPTY = (
    "note: the database is empty and was left so; the rows were checked "
    "against an empty store, as the import would find it after "
    "`kanta-consent db upgrade`"
)
NOTE_MISSING = (
    "note: the database file does not exist and was left so; the rows were "
    "checked against an empty store, as the import would find it after "
    "`kanta-consent db upgrade`"
)


def sqlite_file(cli: Cli) -> Path:
    return Path(cli.url.removeprefix("sqlite:///"))


def tables(cli: Cli) -> list[str]:
    with cli.store() as store, store.engine.connect() as conn:
        return inspect(conn).get_table_names()


def test_a_dry_run_on_a_missing_sqlite_file_makes_no_file_and_checks_the_rows(
    unmade_cli: Cli,
) -> None:
    bad = f"{STRANGER[:-1]}Ö,Väärä Testi,no"
    path = unmade_cli.csv("people.csv", HEADERS["people"], *GOOD["people"], bad)

    result = unmade_cli.run("import", "people", path, "--dry-run")

    assert result.exit_code == 1, result.output
    assert not sqlite_file(unmade_cli).exists()
    assert result.stdout.splitlines()[0] == NOTE_MISSING
    assert refused(result) == [(6, "code")]
    assert summary(result) == (
        "people: 5 rows; 4 added, 0 updated, 0 unchanged, 1 refused "
        "(would be written: 4)"
    )


def test_a_dry_run_in_a_missing_folder_makes_no_folder(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    cli = Cli(f"sqlite:///{folder / 'store.db'}", tmp_path)
    path = cli.csv(
        "organisations.csv", HEADERS["organisations"], *GOOD["organisations"]
    )

    result = cli.run("import", "organisations", path, "--dry-run")

    assert result.exit_code == 0, result.output
    assert not folder.exists()


def test_a_dry_run_on_an_empty_sqlite_file_leaves_it_empty(unmade_cli: Cli) -> None:
    sqlite_file(unmade_cli).write_bytes(b"")
    path = unmade_cli.csv("people.csv", HEADERS["people"], *GOOD["people"])

    result = unmade_cli.run("import", "people", path, "--dry-run")

    assert result.exit_code == 0, result.output
    assert sqlite_file(unmade_cli).read_bytes() == b""
    assert result.stdout.splitlines()[0] == NOTE_EMPTY


def test_a_dry_run_on_an_empty_database_migrates_nothing(empty_cli: Cli) -> None:
    cli = empty_cli
    # The SQLite file exists, empty, as a PostgreSQL schema does.
    if cli.url.startswith("sqlite"):
        sqlite_file(cli).write_bytes(b"")
    path = cli.csv("people.csv", HEADERS["people"], *GOOD["people"])

    result = cli.run("import", "people", path, "--dry-run")

    assert result.exit_code == 0, result.output
    assert tables(cli) == []
    assert result.stdout.splitlines()[0] == NOTE_EMPTY
    assert summary(result) == (
        "people: 4 rows; 4 added, 0 updated, 0 unchanged, 0 refused "
        "(would be written: 4)"
    )


def test_a_dry_run_on_an_empty_database_refuses_what_names_missing_rows(
    empty_cli: Cli,
) -> None:
    cli = empty_cli
    path = cli.csv("registers.csv", HEADERS["registers"], *GOOD["registers"])

    result = cli.run("import", "registers", path, "--dry-run")

    assert result.exit_code == 1, result.output
    assert refused(result) == [(line, "organisation") for line in (2, 3, 4, 5)]
    assert "would be written: 0" in summary(result)


def test_a_dry_run_on_an_older_schema_migrates_nothing_and_says_why(
    empty_cli: Cli,
) -> None:
    cli = empty_cli
    with cli.store() as store:
        upgrade(store.engine, "0004")
    path = cli.csv("people.csv", HEADERS["people"], *GOOD["people"])

    result = cli.run("import", "people", path, "--dry-run")

    with cli.store() as store:
        revision = current_revision(store.engine)
    assert result.exit_code == 2
    assert revision == "0004"
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"error: the database {cli.url} is at schema revision 0004, this "
        f"version needs {head_revision()}: run `kanta-consent db upgrade` first"
    )


def test_a_dry_run_on_a_current_database_checks_against_its_rows(cli: Cli) -> None:
    organisations = cli.csv(
        "organisations.csv", HEADERS["organisations"], *GOOD["organisations"]
    )
    assert cli.run("import", "organisations", organisations).exit_code == 0
    path = cli.csv("registers.csv", HEADERS["registers"], *GOOD["registers"])

    result = cli.run("import", "registers", path, "--dry-run")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("registers: ")
    assert summary(result) == (
        "registers: 4 rows; 4 added, 0 updated, 0 unchanged, 0 refused "
        "(would be written: 4)"
    )
