"""A malformed scenario file is one line naming file, line and value (SCENARIOS.md).

Each broken file counts as failed, never crashes the run and never stops
the files after it; the exit code is then non-zero.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import typer
from builders import ADULT, OTHER_ADULT
from typer.testing import CliRunner

from kanta_consent.domain.calendar import Calendar
from kanta_consent.entrypoints.cli import scenarios
from kanta_consent.services.ports import Store
from kanta_consent.services.scenario_runner import run_file

app = typer.Typer()
app.add_typer(scenarios.app, name="scenarios")

GOOD = f"""\
name: an adult acknowledges and enters
people:
  maija: {ADULT}
organisations:
  hus:
    public: true
    registers: {{hus-health: public-health}}
steps:
  - at: 2022-01-01T10:00
    do: acknowledge
    as: maija
  - at: 2022-01-01T10:01
    portal: {{as: maija}}
    expect: enter
"""


def run(*paths: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["scenarios", "run", *map(str, paths)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output.splitlines()


BROKEN = {
    "bad-yaml": (
        GOOD.replace("{as: maija}", "{as: maija"),
        14,
        "not YAML",
    ),
    "unknown-key": (GOOD.replace("people:", "peeple: 1\npeople:"), 2, "'peeple'"),
    "impossible-date-in-a-date-field": (
        GOOD + "service_events:\n"
        "  visit: {person: maija, register: hus-health, date: 2021-02-30}\n",
        16,
        "'2021-02-30' is not a date",
    ),
    "date-without-dashes": (
        GOOD + "mandates:\n  - {holder: maija, principal: maija, from: 20210101}\n",
        16,
        "20210101",
    ),
    "impossible-moment": (
        GOOD.replace("2022-01-01T10:01", "2022-02-30T10:01"),
        12,
        "'2022-02-30T10:01' is not a moment",
    ),
    "unknown-alias": (GOOD.replace("{as: maija}", "{as: matti}"), 13, "'matti'"),
    "alias-twice": (
        GOOD.replace(
            f"  maija: {ADULT}\n", f"  maija: {ADULT}\n  maija: {OTHER_ADULT}\n"
        ),
        4,
        "'maija' twice",
    ),
    "register-named-twice": (
        GOOD.replace(
            "registers: {hus-health: public-health}",
            "registers: {hus-health: public-health}\n"
            "  pirha:\n    public: true\n    registers: {hus-health: public-health}",
        ),
        10,
        "'hus-health' is named twice",
    ),
    "action-out-of-order": (
        GOOD + "  - at: 2021-12-31T10:00\n    do: decline\n    as: maija\n",
        15,
        "2021-12-31T10:00",
    ),
    "decide-without-to": (
        GOOD
        + "  - at: 2022-01-01T10:02\n"
        + "    decide: {data: {person: maija, register: hus-health}}\n"
        + "    expect: permit\n",
        16,
        "'to' is missing",
    ),
    "alias-that-is-a-list": (
        GOOD.replace("{as: maija}", "{as: [maija]}"),
        13,
        "['maija']",
    ),
    "action-that-is-a-mapping": (
        GOOD.replace("do: acknowledge", "do: {acknowledge: 1}"),
        10,
        "{'acknowledge': 1}",
    ),
    "unknown-calendar-setting": (
        GOOD.replace("people:", "calendar: {reformation: 2021-11-01}\npeople:", 1),
        2,
        "'reformation'",
    ),
    "unknown-register-kind": (
        GOOD.replace("hus-health: public-health", "hus-health: hospital"),
        7,
        "'hospital'",
    ),
    "check-without-expect": (
        GOOD.replace("    expect: enter\n", ""),
        12,
        "needs 'expect'",
    ),
    "withdraw-of-an-unknown-prohibition": (
        GOOD + "  - at: 2022-01-01T10:02\n    do: withdraw\n    as: maija\n"
        "    choice: no-such-id\n",
        18,
        "'no-such-id'",
    ),
    "expect-not-allowed": (
        GOOD.replace("expect: enter", "expect: permit"),
        14,
        "'permit'",
    ),
    "refusal-code-unknown": (
        GOOD.replace(
            "    do: acknowledge\n    as: maija\n",
            "    do: acknowledge\n    as: maija\n"
            "    expect: refused\n    reason: too-late\n",
        ),
        13,
        "'too-late'",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_malformed_file_is_one_line_with_file_line_and_value(
    tmp_path: Path, name: str
) -> None:
    text, line, value = BROKEN[name]
    path = tmp_path / f"a-{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "b-good.yaml").write_text(GOOD, encoding="utf-8")

    code, lines = run(tmp_path)

    assert code == 1
    assert lines[0].startswith(f"FAIL {path}:{line}: ")
    assert value in lines[0]
    assert lines[1:] == [
        f"PASS {tmp_path / 'b-good.yaml'}: an adult acknowledges and enters",
        "1 passed, 1 failed",
    ]


def test_a_file_that_is_not_utf8_is_one_line_and_the_others_still_run(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a-binary.yaml"
    path.write_bytes(b"name: x\n\xff\xfe\n")
    (tmp_path / "b-good.yaml").write_text(GOOD, encoding="utf-8")

    code, lines = run(tmp_path)

    assert code == 1
    assert lines[0] == f"FAIL {path}:2: not UTF-8 text: invalid start byte"
    assert lines[-1] == "1 passed, 1 failed"


def test_an_unforeseen_error_while_running_fails_that_file_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")

    def broken_store(calendar: Calendar) -> Store:
        raise RuntimeError("the store is gone")

    result = run_file(path, broken_store)

    assert not result.passed
    assert result.error == f"{path}: RuntimeError: the store is gone"
