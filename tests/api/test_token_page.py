"""The coordinators' token page: only coordinators; the key is shown once."""

from __future__ import annotations

import pytest

from planning.api.models import ApiToken
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/ma-truy-cap-api/"


@pytest.mark.parametrize("persona", ["viewer", "officer_stp"])
def test_only_coordinators_see_the_token_page(client, request, persona):
    client_for(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"name": "X"}).status_code == 404
    assert not ApiToken.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    assert client.get(URL).status_code == 302


def test_a_coordinator_makes_a_token_sees_it_once_and_revokes_it(client, coordinator, stp):
    client_for(client, coordinator)
    assert "Chưa có hệ thống nào" in client.get(URL).content.decode()
    response = client.post(URL, {"name": "Một cửa STP", "agency": stp.pk, "can_write": "on"})
    html = response.content.decode()
    token = ApiToken.objects.get()
    key = html.split('<code class="secret">')[1].split("</code>")[0]
    assert key.startswith("cchc_") and token.prefix in key
    assert token.created_by == coordinator and token.agency == stp and token.can_write
    listing = client.get(URL).content.decode()
    assert "Một cửa STP" in listing and key not in listing and "Chưa dùng" in listing
    from tests.api.conftest import TokenClient

    system = TokenClient(key)
    assert system.get("/api/v1/plans/").status_code == 200
    confirm = client.get(f"/ma-truy-cap-api/{token.pk}/thu-hoi/")
    assert "Thu hồi mã truy cập của “Một cửa STP”?" in confirm.content.decode()
    assert system.get("/api/v1/plans/").status_code == 200  # asking is not revoking
    client.post(f"/ma-truy-cap-api/{token.pk}/thu-hoi/")
    assert system.get("/api/v1/plans/").status_code == 401
    assert "Đã thu hồi" in client.get(URL).content.decode()


def test_a_write_token_without_an_agency_is_refused_with_a_message(client, coordinator):
    client_for(client, coordinator)
    response = client.post(URL, {"name": "Báo cáo", "can_write": "on"})
    assert response.status_code == 200
    assert "phải gắn với một cơ quan" in response.content.decode()
    assert not ApiToken.objects.exists()
