"""Who is told what in "Thông báo", the header count, marking read, e-mail by choice.

Personas: see conftest.py. Workflow steps go through `planning.workflow.services`
(what the pages and the API call); what people see goes through the pages.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from agencies.models import Membership
from notifications.models import Notice, Notification
from notifications.sweep import sweep
from planning.models import AssignmentEvent, Plan
from planning.services import TaskSpec, add_tasks
from planning.signals import announce
from planning.workflow import services as workflow
from tests.conftest import client_for
from tests.factories import make_assignment, make_user

pytestmark = pytest.mark.django_db

NOTICES = reverse("notifications:notices")


def submit(assignment, officer):
    return workflow.submit_completion(
        assignment=assignment,
        actor=officer,
        completed_on=date(2022, 7, 18),
        document_number="123/BC-STP",
        document_date=date(2022, 7, 18),
    )


def page_of(client, user) -> str:
    return client_for(client, user).get(NOTICES).content.decode()


def kinds_of(user) -> list[str]:
    return list(Notice.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def header_count(html: str) -> str:
    marker = 'aria-label="'
    start = html.find(marker, html.find('class="notice-count"'))
    end = html.find(" chưa đọc", start)
    return html[start + len(marker) : end] if start != -1 and end != -1 else "0"


def test_a_new_assignment_is_told_to_the_lead_agencys_officers_only(
    client, plan, stp, stc, coordinator, officer_stp, officer_stc, viewer
):
    add_tasks(
        plan=plan,
        specs=[TaskSpec(title="Số hóa hồ sơ hộ tịch", lead_agencies=[stp])],
        actor=coordinator,
    )
    assert kinds_of(officer_stp) == [Notice.Kind.ASSIGNED]
    assert kinds_of(officer_stc) == kinds_of(viewer) == kinds_of(coordinator) == []
    html = page_of(client, officer_stp)
    assert "Nhiệm vụ mới được giao" in html
    assert "Số hóa hồ sơ hộ tịch" in html
    assert header_count(html) == "1"


def test_officers_are_not_told_of_a_draft_plans_work(plan, stp, coordinator, officer_stp):
    plan.status = Plan.Status.DRAFT
    plan.save(update_fields=["status"])
    add_tasks(plan=plan, specs=[TaskSpec(title="Việc nháp", lead_agencies=[stp])])
    assert kinds_of(officer_stp) == []


def test_a_return_tells_the_officer_the_reason_and_not_the_coordinator(
    client, a_stp, coordinator, officer_stp, frozen_today
):
    submission = submit(a_stp, officer_stp)
    workflow.return_completion(
        submission=submission, actor=coordinator, reason="Thiếu văn bản kiểm chứng", notify=False
    )
    assert kinds_of(officer_stp) == [Notice.Kind.RETURNED]
    assert kinds_of(coordinator) == [Notice.Kind.SUBMITTED]  # the report, not their own return
    html = page_of(client, officer_stp)
    assert "Báo cáo hoàn thành bị trả lại" in html
    assert "Lý do: Thiếu văn bản kiểm chứng" in html


def test_acceptance_extension_decisions_and_requests(
    a_stp, plan, stp, coordinator, officer_stp, frozen_today
):
    request = workflow.request_extension(
        assignment=a_stp, actor=officer_stp, requested_due_date=date(2022, 9, 30), reason="Chờ"
    )
    workflow.decide_extension(request=request, actor=coordinator, approve=True)
    other = make_assignment(plan=plan, agency=stp, title="Việc khác")
    rejected = workflow.request_extension(
        assignment=other, actor=officer_stp, requested_due_date=date(2022, 9, 30), reason="Chờ"
    )
    workflow.decide_extension(request=rejected, actor=coordinator, approve=False)
    workflow.accept_completion(submission=submit(a_stp, officer_stp), actor=coordinator)
    assert kinds_of(officer_stp) == [
        Notice.Kind.EXTENSION_APPROVED,
        Notice.Kind.EXTENSION_REJECTED,
        Notice.Kind.ACCEPTED,
    ]
    assert kinds_of(coordinator) == [
        Notice.Kind.EXTENSION_REQUESTED,
        Notice.Kind.EXTENSION_REQUESTED,
        Notice.Kind.SUBMITTED,
    ]
    approved = Notice.objects.get(user=officer_stp, kind=Notice.Kind.EXTENSION_APPROVED)
    assert approved.detail == "Hạn: 31/07/2022 → 30/09/2022"


def test_a_changed_deadline_is_told_once_per_event(a_stp, coordinator, officer_stp):
    event = AssignmentEvent.objects.create(
        assignment=a_stp,
        actor=coordinator,
        kind=AssignmentEvent.Kind.DUE_DATE,
        field="due_date",
        old_value="tháng 7/2022",
        new_value="tháng 8/2022",
    )
    announce([event])
    announce([event])  # announced twice (a retried import): still one notice
    notice = Notice.objects.get(user=officer_stp)
    assert (notice.kind, notice.detail) == (
        Notice.Kind.DUE_CHANGED,
        "Hạn: tháng 7/2022 → tháng 8/2022",
    )


def test_an_escalation_tells_the_coordinators_once(stp, plan, coordinator, officer_stp):
    from tests.notifications.conftest import sweep_at

    for user, address in ((coordinator, "dieuphoi@snv.example"), (officer_stp, "cb@stp.example")):
        user.email = address
        user.save(update_fields=["email"])
    make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Việc quá hạn")
    for day in (date(2022, 8, 1), date(2022, 8, 8), date(2022, 8, 15), date(2022, 8, 16)):
        sweep_at(day)
    notice = Notice.objects.get(user=coordinator)
    assert notice.kind == Notice.Kind.ESCALATED
    assert notice.summary == "Sở Tư pháp: 1 nhiệm vụ quá hạn sau 3 lần nhắc"
    assert kinds_of(officer_stp) == []


# --- Reading and marking ----------------------------------------------------------


@pytest.fixture
def three_notices(plan, stp, coordinator, officer_stp):
    add_tasks(
        plan=plan,
        specs=[TaskSpec(title=f"Nhiệm vụ số {n}", lead_agencies=[stp]) for n in (1, 2, 3)],
        actor=coordinator,
    )
    return list(Notice.objects.filter(user=officer_stp).order_by("pk"))


def test_mark_one_read_then_all_and_the_header_follows(client, three_notices, officer_stp):
    client_for(client, officer_stp)
    assert header_count(client.get(NOTICES).content.decode()) == "3"
    first = three_notices[0]
    response = client.post(reverse("notifications:notice_read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert header_count(client.get(NOTICES).content.decode()) == "2"
    assert "Nhiệm vụ số 1" not in client.get(NOTICES, {"chua_doc": "1"}).content.decode()
    client.post(reverse("notifications:notice_read_all"))
    assert not Notice.objects.filter(user=officer_stp, read_at__isnull=True).exists()
    assert header_count(client.get(NOTICES).content.decode()) == "0"


def test_a_cached_page_shows_the_new_count_after_marking_read(client, three_notices, officer_stp):
    client_for(client, officer_stp)
    home = reverse("workflow:inbox")
    assert header_count(client.get(home).content.decode()) == "3"
    assert client.get(home).context is None  # served from the page cache
    client.post(reverse("notifications:notice_read", args=[three_notices[0].pk]))
    assert header_count(client.get(home).content.decode()) == "2"


def test_nobody_marks_or_reads_anothers_notices(client, three_notices, officer_stc):
    client_for(client, officer_stc)
    response = client.post(reverse("notifications:notice_read", args=[three_notices[0].pk]))
    assert response.status_code == 404
    assert Notice.objects.get(pk=three_notices[0].pk).read_at is None
    assert "Nhiệm vụ số 1" not in client.get(NOTICES).content.decode()
    client.post(reverse("notifications:notice_read_all"))
    assert Notice.objects.filter(read_at__isnull=True).count() == 3


def test_anonymous_visitors_are_sent_to_sign_in(client, three_notices):
    for response in (
        client.get(NOTICES),
        client.post(reverse("notifications:notice_read", args=[three_notices[0].pk])),
        client.post(reverse("notifications:notice_read_all")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("notifications:notice_read", args=[1])).status_code == 302


def test_marking_read_is_post_only(client, three_notices, officer_stp):
    client_for(client, officer_stp)
    url = reverse("notifications:notice_read", args=[three_notices[0].pk])
    assert client.get(url).status_code == 405


def test_the_list_and_the_header_cost_the_same_queries_as_notices_grow(
    client, plan, stp, coordinator, officer_stp, django_assert_max_num_queries
):
    def specs(n):
        return [TaskSpec(title=f"Việc {n}-{i}", lead_agencies=[stp]) for i in range(n)]

    client_for(client, officer_stp)
    add_tasks(plan=plan, specs=specs(2), actor=coordinator)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(NOTICES)
    add_tasks(plan=plan, specs=specs(40), actor=coordinator)
    with django_assert_max_num_queries(len(few)):
        html = client.get(NOTICES).content.decode()
    assert header_count(html) == "42"


def test_a_warm_page_reads_the_count_from_the_cache(
    client, three_notices, officer_stp, django_assert_num_queries
):
    client_for(client, officer_stp)
    client.get(NOTICES)
    from notifications.notices import unread_count

    with django_assert_num_queries(0):
        assert unread_count(officer_stp) == 3


# --- E-mail, by the user's choice -------------------------------------------------


def wants_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    Membership.objects.filter(user=user).update(email_notices=True)


def test_notices_are_emailed_once_to_those_who_chose_it(
    a_stp, coordinator, officer_stp, officer_stc, frozen_today
):
    wants_email(officer_stp, "canbo.stp@cchc.example")
    coordinator.email = "dieuphoi@snv.example"  # has an address, did not choose e-mail
    coordinator.save(update_fields=["email"])
    request = workflow.request_extension(
        assignment=a_stp, actor=officer_stp, requested_due_date=date(2022, 9, 30), reason="Chờ"
    )
    workflow.decide_extension(request=request, actor=coordinator, approve=True)
    sweep(today=date(2022, 7, 20))
    sweep(today=date(2022, 7, 20))
    notices = [m for m in mail.outbox if m.subject.startswith("[Thông báo]")]
    assert [(m.to, m.subject) for m in notices] == [
        (
            ["canbo.stp@cchc.example"],
            "[Thông báo] Đề nghị gia hạn được chấp thuận: Rà soát thủ tục hành chính",
        )
    ]
    assert "https://cchc.example.gov.vn/nhiem-vu/" in notices[0].body
    row = Notification.objects.get(kind=Notification.Kind.NOTICE)
    assert row.status == Notification.Status.SENT


def test_a_return_is_not_emailed_twice(a_stp, coordinator, officer_stp, frozen_today):
    wants_email(officer_stp, "canbo.stp@cchc.example")
    submission = submit(a_stp, officer_stp)
    with pytest.MonkeyPatch.context():
        workflow.return_completion(submission=submission, actor=coordinator, reason="Thiếu")
    sweep(today=date(2022, 7, 20))
    assert not Notification.objects.filter(kind=Notification.Kind.NOTICE).exists()
    assert Notice.objects.filter(user=officer_stp, kind=Notice.Kind.RETURNED).exists()


def test_the_account_page_sets_the_choice(client, officer_stp):
    client_for(client, officer_stp)
    response = client.post(
        reverse("agencies:account"), {"email": "canbo@stp.example", "email_notices": "on"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=officer_stp).email_notices is True
    form = client.get(reverse("agencies:account")).context["form"]
    assert form.initial["email_notices"] is True
    client.post(reverse("agencies:account"), {"email": "canbo@stp.example"})
    assert Membership.objects.get(user=officer_stp).email_notices is False


def test_a_user_without_notices_sees_an_empty_page(client, viewer):
    html = page_of(client, viewer)
    assert "Chưa có thông báo nào." in html
    assert header_count(html) == "0"


def test_a_notice_of_another_kind_of_user(plan, stp, coordinator):
    colleague = make_user("canbo2.stp", agency=stp, role=Membership.Role.OFFICER)
    add_tasks(plan=plan, specs=[TaskSpec(title="Việc chung", lead_agencies=[stp])])
    assert kinds_of(colleague) == [Notice.Kind.ASSIGNED]
