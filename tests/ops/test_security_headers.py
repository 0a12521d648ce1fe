"""Content-Security-Policy and private caching of logged-in pages (issue 16.7).

Personas: the `coordinator` and `officer_stp` get private pages; an anonymous
visitor gets the login page. Every response carries the policy; no template
holds inline script, which the policy would refuse; a real Chromium loading
the busy pages reports no violation.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import make_assignment, make_plan

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
# Drawn by weasyprint into a PDF, never served to a browser.
NOT_PAGES = {
    "reports/report_pdf.html",
    "planning/indicators/report_pdf.html",
    "planning/indicators/_pdf_section.html",
}


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_no_page_template_holds_inline_script_style_or_event_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        name, text = str(path.relative_to(TEMPLATES)), path.read_text()
        patterns = (INLINE_SCRIPT, EVENT_ATTRIBUTE, STYLE_ELEMENT)
        if name not in NOT_PAGES and any(p.search(text) for p in patterns):
            offenders.append(name)
    assert offenders == []


def test_every_page_carries_a_policy_without_inline_script(client, coordinator):
    login = client.get(reverse("login"))
    policy = _policy(login)
    assert policy["script-src"] == "script-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"
    client_for(client, coordinator)
    assert (
        "script-src 'self'" in client.get(reverse("planning:plan_list"))["Content-Security-Policy"]
    )


@pytest.mark.parametrize("persona", ["coordinator", "officer_stp"])
def test_logged_in_pages_are_private_and_not_stored(client, request, persona, stp):
    plan = make_plan()
    make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31))
    client_for(client, request.getfixturevalue(persona))
    for url in (reverse("planning:plan_list"), reverse("planning:plan_detail", args=[plan.pk])):
        response = client.get(url)
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


def test_an_anonymous_visitor_s_pages_are_left_to_their_views(client):
    assert "no-store" not in client.get("/ping").get("Cache-Control", "")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_reports_no_policy_violation_on_the_busy_pages(live_server, page, stp):
    from agencies.models import Membership
    from tests.factories import make_user

    snv_agency = stp.__class__.objects.create(code="SNV", name="Sở Nội vụ")
    make_user("dieuphoi.csp", agency=snv_agency, role=Membership.Role.COORDINATOR)
    plan = make_plan()
    assignment = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31))
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "dieuphoi.csp")
    page.fill("#id_password", "mat-khau-thu-2022")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for path in (
        reverse("reports:dashboard"),
        reverse("planning:plan_detail", args=[plan.pk]),
        reverse("planning:assignment_detail", args=[assignment.pk]),
        reverse("spreadsheets:index"),
        "/api/v1/docs/",
    ):
        page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    assert violations == []
