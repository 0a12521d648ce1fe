"""Fixtures of the notice tests ("Thông báo").

Personas (tests/conftest.py): `coordinator` (Sở Nội vụ: told of new reports,
extension requests and escalations), `officer_stp` (Sở Tư pháp, the lead
agency: told of new work, returns, decisions, deadline changes), `officer_stc`
(another agency: told nothing of Sở Tư pháp's work, and may not touch its
notices), `viewer` (reads everything, is told nothing).
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail

from tests.factories import make_assignment, make_plan


@pytest.fixture(autouse=True)
def quick_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://cchc.example.gov.vn"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"notice-tests-{tmp_path.name}",
        },
    }
    mail.outbox = []


@pytest.fixture
def frozen_today():
    with time_machine.travel(date(2022, 7, 20), tick=False) as traveller:
        yield traveller


@pytest.fixture
def plan(db):
    return make_plan("192/KH-UBND", title="Kế hoạch cải cách hành chính năm 2022")


@pytest.fixture
def a_stp(plan, stp):
    return make_assignment(
        plan=plan, agency=stp, due=date(2022, 7, 31), title="Rà soát thủ tục hành chính"
    )
