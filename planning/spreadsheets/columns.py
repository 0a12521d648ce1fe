"""The tracker sheet's columns, what each holds, and how a cell is written.

One place for the layout that the import, the export and the downloadable
templates share; everything else in this package reads its names from here.
"""

from __future__ import annotations

import re
from datetime import date

from planning.models import Task

PLAN = "Kế hoạch"
SECTION = "Mục"
TITLE = "Nhiệm vụ"
LEAD = "Cơ quan chủ trì"
COORDINATING = "Cơ quan phối hợp"
DEADLINE = "Thời hạn"
STATUS = "Trạng thái"
COMPLETED = "Ngày hoàn thành"
EVIDENCE = "Văn bản kiểm chứng"
NOTE = "Ghi chú"
COLUMNS = [PLAN, SECTION, TITLE, LEAD, COORDINATING, DEADLINE, STATUS, COMPLETED, EVIDENCE, NOTE]
REQUIRED = [PLAN, SECTION, TITLE, LEAD, DEADLINE, STATUS]

# What each column holds: the header comments of the downloadable templates.
COLUMN_HELP = {
    PLAN: "Số, ký hiệu kế hoạch, ví dụ 192/KH-UBND. Kế hoạch chưa có sẽ được tạo; "
    "nếu nhiều năm trùng số, ghi thêm năm: 192/KH-UBND (2022).",
    SECTION: "Mục của kế hoạch, ví dụ 1.1 hoặc III.2 (có thể để trống).",
    TITLE: "Nội dung nhiệm vụ, ghi đúng như trong kế hoạch.",
    LEAD: "Một cơ quan chủ trì: mã (STP), tên (Sở Tư pháp) hoặc tên gọi khác.",
    COORDINATING: "Các cơ quan phối hợp, cách nhau bằng dấu chấm phẩy (;).",
    DEADLINE: "tháng 7/2022, 7/2022, Quý III/2022, 31/07/2022 hoặc Thường xuyên.",
    STATUS: "Chưa thực hiện, Đang thực hiện hoặc Hoàn thành.",
    COMPLETED: "Ngày/tháng/năm, ví dụ 03/06/2023; bắt buộc khi đã Hoàn thành.",
    EVIDENCE: "Số, ký hiệu văn bản kiểm chứng (báo cáo, quyết định…).",
    NOTE: "Ghi chú tùy ý.",
}
EXAMPLE_ROW = [
    "192/KH-UBND",
    "1.1",
    "Tổ chức Hội nghị triển khai các giải pháp cải thiện Chỉ số CCHC",
    "Sở Nội vụ",
    "Văn phòng UBND Thành phố; Sở Tư pháp",
    "tháng 7/2022",
    "Hoàn thành",
    "28/07/2022",
    "Báo cáo số 123/BC-SNV ngày 28/07/2022",
    "Dòng ví dụ: xóa trước khi nhập",
]

IMPORT_NOTE = "Nhập từ bảng tính"


def squash(text) -> str:
    return " ".join(str(text or "").split())


def too_long(text: str, model, field_name: str) -> str | None:
    """The message for a cell longer than its database column. Checked before the
    database does, so that SQLite (which stores any length) refuses what
    PostgreSQL would, and the message names the limit in Vietnamese."""
    limit = model._meta.get_field(field_name).max_length
    if len(text) <= limit:
        return None
    return f"dài {len(text)} ký tự, quá giới hạn {limit} ký tự của cột này — hãy rút gọn"


def split_names(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text or "") if part.strip()]


def day_text(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def coordination_of(task: Task) -> str:
    """What the sheet shows in 'Cơ quan phối hợp': the text as written, else the names."""
    if task.coordination_text:
        return "; ".join(split_names(task.coordination_text))
    return "; ".join(a.name for a in task.coordinating_agencies.all())
