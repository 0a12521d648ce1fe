"""A realistic, deterministic data set for benchmarks and load tests.

`generate(agencies=600, plans=50, assignments=100_000, seed=1)` builds a
province's worth of agencies (sở, quận/huyện/thị xã, xã/phường), plans with
sections and tasks, and assignments in every state a report counts: done on
time, done late, open and not yet due, overdue, ongoing ("thường xuyên"),
extended, withdrawn; with "created", progress, extension and completion
events. Everything comes from `random.Random(seed)` and a fixed reference date,
so the same arguments give the same rows on SQLite and PostgreSQL.

Generated rows never clash with real or demo data: agency codes start with
"G-", plan numbers already taken in a year are skipped, a name already in use
gets the code appended, and generated plans carry `GENERATED_MARKER` in
`source_text` so `replace=True` can remove exactly what an earlier run made.

Rows are written with `bulk_create` in batches, never one query per row:
100,000 assignments take well under two minutes on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count

from agencies.models import Agency, Membership

from .deadlines import due_label, month_end, quarter_end, quarter_label
from .models import Assignment, AssignmentEvent, Plan, Section, Task
from .querysets import Rollup

CODE_PREFIX = "G-"
GENERATED_MARKER = "[dữ liệu sinh tự động]"
DEFAULT_TODAY = date(2026, 10, 15)
BATCH_SIZE = 2000

# --- Vocabulary -----------------------------------------------------------------

DEPARTMENTS = [
    ("SNV", "Sở Nội vụ", "SNV"),
    ("VPUBND", "Văn phòng UBND tỉnh", "VP UBND tỉnh"),
    ("STP", "Sở Tư pháp", "STP"),
    ("STC", "Sở Tài chính", "STC"),
    ("STTTT", "Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"),
    ("SXD", "Sở Xây dựng", "SXD"),
    ("SGTVT", "Sở Giao thông vận tải", "Sở GTVT"),
    ("SYT", "Sở Y tế", "SYT"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Sở LĐTB&XH"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT"),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("SCT", "Sở Công Thương", "SCT"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTT&DL"),
    ("SNGV", "Sở Ngoại vụ", "SNgV"),
    ("SDT", "Sở Dân tộc", "SDT"),
    ("TTRA", "Thanh tra tỉnh", "Thanh tra tỉnh"),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp", "BQL các KCN"),
    ("CATINH", "Công an tỉnh", "Công an tỉnh"),
    ("BCHQS", "Bộ Chỉ huy Quân sự tỉnh", "Bộ CHQS tỉnh"),
    ("BHXH", "Bảo hiểm xã hội tỉnh", "BHXH tỉnh"),
    ("CUCTHUE", "Cục Thuế tỉnh", "Cục Thuế"),
    ("KBNN", "Kho bạc Nhà nước tỉnh", "KBNN tỉnh"),
    ("NHNN", "Ngân hàng Nhà nước chi nhánh tỉnh", "NHNN tỉnh"),
    ("CUCTK", "Cục Thống kê tỉnh", "Cục Thống kê"),
    ("BQLDADTXD", "Ban Quản lý dự án đầu tư xây dựng tỉnh", "BQLDA ĐTXD"),
    ("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh", "TT PVHCC"),
    ("BDT", "Ban Dân tộc tỉnh", "Ban Dân tộc"),
    ("SQHKT", "Sở Quy hoạch - Kiến trúc", "Sở QH&KT"),
    ("SDL", "Sở Du lịch", "SDL"),
    ("CUCHQ", "Cục Hải quan tỉnh", "Cục Hải quan"),
    ("BQLKKT", "Ban Quản lý Khu kinh tế", "BQL KKT"),
]
OTHER_BODIES = [
    ("VNCPT", "Viện Nghiên cứu phát triển kinh tế - xã hội tỉnh", "Viện NCPT"),
    ("DPTTH", "Đài Phát thanh và Truyền hình tỉnh", "Đài PT-TH"),
    ("BAOTINH", "Báo tỉnh", "Báo tỉnh"),
    ("TRUONGCT", "Trường Chính trị tỉnh", "Trường Chính trị"),
    ("LDLD", "Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh"),
    ("TDTN", "Tỉnh Đoàn", "Tỉnh Đoàn"),
    ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN tỉnh"),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UBMTTQ tỉnh"),
]
DISTRICT_PLACES = [
    "Ba Đình",
    "Hoàn Kiếm",
    "Tây Hồ",
    "Long Biên",
    "Cầu Giấy",
    "Đống Đa",
    "Hai Bà Trưng",
    "Hoàng Mai",
    "Thanh Xuân",
    "Sóc Sơn",
    "Đông Anh",
    "Gia Lâm",
    "Nam Từ Liêm",
    "Thanh Trì",
    "Bắc Từ Liêm",
    "Mê Linh",
    "Hà Đông",
    "Sơn Tây",
    "Ba Vì",
    "Phúc Thọ",
    "Đan Phượng",
    "Hoài Đức",
    "Quốc Oai",
    "Thạch Thất",
    "Chương Mỹ",
    "Thanh Oai",
    "Thường Tín",
    "Phú Xuyên",
    "Ứng Hòa",
    "Mỹ Đức",
    "Yên Phong",
    "Quế Võ",
    "Tiên Du",
    "Từ Sơn",
    "Thuận Thành",
    "Gia Bình",
    "Lương Tài",
    "Kim Bảng",
    "Duy Tiên",
    "Thanh Liêm",
    "Bình Lục",
    "Lý Nhân",
    "Vụ Bản",
    "Ý Yên",
    "Nghĩa Hưng",
    "Hải Hậu",
    "Giao Thủy",
    "Xuân Trường",
    "Trực Ninh",
    "Mỹ Lộc",
]
COMMUNE_PLACES = [
    "Phúc Xá",
    "Trúc Bạch",
    "Vĩnh Phúc",
    "Cống Vị",
    "Liễu Giai",
    "Quán Thánh",
    "Ngọc Hà",
    "Điện Biên",
    "Đội Cấn",
    "Ngọc Khánh",
    "Kim Mã",
    "Giảng Võ",
    "Thành Công",
    "Phúc Tân",
    "Đồng Xuân",
    "Hàng Mã",
    "Hàng Buồm",
    "Hàng Đào",
    "Hàng Bồ",
    "Cửa Đông",
    "Lý Thái Tổ",
    "Hàng Bạc",
    "Hàng Gai",
    "Chương Dương",
    "Hàng Trống",
    "Cửa Nam",
    "Hàng Bông",
    "Tràng Tiền",
    "Trần Hưng Đạo",
    "Phan Chu Trinh",
    "Hàng Bài",
    "Tân Lập",
    "Tân Hội",
    "Liên Trung",
    "Liên Hà",
    "Liên Hồng",
    "Hồng Hà",
    "Thượng Mỗ",
    "Đồng Tháp",
    "Song Phượng",
    "Phương Đình",
    "Thọ An",
    "Thọ Xuân",
    "Trung Châu",
    "Hạ Mỗ",
    "Tân Dân",
    "Minh Khai",
    "Đông Ngạc",
    "Đức Thắng",
    "Thụy Phương",
    "Tây Tựu",
    "Xuân Đỉnh",
    "Cổ Nhuế",
    "Phú Diễn",
    "Kiến Hưng",
    "Phú Lãm",
    "Phú Lương",
    "Yên Nghĩa",
    "Dương Nội",
    "Đồng Mai",
    "Biên Giang",
    "Quang Trung",
    "Văn Quán",
    "Mộ Lao",
    "Vạn Phúc",
    "Yết Kiêu",
    "Nguyễn Trãi",
    "Hà Cầu",
    "La Khê",
    "Phú La",
    "Phúc La",
    "Kim Chung",
    "Di Trạch",
    "Vân Canh",
    "Sơn Đồng",
    "An Khánh",
    "An Thượng",
    "Vân Côn",
    "La Phù",
    "Đông La",
    "Đức Giang",
    "Đức Thượng",
    "Minh Phú",
    "Minh Trí",
    "Hiền Ninh",
    "Tân Minh",
    "Quang Tiến",
    "Phù Linh",
    "Tiên Dược",
    "Mai Đình",
    "Phù Lỗ",
    "Phú Cường",
    "Phú Minh",
    "Thanh Xuân",
    "Nam Sơn",
    "Bắc Sơn",
    "Hồng Kỳ",
    "Trung Giã",
    "Bắc Phú",
    "Đông Xuân",
    "Xuân Giang",
    "Việt Long",
    "Xuân Thu",
]
AREAS = [
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "Công tác chỉ đạo, điều hành và tuyên truyền cải cách hành chính",
]
PLAN_TITLES = [
    "Kế hoạch cải cách hành chính nhà nước năm {y}",
    "Kế hoạch kiểm soát thủ tục hành chính năm {y}",
    "Kế hoạch chuyển đổi số năm {y}",
    "Kế hoạch tuyên truyền cải cách hành chính năm {y}",
    "Kế hoạch nâng cao Chỉ số PAR INDEX, SIPAS năm {y}",
    "Kế hoạch rà soát, đơn giản hóa thủ tục hành chính năm {y}",
    "Kế hoạch thực hiện cơ chế một cửa, một cửa liên thông năm {y}",
    "Kế hoạch kiểm tra công tác cải cách hành chính năm {y}",
    "Kế hoạch thực hiện Đề án 06 năm {y}",
    "Kế hoạch cải thiện Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) năm {y}",
]
TASK_VERBS = [
    "Rà soát, đánh giá",
    "Tổ chức triển khai",
    "Xây dựng và ban hành",
    "Kiểm tra, đôn đốc việc thực hiện",
    "Tuyên truyền, phổ biến",
    "Số hóa hồ sơ, kết quả giải quyết",
    "Báo cáo kết quả thực hiện",
    "Cập nhật, công khai",
    "Tổ chức tập huấn, bồi dưỡng về",
    "Đánh giá mức độ hài lòng đối với",
]
TASK_OBJECTS = [
    "thủ tục hành chính thuộc phạm vi quản lý",
    "văn bản quy phạm pháp luật do tỉnh ban hành",
    "dịch vụ công trực tuyến toàn trình",
    "quy chế tổ chức và hoạt động của cơ quan",
    "vị trí việc làm và cơ cấu ngạch công chức",
    "cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập",
    "hệ thống thông tin giải quyết thủ tục hành chính",
    "kết quả thực hiện Chỉ số cải cách hành chính",
    "bộ phận tiếp nhận và trả kết quả",
    "quy trình nội bộ giải quyết thủ tục hành chính",
    "việc tiếp nhận, xử lý phản ánh, kiến nghị của người dân, doanh nghiệp",
    "cơ sở dữ liệu chuyên ngành",
]
DELIVERABLES = [
    "Báo cáo",
    "Quyết định",
    "Kế hoạch",
    "Văn bản chỉ đạo",
    "Hệ thống được vận hành",
    "Danh mục",
    "",
]
PROGRESS_NOTES = [
    "Đã xây dựng dự thảo, đang lấy ý kiến các đơn vị.",
    "Đang tổng hợp số liệu báo cáo.",
    "Đã hoàn thành 50% khối lượng công việc.",
    "Đã trình lãnh đạo xem xét.",
    "Đang phối hợp với các cơ quan liên quan.",
]
OPEN_STATUSES = [
    (Assignment.Status.NOT_STARTED, 35),
    (Assignment.Status.IN_PROGRESS, 55),
    (Assignment.Status.SUBMITTED, 10),
]


# --- Result ---------------------------------------------------------------------


@dataclass
class Summary:
    """What a run produced: counts, the categories as of `today`, a fingerprint."""

    today: date
    seed: int
    agencies: int = 0
    agencies_by_kind: dict[str, int] = field(default_factory=dict)
    plans: int = 0
    sections: int = 0
    tasks: int = 0
    assignments: int = 0
    events: int = 0
    rollup: Rollup = field(default_factory=Rollup)
    fingerprint: str = ""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        r = self.rollup
        kinds = ", ".join(f"{k}: {n}" for k, n in sorted(self.agencies_by_kind.items()))
        return [
            f"Cơ quan: {self.agencies} ({kinds})",
            f"Kế hoạch: {self.plans}; mục: {self.sections}; nhiệm vụ: {self.tasks}",
            f"Nhiệm vụ được giao: {self.assignments}; lịch sử: {self.events}",
            f"Tính đến {self.today:%d/%m/%Y}: {r.sentence}; đúng hạn {r.done_on_time}, "
            f"trễ hạn {r.done_late}, chưa đến hạn {r.open_not_due}, quá hạn {r.open_overdue}, "
            f"thường xuyên {r.ongoing}, gia hạn {r.extended}",
            f"Dấu vân tay: {self.fingerprint}",
            f"Thời gian: {self.seconds:.1f} giây",
        ]


def generated_assignments():
    """Every assignment a run of the generator made."""
    return Assignment.objects.filter(agency__code__startswith=CODE_PREFIX)


def fingerprint() -> str:
    """A hash of the generated rows by their natural keys (not their ids).

    Two runs with the same arguments give the same fingerprint on any database.
    """
    digest = hashlib.sha256()
    agencies = Agency.objects.filter(code__startswith=CODE_PREFIX).order_by("code")
    for row in agencies.values_list("code", "name", "kind", "parent__code"):
        digest.update(repr(row).encode())
    rows = generated_assignments().order_by(
        "plan__year", "plan__number", "task__order", "agency__code", "period"
    )
    for row in rows.values_list(
        "plan__year",
        "plan__number",
        "task__order",
        "task__section__code",
        "agency__code",
        "period",
        "original_due_date",
        "due_date",
        "status",
        "completed_on",
        "last_progress_at",
    ).iterator(chunk_size=5000):
        digest.update(repr(row).encode())
    events = AssignmentEvent.objects.filter(assignment__agency__code__startswith=CODE_PREFIX)
    for row in events.values_list("kind").annotate(n=Count("pk")).order_by("kind"):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:16]


@transaction.atomic
def remove_generated() -> int:
    """Delete what earlier runs made (plans marked, G- agencies, their members)."""
    # The history is most of the rows and nothing points at it: one DELETE, no collecting.
    events = AssignmentEvent.objects.filter(assignment__agency__code__startswith=CODE_PREFIX)
    events._raw_delete(events.db)
    deleted, _ = Plan.objects.filter(source_text__startswith=GENERATED_MARKER).delete()
    # Assignments of generated agencies under other plans would block the delete.
    generated_assignments().delete()
    agencies = Agency.objects.filter(code__startswith=CODE_PREFIX)
    member_users = Membership.objects.filter(agency__in=agencies).values_list("user_id", flat=True)
    User.objects.filter(pk__in=list(member_users)).delete()
    agencies.update(parent=None)
    count, _ = agencies.delete()
    return deleted + count


@contextlib.contextmanager
def _historical_timestamps() -> Iterator[None]:
    """Let bulk_create keep the `created_at` we set (plan issue day, completion day).

    `auto_now_add` would stamp every row with the moment of generation, so the
    history would all happen today. Switched off only for the generator's own
    bulk inserts, in the generator's own process.
    """
    fields = [
        Assignment._meta.get_field("created_at"),
        AssignmentEvent._meta.get_field("created_at"),
    ]
    saved = [f.auto_now_add for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in zip(fields, saved, strict=True):
            f.auto_now_add = value


# --- The generator --------------------------------------------------------------


class _Builder:
    def __init__(self, *, seed: int, today: date, progress: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.seed = seed
        self.today = today
        self.progress = progress
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def at(self, day: date, hour: int = 8) -> datetime:
        minute = self.rng.randrange(60)
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def between(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    # Agencies ------------------------------------------------------------------

    def agencies(self, n: int) -> list[Agency]:
        rng = self.rng
        taken_names = set(Agency.objects.values_list("name", flat=True))
        n_other = min(len(OTHER_BODIES), max(1, round(n * 0.01)))
        n_dept = min(len(DEPARTMENTS), max(1, round(n * 0.06)))
        n_district = max(1, round(n * 0.05))
        n_commune = max(1, n - n_other - n_dept - n_district)
        if n < 4:
            raise ValueError("at least 4 agencies: one of every kind")

        def named(code: str, name: str) -> str:
            name = name if name not in taken_names else f"{name} ({code})"
            taken_names.add(name)
            return name

        rows: list[Agency] = []
        # Departments have a director's address for escalations; other bodies none.
        for table, kind, leader in (
            (DEPARTMENTS[:n_dept], Agency.Kind.DEPARTMENT, "giamdoc.{}@cchc.example"),
            (OTHER_BODIES[:n_other], Agency.Kind.OTHER, ""),
        ):
            for code, name, short in table:
                code = CODE_PREFIX + code
                rows.append(
                    Agency(
                        code=code,
                        name=named(code, name),
                        short_name=short,
                        kind=kind,
                        emails=f"{code.lower()}@cchc.example",
                        leader_email=leader.format(code.lower()),
                    )
                )
        places = DISTRICT_PLACES[:]
        rng.shuffle(places)
        districts: list[Agency] = []
        for i in range(n_district):
            place = places[i] if i < len(places) else str(i + 1)
            word = rng.choices(["quận", "huyện", "thị xã", "thành phố"], [35, 50, 10, 5])[0]
            code = f"{CODE_PREFIX}H{i + 1:03d}"
            districts.append(
                Agency(
                    code=code,
                    name=named(code, f"UBND {word} {place}"),
                    short_name=f"{word.capitalize()} {place}",
                    kind=Agency.Kind.DISTRICT,
                    emails=f"{code.lower()}@cchc.example",
                    leader_email=f"chutich.{code.lower()}@cchc.example",
                )
            )
        rows.extend(districts)
        Agency.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        communes: list[Agency] = []
        used: set[tuple[str, int]] = set()
        for i in range(n_commune):
            parent_index = i % len(districts)
            parent = districts[parent_index]
            word = (
                "phường"
                if parent.name.startswith("UBND quận")
                else rng.choice(["xã", "xã", "thị trấn", "phường"])
            )
            place = rng.choice(COMMUNE_PLACES)
            if (place, parent_index) in used:
                place = str(i + 1)  # "Phường 12, Quận 3" is a real style too
            used.add((place, parent_index))
            code = f"{CODE_PREFIX}X{i + 1:04d}"
            district_words = parent.name.removeprefix("UBND ")
            communes.append(
                Agency(
                    code=code,
                    name=named(code, f"UBND {word} {place}, {district_words}"),
                    short_name=f"{word.capitalize()} {place}",
                    kind=Agency.Kind.COMMUNE,
                    parent=parent,
                    emails=f"{code.lower()}@cchc.example",
                )
            )
        Agency.objects.bulk_create(communes, batch_size=BATCH_SIZE)
        self.people(rows + communes)
        self.progress(
            f"{len(rows) + len(communes)} cơ quan, {len(rows) + len(communes) + 1} người dùng"
        )
        return rows + communes

    def people(self, agencies: list[Agency]) -> None:
        """A coordinator at Sở Nội vụ and one focal officer per agency (no usable password:
        benchmarks log them in with sessions), who sign the history's events."""
        unusable = make_password(None)
        coordinator = User(
            username="g.dieuphoi",
            first_name="Điều phối (dữ liệu sinh)",
            email="g.dieuphoi@cchc.example",
            password=unusable,
        )
        officers = [
            User(
                username=f"{a.code.lower()}.canbo",
                first_name=f"Cán bộ {a.display_name}",
                email=f"canbo.{a.code.lower()}@cchc.example",
                password=unusable,
            )
            for a in agencies
        ]
        User.objects.bulk_create([coordinator, *officers], batch_size=BATCH_SIZE)
        Membership.objects.bulk_create(
            [Membership(user=coordinator, agency=agencies[0], role=Membership.Role.COORDINATOR)]
            + [
                Membership(user=u, agency=a, role=Membership.Role.OFFICER)
                for u, a in zip(officers, agencies, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        self.coordinator = coordinator
        self.officer_of = {a.pk: u for a, u in zip(agencies, officers, strict=True)}

    # Plans, sections, tasks, assignments ---------------------------------------

    def plans(self, n: int) -> list[Plan]:
        rng, today = self.rng, self.today
        years = [today.year - 2, today.year - 1, today.year]
        taken = set(Plan.objects.values_list("number", "year"))
        plans: list[Plan] = []
        for i in range(n):
            year = years[i % 3]
            number = rng.randrange(1, 400)
            while (f"{number}/KH-UBND", year) in taken:
                number = rng.randrange(1, 1000)
            taken.add((f"{number}/KH-UBND", year))
            issued = date(year, 1, 5) + timedelta(days=rng.randrange(60))
            plans.append(
                Plan(
                    number=f"{number}/KH-UBND",
                    title=rng.choice(PLAN_TITLES).format(y=year),
                    issuing_body="Ủy ban nhân dân tỉnh",
                    place="Tỉnh thử nghiệm",
                    issued_on=issued,
                    signer=rng.choice(["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu"]),
                    year=year,
                    status=Plan.Status.CLOSED if year < today.year - 1 else Plan.Status.ACTIVE,
                    source_text=f"{GENERATED_MARKER} seed={self.seed}",
                )
            )
        Plan.objects.bulk_create(plans, batch_size=BATCH_SIZE)
        self.progress(f"{len(plans)} kế hoạch")
        return plans

    def due_for(self, plan: Plan) -> tuple[date | None, str]:
        rng = self.rng
        r = rng.random()
        if r < 0.07:
            return None, "Thường xuyên"
        year = plan.year + (1 if rng.random() < 0.05 else 0)
        if r < 0.25:
            q = rng.randint(1, 4) if year > plan.year else rng.randint(2, 4)
            return quarter_end(year, q), quarter_label(year, q)
        month = rng.randint(1, 6) if year > plan.year else rng.randint(3, 12)
        if r < 0.32:
            day = date(year, month, 15)
            return day, f"trước ngày {day:%d/%m/%Y}"
        due = month_end(year, month)
        return due, f"tháng {month}/{year}"

    def lead_agencies(self, agencies: dict[str, list[Agency]]) -> list[Agency]:
        rng = self.rng
        r = rng.random()
        heads = agencies["department"] + agencies["other"]
        if r < 0.45:
            return [rng.choice(heads)]
        if r < 0.60:
            return rng.sample(heads, min(len(heads), rng.randint(2, 4)))
        if r < 0.78:
            districts = agencies["district"]
            return rng.sample(districts, max(1, int(len(districts) * rng.uniform(0.6, 1.0))))
        communes = agencies["commune"]
        return rng.sample(communes, min(len(communes), rng.randint(5, 60)))

    def outcome(self, a: Assignment, issued: date) -> None:
        """Status, completion and extension of one assignment, as of `today`."""
        rng, today = self.rng, self.today
        due = a.due_date
        if due is not None and rng.random() < 0.08:
            months = rng.randint(1, 3)
            m = due.month - 1 + months
            a.due_date = month_end(due.year + m // 12, m % 12 + 1)
            a.extended_on = self.between(issued, min(due, today))
        effective = a.due_date
        r = rng.random()
        if effective is None:
            if r < 0.12:
                self.finish(a, self.between(issued + timedelta(days=30), today))
            else:
                a.status = rng.choice(
                    [Assignment.Status.IN_PROGRESS, Assignment.Status.NOT_STARTED]
                )
        elif r < 0.02:
            a.status = Assignment.Status.WITHDRAWN
        elif effective < today:
            if r < 0.62:
                early = self.between(max(issued, effective - timedelta(days=90)), effective)
                self.finish(a, early)
            elif r < 0.80:
                late = min(today, effective + timedelta(days=rng.randint(1, 120)))
                self.finish(a, late)
            else:
                a.status = self.open_status()
        elif r < 0.17 and issued < today:
            self.finish(a, self.between(issued, min(today, effective)))
        else:
            a.status = self.open_status()
        # Most work in progress has a progress report; half of the finished work had one.
        reported = a.status in (Assignment.Status.IN_PROGRESS, Assignment.Status.SUBMITTED) or (
            a.status == Assignment.Status.DONE and rng.random() < 0.5
        )
        if reported and rng.random() < 0.7:
            last = a.completed_on or today
            a.last_progress_at = self.at(self.between(issued, last), hour=rng.randint(8, 16))

    def open_status(self) -> str:
        statuses, weights = zip(*OPEN_STATUSES, strict=True)
        return self.rng.choices(statuses, weights)[0]

    def finish(self, a: Assignment, day: date) -> None:
        a.status = Assignment.Status.DONE
        a.completed_on = min(day, self.today)

    def build(self, *, agencies: list[Agency], plans: list[Plan], total: int) -> tuple[int, ...]:
        rng = self.rng
        by_kind: dict[str, list[Agency]] = {k: [] for k in Agency.Kind.values}
        for agency in agencies:
            by_kind[agency.kind].append(agency)
        heads = by_kind["department"] + by_kind["other"]
        weights = [rng.uniform(0.5, 1.5) for _ in plans]
        scale = total / sum(weights)
        quotas = [int(w * scale) for w in weights]
        quotas[-1] += total - sum(quotas)

        sections: list[Section] = []
        plan_sections: list[list[Section]] = []
        for plan in plans:
            own = []
            for i, area in enumerate(rng.sample(AREAS, rng.randint(4, len(AREAS))), start=1):
                for j in range(1, rng.randint(2, 4) + 1):
                    own.append(
                        Section(
                            plan=plan, code=f"{i}.{j}", title=f"{area} ({j})", order=len(own) + 1
                        )
                    )
            sections.extend(own)
            plan_sections.append(own)
        Section.objects.bulk_create(sections, batch_size=BATCH_SIZE)

        tasks: list[Task] = []
        # (task index, agencies, [(period, due)]) kept until tasks have ids
        pending: list[tuple[int, list[Agency], list[tuple[str, date | None]]]] = []
        coordination: list[tuple[int, list[Agency]]] = []
        for plan, quota, own in zip(plans, quotas, plan_sections, strict=True):
            made, order = 0, 0
            while made < quota:
                order += 1
                due, due_text = self.due_for(plan)
                periods: list[tuple[str, date | None]] = [("", due)]
                if due is not None and rng.random() < 0.06:
                    periods = [
                        (quarter_label(plan.year, q), quarter_end(plan.year, q))
                        for q in range(1, 5)
                    ]
                    due, due_text = periods[-1][1], "Hằng quý"
                leads = self.lead_agencies(by_kind)
                room = quota - made
                if len(leads) * len(periods) > room:
                    periods = periods[: max(1, min(len(periods), room))]
                    leads = leads[: max(1, room // len(periods))]
                made += len(leads) * len(periods)
                partners = (
                    rng.sample(heads, min(len(heads), rng.randint(1, 3)))
                    if rng.random() < 0.3
                    else []
                )
                task = Task(
                    plan=plan,
                    section=rng.choice(own),
                    title=f"{rng.choice(TASK_VERBS)} {rng.choice(TASK_OBJECTS)}",
                    deliverable=rng.choice(DELIVERABLES),
                    coordination_text=", ".join(p.name for p in partners),
                    due_text=due_text,
                    due_date=due,
                    order=order,
                )
                tasks.append(task)
                pending.append((len(tasks) - 1, leads, periods))
                if partners:
                    coordination.append((len(tasks) - 1, partners))
        Task.objects.bulk_create(tasks, batch_size=BATCH_SIZE)
        Through = Task.coordinating_agencies.through
        Through.objects.bulk_create(
            [
                Through(task_id=tasks[i].pk, agency_id=p.pk)
                for i, partners in coordination
                for p in partners
            ],
            batch_size=BATCH_SIZE,
        )
        self.progress(f"{len(sections)} mục, {len(tasks)} nhiệm vụ")

        assignments: list[Assignment] = []
        for index, leads, periods in pending:
            task = tasks[index]
            issued = task.plan.issued_on
            for agency in leads:
                for period, due in periods:
                    a = Assignment(
                        plan=task.plan,
                        task=task,
                        agency=agency,
                        period=period,
                        original_due_date=due,
                        due_date=due,
                        created_at=self.at(issued),
                    )
                    a.extended_on = None
                    self.outcome(a, issued)
                    assignments.append(a)
        created = 0
        for start in range(0, len(assignments), BATCH_SIZE * 5):
            chunk = assignments[start : start + BATCH_SIZE * 5]
            Assignment.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            created += len(chunk)
            self.progress(f"{created}/{len(assignments)} nhiệm vụ được giao")

        events = 0
        batch: list[AssignmentEvent] = []
        for a in assignments:
            batch.extend(self.events(a))
            if len(batch) >= BATCH_SIZE * 5:
                AssignmentEvent.objects.bulk_create(batch, batch_size=BATCH_SIZE)
                events += len(batch)
                batch = []
        AssignmentEvent.objects.bulk_create(batch, batch_size=BATCH_SIZE)
        events += len(batch)
        self.progress(f"{events} dòng lịch sử")
        return len(sections), len(tasks), len(assignments), events

    def events(self, a: Assignment) -> list[AssignmentEvent]:
        Kind = AssignmentEvent.Kind
        rows = [
            AssignmentEvent(
                assignment=a,
                kind=Kind.CREATED,
                actor=self.coordinator,
                new_value=due_label(a.original_due_date),
                created_at=a.created_at,
            )
        ]
        if a.extended_on is not None:
            rows.append(
                AssignmentEvent(
                    assignment=a,
                    kind=Kind.EXTENSION_APPROVED,
                    actor=self.coordinator,
                    field="due_date",
                    old_value=due_label(a.original_due_date),
                    new_value=due_label(a.due_date),
                    note="Chấp thuận gia hạn theo đề nghị của cơ quan chủ trì.",
                    created_at=self.at(a.extended_on, hour=10),
                )
            )
        if a.last_progress_at is not None:
            rows.append(
                AssignmentEvent(
                    assignment=a,
                    kind=Kind.PROGRESS,
                    actor=self.officer_of[a.agency_id],
                    note=self.rng.choice(PROGRESS_NOTES),
                    created_at=a.last_progress_at,
                )
            )
        if a.status == Assignment.Status.DONE:
            rows.append(
                AssignmentEvent(
                    assignment=a,
                    kind=Kind.ACCEPTED,
                    actor=self.coordinator,
                    field="status",
                    old_value=Assignment.Status.SUBMITTED.label,
                    new_value=Assignment.Status.DONE.label,
                    created_at=self.at(a.completed_on, hour=16),
                )
            )
        elif a.status == Assignment.Status.WITHDRAWN:
            rows.append(
                AssignmentEvent(
                    assignment=a,
                    kind=Kind.WITHDRAWN,
                    actor=self.coordinator,
                    field="status",
                    new_value=Assignment.Status.WITHDRAWN.label,
                    created_at=self.at(min(self.today, a.original_due_date), hour=9),
                )
            )
        return rows


def generate(
    *,
    agencies: int,
    plans: int,
    assignments: int,
    seed: int,
    today: date | None = None,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Summary:
    """Build a data set; the same arguments always give the same rows.

    1. refuse (or, with `replace`, first delete) when an earlier run's rows exist,
       since codes and plan numbers would otherwise collide;
    2. agencies of every kind, communes under their district;
    3. plans over three years (today's and the two before), sections, tasks,
       some given to several agencies, some recurring each quarter;
    4. assignments with outcomes drawn as of `today`, then their events;
    5. a summary with the roll-up as of `today` and a fingerprint of the rows.
    All in one transaction: a failed run leaves nothing behind.
    """
    if min(plans, assignments) < 1:
        raise ValueError("plans and assignments must be at least 1")
    today = today or DEFAULT_TODAY
    progress = progress or (lambda message: None)
    started = time.monotonic()
    with transaction.atomic(), _historical_timestamps():
        if Agency.objects.filter(code__startswith=CODE_PREFIX).exists():
            if not replace:
                raise ValueError("generated data already exists; pass replace=True")
            remove_generated()
            progress("đã xoá dữ liệu sinh lần trước")
        builder = _Builder(seed=seed, today=today, progress=progress)
        made_agencies = builder.agencies(agencies)
        made_plans = builder.plans(plans)
        n_sections, n_tasks, n_assignments, n_events = builder.build(
            agencies=made_agencies, plans=made_plans, total=assignments
        )
    summary = Summary(
        today=today,
        seed=seed,
        agencies=len(made_agencies),
        agencies_by_kind=dict(Counter(a.kind for a in made_agencies)),
        plans=len(made_plans),
        sections=n_sections,
        tasks=n_tasks,
        assignments=n_assignments,
        events=n_events,
        rollup=generated_assignments().rollup(today),
        fingerprint=fingerprint(),
    )
    summary.seconds = time.monotonic() - started
    return summary
