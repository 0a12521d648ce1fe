"""A demo plan of the current year, with deadlines around the day it is loaded.

KH 192 is kept as published (2022), so on any later day every open task of it
is long overdue. This plan makes the demo look alive: its due dates are counted
from the day `load_demo` runs, so a newcomer sees work done on time and late,
due soon, overdue, extended, ongoing, a report waiting in "Chờ duyệt" and one
returned with a reason — the inbox, the reminders and the charts all working
on today's date. Its name says it is illustrative data.

Every status is reached through the real workflow (planning/workflow/services.py), so
each has the history line that explains it. Loading is idempotent: the plan is
found by its number and year; an existing one is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User

from agencies.models import Agency

from ..deadlines import ROMAN_OF, month_end, quarter_end
from ..models import Assignment, Plan
from ..services import TaskSpec, add_tasks

NUMBER = "01/KH-MAU"


def plan_title(year: int) -> str:
    return f"Kế hoạch mẫu năm {year} (dữ liệu minh họa)"


@dataclass(frozen=True)
class Story:
    """One demo task: who leads it, when it is due and what has happened to it."""

    section: str
    title: str
    agency: str
    """The lead agency's code (one of KH 192's lead agencies, which have officers)."""
    due: str
    """"-20" (days from today), "month" (end of this month), "quarter", "ongoing"."""
    happened: str
    """on_time, late, progress, none, extended, pending, returned."""


SECTIONS = {
    "1": "Cải cách thể chế",
    "2": "Cải cách thủ tục hành chính",
    "3": "Xây dựng chính quyền điện tử, chính quyền số",
}

STORIES = [
    Story(
        "1",
        "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND Thành phố ban hành",
        "STP",
        "-20",
        "on_time",
    ),
    Story(
        "1",
        "Kiểm tra công tác theo dõi thi hành pháp luật tại các quận, huyện",
        "STP",
        "-35",
        "late",
    ),
    Story(
        "1",
        "Đánh giá tác động của thủ tục hành chính trong dự thảo văn bản quy phạm pháp luật",
        "STP",
        "6",
        "progress",
    ),
    Story("2", "Công bố danh mục thủ tục hành chính được sửa đổi, bổ sung", "STP", "-12", "none"),
    Story(
        "2", "Xây dựng bộ câu hỏi khảo sát mức độ hài lòng của người dân", "STP", "-4", "extended"
    ),
    Story(
        "1", "Cập nhật Cơ sở dữ liệu quốc gia về văn bản pháp luật", "STP", "ongoing", "progress"
    ),
    Story("2", "Báo cáo kết quả kiểm soát thủ tục hành chính", "STP", "12", "pending"),
    Story("3", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "STP", "quarter", "returned"),
    Story(
        "2",
        "Tổ chức kiểm tra công tác cải cách hành chính tại các sở, ngành",
        "SNV",
        "-8",
        "on_time",
    ),
    Story(
        "2", "Tổng hợp, đánh giá Chỉ số cải cách hành chính của các sở, ngành", "SNV", "3", "none"
    ),
    Story(
        "1",
        "Hướng dẫn thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập",
        "STC",
        "-15",
        "progress",
    ),
    Story("1", "Công khai dự toán, quyết toán ngân sách theo quy định", "STC", "-40", "late"),
    Story("3", "Nâng cấp Cổng dịch vụ công trực tuyến của Thành phố", "STTTT", "month", "pending"),
    Story(
        "3",
        "Theo dõi, đôn đốc việc thực hiện nhiệm vụ UBND Thành phố giao",
        "VPUBND",
        "ongoing",
        "none",
    ),
]

DOCUMENT = "{n}/BC-{code}"
RETURN_REASON = "Chưa có văn bản kiểm chứng của UBND cấp xã; đề nghị bổ sung rồi gửi lại."
PROGRESS_NOTE = "Đang triển khai, đã giao phòng chuyên môn chủ trì."


def _due(story: Story, today: date) -> tuple[date | None, str]:
    """The due date and the plan's words for it."""
    if story.due == "ongoing":
        return None, "thường xuyên"
    if story.due == "month":
        return month_end(
            today.year, today.month
        ), f"hoàn thành trong tháng {today.month}/{today.year}"
    if story.due == "quarter":
        quarter = (today.month - 1) // 3 + 1
        words = f"hoàn thành trong Quý {ROMAN_OF[quarter]}/{today.year}"
        return quarter_end(today.year, quarter), words
    due = today + timedelta(days=int(story.due))
    return due, f"hoàn thành trước ngày {due:%d/%m/%Y}"


