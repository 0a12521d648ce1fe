"""Which plan the dashboard opens on.

A leader once saw "0/1 (0,00%)": the dashboard opened on the newest plan, a
bogus one with a single task. It now opens on the user's last choice, else
the active plan with the most assignments; "Tất cả kế hoạch" is one click.
Personas: `coordinator` sees drafts too, `viewer` reads every non-draft plan,
`officer_stp` the plans giving Sở Tư pháp work.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from planning.models import Plan
from tests.conftest import client_for
from tests.factories import make_assignment, make_plan

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")


@pytest.fixture
def plans(stp, stc):
    """KH 192 with 5 tasks, an older plan with 3, a draft with 8, and a bogus
    plan created last, issued later, with one task."""
    kh192 = make_plan("192/KH-UBND", issued_on=date(2022, 7, 8))
    older = make_plan("50/KH-UBND", issued_on=date(2022, 2, 1))
    draft = make_plan("999/KH-NHAP", status=Plan.Status.DRAFT, issued_on=date(2022, 9, 1))
    for plan, count in ((kh192, 5), (older, 3), (draft, 8)):
        for i in range(count):
            make_assignment(plan=plan, agency=stp if i % 2 else stc, title=f"{plan.number} {i}")
    bogus = make_plan("1/KH-THU", year=2023, issued_on=date(2023, 1, 2))
    make_assignment(plan=bogus, agency=stp, title="Việc thử")
    return {"kh192": kh192, "older": older, "draft": draft, "bogus": bogus}


def shown(client, **params):
    """The plan selected in the filter (read from the page: it may come from
    the page cache, without a context)."""
    response = client.get(DASHBOARD, params, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    select = body[body.index('<select name="ke_hoach"') : body.index("</select>")]
    pk = re.search(r'<option value="(\d*)" selected>', select)[1]
    return Plan.objects.get(pk=pk) if pk else None


@pytest.mark.parametrize("persona", ["coordinator", "viewer", "officer_stp"])
def test_opens_on_the_active_plan_with_the_most_assignments(client, request, persona, plans):
    client_for(client, request.getfixturevalue(persona))
    assert shown(client) == plans["kh192"]


def test_an_officer_counts_the_own_agencys_assignments(client, officer_stp, plans, stp):
    for i in range(4):
        make_assignment(plan=plans["older"], agency=stp, title=f"Thêm {i}")
    client_for(client, officer_stp)
    assert shown(client) == plans["older"]  # 1 + 4 for Sở Tư pháp against 2


def test_the_last_choice_wins_until_another_one(client, coordinator, plans):
    client_for(client, coordinator)
    assert shown(client, ke_hoach=plans["older"].pk) == plans["older"]
    response = client.get(DASHBOARD, {"ngay": "31/12/2022"})
    assert response.status_code == 302
    assert response.url == f"{DASHBOARD}?ngay=31%2F12%2F2022&ke_hoach={plans['older'].pk}"
    assert shown(client) == plans["older"]
    assert shown(client, ke_hoach="") is None  # "Tất cả kế hoạch"
    assert shown(client) is None


def test_a_choice_that_became_hidden_falls_back_to_the_default(client, viewer, plans):
    client_for(client, viewer)
    assert shown(client, ke_hoach=plans["older"].pk) == plans["older"]
    plans["older"].status = Plan.Status.DRAFT
    plans["older"].save()
    assert shown(client) == plans["kh192"]


def test_a_plan_the_user_may_not_see_is_not_remembered(client, viewer, plans):
    client_for(client, viewer)
    client.get(DASHBOARD, {"ke_hoach": plans["draft"].pk})
    client.get(DASHBOARD, {"ke_hoach": "abc"})
    assert client.get(DASHBOARD).status_code == 200
    assert shown(client) == plans["kh192"]


def test_all_plans_is_offered(client, coordinator, plans):
    client_for(client, coordinator)
    body = client.get(DASHBOARD).content.decode()
    assert '<option value="">Tất cả kế hoạch</option>' in body
    assert f'href="{DASHBOARD}?ke_hoach="' in body
