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

DUE = date(2022, 11, 30)  # a Wednesday: its reminders fall on working days
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
    assert "[Nhắc việc] 3 nhiệm vụ đến hạn trong tháng 11/2022 (còn 7 ngày)" in html
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
    # 8, with the filters' plan and agency choices and the header's unread count.
    with django_assert_max_num_queries(11):
        client.get(URL)
    for n in range(20):
        assignment_for(stp, DUE + timedelta(days=30 + n))
    sweep_at(DUE + timedelta(days=30))  # Friday 30/12, a working day
    assert Notification.objects.count() > 25
    with django_assert_max_num_queries(11):
        client.get(URL)


def test_each_recipient_shows_what_the_mail_server_answered(
    client, smtp_server, stp, stc, officer_stp, coordinator, assignment_for
):
    # Two officers of Sở Tư pháp: one refused for now (451), one served;
    # Sở Tài chính's contact address refused for good (550).
    from tests.factories import make_user

    from .conftest import with_email

    with_email(make_user("canbo2.stp", agency=stp), "canbo2.stp@cchc.example")
    smtp_server.defer = {"canbo2.stp@cchc.example"}
    smtp_server.reject = {"vanthu.stc@cchc.example"}
    assignment_for(stp, DUE)
    assignment_for(stc, DUE)
    sweep_at(DUE - timedelta(days=7))
    html = client_for(client, coordinator).get(URL).content.decode()
    assert 'canbo.stp@cchc.example: <span class="ok">Đã gửi</span>' in html
    assert (
        'canbo2.stp@cchc.example: <span class="muted">Tạm thời bị từ chối — '
        "sẽ gửi lại lúc 08:15 ngày 23/11/2022</span>"
    ) in html
    assert "451 4.7.1 Hộp thư tạm thời không nhận thư, thử lại sau" in html
    assert (
        'vanthu.stc@cchc.example: <span class="bad">Bị từ chối: 550 5.1.1 Không có hộp thư này'
    ) in html
    assert "lượt gửi tới người nhận bị máy chủ thư từ chối" in html
