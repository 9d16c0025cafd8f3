"""Numbers typed into page forms: ASCII digits only (Python's `isdigit` also accepts "²", which `int` refuses), and
amounts of money with up to two decimals."""

from __future__ import annotations

import pytest

from app.kit.forms import amount_in_minor_units, whole_number


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("7", 7),
        (" 42 ", 42),
        ("0", 0),
        ("", None),
        (None, None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("1.5", None),
        ("1234567890", None),
    ],
)
def test_a_whole_number_is_ascii_digits_only(typed: str | None, number: int | None) -> None:
    assert whole_number(typed) == number


def test_a_whole_number_has_at_most_the_digits_allowed() -> None:
    assert whole_number("1234", max_digits=4) == 1234
    assert whole_number("12345", max_digits=4) is None


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        ("25000", 2_500_000),
        ("16 666,67", 1_666_667),
        ("16666.6", 1_666_660),
        ("0", 0),
        ("1,234", None),
        ("tjue", None),
        ("", None),
        ("²", None),
        ("-5", None),
    ],
)
def test_an_amount_is_whole_units_with_up_to_two_decimals(typed: str, minor: int | None) -> None:
    assert amount_in_minor_units(typed) == minor
