"""Saving what was read: agencies resolved, a second import keeps the results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from planning.indicators.models import Indicator, IndicatorResult, IndicatorSet
from planning.indicators.services import load_demo_indicators, record_result, save_indicators
from tests.factories import make_plan


def test_kh192_is_saved_with_its_leads_resolved_through_the_registry(kh192, registry):
    par = IndicatorSet.objects.get(plan=kh192, kind=IndicatorSet.Kind.PAR_INDEX)
    assert par.indicators.filter(is_total=False).count() == 79
    assert par.indicators.get(code="1.3").lead == registry["SNV"]
    assert par.indicators.get(code="2.2").lead == registry["STP"]
    assert par.indicators.get(code="7.1.9").parent.code == "7.1"
    sipas = IndicatorSet.objects.get(plan=kh192, kind=IndicatorSet.Kind.SIPAS)
    assert sipas.indicators.count() == 30
    item = sipas.indicators.get(code="I.2")
    assert item.lead == registry["VPUBND"]
    assert set(item.following_agencies.values_list("code", flat=True)) == {"SNV", "VPUBND"}


def test_an_agency_missing_from_the_registry_is_kept_as_written_and_reported(registry, kh192_text):
    saved = save_indicators(plan=make_plan("192/KH-UBND"), text=kh192_text)
    row = Indicator.objects.get(indicator_set__kind="par_index", code="8.4")
    assert row.lead is None
    assert row.lead_label == "Cục thuế Thành phố"
    assert any("«Cục thuế Thành phố» (8.4)" in str(w) for w in saved.warnings)


def test_a_second_import_updates_in_place_and_keeps_recorded_results(
    kh192, kh192_text, coordinator
):
    indicator = Indicator.objects.get(indicator_set__plan=kh192, code="1.1")
    record_result(
        indicator=indicator, period_end=date(2022, 12, 31), value=Decimal("1.5"), by=coordinator
    )
    count = Indicator.objects.count()
    save_indicators(plan=kh192, text=kh192_text)
    assert Indicator.objects.count() == count
    assert Indicator.objects.get(indicator_set__plan=kh192, code="1.1").pk == indicator.pk
    assert IndicatorResult.objects.filter(indicator=indicator).count() == 1


def test_a_row_the_text_no_longer_has_is_removed(kh192, kh192_text):
    shorter = "\n".join(line for line in kh192_text.splitlines() if not line.startswith("8.6 |"))
    save_indicators(plan=kh192, text=shorter)
    assert not Indicator.objects.filter(indicator_set__plan=kh192, code="8.6").exists()


def test_load_demo_indicators_loads_kh192_from_the_demo_copy(registry):
    plan = make_plan("192/KH-UBND")
    saved = load_demo_indicators(plan)
    total = Indicator.objects.get(
        indicator_set__plan=plan, indicator_set__kind="par_index", is_total=True
    )
    assert (total.maximum, total.previous, total.target) == (
        Decimal("100"),
        Decimal("88.54"),
        Decimal("92.55"),
    )
    overall = Indicator.objects.get(
        indicator_set__plan=plan, indicator_set__kind="sipas", is_total=True
    )
    assert (overall.previous, overall.target) == (Decimal("87.11"), Decimal("88.00"))
    assert any("7.1" in str(w) for w in saved.warnings)
