"""`kanta-consent calendar show|set` and `notice add` (CAL-1, INF-1).

The moments here are far in the past or far in the future, so that no test
depends on when it runs; the rule at the boundary (a change from exactly
now) is tested with moments passed in, in tests/unit.
"""

from __future__ import annotations

from cli_driver import Cli

from kanta_consent.adapters.logging import IDENTITY_CODE


def section(output: str, name: str) -> list[str]:
    lines = output.splitlines()
    start = lines.index(name) + 1
    end = next(
        (i for i in range(start, len(lines)) if not lines[i].startswith("  ")),
        len(lines),
    )
    return [line.strip() for line in lines[start:end]]


def test_cal_1_calendar_show_prints_every_setting_with_its_default(cli: Cli) -> None:
    result = cli.run("calendar", "show")

    assert result.exit_code == 0, result.output
    assert section(result.stdout, "reform") == ["2021-11-01  always"]
    assert section(result.stdout, "permission-social") == ["2023-01-01  always"]
    assert section(result.stdout, "notice-versions") == [
        "2021-11  current from 2021-11-01",
        "2022-11  current from 2022-11-01",
        "2023-11  current from 2023-11-30",
    ]


def test_cal_1_calendar_set_keeps_each_value_with_the_moment_it_took_effect(
    cli: Cli,
) -> None:
    first = cli.run(
        "calendar", "set", "permission-social", "2030-01-01", "--from", "2990-01-01"
    )
    second = cli.run(
        "calendar",
        "set",
        "permission-social",
        "2031-06-01",
        "--from",
        "2995-03-01T12:00:00+00:00",
    )

    shown = cli.run("calendar", "show")

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert section(shown.stdout, "permission-social") == [
        "2023-01-01  always",
        "2030-01-01  from 2990-01-01T00:00:00+02:00",
        "2031-06-01  from 2995-03-01T14:00:00+02:00",
    ]
    assert section(shown.stdout, "permission-wellbeing") == ["2024-01-01  always"]


def test_cal_1_calendar_set_from_a_moment_already_past_is_refused(cli: Cli) -> None:
    result = cli.run(
        "calendar", "set", "permission-social", "2030-01-01", "--from", "2020-01-01"
    )

    shown = cli.run("calendar", "show")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "error: from '2020-01-01T00:00:00+02:00': is already past (CAL-1)"
    )
    assert section(shown.stdout, "permission-social") == ["2023-01-01  always"]


def test_calendar_set_of_an_unknown_setting_is_refused_naming_it(cli: Cli) -> None:
    result = cli.run(
        "calendar", "set", "permission-all", "2030-01-01", "--from", "2990-01-01"
    )

    assert result.exit_code == 1
    assert "error: setting 'permission-all': not a setting; known: reform" in (
        result.stderr
    )


def test_calendar_set_of_a_value_in_another_form_is_refused_naming_it(
    cli: Cli,
) -> None:
    bad_value = cli.run(
        "calendar", "set", "reform", "1.11.2021", "--from", "2990-01-01"
    )
    bad_moment = cli.run("calendar", "set", "reform", "2021-11-01", "--from", "soon")

    assert bad_value.exit_code == 1
    assert "error: value '1.11.2021': is not a date YYYY-MM-DD" in bad_value.stderr
    assert bad_moment.exit_code == 1
    assert "error: from 'soon': is not a date YYYY-MM-DD or an ISO 8601" in (
        bad_moment.stderr
    )


def test_cal_1_a_setting_change_goes_into_the_log_and_the_chain_verifies(
    sqlite_cli: Cli,
) -> None:
    sqlite_cli.run("calendar", "set", "reform", "2021-11-01", "--from", "2990-01-01")

    verified = sqlite_cli.run("log", "verify")

    with sqlite_cli.store() as store:
        entries = list(store.log_entries())
    assert [e["kind"] for e in entries] == ["setting_changed"]
    assert entries[0]["body"]["setting"] == "reform"
    assert verified.exit_code == 0, verified.output


def write_texts(cli: Cli, sv: str = "Meddelande") -> list[str]:
    paths = [
        cli.write("fi.txt", "Tiedote"),
        cli.write("sv.txt", sv),
        cli.write("en.txt", "Notice"),
    ]
    options = ("--text-fi", "--text-sv", "--text-en")
    return [
        part for pair in zip(options, map(str, paths), strict=True) for part in pair
    ]


def test_inf_1_notice_add_stores_a_version_with_its_three_texts(cli: Cli) -> None:
    texts = write_texts(cli)

    result = cli.run("notice", "add", "2990-01", "--current-from", "2990-01-01", *texts)

    shown = cli.run("calendar", "show")
    assert result.exit_code == 0, result.output
    assert result.stdout == "notice 2990-01 is current from 2990-01-01\n"
    assert section(shown.stdout, "notice-versions")[-1].startswith(
        "2990-01  current from 2990-01-01, added "
    )
    with cli.store() as store:
        assert store.notice_texts("2990-01") == {
            "fi": "Tiedote",
            "sv": "Meddelande",
            "en": "Notice",
        }


def test_cal_1_notice_add_current_from_a_day_past_is_refused(cli: Cli) -> None:
    texts = write_texts(cli)

    result = cli.run("notice", "add", "2020-01", "--current-from", "2020-01-01", *texts)

    shown = cli.run("calendar", "show")
    assert result.exit_code == 1
    assert "error: current-from '2020-01-01': is already past" in result.stderr
    assert "2020-01" not in shown.stdout


def test_inf_1_notice_add_refuses_a_version_already_there_or_an_empty_text(
    sqlite_cli: Cli,
) -> None:
    again = sqlite_cli.run(
        "notice",
        "add",
        "2023-11",
        "--current-from",
        "2990-01-01",
        *write_texts(sqlite_cli),
    )
    empty = sqlite_cli.run(
        "notice",
        "add",
        "2990-01",
        "--current-from",
        "2990-01-01",
        *write_texts(sqlite_cli, sv="  \n"),
    )

    assert again.exit_code == 1
    assert "error: version '2023-11': exists already" in again.stderr
    assert empty.exit_code == 1
    assert "error: text-sv '': is required and not empty" in empty.stderr
    with sqlite_cli.store() as store:
        assert store.notice_texts("2990-01") == {}


def test_calendar_commands_log_no_identity_code(sqlite_cli: Cli) -> None:
    result = sqlite_cli.run(
        "calendar", "set", "reform", "2021-11-01", "--from", "2990-01-01"
    )

    assert '"event": "setting_changed"' in result.stderr
    assert not IDENTITY_CODE.search(result.stderr)
