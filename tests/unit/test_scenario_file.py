"""Reading scenario files: a mistake is named with its line and value."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from builders import ADULT, hetu

from kanta_consent.adapters.memory import MemoryStore
from kanta_consent.services.scenario_file import ScenarioFormatError, load_scenario
from kanta_consent.services.scenario_runner import run_file

BAD_CODE = ADULT[:-1] + ("1" if ADULT[-1] != "1" else "2")

GOOD = f"""\
name: an informed adult enters
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


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def format_error(path: Path) -> tuple[int, str]:
    with pytest.raises(ScenarioFormatError) as error:
        load_scenario(path)
    return error.value.line, error.value.message


def test_a_well_formed_file_loads_with_its_people_and_steps(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)

    scenario = load_scenario(path)

    assert (scenario.name, scenario.people, len(scenario.steps)) == (
        "an informed adult enters",
        {"maija": ADULT},
        2,
    )


def test_an_unknown_alias_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("portal: {as: maija}", "portal: {as: matti}"))

    actual = format_error(path)

    assert actual == (9, "as: unknown person 'matti'")


def test_id_1_a_malformed_identity_code_is_named_with_its_line(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, GOOD.replace(ADULT, BAD_CODE))

    line, message = format_error(path)

    assert line == 3
    assert message.startswith(f"person 'maija': identity code '{BAD_CODE}'")
    assert "check character" in message


def test_an_unknown_key_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("people:", "colour: red\npeople:"))

    actual = format_error(path)

    assert actual == (2, "unknown key 'colour' in the scenario")


def test_an_unknown_key_in_a_step_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD.replace("    as: maija\n", "    as: maija\n    mood: x\n")
    )

    actual = format_error(path)

    assert actual == (8, "unknown key 'mood' in a acknowledge step")


def test_an_action_going_back_in_time_is_named_with_its_line(tmp_path: Path) -> None:
    text = GOOD + "  - at: 2021-12-31T10:00\n    do: decline\n    as: maija\n"
    path = write(tmp_path, text)

    actual = format_error(path)

    assert actual == (
        11,
        "at 2021-12-31T10:00: an action may not go back in time "
        "(the action before is at 2022-01-01T10:00)",
    )


def test_dis_11_a_check_may_go_back_in_time(tmp_path: Path) -> None:
    text = (
        GOOD + "  - at: 2021-12-31T10:00\n    portal: {as: maija}\n    expect: notice\n"
    )
    path = write(tmp_path, text)

    result = run_file(path, MemoryStore)

    assert (result.passed, result.failures) == (True, [])


def test_bad_yaml_is_named_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("portal: {as: maija}", "portal: {as: maija"))

    line, message = format_error(path)

    assert line in (9, 10)
    assert message.startswith("not YAML: ")


def test_a_moment_that_is_not_a_moment_is_named_with_its_value(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, GOOD.replace("2022-01-01T10:01", "tomorrow"))

    actual = format_error(path)

    assert actual == (8, "at: 'tomorrow' is not a moment YYYY-MM-DDTHH:MM")


def test_run_file_turns_a_broken_file_into_one_failed_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("portal: {as: maija}", "portal: {as: matti}"))

    result = run_file(path, MemoryStore)

    assert result.passed is False
    assert result.error == f"{path}:9: as: unknown person 'matti'"


def test_run_file_reports_a_step_that_answers_otherwise(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("expect: enter", "expect: notice"))

    result = run_file(path, MemoryStore)

    failure = result.failures[0]
    assert (failure.number, failure.line, failure.expected, failure.actual) == (
        2,
        8,
        "notice",
        "enter",
    )


def test_id_3_a_test_code_of_any_century_sign_loads(tmp_path: Path) -> None:
    from datetime import date

    code = hetu(date(2005, 6, 1), "F", 999)
    path = write(tmp_path, GOOD.replace(ADULT, code))

    scenario = load_scenario(path)

    assert scenario.people == {"maija": code}
