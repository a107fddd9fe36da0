"""An import killed halfway (SIGKILL) leaves whole batches, and a rerun completes it.

The import runs as the operator runs it, a `kanta-consent` process on a
SQLite file, and is killed with SIGKILL as soon as its first batch is
committed. What it left must be whole batches: every choice with its log
entry, and a log chain that verifies. Running the file again adds only the
rest and counts the stored rows as unchanged.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from cli_driver import Cli
from import_files import hetu, summary

CLI = Path(sys.executable).parent / "kanta-consent"
PEOPLE = 20_000
BATCH = 200


def write_files(cli: Cli) -> tuple[str, str]:
    first = date(1950, 1, 1)
    codes = [
        hetu(first + timedelta(days=day), number)
        for day in range(PEOPLE // 100)
        for number in range(900, 1000)
    ]
    people = cli.csv("people.csv", "code", *codes)
    # INF-5: an earlier-law informing for each, each with a log entry (LOG-1).
    informings = [f"informing,{code},2019-01-10" for code in codes]
    choices = cli.csv("choices.csv", "type,person,date", *informings)
    return people, choices


def stored(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database, timeout=30) as conn:
        choices = conn.execute("SELECT count(*) FROM choices").fetchone()[0]
        logged = conn.execute("SELECT count(*) FROM log_entries").fetchone()[0]
    return choices, logged


def start_import(cli: Cli, path: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KANTA_CONSENT_DATABASE_URL": cli.url}
    command = [str(CLI), "import", "legacy-choices", path, "--batch-size", str(BATCH)]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def kill_after_first_batch(process: subprocess.Popen[bytes], database: Path) -> None:
    # Bounded: the whole import takes seconds; a minute means it is stuck.
    for _ in range(60_000):
        if process.poll() is not None:
            break
        if database.exists() and stored_choices(database) > 0:
            break
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def stored_choices(database: Path) -> int:
    try:
        return stored(database)[0]
    except sqlite3.OperationalError:
        return 0  # The migration has not made the tables yet.


def test_an_import_killed_halfway_leaves_whole_batches_and_a_rerun_completes_it(
    sqlite_cli: Cli,
) -> None:
    cli = sqlite_cli
    database = cli.folder / "store.db"
    people, choices = write_files(cli)
    assert cli.run("import", "people", people).exit_code == 0

    process = start_import(cli, choices)
    kill_after_first_batch(process, database)
    left, logged = stored(database)

    assert process.returncode == -signal.SIGKILL
    assert 0 < left < PEOPLE
    assert left % BATCH == 0
    assert logged == left
    assert cli.run("log", "verify").exit_code == 0

    rerun = cli.run("import", "legacy-choices", choices)

    assert rerun.exit_code == 0, rerun.output
    assert summary(rerun) == (
        f"legacy-choices: {PEOPLE} rows; {PEOPLE - left} added, 0 updated, "
        f"{left} unchanged, 0 refused (were written: {PEOPLE - left})"
    )
    assert stored(database) == (PEOPLE, PEOPLE)
    assert cli.run("log", "verify").exit_code == 0
