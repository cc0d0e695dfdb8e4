"""CPR validation (the CPR office's century table, no modulus-11 check) and the value class
that never prints the ten digits."""

from __future__ import annotations

import logging
import pickle
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.identity.cpr import Cpr, InvalidCpr, is_valid
from tests.identity.patterns import TEN_DIGITS


def _sevenths(born: date) -> list[int]:
    """Every 7th digit the CPR office's table allows for this date of birth."""
    yy, century = born.year % 100, born.year - born.year % 100
    allowed = []
    for seventh in range(10):
        if seventh <= 3:
            c = 1900
        elif seventh in (4, 9):
            c = 2000 if yy <= 36 else 1900
        else:
            c = 2000 if yy <= 57 else 1800
        if c == century:
            allowed.append(seventh)
    return allowed


born_dates = st.dates(date(1858, 1, 1), date(2057, 12, 31)).filter(lambda d: _sevenths(d))


@settings(deadline=None)
@given(born=born_dates, data=st.data())
def test_every_date_with_an_allowed_seventh_digit_is_valid(born: date, data: st.DataObject) -> None:
    seventh = data.draw(st.sampled_from(_sevenths(born)))
    rest = data.draw(st.integers(0, 999))
    text = f"{born:%d%m}{born.year % 100:02d}-{seventh}{rest:03d}"
    cpr = Cpr(text)
    assert cpr.birth_date == born
    assert cpr == Cpr(text.replace("-", ""))
    assert cpr.masked == f"{text[:6]}-XXXX"


@settings(deadline=None)
@given(
    day=st.integers(0, 99),
    month=st.integers(0, 99),
    yy=st.integers(0, 99),
    seventh=st.integers(0, 9),
)
def test_a_number_is_valid_exactly_when_its_date_exists(
    day: int, month: int, yy: int, seventh: int
) -> None:
    text = f"{day:02d}{month:02d}{yy:02d}{seventh}123"
    century = (
        1900
        if seventh <= 3
        else (2000 if yy <= 36 else 1900)
        if seventh in (4, 9)
        else (2000 if yy <= 57 else 1800)
    )
    try:
        date(century + yy, month, day)
        exists = True
    except ValueError:
        exists = False
    assert is_valid(text) is exists


@pytest.mark.parametrize(
    ("text", "born"),
    [
        ("2902240123", date(1924, 2, 29)),  # 7th digit 0: the 1900s, a leap year
        ("2902004123", date(2000, 2, 29)),  # 7th digit 4, year 00: 2000, a leap year
        ("0101365123", date(2036, 1, 1)),
        ("0101374123", date(1937, 1, 1)),  # 7th digit 4, year 37: back to the 1900s
        ("0101585123", date(1858, 1, 1)),  # 7th digit 5, year 58: the 1800s
        ("3112575123", date(2057, 12, 31)),  # 7th digit 5, year 57: the last of the 2000s
        ("3112589123", date(1958, 12, 31)),  # 7th digit 9, year 58: the 1900s
        ("0101369999", date(2036, 1, 1)),
        ("0101379999", date(1937, 1, 1)),
    ],
)
def test_the_century_table(text: str, born: date) -> None:
    assert Cpr(text).birth_date == born


@pytest.mark.parametrize(
    "text",
    [
        "2902230123",  # 1923 was no leap year
        "2902000123",  # 7th digit 0, year 00: 1900, no leap year
        "3204101234",
        "0013101234",
        "0000001234",
        "3106101234",
        "123456789",
        "12345678901",
        "010101-12345",
        "0101011-234",
        "010101--1234",
        "01010l1234",
        # Full-width and Arabic-Indic digits: str.isdigit() says yes, the CPR office says no.
        "\uff10\uff11\uff10\uff11\uff10\uff11\uff11\uff12\uff13\uff14",
        "\u0660\u0661\u0660\u0661\u0660\u0661\u0661\u0662\u0663\u0664",
        "0101 011234",
        "",
        "+010101123",
    ],
)
def test_not_a_cpr_number(text: str) -> None:
    with pytest.raises(InvalidCpr) as refused:
        Cpr(text)
    # The refusal never repeats what was typed (a real number with a typo is still personal).
    digits = re.sub(r"\D", "", text)
    assert len(digits) < 6 or digits not in str(refused.value)


def test_a_number_that_fails_modulus_11_is_valid() -> None:
    """Since 2007 the CPR office issues numbers without the modulus-11 property."""
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    text = "0101571235"
    assert sum(int(d) * w for d, w in zip(text, weights, strict=True)) % 11 != 0
    assert is_valid(text)


def test_surrounding_space_is_forgiven() -> None:
    assert Cpr(" 010155-5001\n") == Cpr("0101555001")


@settings(deadline=None)
@given(born=born_dates, data=st.data())
def test_no_printed_form_shows_the_ten_digits(born: date, data: st.DataObject) -> None:
    seventh = data.draw(st.sampled_from(_sevenths(born)))
    cpr = Cpr(f"{born:%d%m}{born.year % 100:02d}{seventh}{data.draw(st.integers(0, 999)):03d}")
    for shown in (
        repr(cpr),
        str(cpr),
        f"{cpr}",
        f"{cpr!r}",
        "%s" % (cpr,),  # noqa: UP031 - the form logging uses f"{cpr:>20}",
        repr([cpr]),
        repr({"cpr": cpr}),
        str((cpr,)),
    ):
        assert not TEN_DIGITS.search(shown)
        assert cpr.digits[6:] not in shown.replace(cpr.digits[:6], "")


def test_a_log_line_shows_the_masked_form(caplog: pytest.LogCaptureFixture) -> None:
    cpr = Cpr("010155-5001")
    with caplog.at_level(logging.INFO):
        logging.getLogger("trivsel.test").info("signed in %s (%r)", cpr, cpr, extra={"c": cpr})
    assert "010155-XXXX" in caplog.text
    assert "5001" not in caplog.text


def test_a_cpr_cannot_be_pickled_or_changed() -> None:
    cpr = Cpr("010155-5001")
    with pytest.raises(TypeError):
        pickle.dumps(cpr)
    with pytest.raises(AttributeError):
        cpr._digits = "0202555002"  # what the test proves impossible
    assert not hasattr(cpr, "__dict__")


def test_equal_numbers_are_equal_and_hash_alike() -> None:
    assert Cpr("010155-5001") == Cpr("0101555001")
    assert len({Cpr("010155-5001"), Cpr("0101555001"), Cpr("0202555002")}) == 2
    assert Cpr("010155-5001") != "0101555001"
