"""The reminder log page.

Who may see it: the Sở Nội vụ coordinator; an officer of Sở Tư pháp and a
leader (viewer) get a 404; an anonymous visitor is sent to the login page.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.conftest import client_for

from .conftest import sweep_at

DUE = date(2022, 7, 31)
URL = reverse("notifications:log")


@pytest.fixture
def sent_and_failed(stp, stc, officer_stp, coordinator, assignment_for):
    for _ in range(3):
        assignment_for(stp, DUE)
        assignment_for(stc, DUE)
    sweep_at(DUE - timedelta(days=7))
    Notification.objects.filter(agency=stc).update(
        status=Notification.Status.FAILED, last_error="SMTPDataError: 554"
    )


def test_coordinator_sees_what_was_sent_to_whom_and_what_failed(
    client, coordinator, sent_and_failed
):
    response = client_for(client, coordinator).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "[Nhắc việc] 3 nhiệm vụ đến hạn trong tháng 7/2022 (còn 7 ngày)" in html
    assert "canbo.stp@cchc.example" in html
    assert "Gửi thất bại" in html and "SMTPDataError: 554" in html
    failed = client.get(URL, {"trang_thai": "failed"}).content.decode()
    assert "canbo.stp@cchc.example" not in failed


@pytest.mark.parametrize("persona", ["officer_stp", "viewer"])
def test_others_get_a_404(client, request, persona, sent_and_failed):
    user = request.getfixturevalue(persona)
    assert client_for(client, user).get(URL).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_page_runs_a_constant_number_of_queries(
    client, coordinator, sent_and_failed, django_assert_max_num_queries, assignment_for, stp
):
    client_for(client, coordinator)
    with django_assert_max_num_queries(8):
        client.get(URL)
    for n in range(20):
        assignment_for(stp, DUE + timedelta(days=31 + n))
    sweep_at(DUE + timedelta(days=31))
    assert Notification.objects.count() > 25
    with django_assert_max_num_queries(8):
        client.get(URL)
