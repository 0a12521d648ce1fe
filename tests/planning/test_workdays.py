"""Working days: weekends, national holidays with Tết, the province's declared days;
deadlines in working days resolve on them."""

from datetime import date

import pytest

from planning.deadlines import Kind, parse_deadline
from planning.models import DeclaredDay
from planning.parsing import parse_text
from planning.workdays import NATIONAL, working_calendar

PHRASE = "hoàn thành trong 10 ngày làm việc kể từ ngày ký"


@pytest.mark.parametrize(
    ("signed_on", "due"),
    [
        # Tết Quý Mão: 20/1-26/1/2023 off; 17, 18, 19/1, 27/1, 30/1-3/2, 6/2.
        (date(2023, 1, 16), date(2023, 2, 6)),
        # Tết Ất Tỵ: 27/1-31/1/2025 off (and the weekends around them).
        (date(2025, 1, 24), date(2025, 2, 14)),
        # No holiday: two weeks of weekdays.
        (date(2022, 11, 14), date(2022, 11, 28)),
    ],
)
def test_ten_working_days_across_tet(signed_on, due):
    deadline = parse_deadline(PHRASE, signed_on=signed_on)
    assert (deadline.kind, deadline.due_date, deadline.working_days) == (
        Kind.WORKING_DAYS,
        due,
        10,
    )


def test_without_a_signing_date_there_is_no_due_date_yet_and_it_is_not_ongoing():
    deadline = parse_deadline(PHRASE)
    assert deadline.due_date is None and not deadline.is_ongoing


def test_counted_from_another_event_is_not_resolved():
    text = "trong 5 ngày làm việc kể từ ngày nhận được văn bản"
    assert parse_deadline(text, signed_on=date(2023, 1, 16)).due_date is None


def test_calendar_edges():
    assert not NATIONAL.is_working_day(date(2023, 1, 21))  # Saturday, and Tết
    assert not NATIONAL.is_working_day(date(2025, 1, 29))  # Mùng 1 Tết
    assert not NATIONAL.is_working_day(date(2022, 9, 2))  # Quốc khánh
    assert NATIONAL.is_working_day(date(2023, 1, 27))
    assert NATIONAL.working_day_on_or_before(date(2023, 1, 26)) == date(2023, 1, 19)
    assert NATIONAL.covered_by(date(2022, 11, 25)) == date(2022, 11, 27)  # Friday: the weekend


@pytest.mark.django_db
def test_declared_days_override_the_national_calendar():
    # Hà Nội works Saturday 26/4/2025 and takes Friday 2/5 off (declared for the demo).
    DeclaredDay.objects.create(day=date(2025, 4, 26), is_working_day=True, note="Làm bù")
    DeclaredDay.objects.create(day=date(2022, 11, 18), note="Nghỉ bù")
    calendar = working_calendar()
    assert calendar.is_working_day(date(2025, 4, 26))
    assert not calendar.is_working_day(date(2022, 11, 18))
    # 10 working days from Monday 14/11/2022 with Friday 18/11 off: one day later.
    deadline = parse_deadline(PHRASE, signed_on=date(2022, 11, 14), calendar=calendar)
    assert deadline.due_date == date(2022, 11, 29)


def test_the_parser_counts_from_the_plans_date():
    text = (
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 12/KH-UBND\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Nội, ngày 16 tháng 01 năm 2023\n\nKẾ HOẠCH\nCải cách hành chính năm 2023\n\n"
        "I. NHIỆM VỤ\n1. Sở Nội vụ xây dựng kế hoạch tuyên truyền cải cách hành chính "
        f"({PHRASE}).\n"
    )
    [row] = parse_text(text).rows
    assert row.due_date == date(2023, 2, 6)
