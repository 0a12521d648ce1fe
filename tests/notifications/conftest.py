"""Fixtures for the reminder tests.

Who receives what:
- `stp` (Sở Tư pháp) has an officer `officer_stp` with an address: per-assignment
  reminders and digests go to that officer.
- `stc` (Sở Tài chính) has no officer with an address: its contact addresses
  (Agency.emails) receive them instead.
- `coordinator` (Sở Nội vụ) receives escalations and the monthly summary,
  with the agency's leader (leader_email) for escalations.
"""

from __future__ import annotations

import socket
from collections import Counter
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from agencies.models import Agency
from notifications.sweep import sweep
from tests.factories import make_assignment, make_plan

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cchc.example.gov.vn"
    # Personas are made with create_user; the default hasher costs a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    mail.outbox = []


@pytest.fixture
def stp(db):
    return Agency.objects.create(
        code="STP",
        name="Sở Tư pháp",
        emails="stp@cchc.example",
        leader_email="giamdoc.stp@cchc.example",
    )


@pytest.fixture
def stc(db):
    return Agency.objects.create(
        code="STC", name="Sở Tài chính", emails="stc@cchc.example, vanthu.stc@cchc.example"
    )


def with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def officer_stp(officer_stp):
    return with_email(officer_stp, "canbo.stp@cchc.example")


@pytest.fixture
def coordinator(coordinator):
    return with_email(coordinator, "dieuphoi@snv.example")


@pytest.fixture
def plan(db):
    return make_plan("192/KH-UBND")


@pytest.fixture
def assignment_for(plan):
    def build(agency, due: date | None, **extra):
        return make_assignment(plan=plan, agency=agency, due=due, **extra)

    return build


def at(day: date, hour: int = 8, minute: int = 0):
    """time_machine travel to a local (Asia/Ho_Chi_Minh) time, frozen."""
    return time_machine.travel(datetime.combine(day, time(hour, minute), tzinfo=VN), tick=False)


def sweep_at(day: date, hour: int = 8, minute: int = 0):
    """Run the scheduled sweep as it would run at that local time."""
    with at(day, hour, minute):
        return sweep()


def subjects() -> list[str]:
    return [m.subject for m in mail.outbox]


class RecordingHandler:
    """An aiosmtpd handler that keeps messages, with the faults a real server shows.

    - `defer` / `reject`: addresses answered 451 / 550 at RCPT;
    - `refuse`: a reply to DATA instead of 250 (e.g. "451 …" or "554 …");
    - `drop_after_store`: for this many messages, store it and cut the
      connection before answering, as a server that crashes after writing the
      message to disk does.
    """

    def __init__(self) -> None:
        self.messages: list = []
        self.refuse: str = ""
        self.defer: set[str] = set()
        self.reject: set[str] = set()
        self.drop_after_store = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.defer:
            return "451 4.7.1 Hộp thư tạm thời không nhận thư, thử lại sau"
        if address in self.reject:
            return "550 5.1.1 Không có hộp thư này"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        from email import message_from_bytes
        from email.policy import default

        message = message_from_bytes(envelope.original_content, policy=default)
        self.messages.append((list(envelope.rcpt_tos), message))
        if self.drop_after_store:
            self.drop_after_store -= 1
            server.transport.abort()  # stored, and the "250" never reaches the client
        return "250 OK"

    def received(self) -> Counter:
        """(recipient, subject) → how many copies the server stored."""
        return Counter(
            (to, str(message["Subject"]).strip())
            for rcpt_tos, message in self.messages
            for to in rcpt_tos
        )


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (a free port), with Django's SMTP backend aimed at it."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port, released just before the server binds it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()
