"""Caching that survives writes elsewhere (config/caching/generation.py, planning/caching.py).

A change to one assignment makes stale what shows it (its page, its plan's
page, its lead agency's and coordinating agencies' inboxes, the all-plans
figures) and nothing else; a change of unknown scope makes everything stale;
after a write, one worker computes a missing entry while the others wait.

These tests commit (`transaction=True`): inside a test's own transaction every
change is uncommitted and every key is process-local (generation.py, step 2).
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from agencies.models import Membership
from config.caching import generation
from config.caching.generation import cached_figures, data_generation
from planning.models import Assignment, Plan
from planning.workflow import services as workflow
from tests.conftest import client_for
from tests.factories import make_assignment, make_plan, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def gen(*scopes):
    return data_generation(list(scopes))


@pytest.fixture
def two_plans(stp, stc):
    p, q = make_plan("1/KH-UBND"), make_plan("2/KH-UBND")
    a = make_assignment(plan=p, agency=stp, due=date(2030, 6, 30), title="Việc của kế hoạch 1")
    b = make_assignment(plan=q, agency=stc, due=date(2030, 6, 30), title="Việc của kế hoạch 2")
    return p, q, a, b


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_a_progress_note_leaves_other_plans_pages_cached(client, coordinator, two_plans):
    p, q, a, _b = two_plans
    officer = make_user("canbo.stp.2", agency=a.agency, role=Membership.Role.OFFICER)
    client_for(client, coordinator)
    for plan in (p, q):
        _queries(client, f"/ke-hoach/{plan.pk}/")
    _, warm_q = _queries(client, f"/ke-hoach/{q.pk}/")
    _, warm_p = _queries(client, f"/ke-hoach/{p.pk}/")

    workflow.report_progress(assignment=a, actor=officer, note="Đã họp triển khai")

    _, after_q = _queries(client, f"/ke-hoach/{q.pk}/")
    response_p, after_p = _queries(client, f"/ke-hoach/{p.pk}/")
    assert after_q == warm_q  # served from the cache: the write was elsewhere
    assert after_p > warm_p  # drawn again
    assert "Đang thực hiện" in response_p.content.decode()


def test_an_assignment_change_moves_its_scopes_and_no_others(two_plans, stp, stc):
    p, q, a, b = two_plans
    before = {
        s: gen(s)
        for s in [
            ("plan", p.pk),
            ("plan", q.pk),
            ("agency", stp.pk),
            ("agency", stc.pk),
            ("assignment", a.pk),
            ("assignment", b.pk),
        ]
    }
    everything = data_generation()
    Assignment.objects.filter(pk=a.pk).update(status=Assignment.Status.IN_PROGRESS)
    moved = {s for s, value in before.items() if gen(s) != value}
    assert moved == {("plan", p.pk), ("agency", stp.pk), ("assignment", a.pk)}
    assert data_generation() != everything  # the all-plans figures go stale too


def test_a_new_lead_agency_makes_both_inboxes_stale(two_plans, stp, stc, coordinator):
    _p, _q, a, _b = two_plans
    old, new = gen(("agency", stp.pk)), gen(("agency", stc.pk))
    workflow.change_lead_agency(assignment=a, agency=stc, actor=coordinator, reason="Đổi chủ trì")
    assert gen(("agency", stp.pk)) != old and gen(("agency", stc.pk)) != new
    # And a plain save that moves the lead, as the admin does:
    a = Assignment.objects.get(pk=a.pk)
    old, new = gen(("agency", stc.pk)), gen(("agency", stp.pk))
    a.agency = stp
    a.save()
    assert gen(("agency", stc.pk)) != old and gen(("agency", stp.pk)) != new


def test_a_coordinating_agencys_inbox_goes_stale_with_the_task(two_plans, stp, stc, snv):
    _p, _q, a, _b = two_plans
    a.task.coordinating_agencies.add(snv)
    coordinating = gen(("agency", snv.pk))
    Assignment.objects.filter(pk=a.pk).update(status=Assignment.Status.IN_PROGRESS)
    assert gen(("agency", snv.pk)) != coordinating


def test_a_change_of_unknown_scope_makes_every_scope_stale(two_plans, stp):
    p, q, _a, b = two_plans
    scoped = gen(("plan", q.pk)), gen(("agency", stp.pk)), gen(("assignment", b.pk))
    Plan.objects.filter(pk=p.pk).update(title="Kế hoạch đổi tên")
    after = gen(("plan", q.pk)), gen(("agency", stp.pk)), gen(("assignment", b.pk))
    assert all(old != new for old, new in zip(scoped, after, strict=True))


def test_a_bulk_write_of_too_many_rows_counts_as_unknown_scope(two_plans, monkeypatch):
    from config.caching import querysets

    p, q, a, _b = two_plans
    monkeypatch.setattr(querysets, "MAX_SCOPED_ROWS", 1)
    other = gen(("plan", q.pk))
    Assignment.objects.filter(pk=a.pk).update(status=Assignment.Status.IN_PROGRESS)
    assert gen(("plan", q.pk)) == other  # one row: scoped
    Assignment.objects.filter(plan=p).update(status=Assignment.Status.NOT_STARTED)
    assert gen(("plan", q.pk)) == other  # still one row
    make_assignment(plan=p, due=date(2030, 1, 1))
    other = gen(("plan", q.pk))
    Assignment.objects.filter(plan=p).update(status=Assignment.Status.IN_PROGRESS)
    assert gen(("plan", q.pk)) != other  # two rows, over the limit: everything


def test_scopes_move_on_commit_and_not_after_a_rollback(two_plans):
    p, q, a, _b = two_plans
    mine, other = gen(("plan", p.pk)), gen(("plan", q.pk))
    with pytest.raises(RuntimeError), transaction.atomic():
        Assignment.objects.filter(pk=a.pk).update(status=Assignment.Status.IN_PROGRESS)
        raise RuntimeError("rolled back")
    assert (gen(("plan", p.pk)), gen(("plan", q.pk))) == (mine, other)
    with transaction.atomic():
        Assignment.objects.filter(pk=a.pk).update(status=Assignment.Status.IN_PROGRESS)
        # Inside, this process reads its own, local keys; the shared tokens wait.
        assert gen(("plan", q.pk)) != other
    assert gen(("plan", p.pk)) != mine
    assert gen(("plan", q.pk)) == other


def test_while_one_worker_computes_an_entry_the_others_wait_for_it(db):
    calls, results = [], []
    key = generation.figures_key("slow-figures", "x")

    def compute():
        calls.append(threading.get_ident())
        time.sleep(0.4)
        return {"total": 42}

    threads = [
        threading.Thread(target=lambda: results.append(cached_figures(key, compute)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [{"total": 42}] * 4
    assert len(calls) == 1


def test_a_worker_whose_computation_fails_frees_the_others(db):
    key = generation.figures_key("failing-figures", "x")

    def failing():
        raise ValueError("database gone")

    with pytest.raises(ValueError):
        cached_figures(key, failing)
    # The lock went with the failure: the next caller computes at once.
    started = time.monotonic()
    assert cached_figures(key, lambda: 7) == 7
    assert time.monotonic() - started < generation.COMPUTE_WAIT_SECONDS


def _slow_computation_in_another_worker(key, value, started):
    def compute():
        started.set()
        time.sleep(0.6)
        return value

    thread = threading.Thread(target=lambda: cached_figures(key, compute))
    thread.start()
    started.wait(5)
    return thread


def test_all_plans_figures_are_served_as_before_the_write_while_one_worker_recomputes(db):
    before = generation.figures_key("all-plans", "2022-07-20")
    assert cached_figures(before, lambda: {"done": 20}) == {"done": 20}
    generation.bump_generation()  # a write somewhere
    after = generation.figures_key("all-plans", "2022-07-20")
    assert after != before
    thread = _slow_computation_in_another_worker(after, {"done": 21}, threading.Event())
    started = time.monotonic()
    assert cached_figures(after, lambda: pytest.fail("computed twice")) == {"done": 20}
    assert time.monotonic() - started < 0.3  # served at once, not after the other worker
    thread.join()
    assert cached_figures(after, lambda: pytest.fail("computed twice")) == {"done": 21}


def test_scoped_figures_wait_for_the_worker_that_recomputes_them(db):
    scopes = [("plan", 1)]
    before = generation.figures_key("plan", 1, scopes=scopes)
    cached_figures(before, lambda: {"done": 1})
    generation.bump_generation(scopes)
    after = generation.figures_key("plan", 1, scopes=scopes)
    thread = _slow_computation_in_another_worker(after, {"done": 2}, threading.Event())
    # The reader may be the writer: never the value from before its own write.
    assert cached_figures(after, lambda: pytest.fail("computed twice")) == {"done": 2}
    thread.join()
