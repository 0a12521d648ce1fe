"""Once the data are cached, each of the busiest pages runs no query when seen
again, and one (the user, with membership and agency) when a colleague in the
same visibility scope first sees it. The plan a page shows, and the reports'
default plan, come from the cache under the user's visibility scope, so a plan
hidden from someone stays hidden even when someone else has cached it.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from planning.models import Plan
from tests.conftest import client_for
from tests.factories import make_assignment, make_plan, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
INBOX = reverse("workflow:inbox")


@pytest.fixture
def world(plan, stp, stc, frozen_today):
    make_assignment(plan=plan, agency=stp, due=date(2022, 6, 30), title="Việc quá hạn")
    make_assignment(plan=plan, agency=stc, due=date(2022, 9, 30), title="Việc sắp tới")
    draft = make_plan("999/KH-NHAP", status=Plan.Status.DRAFT, issued_on=date(2022, 8, 1))
    make_assignment(plan=draft, agency=stp, due=date(2022, 9, 30), title="Việc nháp")
    return plan, draft


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def _pages(world, persona):
    plan, _ = world
    assignment = plan.assignments.get(task__title="Việc quá hạn")
    pages = {
        "dashboard": DASHBOARD,
        "plan": plan.get_absolute_url(),
        "assignment": assignment.get_absolute_url(),
    }
    if persona == "officer_stp":
        pages["inbox"] = INBOX
    return pages


@pytest.mark.parametrize("persona", ["coordinator", "viewer", "officer_stp"])
def test_a_page_seen_again_runs_no_query(
    request, client, world, persona, django_assert_num_queries
):
    """The user and the page both come from the cache (agencies/backends.py,
    config/caching/pages.py)."""
    client_for(client, request.getfixturevalue(persona))
    for name, url in _pages(world, persona).items():
        first = client.get(url)
        assert first.status_code == 200, name
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200, name
        assert second.content == first.content.replace(
            _token(first).encode(), _token(second).encode()
        ), name


@pytest.mark.parametrize("persona", ["coordinator", "viewer", "officer_stp"])
def test_a_colleagues_first_views_run_only_the_user_query(
    request, client, world, persona, stp, snv, django_assert_max_num_queries
):
    """A colleague in the same visibility scope has not seen the page yet: it is
    drawn for them, from the figures and lists the first one cached."""
    first_user = request.getfixturevalue(persona)
    colleague = make_user(
        f"{persona}.2", agency=first_user.membership.agency, role=first_user.membership.role
    )
    pages = _pages(world, persona)
    client_for(client, first_user)
    for url in pages.values():
        assert client.get(url).status_code == 200
    client_for(client, colleague)
    # The user, and the header's count of unread notices, once for all pages.
    with django_assert_max_num_queries(2) as captured:
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code == 200, name
            assert response.context is not None, name  # drawn, not the first user's page
            assert colleague.username in response.content.decode(), name
    assert "auth_user" in captured.captured_queries[0]["sql"]


def test_the_dashboard_defaults_to_an_active_plan_the_user_may_see(
    client, world, coordinator, viewer
):
    plan, _ = world
    client_for(client, coordinator)
    assert client.get(DASHBOARD).context["filters"].plan == plan  # not the newer draft
    client_for(client, viewer)  # draft plans are the coordinators' own
    assert client.get(DASHBOARD).context["filters"].plan == plan


def test_a_hidden_plan_stays_hidden_after_someone_cached_it(
    client, world, coordinator, viewer, officer_stc
):
    _, draft = world
    client_for(client, coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(DASHBOARD, {"ke_hoach": draft.pk}).context["filters"].plan == draft

    client_for(client, viewer)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "filters" not in client.get(DASHBOARD, {"ke_hoach": draft.pk}).context
    # Sở Tài chính has no work in the draft either, and none with this id.
    client_for(client, officer_stc)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/ke-hoach/abc/").status_code == 404
    assert "filters" not in client.get(DASHBOARD, {"ke_hoach": "abc"}).context


def test_a_renamed_plan_shows_its_new_title_at_once(
    client, world, coordinator, django_capture_on_commit_callbacks
):
    plan, _ = world
    client_for(client, coordinator)
    assert "Kế hoạch đổi tên" not in client.get(plan.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        plan.title = "Kế hoạch đổi tên"
        plan.save()
    assert "Kế hoạch đổi tên" in client.get(plan.get_absolute_url()).content.decode()


def test_the_menu_drawn_once_per_process_still_follows_role_and_agency(
    client, world, coordinator, viewer, officer_stp, officer_stc
):
    def menu(user):
        body = client_for(client, user).get(reverse("planning:plan_list")).content.decode()
        return body[body.index('<nav class="menu"') : body.index("</nav>")]

    for _ in range(2):  # drawn, then from the cache
        assert "Chờ duyệt" in menu(coordinator)
        assert "Chờ duyệt" not in menu(viewer) and "Cơ quan" in menu(viewer)
        stp_menu, stc_menu = menu(officer_stp), menu(officer_stc)
        assert "/co-quan/STP/" in stp_menu and "/co-quan/STC/" not in stp_menu
        assert "/co-quan/STC/" in stc_menu and "Chờ duyệt" not in stc_menu
