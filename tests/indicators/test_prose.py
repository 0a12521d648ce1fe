"""The plan's own measured targets read from its sentences, and kept or dropped on review.

Who may do what: only a coordinator reviews a plan (tests/parsing/test_review.py);
here the coordinator of Sở Nội vụ keeps some proposed targets and drops others.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from planning.indicators.models import Indicator, IndicatorSet
from planning.indicators.prose import read_prose_targets
from planning.models import Plan
from tests.conftest import client_for
from tests.parsing.test_review import posted_draft

ROOT = Path(__file__).resolve().parents[2]
REAL_2025 = ROOT.parent / "shared/fixtures/real-2025"


def _read(text: str) -> list[tuple[str, str, Decimal]]:
    return [(t.comparison, t.name, t.target) for t in read_prose_targets(text)]


@pytest.mark.parametrize(
    ("sentence", "comparison", "target"),
    [
        ("- 100% hồ sơ giải quyết đúng hạn.", "eq", Decimal("100")),
        ("- Tỷ lệ hồ sơ trực tuyến đạt 80%.", "gte", Decimal("80")),
        ("- Mức độ hài lòng của người dân trên 90%.", "gt", Decimal("90")),
        ("- Tỷ lệ số hóa hồ sơ đạt từ 85,5% trở lên.", "gte", Decimal("85.5")),
        ("- Phấn đấu có ít nhất 10% công chức được đào tạo lại.", "gte", Decimal("10")),
    ],
)
def test_a_percent_target_in_a_sentence_is_read_with_its_comparison(sentence, comparison, target):
    [(read_comparison, name, read_target)] = _read(sentence)
    assert (read_comparison, read_target) == (comparison, target)
    assert "%" in name


@pytest.mark.parametrize(
    "sentence",
    [
        # Results, not targets.
        "Chỉ số SIPAS năm 2021 đạt 87,11%, tăng 1,96% so với năm 2020.",
        "Đã giải quyết 888 TTHC liên quan đến doanh nghiệp (đạt 62,8%) trong năm.",
        "[5] Tỷ lệ TTHC được cung cấp trực tuyến tại cấp bộ là 69,87%",
        # A cited document's figure, an upper bound, a table's figure.
        "Thực hiện theo Nghị quyết số 76/NQ-CP của Chính phủ về mục tiêu đạt 90% hồ sơ.",
        "- Dưới 50% rác thải sinh hoạt được xử lý bằng phương pháp chôn lấp.",
        "| 1.1 | Tỷ lệ hồ sơ đúng hạn | 98% | 100% |",
        "99,4%",
    ],
)
def test_results_citations_bounds_and_table_cells_are_never_proposed(sentence):
    assert _read(sentence) == []


def test_kh_192s_own_targets_and_not_its_2021_results(kh192_text):
    targets = read_prose_targets(kh192_text)
    assert [(t.line, t.comparison, t.target) for t in targets] == [
        (38, "eq", 100),
        (38, "eq", 100),
        (48, "eq", 100),
        (93, "gte", 100),  # "hoàn thành đạt và vượt 100% chỉ tiêu"
    ]
    assert targets[0].name.startswith("100% số văn bản QPPL phải được xử lý")
    # The opening paragraph's results (PAR INDEX 88,54%, SIPAS 87,11%) are not targets.
    assert not any(t.target in (Decimal("88.54"), Decimal("87.11")) for t in targets)


def test_bac_ninh_plan_141_states_five_targets():
    text = (REAL_2025 / "bacninh_kh_141_2025.txt").read_text(encoding="utf-8")
    targets = read_prose_targets(text)
    assert [(t.comparison, t.target) for t in targets] == [
        ("eq", 100),
        ("eq", 100),
        ("eq", 100),
        ("gte", 10),
        ("eq", 100),
    ]
    assert "ít nhất 10% đội ngũ cán bộ" in targets[3].name


def test_a_resolution_keeps_its_above_target_and_drops_its_upper_bound():
    text = (REAL_2025 / "cp_nq_394_2025.txt").read_text(encoding="utf-8")
    read = [(t.comparison, t.target, t.name[:25]) for t in read_prose_targets(text)]
    assert ("gt", 50, "Trên 50% các bãi chôn lấp") in read
    assert not any(name.startswith("Dưới 50%") for _, _, name in read)


def test_a_directives_reported_figures_and_table_cells_are_not_proposed():
    text = (REAL_2025 / "ttg_cd_220_2025.txt").read_text(encoding="utf-8")
    targets = read_prose_targets(text)
    assert len(targets) == 3
    assert {t.target for t in targets} == {Decimal("30"), Decimal("100")}


def test_a_plan_without_percentages_proposes_nothing():
    text = (ROOT / "tests/parsing/fixtures/real/sonla_snv_924_2015.txt").read_text(encoding="utf-8")
    assert read_prose_targets(text) == []


# --- The review page ----------------------------------------------------------


@pytest.fixture
def reviewing(client, coordinator, kh192_text):
    """The coordinator has pasted KH 192 and sees its draft."""
    client = client_for(client, coordinator)
    response = client.post(reverse("plan_import:upload"), {"text": kh192_text})
    assert response.status_code == 302
    return client


def test_the_review_page_shows_the_tables_warnings_and_the_proposed_targets(reviewing):
    page = reviewing.get(reverse("plan_import:review"))
    html = page.content.decode()
    assert "Lưu ý về bảng chỉ tiêu" in html
    assert "tiêu chí 7.1 (7.1.9, 7.1.10, 7.1.11) không cộng lại bằng" in html
    assert "Chỉ tiêu đo lường nêu trong văn bản" in html
    assert html.count('name="giu_chi_tieu"') == 4
    assert html.count(" checked>") >= 4  # every proposal ticked until the reviewer says no


def test_confirming_saves_the_appendix_and_the_targets_the_reviewer_kept(reviewing, registry):
    page = reviewing.get(reverse("plan_import:review"))
    data = {**posted_draft(page), "action": "confirm", "giu_chi_tieu": ["0", "3"]}
    response = reviewing.post(reverse("plan_import:review"), data)
    assert response.status_code == 302, response.context and response.context["header_form"].errors
    plan = Plan.objects.get()
    kinds = set(plan.indicator_sets.values_list("kind", flat=True))
    assert kinds == {"par_index", "sipas", "measured"}
    assert (
        Indicator.objects.filter(indicator_set__plan=plan, indicator_set__kind="par_index").count()
        == 80
    )
    measured = Indicator.objects.filter(
        indicator_set__plan=plan, indicator_set__kind=IndicatorSet.Kind.MEASURED
    ).order_by("order")
    assert [(i.code, i.unit, i.comparison, i.target) for i in measured] == [
        ("1", "percent", "eq", 100),
        ("2", "percent", "gte", 100),
    ]
    assert measured[1].name.startswith("Hoàn thành đạt và vượt 100%")
    assert measured[0].source_line == 38


def test_dropping_every_proposal_saves_no_measured_set(reviewing, registry):
    page = reviewing.get(reverse("plan_import:review"))
    data = {**posted_draft(page), "action": "confirm"}
    assert reviewing.post(reverse("plan_import:review"), data).status_code == 302
    plan = Plan.objects.get()
    assert not plan.indicator_sets.filter(kind=IndicatorSet.Kind.MEASURED).exists()
