"""The audit trail (agencies/audit.py) and "Nhật ký thay đổi" (planning/audit/).

Who may see what: the `coordinator` (Sở Nội vụ) reads and downloads the trail;
`officer_stp`, `viewer` and everyone else get a 404; an anonymous visitor is
sent to the login page. Every create, change and delete of plans, sections,
tasks, assignments, agencies, memberships and users is in it, signed by the
user of the request, the actor of the workflow function, or "Hệ thống".
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse, reverse_lazy

from agencies.models import Membership
from planning.models import Assignment
from planning.services import TaskSpec, add_tasks
from planning.workflow import services as workflow
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment, make_plan
from tests.spreadsheets.conftest import row, sheet_csv

pytestmark = pytest.mark.django_db

URL = reverse_lazy("audit:trail")
CSV_URL = reverse_lazy("audit:trail_csv")


def entries_for(obj) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(obj).order_by("pk"))


def _csv(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# --- The admin changes no tracked field behind the workflow's back -----------------


def test_the_admin_cannot_change_an_assignment_s_status_due_date_or_agency(client, stp):
    assignment = make_assignment(agency=stp)
    admin = User.objects.create_superuser("quantri", "qt@snv.example", "mat-khau-thu-2022")
    client_for(client, admin)
    page = client.get(reverse("admin:planning_assignment_change", args=[assignment.pk]))
    assert page.status_code == 200
    editable = set(page.context["adminform"].form.fields)
    assert not editable & {"status", "due_date", "completed_on", "agency", "plan", "task"}
    task_page = client.get(reverse("admin:planning_task_change", args=[assignment.task_id]))
    inline = task_page.context["inline_admin_formsets"][0].formset.forms[0]
    assert not set(inline.fields) & {"status", "due_date", "completed_on", "agency"}
    # Nor add one without its history, nor delete one (withdrawing keeps it).
    assert client.get(reverse("admin:planning_assignment_add")).status_code == 403
    delete = reverse("admin:planning_assignment_delete", args=[assignment.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# --- What the trail records, and who signs it ---------------------------------------


def test_a_page_s_change_is_signed_by_its_user_and_address(client, coordinator):
    plan = make_plan("5/KH-UBND", title="Kế hoạch cũ")
    data = {"number": "5/KH-UBND", "title": "Kế hoạch mới", "year": 2022, "status": "active"}
    response = client_for(client, coordinator).post(
        reverse("workflow:plan_edit", args=[plan.pk]), data, REMOTE_ADDR="127.0.0.5"
    )
    assert response.status_code == 302
    entry = entries_for(plan)[-1]
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == coordinator
    assert entry.remote_addr == "127.0.0.5"
    assert entry.changes["title"] == ["Kế hoạch cũ", "Kế hoạch mới"]


def test_a_workflow_change_outside_a_request_is_signed_by_its_actor(coordinator, stp):
    """The queue, the API and the commands call the workflow functions without a
    page: the conditional UPDATE they make is in the trail, signed by the actor."""
    assignment = make_assignment(agency=stp, due=date(2022, 7, 31))
    with time_machine.travel("2022-07-20 09:00 +07:00", tick=False):
        workflow.mark_done(assignment=assignment, actor=coordinator, completed_on=date(2022, 7, 15))
    entry = entries_for(assignment)[-1]
    assert entry.actor == coordinator
    assert entry.changes["status"] == ["not_started", "done"]
    assert entry.changes["completed_on"] == ["None", "2022-07-15"]


def test_an_extension_and_a_new_lead_agency_are_in_the_trail(coordinator, officer_stp, stp):
    stc = make_agency("STC2", "Sở Tài chính 2")
    assignment = make_assignment(agency=stp, due=date(2022, 7, 31))
    request = workflow.request_extension(
        assignment=assignment,
        actor=officer_stp,
        requested_due_date=date(2022, 9, 30),
        reason="Chờ ý kiến",
    )
    workflow.decide_extension(request=request, actor=coordinator, approve=True)
    workflow.change_lead_agency(assignment=assignment, actor=coordinator, agency=stc, reason="x")
    changes = [entry.changes for entry in entries_for(assignment)[1:]]
    assert changes == [
        {"due_date": ["2022-07-31", "2022-09-30"]},
        {"agency": [str(stp.pk), str(stc.pk)]},
    ]


def test_assignments_written_in_bulk_are_in_the_trail(coordinator, stp):
    """bulk_create and a plan's withdrawal send no signal: they record themselves."""
    plan = make_plan()
    spec = TaskSpec(title="Rà soát thủ tục", lead_agencies=[stp], due_date=date(2022, 9, 30))
    (task,) = add_tasks(plan=plan, specs=[spec], actor=coordinator)
    assignment = task.assignments.get()
    created = entries_for(assignment)
    assert [e.action for e in created] == [LogEntry.Action.CREATE]
    assert created[0].actor == coordinator
    assert created[0].changes["due_date"] == ["None", "2022-09-30"]
    workflow.withdraw_plan(plan=plan, actor=coordinator, reason="Thay bằng kế hoạch khác")
    withdrawn = entries_for(assignment)[-1]
    assert (withdrawn.actor, withdrawn.changes) == (
        coordinator,
        {"status": ["not_started", "withdrawn"]},
    )
    assert entries_for(plan)[-1].changes["status"] == ["active", "withdrawn"]


