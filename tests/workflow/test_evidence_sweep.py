"""Evidence files left behind by a rolled-back submission are swept away
(planning/evidence.py); files a submission names, and files too recent to
judge, are kept.

Persona: `officer_stp`, who submits Sở Tư pháp's completion with a PDF.
"""

import os
import time
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from planning.evidence import remove_orphan_evidence
from planning.uploads import validate_evidence
from planning.workflow.models import CompletionSubmission
from tests.factories import make_assignment

from .conftest import pdf_upload, submit

pytestmark = pytest.mark.django_db

TWO_DAYS = 2 * 24 * 3600


def _submit(assignment, officer):
    upload = pdf_upload()
    return submit(
        assignment, officer, date(2022, 7, 19), file=upload, sniffed=validate_evidence(upload)
    )


def _age(name: str, seconds: int) -> None:
    path = default_storage.path(name)
    past = time.time() - seconds
    os.utime(path, (past, past))


class Boom(Exception):
    pass


def test_a_rolled_back_submissions_file_is_removed_and_a_kept_one_stays(
    plan, stp, a_stp, officer_stp
):
    kept = _submit(a_stp, officer_stp).file.name
    other = make_assignment(plan=plan, agency=stp, due=date(2022, 8, 31), title="Việc khác")
    with pytest.raises(Boom), transaction.atomic():  # e.g. the request fails afterwards
        orphan = _submit(other, officer_stp).file.name
        raise Boom
    assert default_storage.exists(orphan)  # the row is gone, the file is not
    assert not CompletionSubmission.objects.filter(file=orphan).exists()
    fresh = default_storage.save("evidence/2022/07/dang-luu.pdf", ContentFile(b"%PDF-1.4"))
    for name in (kept, orphan):
        _age(name, TWO_DAYS)

    assert remove_orphan_evidence() == [orphan]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept)
    assert default_storage.exists(fresh)  # may belong to a transaction still running
    assert remove_orphan_evidence(grace=timedelta(0)) == [fresh]


def test_no_evidence_folder_yet_is_nothing_to_do(isolated_media_and_cache):
    assert remove_orphan_evidence() == []


def test_the_sweep_is_scheduled_daily(capsys):
    call_command("setup_schedules")
    assert "cchc-orphan-evidence: created" in capsys.readouterr().out
