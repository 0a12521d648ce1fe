"""Agency scores: a scoring rule's bands at their edges, versions by date, and the
score in the ranking, the PDF and the workbook.

Personas: `coordinator` (Sở Nội vụ) sees every agency and its score.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import Assignment, ScoringRule
from planning.reports.statistics import ReportFilters, assignments_for, compute
from tests.conftest import client_for

from .conftest import AS_OF, pdf_text

pytestmark = pytest.mark.django_db


def rule(**extra) -> ScoringRule:
    fields = {"bands": "100:2; 80:1; 0:0", "max_points": Decimal(2), "valid_from": date(2022, 1, 1)}
    return ScoringRule(**{**fields, **extra})


@pytest.mark.parametrize(
    ("ratio", "points"),
    [
        ("100.00", "2"),
        ("99.99", "1"),
        ("80.00", "1"),
        ("79.99", "0"),
        ("0.00", "0"),
    ],
)
def test_bands_at_their_edges(ratio, points):
    assert rule().score(Decimal(ratio)) == Decimal(points)


def test_no_ratio_no_score_and_never_above_the_maximum():
    assert rule().score(None) is None
    assert rule(bands="100:5; 0:0").score(Decimal(100)) == Decimal(2)


def test_a_malformed_scale_is_refused_in_vietnamese():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Thang điểm không hợp lệ"):
        rule(bands="100 điểm").clean()


def test_a_report_uses_the_rule_in_force_at_its_as_of_date(plan_24_26):
    old = rule(plan=plan_24_26)
    old.save()
    new = rule(plan=plan_24_26, bands="100:2; 90:1.5; 0:0", valid_from=date(2022, 12, 1))
    new.save()

    def scores(as_of):
        filters = ReportFilters(as_of=as_of, plan=plan_24_26)
        stats = compute(assignments_for(None, filters), filters)
        return stats.scoring_rule, [row.score for row in stats.by_agency]

    # 12/13 = 92,31% per agency: 1 point under the old bands, 1.5 under the new.
    assert scores(date(2022, 11, 30)) == (old, [Decimal(1), Decimal(1)])
    assert scores(AS_OF) == (new, [Decimal("1.5"), Decimal("1.5")])


def test_the_years_rule_applies_when_the_plan_has_none(plan_24_26):
    rule(year=2022, measure=ScoringRule.Measure.ON_TIME).save()
    filters = ReportFilters(as_of=AS_OF, plan=plan_24_26)
    stats = compute(assignments_for(None, filters), filters)
    # On time 10/12 = 83,33%: 1 point.
    assert [row.score for row in stats.by_agency] == [Decimal(1), Decimal(1)]


def test_ranking_pdf_and_excel_show_each_agencys_score(client, coordinator, plan_24_26, stp):
    rule(plan=plan_24_26).save()
    # Sở Tư pháp completes its last task: 13/13 → 2 points; Sở Tài chính stays at 1.
    Assignment.objects.filter(agency=stp, status=Assignment.Status.IN_PROGRESS).update(
        status=Assignment.Status.DONE, completed_on=date(2022, 7, 30)
    )
    query = {"ke_hoach": plan_24_26.pk, "ngay": "15/12/2022"}
    c = client_for(client, coordinator)
    html = c.get(reverse("reports:dashboard"), query).content.decode()
    ranking = html.split('id="xep-hang"', 1)[1].split("</table>", 1)[0]
    assert ">Điểm</th>" in ranking
    assert '<th scope="row">Sở Tư pháp</th><td class="num score">2,00</td>' in ranking
    assert '<th scope="row">Sở Tài chính</th><td class="num score">1,00</td>' in ranking

    text = " ".join(pdf_text(c.get(reverse("reports:pdf"), query).content).split())
    assert "1 Sở Tư pháp 2,00 13" in text
    assert "2 Sở Tài chính 1,00 13" in text

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(c.get(reverse("reports:xlsx"), query).content))["Theo cơ quan"]
    header = [cell.value for cell in sheet[4]]
    score_col = header.index("Điểm")
    rows = {r[1]: r[score_col] for r in sheet.iter_rows(min_row=5, values_only=True) if r[1]}
    assert (rows["Sở Tư pháp"], rows["Sở Tài chính"]) == (2.0, 1.0)


def test_without_a_rule_there_is_no_score_column(client, coordinator, plan_24_26):
    query = {"ke_hoach": plan_24_26.pk, "ngay": "15/12/2022"}
    html = client_for(client, coordinator).get(reverse("reports:dashboard"), query)
    assert ">Điểm</th>" not in html.content.decode()
