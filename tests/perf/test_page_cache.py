"""A page seen again comes whole from the cache (config/caching/pages.py), and the
cached user behind it (agencies/backends.py) follows every change that matters.

Personas: `officer_stp` and a colleague of Sở Tư pháp, `officer_stc` of Sở Tài
chính, the `coordinator`. In the test client a drawn page has a `context`; a
page from the cache has none, which is how these tests tell them apart.
"""

import re
import zoneinfo
from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from agencies.models import Membership
from config.caching.pages import CSRF_PLACEHOLDER
from tests.conftest import client_for
from tests.factories import make_assignment, make_user

pytestmark = pytest.mark.django_db

INBOX = reverse("workflow:inbox")
DASHBOARD = reverse("reports:dashboard")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def work(plan, stp, stc, frozen_today):
    mine = make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Rà soát TTHC")
    theirs = make_assignment(plan=plan, agency=stc, due=date(2022, 7, 31), title="Việc của STC")
    return mine, theirs


def cached(response) -> bool:
    return response.context is None


def test_a_page_from_the_cache_carries_this_sessions_csrf_token(work, officer_stp):
    mine, _ = work
    url = mine.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):  # two browsers, one person
        browser.force_login(officer_stp)
    assert not cached(first.get(url))
    page = second.get(url)
    assert cached(page)
    html = page.content.decode()
    assert CSRF_PLACEHOLDER not in html
    assert "csrftoken" in page.cookies  # the second browser gets its own CSRF cookie
    progress = reverse("workflow:report_progress", args=[mine.pk])
    token = TOKEN.search(html)[1]
    form_token = re.search(r'name="token" value="([^"]+)"', html)[1]
    response = second.post(
        progress, {"csrfmiddlewaretoken": token, "note": "Đã họp rà soát", "token": form_token}
    )
    assert response.status_code == 302
    assert mine.progress_notes.get().note == "Đã họp rà soát"
    # The forms of the first browser's page stay its own: without its cookie, refused.
    third = Client(enforce_csrf_checks=True)
    third.force_login(officer_stp)
    refused = third.post(progress, {"csrfmiddlewaretoken": token, "note": "x"})
    assert refused.status_code == 403


def test_a_message_is_shown_once_then_the_page_comes_from_the_cache(client, work, officer_stp):
    mine, _ = work
    url = mine.get_absolute_url()
    client_for(client, officer_stp)
    client.get(url)
    assert cached(client.get(url))
    # An empty progress report changes nothing and leaves an error message.
    client.post(reverse("workflow:report_progress", args=[mine.pk]), {"note": ""})
    with_message = client.get(url)
    assert not cached(with_message)
    assert 'class="messages"' in with_message.content.decode()
    again = client.get(url)
    assert cached(again)
    assert 'class="messages"' not in again.content.decode()


def test_each_user_gets_their_own_page(client, work, officer_stp, stp):
    colleague = make_user("canbo2.stp", agency=stp, role=Membership.Role.OFFICER)
    client_for(client, officer_stp)
    client.get(INBOX)
    page = client_for(client, colleague).get(INBOX)
    assert not cached(page)
    assert "canbo2.stp" in page.content.decode() and "canbo.stp<" not in page.content.decode()


def test_a_new_day_draws_the_page_afresh(client, work, officer_stp):
    mine, _ = work
    url = mine.get_absolute_url()
    client_for(client, officer_stp)
    hanoi = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(datetime(2022, 7, 20, 23, 58, tzinfo=hanoi), tick=False):
        assert "còn 11 ngày" in client.get(url).content.decode()
        assert cached(client.get(url))
    # Three minutes later, well within the page's lifetime in the cache.
    with time_machine.travel(datetime(2022, 7, 21, 0, 1, tzinfo=hanoi), tick=False):
        tomorrow = client.get(url)
    assert not cached(tomorrow) and "còn 10 ngày" in tomorrow.content.decode()


def test_a_write_draws_the_page_afresh(
    client, work, officer_stp, django_capture_on_commit_callbacks
):
    mine, _ = work
    url = mine.get_absolute_url()
    client_for(client, officer_stp)
    client.get(url)
    assert cached(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        mine.task.title = "Rà soát, công bố TTHC"
        mine.task.save()
    renamed = client.get(url)
    assert not cached(renamed) and "Rà soát, công bố TTHC" in renamed.content.decode()


def test_only_the_parameters_a_view_reads_are_cached(client, work, officer_stp):
    client_for(client, officer_stp)
    for query in ({"nhom": "qua-han"}, {"page": "2"}):
        client.get(INBOX, query)
        assert cached(client.get(INBOX, query)), query
    client.get(INBOX, {"x": "1"})
    assert not cached(client.get(INBOX, {"x": "1"}))  # made up: drawn every time
    client.get(INBOX, {"page": "9" * 600})
    assert not cached(client.get(INBOX, {"page": "9" * 600}))  # too long to be ours


def test_a_page_forbidden_to_someone_is_not_served_to_them_from_anyone_elses_cache(
    client, work, officer_stp, officer_stc, coordinator
):
    mine, _ = work
    client_for(client, coordinator)
    client.get(mine.get_absolute_url())
    client_for(client, officer_stp)
    client.get(mine.get_absolute_url())
    client_for(client, officer_stc)
    assert client.get(mine.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 404


def test_a_membership_moved_by_a_bulk_update_takes_effect_on_the_next_request(
    client, work, officer_stp, stc
):
    mine, theirs = work
    client_for(client, officer_stp)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    Membership.objects.filter(user=officer_stp).update(agency=stc)
    assert client.get(mine.get_absolute_url()).status_code == 404
    assert client.get(theirs.get_absolute_url()).status_code == 200


def test_a_demoted_coordinator_loses_the_coordinators_pages_at_once(client, work, coordinator):
    client_for(client, coordinator)
    review_queue = reverse("workflow:review_queue")
    assert client.get(review_queue).status_code == 200
    membership = coordinator.membership
    membership.role = Membership.Role.VIEWER
    membership.save()
    assert client.get(review_queue).status_code == 404  # hidden, as from every viewer


def test_a_changed_password_ends_other_sessions_at_once(client, work, officer_stp):
    client_for(client, officer_stp)
    assert client.get(INBOX).status_code == 200
    user = get_user_model().objects.get(pk=officer_stp.pk)
    user.set_password("mat-khau-moi-2022")
    user.save()
    response = client.get(INBOX)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_page_cache_can_be_turned_off(client, work, officer_stp, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client_for(client, officer_stp)
    client.get(INBOX)
    assert not cached(client.get(INBOX))