def test_deletes_memberships_and_passwords_are_recorded_without_the_password(client, stp):
    admin = User.objects.create_superuser("quantri", "qt@snv.example", "mat-khau-thu-2022")
    client_for(client, admin)
    user = User.objects.create_user("canbo.moi", password="mat-khau-cu-2022")
    membership = Membership.objects.create(user=user, agency=stp)
    user.set_password("mat-khau-moi-2024")
    user.save()
    user.last_login = user.date_joined
    user.save(update_fields=["last_login"])  # every login does this: not a change
    response = client.post(
        reverse("admin:agencies_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    removed = LogEntry.objects.get_for_object(membership).latest()
    assert (removed.action, removed.actor) == (LogEntry.Action.DELETE, admin)
    user_changes = [e.changes for e in entries_for(user)]
    assert len(user_changes) == 2  # created, password changed; the login is not there
    assert "mat-khau" not in str(user_changes)
    assert set(user_changes[1]) == {"password"}


def test_a_command_without_a_user_is_signed_by_the_system(client, coordinator, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "mat-khau-quan-tri-2024")
    call_command(
        "createsuperuser", "--noinput", username="quantri2", email="qt2@snv.example", verbosity=0
    )
    entry = entries_for(User.objects.get(username="quantri2"))[0]
    assert entry.actor is None
    page = client_for(client, coordinator).get(URL, {"doi_tuong": "auth.user"})
    assert "Hệ thống" in page.content.decode()


def test_a_spreadsheet_import_command_signs_with_its_user(tmp_path, coordinator, stp):
    plan = make_plan("5/KH-UBND", year=2022, issued_on=date(2022, 1, 10))
    path = tmp_path / "giao-viec.csv"
    path.write_bytes(sheet_csv([row()]))
    call_command("import_assignments", str(path), user=coordinator.username, stdout=io.StringIO())
    assignment = Assignment.objects.get(plan=plan)
    assert {e.actor for e in entries_for(assignment)} == {coordinator}


# --- The page and its CSV --------------------------------------------------------------


def test_only_coordinators_see_the_trail(client, officer_stp, viewer):
    assert client.get(URL).status_code == 302  # to the login page
    for persona in (officer_stp, viewer):
        client_for(client, persona)
        assert client.get(URL).status_code == 404
        assert client.get(CSV_URL).status_code == 404


def test_the_page_names_what_changed_in_words(client, coordinator, stp):
    assignment = make_assignment(agency=stp, title="Rà soát thủ tục hành chính")
    workflow.withdraw_assignment(assignment=assignment, actor=coordinator, reason="Trùng")
    page = client_for(client, coordinator).get(URL, {"doi_tuong": "planning.assignment"})
    text = page.content.decode()
    assert "Nhật ký thay đổi" in text
    assert "Chưa thực hiện → Đã rút khỏi kế hoạch" in text
    assert "dieuphoi" in text


def test_filters_by_model_user_and_day(client, coordinator, officer_stp, stp):
    with time_machine.travel("2022-07-18 09:00 +07:00", tick=False):
        make_plan("1/KH-UBND")
    with time_machine.travel("2022-07-20 09:00 +07:00", tick=False):
        assignment = make_assignment(agency=stp)
        workflow.report_progress(assignment=assignment, actor=officer_stp, note="Đang làm")
    client_for(client, coordinator)

    def records(**query):
        return [row.record for row in client.get(URL, query).context["rows"]]

    assert records(doi_tuong="planning.plan", den="18/07/2022") == ["Kế hoạch 1/KH-UBND"]
    assert records(nguoi="canbo.stp") == [str(assignment)]
    assert "Kế hoạch 1/KH-UBND" not in records(tu="19/07/2022")
    assert records(nguoi="he-thong", tu="20/07/2022", doi_tuong="planning.plan") != []
    bad = client.get(URL, {"tu": "20/07/2022", "den": "01/07/2022"})
    assert bad.context["rows"] == []
    assert "phải trước hoặc bằng" in bad.content.decode()


@pytest.mark.parametrize("changes", [3, 60])
def test_a_page_costs_the_same_queries_however_many_entries(
    client, coordinator, stp, changes, django_assert_max_num_queries
):
    agencies = [make_agency(f"A{n}", f"Cơ quan {n}") for n in range(3)]
    for n in range(changes):
        assignment = make_assignment(agency=agencies[n % 3])
        workflow.change_lead_agency(
            assignment=assignment, actor=coordinator, agency=stp, reason="Giao lại"
        )
    client_for(client, coordinator)
    client.get(URL)  # warm the session and the content types
    with django_assert_max_num_queries(12):
        page = client.get(URL)
    assert page.status_code == 200
    assert len(page.context["rows"]) == min(50, LogEntry.objects.count())
    assert "Cơ quan 0 → Sở Tư pháp" in page.content.decode()  # agencies by name, not id


def test_the_csv_has_one_line_per_change_and_no_formula(client, coordinator):
    plan = make_plan("9/KH-UBND", title='=HYPERLINK("http://127.0.0.1/x","Bấm")')
    data = {"number": "9/KH-UBND", "title": "@SUM(1+1)", "year": 2022, "status": "active"}
    client_for(client, coordinator).post(reverse("workflow:plan_edit", args=[plan.pk]), data)
    response = client.get(CSV_URL, {"doi_tuong": "planning.plan"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    lines = _csv(response)
    titles = [line for line in lines if line["Nội dung"] == "Trích yếu"]
    assert [(t["Thao tác"], t["Giá trị cũ"], t["Giá trị mới"]) for t in titles] == [
        ("Sửa", '\'=HYPERLINK("http://127.0.0.1/x","Bấm")', "'@SUM(1+1)"),
        ("Tạo mới", "—", '\'=HYPERLINK("http://127.0.0.1/x","Bấm")'),
    ]
    assert {line["Người thực hiện"] for line in lines} == {"dieuphoi", "Hệ thống"}
    assert all(not cell.startswith(("=", "+", "@")) for line in lines for cell in line.values())
