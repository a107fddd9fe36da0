"""Finnish personal identity codes (HETU): validation, birth date and age.

ID-1 says what a well-formed code is, ID-2 how age follows from it, and ID-3
which codes are test codes. A malformed code raises `InvalidIdentityCode`
whose message says which part is wrong. python-stdnum's `fi.hetu` is the
reference: tests/unit/test_identity.py checks that this parser accepts
exactly the codes stdnum accepts, over generated and mutated codes. It is
not asked again here because its check cost a decision more than the rules
(about 40 microseconds a code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from kanta_consent.domain.errors import InvalidIdentityCode

HELSINKI = ZoneInfo("Europe/Helsinki")

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# ID-1: the century signs, the 2023 additions included.
CENTURY_OF_SIGN = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}

# ASCII digits only: \d alone would take other scripts' digits too.
_SHAPE = re.compile(r"^(\d{6})(.)(\d{3})(.)$", re.ASCII)


@dataclass(frozen=True, slots=True)
class IdentityCode:
    """A valid HETU; the century sign is part of the identity (ID-1)."""

    value: str
    birth_date: date
    individual_number: int

    def __str__(self) -> str:
        return self.value

    @property
    def is_test_code(self) -> bool:
        """Tells whether this is a test code, individual number 900-999 (ID-3)."""
        return self.individual_number >= 900

    @property
    def masked(self) -> str:
        """Returns the code hidden whole, for logs: a birth date is personal too."""
        return mask(self.value)

    def adult_from(self) -> datetime:
        """Returns the moment the person becomes an adult (ID-2)."""
        return datetime.combine(eighteenth_birthday(self.birth_date), time(), HELSINKI)

    def is_adult_at(self, moment: datetime) -> bool:
        """Tells whether the person is 18 or over at the moment (ID-2)."""
        return moment >= self.adult_from()

    def age_at(self, moment: datetime) -> int:
        """Returns the age in whole years at the moment, in Finnish time."""
        today = moment.astimezone(HELSINKI).date()
        years = today.year - self.birth_date.year
        if today < birthday_in(self.birth_date, today.year):
            years -= 1
        return years


def birthday_in(born: date, year: int) -> date:
    """Returns the birthday in a year; 29 February falls on 1 March (ID-2)."""
    if born.month == 2 and born.day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 3, 1)
    return born.replace(year=year)


def eighteenth_birthday(born: date) -> date:
    """Returns the day a person born on `born` becomes an adult (ID-2)."""
    return birthday_in(born, born.year + 18)


def check_character(digits: str) -> str:
    """Returns the check character of the nine digits DDMMYYNNN (ID-1)."""
    return CHECK_CHARACTERS[int(digits) % 31]


def parse_identity_code(raw: str) -> IdentityCode:
    """Parses a HETU, raising `InvalidIdentityCode` that says what is wrong."""
    if not isinstance(raw, str):
        raise InvalidIdentityCode(str(raw), "it is not text")
    return _parse(raw)


# A decision parses its person's code in the API and again in the service:
# the codes of the last few thousand parses (a batch's worth) are kept.
# Identity codes are immutable values, and a refused code is not kept.
@lru_cache(maxsize=4096)
def _parse(raw: str) -> IdentityCode:
    code = raw.strip().upper()
    if len(code) != 11:
        raise InvalidIdentityCode(raw, f"it has {len(code)} characters, not 11")
    match = _SHAPE.match(code)
    if match is None:
        raise InvalidIdentityCode(
            raw, "it is not six digits, a century sign, three digits and a check"
        )
    ddmmyy, sign, number, check = match.groups()
    if sign not in CENTURY_OF_SIGN:
        raise InvalidIdentityCode(raw, f"'{sign}' is not a century sign")
    born = _birth_date(raw, ddmmyy, CENTURY_OF_SIGN[sign])
    if int(number) < 2:
        raise InvalidIdentityCode(raw, f"individual number {number} is not in use")
    expected = check_character(ddmmyy + number)
    if check != expected:
        raise InvalidIdentityCode(
            raw, f"check character is '{check}', the digits give '{expected}'"
        )
    return IdentityCode(value=code, birth_date=born, individual_number=int(number))


def _birth_date(raw: str, ddmmyy: str, century: int) -> date:
    day, month, year = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    try:
        return date(century + year, month, day)
    except ValueError:
        raise InvalidIdentityCode(
            raw, f"{ddmmyy} is not a date (DDMMYY) in the {century}s"
        ) from None


def is_identity_code(raw: str) -> bool:
    """Tells whether the text is a valid HETU."""
    try:
        parse_identity_code(raw)
    except InvalidIdentityCode:
        return False
    return True


def mask(raw: object) -> str:
    """Masks a value that may be an identity code, for logs: no part of it shows."""
    return "*" * min(len(str(raw)), 11) or "*"
