"""Reading through the API: what each token sees, filters, errors as JSON."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from planning.models import Assignment, Plan
from tests.factories import make_assignment, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(stp, stc):
    plan = make_plan("192/KH-UBND")
    mine = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31))
    theirs = make_assignment(plan=plan, agency=stc, due=date(2022, 9, 30))
    draft = make_plan("5/KH-UBND", status=Plan.Status.DRAFT)
    hidden = make_assignment(plan=draft, agency=stp)
    return plan, mine, theirs, hidden


def test_a_call_without_a_token_is_refused_with_a_json_error(client, work):
    response = client.get("/api/v1/plans/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_or_revoked_token_is_refused(report_system, work):
    from planning.api.models import ApiToken
    from planning.api.tokens import revoke_token

    assert report_system.get("/api/v1/plans/").status_code == 200
    revoke_token(token=ApiToken.objects.get(name="Hệ thống báo cáo tỉnh"))
    response = report_system.get("/api/v1/plans/")
    assert response.status_code == 401
    assert "thu hồi" in response.json()["error"]["message"]
    report_system.credentials(HTTP_AUTHORIZATION="Bearer cchc_not-a-token")
    assert report_system.get("/api/v1/plans/").status_code == 401


def test_a_logged_in_browser_session_is_not_an_api_client(client, coordinator, work):
    client.force_login(coordinator)
    assert client.get("/api/v1/plans/").status_code == 401


def test_a_province_token_reads_every_published_plan_but_no_draft(report_system, work):
    _plan, mine, theirs, hidden = work
    plans = report_system.get("/api/v1/plans/").json()
    assert [p["number"] for p in plans["results"]] == ["192/KH-UBND"]
    ids = {a["id"] for a in report_system.get("/api/v1/assignments/").json()["results"]}
    assert ids == {mine.pk, theirs.pk}
    assert report_system.get(f"/api/v1/assignments/{hidden.pk}/").status_code == 404


def test_an_agency_token_sees_only_its_own_assignments(stp_system, stc_system, work):
    _plan, mine, theirs, _hidden = work
    ids = {a["id"] for a in stp_system.get("/api/v1/assignments/").json()["results"]}
    assert ids == {mine.pk}
    assert stp_system.get(f"/api/v1/assignments/{theirs.pk}/").status_code == 404
    response = stc_system.get(f"/api/v1/assignments/{mine.pk}/")
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "Không tìm thấy."}
    assert stc_system.get(f"/api/v1/assignments/{mine.pk}/history/").status_code == 404


def test_an_assignment_has_stable_english_fields_and_iso_dates(stp_system, work):
    plan, mine, _theirs, _hidden = work
    data = stp_system.get(f"/api/v1/assignments/{mine.pk}/").json()
    assert data["agency"] == "STP"
    assert data["due_date"] == "2022-07-31"
    assert data["status"] == "not_started"
    assert data["status_label"] == "Chưa thực hiện"
    assert data["plan"] == plan.pk


def test_assignments_filter_by_agency_status_due_period_and_state(report_system, work, stp):
    plan, mine, theirs, _hidden = work
    Assignment.objects.filter(pk=theirs.pk).update(status="done", completed_on=date(2022, 9, 1))

    def ids(query):
        response = report_system.get(f"/api/v1/assignments/?{query}")
        assert response.status_code == 200, response.json()
        return {a["id"] for a in response.json()["results"]}

    assert ids("agency=stp") == {mine.pk}
    assert ids("status=done") == {theirs.pk}
    assert ids("due=2022-07") == {mine.pk}
    assert ids("due=2022-q3") == {mine.pk, theirs.pk}
    assert ids("state=overdue&as_of=2022-08-01") == {mine.pk}
    assert ids("state=overdue&as_of=2022-07-31") == set()
    assert ids("state=done&as_of=2022-08-31") == set()
    assert ids("state=done_on_time&as_of=2022-09-30") == {theirs.pk}
    assert ids(f"plan={plan.pk}") == {mine.pk, theirs.pk}


@pytest.mark.parametrize(
    "query, field",
    [
        ("as_of=2022-13-01&state=done", "as_of"),
        ("agency=KHONGCO", "agency"),
        ("status=xong", "status"),
        ("due=quy3", "due"),
        ("plan=abc", "plan"),
        ("state=late", "state"),
    ],
)
def test_a_bad_filter_is_a_json_error_naming_the_field(report_system, work, query, field):
    response = report_system.get(f"/api/v1/assignments/?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "Dữ liệu không hợp lệ."
    assert list(error["fields"]) == [field]


def test_lists_are_paginated(report_system, stp):
    plan = make_plan()
    for _ in range(105):
        make_assignment(plan=plan, agency=stp)
    first = report_system.get("/api/v1/assignments/").json()
    assert first["count"] == 105 and len(first["results"]) == 100 and first["next"]
    second = report_system.get(first["next"]).json()
    assert len(second["results"]) == 5


def test_list_queries_do_not_grow_with_rows(report_system, stp, django_assert_max_num_queries):
    plan = make_plan()
    for _ in range(3):
        make_assignment(plan=plan, agency=stp)
    with django_assert_max_num_queries(4):  # token, last use, count, page
        report_system.get("/api/v1/assignments/")
    for _ in range(30):
        make_assignment(plan=plan, agency=stp)
    with django_assert_max_num_queries(3):
        report_system.get("/api/v1/assignments/")


def test_the_token_s_last_use_is_recorded(report_system, work):
    from planning.api.models import ApiToken

    assert ApiToken.objects.get().last_used_at is None
    report_system.get("/api/v1/plans/")
    assert ApiToken.objects.get().last_used_at is not None


def test_the_schema_is_valid_openapi_3_and_the_docs_are_served_locally(client, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert text.startswith("openapi: 3")
    assert "/api/v1/plans/{id}/rollup/" in text
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert client.get("/api/v1/schema/").status_code == 200
