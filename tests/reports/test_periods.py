"""Reporting periods of Nghị định 09/2019/NĐ-CP, Điều 12: each kind at its boundaries."""

from datetime import date

import pytest

from planning.reports.periods import parse_period


@pytest.mark.parametrize(
    ("code", "label", "start", "end"),
    [
        # Months: January's window opens in December of the year before.
        ("2022-01", "Tháng 1/2022", date(2021, 12, 15), date(2022, 1, 14)),
        ("2022-08", "Tháng 8/2022", date(2022, 7, 15), date(2022, 8, 14)),
        ("2022-12", "Tháng 12/2022", date(2022, 11, 15), date(2022, 12, 14)),
        ("2022-3", "Tháng 3/2022", date(2022, 2, 15), date(2022, 3, 14)),
        # Quarters: from the 15th of the month before the quarter.
        ("2022-Q1", "Quý I/2022", date(2021, 12, 15), date(2022, 3, 14)),
        ("2022-Q2", "Quý II/2022", date(2022, 3, 15), date(2022, 6, 14)),
        ("2022-Q3", "Quý III/2022", date(2022, 6, 15), date(2022, 9, 14)),
        ("2022-q4", "Quý IV/2022", date(2022, 9, 15), date(2022, 12, 14)),
        # Halves, nine months, a year.
        ("2022-H1", "6 tháng đầu năm 2022", date(2021, 12, 15), date(2022, 6, 14)),
        ("2022-H2", "6 tháng cuối năm 2022", date(2022, 6, 15), date(2022, 12, 14)),
        ("2022-9M", "9 tháng năm 2022", date(2021, 12, 15), date(2022, 9, 14)),
        ("2022", "Năm 2022", date(2021, 12, 15), date(2022, 12, 14)),
        ("2024-02", "Tháng 2/2024", date(2024, 1, 15), date(2024, 2, 14)),
    ],
)
def test_each_period_kind_has_its_legal_window(code, label, start, end):
    period = parse_period(code)
    assert (period.label, period.start, period.end) == (label, start, end)
    assert parse_period(period.code) == period


@pytest.mark.parametrize(
    ("code", "previous"),
    [
        ("2022-01", "2021-12"),
        ("2022-08", "2022-07"),
        ("2022-Q1", "2021-Q4"),
        ("2022-Q3", "2022-Q2"),
        ("2022-H1", "2021-H2"),
        ("2022-H2", "2022-H1"),
        ("2022-9M", "2021-9M"),
        ("2022", "2021"),
    ],
)
def test_the_previous_period_is_the_one_just_before(code, previous):
    assert parse_period(code).previous().code == previous


def test_consecutive_windows_leave_no_gap():
    for code in ("2022-01", "2022-Q2", "2022-H2"):
        period = parse_period(code)
        assert (period.start - period.previous().end).days == 1


@pytest.mark.parametrize("text", ["", "2022-13", "2022-00", "2022-Q5", "2022-H3", "22-Q1", "Q3"])
def test_anything_else_is_no_period(text):
    assert parse_period(text) is None
