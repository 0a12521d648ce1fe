"""The coordinators' pages for scoring rules and declared days (planning/reports/rules.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from planning.models import DeclaredDay, ScoringRule
from planning.workdays import working_calendar
from tests.conftest import client_for
from tests.factories import make_plan

pytestmark = pytest.mark.django_db

RULES, DAYS = "/cach-cham-diem/", "/ngay-nghi-lam-bu/"


def _rule(client, **data):
    return client.post(
        RULES,
        {"measure": "completion", "bands": "100:2; 80:1; 0:0", "max_points": "2", **data},
    )


def test_a_coordinator_adds_a_new_version_and_the_old_rule_stays(client, coordinator):
    plan = make_plan("192/KH-UBND", year=2022)
    client_for(client, coordinator)
    assert _rule(client, plan=plan.pk, valid_from="01/01/2022").status_code == 302
    assert (
        _rule(
            client, plan=plan.pk, bands="100:3; 90:2; 0:0", max_points="3", valid_from="01/07/2022"
        ).status_code
        == 302
    )
    assert ScoringRule.objects.filter(plan=plan).count() == 2
    # The report's rule is the one in force at its as-of date.
    assert ScoringRule.in_force(plan, date(2022, 6, 30)).max_points == Decimal("2.00")
    assert ScoringRule.in_force(plan, date(2022, 9, 30)).max_points == Decimal("3.00")
    page = client.get(RULES).content.decode()
    assert "100:3; 90:2; 0:0" in page and "100:2; 80:1; 0:0" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"valid_from": "01/01/2022"}, "Chọn một kế hoạch, hoặc ghi năm"),
        (
            {"year": "2022", "valid_from": "01/01/2022", "bands": "một trăm"},
            "Thang điểm không hợp lệ",
        ),
        ({"year": "2022", "valid_from": "31/02/2022"}, "Nhập một ngày hợp lệ"),
    ],
)
def test_a_bad_rule_is_refused_in_vietnamese_and_nothing_is_saved(
    client, coordinator, data, message
):
    client_for(client, coordinator)
    response = _rule(client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ScoringRule.objects.exists()


def test_a_declared_day_off_and_a_working_saturday_change_the_calendar(client, coordinator):
    client_for(client, coordinator)
    monday, saturday = date(2026, 12, 28), date(2026, 12, 26)
    assert working_calendar().is_working_day(monday)
    assert not working_calendar().is_working_day(saturday)
    client.post(DAYS, {"day": "28/12/2026", "note": "Nghỉ bù"})
    client.post(DAYS, {"day": "26/12/2026", "is_working_day": "on", "note": "Làm bù"})
    calendar = working_calendar()
    assert not calendar.is_working_day(monday) and calendar.is_working_day(saturday)
    again = client.post(DAYS, {"day": "28/12/2026"})
    assert "Ngày này đã được khai báo." in again.content.decode()
    day_off = DeclaredDay.objects.get(day=monday)
    assert client.post(f"{DAYS}{day_off.pk}/bo/").status_code == 302
    assert working_calendar().is_working_day(monday)


@pytest.mark.parametrize("persona", ["officer_stp", "viewer"])
def test_nobody_but_coordinators_reaches_them(client, request, persona):
    client_for(client, request.getfixturevalue(persona))
    day = DeclaredDay.objects.create(day=date(2026, 12, 28))
    for url in (RULES, DAYS):
        assert client.get(url).status_code == 404
    assert client.post(DAYS, {"day": "29/12/2026"}).status_code == 404
    assert client.post(f"{DAYS}{day.pk}/bo/").status_code == 404
    assert _rule(client, year="2022", valid_from="01/01/2022").status_code == 404
    assert DeclaredDay.objects.count() == 1 and not ScoringRule.objects.exists()


def test_the_lists_cost_the_same_queries_with_many_rows(
    client, coordinator, django_assert_max_num_queries
):
    client_for(client, coordinator)
    plan = make_plan(year=2022)
    ScoringRule.objects.create(plan=plan, bands="100:2", max_points=2, valid_from=date(2022, 1, 1))
    DeclaredDay.objects.create(day=date(2026, 1, 2))
    counts = []
    for url in (RULES, DAYS):
        with django_assert_max_num_queries(12) as few:
            client.get(url)
        counts.append(len(few.captured_queries))
    for i in range(60):
        ScoringRule.objects.create(
            plan=make_plan(year=2022), bands="100:2", max_points=2, valid_from=date(2022, 1, 1)
        )
        DeclaredDay.objects.create(day=date(2025, 1, 1).replace(day=1 + i % 28, month=1 + i // 28))
    for url, before in zip((RULES, DAYS), counts, strict=True):
        with django_assert_max_num_queries(before):
            client.get(url)