def load_current_plan(
    *, today: date, coordinator: User, officers: dict[int, User]
) -> tuple[Plan, bool]:
    """The current year's demo plan (created with its history on first call)."""
    plan, created = Plan.objects.get_or_create(
        number=NUMBER,
        year=today.year,
        defaults={
            "title": plan_title(today.year),
            "issuing_body": "Ủy ban nhân dân thành phố Hà Nội (dữ liệu minh họa)",
            "place": "Hà Nội",
            # Issued well before the earliest completion below (today - 40 days).
            "issued_on": today - timedelta(days=60),
            "status": Plan.Status.ACTIVE,
        },
    )
    if not created:
        return plan, False
    agencies = {a.code: a for a in Agency.objects.filter(code__in={s.agency for s in STORIES})}
    specs = []
    for story in STORIES:
        due, words = _due(story, today)
        specs.append(
            TaskSpec(
                title=story.title,
                lead_agencies=[agencies[story.agency]],
                section_code=story.section,
                section_title=SECTIONS[story.section],
                due_text=words,
                due_date=due,
            )
        )
    add_tasks(plan=plan, specs=specs)
    by_title = {a.task.title: a for a in plan.assignments.select_related("task", "plan")}
    for number, story in enumerate(STORIES, 1):
        assignment = by_title[story.title]
        _play(
            story,
            assignment,
            today=today,
            coordinator=coordinator,
            officer=officers[assignment.agency_id],
            document=DOCUMENT.format(n=number, code=story.agency),
        )
    return plan, True


def _play(
    story: Story,
    assignment: Assignment,
    *,
    today: date,
    coordinator: User,
    officer: User,
    document: str,
) -> None:
    """Take one assignment through the workflow to the state its story names."""
    from ..workflow import services as workflow

    due = assignment.due_date
    if story.happened == "none":
        return
    workflow.report_progress(assignment=assignment, actor=officer, note=PROGRESS_NOTE)
    if story.happened in ("on_time", "late"):
        completed_on = due + timedelta(days=-4 if story.happened == "on_time" else 14)
        completed_on = min(completed_on, today)
        workflow.mark_done(
            assignment=assignment,
            actor=coordinator,
            completed_on=completed_on,
            note="Dữ liệu minh họa: xác nhận theo báo cáo của cơ quan chủ trì.",
        )
        # Illustrative data: reported the day the work was done, not the day loaded.
        Assignment.objects.filter(pk=assignment.pk).update(completion_reported_on=completed_on)
    elif story.happened == "extended":
        request = workflow.request_extension(
            assignment=assignment,
            actor=officer,
            requested_due_date=due + timedelta(days=30),
            reason="Chờ ý kiến thẩm định của Bộ Nội vụ.",
        )
        workflow.decide_extension(
            request=request, actor=coordinator, approve=True, note="Đồng ý gia hạn."
        )
    elif story.happened in ("pending", "returned"):
        submission = workflow.submit_completion(
            assignment=assignment,
            actor=officer,
            completed_on=today - timedelta(days=1),
            document_number=document,
            document_date=today - timedelta(days=1),
            note="Đã hoàn thành, gửi kèm báo cáo kết quả.",
        )
        if story.happened == "returned":
            workflow.return_completion(
                submission=submission, actor=coordinator, reason=RETURN_REASON, notify=False
            )
