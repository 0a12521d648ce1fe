"""“Đôn đốc”: a coordinator's reminder sent now, logged like the scheduled ones,
at most once a day per assignment.

Who may: the `coordinator`; the `viewer` (a leader) and `officer_stp` see the
assignment but get 403; `officer_stc` (another agency) gets 404.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from notifications.sweep import sweep
from planning.models import Assignment
from tests.conftest import client_for

from .conftest import at


@pytest.fixture
def work(assignment_for, stp, stc):
    """Two Sở Tư pháp assignments (one overdue, one due soon), one far off,
    one done, and one of Sở Tài chính; today is 20/07/2022."""
    return {
        "overdue": assignment_for(stp, date(2022, 7, 10)),
        "soon": assignment_for(stp, date(2022, 7, 31)),
        "far": assignment_for(stp, date(2022, 12, 31)),
        "done": assignment_for(
            stp, date(2022, 6, 30), status=Assignment.Status.DONE, completed_on=date(2022, 6, 1)
        ),
        "stc": assignment_for(stc, date(2022, 7, 10)),
    }


def _nudges():
    return Notification.objects.filter(kind=Notification.Kind.MANUAL)


def test_nudging_an_assignment_sends_now_and_logs_it(client, coordinator, officer_stp, work):
    a = work["overdue"]
    with at(date(2022, 7, 20), 10):
        response = client_for(client, coordinator).post(
            reverse("notifications:remind_assignment", args=[a.pk]), follow=True
        )
    assert "Đôn đốc 1 nhiệm vụ: đã gửi." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[officer_stp.email]]
    assert mail.outbox[0].subject.startswith("[Đôn đốc]")
    assert a.task.title in mail.outbox[0].body
    row = _nudges().get()
    assert (row.scope, row.period, row.status) == (f"a:{a.pk}", "2022-07-20", "sent")
    assert row.deliveries.get().status == "sent"


def test_at_most_once_a_day_per_assignment(client, coordinator, officer_stp, work):
    url = reverse("notifications:remind_assignment", args=[work["overdue"].pk])
    client = client_for(client, coordinator)
    with at(date(2022, 7, 20), 10):
        client.post(url)
        again = client.post(url, follow=True)
    assert "đã được đôn đốc hôm nay" in again.content.decode()
    assert len(mail.outbox) == 1
    with at(date(2022, 7, 21), 10):
        client.post(url)
    assert len(mail.outbox) == 2
    assert list(_nudges().order_by("period").values_list("period", flat=True)) == [
        "2022-07-20",
        "2022-07-21",
    ]


def test_nudging_an_agency_covers_its_pressing_open_work(client, coordinator, officer_stp, work):
    with at(date(2022, 7, 20), 10):
        response = client_for(client, coordinator).post(
            reverse("notifications:remind_agency", args=[work["overdue"].agency.pk]), follow=True
        )
    assert "Đôn đốc 2 nhiệm vụ: đã gửi." in response.content.decode()
    assert len(mail.outbox) == 1  # one e-mail for the agency, listing both
    body = mail.outbox[0].body
    assert work["overdue"].task.title in body and work["soon"].task.title in body
    assert work["far"].task.title not in body
    assert set(_nudges().values_list("assignment", flat=True)) == {
        work["overdue"].pk,
        work["soon"].pk,
    }


def test_finished_work_is_not_nudged(client, coordinator, work):
    with at(date(2022, 7, 20), 10):
        response = client_for(client, coordinator).post(
            reverse("notifications:remind_assignment", args=[work["done"].pk]), follow=True
        )
    assert "đã hoàn thành, đã rút" in response.content.decode()
    assert not _nudges().exists() and not mail.outbox


def test_a_nudge_does_not_stop_the_scheduled_reminder(coordinator, officer_stp, work):
    """The nudge has its own kind and period: the sweep's overdue reminder still goes."""
    from notifications.nudges import remind_now

    with at(date(2022, 7, 20), 10):
        remind_now([work["overdue"]])
        sweep(today=date(2022, 7, 20))
    kinds = set(
        Notification.objects.filter(assignment=work["overdue"]).values_list("kind", flat=True)
    )
    assert kinds == {Notification.Kind.MANUAL, Notification.Kind.OVERDUE}


def test_only_coordinators_nudge(client, viewer, officer_stp, officer_stc, work):
    a = work["overdue"]
    url = reverse("notifications:remind_assignment", args=[a.pk])
    agency_url = reverse("notifications:remind_agency", args=[a.agency.pk])
    assert client.post(url).status_code == 302  # anonymous: to the login page
    assert client_for(client, viewer).post(url).status_code == 403
    assert client_for(client, officer_stp).post(url).status_code == 403
    assert client_for(client, officer_stp).post(agency_url).status_code == 403
    assert client_for(client, officer_stc).post(url).status_code == 404
    assert client_for(client, officer_stc).post(agency_url).status_code == 404
    assert client_for(client, officer_stc).get(url).status_code == 405
    assert not _nudges().exists() and not mail.outbox


def test_nudge_needs_the_csrf_token(coordinator, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    url = reverse("notifications:remind_assignment", args=[work["overdue"].pk])
    assert client.post(url).status_code == 403
    assert not _nudges().exists()
    page = client.get(work["overdue"].get_absolute_url()).content.decode()
    assert url in page
