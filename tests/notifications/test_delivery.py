"""Delivery through a real SMTP server (aiosmtpd on loopback), failures and retries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from notifications.delivery import LEASE
from notifications.models import Notification, ReminderPolicy

from .conftest import at, sweep_at

DUE = date(2022, 11, 30)  # a Wednesday: its reminders fall on working days
Status = Notification.Status


@pytest.fixture
def two_due(stp, stc, officer_stp, coordinator, assignment_for):
    """Two Sở Tư pháp tasks due end of July (one e-mail), one Sở Tài chính task."""
    return [assignment_for(stp, DUE), assignment_for(stp, DUE), assignment_for(stc, DUE)]


def subject(message) -> str:
    # The header is RFC 2047-encoded and folded; parsed back it keeps a leading space.
    return str(message["Subject"]).strip()


def statuses() -> set[tuple[str, int]]:
    return set(Notification.objects.filter(kind="due_soon").values_list("status", "attempts"))


def reminders(handler):
    return [(to, m) for to, m in handler.messages if subject(m).startswith("[Nhắc việc]")]


def test_a_sweep_delivers_vietnamese_text_and_html_over_smtp(smtp_server, two_due):
    sweep_at(DUE - timedelta(days=7))
    sent = {tuple(to): m for to, m in reminders(smtp_server)}
    # Each recipient has a copy of their own (so that each can be retried alone).
    assert set(sent) == {
        ("canbo.stp@cchc.example",),
        ("stc@cchc.example",),
        ("vanthu.stc@cchc.example",),
    }
    message = sent[("canbo.stp@cchc.example",)]
    assert subject(message) == "[Nhắc việc] 2 nhiệm vụ đến hạn trong tháng 11/2022 (còn 7 ngày)"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    url = f"https://cchc.example.gov.vn/nhiem-vu/{two_due[0].pk}/"
    assert url in text
    assert f'href="{url}"' in html
    assert "Bạn nhận thư này vì là cán bộ đầu mối" in text
    assert "Bạn nhận thư này vì là cán bộ đầu mối" in html


def test_a_refused_send_stays_pending_and_goes_out_when_the_server_is_back(smtp_server, two_due):
    day = DUE - timedelta(days=7)
    smtp_server.refuse = "451 4.3.0 Hệ thống thư đang bận"
    sweep_at(day)
    assert statuses() == {(Status.PENDING, 1)}
    assert all("451" in r.last_error for r in Notification.objects.filter(kind="due_soon"))
    assert reminders(smtp_server) == []

    smtp_server.refuse = ""
    sweep_at(day, 8, 5)  # before the backoff: nothing is retried yet
    assert reminders(smtp_server) == []
    sweep_at(day, 8, 20)  # after 15 minutes
    assert len(reminders(smtp_server)) == 3  # canbo.stp, and stc's two contact addresses
    assert statuses() == {(Status.SENT, 2)}
    sweep_at(day, 9, 0)
    assert len(reminders(smtp_server)) == 3  # sent once, never again


def test_after_the_last_attempt_a_send_is_failed_and_shown(smtp_server, two_due, settings):
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"max_attempts": 2})
    day = DUE - timedelta(days=7)
    smtp_server.refuse = "451 4.3.0 Hệ thống thư đang bận"
    sweep_at(day)
    sweep_at(day, 9, 0)
    assert statuses() == {(Status.FAILED, 2)}
    sweep_at(day, 12, 0)
    assert statuses() == {(Status.FAILED, 2)}


def test_a_row_left_claimed_by_a_crashed_worker_is_sent_after_the_lease(two_due):
    from django.core import mail

    day = DUE - timedelta(days=7)
    with at(day):
        from django.utils import timezone

        from notifications.candidates import due_soon_candidates
        from notifications.delivery import claim
        from notifications.sweep import log_once

        log_once(due_soon_candidates(ReminderPolicy.current(), day), now=timezone.now())
        for row in Notification.objects.all():
            assert claim(row, now=timezone.now())  # ...and the worker dies here
    sweep_at(day, 8, 10)
    assert mail.outbox == [] or all(not m.subject.startswith("[Nhắc việc]") for m in mail.outbox)
    minutes = int(LEASE.total_seconds() // 60) + 1
    sweep_at(day, 8, minutes)
    # One copy each: canbo.stp, and stc's two contact addresses.
    assert len([m for m in mail.outbox if m.subject.startswith("[Nhắc việc]")]) == 3
    assert statuses() == {(Status.SENT, 2)}
