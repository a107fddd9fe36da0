"""No identity code in a log line: the operator's report may name it, the log never."""

from __future__ import annotations

import json

from cli_driver import Cli
from import_files import ADULT, MALFORMED, SECOND

from kanta_consent.adapters.logging import IDENTITY_CODE


def test_a_refused_rows_code_is_in_the_report_and_masked_in_the_log(
    sqlite_cli: Cli,
) -> None:
    path = sqlite_cli.csv(
        "people.csv",
        "code,name",
        f"{ADULT},Aino Testi",
        f"{MALFORMED},Malformed",
        f"{SECOND},Bertil Testi",
        f"{ADULT},Aino Again",
    )

    result = sqlite_cli.run("import", "people", path)

    assert result.exit_code == 1
    assert f"refused line 3: code '{MALFORMED}'" in result.stdout
    assert f"refused line 5: row '{ADULT}'" in result.stdout
    events = [json.loads(line) for line in result.stderr.splitlines()]
    refusals = [e for e in events if e["event"] == "import_row_refused"]
    assert [(e["line"], e["field"]) for e in refusals] == [(3, "code"), (5, "row")]
    assert all(e["value"] == "***********" for e in refusals)
    assert not IDENTITY_CODE.search(result.stderr)
