"""Import jobs: the uploaded file and the progress of its import, in the shared cache.

A file of a few rows is imported inside the request; a longer one in a
django-q2 task so the page can poll "rows processed". The row count comes from
the upload form's bounded inspection (`readers.inspect_upload`), not from the
file's size: a small .xlsx can hold tens of thousands of rows. Either way the state lives in
`settings.CACHES` (Redis or files, shared by the web server and the cluster)
under a random job id, bound to the user who uploaded it. No table needed.
"""

from __future__ import annotations

import logging
import secrets

from django.contrib.auth.models import User
from django.core.cache import cache

from .services import ImportReport, Problem, import_file

logger = logging.getLogger(__name__)

JOB_TTL = 60 * 60 * 2
# Rows imported inside the request (a few hundred milliseconds); more go to the queue.
INLINE_MAX_ROWS = 200
PROGRESS_EVERY = 100


def _state_key(job_id: str) -> str:
    return f"spreadsheets:job:{job_id}"


def _data_key(job_id: str) -> str:
    return f"spreadsheets:data:{job_id}"


def get_job(job_id: str, *, user) -> dict | None:
    """The job's state, or None when it does not exist or is someone else's."""
    state = cache.get(_state_key(job_id))
    if not state or state.get("user_id") != user.pk:
        return None
    return state


def create_job(
    *,
    user: User,
    name: str,
    content: bytes,
    dry_run: bool,
    rows: int = 0,
    allow_new_plans: bool | list[tuple[str, int]] = False,
) -> str:
    """A job over one file. The preview (a dry run) passes allow_new_plans=True so
    that it lists the plans the file would create; the confirm step passes only
    the ones the user ticked (`copy_job_for_confirm`)."""
    job_id = secrets.token_urlsafe(18)
    cache.set(_data_key(job_id), content, JOB_TTL)
    state = {
        "id": job_id,
        "user_id": user.pk,
        "name": name,
        "dry_run": dry_run,
        "allow_new_plans": allow_new_plans,
        "state": "queued",
        "processed": 0,
        "total": rows,
        "report": None,
    }
    cache.set(_state_key(job_id), state, JOB_TTL)
    return job_id


def copy_job_for_confirm(
    job_id: str, *, user: User, new_plans: list[tuple[str, int]]
) -> str | None:
    """A new, real (not dry-run) job over the same file, once its preview passed;
    it may create exactly the `new_plans` the user confirmed."""
    state = get_job(job_id, user=user)
    content = cache.get(_data_key(job_id))
    if not state or content is None or state["state"] != "done" or not state["dry_run"]:
        return None
    if not ImportReport.from_dict(state["report"]).ok:
        return None
    return create_job(
        user=user,
        name=state["name"],
        content=content,
        dry_run=False,
        rows=state["total"],
        allow_new_plans=new_plans,
    )


def start(job_id: str) -> None:
    """Run in the request when short or when django-q runs synchronously, else queue."""
    from django_q.conf import Conf
    from django_q.tasks import async_task

    state = cache.get(_state_key(job_id)) or {}
    if state.get("total", 0) <= INLINE_MAX_ROWS or Conf.SYNC:
        run_job(job_id)
    else:
        async_task("planning.spreadsheets.jobs.run_job", job_id, task_name=f"import {job_id}")


def run_job(job_id: str) -> None:
    """The task: import the stored file, writing progress and the report to the cache."""
    key = _state_key(job_id)
    state = cache.get(key)
    content = cache.get(_data_key(job_id))
    if state is None or content is None:
        logger.warning("spreadsheet import job %s expired before it ran", job_id)
        return
    state["state"] = "running"
    cache.set(key, state, JOB_TTL)

    def progress(processed: int, total: int) -> None:
        state.update(processed=processed, total=total)
        cache.set(key, state, JOB_TTL)

    try:
        report = import_file(
            name=state["name"],
            content=content,
            user=User.objects.filter(pk=state["user_id"]).first(),
            dry_run=state["dry_run"],
            allow_new_plans=state.get("allow_new_plans", False),
            progress=progress,
        )
    except Exception:
        logger.exception("spreadsheet import job %s failed", job_id)
        report = ImportReport(
            dry_run=state["dry_run"],
            problems=[Problem(None, None, "Lỗi hệ thống khi nhập; không có gì được lưu.")],
        )
    state.update(state="done", report=report.to_dict(), processed=report.total, total=report.total)
    cache.set(key, state, JOB_TTL)
    if report.saved:
        cache.delete(_data_key(job_id))
