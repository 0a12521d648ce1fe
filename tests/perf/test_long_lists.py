"""Long lists are paginated or summarised, never dumped, and nothing becomes
unreachable: the dashboard's agency ranking and chart, the plan page's agency
roll-up, the officer's inbox groups.

Personas: the `coordinator` (Sở Nội vụ) sees every agency; `officer_stp` sees
the work of Sở Tư pháp only.
"""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import make_agency, make_assignment

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")


def rows_of(body: str, table_class: str) -> list[str]:
    start = body.index(f'class="data {table_class}"')
    table = body[start : body.index("</table>", start)]
    return re.findall(r'<th scope="row">(?:<a [^>]*>)?([^<]+)<', table)


@pytest.fixture
def spread(plan, many_agencies, frozen_today):
    """60 agencies: agency i has one assignment done, and i % 3 overdue ones."""
    for i, agency in enumerate(many_agencies):
        make_assignment(
            plan=plan,
            agency=agency,
            due=date(2022, 6, 30),
            status="done",
            completed_on=date(2022, 6, 1),
        )
        for _ in range(i % 3):
            make_assignment(plan=plan, agency=agency, due=date(2022, 6, 30))
    return plan


def test_dashboard_ranking_is_paginated_and_every_agency_reachable(client, coordinator, spread):
    client_for(client, coordinator)
    first = client.get(DASHBOARD, {"ke_hoach": ""}).content.decode()
    second = client.get(DASHBOARD, {"ke_hoach": "", "trang_cq": 2}).content.decode()
    page_1, page_2 = rows_of(first, "rank"), rows_of(second, "rank")
    assert len(page_1) == 50 and len(page_2) == 10
    assert len(set(page_1) | set(page_2)) == 60
    assert "trang_cq=2" in first and "Trang 1/2 · 60 dòng" in first
    assert "<td>51</td>" in second  # the rank continues on the next page


def test_dashboard_chart_shows_the_ten_best_and_ten_worst(client, coordinator, spread):
    client_for(client, coordinator)
    response = client.get(DASHBOARD, {"ke_hoach": ""})
    chart = str(response.context["agency_chart"]())
    ranked = [row.name for row in response.context["stats"].by_agency]
    assert "40 cơ quan khác" in chart
    assert all(name in chart for name in ranked[:10] + ranked[-10:])
    assert not any(f">{name}<" in chart for name in ranked[10:-10])


def test_plan_page_lists_agencies_needing_attention_first_then_pages(client, coordinator, spread):
    client_for(client, coordinator)
    url = spread.get_absolute_url()
    first = client.get(url).content.decode()
    agencies = rows_of(first, "rollup")
    assert len(agencies) == 50
    # The 20 agencies with two overdue assignments come first.
    assert all(name.endswith(("02", "05", "08", "11", "14", "17")) for name in agencies[:6])
    assert "trang_cq=2" in first
    second = client.get(url, {"trang_cq": 2}).content.decode()
    assert len(set(agencies) | set(rows_of(second, "rollup"))) == 60
    # The filter still offers every agency, alphabetically.
    options = re.findall(r'<option value="PX(\d\d)"', first)
    assert options == [f"{i:02d}" for i in range(60)]


@pytest.fixture
def crowded_inbox(plan, stp, frozen_today):
    """30 overdue assignments of Sở Tư pháp and one due later this month."""
    for i in range(30):
        make_assignment(plan=plan, agency=stp, due=date(2022, 6, 1 + i), title=f"Việc trễ {i:02d}")
    make_assignment(plan=plan, agency=stp, due=date(2022, 7, 31), title="Việc trong tháng")


def test_inbox_caps_each_group_and_pages_through_it(client, officer_stp, crowded_inbox):
    client_for(client, officer_stp)
    inbox = reverse("workflow:inbox")
    body = client.get(inbox).content.decode()
    assert body.count("Việc trễ") == 25
    assert "Việc trễ 00" in body  # most overdue first
    assert "Quá hạn (30)" in body and "Việc trong tháng" in body
    assert "?nhom=qua-han" in body
    first = client.get(inbox, {"nhom": "qua-han"}).content.decode()
    second = client.get(inbox, {"nhom": "qua-han", "page": 2}).content.decode()
    assert first.count("Việc trễ") == 25 and second.count("Việc trễ") == 5
    assert "Việc trễ 29" in second and "Việc trong tháng" not in second
    assert client.get(inbox, {"nhom": "khong-co"}).status_code == 404


def test_long_pages_run_a_constant_number_of_queries(
    client, coordinator, officer_stp, plan, stp, frozen_today, django_assert_max_num_queries
):
    def urls():
        return [
            (coordinator, DASHBOARD),
            (coordinator, plan.get_absolute_url()),
            (officer_stp, reverse("workflow:inbox")),
            (officer_stp, reverse("workflow:inbox") + "?nhom=qua-han"),
        ]

    def grow(n):
        for i in range(n):
            agency = make_agency(f"G{n}-{i}", f"Cơ quan {n}-{i}")
            make_assignment(plan=plan, agency=agency, due=date(2022, 6, 30))
            make_assignment(plan=plan, agency=stp, due=date(2022, 6, 30))

    grow(2)
    counts = []
    for user, url in urls():
        client_for(client, user)
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    grow(60)
    for (user, url), count in zip(urls(), counts, strict=True):
        client_for(client, user)
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200
