"""From a parsed (and possibly reviewed) plan to saved tasks and assignments.

Resolution is separate from parsing so that a plan parses the same on an empty
registry: an agency the registry does not know is kept as written and flagged,
and becomes a new agency only when someone accepts it (the reviewer, or
`import_plan`). Saving goes through `planning.services.add_tasks` in one
transaction, like every other way a plan enters the tracker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify

from agencies.audit import signed
from agencies.matching import AgencyDirectory, fold
from agencies.models import Agency

from ..deadlines import parse_deadline, recurring_periods
from ..indicators.links import propose_links
from ..indicators.prose import ProseTarget
from ..indicators.reading import ReadIndicators, measured_set, read_indicators
from ..indicators.services import save_indicators
from ..models import Plan
from ..services import TaskSpec, add_tasks
from ..workdays import working_calendar
from .parser import DraftRow, ParsedPlan


@dataclass
class Lead:
    written: str
    agency: Agency | None = None
    suggestion: Agency | None = None

    @property
    def name(self) -> str:
        """The registry name when resolved, else the name as written."""
        return self.agency.name if self.agency else self.written


def resolve_leads(row: DraftRow, directory: AgencyDirectory | None) -> list[Lead]:
    leads = []
    for written in row.leads:
        agency = directory.resolve(written) if directory else None
        suggestion = directory.suggest(written) if directory and agency is None else None
        leads.append(Lead(written, agency, suggestion))
    return leads


def unknown_warning(lead: Lead) -> str:
    message = f"Cơ quan chưa có trong danh mục: «{lead.written}»."
    if lead.suggestion:
        message += f" Có phải «{lead.suggestion.name}»?"
    return message


def assignment_rows(parsed: ParsedPlan, directory: AgencyDirectory | None = None) -> list[dict]:
    """One dict per assignment (row × lead agency × period), as `parse_plan` prints them."""
    out = []
    for row in parsed.rows:
        coordinating = []
        for name in row.coordinating:
            agency = directory.resolve(name) if directory else None
            coordinating.append(agency.name if agency else name)
        for lead in resolve_leads(row, directory):
            for label, due in row.periods(parsed.year):
                out.append(
                    {
                        "line": row.line,
                        "section": row.section,
                        "lead_agency": lead.name,
                        "coordinating_agencies": "; ".join(coordinating),
                        "due_month": due.strftime("%Y-%m") if due else "",
                        "due_date": due.isoformat() if due else "",
                        "period": label,
                        "due_text": row.due_text,
                        "title": row.title,
                        "known_agency": lead.agency is not None,
                        "warnings": [
                            *row.warnings,
                            *([] if lead.agency or not directory else [unknown_warning(lead)]),
                        ],
                    }
                )
    return out


def new_agency(name: str) -> Agency:
    """Create an agency a reviewer accepted, with a unique code derived from its name."""
    existing = Agency.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    words = fold(name).replace("-", " ").split()
    base = (slugify("".join(w[0] for w in words if w[:1].isalnum())) or "CQ").upper()[:40]
    code, n = base, 1
    while Agency.objects.filter(code__iexact=code).exists():
        n += 1
        code = f"{base}-{n}"
    return Agency.objects.create(code=code, name=name[:255], kind=Agency.Kind.OTHER)


@dataclass
class ReviewedRow:
    """A row as the reviewer left it: one lead agency (an Agency, or a new name)."""

    title: str
    agency: Agency | None = None
    new_agency_name: str = ""
    section: str = ""
    section_title: str = ""
    due_text: str = ""
    due_date: date | None = None
    line: int | None = None
    coordinating: list[Agency] = field(default_factory=list)
    coordination_text: str = ""
    deliverable: str = ""


def task_specs(
    rows: list[ReviewedRow], year: int, *, signed_on: date | None = None
) -> list[TaskSpec]:
    """Rows that share source line, title and deadline are one task for several agencies.

    A row without a due date whose deadline is in working days ("trong 10 ngày
    làm việc kể từ ngày ký") is due on the province's working-day calendar,
    counted from `signed_on` (the plan's date)."""
    calendar = working_calendar()
    created: dict[str, Agency] = {}
    specs: dict[tuple, TaskSpec] = {}
    for row in rows:
        agency = row.agency
        if agency is None and row.new_agency_name:
            key = row.new_agency_name.strip()
            agency = created.get(key) or new_agency(key)
            created[key] = agency
        if agency is None:
            continue
        deadline = (
            parse_deadline(row.due_text, default_year=year, signed_on=signed_on, calendar=calendar)
            if row.due_text
            else None
        )
        due = row.due_date or (deadline.due_date if deadline else None)
        periods = []
        if deadline and deadline.recurrence and not row.due_date:
            periods = list(recurring_periods(deadline.recurrence, year))
        key = (row.line, row.title, row.due_text, due, row.section)
        if key in specs:
            specs[key].lead_agencies.append(agency)
            continue
        specs[key] = TaskSpec(
            title=row.title,
            lead_agencies=[agency],
            section_code=row.section[:30],
            section_title=row.section_title,
            due_text=row.due_text,
            due_date=due,
            deliverable=row.deliverable,
            coordinating_agencies=row.coordinating,
            coordination_text=row.coordination_text,
            source_line=row.line,
            periods=periods,
        )
    return list(specs.values())


def reviewed_rows(
    parsed: ParsedPlan, directory: AgencyDirectory, *, accept_unknown: bool = True
) -> list[ReviewedRow]:
    """The parser's rows as if a reviewer accepted them all (used by the command and demo)."""
    rows = []
    for row in parsed.rows:
        coordinating = [a for a in (directory.resolve(n) for n in row.coordinating) if a]
        for lead in resolve_leads(row, directory):
            if lead.agency is None and not accept_unknown:
                continue
            rows.append(
                ReviewedRow(
                    title=row.title,
                    agency=lead.agency,
                    new_agency_name="" if lead.agency else lead.written,
                    section=row.section,
                    section_title=row.section_title,
                    due_text=row.due_text,
                    due_date=None if row.recurrence else row.due_date,
                    line=row.line,
                    coordinating=coordinating,
                    coordination_text=row.coordination_text,
                    deliverable=row.deliverable,
                )
            )
    return rows


class PlanExists(ValueError):
    pass


@signed
@transaction.atomic
def save_plan(
    *,
    number: str,
    year: int,
    title: str,
    rows: list[ReviewedRow],
    issuing_body: str = "",
    place: str = "",
    issued_on: date | None = None,
    signer: str = "",
    source_text: str = "",
    status: str = Plan.Status.ACTIVE,
    actor: User | None = None,
    measured: list[ProseTarget] | None = None,
) -> Plan:
    """Create the plan, any agencies the reviewer accepted, its tasks and assignments.

    1. refuse a plan whose (number, year) exists (PlanExists), before writing;
    2. create the plan, then accepted new agencies, then tasks via add_tasks;
    3. its indicators: the appendix's tables read from the text, and the
       measured targets of its sentences that the reviewer kept (`measured`);
    all in one transaction, so a failure leaves nothing behind.
    """
    if Plan.objects.filter(number=number, year=year).exists():
        raise PlanExists(f"Kế hoạch số {number} năm {year} đã có trong hệ thống.")
    plan = Plan.objects.create(
        number=number[:60],
        year=year,
        title=(title or number)[:1000],
        issuing_body=issuing_body[:255],
        place=place[:100],
        issued_on=issued_on,
        signer=signer[:255],
        source_text=source_text,
        status=status,
    )
    add_tasks(plan=plan, specs=task_specs(rows, year, signed_on=issued_on), actor=actor)
    indicators = read_indicators(source_text) if "|" in source_text else ReadIndicators()
    kept = measured_set(measured or [])
    if kept is not None:
        indicators.sets.append(kept)
    if indicators.sets:
        save_indicators(plan=plan, read=indicators)
        propose_links(plan=plan)  # which tasks serve which criteria: for a coordinator to confirm
    return plan
