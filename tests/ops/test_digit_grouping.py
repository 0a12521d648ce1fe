"""Years, ids and process ids are written as they are, never grouped like amounts.

With USE_THOUSAND_SEPARATOR every integer a template prints becomes "2.022", so
each page below is drawn with a plan numbered above 1,000 and issued in 2022.
Who may see what: `coordinator` (Sở Nội vụ) sees every page here; the admin
list is for a superuser. (The status page's PID is covered in test_health.py.)
"""

from __future__ import annotations

import re
from datetime import date
from unittest import mock

import pytest
from django.core.cache import caches
from django.urls import reverse

from planning.models import Plan
from planning.spreadsheets import jobs
from planning.spreadsheets.services import ImportReport
from tests.conftest import client_for
from tests.factories import make_plan

pytestmark = pytest.mark.django_db

PLAN_ID = 12345


@pytest.fixture
def plan_12345(db):
    plan = make_plan("192/KH-UBND", year=2022, issued_on=date(2022, 7, 8))
    Plan.objects.filter(pk=plan.pk).update(id=PLAN_ID)
    return Plan.objects.get(pk=PLAN_ID)


@pytest.fixture
def private_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    caches["default"].clear()


def test_spreadsheet_page_writes_the_year_and_links_the_plan_id(client, coordinator, plan_12345):
    html = client_for(client, coordinator).get(reverse("spreadsheets:index")).content.decode()
    assert "192/KH-UBND (2022)" in html
    assert "2.022" not in html
    links = re.findall(r'href="([^"]*ke_hoach=[^"]*)"', html)
    assert links
    assert all(link.endswith(f"ke_hoach={PLAN_ID}") for link in links)
    # The link exports that one plan rather than failing on "12.345".
    assert client.get(links[0].replace("&amp;", "&")).status_code == 200


def test_import_progress_bar_counts_rows_not_decimals(client, coordinator, private_cache):
    """`<progress max="1.500">` is 1.5 to a browser: the bar would be full after 2 rows."""
    job_id = jobs.create_job(user=coordinator, name="lon.xlsx", content=b"x", dry_run=True)
    client_for(client, coordinator)
    seen = {}

    def halfway(*, progress, dry_run, **kwargs):
        progress(1200, 1500)
        seen["html"] = client.get(reverse("spreadsheets:job", args=[job_id])).content.decode()
        return ImportReport(dry_run=dry_run)

    with mock.patch("planning.spreadsheets.jobs.import_file", side_effect=halfway):
        jobs.run_job(job_id)
    assert 'max="1500" value="1200"' in seen["html"]


def test_admin_plan_list_writes_the_year(client, coordinator, plan_12345):
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    html = client_for(client, coordinator).get("/quan-tri/planning/plan/").content.decode()
    assert re.search(r'<td class="field-year_shown">2022</td>', html)
    assert "2.022" not in html
