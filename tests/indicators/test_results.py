"""Entering results: a coordinator publishes, an agency submits and the coordinator reviews."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from planning.indicators.models import Indicator, IndicatorResult
from planning.indicators.services import ResultLocked, record_result
from tests.conftest import client_for


def _indicator(plan, code):
    return Indicator.objects.get(indicator_set__plan=plan, code=code)


def _entry(indicator):
    return reverse("indicators:enter_result", args=[indicator.pk])


def test_coordinator_enters_a_published_result_which_counts_at_once(client, coordinator, kh192):
    indicator = _indicator(kh192, "2.4.1")
    response = client_for(client, coordinator).post(
        _entry(indicator), {"period_end": "31/12/2022", "value": "0,85", "evidence": ""}
    )
    assert response.status_code == 302
    result = IndicatorResult.objects.get(indicator=indicator)
    assert (result.value, result.status, result.entered_by) == (
        Decimal("0.85"),
        IndicatorResult.Status.APPROVED,
        coordinator,
    )
    page = client.get(
        reverse("indicators:plan_indicators", args=[kh192.pk]), {"ngay": "2023-01-05"}
    )
    row = next(r for r in page.context["tables"][0].rows if r.indicator.code == "2.4.1")
    assert row.cells["actual"] == "0,85"


def test_an_agency_submits_a_value_with_evidence_that_waits_for_review(
    client, officer_snv, coordinator, kh192
):
    indicator = _indicator(kh192, "5.5")
    client_for(client, officer_snv)
    missing = client.post(_entry(indicator), {"period_end": "31/12/2022", "value": "1"})
    assert missing.status_code == 200 and "evidence" in missing.context["form"].errors
    client.post(
        _entry(indicator),
        {"period_end": "31/12/2022", "value": "1", "evidence": "Báo cáo số 12/BC-SNV"},
    )
    result = IndicatorResult.objects.get(indicator=indicator)
    assert result.status == IndicatorResult.Status.SUBMITTED
    as_of = date(2023, 1, 5)
    assert Indicator.objects.filter(pk=indicator.pk).with_actual(as_of).get().actual is None

    client_for(client, coordinator)
    page = client.get(reverse("indicators:plan_indicators", args=[kh192.pk]))
    assert list(page.context["pending"]) == [result]
    client.post(reverse("indicators:review", args=[result.pk]), {"decision": "approve"})
    result.refresh_from_db()
    assert (result.status, result.reviewed_by) == (IndicatorResult.Status.APPROVED, coordinator)
    assert Indicator.objects.filter(pk=indicator.pk).with_actual(as_of).get().actual == 1


def test_returning_a_value_needs_a_reason(client, officer_snv, coordinator, kh192):
    indicator = _indicator(kh192, "5.5")
    result = record_result(
        indicator=indicator,
        period_end=date(2022, 12, 31),
        value=Decimal("1"),
        by=officer_snv,
        evidence="BC 12",
    )
    client_for(client, coordinator)
    client.post(reverse("indicators:review", args=[result.pk]), {"decision": "return"})
    result.refresh_from_db()
    assert result.status == IndicatorResult.Status.SUBMITTED
    client.post(
        reverse("indicators:review", args=[result.pk]),
        {"decision": "return", "note": "Thiếu văn bản công bố"},
    )
    result.refresh_from_db()
    assert (result.status, result.review_note) == (
        IndicatorResult.Status.RETURNED,
        "Thiếu văn bản công bố",
    )


def test_an_agency_cannot_change_an_approved_value(officer_snv, coordinator, kh192):
    indicator = _indicator(kh192, "5.5")
    record_result(
        indicator=indicator, period_end=date(2022, 12, 31), value=Decimal("1"), by=coordinator
    )
    with pytest.raises(ResultLocked):
        record_result(
            indicator=indicator,
            period_end=date(2022, 12, 31),
            value=Decimal("0.5"),
            by=officer_snv,
            evidence="BC",
        )
    assert IndicatorResult.objects.get(indicator=indicator).value == 1


def test_a_value_must_be_a_number(client, coordinator, kh192):
    response = client_for(client, coordinator).post(
        _entry(_indicator(kh192, "1.1")), {"period_end": "31/12/2022", "value": "khoảng 1"}
    )
    assert response.status_code == 200
    assert "Vui lòng nhập một số" in response.content.decode()
    assert not IndicatorResult.objects.exists()


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("officer_stp", "1.1"),  # Sở Nội vụ's criterion
        ("officer_snv", "2.1"),  # Sở Tư pháp's criterion
        ("viewer", "1.1"),  # viewers read, never write
        ("officer_syt", "1.1"),
    ],
)
def test_entry_of_a_criterion_one_may_not_enter_is_404(client, request, persona, code, kh192):
    client_for(client, request.getfixturevalue(persona))
    url = _entry(_indicator(kh192, code))
    assert client.get(url).status_code == 404
    assert client.post(url, {"period_end": "31/12/2022", "value": "1"}).status_code == 404
    assert not IndicatorResult.objects.exists()


def test_only_a_coordinator_reviews(client, officer_snv, kh192):
    result = record_result(
        indicator=_indicator(kh192, "1.1"),
        period_end=date(2022, 12, 31),
        value=Decimal("1.5"),
        by=officer_snv,
        evidence="BC",
    )
    client_for(client, officer_snv)
    response = client.post(reverse("indicators:review", args=[result.pk]), {"decision": "approve"})
    assert response.status_code == 404
    result.refresh_from_db()
    assert result.status == IndicatorResult.Status.SUBMITTED
