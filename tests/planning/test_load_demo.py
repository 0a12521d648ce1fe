"""The demo: KH 192 with 34 assignments for 8 lead agencies, loaded idempotently."""

import csv
from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command

from agencies.models import Membership
from planning.models import Assignment, CompletionSubmission, Plan, Task

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
def test_load_demo_twice_gives_34_assignments_of_kh_192(capsys):
    call_command("load_demo")
    first = list(Assignment.objects.values_list("pk", "status", "due_date").order_by("pk"))
    call_command("load_demo")
    second = list(Assignment.objects.values_list("pk", "status", "due_date").order_by("pk"))
    assert first == second
    kh192 = Assignment.objects.filter(plan__number="192/KH-UBND")
    assert kh192.count() == 34
    assert Plan.objects.filter(number="192/KH-UBND", year=2022).count() == 1
    counts = Counter(kh192.values_list("agency__name", flat=True))
    assert dict(counts) == EXPECTED_PER_AGENCY
    out = capsys.readouterr().out
    assert "snv.dieuphoi" in out and "stp.canbo" in out


@pytest.mark.django_db
def test_demo_has_due_months_and_accounts():
    call_command("load_demo")
    # A task given to six agencies is one task and six assignments.
    shared = Task.objects.get(title__startswith="Căn cứ Kế hoạch này")
    assert shared.assignments.count() == 6
    kh192 = Assignment.objects.filter(plan__number="192/KH-UBND")
    assert not kh192.filter(due_date__isnull=True).exists()
    assert Membership.objects.filter(role=Membership.Role.OFFICER).count() == 8
    assert Membership.objects.filter(role=Membership.Role.COORDINATOR).count() == 1


@pytest.mark.django_db
def test_demo_progress_is_explained_by_history():
    from planning.models import AssignmentEvent

    call_command("load_demo")
    stp = Assignment.objects.filter(agency__code="STP", plan__number="192/KH-UBND")
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


# --- The current year's illustrative plan ------------------------------------------
# Frozen on 15/03/2026: every date of that plan is counted from the day load_demo runs.

DEMO_DAY = date(2026, 3, 15)


def _demo_plan():
    return Plan.objects.get(number="01/KH-MAU", year=DEMO_DAY.year)


def _snapshot():
    return list(
        Assignment.objects.order_by("pk").values_list(
            "pk", "status", "due_date", "original_due_date", "completed_on", "version"
        )
    )


@pytest.fixture
def demo_day():
    with time_machine.travel(DEMO_DAY, tick=False):
        yield DEMO_DAY


@pytest.mark.django_db
def test_load_demo_adds_a_current_year_plan_dated_around_today(demo_day, capsys):
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first  # run twice = same data
    plan = _demo_plan()
    assert plan.title == "Kế hoạch mẫu năm 2026 (dữ liệu minh họa)"
    assert plan.status == Plan.Status.ACTIVE
    assert plan.issued_on <= demo_day
    dated = [d for d in plan.assignments.values_list("due_date", flat=True) if d]
    assert all(abs((d - demo_day).days) <= 60 for d in dated)
    # KH 192 stays as published.
    kh192 = Assignment.objects.filter(plan__number="192/KH-UBND")
    assert kh192.count() == 34
    assert {d.year for d in kh192.values_list("original_due_date", flat=True)} == {2022}
    assert "Kế hoạch mẫu năm 2026 (dữ liệu minh họa)" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_plan_shows_every_kind_of_work(demo_day):
    call_command("load_demo")
    mine = Assignment.objects.filter(plan=_demo_plan())
    figures = mine.rollup(demo_day)
    assert figures.done_on_time and figures.done_late
    assert figures.open_overdue and figures.ongoing and figures.extended
    due_soon = mine.open(demo_day).filter(
        due_date__gte=demo_day, due_date__lte=demo_day + timedelta(days=7)
    )
    assert due_soon.exists()
    assert CompletionSubmission.objects.filter(
        assignment__plan=_demo_plan(), status=CompletionSubmission.Status.PENDING
    ).exists()
    # Completions are reported on the day the work was done, not the day of loading.
    for done in mine.filter(status=Assignment.Status.DONE):
        assert done.completion_reported_on == done.completed_on


@pytest.mark.django_db
def test_the_demo_inbox_and_queue_are_alive_today(client, demo_day):
    """stp.canbo (an officer of Sở Tư pháp) and snv.dieuphoi (the coordinator)."""
    from django.contrib.auth.models import User
    from django.urls import reverse

    call_command("load_demo")
    client.force_login(User.objects.get(username="stp.canbo"))
    inbox = client.get(reverse("workflow:inbox")).content.decode()
    assert "01/KH-MAU" in inbox
    assert "Bị trả lại" in inbox and "Chưa có văn bản kiểm chứng" in inbox
    assert "Quý I/2026 (31/03/2026)" in inbox
    client.force_login(User.objects.get(username="snv.dieuphoi"))
    queue = client.get(reverse("workflow:review_queue")).content.decode()
    assert "Báo cáo kết quả kiểm soát thủ tục hành chính" in queue
    assert "01/KH-MAU" in queue


@pytest.mark.django_db
def test_a_demo_loaded_early_in_january_still_loads(capsys):
    """Dates before the plan year (today - 40 days) stay after the issue date."""
    with time_machine.travel(date(2027, 1, 3), tick=False):
        call_command("load_demo")
    plan = Plan.objects.get(number="01/KH-MAU", year=2027)
    assert plan.assignments.count() == _demo_plan_size()


def _demo_plan_size() -> int:
    from planning.demo.current_year import STORIES

    return len(STORIES)


@pytest.mark.django_db
def test_the_demo_holds_kh_192_s_indicators_and_a_rerun_keeps_them(tmp_path, capsys):
    """79 PAR INDEX rows totalling 100 / 88,54 / 92,55, and SIPAS at 87,11 → > 88,00."""
    from planning.indicators.models import Indicator, IndicatorSet

    call_command("load_demo")
    call_command("load_demo")
    plan = Plan.objects.get(number="192/KH-UBND")
    assert IndicatorSet.objects.filter(plan=plan).count() == 2
    out = tmp_path / "chi-tieu.csv"
    call_command("indicator_report", "192/KH-UBND", "--format", "csv", "--output", str(out))
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    total = next(r for r in rows if r[0].startswith("Tổng điểm"))
    assert "100" in total[2] and "88,54" in total[3] and "92,55" in total[4]
    general = next(
        r for r in rows if r[1].startswith("Chỉ số chung") or r[0].startswith("Chỉ số chung")
    )
    assert any("87,11" in cell for cell in general) and any("88" in cell for cell in general)
    assert rows.index(total) - 1 == 79  # the header, the 79 PAR INDEX rows, then the total
    assert Indicator.objects.filter(indicator_set__plan=plan).exists()
