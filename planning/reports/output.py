"""One report, three formats: the bytes and the file name for each."""

from __future__ import annotations

from django.utils.text import slugify

from .document import Report
from .pdf import render_pdf
from .tables import summary_csv, xlsx_bytes

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def render(report: Report, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "xlsx":
        return xlsx_bytes(report)
    if fmt == "csv":
        # The command's machine-readable contract; no BOM, so that the header
        # line reads exactly "agency,total,...". The dashboard serves the
        # sheets' tables instead (`table_csv`, Vietnamese headers, with a BOM).
        return summary_csv(report).encode("utf-8")
    raise ValueError(f"Unknown report format: {fmt}")


def filename(report: Report, fmt: str, suffix: str = "") -> str:
    """ "bao-cao-192-kh-ubnd-2022-09-30.pdf" """
    plan = slugify(report.plan.number) if report.plan else "tong-hop"
    extra = f"-{suffix}" if suffix else ""
    return f"bao-cao-{plan}-{report.as_of.isoformat()}{extra}.{fmt}"
