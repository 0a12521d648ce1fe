"""The header's count of unread notices, in every template.

Lazy: a page that never draws the header (an error page, a file) asks nothing,
and a page that does reads the count from the cache under the user's token
(`notices.unread_count`): no query on a warm page.
"""

from django.utils.functional import SimpleLazyObject

from .notices import unread_count


def notices(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": SimpleLazyObject(lambda: unread_count(user))}
