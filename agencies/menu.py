"""The main menu: which pages a role reaches, and which one the user is on.

The menu mirrors the access rules (`agencies.access`), it does not enforce
them: every view checks again. Its links depend on the role and the agency
only, so they are built once per process for each pair; which link is the
current page (`aria-current="page"`) is worked out per request from the path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, reverse

from .models import Membership

Role = Membership.Role
# Also a signed-in user with no membership yet: the pages that say so.
EVERYONE = frozenset(Role.values) | {None}
EVERYTHING = frozenset({Role.COORDINATOR, Role.VIEWER})
COORDINATORS = frozenset({Role.COORDINATOR})
OFFICERS = frozenset({Role.OFFICER})


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    roles: frozenset[str] = EVERYONE
    for_own_agency: bool = False  # the link is the user's own agency page


ITEMS: tuple[Item, ...] = (
    Item("Kế hoạch", "planning:plan_list"),
    Item("Nhập kế hoạch", "plan_import:upload", COORDINATORS),
    Item("Cơ quan", "planning:agency_list", EVERYTHING),
    Item("Nhiệm vụ của đơn vị", "planning:agency_detail", EVERYONE - EVERYTHING, True),
    Item("Báo cáo", "reports:dashboard"),
    Item("Việc cần làm", "workflow:inbox", OFFICERS),
    Item("Chờ duyệt", "workflow:review_queue", COORDINATORS),
    Item("Tạo kế hoạch", "workflow:plan_create", COORDINATORS),
    Item("Nhập/xuất bảng tính", "spreadsheets:index"),
    Item("Hệ thống", "system_status", COORDINATORS),
    Item("Nhật ký nhắc việc", "notifications:log", COORDINATORS),
    Item("Nhật ký thay đổi", "audit:trail", COORDINATORS),
    Item("Cách chấm điểm", "reports:scoring_rules", COORDINATORS),
    Item("Ngày nghỉ, làm bù", "reports:declared_days", COORDINATORS),
    Item("Mã truy cập API", "api_tokens:list", COORDINATORS),
    Item("Hướng dẫn", "help"),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


@lru_cache(maxsize=512)
def _links(role: str | None, agency_code: str | None) -> tuple[Link, ...]:
    links = []
    for item in ITEMS:
        if role not in item.roles:
            continue
        if item.for_own_agency:
            if not agency_code:
                continue
            url = reverse(item.url_name, args=[agency_code])
        else:
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:  # a feature switched off in this deployment
                continue
        links.append(Link(item.label, url))
    return tuple(links)


def links_for(role: str | None, agency_code: str | None, path: str) -> list[Link]:
    """The menu of a role and agency, the link whose address is the longest
    prefix of `path` marked current ("/ke-hoach/nhap/" beats "/ke-hoach/")."""
    links = _links(role, agency_code)
    matches = [link for link in links if path.startswith(link.url)]
    current = max(matches, key=lambda link: len(link.url), default=None)
    return [Link(link.label, link.url, link is current) for link in links]
