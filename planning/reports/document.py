"""A progress report as a document: its figures plus the header and signature
of a Vietnamese administrative report (Nghị định 30/2020/NĐ-CP).

One `Report` feeds the PDF, the workbook and the CSV files, so they show the
same numbers. The issuing body, number symbol and signer come from settings
(REPORT_ISSUER, REPORT_ISSUER_CODE, REPORT_SIGNER_TITLE, REPORT_SIGNER_NAME,
read from the environment in config/settings.py) with Sở Nội vụ's defaults;
the parent body comes from the plan. An officer's report covers the own
agency only, so that agency issues it: its name, its code in the number
symbol ("/BC-STP"), its head as the signer, Sở Nội vụ among the recipients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from agencies import access
from agencies.models import Agency
from planning.formatting import format_change
from planning.indicators.tables import SetTable, indicator_tables
from planning.models import Assignment, Plan

from .periods import ReportingPeriod
from .statistics import ReportFilters, Statistics, as_of_rows, assignments_for, compute

_PEOPLES_COMMITTEE = re.compile(r"^\s*[UỦ][yỷ]\s+ban\s+nhân\s+dân\s+", re.IGNORECASE)


def setting(name: str, default: str) -> str:
    return getattr(settings, name, default)


def short_body(name: str) -> str:
    """ "Ủy ban nhân dân thành phố Hà Nội" → "UBND thành phố Hà Nội"."""
    return _PEOPLES_COMMITTEE.sub("UBND ", name).strip()


def vn_date(d: date) -> str:
    """ "08/7/2022": day with two digits, month as written in a document's citation."""
    return f"{d.day:02d}/{d.month}/{d.year}"


def window_line(period: ReportingPeriod) -> str:
    """ "Số liệu từ ngày 15/6/2022 đến ngày 14/9/2022" """
    return f"Số liệu từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)}"


