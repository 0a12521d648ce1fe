"""The report dashboard and its downloads: who sees what, filters, constant queries.

Personas: `coordinator` and `viewer` see every agency; `officer_stp` only Sở
Tư pháp (downloads too: an officer's PDF covers the own agency, and asking for
another agency is a 404); anonymous visitors go to the login page.
"""

from datetime import date

import pytest
from django.urls import reverse

from planning.models import Assignment, Plan
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")


def get(client, user, url, **params):
    return client_for(client, user).get(url, params)


def test_anonymous_is_sent_to_login(client, plan_24_26):
    for name in ("dashboard", "pdf", "xlsx", "csv"):
        response = client.get(reverse(f"reports:{name}"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["coordinator", "viewer"])
def test_coordinator_and_viewer_see_every_agency_ranked(client, request, persona, plan_24_26):
    response = get(client, request.getfixturevalue(persona), DASHBOARD, ngay="15/12/2022")
    body = response.content.decode()
    assert response.status_code == 200
    assert "24/26 (92,31%)" in body
    assert "Sở Tư pháp" in body and "Sở Tài chính" in body
    assert body.count('role="img"') == 2
    assert "Nhiệm vụ quá hạn (2)" in body
    ranked = [row.name for row in response.context["stats"].by_agency]
    assert ranked == ["Sở Tài chính", "Sở Tư pháp"]  # equal ratios: by name


def test_officer_sees_only_own_agency(client, officer_stp, plan_24_26):
    response = get(client, officer_stp, DASHBOARD, ngay="15/12/2022")
    body = response.content.decode()
    assert "12/13 (92,31%)" in body
    assert "Sở Tài chính" not in body


def test_officer_pdf_covers_own_agency_only(client, officer_stp, plan_24_26):
    response = get(client, officer_stp, reverse("reports:pdf"), ngay="15/12/2022")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Sở Tư pháp" in text
    assert "Sở Tài chính" not in text


def test_officer_asking_for_another_agency_gets_404(client, officer_stp, plan_24_26):
    for name in ("pdf", "xlsx", "csv"):
        response = get(client, officer_stp, reverse(f"reports:{name}"), co_quan="STC")
        assert response.status_code == 404


def test_hidden_plan_is_404_for_downloads(client, officer_stp, plan_24_26):
    draft = Plan.objects.create(number="1/KH-SNV", year=2022, title="Dự thảo", status="draft")
    response = get(client, officer_stp, reverse("reports:pdf"), ke_hoach=draft.pk)
    assert response.status_code == 404


def test_coordinator_downloads_pdf_and_excel(client, coordinator, plan_24_26):
    pdf = get(client, coordinator, reverse("reports:pdf"), ngay="15/12/2022")
    assert "92,31%" in pdf_text(pdf.content)
    assert "attachment;" in pdf["Content-Disposition"]
    xlsx = get(client, coordinator, reverse("reports:xlsx"), ngay="15/12/2022")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_as_of_date_is_read_day_first(client, coordinator):
    """Completed 05/10/2022: open as of 30/09/2022, done by 31/10/2022."""
    make_assignment(
        due=date(2022, 9, 30), status=Assignment.Status.DONE, completed_on=date(2022, 10, 5)
    )
    before = get(client, coordinator, DASHBOARD, ke_hoach="", ngay="30/09/2022")
    after = get(client, coordinator, DASHBOARD, ke_hoach="", ngay="31/10/2022")
    assert before.context["total"].rollup.done == 0
    assert before.context["total"].rollup.open_not_due == 1
    assert after.context["total"].rollup.done_late == 1


def test_bad_date_shows_an_error(client, coordinator, plan_24_26):
    body = get(client, coordinator, DASHBOARD, ngay="31/02/2022").content.decode()
    assert "dd/mm/yyyy" in body
    assert "stats" not in get(client, coordinator, DASHBOARD, ngay="x").context


def test_period_filters(client, coordinator, plan_24_26, stp):
    make_assignment(plan=plan_24_26, agency=stp, due=date(2022, 11, 30))
    q3 = get(
        client, coordinator, DASHBOARD, ke_hoach=plan_24_26.pk, ky="2022-q3", ngay="15/12/2022"
    )
    assert q3.context["total"].rollup.total == 26
    nov = get(
        client, coordinator, DASHBOARD, ke_hoach=plan_24_26.pk, ky="2022-11", ngay="15/12/2022"
    )
    assert nov.context["total"].rollup.total == 1
    assert "tháng 11/2022" in nov.content.decode()


def _grow(plan, agencies, n):
    from tests.factories import make_assignment

    for i in range(n):
        done = i % 3 == 0
        make_assignment(
            plan=plan,
            agency=agencies[i % len(agencies)],
            due=date(2022, 3 + i % 9, 28),
            original_due=date(2022, 2 + i % 9, 28) if i % 5 == 0 else None,
            status=Assignment.Status.DONE if done else Assignment.Status.IN_PROGRESS,
            completed_on=date(2022, 4 + i % 8, 2) if done else None,
        )


def test_dashboard_queries_stay_constant_as_data_grows(
    client, coordinator, plan_24_26, stp, stc, django_assert_max_num_queries
):
    client_for(client, coordinator)
    params = {"ngay": "15/12/2022"}
    with django_assert_max_num_queries(20) as small:
        assert client.get(DASHBOARD, params).status_code == 200
    agencies = [stp, stc, *(make_agency() for _ in range(6))]
    _grow(plan_24_26, agencies, 150)
    with django_assert_max_num_queries(20) as large:
        assert client.get(DASHBOARD, params).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_long_pdf_is_queued_and_served_to_its_owner_only(
    client, coordinator, viewer, plan_24_26, settings, tmp_path, monkeypatch
):
    settings.REPORT_SYNC_MAX_ROWS = 10
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr("django_q.conf.Conf.SYNC", True)  # run the task inline
    response = get(client, coordinator, reverse("reports:pdf"), ngay="15/12/2022")
    assert response.status_code == 202
    token = response.context["token"]
    url = reverse("reports:file", args=[token, "pdf"])
    download = client.get(url)
    assert download.status_code == 200
    assert "92,31%" in pdf_text(b"".join(download.streaming_content))
    other = get(client, viewer, url)
    assert other.status_code == 202  # not found in the viewer's own folder: never served
    assert (
        get(client, viewer, reverse("reports:file", args=["NOT-a-token", "pdf"])).status_code == 404
    )
