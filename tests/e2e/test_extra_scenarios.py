"""The project's own scenarios (tests/scenarios) all pass through the CLI.

They are written from DOMAIN.md, one rule or corner each, in the format of
SCENARIOS.md, and run exactly as an outside examiner runs theirs.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kanta_consent.entrypoints.cli.main import app

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_every_scenario_of_the_rule_book_passes_through_the_cli() -> None:
    files = sorted(SCENARIOS.glob("*.yaml"))

    result = CliRunner().invoke(app, ["scenarios", "run", str(SCENARIOS)])

    lines = result.output.splitlines()
    failing = [line for line in lines if not line.startswith("PASS ")]
    assert failing == [f"{len(files)} passed, 0 failed"]
    assert result.exit_code == 0
    assert len(files) >= 30
