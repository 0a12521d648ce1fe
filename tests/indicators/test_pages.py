"""The plan's "Chỉ tiêu" page: who sees which criteria, and constant queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from planning.indicators.models import Indicator
from planning.indicators.services import record_result
from planning.models import Plan
from tests.conftest import client_for


def _page(kh192):
    return reverse("indicators:plan_indicators", args=[kh192.pk])


def _codes(response):
    return {row.indicator.code for table in response.context["tables"] for row in table.rows}


def test_anonymous_is_sent_to_login(client, kh192):
    response = client.get(_page(kh192))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["coordinator", "viewer"])
def test_coordinator_and_viewer_read_every_criterion(client, request, persona, kh192):
    response = client_for(client, request.getfixturevalue(persona)).get(_page(kh192))
    assert response.status_code == 200
    rows = [row for table in response.context["tables"] for row in table.rows]
    assert len(rows) == Indicator.objects.filter(indicator_set__plan=kh192).count()
    body = response.content.decode()
    assert "Xử lý VBQPPL sau rà soát, hệ thống hóa" in body
    assert "92,55" in body and "&gt; 88,00" in body


def test_officer_of_snv_sees_the_criteria_it_leads_and_no_other(client, officer_snv, kh192):
    response = client_for(client, officer_snv).get(_page(kh192))
    assert response.status_code == 200
    codes = _codes(response)
    assert {"1.1", "1.2", "4.4.2", "5.9.4", "8.1", "III", "III.7"} <= codes
    assert not codes & {"1.6", "2.1", "4.4.1", "I.1", ""}
    assert "Theo dõi thi hành pháp luật" not in response.content.decode()


def test_officer_of_an_agency_that_leads_nothing_gets_404(client, officer_syt, kh192):
    assert client_for(client, officer_syt).get(_page(kh192)).status_code == 404


def test_a_draft_plan_is_hidden_from_officers_but_not_from_the_coordinator(
    client, officer_snv, coordinator, kh192
):
    Plan.objects.filter(pk=kh192.pk).update(status=Plan.Status.DRAFT)
    assert client_for(client, officer_snv).get(_page(kh192)).status_code == 404
    assert client_for(client, coordinator).get(_page(kh192)).status_code == 200


def test_criteria_below_target_are_listed_with_their_lead(client, coordinator, kh192):
    # 5.5 stood at 0,5 in 2021 against a target of 1; 1.1 met its target.
    response = client_for(client, coordinator).get(_page(kh192))
    par = response.context["tables"][0]
    below = {row.indicator.code: row for row in par.below_target}
    assert "5.5" in below and "1.1" not in below
    assert below["5.5"].gap_label == "-0,5"
    assert below["5.5"].indicator.lead_label == "Sở Nội vụ"
    assert "tiêu chí chưa đạt mục tiêu" in response.content.decode()


def test_an_approved_result_meeting_the_target_takes_the_criterion_off_the_list(
    client, coordinator, kh192
):
    indicator = Indicator.objects.get(indicator_set__plan=kh192, code="5.5")
    record_result(
        indicator=indicator, period_end=date(2022, 12, 31), value=Decimal("1"), by=coordinator
    )
    client_for(client, coordinator)
    before = client.get(_page(kh192), {"ngay": "2022-12-30"}).context["tables"][0]
    after = client.get(_page(kh192), {"ngay": "2022-12-31"}).context["tables"][0]
    assert "5.5" in {r.indicator.code for r in before.below_target}
    assert "5.5" not in {r.indicator.code for r in after.below_target}


def test_only_those_who_may_enter_see_the_entry_links(client, viewer, officer_snv, kh192):
    assert "Nhập kết quả" not in client_for(client, viewer).get(_page(kh192)).content.decode()
    assert "Nhập kết quả" in client_for(client, officer_snv).get(_page(kh192)).content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "officer_snv"])
def test_queries_do_not_grow_with_results(
    client, request, persona, kh192, coordinator, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client_for(client, user)
    client.get(_page(kh192))  # sessions and the user's membership warm
    with django_assert_max_num_queries(8):
        client.get(_page(kh192))
    for indicator in Indicator.objects.filter(indicator_set__plan=kh192)[:40]:
        record_result(
            indicator=indicator,
            period_end=date(2022, 12, 31),
            value=indicator.target or Decimal(0),
            by=coordinator,
        )
    with django_assert_max_num_queries(8):
        client.get(_page(kh192))


def test_areas_and_groups_are_not_listed_below_target_only_their_criteria(
    client, coordinator, kh192
):
    response = client_for(client, coordinator).get(_page(kh192))
    below = {row.indicator.code for row in response.context["tables"][0].below_target}
    assert "2.4.1" in below
    assert not below & {"2", "2.4"}


def test_each_area_has_a_chart_that_states_its_figures_in_words(client, coordinator, kh192):
    response = client_for(client, coordinator).get(_page(kh192))
    body = response.content.decode()
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 8 + 5
    assert "5.5: năm trước 0,5, thực hiện chưa có, mục tiêu 1" in body
