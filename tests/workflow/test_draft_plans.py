"""A coordinator's draft plan stays the coordinators' with all its assignments.

Personas (tests/conftest.py): the `coordinator` sees drafts everywhere; the
`viewer` (a leader) and `officer_stp` (whose agency leads the draft's task)
see none of it, on any page, export or count; the reminder sweep sends
nothing for it.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from planning.models import Assignment, Plan
from tests.conftest import client_for
from tests.factories import make_assignment, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(stp):
    plan = make_plan("9/KH-UBND", title="Kế hoạch đang soạn", status=Plan.Status.DRAFT)
    return make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Việc bí mật")


@pytest.fixture
def published(stp):
    plan = make_plan("192/KH-UBND")
    return make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Việc công khai")


@pytest.mark.parametrize("persona", ["viewer", "officer_stp"])
def test_a_draft_s_assignment_page_is_not_found(client, request, persona, draft):
    client_for(client, request.getfixturevalue(persona))
    assert client.get(reverse("planning:assignment_detail", args=[draft.pk])).status_code == 404


def test_the_coordinator_still_opens_it(client, coordinator, draft):
    client_for(client, coordinator)
    assert client.get(reverse("planning:assignment_detail", args=[draft.pk])).status_code == 200


def test_the_lead_officer_s_inbox_lists_no_draft_work(client, officer_stp, draft, published):
    client_for(client, officer_stp)
    html = client.get(reverse("workflow:inbox")).content.decode()
    assert "Việc công khai" in html
    assert "Việc bí mật" not in html


@pytest.mark.parametrize("persona", ["viewer", "officer_stp"])
def test_agency_pages_do_not_count_draft_work(client, request, persona, stp, draft, published):
    client_for(client, request.getfixturevalue(persona))
    html = client.get(reverse("planning:agency_detail", args=["STP"])).content.decode()
    assert "Việc công khai" in html and "Việc bí mật" not in html
    assert "9/KH-UBND" not in html


def test_the_agency_list_does_not_count_draft_work(client, viewer, draft, published):
    client_for(client, viewer)
    response = client.get(reverse("planning:agency_list"))
    rows = {agency.code: rollup for agency, rollup in response.context["rows"]}
    assert rows["STP"].total == 1


@pytest.mark.parametrize("persona", ["viewer", "officer_stp"])
def test_querysets_leave_drafts_out_for_everyone_but_coordinators(request, persona, draft):
    user = request.getfixturevalue(persona)
    from planning.access import readable_assignments

    assert not Assignment.objects.visible_to(user).filter(pk=draft.pk).exists()
    assert not readable_assignments(user).filter(pk=draft.pk).exists()


def test_coordinators_querysets_keep_drafts(coordinator, draft):
    from planning.access import readable_assignments

    assert Assignment.objects.visible_to(coordinator).filter(pk=draft.pk).exists()
    assert readable_assignments(coordinator).filter(pk=draft.pk).exists()


def test_a_coordinating_agency_does_not_see_a_draft_either(client, stc, officer_stc, draft):
    draft.task.coordinating_agencies.add(stc)
    client_for(client, officer_stc)
    assert client.get(reverse("planning:assignment_detail", args=[draft.pk])).status_code == 404


def test_the_viewer_s_report_figures_count_no_draft_work(viewer, coordinator, draft, published):
    from planning.reports.statistics import ReportFilters, assignments_for

    filters = ReportFilters(as_of=date(2022, 12, 31))
    assert assignments_for(viewer, filters).count() == 1
    assert assignments_for(coordinator, filters).count() == 2


def test_the_assignment_export_leaves_drafts_out_for_officers(
    client, officer_stp, draft, published
):
    import io

    from openpyxl import load_workbook

    client_for(client, officer_stp)
    response = client.get(reverse("spreadsheets:export", args=["xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    text = " ".join(str(c.value) for ws in workbook for row in ws.iter_rows() for c in row)
    assert "Việc công khai" in text and "Việc bí mật" not in text
