"""An agency enters the measured value of a target it leads, with an evidence file,
each period; the coordinator accepts or returns it, every step in a history.

Who may do what (tests/indicators/conftest.py):
- `officer_snv` (Sở Nội vụ leads 5.5 and the plan's own target "1"): enters them;
- `officer_stp` (Sở Tư pháp): may neither enter nor download Sở Nội vụ's values (404);
- `viewer` (a leader): reads, downloads the evidence, enters nothing (404);
- `coordinator`: reviews (accepts or returns) and publishes results.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planning.evidence import remove_orphan_evidence
from planning.indicators.models import Indicator, IndicatorResult
from tests.conftest import client_for
from tests.factories import make_measured_target

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def quarterly(kh192, registry):
    """The plan's own target measured by quarter, led by Sở Nội vụ."""
    return make_measured_target(
        kh192,
        lead=registry["SNV"],
        name="Tỷ lệ hồ sơ giải quyết đúng hạn",
        target="100",
        comparison=Indicator.Comparison.EQUAL,
    )


def _entry(indicator):
    return reverse("indicators:enter_result", args=[indicator.pk])


def _send(client, indicator, period="30/09/2022", value="97,5", **extra):
    data = {"period_end": period, "value": value, "evidence": "Báo cáo số 45/BC-SNV", **extra}
    return client.post(_entry(indicator), data)


def _pdf(name="bao-cao-quy-3.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_an_officer_sends_a_quarters_value_with_its_evidence_file(client, officer_snv, quarterly):
    response = _send(client_for(client, officer_snv), quarterly, file=_pdf())
    assert response.status_code == 302
    result = IndicatorResult.objects.get(indicator=quarterly)
    assert (result.status, result.value, result.period_end.isoformat()) == (
        "submitted",
        Decimal("97.5"),
        "2022-09-30",
    )
    assert result.original_filename == "bao-cao-quy-3.pdf"
    assert result.content_type == "application/pdf"
    assert result.file.name.startswith("evidence/") and result.file.name.endswith(".pdf")
    assert result.period_label == "Quý III/2022"


def test_the_evidence_file_follows_the_workflows_upload_rules(client, officer_snv, quarterly):
    program = SimpleUploadedFile(
        "bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = _send(client_for(client, officer_snv), quarterly, file=program)
    assert response.status_code == 200
    assert "chương trình chạy được" in str(response.context["form"].errors["file"])
    assert not IndicatorResult.objects.exists()


def test_a_quarterly_target_takes_a_quarters_last_day(client, officer_snv, quarterly):
    response = _send(client_for(client, officer_snv), quarterly, period="31/08/2022")
    assert "ngày cuối quý" in str(response.context["form"].errors["period_end"])


@pytest.mark.parametrize("persona", ["officer_stp", "viewer"])
def test_only_the_lead_agencys_officers_enter(client, request, persona, quarterly):
    client = client_for(client, request.getfixturevalue(persona))
    assert client.get(_entry(quarterly)).status_code == 404
    assert _send(client, quarterly).status_code == 404
    assert not IndicatorResult.objects.exists()


def test_the_coordinator_returns_then_accepts_and_the_history_shows_each_step(
    client, officer_snv, coordinator, quarterly
):
    _send(client_for(client, officer_snv), quarterly, file=_pdf())
    result = IndicatorResult.objects.get()
    review = reverse("indicators:review", args=[result.pk])
    client_for(client, coordinator).post(review, {"decision": "return", "note": "Thiếu số liệu"})
    client_for(client, officer_snv)
    _send(client, quarterly, value="98")  # corrected; the file sent before stays
    client_for(client, coordinator).post(review, {"decision": "approve", "note": ""})
    result.refresh_from_db()
    assert (result.status, result.value, result.original_filename) == (
        "approved",
        Decimal("98"),
        "bao-cao-quy-3.pdf",
    )
    assert [(e.action, e.value, e.note) for e in result.events.all()] == [
        ("submitted", Decimal("97.5"), "Báo cáo số 45/BC-SNV"),
        ("returned", Decimal("97.5"), "Thiếu số liệu"),
        ("submitted", Decimal("98"), "Báo cáo số 45/BC-SNV"),
        ("approved", Decimal("98"), ""),
    ]
    page = client_for(client, officer_snv).get(_entry(quarterly)).content.decode()
    assert "Trả lại 97,5" in page and "Thiếu số liệu" in page and "Quý III/2022" in page


def test_officers_may_not_review(client, officer_snv, quarterly):
    _send(client_for(client, officer_snv), quarterly)
    result = IndicatorResult.objects.get()
    response = client.post(reverse("indicators:review", args=[result.pk]), {"decision": "approve"})
    assert response.status_code == 404
    assert IndicatorResult.objects.get().status == "submitted"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer_snv", 200), ("coordinator", 200), ("viewer", 200), ("officer_stp", 404)],
)
def test_who_may_download_the_evidence(client, request, officer_snv, quarterly, persona, status):
    _send(client_for(client, officer_snv), quarterly, file=_pdf())
    url = IndicatorResult.objects.get().get_evidence_url()
    response = client_for(client, request.getfixturevalue(persona)).get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert 'filename="bao-cao-quy-3.pdf"' in response["Content-Disposition"]


def test_the_daily_orphan_sweep_keeps_an_indicators_evidence(client, officer_snv, quarterly):
    _send(client_for(client, officer_snv), quarterly, file=_pdf())
    from datetime import timedelta

    assert remove_orphan_evidence(grace=timedelta(seconds=-1)) == []
    assert IndicatorResult.objects.get().file.storage.exists(
        IndicatorResult.objects.get().file.name
    )
