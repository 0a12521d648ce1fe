"""Editing a plan in the app: sections, tasks, lead and coordinating agencies,
due phrases (read as the parser reads them, shown before saving), removal.

Who may do what: the `coordinator` (Sở Nội vụ) edits; the `viewer` (a leader)
sees the plan but gets 403; `officer_stc` (another agency) does not see a plan
that gives Sở Tài chính no work (404); the anonymous `client` is sent to log in.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from planning.models import Assignment, AssignmentEvent, Section, Task
from planning.workflow import editing
from planning.workflow import services as workflow
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment

Kind = AssignmentEvent.Kind


def _add_task(client, plan, **data):
    """Post the add form twice, as a coordinator does: once to see the date, once to save."""
    url = reverse("workflow:task_add", args=[plan.pk])
    first = client.post(url, data)
    return first, client.post(url, {**data, "previewed": data["due_text"]})


# --- Who may edit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["plan_tasks", "task_add", "section_add", "plan_bulk_agency"],
)
def test_only_coordinators_edit_a_plan(name, client, plan, a_stp, viewer, officer_stp, officer_stc):
    url = reverse(f"workflow:{name}", args=[plan.pk])
    assert client.post(url).status_code == 302  # anonymous: to the login page
    assert client_for(client, viewer).post(url, {"code": "1"}).status_code == 403
    assert client_for(client, officer_stp).post(url, {"code": "1"}).status_code == 403
    assert client_for(client, officer_stc).post(url, {"code": "1"}).status_code == 404
    assert Section.objects.count() == 0


def test_task_pages_refuse_officers_and_leaders(client, a_stp, viewer, officer_stp, officer_stc):
    task = a_stp.task
    for name in ("task_edit", "task_remove"):
        url = reverse(f"workflow:{name}", args=[task.pk])
        assert client_for(client, viewer).get(url).status_code == 403
        assert client_for(client, officer_stp).post(url, {"title": "x"}).status_code == 403
        assert client_for(client, officer_stc).get(url).status_code == 404
    assert Task.objects.get(pk=task.pk).title == "Rà soát thủ tục hành chính"


def test_editing_forms_need_the_csrf_token(coordinator, plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(reverse("workflow:section_add", args=[plan.pk]), {"code": "1"})
    assert response.status_code == 403
    assert not plan.sections.exists()
    page = client.get(reverse("workflow:plan_tasks", args=[plan.pk])).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


# --- Sections ----------------------------------------------------------------------------


def test_coordinator_adds_edits_and_removes_a_section(client, coordinator, plan):
    client = client_for(client, coordinator)
    client.post(reverse("workflow:section_add", args=[plan.pk]), {"code": "1", "title": "Thể chế"})
    section = plan.sections.get()
    assert (section.code, section.title, section.order) == ("1", "Thể chế", 1)
    response = client.post(
        reverse("workflow:section_add", args=[plan.pk]),
        {"code": "1", "title": "Lần nữa"},
        follow=True,
    )
    assert "Mục 1 đã có trong kế hoạch." in response.content.decode()
    client.post(
        reverse("workflow:section_edit", args=[section.pk]), {"code": "I", "title": "Thể chế"}
    )
    assert plan.sections.get().code == "I"
    client.post(reverse("workflow:section_remove", args=[section.pk]))
    assert not plan.sections.exists()


def test_a_section_with_live_work_is_not_removed(client, coordinator, plan, stp):
    section = Section.objects.create(plan=plan, code="2")
    make_assignment(plan=plan, agency=stp, section=section)
    response = client_for(client, coordinator).post(
        reverse("workflow:section_remove", args=[section.pk]), follow=True
    )
    assert "còn nhiệm vụ đang theo dõi" in response.content.decode()
    assert Section.objects.filter(pk=section.pk).exists()


# --- Adding a task ----------------------------------------------------------------------


def test_a_new_task_is_saved_only_after_its_date_was_shown(client, coordinator, plan, stp, stc):
    section = Section.objects.create(plan=plan, code="1.3")
    client = client_for(client, coordinator)
    data = {
        "title": "Rà soát quy định về thủ tục hành chính",
        "section": section.pk,
        "due_text": "hoàn thành trong Quý III/2022",
        "lead_agencies": [stp.pk, stc.pk],
    }
    url = reverse("workflow:task_add", args=[plan.pk])
    first = client.post(url, data)
    assert "Quý III/2022 (30/09/2022)" in first.content.decode()
    assert first.status_code == 200 and not Task.objects.exists()  # shown, not saved
    second = client.post(url, {**data, "previewed": data["due_text"]})
    assert second.status_code == 302
    task = Task.objects.get()
    assert (task.section, task.due_text, task.due_date) == (
        section,
        "hoàn thành trong Quý III/2022",
        date(2022, 9, 30),
    )
    leads = Assignment.objects.filter(task=task).order_by("agency__name")
    assert [(a.agency, a.due_date, a.original_due_date) for a in leads] == [
        (stc, date(2022, 9, 30), date(2022, 9, 30)),
        (stp, date(2022, 9, 30), date(2022, 9, 30)),
    ]
    created = AssignmentEvent.objects.filter(kind=Kind.CREATED)
    assert created.count() == 2 and {e.actor for e in created} == {coordinator}


def test_a_phrase_changed_after_the_preview_is_shown_again(client, coordinator, plan, stp):
    client = client_for(client, coordinator)
    url = reverse("workflow:task_add", args=[plan.pk])
    data = {"title": "Việc mới", "due_text": "tháng 8/2022", "lead_agencies": [stp.pk]}
    response = client.post(url, {**data, "previewed": "tháng 7/2022"})
    assert "tháng 8/2022 (31/08/2022)" in response.content.decode()
    assert not Task.objects.exists()


def test_recurring_phrase_gives_one_assignment_per_period(client, coordinator, plan, stp):
    _, saved = _add_task(
        client_for(client, coordinator),
        plan,
        title="Báo cáo tình hình",
        due_text="định kỳ hằng quý",
        lead_agencies=[stp.pk],
    )
    assert saved.status_code == 302
    periods = list(Assignment.objects.order_by("due_date").values_list("period", "due_date"))
    assert periods == [
        ("Quý I/2022", date(2022, 3, 31)),
        ("Quý II/2022", date(2022, 6, 30)),
        ("Quý III/2022", date(2022, 9, 30)),
        ("Quý IV/2022", date(2022, 12, 31)),
    ]


def test_the_phrase_means_what_it_means_in_an_imported_plan(plan):
    # The parser's reading of a deadline column: "Quý II và Quý IV" are two deliveries,
    # "từ năm 2023" (open-ended) states no deadline.
    assert editing.read_due_phrase("Quý II và Quý IV/2022", year=2022).periods == (
        ("tháng 6/2022", date(2022, 6, 30)),
        ("tháng 12/2022", date(2022, 12, 31)),
    )
    assert editing.read_due_phrase("Thường xuyên", year=2022).due_date is None
    assert editing.read_due_phrase("trước ngày 15/8", year=2022).due_date == date(2022, 8, 15)
    with pytest.raises(workflow.WorkflowError):
        editing.read_due_phrase("từ năm 2023", year=2022)


def test_validation_messages_are_vietnamese(client, coordinator, plan):
    response = client_for(client, coordinator).post(
        reverse("workflow:task_add", args=[plan.pk]), {"title": "", "due_text": "sớm nhất có thể"}
    )
    body = response.content.decode()
    assert "Không hiểu thời hạn “sớm nhất có thể”" in body
    assert "Hãy chọn ít nhất một cơ quan chủ trì." in body
    assert "This field" not in body
    assert not Task.objects.exists()


# --- Editing a task ---------------------------------------------------------------------


def test_editing_a_task_is_in_every_assignment_history(client, coordinator, plan, stp, stc):
    a = make_assignment(plan=plan, agency=stp, title="Tên cũ")
    b = Assignment.objects.create(plan=plan, task=a.task, agency=stc, due_date=a.due_date)
    section = Section.objects.create(plan=plan, code="II")
    snv_other = make_agency("SXD", "Sở Xây dựng")
    client_for(client, coordinator).post(
        reverse("workflow:task_edit", args=[a.task.pk]),
        {
            "title": "Tên mới",
            "section": section.pk,
            "deliverable": "Báo cáo",
            "coordination_text": "",
            "coordinating_agencies": [snv_other.pk],
        },
    )
    task = Task.objects.get(pk=a.task.pk)
    assert (task.title, task.section, task.deliverable) == ("Tên mới", section, "Báo cáo")
    assert list(task.coordinating_agencies.all()) == [snv_other]
    for assignment in (a, b):
        events = {(e.kind, e.field, e.old_value, e.new_value) for e in assignment.events.all()}
        assert (Kind.TASK, "title", "Tên cũ", "Tên mới") in events
        assert (Kind.TASK, "section", "(không thuộc mục nào)", "II") in events
        assert (Kind.COORDINATION, "coordinating_agencies", "(không có)", "Sở Xây dựng") in events


def test_changing_the_due_phrase_moves_live_work_only(client, coordinator, plan, stp, stc):
    a = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31))
    done = Assignment.objects.create(
        plan=plan,
        task=a.task,
        agency=stc,
        due_date=date(2022, 7, 31),
        original_due_date=date(2022, 7, 31),
        status=Assignment.Status.DONE,
        completed_on=date(2022, 7, 1),
    )
    url = reverse("workflow:task_due", args=[a.task.pk])
    client = client_for(client, coordinator)
    preview = client.post(url, {"due_text": "Quý III/2022"})
    assert "Quý III/2022 (30/09/2022)" in preview.content.decode()
    assert Assignment.objects.get(pk=a.pk).due_date == date(2022, 7, 31)
    client.post(url, {"due_text": "Quý III/2022", "previewed": "Quý III/2022"})
    a.refresh_from_db()
    done.refresh_from_db()
    assert (a.original_due_date, a.due_date) == (date(2022, 9, 30), date(2022, 9, 30))
    assert done.due_date == date(2022, 7, 31)
    event = a.events.get(kind=Kind.DUE_DATE)
    assert (event.old_value, event.new_value) == (
        "tháng 7/2022 (31/07/2022)",
        "Quý III/2022 (30/09/2022)",
    )
    assert not done.events.filter(kind=Kind.DUE_DATE).exists()


def test_an_extension_past_the_new_date_is_kept(coordinator, plan, stp):
    a = make_assignment(
        plan=plan, agency=stp, due=date(2022, 10, 31), original_due=date(2022, 7, 31)
    )
    editing.change_task_due(
        task=a.task, actor=coordinator, due=editing.read_due_phrase("tháng 8/2022", year=2022)
    )
    a.refresh_from_db()
    assert (a.original_due_date, a.due_date) == (date(2022, 8, 31), date(2022, 10, 31))


def test_a_second_lead_agency_and_its_withdrawal(client, coordinator, a_stp, stc):
    client = client_for(client, coordinator)
    task = a_stp.task
    client.post(reverse("workflow:task_lead_add", args=[task.pk]), {"agency": stc.pk})
    added = Assignment.objects.get(task=task, agency=stc)
    assert added.due_date == a_stp.due_date
    assert added.events.get().kind == Kind.CREATED
    again = client.post(
        reverse("workflow:task_lead_add", args=[task.pk]), {"agency": stc.pk}, follow=True
    )
    assert "Sở Tài chính đã được giao nhiệm vụ này." in again.content.decode()
    url = reverse("workflow:task_lead_remove", args=[task.pk, added.pk])
    no_reason = client.post(url, {"version": added.version}, follow=True)
    assert "Trường này là bắt buộc." in no_reason.content.decode()
    client.post(url, {"version": added.version, "reason": "Giao nhầm"})
    added.refresh_from_db()
    assert added.status == Assignment.Status.WITHDRAWN
    assert added.events.get(kind=Kind.WITHDRAWN).note == "Giao nhầm"


# --- Removing a task -------------------------------------------------------------------


def test_an_untouched_task_is_deleted(client, coordinator, a_stp):
    response = client_for(client, coordinator).post(
        reverse("workflow:task_remove", args=[a_stp.task.pk])
    )
    assert response.status_code == 302
    assert not Task.objects.exists() and not Assignment.objects.exists()


def test_a_reported_task_asks_for_a_reason_and_keeps_its_history(
    client, coordinator, officer_stp, a_stp
):
    workflow.report_progress(assignment=a_stp, actor=officer_stp, note="Đã dự thảo")
    client = client_for(client, coordinator)
    url = reverse("workflow:task_remove", args=[a_stp.task.pk])
    assert "Lý do xóa" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert "hãy ghi lý do xóa" in refused.content.decode()
    client.post(url, {"reason": "Đã gộp vào nhiệm vụ 1.2"})
    a_stp.refresh_from_db()
    assert a_stp.status == Assignment.Status.WITHDRAWN
    assert a_stp.progress_notes.count() == 1
    kinds = list(a_stp.events.values_list("kind", flat=True))
    assert kinds == [Kind.PROGRESS, Kind.STATUS, Kind.WITHDRAWN]
    tasks_page = client.get(reverse("workflow:plan_tasks", args=[a_stp.plan.pk])).content.decode()
    assert "Đã xóa khỏi kế hoạch" in tasks_page


def test_a_withdrawn_plan_is_not_edited(coordinator, plan):
    workflow.withdraw_plan(plan=plan, actor=coordinator, reason="Thay bằng kế hoạch khác")
    with pytest.raises(workflow.WorkflowError):
        editing.add_section(plan=plan, actor=coordinator, code="1")


# --- Pages as data grow ---------------------------------------------------------------


def _grow(plan, agencies, n):
    for i in range(n):
        a = make_assignment(plan=plan, agency=agencies[i % 2], title=f"Việc {i}")
        Assignment.objects.create(plan=plan, task=a.task, agency=agencies[(i + 1) % 2])


@pytest.mark.parametrize("name", ["plan_tasks", "plan_bulk_agency"])
def test_editing_pages_cost_the_same_queries_as_data_grow(
    name, client, coordinator, plan, stp, stc, django_assert_max_num_queries
):
    client = client_for(client, coordinator)
    url = reverse(f"workflow:{name}", args=[plan.pk]) + f"?co_quan={stp.pk}"
    _grow(plan, [stp, stc], 2)
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
        count = len(small.captured_queries)
    _grow(plan, [stp, stc], 30)
    client.get(url)  # the signed-in user is cached per data generation, which moved
    with django_assert_max_num_queries(count):
        response = client.get(url)
    assert len(re.findall("Việc 2[0-9]", response.content.decode())) >= 10


def test_task_edit_page_costs_the_same_queries_with_more_agencies(
    client, coordinator, a_stp, django_assert_max_num_queries
):
    client = client_for(client, coordinator)
    url = reverse("workflow:task_edit", args=[a_stp.task.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
        count = len(small.captured_queries)
    for i in range(10):
        agency = make_agency(f"X{i}", f"Cơ quan {i}")
        Assignment.objects.create(plan=a_stp.plan, task=a_stp.task, agency=agency)
    client.get(url)  # the signed-in user is cached per data generation, which moved
    with django_assert_max_num_queries(count):
        response = client.get(url)
    assert "Cơ quan 9" in response.content.decode()
