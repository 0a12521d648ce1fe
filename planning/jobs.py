"""Work that can take seconds, run outside the request: input, state and progress in the cache.

A tracker import and a long plan document are both read here. The state lives
in `settings.CACHES` (Redis or files, shared by the web server and the
django-q2 cluster) under a random job id, bound to the user who started it, so
the page can poll "processed / total" and nobody else can see it. No table.

A job names its task by dotted path: `task(state=..., content=..., progress=...)`
returns what the page shows (a JSON-able dict) and must not raise; its own
parameters are the extra keys of `state`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

JOB_TTL = 60 * 60 * 2


def _state_key(job_id: str) -> str:
    return f"jobs:state:{job_id}"


def _data_key(job_id: str) -> str:
    return f"jobs:data:{job_id}"


def create_job(*, user: User, task: str, content: bytes, total: int = 0, **params) -> str:
    """A queued job over `content`; `total` is what its progress counts up to."""
    job_id = secrets.token_urlsafe(18)
    cache.set(_data_key(job_id), content, JOB_TTL)
    state = {
        **params,
        "id": job_id,
        "user_id": user.pk,
        "task": task,
        "state": "queued",
        "processed": 0,
        "total": total,
        "result": None,
    }
    cache.set(_state_key(job_id), state, JOB_TTL)
    return job_id


def job_state(job_id: str) -> dict | None:
    """The job's state for the server side (no owner check): pages use `get_job`."""
    return cache.get(_state_key(job_id))


def get_job(job_id: str, *, user) -> dict | None:
    """The job's state, or None when it does not exist or is someone else's."""
    state = job_state(job_id)
    if not state or state.get("user_id") != user.pk:
        return None
    return state


def progress_of(state: dict) -> dict:
    """What a page's progress poll answers (static/js/import-progress.js)."""
    return {"state": state["state"], "processed": state["processed"], "total": state["total"]}


def job_content(job_id: str) -> bytes | None:
    return cache.get(_data_key(job_id))


def drop_content(job_id: str) -> None:
    cache.delete(_data_key(job_id))


def start(job_id: str, *, inline: bool) -> None:
    """Run now when `inline` (or when django-q runs synchronously), else queue it."""
    from django_q.conf import Conf
    from django_q.tasks import async_task

    if inline or Conf.SYNC:
        run_job(job_id)
    else:
        async_task("planning.jobs.run_job", job_id, task_name=f"job {job_id}")


def run_job(job_id: str) -> None:
    """The django-q2 task: run the job's task, writing progress and the result to the cache."""
    key = _state_key(job_id)
    state = cache.get(key)
    content = cache.get(_data_key(job_id))
    if state is None or content is None:
        logger.warning("job %s expired before it ran", job_id)
        return
    state["state"] = "running"
    cache.set(key, state, JOB_TTL)

    def progress(processed: int, total: int) -> None:
        state.update(processed=processed, total=total)
        cache.set(key, state, JOB_TTL)

    task: Callable = import_string(state["task"])
    result = task(state=state, content=content, progress=progress)
    state.update(state="done", result=result, processed=state["total"])
    cache.set(key, state, JOB_TTL)
