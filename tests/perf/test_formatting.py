"""Vietnamese number formatting, fast path and general path give the same text."""

from decimal import Decimal

import pytest
from django.utils import translation

from planning.formatting import format_number, format_ratio
from planning.templatetags.cchc import vn_number


@pytest.mark.parametrize(
    ("value", "decimal_pos", "expected"),
    [
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (1234567, None, "1.234.567"),
        (-1234567, None, "-1.234.567"),
        (-12, None, "-12"),
        (1234567, 2, "1.234.567,00"),
        (Decimal("1234.5"), None, "1.234,5"),
        (Decimal("-1234.56"), 2, "-1.234,56"),
        (Decimal("92.31"), 2, "92,31"),
        (1.5, None, "1,5"),
        ("", None, ""),
    ],
)
def test_format_number_groups_by_three_with_dots_and_uses_decimal_comma(
    value, decimal_pos, expected
):
    assert format_number(value, decimal_pos) == expected


def test_format_number_is_vietnamese_whatever_the_active_language():
    with translation.override("en"):
        assert format_number(1234567) == "1.234.567"
        assert format_ratio(Decimal("92.31")) == "92,31%"


def test_format_ratio_of_nothing_is_a_dash():
    assert format_ratio(None) == "—"
    assert format_ratio(Decimal("100.00")) == "100,00%"
    assert format_ratio(Decimal("0")) == "0,00%"


def test_vn_number_of_nothing_is_empty():
    assert vn_number(None) == ""
    assert vn_number("") == ""
    assert vn_number(1234567) == "1.234.567"
