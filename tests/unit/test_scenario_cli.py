"""`kanta-consent scenarios run`: one line per file, the summary, the exit code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import typer
from builders import ADULT
from typer.testing import CliRunner

from kanta_consent.entrypoints.cli import scenarios

# The same mounting as the operator's command line, without the other groups.
app = typer.Typer()
app.add_typer(scenarios.app, name="scenarios")

PASSING = f"""\
name: an adult acknowledges and enters
people:
  maija: {ADULT}
steps:
  - at: 2022-01-01T10:00
    do: acknowledge
    as: maija
  - at: 2022-01-01T10:01
    portal: {{as: maija}}
    expect: enter
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run(*paths: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["scenarios", "run", *map(str, paths)])
    return result.exit_code, result.output.splitlines()


def test_every_file_passing_exits_zero_with_the_summary(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", PASSING)
    write(tmp_path, "b.yaml", PASSING)

    code, lines = run(tmp_path)

    assert code == 0
    assert lines[-1] == "2 passed, 0 failed"


def test_a_broken_file_fails_while_the_other_files_still_run(tmp_path: Path) -> None:
    write(tmp_path, "a-broken.yaml", PASSING.replace("as: maija}", "as: matti}"))
    write(tmp_path, "b-good.yaml", PASSING)

    code, lines = run(tmp_path)

    assert code == 1
    assert lines == [
        f"FAIL {tmp_path / 'a-broken.yaml'}:9: as: unknown person 'matti'",
        f"PASS {tmp_path / 'b-good.yaml'}: an adult acknowledges and enters",
        "1 passed, 1 failed",
    ]


def test_bad_yaml_is_one_line_with_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "name: [unclosed\npeople: {}\n")

    code, lines = run(path)

    assert code == 1
    assert len(lines) == 2
    assert lines[0].startswith(f"FAIL {path}:")
    assert "not YAML" in lines[0]
    assert lines[1] == "0 passed, 1 failed"


def test_id_1_a_malformed_code_is_one_line_naming_file_line_and_value(
    tmp_path: Path,
) -> None:
    bad = ADULT[:6] + "G" + ADULT[7:]
    path = write(tmp_path, "code.yaml", PASSING.replace(ADULT, bad))

    code, lines = run(path)

    assert code == 1
    assert lines[0] == (
        f"FAIL {path}:3: person 'maija': identity code '{bad}' is malformed: "
        "'G' is not a century sign"
    )


def test_a_failing_step_names_the_step_line_and_both_answers(tmp_path: Path) -> None:
    path = write(
        tmp_path, "wrong.yaml", PASSING.replace("expect: enter", "expect: notice")
    )

    code, lines = run(path)

    assert code == 1
    assert lines == [
        f"FAIL {path}: an adult acknowledges and enters",
        "  step 2 (line 8): expected notice, got enter",
        "0 passed, 1 failed",
    ]


def test_an_action_back_in_time_is_one_line_and_counts_failed(tmp_path: Path) -> None:
    text = PASSING + "  - at: 2021-01-01T10:00\n    do: decline\n    as: maija\n"
    path = write(tmp_path, "time.yaml", text)
    write(tmp_path, "zz-good.yaml", PASSING)

    code, lines = run(tmp_path)

    assert code == 1
    assert lines[0].startswith(f"FAIL {path}:11: at 2021-01-01T10:00: an action")
    assert lines[-1] == "1 passed, 1 failed"


def test_a_missing_file_is_counted_failed(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"

    code, lines = run(missing, write(tmp_path, "ok.yaml", PASSING))

    assert code == 1
    assert lines[0].startswith(f"FAIL {missing}: ")
    assert lines[-1] == "1 passed, 1 failed"
