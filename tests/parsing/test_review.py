"""The web review: coordinators upload or paste, edit the draft, confirm.

Who may do what: only a coordinator (Sở Nội vụ) imports plans; an officer or a
viewer gets 404, an anonymous visitor is sent to log in. Nothing is saved
before confirmation.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency
from planning.models import Assignment, Plan, Task
from tests.conftest import client_for

from .snippets import BLOCKS, GIAO, HEADER

UPLOAD = reverse("plan_import:upload")
REVIEW = reverse("plan_import:review")
TEXT = HEADER + GIAO


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(total),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def posted_draft(response) -> dict:
    """The review page's form as the browser would post it back unchanged."""
    data = {}
    header = response.context["header_form"]
    for name in header.fields:
        data[f"plan-{name}"] = header[name].value() or ""
    formset = response.context["formset"]
    data.update(management("rows", len(formset.forms)))
    for i, form in enumerate(formset.forms):
        for name in form.fields:
            if name != "DELETE":
                value = form[name].value()
                data[f"rows-{i}-{name}"] = "" if value is None else value
    return data


@pytest.fixture
def coordinator_client(client, coordinator, registry):
    return client_for(client, coordinator)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer_stp", "viewer"])
def test_only_coordinators_may_import(client, persona, request):
    user = request.getfixturevalue(persona)
    client_for(client, user)
    assert client.get(UPLOAD).status_code == 404
    assert client.post(UPLOAD, {"text": TEXT}).status_code == 404
    assert client.get(REVIEW).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.django_db
def test_paste_shows_a_draft_and_saves_nothing(coordinator_client):
    response = coordinator_client.post(UPLOAD, {"text": TEXT + BLOCKS})
    assert response.status_code == 302 and response.url == REVIEW
    page = coordinator_client.get(REVIEW)
    assert page.status_code == 200
    html = page.content.decode()
    assert "0156/KH-UBND" in html
    assert "Giao Sở Nội vụ, trước ngày 15/8/2023" in html
    # Unknown agencies are offered as new ones and flagged.
    assert "Tạo mới: UBND huyện Cao Lãnh" in html
    assert "chưa có trong danh mục" in html
    assert "has-warning" in html
    assert "giao chung" in html  # the skipped general duty is listed
    assert not Plan.objects.exists() and not Task.objects.exists()


@pytest.mark.django_db
def test_confirm_saves_plan_tasks_assignments_and_accepted_agencies(coordinator_client):
    coordinator_client.post(UPLOAD, {"text": TEXT})
    page = coordinator_client.get(REVIEW)
    data = posted_draft(page)
    rows = page.context["formset"].forms
    # Edit the first row's title and remove the last one.
    data["rows-0-title"] = "Tổng hợp kết quả Chỉ số CCHC năm 2022"
    data[f"rows-{len(rows) - 1}-DELETE"] = "on"
    data["action"] = "confirm"
    response = coordinator_client.post(REVIEW, data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    plan = Plan.objects.get()
    assert (plan.number, plan.year, plan.place) == ("0156/KH-UBND", 2023, "Đồng Tháp")
    assert plan.assignments.count() == len(rows) - 1
    assert plan.tasks.filter(title="Tổng hợp kết quả Chỉ số CCHC năm 2022").exists()
    # "Giao Văn phòng UBND tỉnh, các Sở: ..." is one task for four agencies.
    shared = plan.tasks.get(title__startswith="Giao Văn phòng UBND tỉnh")
    assert shared.assignments.count() == 4
    assert Agency.objects.filter(name="UBND huyện Cao Lãnh").exists()
    assert Assignment.objects.filter(agency__name="Sở Nội vụ", due_date__month=8).exists()
    assert REVIEW not in coordinator_client.get(UPLOAD).content.decode()  # draft cleared


@pytest.mark.django_db
def test_add_row_keeps_edits_and_a_row_without_agency_blocks_confirm(coordinator_client):
    coordinator_client.post(UPLOAD, {"text": TEXT})
    data = posted_draft(coordinator_client.get(REVIEW))
    data["rows-0-title"] = "Đã sửa"
    data["action"] = "add"
    assert coordinator_client.post(REVIEW, data).status_code == 302
    page = coordinator_client.get(REVIEW)
    forms = page.context["formset"].forms
    assert forms[0]["title"].value() == "Đã sửa"
    assert forms[-1]["title"].value() in ("", None)
    data = posted_draft(page)
    data["action"] = "confirm"
    response = coordinator_client.post(REVIEW, data)
    assert response.status_code == 200
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_existing_plan_number_is_refused(coordinator_client):
    coordinator_client.post(UPLOAD, {"text": TEXT})
    data = posted_draft(coordinator_client.get(REVIEW))
    Plan.objects.create(number="0156/KH-UBND", year=2023, title="x")
    data["action"] = "confirm"
    response = coordinator_client.post(REVIEW, data)
    assert response.status_code == 200
    assert "đã có trong hệ thống" in response.content.decode()
    assert Plan.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp rỗng"),
        (bytes(range(256)) * 40, "không phải văn bản"),
    ],
)
def test_bad_uploads_get_a_clear_error(coordinator_client, content, message):
    upload = SimpleUploadedFile("kehoach.txt", content, content_type="text/plain")
    response = coordinator_client.post(UPLOAD, {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.django_db
def test_upload_over_the_limit_is_refused(coordinator_client, settings):
    settings.PLAN_UPLOAD_MAX_BYTES = 2048
    upload = SimpleUploadedFile("kehoach.txt", TEXT.encode() * 10, content_type="text/plain")
    response = coordinator_client.post(UPLOAD, {"file": upload})
    assert "Tệp quá lớn" in response.content.decode()


@pytest.mark.django_db
def test_uploaded_file_is_parsed(coordinator_client):
    upload = SimpleUploadedFile("kehoach.txt", TEXT.encode("utf-16"), content_type="text/plain")
    assert coordinator_client.post(UPLOAD, {"file": upload}).status_code == 302
    assert "Giao Sở Y tế" in coordinator_client.get(REVIEW).content.decode()


@pytest.mark.django_db
def test_review_page_query_count_does_not_grow_with_rows(
    coordinator_client, django_assert_max_num_queries
):
    coordinator_client.post(UPLOAD, {"text": HEADER + GIAO})
    with django_assert_max_num_queries(8):
        small = coordinator_client.get(REVIEW)
    coordinator_client.post(UPLOAD, {"text": HEADER + GIAO * 6 + BLOCKS * 3})
    with django_assert_max_num_queries(8):
        large = coordinator_client.get(REVIEW)
    assert len(large.context["formset"].forms) > 5 * len(small.context["formset"].forms)


@pytest.mark.django_db
def test_menu_shows_import_to_coordinators_only(client, coordinator, officer_stp):
    assert (
        "Nhập kế hoạch"
        in client_for(client, coordinator).get(reverse("planning:plan_list")).content.decode()
    )
    client.logout()
    assert (
        "Nhập kế hoạch"
        not in client_for(client, officer_stp).get(reverse("planning:plan_list")).content.decode()
    )
