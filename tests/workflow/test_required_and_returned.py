"""Required fields are marked (a red * and "(bắt buộc)" for screen readers), and
an officer's inbox highlights a returned report with Sở Nội vụ's reason.

Personas (tests/conftest.py): `officer_stp` files the completion report of
Sở Tư pháp's assignment `a_stp`; `coordinator` returns it.
"""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse

from planning.workflow import services as workflow
from tests.conftest import client_for

from .conftest import submit

REQUIRED_MARK = '<span class="required" aria-hidden="true">*</span>'


def _labels(body: str) -> dict[str, str]:
    """The inner HTML of every <label for=...>, by the id it names."""
    return dict(re.findall(r'<label for="([^"]+)">(.*?)</label>', body, flags=re.S))


def test_the_completion_form_marks_every_required_field(client, officer_stp, a_stp, frozen_today):
    body = (
        client_for(client, officer_stp)
        .get(reverse("workflow:submit", args=[a_stp.pk]))
        .content.decode()
    )
    labels = _labels(body)
    for required in ("id_completed_on", "id_document_number", "id_document_date"):
        assert REQUIRED_MARK in labels[required] and "(bắt buộc)" in labels[required]
    for optional in ("id_note", "id_file"):
        assert "required" not in labels[optional]
    # Only the optional fields say so, in their help.
    assert body.count("Không bắt buộc") == 2
    assert "(không bắt buộc)" not in body
    assert "Mục bắt buộc phải điền" in body


def test_the_coordinators_forms_mark_required_fields(client, coordinator, a_stp, frozen_today):
    body = client_for(client, coordinator).get(a_stp.get_absolute_url()).content.decode()
    labels = _labels(body)
    assert REQUIRED_MARK in labels["id_completed_on"]  # "Xác nhận hoàn thành trực tiếp"
    assert REQUIRED_MARK in labels["id_reason"]  # change of agency / withdrawal
    assert REQUIRED_MARK not in labels["id_note"]


def test_a_returned_report_is_highlighted_with_its_reason(
    client, officer_stp, coordinator, a_stp, frozen_today
):
    submission = submit(a_stp, officer_stp, date(2022, 7, 19))
    workflow.return_completion(
        submission=submission, actor=coordinator, reason="Thiếu phụ lục số liệu"
    )
    body = client_for(client, officer_stp).get(reverse("workflow:inbox")).content.decode()
    row = body[body.rindex("<tr", 0, body.index("Rà soát thủ tục hành chính")) :]
    row = row[: row.index("</tr>")]
    assert 'class="returned"' in row
    assert "Bị trả lại" in row and "20/07/2022" in row
    assert "Lý do: Thiếu phụ lục số liệu" in row


def test_a_report_sent_again_is_no_longer_highlighted(
    client, officer_stp, coordinator, a_stp, frozen_today
):
    submission = submit(a_stp, officer_stp, date(2022, 7, 19))
    workflow.return_completion(submission=submission, actor=coordinator, reason="Thiếu phụ lục")
    a_stp.refresh_from_db()
    submit(a_stp, officer_stp, date(2022, 7, 20))
    body = client_for(client, officer_stp).get(reverse("workflow:inbox")).content.decode()
    assert "Bị trả lại" not in body and "Rà soát thủ tục hành chính" in body
