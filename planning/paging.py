"""Links for a second paginated list on a page that already has one.

`templates/_pagination.html` drives `?page=`; a page with two long lists (the
plan page's agencies and its tasks, the dashboard's ranking and its overdue
list) gives the second one its own parameter, keeping the other filters.
Rendered by `templates/_page_links.html`.
"""

from __future__ import annotations

from django.http import QueryDict


def page_links(base: QueryDict, page, param: str, anchor: str = "") -> dict:
    """First/previous/next/last URLs of `page` under `?param=`, plus the page itself.

    `base` holds the other parameters the links keep: the filters only, so
    that the links (and a cached fragment holding them) do not depend on
    where the reader stands in the page's other lists.
    """
    fragment = f"#{anchor}" if anchor else ""

    def url(number: int) -> str:
        query = base.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}{fragment}"

    return {
        "page": page,
        "first": url(1) if page.has_previous() else "",
        "previous": url(page.previous_page_number()) if page.has_previous() else "",
        "next": url(page.next_page_number()) if page.has_next() else "",
        "last": url(page.paginator.num_pages) if page.has_next() else "",
    }
