"""The installed `kanta-consent` command, run as an operator runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("KANTA_CONSENT_SHARED", REPO.parent / "shared"))
CLI = Path(sys.executable).parent / "kanta-consent"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_lists_the_serve_and_scenarios_commands(tmp_path: Path) -> None:
    result = run_cli("--help", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "serve" in result.stdout
    assert "scenarios" in result.stdout


def test_scenarios_run_passes_every_shared_scenario(tmp_path: Path) -> None:
    folder = SHARED / "scenarios"
    count = len(list(folder.glob("*.yaml")))

    result = run_cli("scenarios", "run", str(folder), cwd=tmp_path)

    assert count > 0, f"no scenarios in {folder}"
    assert result.stdout.splitlines()[-1] == f"{count} passed, 0 failed"
    assert result.returncode == 0, result.stdout + result.stderr
