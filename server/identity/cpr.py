"""CPR numbers: validated, masked in every printed form, encrypted at rest and looked up by a
keyed hash (docs/identity.md says what is stored and where).

A ``Cpr`` is the only form the ten digits take in Trivsel's code: its ``repr`` and ``str`` are
the masked ``DDMMYY-XXXX``, so a log line, an exception or a debugger shows no number by
accident; the digits are read only through ``.digits``, on purpose."""

from __future__ import annotations

import re
from datetime import date

# Where NemLog-in's brokers put a citizen's CPR number in the ID token (OIDC profile of NSIS).
CPR_CLAIM = "https://data.gov.dk/model/core/eid/cprNumber"

# The CPR office's table: the 7th digit and the two-digit year give the century of birth.
# (7th digit range, year range) -> century. Since 2007 numbers are no longer all modulus-11
# numbers (the office ran out of them for some birth dates), so no check digit is required.
_CENTURIES: tuple[tuple[range, range, int], ...] = (
    (range(0, 4), range(0, 100), 1900),
    (range(4, 5), range(0, 37), 2000),
    (range(4, 5), range(37, 100), 1900),
    (range(5, 9), range(0, 58), 2000),
    (range(5, 9), range(58, 100), 1800),
    (range(9, 10), range(0, 37), 2000),
    (range(9, 10), range(37, 100), 1900),
)

# ASCII digits only: str.isdigit() would take Arabic-Indic or full-width digits too.
_FORM = re.compile(r"([0-9]{6})-?([0-9]{4})", re.ASCII)


class InvalidCpr(ValueError):
    """Not a CPR number. The message never repeats the input (it may be a real number with a
    typo, and messages end up in logs)."""


def birth_date(ten_digits: str) -> date:
    """The date of birth the first six digits and the 7th give, or InvalidCpr."""
    day, month, year2, seventh = (
        int(ten_digits[0:2]),
        int(ten_digits[2:4]),
        int(ten_digits[4:6]),
        int(ten_digits[6]),
    )
    century = next(c for digits, years, c in _CENTURIES if seventh in digits and year2 in years)
    try:
        return date(century + year2, month, day)
    except ValueError:
        raise InvalidCpr("the first six digits are not a date") from None


class Cpr:
    """A valid CPR number that masks itself wherever it is printed."""

    __slots__ = ("_digits",)
    _digits: str

    def __init__(self, value: str) -> None:
        match = _FORM.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None:
            raise InvalidCpr("a CPR number is ten digits, DDMMYY-SSSS")
        digits = match.group(1) + match.group(2)
        birth_date(digits)
        object.__setattr__(self, "_digits", digits)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Cpr is immutable")

    @property
    def digits(self) -> str:
        """The ten digits, for encryption, hashing and the CPR service: never for display."""
        return self._digits

    @property
    def birth_date(self) -> date:
        """The date of birth the number encodes."""
        return birth_date(self._digits)

    @property
    def masked(self) -> str:
        """``DDMMYY-XXXX``: the form staff of the child's course may see."""
        return f"{self._digits[:6]}-XXXX"

    def __repr__(self) -> str:
        return f"Cpr({self.masked!r})"

    def __str__(self) -> str:
        return self.masked

    def __format__(self, spec: str) -> str:
        return format(self.masked, spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cpr) and other._digits == self._digits

    def __hash__(self) -> int:
        return hash(("Cpr", self._digits))

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would write the digits in clear (a cache, a task queue): refuse it.
        raise TypeError("a Cpr is not pickled; store it encrypted (CprKeyring.encrypt)")


def is_valid(value: str) -> bool:
    """True where ``Cpr(value)`` would succeed."""
    try:
        Cpr(value)
    except InvalidCpr:
        return False
    return True
