"""What the dashboard, the agency page and the review page are given."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from planning.indicators.models import Indicator
from planning.indicators.reading import review_warnings
from planning.indicators.services import record_result
from planning.indicators.tables import criteria_led_by, indicator_summary


def test_summary_gives_each_sets_total_and_how_many_criteria_are_below_target(kh192):
    par, sipas = indicator_summary(kh192, date(2022, 12, 31))
    assert par.total.cells["target"] == "92,55"
    # The leaves: 71 criteria less the 9 groups with parts (2.4, 4.4, 5.8, 5.9, 6.1,
    # 6.4, 7.1, 7.2, 7.5).
    assert par.criteria == 71 - 9
    assert 0 < par.below_target < par.criteria
    assert sipas.total.cells["previous"] == "87,11"
    assert sipas.criteria == 24


def test_summary_counts_a_criterion_off_once_its_result_meets_the_target(kh192, coordinator):
    before = indicator_summary(kh192, date(2022, 12, 31))[0].below_target
    indicator = Indicator.objects.get(indicator_set__plan=kh192, code="5.5")
    record_result(
        indicator=indicator, period_end=date(2022, 12, 31), value=Decimal("1"), by=coordinator
    )
    assert indicator_summary(kh192, date(2022, 12, 31))[0].below_target == before - 1


def test_the_agency_page_lists_the_criteria_the_agency_leads(kh192, registry):
    codes = [r.indicator.code for r in criteria_led_by(registry["STP"], date(2022, 12, 31))]
    assert codes == ["2.1", "2.2", "2.3", "2.4", "2.4.1", "2.4.2", "2.4.3", "2.4.4"]


def test_review_warnings_name_the_mismatch_of_7_1(kh192_text):
    assert any("tiêu chí 7.1 " in w for w in review_warnings(kh192_text))
