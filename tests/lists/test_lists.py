"""Filters and sorts of the five lists, from the URL (planning/listing.py).

Personas (tests/conftest.py): `coordinator` sees every list; `viewer` the plan
page and the agency list; `officer_stp` (Sở Tư pháp) the plan page (its own
rows) and its inbox; `officer_stc` nothing of Sở Tư pháp's. A filter value or
sort key the list does not declare is ignored, never passed to the database.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency
from notifications.models import Notification
from planning.models import Assignment, CompletionSubmission, ExtensionRequest, Task
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment, make_plan

pytestmark = pytest.mark.django_db

S = Assignment.Status
TODAY = date(2022, 7, 20)


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PAGE_CACHE_SECONDS = 0
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def plan(db):
    return make_plan("192/KH-UBND", title="Kế hoạch cải cách hành chính năm 2022")


@pytest.fixture
def rows(plan, stp, stc):
    """Four Sở Tư pháp and Sở Tài chính assignments, due and done at known dates."""
    found = {
        "a": make_assignment(
            plan=plan, agency=stp, title="An toàn thông tin", due=date(2022, 6, 30)
        ),
        "b": make_assignment(
            plan=plan,
            agency=stc,
            title="Báo cáo tài chính",
            due=date(2022, 8, 31),
            status=S.IN_PROGRESS,
        ),
        "c": make_assignment(
            plan=plan,
            agency=stp,
            title="Cải cách thủ tục",
            due=date(2022, 9, 30),
            status=S.DONE,
            completed_on=date(2022, 7, 1),
        ),
        "d": make_assignment(plan=plan, agency=stc, title="Đào tạo cán bộ", due=date(2022, 12, 31)),
    }
    for order, a in enumerate(found.values(), start=1):  # the plan's order: a, b, c, d
        Task.objects.filter(pk=a.task_id).update(order=order)
    return found


def titles(page) -> list[str]:
    return [str(a.task.title) for a in page.object_list]


# --- The plan page ------------------------------------------------------------------


def plan_page(client, user, plan, **params):
    response = client_for(client, user).get(plan.get_absolute_url(), params)
    assert response.status_code == 200
    return titles(response.context["page"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["An toàn thông tin", "Báo cáo tài chính", "Cải cách thủ tục", "Đào tạo cán bộ"]),
        ({"co_quan": "STP"}, ["An toàn thông tin", "Cải cách thủ tục"]),
        ({"trang_thai": "in_progress"}, ["Báo cáo tài chính"]),
        ({"trang_thai": "qua_han"}, ["An toàn thông tin"]),
        ({"qua_han": "1"}, ["An toàn thông tin"]),
        ({"han": "2022-08"}, ["Báo cáo tài chính"]),
        ({"han": "2022-q3"}, ["Báo cáo tài chính", "Cải cách thủ tục"]),
        (
            {"han": "2022"},
            ["An toàn thông tin", "Báo cáo tài chính", "Cải cách thủ tục", "Đào tạo cán bộ"],
        ),
        ({"han": "2021"}, []),
        ({"co_quan": "STC", "han": "2022-q4"}, ["Đào tạo cán bộ"]),
        # Values that do not parse are ignored, not an error.
        (
            {"han": "2022-13", "trang_thai": "bogus", "co_quan": "'; drop"},
            ["An toàn thông tin", "Báo cáo tài chính", "Cải cách thủ tục", "Đào tạo cán bộ"],
        ),
    ],
)
def test_plan_page_filters(client, coordinator, plan, rows, params, expected):
    assert plan_page(client, coordinator, plan, **params) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("nhiem_vu", "abcd"),
        ("-nhiem_vu", "dcba"),
        ("co_quan", "bdac"),  # Sở Tài chính before Sở Tư pháp, then the plan's order
        ("han", "abcd"),
        ("-han", "dcba"),
        ("trang_thai", "cbad"),  # done, in_progress, not_started (by value), then due date
        ("task__title", "abcd"),  # not a declared key: the default order
        ("-muc", "dcba"),
    ],
)
def test_plan_page_sorts(client, coordinator, plan, rows, sort, expected):
    got = plan_page(client, coordinator, plan, sap_xep=sort)
    by_title = {str(a.task.title): k for k, a in rows.items()}
    assert "".join(by_title[t] for t in got) == expected


def test_plan_page_links_keep_filters_and_sort(client, coordinator, plan, stp):
    for n in range(55):
        make_assignment(plan=plan, agency=stp, title=f"Việc {n:02}", due=date(2022, 8, 31))
    client_for(client, coordinator)
    response = client.get(plan.get_absolute_url(), {"co_quan": "STP", "sap_xep": "-nhiem_vu"})
    html = response.content.decode()
    assert "?co_quan=STP&amp;sap_xep=-nhiem_vu&amp;page=2" in html  # pagination
    assert 'href="?co_quan=STP&amp;sap_xep=nhiem_vu"' in html  # the header turns the sort
    assert 'aria-sort="descending"' in html
    assert '<input type="hidden" name="sap_xep" value="-nhiem_vu">' in html  # the filter form
    assert '<option value="STP" selected>' in html
    page2 = client.get(
        plan.get_absolute_url(), {"co_quan": "STP", "sap_xep": "-nhiem_vu", "page": 2}
    )
    assert titles(page2.context["page"]) == [f"Việc {n:02}" for n in range(4, -1, -1)]


def test_an_officer_filters_within_their_own_rows(client, officer_stp, plan, rows):
    assert plan_page(client, officer_stp, plan, co_quan="STC") == []
    assert plan_page(client, officer_stp, plan, qua_han="1") == ["An toàn thông tin"]


def test_plan_page_queries_stay_constant_when_filtered(client, coordinator, plan, stp):
    make_assignment(plan=plan, agency=stp, title="Một")
    client_for(client, coordinator)
    params = {"co_quan": "STP", "han": "2022", "sap_xep": "-han"}
    with CaptureQueriesContext(connection) as few:
        client.get(plan.get_absolute_url(), params)
    for n in range(30):
        make_assignment(plan=plan, agency=make_agency(), title=f"Việc {n}")
        make_assignment(plan=plan, agency=stp, title=f"Việc STP {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(plan.get_absolute_url(), {**params, "qua_han": "1"})
    assert len(many) <= len(few)


# --- The agency list ----------------------------------------------------------------


def agency_list(client, user, **params) -> list[str]:
    response = client_for(client, user).get(reverse("planning:agency_list"), params)
    assert response.status_code == 200
    return [agency.code for agency, _ in response.context["rows"]]


@pytest.fixture
def agencies(rows, plan, snv):
    other_plan = make_plan("5/KH-UBND")
    ward = make_agency("PBD", "UBND phường Bạch Đằng", kind=Agency.Kind.COMMUNE)
    make_assignment(plan=other_plan, agency=ward, due=date(2022, 5, 31), title="Việc phường")
    return other_plan


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"loai": "commune"}, ["PBD"]),
        ({"qua_han": "1", "sap_xep": "ten"}, ["STP", "PBD"]),  # Sở Tư pháp, phường (names: S < U)
        ({"han": "2022-q3", "sap_xep": "ten"}, ["STC", "STP"]),
        ({"han": "2022-05"}, ["PBD"]),
    ],
)
def test_agency_list_filters(client, coordinator, agencies, params, expected):
    assert agency_list(client, coordinator, **params) == expected


def test_agency_list_filters_by_plan(client, viewer, agencies, plan):
    assert agency_list(client, viewer, ke_hoach=agencies.pk) == ["PBD"]
    assert sorted(agency_list(client, viewer, ke_hoach=plan.pk)) == ["STC", "STP"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("ten", ["SNV", "STC", "STP", "PBD"]),  # Sở Nội vụ, Sở Tài chính, Sở Tư pháp, UBND…
        ("-ten", ["PBD", "STP", "STC", "SNV"]),
        # Turned, ties are turned too (names from Z to A).
        ("-tong", ["STP", "STC", "PBD", "SNV"]),  # 2, 2, 1 assignments, then none
        ("-qua_han", ["PBD", "STP", "STC", "SNV"]),  # 1, 1, 0 overdue, then none
        ("-ty_le", ["STP", "PBD", "STC", "SNV"]),  # 1 of 2 done, then 0 of 1, 0 of 2
        ("tong", ["SNV", "PBD", "STC", "STP"]),
    ],
)
def test_agency_list_sorts(client, coordinator, agencies, sort, expected):
    got = agency_list(client, coordinator, sap_xep=sort)
    assert got == expected


def test_agency_list_is_refused_to_officers(client, officer_stp, agencies):
    response = client_for(client, officer_stp).get(
        reverse("planning:agency_list"), {"loai": "commune"}
    )
    assert response.status_code == 404


# --- The inbox ------------------------------------------------------------------------


def inbox(client, user, **params) -> list[str]:
    response = client_for(client, user).get(reverse("workflow:inbox"), params)
    assert response.status_code == 200
    return [str(a.task.title) for section in response.context["sections"] for a in section["rows"]]


@pytest.fixture
def inbox_rows(plan, stp):
    other = make_plan("5/KH-UBND")
    make_assignment(plan=plan, agency=stp, title="Quá hạn A", due=date(2022, 6, 30))
    make_assignment(plan=other, agency=stp, title="Trong tháng B", due=date(2022, 7, 31))
    make_assignment(
        plan=plan, agency=stp, title="Sắp tới C", due=date(2022, 10, 31), status=S.IN_PROGRESS
    )
    make_assignment(plan=plan, agency=stp, title="Sắp tới D", due=date(2022, 9, 30))
    return other


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Quá hạn A", "Trong tháng B", "Sắp tới D", "Sắp tới C"]),
        ({"qua_han": "1"}, ["Quá hạn A"]),
        ({"trang_thai": "in_progress"}, ["Sắp tới C"]),
        ({"han": "2022-q3"}, ["Trong tháng B", "Sắp tới D"]),
        ({"sap_xep": "-nhiem_vu"}, ["Quá hạn A", "Trong tháng B", "Sắp tới D", "Sắp tới C"]),
        ({"sap_xep": "-han", "nhom": "sap-toi"}, ["Sắp tới C", "Sắp tới D"]),
        ({"sap_xep": "trang_thai", "nhom": "sap-toi"}, ["Sắp tới C", "Sắp tới D"]),
        ({"sap_xep": "nhiem_vu", "nhom": "sap-toi"}, ["Sắp tới C", "Sắp tới D"]),
    ],
)
def test_inbox_filters_and_sorts(client, officer_stp, inbox_rows, params, expected):
    assert inbox(client, officer_stp, **params) == expected


def test_inbox_filters_by_plan_and_keeps_the_group_in_links(client, officer_stp, inbox_rows):
    assert inbox(client, officer_stp, ke_hoach=inbox_rows.pk) == ["Trong tháng B"]
    html = client.get(
        reverse("workflow:inbox"), {"nhom": "qua-han", "qua_han": "1"}
    ).content.decode()
    assert 'href="?nhom=qua-han&amp;qua_han=1&amp;sap_xep=nhiem_vu"' in html  # a column header
    assert 'href="?qua_han=1&amp;nhom=sap-toi#sap-toi"' in html  # another group, same filters
    assert '<input type="hidden" name="nhom" value="qua-han">' in html  # the filter form


def test_inbox_sort_by_plan(client, officer_stp, inbox_rows):
    # 192/KH-UBND before 5/KH-UBND (as text), then the plan's order, then the due date.
    assert inbox(client, officer_stp, sap_xep="ke_hoach", nhom="sap-toi") == [
        "Sắp tới D",
        "Sắp tới C",
    ]
    assert inbox(client, officer_stp, sap_xep="-ke_hoach")[:2] == ["Quá hạn A", "Trong tháng B"]


# --- The review queue -----------------------------------------------------------------


@pytest.fixture
def queue(rows, officer_stp, coordinator):
    from planning.workflow import services as workflow

    plan2 = make_plan("5/KH-UBND")
    stp = rows["a"].agency
    late = make_assignment(plan=plan2, agency=stp, title="Gửi muộn", due=date(2022, 5, 31))
    for a in (rows["a"], late):
        workflow.submit_completion(
            assignment=a,
            actor=officer_stp,
            completed_on=date(2022, 5, 20),
            document_number="1/BC",
            document_date=date(2022, 5, 20),
        )
    stc_row = rows["b"]
    ExtensionRequest.objects.create(
        assignment=stc_row,
        requested_by=officer_stp,
        current_due_date=stc_row.due_date,
        requested_due_date=date(2022, 12, 31),
        reason="Chờ",
    )
    return plan2


def review(client, user, **params):
    response = client_for(client, user).get(reverse("workflow:review_queue"), params)
    assert response.status_code == 200
    return (
        [str(s.assignment.task.title) for s in response.context["submissions"]],
        [str(e.assignment.task.title) for e in response.context["extensions"]],
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, (["An toàn thông tin", "Gửi muộn"], ["Báo cáo tài chính"])),
        ({"co_quan": "STC"}, ([], ["Báo cáo tài chính"])),
        ({"han": "2022-05"}, (["Gửi muộn"], [])),
        ({"han": "2022-q3"}, ([], ["Báo cáo tài chính"])),
        ({"qua_han": "1"}, (["An toàn thông tin", "Gửi muộn"], [])),  # submitted late
        ({"sap_xep": "han"}, (["Gửi muộn", "An toàn thông tin"], ["Báo cáo tài chính"])),
        ({"sap_xep": "-gui"}, (["Gửi muộn", "An toàn thông tin"], ["Báo cáo tài chính"])),
        ({"sap_xep": "ke_hoach"}, (["An toàn thông tin", "Gửi muộn"], ["Báo cáo tài chính"])),
        ({"sap_xep": "-co_quan"}, (["Gửi muộn", "An toàn thông tin"], ["Báo cáo tài chính"])),
    ],
)
def test_review_queue_filters_and_sorts(client, coordinator, queue, params, expected):
    assert review(client, coordinator, **params) == expected


def test_review_queue_filters_by_plan(client, coordinator, queue):
    assert review(client, coordinator, ke_hoach=queue.pk) == (["Gửi muộn"], [])


def test_review_queue_overdue_counts_the_live_overdue(
    client, coordinator, queue, rows, officer_stp
):
    ExtensionRequest.objects.create(
        assignment=rows["d"],
        requested_by=officer_stp,
        current_due_date=rows["d"].due_date,
        requested_due_date=date(2023, 1, 31),
        reason="Chờ",
    )
    Assignment.objects.filter(pk=rows["d"].pk).update(due_date=date(2022, 7, 1))
    assert review(client, coordinator, qua_han="1") == (
        ["An toàn thông tin", "Gửi muộn"],
        ["Đào tạo cán bộ"],
    )


def test_review_queue_is_coordinators_only(client, officer_stp, viewer, queue):
    for user in (officer_stp, viewer):
        assert (
            client_for(client, user)
            .get(reverse("workflow:review_queue"), {"co_quan": "STP"})
            .status_code
            == 404
        )


def test_review_queue_paginates(client, coordinator, plan, stp, officer_stp):
    for n in range(52):
        a = make_assignment(plan=plan, agency=stp, title=f"Việc {n:02}")
        CompletionSubmission.objects.create(
            assignment=a,
            submitted_by=officer_stp,
            completed_on=date(2022, 7, 1),
            document_number=f"{n}/BC",
            document_date=date(2022, 7, 1),
        )
    response = client_for(client, coordinator).get(
        reverse("workflow:review_queue"), {"sap_xep": "-gui", "page": 2}
    )
    assert [str(s.assignment.task.title) for s in response.context["submissions"]] == [
        "Việc 01",
        "Việc 00",
    ]


def test_review_queue_queries_stay_constant(client, coordinator, plan, stp, officer_stp):
    def add(n):
        for i in range(n):
            a = make_assignment(plan=plan, agency=make_agency(), title=f"V{n}-{i}")
            CompletionSubmission.objects.create(
                assignment=a,
                submitted_by=officer_stp,
                completed_on=date(2022, 7, 1),
                document_number="1/BC",
                document_date=date(2022, 7, 1),
            )
            ExtensionRequest.objects.create(
                assignment=a,
                requested_by=officer_stp,
                current_due_date=a.due_date,
                requested_due_date=date(2022, 12, 31),
                reason="Chờ",
            )

    client_for(client, coordinator)
    add(1)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("workflow:review_queue"), {"sap_xep": "han", "han": "2022"})
    add(20)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("workflow:review_queue"), {"sap_xep": "han", "han": "2022"})
    assert len(many) == len(few)


# --- The reminder log -----------------------------------------------------------------


@pytest.fixture
def log(rows):
    from django.utils import timezone

    now = timezone.now()

    def note(kind, assignment, status, attempts, due):
        return Notification.objects.create(
            scope=f"a:{assignment.pk}",
            kind=kind,
            period=str(due),
            assignment=assignment,
            agency=assignment.agency,
            due_date=due,
            due_on=due,
            status=status,
            attempts=attempts,
            next_attempt_at=now,
        )

    K, St = Notification.Kind, Notification.Status
    return [
        note(K.OVERDUE, rows["a"], St.SENT, 1, date(2022, 6, 30)),
        note(K.DUE_SOON, rows["b"], St.FAILED, 5, date(2022, 8, 31)),
        note(K.DUE_SOON, rows["d"], St.PENDING, 0, date(2022, 12, 31)),
    ]


def log_page(client, user, **params) -> list[int]:
    response = client_for(client, user).get(reverse("notifications:log"), params)
    assert response.status_code == 200
    return [n.pk for n in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [2, 1, 0]),  # newest first
        ({"trang_thai": "failed"}, [1]),
        ({"loai": "due_soon"}, [2, 1]),
        ({"co_quan": "STP"}, [0]),
        ({"han": "2022-q3"}, [1]),
        ({"qua_han": "1"}, [0]),
        ({"sap_xep": "-so_lan"}, [2, 0, 1]),  # fewest attempts first when turned
        ({"sap_xep": "so_lan"}, [1, 0, 2]),
        ({"sap_xep": "han"}, [0, 1, 2]),
        ({"sap_xep": "co_quan"}, [2, 1, 0]),  # Sở Tài chính before Sở Tư pháp
        ({"sap_xep": "-tao"}, [0, 1, 2]),
        ({"sap_xep": "gui"}, [2, 1, 0]),
        ({"loai": "bogus", "sap_xep": "pk"}, [2, 1, 0]),
    ],
)
def test_reminder_log_filters_and_sorts(client, coordinator, log, params, expected):
    assert log_page(client, coordinator, **params) == [log[i].pk for i in expected]


def test_reminder_log_filters_by_plan(client, coordinator, log, plan):
    other = make_plan("5/KH-UBND")
    assert log_page(client, coordinator, ke_hoach=plan.pk) == [n.pk for n in reversed(log)]
    assert log_page(client, coordinator, ke_hoach=other.pk) == []
