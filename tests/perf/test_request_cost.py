"""What every logged-in request pays: the session, the user, the membership.

Personas (tests/conftest.py): an officer of Sở Tư pháp, a coordinator of Sở
Nội vụ, a superuser with no membership, an account with no membership. The
session is read from the cache (cached_db) and the user comes with the
membership and agency joined in (agencies/backends.py), so a page pays one
query before its own work, and the access rules ask nothing more.
"""

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies import access
from agencies.backends import MembershipBackend
from agencies.models import Membership
from tests.conftest import client_for
from tests.factories import make_user

ACCOUNT = reverse("agencies:account")


def _tables(queries):
    return [q["sql"] for q in queries]


def test_a_logged_in_page_reads_the_session_from_the_cache_and_the_user_in_one_query(
    client, officer_stp
):
    client_for(client, officer_stp)  # the session is in the cache, the user not yet
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(ACCOUNT).status_code == 200
    sql = _tables(ctx.captured_queries)
    assert not [q for q in sql if "django_session" in q]
    touching_membership = [q for q in sql if "agencies_membership" in q]
    assert len(touching_membership) == 1
    assert "auth_user" in touching_membership[0] and "agencies_agency" in touching_membership[0]
    # Then both come from the cache.
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(ACCOUNT).status_code == 200
    sql = _tables(ctx.captured_queries)
    assert not [q for q in sql if "django_session" in q or "auth_user" in q]


@pytest.mark.parametrize("persona", ["officer_stp", "coordinator", "viewer"])
def test_access_rules_ask_nothing_more_of_a_user_from_the_backend(
    request, persona, stp, django_assert_num_queries
):
    expected = request.getfixturevalue(persona)
    user = MembershipBackend().get_user(expected.pk)
    with django_assert_num_queries(0):
        role = access.role_of(user)
        agency = access.agency_of(user)
        access.is_coordinator(user)
        access.sees_everything(user)
        access.can_view_agency(user, stp)
    assert role == expected.membership.role
    assert agency == expected.membership.agency


@pytest.mark.django_db
def test_a_superuser_without_membership_is_a_coordinator_without_extra_queries(
    django_assert_num_queries,
):
    boss = get_user_model().objects.create_superuser("quantri", password="mat-khau-thu-2022")
    user = MembershipBackend().get_user(boss.pk)
    with django_assert_num_queries(0):
        assert access.membership_of(user) is None
        assert access.agency_of(user) is None
        assert access.is_coordinator(user)


@pytest.mark.django_db
def test_an_account_without_membership_sees_no_agency_work(client, django_assert_num_queries):
    nobody = make_user("chua.phan.cong")
    user = MembershipBackend().get_user(nobody.pk)
    with django_assert_num_queries(0):
        assert access.role_of(user) is None
        assert access.agency_of(user) is None
        assert not access.sees_everything(user)
    response = client_for(client, nobody).get(reverse("planning:plan_list"))
    assert response.status_code == 200


def test_other_user_objects_still_find_their_membership(officer_stp, django_assert_num_queries):
    plain = get_user_model().objects.get(pk=officer_stp.pk)
    with django_assert_num_queries(1):
        assert access.agency_of(plain).code == "STP"
        assert access.role_of(plain) == Membership.Role.OFFICER


def test_an_inactive_account_is_logged_out(client, officer_stp):
    client_for(client, officer_stp)
    assert client.get(ACCOUNT).status_code == 200  # the user is cached now
    officer_stp.is_active = False
    officer_stp.save()
    assert MembershipBackend().get_user(officer_stp.pk) is None
    assert client.get(ACCOUNT).status_code == 302


def test_logout_ends_the_session_in_the_cache_and_the_database(client, officer_stp):
    client_for(client, officer_stp)
    key = client.cookies["sessionid"].value
    assert client.get(ACCOUNT).status_code == 200
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(f"django.contrib.sessions.cached_db{key}") is None
    client.cookies["sessionid"] = key  # the old cookie, replayed
    response = client.get(ACCOUNT)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_login_writes_the_session_through_to_the_database(client, officer_stp):
    response = client.post(
        reverse("login"), {"username": "canbo.stp", "password": "mat-khau-thu-2022"}
    )
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    session = Session.objects.get(session_key=key)
    assert session.get_decoded()[SESSION_KEY] == str(officer_stp.pk)
    cache.clear()  # Redis restarted: the session is read back from the database
    assert client.get(ACCOUNT).status_code == 200
