"""Demo data: Hà Nội's Kế hoạch 192/KH-UBND, its agencies and demo accounts,
and a current-year illustrative plan (current_year.py) dated around today.

The files beside this module are copies of the published plan and of the
assignments a careful reader extracts from it, so the project never reads
`../shared` at run time. The plan's tasks are read from plan.txt by the plan
parser; the hand-made CSV (`gold_task_specs`) stays as the parser's yardstick.
Loading is idempotent: a second run changes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from agencies.matching import AgencyDirectory
from agencies.models import Agency, Membership

from ..deadlines import parse_deadline
from ..indicators.services import load_demo_indicators
from ..models import Assignment, Plan
from ..services import TaskSpec, add_tasks
from .current_year import load_current_plan

DEMO_DIR = Path(__file__).resolve().parent
PLAN_DIR = DEMO_DIR / "kh-192-2022"
DEMO_PASSWORD = "demo-cchc-2022"  # noqa: S105 - printed for the demo accounts only
COORDINATOR_USERNAME = "snv.dieuphoi"
VIEWER_USERNAME = "lanhdao.ubnd"

PLAN_META = {
    "number": "192/KH-UBND",
    "year": 2022,
    "title": (
        "Cải thiện, nâng cao Chỉ số cải cách hành chính (PAR INDEX), Chỉ số hài lòng "
        "của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước "
        "(SIPAS) năm 2022 của thành phố Hà Nội"
    ),
    "issuing_body": "Ủy ban nhân dân thành phố Hà Nội",
    "place": "Hà Nội",
    "issued_on": date(2022, 7, 8),
    "signer": "Lê Hồng Sơn",
}


@dataclass
class DemoResult:
    agencies_created: int
    plan_created: bool
    assignments: int
    accounts: list[tuple[str, str, str]]
    """(username, password, who) for every demo account."""
    current_plan: Plan | None = None
    """The current year's illustrative plan (planning/demo/current_year.py)."""
    current_plan_created: bool = False


def load_agencies() -> int:
    """Create or update the demo agencies from agencies.csv; returns how many were new."""
    created = 0
    with (DEMO_DIR / "agencies.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            _, was_created = Agency.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "short_name": row["short_name"],
                    "kind": row["kind"],
                    "aliases": "\n".join(a for a in row["aliases"].split("|") if a),
                    "emails": row["emails"],
                    "leader_email": row["leader_email"],
                },
            )
            created += was_created
    return created


def parsed_task_specs(directory: AgencyDirectory) -> list[TaskSpec]:
    """KH 192's tasks as the plan parser reads plan.txt (the gold CSV only checks it).

    Every lead agency must resolve: the demo never invents agencies.
    """
    from ..parsing import parse_text
    from ..parsing.importing import reviewed_rows, task_specs

    parsed = parse_text((PLAN_DIR / "plan.txt").read_text(encoding="utf-8"), default_year=2022)
    rows = reviewed_rows(parsed, directory)
    unknown = sorted({row.new_agency_name for row in rows if row.agency is None})
    if unknown:
        raise ValueError(f"Demo agencies not found: {unknown}")
    return task_specs(rows, parsed.year)


