"""README: the default database is relative to the folder the CLI runs in.

`sqlite:///var/kanta-consent.db` names a file under the current folder, so
an operator's `kanta-consent clients list` run from elsewhere finds no
database there; it says so, naming the file it looked for, and makes none.
The README says so and how to avoid it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).parent / "kanta-consent"
DEFAULT = Path("var") / "kanta-consent.db"


def _cli(cwd: Path, url: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "KANTA_CONSENT_LOG_FORMAT": "json"}
    if url is not None:
        env["KANTA_CONSENT_DATABASE_URL"] = url
    return subprocess.run(
        [str(CLI), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_readme_starts_with_its_two_commands() -> None:
    lines = (REPO / "README.md").read_text().splitlines()

    assert lines[2:4] == ["    ./scripts/demo", "    ./scripts/test"]


def test_readme_tells_operators_where_the_cli_finds_its_database() -> None:
    readme = " ".join((REPO / "README.md").read_text().split())

    assert "from the project folder" in readme
    assert "`sqlite:////" in readme


def test_the_cli_run_elsewhere_finds_no_database_and_names_the_file_it_sought(
    tmp_path: Path,
) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    absolute = f"sqlite:///{project / DEFAULT}"

    made = _cli(project, None, "db", "upgrade")
    listed = _cli(project, None, "clients", "list")
    stray = _cli(elsewhere, None, "clients", "list")
    kept = _cli(tmp_path, absolute, "clients", "list")

    assert made.returncode == 0, made.stderr
    assert (project / DEFAULT).exists()
    assert listed.returncode == 0, listed.stderr
    assert stray.returncode == 2
    assert stray.stderr.splitlines() == [
        "error: the database sqlite:///var/kanta-consent.db does not exist "
        f"(no file {elsewhere / DEFAULT}): check KANTA_CONSENT_DATABASE_URL, "
        "or make it with `kanta-consent db upgrade`"
    ]
    assert not (elsewhere / "var").exists()
    assert absolute.startswith("sqlite:////")
    assert kept.returncode == 0, kept.stderr
    assert not (tmp_path / DEFAULT).exists()
