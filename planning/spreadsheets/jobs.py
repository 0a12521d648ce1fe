"""Tracker imports as jobs (`planning.jobs`): preview, then the confirmed import.

A file of a few rows is imported inside the request; a longer one in the
django-q2 queue, so the page can poll "rows processed". The row count comes
from the upload form's bounded inspection (`readers.inspect_upload`), not from
the file's size: a small .xlsx can hold tens of thousands of rows.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import User

from planning import jobs
from planning.jobs import get_job, run_job

from .services import ImportReport, Problem, import_file

logger = logging.getLogger(__name__)

__all__ = ["copy_job_for_confirm", "create_job", "get_job", "import_task", "run_job", "start"]

# Rows imported inside the request (a few hundred milliseconds); more go to the queue.
INLINE_MAX_ROWS = 200
TASK = "planning.spreadsheets.jobs.import_task"


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
    return jobs.create_job(
        user=user,
        task=TASK,
        content=content,
        total=rows,
        name=name,
        dry_run=dry_run,
        allow_new_plans=allow_new_plans,
    )


def copy_job_for_confirm(
    job_id: str, *, user: User, new_plans: list[tuple[str, int]]
) -> str | None:
    """A new, real (not dry-run) job over the same file, once its preview passed;
    it may create exactly the `new_plans` the user confirmed."""
    state = get_job(job_id, user=user)
    content = jobs.job_content(job_id)
    if not state or content is None or state["state"] != "done" or not state["dry_run"]:
        return None
    if not ImportReport.from_dict(state["result"]).ok:
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
    """In the request when the file has few rows, else in the queue."""
    state = jobs.job_state(job_id) or {}
    jobs.start(job_id, inline=state.get("total", 0) <= INLINE_MAX_ROWS)


def import_task(*, state: dict, content: bytes, progress) -> dict:
    """Import the stored file; the report, as a dict, is the job's result."""
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
        logger.exception("spreadsheet import job %s failed", state["id"])
        report = ImportReport(
            dry_run=state["dry_run"],
            problems=[Problem(None, None, "Lỗi hệ thống khi nhập; không có gì được lưu.")],
        )
    if report.saved:
        jobs.drop_content(state["id"])
    state["total"] = report.total
    return report.to_dict()
