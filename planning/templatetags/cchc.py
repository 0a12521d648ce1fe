"""Template filters for Vietnamese figures: ratios, due months, counts."""

from django import template
from django.utils.html import format_html

from planning.deadlines import due_label as _due_label
from planning.formatting import format_number, format_ratio

register = template.Library()


@register.filter
def ratio(value):
    """Decimal("92.31") → "92,31%"."""
    return format_ratio(value)


@register.filter
def vn_number(value, decimal_pos=None):
    if value is None or value == "":
        return ""
    return format_number(value, decimal_pos=decimal_pos)


@register.filter
def due_label(value):
    """A due date as people say it: "tháng 7/2022", "15/08/2022", "Thường xuyên"."""
    return _due_label(value)


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    """The current URL with ?page= replaced, keeping the other filters."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + query.urlencode()


@register.filter
def is_overdue(assignment, today):
    return assignment.is_overdue(today)


@register.filter
def person(user, fallback="Hệ thống"):
    """A user's name for history lines; events no person signed read "Hệ thống"."""
    if user is None:
        return fallback
    return user.get_full_name() or user.username


@register.simple_tag
def sort_header(state, key, label, css=""):
    """A sortable column's <th>: a link that sorts by `key` (the other way when
    already sorted by it), with aria-sort on the column it is sorted by."""

    link = state.sort_link(key)
    arrow = {"ascending": " ▲", "descending": " ▼"}.get(link["sort"], "")
    aria = format_html(' aria-sort="{}"', link["sort"]) if link["sort"] else ""
    return format_html(
        '<th scope="col"{}{}><a class="sort-link" href="{}">{}{}</a></th>',
        format_html(' class="{}"', css) if css else "",
        aria,
        link["url"],
        label,
        arrow,
    )
