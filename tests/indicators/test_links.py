"""Tasks linked to the criteria they serve: proposed from their section, confirmed by
a coordinator, listed under a criterion below target.

Who may do what (tests/indicators/conftest.py): only the `coordinator` proposes,
confirms and edits links (an officer or a viewer gets 404); everyone who sees a
criterion below target sees the confirmed tasks serving it that they may see.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from planning.indicators.links import propose_links, section_area
from planning.indicators.models import Indicator, IndicatorTask
from planning.models import Assignment, Section
from tests.conftest import client_for
from tests.factories import make_assignment


def _areas(plan):
    return list(
        Indicator.objects.filter(indicator_set__plan=plan, level=1, is_total=False).select_related(
            "indicator_set"
        )
    )


@pytest.mark.parametrize(
    ("title", "area"),
    [
        ("Nội dung: Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", "2"),
        ("Nội dung: Cải cách thủ tục hành chính (TTHC)", "3"),
        ("Nội dung: Công tác cải cách Tài chính công", "6"),
        ("Nội dung về tiếp nhận, xử lý ý kiến góp ý, phản ánh kiến nghị", "V"),
        ("Chỉ số Cải cách hành chính (PAR INDEX)", "PAR INDEX"),
        ("Tổ chức hội nghị tổng kết", None),
    ],
)
def test_a_sections_title_names_its_area(kh192, title, area):
    found = section_area(title, _areas(kh192))
    if area is None:
        assert found is None
    elif area == "PAR INDEX":
        assert found.root is None and found.indicator_set.kind == "par_index"
    else:
        assert found.root.code == area


@pytest.fixture
def tasks(kh192, registry):
    """KH 192's section 1.1 (the PAR INDEX as a whole) with a task for Sở Nội vụ, and
    section 1.3 (administrative procedures) with a task for Sở Tư pháp."""
    whole = Section.objects.create(
        plan=kh192, code="1.1", title="Chỉ số Cải cách hành chính (PAR INDEX)"
    )
    procedures = Section.objects.create(
        plan=kh192, code="1.3", title="Nội dung: Cải cách thủ tục hành chính (TTHC)", order=1
    )
    snv = make_assignment(plan=kh192, agency=registry["SNV"], section=whole, due=date(2022, 6, 30))
    stp = make_assignment(plan=kh192, agency=registry["STP"], section=procedures)
    return snv, stp


def _proposed(task):
    return sorted(IndicatorTask.objects.filter(task=task).values_list("indicator__code", flat=True))


def test_a_task_is_proposed_the_criteria_of_its_area_its_agency_leads(kh192, tasks, registry):
    snv, stp = tasks
    propose_links(plan=kh192)
    codes = _proposed(snv.task)
    # Sở Nội vụ's criteria in the PAR INDEX: 1.1-1.5, not 1.6 (Văn phòng UBND) or 2.1 (Sở Tư pháp).
    assert {"1.1", "1.2", "1.3", "1.4", "1.5", "5.5"} <= set(codes)
    assert not {"1.6", "2.1", "III.1"} & set(codes)
    assert all(
        i.lead == registry["SNV"] for i in Indicator.objects.filter(task_links__task=snv.task)
    )
    # Section 1.3 is area 3: its task is proposed the area-3 criteria Sở Tư pháp leads.
    assert _proposed(stp.task) == sorted(
        Indicator.objects.filter(
            indicator_set__plan=kh192, code__startswith="3.", lead=registry["STP"]
        ).values_list("code", flat=True)
    )
    link = IndicatorTask.objects.filter(task=snv.task, indicator__code="1.1").get()
    assert not link.confirmed
    assert "Mục 1.1" in link.reason and "Sở Nội vụ chủ trì" in link.reason


def test_proposing_again_keeps_what_the_coordinator_confirmed(kh192, tasks):
    snv, _ = tasks
    propose_links(plan=kh192)
    link = IndicatorTask.objects.get(task=snv.task, indicator__code="1.1")
    IndicatorTask.objects.filter(pk=link.pk).update(confirmed=True)
    propose_links(plan=kh192)
    assert IndicatorTask.objects.get(task=snv.task, indicator__code="1.1").confirmed
    assert IndicatorTask.objects.filter(task=snv.task, indicator__code="1.1").count() == 1


def _links_page(kh192):
    return reverse("indicators:task_links", args=[kh192.pk])


@pytest.mark.parametrize("persona", ["officer_snv", "viewer"])
def test_only_a_coordinator_edits_links(client, request, kh192, tasks, persona):
    client = client_for(client, request.getfixturevalue(persona))
    assert client.get(_links_page(kh192)).status_code == 404
    assert client.post(_links_page(kh192), {"de_xuat": "1"}).status_code == 404
    assert not IndicatorTask.objects.exists()


def test_the_coordinator_keeps_one_proposal_adds_a_code_and_the_rest_go(
    client, coordinator, kh192, tasks
):
    snv, stp = tasks
    client = client_for(client, coordinator)
    client.post(_links_page(kh192), {"de_xuat": "1"})
    keep = IndicatorTask.objects.get(task=snv.task, indicator__code="5.5")
    response = client.post(
        _links_page(kh192), {"lien_ket": [str(keep.pk)], f"them_{stp.task.pk}": "2.1"}
    )
    assert response.status_code == 302
    links = set(IndicatorTask.objects.values_list("task_id", "indicator__code", "confirmed"))
    assert links == {(snv.task.pk, "5.5", True), (stp.task.pk, "2.1", True)}
    wrong = client.post(_links_page(kh192), {f"them_{stp.task.pk}": "9.9"})
    assert "Không có tiêu chí mã 9.9" in wrong.content.decode()


def test_a_criterion_below_target_lists_its_open_and_overdue_tasks(
    client, coordinator, officer_stp, kh192, tasks
):
    snv, _ = tasks
    propose_links(plan=kh192)
    IndicatorTask.objects.filter(task=snv.task, indicator__code="5.5").update(confirmed=True)
    page = client_for(client, coordinator).get(
        reverse("indicators:plan_indicators", args=[kh192.pk]), {"ngay": "2022-09-30"}
    )
    [row] = [r for r in page.context["tables"][0].below_target if r.indicator.code == "5.5"]
    assert [a.pk for a in row.work.open] == [snv.pk]
    assert [a.pk for a in row.work.overdue] == [snv.pk]  # due 30/06/2022
    assert "1 nhiệm vụ đang thực hiện, 1 quá hạn" in page.content.decode()
    # Unconfirmed proposals list nothing; a task done by then is no longer open.
    other = next(r for r in page.context["tables"][0].below_target if r.indicator.code != "5.5")
    assert other.work is None
    Assignment.objects.filter(pk=snv.pk).update(
        status=Assignment.Status.DONE, completed_on=date(2022, 9, 1)
    )
    page = client.get(
        reverse("indicators:plan_indicators", args=[kh192.pk]), {"ngay": "2022-09-30"}
    )
    [row] = [r for r in page.context["tables"][0].below_target if r.indicator.code == "5.5"]
    assert row.work.open == [] and row.work.overdue == []
