"""A mail server that refuses some recipients, or drops the line after storing a message.

Everything here goes through a real SMTP server (aiosmtpd on 127.0.0.1).
Who receives what: Sở Tư pháp has two officers with an address (canbo.stp and
canbo2.stp), Sở Tài chính none (its two contact addresses receive its
reminders), the Sở Nội vụ coordinator receives the monthly summary.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.mail import EmailMessage, get_connection
from django.core.management import call_command
from django.utils import timezone

from notifications.delivery import claim
from notifications.models import Delivery, Notification, ReminderPolicy
from notifications.transport import Outcome, transmit
from tests.factories import make_user

from .conftest import at, sweep_at, with_email

DUE = date(2022, 11, 30)  # a Wednesday: its reminders fall on working days
DAY = DUE - timedelta(days=7)  # the 7-day reminders go out
FIRST, SECOND = "canbo.stp@cchc.example", "canbo2.stp@cchc.example"
Copy = Delivery.Status


@pytest.fixture
def two_officers(stp, stc, officer_stp, coordinator, assignment_for):
    """Two Sở Tư pháp tasks due end of July (one e-mail per officer), one Sở Tài chính task."""
    with_email(make_user("canbo2.stp", agency=stp), SECOND)
    return [assignment_for(stp, DUE), assignment_for(stp, DUE), assignment_for(stc, DUE)]


def reminders(handler) -> Counter:
    """(recipient, subject) → copies stored, for the 7-day reminders only."""
    return Counter({k: n for k, n in handler.received().items() if k[1].startswith("[Nhắc việc]")})


def copy_of(address: str) -> Delivery:
    return Delivery.objects.filter(address=address, notification__kind="due_soon").first()


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_451_to_one_officer_is_retried_for_that_officer_only(smtp_server, two_officers):
    smtp_server.defer = {SECOND}
    sweep_at(DAY)
    got = reminders(smtp_server)
    assert {to for to, _s in got} == {FIRST, "stc@cchc.example", "vanthu.stc@cchc.example"}
    assert copy_of(SECOND).status == Copy.DEFERRED
    assert copy_of(SECOND).reply.startswith("451 4.7.1")
    stp_rows = Notification.objects.filter(kind="due_soon", agency__code="STP")
    assert set(stp_rows.values_list("status", flat=True)) == {Notification.Status.PENDING}

    smtp_server.defer = set()
    sweep_at(DAY, 8, 5)  # before the backoff
    assert reminders(smtp_server) == got
    sweep_at(DAY, 8, 20)  # 15 minutes later: the refused officer only
    after = reminders(smtp_server)
    assert after - got == Counter({(SECOND, next(iter(got))[1]): 1})
    assert set(after.values()) == {1}
    assert set(stp_rows.values_list("status", flat=True)) == {Notification.Status.SENT}
    sweep_at(DAY, 12, 0)
    assert reminders(smtp_server) == after


def test_a_550_is_final_and_the_other_officer_is_served(smtp_server, two_officers):
    smtp_server.reject = {SECOND}
    sweep_at(DAY)
    refused = copy_of(SECOND)
    assert refused.status == Copy.REFUSED
    assert refused.reply == "550 5.1.1 Không có hộp thư này"
    assert copy_of(FIRST).status == Copy.SENT
    # Someone in the agency got it: the notice counts as sent (and towards escalation).
    assert refused.notification.status == Notification.Status.SENT
    assert SECOND in refused.notification.last_error
    smtp_server.reject = set()
    sweep_at(DAY, 12, 0)
    assert (SECOND, refused.notification.subject) not in reminders(smtp_server)


def test_a_554_to_the_message_fails_the_notice_with_the_servers_reply(smtp_server, two_officers):
    smtp_server.refuse = "554 5.6.0 Nội dung thư bị từ chối"
    sweep_at(DAY)
    rows = Notification.objects.filter(kind="due_soon")
    assert set(rows.values_list("status", flat=True)) == {Notification.Status.FAILED}
    assert all("554 5.6.0" in r.last_error for r in rows)
    assert set(Delivery.objects.filter(notification__in=rows).values_list("status", flat=True)) == {
        Copy.REFUSED
    }


def test_a_message_stored_before_the_line_dropped_is_repeated_with_the_same_message_id(
    smtp_server, two_officers
):
    smtp_server.drop_after_store = 1  # the first copy of the sweep
    sweep_at(DAY)
    [(first_to, first)] = smtp_server.messages[:1]
    [address] = first_to
    same_mail = Delivery.objects.filter(address=address, message_id=first["Message-ID"])
    assert set(same_mail.values_list("status", flat=True)) == {Copy.DEFERRED}
    dropped = same_mail.order_by("notification_id").first()
    sweep_at(DAY, 8, 20)
    repeats = [
        m for to, m in smtp_server.messages if to == first_to and m["Subject"] == first["Subject"]
    ]
    # The one case that gives a second copy (docs/REMINDERS.md): both carry one Message-ID.
    assert len(repeats) == 2
    assert repeats[0]["Message-ID"] == repeats[1]["Message-ID"] == dropped.message_id
    assert dropped.message_id.startswith(f"<cchc-notice-{dropped.notification_id}-")
    assert dropped.message_id.endswith("@cchc.example.gov.vn>")
    others = smtp_server.received() - Counter({(address, str(first["Subject"]).strip()): 2})
    assert set(others.values()) == {1}
    sweep_at(DAY, 12, 0)
    assert len(smtp_server.messages) == sum(smtp_server.received().values())
    assert smtp_server.received()[(address, str(first["Subject"]).strip())] == 2


def test_retry_now_sends_deferred_copies_at_once(smtp_server, two_officers):
    smtp_server.defer = {SECOND}
    sweep_at(DAY)
    smtp_server.defer = set()
    with at(DAY, 8, 1):  # long before the 15-minute backoff
        output = run("send_reminders", "--retry-now")
    # The reminder (two Sở Tư pháp rows, one e-mail) and the weekly digest to canbo2.
    assert "3 copies due now" in output
    assert "copies: sent 2, deferred 0, refused 0" in output
    assert SECOND in {to for to, _s in reminders(smtp_server)}
    assert set(reminders(smtp_server).values()) == {1}


def test_retry_now_revives_copies_given_up_after_the_last_attempt(smtp_server, two_officers):
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"max_attempts": 1})
    smtp_server.defer = {SECOND}
    sweep_at(DAY)
    assert copy_of(SECOND).status == Copy.GAVE_UP
    assert copy_of(SECOND).notification.status == Notification.Status.SENT
    smtp_server.defer = set()
    with at(DAY, 14, 0):
        run("send_reminders", "--retry-now")
    assert copy_of(SECOND).status == Copy.SENT
    assert set(reminders(smtp_server).values()) == {1}


def test_retry_now_leaves_alone_a_notice_a_worker_is_sending(smtp_server, two_officers):
    smtp_server.defer = {SECOND}
    sweep_at(DAY)
    row = copy_of(SECOND).notification
    with at(DAY, 8, 20):
        assert claim(row, now=timezone.now())  # a worker has it and is sending…
        leased = Notification.objects.get(pk=row.pk).next_attempt_at
        run("send_reminders", "--retry-now")  # …so this must not hand it to another
    assert Notification.objects.get(pk=row.pk).next_attempt_at == leased
    assert SECOND not in {to for to, _s in reminders(smtp_server)}


def test_transmit_reports_each_recipient_of_one_transaction(smtp_server, db):
    smtp_server.defer = {SECOND}
    smtp_server.reject = {"nobody@cchc.example"}
    message = EmailMessage("Thử", "Nội dung", to=[FIRST, SECOND, "nobody@cchc.example"])
    connection = get_connection()
    try:
        outcomes = transmit(connection, message)
    finally:
        connection.close()
    assert outcomes[FIRST] == Outcome("sent", "")
    assert outcomes[SECOND].state == "deferred"
    assert outcomes["nobody@cchc.example"] == Outcome("refused", "550 5.1.1 Không có hộp thư này")
    assert smtp_server.received() == Counter({(FIRST, "Thử"): 1})


@pytest.mark.django_db(transaction=True)
def test_a_sweep_refused_with_451_then_retry_now_delivers_what_a_clean_sweep_delivers(
    smtp_server, two_officers
):
    """The issue's done-when, on whichever database the suite runs (PostgreSQL in CI)."""
    sweep_at(DAY)
    clean = smtp_server.received()
    assert {SECOND, FIRST} <= {to for to, _s in clean}

    Notification.objects.all().delete()  # the same day again, from an empty log
    smtp_server.messages.clear()
    smtp_server.defer = {FIRST, SECOND}  # all of Sở Tư pháp's officers
    sweep_at(DAY)
    assert not {FIRST, SECOND} & {to for to, _s in smtp_server.received()}
    smtp_server.defer = set()
    with at(DAY, 8, 2):
        run("send_reminders", "--retry-now")
    assert smtp_server.received() == clean  # none lost…
    assert set(clean.values()) == {1}  # …none twice


def test_an_address_that_cannot_be_encoded_does_not_hold_back_the_others(
    smtp_server, stp, officer_stp, assignment_for
):
    broken = "hong\n.stp@cchc.example"  # a line break typed into the address
    with_email(make_user("hong.stp", agency=stp), broken)
    assignment_for(stp, DUE)
    sweep_at(DAY)
    assert FIRST in {to for to, _s in reminders(smtp_server)}
    bad = copy_of(broken)
    assert bad.status == Copy.DEFERRED
    assert bad.reply.startswith("ValueError")
