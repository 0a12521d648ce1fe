"""The coordinator's upload → preview → confirm pages, exports and who may use them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from planning.models import Assignment
from planning.spreadsheets import jobs
from planning.spreadsheets.columns import COLUMN_HELP, COLUMNS
from tests.conftest import client_for
from tests.factories import make_assignment, make_user

from .conftest import row, sheet_csv

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name="nhiem-vu.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("spreadsheets:upload"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_upload_preview_confirm(client, coordinator, plan, stp):
    c = client_for(client, coordinator)
    response = upload(c, sheet_csv([row(), row(**{"Nhiệm vụ": "Thứ hai"})]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Xem trước khi nhập" in page and "Xác nhận nhập 2 dòng" in page
    assert Assignment.objects.count() == 0  # the preview saves nothing

    job_id = response.resolver_match.kwargs["job_id"]
    response = c.post(reverse("spreadsheets:confirm", args=[job_id]), follow=True)
    assert "Đã nhập xong: tạo mới 2, cập nhật 0, bỏ qua 0 dòng." in response.content.decode()
    assert Assignment.objects.count() == 2


def test_preview_lists_every_problem_and_offers_no_confirm(client, coordinator, plan, stp):
    c = client_for(client, coordinator)
    response = upload(c, sheet_csv([row(), row(**{"Cơ quan chủ trì": "Sở Tư phap xyz"})]))
    page = response.content.decode()
    assert "Dòng 3, cột &#x27;Cơ quan chủ trì&#x27;: không tìm thấy" in page
    assert "có phải &#x27;Sở Tư pháp&#x27;?" in page
    assert "Xác nhận" not in page
    job_id = response.resolver_match.kwargs["job_id"]
    assert c.post(reverse("spreadsheets:confirm", args=[job_id])).status_code == 404
    assert Assignment.objects.count() == 0


def test_unreadable_file_is_reported_on_the_preview(client, coordinator, plan):
    page = upload(client_for(client, coordinator), b"\xff\xfe").content.decode()
    assert "Tệp trống" in page


def test_oversized_upload_refused_by_the_form(client, coordinator, settings):
    settings.SPREADSHEET_MAX_BYTES = 1024
    response = upload(client_for(client, coordinator), b"x" * 2048)
    assert "giới hạn là" in response.content.decode()


@pytest.mark.parametrize("persona", ["officer_stp", "viewer"])
def test_non_coordinators_get_404_on_import_pages(client, request, coordinator, plan, stp, persona):
    job_id = jobs.create_job(user=coordinator, name="a.csv", content=b"x", dry_run=True)
    c = client_for(client, request.getfixturevalue(persona))
    assert c.get(reverse("spreadsheets:upload")).status_code == 404
    assert upload(c, sheet_csv([row()])).status_code == 404
    assert c.get(reverse("spreadsheets:job", args=[job_id])).status_code == 404
    assert c.get(reverse("spreadsheets:job_progress", args=[job_id])).status_code == 404
    assert c.post(reverse("spreadsheets:confirm", args=[job_id])).status_code == 404


def test_another_coordinator_cannot_see_a_job(client, coordinator, snv):
    other = make_user("dieuphoi2", agency=snv, role="coordinator")
    job_id = jobs.create_job(user=coordinator, name="a.csv", content=b"x", dry_run=True)
    assert (
        client_for(client, other).get(reverse("spreadsheets:job", args=[job_id])).status_code == 404
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("spreadsheets:export", args=["csv"]))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_large_import_runs_as_a_task_and_reports_progress(
    client, coordinator, plan, stp, monkeypatch
):
    from django_q.conf import Conf

    monkeypatch.setattr(jobs, "INLINE_MAX_ROWS", 0)
    monkeypatch.setattr(Conf, "SYNC", True)  # django-q runs the task inline
    rows = [row(**{"Nhiệm vụ": f"Nhiệm vụ {n}"}) for n in range(250)]
    c = client_for(client, coordinator)
    response = upload(c, sheet_csv(rows))
    job_id = response.resolver_match.kwargs["job_id"]
    progress = c.get(reverse("spreadsheets:job_progress", args=[job_id])).json()
    assert progress == {"state": "done", "processed": 250, "total": 250}


def test_job_page_polls_while_running(client, coordinator):
    job_id = jobs.create_job(user=coordinator, name="a.csv", content=b"x", dry_run=True)
    page = client_for(client, coordinator).get(reverse("spreadsheets:job", args=[job_id]))
    html = page.content.decode()
    assert reverse("spreadsheets:job_progress", args=[job_id]) in html
    # Our own file (no inline script under the Content-Security-Policy), no outside host.
    assert 'src="/static/js/import-progress.js"' in html and "https://" not in html
    from django.conf import settings

    poller = (settings.BASE_DIR / "static" / "js" / "import-progress.js").read_text()
    assert "fetch(box.dataset.url" in poller


def test_officer_export_contains_only_own_agency(client, officer_stp, stp, stc, plan):
    make_assignment(plan=plan, agency=stp, title="Việc của Sở Tư pháp")
    make_assignment(plan=plan, agency=stc, title="Việc của Sở Tài chính")
    response = client_for(client, officer_stp).get(reverse("spreadsheets:export", args=["csv"]))
    rows = read_csv(response)
    assert rows[0] == COLUMNS
    assert [r[2] for r in rows[1:]] == ["Việc của Sở Tư pháp"]
    response = client_for(client, officer_stp).get(
        reverse("spreadsheets:export", args=["xlsx"]) + f"?ke_hoach={plan.pk}"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Sở Tư pháp"]


def test_export_of_a_plan_the_user_cannot_see_is_404(client, officer_stp, stp, stc, plan):
    make_assignment(plan=plan, agency=stc)
    url = reverse("spreadsheets:export", args=["csv"]) + f"?ke_hoach={plan.pk}"
    assert client_for(client, officer_stp).get(url).status_code == 404


def test_export_query_count_does_not_grow(
    client, coordinator, plan, stp, stc, django_assert_max_num_queries
):
    c = client_for(client, coordinator)
    url = reverse("spreadsheets:export", args=["xlsx"])
    make_assignment(plan=plan, agency=stp)
    with django_assert_max_num_queries(8):
        c.get(url)
    for n in range(30):
        make_assignment(plan=plan, agency=stc if n % 2 else stp, due=date(2022, 9, 30))
    with django_assert_max_num_queries(8):
        assert c.get(url).status_code == 200


def test_index_lists_export_links_for_officers_and_import_for_coordinators(
    client, officer_stp, coordinator, plan, stp
):
    make_assignment(plan=plan, agency=stp)
    officer_page = client_for(client, officer_stp).get(reverse("spreadsheets:index"))
    assert f"?ke_hoach={plan.pk}" in officer_page.content.decode()
    assert reverse("spreadsheets:upload") not in officer_page.content.decode()
    coordinator_page = client_for(client, coordinator).get(reverse("spreadsheets:index"))
    assert reverse("spreadsheets:upload") in coordinator_page.content.decode()


def test_templates_have_an_example_row_and_a_comment_per_column(client, coordinator):
    c = client_for(client, coordinator)
    sheet = load_workbook(
        io.BytesIO(c.get(reverse("spreadsheets:template", args=["xlsx"])).content)
    ).active
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert [cell.comment.text for cell in sheet[1]] == [COLUMN_HELP[h] for h in COLUMNS]
    assert sheet.max_row == 2
    rows = read_csv(c.get(reverse("spreadsheets:template", args=["csv"])))
    assert rows[0] == COLUMNS and rows[1][0] == "192/KH-UBND"
    assert [r[0].split(":")[0] for r in rows[2:]] == [f"# {h}" for h in COLUMNS]
