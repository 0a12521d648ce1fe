"""Deadline semantics: what each phrase means, and on time / late / overdue boundaries."""

from datetime import date

import pytest

from planning.deadlines import Kind, due_label, parse_deadline, recurring_periods
from planning.models import Assignment
from tests.factories import make_assignment


@pytest.mark.parametrize(
    ("phrase", "due", "kind"),
    [
        ("hoàn thành trong tháng 7/2022", date(2022, 7, 31), Kind.MONTH),
        ("hoàn thành tháng 2/2024", date(2024, 2, 29), Kind.MONTH),
        ("tháng 7 năm 2022", date(2022, 7, 31), Kind.MONTH),
        ("tháng 07-2022", date(2022, 7, 31), Kind.MONTH),
        ("tháng 7.2022", date(2022, 7, 31), Kind.MONTH),
        ("hoàn thành trong 11/2022", date(2022, 11, 30), Kind.MONTH),
        ("Quý III/2022", date(2022, 9, 30), Kind.QUARTER),
        (
            "hoàn thành trong Quý III/2022 và báo cáo UBND Thành phố",
            date(2022, 9, 30),
            Kind.QUARTER,
        ),
        ("quý 3 năm 2022", date(2022, 9, 30), Kind.QUARTER),
        ("Quý I/2023", date(2023, 3, 31), Kind.QUARTER),
        ("quý IV năm 2022", date(2022, 12, 31), Kind.QUARTER),
        ("6 tháng đầu năm 2022", date(2022, 6, 30), Kind.HALF),
        ("6 tháng cuối năm 2022", date(2022, 12, 31), Kind.HALF),
        ("năm 2022", date(2022, 12, 31), Kind.YEAR),
        ("trước 31/12/2022", date(2022, 12, 31), Kind.DATE),
        ("trước ngày 15/8/2022", date(2022, 8, 15), Kind.DATE),
        ("trước ngày 15-08-2022", date(2022, 8, 15), Kind.DATE),
        ("trước 17 giờ 00 ngày 15/8/2022", date(2022, 8, 15), Kind.DATE),
        ("ngày 15 tháng 8 năm 2022", date(2022, 8, 15), Kind.DATE),
    ],
)
def test_phrase_means_due_date(phrase, due, kind):
    deadline = parse_deadline(phrase)
    assert deadline is not None
    assert deadline.due_date == due
    assert deadline.kind == kind


def test_ongoing_has_no_due_date():
    deadline = parse_deadline("Thường xuyên")
    assert deadline.kind == Kind.ONGOING
    assert deadline.due_date is None
    assert deadline.is_ongoing


def test_recurring_quarterly_gives_four_periods():
    deadline = parse_deadline("định kỳ hằng quý")
    assert deadline.kind == Kind.RECURRING
    assert deadline.recurrence == "quarter"
    periods = recurring_periods("quarter", 2022)
    assert periods[0] == ("Quý I/2022", date(2022, 3, 31))
    assert periods[-1] == ("Quý IV/2022", date(2022, 12, 31))


def test_month_without_year_takes_plan_year():
    assert parse_deadline("hoàn thành trong tháng 9", default_year=2023).due_date == date(
        2023, 9, 30
    )
    assert parse_deadline("hoàn thành trong tháng 9") is None


def test_citation_date_is_not_a_deadline():
    assert parse_deadline("theo Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ") is None
    assert parse_deadline("Quyết định số 1473/QĐ-UBND ngày 29/4/2022") is None


def test_phrase_without_deadline():
    assert parse_deadline("phấn đấu hoàn thành nhiệm vụ") is None
    assert parse_deadline("") is None


def test_due_label_reads_month_end_as_month():
    assert due_label(date(2022, 7, 31)) == "tháng 7/2022"
    assert due_label(date(2022, 8, 15)) == "15/08/2022"
    assert due_label(None) == "Thường xuyên"


# --- Boundaries: on time, late, overdue (model and queryset agree) -------------------
DUE = date(2022, 7, 31)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("completed_on", "on_time"),
    [(DUE, True), (date(2022, 7, 1), True), (date(2022, 8, 1), False)],
    ids=["done on the due day", "done early", "done a day late"],
)
def test_done_on_time_or_late(completed_on, on_time):
    a = make_assignment(due=DUE, status=Assignment.Status.DONE, completed_on=completed_on)
    assert a.is_done_on_time() is on_time
    today = date(2022, 12, 1)
    assert Assignment.objects.done_on_time(today).filter(pk=a.pk).exists() is on_time
    assert Assignment.objects.done_late(today).filter(pk=a.pk).exists() is (not on_time)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("today", "overdue"),
    [(date(2022, 7, 30), False), (DUE, False), (date(2022, 8, 1), True)],
    ids=["day before", "due today (last day of month)", "first day after"],
)
def test_overdue_starts_the_day_after_due_date(today, overdue):
    a = make_assignment(due=DUE)
    assert a.is_overdue(today) is overdue
    assert Assignment.objects.overdue(today).filter(pk=a.pk).exists() is overdue
    assert Assignment.objects.not_yet_due(today).filter(pk=a.pk).exists() is (not overdue)


@pytest.mark.django_db
def test_extended_deadline_judges_on_time_against_new_date():
    a = make_assignment(
        due=date(2022, 9, 30),
        original_due=DUE,
        status=Assignment.Status.DONE,
        completed_on=date(2022, 9, 15),
    )
    assert a.is_extended
    assert a.is_done_on_time()
    assert Assignment.objects.extended().filter(pk=a.pk).exists()
    assert not Assignment.objects.overdue(date(2022, 8, 15)).filter(pk=a.pk).exists()


@pytest.mark.django_db
def test_ongoing_is_never_overdue():
    a = make_assignment(due=None)
    assert not a.is_overdue(date(2030, 1, 1))
    assert Assignment.objects.ongoing(date(2030, 1, 1)).filter(pk=a.pk).exists()


def test_bare_year_phrase_is_the_year():
    assert parse_deadline("2023").due_date == date(2023, 12, 31)
    assert parse_deadline("Báo cáo số 2023") is None


def test_phrase_forms_of_a_deadline_column():
    assert parse_deadline("2023 - 2025").due_date == date(2025, 12, 31)
    assert parse_deadline("Giai đoạn 2023-2025").due_date == date(2025, 12, 31)
    assert parse_deadline("30/6", default_year=2023).due_date == date(2023, 6, 30)
    assert parse_deadline("30/6") is None  # no year to take
    assert parse_deadline("Theo quy định") is None
