"""PDF report for a plan of 2,000 assignments: where the time goes.

    .venv/bin/python bench/bench_pdf.py

Target (docs/REPORTS.md): under 15 s on this 2-core machine; the time split
between the queries, the template (HTML + SVG charts) and weasyprint.
"""

from __future__ import annotations

import time
from datetime import date

from _setup import ensure_data, setup

setup("cchc_bench_pdf")

from planning.generate import generated_assignments  # noqa: E402
from planning.models import Plan  # noqa: E402
from planning.reports.document import build_report  # noqa: E402
from planning.reports.pdf import Timings, render_pdf  # noqa: E402
from planning.reports.statistics import ReportFilters  # noqa: E402

ensure_data(agencies=60, plans=1, assignments=2000, seed=7)
plan = Plan.objects.get(pk=generated_assignments().values("plan").first()["plan"])
as_of = date(2024, 6, 30)

start = time.perf_counter()
report = build_report(user=None, filters=ReportFilters(as_of=as_of, plan=plan))
queries = time.perf_counter() - start
timings = Timings()
pdf = render_pdf(report, timings)
total = time.perf_counter() - start

from io import BytesIO  # noqa: E402

from pypdf import PdfReader  # noqa: E402

pages = len(PdfReader(BytesIO(pdf)).pages)
print(f"plan {plan.number}: {report.stats.total.rollup.total} assignments, "
      f"{len(report.stats.by_agency)} agencies, {len(report.overdue)} overdue rows, "
      f"{len(report.extended)} extended rows, {pages} pages, {len(pdf) // 1024} KiB")  # fmt: skip
print(f"queries {queries:.2f} s, template {timings.template:.2f} s, "
      f"weasyprint {timings.weasyprint:.2f} s, total {total:.2f} s")  # fmt: skip
