"""Rendering long reports outside the request (django-q2).

A PDF of more than REPORT_SYNC_MAX_ROWS table rows (default 1,000; about 4 s
of weasyprint per 1,000 rows here) is queued with `async_task` by the
dashboard and written under MEDIA_ROOT/reports/<user id>/<token>.<ext>; the
user then downloads it from `reports:report_file`, which looks only in that
user's own folder. `manage.py progress_report` renders in its own process and
needs no queue.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import QueryDict

from . import forms
from .document import build_report
from .output import render

EXTENSIONS = ("pdf", "xlsx")


def report_dir(user_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / str(int(user_id))


def render_report_file(user_id: int, query: str, fmt: str, token: str) -> str:
    """Task: build the report for the user's filters and write it; returns the path.

    1. Re-bind the filter form as the user, so the access rules apply as in the view.
    2. Write to a temporary name, then rename: the download view never serves
       a half-written file.
    """
    user = get_user_model().objects.get(pk=user_id)
    form = forms.bind(QueryDict(query), user=user)
    if not form.is_valid():
        raise ValueError(f"Invalid report filters: {form.errors.as_json()}")
    report = build_report(user=user, filters=form.filters())
    folder = report_dir(user_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{token}.{fmt}"
    partial = folder / f"{token}.{fmt}.part"
    partial.write_bytes(render(report, fmt))
    partial.replace(target)
    return str(target)
