"""The dashboard's statistics come from the shared cache until the data changes.

Personas: the `coordinator` (Sở Nội vụ) sees every agency; `officer_stp` only
Sở Tư pháp. Their cached figures must never mix.
"""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Membership
from config.caching.generation import data_generation
from planning.models import Assignment, Plan
from planning.services import TaskSpec, add_tasks
from planning.workflow import services as workflow
from tests.conftest import client_for
from tests.factories import make_assignment, make_plan, make_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")


def load(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD, {"ke_hoach": ""})
    assert response.status_code == 200
    return response, len(queries)


def main(response) -> str:
    """The page between the header and the footer (the header holds a CSRF token)."""
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


@pytest.fixture
def world(plan, stp, stc, frozen_today):
    make_assignment(plan=plan, agency=stp, due=date(2022, 6, 30), title="Việc quá hạn")
    make_assignment(plan=plan, agency=stp, due=date(2022, 9, 30), title="Việc sắp tới")
    make_assignment(plan=plan, agency=stc, due=date(2022, 6, 30), title="Việc của Sở Tài chính")
    return plan


def test_second_load_reads_the_figures_from_the_cache(client, coordinator, snv, world):
    """A colleague's first load: drawn for them (the page cache is per user),
    with the figures the first coordinator's load cached."""
    colleague = make_user("dieuphoi.2", agency=snv, role=Membership.Role.COORDINATOR)
    client_for(client, coordinator)
    first, cold = load(client)
    client_for(client, colleague)
    second, warm = load(client)
    assert warm <= cold - 4  # total, per agency, per section, two monthly series
    assert first.context["total"].rollup.total == 3
    # The body came drawn from the cache: nothing was computed for it.
    assert "total" not in second.context and "form" not in second.context
    assert main(second) == main(first)


def test_completion_through_the_workflow_shows_on_the_next_load(
    client, coordinator, world, django_capture_on_commit_callbacks
):
    client_for(client, coordinator)
    before, _ = load(client)
    assert before.context["total"].rollup.done == 0
    overdue = Assignment.objects.get(task__title="Việc quá hạn")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.mark_done(assignment=overdue, actor=coordinator, completed_on=date(2022, 7, 19))
    after, _ = load(client)
    assert after.context["total"].rollup.done == 1
    assert after.context["total"].rollup.open_overdue == 1


