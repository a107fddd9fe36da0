"""The import files of the CLI tests: a small world, one good file per kind.

Every identity code is a test code (ID-3: individual number 900-999). The
files follow docs/imports.md; importing them in `KINDS` order builds a
world in which each later kind finds the people and registers it names.
"""

from __future__ import annotations

import re
from datetime import date

from click.testing import Result

from kanta_consent.domain.identity import check_character


def hetu(born: date, number: int) -> str:
    """Returns a test code for the birth date, with a valid check character."""
    ddmmyy = born.strftime("%d%m") + f"{born.year % 100:02d}"
    sign = "A" if born.year >= 2000 else "-"
    return f"{ddmmyy}{sign}{number:03d}{check_character(ddmmyy + f'{number:03d}')}"


ADULT = hetu(date(1980, 1, 1), 901)
SECOND = hetu(date(1990, 2, 2), 902)
CHILD = hetu(date(2015, 6, 15), 903)
THIRD = hetu(date(1975, 5, 5), 904)
STRANGER = hetu(date(1970, 7, 7), 905)
# ADULT's code with another check character: malformed (ID-1).
MALFORMED = ADULT[:-1] + ("X" if ADULT[-1] != "X" else "Y")

HEADERS = {
    "organisations": "id,name,public,ended,business_id",
    "registers": "id,organisation,kind,kanta_from,name",
    "joint-areas": "area,register",
    "purchased-services": "producer,for_register",
    "people": "code,name,safety_ban",
    "guardianships": "guardian,child,starts,until,blocked",
    "mandates": "holder,principal,starts,until,revoked",
    "events": "id,person,register,date,kanta,capacity,task,recorded_by",
    "legacy-choices": "type,person,date,target_kind,target_ref,emergency_allowed",
}

GOOD: dict[str, list[str]] = {
    "organisations": [
        "varha,Varsinais-Suomen hyvinvointialue,yes,,",
        # PRO-8: the hospital district ended when the county took over.
        "vsshp,Varsinais-Suomen sairaanhoitopiiri,yes,2022-12-31,0828255-9",
        "terveys-oy,Terveys Oy,no,,",
    ],
    "registers": [
        "varha-health,varha,public-health,,Terveydenhuolto",
        "varha-social,varha,public-social,2024-01-01,Sosiaalihuolto",
        "vsshp-health,vsshp,public-health,,",
        "terveys-health,terveys-oy,private-health,,",
    ],
    "joint-areas": ["vs-area,varha-health", "vs-area,vsshp-health"],
    "purchased-services": ["terveys-health,varha-health"],
    "people": [
        f"{ADULT},Aino Testi,no",
        f"{SECOND},Bertil Testi,yes",
        f"{CHILD},Cecilia Testi,",
        f"{THIRD},Daniel Testi,no",
    ],
    "guardianships": [f"{ADULT},{CHILD},2015-06-15,,no"],
    "mandates": [f"{SECOND},{ADULT},2020-01-01,2030-01-01,"],
    "events": [
        # PRO-8: recorded by the ended district, in the register now the county's.
        f"ev-1,{ADULT},varha-health,2022-03-01,yes,,,vsshp",
        f"ev-2,{CHILD},varha-health,2023-04-01,yes,2,,",
        f"ev-3,{ADULT},varha-social,2024-02-01,yes,,older-people,",
    ],
    "legacy-choices": [
        f"informing,{ADULT},2019-01-10,,,",
        f"consent,{SECOND},2019-02-01,,,",
        f"prohibition,{ADULT},2019-03-01,organisation,vsshp,no",
    ],
}

KINDS = tuple(HEADERS)

_REFUSED = re.compile(r"^refused line (\d+): (\S+) ")


def refused(result: Result) -> list[tuple[int, str]]:
    """Returns the refused rows the report names: (line, field) each."""
    found = (_REFUSED.match(line) for line in result.stdout.splitlines())
    return [(int(m[1]), m[2]) for m in found if m]


def summary(result: Result) -> str:
    """Returns the report's last line, its summary."""
    return result.stdout.splitlines()[-1]
