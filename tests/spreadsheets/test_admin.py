"""The admin's django-import-export integration: superusers only, all-or-nothing."""

from __future__ import annotations

import pytest
import tablib
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission, User
from django.test import RequestFactory
from django.urls import reverse

from agencies.models import Agency
from planning.models import Assignment, Plan
from planning.spreadsheets.columns import COLUMNS
from planning.spreadsheets.resources import AssignmentResource

from .conftest import row

pytestmark = pytest.mark.django_db


def test_superuser_sees_import_staff_does_not(client):
    admin_user = User.objects.create_superuser("root", password="x-very-secret-1")
    client.force_login(admin_user)
    assert client.get(reverse("admin:planning_assignment_import")).status_code == 200
    assert client.get(reverse("admin:agencies_agency_import")).status_code == 200
    staff = User.objects.create_user("staff", password="x-very-secret-1", is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    client.force_login(staff)
    assert client.get(reverse("admin:planning_assignment_import")).status_code == 403


def test_admin_confirm_step_rolls_back_on_a_validation_error(plan, stp):
    """The confirm step gets its kwargs from get_import_data_kwargs: it must carry the flag."""
    admin = site._registry[Assignment]
    request = RequestFactory().post("/")
    kwargs = admin.get_import_data_kwargs(request=request, form=None)
    assert kwargs["rollback_on_validation_errors"] is True
    dataset = tablib.Dataset(headers=COLUMNS)
    for r in (row(), row(**{"Nhiệm vụ": "B", "Cơ quan chủ trì": "Không có"})):
        dataset.append([r[c] for c in COLUMNS])
    kwargs.pop("request")
    result = AssignmentResource().import_data(dataset, dry_run=False, **kwargs)
    assert result.has_validation_errors()
    assert Assignment.objects.count() == 0


def test_without_the_flag_import_export_would_commit_the_valid_rows(plan, stp):
    """Why the flag matters: import_export's default skips the bad row, keeps the rest."""
    dataset = tablib.Dataset(headers=COLUMNS)
    for r in (row(), row(**{"Nhiệm vụ": "B", "Cơ quan chủ trì": "Không có"})):
        dataset.append([r[c] for c in COLUMNS])
    AssignmentResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert Assignment.objects.count() == 1


def test_agency_resource_round_trip(stp):
    from planning.spreadsheets.resources import AgencyResource

    dataset = AgencyResource().export()
    result = AgencyResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True
    )
    assert not result.has_errors() and result.totals["skip"] == 1
    assert Agency.objects.count() == 1


def test_admin_import_never_creates_a_plan(plan, stp):
    """The admin has no confirmation step for new plans, so it refuses them."""
    dataset = tablib.Dataset(headers=COLUMNS)
    for r in (row(), row(**{"Kế hoạch": "77/KH-UBND"})):
        dataset.append([r[c] for c in COLUMNS])
    result = AssignmentResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    [invalid] = result.invalid_rows
    assert "chưa có kế hoạch '77/KH-UBND'" in invalid.error_dict["Kế hoạch"][0]
    assert Assignment.objects.count() == 0
    assert list(Plan.objects.values_list("number", flat=True)) == [plan.number]
