"""A spreadsheet of published results: previewed, then saved all or nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from planning.indicators.importing import import_results, read_sheet
from planning.indicators.models import IndicatorResult
from tests.conftest import client_for


def _sheet(*rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(["Mã số", "Kỳ", "Kết quả", "Kiểm chứng"])
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_dry_run_previews_and_saves_nothing(kh192, coordinator):
    rows = read_sheet(_sheet(["1.1", "31/12/2022", 1.5, "QĐ 123/QĐ-BNV"]))
    preview = import_results(plan=kh192, rows=rows, by=coordinator, dry_run=True)
    assert preview.errors == [] and not preview.saved
    assert preview.rows[0].indicator.code == "1.1"
    assert not IndicatorResult.objects.exists()


def test_a_clean_sheet_is_saved_as_published_results(kh192, coordinator):
    rows = read_sheet(
        _sheet(
            ["1.1", date(2022, 12, 31), 1.5, "QĐ 123/QĐ-BNV"],
            ["Tổng điểm", "31/12/2022", "90,12", ""],
            ["I.1", "31/12/2022", "91.5", ""],
        )
    )
    done = import_results(plan=kh192, rows=rows, by=coordinator, dry_run=False)
    assert done.saved
    values = dict(IndicatorResult.objects.values_list("indicator__code", "value"))
    assert values == {"1.1": Decimal("1.5"), "": Decimal("90.12"), "I.1": Decimal("91.5")}
    assert set(IndicatorResult.objects.values_list("status", flat=True)) == {"approved"}


def test_one_bad_row_saves_none_and_every_error_is_named(kh192, coordinator):
    rows = read_sheet(
        _sheet(
            ["1.1", "31/12/2022", 1.5, ""],
            ["9.9", "31/12/2022", 1, ""],
            ["1.2", "cuối năm", "nửa điểm", ""],
        )
    )
    done = import_results(plan=kh192, rows=rows, by=coordinator, dry_run=False)
    assert not done.saved
    assert done.errors == [
        "Dòng 3: không có tiêu chí mã «9.9» trong kế hoạch.",
        "Dòng 4: kỳ phải là ngày cuối kỳ, dạng dd/mm/yyyy.",
        "Dòng 4: kết quả «nửa điểm» không phải là một số.",
    ]
    assert not IndicatorResult.objects.exists()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ket-qua.xlsx", content)


def test_the_page_previews_then_saves_what_was_previewed(client, coordinator, kh192):
    url = reverse("indicators:import_results", args=[kh192.pk])
    client_for(client, coordinator)
    preview = client.post(url, {"sheet": _upload(_sheet(["5.5", "31/12/2022", 1, "QĐ 1"]))})
    assert preview.status_code == 200 and preview.context["token"]
    assert not IndicatorResult.objects.exists()
    client.post(url, {"xac_nhan": preview.context["token"] + "x"})  # altered: refused
    assert not IndicatorResult.objects.exists()
    done = client.post(url, {"xac_nhan": preview.context["token"]})
    assert done.status_code == 302
    assert IndicatorResult.objects.get().value == 1


def test_the_page_offers_no_confirmation_for_a_sheet_with_errors(client, coordinator, kh192):
    url = reverse("indicators:import_results", args=[kh192.pk])
    response = client_for(client, coordinator).post(
        url, {"sheet": _upload(_sheet(["9.9", "31/12/2022", 1, ""]))}
    )
    assert response.context["token"] == ""
    assert "không có tiêu chí mã «9.9»" in response.content.decode()


def test_only_a_coordinator_imports(client, officer_snv, viewer, kh192):
    url = reverse("indicators:import_results", args=[kh192.pk])
    for user in (officer_snv, viewer):
        assert client_for(client, user).get(url).status_code == 404


def test_results_sheet_bomb_is_refused_before_openpyxl_reads_it():
    """Six million cells in 390 KB: refused by the trackers' inspection, in a moment."""
    import time

    from planning.spreadsheets.readers import SheetError
    from tests.uploads.bombs import xlsx_cells

    content = xlsx_cells()
    started = time.monotonic()
    with pytest.raises(SheetError, match=r"hơn 25\.000 dòng"):
        read_sheet(content)
    assert time.monotonic() - started < 10


def test_the_page_states_the_spreadsheet_limit_and_refuses_a_file_over_it(
    client, coordinator, kh192, settings
):
    url = reverse("indicators:import_results", args=[kh192.pk])
    client_for(client, coordinator)
    settings.SPREADSHEET_MAX_BYTES = 3 * 1024 * 1024
    assert "Tệp tối đa 3 MB" in client.get(url).content.decode()
    settings.SPREADSHEET_MAX_BYTES = 100
    response = client.post(url, {"sheet": _upload(_sheet(["5.5", "31/12/2022", 1, "QĐ 1"]))})
    assert response.status_code == 200
    assert "Tệp quá lớn" in response.content.decode()
    assert not IndicatorResult.objects.exists()
