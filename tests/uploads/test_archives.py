"""What an office file holds inside is checked before a library reads it.

The bombs of test_bombs.py, at their own scale; here the other shapes of the
same attack, each through the reader the pages and commands share
(`import_file` for trackers, `read_plan_file` for plans), and the long
import's move to the queue.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning.parsing import PlanFileError, read_plan_file
from planning.spreadsheets import jobs
from planning.spreadsheets.services import import_file
from tests.conftest import client_for
from tests.spreadsheets.conftest import row, sheet_csv

from . import bombs


def _sheet_problems(content: bytes) -> str:
    report = import_file(name="a.xlsx", content=content, user=None, dry_run=True)
    return " ".join(str(p) for p in report.problems)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sheet_data", "message"),
    [
        # one cell at the far corner: openpyxl would pad the row to 16,384 cells
        ('<row r="1"><c r="XFD1"><v>1</v></c></row>', "ô XFD1 nằm ngoài 40 cột đầu tiên"),
        # a row numbered a million: openpyxl would create every row before it
        ('<row r="1048576"><c r="A1048576"><v>1</v></c></row>', "hơn 25.000 dòng"),
        ("<row>" + "<c><v>1</v></c>" * 1_000_001 + "</row>", "hơn 1.000.000 ô dữ liệu"),
        # not spelled as Excel writes it, so only the exact (expat) pass can count it
        (
            f'<x:row xmlns:x="{bombs.SHEET_NS}"><x:c><x:v>1</x:v></x:c></x:row>' * 25_001,
            "hơn 25.000 dòng",
        ),
    ],
    ids=["far-column", "far-row", "million-cells-in-a-row", "rows-under-another-prefix"],
)
def test_sheet_reaching_far_is_refused(sheet_data, message):
    assert message in _sheet_problems(bombs.xlsx_sheet(sheet_data))


@pytest.mark.django_db
def test_sheet_with_entity_declarations_is_refused():
    laughs = bombs.xlsx_sheet("").replace(
        b"<?xml version='1.0' encoding='UTF-8'?>", b"", 0
    )  # the builder's own sheet is clean; a DOCTYPE is put in front below
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(laughs)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (
                    b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">'
                    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' + data.split(b"?>", 1)[1]
                )
            target.writestr(item, data)
    assert "DOCTYPE" in _sheet_problems(out.getvalue())


@pytest.mark.django_db
def test_sheet_unzipping_past_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_INFLATED_BYTES = 1024 * 1024
    content = bombs.xlsx_sheet("<row><c><v>1</v></c></row>" * 50_000)  # ~1,3 MB of XML
    assert "khi giải nén, nội dung vượt quá 1 MB" in _sheet_problems(content)


def test_docx_unzipping_past_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_INFLATED_BYTES = 1024 * 1024
    with pytest.raises(PlanFileError, match="khi giải nén, nội dung vượt quá 1 MB"):
        read_plan_file(bombs.docx_inflating_to(2 * 1024 * 1024), "k.docx")


def test_docx_at_the_limit_is_read(settings):
    settings.PLAN_MAX_PARAGRAPHS = 50
    text = read_plan_file(bombs.docx_paragraphs(49), "k.docx")  # plus the base paragraph
    assert text.count("a") == 49


def test_docx_over_the_limit_is_refused_before_python_docx_reads_it(settings, monkeypatch):
    import docx

    settings.PLAN_MAX_PARAGRAPHS = 50
    content = bombs.docx_paragraphs(51)
    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("python-docx was called"))
    with pytest.raises(PlanFileError, match="hơn 50 đoạn văn"):
        read_plan_file(content, "k.docx")


@pytest.mark.django_db
def test_long_sheet_goes_to_the_queue_even_when_small(client, coordinator, monkeypatch):
    """A few kilobytes of CSV with more rows than the request should import: queued."""
    import django_q.tasks

    queued = []
    monkeypatch.setattr(django_q.tasks, "async_task", lambda *a, **k: queued.append(a))
    rows = [row(**{"Nhiệm vụ": f"Nhiệm vụ {n}"}) for n in range(jobs.INLINE_MAX_ROWS + 50)]
    c = client_for(client, coordinator)
    response = c.post(
        reverse("spreadsheets:upload"), {"file": SimpleUploadedFile("a.csv", sheet_csv(rows))}
    )
    job_id = response.url.rstrip("/").rsplit("/", 1)[-1]
    assert queued == [("planning.jobs.run_job", job_id)]
    progress = c.get(reverse("spreadsheets:job_progress", args=[job_id])).json()
    assert progress == {"state": "queued", "processed": 0, "total": len(rows) + 1}  # and the header
