"""The search page: accents and case do not matter, nobody finds what they may not see.

Personas (tests/conftest.py): `coordinator` sees every plan, drafts included;
`viewer` every plan but drafts and every agency; `officer_stp` (Sở Tư pháp)
its own agency's assignments, those of tasks it coordinates, and no draft;
`officer_stc` (Sở Tài chính) nothing of Sở Tư pháp's; the anonymous `client`
is sent to sign in.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency
from planning.models import Plan, Task
from planning.search import fold_for_search
from tests.conftest import client_for
from tests.factories import make_agency, make_assignment, make_plan

pytestmark = pytest.mark.django_db

SEARCH = reverse("planning:search")


@pytest.fixture(autouse=True)
def quick(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plan(db):
    return make_plan("192/KH-UBND", title="Kế hoạch cải cách hành chính năm 2022")


@pytest.fixture
def work(plan, stp, stc):
    mine = make_assignment(plan=plan, agency=stp, title="Đẩy mạnh số hóa hồ sơ Sở Tư pháp")
    theirs = make_assignment(plan=plan, agency=stc, title="Rà soát đơn giá dịch vụ công")
    return mine, theirs


def found(client, user, q, group=None) -> dict:
    response = client_for(client, user).get(SEARCH, {"q": q})
    assert response.status_code == 200
    groups = {g["name"]: list(g["page"].object_list) for g in response.context["groups"]}
    return groups[group] if group else groups


@pytest.mark.parametrize(
    "query", ["so tu phap", "SỞ TƯ PHÁP", "Sở tư Pháp", "so tu", "day manh so hoa", "ĐẨY MẠNH"]
)
def test_task_titles_are_found_whatever_the_accents_and_case(client, work, coordinator, query):
    mine, _ = work
    assert found(client, coordinator, query, "assignments") == [mine]


def test_dj_is_folded_to_d_in_text_and_query(client, work, coordinator):
    _, theirs = work
    assert found(client, coordinator, "don gia", "assignments") == [theirs]
    assert found(client, coordinator, "đơn giá", "assignments") == [theirs]
    assert found(client, coordinator, "dday", "assignments") == []


def test_words_match_as_a_phrase_in_order(client, work, coordinator):
    assert found(client, coordinator, "phap tu so", "assignments") == []


def test_plans_by_number_and_title_and_agencies_by_name_and_alias(
    client, plan, stp, work, coordinator
):
    assert found(client, coordinator, "192/kh", "plans") == [plan]
    assert found(client, coordinator, "cai cach hanh chinh", "plans") == [plan]
    assert found(client, coordinator, "tu phap", "agencies") == [stp]
    assert found(client, coordinator, "so tp", "agencies") == [stp]  # the alias


def test_results_are_grouped_by_kind(client, plan, stp, coordinator):
    make_assignment(plan=plan, agency=stp, title="Hành chính công")
    groups = found(client, coordinator, "hanh chinh")
    assert [len(groups[k]) for k in ("plans", "assignments", "agencies")] == [1, 1, 0]
    html = client.get(SEARCH, {"q": "hanh chinh"}).content.decode()
    assert html.index('id="plans"') < html.index('id="assignments"') < html.index('id="agencies"')


def test_an_officer_finds_only_what_they_may_open(client, work, officer_stp, officer_stc, stp):
    mine, _ = work
    assert found(client, officer_stc, "so tu phap", "assignments") == []
    assert found(client, officer_stc, "tu phap", "agencies") == []  # not their agency
    assert found(client, officer_stp, "ra soat", "assignments") == []
    assert found(client, officer_stp, "so tu phap", "assignments") == [mine]
    assert found(client, officer_stp, "tu phap", "agencies") == [stp]


def test_an_officer_finds_the_work_of_a_task_they_coordinate(client, work, officer_stp, stp):
    _, theirs = work
    theirs.task.coordinating_agencies.add(stp)
    assert found(client, officer_stp, "ra soat", "assignments") == [theirs]


def test_drafts_are_found_by_coordinators_only(client, stp, coordinator, viewer, officer_stp):
    draft = make_plan("7/KH-UBND", title="Dự thảo kế hoạch", status=Plan.Status.DRAFT)
    make_assignment(plan=draft, agency=stp, title="Việc trong dự thảo")
    assert found(client, coordinator, "du thao", "plans") == [draft]
    assert found(client, coordinator, "viec trong du thao", "assignments") != []
    for user in (viewer, officer_stp):
        assert found(client, user, "du thao", "plans") == []
        assert found(client, user, "viec trong du thao", "assignments") == []


def test_a_query_too_short_asks_for_more(client, work, coordinator):
    response = client_for(client, coordinator).get(SEARCH, {"q": "s"})
    assert response.context["too_short"] is True
    assert "ít nhất 2 chữ" in response.content.decode()
    assert response.context["groups"] == []


def test_punctuation_and_sql_wildcards_are_not_search_syntax(client, work, coordinator):
    assert found(client, coordinator, "%_%") == {}  # folded away: too short to search
    assert found(client, coordinator, "so_tu % phap':*", "assignments") != []


def test_anonymous_visitors_are_sent_to_sign_in(client, work):
    response = client.get(SEARCH, {"q": "so tu phap"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_group_pages_on_its_own_and_keeps_the_query(client, plan, stp, coordinator):
    for n in range(25):
        make_assignment(plan=plan, agency=stp, title=f"Số hóa hồ sơ đợt {n}")
    client_for(client, coordinator)
    response = client.get(SEARCH, {"q": "so hoa", "trang_nv": "2"})
    tasks = next(g for g in response.context["groups"] if g["name"] == "assignments")
    assert (tasks["page"].number, len(tasks["page"].object_list)) == (2, 5)
    assert tasks["links"]["first"] == "?q=so+hoa&trang_nv=1#assignments"


def test_the_header_has_the_search_box(client, coordinator):
    html = client_for(client, coordinator).get(reverse("planning:plan_list")).content.decode()
    assert f'action="{SEARCH}"' in html


def test_queries_stay_constant_as_matches_grow(client, plan, coordinator):
    client_for(client, coordinator)
    agency = make_agency("X", "Sở Xây dựng")
    make_assignment(plan=plan, agency=agency, title="Xây dựng đề án")
    with CaptureQueriesContext(connection) as few:
        client.get(SEARCH, {"q": "xay dung"})
    for n in range(30):
        make_assignment(plan=plan, agency=make_agency(), title=f"Xây dựng đề án {n}")
        Agency.objects.create(code=f"XD{n}", name=f"Ban xây dựng {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(SEARCH, {"q": "xay dung"})
    assert len(many) == len(few)
    assert response.context["found"] == 31 + 31  # tasks; Sở Xây dựng and the 30 boards


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Sở Tư pháp", "so tu phap"),
        ("ĐẢNG ỦY Đồng Nai", "dang uy dong nai"),
        ("192/KH-UBND", "192 kh ubnd"),
        ("Quý III/2022 “đúng hạn”", "quy iii 2022 dung han"),
    ],
)
def test_the_database_folds_as_python_does(db, text, folded):
    # The same rule twice (SQL `cchc_fold`, Python `fold_for_search`): they must agree.
    assert fold_for_search(text) == folded
    with connection.cursor() as cursor:
        cursor.execute("SELECT cchc_fold(%s)", [text])
        assert cursor.fetchone()[0] == folded


def test_task_rows_of_another_plan_stay_apart(client, coordinator, stp):
    other = make_plan("5/KH-UBND", title="Kế hoạch khác")
    a = make_assignment(plan=other, agency=stp, title="Tuyên truyền pháp luật")
    assert found(client, coordinator, "tuyen truyen", "assignments") == [a]
    assert Task.objects.count() == 1
