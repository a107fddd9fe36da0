"""`kanta-consent clients add|list|revoke`: a secret shown once, a client revoked."""

from __future__ import annotations

import hashlib

from cli_driver import Cli
from import_files import GOOD, HEADERS


def with_registers(cli: Cli) -> None:
    for kind in ("organisations", "registers"):
        path = cli.csv(f"{kind}.csv", HEADERS[kind], *GOOD[kind])
        assert cli.run("import", kind, path).exit_code == 0


def issued(output: str) -> dict[str, str]:
    pairs = (line.split(": ", 1) for line in output.splitlines() if ": " in line)
    return dict(pairs)


def test_clients_add_prints_the_secret_once_and_stores_only_its_hash(
    cli: Cli,
) -> None:
    with_registers(cli)

    result = cli.run("clients", "add", "--register", "varha-health")

    assert result.exit_code == 0, result.output
    shown = issued(result.stdout)
    with cli.store() as store:
        client = store.find_client(shown["client_id"])
    assert client is not None
    assert client.register == "varha-health"
    assert client.operator is False
    assert client.secret_hash == hashlib.sha256(shown["secret"].encode()).hexdigest()
    assert shown["secret"] not in client.secret_hash


def test_clients_add_operator_makes_an_operator_client_that_list_shows(
    cli: Cli,
) -> None:
    with_registers(cli)
    care = issued(cli.run("clients", "add", "--register", "varha-health").stdout)
    operator = issued(
        cli.run("clients", "add", "--register", "vsshp-health", "--operator").stdout
    )

    listed = cli.run("clients", "list")

    assert listed.exit_code == 0, listed.output
    rows = [line.split()[:3] for line in listed.stdout.splitlines()[:-1]]
    assert sorted(rows) == sorted(
        [
            [care["client_id"], "varha-health", "care"],
            [operator["client_id"], "vsshp-health", "operator"],
        ]
    )
    assert listed.stdout.splitlines()[-1] == "2 clients"
    assert care["secret"] not in listed.stdout
    assert operator["secret"] not in listed.stdout


def test_clients_add_for_an_unknown_register_is_refused_naming_it(
    sqlite_cli: Cli,
) -> None:
    result = sqlite_cli.run("clients", "add", "--register", "nosuch")

    listed = sqlite_cli.run("clients", "list")
    assert result.exit_code == 1
    assert (
        result.stderr.splitlines()[-1] == "error: register 'nosuch': no such register"
    )
    assert listed.stdout == "0 clients\n"


def test_clients_revoke_marks_the_client_revoked_and_list_shows_it(
    cli: Cli,
) -> None:
    with_registers(cli)
    kept = issued(cli.run("clients", "add", "--register", "varha-health").stdout)
    gone = issued(
        cli.run("clients", "add", "--register", "vsshp-health", "--operator").stdout
    )

    result = cli.run("clients", "revoke", gone["client_id"])

    listed = cli.run("clients", "list")
    with cli.store() as store:
        stored = store.find_client(gone["client_id"])
        other = store.find_client(kept["client_id"])
    assert result.exit_code == 0, result.output
    assert stored is not None and stored.revoked is not None
    assert other is not None and other.revoked is None
    assert result.stdout.splitlines()[0] == (
        f"client {gone['client_id']} of register vsshp-health revoked "
        f"{stored.revoked.isoformat(timespec='seconds')}"
    )
    lines = {line.split()[0]: line.split()[2:] for line in listed.stdout.splitlines()}
    assert lines[gone["client_id"]][0] == "operator"
    assert lines[gone["client_id"]][2:] == [
        "revoked",
        stored.revoked.isoformat(timespec="seconds"),
    ]
    assert len(lines[kept["client_id"]]) == 2
    assert listed.stdout.splitlines()[-1] == "2 clients, 1 revoked"


def test_clients_revoke_again_keeps_the_first_moment(cli: Cli) -> None:
    with_registers(cli)
    shown = issued(cli.run("clients", "add", "--register", "varha-health").stdout)
    first = cli.run("clients", "revoke", shown["client_id"])

    again = cli.run("clients", "revoke", shown["client_id"])

    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout


def test_clients_revoke_of_an_unknown_id_is_refused_naming_it(cli: Cli) -> None:
    with_registers(cli)
    cli.run("clients", "add", "--register", "varha-health")

    result = cli.run("clients", "revoke", "kc-nosuch")

    listed = cli.run("clients", "list")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "error: client 'kc-nosuch': no such client"
    assert listed.stdout.splitlines()[-1] == "1 clients"