def test_imported_tasks_show_on_the_next_load(
    client, coordinator, world, stp, django_capture_on_commit_callbacks
):
    client_for(client, coordinator)
    before, _ = load(client)
    spec = TaskSpec(title="Việc nhập mới", lead_agencies=[stp], due_date=date(2022, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        add_tasks(plan=world, specs=[spec], actor=coordinator)
    after, _ = load(client)
    assert after.context["total"].rollup.total == before.context["total"].rollup.total + 1


def _write(write: str, one: Assignment) -> None:
    if write == "update":
        Assignment.objects.filter(pk=one.pk).update(status=Assignment.Status.IN_PROGRESS)
    elif write == "bulk_create":
        Assignment.objects.bulk_create(
            [Assignment(plan=one.plan, task=one.task, agency=one.agency, period="Quý IV")]
        )
    elif write == "bulk_update":
        one.status = Assignment.Status.IN_PROGRESS
        Assignment.objects.bulk_update([one], ["status"])
    elif write == "save":
        one.status = Assignment.Status.SUBMITTED
        one.save(update_fields=["status"])
    else:
        one.delete()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", ["update", "bulk_create", "bulk_update", "save", "delete"])
def test_every_kind_of_assignment_write_changes_the_generation(write, plan, stp):
    """Inside a transaction the writer reads its own figures at once and everyone
    gets new ones on commit; a rolled-back change leaves the shared figures alone;
    outside a transaction the change is shared at once."""
    one = make_assignment(plan=plan, agency=stp)
    before = data_generation()
    with transaction.atomic():
        _write(write, one)
        inside = data_generation()
        assert inside != before
    after = data_generation()
    assert after not in (before, inside)

    with pytest.raises(RuntimeError), transaction.atomic():
        _write("update", make_assignment(plan=plan, agency=stp))
        raise RuntimeError("rolled back")
    assert data_generation() == after

    last = make_assignment(plan=plan, agency=stp)
    shared = data_generation()
    _write("update", last)
    assert data_generation() != shared


def test_an_update_matching_nothing_keeps_the_cache(world):
    before = data_generation()
    assert Assignment.objects.filter(pk=-1).update(status=Assignment.Status.DONE) == 0
    assert data_generation() == before


def test_officer_and_coordinator_never_share_cached_figures(
    client, coordinator, officer_stp, world
):
    client_for(client, coordinator)
    everything, _ = load(client)
    assert everything.context["total"].rollup.total == 3
    client_for(client, officer_stp)
    own, _ = load(client)
    assert own.context["total"].rollup.total == 2
    assert [row.name for row in own.context["stats"].by_agency] == ["Sở Tư pháp"]


def test_the_as_of_date_is_part_of_the_key(client, coordinator, world):
    client_for(client, coordinator)
    today = client.get(DASHBOARD, {"ke_hoach": ""}).context["total"].rollup
    earlier = client.get(DASHBOARD, {"ke_hoach": "", "ngay": "01/06/2022"}).context["total"]
    assert today.open_overdue == 2
    assert earlier.rollup.open_overdue == 0


def test_figures_fragment_follows_the_data(
    client, coordinator, world, stp, django_capture_on_commit_callbacks
):
    """The headline, ranking and charts are cached HTML, yet show a change at once."""
    client_for(client, coordinator)
    before = load(client)[0].content.decode()
    assert "0/3 (0,00%)" in before
    one = Assignment.objects.get(task__title="Việc sắp tới")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.mark_done(assignment=one, actor=coordinator, completed_on=date(2022, 7, 19))
    after = load(client)[0].content.decode()
    assert "1/3 (33,33%)" in after and "0/3 (0,00%)" not in after


def test_inbox_shows_a_workflow_change_at_once(
    client, officer_stp, coordinator, world, django_capture_on_commit_callbacks
):
    """The inbox's lists are a shared cached fragment, yet follow every change."""
    client_for(client, officer_stp)
    inbox = reverse("workflow:inbox")
    with CaptureQueriesContext(connection) as cold:
        before = client.get(inbox).content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get(inbox).content.decode()
    lists = before[before.index('<nav class="inbox-index"') :]
    assert again[again.index('<nav class="inbox-index"') :] == lists
    assert len(warm) < len(cold)
    assert "Quá hạn (1)" in before
    one = Assignment.objects.get(task__title="Việc quá hạn")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.mark_done(assignment=one, actor=coordinator, completed_on=date(2022, 7, 19))
    after = client.get(inbox).content.decode()
    assert "Quá hạn (0)" in after


def test_viewers_never_get_the_coordinators_draft_plans_from_the_cache(
    client, coordinator, viewer, world
):
    """Coordinators see draft plans; viewers (lãnh đạo UBND) see every agency but no draft."""
    make_assignment(plan=make_plan("999/KH-NHAP", status=Plan.Status.DRAFT), title="Việc nháp")
    client_for(client, coordinator)
    assert "999/KH-NHAP" in client.get(DASHBOARD).content.decode()
    client_for(client, viewer)
    assert "999/KH-NHAP" not in client.get(DASHBOARD).content.decode()


def test_a_new_coordinating_agency_sees_the_task_in_its_inbox_at_once(
    client, officer_stc, world, stc
):
    """Sở Tài chính is made a coordinating agency of a Sở Tư pháp task."""
    client_for(client, officer_stc)
    inbox = reverse("workflow:inbox")
    assert "Việc sắp tới" not in client.get(inbox).content.decode()
    Assignment.objects.get(task__title="Việc sắp tới").task.coordinating_agencies.add(stc)
    assert "Việc sắp tới" in client.get(inbox).content.decode()


def test_a_template_change_draws_fresh_fragments(tmp_path, settings):
    """Cached fragments are keyed by the code that drew them, not only the data."""
    from config.caching import generation as figures

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>v1</p>")
    settings.BASE_DIR = tmp_path
    before = figures._code_version()
    page.write_text("<p>v2</p>")
    assert figures._code_version() != before


def test_a_request_reads_the_generation_once(client, coordinator, world, monkeypatch):
    """The dashboard draws several cached parts; the shared tokens cost one round trip."""
    from django.core.cache import caches

    from config.caching import generation as figures

    client_for(client, coordinator)
    load(client)
    reads = []  # round trips that read generation tokens
    backend = caches["default"]
    real_get, real_get_many = backend.get, backend.get_many
    inside_get_many = []

    def counting_get(key, *args, **kwargs):
        if key.startswith(figures.GENERATION_KEY) and not inside_get_many:
            reads.append(key)
        return real_get(key, *args, **kwargs)

    def counting_get_many(keys, *args, **kwargs):
        tokens = [key for key in keys if key.startswith(figures.GENERATION_KEY)]
        if tokens:
            reads.append(tuple(tokens))
        inside_get_many.append(True)  # the local-memory cache's get_many calls get
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside_get_many.pop()

    monkeypatch.setattr(backend, "get", counting_get)
    monkeypatch.setattr(backend, "get_many", counting_get_many)
    load(client)
    assert len(reads) == 1
    load(client)
    assert len(reads) == 2  # the next request reads it afresh


def test_within_a_request_a_bump_is_seen_at_once():
    from config.caching import generation as figures

    figures.request_started()
    try:
        first = data_generation()
        assert data_generation() == first
        figures.bump_generation()  # as a commit in this request would
        assert data_generation() != first
    finally:
        figures.request_finished()
