"""Changes worded as the documents word them ("tăng 2,47% so với năm 2020")."""

from decimal import Decimal

import pytest

from planning.formatting import format_change


@pytest.mark.parametrize(
    ("current", "previous", "words"),
    [
        (Decimal("92.31"), Decimal("89.84"), "tăng 2,47%"),
        (Decimal("65.22"), Decimal("65.53"), "giảm 0,31%"),
        (Decimal("50.00"), Decimal("50.00"), "không đổi"),
        (Decimal("100.00"), Decimal("0.00"), "tăng 100,00%"),
        (Decimal("0.01"), Decimal("0.00"), "tăng 0,01%"),
        (None, Decimal("50.00"), "—"),
        (Decimal("50.00"), None, "—"),
    ],
)
def test_ratios_change_in_percentage_points(current, previous, words):
    assert format_change(current, previous) == words


@pytest.mark.parametrize(
    ("current", "previous", "words"),
    [(12, 9, "tăng 3"), (9, 12, "giảm 3"), (4, 4, "không đổi"), (2723, 1200, "tăng 1.523")],
)
def test_counts_change_by_their_difference(current, previous, words):
    assert format_change(current, previous, percent=False) == words
