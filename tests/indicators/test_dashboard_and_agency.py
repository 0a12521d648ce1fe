"""The dashboard's indicator summary and the agency page's criteria.

Who sees what (tests/indicators/conftest.py): the coordinator and the viewer
see every set of KH 192; an officer of Sở Tư pháp sees the criteria Sở Tư pháp
leads, on the dashboard and on its agency page; an officer of Sở Y tế, which
leads none, sees no indicator at all.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning.indicators.models import Indicator, IndicatorSet
from planning.indicators.services import record_result
from planning.models import Plan
from tests.conftest import client_for
from tests.factories import make_assignment, make_plan

AS_OF = date(2022, 12, 31)


def _dashboard(client, user, plan):
    url = reverse("reports:dashboard") + f"?ke_hoach={plan.pk}&ngay=31/12/2022"
    return client_for(client, user).get(url)


def _summary_rows(body: str) -> str:
    start = body.index('<table class="data indicator-summary">')
    return " ".join(body[start : body.index("</table>", start)].split())


@pytest.mark.parametrize("persona", ["coordinator", "viewer"])
def test_the_dashboard_shows_each_sets_criteria_at_and_below_target_and_the_total(
    client, request, persona, kh192
):
    response = _dashboard(client, request.getfixturevalue(persona), kh192)
    assert response.status_code == 200
    table = _summary_rows(response.content.decode())
    par = table[table.index("PAR INDEX") : table.index("SIPAS")]
    # 62 leaf criteria; the total's target 92,55 against 88,54 last year, no result yet.
    assert '<td class="num">62</td>' in par
    assert "92,55" in par and "88,54" in par
    sipas = table[table.index("SIPAS") :]
    assert "&gt; 88,00" in sipas and "87,11" in sipas


def test_an_approved_result_moves_a_criterion_from_below_to_met_on_the_dashboard(
    client, coordinator, kh192
):
    def counts():
        [par, _] = _dashboard(client, coordinator, kh192).context["indicator_summary"]()
        return par.met, par.below_target

    met, below = counts()
    indicator = Indicator.objects.get(indicator_set__plan=kh192, code="5.5")  # 0,5 against 1
    record_result(indicator=indicator, period_end=AS_OF, value=Decimal("1"), by=coordinator)
    assert counts() == (met + 1, below - 1)
    body = _dashboard(client, coordinator, kh192).content.decode()
    assert f'<td class="num">{met + 1}</td>' in _summary_rows(body)  # the cached page moved too


def test_an_officer_sees_the_summary_of_its_own_criteria(client, officer_stp, registry, kh192):
    make_assignment(plan=kh192, agency=registry["STP"])  # the plan is one of its own
    [par] = _dashboard(client, officer_stp, kh192).context["indicator_summary"]()
    assert par.criteria == 7  # 2.1, 2.2, 2.3 and the four parts of 2.4


def test_an_officer_whose_agency_leads_nothing_sees_no_summary(
    client, officer_syt, registry, kh192
):
    make_assignment(plan=kh192, agency=registry["SYT"])
    response = _dashboard(client, officer_syt, kh192)
    assert response.status_code == 200
    assert response.context["filters"].plan == kh192
    assert "indicator-summary" not in response.content.decode()


def test_the_dashboard_draws_the_summary_in_the_same_queries_whatever_the_number_of_criteria(
    client, coordinator, kh192
):
    small = make_plan("7/KH-UBND", year=2022)
    indicator_set = IndicatorSet.objects.create(plan=small, kind=IndicatorSet.Kind.MEASURED)
    Indicator.objects.create(indicator_set=indicator_set, code="1", name="Tỷ lệ", target=80)
    _dashboard(client, coordinator, kh192)  # the session and the user, once
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        assert "indicator-summary" in _dashboard(client, coordinator, small).content.decode()
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert "indicator-summary" in _dashboard(client, coordinator, kh192).content.decode()
    assert len(many) == len(one)


def _agency_page(client, user, agency):
    return client_for(client, user).get(reverse("planning:agency_detail", args=[agency.code]))


def test_an_officer_of_so_noi_vu_sees_the_criteria_its_agency_leads(
    client, officer_snv, registry, kh192
):
    response = _agency_page(client, officer_snv, registry["SNV"])
    assert response.status_code == 200
    codes = [row.indicator.code for row in response.context["led_criteria"]]
    assert {"1.1", "1.2", "5.5", "III", "III.7"} <= set(codes)
    assert "2.1" not in codes
    body = response.content.decode()
    assert "Chỉ tiêu do cơ quan chủ trì tham mưu" in body
    assert "Thực hiện Kế hoạch CCHC" in body


def test_the_coordinator_sees_an_agencys_criteria_on_its_page(client, coordinator, registry, kh192):
    response = _agency_page(client, coordinator, registry["STP"])
    codes = [row.indicator.code for row in response.context["led_criteria"]]
    assert codes == ["2.1", "2.2", "2.3", "2.4", "2.4.1", "2.4.2", "2.4.3", "2.4.4"]


def test_the_agency_page_lists_its_criteria_in_the_same_queries_whatever_their_number(
    client, coordinator, registry, kh192
):
    _agency_page(client, coordinator, registry["STP"])  # the session and the user, once
    with CaptureQueriesContext(connection) as few:
        _agency_page(client, coordinator, registry["STP"])  # 8 criteria
    with CaptureQueriesContext(connection) as many:
        response = _agency_page(client, coordinator, registry["SNV"])
    assert len(response.context["led_criteria"]) > 30
    assert len(many) == len(few)


def test_an_agency_page_hides_the_criteria_of_a_draft_plan_from_its_officer(
    client, officer_snv, registry, kh192
):
    Plan.objects.filter(pk=kh192.pk).update(status=Plan.Status.DRAFT)
    response = _agency_page(client, officer_snv, registry["SNV"])
    assert response.context["led_criteria"] == []
    assert "Chỉ tiêu do cơ quan chủ trì tham mưu" not in response.content.decode()
