"""Every rule of DOMAIN.md is named by a test, by its id (the project's rule).

A test names a rule in its function name (`test_dis_6_...`) or, where a
name would be too long, in its module's or its own docstring or a comment
("DIS-6"). A rule that no test names is a rule nobody shows to hold.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KANTA_CONSENT_SHARED", TESTS.parents[1] / "shared"))
RULE_ID = re.compile(r"\b([A-Z]{2,3})-(\d+)\b")


def rules_of_domain() -> set[str]:
    text = (SHARED / "DOMAIN.md").read_text(encoding="utf-8")
    return {f"{kind}-{number}" for kind, number in RULE_ID.findall(text)}


def rules_named_in_tests() -> set[str]:
    named: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        if path.name == Path(__file__).name:
            continue
        source = path.read_text(encoding="utf-8")
        named.update(f"{k}-{n}" for k, n in RULE_ID.findall(source))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                named.update(
                    f"{k.upper()}-{n}"
                    for k, n in re.findall(r"_([a-z]{2,3})_(\d+)(?=_|$)", node.name)
                )
    return named


def test_domain_md_has_the_rule_ids_this_check_reads() -> None:
    rules = rules_of_domain()

    # The sections of DOMAIN.md each open a family of ids; fewer than these
    # would mean the pattern no longer reads the document.
    assert {"INF-1", "DIS-1", "DIS-12", "LOG-1", "REP-7", "MIN-1"} <= rules
    assert len(rules) >= 50


def test_every_rule_id_of_domain_md_is_named_by_a_test() -> None:
    missing = sorted(rules_of_domain() - rules_named_in_tests())

    assert missing == []
