"""The demo: KH 192 with 34 assignments for 8 lead agencies, loaded idempotently."""

from collections import Counter

import pytest
from django.core.management import call_command

from agencies.models import Membership
from planning.models import Assignment, Plan, Task

EXPECTED_PER_AGENCY = {
    "Văn phòng UBND Thành phố": 8,
    "Sở Tư pháp": 5,
    "Sở Tài chính": 5,
    "Sở Nội vụ": 4,
    "Sở Khoa học và Công nghệ": 4,
    "Sở Thông tin và Truyền thông": 3,
    "Sở Kế hoạch và Đầu tư": 3,
    "Viện Nghiên cứu phát triển kinh tế - xã hội Thành phố": 2,
}


@pytest.mark.django_db
def test_load_demo_twice_gives_34_assignments(capsys):
    call_command("load_demo")
    first = list(Assignment.objects.values_list("pk", "status", "due_date").order_by("pk"))
    call_command("load_demo")
    second = list(Assignment.objects.values_list("pk", "status", "due_date").order_by("pk"))
    assert first == second
    assert len(second) == 34
    assert Plan.objects.filter(number="192/KH-UBND", year=2022).count() == 1
    counts = Counter(Assignment.objects.values_list("agency__name", flat=True))
    assert dict(counts) == EXPECTED_PER_AGENCY
    out = capsys.readouterr().out
    assert "snv.dieuphoi" in out and "stp.canbo" in out


@pytest.mark.django_db
def test_demo_has_due_months_and_accounts():
    call_command("load_demo")
    # A task given to six agencies is one task and six assignments.
    shared = Task.objects.get(title__startswith="Căn cứ Kế hoạch này")
    assert shared.assignments.count() == 6
    assert not Assignment.objects.filter(due_date__isnull=True).exists()
    assert Membership.objects.filter(role=Membership.Role.OFFICER).count() == 8
    assert Membership.objects.filter(role=Membership.Role.COORDINATOR).count() == 1


@pytest.mark.django_db
def test_demo_progress_is_explained_by_history():
    from datetime import date

    from planning.models import AssignmentEvent

    call_command("load_demo")
    stp = Assignment.objects.filter(agency__code="STP")
    assert stp.rollup(date(2026, 1, 1)).summary == "3/5 (60,00%)"
    for done in Assignment.objects.filter(status=Assignment.Status.DONE):
        assert done.events.filter(kind=AssignmentEvent.Kind.STATUS, actor__isnull=False).exists()
    assert Assignment.objects.filter(last_progress_at__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["snv.dieuphoi", "lanhdao.ubnd", "stp.canbo"])
def test_every_demo_page_renders_for_each_role(client, username):
    """The demo's history starts with events no person signed ("Hệ thống")."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    call_command("load_demo")
    client.force_login(User.objects.get(username=username))
    plan = Plan.objects.get(number="192/KH-UBND")
    visible = Assignment.objects.filter(agency__code="STP").first()
    for url in [
        reverse("home"),
        reverse("planning:plan_list"),
        plan.get_absolute_url(),
        visible.get_absolute_url(),
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    assert "Hệ thống" in client.get(visible.get_absolute_url()).content.decode()
