"""How many rows per second `kanta-consent import` takes into SQLite and PostgreSQL.

Run as `.venv/bin/python benchmarks/imports.py [PEOPLE]` (default 100,000).
It writes, in a temporary folder, a people file and a service events file
with one event per person (test identity codes only, ID-3), then imports
both through `services.imports.import_file`, the path the CLI takes, into
a fresh SQLite file and a fresh PostgreSQL database (made on the server of
KANTA_CONSENT_TEST_POSTGRES_URL and dropped afterwards). It prints rows per
second per file and for both together. The goal is 20,000 rows per second.

The machine may be shared: the CPU time this process used is printed too,
so that a slow figure can be told apart from a busy machine.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import structlog
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from kanta_consent.adapters.sql import SqlStore, make_engine
from kanta_consent.adapters.sql.migrate import upgrade
from kanta_consent.domain.identity import check_character
from kanta_consent.services.imports import import_file

GOAL = 20_000
SERVER = os.environ.get(
    "KANTA_CONSENT_TEST_POSTGRES_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
)
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def codes(count: int) -> Iterator[str]:
    """Yields distinct test codes: 100 individual numbers per birth date."""
    first = date(1940, 1, 1)
    for index in range(count):
        born = first + timedelta(days=index // 100)
        ddmmyy = born.strftime("%d%m") + f"{born.year % 100:02d}"
        sign = "A" if born.year >= 2000 else "-"
        number = f"{900 + index % 100:03d}"
        yield f"{ddmmyy}{sign}{number}{check_character(ddmmyy + number)}"


def write_files(folder: Path, people: int) -> dict[str, Path]:
    """Writes the directory, people and events files; returns them by kind."""
    files = {
        "organisations": folder / "organisations.csv",
        "registers": folder / "registers.csv",
        "people": folder / "people.csv",
        "events": folder / "events.csv",
    }
    files["organisations"].write_text("id,name,public\nvarha,Varha,yes\n")
    files["registers"].write_text(
        "id,organisation,kind\nvarha-health,varha,public-health\n"
    )
    with (
        files["people"].open("w") as people_file,
        files["events"].open("w") as events_file,
    ):
        people_file.write("code,name,safety_ban\n")
        events_file.write("id,person,register,date,capacity\n")
        for index, code in enumerate(codes(people)):
            people_file.write(f"{code},Testi {index},no\n")
            day = date(2020, 1, 1) + timedelta(days=index % 1500)
            events_file.write(f"ev-{index},{code},varha-health,{day},\n")
    return files


def measure(name: str, engine: Engine, files: dict[str, Path]) -> None:
    """Imports the files into a migrated, empty database and prints rows/s."""
    upgrade(engine)
    store = SqlStore(engine)
    total_rows = 0
    total_seconds = 0.0
    for kind, path in files.items():
        started, cpu = time.perf_counter(), time.process_time()
        report = import_file(store, kind, path, NOW)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        assert report.refused == 0, report.problems[:3]
        if kind in ("people", "events"):
            total_rows += report.rows
            total_seconds += seconds
            print(
                f"{name:<10} {kind:<7} {report.rows:>8} rows  {seconds:6.2f} s  "
                f"{report.rows / seconds:>9,.0f} rows/s  "
                f"(CPU of this process: {cpu:.2f} s)"
            )
    rate = total_rows / total_seconds
    verdict = "meets" if rate >= GOAL else "misses"
    print(
        f"{name:<10} {'both':<7} {total_rows:>8} rows  {total_seconds:6.2f} s  "
        f"{rate:>9,.0f} rows/s  ({verdict} the goal of {GOAL:,})"
    )


@contextmanager
def postgres_database() -> Iterator[URL]:
    """A database made for the benchmark on the server, dropped afterwards."""
    admin = make_engine(SERVER, isolation_level="AUTOCOMMIT")
    name = f"kanta_bench_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield admin.url.set(database=name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    # Each import logs a line of counts; here only the figures are wanted.
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING)
    )
    with tempfile.TemporaryDirectory(prefix="kanta-bench-") as folder:
        files = write_files(Path(folder), people)
        print(f"importing {people:,} people and {people:,} service events")

        sqlite = make_engine(f"sqlite:///{folder}/store.db")
        try:
            measure("sqlite", sqlite, files)
        finally:
            sqlite.dispose()

        with postgres_database() as url:
            postgres = make_engine(url)
            try:
                measure("postgresql", postgres, files)
            finally:
                postgres.dispose()


if __name__ == "__main__":
    main()
