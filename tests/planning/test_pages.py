"""Plan and agency pages: who sees what, and constant queries as data grows."""

from datetime import date

import pytest
from django.urls import reverse

from planning.models import Assignment, Task
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment, make_plan


@pytest.fixture
def plan_with(stp, stc):
    """A plan with one Sở Tư pháp and one Sở Tài chính assignment."""
    plan = make_plan("10/KH-UBND")
    a_stp = make_assignment(plan=plan, agency=stp, title="Rà soát văn bản quy phạm pháp luật")
    a_stc = make_assignment(plan=plan, agency=stc, title="Hướng dẫn chi trả chế độ")
    return plan, a_stp, a_stc


def test_anonymous_is_sent_to_login(client, plan_with):
    plan, a_stp, _ = plan_with
    for url in [reverse("planning:plan_list"), plan.get_absolute_url(), a_stp.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_officer_cannot_open_another_agencys_assignment(client, officer_stc, plan_with):
    _, a_stp, a_stc = plan_with
    client_for(client, officer_stc)
    assert client.get(a_stc.get_absolute_url()).status_code == 200
    assert client.get(a_stp.get_absolute_url()).status_code == 404
    assert client.get(reverse("planning:agency_detail", args=["STP"])).status_code == 404
    assert client.get(reverse("planning:agency_list")).status_code == 404


def test_officer_sees_only_own_rows_on_plan_page(client, officer_stc, plan_with):
    plan, _, _ = plan_with
    response = client_for(client, officer_stc).get(plan.get_absolute_url())
    body = response.content.decode()
    assert "Hướng dẫn chi trả chế độ" in body
    assert "Rà soát văn bản quy phạm pháp luật" not in body
    assert "Sở Tư pháp" not in body


def test_officer_of_an_agency_without_work_does_not_see_the_plan(client, plan_with):
    from tests.factories import make_user

    other = make_user("canbo.khac", agency=make_agency("SYT", "Sở Y tế"))
    plan, _, _ = plan_with
    assert client_for(client, other).get(plan.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator", "viewer"])
def test_coordinator_and_viewer_see_everything(client, request, persona, plan_with):
    plan, a_stp, _ = plan_with
    client_for(client, request.getfixturevalue(persona))
    body = client.get(plan.get_absolute_url()).content.decode()
    assert "Sở Tư pháp" in body and "Sở Tài chính" in body
    assert client.get(a_stp.get_absolute_url()).status_code == 200
    assert client.get(reverse("planning:agency_list")).status_code == 200


def test_plan_page_shows_rollup_and_due_month(client, coordinator, stp):
    plan = make_plan()
    for i in range(5):
        make_assignment(
            plan=plan,
            agency=stp,
            due=date(2022, 7, 31),
            status=Assignment.Status.DONE if i < 3 else Assignment.Status.IN_PROGRESS,
            completed_on=date(2022, 7, 1) if i < 3 else None,
        )
    body = client_for(client, coordinator).get(plan.get_absolute_url()).content.decode()
    assert "3/5 (60,00%)" in body
    assert "tháng 7/2022" in body


def _grow(plan, agencies, n):
    tasks = Task.objects.bulk_create(
        Task(plan=plan, title=f"Nhiệm vụ số {i}", due_date=date(2022, 1 + i % 12, 28))
        for i in range(n)
    )
    Assignment.objects.bulk_create(
        Assignment(
            plan=plan,
            task=t,
            agency=agencies[i % len(agencies)],
            due_date=t.due_date,
            original_due_date=t.due_date,
        )
        for i, t in enumerate(tasks)
    )


@pytest.mark.parametrize("persona", ["coordinator", "officer_stp"])
def test_plan_page_queries_do_not_grow(
    client, request, persona, stp, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    plan = make_plan()
    agencies = [stp, *(make_agency() for _ in range(7))]
    client_for(client, user)
    _grow(plan, agencies, 34)
    with django_assert_max_num_queries(12) as small:
        assert client.get(plan.get_absolute_url()).status_code == 200
    _grow(plan, agencies, 2000 - 34)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(plan.get_absolute_url() + "?page=3")
    assert response.status_code == 200


def test_agency_and_plan_list_queries_do_not_grow(
    client, coordinator, stp, django_assert_max_num_queries
):
    client_for(client, coordinator)
    plan = make_plan()
    _grow(plan, [stp], 20)
    urls = [
        reverse("planning:plan_list"),
        reverse("planning:agency_list"),
        reverse("planning:agency_detail", args=["STP"]),
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(12) as ctx:
            client.get(url)
        counts.append(len(ctx.captured_queries))
    _grow(make_plan(), [stp, make_agency()], 500)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_home_sends_officer_to_own_agency_inbox(client, officer_stp):
    response = client_for(client, officer_stp).get(reverse("home"))
    assert response.url == reverse("workflow:inbox")


def test_login_page_is_vietnamese(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in body and "Mật khẩu" in body