def date_line(place: str, d: date) -> str:
    """ "Hà Nội, ngày 05 tháng 02 năm 2026": per Nghị định 30, a day below 10 and
    a month below 3 take a leading zero."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    prefix = f"{place}, " if place else ""
    return f"{prefix}ngày {day} tháng {month} năm {d.year}"


@dataclass
class Report:
    plan: Plan | None
    stats: Statistics
    overdue: list[Assignment]
    extended: list[Assignment]
    issued_on: date
    issuing_agency: Agency | None = None
    """The officer's own agency when the report is its extract; None for Sở Nội vụ's."""
    indicators: list[SetTable] = field(default_factory=list)
    """The plan's indicator tables as of the report's date (its "Chỉ tiêu" section and
    sheet); an officer's extract holds the criteria its agency leads."""

    @property
    def as_of(self) -> date:
        return self.stats.as_of

    @property
    def parent_body(self) -> str:
        body = self.plan.issuing_body if self.plan and self.plan.issuing_body else ""
        return short_body(body or setting("REPORT_PARENT_BODY", "UBND thành phố Hà Nội")).upper()

    @property
    def issuer(self) -> str:
        if self.issuing_agency is not None:
            return self.issuing_agency.name.upper()
        return setting("REPORT_ISSUER", "Sở Nội vụ").upper()

    @property
    def number_line(self) -> str:
        if self.issuing_agency is not None:
            code = self.issuing_agency.code.upper()
        else:
            code = setting("REPORT_ISSUER_CODE", "SNV")
        return f"Số:        /BC-{code}"

    @property
    def date_line(self) -> str:
        place = (self.plan.place if self.plan else "") or setting("REPORT_PLACE", "Hà Nội")
        return date_line(place, self.issued_on)

    @property
    def reporting(self) -> ReportingPeriod | None:
        return self.stats.filters.reporting

    @property
    def window_line(self) -> str:
        """ "Số liệu từ ngày 15/6/2022 đến ngày 14/9/2022" ("" without a reporting period)."""
        return window_line(self.reporting) if self.reporting else ""

    @property
    def subject(self) -> str:
        """The line under "BÁO CÁO", ending with the reporting period when there is one."""
        text = self._subject
        return f"{text} ({self.reporting.label})" if self.reporting else text

    @property
    def _subject(self) -> str:
        if self.plan is None:
            return "Kết quả thực hiện nhiệm vụ cải cách hành chính"
        text = f"Kết quả thực hiện Kế hoạch số {self.plan.number}"
        if self.plan.issued_on:
            text += f" ngày {vn_date(self.plan.issued_on)}"
        if self.plan.issuing_body:
            text += f" của {short_body(self.plan.issuing_body)}"
        if self.plan.title:
            title = self.plan.title
            text += " về " + title[:1].lower() + title[1:]
        return text

    @property
    def scope_line(self) -> str:
        """ "(Số liệu tính đến ngày 30/9/2022; Sở Tư pháp; Quý III/2022)"."""
        f = self.stats.filters
        parts = [self.window_line or f"Số liệu tính đến ngày {vn_date(f.as_of)}"]
        if f.agency is not None:
            parts.append(f"cơ quan chủ trì: {f.agency.name}")
        if f.section:
            parts.append(f"mục {f.section}")
        if f.period:
            parts.append(f"nhiệm vụ có thời hạn trong {f.period_label}")
        return "(" + "; ".join(parts) + ")"

    @property
    def summary(self) -> str:
        """The figures written out in one paragraph, the way the report states them."""
        t = self.stats.total
        r = t.rollup
        agencies = len(self.stats.by_agency)
        text = (
            f"Tính đến ngày {vn_date(self.as_of)}, tổng số nhiệm vụ được giao là {r.total} "
            f"nhiệm vụ cho {agencies} cơ quan chủ trì; đã {r.sentence}, trong đó "
            f"{r.done_on_time} nhiệm vụ hoàn thành đúng hạn và {r.done_late} nhiệm vụ "
            f"hoàn thành trễ hạn (tỷ lệ hoàn thành đúng hạn đạt {r.on_time_ratio_display}). "
            f"Còn {r.open} nhiệm vụ đang thực hiện, trong đó {t.open_not_overdue} nhiệm vụ "
            f"chưa đến hạn"
        )
        if r.ongoing:
            text += f" (gồm {r.ongoing} nhiệm vụ thực hiện thường xuyên)"
        text += f" và {r.open_overdue} nhiệm vụ quá hạn. "
        if r.extended:
            text += f"Có {r.extended} nhiệm vụ được gia hạn. "
        else:
            text += "Không có nhiệm vụ nào được gia hạn. "
        text += (
            f"Tỷ lệ nhiệm vụ đang thực hiện có cập nhật tiến độ trong 30 ngày qua đạt "
            f"{t.update_rate_display} ({t.updated_recently}/{r.open})."
        )
        return text

    @property
    def period_paragraph(self) -> str:
        """The window's figures, and their change against the comparison period."""
        if self.reporting is None:
            return ""
        w = self.stats.total.window
        text = (
            f"Trong kỳ báo cáo {self.reporting.label} ({self.window_line.lower()})"
            f" có {w.due} nhiệm vụ đến hạn phải hoàn thành, trong đó "
            f"{w.due_done} nhiệm vụ đã hoàn thành ({w.due_done_on_time} đúng hạn), đạt "
            f"{w.due_ratio_display}; trong kỳ đã hoàn thành {w.completed} nhiệm vụ."
        )
        compare, compared = self.stats.filters.compare, self.stats.compared
        if compare is None or compared is None:
            return text
        if not compared.rollup.total:
            return text + f" {compare.label} chưa có nhiệm vụ nào để so sánh."
        now, before = self.stats.total.rollup, compared.rollup
        changes = [
            ("tỷ lệ hoàn thành nhiệm vụ đến hạn trong kỳ", w.due_ratio, compared.window.due_ratio),
            ("tỷ lệ hoàn thành nhiệm vụ đến hạn lũy kế", now.due_ratio, before.due_ratio),
            ("tỷ lệ hoàn thành lũy kế", now.ratio, before.ratio),
        ]
        worded = [
            f"{name} {format_change(current, previous)}"
            for name, current, previous in changes
            if current is not None and previous is not None
        ]
        if worded:
            text += f" So với {compare.label} ({window_line(compare).lower()}), "
            text += ", ".join(worded) + "."
        return text

    @property
    def due_paragraph(self) -> str:
        """ "Tỷ lệ hoàn thành nhiệm vụ đến hạn đạt 75,00%: 4 nhiệm vụ đến hạn ..." """
        r = self.stats.total.rollup
        return (
            f"Tỷ lệ hoàn thành nhiệm vụ đến hạn đạt {r.due_ratio_display}: tính đến ngày "
            f"{vn_date(self.as_of)} có {r.due_sentence}."
        )

    @property
    def signer_title(self) -> str:
        if self.issuing_agency is not None:
            return "THỦ TRƯỞNG CƠ QUAN"
        return setting("REPORT_SIGNER_TITLE", "GIÁM ĐỐC").upper()

    @property
    def signer_name(self) -> str:
        """Blank on an agency's extract: REPORT_SIGNER_NAME signs for Sở Nội vụ."""
        if self.issuing_agency is not None:
            return ""
        return setting("REPORT_SIGNER_NAME", "")

    @property
    def recipients(self) -> list[str]:
        if self.issuing_agency is not None:
            return [f"{setting('REPORT_ISSUER', 'Sở Nội vụ')} (để tổng hợp);", "Lưu: VT."]
        return [
            "UBND Thành phố (để báo cáo);",
            "Các cơ quan chủ trì;",
            "Lưu: VT, CCHC.",
        ]

    @property
    def row_count(self) -> int:
        return len(self.stats.by_agency) + len(self.overdue) + len(self.extended)


def build_report(*, user, filters: ReportFilters, issued_on: date | None = None) -> Report:
    """Figures and lists for what `user` may see (everything when None).

    Seven queries whatever the size: five aggregates and the two lists (read in
    full); two more for a plan's indicators (`indicator_tables`).
    """
    queryset = assignments_for(user, filters)
    stats = compute(queryset, filters)
    own_only = user is not None and not access.sees_everything(user)
    indicators = []
    if filters.plan is not None:
        indicators = indicator_tables(filters.plan, filters.as_of, user=user)
    return Report(
        plan=filters.plan,
        stats=stats,
        overdue=as_of_rows(stats.overdue, filters.as_of),
        extended=as_of_rows(stats.extended, filters.as_of),
        issued_on=issued_on or timezone.localdate(),
        issuing_agency=access.agency_of(user) if own_only else None,
        indicators=indicators,
    )


def expected_rows(*, user, filters: ReportFilters) -> int:
    """An upper bound of the report's table rows, in one count query (to decide
    between rendering now and queueing a task)."""
    return assignments_for(user, filters).active().count()
