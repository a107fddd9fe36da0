"""Every identity code shown as an example has the right check character (ID-1).

A reader copies an example into a request; one with a wrong check character
is refused as malformed. The docs' example of a refused row keeps its wrong
code on purpose: its line says the code is malformed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kanta_consent.domain.identity import check_character

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"\b(\d{6})[-+A-FU-Y](\d{3})([0-9A-Y])\b")
FILES = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "src").rglob("*.py")]
)


def _examples() -> list[tuple[str, str]]:
    return [
        (f"{path.relative_to(ROOT)}:{number}", found.group(0))
        for path in FILES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "malformed identity code" not in line
        for found in CODE.finditer(line)
    ]


def test_the_repository_shows_identity_code_examples() -> None:
    assert len(_examples()) >= 3


@pytest.mark.parametrize(("where", "code"), _examples())
def test_an_example_identity_code_has_its_right_check_character(
    where: str, code: str
) -> None:
    digits = code[:6] + code[7:10]

    assert code[10] == check_character(digits), where
