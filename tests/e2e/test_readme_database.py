"""README: the default database is relative to the folder the CLI runs in.

`sqlite:///var/kanta-consent.db` names a file under the current folder, so
an operator's `kanta-consent clients list` run from elsewhere reads a new,
empty database; the README says so and how to avoid it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).parent / "kanta-consent"
DEFAULT = Path("var") / "kanta-consent.db"


def _clients_list(cwd: Path, url: str | None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "KANTA_CONSENT_LOG_FORMAT": "json"}
    if url is not None:
        env["KANTA_CONSENT_DATABASE_URL"] = url
    return subprocess.run(
        [str(CLI), "clients", "list"],
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


def test_the_cli_run_elsewhere_uses_the_folders_own_database(tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    absolute = f"sqlite:///{project / DEFAULT}"

    made = _clients_list(project, None)
    stray = _clients_list(elsewhere, None)
    kept = _clients_list(tmp_path, absolute)

    assert made.returncode == 0, made.stderr
    assert (project / DEFAULT).exists()
    assert stray.returncode == 0, stray.stderr
    assert (elsewhere / DEFAULT).exists()
    assert absolute.startswith("sqlite:////")
    assert kept.returncode == 0, kept.stderr
    assert not (tmp_path / DEFAULT).exists()
