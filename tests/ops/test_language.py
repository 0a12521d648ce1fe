"""Vietnamese only, whatever the browser prefers, on every page including the error pages.

Every request here says `Accept-Language: en`, as an English browser does.
Who may see what:
- anonymous visitor: the login page; a wrong password gets Django's own error, in Vietnamese;
- `officer_stc` (Sở Tài chính): 404 for Sở Tư pháp's agency page, a Vietnamese 404;
- `viewer` (a leader): reads a plan but may not edit it, a Vietnamese 403;
- `coordinator`: the status page, here made to fail, a Vietnamese 500.
"""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from planning.workflow.forms import CompletionForm
from tests.conftest import client_for
from tests.factories import make_assignment, make_plan

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
ENGLISH_WORDS = ("Please enter", "Not Found", "Forbidden", "Server Error", "Bad Request")


@pytest.fixture
def production_errors(settings):
    """DEBUG off: Django draws our 4xx/5xx templates, not its English debug pages."""
    settings.DEBUG = False
    return settings


def assert_vietnamese(html: str) -> None:
    assert '<html lang="vi">' in html
    for words in ENGLISH_WORDS:
        assert words not in html


def test_login_error_is_vietnamese_for_an_english_browser(client):
    response = client.post(
        reverse("login"), {"username": "khong.co", "password": "sai-mat-khau"}, **ENGLISH
    )
    html = response.content.decode()
    assert "Vui lòng điền vào" in html  # Django's own message, from its `vi` catalogue
    assert "mật khẩu chính xác" in html
    assert_vietnamese(html)
    assert response.get("Content-Language", "vi") == "vi"
    assert "Accept-Language" not in response.get("Vary", "")


def test_completion_dates_are_typed_day_first(client, officer_stp, stp):
    """`<input type="date">` is drawn in the browser's language (mm/dd/yyyy in English):
    the date fields are day-first text, as every date on the site is written."""
    assignment = make_assignment(plan=make_plan("192/KH-UBND"), agency=stp, due=date(2022, 7, 31))
    url = reverse("workflow:submit", args=[assignment.pk])
    html = client_for(client, officer_stp).get(url, **ENGLISH).content.decode()
    assert 'name="completed_on"' in html
    assert 'type="date"' not in html
    assert 'placeholder="dd/mm/yyyy"' in html
    form = CompletionForm(assignment=assignment, initial={"completed_on": date(2022, 7, 19)})
    assert 'value="19/07/2022"' in str(form["completed_on"])
    assert form.fields["completed_on"].clean("19/07/2022") == date(2022, 7, 19)


def test_a_refused_officer_sees_a_vietnamese_404(client, production_errors, officer_stc, stp):
    response = client_for(client, officer_stc).get(
        reverse("planning:agency_detail", args=[stp.code]), **ENGLISH
    )
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert_vietnamese(html)


def test_an_unknown_address_is_a_vietnamese_404(client, production_errors):
    response = client.get("/khong-co-trang-nay/", **ENGLISH)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert_vietnamese(response.content.decode())


def test_a_refused_action_is_a_vietnamese_403(client, production_errors, viewer):
    plan = make_plan("192/KH-UBND")
    response = client_for(client, viewer).get(
        reverse("workflow:plan_edit", args=[plan.pk]), **ENGLISH
    )
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
    assert_vietnamese(response.content.decode())


def test_a_stale_form_is_a_vietnamese_csrf_page(production_errors):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"}, **ENGLISH)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in html
    assert "CSRF" not in html
    assert_vietnamese(html)


def test_a_bad_host_is_a_vietnamese_400(client, production_errors):
    response = client.get(reverse("login"), HTTP_HOST="ke-la.example", **ENGLISH)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert_vietnamese(response.content.decode())


def test_a_crash_is_a_vietnamese_500(client, production_errors, coordinator):
    client.raise_request_exception = False
    with mock.patch("config.health.system_status", side_effect=RuntimeError("boom")):
        response = client_for(client, coordinator).get(reverse("system_status"), **ENGLISH)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Hệ thống gặp sự cố" in html
    assert "boom" not in html
    assert_vietnamese(html)