def gold_task_specs(directory: AgencyDirectory) -> list[TaskSpec]:
    """The 34 assignments of KH 192 as a careful reader extracted them.

    Rows that share a source line and title are one task for several agencies.
    """
    specs: dict[tuple[str, str], TaskSpec] = {}
    with (PLAN_DIR / "assignments.gold.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            agency = directory.resolve(row["lead_agency"])
            if agency is None:
                raise ValueError(f"Demo agency not found: {row['lead_agency']!r}")
            key = (row["line"], row["title"])
            if key in specs:
                specs[key].lead_agencies.append(agency)
                continue
            deadline = parse_deadline(row["due_text"], default_year=2022)
            specs[key] = TaskSpec(
                title=row["title"],
                lead_agencies=[agency],
                section_code=row["section"],
                due_text=row["due_text"],
                due_date=deadline.due_date if deadline else None,
                source_line=int(row["line"]),
            )
    return list(specs.values())


def seed_progress(plan: Plan, *, coordinator: User, officers: dict[int, User]) -> None:
    """Give the demo a history through the real workflow: per agency, the first
    60% done (one in three late), the next one in progress with a note.

    Deterministic, so "Sở Tư pháp: 3/5 (60,00%)" reads the same on every machine,
    and every status on screen has the history line that explains it.
    """
    from ..workflow import services as workflow

    by_agency: dict[int, list[Assignment]] = {}
    for assignment in plan.assignments.select_related("task", "plan").order_by("task__order", "pk"):
        by_agency.setdefault(assignment.agency_id, []).append(assignment)
    for agency_id, assignments in by_agency.items():
        officer = officers[agency_id]
        done_count = round(len(assignments) * 0.6)
        for index, assignment in enumerate(assignments):
            if index > done_count or assignment.due_date is None:
                continue
            workflow.report_progress(
                assignment=assignment,
                actor=officer,
                note="Đang triển khai, đã giao phòng chuyên môn.",
            )
            if index < done_count:
                late = index % 3 == 2
                completed_on = assignment.due_date + timedelta(days=10 if late else -3)
                workflow.mark_done(
                    assignment=assignment,
                    actor=coordinator,
                    completed_on=completed_on,
                    note="Dữ liệu mẫu: xác nhận theo báo cáo của cơ quan chủ trì.",
                )
                # As if reported when done (2022), not the day the demo is loaded.
                Assignment.objects.filter(pk=assignment.pk).update(
                    completion_reported_on=completed_on
                )


def ensure_account(username: str, *, agency: Agency, role: str, first_name: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "email": f"{username}@cchc.example"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, defaults={"agency": agency, "role": role})
    return user


@transaction.atomic
def load_demo() -> DemoResult:
    """Agencies, KH 192 with its 34 assignments, the demo accounts and the current
    year's illustrative plan (dates around today); idempotent."""
    agencies_created = load_agencies()
    directory = AgencyDirectory()
    meta = dict(PLAN_META)
    plan, plan_created = Plan.objects.get_or_create(
        number=meta.pop("number"),
        year=meta.pop("year"),
        defaults={
            **meta,
            "status": Plan.Status.ACTIVE,
            "source_text": (PLAN_DIR / "plan.txt").read_text(encoding="utf-8"),
        },
    )
    if plan_created:
        add_tasks(plan=plan, specs=parsed_task_specs(directory))
    # The appendix's PAR INDEX and SIPAS targets (updated in place on a rerun).
    load_demo_indicators(plan)

    snv = Agency.objects.get(code="SNV")
    accounts = [(COORDINATOR_USERNAME, DEMO_PASSWORD, "Điều phối, Sở Nội vụ")]
    coordinator = ensure_account(
        COORDINATOR_USERNAME,
        agency=snv,
        role=Membership.Role.COORDINATOR,
        first_name="Điều phối Sở Nội vụ",
    )
    ensure_account(
        VIEWER_USERNAME,
        agency=Agency.objects.get(code="VPUBND"),
        role=Membership.Role.VIEWER,
        first_name="Lãnh đạo UBND Thành phố",
    )
    accounts.append((VIEWER_USERNAME, DEMO_PASSWORD, "Lãnh đạo (chỉ xem)"))
    lead_agencies = Agency.objects.filter(assignments__plan=plan).distinct().order_by("name")
    officers: dict[int, User] = {}
    for agency in lead_agencies:
        username = f"{agency.code.lower()}.canbo"
        officers[agency.pk] = ensure_account(
            username,
            agency=agency,
            role=Membership.Role.OFFICER,
            first_name=f"Cán bộ {agency.display_name}",
        )
        accounts.append((username, DEMO_PASSWORD, f"Cán bộ đầu mối, {agency.name}"))
    if plan_created:
        seed_progress(plan, coordinator=coordinator, officers=officers)
    current_plan, current_created = load_current_plan(
        today=timezone.localdate(), coordinator=coordinator, officers=officers
    )
    return DemoResult(
        agencies_created=agencies_created,
        plan_created=plan_created,
        assignments=plan.assignments.count(),
        accounts=accounts,
        current_plan=current_plan,
        current_plan_created=current_created,
    )
