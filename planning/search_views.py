"""The search page ("Tìm kiếm"): the header's box lands here.

Three groups (plans, tasks, agencies), each paginated on its own parameter,
keeping the query and the other groups' pages. Two queries per group (count
and page), whatever the data's size. Not page-cached: a query string is the
reader's own and seldom repeated.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .paging import page_links
from .search import search

PAGE_SIZE = 20
GROUPS = (
    ("plans", "Kế hoạch", "trang_kh"),
    ("assignments", "Nhiệm vụ", "trang_nv"),
    ("agencies", "Cơ quan", "trang_cq"),
)


@login_required
def search_page(request):
    query = request.GET.get("q", "").strip()[:200]
    results = search(request.user, query)
    groups = []
    if results is not None:
        for name, title, param in GROUPS:
            page = Paginator(getattr(results, name), PAGE_SIZE).get_page(request.GET.get(param))
            base = request.GET.copy()
            base.pop(param, None)
            groups.append(
                {
                    "name": name,
                    "title": title,
                    "page": page,
                    "links": page_links(base, page, param, anchor=name),
                }
            )
    return render(
        request,
        "planning/search.html",
        {
            "query": query,
            "too_short": bool(query) and results is None,
            "groups": groups,
            "found": sum(g["page"].paginator.count for g in groups),
        },
    )
