"""Evidence files nobody refers to any more, removed by a daily sweep.

`workflow.submit_completion` stores the file before the submission row is
committed, so the row can point at it. When the surrounding transaction rolls
back after that (a database error, a worker killed mid-request), the row is
gone and the file stays; deleting a submission leaves its file too. Nothing
links to such a file, but it holds an agency's document on disk.

`remove_orphan_evidence` deletes every file under `evidence/` that no
submission, progress note or indicator result (an agency's measured value)
names and that is older than the grace period: a file stored seconds ago may
belong to a transaction that has not committed yet. The schedule
`cchc-orphan-evidence` (notifications/schedules.py) runs it daily.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from .indicators.models import IndicatorResult
from .workflow.models import CompletionSubmission, ProgressNote

EVIDENCE_DIR = "evidence"
GRACE = timedelta(days=1)


def _files(storage, folder: str):
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files(storage, f"{folder}/{sub}")


def remove_orphan_evidence(storage=None, grace: timedelta = GRACE) -> list[str]:
    """Delete unreferenced evidence files older than `grace`; returns their names."""
    storage = storage or default_storage
    referenced = {
        name
        for model in (CompletionSubmission, ProgressNote, IndicatorResult)
        for name in model.objects.exclude(file="").values_list("file", flat=True)
    }
    cutoff = timezone.now() - grace
    removed = []
    for name in _files(storage, EVIDENCE_DIR):
        if name in referenced or storage.get_modified_time(name) > cutoff:
            continue
        storage.delete(name)
        removed.append(name)
    return removed
